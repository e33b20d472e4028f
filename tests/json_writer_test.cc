// Tests for stage 7 (write): the JSON layout, span offsets in bytes and code
// points, null handling, output styles, the sink, and that the output
// validates against docs/extract.schema.json.
#include "extract/json_writer.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace extract {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

#ifndef EXTRACT_SOURCE_DIR
#error "EXTRACT_SOURCE_DIR must name the source tree"
#endif

// Byte offsets of pieces of kText, checked in the "spans" test below.
//   "Mariam Cissé" [0, 13)   "Cissé" [7, 13)   "Tonka" [34, 39)
constexpr char kText[] =
    "Mariam Cissé a été enlevée à Tonka le 3 mai 2024.\n"
    "Les ravisseurs exigent 5 millions de francs CFA. Cissé est libre.\n";

// Returns [begin, end) of the n-th occurrence (from 0) of `needle`.
Span Find(std::string_view text, std::string_view needle, int n = 0) {
  size_t at = text.find(needle);
  while (n-- > 0) at = text.find(needle, at + 1);
  REQUIRE(at != std::string_view::npos);
  return Span{static_cast<uint32_t>(at),
              static_cast<uint32_t>(at + needle.size())};
}

// Code points in text[0, byte), counted independently of the writer.
uint32_t CodePoints(std::string_view text, uint32_t byte) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < byte; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Mention MakeMention(std::string_view text, std::string_view needle, int n,
                    uint32_t sentence, EntityType type, MentionRole role,
                    std::string source) {
  Mention m;
  m.span = Find(text, needle, n);
  m.sentence = sentence;
  m.type = type;
  m.role = role;
  m.source = std::move(source);
  return m;
}

// A small hand-built result with two entities, an event and a date.
DocumentResult SampleResult() {
  DocumentResult r;
  r.id = "samples/tonka.txt";
  r.path = "samples/tonka.txt";
  r.title = "";
  r.date = "2024-05-04";
  r.text = kText;
  const std::string_view text = r.text;
  const uint32_t first_end = static_cast<uint32_t>(text.find('\n') + 1);
  r.sentences = {Span{0, first_end},
                 Span{first_end, static_cast<uint32_t>(text.find("Cissé est"))},
                 Find(text, "Cissé est libre.")};
  r.skipped = {SkippedSpan{Span{static_cast<uint32_t>(text.size() - 1),
                                static_cast<uint32_t>(text.size())},
                           "trailing_newline"}};
  r.mentions = {
      MakeMention(text, "Mariam Cissé", 0, 0, EntityType::kPerson,
                  MentionRole::kName, "gazetteers/people.tsv:12"),
      MakeMention(text, "Tonka", 0, 0, EntityType::kPlace, MentionRole::kName,
                  "gazetteers/places.tsv:40"),
      MakeMention(text, "Cissé", 1, 2, EntityType::kPerson,
                  MentionRole::kShortName, "entity.short_name"),
  };
  Entity person;
  person.id = "e1";
  person.type = EntityType::kPerson;
  person.name = "Mariam Cissé";
  person.mentions = {0, 2};
  Entity place;
  place.id = "e2";
  place.type = EntityType::kPlace;
  place.name = "Tonka";
  place.canonical = Canonical{"geonames:2449018",
                              "gazetteers/places.tsv:40",
                              {{"country", "ML", false},
                               {"latitude", "16.9947", true},
                               {"population", "8400", true}}};
  place.mentions = {1};
  r.entities = {person, place};

  DateExpr date;
  date.span = Find(text, "3 mai 2024");
  date.value = "2024-05-03";
  date.relation = "on";
  date.source = "date.day_month_year";
  date.sentence = 0;
  r.dates = {date};

  Event event;
  event.id = "v1";
  event.type = "abduction";
  event.acled_event_type = "Violence against civilians";
  event.acled_sub_event_type = "Abduction/forced disappearance";
  event.plover = "";
  event.cameo = "181";
  event.trigger = Find(text, "enlevée");
  event.sentence = 0;
  event.targets = {0};
  event.places = {1};
  event.date = date;
  event.hostages = 1;
  event.ransom = Amount{Find(text, "5 millions de francs CFA"), 5e6, "XOF"};
  event.negated = false;
  event.modality = "asserted";
  event.voice = "passive";
  event.source = "event.passive";
  event.trigger_source = "gazetteers/events.tsv:7";
  r.events = {event};
  return r;
}

