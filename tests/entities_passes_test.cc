// Tests of the entity assembly passes (src/entities/), one or more per pass.
// Each test runs the real front of the pipeline (normalize, segment, dates,
// gazetteer matches, rules) on a short text with the shipped gazetteers and
// rules, runs the passes in AssembleEntities' order up to the pass under
// test, and checks what that pass decided in the EntityState.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "dates.h"
#include "entities.h"
#include "entities/entity_state.h"
#include "entities/passes.h"
#include "gazetteer.h"
#include "normalizer.h"
#include "rules.h"
#include "segmenter.h"

namespace extract {
namespace {

struct Resources {
  std::unique_ptr<Gazetteer> gazetteer;
  std::unique_ptr<RuleSet> rules;
  SegmenterConfig segmenter;
};

const Resources& R() {
  static const Resources* resources = [] {
    auto* r = new Resources;
    auto g = Gazetteer::Load(EXTRACT_GAZETTEERS_DIR, nullptr);
    if (!g.ok()) FAIL(g.status().ToString());
    r->gazetteer = std::move(*g);
    auto rules = RuleSet::Load(std::string(EXTRACT_GAZETTEERS_DIR) + "/rules",
                               *r->gazetteer, nullptr);
    if (!rules.ok()) FAIL(rules.status().ToString());
    r->rules = std::move(*rules);
    r->segmenter.abbreviations = r->gazetteer->abbreviations();
    r->segmenter.boilerplate = r->gazetteer->boilerplate();
    return r;
  }();
  return *resources;
}

using Pass = void (*)(EntityState&);

// The passes in the order AssembleEntities runs them.
const std::vector<Pass>& Passes() {
  static const std::vector<Pass> passes = {
      MapTokensToSentences,    FindSportsSentences,
      VoteNamedCountry,        CollectGazetteerCandidates,
      DropGluedAcronyms,       DropNameHeads,
      RequirePlaceContext,     CollectRuleCandidates,
      AddAcronymDefinitions,   MergeSameNameCandidates,
      ChooseNonOverlapping,    PreferNamesOverDescriptors,
      GuessMainCountry,        ChooseHomonyms,
      SettleMainCountry,       RetypeSportsTeams,
      ResolveDescriptors,      EmitMentions,
      MarkCoveredTokens,       LinkAcronyms,
      LinkShortNames,          SortMentions,
      MergeIntoEntities,       OrderEntities,
  };
  return passes;
}

// One document through the stages before entity assembly, and its state.
// (Every sentence is matched as mixed case and gets the rules: the texts
// below have no headline or all-caps sentences.)
class Doc {
 public:
  explicit Doc(std::string_view text)
      : norm_(Normalize(text)), seg_(Segment(norm_, R().segmenter)) {
    const Gazetteer& g = *R().gazetteer;
    dates_ = FindDates(norm_, seg_, "2024-01-01", true);
    for (const Sentence& s : seg_.sentences) {
      g.Match(seg_.tokens, s.token_begin, s.token_end, false, &matches_);
    }
    features_ = AnnotateTokens(seg_, matches_, dates_, g);
    for (const Sentence& s : seg_.sentences) {
      R().rules->Apply(seg_.tokens, features_, s, &hits_);
    }
    state_ = std::make_unique<EntityState>(norm_, seg_, features_, matches_,
                                           hits_, g, *R().rules);
  }

  // Runs the passes from the next one not yet run up to `last` included.
  EntityState& RunThrough(Pass last) {
    const auto& passes = Passes();
    const auto end = std::find(passes.begin(), passes.end(), last);
    REQUIRE(end != passes.end());
    for (; next_ <= static_cast<size_t>(end - passes.begin()); ++next_) {
      passes[next_](*state_);
    }
    return *state_;
  }
  // Runs the passes before `pass`, not `pass` itself.
  EntityState& RunBefore(Pass pass) {
    const auto& passes = Passes();
    const auto it = std::find(passes.begin(), passes.end(), pass);
    REQUIRE(it != passes.end());
    if (it != passes.begin()) RunThrough(*(it - 1));
    return *state_;
  }
  EntityState& state() { return *state_; }

