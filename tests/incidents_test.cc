// Tests of event assembly's incident passes (src/events/, listed in order in
// passes.h) through the public pipeline: short texts written for the
// purpose, one TEST_CASE per pass and behaviour, each with a control where
// the behaviour is decided by a cue (so that the test can fail). Places and
// participants are checked by entity name, statuses and passes by their
// schema strings.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "extract/pipeline.h"
#include "extract/reader.h"

namespace extract {
namespace {

constexpr char kDocDate[] = "2024-06-07";  // a Friday

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

DocumentResult Run(const std::string& text,
                   const std::string& date = kDocDate) {
  auto doc = MakeDocument("test.txt", text);
  REQUIRE(doc.ok());
  doc->date = date;
  return P().Process(std::move(*doc));
}

std::string Text(const DocumentResult& r, Span s) {
  return r.text.substr(s.begin, s.size());
}

using V = std::vector<std::string>;

// The events of a type, in order.
std::vector<const Event*> EventsOf(const DocumentResult& r,
                                   const std::string& type) {
  std::vector<const Event*> out;
  for (const Event& e : r.events) {
    if (e.type == type) out.push_back(&e);
  }
  return out;
}

const Event* FindEvent(const DocumentResult& r, const std::string& type) {
  const auto events = EventsOf(r, type);
  return events.empty() ? nullptr : events[0];
}

// The events that carry ACLED codes (incidents a coder would code).
std::vector<const Event*> Coded(const DocumentResult& r) {
  std::vector<const Event*> out;
  for (const Event& e : r.events) {
    if (!e.acled_event_type.empty()) out.push_back(&e);
  }
  return out;
}

V Names(const DocumentResult& r, const std::vector<uint32_t>& ids) {
  V out;
  for (uint32_t i : ids) out.push_back(r.entities[i].name);
  return out;
}

V CanonicalIds(const DocumentResult& r, const std::vector<uint32_t>& ids) {
  V out;
  for (uint32_t i : ids) {
    const auto& c = r.entities[i].canonical;
    out.push_back(c ? c->id : "-" + r.entities[i].name);
  }
  return out;
}

bool Has(const V& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// (type, sentence) of each mention of an incident.
std::vector<std::pair<std::string, uint32_t>> Mentions(const Event& e) {
  std::vector<std::pair<std::string, uint32_t>> out;
  for (const EventMention& m : e.mentions) out.emplace_back(m.type, m.sentence);
  return out;
}

using M = std::vector<std::pair<std::string, uint32_t>>;

// The status of the first event of `type` in `text`.
std::string StatusOf(const std::string& text, const std::string& type) {
  auto r = Run(text);
  const Event* e = FindEvent(r, type);
  INFO(text);
  REQUIRE(e != nullptr);
  return e->status;
}

// ---------------------------------------------------------------------------
// DropNonIncidents
// ---------------------------------------------------------------------------

TEST_CASE("DropNonIncidents: a trigger word that reports no incident there",
          "[incidents][events]") {
  struct Row {
    const char* text;
    const char* type;     // no event of this type in `text`
    const char* control;  // the same word as an incident
  };
  const Row rows[] = {
      {"The former governor died of heart attack in Kano.", "attack",
       "The former governor died in an attack in Kano."},
      {"Gunmen killed three villagers in Kaga last March.", "protest",
       "Hundreds of women held a march in Kano."},
      {"Troops of the 33 Artillery Brigade arrested two suspects in Kaga.",
       "shelling", "The army used artillery against the insurgents near Gao."},
      {"In a statement signed by its spokesman, the group condemned the "
       "violence.",
       "agreement", "The two groups signed a peace deal in Kano."},
      {"The governor said the army would deal with the insurgency.",
       "agreement", "The two groups signed a peace deal in Kano."},
      {"Analysts warn that the group could expand south.", "threat",
       "The group threatened to attack Kano."},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(FindEvent(Run(row.text), row.type) == nullptr);
    INFO(row.control);
    CHECK(FindEvent(Run(row.control), row.type) != nullptr);
  }
}

// ---------------------------------------------------------------------------
// ClassifyStatus
// ---------------------------------------------------------------------------

TEST_CASE("ClassifyStatus: how the text reports each incident",
          "[incidents][events]") {
  struct Row {
    const char* text;
    const char* type;
    const char* status;
  };
  const Row rows[] = {
      // Denied and negated.
      {"The army denied that troops killed civilians in Kaga.", "killing",
       "denied"},
      {"No one was killed in the attack on Kaga.", "killing", "negated"},
      // Claimed and alleged.
      {"JNIM claimed the attack on a military post near Gao.", "attack",
       "claimed"},
      {"The militia was accused of carrying out the massacre in Kaga.",
       "killing", "alleged"},
      // Threatened and planned.
      {"JNIM threatened to attack Gao.", "attack", "threatened"},
      {"The army plans to attack the insurgents near Gao.", "attack",
       "planned"},
      {"Gunmen planned to assassinate the governor in Maiduguri.", "killing",
       "planned"},
      // An attempt happened: ACLED codes it.
      {"Gunmen attempted to assassinate the governor of Borno State in "
       "Maiduguri.",
       "killing", "asserted"},
      // Aggregates recalled as context.
      {"Boko Haram insurgents have killed 12,000 people so far.", "killing",
       "background"},
      {"Bandits killed 300 people in Zamfara in 2019 alone.", "killing",
       "background"},
      {"Bandits have killed hundreds of villagers in Zamfara since 2015.",
       "killing", "background"},
      // Plain report.
      {"Bandits killed 30 people in Zamfara on Monday.", "killing",
       "asserted"},
  };
  for (const Row& row : rows) {
    CHECK(StatusOf(row.text, row.type) == row.status);
  }
}

TEST_CASE("ClassifyStatus: a status other than asserted is named in passes",
          "[incidents][events]") {
  auto r = Run("The army denied that troops killed civilians in Kaga.");
  const Event* e = FindEvent(r, "killing");
  REQUIRE(e != nullptr);
  CHECK(Has(e->passes, "status.denied"));
  REQUIRE(e->mentions.size() == 1);
  CHECK(e->mentions[0].status == "denied");
  // Not reported as fact: no document date stands in for its date.
  CHECK_FALSE(e->date);
}

// ---------------------------------------------------------------------------
// MergeIncidents
// ---------------------------------------------------------------------------

TEST_CASE("MergeIncidents: a lead and its detail sentence are one incident",
          "[incidents][events]") {
  SECTION("undated detail after a dated lead: elaboration") {
    auto r = Run(
        "Gunmen attacked the village of Kaga on Monday. They killed five "
        "villagers.");
    REQUIRE(Coded(r).size() == 1);
    const Event& e = *Coded(r)[0];
    CHECK(Mentions(e) == M{{"attack", 0}, {"killing", 1}});
    CHECK(e.evidence == std::vector<uint32_t>{0, 1});
    CHECK(Has(e.passes, "merge.elaboration"));
    REQUIRE(e.fatalities);
    CHECK(*e.fatalities == 5);
  }
  SECTION("'the attack' two sentences later: anaphora") {
    auto r = Run(
        "Bandits killed five villagers in Kaga on Monday. Many residents fled "
        "into the bush. Police said the attack lasted two hours.");
    const auto killings = EventsOf(r, "killing");
    REQUIRE(killings.size() == 1);
    CHECK(Mentions(*killings[0]) == M{{"killing", 0}, {"attack", 2}});
    CHECK(Has(killings[0]->passes, "merge.anaphora"));
    CHECK(FindEvent(r, "attack") == nullptr);
  }
}

TEST_CASE("MergeIncidents: the killing, burning and looting of one raid are "
          "one incident of the most severe type",
          "[incidents][events]") {
  SECTION("acts of one raid") {
    auto r = Run(
        "Gunmen raided the village of Kaga, killing four farmers, burning "
        "houses and looting shops.");
    REQUIRE(r.events.size() == 1);
    const Event& e = r.events[0];
    CHECK(Mentions(e) ==
          M{{"attack", 0}, {"killing", 0}, {"arson", 0}, {"looting", 0}});
    CHECK(Has(e.passes, "merge.same_sentence"));
    CHECK(e.acled_event_type == "Violence against civilians");
    REQUIRE(e.fatalities);
    CHECK(*e.fatalities == 4);
  }
  SECTION("the main mention is the most severe: an explosion") {
    auto r = Run(
        "At least 12 people, including children, were killed in a bomb blast "
        "in Goma.");
    REQUIRE(r.events.size() == 1);
    const Event& e = r.events[0];
    CHECK(e.mentions.size() == 3);
    CHECK(e.acled_event_type == "Explosions/Remote violence");
    CHECK(Names(r, e.places) == V{"Goma"});
  }
}

TEST_CASE("MergeIncidents: two scenes of one sentence at two places stay two",
          "[incidents][events]") {
  auto r = Run(
      "Gunmen killed three people in Kaga on Monday, while bandits killed "
      "five people in Konduga on Friday.");
  const auto killings = EventsOf(r, "killing");
  REQUIRE(killings.size() == 2);
  CHECK(killings[0]->mentions.size() == 1);
  CHECK(killings[1]->mentions.size() == 1);
  CHECK(killings[0]->trigger.begin < killings[1]->trigger.begin);
}

TEST_CASE("MergeIncidents: 'Later on Friday,' opens a new incident",
          "[incidents][events]") {
  const std::string lead =
      "Gunmen attacked a village on Friday, killing three people. ";
  SECTION("with the opener: two incidents") {
    auto r = Run(lead + "Later on Friday, gunmen attacked a market.");
    const auto attacks = EventsOf(r, "attack");
    REQUIRE(attacks.size() == 2);
    CHECK(Mentions(*attacks[1]) == M{{"attack", 1}});
    CHECK_FALSE(attacks[1]->fatalities);
  }
  SECTION("'Elsewhere,' too") {
    auto r = Run(lead + "Elsewhere, gunmen attacked a market on Friday.");
    CHECK(EventsOf(r, "attack").size() == 2);
  }
  SECTION("control: the same sentence without the opener joins") {
    auto r = Run(lead + "On Friday, gunmen attacked a market.");
    const auto attacks = EventsOf(r, "attack");
    REQUIRE(attacks.size() == 1);
    CHECK(attacks[0]->mentions.size() == 3);
  }
}

TEST_CASE("MergeIncidents: different tolls stay apart, the same toll joins",
          "[incidents][events]") {
  SECTION("three and seven: two incidents") {
    auto r = Run(
        "Gunmen killed three people in Kaga. Gunmen shot dead seven people "
        "in Kaga.");
    const auto killings = EventsOf(r, "killing");
    REQUIRE(killings.size() == 2);
    REQUIRE(killings[0]->fatalities);
    REQUIRE(killings[1]->fatalities);
    CHECK(*killings[0]->fatalities == 3);
    CHECK(*killings[1]->fatalities == 7);
  }
  SECTION("three and three: one incident") {
    auto r = Run(
        "Bandits killed three villagers in Kaga. Bandits shot dead three "
        "villagers.");
    const auto killings = EventsOf(r, "killing");
    REQUIRE(killings.size() == 1);
    CHECK(Mentions(*killings[0]) == M{{"killing", 0}, {"killing", 1}});
    CHECK(Has(killings[0]->passes, "merge.toll"));
  }
}

TEST_CASE("MergeIncidents: an incident recalled from last March does not "
          "join today's",
          "[incidents][events]") {
  auto r = Run(
      "Gunmen killed three villagers in Kaga. Last March, bandits killed 40 "
      "villagers.");
  const auto killings = EventsOf(r, "killing");
  REQUIRE(killings.size() == 2);
  REQUIRE(killings[0]->fatalities);
  CHECK(*killings[0]->fatalities == 3);
  CHECK(killings[0]->date_precision == "report");
  REQUIRE(killings[1]->date);
  CHECK(killings[1]->date->value == "2024-03");
  CHECK(killings[1]->date_precision == "month");
  REQUIRE(killings[1]->fatalities);
  CHECK(*killings[1]->fatalities == 40);
}

// ---------------------------------------------------------------------------
// FillIncidentRoles
// ---------------------------------------------------------------------------

TEST_CASE("FillIncidentRoles: a country is not a participant of violence",
          "[incidents][events]") {
  SECTION("violence: 'ten Niger soldiers' are not Niger") {
    auto r = Run("JNIM killed ten Niger soldiers near Tillaberi.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK(CanonicalIds(r, e->actors) == V{"group:jnim"});
    CHECK_FALSE(Has(Names(r, e->targets), "Niger"));
    CHECK_FALSE(Has(Names(r, e->actors), "Niger"));
    CHECK(Names(r, e->places) == V{"Tillabéri"});
  }
  SECTION("control: outside violence the same words make Niger a target") {
    auto r = Run("Nigerian police arrested ten Niger soldiers in Kano.");
    const Event* e = FindEvent(r, "arrest");
    REQUIRE(e != nullptr);
    CHECK(Has(Names(r, e->targets), "Niger"));
  }
}

TEST_CASE("FillIncidentRoles: no deaths stated in a non-lethal incident is 0",
          "[incidents][events]") {
  SECTION("an arrest") {
    auto r = Run("Nigerian police arrested two journalists in Kano.");
    const Event* e = FindEvent(r, "arrest");
    REQUIRE(e != nullptr);
    CHECK(CanonicalIds(r, e->actors) == V{"group:police_ng"});
    CHECK(CanonicalIds(r, e->targets) == V{"group:acled_civilians_ng"});
    REQUIRE(e->fatalities);
    CHECK(*e->fatalities == 0);
    CHECK(Has(e->passes, "fatalities.none_stated"));
    CHECK(e->numbers.empty());
  }
  SECTION("a violent incident with no toll stays unknown") {
    auto r = Run("Gunmen attacked the village of Kaga on Monday.");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->fatalities);
  }
  SECTION("a sentence that tells of a death leaves it unknown") {
    auto r = Run(
        "Nigerian police arrested two journalists in Kano after a protester "
        "was killed.");
    const Event* e = FindEvent(r, "arrest");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->fatalities);
  }
}

TEST_CASE("FillIncidentRoles: counts behind the toll, with their span",
          "[incidents][events]") {
  auto r = Run(
      "At least 12 people, including children, were killed in a bomb blast "
      "in Goma.");
  REQUIRE(r.events.size() == 1);
  const Event& e = r.events[0];
  REQUIRE(e.fatalities);
  CHECK(*e.fatalities == 12);
  REQUIRE(e.numbers.size() == 1);
  CHECK(e.numbers[0].kind == "fatalities");
  CHECK(e.numbers[0].value == 12);
  CHECK(Text(r, e.numbers[0].span) == "12");
  CHECK(e.numbers[0].sentence == 0);
}

// ---------------------------------------------------------------------------
// MarkGeneric
// ---------------------------------------------------------------------------

TEST_CASE("MarkGeneric: nothing anchors the report in place, time or numbers",
          "[incidents][events]") {
  struct Row {
    const char* text;
    const char* type;
    const char* status;
  };
  const Row rows[] = {
      {"Properties have been destroyed.", "property_destruction", "generic"},
      {"Properties have been destroyed in Kaga.", "property_destruction",
       "asserted"},
      {"Properties have been destroyed on Monday.", "property_destruction",
       "asserted"},
      {"People have been killed.", "killing", "generic"},
      {"Three people have been killed.", "killing", "asserted"},
  };
  for (const Row& row : rows) {
    CHECK(StatusOf(row.text, row.type) == row.status);
  }
  auto r = Run("Properties have been destroyed.");
  const Event* e = FindEvent(r, "property_destruction");
  REQUIRE(e != nullptr);
  CHECK(Has(e->passes, "status.generic"));
  REQUIRE(e->mentions.size() == 1);
  CHECK(e->mentions[0].status == "asserted");  // the mention's own status
  // Generic is undated, not unreal: it still gets the report's date.
  CHECK(e->date_precision == "report");
}

// ---------------------------------------------------------------------------
// DateIncidents
// ---------------------------------------------------------------------------

TEST_CASE("DateIncidents: precision and where the date came from",
          "[incidents][events][dates]") {
  SECTION("a lead's day dates its detail sentence") {
    auto r = Run(
        "On Monday, gunmen attacked the village of Kaga. They killed five "
        "villagers.");
    REQUIRE(Coded(r).size() == 1);
    const Event& e = *Coded(r)[0];
    CHECK(Mentions(e) == M{{"attack", 0}, {"killing", 1}});
    REQUIRE(e.date);
    CHECK(e.date->value == "2024-06-03");
    CHECK(Text(r, e.date->span) == "On Monday");
    CHECK(e.date_precision == "day");
    CHECK(e.date_from == "mention");
  }
  SECTION("a month and a year") {
    auto r = Run("Gunmen killed three villagers in Kaga last March.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->date);
    CHECK(e->date->value == "2024-03");
    CHECK(e->date_precision == "month");
    auto y = Run("Bandits killed 300 people in Zamfara in 2019 alone.");
    REQUIRE(FindEvent(y, "killing") != nullptr);
    CHECK(FindEvent(y, "killing")->date_precision == "year");
  }
  SECTION("an undated incident gets the document's date, marked 'report'") {
    auto r = Run("Gunmen killed five people in Maiduguri.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->date);
    CHECK(e->date->value == kDocDate);
    CHECK(e->date->source == "document.date");
    CHECK(e->date_precision == "report");
    CHECK(e->date_from == "report");
    CHECK(Has(e->passes, "date.report"));
  }
  SECTION("no document date: no date") {
    auto r = Run("Gunmen killed five people in Maiduguri.", "");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->date);
    CHECK(e->date_precision.empty());
  }
  SECTION("a threat is not dated by the report") {
    auto r = Run("JNIM threatened to attack Gao.");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    CHECK(e->status == "threatened");
    CHECK_FALSE(e->date);
  }
}

// ---------------------------------------------------------------------------
// FindAttribution
// ---------------------------------------------------------------------------

TEST_CASE("FindAttribution: who reports the incident is not its actor",
          "[incidents][events]") {
  SECTION("'X said' before the reported clause") {
    auto r = Run(
        "Resident John Doe said about 30 gunmen stormed the village of Kaga.");
    const Event* e = FindEvent(r, "attack");
    REQUIRE(e != nullptr);
    REQUIRE(e->attribution);
    CHECK(Text(r, e->attribution->span).find("John Doe") !=
          std::string::npos);
    CHECK(CanonicalIds(r, e->actors) ==
          V{"group:acled_unidentified_armed_group_ng"});
    CHECK_FALSE(Has(Names(r, e->actors), "John Doe"));
    CHECK(Names(r, e->places) == V{"Kaga"});
  }
  SECTION("', the army said.'") {
    auto r = Run("Gunmen killed five soldiers near Gao, the army said.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->attribution);
    CHECK(Text(r, e->attribution->span) == "the army");
    CHECK(CanonicalIds(r, e->actors) ==
          V{"group:acled_unidentified_armed_group_ml"});
  }
  SECTION("'Sources told Reuters that ...': Reuters is not an actor") {
    auto r = Run("Sources told Reuters that gunmen killed four people in Kaga.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->attribution);
    CHECK(Text(r, e->attribution->span) == "Sources");
    CHECK_FALSE(Has(Names(r, e->actors), "Reuters"));
    CHECK(CanonicalIds(r, e->actors) ==
          V{"group:acled_unidentified_armed_group_ng"});
  }
  SECTION("'According to the police, ...'") {
    auto r = Run("According to the police, bandits killed four people in Kaga.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    REQUIRE(e->attribution);
    CHECK(Text(r, e->attribution->span) == "the police");
  }
  SECTION("no source named: no attribution") {
    auto r = Run("Gunmen killed four people in Kaga.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->attribution);
  }
}

// ---------------------------------------------------------------------------
// FindEventPlaces (step of BuildEventMentions): datelines and "X-based"
// ---------------------------------------------------------------------------

TEST_CASE("FindEventPlaces: a dateline or an 'X-based' place is not where "
          "it happened",
          "[incidents][events]") {
  SECTION("dateline with a joined dash") {
    auto r = Run("Maiduguri\xe2\x80\x94Gunmen killed five people in Kaga.");
    REQUIRE(r.events.size() == 1);
    CHECK(Names(r, r.events[0].places) == V{"Kaga"});
  }
  SECTION("'a Maiduguri-based official'") {
    auto r = Run(
        "Gunmen killed five people in Kaga, a Maiduguri-based official "
        "said.");
    REQUIRE(r.events.size() == 1);
    CHECK(Names(r, r.events[0].places) == V{"Kaga"});
  }
  SECTION("control: Maiduguri as the scene") {
    auto r = Run("Gunmen killed five people in Maiduguri.");
    REQUIRE(r.events.size() == 1);
    CHECK(Names(r, r.events[0].places) == V{"Maiduguri"});
  }
}

// ---------------------------------------------------------------------------
// PlaceFromContext, ActorFromSentences, dates of statements, clauses
// ---------------------------------------------------------------------------

TEST_CASE("PlaceFromContext: an unplaced incident takes the nearest place "
          "within two sentences",
          "[incidents][events]") {
  SECTION("the next sentence names the town") {
    auto r = Run(
        "Captain Traore said he had ousted the junta leader on Friday. "
        "Heavy gunfire was heard around the capital, Ouagadougou.");
    const Event* e = FindEvent(r, "coup");
    REQUIRE(e != nullptr);
    CHECK(Has(Names(r, e->places), "Ouagadougou"));
    CHECK(Has(V(e->passes.begin(), e->passes.end()), "place.context"));
  }
  SECTION("control: three sentences away is too far") {
    auto r = Run(
        "Captain Traore said he had ousted the junta leader on Friday. The "
        "statement was read on television. Many people listened to it. "
        "Crowds later gathered in Ouagadougou.");
    const Event* e = FindEvent(r, "coup");
    REQUIRE(e != nullptr);
    CHECK_FALSE(Has(Names(r, e->places), "Ouagadougou"));
  }
}

TEST_CASE("ActorFromSentences: an actorless incident takes the fitting "
          "group its sentences name",
          "[incidents][events]") {
  SECTION("protesters for a demonstration") {
    auto r = Run(
        "The protests in Khartoum turned deadly on Monday as thousands of "
        "protesters poured into the streets.");
    const Event* e = FindEvent(r, "protest");
    REQUIRE(e != nullptr);
    REQUIRE_FALSE(e->actors.empty());
    CHECK(Names(r, e->actors)[0] == "protesters");
  }
  SECTION("control: a target is not taken as the actor") {
    auto r = Run("Five soldiers of the Malian army were killed near Gao.");
    const Event* e = FindEvent(r, "killing");
    REQUIRE(e != nullptr);
    for (uint32_t a : e->actors) {
      CHECK(std::find(e->targets.begin(), e->targets.end(), a) ==
            e->targets.end());
    }
  }
}

TEST_CASE("DateFromSentence: a date beside a speech verb dates the "
          "statement, not the event",
          "[incidents][events][dates]") {
  auto r = Run(
      "The police command Thursday said gunmen had killed an officer in "
      "Kaga.");
  const Event* e = FindEvent(r, "killing");
  REQUIRE(e != nullptr);
  REQUIRE(e->date);
  CHECK(e->date_precision == "report");
  auto control = Run("Gunmen killed an officer in Kaga on Thursday.");
  const Event* c = FindEvent(control, "killing");
  REQUIRE(c != nullptr);
  REQUIRE(c->date);
  CHECK(c->date_precision == "day");
  CHECK(c->date->value == "2024-06-06");
}

TEST_CASE("AssignParticipants: the subordinate clause's subject and a "
          "framed noun's clause subject are not actors",
          "[incidents][events]") {
  SECTION("'Though X denied ..., the army intercepted ...'") {
    auto r = Run(
        "Though the spokesman, John Doe, denied the clampdown, the Malian "
        "army seized newspapers in Minna on Monday.");
    const Event* e = FindEvent(r, "seizure");
    REQUIRE(e != nullptr);
    CHECK_FALSE(Has(Names(r, e->actors), "John Doe"));
  }
  SECTION("'poured into the streets following the arrests of X'") {
    auto r = Run(
        "Thousands of protesters poured into the streets of Khartoum "
        "following the arrests of the prime minister on Monday.");
    const Event* e = FindEvent(r, "arrest");
    REQUIRE(e != nullptr);
    for (const std::string& id : CanonicalIds(r, e->actors)) {
      CHECK(id.find("protesters") == std::string::npos);
    }
  }
}

TEST_CASE("Rules: settlements the gazetteers do not know, and soldiers "
          "with no country named",
          "[incidents][rules]") {
  auto places = [](const DocumentResult& r) {
    V out;
    for (const Entity& e : r.entities) {
      if (e.type == EntityType::kPlace) out.push_back(e.name);
    }
    return out;
  };
  CHECK(Has(places(Run("Gunmen stormed Zorbala village on Monday.")),
            "Zorbala"));
  CHECK(Has(places(Run("Gunmen stormed Zorbala and Kifuno villages.")),
            "Zorbala"));
  CHECK(Has(places(Run("The attack occurred in Zorbala, a village mainly "
                       "inhabited by herders.")),
            "Zorbala"));
  CHECK_FALSE(Has(places(Run("Gunmen attacked the Dogon village of "
                             "Zorbala.")),
                  "Dogon"));
  CHECK_FALSE(Has(places(Run("Gunmen killed the Fulani village chief.")),
                  "Fulani"));
  // Issue 18's "Gunmen attacked Titao on Sunday.": a small town the
  // gazetteer has, as the object of an armed act.
  {
    auto titao = Run("Gunmen attacked Titao on Sunday.");
    const Event* attack = FindEvent(titao, "attack");
    REQUIRE(attack != nullptr);
    CHECK(Names(titao, attack->places) == V{"Titao"});
    CHECK_FALSE(Has(places(Run("Gunmen seized Police boats on Sunday.")),
                    "Police"));
  }
  // Issue 18's agency "NEMA" that became Néma in Mauritania; a line in
  // capitals keeps its places.
  CHECK_FALSE(Has(places(Run("Officials of the National Emergency "
                             "Management Agency, NEMA, visited the camp.")),
                  "Néma"));
  CHECK(Has(places(Run("Officials said the camp in Néma was calm.")), "Néma"));
  auto r = Run("Keita was detained on Tuesday by mutinying soldiers in "
               "Bamako.");
  const Event* e = FindEvent(r, "detention");
  REQUIRE(e != nullptr);
  REQUIRE_FALSE(e->actors.empty());
  CHECK(CanonicalIds(r, e->actors)[0] == "group:military_ml");
}

}  // namespace
}  // namespace extract