// SampleResult with its event made an incident of two mentions ("enlevée",
// then "ravisseurs"), a number, an attribution and the report's date.
DocumentResult IncidentResult() {
  DocumentResult r = SampleResult();
  Event& event = r.events[0];
  EventMention first;
  first.type = "abduction";
  first.acled_event_type = event.acled_event_type;
  first.acled_sub_event_type = event.acled_sub_event_type;
  first.trigger = event.trigger;
  first.sentence = 0;
  first.trigger_source = "gazetteers/events.tsv:7";
  first.source = "event.passive";
  first.status = "asserted";
  EventMention second;
  second.type = "kidnap_demand";
  second.trigger = Find(r.text, "ravisseurs");
  second.sentence = 1;
  second.trigger_source = "gazetteers/events.tsv:9";
  second.source = "event.nominal";
  second.status = "claimed";
  event.mentions = {first, second};
  event.status = "claimed";
  event.injured = 2;
  event.numbers = {EventNumber{"hostages", 1, Find(r.text, "Cissé", 1), 2},
                   EventNumber{"injured", 2, Find(r.text, "5 millions"), 1}};
  event.attribution = Attribution{0, Find(r.text, "Les ravisseurs")};
  event.evidence = {0, 1};
  event.passes = {"seed", "merge_coreferent"};
  // The document's date: the span means nothing (here it is past the text)
  // and is written as null, without an error.
  event.date->span = Span{5000, 5010};
  event.date->value = "2024-05-04";
  event.date->relation = "on";
  event.date->source = "document.date";
  event.date_precision = "report";
  event.date_from = "report";
  return r;
}

// Checks that a parsed span is {text, start, end, char_start, char_end} and
// agrees with `text`.
void CheckSpan(const json& span, std::string_view text) {
  INFO("span: " << span.dump());
  const uint32_t start = span.at("start").get<uint32_t>();
  const uint32_t end = span.at("end").get<uint32_t>();
  REQUIRE(start <= end);
  REQUIRE(end <= text.size());
  CHECK(span.at("text").get<std::string>() == text.substr(start, end - start));
  CHECK(span.at("char_start").get<uint32_t>() == CodePoints(text, start));
  CHECK(span.at("char_end").get<uint32_t>() == CodePoints(text, end));
}

std::vector<std::string> Keys(const ordered_json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) {
    keys.push_back(it.key());
  }
  return keys;
}

using Strings = std::vector<std::string>;

TEST_CASE("JsonWriter: spans carry byte and code-point offsets", "[write]") {
  const DocumentResult r = SampleResult();
  const json out = json::parse(ToJson(r, JsonStyle::kPretty));

  // "Mariam Cissé": 12 code points, 13 bytes.
  const json& first = out["entities"][0]["mentions"][0];
  CHECK(first["text"] == "Mariam Cissé");
  CHECK(first["start"] == 0);
  CHECK(first["end"] == 13);
  CHECK(first["char_start"] == 0);
  CHECK(first["char_end"] == 12);

  // "Tonka" follows five two-byte characters (é in "Cissé", "été" and
  // "enlevée", and "à"): five more bytes than code points.
  const json& tonka = out["entities"][1]["mentions"][0];
  CHECK(tonka["text"] == "Tonka");
  CHECK(tonka["start"] == 34);
  CHECK(tonka["end"] == 39);
  CHECK(tonka["char_start"] == 29);
  CHECK(tonka["char_end"] == 34);

  for (const json& s : out["sentences"]) CheckSpan(s, r.text);
  for (const json& s : out["skipped"]) CheckSpan(s, r.text);
  for (const json& e : out["entities"]) {
    for (const json& m : e["mentions"]) CheckSpan(m, r.text);
  }
  for (const json& d : out["dates"]) CheckSpan(d, r.text);
  const json& event = out["events"][0];
  CheckSpan(event["trigger"], r.text);
  CheckSpan(event["date"], r.text);
  CheckSpan(event["ransom"], r.text);
  CHECK(event["trigger"]["text"] == "enlevée");
}

TEST_CASE("JsonWriter: code-point offsets are right anywhere in long text",
          "[write]") {
  // Mixed 1- to 4-byte characters over several 64-byte checkpoint blocks,
  // with spans in no particular order. The text's length ends at, just
  // after, and a few bytes after a block's start (7 * 64 = 448), since the
  // checkpoints are counted eight bytes at a time and the last few one by
  // one.
  for (const size_t size : {440, 447, 448, 449, 451, 455, 456, 457, 511, 512,
                            513}) {
    DocumentResult r;
    r.id = "long";
    for (int i = 0; i < 40; ++i)
      r.text += "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 ";
    r.text.resize(size, 'z');
    REQUIRE(r.text.size() == size);
    std::vector<uint32_t> boundaries;
    for (uint32_t b = 0; b <= r.text.size(); ++b) {
      if (b == r.text.size() ||
          (static_cast<unsigned char>(r.text[b]) & 0xC0) != 0x80) {
        boundaries.push_back(b);
      }
    }
    for (size_t i = 0; i < boundaries.size(); ++i) {
      const uint32_t a = boundaries[(i * 7919) % boundaries.size()];
      const uint32_t b = boundaries[(i * 104729) % boundaries.size()];
      r.sentences.push_back(Span{std::min(a, b), std::max(a, b)});
    }
    // The last characters, each on its own.
    for (size_t i = boundaries.size() - 10; i + 1 < boundaries.size(); ++i) {
      r.sentences.push_back(Span{boundaries[i], boundaries[i + 1]});
    }
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    INFO("text of " << size << " bytes");
    REQUIRE(out["sentences"].size() == r.sentences.size());
    for (const json& s : out["sentences"]) CheckSpan(s, r.text);
    CHECK(out["errors"].empty());
  }
}

