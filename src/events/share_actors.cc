// Pass ShareSentenceActors. Reads the events and their sentences. Adds
// actors to conflict events that have none: one sentence usually reports
// one incident, so such an event takes the actor of the nearest event of
// its sentence that has one ("a bus was struck by an IED ..., the IED was
// most likely planted by Katiba Serma militants"); a sentence that opens
// with a definite event noun ("The operation was initiated by airstrike")
// continues the previous sentence's incident.
#include <algorithm>
#include <unordered_map>

#include "events/passes.h"

namespace extract {
namespace {

// The event the actorless event `i` borrows its actors from, or null.
const Event* ActorSource(
    const EventDoc& d, size_t i,
    std::unordered_map<uint32_t, std::vector<uint32_t>>& events_in) {
  const auto& events = d.events;
  const Event& e = events[i];
  const Event* from = nullptr;
  size_t best = SIZE_MAX;
  for (const size_t j : events_in[e.sentence]) {
    const Event& o = events[j];
    if (j == i || o.sentence != e.sentence || o.actors.empty() ||
        o.acled_event_type.empty()) {
      continue;
    }
    const size_t dist = j > i ? j - i : i - j;
    if (dist < best) {
      best = dist;
      from = &o;
    }
  }
  if (from != nullptr || e.sentence == 0) return from;
  const Sentence& s = d.seg.sentences[e.sentence];
  const bool anaphoric =
      s.token_end > s.token_begin + 1 && d.key(s.token_begin) == "the" &&
      (d.features[s.token_begin + 1] & (kFeatTrigger | kFeatArmedNoun));
  for (size_t j = i; anaphoric && j-- > 0;) {
    if (events[j].sentence + 1 == e.sentence && !events[j].actors.empty() &&
        !events[j].acled_event_type.empty()) {
      return &events[j];
    }
  }
  return nullptr;
}

}  // namespace

void ShareSentenceActors(EventDoc* d) {
  auto& events = d->events;
  // Events by sentence, in index order: each looks at its own sentence's.
  std::unordered_map<uint32_t, std::vector<uint32_t>> events_in;
  for (size_t i = 0; i < events.size(); ++i) {
    events_in[events[i].sentence].push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    if (!e.actors.empty() || e.acled_event_type.empty()) continue;
    const Event* from = ActorSource(*d, i, events_in);
    if (from == nullptr) continue;
    for (uint32_t a : from->actors) {
      if (std::find(e.targets.begin(), e.targets.end(), a) == e.targets.end()) {
        e.actors.push_back(a);
      }
    }
  }
}

}  // namespace extract
