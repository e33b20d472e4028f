// Stage 3 (segment): cuts the normalized text into tokens and sentences, and
// sets aside the lines that are not article body (a repeated headline,
// trailing scraper boilerplate).
//
// The tokenizer is a hand-written scanner over UTF-8 rather than an ICU break
// iterator: it runs over every byte of every article, ASCII takes a table
// lookup, and only non-ASCII code points reach ICU's property functions.
// Every byte of a tokenized line that is not white space ends up in exactly
// one token.
#include "segmenter.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "normalizer.h"

namespace extract {
namespace {

// What a code point is, as far as token boundaries are concerned.
enum class CharClass : uint8_t {
  kSpace,      // white space that does not end a line
  kLineBreak,  // "\n", "\r", U+0085, U+2028, U+2029
  kLetter,     // any letter (L*), or another Alphabetic code point
  kDigit,      // decimal digit (Nd)
  kMark,       // combining mark (Mn, Mc, Me): belongs to the letter before
  kNumeric,    // letter-like numbers (Nl, No): "²", "½", "Ⅻ"
  kConnector,  // connector punctuation (Pc): "_"
  kFormat,     // invisible format characters (Cf): soft hyphen, ZWJ, ZWNJ
  kOther,      // punctuation and symbols: one token per code point
};

enum class LetterCase : uint8_t { kNone, kUpper, kLower };

struct CodePoint {
  UChar32 c = 0;
  uint32_t end = 0;  // byte offset just past the code point
  CharClass cls = CharClass::kOther;
  LetterCase letter_case = LetterCase::kNone;
};

constexpr bool IsWordClass(CharClass cls) {
  return cls == CharClass::kLetter || cls == CharClass::kDigit ||
         cls == CharClass::kMark || cls == CharClass::kNumeric ||
         cls == CharClass::kConnector;
}

constexpr std::array<CharClass, 128> MakeAsciiClasses() {
  std::array<CharClass, 128> classes{};
  for (int b = 0; b < 128; ++b) {
    CharClass cls = CharClass::kOther;
    if (b == ' ' || b == '\t' || b == '\v' || b == '\f') {
      cls = CharClass::kSpace;
    } else if (b == '\n' || b == '\r') {
      cls = CharClass::kLineBreak;
    } else if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
      cls = CharClass::kLetter;
    } else if (b >= '0' && b <= '9') {
      cls = CharClass::kDigit;
    } else if (b == '_') {
      cls = CharClass::kConnector;
    }
    classes[b] = cls;
  }
  return classes;
}

constexpr std::array<CharClass, 128> kAsciiClasses = MakeAsciiClasses();

CharClass ClassifyNonAscii(UChar32 c, LetterCase* letter_case) {
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER:  // "ǅ" starts a capitalized word
      *letter_case = LetterCase::kUpper;
      return CharClass::kLetter;
    case U_LOWERCASE_LETTER:
      *letter_case = LetterCase::kLower;
      return CharClass::kLetter;
    case U_MODIFIER_LETTER:  // includes ʼ (U+02BC), used in transliteration
    case U_OTHER_LETTER:
      return CharClass::kLetter;
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return CharClass::kMark;
    case U_DECIMAL_DIGIT_NUMBER:
      return CharClass::kDigit;
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return CharClass::kNumeric;
    case U_CONNECTOR_PUNCTUATION:
      return CharClass::kConnector;
    case U_FORMAT_CHAR:
      // The zero-width space is invisible but separates words, unlike the
      // joiners and the soft hyphen, which sit inside words.
      return c == 0x200B ? CharClass::kSpace : CharClass::kFormat;
    case U_SPACE_SEPARATOR:
      return CharClass::kSpace;
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return CharClass::kLineBreak;
    case U_CONTROL_CHAR:
      if (c == 0x85) return CharClass::kLineBreak;
      return u_isUWhiteSpace(c) ? CharClass::kSpace : CharClass::kOther;
    default:
      // A few symbols are Alphabetic ("Ⓐ"); they behave like letters.
      return u_isUAlphabetic(c) ? CharClass::kLetter : CharClass::kOther;
  }
}

