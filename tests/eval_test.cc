// Tests of src/eval.h: entity scoring (exact, lenient, neutral spans, micro
// figures), the CoNLL reader, chunker and token mapping, the gold readers'
// errors, and the ACLED helpers and field scoring.
#include "eval.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/document.h"

namespace extract {
namespace {

// The code-point span of the first `needle` in ASCII `text`.
GoldSpan Gold(const std::string& text, const std::string& needle,
              std::optional<EntityType> type, std::string label = "") {
  const size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return GoldSpan{static_cast<uint32_t>(at),
                  static_cast<uint32_t>(at + needle.size()), type, label};
}

PredictedSpan Pred(const std::string& text, const std::string& needle,
                   EntityType type) {
  const size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  PredictedSpan p;
  p.start = static_cast<uint32_t>(at);
  p.end = static_cast<uint32_t>(at + needle.size());
  p.type = type;
  p.source = "test";
  return p;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kSharedEval = EXTRACT_SOURCE_DIR "/../shared/eval";

constexpr auto kPerson = EntityType::kPerson;
constexpr auto kPlace = EntityType::kPlace;
constexpr auto kGroup = EntityType::kGroup;

size_t I(EntityType t) { return static_cast<size_t>(t); }

// ---------------------------------------------------------------------------
// Scoring arithmetic

TEST_CASE("Eval: exact and lenient counts per type and micro", "[eval]") {
  GoldDocument doc;
  doc.id = "d1";
  doc.text = "Ann Lee of Acme Corp visited Paris and the Expo 2024 fair.";
  doc.spans = {Gold(doc.text, "Ann Lee", kPerson),
               Gold(doc.text, "Acme Corp", kGroup),
               Gold(doc.text, "Paris", kPlace),
               Gold(doc.text, "Expo 2024", std::nullopt, "MISC")};
  const std::vector<PredictedSpan> pred = {
      Pred(doc.text, "Ann Lee", kPerson),  // exact
      Pred(doc.text, "Acme", kGroup),      // boundary: lenient only
      Pred(doc.text, "Paris", kGroup),     // wrong type
      Pred(doc.text, "Expo", kPlace),      // on MISC: neutral
  };
  NerScores s;
  std::vector<ScoringError> errors;
  ScoreDocument(doc, pred, &s, &errors);

  const NerCounts& person = s.by_type[I(kPerson)];
  CHECK(person.gold == 1);
  CHECK(person.predicted == 1);
  CHECK(person.correct == 1);
  CHECK(person.F1() == Approx(1.0));

  const NerCounts& group = s.by_type[I(kGroup)];
  CHECK(group.gold == 1);
  CHECK(group.predicted == 2);
  CHECK(group.correct == 0);
  CHECK(group.lenient_predicted_correct == 1);
  CHECK(group.lenient_gold_found == 1);
  CHECK(group.LenientPrecision() == Approx(0.5));
  CHECK(group.LenientRecall() == Approx(1.0));
  CHECK(group.LenientF1() == Approx(2.0 / 3));

  const NerCounts& place = s.by_type[I(kPlace)];
  CHECK(place.gold == 1);
  CHECK(place.predicted == 0);
  CHECK(place.Precision() == 0.0);  // no division by zero
  CHECK(place.Recall() == 0.0);

  CHECK(s.neutral_predictions == 1);
  const NerCounts micro = s.Micro();
  CHECK(micro.gold == 3);
  CHECK(micro.predicted == 3);
  CHECK(micro.correct == 1);
  CHECK(micro.Precision() == Approx(1.0 / 3));
  CHECK(micro.Recall() == Approx(1.0 / 3));
  CHECK(micro.F1() == Approx(1.0 / 3));
  CHECK(micro.LenientPrecision() == Approx(2.0 / 3));
  CHECK(micro.LenientRecall() == Approx(2.0 / 3));

  CHECK(s.error_classes["fp boundary"] == 1);
  CHECK(s.error_classes["fp type"] == 1);
  CHECK(s.error_classes["fn boundary"] == 1);
  CHECK(s.error_classes["fn type"] == 1);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].false_positive);
  CHECK(errors[0].text == "Acme");
  CHECK(errors[0].other == "gold group 'Acme Corp'");
  CHECK(errors[0].context.find("[[Acme]] Corp") != std::string::npos);
}

TEST_CASE("Eval: neutral gold spans", "[eval]") {
  GoldDocument doc;
  doc.text = "Berlin Wall tours sold out in Bonn.";
  doc.spans = {Gold(doc.text, "Berlin Wall", std::nullopt, "misc"),
               Gold(doc.text, "Berlin", kPlace)};

  SECTION(
      "a prediction exactly on a scored span nested in a neutral one "
      "counts") {
    NerScores s;
    ScoreDocument(doc, {Pred(doc.text, "Berlin", kPlace)}, &s, nullptr);
    CHECK(s.by_type[I(kPlace)].correct == 1);
    CHECK(s.neutral_predictions == 0);
  }
  SECTION(
      "any other prediction overlapping a neutral span counts neither "
      "way") {
    NerScores s;
    ScoreDocument(
        doc,
        {Pred(doc.text, "Wall", kGroup), Pred(doc.text, "Berlin Wall", kPlace)},
        &s, nullptr);
    CHECK(s.neutral_predictions == 2);
    CHECK(s.Micro().predicted == 0);
    CHECK(s.by_type[I(kPlace)].gold == 1);  // still missed
  }
  SECTION("a prediction outside neutral spans is a false positive") {
    NerScores s;
    std::vector<ScoringError> errors;
    ScoreDocument(doc, {Pred(doc.text, "Bonn", kPlace)}, &s, &errors);
    CHECK(s.by_type[I(kPlace)].predicted == 1);
    CHECK(s.error_classes["fp spurious"] == 1);
    CHECK(s.error_classes["fn missed"] == 1);
  }
}

TEST_CASE("Eval: duplicate predictions count once", "[eval]") {
  GoldDocument doc;
  doc.text = "Mali";
  doc.spans = {Gold(doc.text, "Mali", kPlace)};
  NerScores s;
  ScoreDocument(
      doc, {Pred(doc.text, "Mali", kPlace), Pred(doc.text, "Mali", kPlace)}, &s,
      nullptr);
  CHECK(s.by_type[I(kPlace)].predicted == 1);
  CHECK(s.by_type[I(kPlace)].F1() == Approx(1.0));
}

TEST_CASE("Eval: predicted spans come from entity mentions in code points",
          "[eval]") {
  DocumentResult r;
  r.text = "Cissé met the junta in Gao.";  // é is two bytes
  auto mention = [&](uint32_t b, uint32_t e, EntityType t, MentionRole role) {
    Mention m;
    m.span = {b, e};
    m.type = t;
    m.role = role;
    m.source = "src";
    r.mentions.push_back(m);
    Entity ent;
    ent.type = t;
    ent.mentions = {static_cast<uint32_t>(r.mentions.size() - 1)};
    r.entities.push_back(ent);
  };
  mention(0, 6, kPerson, MentionRole::kName);         // "Cissé"
  mention(11, 20, kGroup, MentionRole::kDescriptor);  // "the junta"
  mention(24, 27, kPlace, MentionRole::kName);        // "Gao"

  const auto p = PredictedSpans(r, false);
  REQUIRE(p.size() == 2);
  CHECK(p[0].start == 0);
  CHECK(p[0].end == 5);
  CHECK(p[1].start == 23);
  CHECK(p[1].end == 26);
  CHECK(PredictedSpans(r, true).size() == 3);

  const std::vector<uint32_t> cp = CodePointOffsets(r.text);
  CHECK(cp.size() == r.text.size() + 1);
  CHECK(cp[6] == 5);
  CHECK(cp[r.text.size()] == 27);
}

// ---------------------------------------------------------------------------
// CoNLL

constexpr const char* kConll =
    "-DOCSTART- -X- O O\n"
    "\n"
    "EU NNP I-NP I-ORG\n"
    "rejects VBZ I-VP O\n"
    "German JJ I-NP I-MISC\n"
    "call NN I-NP O\n"
    ". . O O\n"
    "\n"
    "Peter NNP I-NP I-PER\n"
    "Blackburn NNP I-NP I-PER\n"
    "\n"
    "-DOCSTART- -X- O O\n"
    "\n"
    "Zürich NNP I-NP I-LOC\n"
    "wins VBZ I-VP O\n";

TEST_CASE("Eval: CoNLL documents are rebuilt as in eng.testa.docs.jsonl",
          "[eval]") {
  auto docs = ParseConll(kConll, "data/test.conll");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  const GoldDocument& d = (*docs)[0];
  CHECK(d.id == "test.conll#0");
  CHECK(d.text == "EU rejects German call .\nPeter Blackburn");
  REQUIRE(d.tokens.size() == 7);
  CHECK(d.tokens[5].start == 25);
  CHECK(d.tokens[5].end == 30);
  CHECK(d.tokens[5].sentence == 1);
  REQUIRE(d.spans.size() == 3);
  CHECK(d.spans[0].start == 0);
  CHECK(d.spans[0].end == 2);
  CHECK(d.spans[0].type == kGroup);
  CHECK(d.spans[1].label == "MISC");
  CHECK(!d.spans[1].type);
  CHECK(d.spans[2].start == 25);
  CHECK(d.spans[2].end == 40);
  CHECK(d.spans[2].type == kPerson);

  const GoldDocument& z = (*docs)[1];
  CHECK(z.id == "test.conll#1");
  CHECK(z.text == "Zürich wins");
  CHECK(z.tokens[1].start == 7);  // code points, not bytes
  REQUIRE(z.spans.size() == 1);
  CHECK(z.spans[0].end == 6);
}

TEST_CASE("Eval: CoNLL errors name the file and line", "[eval]") {
  auto bad_tag = ParseConll("EU NNP I-NP X-ORG\n", "a.conll");
  REQUIRE(!bad_tag.ok());
  CHECK(bad_tag.status().message().rfind("a.conll:1: bad NER tag 'X-ORG'", 0) ==
        0);
  auto one_column = ParseConll("-DOCSTART- -X- O O\n\nEU\n", "a.conll");
  REQUIRE(!one_column.ok());
  CHECK(one_column.status().message().rfind("a.conll:3:", 0) == 0);
}

TEST_CASE("Eval: CoNLL chunks follow conlleval", "[eval]") {
  using C = std::vector<TagChunk>;
  const std::vector<uint32_t> one(4, 0);
  // IOB1: I- continues, B- separates adjacent chunks of one type.
  CHECK(ConllChunks({"I-PER", "I-PER", "O", "I-LOC"}, one) ==
        C{{0, 2, "PER"}, {3, 4, "LOC"}});
  CHECK(ConllChunks({"I-ORG", "B-ORG", "I-ORG", "O"}, one) ==
        C{{0, 1, "ORG"}, {1, 3, "ORG"}});
  // A change of type ends a chunk.
  CHECK(ConllChunks({"I-PER", "I-LOC", "O", "O"}, one) ==
        C{{0, 1, "PER"}, {1, 2, "LOC"}});
  // IOB2 and a chunk that runs to the end.
  CHECK(ConllChunks({"B-PER", "I-PER", "B-PER", "I-PER"}, one) ==
        C{{0, 2, "PER"}, {2, 4, "PER"}});
  // A sentence boundary ends a chunk.
  CHECK(ConllChunks({"I-PER", "I-PER"}, {0, 1}) ==
        C{{0, 1, "PER"}, {1, 2, "PER"}});
  CHECK(ConllChunks({}, {}).empty());
}

TEST_CASE("Eval: predictions are mapped to the tokens they overlap", "[eval]") {
  auto docs = ParseConll(
      "Phil x x I-PER\nSimmons x x I-PER\ntook x x O\n"
      "Leicestershire-based x x I-ORG\n",
      "t.conll");
  REQUIRE(docs.ok());
  const GoldDocument& d = (*docs)[0];
  REQUIRE(d.text == "Phil Simmons took Leicestershire-based");
  size_t dropped = 0;
  std::vector<std::string> sources;
  const auto tags =
      TagTokens(d.tokens,
                {Pred(d.text, "Phil Simmons", kPerson),
                 Pred(d.text, "Simmons", kPerson),    // nested: dropped
                 Pred(d.text, "Leicester", kPlace)},  // part of a token
                &dropped, &sources);
  CHECK(tags == std::vector<std::string>{"B-PER", "I-PER", "O", "B-LOC"});
  CHECK(dropped == 1);
  CHECK(sources[0] == "test");
  CHECK(sources[2].empty());
}

TEST_CASE("Eval: CoNLL text agrees with eng.testa.docs.jsonl", "[eval]") {
  const std::string conll = kSharedEval + "/conll2003/eng.testa";
  const std::string jsonl = kSharedEval + "/conll2003/eng.testa.docs.jsonl";
  if (!std::filesystem::exists(conll) || !std::filesystem::exists(jsonl)) {
    WARN("skipped: " << kSharedEval << " is absent");
    return;
  }
  auto a = ParseConll(ReadFile(conll), conll);
  auto b = ParseGoldJsonl(GoldFormat::kConllJsonl, ReadFile(jsonl), jsonl);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->size() == b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    INFO("document " << (*a)[i].id);
    CHECK((*a)[i].id == (*b)[i].id);
    REQUIRE((*a)[i].text == (*b)[i].text);
    REQUIRE((*a)[i].spans.size() == (*b)[i].spans.size());
    for (size_t k = 0; k < (*a)[i].spans.size(); ++k) {
      CHECK((*a)[i].spans[k].start == (*b)[i].spans[k].start);
      CHECK((*a)[i].spans[k].end == (*b)[i].spans[k].end);
      CHECK((*a)[i].spans[k].type == (*b)[i].spans[k].type);
    }
  }
}

