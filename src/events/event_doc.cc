// Word classes and clause queries shared by the event-assembly passes.
#include "events/event_doc.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace extract {

bool IsBeForm(std::string_view k) {
  return In(k, {"was", "were", "is", "are", "been", "being", "be", "got",
                "get", "gets", "getting"});
}

bool IsPreposition(std::string_view k) {
  return In(k, {"of", "in", "at", "to", "from", "near", "with", "for", "by",
                "against", "on", "into", "onto", "towards", "toward", "across",
                "through", "between", "among", "around", "outside", "inside",
                "within", "over", "under", "after", "before", "since",
                "during", "like", "about", "than", "as", "via", "including"});
}

bool IsDeterminer(std::string_view k) {
  return In(k, {"the", "this", "that", "these", "those", "her", "his", "its",
                "their", "our", "such"});
}

bool IsPatientVerb(std::string_view k) {
  return In(k, {"received", "receives", "receive", "receiving", "suffered",
                "suffers", "suffer", "faced", "faces", "face", "facing",
                "endured", "survived", "survives", "experienced", "escaped",
                "feared", "fears", "witnessed", "underwent"});
}

bool IsSubjectPronoun(std::string_view k) {
  return In(k, {"he", "she", "they", "it", "this", "these", "we"});
}

bool IsSpeechVerb(std::string_view k) {
  return In(k, {"said", "says", "say", "told", "tells", "added", "adding",
                "quoted", "quoting",
                "stated", "explained", "noted", "disclosed", "revealed",
                "recounted", "narrated", "recalled", "insisted", "confirmed",
                "reported", "alleged", "announced", "claimed", "declared",
                "affirmed", "maintained", "testified", "wrote", "tweeted"});
}

bool IsReported(std::string_view status) {
  return status == "asserted" || status == "claimed" || status == "alleged" ||
         status == "possible";
}

bool IsDemonstratorName(std::string_view name) {
  return In(name, {"protesters", "demonstrators", "rioters", "Protesters",
                   "Demonstrators", "Rioters"});
}

int DigitsAt(std::string_view v, size_t b, size_t n) {
  if (v.size() < b + n) return -1;
  int x = 0;
  for (size_t i = b; i < b + n; ++i) {
    if (v[i] < '0' || v[i] > '9') return -1;
    x = x * 10 + (v[i] - '0');
  }
  return x;
}

bool IsViolent(std::string_view acled_type) {
  return acled_type == "Battles" || acled_type == "Violence against civilians" ||
         acled_type == "Explosions/Remote violence" || acled_type == "Riots";
}

void AddUnique(std::vector<uint32_t>* v, int32_t entity) {
  if (entity < 0) return;
  if (std::find(v->begin(), v->end(), static_cast<uint32_t>(entity)) ==
      v->end()) {
    v->push_back(static_cast<uint32_t>(entity));
  }
}

bool EventDoc::is_country(const Mention& m) const {
  return m.entry >= 0 && !g.Attr(g.entry(m.entry), "iso2").empty();
}

bool EventDoc::can_act(const Mention& m) const {
  if (m.role == MentionRole::kDemonym) return false;
  if (m.type == EntityType::kPlace) return is_country(m);
  return true;
}

bool EventDoc::can_be_target(const Mention& m) const {
  return m.type != EntityType::kPlace || m.role == MentionRole::kDemonym ||
         is_country(m);
}

bool EventDoc::preceded_by_preposition(const Mention& m,
                                       uint32_t floor) const {
  uint32_t t = m.token_begin;
  while (t > floor && IsDeterminer(key(t - 1))) --t;
  if (t <= floor || !IsPreposition(key(t - 1))) return false;
  // "a group of Malian soldiers", "dozens of gunmen": a quantity, not a
  // prepositional phrase.
  return !(key(t - 1) == "of" && t - 1 > floor &&
           In(key(t - 2), {"group", "groups", "dozens", "hundreds",
                           "thousands", "members", "number", "unit", "units",
                           "elements", "team", "band", "some", "several",
                           "many", "dozen", "scores"}));
}

