// Pass BuildEventMentions. Reads the triggers, the token maps and the
// entity mentions. Adds one event per trigger that KeepTrigger keeps, in
// trigger order, each filled by the steps declared in passes.h: codes,
// participants, places, date, negation and modality, counts, and ACLED's
// coding conventions. Every later pass starts from these events.
#include <string>

#include "events/passes.h"

namespace extract {

void PronounContext::Enter(const EventDoc& d, const Sentence& s, uint32_t si) {
  if (si == current_sentence) return;
  if (sentence_person >= 0) previous_person = sentence_person;
  if (sentence_other >= 0) previous_other = sentence_other;
  current_sentence = si;
  sentence_person = sentence_other = -1;
  const Mention* subj = d.subject_in(s.token_begin, s.token_end);
  if (subj != nullptr) {
    (subj->type == EntityType::kPerson ? sentence_person : sentence_other) =
        subj->entity;
  }
}

void BuildEventMentions(EventDoc* d, const std::vector<Trigger>& triggers) {
  const Gazetteer& g = d->g;
  PronounContext pronouns;
  AcledCues cues;
  for (const Trigger& tr : triggers) {
    const Sentence& s = d->seg.sentences[tr.sentence];
    // A headline restates the body; its triggers would count events twice.
    if (s.headline && d->seg.sentences.size() > 1) continue;
    pronouns.Enter(*d, s, tr.sentence);
    const Entry& te = g.entry(tr.entry);
    const std::string cls(g.Attr(te, "class"));
    const std::string_view pos = g.Attr(te, "pos");
    if (!KeepTrigger(*d, s, tr, pos)) continue;

    Event ev;
    SetEventCodes(g, te, cls, tr, &ev);
    AssignParticipants(*d, s, tr, te, cls, pos, pronouns, &ev);
    FindEventPlaces(*d, s, tr, &ev);
    DateFromSentence(*d, tr, &ev);
    CueNegationAndModality(*d, s, tr, pos, &ev);
    // Deaths count for violence and for demonstrations (protesters shot by
    // the police), not for strategic developments.
    if (IsViolent(ev.acled_event_type) || ev.acled_event_type == "Protests") {
      CountFatalities(*d, s, tr, cls, &ev);
    }
    CountHostages(d, s, tr, cls, &ev);
    if (cls == "ransom_demand") FindRansom(*d, s, tr, &ev);
    if (cues.sentence != tr.sentence) cues = GatherAcledCues(*d, s);
    RefineAcled(*d, s, tr, cls, cues, &ev);
    d->events.push_back(std::move(ev));
    d->event_triggers.push_back(tr);
  }
}

}  // namespace extract