// ---------------------------------------------------------------------------
// JSON Lines gold formats

TEST_CASE("Eval: gold JSON Lines", "[eval]") {
  SECTION("our format, with a neutral type and a date") {
    auto docs = ParseGoldJsonl(
        GoldFormat::kGold,
        R"({"id":"a","date":"2024-01-02","text":"Goïta in Mali","entities":[)"
        R"({"type":"person","start":0,"end":5,"text":"Goïta"},)"
        R"({"type":"misc","start":9,"end":13,"text":"Mali"}]})"
        "\n\n",
        "g.jsonl");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    CHECK((*docs)[0].date == "2024-01-02");
    CHECK((*docs)[0].spans[0].type == kPerson);
    CHECK(!(*docs)[0].spans[1].type);
  }
  SECTION("DWIE types") {
    auto docs = ParseGoldJsonl(
        GoldFormat::kDwie,
        R"({"doc_id":"DW_1","text":"EU in Europe, 2004","mentions":[)"
        R"({"start":0,"end":2,"coarse_type":"organization"},)"
        R"({"start":6,"end":12,"coarse_type":"location"},)"
        R"({"start":14,"end":18,"coarse_type":"time"}]})",
        "d.jsonl");
    REQUIRE(docs.ok());
    CHECK((*docs)[0].spans[0].type == kGroup);
    CHECK((*docs)[0].spans[1].type == kPlace);
    CHECK(!(*docs)[0].spans[2].type);
  }
  SECTION("errors name the file and line") {
    auto text_mismatch =
        ParseGoldJsonl(GoldFormat::kGold,
                       "\n"
                       R"({"id":"a","text":"Mali","entities":[)"
                       R"({"type":"place","start":0,"end":3,"text":"Mali"}]})",
                       "g.jsonl");
    REQUIRE(!text_mismatch.ok());
    CHECK(text_mismatch.status().message().rfind(
              "g.jsonl:2: entities[0]: \"text\" is not text[0:3] = 'Mal'", 0) ==
          0);
    auto outside =
        ParseGoldJsonl(GoldFormat::kGold,
                       R"({"id":"a","text":"Mali","entities":[)"
                       R"({"type":"place","start":2,"end":9,"text":"li"}]})",
                       "g.jsonl");
    REQUIRE(!outside.ok());
    CHECK(outside.status().message().find("outside the text") !=
          std::string::npos);
    auto bad_type = ParseGoldJsonl(
        GoldFormat::kGold,
        R"({"id":"a","text":"Mali","entities":[)"
        R"({"type":"country","start":0,"end":4,"text":"Mali"}]})",
        "g.jsonl");
    REQUIRE(!bad_type.ok());
    CHECK(bad_type.status().message().find("type 'country'") !=
          std::string::npos);
    auto malformed = ParseGoldJsonl(GoldFormat::kGold, "{\"id\":", "g.jsonl");
    REQUIRE(!malformed.ok());
    CHECK(malformed.status().message().rfind("g.jsonl:1: malformed JSON", 0) ==
          0);
    auto missing =
        ParseGoldJsonl(GoldFormat::kGold, R"({"id":"a"})", "g.jsonl");
    REQUIRE(!missing.ok());
    CHECK(missing.status().message() == "g.jsonl:1: missing string \"text\"");
  }
  SECTION("format names") {
    CHECK(*ParseGoldFormat("conll-jsonl") == GoldFormat::kConllJsonl);
    CHECK(!ParseGoldFormat("csv").ok());
    CHECK(!ParseGold(GoldFormat::kAcled, "", "x").ok());
  }
}

