// Tests of stage 6 through the public pipeline: entities and events built
// from short news sentences with the shipped gazetteers and rules. Each
// case is one behaviour: active, passive, inverted and nominal triggers,
// negation, modality, numbers, dates, descriptors and coreference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "extract/pipeline.h"
#include "extract/reader.h"

namespace extract {
namespace {

const Pipeline& P() {
  static std::unique_ptr<Pipeline> pipeline = [] {
    PipelineOptions options;
    options.gazetteer_dir = EXTRACT_GAZETTEERS_DIR;
    auto p = Pipeline::Load(options);
    if (!p.ok()) FAIL(p.status().ToString());
    return std::move(*p);
  }();
  return *pipeline;
}

DocumentResult Run(const std::string& text, const std::string& date = "") {
  auto doc = MakeDocument("test.txt", text);
  REQUIRE(doc.ok());
  doc->date = date;
  return P().Process(std::move(*doc));
}

std::string Text(const DocumentResult& r, Span s) {
  return r.text.substr(s.begin, s.size());
}

// "name" of each entity listed, or of the canonical id when asked.
std::vector<std::string> Names(const DocumentResult& r,
                               const std::vector<uint32_t>& ids) {
  std::vector<std::string> out;
  for (uint32_t i : ids) out.push_back(r.entities[i].name);
  return out;
}

std::string CanonicalId(const DocumentResult& r, uint32_t entity) {
  const auto& c = r.entities[entity].canonical;
  return c ? c->id : "";
}

const Event* FindEvent(const DocumentResult& r, const std::string& type) {
  for (const Event& e : r.events) {
    if (e.type == type) return &e;
  }
  return nullptr;
}

const Entity* FindEntity(const DocumentResult& r, const std::string& name) {
  for (const Entity& e : r.entities) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

using V = std::vector<std::string>;

TEST_CASE("Events: active voice, place in context, date, fatalities",
          "[events]") {
  auto r = Run(
      "JNIM militants attacked the village of Dogofri (Niono, Segou) on "
      "Tuesday, killing 12 civilians.",
      "2024-11-22");
  const Event* e = FindEvent(r, "attack");
  REQUIRE(e != nullptr);
  CHECK(e->voice == "active");
  CHECK(e->source == "event.active");
  REQUIRE(e->actors.size() == 1);
  CHECK(CanonicalId(r, e->actors[0]) == "group:jnim");
  REQUIRE_FALSE(e->places.empty());
  const Entity& place = r.entities[e->places[0]];
  CHECK(place.name == "Dogofri");
  REQUIRE(place.canonical);
  bool in_segou = false;
  for (const Attribute& a : place.canonical->attributes) {
    if (a.key == "country") CHECK(a.value == "ML");
    if (a.key == "admin1") in_segou = a.value.find("gou") != std::string::npos;
  }
  CHECK(in_segou);
  REQUIRE(e->date);
  CHECK(Text(r, e->date->span) == "on Tuesday");
  CHECK(e->date->value == "2024-11-19");
  REQUIRE(e->fatalities);
  CHECK(*e->fatalities == 12);
  CHECK(e->acled_event_type == "Violence against civilians");
  CHECK_FALSE(e->negated);
}

TEST_CASE("Events: passive voice, agent, title place not the event's",
          "[events]") {
  auto r = Run(
      "Yehia Tandina, the mayor of the Timbuktu region, was kidnapped last "
      "Friday by JNIM.",
      "2024-11-22");
  const Event* e = FindEvent(r, "abduction");
  REQUIRE(e != nullptr);
  CHECK(e->voice == "passive");
  CHECK(Names(r, e->targets) == V{"Yehia Tandina"});
  REQUIRE(e->actors.size() == 1);
  CHECK(CanonicalId(r, e->actors[0]) == "group:jnim");
  CHECK(e->places.empty());  // "mayor of the Timbuktu region" is his title
  REQUIRE(e->date);
  CHECK(e->date->value == "2024-11-15");
  CHECK(e->acled_sub_event_type == "Abduction/forced disappearance");
}

TEST_CASE("Events: inverted order", "[events]") {
  auto r = Run("Executed in the town of Tonka was Mariam Cissé.");
  const Event* e = FindEvent(r, "execution");
  REQUIRE(e != nullptr);
  CHECK(e->voice == "inverted");
  CHECK(Names(r, e->targets) == V{"Mariam Cissé"});
  REQUIRE(e->places.size() == 1);
  CHECK(CanonicalId(r, e->places[0]) == "geonames:2449018");
}

TEST_CASE("Events: nominal trigger with its subject and a 'since' date",
          "[events]") {
  auto r = Run("JNIM has enforced a fuel blockade since September.",
               "2024-11-22");
  const Event* e = FindEvent(r, "blockade");
  REQUIRE(e != nullptr);
  CHECK(e->voice == "nominal");
  REQUIRE(e->actors.size() == 1);
  CHECK(CanonicalId(r, e->actors[0]) == "group:jnim");
  REQUIRE(e->date);
  CHECK(e->date->relation == "since");
  CHECK(e->date->value == "2024-09");
}

TEST_CASE("Events: negation", "[events]") {
  SECTION("denied attacking") {
    auto r = Run("The Malian army denied attacking the village.");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    CHECK(e->negated);
  }
  SECTION("did not") {
    auto r = Run("Soldiers did not attack the camp near Gao.");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    CHECK(e->negated);
  }
  SECTION("no choice but to is not a negation") {
    auto r = Run("The government had no choice but to close schools.");
    const Event* e = FindEvent(r, "restriction");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->negated);
  }
}

TEST_CASE("Events: modality", "[events]") {
  SECTION("threatened to kill") {
    auto r = Run("JNIM threatened to kill the hostages.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK(e->modality == "threatened");
  }
  SECTION("may collapse") {
    auto r = Run("Analysts say the regime may collapse within weeks.");
    const Event* e = FindEvent(r, "collapse");
    REQUIRE(e != nullptr);
    CHECK(e->modality == "possible");
  }
  SECTION("plain statement") {
    auto r = Run("JNIM killed two soldiers near Gao.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK(e->modality == "asserted");
    REQUIRE(e->fatalities);
    CHECK(*e->fatalities == 2);
  }
}

TEST_CASE("Events: ransom amount, hostages and nationality", "[events]") {
  auto r = Run(
      "Among the victims are three Egyptian nationals and JNIM is demanding "
      "a ransom of $5 million for their release.");
  const Event* e = FindEvent(r, "ransom_demand");
  REQUIRE(e != nullptr);
  REQUIRE(e->ransom);
  CHECK(e->ransom->value == 5000000);
  CHECK(e->ransom->unit == "USD");
  CHECK(Text(r, e->ransom->span) == "$5 million");
  REQUIRE(e->actors.size() == 1);
  CHECK(CanonicalId(r, e->actors[0]) == "group:jnim");
  const Entity* egypt = FindEntity(r, "Egypt");
  REQUIRE(egypt != nullptr);
  CHECK(r.mentions[egypt->mentions[0]].role == MentionRole::kDemonym);
}

TEST_CASE("Events: descriptors resolve to groups", "[events][entities]") {
  auto r = Run(
      "Mali's military junta has asked French and United Nations forces to "
      "leave.");
  const Event* e = FindEvent(r, "expulsion");
  REQUIRE(e != nullptr);
  CHECK(e->source == "event.active");
  CHECK(e->trigger_source == "event.ask_to_leave");
  REQUIRE(e->actors.size() == 1);
  CHECK(CanonicalId(r, e->actors[0]) == "group:government_ml");
  std::vector<std::string> targets;
  for (uint32_t t : e->targets) targets.push_back(CanonicalId(r, t));
  CHECK(targets == V{"group:military_fr", "group:minusma"});
  // The UN itself is still named.
  CHECK(FindEntity(r, "United Nations") != nullptr);
}

TEST_CASE("Entities: demonym + army is the national army, not a place",
          "[entities]") {
  auto r = Run("As a supporter of the Malian army, she wore combat gear.");
  REQUIRE(r.entities.size() >= 1);
  const Entity* army = nullptr;
  for (const Entity& e : r.entities) {
    if (e.canonical && e.canonical->id == "group:military_ml") army = &e;
    CHECK_FALSE((e.type == EntityType::kPlace && e.name == "Mali"));
  }
  REQUIRE(army != nullptr);
  CHECK(army->type == EntityType::kGroup);
}

TEST_CASE("Entities: a short name joins the full name", "[entities]") {
  auto r = Run(
      "Mariam Cissé was a TikTok influencer. These days, Cissé has more than "
      "100,000 followers.");
  const Entity* p = FindEntity(r, "Mariam Cissé");
  REQUIRE(p != nullptr);
  CHECK(p->type == EntityType::kPerson);
  REQUIRE(p->mentions.size() == 2);
  const Mention& short_name = r.mentions[p->mentions[1]];
  CHECK(Text(r, short_name.span) == "Cissé");
  CHECK(short_name.role == MentionRole::kShortName);
  CHECK(short_name.source == "coref.short_name");
}

TEST_CASE("Entities: an acronym defined in parentheses joins its expansion",
          "[entities]") {
  auto r = Run(
      "The Front for the Liberation of Nowhere (FLN) attacked a convoy. The "
      "FLN later claimed it.");
  const Entity* g = nullptr;
  for (const Entity& e : r.entities) {
    if (e.name.find("Front for the Liberation of Nowhere") != std::string::npos) {
      g = &e;
    }
  }
  REQUIRE(g != nullptr);
  CHECK(g->type == EntityType::kGroup);
  CHECK(g->mentions.size() == 3);  // expansion, acronym, later acronym
}

TEST_CASE("Entities: a word that is also a village is not a place",
          "[entities]") {
  auto r = Run("Since 2012, some say the country has changed. As a result, "
               "Rama Yade left.");
  for (const Entity& e : r.entities) {
    INFO(e.name);
    CHECK(e.type != EntityType::kPlace);
  }
  const Entity* p = FindEntity(r, "Rama Yade");
  REQUIRE(p != nullptr);
  CHECK(p->type == EntityType::kPerson);
}

}  // namespace
}  // namespace extract

namespace extract {
namespace {

// Issue 3's examples: short texts resolve as a reader expects.
TEST_CASE("issue 3: short texts resolve as a reader expects",
          "[regression][entities]") {
  auto canonical_ids = [](const DocumentResult& r) {
    std::vector<std::string> ids;
    for (const Entity& e : r.entities) {
      ids.push_back(e.canonical ? e.canonical->id : "-" + e.name);
    }
    return ids;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  SECTION("a village with its district and region") {
    auto ids = canonical_ids(Run(
        "Gunmen attacked the village of Dogofri (Niono, Segou) on Tuesday."));
    CHECK(has(ids, "geonames:2458473"));  // Dogofri, Ségou, Mali
  }
  SECTION("one of several namesakes, chosen by its region") {
    auto ids = canonical_ids(Run("Gunmen attacked Dounde (Goundam, Tombouctou)."));
    CHECK(has(ids, "geonames:6687337"));  // the Doundé of Tombouctou region
  }
  SECTION("a group's French acronym and a French exonym") {
    auto ids = canonical_ids(
        Run("Militants of the GSIM ambushed a patrol near Tombouctou."));
    CHECK(has(ids, "group:jnim"));
    CHECK(has(ids, "geonames:2449067"));  // Timbuktu, the town
  }
  SECTION("French text") {
    auto ids = canonical_ids(
        Run("Le convoi de la MINUSMA a été attaqué près de Tessalit."));
    CHECK(has(ids, "group:minusma"));
    CHECK(has(ids, "geonames:2449893"));  // Tessalit, Kidal
  }
  SECTION("ordinary business news does not sprout places from words") {
    auto r = Run(
        "Shares in the mobile phone maker rose. Analysts say the firm could "
        "say more about mobile payments and a nice profit when it reports. "
        "Standard Life and T-Mobile shares fell on the news.");
    for (const Entity& e : r.entities) {
      INFO(e.name);
      CHECK(e.type != EntityType::kPlace);
    }
  }
}

}  // namespace
}  // namespace extract

namespace extract {
namespace {

TEST_CASE("Events: a report's opening date dates its later conflict events",
          "[events][dates]") {
  SECTION("a date that opens the paragraph") {
    auto r = Run(
        "On December 27, JNIM militants attacked the village of Dogofri. The "
        "assailants later killed two soldiers near Niono.",
        "2018-12-30");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->date);
    CHECK(e->date->value == "2018-12-27");
  }
  SECTION("a date inside an earlier sentence stays with it") {
    auto r = Run(
        "The mayor was kidnapped last Friday. He said a woman was shot in "
        "Tonka by her captors.",
        "2024-11-12");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    // Not "last Friday": the document's date, marked as such.
    REQUIRE(e->date);
    CHECK(e->date_precision == "report");
    CHECK(e->date->value == "2024-11-12");
  }
}

}  // namespace
}  // namespace extract

namespace extract {
namespace {

// Found by tests/fuzz/pipeline_fuzzer: a count past int64_t's range was
// converted to int64_t (undefined behaviour; INT64_MIN on x86).
TEST_CASE("Events: a number too large to be a count is not a toll",
          "[events][fuzz]") {
  SECTION("fatalities") {
    auto r = Run("Militants killed 99999999999999999999 people in Gao.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->fatalities);
  }
  SECTION("hostages") {
    auto r = Run("Gunmen abducted 99999999999999999999 Malian soldiers.");
    const Event* e = FindEvent(r, "abduction");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->hostages);
  }
  SECTION("a large but plausible toll still counts") {
    auto r = Run("Militants killed 1,200 people in Gao.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->fatalities);
    CHECK(*e->fatalities == 1200);
  }
}

}  // namespace
}  // namespace extract