constexpr std::array<CodePoint, 128> MakeAsciiCodePoints() {
  std::array<CodePoint, 128> code_points{};
  for (int b = 0; b < 128; ++b) {
    code_points[b].c = b;
    code_points[b].cls = kAsciiClasses[b];
    if (b >= 'A' && b <= 'Z') code_points[b].letter_case = LetterCase::kUpper;
    if (b >= 'a' && b <= 'z') code_points[b].letter_case = LetterCase::kLower;
  }
  return code_points;
}

constexpr std::array<CodePoint, 128> kAsciiCodePoints = MakeAsciiCodePoints();

// The slow half of DecodeAt, kept out of line so that the ASCII half inlines
// into the scanner loops.
[[gnu::noinline]] CodePoint DecodeNonAscii(std::string_view text, uint32_t pos,
                                           uint32_t limit) {
  CodePoint cp;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(s, i, static_cast<int32_t>(limit), c);
  cp.end = static_cast<uint32_t>(i);
  cp.c = c;
  cp.cls = c < 0 ? CharClass::kOther : ClassifyNonAscii(c, &cp.letter_case);
  return cp;
}

// Decodes the code point at `pos` (< `limit`) of `text`. Ill-formed UTF-8
// decodes as one code point of class kOther spanning the bad bytes, so it
// becomes a punctuation token instead of disappearing.
inline CodePoint DecodeAt(std::string_view text, uint32_t pos, uint32_t limit) {
  const auto b = static_cast<uint8_t>(text[pos]);
  if (b < 0x80) [[likely]] {
    CodePoint cp = kAsciiCodePoints[b];
    cp.end = pos + 1;
    return cp;
  }
  return DecodeNonAscii(text, pos, limit);
}

// The code point that ends at `pos`, or a kLineBreak stand-in at the start
// of the text (the start of the text behaves like the start of a line).
CodePoint DecodeBefore(std::string_view text, uint32_t pos) {
  if (pos == 0) {
    CodePoint cp;
    cp.cls = CharClass::kLineBreak;
    return cp;
  }
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(s, 0, i, c);
  return DecodeAt(text, static_cast<uint32_t>(i), pos);
}

constexpr bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }

// Hyphen-minus, hyphen, non-breaking hyphen and en dash join compounds
// ("al-Qaida", "Mali–Niger"). The em dash does not: "collapse—possibly" in
// the sample is a parenthetical dash, not a compound.
constexpr bool IsJoinerDash(UChar32 c) {
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2013;
}