// ---------------------------------------------------------------------------
// ACLED

TEST_CASE("Eval: ACLED dates", "[eval]") {
  CHECK(ParseAcledDate("30 December 2018") == "2018-12-30");
  CHECK(ParseAcledDate("03 April 2018") == "2018-04-03");
  CHECK(ParseAcledDate("16-Feb-21") == "2021-02-16");
  CHECK(ParseAcledDate("7-Feb-22") == "2022-02-07");
  CHECK(ParseAcledDate("7-Sep-2022") == "2022-09-07");
  CHECK(ParseAcledDate(" 1 May 2020 ") == "2020-05-01");
  CHECK(ParseAcledDate("").empty());
  CHECK(ParseAcledDate("2018-12-30").empty());
  CHECK(ParseAcledDate("32 May 2020").empty());
  CHECK(ParseAcledDate("1 Mayday 2020").empty());
  CHECK(ParseAcledDate("1 May 20").empty());
}

TEST_CASE("Eval: ACLED actor periods are stripped", "[eval]") {
  CHECK(StripActorPeriod("Military Forces of Mali (2013-2020)") ==
        "Military Forces of Mali");
  CHECK(StripActorPeriod("Military Forces of France (2017-) ") ==
        "Military Forces of France");
  CHECK(StripActorPeriod("Civilians (Mali)") == "Civilians (Mali)");
  CHECK(StripActorPeriod("Islamic State (Greater Sahara)") ==
        "Islamic State (Greater Sahara)");
  CHECK(StripActorPeriod("Police (201-)") == "Police (201-)");
  CHECK(StripActorPeriod("") == "");
}

