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

Family FamilyOf(const Event& e) {
  const std::string_view t = e.acled_event_type;
  if (t.empty()) return Family::kNone;
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

bool Factual(std::string_view status) {
  return status == "asserted" || status == "claimed" || status == "alleged" ||
         status == "possible";
}

// Days since 1970-01-01 of "YYYY-MM-DD" (a prefix counts from its first
// day), or INT32_MIN when it does not parse.
int64_t Days(std::string_view v) {
  if (v.size() < 4) return INT32_MIN;
  auto num = [&](size_t b, size_t n) {
    int64_t x = 0;
    for (size_t i = b; i < b + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return int64_t{-1};
      x = x * 10 + (v[i] - '0');
    }
    return x;
  };
  int64_t y = num(0, 4), m = v.size() >= 7 ? num(5, 2) : 1,
          d = v.size() >= 10 ? num(8, 2) : 1;
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
  std::string date;              // first dated mention's value
  uint32_t last_sentence = 0;
  uint32_t last_token = 0;  // end of the latest mention's trigger
  Family family = Family::kNone;
  std::string type, status;
};

Facts FactsOf(const EventDoc& d, const Event& e) {
  Facts f;
  for (uint32_t p : e.places) {
    const auto level = d.place_level(p);
    if (level == EventDoc::PlaceLevel::kPoint ||
        level == EventDoc::PlaceLevel::kAdmin2 ||
        level == EventDoc::PlaceLevel::kUnknown) {
      f.places.push_back(p);
    }
  }
  for (uint32_t a : e.actors) {
    if (d.ents.entities[a].type != EntityType::kGroup) continue;
    const Entry* entry = d.entry_of(a);
    if (entry == nullptr || entry->id.starts_with("group:acled_")) continue;
    f.groups.push_back(a);
  }
  if (e.date && !e.date->value.empty()) f.date = e.date->value;
  f.last_sentence = e.sentence;
  f.family = FamilyOf(e);
  f.type = e.type;
  f.status = e.status;
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

// True when the mention's facts say it tells another incident.
bool Conflicts(const EventDoc& d, const Facts& inc, const Facts& m,
               int64_t reference_day, bool same_sentence) {
  if (!inc.places.empty() && !m.places.empty() && !SharesPlace(d, inc, m)) {
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

// "the attack", "this raid", "the assailants then ...": refers back.
bool Anaphoric(const EventDoc& d, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  const std::string_view pos = d.g.Attr(d.g.entry(tr.entry), "pos");
  if (pos == "noun" && tr.token_begin > s.token_begin &&
      In(d.key(tr.token_begin - 1), {"the", "this", "that", "same", "latest"})) {
    return true;
  }
  const uint32_t cb = d.clause_start(s, tr.token_begin);
  for (uint32_t t = cb; t + 1 < tr.token_begin; ++t) {
    if (In(d.key(t), {"the", "these", "those"}) &&
        (d.features[t + 1] & kFeatArmedNoun)) {
      return true;
    }
  }
  return false;
}

// Why mention `m` belongs to the incident, or null.
const char* Link(const EventDoc& d, const Facts& inc, const Facts& m,
                 const Trigger& tr) {
  if (m.last_sentence == inc.last_sentence) return "merge.same_sentence";
  if (Anaphoric(d, tr)) return "merge.anaphora";
  if (!inc.places.empty() && SharesPlace(d, inc, m)) return "merge.place";
  if (inc.date.size() == 10 && inc.date == m.date) return "merge.date";
  if (m.places.empty() && m.date.empty() &&
      m.last_sentence <= inc.last_sentence + 2) {
    return "merge.elaboration";
  }
  return nullptr;
}

bool SameKind(const Facts& inc, const Facts& m) {
  if (inc.family != m.family || m.family == Family::kNone) return false;
  if (m.family == Family::kStrategic && inc.type != m.type &&
      inc.last_sentence != m.last_sentence) {
    return false;
  }
  if (Factual(inc.status) && Factual(m.status)) return true;
  return inc.status == m.status && inc.last_sentence == m.last_sentence;
}

void Absorb(Facts* inc, const Facts& m) {
  for (uint32_t p : m.places) {
    if (std::find(inc->places.begin(), inc->places.end(), p) ==
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
  if (inc->date.empty()) inc->date = m.date;
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
    Facts m = FactsOf(*d, d->events[i]);
    m.last_token = d->event_triggers[i].token_end;
    int64_t joined = -1;
    // Only the latest kMergeReach incidents: an article has far fewer (116
    // at most in the BBC corpus and the eval articles, joined at most 51
    // back), while a sentence with no break can open thousands.
    const size_t oldest =
        facts.size() > kMergeReach ? facts.size() - kMergeReach : 0;
    for (size_t k = facts.size(); k-- > oldest && joined < 0;) {
      if (!SameKind(facts[k], m)) continue;
      const bool same_sentence = facts[k].last_sentence == m.last_sentence;
      if (Conflicts(*d, facts[k], m, reference_day, same_sentence)) continue;
      if (same_sentence &&
          SequenceBetween(*d, facts[k].last_token,
                          d->event_triggers[i].token_begin)) {
        continue;
      }
      const char* why = Link(*d, facts[k], m, d->event_triggers[i]);
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