constexpr char AsciiLower(char b) {
  return (b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : b;
}

// French elided articles and pronouns: l' d' j' m' n' s' t' c' qu'. Only
// checked at the start of a word, when an apostrophe and a letter follow.
bool IsElision(std::string_view prefix) {
  if (prefix.size() == 1) {
    switch (AsciiLower(prefix[0])) {
      case 'l':
      case 'd':
      case 'j':
      case 'm':
      case 'n':
      case 's':
      case 't':
      case 'c':
        return true;
      default:
        return false;
    }
  }
  return prefix.size() == 2 && AsciiLower(prefix[0]) == 'q' &&
         AsciiLower(prefix[1]) == 'u';
}

// What the scanner learns about a word while consuming it; becomes flags.
struct WordStats {
  uint32_t letters = 0;
  bool any_lower = false;
  bool has_digit = false;
  bool has_non_number = false;  // anything but digits and , .
  bool ascii = true;
  bool plain = true;  // only ASCII letters and digits so far
  LetterCase first_case = LetterCase::kNone;

  void Add(const CodePoint& cp) {
    if (cp.c >= 0x80 || cp.c < 0) ascii = false;
    if (!((cp.c >= 'a' && cp.c <= 'z') || (cp.c >= 'A' && cp.c <= 'Z') ||
          (cp.c >= '0' && cp.c <= '9'))) {
      plain = false;
    }
    switch (cp.cls) {
      case CharClass::kLetter:
        if (letters == 0) first_case = cp.letter_case;
        ++letters;
        if (cp.letter_case == LetterCase::kLower) any_lower = true;
        has_non_number = true;
        break;
      case CharClass::kDigit:
        has_digit = true;
        break;
      default:
        has_non_number = true;
        break;
    }
  }
  void AddOther(UChar32 c) {
    if (c >= 0x80) ascii = false;
    has_non_number = true;
    plain = false;
  }

  uint16_t Flags() const {
    uint16_t flags = 0;
    if (first_case == LetterCase::kUpper) flags |= kCapitalized;
    if (first_case == LetterCase::kLower) flags |= kLower;
    // Letters of uncased scripts are neither upper nor lower case; requiring
    // an upper-case first letter keeps Arabic or Chinese words out.
    if (letters >= 2 && !any_lower && first_case == LetterCase::kUpper) {
      flags |= kAllCaps;
    }
    if (has_digit) flags |= kHasDigit;
    if (!plain) flags |= kNotPlain;
    return flags;
  }
};

// Tokenizes text[begin, end) into `out`, with spans into `text`. The text
// before `begin` only decides the flags of the first token.
class Scanner {
 public:
  Scanner(std::string_view text, uint32_t begin, uint32_t end,
          std::vector<Token>* out)
      : text_(text), end_(end), pos_(begin), out_(out) {
    const CodePoint before = DecodeBefore(text, begin);
    space_before_ =
        before.cls == CharClass::kSpace || before.cls == CharClass::kLineBreak;
    line_start_ = before.cls == CharClass::kLineBreak;
    prev_word_ = IsWordClass(before.cls);
  }

  void Run() {
    while (pos_ < end_) {
      const CodePoint cp = DecodeAt(text_, pos_, end_);
      if (cp.cls == CharClass::kSpace || cp.cls == CharClass::kLineBreak) {
        space_before_ = true;
        if (cp.cls == CharClass::kLineBreak) line_start_ = true;
        prev_word_ = false;
        pos_ = cp.end;
      } else if (IsWordClass(cp.cls)) {
        ScanWord();
      } else {
        uint16_t flags = 0;
        if (prev_word_ && IsJoinerDash(cp.c) && IsWordAt(cp.end)) {
          flags |= kJoiner;
        }
        EmitPunct(pos_, cp.end, flags);
        prev_word_ = false;
        pos_ = cp.end;
      }
    }
  }

 private:
  bool IsWordAt(uint32_t pos) const {
    return pos < end_ && IsWordClass(DecodeAt(text_, pos, end_).cls);
  }
  bool IsLetterAt(uint32_t pos) const {
    return pos < end_ && DecodeAt(text_, pos, end_).cls == CharClass::kLetter;
  }
  bool IsDigitAt(uint32_t pos) const {
    return pos < end_ && DecodeAt(text_, pos, end_).cls == CharClass::kDigit;
  }

  // Appends a token whose key is still empty; the caller fills it in.
  Token& Emit(uint32_t begin, uint32_t end, TokenKind kind, uint16_t flags) {
    Token& token = out_->emplace_back();
    token.span = Span{begin, end};
    token.kind = kind;
    token.flags = flags;
    if (space_before_) token.flags |= kSpaceBefore;
    if (line_start_) token.flags |= kLineStart;
    space_before_ = false;
    line_start_ = false;
    return token;
  }

  void EmitPunct(uint32_t begin, uint32_t end, uint16_t flags) {
    Token& token = Emit(begin, end, TokenKind::kPunct, flags);
    const auto b = static_cast<uint8_t>(text_[begin]);
    if (b < 0x80) {
      token.key.assign(1, b == '`' ? '\'' : static_cast<char>(b));
    } else {
      token.key = MatchKey(text_.substr(begin, end - begin));
    }
  }

  // A word's key: lower-cased in place when ASCII (nearly every token of an
  // English article), the full MatchKey otherwise.
  void EmitWord(uint32_t begin, uint32_t end, const WordStats& stats) {
    Token& token =
        Emit(begin, end,
             stats.has_non_number ? TokenKind::kWord : TokenKind::kNumber,
             stats.Flags());
    const std::string_view word = text_.substr(begin, end - begin);
    if (stats.ascii) {
      // Lower-cased while copied: one pass, and no call to memcpy.
      token.key.resize(word.size());
      char* out = token.key.data();
      for (size_t i = 0; i < word.size(); ++i) out[i] = AsciiLower(word[i]);
    } else {
      token.key = MatchKey(word);
    }
  }

  // A dotted acronym at pos_: two or more single letters each followed by a
  // period ("U.N.", "U.S.A.", "e.g."), and no word character after the last
  // period. Emits it as one token (final period included, so that "U.N."
  // stays one unit for gazetteer matching) and returns true.
  bool ScanAcronym() {
    if (pos_ + 1 < end_ && static_cast<uint8_t>(text_[pos_]) < 0x80 &&
        text_[pos_ + 1] != '.') {
      return false;  // the common case: an ASCII word of two or more letters
    }
    uint32_t p = pos_;
    uint32_t pairs = 0;
    WordStats stats;
    while (p < end_) {
      const CodePoint letter = DecodeAt(text_, p, end_);
      if (letter.cls != CharClass::kLetter) break;
      uint32_t q = letter.end;
      WordStats pair_stats = stats;
      pair_stats.Add(letter);
      while (q < end_) {  // "É.U." written with combining accents
        const CodePoint mark = DecodeAt(text_, q, end_);
        if (mark.cls != CharClass::kMark) break;
        pair_stats.Add(mark);
        q = mark.end;
      }
      if (q >= end_ || text_[q] != '.') break;
      stats = pair_stats;
      stats.plain = false;  // the period
      p = q + 1;
      ++pairs;
    }
    // "U.S.A" (no final period) falls through to the ordinary scanner
    // rather than yielding "U.S." + "A".
    if (pairs < 2 || IsWordAt(p)) return false;
    EmitWord(pos_, p, stats);
    pos_ = p;
    prev_word_ = false;
    EmitClitic();  // "the U.S.'s allies"
    return true;
  }

  // Emits the English clitic "'s" / "’s" if it starts at pos_ and is not the
  // beginning of a longer word. Kept apart from the word before it so that
  // "Mali's" matches the gazetteer entry "Mali"; its key is always "'s".
  bool EmitClitic() {
    if (pos_ >= end_) return false;
    const CodePoint apostrophe = DecodeAt(text_, pos_, end_);
    const uint32_t s = apostrophe.end;
    if (!IsApostrophe(apostrophe.c) || s >= end_ ||
        (text_[s] != 's' && text_[s] != 'S') || IsWordAt(s + 1)) {
      return false;
    }
    Emit(pos_, s + 1, TokenKind::kWord,
         static_cast<uint16_t>((text_[s] == 's' ? kLower : kCapitalized) |
                               kNotPlain))
        .key = "'s";
    pos_ = s + 1;
    prev_word_ = true;
    return true;
  }

  void ScanWord() {
    if (ScanAcronym()) return;
    const uint32_t start = pos_;
    uint32_t p = pos_;
    WordStats stats;
    // Class of the last base character consumed (marks and format
    // characters do not change it); kOther after a separator, so that
    // "a''b" or "1,,2" cannot chain.
    CharClass last = CharClass::kOther;
    while (p < end_) {
      // ASCII letters and digits, the bulk of every article, skip the
      // general decoder.
      const auto b = static_cast<uint8_t>(text_[p]);
      if (b < 0x80) {
        const CharClass cls = kAsciiClasses[b];
        if (cls == CharClass::kLetter) {
          const bool lower = b >= 'a';
          if (stats.letters++ == 0) {
            stats.first_case = lower ? LetterCase::kLower : LetterCase::kUpper;
          }
          stats.any_lower |= lower;
          stats.has_non_number = true;
          last = CharClass::kLetter;
          ++p;
          continue;
        }
        if (cls == CharClass::kDigit) {
          stats.has_digit = true;
          last = CharClass::kDigit;
          ++p;
          continue;
        }
      }
      const CodePoint cp = DecodeAt(text_, p, end_);
      if (IsWordClass(cp.cls)) {
        stats.Add(cp);
        if (cp.cls != CharClass::kMark) last = cp.cls;
        p = cp.end;
        continue;
      }
      if (IsApostrophe(cp.c) &&
          (last == CharClass::kLetter || last == CharClass::kDigit)) {
        const uint32_t q = cp.end;
        // English clitic: "Mali's", "JNIM’s", "1990's" -> word + "'s".
        if (q < end_ && (text_[q] == 's' || text_[q] == 'S') &&
            !IsWordAt(q + 1)) {
          EmitWord(start, p, stats);
          pos_ = p;
          EmitClitic();
          return;
        }
        if (last == CharClass::kLetter && IsLetterAt(q)) {
          // French elision: "d’Ivoire" -> "d’" + "Ivoire", so that the
          // name itself is a token. Only when the elided word is all that
          // precedes the apostrophe ("O'Brien" has no elided "o").
          if (IsElision(text_.substr(start, p - start))) {
            stats.AddOther(cp.c);
            Token& token = Emit(start, q, TokenKind::kWord, stats.Flags());
            token.key.assign(text_.substr(start, p - start));
            for (char& ch : token.key) ch = AsciiLower(ch);
            token.key.push_back('\'');
            pos_ = q;
            prev_word_ = false;
            return;
          }
          // Word-internal apostrophe: "Jama'at", "O'Brien", "don't".
          stats.AddOther(cp.c);
          last = CharClass::kOther;
          p = q;
          continue;
        }
        break;
      }
      // Thousands and decimal separators: "100,000", "5.5". A period that
      // ends a sentence ("in 2012. The") is followed by a space, not a digit.
      if ((cp.c == ',' || cp.c == '.') && last == CharClass::kDigit &&
          IsDigitAt(cp.end)) {
        stats.plain = false;
        last = CharClass::kOther;
        p = cp.end;
        continue;
      }
      // Soft hyphens and zero-width joiners inside a word belong to it.
      if (cp.cls == CharClass::kFormat && IsWordAt(cp.end)) {
        stats.AddOther(cp.c);
        p = cp.end;
        continue;
      }
      break;
    }
    EmitWord(start, p, stats);
    pos_ = p;
    prev_word_ = true;
  }

  const std::string_view text_;
  const uint32_t end_;
  uint32_t pos_;
  std::vector<Token>* const out_;
  bool space_before_ = true;
  bool line_start_ = true;
  bool prev_word_ = false;  // the code point before pos_ is a word character
};

// ---------------------------------------------------------------------------
// Sentence boundaries.

std::string_view TokenText(std::string_view text, const Token& token) {
  return text.substr(token.span.begin, token.span.size());
}

bool IsTerminatorPunct(std::string_view s) {
  return s == "." || s == "!" || s == "?" || s == "\u2026";
}

// A token that can end a sentence: ". ! ? …", or a dotted acronym, whose
// final period may double as the full stop ("... sanctioned by the U.K.").
bool IsTerminator(std::string_view text, const Token& token) {
  const char last = text[token.span.end - 1];
  // Every terminator ends in "." "!" "?" or, for "…", in byte 0xA6.
  if (last != '.' && last != '!' && last != '?' && last != '\xA6') {
    return false;
  }
  const std::string_view s = TokenText(text, token);
  if (token.kind == TokenKind::kPunct) return IsTerminatorPunct(s);
  return token.kind == TokenKind::kWord && s.size() > 1 && s.back() == '.';
}

// Closing quotes and brackets that stay with the sentence they follow:
// `property.”` ends after the quote.
bool IsCloser(std::string_view s) {
  return s == "\u201D" || s == "\u2019" || s == "\"" || s == "'" ||
         s == "\u00BB" || s == "\u203A" || s == ")" || s == "]" || s == "}";
}

bool IsOpener(std::string_view s) {
  return s == "\u201C" || s == "\u2018" || s == "\u201E" || s == "\"" ||
         s == "'" || s == "\u00AB" || s == "\u2039" || s == "(" || s == "[";
}

// Whether `token`, preceded by white space after a terminator, can start a
// new sentence: a capitalized word, a number or digit-initial word ("5th"),
// an opening quote or bracket, or a word of an uncased script.
bool StartsSentence(std::string_view text, const Token& token) {
  switch (token.kind) {
    case TokenKind::kNumber:
      return true;
    case TokenKind::kWord: {
      // "5th" is flagged kLower (its first letter is) but starts with a digit.
      const char first = text[token.span.begin];
      return !token.has(kLower) || (first >= '0' && first <= '9');
    }
    case TokenKind::kPunct:
      return IsOpener(TokenText(text, token));
  }
  return false;
}

// A single letter, possibly with combining marks: "J" in "J. Smith".
bool IsSingleLetter(std::string_view word) {
  if (word.empty()) return false;
  CodePoint cp = DecodeAt(word, 0, static_cast<uint32_t>(word.size()));
  if (cp.cls != CharClass::kLetter) return false;
  while (cp.end < word.size()) {
    cp = DecodeAt(word, cp.end, static_cast<uint32_t>(word.size()));
    if (cp.cls != CharClass::kMark) return false;
  }
  return true;
}

// Whether the terminator at tokens[i] is the period of an abbreviation or an
// initial rather than a full stop.
bool IsAbbreviationPeriod(std::string_view text,
                          const std::vector<Token>& tokens, size_t i,
                          size_t line_first, const SegmenterConfig& config) {
  const Token& token = tokens[i];
  if (token.kind == TokenKind::kWord) {  // a dotted acronym, key "u.n."
    return config.abbreviations.count(
               token.key.substr(0, token.key.size() - 1)) > 0;
  }
  if (TokenText(text, token) != "." || i == line_first) return false;
  const Token& word = tokens[i - 1];
  if (word.kind != TokenKind::kWord || word.span.end != token.span.begin) {
    return false;
  }
  if (config.abbreviations.count(word.key) > 0) return true;
  // An initial: "Mariam C. Cissé". The cost is a missed boundary after
  // "World War I." or "Plan B.", which is rarer in news.
  return word.has(kCapitalized) && IsSingleLetter(TokenText(text, word));
}

// ---------------------------------------------------------------------------
// Lines.

struct Line {
  uint32_t begin = 0;  // first byte of the line
  uint32_t end = 0;    // the line break (or the end of the text)
};

// Bytes that may start a line break.
constexpr std::array<bool, 256> MakeLineBreakLeads() {
  std::array<bool, 256> leads{};
  leads['\n'] = leads['\r'] = leads[0xC2] = leads[0xE2] = true;
  return leads;
}

constexpr std::array<bool, 256> kLineBreakLeads = MakeLineBreakLeads();

// Splits at "\n", "\r\n", "\r", U+0085, U+2028 and U+2029.
std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  const uint32_t size = static_cast<uint32_t>(text.size());
  uint32_t line_begin = 0;
  for (uint32_t i = 0; i < size;) {
    // Eight bytes at a time while none of them is below 0x0E or above 0x7F:
    // no line break starts there. (Printable ASCII, the bulk of any text.)
    while (i + 8 <= size) {
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ULL;
      constexpr uint64_t kHigh = 0x8080808080808080ULL;
      // A byte below 0x0E has its high bit set after subtracting 0x0E (bytes
      // with the high bit already set are caught by `w` itself).
      if (((w - 0x0E * kOnes) | w) & kHigh) break;
      i += 8;
    }
    if (i >= size) break;
    const auto b = static_cast<uint8_t>(text[i]);
    if (!kLineBreakLeads[b]) {
      ++i;
      continue;
    }
    uint32_t break_length = 0;
    if (b == '\n') {
      break_length = 1;
    } else if (b == '\r') {
      break_length = (i + 1 < size && text[i + 1] == '\n') ? 2 : 1;
    } else if (b == 0xC2 && i + 1 < size &&
               static_cast<uint8_t>(text[i + 1]) == 0x85) {
      break_length = 2;
    } else if (b == 0xE2 && i + 2 < size &&
               static_cast<uint8_t>(text[i + 1]) == 0x80 &&
               (static_cast<uint8_t>(text[i + 2]) == 0xA8 ||
                static_cast<uint8_t>(text[i + 2]) == 0xA9)) {
      break_length = 3;
    }
    if (break_length == 0) {
      ++i;
      continue;
    }
    lines.push_back(Line{line_begin, i});
    i += break_length;
    line_begin = i;
  }
  lines.push_back(Line{line_begin, size});
  return lines;
}