TEST_CASE("JsonWriter: keys come in a fixed order", "[write]") {
  const ordered_json out =
      ordered_json::parse(ToJson(SampleResult(), JsonStyle::kLine));
  CHECK(Keys(out) == Strings{"schema_version", "document", "sentences",
                             "skipped", "entities", "events", "dates",
                             "errors"});
  CHECK(out["schema_version"] == 2);
  CHECK(Keys(out["document"]) ==
        Strings{"id", "path", "title", "date", "language", "encoding"});
  CHECK(Keys(out["sentences"][0]) ==
        Strings{"text", "start", "end", "char_start", "char_end"});
  CHECK(Keys(out["skipped"][0]) ==
        Strings{"reason", "text", "start", "end", "char_start", "char_end"});
  CHECK(Keys(out["entities"][0]) ==
        Strings{"id", "type", "name", "canonical", "mentions", "roles"});
  CHECK(Keys(out["entities"][0]["mentions"][0]) ==
        Strings{"text", "start", "end", "char_start", "char_end", "sentence",
                "role", "source"});
  CHECK(Keys(out["entities"][1]["canonical"]) ==
        Strings{"id", "source", "country", "latitude", "population"});
  const ordered_json& event = out["events"][0];
  CHECK(Keys(event) == Strings{"id", "type", "acled", "plover", "cameo",
                               "trigger", "actors", "targets", "places", "date",
                               "fatalities", "hostages", "ransom", "negated",
                               "modality", "voice", "sentence", "source",
                               "status", "injured", "numbers", "attribution",
                               "mentions", "evidence", "passes"});
  CHECK(Keys(event["acled"]) == Strings{"event_type", "sub_event_type"});
  CHECK(Keys(event["trigger"]) ==
        Strings{"text", "start", "end", "char_start", "char_end", "source"});
  CHECK(Keys(event["date"]) == Strings{"text", "start", "end", "char_start",
                                       "char_end", "value", "relation",
                                       "source", "precision", "from"});
  CHECK(Keys(event["ransom"]) == Strings{"text", "start", "end", "char_start",
                                         "char_end", "value", "currency"});
  CHECK(Keys(out["dates"][0]) == Strings{"text", "start", "end", "char_start",
                                         "char_end", "value", "relation",
                                         "sentence", "source"});
}

TEST_CASE("JsonWriter: values and references", "[write]") {
  const json out = json::parse(ToJson(SampleResult(), JsonStyle::kLine));
  CHECK(out["document"]["id"] == "samples/tonka.txt");
  CHECK(out["document"]["date"] == "2024-05-04");
  CHECK(out["document"]["encoding"] == "utf-8");

  const json& person = out["entities"][0];
  CHECK(person["id"] == "e1");
  CHECK(person["type"] == "person");
  CHECK(person["canonical"].is_null());
  CHECK(person["mentions"].size() == 2);
  CHECK(person["mentions"][1]["role"] == "short_name");
  CHECK(person["mentions"][1]["sentence"] == 2);
  CHECK(person["mentions"][1]["source"] == "entity.short_name");

  const json& canonical = out["entities"][1]["canonical"];
  CHECK(canonical["id"] == "geonames:2449018");
  CHECK(canonical["country"] == "ML");
  CHECK(canonical["latitude"].is_number_float());
  CHECK(canonical["latitude"].get<double>() == Approx(16.9947));
  CHECK(canonical["population"].is_number_integer());
  CHECK(canonical["population"] == 8400);

  const json& event = out["events"][0];
  CHECK(event["actors"] == json::array());
  CHECK(event["targets"] == json::array({"e1"}));
  CHECK(event["places"] == json::array({"e2"}));
  CHECK(event["acled"]["event_type"] == "Violence against civilians");
  CHECK(event["cameo"] == "181");
  CHECK(event["hostages"] == 1);
  CHECK(event["ransom"]["value"].is_number_integer());
  CHECK(event["ransom"]["value"] == 5000000);
  CHECK(event["ransom"]["currency"] == "XOF");
  CHECK(event["date"]["value"] == "2024-05-03");
  CHECK(event["negated"] == false);
  CHECK(out["dates"][0]["relation"] == "on");
  CHECK(out["errors"].empty());
}

