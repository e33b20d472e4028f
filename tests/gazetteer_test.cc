// Tests of stage 4: loading gazetteer files, reporting their problems as
// file:line, and matching token runs longest first with the case rules.
#include "gazetteer.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "extract/document.h"
#include "extract/json_writer.h"
#include "extract/pipeline.h"
#include "gazetteer_cache.h"
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

// The gazetteer in `dir` parsed, and the same read back from a cache
// written from it: the attribute tests check both.
struct ParsedAndCached {
  explicit ParsedAndCached(const TempDir& dir) : parsed(LoadOk(dir)) {
    const std::string path = CachePath(cache_dir.path(), dir.path());
    REQUIRE(WriteGazetteerCache(path, dir.path(), *parsed).ok());
    auto read = ReadGazetteerCache(path, dir.path());
    REQUIRE(read.ok());
    cached = std::move(*read);
  }
  std::vector<const Gazetteer*> both() const {
    return {parsed.get(), cached.get()};
  }
  TempDir cache_dir;
  std::unique_ptr<Gazetteer> parsed, cached;
};

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

TEST_CASE("Gazetteer: attribute fields at line ends, CRLF and short lines",
          "[gazetteer]") {
  TempDir dir;
  // CRLF lines, empty fields (one the last before "\r\n"), a field
  // holding a carriage return before a tab, no final newline.
  dir.Write("places.tsv",
            "id\ttype\tname\taliases\tcountry\tlat\tlon\r\n"
            "p:a\tplace\tAaa\t\tML\t1.5\t-2\r\n"
            "p:b\tplace\tBbb\t\t\t3\t\r\n"
            "p:c\tplace\tCcc\t\tNE\r\t4\t5\n"
            "p:d\tplace\tDdd\t\tBF\t6\t7");
  const ParsedAndCached loaded(dir);
  for (const Gazetteer* g : loaded.both()) {
    auto attr = [&](const char* id, const char* column) {
      const int32_t e = g->Find(id);
      REQUIRE(e >= 0);
      return std::string(g->Attr(g->entry(e), column));
    };
    CHECK(attr("p:a", "country") == "ML");
    CHECK(attr("p:a", "lon") == "-2");  // the last field, without the \r
    CHECK(attr("p:b", "country").empty());
    CHECK(attr("p:b", "lat") == "3");
    CHECK(attr("p:b", "lon").empty());  // empty, then "\r\n"
    CHECK(attr("p:c", "country") == "NE\r");  // not at the line's end: kept
    CHECK(attr("p:c", "lon") == "5");
    CHECK(attr("p:d", "lon") == "7");  // the file's last byte
  }
}