uint32_t EventDoc::clause_start(const Sentence& s, uint32_t t) const {
  // The clause starts after the last break before `t`: scanning back from
  // `t` finds it without reading the sentence's earlier clauses.
  const uint32_t floor =
      t > s.token_begin + kSentenceReach ? t - kSentenceReach : s.token_begin;
  for (uint32_t i = t; i-- > floor;) {
    if (parenthetical[i]) continue;
    std::string_view k = key(i);
    if (k == ";" || k == ":" || k == "\xe2\x80\x94" || k == "\xe2\x80\x93") {
      return i + 1;
    } else if (is_speech(i) && i + 1 < t &&
               (key(i + 1) == "that" ||
                !In(k, {"claimed", "confirmed", "reported", "announced",
                        "alleged", "declared"}))) {
      // "A resident, X, said about 30 terrorists stormed ...", "Sources
      // told LEADERSHIP that the insurgents ...": the speaker and the one
      // told are the source, not the doer; the reported clause starts
      // after them.
      uint32_t j = i + 1;
      if (const Mention* heard = mention_of(j);
          heard != nullptr && k.starts_with("tol") && heard->token_end < t) {
        j = heard->token_end;
      }
      while (j < t && (key(j) == "that" || key(j) == "," || key(j) == "on" ||
                       In(key(j), {"monday", "tuesday", "wednesday",
                                   "thursday", "friday", "saturday", "sunday",
                                   "yesterday"}))) {
        ++j;
      }
      return j;
    } else if (k == "," && i + 1 < t && opens_subordinate(s)) {
      // "Though the spokesman denied the clampdown, the army intercepted
      // ...": the main clause starts after the subordinate one.
      return i + 1;
    } else if ((k == "and" || k == "but" || k == "while") && i + 1 < t) {
      // "..., and JNIM is demanding": a new subject starts a new clause.
      const Mention* next = mention_of(i + 1);
      if ((next != nullptr && can_act(*next)) ||
          IsSubjectPronoun(key(i + 1))) {
        return i + 1;
      }
    }
  }
  return floor;
}

bool EventDoc::opens_subordinate(const Sentence& s) const {
  uint32_t b = s.token_begin;
  while (b < s.token_end && seg.tokens[b].kind == TokenKind::kPunct) ++b;
  return b < s.token_end &&
         In(key(b), {"though", "although", "while", "when", "after", "as",
                     "because", "if", "despite", "since", "before", "once",
                     "until", "whereas", "even"});
}

std::pair<uint32_t, uint32_t> EventDoc::scene(const Sentence& s,
                                              uint32_t t) const {
  auto breaks = [&](uint32_t i) {
    const std::string_view k = key(i);
    return k == ";" || k == ":" ||
           In(k, {"where", "while", "whereas", "but", "although", "though"});
  };
  uint32_t b = t, e = t + 1;
  while (b > s.token_begin && !breaks(b - 1)) --b;
  while (e < s.token_end && !breaks(e)) ++e;
  return {b, e};
}

const Mention* EventDoc::subject_in(uint32_t b, uint32_t e) const {
  for (uint32_t t = b; t < e; ++t) {
    const Mention* m = mention_of(t);
    if (m == nullptr || parenthetical[t]) continue;
    if (m->token_begin != t) continue;
    if (can_act(*m) && !preceded_by_preposition(*m, b)) return m;
  }
  return nullptr;
}

std::vector<const Mention*> EventDoc::objects_from(
    uint32_t t, uint32_t limit, uint32_t max_gap,
    bool allow_prepositions) const {
  std::vector<const Mention*> out;
  uint32_t gap = 0;
  for (uint32_t i = t; i < limit; ++i) {
    const Mention* m = mention_of(i);
    if (m != nullptr && m->token_begin == i) {
      if (!can_be_target(*m)) break;
      out.push_back(m);
      i = m->token_end - 1;
      gap = 0;
      continue;
    }
    std::string_view k = key(i);
    if (!out.empty()) {
      if (k == "and" || k == "or" || k == ",") continue;
      break;
    }
    if (!allow_prepositions && IsPreposition(k)) break;
    if (In(k, {"that", "which", "who", "whom", "whether", "if", "because"})) {
      break;
    }
    if (seg.tokens[i].kind == TokenKind::kPunct && k != "'s") break;
    if (++gap > max_gap) break;
  }
  return out;
}