  // The text of tokens [tb, te).
  std::string Words(uint32_t tb, uint32_t te) const {
    return norm_.text.substr(seg_.tokens[tb].span.begin,
                             seg_.tokens[te - 1].span.end -
                                 seg_.tokens[tb].span.begin);
  }
  // The index of the first token with text `word`, or -1.
  int Token(std::string_view word) const {
    for (size_t i = 0; i < seg_.tokens.size(); ++i) {
      if (Words(i, i + 1) == word) return static_cast<int>(i);
    }
    return -1;
  }
  // The candidates of `list` whose text is `words`.
  std::vector<const Candidate*> On(const std::vector<Candidate>& list,
                                   std::string_view words) const {
    std::vector<const Candidate*> out;
    for (const Candidate& c : list) {
      if (Words(c.tb, c.te) == words) out.push_back(&c);
    }
    return out;
  }
  std::vector<std::string> Texts(const std::vector<Candidate>& list) const {
    std::vector<std::string> out;
    for (const Candidate& c : list) out.push_back(Words(c.tb, c.te));
    return out;
  }
  std::string EntryId(int32_t entry) const {
    return entry < 0 ? "" : std::string(R().gazetteer->entry(entry).id);
  }
  // A dump of the state's candidate lists, for failure messages.
  std::string Dump() const {
    std::string out;
    auto list = [&](const char* name, const std::vector<Candidate>& cs) {
      out += name;
      out += ":\n";
      for (const Candidate& c : cs) {
        out += "  [" + Words(c.tb, c.te) + "] " +
               std::string(ToString(c.type)) + " " +
               std::string(ToString(c.role)) + " rank " +
               std::to_string(c.rank) + " entries " +
               std::to_string(c.entries.size()) + " entry " +
               EntryId(c.entry) + " source " + c.source + "\n";
      }
    };
    list("cands", state_->cands);
    list("names", state_->names);
    list("descriptors", state_->descriptors);
    return out;
  }

