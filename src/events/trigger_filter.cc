// Step KeepTrigger (of BuildEventMentions). Reads a trigger and its
// sentence's tokens and features. Decides whether the trigger reports an
// event: an event noun used as a modifier ("combat gear") or as a predicate
// ("is a threat") is not one. A definite noun repeating an earlier event
// ("the attack") is kept: it is a mention that MergeIncidents joins to its
// incident by anaphora.

#include "events/passes.h"

namespace extract {

bool KeepTrigger(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 std::string_view pos) {
  if (pos != "noun") return true;
  // An event noun modifying another noun: "combat gear".
  if (tr.token_end < s.token_end &&
      (d.features[tr.token_end] & kFeatCompoundHead)) {
    return false;
  }
  // A noun that characterizes rather than reports: "held to be a primary
  // threat", "is a threat", "as an attack on democracy".
  for (uint32_t i = tr.token_begin;
       i > s.token_begin + 1 && i + 3 > tr.token_begin; --i) {
    if (In(d.key(i - 1), {"a", "an"})) {
      std::string_view before = d.key(i - 2);
      if (IsBeForm(before) || before == "as") return false;
      break;
    }
  }
  return true;
}

}  // namespace extract
