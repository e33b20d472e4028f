// Stage 6b (assemble events): a recipe of named passes over one
// document's EventDoc (src/events/event_doc.h). Each pass is a function in
// a file of its own under src/events/, whose opening comment says what it
// reads and what it adds; passes.h lists them.
#include "events.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "events/passes.h"

namespace extract {

std::vector<Event> AssembleEvents(const NormalizedText& text,
                                  const Segmentation& seg,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<Trigger>& triggers,
                                  const EntityAssembly& ents,
                                  const std::vector<DateExpr>& dates,
                                  const Gazetteer& g,
                                  const std::string& document_date) {
  // FindDates returns them in text order; DateFromParagraph bisects them.
  assert(std::is_sorted(dates.begin(), dates.end(),
                        [](const DateExpr& a, const DateExpr& b) {
                          return a.span.begin < b.span.begin;
                        }));
  EventDoc d(text, seg, features, ents, g, dates, document_date);
  PrepareTokenMaps(&d, matches);
  // Event mentions, one per trigger.
  BuildEventMentions(&d, triggers);
  DropNonIncidents(&d);
  ShareSentenceActors(&d);
  DateFromParagraph(&d);
  ClassifyStatus(&d);
  // Incidents.
  SeedIncidents(&d);
  MergeIncidents(&d);
  FillIncidentRoles(&d);
  MarkGeneric(&d);
  PlaceFromContext(&d);
  DateIncidents(&d);
  FindAttribution(&d);
  ActorFromSentences(&d);
  for (size_t i = 0; i < d.events.size(); ++i) {
    d.events[i].id = "v" + std::to_string(i + 1);
  }
  return std::move(d.events);
}

}  // namespace extract
