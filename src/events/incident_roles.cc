// Pass FillIncidentRoles. Reads `incidents` (from MergeIncidents) and the
// per-mention events. Replaces the events with one event per incident, in
// the order of their first mentions:
//   - its main mention is the most severe ACLED type among its mentions
//     (explosions, battles, violence against civilians, riots, protests,
//     strategic developments; the first among equals), as a coder picks the
//     type of a raid that killed, burned and looted; the event's type,
//     codes, trigger, sentence, voice and provenance are the main one's;
//   - actors, targets and places from all of its mentions: victims are
//     targets (an entity that is a target anywhere, and civilians, are not
//     actors), the most specific places first;
//   - the death toll and hostage count of the main mention, else of the
//     first mention that states one (0 for a non-lethal incident whose
//     sentences tell of no death); its numbers, mentions, evidence
//     sentences and the passes that decided it.
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

int Severity(std::string_view type) {
  static constexpr std::string_view kOrder[] = {
      "Explosions/Remote violence", "Battles", "Violence against civilians",
      "Riots", "Protests", "Strategic developments"};
  for (int i = 0; i < 6; ++i) {
    if (type == kOrder[i]) return i;
  }
  return 6;
}

void AddAll(std::vector<uint32_t>* to, const std::vector<uint32_t>& from) {
  for (uint32_t x : from) AddUnique(to, static_cast<int32_t>(x));
}

bool IsCivilians(const EventDoc& d, uint32_t entity) {
  const Entry* e = d.entry_of(entity);
  return e != nullptr && e->id.starts_with("group:acled_civilians");
}

bool Violent(std::string_view type) {
  return Severity(type) <= 4;
}

int PlaceRank(const EventDoc& d, uint32_t place) {
  switch (d.place_level(place)) {
    case EventDoc::PlaceLevel::kPoint: return 0;
    case EventDoc::PlaceLevel::kUnknown: return 1;
    case EventDoc::PlaceLevel::kAdmin2: return 2;
    case EventDoc::PlaceLevel::kAdmin1: return 3;
    case EventDoc::PlaceLevel::kRegion: return 4;
    case EventDoc::PlaceLevel::kCountry: return 5;
  }
  return 6;
}

void MergeRoles(const EventDoc& d, const std::vector<const Event*>& parts,
                Event* out) {
  // The main mention's roles decide who did what to whom; the others add
  // participants it does not name. Both sides of a battle may lose men
  // ("one assailant was killed"), so a target elsewhere stays an actor.
  std::vector<uint32_t> actors, targets, places;
  for (const Event* p : parts) {
    AddAll(&actors, p->actors);
    AddAll(&places, p->places);
  }
  const std::vector<uint32_t>& main_targets = parts[0]->targets;
  for (const Event* p : parts) {
    for (uint32_t t : p->targets) {
      const bool acts =
          std::find(actors.begin(), actors.end(), t) != actors.end();
      const bool main_target =
          std::find(main_targets.begin(), main_targets.end(), t) !=
          main_targets.end();
      if (!acts || main_target) AddUnique(&targets, static_cast<int32_t>(t));
    }
  }
  for (uint32_t a : actors) {
    if (IsCivilians(d, a)) AddUnique(&targets, static_cast<int32_t>(a));
  }
  // In violence and demonstrations a country is where it happened or the
  // country of a participant ("ten Niger soldiers"), not a participant.
  if (Violent(out->acled_event_type)) {
    auto is_country = [&](uint32_t e) {
      return d.ents.entities[e].type == EntityType::kPlace;
    };
    std::erase_if(actors, is_country);
    std::erase_if(targets, is_country);
  }
  std::erase_if(actors, [&](uint32_t a) {
    return std::find(targets.begin(), targets.end(), a) != targets.end();
  });
  std::stable_sort(places.begin(), places.end(), [&](uint32_t a, uint32_t b) {
    return PlaceRank(d, a) < PlaceRank(d, b);
  });
  out->actors = std::move(actors);
  out->targets = std::move(targets);
  out->places = std::move(places);
}