TEST_CASE("Eval: haversine distance", "[eval]") {
  CHECK(HaversineKm(14.0, -7.0, 14.0, -7.0) == Approx(0.0).margin(1e-9));
  // One degree of latitude is about 111.2 km everywhere.
  CHECK(HaversineKm(0, 0, 1, 0) == Approx(111.195).epsilon(1e-3));
  // Bamako to Gao: about 946 km.
  CHECK(HaversineKm(12.65, -8.0, 16.2717, -0.0447) ==
        Approx(946.3).epsilon(1e-3));
  // Symmetric, and at the antimeridian.
  CHECK(HaversineKm(10, 179.9, 10, -179.9) ==
        Approx(HaversineKm(10, -179.9, 10, 179.9)));
  CHECK(HaversineKm(10, 179.9, 10, -179.9) < 25);
}

TEST_CASE("Eval: does a note state a number", "[eval]") {
  CHECK(NoteStatesNumber("two soldiers killed and two others wounded", 2));
  CHECK(NoteStatesNumber("3 Malian soldiers were killed", 3));
  CHECK(NoteStatesNumber("killing twenty-two civilians", 22));
  CHECK(NoteStatesNumber("killing 157 civilians", 157));
  CHECK_FALSE(NoteStatesNumber("On 3 May, gunmen killed several people", 3));
  CHECK_FALSE(NoteStatesNumber("On December 28, gunmen killed civilians", 28));
  CHECK_FALSE(NoteStatesNumber("killed several civilians", 4));
  CHECK_FALSE(NoteStatesNumber(
      "executed a mechanic (coded as Balandougou at geoprecision 2).", 2));
  CHECK_FALSE(NoteStatesNumber("no casualties", 0));
}

