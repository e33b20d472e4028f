// Specification of stage 3 (segment): tokens, sentences, and the lines set
// aside as headline repeats or boilerplate. Each table row is one input and
// what the stage must make of it.
#include "segmenter.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "normalizer.h"

namespace extract {
namespace {

using Strings = std::vector<std::string>;

std::string ReadSample(const std::string& name) {
  std::ifstream in(std::string(EXTRACT_SAMPLES_DIR) + "/" + name,
                   std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

SegmenterConfig TestConfig() {
  SegmenterConfig config;
  config.abbreviations = {"mr", "mrs", "dr", "gen", "st", "jan", "u.n", "u.s"};
  config.boilerplate = {"tags", "advertisement", "share this article"};
  return config;
}

std::string_view SpanText(std::string_view text, Span span) {
  return text.substr(span.begin, span.size());
}

Strings TokenTexts(std::string_view text, const std::vector<Token>& tokens) {
  Strings out;
  for (const Token& token : tokens) {
    out.emplace_back(SpanText(text, token.span));
  }
  return out;
}

Strings TokenKeys(const std::vector<Token>& tokens) {
  Strings out;
  for (const Token& token : tokens) out.push_back(token.key);
  return out;
}

// "text kind flag flag ...": kind is w(ord), n(umber) or p(unct); flags in
// TokenFlag order. Makes flag tables readable.
std::string Describe(std::string_view text, const Token& token) {
  std::string out(SpanText(text, token.span));
  out += token.kind == TokenKind::kWord     ? " w"
         : token.kind == TokenKind::kNumber ? " n"
                                            : " p";
  const std::pair<TokenFlag, const char*> names[] = {
      {kCapitalized, "cap"}, {kAllCaps, "allcaps"}, {kLower, "lower"},
      {kJoiner, "joiner"},   {kSpaceBefore, "sp"},  {kLineStart, "line"},
      {kHasDigit, "digit"},  {kNotPlain, "np"},
  };
  for (const auto& [flag, name] : names) {
    if (token.has(flag)) {
      out += ' ';
      out += name;
    }
  }
  return out;
}

Strings Describe(std::string_view text, const std::vector<Token>& tokens) {
  Strings out;
  for (const Token& token : tokens) out.push_back(Describe(text, token));
  return out;
}

// The length of the white space character at text[i], or 0.
size_t SpaceLength(std::string_view text, size_t i) {
  if (std::string_view(" \t\r\n\v\f").find(text[i]) != std::string_view::npos) {
    return 1;
  }
  for (std::string_view space : {"\u00A0", "\u2009", "\u202F", "\u3000",
                                  "\u0085", "\u2028", "\u2029"}) {
    if (text.substr(i, space.size()) == space) return space.size();
  }
  return 0;
}

// Tokens are in order and do not overlap, and every byte outside them is
// white space or skipped text: nothing is silently dropped.
void CheckCoverage(std::string_view text, const std::vector<Token>& tokens,
                   const std::vector<SkippedSpan>& skipped = {}) {
  std::vector<bool> covered(text.size(), false);
  uint32_t previous_end = 0;
  for (const Token& token : tokens) {
    REQUIRE(token.span.begin >= previous_end);
    REQUIRE(token.span.end > token.span.begin);
    previous_end = token.span.end;
    for (uint32_t i = token.span.begin; i < token.span.end; ++i) {
      covered[i] = true;
    }
  }
  for (const SkippedSpan& s : skipped) {
    for (uint32_t i = s.span.begin; i < s.span.end; ++i) covered[i] = true;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (covered[i]) continue;
    const size_t space = SpaceLength(text, i);
    INFO("byte " << i << " of \"" << std::string(text) << "\"");
    REQUIRE(space > 0);
    i += space - 1;
  }
}

// Sentences are contiguous, in order, and cover every token exactly once;
// each span runs from its first token to its last.
void CheckSentences(const Segmentation& seg) {
  uint32_t next = 0;
  for (const Sentence& sentence : seg.sentences) {
    REQUIRE(sentence.token_begin == next);
    REQUIRE(sentence.token_end > sentence.token_begin);
    CHECK(sentence.span.begin == seg.tokens[sentence.token_begin].span.begin);
    CHECK(sentence.span.end == seg.tokens[sentence.token_end - 1].span.end);
    next = sentence.token_end;
  }
  CHECK(next == seg.tokens.size());
}

Segmentation SegmentText(const std::string& text) {
  const Segmentation seg = Segment(NormalizedText{text, {}}, TestConfig());
  CheckSentences(seg);
  CheckCoverage(text, seg.tokens, seg.skipped);
  return seg;
}

Strings SentenceTexts(const std::string& text, const Segmentation& seg) {
  Strings out;
  for (const Sentence& sentence : seg.sentences) {
    out.emplace_back(SpanText(text, sentence.span));
  }
  return out;
}

// The sentences of `body` when it follows a headline.
Strings BodySentences(const std::string& body) {
  const std::string text = "Headline\n\n" + body;
  const Segmentation seg = SegmentText(text);
  REQUIRE(seg.title_sentence == 0);
  Strings sentences = SentenceTexts(text, seg);
  sentences.erase(sentences.begin());
  return sentences;
}

struct TokenRow {
  std::string input;
  Strings expected;
};

TEST_CASE("Tokenize: words, numbers and punctuation", "[segment]") {
  const std::vector<TokenRow> rows = {
      // Plain words and punctuation; each punctuation character is a token.
      {"Mali", {"Mali"}},
      {"in Mali.", {"in", "Mali", "."}},
      {"(Bamako)", {"(", "Bamako", ")"}},
      {"Tonka, Mali; Niger?!", {"Tonka", ",", "Mali", ";", "Niger", "?", "!"}},
      {"“We will stay.”", {"“", "We", "will", "stay", ".", "”"}},
      {"\"No\"", {"\"", "No", "\""}},

      // Hyphens and dashes between word characters are separate tokens.
      {"al-Qaida", {"al", "-", "Qaida"}},
      {"al\u2011Qaida", {"al", "\u2011", "Qaida"}},
      {"2012–2013", {"2012", "–", "2013"}},
      {"U.S.-backed", {"U.S.", "-", "backed"}},
      {"group — an affiliate", {"group", "—", "an", "affiliate"}},
      {"collapse—possibly", {"collapse", "—", "possibly"}},
      {"-5", {"-", "5"}},

      // Diacritics stay inside the word.
      {"Côte d’Ivoire", {"Côte", "d’", "Ivoire"}},
      {"Gen. Assimi Goïta", {"Gen", ".", "Assimi", "Goïta"}},
      {"Cisse\u0301", {"Cisse\u0301"}},  // a combining mark is a word char

      // Apostrophes: internal ones stay, "'s" splits, French elision splits.
      {"Mali’s capital", {"Mali", "’s", "capital"}},
      {"JNIM's", {"JNIM", "'s"}},
      {"the U.S.'s allies", {"the", "U.S.", "'s", "allies"}},
      {"the 1990's", {"the", "1990", "'s"}},
      {"Jama'at Nusrat", {"Jama'at", "Nusrat"}},
      {"O'Brien", {"O'Brien"}},
      {"don't", {"don't"}},
      {"l'armée", {"l'", "armée"}},
      {"L’Aquila", {"L’", "Aquila"}},
      {"qu'il", {"qu'", "il"}},
      {"Qu’il", {"Qu’", "il"}},
      {"the rebels' camp", {"the", "rebels", "'", "camp"}},
      {"'Mali'", {"'", "Mali", "'"}},
      {"it's", {"it", "'s"}},
      {"Mali'sa", {"Mali'sa"}},

      // Dotted acronyms are one token, final period included.
      {"U.N.", {"U.N."}},
      {"the U.S. army", {"the", "U.S.", "army"}},
      {"U.S.A.", {"U.S.A."}},
      {"e.g., this", {"e.g.", ",", "this"}},
      {"J. Smith", {"J", ".", "Smith"}},     // one letter is an initial
      {"U.S.A", {"U", ".", "S", ".", "A"}},  // no final period: not an acronym

      // Numbers: digits with internal separators; digits + letters is a word.
      {"$5 million", {"$", "5", "million"}},
      {"100,000 followers", {"100,000", "followers"}},
      {"5.5%", {"5.5", "%"}},
      {"in 2012.", {"in", "2012", "."}},
      {"1,000,000,", {"1,000,000", ","}},
      {"5th 1990s", {"5th", "1990s"}},

      // White space of any kind separates tokens and is in none.
      {"  Tonka \t Mali\n", {"Tonka", "Mali"}},
      {"5\u00A0million", {"5", "million"}},
      {"Burkina\u202FFaso\u2009now", {"Burkina", "Faso", "now"}},

      // Everything else is one token per code point.
      {"€5 £3 #tag @user", {"€", "5", "£", "3", "#", "tag", "@", "user"}},
      {"snake_case", {"snake_case"}},
      {"Timbuk\u00ADtu", {"Timbuk\u00ADtu"}},  // a soft hyphen stays inside
      {"ok\xFFok", {"ok", "\xFF", "ok"}},      // a bad byte is kept as a token
  };
  for (const TokenRow& row : rows) {
    CAPTURE(row.input);
    const std::vector<Token> tokens = Tokenize(row.input);
    CHECK(TokenTexts(row.input, tokens) == row.expected);
    CheckCoverage(row.input, tokens);
  }
}

TEST_CASE("Tokenize: matching keys", "[segment]") {
  const std::vector<TokenRow> rows = {
      {"Al-Qaida", {"al", "-", "qaida"}},
      {"Côte d’Ivoire", {"cote", "d'", "ivoire"}},
      {"COTE D'IVOIRE", {"cote", "d'", "ivoire"}},
      {"Mali’s JNIM'S", {"mali", "'s", "jnim", "'s"}},
      {"U.N. U.S.", {"u.n.", "u.s."}},
      {"Gen. Assimi Goïta", {"gen", ".", "assimi", "goita"}},
      {"Straße", {"strasse"}},
      {"“Quote” — here", {"\"", "quote", "\"", "-", "here"}},
      {"2012–2013", {"2012", "-", "2013"}},
      {"`x", {"'", "x"}},
      {"$5 million", {"$", "5", "million"}},
  };
  for (const TokenRow& row : rows) {
    CAPTURE(row.input);
    CHECK(TokenKeys(Tokenize(row.input)) == row.expected);
  }
}

TEST_CASE("Tokenize: kinds and flags", "[segment]") {
  const std::vector<TokenRow> rows = {
      // Case: first letter upper / lower; two or more letters, none lower.
      {"Mali mali JNIM McCain",
       {"Mali w cap sp line", "mali w lower sp", "JNIM w cap allcaps sp",
        "McCain w cap sp"}},
      {"A TV U.N.",
       {"A w cap sp line", "TV w cap allcaps sp", "U.N. w cap allcaps sp np"}},
      {"Côte ÉTAT été",
       {"Côte w cap sp line np", "ÉTAT w cap allcaps sp np",
        "été w lower sp np"}},
      // An uncased script is neither capitalized nor lower case.
      {"تمبكتو", {"تمبكتو w sp line np"}},
      // Joiners: only a hyphen or en dash with word characters on both sides.
      {"al-Qaida", {"al w lower sp line", "- p joiner", "Qaida w cap"}},
      {"a - b", {"a w lower sp line", "- p sp", "b w lower sp"}},
      {"x- y", {"x w lower sp line", "- p", "y w lower sp"}},
      {"a—b", {"a w lower sp line", "— p", "b w lower"}},
      {"group — an", {"group w lower sp line", "— p sp", "an w lower sp"}},
      // Digits.
      {"$5 5th 100,000",
       {"$ p sp line", "5 n digit", "5th w lower sp digit",
        "100,000 n sp digit np"}},
      // Plain: only ASCII letters and digits ("np": anything else).
      {"don't O'Brien foo_bar 5.5 x2",
       {"don't w lower sp line np", "O'Brien w cap sp np",
        "foo_bar w lower sp np", "5.5 n sp digit np", "x2 w lower sp digit"}},
      // Clitics and elisions.
      {"Mali's d’Ivoire",
       {"Mali w cap sp line", "'s w lower np", "d’ w lower sp np",
        "Ivoire w cap"}},
      // Line starts.
      {"one\ntwo  three\n\n four",
       {"one w lower sp line", "two w lower sp line", "three w lower sp",
        "four w lower sp line"}},
  };
  for (const TokenRow& row : rows) {
    CAPTURE(row.input);
    CHECK(Describe(row.input, Tokenize(row.input)) == row.expected);
  }
}

TEST_CASE("Tokenize: spans index the input", "[segment]") {
  const std::string text = "In Côte d’Ivoire, Mali’s";
  const std::vector<Token> tokens = Tokenize(text);
  REQUIRE(tokens.size() == 7);
  CHECK(tokens[1].span == Span{3, 8});    // "Côte" (ô is two bytes)
  CHECK(tokens[2].span == Span{9, 13});   // "d’" (’ is three bytes)
  CHECK(tokens[3].span == Span{13, 19});  // "Ivoire"
  CHECK(tokens[6].span == Span{25, 29});  // "’s"
}

TEST_CASE("Segment: sentence boundaries", "[segment]") {
  const std::vector<TokenRow> rows = {
      // Full stops, question and exclamation marks.
      {"Troops left. Rebels came.", {"Troops left.", "Rebels came."}},
      {"He asked why? Nobody knew! Then it ended.",
       {"He asked why?", "Nobody knew!", "Then it ended."}},
      {"It was over... Then silence.", {"It was over...", "Then silence."}},
      {"Wait?! No.", {"Wait?!", "No."}},
      {"It happened in 2012. 100 people died.",
       {"It happened in 2012.", "100 people died."}},
      {"Classes ended. 5th graders left.",
       {"Classes ended.", "5th graders left."}},
      // No boundary without a following space and a sentence start.
      {"Visit example.com today.", {"Visit example.com today."}},
      {"It fell approx. five times.", {"It fell approx. five times."}},
      {"The rate was 5.5 percent.", {"The rate was 5.5 percent."}},

      // Abbreviations from the configuration.
      {"Mr. Smith arrived. He left.", {"Mr. Smith arrived.", "He left."}},
      {"Gen. Assimi Goïta spoke. Troops left.",
       {"Gen. Assimi Goïta spoke.", "Troops left."}},
      {"They met on Jan. 5 in Bamako. Talks failed.",
       {"They met on Jan. 5 in Bamako.", "Talks failed."}},
      {"St. Louis is far. So is Bamako.",
       {"St. Louis is far.", "So is Bamako."}},
      {"The U.N. Security Council met. It voted.",
       {"The U.N. Security Council met.", "It voted."}},
      // An acronym that is not an abbreviation can end a sentence.
      {"He flew to the U.K. Then he left.",
       {"He flew to the U.K.", "Then he left."}},
      // Initials.
      {"Mariam C. Cissé was shot. Her captors fled.",
       {"Mariam C. Cissé was shot.", "Her captors fled."}},
      {"J. R. R. Tolkien wrote. Others read.",
       {"J. R. R. Tolkien wrote.", "Others read."}},

      // Quotes: closing quotes stay with the sentence they end.
      {"He said: “We will stay.” Then he left.",
       {"He said: “We will stay.”", "Then he left."}},
      {"The vote passed. “We won,” she said.",
       {"The vote passed.", "“We won,” she said."}},
      {"“Leave now!” the officer shouted.",
       {"“Leave now!” the officer shouted."}},
      {"He said \"no.\" Then he left.", {"He said \"no.\"", "Then he left."}},
      {"(It was late.) Then dawn.", {"(It was late.)", "Then dawn."}},
      // A quote followed by its attribution is one sentence.
      {"“This young woman simply wanted to protect their property.” – a "
       "report on state TV",
       {"“This young woman simply wanted to protect their property.” – a "
        "report on state TV"}},
      {"“The power grab deepened its divisions.” – Rama Yade, senior "
       "director.",
       {"“The power grab deepened its divisions.” – Rama Yade, senior "
        "director."}},

      // Line breaks end a sentence, except in hard-wrapped text (the next
      // line starts in lower case). A blank line always ends it.
      {"First line\nSecond line", {"First line", "Second line"}},
      {"The junta in Bamako has\nasked French forces to leave.",
       {"The junta in Bamako has\nasked French forces to leave."}},
      {"The junta has asked\nFrench forces to leave.",
       {"The junta has asked", "French forces to leave."}},
      {"A paragraph\n\nand another.", {"A paragraph", "and another."}},
      {"One.\r\nTwo.", {"One.", "Two."}},
      // Spans are trimmed.
      {"   Indented sentence.   \n", {"Indented sentence."}},
  };
  for (const TokenRow& row : rows) {
    CAPTURE(row.input);
    CHECK(BodySentences(row.input) == row.expected);
  }
}

TEST_CASE("Segment: line breaks at every offset", "[segment]") {
  // Lines are found eight bytes at a time where the bytes are printable
  // ASCII: each kind of break, at each offset in such a run, after ASCII and
  // after UTF-8, must still end the paragraph.
  const std::vector<std::string> breaks = {"\n", "\r\n", "\r", "\xC2\x85",
                                           "\xE2\x80\xA8", "\xE2\x80\xA9"};
  for (const std::string& br : breaks) {
    for (const std::string& word : {std::string("Troops"), std::string("Goïta")}) {
      for (size_t k = 0; k <= 17; ++k) {
        const std::string first = word + std::string(k, 'x') + " left";
        INFO("break " << Catch::Detail::stringify(br) << ", " << first);
        CHECK(BodySentences(first + br + br + "Rebels came") ==
              Strings{first, "Rebels came"});
      }
    }
  }
  // A text made only of breaks and control bytes below 0x0E has no sentence.
  CHECK(SegmentText("\n\r\n\t\x0B\x0C\r\r\n\n\n\n\n\n").sentences.empty());
}

TEST_CASE("Segment: headline", "[segment]") {
  SECTION("the first non-empty line is one sentence, even with a period") {
    const std::string text =
        "\n\n  Mali: U.K. Envoy Arrives. Talks Begin  \nTroops left.";
    const Segmentation seg = SegmentText(text);
    CHECK(SentenceTexts(text, seg) ==
          Strings{"Mali: U.K. Envoy Arrives. Talks Begin", "Troops left."});
    CHECK(seg.title_sentence == 0);
    CHECK(seg.sentences[0].headline);
    CHECK_FALSE(seg.sentences[1].headline);
    CHECK(seg.skipped.empty());
  }
  SECTION("a lower-case line after the headline does not continue it") {
    const std::string text = "Mali Votes\nand counts.";
    const Segmentation seg = SegmentText(text);
    CHECK(SentenceTexts(text, seg) == Strings{"Mali Votes", "and counts."});
  }
  SECTION("empty and blank documents have no headline") {
    for (const std::string text : {"", "  \n\n \t\n"}) {
      const Segmentation seg = SegmentText(text);
      CHECK(seg.tokens.empty());
      CHECK(seg.sentences.empty());
      CHECK(seg.skipped.empty());
      CHECK(seg.title_sentence == -1);
    }
  }
  SECTION("a one-line document has no headline: its line is body") {
    const Segmentation seg = SegmentText("Tags");
    CHECK(seg.sentences.size() == 1);
    CHECK(seg.title_sentence == -1);
    CHECK_FALSE(seg.sentences[0].headline);
    CHECK(seg.skipped.empty());
  }
}

struct SkipRow {
  std::string input;
  Strings sentences;
  Strings skipped;  // "reason: text"
};

TEST_CASE("Segment: repeated headline and boilerplate are skipped",
          "[segment]") {
  const std::vector<SkipRow> rows = {
      // The next non-empty line repeating the headline.
      {"Title Here\n\nTitle Here\n\nBody.",
       {"Title Here", "Body."},
       {"repeated headline: Title Here"}},
      {"Title Here\nTitle Here\nBody.",
       {"Title Here", "Body."},
       {"repeated headline: Title Here"}},
      // Compared by matching key, white space collapsed.
      {"Côte d’Ivoire Votes\n  COTE D'IVOIRE  votes \nBody.",
       {"Côte d’Ivoire Votes", "Body."},
       {"repeated headline: COTE D'IVOIRE  votes"}},
      // Letters with combining marks ("i" + U+0301) or a ligature ("ﬁ")
      // key like plain ones: the cheap test that rules lines out before
      // keying them counts only letters that nothing can change.
      {"Final Title\nFi\u0301nal Ti\u0301tle\nBody.",
       {"Final Title", "Body."},
       {"repeated headline: Fi\u0301nal Ti\u0301tle"}},
      {"\ufb01nal title\nFinal Title\nBody.",
       {"\ufb01nal title", "Body."},
       {"repeated headline: Final Title"}},
      {"Title\n\nBody.\n\nT\u0301A\u0301G\u0301S\u0301",
       {"Title", "Body."},
       {"boilerplate: T\u0301A\u0301G\u0301S\u0301"}},
      // Only the line right after the headline.
      {"Title Here\n\nBody.\n\nTitle Here",
       {"Title Here", "Body.", "Title Here"},
       {}},

      // Trailing boilerplate, in document order.
      {"Title\n\nBody.\n\nTags", {"Title", "Body."}, {"boilerplate: Tags"}},
      {"Title\n\nBody.\nShare this article\n\n TAGS \n\n",
       {"Title", "Body."},
       {"boilerplate: Share this article", "boilerplate: TAGS"}},
      // Not at the end, or not the whole line: kept.
      {"Title\n\nTags\n\nBody.", {"Title", "Tags", "Body."}, {}},
      {"Title\n\nBody.\n\nTags: Mali", {"Title", "Body.", "Tags: Mali"}, {}},
      // Both at once.
      {"Title\nTitle\nBody.\nAdvertisement",
       {"Title", "Body."},
       {"repeated headline: Title", "boilerplate: Advertisement"}},
  };
  for (const SkipRow& row : rows) {
    CAPTURE(row.input);
    const Segmentation seg = SegmentText(row.input);
    CHECK(SentenceTexts(row.input, seg) == row.sentences);
    Strings skipped;
    for (const SkippedSpan& s : seg.skipped) {
      skipped.push_back(s.reason + ": " +
                        std::string(SpanText(row.input, s.span)));
      // Skipped text produces no tokens.
      for (const Token& token : seg.tokens) {
        CHECK(
            (token.span.end <= s.span.begin || token.span.begin >= s.span.end));
      }
    }
    CHECK(skipped == row.skipped);
  }
}

TEST_CASE("Segment: the sample article", "[segment]") {
  const std::string input = ReadSample("mali-tiktok-influencer.txt");
  const NormalizedText normalized = Normalize(input);
  const Segmentation seg = Segment(normalized, TestConfig());
  const std::string& text = normalized.text;
  CheckSentences(seg);
  CheckCoverage(text, seg.tokens, seg.skipped);

  REQUIRE(seg.title_sentence == 0);
  CHECK(SpanText(text, seg.sentences[0].span) ==
        "TikTok Influencer Executed Amid Escalating Violence in Mali");
  CHECK(seg.sentences[0].headline);

  // The headline repeated on line 3 and the trailing "Tags" line.
  REQUIRE(seg.skipped.size() == 2);
  CHECK(seg.skipped[0].reason == "repeated headline");
  CHECK(seg.skipped[0].span.begin == text.find("TikTok", 1));
  CHECK(SpanText(text, seg.skipped[0].span) ==
        "TikTok Influencer Executed Amid Escalating Violence in Mali");
  CHECK(seg.skipped[1].reason == "boilerplate");
  CHECK(SpanText(text, seg.skipped[1].span) == "Tags");
  CHECK(seg.skipped[1].span.end == text.size());

  // The headline plus 4 + 6 + 5 + 1 + 5 + 4 + 1 + 2 sentences in the eight
  // body paragraphs; each quote line with its attribution is one sentence.
  CHECK(seg.sentences.size() == 29);
  const Strings sentences = SentenceTexts(text, seg);
  CHECK(sentences[1] ==
        "Executed in the town of Tonka was Mariam Cissé, a TikTok influencer "
        "well known for promoting Mali’s military dictatorship.");
  CHECK(sentences[16] ==
        "“This young woman simply wanted to promote her community through "
        "her TikTok posts and encourage the Malian army in its missions to "
        "protect people and their property.” – a report on state TV");
  CHECK(sentences[17] ==
        "The JNIM group — an al-Qaida affiliate held to be a primary threat "
        "in the region — has claimed several kidnappings in Mali.");
  CHECK(sentences[28] ==
        "The situation is still very dynamic with violence escalating "
        "further against the backdrop of an ongoing political crisis and "
        "humanitarian catastrophe.");

  // "Cissé" three times, with spans that are the input's bytes.
  int cisse = 0;
  for (const Token& token : seg.tokens) {
    if (token.key != "cisse") continue;
    ++cisse;
    CHECK(input.substr(normalized.ToOriginal(token.span.begin),
                       normalized.ToOriginal(token.span.end) -
                           normalized.ToOriginal(token.span.begin)) == "Cissé");
    CHECK(token.has(kCapitalized));
  }
  CHECK(cisse == 3);

  // Tricky tokens of the article.
  auto tokens_of = [&](std::string_view phrase) {
    const auto begin = static_cast<uint32_t>(text.find(phrase));
    const auto end = begin + static_cast<uint32_t>(phrase.size());
    Strings out;
    for (const Token& token : seg.tokens) {
      if (token.span.begin >= begin && token.span.end <= end) {
        out.push_back(Describe(text, token));
      }
    }
    return out;
  };
  CHECK(tokens_of("Côte d’Ivoire,") ==
        Strings{"Côte w cap sp np", "d’ w lower sp np", "Ivoire w cap",
                ", p"});
  CHECK(tokens_of("with al-Qaida") == Strings{"with w lower sp",
                                              "al w lower sp", "- p joiner",
                                              "Qaida w cap"});
  CHECK(tokens_of("Bamako, Mali’s capital") ==
        Strings{"Bamako w cap sp", ", p", "Mali w cap sp", "’s w lower np",
                "capital w lower sp"});
  CHECK(tokens_of("$5 million") ==
        Strings{"$ p sp", "5 n digit", "million w lower sp"});
  CHECK(tokens_of("100,000 followers") ==
        Strings{"100,000 n sp digit np", "followers w lower sp"});
  CHECK(tokens_of("group — an") ==
        Strings{"group w lower sp", "— p sp", "an w lower sp"});
  CHECK(tokens_of("collapse—possibly") ==
        Strings{"collapse w lower sp", "— p", "possibly w lower"});
  CHECK(tokens_of("The JNIM") ==
        Strings{"The w cap sp line", "JNIM w cap allcaps sp"});
}

}  // namespace
}  // namespace extract
