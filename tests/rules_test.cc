// Tests of stage 5: the token-pattern language, its compilation to RE2,
// rule-file problems reported as file:line, and matching over sentences.
#include "rules.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <random>

#include "gazetteer.h"
#include "segmenter.h"
#include "support/temp_dir.h"

namespace extract {
namespace {

using testing::TempDir;

TEST_CASE("RuleSet: compiles the token language to RE2", "[rules]") {
  struct Row {
    const char* pattern;
    const char* re2;
  };
  const Row rows[] = {
      // One token with features; '!' forbids a feature.
      {"{C}", "(?:<[^|>]*\\|[^>]*C[^>]*>)"},
      {"{C!W}", "(?:<[^|>]*\\|[^>W]*C[^>W]*>)"},
      // Required letters follow the unit's letter order (C before F).
      {"{FC}", "(?:<[^|>]*\\|[^>]*C[^>]*F[^>]*>)"},
      // Word literals are normalized keys, case-folded.
      {"\"of\"", "(?:<(?:of)\\|[^>]*>)"},
      {"\"To|Into\"", "(?:<(?:to|into)\\|[^>]*>)"},
      // Any token; repetition counts and captures pass through.
      {".{0,2}", "(?:<[^>]*>){0,2}"},
      {"(?P<m>{T})+", "(?P<m>(?:<[^|>]*\\|[^>]*T[^>]*>))+"},
  };
  for (const Row& row : rows) {
    INFO(row.pattern);
    auto compiled = RuleSet::CompilePattern(row.pattern);
    REQUIRE(compiled.ok());
    CHECK(*compiled == row.re2);
  }
  const std::pair<const char*, const char*> errors[] = {
      {"{%}", "unknown feature letter '%'"},
      {"{C", "unclosed '{'"},
      {"\"of", "unclosed '\"'"},
      {"{C} # x", "unexpected character '#'"},
      {"\"\"", "empty word literal"},
      {"", "empty pattern"},
  };
  for (const auto& [pattern, message] : errors) {
    INFO(pattern);
    auto compiled = RuleSet::CompilePattern(pattern);
    REQUIRE_FALSE(compiled.ok());
    CHECK_THAT(compiled.status().message(), Catch::Contains(message));
  }
}

TEST_CASE("RuleSet: encodes tokens with their features", "[rules]") {
  std::vector<Token> tokens = Tokenize("Mariam Cissé, the mayor");
  std::vector<uint64_t> features(tokens.size(), 0);
  features[0] = kFeatFirstName | kFeatSentenceStart;
  features[4] = kFeatTitle;
  std::vector<uint32_t> starts;
  std::string encoded = RuleSet::Encode(tokens, features, 0,
                                        static_cast<uint32_t>(tokens.size()),
                                        &starts);
  CHECK(encoded == "<mariam|BCF><cisse|C><,|P><the|l><mayor|lT>");
  CHECK(starts == std::vector<uint32_t>{0, 12, 21, 26, 33, 43});
}

struct Fixture {
  TempDir dir;
  std::unique_ptr<Gazetteer> gazetteer;
  Fixture() {
    dir.Write("event_triggers.tsv",
              "id\ttype\tname\taliases\tpos\tclass\n"
              "event:leave\tevent\tleave\tleft\tverb\texpulsion\n");
    auto g = Gazetteer::Load(dir.path(), nullptr);
    REQUIRE(g.ok());
    gazetteer = std::move(*g);
  }
  Result<std::unique_ptr<RuleSet>> Load(const std::string& rules,
                                        std::vector<Problem>* problems) {
    dir.Write("rules/test.rules", rules);
    return RuleSet::Load(dir.path() + "/rules", *gazetteer, problems);
  }
  // One person rule per pattern, named prefix0, prefix1, ..., in order.
  std::unique_ptr<RuleSet> LoadPatterns(const std::string& prefix,
                                        const std::vector<std::string>& patterns) {
    std::string file;
    for (size_t i = 0; i < patterns.size(); ++i) {
      file += prefix + std::to_string(i) + "\tperson\t" + patterns[i] + "\n";
    }
    std::vector<Problem> problems;
    auto rs = Load(file, &problems);
    INFO((rs.ok() ? std::string() : rs.status().ToString()));
    REQUIRE(rs.ok());
    REQUIRE((*rs)->rules().size() == patterns.size());
    return std::move(*rs);
  }
};

TEST_CASE("RuleSet: rule-file problems name the file and line",
          "[rules][errors]") {
  struct Row {
    const char* what;
    const char* rules;
    const char* expected;
  };
  const Row rows[] = {
      {"missing field", "# purpose\nperson.x\tperson\n",
       "rules/test.rules:2: expected three tab-separated fields"},
      {"unknown action", "x\tanimal\t{C}\n",
       "rules/test.rules:1: unknown action 'animal'"},
      {"unknown role", "x\tperson/hero\t{C}\n", "unknown mention role 'hero'"},
      {"unknown resolver", "x\tgroup/descriptor:navy\t{C}\n",
       "unknown resolver 'navy'"},
      {"unknown event", "x\ttrigger=event:nope\t{C}\n",
       "rules/test.rules:1: unknown event trigger id 'event:nope'"},
      {"duplicate id", "x\tperson\t{C}\n\nx\tperson\t{F}\n",
       "rules/test.rules:3: duplicate rule id 'x'"},
      {"bad token syntax", "x\tperson\t{C\n",
       "rules/test.rules:1: bad pattern: unclosed '{' at column 1"},
      {"unbalanced parenthesis", "x\tperson\t(?P<m>{C}\n",
       "rules/test.rules:1: bad pattern: missing ')' for the '(' at column 1"},
      {"nothing to repeat", "x\tperson\t* {F}\n",
       "rules/test.rules:1: bad pattern: nothing to repeat at column 1"},
      {"bad count", "x\tperson\t{C}{3,1}\n",
       "bad pattern: bad repetition count '{3,1}' at column 4"},
      {"too large once expanded", "x\tperson\t(.{0,1000}){0,1000}\n",
       "bad pattern: pattern too large: over 100000 steps"},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      Fixture f;
      std::vector<Problem> problems;
      auto rs = f.Load(row.rules, &problems);
      REQUIRE_FALSE(rs.ok());
      CHECK(rs.status().code() == StatusCode::kBadRule);
      CHECK_THAT(rs.status().message(), Catch::Contains(row.expected));
    }
  }
}

TEST_CASE("RuleSet: applies rules to a sentence", "[rules]") {
  Fixture f;
  std::vector<Problem> problems;
  auto rs = f.Load(
      "# A first name and capitalized words.\n"
      "person.first\tperson\t(?P<m>{CF}{C!W}+)\n"
      "# Asked to leave.\n"
      "event.ask\ttrigger=event:leave\t(?P<t>\"asked\") .{1,6} \"to\" \"leave\"\n",
      &problems);
  REQUIRE(rs.ok());
  REQUIRE((*rs)->rules().size() == 2);
  CHECK((*rs)->rules()[0].purpose == "A first name and capitalized words.");
  CHECK_THAT((*rs)->rules()[1].source, Catch::EndsWith("rules/test.rules:4"));

  std::vector<Token> tokens =
      Tokenize("Yesterday Mariam Cissé asked the French forces to leave.");
  std::vector<uint64_t> features(tokens.size(), 0);
  features[1] = kFeatFirstName;
  Sentence s;
  s.token_begin = 0;
  s.token_end = static_cast<uint32_t>(tokens.size());
  std::vector<RuleHit> hits;
  (*rs)->Apply(tokens, features, s, &hits);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].rule == 0);
  CHECK(hits[0].capture == "m");
  CHECK(hits[0].token_begin == 1);
  CHECK(hits[0].token_end == 3);  // "Mariam Cissé"
  CHECK(hits[1].rule == 1);
  CHECK(hits[1].capture == "t");
  CHECK(hits[1].token_begin == 3);
  CHECK(hits[1].token_end == 4);  // "asked"

  SECTION("no match without the feature") {
    std::fill(features.begin(), features.end(), 0);
    hits.clear();
    (*rs)->Apply(tokens, features, s, &hits);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].rule == 1);
  }
}