TEST_CASE("Gazetteer: attributes past the cells found at build time",
          "[gazetteer]") {
  // Attr finds where the first ten cells of an entry end, within 64 KB of
  // its first cell, on first use; it scans the line for the others.
  TempDir dir;
  std::string header = "id\ttype\tname\taliases";
  std::string wide = "p:w\tplace\tWide\t";
  std::string long_cell = "p:l\tplace\tLong\t";
  const int kColumns = 14;
  for (int c = 0; c < kColumns; ++c) {
    header += "\tc" + std::to_string(c);
    wide += "\tv" + std::to_string(c);
    long_cell += c == 1 ? "\t" + std::string(70000, 'x')
                        : "\tl" + std::to_string(c);
  }
  dir.Write("places.tsv", header + "\r\n" + wide + "\r\n" + long_cell +
                              "\r\np:s\tplace\tShort\t" +
                              std::string(kColumns, '\t') + "\r\n");
  const ParsedAndCached loaded(dir);
  for (const Gazetteer* g : loaded.both()) {
    auto attr = [&](const char* id, const std::string& column) {
      const int32_t e = g->Find(id);
      REQUIRE(e >= 0);
      return std::string(g->Attr(g->entry(e), column));
    };
    for (int c = 0; c < kColumns; ++c) {
      const std::string column = "c" + std::to_string(c);
      CHECK(attr("p:w", column) == "v" + std::to_string(c));
      CHECK(attr("p:l", column) ==
            (c == 1 ? std::string(70000, 'x') : "l" + std::to_string(c)));
      CHECK(attr("p:s", column).empty());
    }
    CHECK(attr("p:w", "c14").empty());
    // Cell(e, i) is Attr by the column's index.
    const Entry& w = g->entry(g->Find("p:w"));
    for (int c = 0; c < kColumns; ++c) {
      CHECK(g->Cell(w, c) == "v" + std::to_string(c));
    }
    CHECK(g->Cell(w, kColumns).empty());
  }
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

// --- The flat trie -------------------------------------------------------

TEST_CASE("Gazetteer: the trie finds every key of a wide and deep index",
          "[gazetteer]") {
  // Sixty places under one first token ("Saint X") exercise the binary
  // search among many children; a 32-token alias is the longest kept.
  std::string places = "id\ttype\tname\taliases\tcountry\n";
  for (int i = 0; i < 60; ++i) {
    places += "p:s" + std::to_string(i) + "\tplace\tSaint Town" +
              std::to_string(i) + "\t\tML\n";
  }
  std::string long_name, too_long;
  for (int i = 0; i < 32; ++i)
    long_name += (i ? " W" : "W") + std::to_string(i);
  too_long = long_name + " W32";
  places += "p:long\tplace\t" + long_name + "\t\tML\n";
  places += "p:toolong\tplace\t" + too_long + "\t\tML\n";
  places += "p:saint\tplace\tSaint\tSt Town0\tML\n";
  TempDir dir;
  dir.Write("places.tsv", places);
  auto g = LoadOk(dir);
  using V = std::vector<std::string>;
  for (int i : {0, 1, 7, 8, 9, 31, 59}) {
    CHECK(MatchIds(*g, "in Saint Town" + std::to_string(i)) ==
          V{"p:s" + std::to_string(i) + "@1+2"});
  }
  CHECK(MatchIds(*g, "in Saint Town60") == V{"p:saint@1+1"});
  CHECK(MatchIds(*g, "St Town0") == V{"p:saint@0+2"});
  CHECK(MatchIds(*g, long_name) == V{"p:long@0+32"});
  // The 33-token name is not indexed; its first 32 tokens are p:long.
  CHECK(MatchIds(*g, too_long) == V{"p:long@0+32"});
  CHECK(g->Find("p:toolong") >= 0);
  // 60 + 1 + 1 names, one alias; the 33-token name is not counted.
  CHECK(g->alias_count() == 63);
}

// Token ids of short keys are memoized per thread (Gazetteer::TokenId). Two
// gazetteers with different vocabularies, used in turn on one thread, must
// each find their own; keys at the memo's size limits (8, 9, 16, 17 bytes)
// and keys that differ only in their last bytes must not be confused.
TEST_CASE("Gazetteer: token ids stay right across gazetteers and key sizes",
          "[gazetteer]") {
  const std::vector<std::string> names = {
      "Abcdefgh", "Abcdefghi", "Abcdefghijklmnop", "Abcdefghijklmnopq",
      "Abcdefghijklmnoq", "Abcdefghx", "Gao"};
  std::string a_places = "id\ttype\tname\taliases\tcountry\n";
  for (size_t i = 0; i < names.size(); ++i) {
    a_places += "a:" + std::to_string(i) + "\tplace\t" + names[i] + "\t\tML\n";
  }
  // B knows only some of the names, after words of its own, so the same
  // key has another token id there, or none.
  std::string b_places = "id\ttype\tname\taliases\tcountry\n";
  b_places += "b:x\tplace\tZinder Tahoua Agadez\t\tNE\n";
  b_places += "b:gao\tplace\tGao\t\tML\n";
  b_places += "b:16\tplace\tAbcdefghijklmnoq\t\tML\n";
  TempDir a_dir, b_dir;
  a_dir.Write("places.tsv", a_places);
  b_dir.Write("places.tsv", b_places);
  auto a = LoadOk(a_dir);
  auto b = LoadOk(b_dir);
  using V = std::vector<std::string>;
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < names.size(); ++i) {
      INFO(names[i]);
      CHECK(MatchIds(*a, names[i]) == V{"a:" + std::to_string(i) + "@0+1"});
    }
    CHECK(MatchIds(*b, "Gao") == V{"b:gao@0+1"});
    CHECK(MatchIds(*b, "Abcdefghijklmnoq") == V{"b:16@0+1"});
    CHECK(MatchIds(*b, "Abcdefghijklmnop").empty());
    CHECK(MatchIds(*b, "Abcdefgh Abcdefghi Abcdefghijklmnopq").empty());
    CHECK(MatchIds(*b, "Zinder Tahoua Agadez") == V{"b:x@0+3"});
    CHECK(MatchIds(*a, "Zinder Tahoua Agadez").empty());
  }
  // 1,500 keys of 16 bytes with the same first eight: with 8,192 memo
  // slots, about 130 pairs share a slot, and only their last eight bytes
  // tell them apart.
  std::string d_places = "id\ttype\tname\taliases\tcountry\n";
  auto suffix = [](int i) {
    std::string out;
    for (int k = 0; k < 8; ++k, i /= 26) out += static_cast<char>('a' + i % 26);
    return out;
  };
  for (int i = 0; i < 1500; ++i) {
    d_places += "d:" + std::to_string(i) + "\tplace\tAbcdefgh" + suffix(i) +
                "\t\tML\n";
  }
  TempDir d_dir;
  d_dir.Write("places.tsv", d_places);
  auto d = LoadOk(d_dir);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 1500; ++i) {
      CHECK(MatchIds(*d, "Abcdefgh" + suffix(i)) ==
            V{"d:" + std::to_string(i) + "@0+1"});
    }
  }
  // A gazetteer loaded after another is destroyed may reuse its address.
  a.reset();
  TempDir c_dir;
  c_dir.Write("places.tsv", "id\ttype\tname\taliases\tcountry\n"
                            "c:tahoua\tplace\tTahoua\t\tNE\n");
  auto c = LoadOk(c_dir);
  CHECK(MatchIds(*c, "Gao Abcdefgh Tahoua") == V{"c:tahoua@2+1"});
}

TEST_CASE("Gazetteer: keys of every short size differing in any one byte",
          "[gazetteer]") {
  // The per-thread memo reads a key of up to 16 bytes with overlapping
  // fixed-size loads, by size class (1-3, 4-8, 9-16). A load that missed a
  // byte would give two keys that differ only there the same memo slot and
  // the same contents, and the second would get the first one's id.
  std::vector<std::string> names;
  for (size_t size = 1; size <= 17; ++size) {
    std::string base = "X" + std::string(size - 1, 'm');
    names.push_back(base);
    for (size_t pos = 0; pos < size; ++pos) {
      std::string variant = base;
      variant[pos] = pos == 0 ? 'Y' : 'q';
      names.push_back(variant);
    }
  }
  std::string places = "id\ttype\tname\taliases\tcountry\n";
  for (size_t i = 0; i < names.size(); ++i) {
    places += "k:" + std::to_string(i) + "\tplace\t" + names[i] + "\t\tML\n";
  }
  TempDir dir;
  dir.Write("places.tsv", places);
  auto g = LoadOk(dir);
  using V = std::vector<std::string>;
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < names.size(); ++i) {
      INFO(names[i]);
      CHECK(MatchIds(*g, names[i]) == V{"k:" + std::to_string(i) + "@0+1"});
    }
  }
  // A key of 18 bytes is in no alias.
  CHECK(MatchIds(*g, "Xmmmmmmmmmmmmmmmmm").empty());
}

