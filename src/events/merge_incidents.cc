// Pass MergeIncidents. Reads the events built per trigger (each now one
// mention), their ACLED types, statuses, places, dates and actors. Adds
// `incidents`: the mentions grouped by the real-world incident they tell,
// and for each mention the reason it joined (`merge_reason`).
//
// A mention joins the latest earlier incident of its family (violence and
// the sub-acts of a raid, demonstrations, or one class of strategic
// development) when nothing says it is another incident and something
// links it to that one:
//   merge.same_sentence  it is in the incident's last sentence;
//   merge.anaphora       "the attack", "the assailants" refer back;
//   merge.place          it names one of the incident's places;
//   merge.date           it gives the incident's day;
//   merge.participant    it names the same person as doer or victim;
//   merge.toll           it states the same death toll;
//   merge.quote          a quotation with no place or date of its own
//                        retells it;
//   merge.elaboration    it names no place and no date of its own and
//                        follows within two sentences.
// What says it is another incident: a specific place (town, village,
// district) in neither the incident's nor inside them, a different date, a
// date more than a month before the document's when the other has none,
// other named armed groups, or a different status. Reports of the same
// incident as fact and as claim ("claimed", "alleged") are one incident.
#include <algorithm>
#include <cstdlib>

#include "events/passes.h"

