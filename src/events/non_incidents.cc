// Pass DropNonIncidents. Reads each event's trigger and the words around
// it. Removes the events whose trigger word does not report an incident
// there: an illness ("died of heart attack"), a month ("last March"), a
// word of a unit's name ("33 Artillery Brigade"), an idiom ("deal with",
// "free rein", "a slew of"), a document that is signed ("a statement signed
// by"), and an -ing form used as an adjective ("a liberating army").
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

// Why the trigger does not report an incident, or null.
const char* NonIncident(const EventDoc& d, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  const uint32_t b = tr.token_begin, e = tr.token_end;
  const std::string_view first = d.key(b);
  const std::string_view prev = b > s.token_begin ? d.key(b - 1) : "";
  const std::string_view next = e < s.token_end ? d.key(e) : "";
  if (first == "attack" || first == "attacks") {
    if (In(prev, {"heart", "panic", "asthma", "anxiety"})) return "illness";
  }
  // "last March", "in March 2019": the month, not a march.
  if ((d.features[b] & kFeatMonth) && d.tok(b).has(kCapitalized) &&
      b > s.token_begin && !In(prev, {"a", "the", "this", "their", "his"})) {
    return "month";
  }
  // "33 Artillery Brigade", "the Strike Force Command": a unit's name.
  if (d.tok(b).has(kCapitalized) && !(d.features[b] & kFeatSentenceStart) &&
      e < s.token_end && d.tok(e).has(kCapitalized) &&
      (d.features[e] & (kFeatOrgSuffix | kFeatOrgPrefix | kFeatMilitaryNoun |
                        kFeatPoliceNoun | kFeatGroup | kFeatDemonym))) {
    return "name";  // also "the Depot Nigerian Army" misspelt "Deport"
  }
  if (first == "deal" && next == "with") return "idiom";
  if (first == "free" && In(next, {"rein", "hand", "will", "of", "from"})) {
    return "idiom";
  }
  if (first == "slew" && prev == "a") return "idiom";
  // "analysts warn that ...": a speech act, not a threat.
  if (first.starts_with("warn") && In(next, {"that", "of", "about", ","})) {
    return "speech";
  }
  // "agreeing with France's assessment": an opinion.
  if (first.starts_with("agree") && next == "with") return "idiom";
  // "we successfully executed that": a plan carried out.
  if (first.starts_with("execut") &&
      In(next, {"that", "it", "this", "the", "a", "an", "its", "their", "our",
                "his", "her"}) &&
      e + 1 < s.token_end &&
      (In(next, {"that", "it", "this"}) ||
       In(d.key(e + 1), {"plan", "plans", "order", "orders", "operation",
                         "operations", "mission", "task", "strategy",
                         "project", "programme", "program", "budget"}))) {
    return "idiom";
  }
  // "detention facility", "arrest warrant", "attack helicopter": a noun
  // that modifies another.
  if (In(next, {"facility", "facilities", "centre", "center", "centres",
                "centers", "camp", "camps", "site", "warrant", "warrants",
                "helicopter", "helicopters", "capability", "capabilities",
                "squad", "squads", "dog", "dogs", "drill", "drills",
                "exercise", "exercises", "training", "policy", "law",
                "laws", "charges", "charge"}) &&
      d.g.Attr(d.g.entry(tr.entry), "pos") == "noun") {
    return "modifier";
  }
  // "un-arrested", "non-violent": a negated form.
  if (b >= s.token_begin + 2 && In(d.key(b - 2), {"un", "non"}) &&
      d.tok(b - 1).has(kJoiner)) {
    return "negated_form";
  }

  // "In a statement, signed by its Secretary-General": the statement.
  if (first == "signed" || first == "issued") {
    for (uint32_t k = b; k > s.token_begin && k + 4 > b; --k) {
      if (In(d.key(k - 1), {"statement", "statements", "letter", "communique",
                            "communiqué", "release", "document", "report",
                            "press"})) {
        return "document";
      }
    }
  }
  // "a liberating army": an -ing form between an article and a noun.
  if (e == b + 1 && first.ends_with("ing") && In(prev, {"a", "an"}) &&
      e < s.token_end &&
      ((d.features[e] & (kFeatMilitaryNoun | kFeatArmedNoun | kFeatPoliceNoun |
                         kFeatGovernmentNoun)) ||
       In(next, {"force", "forces", "unit", "units", "spirit", "machine",
                 "season", "chance"}))) {
    return "adjective";
  }
  return nullptr;
}

}  // namespace

void DropNonIncidents(EventDoc* d) {
  size_t out = 0;
  for (size_t i = 0; i < d->events.size(); ++i) {
    if (NonIncident(*d, d->event_triggers[i]) != nullptr) continue;
    if (out != i) {
      d->events[out] = std::move(d->events[i]);
      d->event_triggers[out] = std::move(d->event_triggers[i]);
    }
    ++out;
  }
  d->events.resize(out);
  d->event_triggers.resize(out);
}

}  // namespace extract