TEST_CASE("JsonWriter: empty values become null", "[write]") {
  DocumentResult r = SampleResult();
  r.date = "";
  Event& event = r.events[0];
  event.acled_sub_event_type = "";
  event.cameo = "";
  event.date.reset();
  event.hostages.reset();
  event.ransom = Amount{Find(r.text, "5 millions"), 2.5e6, ""};
  r.dates[0].value = "";
  r.errors = {ErrorRecord{StatusCode::kInvalidInput, "late warning", -1}};

  const json out = json::parse(ToJson(r, JsonStyle::kLine));
  CHECK(out["document"]["date"].is_null());
  CHECK(out["document"]["title"] == "");
  const json& v = out["events"][0];
  CHECK(v["acled"]["sub_event_type"].is_null());
  CHECK(v["plover"].is_null());
  CHECK(v["cameo"].is_null());
  CHECK(v["date"].is_null());
  CHECK(v["fatalities"].is_null());
  CHECK(v["hostages"].is_null());
  CHECK(v["ransom"]["value"] == 2500000);
  CHECK(v["ransom"]["currency"].is_null());
  CHECK(out["dates"][0]["value"].is_null());
  CHECK(out["errors"][0]["offset"].is_null());
  // An event no incident pass touched.
  CHECK(v["status"] == "asserted");
  CHECK(v["injured"].is_null());
  CHECK(v["numbers"] == json::array());
  CHECK(v["attribution"].is_null());
  CHECK(v["mentions"] == json::array());
  CHECK(v["evidence"] == json::array());
  CHECK(v["passes"] == json::array());

  SECTION("no ACLED type means acled is null") {
    r.events[0].acled_event_type = "";
    const json again = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(again["events"][0]["acled"].is_null());
  }
  SECTION("no ransom means ransom is null") {
    r.events[0].ransom.reset();
    const json again = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(again["events"][0]["ransom"].is_null());
  }
  SECTION("a fractional ransom stays a float") {
    r.events[0].ransom->value = 1234.5;
    const json again = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(again["events"][0]["ransom"]["value"].get<double>() == 1234.5);
  }
}

TEST_CASE("JsonWriter: an error record", "[write]") {
  DocumentResult r;
  r.id = "bad.txt";
  r.path = "bad.txt";
  r.errors = {ErrorRecord{StatusCode::kInvalidInput,
                          "bad.txt: invalid UTF-8 at byte 17", 17}};
  const ordered_json out = ordered_json::parse(ToJson(r, JsonStyle::kPretty));
  CHECK(out.begin().key() == "schema_version");
  CHECK(out["schema_version"] == 2);
  CHECK(ToJson(r, JsonStyle::kLine) == ToJsonTree(r, JsonStyle::kLine));
  CHECK(out["sentences"].empty());
  CHECK(out["entities"].empty());
  CHECK(out["events"].empty());
  REQUIRE(out["errors"].size() == 1);
  CHECK(Keys(out["errors"][0]) == Strings{"code", "message", "offset"});
  CHECK(out["errors"][0]["code"] == "invalid_input");
  CHECK(out["errors"][0]["message"] == "bad.txt: invalid UTF-8 at byte 17");
  CHECK(out["errors"][0]["offset"] == 17);
}

