// The passes of event assembly, in the order AssembleEvents runs them. Each
// is defined in the file named beside it, whose opening comment is its
// contract: what it reads from the EventDoc and what it adds.
#ifndef EXTRACT_SRC_EVENTS_PASSES_H_
#define EXTRACT_SRC_EVENTS_PASSES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_doc.h"

namespace extract {

// prepare_token_maps.cc
void PrepareTokenMaps(EventDoc* d, const std::vector<GazetteerMatch>& matches);

// build_event_mentions.cc: one event per kept trigger, with the steps
// below.
void BuildEventMentions(EventDoc* d, const std::vector<Trigger>& triggers);

// trigger_filter.cc
bool KeepTrigger(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 std::string_view pos);

// event_codes.cc
void SetEventCodes(const Gazetteer& g, const Entry& te, const std::string& cls,
                   const Trigger& tr, Event* ev);

// participants.cc
// The subjects of the last sentence that had one, for pronouns: a person
// for "he"/"she", anything else for "they"/"it"/"this".
struct PronounContext {
  int32_t previous_person = -1, previous_other = -1;
  int32_t sentence_person = -1, sentence_other = -1;
  uint32_t current_sentence = UINT32_MAX;
  // Moves to sentence `s` (index `si`), keeping the last subjects seen.
  void Enter(const EventDoc& d, const Sentence& s, uint32_t si);
};
void AssignParticipants(const EventDoc& d, const Sentence& s, const Trigger& tr,
                        const Entry& te, const std::string& cls,
                        std::string_view pos, const PronounContext& pronouns,
                        Event* ev);

// event_places.cc
void FindEventPlaces(const EventDoc& d, const Sentence& s, const Trigger& tr,
                     Event* ev);

// event_dates.cc
void DateFromSentence(const EventDoc& d, const Trigger& tr, Event* ev);
void DateFromParagraph(EventDoc* d);

// modality.cc
void CueNegationAndModality(const EventDoc& d, const Sentence& s,
                            const Trigger& tr, std::string_view pos,
                            Event* ev);

// numbers.cc
void CountFatalities(const EventDoc& d, const Sentence& s, const Trigger& tr,
                     const std::string& cls, Event* ev);
void CountHostages(EventDoc* d, const Sentence& s, const Trigger& tr,
                   const std::string& cls, Event* ev);
void FindRansom(const EventDoc& d, const Sentence& s, const Trigger& tr,
                Event* ev);

// refine_acled.cc
// Which of RefineAcled's cue words (bits) and which features a sentence
// holds: gathered once for all the triggers of a sentence, since a
// sentence with no break can hold thousands of them.
struct AcledCues {
  uint32_t sentence = UINT32_MAX;
  uint32_t words = 0;
  uint64_t features = 0;
};
AcledCues GatherAcledCues(const EventDoc& d, const Sentence& s);
void RefineAcled(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 const std::string& cls, const AcledCues& cues, Event* ev);

// share_actors.cc
void ShareSentenceActors(EventDoc* d);

// non_incidents.cc
void DropNonIncidents(EventDoc* d);

// status.cc
void ClassifyStatus(EventDoc* d);

// seed_incidents.cc
void SeedIncidents(EventDoc* d);

// merge_incidents.cc
void MergeIncidents(EventDoc* d);

// incident_roles.cc
void FillIncidentRoles(EventDoc* d);

// generic.cc
void MarkGeneric(EventDoc* d);

// context_place.cc
void PlaceFromContext(EventDoc* d);

// sentence_actor.cc
void ActorFromSentences(EventDoc* d);

// incident_dates.cc
void DateIncidents(EventDoc* d);

// attribution.cc
void FindAttribution(EventDoc* d);

}  // namespace extract

#endif  // EXTRACT_SRC_EVENTS_PASSES_H_