 private:
  NormalizedText norm_;
  Segmentation seg_;
  std::vector<DateExpr> dates_;
  std::vector<GazetteerMatch> matches_;
  std::vector<uint64_t> features_;
  std::vector<RuleHit> hits_;
  std::unique_ptr<EntityState> state_;
  size_t next_ = 0;
};

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The texts of the mentions, in order.
std::vector<std::string> MentionTexts(const Doc& d, const EntityState& s) {
  std::vector<std::string> out;
  for (const Mention& m : s.out.mentions) {
    out.push_back(d.Words(m.token_begin, m.token_end));
  }
  return out;
}

const Mention* FindMention(const Doc& d, const EntityState& s,
                           std::string_view words, size_t nth = 0) {
  for (const Mention& m : s.out.mentions) {
    if (d.Words(m.token_begin, m.token_end) == words && nth-- == 0) return &m;
  }
  return nullptr;
}

TEST_CASE("MapTokensToSentences: each token knows its sentence",
          "[entities]") {
  Doc d("Gao is calm. Kidal is not.");
  EntityState& s = d.RunThrough(MapTokensToSentences);
  REQUIRE(s.sentence_of.size() == s.tokens.size());
  CHECK(s.sentence_of[d.Token("Gao")] == 0);
  CHECK(s.sentence_of[d.Token("Kidal")] == 1);
}

TEST_CASE("FindSportsSentences: scores and result verbs make a sports report",
          "[entities]") {
  Doc d("Surrey beat Kent by 6-3 at Hove. Essex drew 2-2 with Middlesex.");
  EntityState& s = d.RunThrough(FindSportsSentences);
  CHECK(s.sports);
  REQUIRE(s.sporty.size() == 2);
  CHECK(s.sporty[0] == 1);
  CHECK(s.sporty[1] == 1);
}

TEST_CASE("FindSportsSentences: a result verb marks a sentence, not a report",
          "[entities]") {
  Doc d("The party won the election in Paris. Voters were calm.");
  EntityState& s = d.RunThrough(FindSportsSentences);
  CHECK_FALSE(s.sports);
  REQUIRE(s.sporty.size() == 2);
  CHECK(s.sporty[0] == 1);
  CHECK(s.sporty[1] == 0);
}

TEST_CASE("VoteNamedCountry: the country named most, ties by code",
          "[entities]") {
  {
    Doc d("Niger and Mali met. Niger said no.");
    CHECK(d.RunThrough(VoteNamedCountry).named_country == "NE");
  }
  {
    Doc d("Niger and Mali met.");
    CHECK(d.RunThrough(VoteNamedCountry).named_country == "ML");
  }
}

TEST_CASE("CollectGazetteerCandidates: one candidate per span, homonyms kept, "
          "not in a date",
          "[entities]") {
  Doc d("Gunmen attacked Berlin in March.");
  EntityState& s = d.RunThrough(CollectGazetteerCandidates);
  INFO(d.Dump());
  const auto berlin = d.On(s.cands, "Berlin");
  REQUIRE(berlin.size() == 1);
  CHECK(berlin[0]->type == EntityType::kPlace);
  CHECK(berlin[0]->role == MentionRole::kName);
  CHECK(berlin[0]->rank == 3);
  CHECK(berlin[0]->entries.size() >= 2);
  CHECK(d.On(s.cands, "March").empty());  // a month, not the town
}

TEST_CASE("CollectGazetteerCandidates: an all-caps alias is an acronym",
          "[entities]") {
  Doc d("JNIM attacked the camp.");
  EntityState& s = d.RunThrough(CollectGazetteerCandidates);
  INFO(d.Dump());
  const auto jnim = d.On(s.cands, "JNIM");
  REQUIRE(jnim.size() == 1);
  CHECK(jnim[0]->type == EntityType::kGroup);
  CHECK(jnim[0]->role == MentionRole::kAcronym);
}

TEST_CASE("DropGluedAcronyms: an acronym glued to an unknown name goes",
          "[entities]") {
  Doc d("JNIM Zorblat attacked the camp. EU Agriculture Commissioner spoke.");
  d.RunBefore(DropGluedAcronyms);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().cands, "JNIM").size() == 1);
  REQUIRE(d.On(d.state().cands, "EU").size() == 1);
  EntityState& s = d.RunThrough(DropGluedAcronyms);
  CHECK(d.On(s.cands, "JNIM").empty());
  CHECK(d.On(s.cands, "EU").size() == 1);  // a UN-style body keeps it
}

TEST_CASE("DropNameHeads: a place heading an unknown name is not the place",
          "[entities]") {
  Doc d("Officials in Berlin Zorblat and West Zorblat met in Berlin.");
  d.RunBefore(DropNameHeads);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().cands, "Berlin").size() == 2);
  EntityState& s = d.RunThrough(DropNameHeads);
  const auto berlin = d.On(s.cands, "Berlin");
  REQUIRE(berlin.size() == 1);
  CHECK(d.Words(berlin[0]->tb, berlin[0]->te + 1) == "Berlin.");
}

TEST_CASE("RequirePlaceContext: a village needs context, or a prior use",
          "[entities]") {
  Doc d("Reporters saw Tonka yesterday. Fighters held the village of "
        "Dogofri. Dogofri is calm.");
  d.RunBefore(RequirePlaceContext);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().cands, "Tonka").size() == 1);
  REQUIRE(d.On(d.state().cands, "Dogofri").size() == 2);
  EntityState& s = d.RunThrough(RequirePlaceContext);
  CHECK(d.On(s.cands, "Tonka").empty());
  CHECK(d.On(s.cands, "Dogofri").size() == 2);  // "of Dogofri", then again
  SECTION("the object of an armed act, or before 'village', has context") {
    Doc attacked("Gunmen attacked Tonka on Sunday. Soldiers reached Dogofri "
                 "village.");
    EntityState& a = attacked.RunThrough(RequirePlaceContext);
    INFO(attacked.Dump());
    CHECK(attacked.On(a.cands, "Tonka").size() == 1);
    CHECK(attacked.On(a.cands, "Dogofri").size() == 1);
  }
}

