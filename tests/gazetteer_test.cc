// Tests of stage 4: loading gazetteer files, reporting their problems as
// file:line, and matching token runs longest first with the case rules.
#include "gazetteer.h"

#include <catch2/catch.hpp>

#include "extract/document.h"
#include "segmenter.h"
#include "support/temp_dir.h"

namespace extract {
namespace {

using testing::TempDir;

const char kPlaces[] =
    "# test places\n"
    "id\ttype\tname\taliases\tcountry\tlat\tlon\tfeature\tpopulation\n"
    "p:say\tplace\tSay\t\tNE\t13.1\t2.36\tPPL\t12000\n"
    "p:tonka\tplace\tTonka\tTɔnka\tML\t16.1\t-3.7\tPPL\t0\n"
    "p:tonka2\tplace\tTonka\t\tBF\t12.0\t-1.0\tPPL\t50\n"
    "p:cote\tplace\tCôte d’Ivoire\tIvory Coast\tCI\t7.5\t-5.5\tPCLI\t0\n";
const char kCountries[] =
    "id\ttype\tname\taliases\tiso2\tdemonyms\n"
    "country:ML\tplace\tMali\t\tML\tMalian|malien\n"
    "country:NE\tplace\tNiger\t\tNE\tNigerien\n"
    "country:BF\tplace\tBurkina Faso\t\tBF\tBurkinabe\n"
    "country:CI\tplace\tCôte d'Ivoire (country)\t\tCI\tIvorian\n";
const char kGroups[] =
    "id\ttype\tname\taliases\tkind\tcountry\taffiliation\n"
    "group:aq\tgroup\tal-Qaida\tal-Qaeda\tarmed_group\t\t\n"
    "group:jnim\tgroup\tJNIM\tGSIM|Jama'at Nusrat al-Islam wal-Muslimin\t"
    "armed_group\tML\tgroup:aq\n"
    "group:un\tgroup\tUnited Nations\tUN\tintergovernmental\t\t\n"
    "group:is\tgroup\tIslamic State\tIS\tarmed_group\t\t\n";

std::vector<Token> Tokens(const std::string& text) { return Tokenize(text); }

// The entry ids matched in `text`, as "id@first_token+length".
std::vector<std::string> MatchIds(const Gazetteer& g, const std::string& text) {
  std::vector<Token> tokens = Tokens(text);
  std::vector<std::string> out;
  for (const GazetteerMatch& m :
       g.Match(tokens, 0, static_cast<uint32_t>(tokens.size()), false)) {
    out.push_back(std::string(g.entry(m.entry).id) + "@" +
                  std::to_string(m.token_begin) + "+" +
                  std::to_string(m.token_end - m.token_begin));
  }
  return out;
}

std::unique_ptr<Gazetteer> LoadOk(const TempDir& dir) {
  std::vector<Problem> problems;
  auto g = Gazetteer::Load(dir.path(), &problems);
  INFO((g.ok() ? std::string("ok") : g.status().ToString()));
  REQUIRE(g.ok());
  return std::move(*g);
}

TEST_CASE("Gazetteer: matches on the normalized key, longest first",
          "[gazetteer]") {
  TempDir dir;
  dir.Write("places.tsv", kPlaces);
  dir.Write("countries.tsv", kCountries);
  dir.Write("groups.tsv", kGroups);
  auto g = LoadOk(dir);

  using V = std::vector<std::string>;
  // Diacritics, apostrophes and hyphens do not matter.
  CHECK(MatchIds(*g, "in Cote d'Ivoire") == V{"p:cote@1+3"});
  CHECK(MatchIds(*g, "in Côte d’Ivoire") == V{"p:cote@1+3"});
  CHECK(MatchIds(*g, "by al Qaida") == V{"group:aq@1+2"});
  CHECK(MatchIds(*g, "by Al-Qaeda") == V{"group:aq@1+3"});
  CHECK(MatchIds(*g, "in Tɔnka") == V{"p:tonka@1+1"});
  // Homonyms are all returned; the assembler chooses.
  CHECK(MatchIds(*g, "Tonka") == V{"p:tonka@0+1", "p:tonka2@0+1"});
  // Longest alias wins at a start token.
  CHECK(MatchIds(*g, "the Islamic State group") == V{"group:is@1+2"});
  CHECK(MatchIds(*g, "Jama’at Nusrat al-Islam wal-Muslimin said") ==
        V{"group:jnim@0+8"});
  // Demonyms are aliases of their country.
  CHECK(MatchIds(*g, "Malian army") == V{"country:ML@0+1"});
}

TEST_CASE("Gazetteer: capitalized aliases need capitalized words",
          "[gazetteer]") {
  TempDir dir;
  dir.Write("places.tsv", kPlaces);
  dir.Write("groups.tsv", kGroups);
  auto g = LoadOk(dir);
  using V = std::vector<std::string>;
  SECTION("a place that is a common word") {
    CHECK(MatchIds(*g, "they say so") == V{});
    CHECK(MatchIds(*g, "in Say") == V{"p:say@1+1"});
  }
  SECTION("an acronym needs capitals") {
    CHECK(MatchIds(*g, "the UN said") == V{"group:un@1+1"});
    CHECK(MatchIds(*g, "un homme") == V{});
    CHECK(MatchIds(*g, "Un homme") == V{});
    CHECK(MatchIds(*g, "IS fighters") == V{"group:is@0+1"});
    CHECK(MatchIds(*g, "it is") == V{});
  }
  SECTION("a lower-case alias word accepts a capital") {
    CHECK(MatchIds(*g, "Al-Qaida") == V{"group:aq@0+3"});
  }
}

TEST_CASE("Gazetteer: attributes, ids and lookups", "[gazetteer]") {
  TempDir dir;
  dir.Write("places.tsv", kPlaces);
  dir.Write("countries.tsv", kCountries);
  dir.Write("groups.tsv", kGroups);
  auto g = LoadOk(dir);
  int32_t tonka = g->Find("p:tonka");
  REQUIRE(tonka >= 0);
  CHECK(g->Attr(g->entry(tonka), "country") == "ML");
  CHECK(g->Attr(g->entry(tonka), "lat") == "16.1");
  CHECK(g->Attr(g->entry(tonka), "no_such_column").empty());
  CHECK(g->Source(g->entry(tonka)).ends_with("/places.tsv:4"));
  CHECK(g->Find("nope") == -1);
  CHECK(g->FindCountry("ML") == g->Find("country:ML"));
  CHECK(g->FindGroup("intergovernmental", "") == g->Find("group:un"));
}

TEST_CASE("Gazetteer: problems name the file and line", "[gazetteer][errors]") {
  struct Row {
    const char* what;
    std::string content;
    std::string expected;  // substring of the first problem
  };
  const std::string header = "id\ttype\tname\taliases\tcountry\tlat\tlon\n";
  const std::vector<Row> rows = {
      {"missing field", header + "p:a\tplace\tA\t\tML\t1\n",
       "places.tsv:2: expected 7 tab-separated fields"},
      {"extra field", header + "# c\np:a\tplace\tA\t\tML\t1\t2\t3\n",
       "places.tsv:3: expected 7 tab-separated fields (as in the header), found 8"},
      {"unknown type", header + "p:a\tvillage\tA\t\tML\t1\t2\n",
       "places.tsv:2: unknown type 'village'"},
      {"duplicate id", header + "p:a\tplace\tA\t\tML\t1\t2\np:a\tplace\tB\t\tML\t1\t2\n",
       "places.tsv:3: duplicate id 'p:a' (first at places.tsv:2)"},
      {"latitude out of range", header + "p:a\tplace\tA\t\tML\t91\t2\n",
       "places.tsv:2: latitude '91' is not a number in [-90, 90]"},
      {"longitude not a number", header + "p:a\tplace\tA\t\tML\t1\teast\n",
       "places.tsv:2: longitude 'east' is not a number"},
      {"bad header", "name\tid\n", "places.tsv:1: header must start with"},
      {"empty name", header + "p:a\tplace\t\t\tML\t1\t2\n",
       "places.tsv:2: empty name"},
      {"alias with spaces", header + "p:a\tplace\tA\t B\tML\t1\t2\n",
       "places.tsv:2: alias ' B' has surrounding spaces"},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      TempDir dir;
      dir.Write("places.tsv", row.content);
      std::vector<Problem> problems;
      auto g = Gazetteer::Load(dir.path(), &problems);
      REQUIRE_FALSE(g.ok());
      CHECK(g.status().code() == StatusCode::kBadGazetteer);
      CHECK_THAT(g.status().message(), Catch::Contains(row.expected));
      REQUIRE_FALSE(problems.empty());
      CHECK_THAT(problems[0].ToString(), Catch::Contains(row.expected));
    }
  }
  SECTION("a missing directory") {
    auto g = Gazetteer::Load("/nonexistent/gazetteers", nullptr);
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().code() == StatusCode::kNotFound);
    CHECK_THAT(g.status().message(), Catch::Contains("/nonexistent/gazetteers"));
  }
  SECTION("an unknown country code and affiliation") {
    TempDir dir;
    dir.Write("countries.tsv", kCountries);
    dir.Write("groups.tsv",
              "id\ttype\tname\taliases\tkind\tcountry\taffiliation\n"
              "group:x\tgroup\tX Front\t\tarmed_group\tZZ\tgroup:none\n");
    std::vector<Problem> problems;
    auto g = Gazetteer::Load(dir.path(), &problems);
    REQUIRE_FALSE(g.ok());
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0].ToString(),
               Catch::Contains("groups.tsv:2: unknown country code 'ZZ'"));
    CHECK_THAT(problems[1].ToString(),
               Catch::Contains("groups.tsv:2: affiliation 'group:none'"));
  }
}

TEST_CASE("Gazetteer: the shipped gazetteers load without problems",
          "[gazetteer]") {
  std::vector<Problem> problems;
  auto g = Gazetteer::Load(EXTRACT_GAZETTEERS_DIR, &problems);
  std::string report;
  for (const Problem& p : problems) report += p.ToString() + "\n";
  INFO(report);
  REQUIRE(g.ok());
  CHECK(problems.empty());
  CHECK((*g)->FindCountry("ML") >= 0);
  CHECK((*g)->FindGroup("military", "ML") >= 0);
  CHECK((*g)->FindGroup("government", "ML") >= 0);
}

}  // namespace
}  // namespace extract
