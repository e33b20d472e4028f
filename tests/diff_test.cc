// Tests of src/diff.h on small hand-written output pairs: reading records
// (pretty JSON and JSON Lines, malformed input with file:line), matching
// documents, entities and events, and the text and JSON reports.
#include "diff.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

namespace extract {
namespace {

// One JSON Lines record holding `entities` and `events` (JSON arrays).
std::string Record(const std::string& id, const std::string& entities,
                   const std::string& events = "[]") {
  return R"({"document":{"id":")" + id +
         R"(","path":"","title":"","date":null,"language":"en","encoding":"utf-8"},)"
         R"("sentences":[],"skipped":[],"entities":)" +
         entities + R"(,"events":)" + events + R"(,"dates":[],"errors":[]})";
}

const std::string kTonka =
    R"({"id":"e1","type":"place","name":"Tonka","canonical":{"id":"geonames:2449018",)"
    R"("source":"gazetteers/places.tsv:40","country":"ML","lat":16.12},)"
    R"("mentions":[{"text":"Tonka","start":33,"end":38,"char_start":32,"char_end":37,)"
    R"("sentence":0,"role":"name","source":"gazetteers/places.tsv:40"}]})";
const std::string kCisse =
    R"({"id":"e2","type":"person","name":"Mariam Cissé","canonical":null,)"
    R"("mentions":[{"text":"Mariam Cissé","start":16,"end":29,"char_start":16,)"
    R"("char_end":28,"sentence":0,"role":"name","source":"person.first_name"}]})";
const std::string kAbduction =
    R"([{"id":"v1","type":"abduction","acled":null,"plover":null,"cameo":null,)"
    R"("trigger":{"text":"abducted","start":7,"end":15,"char_start":7,"char_end":15,)"
    R"("source":"gazetteers/event_triggers.tsv:7"},"actors":[],"targets":["e2"],)"
    R"("places":["e1"],"date":{"text":"on Tuesday","start":39,"end":49,)"
    R"("char_start":38,"char_end":48,"value":"2024-05-07","relation":"on",)"
    R"("source":"date.weekday_relative"},"fatalities":null,"hostages":null,)"
    R"("ransom":null,"negated":false,"modality":"asserted","voice":"active",)"
    R"("sentence":0,"source":"event.active"}])";

std::vector<DiffDocument> Parse(const std::string& content,
                                const std::string& path = "x.jsonl") {
  auto docs = ParseOutputRecords(content, path);
  INFO(docs.status().ToString());
  REQUIRE(docs.ok());
  return *docs;
}

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

TEST_CASE("Diff: identical outputs", "[diff]") {
  const std::string a =
      Record("a.txt", "[" + kTonka + "," + kCisse + "]", kAbduction) + "\n" +
      Record("b.txt", "[]") + "\n";
  const DiffReport d = DiffOutputs(Parse(a), Parse(a));
  CHECK(d.identical());
  CHECK(d.unchanged_documents == 2);
  CHECK(FormatDiffText(d, "old", "new").find("No differences") !=
        std::string::npos);
  const auto j = nlohmann::json::parse(FormatDiffJson(d, "old", "new"));
  CHECK(j["identical"] == true);
  CHECK(j["documents"].empty());
}

TEST_CASE("Diff: pretty JSON and JSON Lines read alike", "[diff]") {
  const std::string line = Record("a.txt", "[" + kTonka + "]", "[]");
  const std::string pretty = nlohmann::ordered_json::parse(line).dump(2) + "\n";
  const auto a = Parse(line);
  const auto b = Parse(pretty, "pretty.json");
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(b[0].entities[0].canonical_id == "geonames:2449018");
  CHECK(DiffOutputs(a, b).identical());
}