// The line without leading and trailing white space; empty if blank.
Span Trim(std::string_view text, const Line& line) {
  uint32_t begin = line.begin;
  while (begin < line.end) {
    const CodePoint cp = DecodeAt(text, begin, line.end);
    if (cp.cls != CharClass::kSpace) break;
    begin = cp.end;
  }
  uint32_t end = line.end;
  while (end > begin) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    int32_t i = static_cast<int32_t>(end);
    UChar32 c;
    U8_PREV(s, static_cast<int32_t>(begin), i, c);
    if (DecodeAt(text, static_cast<uint32_t>(i), end).cls !=
        CharClass::kSpace) {
      break;
    }
    end = static_cast<uint32_t>(i);
  }
  return Span{begin, end};
}

// The key two lines are compared by: MatchKey with runs of white space
// collapsed, so that "Tags" and " Tags\t" or a headline repeated with a
// double space still match.
std::string LineKey(std::string_view text, Span trimmed) {
  const std::string key = MatchKey(text.substr(trimmed.begin, trimmed.size()));
  std::string collapsed;
  collapsed.reserve(key.size());
  bool in_space = false;
  for (const char ch : key) {
    const bool space = ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f';
    if (space && in_space) continue;
    collapsed.push_back(space ? ' ' : ch);
    in_space = space;
  }
  return collapsed;
}

