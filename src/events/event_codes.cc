// Step SetEventCodes (of BuildEventMentions). Reads the trigger's gazetteer
// entry and its class in the taxonomy. Adds the event's class, trigger
// span, sentence, provenance and codes (ACLED, PLOVER, CAMEO): the entry's
// own codes first, else its class's.
#include "events/passes.h"

namespace extract {

void SetEventCodes(const Gazetteer& g, const Entry& te, const std::string& cls,
                   const Trigger& tr, Event* ev) {
  ev->type = cls;
  ev->trigger = tr.span;
  ev->sentence = tr.sentence;
  ev->trigger_source = tr.source;
  ev->acled_event_type = std::string(g.Attr(te, "acled_event_type"));
  ev->acled_sub_event_type = std::string(g.Attr(te, "acled_sub_event_type"));
  ev->plover = std::string(g.Attr(te, "plover"));
  ev->cameo = std::string(g.Attr(te, "cameo"));
  if (const EventClass* ec = g.FindEventClass(cls)) {
    if (ev->acled_event_type.empty()) {
      ev->acled_event_type = ec->acled_event_type;
      ev->acled_sub_event_type = ec->acled_sub_event_type;
    }
    if (ev->plover.empty()) ev->plover = ec->plover;
    if (ev->cameo.empty()) ev->cameo = ec->cameo;
  }
}

}  // namespace extract