TEST_CASE("JsonWriter: an incident's mentions, numbers, attribution and date",
          "[write]") {
  const DocumentResult r = IncidentResult();
  for (const JsonStyle style : {JsonStyle::kLine, JsonStyle::kPretty}) {
    CHECK(ToJson(r, style) == ToJsonTree(r, style));
  }
  const ordered_json out =
      ordered_json::parse(ToJson(r, JsonStyle::kLine));
  CHECK(out["errors"].empty());
  const ordered_json& v = out["events"][0];
  CHECK(v["status"] == "claimed");
  CHECK(v["injured"] == 2);
  CHECK(v["evidence"] == ordered_json::array({0, 1}));
  CHECK(v["passes"] == ordered_json::array({"seed", "merge_coreferent"}));

  REQUIRE(v["mentions"].size() == 2);
  for (const ordered_json& m : v["mentions"]) {
    CHECK(Keys(m) == Strings{"type", "acled", "text", "start", "end",
                             "char_start", "char_end", "sentence", "source",
                             "rule", "status"});
    CheckSpan(m, r.text);
  }
  const ordered_json& first = v["mentions"][0];
  CHECK(first["type"] == "abduction");
  CHECK(first["acled"]["event_type"] == "Violence against civilians");
  CHECK(first["acled"]["sub_event_type"] == "Abduction/forced disappearance");
  CHECK(first["text"] == "enlevée");
  CHECK(first["sentence"] == 0);
  CHECK(first["source"] == "gazetteers/events.tsv:7");
  CHECK(first["rule"] == "event.passive");
  CHECK(first["status"] == "asserted");
  const ordered_json& second = v["mentions"][1];
  CHECK(second["acled"].is_null());
  CHECK(second["text"] == "ravisseurs");
  CHECK(second["sentence"] == 1);
  CHECK(second["rule"] == "event.nominal");
  CHECK(second["status"] == "claimed");

  REQUIRE(v["numbers"].size() == 2);
  CHECK(Keys(v["numbers"][0]) == Strings{"kind", "value", "text", "start",
                                         "end", "char_start", "char_end",
                                         "sentence"});
  CHECK(v["numbers"][0]["kind"] == "hostages");
  CHECK(v["numbers"][0]["value"] == 1);
  CHECK(v["numbers"][0]["text"] == "Cissé");
  CHECK(v["numbers"][0]["sentence"] == 2);
  CHECK(v["numbers"][1]["kind"] == "injured");
  CHECK(v["numbers"][1]["text"] == "5 millions");
  for (const ordered_json& n : v["numbers"]) CheckSpan(n, r.text);

  CHECK(Keys(v["attribution"]) == Strings{"entity", "text", "start", "end",
                                          "char_start", "char_end"});
  CHECK(v["attribution"]["entity"] == "e1");
  CHECK(v["attribution"]["text"] == "Les ravisseurs");
  CheckSpan(v["attribution"], r.text);

  // The report's date: no span, the value is the document's date.
  const ordered_json& date = v["date"];
  CHECK(Keys(date) == Strings{"text", "start", "end", "char_start", "char_end",
                              "value", "relation", "source", "precision",
                              "from"});
  for (const char* key : {"text", "start", "end", "char_start", "char_end"}) {
    CHECK(date[key].is_null());
  }
  CHECK(date["value"] == "2024-05-04");
  CHECK(date["precision"] == "report");
  CHECK(date["from"] == "report");

  SECTION("a date from the text keeps its span") {
    DocumentResult t = IncidentResult();
    t.events[0].date = t.dates[0];
    t.events[0].date_precision = "day";
    t.events[0].date_from = "incident";
    const json again = json::parse(ToJson(t, JsonStyle::kLine));
    CHECK(ToJson(t, JsonStyle::kLine) == ToJsonTree(t, JsonStyle::kLine));
    CheckSpan(again["events"][0]["date"], t.text);
    CHECK(again["events"][0]["date"]["text"] == "3 mai 2024");
    CHECK(again["events"][0]["date"]["precision"] == "day");
    CHECK(again["events"][0]["date"]["from"] == "incident");
  }
  SECTION("a date without precision or origin has them null") {
    DocumentResult t = IncidentResult();
    t.events[0].date = t.dates[0];
    t.events[0].date_precision = "";
    t.events[0].date_from = "";
    const json again = json::parse(ToJson(t, JsonStyle::kLine));
    CHECK(again["events"][0]["date"]["precision"].is_null());
    CHECK(again["events"][0]["date"]["from"].is_null());
  }
  SECTION("an attribution to no entity, or to one out of range") {
    DocumentResult t = IncidentResult();
    t.events[0].attribution->entity = -1;
    json again = json::parse(ToJson(t, JsonStyle::kLine));
    CHECK(again["events"][0]["attribution"]["entity"].is_null());
    CHECK(again["errors"].empty());
    t.events[0].attribution->entity = 9;
    CHECK(ToJson(t, JsonStyle::kLine) == ToJsonTree(t, JsonStyle::kLine));
    again = json::parse(ToJson(t, JsonStyle::kLine));
    CHECK(again["events"][0]["attribution"]["entity"].is_null());
    REQUIRE(again["errors"].size() == 1);
    CHECK_THAT(again["errors"][0]["message"].get<std::string>(),
               Catch::Contains("attribution refers to entity 9"));
  }
  SECTION("a mention span outside the text is clamped and reported") {
    DocumentResult t = IncidentResult();
    t.events[0].mentions[1].trigger = Span{10, 100000};
    t.events[0].numbers[0].span = Span{100000, 100001};
    CHECK(ToJson(t, JsonStyle::kLine) == ToJsonTree(t, JsonStyle::kLine));
    const json again = json::parse(ToJson(t, JsonStyle::kLine));
    REQUIRE(again["errors"].size() == 2);
    CHECK_THAT(again["errors"][0]["message"].get<std::string>(),
               Catch::Contains("events[0].numbers[0]"));
    CHECK_THAT(again["errors"][1]["message"].get<std::string>(),
               Catch::Contains("events[0].mentions[1]"));
  }
}

TEST_CASE("JsonWriter: pretty and line styles hold the same record",
          "[write]") {
  const DocumentResult r = SampleResult();
  const std::string pretty = ToJson(r, JsonStyle::kPretty);
  const std::string line = ToJson(r, JsonStyle::kLine);

  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.rfind("{\"schema_version\":2,\"document\":{\"id\":"
                   "\"samples/tonka.txt\"",
                   0) == 0);
  CHECK(pretty.rfind("{\n  \"schema_version\": 2,\n  \"document\": {\n    "
                     "\"id\": ",
                     0) == 0);
  CHECK(json::parse(pretty) == json::parse(line));
  CHECK(ordered_json::parse(pretty).dump() == line);

  // Non-ASCII text is written as UTF-8, not as \u escapes.
  CHECK(line.find("Mariam Cissé") != std::string::npos);
  CHECK(line.find("\\u00e9") == std::string::npos);
  // The text's newline is escaped inside strings, so kLine stays one line.
  CHECK(line.find("\\n") != std::string::npos);

  // Byte-stable: the same input renders the same bytes.
  CHECK(ToJson(r, JsonStyle::kPretty) == pretty);
}

