// Stage 2 (normalize): brings an article to NFC so that "é" typed as one code
// point and "e" + U+0301 compare equal downstream, and records where every
// normalized byte came from so that spans can be reported in the original
// input. Also computes the matching key shared by the segmenter and the
// gazetteers.
#include "normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extract {
namespace {

// True when every byte is below 0x80. Checks eight bytes at a time: this runs
// over every article, and almost all English news is pure ASCII apart from a
// few typographic quotes.
bool IsAscii(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size();
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (n >= 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    if ((chunk & kHighBits) != 0) return false;
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) {
    if (static_cast<unsigned char>(*p) >= 0x80) return false;
  }
  return true;
}

// Key of an ASCII byte: letters lower-cased. The grave accent is the one
// ASCII character that typists use as an apostrophe ("d`Ivoire"); it is
// mapped to "'" here as well as on the Unicode path, so that a string's key
// does not depend on whether some other character in it is non-ASCII.
constexpr char AsciiKey(unsigned char b) {
  if (b >= 'A' && b <= 'Z') return static_cast<char>(b - 'A' + 'a');
  if (b == '`') return '\'';
  return static_cast<char>(b);
}

// The ASCII replacement of a typographic apostrophe, quote, dash or space,
// or 0 when `c` is not one of them. Space separators are checked last
// because that needs a property lookup.
char PunctuationKey(UChar32 c) {
  switch (c) {
    // Apostrophes and primes: "Côte d’Ivoire", transliterations with ʼ or ʹ.
    case 0x2019:
    case 0x2018:
    case 0x02BC:
    case 0x0060:
    case 0x00B4:
    case 0x2032:
    case 0x02B9:
    case 0xFF07:
      return '\'';
    // Double quotes, guillemets and the double prime.
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
      return '"';
    // Hyphens, dashes and minus signs: "al‑Qaida" with a non-breaking hyphen
    // must match "al-Qaida".
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
      return '-';
    default:
      break;
  }
  // NBSP, narrow NBSP (French typography before ":"), thin space, ...
  if (c > 0x7F && u_charType(c) == U_SPACE_SEPARATOR) return ' ';
  return 0;
}

// Whether MatchKeyUnicode leaves `c` as it is wherever it stands: it has no
// canonical decomposition and nothing composes with it (inert for NFD and
// NFC), case folding does not change it, and it is not a mark to drop or a
// punctuation mark to map. Symbols such as "£", "€" or "°" are; letters with
// diacritics are not. Then the fast path can copy it instead of sending the
// whole text through ICU.
bool KeyKeepsAsIs(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return false;
  return nfd->isInert(c) && nfc->isInert(c) &&
         !u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_CASEFOLDED) &&
         u_charType(c) != U_NON_SPACING_MARK && PunctuationKey(c) == 0;
}

// The full key computation for text with letters outside ASCII.
std::string MatchKeyUnicode(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    // Only possible when the ICU data library is missing, which no article
    // can cause. Falling back to the text itself keeps lookups exact-match.
    return std::string(text);
  }
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Decompose first so that diacritics become separate marks we can drop.
  icu::UnicodeString decomposed = nfd->normalize(input, status);
  // Full folding: "Straße" -> "strasse", "ﬁ" -> "fi".
  decomposed.foldCase(U_FOLD_CASE_DEFAULT);

  // Dropping marks after folding (rather than before, as one might expect)
  // also removes marks that folding itself introduces.
  icu::UnicodeString mapped;
  const int32_t length = decomposed.length();
  for (int32_t i = 0; i < length;) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    const char replacement = PunctuationKey(c);
    if (replacement != 0) {
      mapped.append(static_cast<char16_t>(replacement));
    } else {
      mapped.append(c);
    }
  }
  // Recompose what is left (spacing marks of Indic scripts, Hangul jamo).
  const icu::UnicodeString composed = nfc->normalize(mapped, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string key;
  composed.toUTF8String(key);
  return key;
}

}  // namespace

NormalizedText Normalize(std::string_view text) {
  NormalizedText result;
  if (IsAscii(text)) {
    result.text.assign(text);
    return result;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  // isNormalizedUTF8 works on the UTF-8 bytes directly, so text that is
  // already NFC (nearly all published news) costs one scan and one copy.
  if (U_FAILURE(status) || nfc->isNormalizedUTF8(piece, status) ||
      U_FAILURE(status)) {
    // On an ICU failure (missing data) the text is passed on unchanged:
    // nothing is lost, only the NFC guarantee.
    result.text.assign(text);
    return result;
  }

  // ICU records one edit per normalization segment (a starter and the marks
  // that combine with it), which is exactly the granularity we want: every
  // byte of a rewritten segment maps to the segment's start, and bytes of
  // unchanged runs map one to one.
  std::string normalized;
  normalized.reserve(text.size());
  icu::StringByteSink<std::string> sink(&normalized);
  icu::Edits edits;
  nfc->normalizeUTF8(0, piece, sink, &edits, status);
  if (U_FAILURE(status)) {
    result.text.assign(text);
    return result;
  }

  std::vector<uint32_t> to_original;
  to_original.reserve(normalized.size() + 1);
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    const uint32_t source = static_cast<uint32_t>(it.sourceIndex());
    const int32_t new_length = it.newLength();
    for (int32_t k = 0; k < new_length; ++k) {
      to_original.push_back(it.hasChange() ? source
                                           : source + static_cast<uint32_t>(k));
    }
  }
  to_original.push_back(static_cast<uint32_t>(text.size()));
  if (U_FAILURE(status) || to_original.size() != normalized.size() + 1) {
    // The edit list does not describe the output: a bug in our use of ICU.
    // Keep the input rather than hand out a map that points at wrong bytes.
    result.text.assign(text);
    return result;
  }
  result.text = std::move(normalized);
  result.to_original = std::move(to_original);
  return result;
}

std::string MatchKey(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  // Fast path: ASCII plus the typographic punctuation that news text is full
  // of ("’s", "“", "—") needs neither normalization nor case folding.
  for (int32_t i = 0; i < length;) {
    const uint8_t b = bytes[i];
    if (b < 0x80) {
      key.push_back(AsciiKey(b));
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    const char replacement = c < 0 ? 0 : PunctuationKey(c);
    if (replacement != 0) {
      key.push_back(replacement);
    } else if (KeyKeepsAsIs(c)) {
      key.append(text.substr(start, i - start));  // "£", "€", "°"
    } else {
      return MatchKeyUnicode(text);
    }
  }
  return key;
}

}  // namespace extract
