// Tests of stage 5: the token-pattern language, its compilation to RE2,
// rule-file problems reported as file:line, and matching over sentences.
#include "rules.h"

#include <catch2/catch.hpp>

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
      {"bad token syntax", "x\tperson\t{C\n", "rules/test.rules:1: unclosed '{'"},
      {"RE2 error", "x\tperson\t(?P<m>{C}\n",
       "rules/test.rules:1: RE2 cannot compile the pattern: missing )"},
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

}  // namespace
}  // namespace extract