TEST_CASE("JsonWriter: ToString of entity types and mention roles", "[write]") {
  CHECK(ToString(EntityType::kPerson) == "person");
  CHECK(ToString(EntityType::kPlace) == "place");
  CHECK(ToString(EntityType::kGroup) == "group");
  CHECK(ToString(MentionRole::kName) == "name");
  CHECK(ToString(MentionRole::kShortName) == "short_name");
  CHECK(ToString(MentionRole::kAcronym) == "acronym");
  CHECK(ToString(MentionRole::kDemonym) == "demonym");
  CHECK(ToString(MentionRole::kDescriptor) == "descriptor");
}

TEST_CASE("JsonWriter: upstream bugs become internal errors, not crashes",
          "[write]") {
  SECTION("a span past the end of the text is clamped") {
    DocumentResult r = SampleResult();
    r.sentences.push_back(Span{10, 100000});
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    const json& last = out["sentences"].back();
    CHECK(last["end"] == r.text.size());
    CheckSpan(last, r.text);
    REQUIRE(out["errors"].size() == 1);
    CHECK(out["errors"][0]["code"] == "internal");
    CHECK_THAT(out["errors"][0]["message"].get<std::string>(),
               Catch::Contains("sentences[3]") &&
                   Catch::StartsWith("samples/tonka.txt: "));
  }
  SECTION("a span inside a character is widened to whole characters") {
    DocumentResult r = SampleResult();
    const Span cisse = Find(r.text, "Cissé");
    r.mentions[0].span = Span{cisse.begin, cisse.end - 1};  // half of "é"
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    const json& m = out["entities"][0]["mentions"][0];
    CHECK(m["text"] == "Cissé");
    CheckSpan(m, r.text);
    REQUIRE(out["errors"].size() == 1);
    CHECK_THAT(out["errors"][0]["message"].get<std::string>(),
               Catch::Contains("entities[0].mentions[0]"));
  }
  SECTION("an entity or mention index out of range is dropped and reported") {
    DocumentResult r = SampleResult();
    r.events[0].actors = {7};
    r.entities[0].mentions.push_back(99);
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(out["events"][0]["actors"].empty());
    CHECK(out["entities"][0]["mentions"].size() == 2);
    CHECK(out["errors"].size() == 2);
  }
  SECTION("bytes that are not UTF-8 in an id are replaced and reported") {
    DocumentResult r = SampleResult();
    r.id = "caf\xE9.txt";
    std::string text;
    REQUIRE_NOTHROW(text = ToJson(r, JsonStyle::kLine));
    const json out = json::parse(text);
    CHECK(out["document"]["id"] == "caf\xEF\xBF\xBD.txt");
    CHECK(out["entities"].size() == 2);  // the record is kept
    REQUIRE_FALSE(out["errors"].empty());
    CHECK(out["errors"].back()["code"] == "internal");
    CHECK_THAT(out["errors"].back()["message"].get<std::string>(),
               Catch::Contains("U+FFFD"));
  }
  SECTION("every way of not being UTF-8 is caught, inside or after valid "
          "characters") {
    // The direct writer checks each run of bytes >= 0x80 as it escapes.
    for (const std::string id :
         {"\xC3\xA9\x80.txt", "ok\xC3", "\xE2\x80\x99\xE2\x80.txt",
          "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\x80" "b"}) {
      DocumentResult r = SampleResult();
      r.id = id;
      std::string text;
      REQUIRE_NOTHROW(text = ToJson(r, JsonStyle::kLine));
      const json out = json::parse(text);
      CHECK(out["document"]["id"].get<std::string>().find("\xEF\xBF\xBD") !=
            std::string::npos);
      REQUIRE_FALSE(out["errors"].empty());
      CHECK(out["errors"].back()["code"] == "internal");
    }
    DocumentResult r = SampleResult();
    r.id = "\xE2\x80\x9C" "d\xC3\xA9j\xC3\xA0\xE2\x80\x9D \xF0\x9F\x98\x80.txt";
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(out["document"]["id"] == r.id);
    CHECK(out["errors"].empty());
  }
  SECTION("a numeric attribute that is not a number stays a string") {
    DocumentResult r = SampleResult();
    r.entities[1].canonical->attributes.push_back({"area", "big", true});
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(out["entities"][1]["canonical"]["area"] == "big");
    REQUIRE(out["errors"].size() == 1);
    CHECK(out["errors"][0]["code"] == "internal");
  }
  SECTION("an attribute may not overwrite the canonical id") {
    DocumentResult r = SampleResult();
    r.entities[1].canonical->attributes.push_back({"id", "other", false});
    const json out = json::parse(ToJson(r, JsonStyle::kLine));
    CHECK(out["entities"][1]["canonical"]["id"] == "geonames:2449018");
    CHECK(out["errors"].size() == 1);
  }
}