TEST_CASE("RuleSet: a long chain of optional items matches", "[rules]") {
  // 1,000 nested optional units: the matcher explores them with its own
  // stack, not the call stack.
  Fixture f;
  std::vector<Problem> problems;
  auto rs = f.Load("x\tperson\t(?P<m>(\"the\"?){1000}{C})\n", &problems);
  REQUIRE(rs.ok());
  std::string text;
  for (int k = 0; k < 300; ++k) text += "the ";
  text += "Mali";
  const std::vector<Token> tokens = Tokenize(text);
  std::vector<uint64_t> features(tokens.size(), 0);
  Sentence s;
  s.token_end = static_cast<uint32_t>(tokens.size());
  std::vector<RuleHit> hits;
  (*rs)->Apply(tokens, features, s, &hits);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].token_begin == 0);
  CHECK(hits[0].token_end == 301);
}

TEST_CASE("RuleSet: a pattern too large to analyse still matches", "[rules]") {
  // 30,000 token steps (75,000 instructions): past the bound of the required-token analysis, so
  // the rule runs without its per-sentence filter and anchor, and must find
  // the same matches as a small rule with them.
  Fixture f;
  std::vector<Problem> problems;
  auto rs = f.Load(
      "big\tperson\t(?P<m>(({C}|{l}){0,500}){30}) \"said\"\n"
      "small\tperson\t(?P<m>{C}) \"said\"\n",
      &problems);
  REQUIRE(rs.ok());
  const std::vector<Token> tokens = Tokenize("Keita said that Traore said no");
  std::vector<uint64_t> features(tokens.size(), 0);
  Sentence s;
  s.token_end = static_cast<uint32_t>(tokens.size());
  std::vector<RuleHit> hits;
  (*rs)->Apply(tokens, features, s, &hits);
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> got;
  for (const RuleHit& h : hits) got.emplace_back(h.rule, h.token_begin, h.token_end);
  // big: greedy, so its one match runs to the second "said" (m: the four
  // words before it); small: each name before "said".
  const std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> want = {
      {0, 0, 4}, {1, 0, 1}, {1, 3, 4}};
  CHECK(got == want);
}

