// Pass ClassifyStatus. Reads each event's negation and modality (from
// CueNegationAndModality), its trigger and the words of its clause. Adds
// its status: whether the text reports it as fact.
//   negated     "no attack took place"
//   denied      a denial verb governs it ("denied that troops killed ...")
//   claimed     responsibility claimed ("JNIM claimed the attack")
//   alleged     an accusation ("accused of carrying out", "blamed on")
//   possible    hedged ("may have", "possibly")
//   threatened  a threat ("threatened to attack")
//   planned     intended or to come ("efforts to rescue", "plans to",
//               "resolved to hold rallies"); a vow is a threat
//   background  an aggregate or a series recalled as context ("so far",
//               "since 2015", "in 2019 alone", "attacks have killed ...")
//   generic     (set later, by MarkGeneric) nothing anchors it in place,
//               time or numbers
//   asserted    otherwise
#include <algorithm>
#include <cmath>

#include "events/passes.h"

namespace extract {
namespace {

bool IsLemma(const EventDoc& d, const Trigger& tr) {
  std::string_view head = d.g.entry(tr.entry).name;
  if (size_t sp = head.find(' '); sp != std::string_view::npos) {
    head = head.substr(0, sp);
  }
  return d.key(tr.token_begin) == head;
}

bool AnyKeyIn(const EventDoc& d, uint32_t b, uint32_t e,
              std::initializer_list<std::string_view> keys) {
  for (uint32_t t = b; t < e; ++t) {
    if (In(d.key(t), keys)) return true;
  }
  return false;
}

// "so far", "since 2015", "in 2019 alone", "a spate of attacks".
bool AggregateCue(const EventDoc& d, const Sentence& s, const Trigger& tr,
                  uint32_t cb) {
  const uint32_t end = std::min(s.token_end, tr.token_end + 10);
  for (uint32_t t = cb; t < end; ++t) {
    const std::string_view k = d.key(t);
    const std::string_view next = t + 1 < s.token_end ? d.key(t + 1) : "";
    if (k == "so" && next == "far") return true;
    if (k == "alone" && t > cb && d.tok(t - 1).kind == TokenKind::kNumber) {
      return true;
    }
    if (k == "since" && t + 1 < s.token_end &&
        (d.tok(t + 1).kind == TokenKind::kNumber ||
         (d.features[t + 1] & kFeatMonth) ||
         In(next, {"the", "its", "early", "late", "mid", "last"}))) {
      return true;
    }
    if (In(k, {"total", "cumulative", "tally"}) && t < tr.token_begin + 10) {
      return true;
    }
    // "two coups this year", "three attacks in the past month": a count
    // over a period.
    if (t >= tr.token_end && In(k, {"this", "last", "past"}) &&
        In(next, {"year", "years", "month", "months", "decade"}) &&
        d.key(tr.token_begin).ends_with("s") && tr.token_begin > s.token_begin &&
        !std::isnan(d.number[tr.token_begin - 1]) &&
        d.number[tr.token_begin - 1] > 1) {
      return true;
    }
  }
  const uint32_t before = tr.token_begin > cb + 4 ? tr.token_begin - 4 : cb;
  // "since they ousted the government", "as part of their protest": the
  // start of a situation, or one act of a campaign.
  for (uint32_t t = before; t + 1 < tr.token_begin; ++t) {
    if (d.key(t) == "since" && t + 4 > tr.token_begin) return true;
    if (d.key(t) == "part" && d.key(t + 1) == "of") return true;
  }
  return AnyKeyIn(d, before, tr.token_begin,
                  {"series", "spate", "wave", "string", "campaign",
                   "spiralling", "spiraling", "incessant", "repeated",
                   "frequent", "numerous", "several", "recurrent", "mounting",
                   "past", "previous", "recent", "many", "multiple",
                   "countless", "sporadic", "occasional"});
}

// "attacks", "killings": a plural event noun with no count names a series.
bool PluralSeries(const EventDoc& d, const Sentence& s, const Trigger& tr,
                  std::string_view pos, const Event& ev) {
  if (pos != "noun" || tr.token_end != tr.token_begin + 1) return false;
  // "Clashes between X and Y in Z", "strikes targeting militants near Z":
  // one incident told in the plural, as ACLED notes do.
  if (!ev.places.empty() || ev.date) return false;
  if (tr.token_end < s.token_end &&
      In(d.key(tr.token_end), {"between", "with", "erupted", "broke",
                               "targeting", "against", "on", "in", "near",
                               "at"})) {
    return false;
  }
  const std::string_view k = d.key(tr.token_begin);
  if (!k.ends_with("s") || k.ends_with("ss") || IsLemma(d, tr)) return false;
  if (tr.token_begin == s.token_begin) return true;
  const uint32_t p = tr.token_begin - 1;
  if (d.tok(p).kind == TokenKind::kNumber || !std::isnan(d.number[p])) {
    return false;  // "two attacks": counted incidents
  }
  if (p > s.token_begin && !std::isnan(d.number[p - 1])) return false;
  // "started throwing dangerous missiles", "fired rockets": the weapons of
  // one act.
  for (uint32_t q = p; q + 3 > p && q >= s.token_begin; --q) {
    if (In(d.key(q), {"throwing", "threw", "thrown", "hurling", "hurled",
                      "firing", "fired", "launching", "launched", "pelting"})) {
      return false;
    }
    if (q == s.token_begin) break;
  }
  return !In(d.key(p), {"the", "these", "those", "both", "twin", "latest"});
}

// "separatists are fighting to form ...", "has been engaged in combat":
// the present progressive tells of a situation, not an incident.
bool Ongoing(const EventDoc& d, const Sentence& s, const Trigger& tr,
             std::string_view pos) {
  if (pos == "noun" || tr.token_begin < s.token_begin + 1) return false;
  const std::string_view k = d.key(tr.token_begin);
  const std::string_view prev = d.key(tr.token_begin - 1);
  if (k.ends_with("ing") && In(prev, {"are", "is", "am"})) return true;
  return k == "engaged" && prev == "been";
}

// "Hundreds have been abducted", "thousands killed": a vague multitude
// with no place or date of its own sums up many incidents.
bool VagueMultitude(const EventDoc& d, const Sentence& s, const Trigger& tr,
                    const Event& ev) {
  if (!ev.places.empty() || ev.date) return false;
  const uint32_t b = tr.token_begin > s.token_begin + 5 ? tr.token_begin - 5
                                                        : s.token_begin;
  return AnyKeyIn(d, b, std::min(s.token_end, tr.token_end + 3),
                  {"hundreds", "thousands", "millions", "countless"});
}

// "condemned the incessant killings", "mourned the killing of ...": an
// incident named as the object of a reaction is recalled, not reported.
bool ObjectOfReaction(const EventDoc& d, uint32_t cb, const Trigger& tr,
                      std::string_view pos) {
  if (pos != "noun") return false;
  return AnyKeyIn(d, cb, tr.token_begin,
                  {"condemned", "condemns", "condemn", "condemning",
                   "denounced", "denounces", "deplored", "deplores",
                   "mourned", "mourns", "decried", "lamented"});
}

std::string StatusOf(const EventDoc& d, const Event& ev, const Trigger& tr) {
  const Sentence& s = d.seg.sentences[tr.sentence];
  // The cues sit close to the trigger: a window of its clause's words
  // (cheaper than finding the clause, and no cue reaches further back).
  const uint32_t cb = tr.token_begin > s.token_begin + 12
                          ? tr.token_begin - 12
                          : s.token_begin;
  const uint32_t near = tr.token_begin > s.token_begin + 8
                            ? tr.token_begin - 8
                            : s.token_begin;
  const std::string_view pos = d.g.Attr(d.g.entry(tr.entry), "pos");
  if (ev.negated) {
    for (uint32_t t = near; t < tr.token_begin; ++t) {
      if (d.features[t] & kFeatNegationVerb) return "denied";
    }
    return "negated";
  }
  if (ev.modality == "threatened") return "threatened";
  // An attempt happened ("attempted to assassinate"): ACLED codes it.
  if (ev.modality == "intended" &&
      !AnyKeyIn(d, near, tr.token_begin,
                {"attempted", "attempt", "attempts", "attempting", "tried",
                 "tries", "trying"})) {
    return "planned";
  }
  // "efforts to rescue", "vowed to attack": a purpose, not a fact. Not a
  // demonstration ("took to the streets to protest" is the protest).
  const std::string_view acled = ev.acled_event_type;
  if (pos != "noun" && tr.token_begin > s.token_begin + 1 &&
      acled != "Protests" && acled != "Riots" &&
      d.key(tr.token_begin - 1) == "to" && IsLemma(d, tr) &&
      !In(d.key(tr.token_begin - 2),
          {"began", "begun", "begin", "started", "start", "continued",
           "continue", "managed", "tried", "attempted", "used", "came",
           "went", "proceeded", "resorted"})) {
    return "planned";
  }
  const bool since = ev.date && ev.date->relation == "since";
  if (since || AggregateCue(d, s, tr, cb) || PluralSeries(d, s, tr, pos, ev) ||
      Ongoing(d, s, tr, pos) || VagueMultitude(d, s, tr, ev) ||
      ObjectOfReaction(d, cb, tr, pos)) {
    return "background";
  }
  // "resolved to hold rallies", "plans to stage a protest": the object of
  // an infinitive is to come.
  if (pos == "noun") {
    for (uint32_t t = tr.token_begin; t > cb && t + 8 > tr.token_begin; --t) {
      if (d.key(t - 1) != "to" || t == tr.token_begin) continue;
      const std::string_view before = t >= 2 ? d.key(t - 2) : "";
      if (In(d.key(t), {"hold", "stage", "launch", "carry", "conduct",
                        "mount", "organize", "organise", "call", "lead",
                        "wage", "commit", "perpetrate", "continue", "resume",
                        "intensify", "escalate"}) &&
          !In(before, {"began", "begun", "started", "continued", "went",
                       "managed", "proceeded"})) {
        return "planned";
      }
      break;
    }
  }
  // "the day will be our day of protest": to come.
  for (uint32_t t = near; t < tr.token_begin; ++t) {
    if (d.features[t] & kFeatModalFuture) return "planned";
  }
  if (AnyKeyIn(d, near, tr.token_begin,
               {"claimed", "claims", "claim", "claiming"})) {
    return "claimed";
  }
  if (AnyKeyIn(d, near, tr.token_begin,
               {"accused", "accuses", "accusing", "alleged", "allegedly",
                "blamed", "blames", "blaming"})) {
    return "alleged";
  }
  const uint32_t after = std::min(s.token_end, tr.token_end + 3);
  for (uint32_t t = tr.token_end; t + 1 < after; ++t) {
    if ((d.key(t) == "blamed" || d.key(t) == "attributed") &&
        In(d.key(t + 1), {"on", "to"})) {
      return "alleged";
    }
  }
  if (ev.modality == "possible") return "possible";
  return "asserted";
}

}  // namespace

void ClassifyStatus(EventDoc* d) {
  for (size_t i = 0; i < d->events.size(); ++i) {
    Event& ev = d->events[i];
    ev.status = StatusOf(*d, ev, d->event_triggers[i]);
    if (ev.status != "asserted") ev.passes.push_back("status." + ev.status);
  }
}

}  // namespace extract