TEST_CASE("Diff: entities added, removed and changed", "[diff]") {
  const std::string old_out =
      Record("a.txt", "[" + kTonka + "," + kCisse + "]") + "\n";

  SECTION("added and removed") {
    const std::string new_out = Record("a.txt", "[" + kCisse + "]") + "\n";
    const DiffReport d = DiffOutputs(Parse(old_out), Parse(new_out));
    REQUIRE(d.documents.size() == 1);
    CHECK(d.documents[0].entities_removed.size() == 1);
    CHECK(d.documents[0].entities_removed[0].name == "Tonka");
    CHECK(d.documents[0].entities_added.empty());
    const std::string text = FormatDiffText(d, "old", "new");
    CHECK(text.find("=== a.txt\n- place \"Tonka\" [geonames:2449018 "
                    "gazetteers/places.tsv:40]: 1 mention: \"Tonka\"@33 "
                    "(gazetteers/places.tsv:40)\n") != std::string::npos);
    const DiffReport back = DiffOutputs(Parse(new_out), Parse(old_out));
    REQUIRE(back.documents.size() == 1);
    CHECK(back.documents[0].entities_added.size() == 1);
    CHECK(FormatDiffText(back, "old", "new").find("\n+ place \"Tonka\"") !=
          std::string::npos);
  }
  SECTION("a new mention span") {
    const std::string more = Replace(
        kCisse, R"("source":"person.first_name"}])",
        R"("source":"person.first_name"},{"text":"Cissé","start":60,"end":66,)"
        R"("char_start":59,"char_end":64,"sentence":1,"role":"short_name",)"
        R"("source":"entity.short_name"}])");
    const std::string new_out =
        Record("a.txt", "[" + kTonka + "," + more + "]") + "\n";
    const DiffReport d = DiffOutputs(Parse(old_out), Parse(new_out));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].entities_changed.size() == 1);
    CHECK(d.documents[0].entities_changed[0].what ==
          std::vector<std::string>{"mentions"});
    CHECK(FormatDiffText(d, "old", "new")
              .find("~ person \"Mariam Cissé\" [unresolved]: mentions "
                    "+\"Cissé\"@60 short_name (entity.short_name)") !=
          std::string::npos);
  }
  SECTION("gaining a canonical entry is a change, matched by name") {
    const std::string resolved =
        Replace(kCisse, R"("canonical":null)",
                R"("canonical":{"id":"person:cisse","source":"people.tsv:9"})");
    const DiffReport d = DiffOutputs(
        Parse(old_out),
        Parse(Record("a.txt", "[" + kTonka + "," + resolved + "]")));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].entities_changed.size() == 1);
    CHECK(d.documents[0].entities_changed[0].what ==
          std::vector<std::string>{"canonical"});
    CHECK(FormatDiffText(d, "o", "n")
              .find("canonical unresolved -> person:cisse (people.tsv:9)") !=
          std::string::npos);
  }
  SECTION("a moved gazetteer line is not a change; a new attribute is") {
    const std::string moved = Replace(kTonka, "places.tsv:40\",\"country",
                                      "places.tsv:41\",\"country");
    CHECK(DiffOutputs(Parse(old_out),
                      Parse(Record("a.txt", "[" + moved + "," + kCisse + "]")))
              .identical());
    const std::string attr =
        Replace(kTonka, R"("lat":16.12)", R"("lat":16.13)");
    const DiffReport d =
        DiffOutputs(Parse(old_out),
                    Parse(Record("a.txt", "[" + attr + "," + kCisse + "]")));
    REQUIRE(d.documents.size() == 1);
    CHECK(FormatDiffText(d, "o", "n")
              .find("canonical geonames:2449018: lat 16.12 -> 16.13") !=
          std::string::npos);
  }
  SECTION("a renamed entry still matches by canonical id") {
    const std::string renamed =
        Replace(kTonka, R"("name":"Tonka")", R"("name":"Tonka Town")");
    const DiffReport d =
        DiffOutputs(Parse(old_out),
                    Parse(Record("a.txt", "[" + renamed + "," + kCisse + "]")));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].entities_changed.size() == 1);
    CHECK(d.documents[0].entities_changed[0].what ==
          std::vector<std::string>{"name"});
  }
}

