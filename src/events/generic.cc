// Pass MarkGeneric. Reads each incident reported as fact: its places, its
// date (from the text) and its counts. Changes its status to "generic" when
// none of them anchors it to one real-world incident: no place below the
// country, no date in the text, no death, injury or hostage count, no
// named person as its victim ("the army was determined to fight
// terrorism", "public properties have been destroyed", "he was abducted
// without anyone knowing"). A coder cannot code such a report: it says
// that something happens, not where and when it happened. An incident
// dated more than a year before the document with no place below the
// country is history recalled as context ("after a 2012 coup"): its
// status becomes "background".
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

// The year of "YYYY[-MM[-DD]]", or -1.
int Year(std::string_view v) { return DigitsAt(v, 0, 4); }

bool Placed(const EventDoc& d, const Event& e) {
  for (uint32_t p : e.places) {
    const auto level = d.place_level(p);
    if (level != EventDoc::PlaceLevel::kCountry &&
        level != EventDoc::PlaceLevel::kRegion) {
      return true;
    }
  }
  return false;
}

}  // namespace

void MarkGeneric(EventDoc* d) {
  const int this_year = Year(d->document_date);
  for (Event& e : d->events) {
    if (e.acled_event_type.empty() || !IsReported(e.status)) continue;
    // "after a 2012 coup": history recalled with no place is background.
    if (e.date && this_year > 0 && !Placed(*d, e)) {
      const int year = Year(e.date->value);
      if (year > 0 && year + 1 < this_year) {
        e.status = "background";
        e.passes.push_back("status.background");
        continue;
      }
    }
    // Counts stated in the text (not the 0 of NoDeathsStated).
    if (e.date || !e.numbers.empty()) continue;
    // A named victim anchors it too ("arrested Sheikh Ibraheem Zakzaky").
    const bool named_victim =
        std::any_of(e.targets.begin(), e.targets.end(), [&](uint32_t t) {
          return d->ents.entities[t].type == EntityType::kPerson;
        });
    if (named_victim) continue;
    if (Placed(*d, e)) continue;
    e.status = "generic";
    e.passes.push_back("status.generic");
  }
}

}  // namespace extract