TEST_CASE("RuleSet: the shipped rules compile", "[rules]") {
  std::vector<Problem> problems;
  auto g = Gazetteer::Load(EXTRACT_GAZETTEERS_DIR, &problems);
  REQUIRE(g.ok());
  auto rs = RuleSet::Load(std::string(EXTRACT_GAZETTEERS_DIR) + "/rules", **g,
                          &problems);
  INFO((rs.ok() ? std::string() : rs.status().ToString()));
  REQUIRE(rs.ok());
  CHECK((*rs)->rules().size() >= 15);
  for (const Rule& r : (*rs)->rules()) {
    INFO(r.id);
    CHECK_FALSE(r.purpose.empty());
  }
}


// `length` words drawn from `words`, separated by spaces.
template <size_t N>
std::string RandomText(std::mt19937& rng, const char* const (&words)[N],
                       int length) {
  std::string text;
  for (int k = 0; k < length; ++k) {
    if (k > 0) text += ' ';
    text += words[rng() % N];
  }
  return text;
}

// Applies every rule of `rs` to one sentence, and the RE2 translation of
// each rule to the same sentence encoded as units; the hits must agree.
// Returns how many there were.
size_t CompareWithRe2(const RuleSet& rs, const std::vector<Token>& tokens,
                      const std::vector<uint64_t>& features) {
  Sentence s;
  s.token_end = static_cast<uint32_t>(tokens.size());
  std::vector<RuleHit> hits;
  rs.Apply(tokens, features, s, &hits);

  // The reference: RE2 over the encoded units, as rules ran before.
  std::vector<uint32_t> starts;
  const std::string enc = RuleSet::Encode(tokens, features, 0, s.token_end,
                                          &starts);
  auto token_at = [&](size_t offset) {
    return static_cast<uint32_t>(
        std::upper_bound(starts.begin(), starts.end(), offset) -
        starts.begin() - 1);
  };
  std::vector<std::tuple<uint32_t, std::string, uint32_t, uint32_t>> want;
  for (size_t ri = 0; ri < rs.rules().size(); ++ri) {
    RE2 re(rs.rules()[ri].compiled);
    REQUIRE(re.ok());
    std::vector<re2::StringPiece> groups(re.NumberOfCapturingGroups() + 1);
    size_t pos = 0;
    while (pos < enc.size() &&
           re.Match(enc, pos, enc.size(), RE2::UNANCHORED, groups.data(),
                    static_cast<int>(groups.size()))) {
      const size_t b = groups[0].data() - enc.data();
      const size_t e = b + groups[0].size();
      bool named = false;
      for (const auto& [name, index] : re.NamedCapturingGroups()) {
        const re2::StringPiece gp = groups[index];
        if (gp.data() == nullptr || gp.empty()) continue;
        const size_t gb = gp.data() - enc.data();
        named = true;
        want.emplace_back(ri, name, token_at(gb),
                          token_at(gb + gp.size() - 1) + 1);
      }
      if (!named && e > b) {
        want.emplace_back(ri, "", token_at(b), token_at(e - 1) + 1);
      }
      pos = e > b ? e : b + 1;
      while (pos < enc.size() && enc[pos] != '<') ++pos;
    }
  }
  std::vector<std::tuple<uint32_t, std::string, uint32_t, uint32_t>> got;
  for (const RuleHit& h : hits) {
    got.emplace_back(h.rule, h.capture, h.token_begin, h.token_end);
  }
  INFO(enc);
  REQUIRE(got == want);
  return got.size();
}