TEST_CASE("Diff: events added, removed and changed", "[diff]") {
  const std::string ents = "[" + kTonka + "," + kCisse + "]";
  const std::string old_out = Record("a.txt", ents, kAbduction);

  SECTION("a change of participants, compared by name") {
    // The same entities under other ids: no change.
    std::string swapped_ents = Replace(kTonka, R"("id":"e1")", R"("id":"e9")");
    std::string swapped_ev =
        Replace(kAbduction, R"("places":["e1"])", R"("places":["e9"])");
    CHECK(DiffOutputs(
              Parse(old_out),
              Parse(Record("a.txt", "[" + swapped_ents + "," + kCisse + "]",
                           swapped_ev)))
              .identical());
    const std::string more =
        Replace(kAbduction, R"("actors":[])", R"("actors":["e1"])");
    const DiffReport d =
        DiffOutputs(Parse(old_out), Parse(Record("a.txt", ents, more)));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].events_changed.size() == 1);
    CHECK(d.documents[0].events_changed[0].what ==
          std::vector<std::string>{"actors"});
    CHECK(FormatDiffText(d, "o", "n")
              .find("~ event abduction \"abducted\"@7 "
                    "(gazetteers/event_triggers.tsv:7, "
                    "event.active): actors [] -> [Tonka]") !=
          std::string::npos);
  }
  SECTION("date, fatalities, negation, modality and so status") {
    std::string ev =
        Replace(kAbduction, R"("value":"2024-05-07")", R"("value":null)");
    ev = Replace(ev, R"("fatalities":null)", R"("fatalities":3)");
    ev = Replace(ev, R"("negated":false)", R"("negated":true)");
    ev = Replace(ev, R"("modality":"asserted")", R"("modality":"possible")");
    const DiffReport d =
        DiffOutputs(Parse(old_out), Parse(Record("a.txt", ents, ev)));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].events_changed.size() == 1);
    CHECK(
        d.documents[0].events_changed[0].what ==
        std::vector<std::string>{"date", "fatalities", "negated", "modality",
                                 "status"});
    // Schema 1 records: the status is derived from negated and modality.
    CHECK(FormatDiffText(d, "o", "n")
              .find("date 2024-05-07 -> none; fatalities none -> 3; negated "
                    "false -> "
                    "true; modality asserted -> possible; status asserted -> "
                    "negated") != std::string::npos);
  }
  SECTION("another trigger span or type is another event") {
    const std::string moved =
        Replace(kAbduction, R"("start":7,"end":15)", R"("start":7,"end":16)");
    const DiffReport d =
        DiffOutputs(Parse(old_out), Parse(Record("a.txt", ents, moved)));
    REQUIRE(d.documents.size() == 1);
    CHECK(d.documents[0].events_added.size() == 1);
    CHECK(d.documents[0].events_removed.size() == 1);
    const std::string text = FormatDiffText(d, "o", "n");
    CHECK(text.find("\n- event abduction \"abducted\"@7 "
                    "(gazetteers/event_triggers.tsv:7, event.active): targets "
                    "[Mariam Cissé] places [Tonka] date 2024-05-07 status "
                    "asserted, 1 mention\n") != std::string::npos);
    CHECK(text.find("Summary: 0 unchanged, 1 changed, 0 only in OLD, 0 only in "
                    "NEW; entities +0 -0 ~0; events +1 -1 ~0") !=
          std::string::npos);
  }
}

// kAbduction as schema 2 writes it: the incident fields after "source".
std::string Incident(const std::string& status, int mentions) {
  std::string list;
  for (int i = 0; i < mentions; ++i) {
    list += std::string(i ? "," : "") +
            R"({"type":"abduction","acled":null,"text":"abducted","start":7,)"
            R"("end":15,"char_start":7,"char_end":15,"sentence":0,)"
            R"("source":"gazetteers/event_triggers.tsv:7",)"
            R"("rule":"event.active","status":")" +
            status + R"("})";
  }
  return Replace(kAbduction, R"("source":"event.active"})",
                 R"("source":"event.active","status":")" + status +
                     R"(","injured":null,"numbers":[],"attribution":null,)"
                     R"("mentions":[)" +
                     list + R"(],"evidence":[0],"passes":[]})");
}

TEST_CASE("Diff: incident status and mentions (schema 2)", "[diff]") {
  const std::string ents = "[" + kTonka + "," + kCisse + "]";
  const std::string schema1 = Record("a.txt", ents, kAbduction);

  SECTION("read from the record") {
    const auto docs = Parse(Record("a.txt", ents, Incident("claimed", 2)));
    REQUIRE(docs[0].events.size() == 1);
    CHECK(docs[0].events[0].status == "claimed");
    CHECK(docs[0].events[0].mentions == 2);
  }
  SECTION("derived for a schema 1 record: no change against schema 2") {
    const auto docs = Parse(schema1);
    CHECK(docs[0].events[0].status == "asserted");
    CHECK(docs[0].events[0].mentions == 1);
    CHECK(DiffOutputs(Parse(schema1),
                      Parse(Record("a.txt", ents, Incident("asserted", 1))))
              .identical());
    for (const auto& [negated, modality, status] :
         {std::tuple{"true", "asserted", "negated"},
          std::tuple{"true", "possible", "negated"},
          std::tuple{"false", "possible", "possible"},
          std::tuple{"false", "threatened", "threatened"},
          std::tuple{"false", "intended", "planned"}}) {
      std::string ev = Replace(kAbduction, R"("negated":false)",
                               std::string(R"("negated":)") + negated);
      ev = Replace(ev, R"("modality":"asserted")",
                   std::string(R"("modality":")") + modality + "\"");
      INFO(negated << " " << modality);
      CHECK(Parse(Record("a.txt", ents, ev))[0].events[0].status == status);
    }
  }
  SECTION("a changed status is a change") {
    const DiffReport d = DiffOutputs(
        Parse(schema1), Parse(Record("a.txt", ents, Incident("denied", 1))));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].events_changed.size() == 1);
    CHECK(d.documents[0].events_changed[0].what ==
          std::vector<std::string>{"status"});
    CHECK(FormatDiffText(d, "o", "n")
              .find("~ event abduction \"abducted\"@7 "
                    "(gazetteers/event_triggers.tsv:7, event.active): "
                    "status asserted -> denied\n") != std::string::npos);
    const auto j = nlohmann::json::parse(FormatDiffJson(d, "o", "n"));
    const auto& change = j["documents"][0]["events"]["changed"][0];
    CHECK(change["what"] == nlohmann::json::array({"status"}));
    CHECK(change["before"]["status"] == "asserted");
    CHECK(change["after"]["status"] == "denied");
    CHECK(change["after"]["mentions"] == 1);
  }
  SECTION("the number of mentions is shown and compared") {
    const std::string two = Record("a.txt", ents, Incident("asserted", 2));
    const DiffReport d = DiffOutputs(Parse(schema1), Parse(two));
    REQUIRE(d.documents.size() == 1);
    REQUIRE(d.documents[0].events_changed.size() == 1);
    CHECK(d.documents[0].events_changed[0].what ==
          std::vector<std::string>{"mentions"});
    CHECK(FormatDiffText(d, "o", "n").find("): mentions 1 -> 2\n") !=
          std::string::npos);
    const DiffReport added = DiffOutputs(Parse(Record("a.txt", ents)),
                                         Parse(two));
    REQUIRE(added.documents.size() == 1);
    CHECK(FormatDiffText(added, "o", "n")
              .find("\n+ event abduction \"abducted\"@7 "
                    "(gazetteers/event_triggers.tsv:7, event.active): targets "
                    "[Mariam Cissé] places [Tonka] date 2024-05-07 status "
                    "asserted, 2 mentions\n") != std::string::npos);
  }
}