TEST_CASE("Eval: ACLED CSV", "[eval]") {
  const std::string csv =
      "event_id_cnty,event_date,event_type,sub_event_type,actor1,"
      "assoc_actor_1,actor2,assoc_actor_2,admin1,location,latitude,"
      "longitude,fatalities,notes\n"
      "MLI1,30 December 2018,Battles,Armed clash,\"JNIM: Group for Support "
      "of Islam and Muslims\",Katiba Macina,Military Forces of Mali "
      "(2013-2020),,Koulikoro,Sebete,14.0336,-7.1451,2,\"On December 30, "
      "militants ambushed a patrol; \"\"two\"\" soldiers\nkilled.\"\r\n"
      "\n"
      "MLI2,16-Feb-21,Riots,,,,,,,,,,,short\n";
  auto rows = ParseAcledCsv(csv, "dev.csv");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  const AcledRow& r = (*rows)[0];
  CHECK(r.line == 2);
  CHECK(r.event_id == "MLI1");
  CHECK(r.actor1 == "JNIM: Group for Support of Islam and Muslims");
  CHECK(r.notes ==
        "On December 30, militants ambushed a patrol; \"two\" soldiers\n"
        "killed.");
  CHECK(*r.latitude == Approx(14.0336));
  CHECK(*r.fatalities == 2);
  CHECK((*rows)[1].line == 5);
  CHECK(!(*rows)[1].latitude);

  auto unclosed =
      ParseAcledCsv("event_date,event_type,notes\n1,2,\"open\n", "dev.csv");
  REQUIRE(!unclosed.ok());
  CHECK(unclosed.status().message() == "dev.csv:2: quoted field is not closed");
  auto short_row =
      ParseAcledCsv("event_date,event_type,notes\n1,2,3\n4,5\n", "dev.csv");
  REQUIRE(!short_row.ok());
  CHECK(short_row.status().message() ==
        "dev.csv:3: expected 3 fields as in the header, found 2");
  auto no_notes = ParseAcledCsv("event_date,event_type\n", "dev.csv");
  REQUIRE(!no_notes.ok());
  CHECK(no_notes.status().message() ==
        "dev.csv:1: no column 'notes' in the header");
}