// The matcher runs over tokens; the RE2 translation of the same pattern over
// Encode()'s units is the reference semantics (leftmost-first, greedy and
// lazy repetition, last iteration wins a capture, ^ and $). Every shipped
// rule and some tricky patterns are run both ways over random sentences and
// must give the same hits.
TEST_CASE("RuleSet: token matcher agrees with the RE2 translation",
          "[rules]") {
  std::vector<std::string> patterns = {
      "{C}", "{C!W}+", "(?P<m>{C}*) \"of\"", "(^|{!A}) (?P<m>{A}) ({!A}|$)",
      "(?P<m>({C}|{l}){2,3}?) {P}", "(?P<a>{C})? (?P<b>{l}+) (?P<c>.)",
      "((?P<m>{C}) {l})+", "(?P<m>{C}*?) $", "^ (?P<m>.{0,3}) {P}",
      "(?P<x>\"the|a\"|{F}) (?P<y>{C}{0,2}) (?P<z>\"of|(\"){1,}",
      "{C}{2} | {l}{1,} {P}", "(?P<m>({C}{l}?)*) {P}", "(?P<m>.*) \"said\"",
      "(?P<m>{C!W!T}({j}?{C!W})*)", "(?P<long>{C}({C}|\"of|the\")*{C}) \"(\" (?P<short>{A}) \")\"",
      // Required steps behind optional, alternative, lazy and looping
      // prefixes: the per-sentence filter and the anchor skip must not
      // lose a match.
      "{C}? {l}{0,2} \"said\" (?P<m>{C})", "(\"of\"|{C}) \"the\" (?P<m>{C})",
      "(?P<m>{C}+) \"of\" {C}", "(?P<m>({C} \"of\"){2})", ".{0,3}? \"said\"",
      "(^|{P}) (?P<m>\"the\" {C})", "(?P<m>{l}*? {A}) {P}?", "({C}|{A}{A}) (?P<m>{P})",
      "(?P<m>{C}{1,3}) {P} {F}",
  };
  std::vector<Problem> problems;
  auto g = Gazetteer::Load(EXTRACT_GAZETTEERS_DIR, &problems);
  REQUIRE(g.ok());
  auto shipped = RuleSet::Load(std::string(EXTRACT_GAZETTEERS_DIR) + "/rules",
                               **g, &problems);
  REQUIRE(shipped.ok());
  for (const Rule& r : (*shipped)->rules()) patterns.push_back(r.pattern);

  Fixture f;
  const std::unique_ptr<RuleSet> rs = f.LoadPatterns("r", patterns);

  const char* words[] = {"Mariam", "Cissé", "JNIM", "UN", "of", "the", "a",
                         "said", "(", ")", ",", ".", "S", "al", "-", "army",
                         "Mali", "killed", "in", "and", "Yehia", "Tandina"};
  const uint64_t feature_pool[] = {kFeatFirstName, kFeatTitle, kFeatPlace,
                                   kFeatGroup,     kFeatDemonym, kFeatTrigger,
                                   kFeatOrgSuffix, kFeatMilitaryNoun,
                                   kFeatFunctionWord, kFeatSentenceStart};
  std::mt19937 rng(20261124);
  size_t compared_hits = 0;
  for (int round = 0; round < 1500; ++round) {
    const std::vector<Token> tokens =
        Tokenize(RandomText(rng, words, 1 + static_cast<int>(rng() % 14)));
    std::vector<uint64_t> features(tokens.size(), 0);
    for (uint64_t& ft : features) {
      for (int k = 0; k < 2; ++k) {
        if (rng() % 3 == 0) ft |= feature_pool[rng() % std::size(feature_pool)];
      }
    }
    compared_hits += CompareWithRe2(*rs, tokens, features);
  }
  CHECK(compared_hits > 1000);  // the sentences did exercise the rules
}

