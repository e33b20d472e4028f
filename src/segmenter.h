// Stage 3 (segment): sentences and tokens of the normalized text.
//
// Tokens: words (letters, marks and digits, with internal apostrophes as in
// "Jama'at", and dotted acronyms "U.N." as one token), numbers ("100,000",
// "5.5"), and single punctuation characters. A hyphen or dash between two
// word characters with no space around it is a punctuation token flagged
// kJoiner ("al-Qaida" -> "al" "-" "Qaida"), so that matching can skip it.
// The English clitic "'s" is split off ("Mali's" -> "Mali" "'s", key "'s"),
// and French elisions (l d j m n s t c qu, any case) are split after the
// apostrophe ("d'Ivoire" -> "d'" "Ivoire"). Apostrophes are "'" and U+2019.
// Joining dashes are "-", U+2010, U+2011 and U+2013; the em dash never joins.
// Every other character that is neither white space nor part of a word is a
// token of its own, so every non-space byte of a tokenized line is in
// exactly one token (ill-formed UTF-8 included).
//
// Sentences: never cross a paragraph (a line break ends a sentence unless
// the next line starts with a lower-case letter, i.e. hard-wrapped text).
// Inside a line, "." "!" "?" "…" (plus closing quotes or brackets) followed by
// space and an upper-case letter, digit or opening quote end a sentence,
// unless the word before "." is a known abbreviation ("Mr.", "Gen.") or a
// single capital letter (an initial). A dotted acronym ends a sentence like
// "." unless it is an abbreviation ("U.N." with "u.n" configured). So a quote
// followed by its attribution (`“... property.” – a report`) is one sentence.
//
// The first non-empty line is the headline (Sentence::headline) when more
// non-empty lines follow; a text of one paragraph has no headline. If the next
// non-empty line repeats it, that line is skipped ("repeated headline");
// trailing boilerplate lines ("Tags", "Advertisement", ...) are skipped
// ("boilerplate"). Lines are compared by MatchKey of the trimmed line with
// runs of white space collapsed. Skipped lines produce no tokens; their
// trimmed spans are listed in Segmentation::skipped in text order.
#ifndef EXTRACT_SRC_SEGMENTER_H_
#define EXTRACT_SRC_SEGMENTER_H_

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "extract/document.h"

namespace extract {

struct SegmenterConfig {
  // Matching keys (MatchKey) of abbreviations without their final period:
  // "mr", "gen", "st", "jan", "u.n", "u.s".
  std::unordered_set<std::string> abbreviations;
  // Matching keys of whole lines that are scraper boilerplate when they end
  // the document: "tags", "advertisement", "share this article".
  std::unordered_set<std::string> boilerplate;
};

// Splits `text` into tokens and sentences. Every token and sentence span
// indexes text.text. Thread-safe; `config` is only read.
Segmentation Segment(const NormalizedText& text, const SegmenterConfig& config);

// Tokenizes one piece of text (e.g. a gazetteer alias) exactly as Segment
// tokenizes a line, with spans into `text`. No sentence splitting.
std::vector<Token> Tokenize(std::string_view text);

}  // namespace extract

#endif  // EXTRACT_SRC_SEGMENTER_H_
