// Pass SeedIncidents. Reads the events built per trigger. Makes each one an
// incident of one mention: its `mentions` holds the trigger itself, its
// `evidence` its sentence; the mention keeps the event's status. Later
// passes merge mentions of the same incident.
#include "events/passes.h"

namespace extract {

void SeedIncidents(EventDoc* d) {
  for (Event& e : d->events) {
    EventMention m;
    m.type = e.type;
    m.acled_event_type = e.acled_event_type;
    m.acled_sub_event_type = e.acled_sub_event_type;
    m.trigger = e.trigger;
    m.sentence = e.sentence;
    m.trigger_source = e.trigger_source;
    m.source = e.source;
    m.status = e.status;
    e.mentions.push_back(std::move(m));
    e.evidence.push_back(e.sentence);
    if (e.date && e.date_from.empty()) e.date_from = "mention";
  }
}

}  // namespace extract