TEST_CASE("CollectRuleCandidates: a name with its title outranks others",
          "[entities]") {
  Doc d("President Clinton met reporters.");
  EntityState& s = d.RunThrough(CollectRuleCandidates);
  INFO(d.Dump());
  const Candidate* rule = nullptr;
  for (const Candidate* c : d.On(s.cands, "Clinton")) {
    if (c->entries.empty()) rule = c;
  }
  REQUIRE(rule != nullptr);
  CHECK(rule->type == EntityType::kPerson);
  CHECK(rule->rank == 4);
  CHECK(rule->source == "person.title_name");
  CHECK(d.Words(rule->role_tb, rule->role_te) == "President");
}

TEST_CASE("AddAcronymDefinitions: a parenthesized acronym defines a group",
          "[entities]") {
  Doc d("The Front for the Liberation of Nowhere (FLN) attacked a convoy.");
  d.RunBefore(AddAcronymDefinitions);
  INFO(d.Dump());
  CHECK(d.On(d.state().cands, "Front for the Liberation of Nowhere").empty());
  EntityState& s = d.RunThrough(AddAcronymDefinitions);
  CHECK(s.acronym_defs.size() == 1);
  const auto full = d.On(s.cands, "Front for the Liberation of Nowhere");
  REQUIRE(full.size() == 1);
  CHECK(full[0]->type == EntityType::kGroup);
  CHECK(full[0]->rank == 2);
  bool defined_acronym = false;
  for (const Candidate* c : d.On(s.cands, "FLN")) {
    defined_acronym |= c->rank == 4 && c->role == MentionRole::kAcronym &&
                       c->source == full[0]->source;
  }
  CHECK(defined_acronym);
}

TEST_CASE("AddAcronymDefinitions: letters that are not initials define "
          "nothing",
          "[entities]") {
  Doc d("The Front for the Liberation of Nowhere (XYZ) attacked a convoy.");
  EntityState& s = d.RunThrough(AddAcronymDefinitions);
  INFO(d.Dump());
  CHECK(s.acronym_defs.empty());
  CHECK(d.On(s.cands, "Front for the Liberation of Nowhere").empty());
  for (const Candidate* c : d.On(s.cands, "XYZ")) CHECK(c->rank != 4);
}

TEST_CASE("MergeSameNameCandidates: the gazetteer's candidate takes the "
          "rule's role and rank",
          "[entities]") {
  Doc d("President Clinton met reporters.");
  d.RunBefore(MergeSameNameCandidates);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().cands, "Clinton").size() == 2);
  EntityState& s = d.RunThrough(MergeSameNameCandidates);
  const auto clinton = d.On(s.cands, "Clinton");
  REQUIRE(clinton.size() == 1);
  CHECK_FALSE(clinton[0]->entries.empty());
  CHECK(clinton[0]->rank == 4);
  CHECK(clinton[0]->source == "person.title_name");
  CHECK(d.Words(clinton[0]->role_tb, clinton[0]->role_te) == "President");
}

TEST_CASE("ChooseNonOverlapping: overlapping candidates keep the longer one",
          "[entities]") {
  Doc d("The Front for the Liberation of Nowhere (FLN) attacked a convoy.");
  d.RunBefore(ChooseNonOverlapping);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().cands, "Liberation").size() == 1);
  EntityState& s = d.RunThrough(ChooseNonOverlapping);
  const auto names = d.Texts(s.names);
  CHECK(Has(names, "Front for the Liberation of Nowhere"));
  CHECK_FALSE(Has(names, "Liberation"));
  // Longest first: the chosen names come in that order.
  REQUIRE_FALSE(s.names.empty());
  CHECK(d.Words(s.names[0].tb, s.names[0].te) ==
        "Front for the Liberation of Nowhere");
}