TEST_CASE("Eval: ACLED fields of one row", "[eval]") {
  AcledRow row;
  row.event_date = "30 December 2018";
  row.event_type = "Battles";
  row.sub_event_type = "Armed clash";
  row.actor1 = "JNIM: Group for Support of Islam and Muslims";
  row.assoc_actor_1 = "Katiba Macina";
  row.actor2 = "Military Forces of Mali (2013-2020)";
  row.admin1 = "Menaka";
  row.location = "Ménaka-Ville";
  row.latitude = 15.9182;
  row.longitude = 2.4022;
  row.fatalities = 2;
  row.notes =
      "On December 30, militants ambushed a patrol, two soldiers killed.";

  AcledPrediction p;
  p.has_event = true;
  p.event_type = "Battles";
  p.sub_event_type = "Armed clash";
  p.actor1 = "Katiba Macina";                    // an associated actor counts
  p.actor2 = "Military Forces of Mali (2021-)";  // another period
  p.location = "Menaka";
  p.place_texts = {"Menaka", "MENAKA VILLE"};  // punctuation ignored
  p.admin1 = "Ménaka Region";
  p.latitude = 15.9;  // about 2 km away
  p.longitude = 2.4;
  p.date = "2018-12-30";
  p.fatalities = 2;

  auto at = [](const auto& scores, AcledField f) {
    return scores[static_cast<size_t>(f)];
  };
  SECTION("all right") {
    const auto s = ScoreAcledRow(row, p);
    for (size_t f = 0; f < kAcledFieldCount; ++f) {
      INFO(ToString(static_cast<AcledField>(f)));
      REQUIRE(s[f].has_value());
      CHECK(*s[f]);
    }
  }
  SECTION("all wrong") {
    AcledPrediction none;
    const auto s = ScoreAcledRow(row, none);
    for (size_t f = 0; f < kAcledFieldCount; ++f) {
      INFO(ToString(static_cast<AcledField>(f)));
      REQUIRE(s[f].has_value());
      CHECK_FALSE(*s[f]);
    }
  }
  SECTION("coordinates beyond 25 km") {
    p.latitude = 16.2;
    CHECK_FALSE(*at(ScoreAcledRow(row, p), AcledField::kCoordinates));
  }
  SECTION("old taxonomy, no sub-event type, no stated count: skipped") {
    row.event_type = "Battle-No change of territory";
    row.sub_event_type = "";
    row.notes = "Militants ambushed a patrol, soldiers killed.";
    row.latitude.reset();
    const auto s = ScoreAcledRow(row, p);
    CHECK(!at(s, AcledField::kEventType));
    CHECK(!at(s, AcledField::kSubEventType));
    CHECK(!at(s, AcledField::kFatalities));
    CHECK(!at(s, AcledField::kCoordinates));
  }
  SECTION("a row without actor2 wants no predicted acled_actor") {
    row.actor2 = "";
    CHECK_FALSE(*at(ScoreAcledRow(row, p), AcledField::kActor2));
    p.actor2 = "";
    CHECK(*at(ScoreAcledRow(row, p), AcledField::kActor2));
  }
}