// ToJson writes the record directly; ToJsonTree builds an ordered_json tree
// and dumps it. They must give the same bytes, in both styles, for ordinary
// records and for every repaired oddity.
TEST_CASE("JsonWriter: the direct writer and the tree give the same bytes",
          "[write]") {
  std::vector<std::pair<std::string, DocumentResult>> cases;
  // Room for every case: growing the vector made GCC 12 at -O3 warn
  // (-Warray-bounds, a false positive) inside its reallocation.
  cases.reserve(16);
  cases.emplace_back("sample", SampleResult());
  {
    DocumentResult r = SampleResult();
    r.sentences.push_back(Span{10, 100000});
    r.events[0].actors = {7};
    r.entities[0].mentions.push_back(99);
    cases.emplace_back("bad spans and indices", r);
  }
  {
    DocumentResult r = SampleResult();
    r.entities[1].canonical->attributes.push_back({"area", "big", true});
    r.entities[1].canonical->attributes.push_back({"id", "other", false});
    r.entities[1].canonical->attributes.push_back({"ratio", "0.00012", true});
    r.entities[1].canonical->attributes.push_back({"big", "1e300", true});
    r.entities[1].canonical->attributes.push_back({"whole", "-42", true});
    cases.emplace_back("attributes", r);
    // Column names from a user's gazetteer become keys: ones that need
    // escaping or are not ASCII leave the writer's plain-key path.
    r.entities[1].canonical->attributes.push_back(
        {"say \"hi\"\\\t", "1", false});
    r.entities[1].canonical->attributes.push_back({"r\u00e9gion", "x", false});
    r.entities[1].canonical->attributes.push_back({"\x7f", "y", false});
    cases.emplace_back("attribute keys to escape", r);
  }
  {
    DocumentResult r = SampleResult();
    r.title = "Tab\there \"quoted\" back\\slash \x01\x1f\x7f \u00e9";
    r.errors.push_back({StatusCode::kInvalidInput, "line\nbreak", 17});
    r.errors.push_back({StatusCode::kNotFound, "", -1});
    cases.emplace_back("escapes", r);
  }
  {
    DocumentResult r = SampleResult();
    Amount ransom;
    ransom.span = r.events[0].trigger;
    ransom.value = 2500000.5;
    ransom.unit = "USD";
    r.events[0].ransom = ransom;
    r.events[0].fatalities = 0;
    r.events[0].hostages = 3;
    cases.emplace_back("ransom", r);
    r.events[0].ransom->value = std::numeric_limits<double>::infinity();
    cases.emplace_back("ransom not finite", r);
  }
  cases.emplace_back("incident", IncidentResult());
  {
    DocumentResult r = IncidentResult();
    r.events[0].attribution->entity = 7;
    r.events[0].mentions[0].trigger = Span{3, 100000};
    r.events[0].injured.reset();
    r.events[0].date_precision = "";
    r.events[0].date_from = "";
    cases.emplace_back("incident with bad references", r);
  }
  {
    DocumentResult r;
    r.id = "empty";
    cases.emplace_back("empty record", r);
  }
  {
    DocumentResult r;
    r.id = r.path = "bad.txt";
    r.errors = {ErrorRecord{StatusCode::kInvalidInput, "bad.txt: empty", -1}};
    cases.emplace_back("error record", r);
  }
  for (const auto& [name, r] : cases) {
    INFO(name);
    CHECK(ToJson(r, JsonStyle::kLine) == ToJsonTree(r, JsonStyle::kLine));
    CHECK(ToJson(r, JsonStyle::kPretty) == ToJsonTree(r, JsonStyle::kPretty));
  }
}

TEST_CASE("JsonWriter: every byte to escape, at every place in a word",
          "[write]") {
  // The writer skips eight plain bytes at a time: each ASCII byte, and a
  // two-byte character, at each offset of the words around it, must still
  // come out as the tree writes it.
  DocumentResult r = SampleResult();
  std::vector<std::string> specials;
  for (int c = 1; c < 0x80; ++c) specials.emplace_back(1, static_cast<char>(c));
  specials.emplace_back("\u00e9");
  for (const std::string& special : specials) {
    for (size_t at = 0; at <= 17; ++at) {
      r.title = std::string(at, 'a') + special + std::string(17 - at, 'b');
      INFO("byte " << static_cast<int>(special[0]) << " at " << at);
      REQUIRE(ToJson(r, JsonStyle::kLine) == ToJsonTree(r, JsonStyle::kLine));
    }
  }
}

// An ostream whose writes always fail.
class FailingBuf : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST_CASE("JsonWriter: JsonSink writes one record per Emit", "[write]") {
  std::ostringstream out;
  JsonSink sink(out, JsonStyle::kLine);
  DocumentResult first = SampleResult();
  DocumentResult second;
  second.id = "missing.txt";
  second.path = "missing.txt";
  second.errors = {
      ErrorRecord{StatusCode::kNotFound, "missing.txt: no such file", -1}};
  REQUIRE(sink.Begin().ok());
  REQUIRE(sink.Emit(first).ok());
  REQUIRE(sink.Emit(second).ok());
  REQUIRE(sink.Finish().ok());
  CHECK(out.str() == ToJson(first, JsonStyle::kLine) + "\n" +
                         ToJson(second, JsonStyle::kLine) + "\n");