bool IsAsciiAlnum(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z');
}

// The ASCII letters and digits of a key.
size_t AsciiAlnums(std::string_view key) {
  size_t n = 0;
  for (const char ch : key) n += IsAsciiAlnum(ch);
  return n;
}

// At most the number of ASCII letters and digits in LineKey(text, span),
// found without computing the key (which may take ICU): an ASCII letter or
// digit followed by ASCII or by the end passes into the key as it is, only
// lower-cased, whatever MatchKey does to the characters around it (nothing
// can combine with it). So when this exceeds AsciiAlnums(k), the line's key
// cannot be k.
size_t KeyAsciiAlnumsAtLeast(std::string_view text, Span span) {
  size_t n = 0;
  for (uint32_t i = span.begin; i < span.end; ++i) {
    if (IsAsciiAlnum(text[i]) &&
        (i + 1 == span.end || static_cast<unsigned char>(text[i + 1]) < 0x80)) {
      ++n;
    }
  }
  return n;
}

enum class LineRole : uint8_t { kBlank, kBody, kHeadline, kSkipped };

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  assert(text.size() < (1u << 31));
  std::vector<Token> tokens;
  Scanner(text, 0, static_cast<uint32_t>(text.size()), &tokens).Run();
  return tokens;
}

Segmentation Segment(const NormalizedText& normalized,
                     const SegmenterConfig& config) {
  const std::string_view text = normalized.text;
  assert(text.size() < (1u << 31));
  Segmentation result;

  // Decide what each line is before tokenizing anything: skipped lines must
  // produce no tokens at all.
  const std::vector<Line> lines = SplitLines(text);
  std::vector<LineRole> roles(lines.size(), LineRole::kBlank);
  std::vector<Span> trimmed(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    trimmed[i] = Trim(text, lines[i]);
    if (!trimmed[i].empty()) roles[i] = LineRole::kBody;
  }
  size_t headline = 0;
  while (headline < lines.size() && roles[headline] == LineRole::kBlank) {
    ++headline;
  }
  if (headline == lines.size()) return result;
  size_t next = headline + 1;
  while (next < lines.size() && roles[next] == LineRole::kBlank) ++next;
  // A one-paragraph text (a wire brief, an ACLED note) has no headline: its
  // only line is body.
  if (next < lines.size()) roles[headline] = LineRole::kHeadline;

  // Scraped pages often carry the title twice (page title, then <h1>).
  // The first paragraph is long and may need ICU: its key is computed only
  // when it could equal the headline's.
  if (next < lines.size()) {
    const std::string headline_key = LineKey(text, trimmed[headline]);
    if (KeyAsciiAlnumsAtLeast(text, trimmed[next]) <=
            AsciiAlnums(headline_key) &&
        LineKey(text, trimmed[next]) == headline_key) {
      roles[next] = LineRole::kSkipped;
      result.skipped.push_back(
          SkippedSpan{trimmed[next], "repeated headline"});
    }
  }

  // Trailing boilerplate ("Tags", "Advertisement"), last line first.
  std::vector<SkippedSpan> boilerplate;
  if (!config.boilerplate.empty()) {
    // A line with more letters and digits than every boilerplate key is
    // not one (the last paragraph usually), whatever its key.
    size_t most_alnums = 0;
    for (const std::string& key : config.boilerplate) {
      most_alnums = std::max(most_alnums, AsciiAlnums(key));
    }
    for (size_t i = lines.size(); i-- > headline + 1;) {
      if (roles[i] == LineRole::kBlank) continue;
      if (roles[i] != LineRole::kBody ||
          KeyAsciiAlnumsAtLeast(text, trimmed[i]) > most_alnums ||
          config.boilerplate.count(LineKey(text, trimmed[i])) == 0) {
        break;
      }
      roles[i] = LineRole::kSkipped;
      boilerplate.push_back(SkippedSpan{trimmed[i], "boilerplate"});
    }
  }
  result.skipped.insert(result.skipped.end(), boilerplate.rbegin(),
                        boilerplate.rend());

  std::vector<Token>& tokens = result.tokens;
  tokens.reserve(text.size() / 5);
  std::vector<Sentence>& sentences = result.sentences;

  bool open = false;  // a body sentence is open from sentence_begin
  uint32_t sentence_begin = 0;
  auto close = [&](uint32_t token_end) {
    if (open && token_end > sentence_begin) {
      Sentence sentence;
      sentence.span = Span{tokens[sentence_begin].span.begin,
                           tokens[token_end - 1].span.end};
      sentence.token_begin = sentence_begin;
      sentence.token_end = token_end;
      sentences.push_back(sentence);
    }
    open = false;
  };
  auto start = [&](uint32_t token_begin) {
    open = true;
    sentence_begin = token_begin;
  };

  size_t previous_line = lines.size();  // the last tokenized body line
  for (size_t li = 0; li < lines.size(); ++li) {
    if (roles[li] == LineRole::kBlank || roles[li] == LineRole::kSkipped) {
      continue;
    }
    const auto line_first = static_cast<uint32_t>(tokens.size());
    Scanner(text, lines[li].begin, lines[li].end, &tokens).Run();
    const auto line_end = static_cast<uint32_t>(tokens.size());
    assert(line_end > line_first);  // a non-blank line has a token

    if (roles[li] == LineRole::kHeadline) {
      // Headlines rarely end in a period and may contain one ("Mali: U.S.
      // Sanctions ..."), so the whole line is one sentence.
      close(line_first);
      Sentence sentence;
      sentence.span =
          Span{tokens[line_first].span.begin, tokens[line_end - 1].span.end};
      sentence.token_begin = line_first;
      sentence.token_end = line_end;
      sentence.headline = true;
      result.title_sentence = static_cast<int32_t>(sentences.size());
      sentences.push_back(sentence);
      continue;
    }

    // Hard-wrapped text: a line that directly follows the previous body line
    // and starts in lower case continues its sentence. A blank or skipped
    // line in between is a paragraph break.
    const bool continues =
        open && previous_line + 1 == li && tokens[line_first].has(kLower);
    if (!continues) {
      close(line_first);
      start(line_first);
    }
    previous_line = li;

    for (uint32_t i = line_first; i < line_end; ++i) {
      if (!IsTerminator(text, tokens[i])) continue;
      // Take in "?!", "..." and closing quotes or brackets attached to it.
      uint32_t after = i + 1;
      while (after < line_end && !tokens[after].has(kSpaceBefore) &&
             (IsCloser(TokenText(text, tokens[after])) ||
              IsTerminatorPunct(TokenText(text, tokens[after])))) {
        ++after;
      }
      if (after < line_end && tokens[after].has(kSpaceBefore) &&
          StartsSentence(text, tokens[after]) &&
          !IsAbbreviationPeriod(text, tokens, i, line_first, config)) {
        close(after);
        start(after);
      }
      i = after - 1;
    }
  }
  close(static_cast<uint32_t>(tokens.size()));

  return result;
}

}  // namespace extract