namespace extract {
namespace {

// How many of the latest incidents a mention may join.
constexpr size_t kMergeReach = 256;

enum class Family { kNone, kViolence, kDemonstration, kStrategic };

bool HitsProtesters(const EventDoc& d, const Event& e) {
  for (uint32_t t : e.targets) {
    const Entry* entry = d.entry_of(t);
    if (entry != nullptr &&
        entry->id.find("protesters") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

Family FamilyOf(const EventDoc& d, const Event& e) {
  const std::string_view t = e.acled_event_type;
  if (t.empty()) return Family::kNone;
  // Protesters killed or shot by the police are part of their
  // demonstration.
  if (HitsProtesters(d, e)) return Family::kDemonstration;
  if (t == "Battles" || t == "Violence against civilians" ||
      t == "Explosions/Remote violence") {
    return Family::kViolence;
  }
  if (t == "Protests" || t == "Riots") return Family::kDemonstration;
  // Burning, looting and destroying are sub-acts of a raid.
  if (e.type == "arson" || e.type == "looting" ||
      e.type == "property_destruction") {
    return Family::kViolence;
  }
  return Family::kStrategic;
}

// Days since 1970-01-01 of "YYYY-MM-DD" (a prefix counts from its first
// day), or INT32_MIN when it does not parse.
int64_t Days(std::string_view v) {
  if (v.size() < 4) return INT32_MIN;
  int64_t y = DigitsAt(v, 0, 4), m = v.size() >= 7 ? DigitsAt(v, 5, 2) : 1,
          d = v.size() >= 10 ? DigitsAt(v, 8, 2) : 1;
  if (y < 0 || m < 1 || d < 1) return INT32_MIN;
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// What the merge compares of an incident (or of one mention).
struct Facts {
  std::vector<uint32_t> places;  // specific places (below admin1)
  std::vector<uint32_t> groups;  // named armed actors
  std::vector<uint32_t> people;  // persons among the participants
  std::string date;              // first dated mention's value
  uint32_t last_sentence = 0;
  uint32_t last_token = 0;  // end of the latest mention's trigger
  Family family = Family::kNone;
  std::string type, sub_type, status;
  int64_t toll = -1;  // the first stated death toll
};

// The places named in the mention's own scene of its sentence, or all of
// the mention's places when its scene names none.
std::vector<uint32_t> ScenePlaces(const EventDoc& d, const Event& e,
                                  const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  const auto [b, end] = d.scene(s, tr.token_begin);
  std::vector<uint32_t> out;
  for (uint32_t t = b; t < end; ++t) {
    const Mention* m = d.mention_of(t);
    if (m == nullptr || m->entity < 0 || m->token_begin != t) continue;
    const uint32_t ent = static_cast<uint32_t>(m->entity);
    if (std::find(e.places.begin(), e.places.end(), ent) != e.places.end()) {
      AddUnique(&out, m->entity);
    }
  }
  return out.empty() ? e.places : out;
}

Facts FactsOf(const EventDoc& d, const Event& e, const Trigger& tr) {
  Facts f;
  for (uint32_t p : ScenePlaces(d, e, tr)) {
    if (d.is_specific_place(p)) f.places.push_back(p);
  }
  for (uint32_t a : e.actors) {
    if (d.ents.entities[a].type != EntityType::kGroup) continue;
    const Entry* entry = d.entry_of(a);
    if (entry == nullptr || entry->id.starts_with("group:acled_")) continue;
    f.groups.push_back(a);
  }
  for (const auto* role : {&e.actors, &e.targets}) {
    for (uint32_t p : *role) {
      if (d.ents.entities[p].type == EntityType::kPerson) f.people.push_back(p);
    }
  }
  if (e.date && !e.date->value.empty()) f.date = e.date->value;
  f.last_sentence = e.sentence;
  f.family = FamilyOf(d, e);
  f.type = e.type;
  f.sub_type = e.acled_sub_event_type;
  f.status = e.status;
  if (e.fatalities && *e.fatalities > 0) f.toll = *e.fatalities;
  return f;
}

bool SharesPlace(const EventDoc& d, const Facts& a, const Facts& b) {
  for (uint32_t x : a.places) {
    for (uint32_t y : b.places) {
      if (d.same_area(x, y)) return true;
    }
  }
  return false;
}

// The same town or village (not a district: "Chibok" the LGA covers many
// incidents).
bool SharesPoint(const EventDoc& d, const Facts& a, const Facts& b) {
  for (uint32_t x : a.places) {
    if (d.place_level(x) != EventDoc::PlaceLevel::kPoint) continue;
    if (std::find(b.places.begin(), b.places.end(), x) != b.places.end()) {
      return true;
    }
  }
  return false;
}

// True when the mention's facts say it tells another incident. An
// anaphoric mention ("the attack") is held only to its place: a date in its
// sentence often dates the telling ("disclosed this on Monday").
bool Conflicts(const EventDoc& d, const Facts& inc, const Facts& m,
               int64_t reference_day, bool same_sentence, bool anaphoric) {
  if (!inc.places.empty() && !m.places.empty() && !SharesPlace(d, inc, m)) {
    // "the devices exploded ..., many were taken to the X hospital": a
    // name no gazetteer knows does not set a mention that refers back apart.
    const bool known = std::any_of(
        m.places.begin(), m.places.end(), [&](uint32_t p) {
          return d.place_level(p) != EventDoc::PlaceLevel::kUnknown;
        });
    if (!anaphoric || known) return true;
  }
  if (anaphoric) return false;
  // "the killing of one officer ... shot dead three policemen": two tolls.
  // A toll restated in parts or updated ("11 soldiers and one police
  // officer" of a toll of 12) stays close to it.
  if (inc.toll > 0 && m.toll > 0 &&
      std::max(inc.toll, m.toll) >= 2 * std::min(inc.toll, m.toll)) {
    return true;
  }
  if (!inc.date.empty() && !m.date.empty()) {
    if (!inc.date.starts_with(m.date) && !m.date.starts_with(inc.date)) {
      return true;
    }
  } else if (reference_day != INT32_MIN &&
             (!inc.date.empty() || !m.date.empty())) {
    // A dated past incident recalled beside an undated (recent) one.
    const int64_t day = Days(inc.date.empty() ? m.date : inc.date);
    if (day != INT32_MIN && reference_day - day > 31) return true;
  }
  if (!same_sentence && !inc.groups.empty() && !m.groups.empty()) {
    bool shared = false;
    for (uint32_t g : m.groups) {
      shared |= std::find(inc.groups.begin(), inc.groups.end(), g) !=
                inc.groups.end();
    }
    if (!shared) return true;
  }
  return false;
}

// "the attack", "this raid", "the Dadewala ambush", "Monday's attack",
// "the assailants then ...", "the devices exploded": refers back.
bool Anaphoric(const EventDoc& d, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  const std::string_view pos = d.g.Attr(d.g.entry(tr.entry), "pos");
  if (pos == "noun" && tr.token_begin > s.token_begin) {
    uint32_t t = tr.token_begin - 1;
    // "the Dadewala ambush", "the bomb blast": names and nouns between.
    for (int skip = 0; skip < 2 && t > s.token_begin &&
                       (d.tok(t).has(kCapitalized) ||
                        (d.features[t] & (kFeatTrigger | kFeatWeaponNoun)));
         ++skip) {
      --t;
    }
    const std::string_view k = d.key(t);
    if (In(k, {"the", "this", "that", "same", "latest", "yesterday's",
               "today's"})) {
      return true;
    }
    // "Monday's attack", "Friday's raid".
    if (k == "'s" && t > s.token_begin &&
        In(d.key(t - 1), {"monday", "tuesday", "wednesday", "thursday",
                          "friday", "saturday", "sunday", "yesterday",
                          "today", "weekend", "night", "morning"})) {
      return true;
    }
  }
  // "the abducted girls", "schoolgirls abducted in Chibok", "among those
  // abducted": a participle naming people by what happened to them.
  if (pos == "verb" && tr.token_begin > s.token_begin) {
    const std::string_view k = d.key(tr.token_begin);
    const std::string_view prev = d.key(tr.token_begin - 1);
    const bool participle = k.ends_with("ed") || k.ends_with("en");
    if (participle &&
        (In(prev, {"the", "their", "those", "his", "her", "our", "its"}) ||
         d.tok(tr.token_begin - 1).kind == TokenKind::kNumber ||
         ((d.features[tr.token_begin - 1] &
           (kFeatCivilianNoun | kFeatNationalityNoun)) &&
          !(d.features[tr.token_begin - 1] & kFeatArmedNoun)))) {
      return true;
    }
  }
  const uint32_t cb = d.clause_start(s, tr.token_begin);
  for (uint32_t t = cb; t + 1 < tr.token_begin; ++t) {
    if (In(d.key(t), {"the", "these", "those"}) &&
        (d.features[t + 1] & (kFeatArmedNoun | kFeatWeaponNoun))) {
      return true;
    }
  }
  return false;
}

// Sub-acts that retell part of an incident of another sub-type: the
// killing, burning or looting of a raid.
bool SubAct(std::string_view type) {
  return In(type, {"killing", "arson", "looting", "property_destruction",
                   "shooting", "massacre", "execution", "beheading"});
}

// How many sentences a link other than anaphora may reach back.
constexpr uint32_t kNear = 3;
constexpr uint32_t kAnaphoraReach = 12;

// "Later on Friday, ...", "Elsewhere, ...", "In a separate attack, ...": the
// sentence opens a new incident.
bool OpensNewIncident(const EventDoc& d, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  const uint32_t b = s.token_begin;
  if (b + 1 >= s.token_end) return false;
  const std::string_view k = d.key(b);
  if (In(k, {"later", "earlier", "elsewhere", "separately", "meanwhile",
             "previously", "also"})) {
    return true;
  }
  if (k == "in" && b + 2 < s.token_end &&
      In(d.key(b + 1), {"another", "a", "an"}) &&
      In(d.key(b + 2), {"separate", "another", "similar", "second", "third",
                        "earlier", "later", "different"})) {
    return true;
  }
  return k == "in" && d.key(b + 1) == "another";
}

// True when the trigger stands inside a quotation: more opening than
// closing quote marks before it in its sentence ("... spoke of air
// strikes," he said is not; “They burned the houses” is).
bool Quoted(const EventDoc& d, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  int open = 0, straight = 0;
  for (uint32_t t = s.token_begin; t < tr.token_begin; ++t) {
    const std::string_view k = d.key(t);
    if (k == "\xe2\x80\x9c") ++open;       // “
    else if (k == "\xe2\x80\x9d") --open;  // ”
    else if (k == "\"") ++straight;
  }
  return open > 0 || straight % 2 == 1;
}

// Why mention `m` belongs to the incident, or null.
const char* Link(const EventDoc& d, const Facts& inc, const Facts& m,
                 const Trigger& tr, bool anaphoric) {
  if (m.last_sentence == inc.last_sentence) return "merge.same_sentence";
  if (OpensNewIncident(d, tr)) return nullptr;
  const uint32_t gap = m.last_sentence - inc.last_sentence;
  if (gap <= kAnaphoraReach && anaphoric) return "merge.anaphora";
  // A witness or an official quoted on the incident retells it.
  if (gap <= kAnaphoraReach && m.places.empty() && m.date.empty() &&
      Quoted(d, tr)) {
    return "merge.quote";
  }
  // The same act at the same place, anywhere in the story ("the 276
  // schoolgirls abducted in Chibok").
  if (inc.type == m.type && SharesPoint(d, inc, m)) return "merge.place";
  // The same named person killed, kidnapped or arrested, told again ("the
  // execution of Mariam Cisse ... Cisse was taken to the square and shot").
  for (uint32_t p : m.people) {
    if (std::find(inc.people.begin(), inc.people.end(), p) !=
        inc.people.end()) {
      return "merge.participant";
    }
  }
  if (gap > kNear) return nullptr;
  if (inc.toll > 0 && inc.toll == m.toll) return "merge.toll";
  if (SharesPlace(d, inc, m)) return "merge.place";
  if (inc.date.size() == 10 && inc.date == m.date) return "merge.date";
  // One side names neither place nor date: the lead before its details, or
  // a detail after its lead, of the same kind of act.
  const bool unanchored =
      (m.places.empty() && m.date.empty()) || inc.places.empty();
  const bool same_act = inc.sub_type == m.sub_type || SubAct(m.type) ||
                        SubAct(inc.type);
  if (unanchored && same_act && gap <= 2) return "merge.elaboration";
  return nullptr;
}

// Sub-acts that retell part of an incident of another sub-type: the
// killing, burning or looting of a raid.
bool SubAct(std::string_view type);

bool SameKind(const Facts& inc, const Facts& m) {
  // "One protester was killed when police fired live ammunition": a death
  // in the sentence of a demonstration is part of it.
  if (inc.last_sentence == m.last_sentence &&
      ((inc.family == Family::kDemonstration &&
        m.family == Family::kViolence && SubAct(m.type)) ||
       (m.family == Family::kDemonstration &&
        inc.family == Family::kViolence && SubAct(inc.type)))) {
    return IsReported(inc.status) && IsReported(m.status);
  }
  if (inc.family != m.family || m.family == Family::kNone) return false;
  if (m.family == Family::kStrategic && inc.type != m.type &&
      inc.last_sentence != m.last_sentence) {
    return false;
  }
  if (IsReported(inc.status) && IsReported(m.status)) return true;
  return inc.status == m.status && inc.last_sentence == m.last_sentence;
}

// An incident keeps at most this many places to compare: an ordinary one
// names a few; a sentence that does not end can name hundreds.
constexpr size_t kMaxPlaces = 16;

void Absorb(Facts* inc, const Facts& m) {
  for (uint32_t p : m.places) {
    if (inc->places.size() < kMaxPlaces &&
        std::find(inc->places.begin(), inc->places.end(), p) ==
            inc->places.end()) {
      inc->places.push_back(p);
    }
  }
  for (uint32_t g : m.groups) {
    if (std::find(inc->groups.begin(), inc->groups.end(), g) ==
        inc->groups.end()) {
      inc->groups.push_back(g);
    }
  }
  for (uint32_t p : m.people) {
    if (std::find(inc->people.begin(), inc->people.end(), p) ==
        inc->people.end()) {
      inc->people.push_back(p);
    }
  }
  if (inc->date.empty()) inc->date = m.date;
  if (inc->toll < 0) inc->toll = m.toll;
  inc->last_sentence = std::max(inc->last_sentence, m.last_sentence);
  inc->last_token = std::max(inc->last_token, m.last_token);
}

// "The attack followed the kidnapping ...", "killed ... after gunmen
// stormed ...": a word of sequence between two triggers of one sentence
// orders two incidents.
bool SequenceBetween(const EventDoc& d, uint32_t from, uint32_t to) {
  for (uint32_t t = from; t < to; ++t) {
    if (In(d.key(t), {"after", "before", "following", "followed", "since",
                      "preceded", "prior", "later", "earlier"})) {
      return true;
    }
  }
  return false;
}

}  // namespace

void MergeIncidents(EventDoc* d) {
  const int64_t reference_day =
      d->document_date.empty() ? INT32_MIN : Days(d->document_date);
  std::vector<Facts> facts;
  d->incidents.clear();
  d->merge_reason.assign(d->events.size(), "");
  for (uint32_t i = 0; i < d->events.size(); ++i) {
    Facts m = FactsOf(*d, d->events[i], d->event_triggers[i]);
    m.last_token = d->event_triggers[i].token_end;
    int64_t joined = -1;
    // Only the latest kMergeReach incidents: an article has far fewer (116
    // at most in the BBC corpus and the eval articles, joined at most 51
    // back), while a sentence with no break can open thousands.
    const size_t oldest =
        facts.size() > kMergeReach ? facts.size() - kMergeReach : 0;
    // Computed when first needed: most mentions meet no incident of their
    // kind.
    int anaphoric_memo = -1;
    for (size_t k = facts.size(); k-- > oldest && joined < 0;) {
      if (!SameKind(facts[k], m)) continue;
      const bool same_sentence = facts[k].last_sentence == m.last_sentence;
      if (anaphoric_memo < 0) {
        anaphoric_memo = Anaphoric(*d, d->event_triggers[i]) ? 1 : 0;
      }
      const bool anaphoric = anaphoric_memo == 1;
      if (Conflicts(*d, facts[k], m, reference_day, same_sentence,
                    anaphoric)) {
        continue;
      }
      if (same_sentence &&
          SequenceBetween(*d, facts[k].last_token,
                          d->event_triggers[i].token_begin)) {
        continue;
      }
      const char* why = Link(*d, facts[k], m, d->event_triggers[i], anaphoric);
      if (why == nullptr) continue;
      joined = static_cast<int64_t>(k);
      d->merge_reason[i] = why;
    }
    if (joined < 0) {
      facts.push_back(m);
      d->incidents.push_back({i});
    } else {
      Absorb(&facts[joined], m);
      d->incidents[joined].push_back(i);
    }
  }
}

}  // namespace extract
