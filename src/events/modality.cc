// Step CueNegationAndModality (of BuildEventMentions). Reads the cue words
// (negation, threat, intent, possibility features) just before the trigger
// in its clause. Adds the event's `negated` flag and `modality`
// (asserted, threatened, intended, possible).
#include "events/passes.h"

namespace extract {
namespace {

// "had no hand in the killings", "was not involved in the attack": the
// negation denies a participant's part, not the event.
bool DeniesOnlyRole(const EventDoc& d, uint32_t from, uint32_t trigger) {
  for (uint32_t t = from; t + 1 < trigger; ++t) {
    const std::string_view k = d.key(t);
    const std::string_view next = d.key(t + 1);
    if ((In(k, {"hand", "role", "part", "involved", "involvement",
                "responsible", "responsibility", "link", "links"}) &&
         In(next, {"in", "for", "to", "with"})) ||
        (k == "to" && next == "do")) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CueNegationAndModality(const EventDoc& d, const Sentence& s,
                            const Trigger& tr, std::string_view pos,
                            Event* ev) {
  for (uint32_t i = tr.token_begin; i > s.token_begin && i + 7 > tr.token_begin;
       --i) {
    const uint64_t f = d.features[i - 1];
    const bool near = i + 4 > tr.token_begin;
    // "a failed coup plot", "a botched raid": an attempt that happened.
    const bool attempt = i == tr.token_begin && pos == "noun" &&
                         In(d.key(i - 1), {"failed", "botched", "abortive",
                                           "attempted", "unsuccessful"});
    if (near && (f & (kFeatNegation | kFeatNegationVerb)) && !attempt &&
        !DeniesOnlyRole(d, i, tr.token_begin)) {
      ev->negated = true;
    }
    if (ev->modality == "asserted") {
      if (f & kFeatModalThreat) ev->modality = "threatened";
      else if (near && (f & kFeatModalIntent)) ev->modality = "intended";
      else if (f & kFeatModalPossible) ev->modality = "possible";
    }
    // "no choice but to close schools": a cue does not cross a clause.
    if (d.key(i - 1) == "but" || d.key(i - 1) == "." || d.key(i - 1) == ";") {
      break;
    }
  }
  // "a ransom for their release": a purpose, not an event that happened.
  if (pos == "noun" && tr.token_begin >= s.token_begin + 3 &&
      d.key(tr.token_begin - 2) == "for" &&
      IsDeterminer(d.key(tr.token_begin - 1)) &&
      !In(d.key(tr.token_begin - 3),
          {"responsibility", "blamed", "arrested", "sentenced", "jailed",
           "convicted", "tried", "charged", "punished", "condemned"})) {
    ev->modality = "intended";
  }
  const std::string_view tkey = d.key(tr.token_begin);
  if (tkey.ends_with("ing") && tr.token_begin > s.token_begin &&
      (d.features[tr.token_begin - 1] & kFeatNegationVerb)) {
    ev->negated = true;  // "denied attacking"
  }
}

}  // namespace extract