// Search asks a DFA over token classes whether any match exists before it
// runs the VM (TokenPattern::MatchExists). The DFA switches itself off for a
// pattern with more than 64 distinct token tests, and for one whose states
// pass the cap; both must still find every match, as must a DFA that is
// reused across sentences of different lengths (states built on one are
// used on the next). From its idle state the DFA jumps to the first token
// that can reach the pattern's anchor; the long sentences go idle and leave
// it many times. (Jumping one token too far, or jumping from a state with
// threads in flight, fails this case and the one above.)
TEST_CASE("RuleSet: the DFA in front of the matcher never loses a match",
          "[rules]") {
  // 78 distinct predicates: every pair of a needed and a forbidden letter,
  // and six words.
  const std::string letters = "CTPAlFWgD";
  std::string many;
  size_t alternatives = 0;
  for (const char need : letters) {
    for (const char forbid : letters) {
      if (need == forbid) continue;
      many += std::string(many.empty() ? "" : "|") + "{" + need + "!" + forbid + "}";
      ++alternatives;
    }
  }
  many += "|\"of\"|\"the\"|\"said\"|\"in\"|\"and\"|\"a\"";
  alternatives += 6;
  REQUIRE(alternatives > 64);
  const std::vector<std::string> patterns = {
      // Off: too many distinct predicates.
      "(?P<m>(" + many + ")) {P}",
      // Off after 2,000 states: which of the last thirteen tokens were
      // capitalized is 8,192 states on a long enough sentence.
      "(?P<m>{C}) .{12} \"said\"",
      // Enough distinct tests that tokens fall into more than 16 classes,
      // so the transition table widens while states exist.
      "(?P<m>({C!T}|{C!F}|{T!C}|{F!C}|{A}|{P}|{W}|{g}|{l!T}|{l!F}|\"of\"|"
      "\"the\"|\"in\"){2,4}) \"said\"",
      // Assertions, an empty match, and a match only at the very end.
      "^ (?P<m>{C}{2})", "(?P<m>{C}) $", "{l}* $", "(?P<m>\"said\") {P}? $",
  };
  Fixture f;
  const std::unique_ptr<RuleSet> rs = f.LoadPatterns("d", patterns);

  const char* words[] = {"Mali", "Keita", "of", "the", "said", "army",
                         "in", "and", ".", ",", "UN", "killed", "Gao",
                         "France", "Bamako"};
  std::mt19937 rng(20261125);
  size_t compared_hits = 0;
  // Long sentences first, so that the second pattern passes its cap, then
  // short ones (down to one token), which reuse the states already built.
  for (const int length : {3000, 3000, 40, 7, 2, 1, 13, 1, 5}) {
    for (int round = 0; round < (length > 100 ? 1 : 60); ++round) {
      const std::vector<Token> tokens = Tokenize(RandomText(rng, words, length));
      std::vector<uint64_t> features(tokens.size(), 0);
      for (uint64_t& ft : features) {
        if (rng() % 4 == 0) ft |= kFeatTitle;
        if (rng() % 5 == 0) ft |= kFeatFirstName;
      }
      compared_hits += CompareWithRe2(*rs, tokens, features);
    }
  }
  CHECK(compared_hits > 500);
}

