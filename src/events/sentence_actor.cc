// Pass ActorFromSentences. Reads the incidents that have no actor, the
// group mentions of their evidence sentences and the groups' kinds. Adds,
// as actor, the first group of a kind that does what the incident is
// (armed groups, militias, rebels, state forces and ACLED's unidentified
// armed groups for violence; protesters and rioters for demonstrations),
// named in its sentences and not among its targets ("Thousands of
// protesters poured into the streets ... The protests ...", "the attack
// was blamed on the Pakistani Taliban"). The actor's provenance says so
// ("actor.from_sentence").
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

bool Armed(std::string_view kind, std::string_view id) {
  return kind == "armed_group" || kind == "militia" || kind == "rebel_group" ||
         kind == "military" || kind == "police" ||
         id.starts_with("group:acled_unidentified") ||
         id.starts_with("group:acled_islamist") ||
         id.starts_with("group:acled_militia");
}

bool Demonstrating(std::string_view id) {
  return id.starts_with("group:acled_protesters") ||
         id.starts_with("group:acled_rioters");
}

// The first fitting group named in sentence `si`, or -1.
int32_t ActorIn(const EventDoc& d, uint32_t si, bool demonstration,
                const Event& e) {
  const Sentence& s = d.seg.sentences[si];
  for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
    const Mention* m = d.mention_of(t);
    if (m == nullptr || m->token_begin != t || m->entity < 0 ||
        m->type != EntityType::kGroup) {
      continue;
    }
    const uint32_t ent = static_cast<uint32_t>(m->entity);
    if (std::find(e.targets.begin(), e.targets.end(), ent) != e.targets.end()) {
      continue;
    }
    // "protesters" with no country to name them by is still the crowd.
    if (m->entry < 0) {
      if (demonstration && IsDemonstratorName(d.ents.entities[ent].name)) {
        return m->entity;
      }
      continue;
    }
    const Entry& entry = d.g.entry(static_cast<uint32_t>(m->entry));
    const bool fits = demonstration
                          ? Demonstrating(entry.id)
                          : Armed(d.g.Attr(entry, "kind"), entry.id);
    if (fits) return m->entity;
  }
  return -1;
}

}  // namespace

void ActorFromSentences(EventDoc* d) {
  for (Event& e : d->events) {
    if (!e.actors.empty() || e.acled_event_type.empty()) continue;
    const std::string_view type = e.acled_event_type;
    if (type == "Strategic developments") continue;
    const bool demonstration = type == "Protests" || type == "Riots";
    int32_t found = ActorIn(*d, e.sentence, demonstration, e);
    for (size_t k = 0; found < 0 && k < e.evidence.size(); ++k) {
      if (e.evidence[k] != e.sentence) {
        found = ActorIn(*d, e.evidence[k], demonstration, e);
      }
    }
    if (found < 0) continue;
    e.actors.push_back(static_cast<uint32_t>(found));
    e.passes.push_back("actor.from_sentence");
  }
}

}  // namespace extract
