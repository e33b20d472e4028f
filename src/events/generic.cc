// Pass MarkGeneric. Reads each incident reported as fact: its places, its
// date (from the text) and its counts. Changes its status to "generic" when
// none of them anchors it to one real-world incident: no place below the
// country, no date in the text, no death, injury or hostage count, no
// named person as its victim ("the
// army was determined to fight terrorism", "public properties have been
// destroyed", "he was abducted without anyone knowing"). A coder cannot
// code such a report: it says that something happens, not where and when
// it happened.
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

bool Factual(std::string_view status) {
  return status == "asserted" || status == "claimed" || status == "alleged" ||
         status == "possible";
}

}  // namespace

void MarkGeneric(EventDoc* d) {
  for (Event& e : d->events) {
    if (e.acled_event_type.empty() || !Factual(e.status)) continue;
    // Counts stated in the text (not the 0 of NoDeathsStated).
    if (e.date || !e.numbers.empty()) continue;
    // A named victim anchors it too ("arrested Sheikh Ibraheem Zakzaky").
    const bool named_victim =
        std::any_of(e.targets.begin(), e.targets.end(), [&](uint32_t t) {
          return d->ents.entities[t].type == EntityType::kPerson;
        });
    if (named_victim) continue;
    bool placed = false;
    for (uint32_t p : e.places) {
      const auto level = d->place_level(p);
      placed |= level != EventDoc::PlaceLevel::kCountry &&
                level != EventDoc::PlaceLevel::kRegion;
    }
    if (placed) continue;
    e.status = "generic";
    e.passes.push_back("status.generic");
  }
}

}  // namespace extract