TEST_CASE("Eval: the main ACLED event of a result", "[eval]") {
  DocumentResult r;
  r.text = "Militants attacked Boni.";
  Entity group;
  group.type = kGroup;
  group.name = "JNIM";
  group.canonical = Canonical{"group:jnim",
                              "groups.tsv:1",
                              {{"acled_actor",
                                "JNIM: Group for Support of "
                                "Islam and Muslims",
                                false}}};
  Entity place;
  place.type = kPlace;
  place.name = "Mopti";
  place.canonical = Canonical{"geonames:1",
                              "places.tsv:1",
                              {{"admin1", "Mopti", false},
                               {"feature", "ADM1", false},
                               {"lat", "14.5", true},
                               {"lon", "-4.2", true}}};
  r.entities = {group, place};
  Event first;  // no ACLED type: not the main event
  first.type = "statement";
  Event second;
  second.acled_event_type = "Battles";
  second.acled_sub_event_type = "Armed clash";
  second.trigger = {10, 18};
  second.actors = {0};
  second.places = {1};
  second.fatalities = 4;
  Event arrest;  // coded, but less severe than the battle after it
  arrest.acled_event_type = "Strategic developments";
  arrest.acled_sub_event_type = "Arrests";
  arrest.trigger = {0, 4};
  r.events = {first, arrest, second};

  const AcledPrediction p = PredictAcled(r);
  CHECK(p.has_event);
  CHECK(p.event_type == "Battles");
  CHECK(p.trigger == "attacked");
  CHECK(p.actor1 == "JNIM: Group for Support of Islam and Muslims");
  CHECK(p.actor2.empty());
  CHECK(p.location == "Mopti");
  CHECK(p.admin1 == "Mopti");
  CHECK(*p.latitude == Approx(14.5));
  CHECK(*p.fatalities == 4);
  CHECK_FALSE(PredictAcled(DocumentResult()).has_event);
}

TEST_CASE("Eval: the main event is one reported as having happened",
          "[eval]") {
  DocumentResult r;
  r.text = "Militants denied attacking Boni; they abducted two men.";
  Event denied;  // more severe, but denied
  denied.acled_event_type = "Battles";
  denied.acled_sub_event_type = "Armed clash";
  denied.trigger = {17, 26};
  denied.status = "denied";
  Event threat;
  threat.acled_event_type = "Explosions/Remote violence";
  threat.status = "threatened";
  Event abduction;
  abduction.acled_event_type = "Violence against civilians";
  abduction.acled_sub_event_type = "Abduction/forced disappearance";
  abduction.trigger = {38, 46};
  abduction.status = "claimed";
  r.events = {denied, threat, abduction};

  AcledPrediction p = PredictAcled(r);
  CHECK(p.event_type == "Violence against civilians");
  CHECK(p.trigger == "abducted");

  SECTION("among reported events the severity order still holds") {
    r.events[0].status = "alleged";
    p = PredictAcled(r);
    CHECK(p.event_type == "Battles");
    CHECK(p.trigger == "attacking");
  }
  SECTION("without any reported event, every event competes") {
    r.events[2].status = "planned";
    p = PredictAcled(r);
    CHECK(p.event_type == "Explosions/Remote violence");
  }
  SECTION("an uncoded reported event does not beat coded ones") {
    r.events[2].acled_event_type = "";
    r.events[2].status = "possible";
    p = PredictAcled(r);
    CHECK(p.has_event);
    CHECK(p.event_type == "Explosions/Remote violence");
  }
  SECTION("with no coded event, the first event is the main one") {
    for (Event& e : r.events) e.acled_event_type = "";
    p = PredictAcled(r);
    CHECK(p.has_event);
    CHECK(p.event_type.empty());
    CHECK(p.trigger == "attacking");
  }
}

}  // namespace
}  // namespace extract