void MergeNumbers(const std::vector<const Event*>& parts, Event* out) {
  for (const Event* p : parts) {
    if (!out->fatalities && p->fatalities) out->fatalities = p->fatalities;
    if (!out->hostages && p->hostages) out->hostages = p->hostages;
    if (!out->injured && p->injured) out->injured = p->injured;
    if (!out->ransom && p->ransom) out->ransom = p->ransom;
  }
  out->numbers.clear();
  for (const Event* p : parts) {
    for (const EventNumber& n : p->numbers) {
      const bool seen = std::any_of(
          out->numbers.begin(), out->numbers.end(), [&](const EventNumber& o) {
            return o.kind == n.kind && o.span == n.span;
          });
      if (!seen) out->numbers.push_back(n);
    }
  }
}

Event BuildIncident(const EventDoc& d, const std::vector<uint32_t>& members) {
  // A demonstration whose protesters were shot is coded as the
  // demonstration (riot, or protest with excessive force), not as a
  // killing: its demonstration mentions rank first.
  bool demonstration = false;
  for (uint32_t m : members) {
    const std::string_view t = d.events[m].acled_event_type;
    demonstration |= t == "Riots" || t == "Protests";
  }
  auto rank = [&](size_t k) {
    const std::string_view t = d.events[members[k]].acled_event_type;
    const bool demo = t == "Riots" || t == "Protests";
    return (demonstration && !demo ? 10 : 0) + Severity(t);
  };
  size_t main = 0;
  for (size_t k = 1; k < members.size(); ++k) {
    if (rank(k) < rank(main)) main = k;
  }
  // The main mention first, then the others in text order.
  std::vector<const Event*> parts{&d.events[members[main]]};
  for (size_t k = 0; k < members.size(); ++k) {
    if (k != main) parts.push_back(&d.events[members[k]]);
  }
  Event out = *parts[0];
  out.mentions.clear();
  out.evidence.clear();
  out.passes.clear();
  for (size_t k = 0; k < members.size(); ++k) {
    const Event& e = d.events[members[k]];
    out.mentions.insert(out.mentions.end(), e.mentions.begin(),
                        e.mentions.end());
    AddUnique(&out.evidence, static_cast<int32_t>(e.sentence));
    for (const std::string& p : e.passes) {
      if (std::find(out.passes.begin(), out.passes.end(), p) ==
          out.passes.end()) {
        out.passes.push_back(p);
      }
    }
    const std::string& why = d.merge_reason[members[k]];
    if (!why.empty() && std::find(out.passes.begin(), out.passes.end(),
                                  why) == out.passes.end()) {
      out.passes.push_back(why);
    }
  }
  std::sort(out.evidence.begin(), out.evidence.end());
  MergeRoles(d, parts, &out);
  if (members.size() > 1) MergeNumbers(parts, &out);
  if (!out.date) {
    for (const Event* p : parts) {
      if (p->date) {
        out.date = p->date;
        out.date_from = "incident";
        break;
      }
    }
  }
  return out;
}

}  // namespace

// ACLED codes 0 deaths for an arrest, a peaceful protest or an abduction
// whose report mentions none; a violent incident with no stated toll stays
// unknown.
void NoDeathsStated(const EventDoc& d, Event* e) {
  if (e->fatalities) return;
  const std::string_view type = e->acled_event_type;
  const std::string_view sub = e->acled_sub_event_type;
  const bool non_lethal = type == "Strategic developments" ||
                          sub == "Peaceful protest" ||
                          sub == "Protest with intervention" ||
                          sub == "Abduction/forced disappearance";
  if (!non_lethal) return;
  for (uint32_t si : e->evidence) {
    const Sentence& s = d.seg.sentences[si];
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (d.features[t] & kFeatFatalityCue) return;
    }
  }
  e->fatalities = 0;
  e->passes.push_back("fatalities.none_stated");
}

void FillIncidentRoles(EventDoc* d) {
  std::vector<Event> incidents;
  incidents.reserve(d->incidents.size());
  for (const std::vector<uint32_t>& members : d->incidents) {
    incidents.push_back(BuildIncident(*d, members));
    NoDeathsStated(*d, &incidents.back());
  }
  d->events = std::move(incidents);
  d->event_triggers.clear();
}

}  // namespace extract