  SECTION("a failing stream is kIoError") {
    FailingBuf buf;
    std::ostream bad(&buf);
    JsonSink failing(bad, JsonStyle::kPretty);
    const Status status = failing.Emit(first);
    CHECK(status.code() == StatusCode::kIoError);
    CHECK_THAT(status.message(), Catch::StartsWith("samples/tonka.txt: "));
    CHECK(failing.Finish().code() == StatusCode::kIoError);
  }
}

// Runs tests/validate_schema.py on `files`; returns its exit status and
// fills `output` with what it printed.
int Validate(const std::vector<std::string>& files, std::string& output) {
  const std::string source = EXTRACT_SOURCE_DIR;
  const std::string log =
      (std::filesystem::temp_directory_path() /
       ("extract_validate_" + std::to_string(::getpid()) + ".log"))
          .string();
  std::string command = "/usr/bin/python3 '" + source +
                        "/tests/validate_schema.py' '" + source +
                        "/docs/extract.schema.json'";
  for (const std::string& file : files) command += " '" + file + "'";
  command += " >'" + log + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  output = text.str();
  std::filesystem::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool HavePython() {
  return std::filesystem::exists("/usr/bin/python3") &&
         std::system(
             "/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

TEST_CASE("JsonWriter: output validates against docs/extract.schema.json",
          "[write]") {
  if (!HavePython()) {
    WARN("skipped: /usr/bin/python3 with python3-jsonschema is not installed");
    return;
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string tag = std::to_string(::getpid());
  const std::string pretty =
      (dir / ("extract_pretty_" + tag + ".json")).string();
  const std::string lines =
      (dir / ("extract_lines_" + tag + ".jsonl")).string();
  const std::string broken =
      (dir / ("extract_broken_" + tag + ".jsonl")).string();

  DocumentResult error_result;
  error_result.id = error_result.path = "bad.txt";
  error_result.errors = {ErrorRecord{StatusCode::kInvalidInput,
                                     "bad.txt: invalid UTF-8 at byte 3", 3}};
  DocumentResult odd = SampleResult();
  odd.id = "caf\xE9.txt";             // replaced, with an internal error
  odd.sentences.push_back({5, 999});  // clamped, with an internal error
  {
    std::ofstream out(pretty, std::ios::binary);
    out << ToJson(SampleResult(), JsonStyle::kPretty) << "\n";
    std::ofstream jsonl(lines, std::ios::binary);
    JsonSink sink(jsonl, JsonStyle::kLine);
    REQUIRE(sink.Emit(SampleResult()).ok());
    REQUIRE(sink.Emit(IncidentResult()).ok());
    REQUIRE(sink.Emit(error_result).ok());
    REQUIRE(sink.Emit(odd).ok());
    REQUIRE(sink.Finish().ok());
  }
  std::string output;
  const int status = Validate({pretty, lines}, output);
  INFO(output);
  CHECK(status == 0);
  CHECK(output.empty());

  SECTION("a record that breaks the schema fails, naming line and path") {
    DocumentResult r = SampleResult();
    r.events[0].voice = "sideways";
    r.entities[0].id = "person1";
    // What the schema cannot say, the script checks: a dangling entity id
    // and a span whose text does not match its offsets.
    ordered_json dangling =
        ordered_json::parse(ToJson(SampleResult(), JsonStyle::kLine));
    dangling["events"][0]["targets"][0] = "e9";
    dangling["events"][0]["attribution"] = ordered_json{
        {"entity", "e8"}, {"text", "M"},       {"start", 0},
        {"end", 1},       {"char_start", 0}, {"char_end", 1}};
    dangling["events"][0]["evidence"] = ordered_json::array({7});
    dangling["sentences"][0]["end"] = 3;
    {
      std::ofstream out(broken, std::ios::binary);
      out << ToJson(SampleResult(), JsonStyle::kLine) << "\n"
          << ToJson(r, JsonStyle::kLine) << "\n"
          << dangling.dump() << "\n";
    }
    std::string failure;
    CHECK(Validate({broken}, failure) == 1);
    CHECK_THAT(failure, Catch::Contains(broken + ":2: /events/0/voice: "));
    CHECK_THAT(failure, Catch::Contains(broken + ":2: /entities/0/id: "));
    CHECK_THAT(failure, Catch::Contains(broken + ":3: /events/0/targets/0: "
                                                 "no entity has id 'e9'"));
    CHECK_THAT(failure,
               Catch::Contains(broken + ":3: /events/0/attribution/entity: "
                                        "no entity has id 'e8'"));
    CHECK_THAT(failure, Catch::Contains(broken + ":3: /events/0/evidence/0: "
                                                 "sentence 7 is past"));
    CHECK_THAT(failure, Catch::Contains(broken + ":3: /sentences/0: "));
    CHECK_THAT(failure, !Catch::Contains(broken + ":1:"));
  }
  std::filesystem::remove(pretty);
  std::filesystem::remove(lines);
  std::filesystem::remove(broken);
}

}  // namespace
}  // namespace extract