TEST_CASE("Gazetteer: one key per entry, the first alias wins", "[gazetteer]") {
  TempDir dir;
  dir.Write("places.tsv",
            "id\ttype\tname\taliases\tcountry\n"
            "p:a\tplace\tTimbuktu\tTIMBUKTU|Tombouctou|Tombouctou\tML\n"
            "p:b\tplace\tTombouctou\t\tML\n");
  auto g = LoadOk(dir);
  using V = std::vector<std::string>;
  CHECK(MatchIds(*g, "in Tombouctou") == V{"p:a@1+1", "p:b@1+1"});
  // "TIMBUKTU" (an acronym-shaped alias) has the same key as the name, so
  // the name's capitalized form is kept: a capitalized word matches.
  CHECK(MatchIds(*g, "in Timbuktu") == V{"p:a@1+1"});
  CHECK(g->alias_count() == 3);
  CHECK(g->files().size() == 1);
  CHECK(g->files()[0].entries == 2);
  CHECK(g->files()[0].aliases == 3);
}

// --- The compiled cache --------------------------------------------------

namespace fs = std::filesystem;

const char kTaxonomy[] =
    "class\tdescription\tacled_event_type\tacled_sub_event_"
    "type\tplover\tcameo\n"
    "acled\tpair\tViolence against civilians\tAttack\t\t\n"
    "attack\tarmed attack\tViolence against civilians\tAttack\tASSAULT\t180\n";
const char kTriggers[] =
    "id\ttype\tname\taliases\tpos\tclass\tacled_event_type\t"
    "acled_sub_event_type\tplover\tcameo\n"
    "event:attack\tevent\tattack\tattacked|attacks\tverb\tattack\t"
    "Violence against civilians\tAttack\tASSAULT\t180\n";
const char kWords[] =
    "id\ttype\tname\taliases\tclass\tvalue\n"
    "word:three\tword\tthree\t\tnumber\t3\n"
    "word:dozens\tword\tdozens\t\tvague_quantity\t\n";
const char kMissionGroups[] =
    "id\ttype\tname\taliases\tkind\tcountry\taffiliation\n"
    "group:un\tgroup\tUnited Nations\tUN\tintergovernmental\t\t\n"
    "group:minusma\tgroup\tMINUSMA\t\tmission\tML\tgroup:un\n"
    "group:military_ml\tgroup\tMalian Armed Forces\tFAMa\tmilitary\tML\t\n";

// Sets every file's modification time an hour back, so that the cache does
// not consider them too recent to trust (see CacheOutcome::kNotWritten).
void AgeFiles(const TempDir& dir, int minutes = 60) {
  for (const auto& de : fs::directory_iterator(dir.path())) {
    fs::last_write_time(de.path(), fs::file_time_type::clock::now() -
                                       std::chrono::minutes(minutes));
  }
}

void WriteTestGazetteer(const TempDir& dir) {
  dir.Write("places.tsv", kPlaces);
  dir.Write("countries.tsv", kCountries);
  dir.Write("groups.tsv", kMissionGroups);
  dir.Write("taxonomy.tsv", kTaxonomy);
  dir.Write("event_triggers.tsv", kTriggers);
  dir.Write("words.tsv", kWords);
  dir.Write("abbreviations.txt", "Gen.\nMr.\n");
  dir.Write("boilerplate.txt", "Advertisement\n");
  AgeFiles(dir);
}

// Everything observable about a gazetteer, as text.
std::string Describe(const Gazetteer& g) {
  std::ostringstream out;
  out << "size " << g.size() << " aliases " << g.alias_count() << "\n";
  for (const GazetteerFile& f : g.files()) {
    out << f.name << " " << f.entries << " " << f.aliases << ":";
    for (const std::string& c : f.columns) out << " " << c;
    out << "\n";
  }
  for (uint32_t i = 0; i < g.size(); ++i) {
    const Entry& e = g.entry(i);
    out << e.id << "|" << ToString(e.type) << "|" << e.name << "|"
        << g.Source(e) << "|" << e.word_features << "|" << e.number << "|"
        << g.Find(e.id);
    for (const std::string& c : g.files()[e.file].columns) {
      out << "|" << c << "=" << g.Attr(e, c);
    }
    out << "\n";
  }
  for (const char* text :
       {"in Cote d'Ivoire", "Tonka", "the UN said", "MINUSMA in Mali",
        "Malian army", "FAMa attacked three villages", "dozens attacks",
        "Say Niger Burkinabe"}) {
    for (const std::string& m : MatchIds(g, text)) out << m << " ";
    out << "\n";
  }
  std::vector<std::string> abbr(g.abbreviations().begin(),
                                g.abbreviations().end());
  std::sort(abbr.begin(), abbr.end());
  for (const std::string& a : abbr) out << "abbr " << a << "\n";
  for (const std::string& b : g.boilerplate()) out << "boiler " << b << "\n";
  out << g.FindCountry("ML") << " " << g.FindGroup("military", "ML") << " "
      << g.FindMission(static_cast<uint32_t>(g.Find("group:un")), "ML") << " "
      << (g.FindEventClass("attack") ? g.FindEventClass("attack")->plover : "-")
      << " " << g.Find("nope") << "\n";
  return out.str();
}

