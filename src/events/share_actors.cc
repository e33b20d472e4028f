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

bool CanLend(const Event& e) {
  return !e.actors.empty() && !e.acled_event_type.empty();
}

// The event the actorless event `i` borrows its actors from, or null:
// `before` and `after` are the nearest events of its sentence, before and
// after it, that can lend (or -1); the nearer wins, the earlier on a tie.
const Event* ActorSource(const EventDoc& d, size_t i, int64_t before,
                         int64_t after) {
  const auto& events = d.events;
  const Event& e = events[i];
  if (before >= 0 &&
      (after < 0 || i - static_cast<size_t>(before) <=
                        static_cast<size_t>(after) - i)) {
    return &events[before];
  }
  if (after >= 0) return &events[after];
  if (e.sentence == 0) return nullptr;
  const Sentence& s = d.seg.sentences[e.sentence];
  const bool anaphoric =
      s.token_end > s.token_begin + 1 && d.key(s.token_begin) == "the" &&
      (d.features[s.token_begin + 1] & (kFeatTrigger | kFeatArmedNoun));
  for (size_t j = i; anaphoric && j-- > 0;) {
    if (events[j].sentence + 1 == e.sentence && CanLend(events[j])) {
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
  // For each event, the next event of its sentence that can lend as the
  // pass starts (events after it have not borrowed yet), or -1; and, as the
  // pass goes, the last event of each sentence that can lend (including
  // those that borrowed). One sentence can hold thousands of events.
  std::vector<int64_t> next_lender(events.size(), -1);
  for (const auto& [sentence, list] : events_in) {
    int64_t next = -1;
    for (size_t k = list.size(); k-- > 0;) {
      next_lender[list[k]] = next;
      if (CanLend(events[list[k]])) next = list[k];
    }
  }
  std::unordered_map<uint32_t, int64_t> last_lender;
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    if (e.actors.empty() && !e.acled_event_type.empty()) {
      const auto last = last_lender.find(e.sentence);
      const Event* from =
          ActorSource(*d, i, last == last_lender.end() ? -1 : last->second,
                      next_lender[i]);
      if (from != nullptr) {
        for (uint32_t a : from->actors) {
          if (std::find(e.targets.begin(), e.targets.end(), a) ==
              e.targets.end()) {
            e.actors.push_back(a);
          }
        }
      }
    }
    if (CanLend(e)) last_lender[e.sentence] = static_cast<int64_t>(i);
  }
}

}  // namespace extract