TEST_CASE("PreferNamesOverDescriptors: a description that is also a name is "
          "the name",
          "[entities]") {
  Doc d("As a supporter of the Malian army, she wore combat gear.");
  d.RunBefore(PreferNamesOverDescriptors);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().descriptors, "Malian army").size() == 1);
  EntityState& s = d.RunThrough(PreferNamesOverDescriptors);
  CHECK(d.On(s.descriptors, "Malian army").empty());
  CHECK(d.On(s.names, "Malian army").size() == 1);
}

TEST_CASE("GuessMainCountry: names whose readings agree vote", "[entities]") {
  Doc d("Gunmen attacked Gao and Kidal. Officials in Paris spoke.");
  EntityState& s = d.RunThrough(GuessMainCountry);
  INFO(d.Dump());
  CHECK(s.main_country == "ML");
}

TEST_CASE("ChooseHomonyms: a capital beats namesakes; a district and region "
          "choose a village",
          "[entities]") {
  {
    Doc d("Officials met in Berlin.");
    EntityState& s = d.RunThrough(ChooseHomonyms);
    INFO(d.Dump());
    const auto berlin = d.On(s.names, "Berlin");
    REQUIRE(berlin.size() == 1);
    CHECK(d.EntryId(berlin[0]->entry) == "geonames:2950159");
  }
  {
    Doc d("Gunmen attacked Dounde (Goundam, Tombouctou).");
    EntityState& s = d.RunThrough(ChooseHomonyms);
    INFO(d.Dump());
    const auto dounde = d.On(s.names, "Dounde");
    REQUIRE(dounde.size() == 1);
    CHECK(dounde[0]->entries.size() >= 2);
    CHECK(d.EntryId(dounde[0]->entry) == "geonames:6687337");
  }
}

TEST_CASE("SettleMainCountry: the chosen readings vote", "[entities]") {
  Doc d("Officials met in Berlin.");
  d.RunBefore(SettleMainCountry);
  INFO(d.Dump());
  CHECK(d.state().main_country.empty());  // Berlins disagree
  EntityState& s = d.RunThrough(SettleMainCountry);
  CHECK(s.main_country == "DE");
}

TEST_CASE("RetypeSportsTeams: a place in a result is a team, a venue stays",
          "[entities]") {
  Doc d("Surrey beat Kent by 6-3 at Hove. Essex drew 2-2 with Middlesex.");
  d.RunBefore(RetypeSportsTeams);
  INFO(d.Dump());
  REQUIRE(d.On(d.state().names, "Surrey").size() == 1);
  CHECK(d.On(d.state().names, "Surrey")[0]->type == EntityType::kPlace);
  EntityState& s = d.RunThrough(RetypeSportsTeams);
  const auto surrey = d.On(s.names, "Surrey");
  REQUIRE(surrey.size() == 1);
  CHECK(surrey[0]->type == EntityType::kGroup);
  CHECK(surrey[0]->source == "sports.team");
  CHECK(surrey[0]->entry == -1);
  const auto hove = d.On(s.names, "Hove");
  REQUIRE(hove.size() == 1);
  CHECK(hove[0]->type == EntityType::kPlace);  // "at Hove": the venue
}

TEST_CASE("ResolveDescriptors: a descriptor stands for its country's group",
          "[entities]") {
  {
    Doc d("Mali's military junta has asked French forces to leave.");
    EntityState& s = d.RunThrough(ResolveDescriptors);
    INFO(d.Dump());
    const auto junta = d.On(s.descriptors, "Mali's military junta");
    REQUIRE(junta.size() == 1);
    CHECK(d.EntryId(junta[0]->entry) == "group:government_ml");
  }
  {
    // No country inside: the main country's army.
    Doc d("The army attacked the camp near Gao.");
    EntityState& s = d.RunThrough(ResolveDescriptors);
    INFO(d.Dump());
    const auto army = d.On(s.descriptors, "army");
    REQUIRE(army.size() == 1);
    CHECK(d.EntryId(army[0]->entry) == "group:military_ml");
  }
}