TEST_CASE("RuleSet: words found by gazetteer id match as words found by key",
          "[rules]") {
  // The pipeline passes each token's gazetteer id so that rule words are
  // found without hashing the key again. "leave" and "left" are in the
  // fixture's gazetteer, "asked", "to" and "the" are not (they take the key
  // path); another gazetteer's ids must not be used.
  Fixture f;
  const std::unique_ptr<RuleSet> rs = f.LoadPatterns(
      "w", {"(?P<m>{C}) \"left\"", "(?P<m>\"asked\") .{0,3} \"to\" \"leave\"",
            "\"the\" (?P<m>{C})", "(?P<m>\"left\" | \"leave\") {P}"});
  TempDir other_dir;
  other_dir.Write("event_triggers.tsv",
                  "id\ttype\tname\taliases\tpos\tclass\n"
                  "event:ask\tevent\tasked\tthe|to\tverb\tdemand\n"
                  "event:leave\tevent\tleft\tleave\tverb\texpulsion\n");
  auto other = Gazetteer::Load(other_dir.path(), nullptr);
  REQUIRE(other.ok());

  auto render = [](const std::vector<RuleHit>& hits) {
    std::vector<std::string> out;
    for (const RuleHit& h : hits) {
      out.push_back(std::to_string(h.rule) + ":" + h.capture + "@" +
                    std::to_string(h.token_begin) + "-" +
                    std::to_string(h.token_end) + "#" +
                    std::to_string(h.match_id));
    }
    return out;
  };
  const std::vector<Token> tokens = Tokenize(
      "Keita left. They asked him to leave the Gao base, and the army left. "
      "Then the UN asked them all to leave. Leave the Left.");
  std::vector<uint64_t> features(tokens.size(), 0);
  const auto n = static_cast<uint32_t>(tokens.size());
  std::vector<int64_t> ids(n), other_ids(n);
  std::vector<uint32_t> roots(n);
  f.gazetteer->TokenIds(tokens, 0, n, ids.data(), roots.data());
  (*other)->TokenIds(tokens, 0, n, other_ids.data(), roots.data());
  Sentence s;
  s.token_end = n;
  std::vector<RuleHit> by_key, by_id, by_other_id;
  rs->Apply(tokens, features, s, &by_key);
  rs->Apply(tokens, features, s, &by_id, *f.gazetteer, ids.data());
  rs->Apply(tokens, features, s, &by_other_id, **other, other_ids.data());
  // Keita left; asked (twice); the Gao, the UN, the Left; left, left,
  // leave and Left before a period.
  CHECK(render(by_key) ==
        std::vector<std::string>{"0:m@0-1#1", "1:m@4-5#2", "1:m@20-21#3",
                                 "2:m@9-10#4", "2:m@19-20#5", "2:m@28-29#6",
                                 "3:m@1-2#7", "3:m@15-16#8", "3:m@24-25#9",
                                 "3:m@28-29#10"});
  CHECK(render(by_id) == render(by_key));
  CHECK(render(by_other_id) == render(by_key));
}

}  // namespace
}  // namespace extract
