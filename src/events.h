// Stage 6b (assemble events): finds event triggers (event verbs and nouns
// from the gazetteer, and trigger rules) and builds an event for each: its
// class and codes, actors, targets and places (entity indices), date,
// fatalities, hostages, ransom, negation, modality and voice. Works one
// sentence at a time with the entities already assembled.
#ifndef EXTRACT_SRC_EVENTS_H_
#define EXTRACT_SRC_EVENTS_H_

#include <vector>

#include "entities.h"
#include "extract/document.h"
#include "gazetteer.h"
#include "rules.h"

namespace extract {

// Event triggers, longest match first, no two overlapping; a rule's trigger
// wins over a gazetteer trigger of the same length; none inside a date
// expression ("On March 19"). Sorted by position.
std::vector<Trigger> FindTriggers(const Segmentation& segmentation,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<RuleHit>& hits,
                                  const Gazetteer& gazetteer,
                                  const RuleSet& rules);

// Builds one event per incident: event mentions per trigger (except words
// that do not report an incident there), each with its status, merged into
// incidents with roles, numbers and a date from all of their mentions (the
// document's date, "YYYY-MM-DD" or "", dates an incident the text does not
// date). Event ids are "v1"... in the order of their first mentions. Pure
// and thread-safe.
std::vector<Event> AssembleEvents(const NormalizedText& text,
                                  const Segmentation& segmentation,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<Trigger>& triggers,
                                  const EntityAssembly& entities,
                                  const std::vector<DateExpr>& dates,
                                  const Gazetteer& gazetteer,
                                  const std::string& document_date);

}  // namespace extract

#endif  // EXTRACT_SRC_EVENTS_H_