TEST_CASE("EmitMentions: names then descriptors, with their roles",
          "[entities]") {
  Doc d("President Clinton said the army left Gao.");
  EntityState& s = d.RunThrough(EmitMentions);
  INFO(d.Dump());
  REQUIRE(s.role_of.size() == s.out.mentions.size());
  const Mention* clinton = FindMention(d, s, "Clinton");
  REQUIRE(clinton != nullptr);
  CHECK(clinton->type == EntityType::kPerson);
  CHECK(clinton->source.rfind("gazetteers/people.tsv:", 0) == 0);
  const RoleText& role = s.role_of[clinton - s.out.mentions.data()];
  CHECK(role.source == "person.title_name");
  CHECK(d.state().text.text.substr(role.span.begin, role.span.size()) ==
        "President");
  // Descriptors come after every name.
  REQUIRE_FALSE(s.out.mentions.empty());
  CHECK(s.out.mentions.back().role == MentionRole::kDescriptor);
}

TEST_CASE("MarkCoveredTokens: names cover their tokens, descriptors do not",
          "[entities]") {
  Doc d("The army attacked the camp near Gao.");
  EntityState& s = d.RunThrough(MarkCoveredTokens);
  CHECK(s.covered[d.Token("Gao")] == 1);
  CHECK(s.covered[d.Token("army")] == 0);
}

TEST_CASE("LinkAcronyms: an acronym links to its full name", "[entities]") {
  Doc d("The Zorblat Liberation Front (ZLF) attacked a convoy. The ZLF later "
        "claimed it.");
  EntityState& s = d.RunThrough(LinkAcronyms);
  INFO(d.Dump());
  REQUIRE(s.link.size() == s.out.mentions.size());
  const Mention* full = FindMention(d, s, "Zorblat Liberation Front");
  REQUIRE(full != nullptr);
  CHECK(s.link[full - s.out.mentions.data()] == "acronym:zlf");
  const Mention* acronym = FindMention(d, s, "ZLF");  // the definition's
  REQUIRE(acronym != nullptr);
  CHECK(acronym->role == MentionRole::kAcronym);
  CHECK(acronym->type == EntityType::kGroup);
  CHECK(s.link[acronym - s.out.mentions.data()] == "acronym:zlf");
}

TEST_CASE("LinkAcronyms: the article's definition beats the gazetteer's",
          "[entities]") {
  Doc d("The Front for the Liberation of Nowhere (FLN) attacked a convoy. The "
        "FLN later claimed it.");
  d.RunBefore(LinkAcronyms);
  const Mention* later = FindMention(d, d.state(), "FLN", 1);
  REQUIRE(later != nullptr);
  CHECK(later->entry >= 0);  // the gazetteer's FLN
  EntityState& s = d.RunThrough(LinkAcronyms);
  later = FindMention(d, s, "FLN", 1);
  CHECK(later->entry == -1);
  CHECK(later->source == "acronym.parenthesized");
  CHECK(s.link[later - s.out.mentions.data()] == "acronym:fln");
}

TEST_CASE("LinkShortNames: a surname alone is the person", "[entities]") {
  Doc d("Mariam Cissé was a TikTok influencer. These days, Cissé has more "
        "than 100,000 followers.");
  d.RunBefore(LinkShortNames);
  CHECK(FindMention(d, d.state(), "Cissé") == nullptr);
  EntityState& s = d.RunThrough(LinkShortNames);
  const Mention* short_name = FindMention(d, s, "Cissé");
  REQUIRE(short_name != nullptr);
  CHECK(short_name->type == EntityType::kPerson);
  CHECK(short_name->role == MentionRole::kShortName);
  CHECK(short_name->source == "coref.short_name");
  CHECK(s.covered[short_name->token_begin] == 1);
  CHECK(s.link.size() == s.out.mentions.size());
  CHECK(s.role_of.size() == s.out.mentions.size());
}

