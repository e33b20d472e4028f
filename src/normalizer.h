// Stage 2 (normalize): NFC text with an offset map back to the input, and
// the matching key used by every gazetteer lookup.
#ifndef EXTRACT_SRC_NORMALIZER_H_
#define EXTRACT_SRC_NORMALIZER_H_

#include <string>
#include <string_view>

#include "extract/document.h"

namespace extract {

// Returns the NFC form of `text` (valid UTF-8) with a map from each byte of
// the result to the byte of `text` it came from. When `text` is already NFC
// (always for ASCII), the map is left empty and no copy is analysed twice.
// Thread-safe.
//
// The map is exact at the granularity of normalization segments (a starter
// and the marks that combine with it): every byte of a rewritten segment
// maps to the segment's first input byte, so "e\u0301" -> "é" maps both
// bytes of "é" to the "e". Bytes outside rewritten segments map one to one.
NormalizedText Normalize(std::string_view text);

// The matching key of a piece of text: case-folded (full folding, so "ß"
// -> "ss"), diacritics removed ("Cissé" -> "cisse"), typographic apostrophes
// and primes -> "'", quotes -> '"', dashes and minus -> "-", every kind of
// space -> " ". ASCII letters take a fast path. Thread-safe.
//
// Diacritics are the nonspacing marks of the NFD form, in every script (so
// Arabic vowel marks go too); letters that do not decompose keep their
// shape ("Łódź" -> "łodz"). The ASCII grave accent "`" counts as an
// apostrophe on the fast path as well. MatchKey(MatchKey(x)) == MatchKey(x).
std::string MatchKey(std::string_view text);

}  // namespace extract

#endif  // EXTRACT_SRC_NORMALIZER_H_
