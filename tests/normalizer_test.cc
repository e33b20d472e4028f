// Specification of stage 2 (normalize): NFC with an offset map back to the
// input, and the matching key. Each table row is one input and what the
// stage must make of it.
#include "normalizer.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/utf8.h"

namespace extract {
namespace {

std::string ReadSample(const std::string& name) {
  std::ifstream in(std::string(EXTRACT_SAMPLES_DIR) + "/" + name,
                   std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct NfcRow {
  std::string input;
  std::string expected;
  std::vector<uint32_t> to_original;
};

TEST_CASE("Normalize: ASCII and NFC text is returned as is with no map",
          "[normalize]") {
  const std::vector<std::string> inputs = {
      // ASCII: the fast path.
      "",
      "Mali",
      "JNIM is demanding a ransom of $5 million.\n\nTags",
      // Already NFC: precomposed letters, typographic punctuation.
      "Cissé",
      "Côte d’Ivoire",
      "“This young woman …” – a report",
      "Goïta, Timbuktu, Tombouctou, تمبكتو",
      // NFC is not NFKC: compatibility characters stay.
      "ﬁnance",
      "Ｍali",
      "x²",
  };
  for (const std::string& input : inputs) {
    CAPTURE(input);
    const NormalizedText result = Normalize(input);
    CHECK(result.text == input);
    CHECK(result.to_original.empty());
    CHECK(result.ToOriginal(static_cast<uint32_t>(input.size())) ==
          input.size());
  }
}

TEST_CASE("Normalize: non-NFC input is composed with an exact offset map",
          "[normalize]") {
  // to_original[i] is the input offset of the normalization segment that
  // output byte i came from; the last entry is the input size.
  const std::vector<NfcRow> rows = {
      // e + COMBINING ACUTE (3 bytes) -> é (2 bytes); both bytes of "é"
      // map to the "e".
      {"Cisse\u0301", "Cissé", {0, 1, 2, 3, 4, 4, 7}},
      {"e\u0301e\u0301", "éé", {0, 0, 3, 3, 6}},
      {"ab e\u0301 x", "ab é x", {0, 1, 2, 3, 3, 6, 7, 8}},
      // Unchanged non-ASCII before the change maps byte for byte.
      {"\u2019s Cisse\u0301.",
       "\u2019s Cissé.",
       {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 12, 13}},
      // Combining marks out of canonical order are reordered and composed:
      // e + acute + dot below -> ẹ (U+1EB9) + acute.
      {"e\u0301\u0323z", "\u1EB9\u0301z", {0, 0, 0, 0, 0, 5, 6}},
      // Singletons: ANGSTROM SIGN -> Å.
      {"\u212B", "\u00C5", {0, 0, 3}},
      // Hangul jamo compose into one syllable.
      {"\u1100\u1161", "\uAC00", {0, 0, 0, 6}},
      // Composition exclusions decompose, so the output can grow:
      // DEVANAGARI QA -> KA + NUKTA.
      {"\u0958", "\u0915\u093C", {0, 0, 0, 0, 0, 0, 3}},
  };
  for (const NfcRow& row : rows) {
    CAPTURE(row.input);
    const NormalizedText result = Normalize(row.input);
    CHECK(result.text == row.expected);
    CHECK(result.to_original == row.to_original);
    REQUIRE(result.to_original.size() == result.text.size() + 1);
    CHECK(result.to_original.back() == row.input.size());
  }
}

TEST_CASE("Normalize: ToOriginal maps a span back to the input bytes",
          "[normalize]") {
  const std::string input = "Mariam Cisse\u0301 in Tonka";
  const NormalizedText result = Normalize(input);
  REQUIRE(result.text == "Mariam Cissé in Tonka");
  const auto begin = static_cast<uint32_t>(result.text.find("Cissé"));
  const auto end = begin + static_cast<uint32_t>(std::string("Cissé").size());
  CHECK(input.substr(result.ToOriginal(begin),
                     result.ToOriginal(end) - result.ToOriginal(begin)) ==
        "Cisse\u0301");
  const auto tonka = static_cast<uint32_t>(result.text.find("Tonka"));
  CHECK(input.substr(result.ToOriginal(tonka), 5) == "Tonka");
}

TEST_CASE("Normalize: the sample article is already NFC", "[normalize]") {
  const std::string input = ReadSample("mali-tiktok-influencer.txt");
  const NormalizedText result = Normalize(input);
  CHECK(result.text == input);
  CHECK(result.to_original.empty());
}

struct KeyRow {
  std::string input;
  std::string key;
};

TEST_CASE("MatchKey: folds case, strips diacritics, unifies punctuation",
          "[normalize]") {
  const std::vector<KeyRow> rows = {
      // ASCII: letters lower-cased, everything else kept.
      {"", ""},
      {"Mali", "mali"},
      {"JNIM", "jnim"},
      {"Al-Qaida", "al-qaida"},
      {"U.N.", "u.n."},
      {"100,000 $5", "100,000 $5"},
      {"Cote d'Ivoire", "cote d'ivoire"},
      // The grave accent is an apostrophe on both paths.
      {"d`Ivoire", "d'ivoire"},

      // Diacritics, precomposed or combining.
      {"Cissé", "cisse"},
      {"Cisse\u0301", "cisse"},
      {"Goïta", "goita"},
      {"Côte d’Ivoire", "cote d'ivoire"},
      {"São Tomé", "sao tome"},
      {"مُحَمَّد", "محمد"},  // Arabic vowel marks are nonspacing marks
      // Letters with a stroke do not decompose, so they keep it.
      {"Łódź", "łodz"},

      // Full case folding.
      {"Straße", "strasse"},
      {"STRASSE", "strasse"},
      {"Σίσυφος", "σισυφοσ"},  // final sigma folds to sigma
      {"İstanbul", "istanbul"},
      {"ﬁnance", "finance"},
      {"\u212Aelvin", "kelvin"},  // KELVIN SIGN

      // Apostrophes and primes -> '.
      {"d\u2019Ivoire", "d'ivoire"},
      {"d\u2018Ivoire", "d'ivoire"},
      {"Jama\u02BCat", "jama'at"},
      {"d\u0060Ivoire", "d'ivoire"},
      {"d\u00B4Ivoire", "d'ivoire"},
      {"d\u2032Ivoire", "d'ivoire"},
      {"d\u02B9Ivoire", "d'ivoire"},
      {"d\uFF07Ivoire", "d'ivoire"},
      {"Mali\u2019s", "mali's"},

      // Quotes -> ".
      {"\u201CNo\u201D", "\"no\""},
      {"\u201EJa\u201C", "\"ja\""},
      {"\u00ABNon\u00BB", "\"non\""},
      {"5\u2033", "5\""},

      // Hyphens, dashes and minus -> -.
      {"al\u2010Qaida", "al-qaida"},
      {"al\u2011Qaida", "al-qaida"},
      {"2012\u20132013", "2012-2013"},
      {"\u2012\u2014\u2015", "---"},
      {"\u2212"
       "5",
       "-5"},
      {"a\uFE58b\uFE63c\uFF0Dd", "a-b-c-d"},

      // Space separators -> ' '.
      {"Burkina\u00A0Faso", "burkina faso"},
      {"Burkina\u202FFaso", "burkina faso"},
      {"Burkina\u2009Faso", "burkina faso"},
      {"Burkina\u3000Faso", "burkina faso"},
      {"5\u00A0million", "5 million"},
  };
  for (const KeyRow& row : rows) {
    CAPTURE(row.input);
    CHECK(MatchKey(row.input) == row.key);
  }
}

TEST_CASE("MatchKey: spellings of one name share a key", "[normalize]") {
  const std::vector<std::vector<std::string>> groups = {
      {"Côte d’Ivoire", "Cote d'Ivoire", "CÔTE D’IVOIRE",
       "Co\u0302te d'Ivoire"},
      {"Cissé", "Cisse", "CISSÉ", "Cisse\u0301"},
      {"Al-Qaida", "al-Qaida", "AL\u2011QAIDA", "al\u2010qaida"},
      {"Straße", "STRASSE", "strasse"},
      {"Assimi Goïta", "Assimi\u00A0Goita", "ASSIMI GOÏTA"},
  };
  for (const auto& group : groups) {
    for (const std::string& spelling : group) {
      CAPTURE(group.front(), spelling);
      CHECK(MatchKey(spelling) == MatchKey(group.front()));
    }
  }
}

TEST_CASE("MatchKey: characters copied by the fast path key as ICU keys them",
          "[normalize]") {
  // MatchKey copies symbols such as "£" without ICU when the rest of the
  // text needs none. A trailing "é" always sends the text through ICU, and
  // "b" keeps it away from the character under test: for every code point
  // of the BMP and the next plane, both paths must give the same key.
  size_t mismatches = 0, copied = 0;
  for (char32_t c = 0x80; c < 0x20000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // surrogates: not UTF-8
    const std::string text = "a" + testing::EncodeUtf8(c) + "b";
    const std::string fast = MatchKey(text);
    const std::string full = MatchKey(text + "\u00e9");
    copied += fast == "a" + testing::EncodeUtf8(c) + "b";
    if (fast + "e" != full) {
      ++mismatches;
      UNSCOPED_INFO("U+" << std::hex << static_cast<uint32_t>(c));
    }
  }
  CHECK(mismatches == 0);
  CHECK(copied > 1000);  // the fast path does copy symbols
  CHECK(MatchKey("Rates rose to \u00a35.2bn (\u20ac6bn), 30\u00b0C") ==
        "rates rose to \u00a35.2bn (\u20ac6bn), 30\u00b0c");
}

TEST_CASE("MatchKey: a key is its own key", "[normalize]") {
  for (const char* input :
       {"Côte d’Ivoire", "Straße", "Σίσυφος", "al\u2011Qaida", "Jama\u02BCat",
        "Burkina\u00A0Faso", "\u1100\u1161"}) {
    CAPTURE(input);
    const std::string key = MatchKey(input);
    CHECK(MatchKey(key) == key);
  }
}

}  // namespace
}  // namespace extract