TEST_CASE("SortMentions: mentions in text order, link and roles with them",
          "[entities]") {
  Doc d("The army attacked the camp near Gao.");
  d.RunBefore(SortMentions);
  CHECK(MentionTexts(d, d.state()) == std::vector<std::string>{"Gao", "army"});
  EntityState& s = d.RunThrough(SortMentions);
  CHECK(MentionTexts(d, s) == std::vector<std::string>{"army", "Gao"});
  CHECK(s.link.size() == 2);
  CHECK(s.role_of.size() == 2);
}

TEST_CASE("MergeIntoEntities: acronyms and short names join their entity",
          "[entities]") {
  Doc d("The Front for the Liberation of Nowhere (FLN) attacked a convoy. The "
        "FLN later claimed it. Cissé spoke. Mariam Cissé left.");
  EntityState& s = d.RunThrough(MergeIntoEntities);
  const Mention* full =
      FindMention(d, s, "Front for the Liberation of Nowhere");
  REQUIRE(full != nullptr);
  const Entity& front = s.out.entities[full->entity];
  CHECK(front.type == EntityType::kGroup);
  CHECK(front.name == "Front for the Liberation of Nowhere");
  CHECK(front.mentions.size() == 3);  // expansion, acronym, later acronym
  const Mention* person = FindMention(d, s, "Mariam Cissé");
  const Mention* surname = FindMention(d, s, "Cissé");
  REQUIRE(person != nullptr);
  REQUIRE(surname != nullptr);
  // "Cissé" before "Mariam Cissé" still finds her: short names go last.
  CHECK(surname->entity == person->entity);
  CHECK(s.out.entities[person->entity].name == "Mariam Cissé");
}

TEST_CASE("OrderEntities: entities in order of first mention, ids e1...",
          "[entities]") {
  Doc d("The army attacked the camp near Gao. Gao is calm. The army left.");
  d.RunBefore(OrderEntities);
  REQUIRE(d.state().out.entities.size() == 2);
  EntityState& s = d.RunThrough(OrderEntities);
  REQUIRE(s.out.entities.size() == 2);
  CHECK(s.out.entities[0].id == "e1");
  CHECK(s.out.entities[1].id == "e2");
  uint32_t last_first = 0;
  for (const Entity& e : s.out.entities) {
    REQUIRE_FALSE(e.mentions.empty());
    CHECK(std::is_sorted(e.mentions.begin(), e.mentions.end()));
    CHECK(e.mentions.front() >= last_first);
    last_first = e.mentions.front();
    for (uint32_t m : e.mentions) {
      CHECK(&s.out.entities[s.out.mentions[m].entity] == &e);
    }
  }
  const Mention& first = s.out.mentions[s.out.entities[0].mentions[0]];
  CHECK(d.Words(first.token_begin, first.token_end) == "army");
}

TEST_CASE("AssembleEntities: the passes together give its result",
          "[entities]") {
  const std::string text =
      "Mariam Cissé met the Zorblat Liberation Front (ZLF) near Gao. Cissé "
      "said the ZLF and the army clashed.";
  Doc d(text);
  EntityState& s = d.RunThrough(OrderEntities);
  // The same stages as Doc, through the public entry point.
  Doc again(text);
  const EntityState& in = again.state();
  const EntityAssembly whole = AssembleEntities(
      in.text, in.seg, in.features, in.matches, in.hits, in.g, in.rules);
  REQUIRE(whole.mentions.size() == s.out.mentions.size());
  for (size_t i = 0; i < whole.mentions.size(); ++i) {
    CHECK(whole.mentions[i].span.begin == s.out.mentions[i].span.begin);
    CHECK(whole.mentions[i].entity == s.out.mentions[i].entity);
    CHECK(whole.mentions[i].source == s.out.mentions[i].source);
  }
  REQUIRE(whole.entities.size() == s.out.entities.size());
  for (size_t i = 0; i < whole.entities.size(); ++i) {
    CHECK(whole.entities[i].name == s.out.entities[i].name);
    CHECK(whole.entities[i].mentions == s.out.entities[i].mentions);
  }
  CHECK(whole.main_country == "ML");
}

}  // namespace
}  // namespace extract