TEST_CASE("GazetteerCache: a round trip gives the same gazetteer",
          "[gazetteer][cache]") {
  TempDir dir, cache;
  WriteTestGazetteer(dir);
  auto parsed = LoadOk(dir);
  const std::string path = CachePath(cache.path(), dir.path());
  REQUIRE(WriteGazetteerCache(path, dir.path(), *parsed).ok());
  auto cached = ReadGazetteerCache(path, dir.path());
  INFO((cached.ok() ? "" : cached.status().ToString()));
  REQUIRE(cached.ok());
  CHECK(Describe(**cached) == Describe(*parsed));
  CHECK((*cached)->image() == parsed->image());
  CHECK_THAT(Describe(*parsed),
             Catch::Contains("p:tonka|place|Tonka|") &&
                 Catch::Contains("|lat=16.1|") &&
                 Catch::Contains("word:three|word|three|") &&
                 Catch::Contains("group:military_ml@0+1"));

  SECTION("through LoadGazetteerCached") {
    TempDir cache2;
    CacheOutcome outcome;
    auto first = LoadGazetteerCached(dir.path(), cache2.path(), &outcome);
    REQUIRE(first.ok());
    CHECK(outcome == CacheOutcome::kWritten);
    auto second = LoadGazetteerCached(dir.path(), cache2.path(), &outcome);
    REQUIRE(second.ok());
    CHECK(outcome == CacheOutcome::kHit);
    CHECK(Describe(**second) == Describe(*parsed));
  }
  SECTION("the parsed image is deterministic") {
    auto again = LoadOk(dir);
    CHECK(again->image() == parsed->image());
  }
}

TEST_CASE("GazetteerCache: a changed source file invalidates the cache",
          "[gazetteer][cache]") {
  TempDir dir, cache;
  WriteTestGazetteer(dir);
  CacheOutcome outcome;
  REQUIRE(LoadGazetteerCached(dir.path(), cache.path(), &outcome).ok());
  REQUIRE(outcome == CacheOutcome::kWritten);
  const std::string path = CachePath(cache.path(), dir.path());

  SECTION("same size, new modification time") {
    std::string places = kPlaces;
    const size_t at = places.find("Tonka\tTɔnka");
    places.replace(at, 5, "Tanka");
    dir.Write("places.tsv", places);
    AgeFiles(dir, 30);
    CHECK_FALSE(ReadGazetteerCache(path, dir.path()).ok());
    auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
    REQUIRE(g.ok());
    CHECK(outcome == CacheOutcome::kWritten);
    CHECK(MatchIds(**g, "in Tanka") == std::vector<std::string>{"p:tonka@1+1"});
    REQUIRE(LoadGazetteerCached(dir.path(), cache.path(), &outcome).ok());
    CHECK(outcome == CacheOutcome::kHit);
  }
  SECTION("a new file") {
    dir.Write("people.tsv",
              "id\ttype\tname\taliases\tcountry\n"
              "person:x\tperson\tAssimi Goita\tGoita\tML\n");
    AgeFiles(dir);
    auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
    REQUIRE(g.ok());
    CHECK(outcome == CacheOutcome::kWritten);
    CHECK((*g)->Find("person:x") >= 0);
  }
  SECTION("a removed file") {
    fs::remove(fs::path(dir.path()) / "words.tsv");
    auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
    REQUIRE(g.ok());
    CHECK(outcome == CacheOutcome::kWritten);
    CHECK((*g)->Find("word:three") == -1);
  }
  SECTION("a file changed a moment ago is not cached yet") {
    dir.Write("boilerplate.txt", "Advertisement\nTags\n");
    auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
    REQUIRE(g.ok());
    CHECK(outcome == CacheOutcome::kNotWritten);
    CHECK((*g)->boilerplate().count("tags") == 1);
  }
  SECTION("a broken file is reported, not hidden by the cache") {
    dir.Write("places.tsv", std::string(kPlaces) + "p:x\tplace\tX\n");
    AgeFiles(dir);
    auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
    REQUIRE_FALSE(g.ok());
    CHECK(outcome == CacheOutcome::kFailed);
    CHECK_THAT(g.status().message(), Catch::Contains("places.tsv:7:"));
  }
}