TEST_CASE("Diff: documents in one output only", "[diff]") {
  const std::string a =
      Record("a.txt", "[]") + "\n" + Record("b.txt", "[" + kTonka + "]") + "\n";
  const std::string b = Record("a.txt", "[]") + "\n" + Record("c.txt", "[]");
  const DiffReport d = DiffOutputs(Parse(a), Parse(b));
  REQUIRE(d.documents.size() == 2);
  CHECK(d.documents[0].id == "c.txt");
  CHECK(d.documents[0].kind == DocumentDiff::Kind::kOnlyNew);
  CHECK(d.documents[1].id == "b.txt");
  CHECK(d.documents[1].kind == DocumentDiff::Kind::kOnlyOld);
  CHECK(d.documents[1].entity_count == 1);
  const std::string text = FormatDiffText(d, "o", "n");
  CHECK(text.find("=== only in OLD: b.txt (1 entities, 0 events)") !=
        std::string::npos);
  const auto j = nlohmann::json::parse(FormatDiffJson(d, "o", "n"));
  CHECK(j["identical"] == false);
  CHECK(j["summary"]["only_old"] == 1);
  CHECK(j["summary"]["only_new"] == 1);
  CHECK(j["documents"][1]["status"] == "only_old");
}

TEST_CASE("Diff: malformed input names the file and line", "[diff]") {
  SECTION("a bad JSON line") {
    auto r = ParseOutputRecords(Record("a.txt", "[]") + "\n{oops\n", "n.jsonl");
    REQUIRE(!r.ok());
    CHECK(r.status().message().rfind("n.jsonl:2: malformed JSON", 0) == 0);
  }
  SECTION("a record without document.id") {
    auto r =
        ParseOutputRecords("\n{\"entities\":[],\"events\":[]}\n", "n.jsonl");
    REQUIRE(!r.ok());
    CHECK(r.status().message() ==
          "n.jsonl:2: missing \"document\": {\"id\": ...}");
  }
  SECTION("an entity without a name") {
    auto r = ParseOutputRecords(
        Record("a.txt", R"([{"id":"e1","type":"place","mentions":[]}])"),
        "n.jsonl");
    REQUIRE(!r.ok());
    CHECK(r.status().message() ==
          "n.jsonl:1: record 'a.txt': entities[0]: expected an object with "
          "string \"type\" and \"name\"");
  }
  SECTION("a truncated pretty record") {
    auto r = ParseOutputRecords("{\n  \"document\": {\n    \"id\": \"a\"\n",
                                "o.json");
    REQUIRE(!r.ok());
    CHECK(r.status().message().rfind("o.json:4: malformed JSON", 0) == 0);
  }
  SECTION("an empty file") {
    auto r = ParseOutputRecords("\n\n", "e.jsonl");
    REQUIRE(!r.ok());
    CHECK(r.status().message() == "e.jsonl: no records");
  }
}

}  // namespace
}  // namespace extract