std::span<const std::pair<uint32_t, uint32_t>> EventDoc::mentions_in_sentence(
    uint32_t entity, uint32_t sentence) {
  std::vector<std::pair<uint32_t, uint32_t>>& list = by_sentence_[entity];
  const std::vector<uint32_t>& mentions = ents.entities[entity].mentions;
  if (list.empty() && !mentions.empty()) {
    list.reserve(mentions.size());
    for (uint32_t k = 0; k < mentions.size(); ++k) {
      list.emplace_back(ents.mentions[mentions[k]].sentence, k);
    }
    std::sort(list.begin(), list.end());
  }
  const auto first = std::lower_bound(list.begin(), list.end(),
                                      std::make_pair(sentence, uint32_t{0}));
  const auto last = std::lower_bound(
      first, list.end(), std::make_pair(sentence + 1, uint32_t{0}));
  return std::span<const std::pair<uint32_t, uint32_t>>(
      list.data() + (first - list.begin()), last - first);
}

std::vector<int32_t> EventDoc::EntityEntries(const EntityAssembly& ents) {
  std::vector<int32_t> entries(ents.entities.size(), -1);
  for (size_t i = 0; i < ents.entities.size(); ++i) {
    for (uint32_t m : ents.entities[i].mentions) {
      if (ents.mentions[m].entry >= 0) {
        entries[i] = ents.mentions[m].entry;
        break;
      }
    }
  }
  return entries;
}

const Entry* EventDoc::entry_of(uint32_t entity) const {
  if (entity >= entry_.size() || entry_[entity] < 0) return nullptr;
  return &g.entry(static_cast<uint32_t>(entry_[entity]));
}

EventDoc::PlaceLevel EventDoc::place_level(uint32_t entity) const {
  const Entry* e = entry_of(entity);
  if (e == nullptr) {
    // An unresolved "Borno State", "Nangade district": the admin word says
    // its level.
    const std::string_view name = ents.entities[entity].name;
    const size_t sp = name.rfind(' ');
    if (sp == std::string_view::npos) return PlaceLevel::kUnknown;
    std::string last(name.substr(sp + 1));
    for (char& c : last) c = static_cast<char>(std::tolower(c));
    if (In(last, {"state", "region", "province", "governorate", "prefecture",
                  "zone"})) {
      return PlaceLevel::kAdmin1;
    }
    if (In(last, {"district", "county", "department", "cercle", "commune",
                  "lga", "area", "municipality", "division"})) {
      return PlaceLevel::kAdmin2;
    }
    return PlaceLevel::kUnknown;
  }
  const std::string_view id = e->id;
  if (id.starts_with("region:")) return PlaceLevel::kRegion;
  if (id.starts_with("country:")) return PlaceLevel::kCountry;
  const std::string_view feature = area_[entity].feature;
  if (feature == "ADM1") return PlaceLevel::kAdmin1;
  if (feature.starts_with("ADM")) return PlaceLevel::kAdmin2;
  return PlaceLevel::kPoint;
}

bool EventDoc::same_area(uint32_t a, uint32_t b) const {
  if (a == b) return true;
  const Entry* x = entry_of(a);
  const Entry* y = entry_of(b);
  if (x == nullptr || y == nullptr) {
    return ents.entities[a].name == ents.entities[b].name;
  }
  if (x == y) return true;
  // One is the ADM1 or ADM2 area the other lies in.
  for (int pass = 0; pass < 2; ++pass) {
    const Area& area = area_[pass == 0 ? a : b];
    const Area& in = area_[pass == 0 ? b : a];
    std::string_view name, in_name;
    if (area.feature == "ADM1") {
      name = area.admin1;
      in_name = in.admin1;
    } else if (area.feature == "ADM2") {
      name = area.admin2;
      in_name = in.admin2;
    } else {
      continue;
    }
    if (!name.empty() && name == in_name && area.country == in.country) {
      return true;
    }
  }
  return false;
}

}  // namespace extract