TEST_CASE("GazetteerCache: a damaged cache falls back to parsing",
          "[gazetteer][cache]") {
  TempDir dir, cache;
  WriteTestGazetteer(dir);
  auto parsed = LoadOk(dir);
  const std::string expected = Describe(*parsed);
  const std::string path = CachePath(cache.path(), dir.path());
  REQUIRE(WriteGazetteerCache(path, dir.path(), *parsed).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(bytes.size() > 1000);
  auto damage = [&](const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  };
  struct Case {
    const char* what;
    std::string content;
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  std::string flipped_key = bytes;
  flipped_key[45] ^= 0x01;
  const std::vector<Case> cases = {
      {"a flipped bit in the image", flipped},
      {"a flipped bit in the key", flipped_key},
      {"truncated", bytes.substr(0, bytes.size() - 8)},
      {"truncated header", bytes.substr(0, 20)},
      {"empty", ""},
      {"longer", bytes + "extra"},
      {"not a cache", std::string(4096, 'x')},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      damage(c.content);
      CHECK_FALSE(ReadGazetteerCache(path, dir.path()).ok());
      CacheOutcome outcome;
      auto g = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
      REQUIRE(g.ok());
      CHECK(outcome == CacheOutcome::kWritten);
      CHECK(Describe(**g) == expected);
      auto again = LoadGazetteerCached(dir.path(), cache.path(), &outcome);
      REQUIRE(again.ok());
      CHECK(outcome == CacheOutcome::kHit);
    }
  }
  SECTION("an unwritable cache directory") {
    const std::string file = dir.Write("not_a_dir", "x");
    CacheOutcome outcome;
    auto g = LoadGazetteerCached(dir.path(), file + "/sub", &outcome);
    REQUIRE(g.ok());
    CHECK(outcome == CacheOutcome::kNotWritten);
    CHECK(Describe(**g) == expected);
  }
}

TEST_CASE("GazetteerCache: writing a cache removes the caches of "
          "gazetteer directories and executables that are gone, and dead "
          "writers' files",
          "[gazetteer][cache]") {
  TempDir cache, kept, root;
  WriteTestGazetteer(kept);
  // Two checkouts that will go away: one removed, one whose parent
  // directory is replaced by a file.
  const std::string gone = root.path() + "/old-checkout/gazetteers";
  const std::string replaced = root.path() + "/replaced/gazetteers";
  for (const std::string& d : {gone, replaced}) {
    fs::create_directories(d);
    for (const auto& de : fs::directory_iterator(kept.path())) {
      const fs::path copy = fs::path(d) / de.path().filename();
      fs::copy_file(de.path(), copy);
      // Old enough to be cached (see CacheOutcome::kNotWritten).
      fs::last_write_time(copy, fs::last_write_time(de.path()));
    }
  }
  CacheOutcome outcome;
  for (const std::string& d : {kept.path(), gone, replaced}) {
    REQUIRE(LoadGazetteerCached(d, cache.path(), &outcome).ok());
    REQUIRE(outcome == CacheOutcome::kWritten);
  }
  const std::string kept_cache = CachePath(cache.path(), kept.path());
  const std::string gone_cache = CachePath(cache.path(), gone);
  const std::string replaced_cache = CachePath(cache.path(), replaced);
  // Files that are not caches of a known directory are left alone: another
  // program's file, a damaged cache, and a good cache under a name its
  // directory does not give (so its key cannot be trusted to name it).
  const std::string other = cache.Write("notes.txt", "mine");
  const std::string damaged =
      cache.Write("gazetteers-0123456789abcdef.bin", "not a cache");
  const std::string renamed = cache.Path("gazetteers-fedcba9876543210.bin");
  fs::copy_file(gone_cache, renamed);
  // Caches of the kept directory written by other executables: one that
  // still exists (kept) and one that is gone (removed). Pruning reads only
  // the header and the key, so each is the kept cache's header and key with
  // another "exe_path" line.
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  auto from_exe = [&](const std::string& exe) {
    std::ifstream in(kept_cache, std::ios::binary);
    std::string header(40, '\0');
    in.read(header.data(), 40);
    uint64_t key_size;  // the header's third field, after magic[8],
                        // format (4), header_size (2), checksum_kind (2)
    std::memcpy(&key_size, header.data() + 16, 8);
    std::string key(key_size, '\0');
    in.read(key.data(), static_cast<std::streamsize>(key_size));
    const std::string line = "\nexe_path " + self + "\n";
    const size_t at = key.find(line);
    REQUIRE(at != std::string::npos);
    key.replace(at, line.size(), "\nexe_path " + exe + "\n");
    key_size = key.size();
    std::memcpy(header.data() + 16, &key_size, 8);
    const std::string path = CachePath(cache.path(), kept.path(), exe);
    std::ofstream(path, std::ios::binary) << header << key;
    return path;
  };
  const std::string live_exe_cache = from_exe(root.Write("live-extract", "x"));
  const std::string gone_exe_cache = from_exe(root.Path("gone-extract"));
  // Temporary files of writers that were killed: an hour old (this cache's
  // and another's), and one that may still be being written.
  const std::string dead_tmp = cache.Write(
      fs::path(kept_cache).filename().string() + ".tmp-AbC123", "partial");
  const std::string other_dead_tmp =
      cache.Write("gazetteers-00000000000000ff.bin.tmp-xyz789", "partial");
  const std::string young_tmp =
      cache.Write("gazetteers-00000000000000ff.bin.tmp-young1", "partial");
  const std::string not_tmp = cache.Write("notes.txt.tmp-AbC123", "mine");
  for (const std::string& f : {dead_tmp, other_dead_tmp, not_tmp}) {
    fs::last_write_time(f, fs::file_time_type::clock::now() -
                               std::chrono::minutes(61));
  }

  fs::remove_all(root.path() + "/old-checkout");
  fs::remove_all(root.path() + "/replaced");
  root.Write("replaced", "now a file");
  // Nothing is removed until a cache is written.
  REQUIRE(LoadGazetteerCached(kept.path(), cache.path(), &outcome).ok());
  CHECK(outcome == CacheOutcome::kHit);
  CHECK(fs::exists(gone_cache));

  kept.Write("boilerplate.txt", "Advertisement\n");
  AgeFiles(kept);
  REQUIRE(LoadGazetteerCached(kept.path(), cache.path(), &outcome).ok());
  CHECK(outcome == CacheOutcome::kWritten);
  CHECK(fs::exists(kept_cache));
  CHECK_FALSE(fs::exists(gone_cache));
  CHECK_FALSE(fs::exists(replaced_cache));
  CHECK(fs::exists(other));
  CHECK(fs::exists(damaged));
  CHECK(fs::exists(renamed));
  CHECK(fs::exists(live_exe_cache));
  CHECK_FALSE(fs::exists(gone_exe_cache));
  CHECK_FALSE(fs::exists(dead_tmp));
  CHECK_FALSE(fs::exists(other_dead_tmp));
  CHECK(fs::exists(young_tmp));
  CHECK(fs::exists(not_tmp));
}

TEST_CASE("GazetteerCache: damaged images never crash FromImage",
          "[gazetteer][cache]") {
  // Without the checksum, every byte of an image may be wrong; the image's
  // own checks must still keep every access in bounds.
  TempDir dir;
  WriteTestGazetteer(dir);
  auto parsed = LoadOk(dir);
  const std::string_view image = parsed->image();
  std::mt19937 rng(12345);
  int accepted = 0;
  for (int round = 0; round < 400; ++round) {
    auto copy = std::make_shared<std::vector<uint64_t>>(image.size() / 8);
    std::memcpy(copy->data(), image.data(), image.size());
    char* bytes = reinterpret_cast<char*>(copy->data());
    // Damage the header and section table half of the time: that is where
    // a wrong byte hurts most.
    const size_t span =
        round % 2 ? image.size() : std::min<size_t>(image.size(), 256);
    for (int k = 0; k < 1 + round % 4; ++k) {
      bytes[rng() % span] ^= static_cast<char>(1u << (rng() % 8));
    }
    auto g = Gazetteer::FromImage(
        copy, std::string_view(bytes, image.size()), dir.path());
    if (!g.ok()) continue;
    ++accepted;
    (void)Describe(**g);  // must not crash (run under ASan to see)
  }
  CHECK(accepted > 0);
  SECTION("a misaligned or short image") {
    auto copy = std::make_shared<std::vector<uint64_t>>(image.size() / 8 + 1);
    char* bytes = reinterpret_cast<char*>(copy->data());
    std::memcpy(bytes + 1, image.data(), image.size());
    CHECK_FALSE(Gazetteer::FromImage(
                    copy, std::string_view(bytes + 1, image.size()), dir.path())
                    .ok());
    CHECK_FALSE(
        Gazetteer::FromImage(copy, std::string_view(bytes, 16), dir.path())
            .ok());
  }
}

TEST_CASE("GazetteerCache: the cache location", "[gazetteer][cache]") {
  const std::string a = CachePath("/c", "/data/gazetteers");
  CHECK_THAT(a, Catch::StartsWith("/c/gazetteers-") && Catch::EndsWith(".bin"));
  CHECK(a != CachePath("/c", "/other/gazetteers"));
  CHECK(a == CachePath("/c", "/data/gazetteers/"));
  // Each executable has its own: this one's by default.
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  CHECK(a == CachePath("/c", "/data/gazetteers", self));
  CHECK(CachePath("/c", "/d", "/bin/a") != CachePath("/c", "/d", "/bin/b"));
  CHECK(CachePath("/c", "/d", "/bin/a") != CachePath("/c", "/d", ""));
  // Restores an environment variable when it goes out of scope.
  struct SavedEnv {
    explicit SavedEnv(const char* name) : name_(name) {
      if (const char* v = std::getenv(name)) value_ = v, set_ = true;
    }
    ~SavedEnv() {
      if (set_) {
        ::setenv(name_, value_.c_str(), 1);
      } else {
        ::unsetenv(name_);
      }
    }
    const char* name_;
    std::string value_;
    bool set_ = false;
  };
  SavedEnv e1("EXTRACT_CACHE_DIR"), e2("XDG_CACHE_HOME"), e3("HOME");
  ::setenv("EXTRACT_CACHE_DIR", "/tmp/x-cache", 1);
  ::setenv("XDG_CACHE_HOME", "/tmp/xdg", 1);
  ::setenv("HOME", "/home/someone", 1);
  CHECK(DefaultCacheDir() == "/tmp/x-cache");
  ::unsetenv("EXTRACT_CACHE_DIR");
  CHECK(DefaultCacheDir() == "/tmp/xdg/extract");
  ::unsetenv("XDG_CACHE_HOME");
  CHECK(DefaultCacheDir() == "/home/someone/.cache/extract");
  ::unsetenv("HOME");
  CHECK(DefaultCacheDir().empty());
}

TEST_CASE("GazetteerCache: the pipeline's output is the same with and "
          "without the cache",
          "[gazetteer][cache]") {
  TempDir cache;
  std::string text;
  {
    std::ifstream in(std::string(EXTRACT_SAMPLES_DIR) +
                     "/mali-tiktok-influencer.txt");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto run = [&](bool use_cache) {
    PipelineOptions options;
    options.gazetteer_dir = EXTRACT_GAZETTEERS_DIR;
    options.use_cache = use_cache;
    options.cache_dir = cache.path();
    auto p = Pipeline::Load(options);
    REQUIRE(p.ok());
    Document doc;
    doc.id = "sample";
    doc.text = text;
    return ToJson((*p)->Process(doc), JsonStyle::kLine);
  };
  const std::string parsed = run(false);
  CHECK(fs::is_empty(cache.path()));
  const std::string first = run(true);   // writes the cache (if the files
  const std::string second = run(true);  // are older than 2 s), then reads it
  CHECK(first == parsed);
  CHECK(second == parsed);
}

TEST_CASE("Gazetteer: entries are built safely from several threads",
          "[gazetteer]") {
  // Entries are materialized a chunk at a time on first use; threads that
  // race for the same chunks must all see complete entries.
  std::string places = "id\ttype\tname\taliases\tcountry\tlat\tlon\n";
  for (int i = 0; i < 3000; ++i) {
    places += "p:" + std::to_string(i) + "\tplace\tTown" + std::to_string(i) +
              "\t\tML\t" + std::to_string(i % 90) + "\t1\n";
  }
  TempDir dir;
  dir.Write("places.tsv", places);
  auto parsed = LoadOk(dir);
  auto copy =
      std::make_shared<std::vector<uint64_t>>(parsed->image().size() / 8);
  std::memcpy(copy->data(), parsed->image().data(), parsed->image().size());
  auto g = Gazetteer::FromImage(
      copy,
      std::string_view(reinterpret_cast<const char*>(copy->data()),
                       parsed->image().size()),
      dir.path());
  REQUIRE(g.ok());
  const Gazetteer& gaz = **g;
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::string out;
      for (uint32_t k = 0; k < gaz.size(); ++k) {
        // Each thread walks the entries in another order.
        const uint32_t i = (k * (2 * t + 1) + 977 * t) % gaz.size();
        const Entry& e = gaz.entry(i);
        out += std::string(e.id) + "=" + std::string(e.name) + "@" +
               std::string(gaz.Attr(e, "lat")) + ";";
      }
      seen[t] = std::move(out);
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    size_t n = 0;
    for (char c : seen[t]) n += c == ';';
    CHECK(n == 3000);
  }
  CHECK_THAT(seen[0], Catch::StartsWith("p:0=Town0@0;p:1=Town1@1;"));
  CHECK(gaz.entry(2999).name == "Town2999");
  CHECK(gaz.Attr(gaz.entry(2999), "lat") == "29");
}

// --- extract check --------------------------------------------------------

std::vector<std::string> CheckProblems(const TempDir& dir, bool errors) {
  std::vector<Problem> problems;
  auto g = Gazetteer::LoadForCheck(dir.path(), &problems);
  std::vector<std::string> out;
  for (const Problem& p : problems) {
    if (p.error == errors) out.push_back(p.ToString());
  }
  return out;
}

TEST_CASE("Gazetteer: check reports aliases shared by entity types",
          "[gazetteer][check]") {
  TempDir dir;
  dir.Write("places.tsv",
            "id\ttype\tname\taliases\tcountry\n"
            "p:duma\tplace\tDouma\tDuma\tSY\n"
            "p:obama\tplace\tObama\t\tJP\n"
            "p:un\tplace\tUn\t\tXX\n");
  dir.Write("groups.tsv",
            "id\ttype\tname\taliases\tkind\n"
            "group:duma\tgroup\tState Duma\tDuma\tgovernment\n"
            "group:un\tgroup\tUnited Nations\tUN\tintergovernmental\n");
  dir.Write("people.tsv",
            "id\ttype\tname\taliases\n"
            "person:obama\tperson\tBarack Obama\tObama\n");
  dir.Write("first_names.tsv",
            "id\ttype\tname\taliases\n"
            "first:chad\tfirst_name\tChad\t\n"
            "first:obama\tfirst_name\tObama\t\n");
  using V = std::vector<std::string>;
  SECTION("without ambiguous.tsv: warnings at the first entry") {
    const V w = CheckProblems(dir, false);
    REQUIRE(w.size() == 2);
    CHECK_THAT(w[0], Catch::Contains("/groups.tsv:2: warning: alias 'duma' "
                                         "names entries of different types: "
                                         "place p:duma (places.tsv:2), group "
                                         "group:duma (groups.tsv:2)"));
    CHECK_THAT(w[1], Catch::Contains("/people.tsv:2: warning: alias 'obama'"));
    CHECK(CheckProblems(dir, true).empty());
  }
  SECTION("ambiguous.tsv decides") {
    dir.Write("ambiguous.tsv",
              "# decided\n"
              "alias\ttypes\tdecision\tnote\n"
              "Duma\tplace|group\tcontext\tDouma, Syria vs. the State Duma\n"
              "Obama\tplace|person\tperson\tObama, Japan\n"
              "Chad\tplace|person\tperson\tnot a conflict any more\n");
    CHECK(CheckProblems(dir, true).empty());
    const V w = CheckProblems(dir, false);
    REQUIRE(w.size() == 1);
    CHECK_THAT(w[0],
               Catch::Contains("/ambiguous.tsv:5: warning: alias 'chad' "
                               "does not name entries of different types"));
  }
  SECTION("ambiguous.tsv lists fewer types than the gazetteers give") {
    dir.Write("ambiguous.tsv",
              "alias\ttypes\tdecision\tnote\n"
              "Duma\tgroup|person\tgroup\twrong types\n");
    const V w = CheckProblems(dir, false);
    CHECK_THAT(w[0],
               Catch::Contains("/ambiguous.tsv:2: warning: alias 'duma' "
                               "lists group|person but names a place|group"));
  }
  SECTION("malformed lines of ambiguous.tsv are errors") {
    dir.Write("ambiguous.tsv",
              "alias\ttypes\tdecision\tnote\n"
              "Duma\tplace|village\tcontext\tx\n"
              "Obama\tplace|person\tgroup\tx\n"
              "Obama\tplace|person\tperson\tx\n"
              "Obama\tplace|person\tperson\tx\n"
              "Un\tplace\tplace\tx\n"
              "Un\tplace|group\tplace\n");
    const V e = CheckProblems(dir, true);
    REQUIRE(e.size() == 5);
    CHECK_THAT(e[0],
               Catch::Contains("ambiguous.tsv:2: unknown type 'village'"));
    CHECK_THAT(e[1],
               Catch::Contains("ambiguous.tsv:3: decision 'group' must be"));
    CHECK_THAT(e[2],
               Catch::Contains("ambiguous.tsv:5: alias 'Obama' is already "
                               "listed at line 4"));
    CHECK_THAT(
        e[3], Catch::Contains("ambiguous.tsv:6: types must name at least two"));
    CHECK_THAT(e[4],
               Catch::Contains("ambiguous.tsv:7: expected 4 tab-separated"));
  }
}

TEST_CASE("Gazetteer: check reports aliases not in normalized form",
          "[gazetteer][check]") {
  struct Row {
    const char* what;
    std::string line;
    std::string expected;
    bool error;
  };
  const std::string header = "id\ttype\tname\taliases\n";
  const std::vector<Row> rows = {
      {"double space in a name", "p:a\tplace\tSan  Luis\t\n",
       "places.tsv:2: warning: name 'San  Luis' contains a double space",
       false},
      {"double space in an alias", "p:a\tplace\tA\tB  C\n",
       "places.tsv:2: warning: alias 'B  C' contains a double space", false},
      {"not NFC", "p:a\tplace\tSe\xcc\x81gou\t\n",
       "places.tsv:2: warning: name 'Se\xcc\x81gou' is not in Unicode NFC",
       false},
      {"a control character", "p:a\tplace\tA\tB\x01\n",
       "places.tsv:2: alias 'B\x01' contains a control character", true},
      {"a C1 control character", "p:a\tplace\tA\xc2\x85\t\n",
       "places.tsv:2: name 'A\xc2\x85' contains a control character", true},
      {"invalid UTF-8", "p:a\tplace\tA\xc3\t\n",
       "places.tsv:2: name 'A\xc3' is not valid UTF-8", true},
  };
  for (const Row& row : rows) {
    SECTION(row.what) {
      TempDir dir;
      dir.Write("places.tsv", header + row.line);
      const auto found = CheckProblems(dir, row.error);
      REQUIRE(found.size() == 1);
      CHECK_THAT(found[0], Catch::Contains(row.expected));
      // Load does not run these checks.
      CHECK(Gazetteer::Load(dir.path(), nullptr).ok());
    }
  }
}

TEST_CASE("Gazetteer: PLOVER and CAMEO codes are checked",
          "[gazetteer][errors]") {
  TempDir dir;
  dir.Write("taxonomy.tsv", std::string(kTaxonomy) +
                                "protest\tprotest\t\t\tPROTESTS\t14x\n");
  dir.Write("event_triggers.tsv",
            std::string(kTriggers) +
                "event:riot\tevent\triot\t\tverb\tattack\t\t\tRIOT\t14501\n");
  std::vector<Problem> problems;
  auto g = Gazetteer::Load(dir.path(), &problems);
  REQUIRE_FALSE(g.ok());
  REQUIRE(problems.size() == 4);
  CHECK_THAT(
      problems[0].ToString(),
      Catch::Contains("taxonomy.tsv:4: unknown PLOVER category 'PROTESTS'"));
  CHECK_THAT(
      problems[1].ToString(),
      Catch::Contains("taxonomy.tsv:4: CAMEO code '14x' is not 2 to 4 digits"));
  CHECK_THAT(
      problems[2].ToString(),
      Catch::Contains("event_triggers.tsv:3: unknown PLOVER category 'RIOT'"));
  CHECK_THAT(problems[3].ToString(),
             Catch::Contains("event_triggers.tsv:3: CAMEO code '14501'"));
}

TEST_CASE("Pipeline: check returns warnings apart and counts per file",
          "[gazetteer][check]") {
  TempDir dir;
  dir.Write("places.tsv",
            "id\ttype\tname\taliases\tcountry\n"
            "p:duma\tplace\tDouma\tDuma\tSY\n"
            "p:x\tplace\tSan  Luis\t\tSY\n");
  dir.Write("countries.tsv",
            "id\ttype\tname\taliases\tiso2\tdemonyms\n"
            "country:SY\tplace\tSyria\t\tSY\tSyrian\n");
  dir.Write("groups.tsv",
            "id\ttype\tname\taliases\tkind\n"
            "group:duma\tgroup\tState Duma\tDuma\tgovernment\n");
  dir.Write("rules/empty.rules", "# no rules\n");
  PipelineOptions options;
  options.gazetteer_dir = dir.path();
  std::vector<std::string> errors, warnings;
  GazetteerStats stats;
  CHECK(Pipeline::Check(options, &errors, &stats, &warnings) == 0);
  CHECK(errors.empty());
  REQUIRE(warnings.size() == 2);
  CHECK_THAT(warnings[0], Catch::Contains("/places.tsv:3: warning: name"));
  CHECK_THAT(warnings[1],
             Catch::Contains("/groups.tsv:2: warning: alias 'duma'"));
  REQUIRE(stats.files.size() == 3);
  CHECK(stats.files[0].name == "countries.tsv");
  CHECK(stats.files[0].entries == 1);
  CHECK(stats.files[0].aliases == 2);  // Syria, Syrian
  CHECK(stats.files[2].name == "places.tsv");
  CHECK(stats.files[2].entries == 2);
  CHECK(stats.files[2].aliases == 3);
  CHECK(stats.aliases == 7);
  CHECK(stats.entries_by_type[0] == std::pair<std::string, size_t>{"place", 3});
  CHECK(stats.aliases_by_type[0] == std::pair<std::string, size_t>{"place", 5});
  CHECK(stats.aliases_by_type[1] == std::pair<std::string, size_t>{"group", 2});
  // Without a warnings list, warnings go with the errors, marked.
  std::vector<std::string> all;
  CHECK(Pipeline::Check(options, &all, nullptr) == 0);
  CHECK(all.size() == 2);
}

}  // namespace
}  // namespace extract
