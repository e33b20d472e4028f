// Steps CountFatalities, CountHostages and FindRansom (of
// BuildEventMentions). Read the numbers, number words, currency words and
// the casualty, victim and fatality cue features of the trigger's sentence
// (within kSentenceReach of the trigger). Add the event's death toll and
// injured count (violent events only), its hostage count (abductions and
// ransom demands) and the ransom amount, each count with the token it came
// from in `numbers`.
#include <cmath>
#include <optional>
#include <utility>

#include "events/passes.h"

namespace extract {
namespace {

// A count: a number that is not a date, an amount or a percentage.
bool IsCountAt(const EventDoc& d, const Sentence& s, uint32_t k) {
  // "no one was killed": none.
  if (k > s.token_begin && d.key(k) == "one" &&
      In(d.key(k - 1), {"no", "every", "any", "each"})) {
    return false;
  }
  return IsCount(d.number[k]) && !(d.features[k] & kFeatDate) &&
         !(k > s.token_begin && !d.currency[k - 1].empty()) &&
         !(k + 1 < s.token_end && d.key(k + 1) == "%");
}

// Words that may stand between a count and its verb: "two soldiers and
// seven militants were killed", "at least 16 Fulani civilians".
bool IsCountFiller(const EventDoc& d, uint32_t k) {
  const std::string_view key = d.key(k);
  const uint64_t f = d.features[k];
  return (f & (kFeatCasualtyNoun | kFeatCivilianNoun | kFeatArmedTarget |
               kFeatArmedNoun | kFeatDemonym | kFeatApproximator |
               kFeatNationalityNoun)) ||
         In(key, {"and", ",", "were", "was", "have", "has", "been", "had",
                  "reportedly", "including", "at", "least", "about", "some",
                  "around", "approximately", "nearly", "over", "more", "than",
                  "other", "others", "of", "them", "whom", "people", "the"}) ||
         (d.tok(k).has(kCapitalized) && d.tok(k).kind == TokenKind::kWord &&
          (f & kFeatDemonym));
}

}  // namespace

namespace {

// The count nearest a cue word of the sentence (`is_cue`): before it ("1
// peacekeeper killed"), else just after it across filler words ("killing
// at least 16 civilians"). ACLED codes one toll per event, so counts are
// not added up. Gives the value and the count's token.
template <typename IsCue>
std::optional<std::pair<int64_t, uint32_t>> CountBesideCue(
    const EventDoc& d, const Sentence& s, const Trigger& tr, IsCue is_cue) {
  for (uint32_t i = d.reach_begin(s, tr); i < d.reach_end(s, tr); ++i) {
    if (!is_cue(i)) continue;
    for (uint32_t k = i; k > s.token_begin && k + 6 > i; --k) {
      if (IsCountAt(d, s, k - 1)) {
        return std::make_pair(static_cast<int64_t>(d.number[k - 1]), k - 1);
      }
    }
    // "At least 12 people, including children, were killed": further back
    // across words that describe the victims.
    for (uint32_t k = i; k > s.token_begin && k + 11 > i; --k) {
      if (IsCountAt(d, s, k - 1)) {
        return std::make_pair(static_cast<int64_t>(d.number[k - 1]), k - 1);
      }
      if (k < i && !IsCountFiller(d, k - 1) &&
          !(d.features[k - 1] & kFeatCivilianNoun)) {
        break;
      }
    }
    for (uint32_t k = i + 1; k < s.token_end && k < i + 6; ++k) {
      if (IsCountAt(d, s, k)) {
        return std::make_pair(static_cast<int64_t>(d.number[k]), k);
      }
      if (!IsCountFiller(d, k)) break;
    }
  }
  return std::nullopt;
}

void AddNumber(const EventDoc& d, const Sentence& s, const char* kind,
               std::pair<int64_t, uint32_t> count, Event* ev) {
  EventNumber n;
  n.kind = kind;
  n.value = count.first;
  n.span = d.tok(count.second).span;
  n.sentence = static_cast<uint32_t>(&s - d.seg.sentences.data());
  ev->numbers.push_back(std::move(n));
}

}  // namespace

void CountFatalities(const EventDoc& d, const Sentence& s, const Trigger& tr,
                     const std::string& cls, Event* ev) {
  const bool killing_trigger =
      cls == "killing" || cls == "execution" || cls == "massacre";
  const auto dead = CountBesideCue(d, s, tr, [&](uint32_t i) {
    return (d.features[i] & kFeatFatalityCue) ||
           (killing_trigger && i == tr.token_begin);
  });
  if (dead) {
    ev->fatalities = dead->first;
    AddNumber(d, s, "fatalities", *dead, ev);
  }
  const auto hurt = CountBesideCue(
      d, s, tr, [&](uint32_t i) { return (d.features[i] & kFeatInjuryCue) != 0; });
  if (hurt && (!dead || hurt->second != dead->second)) {
    ev->injured = hurt->first;
    AddNumber(d, s, "injured", *hurt, ev);
  }
}

void CountHostages(EventDoc* d, const Sentence& s, const Trigger& tr,
                   const std::string& cls, Event* ev) {
  const bool hostage_event = cls == "abduction" || cls == "ransom_demand" ||
                             cls == "hostage_release";
  if (!hostage_event &&
      ev->acled_sub_event_type != "Abduction/forced disappearance") {
    return;
  }
  const EntityAssembly& ents = d->ents;
  uint32_t token = 0;
  const uint32_t lo = d->reach_begin(s, tr), hi = d->reach_end(s, tr);
  for (uint32_t tgt : ev->targets) {
    for (const auto& [sentence, k] : d->mentions_in_sentence(tgt, tr.sentence)) {
      const Mention& m = ents.mentions[ents.entities[tgt].mentions[k]];
      if (m.token_begin == 0 || m.token_begin < lo || m.token_begin >= hi) {
        continue;
      }
      double v = d->number[m.token_begin - 1];
      if (IsCount(v)) {
        ev->hostages = static_cast<int64_t>(v);
        token = m.token_begin - 1;
      }
    }
  }
  if (ev->hostages) {
    AddNumber(*d, s, "hostages", {*ev->hostages, token}, ev);
    return;
  }
  // "three Egyptian nationals": a number before a victim phrase.
  for (uint32_t i = lo; i + 1 < hi; ++i) {
    if (!IsCount(d->number[i]) || (d->features[i] & kFeatDate)) continue;
    if (i > s.token_begin && !d->currency[i - 1].empty()) continue;
    const uint64_t f = d->features[i + 1] |
                       (i + 2 < s.token_end ? d->features[i + 2] : 0);
    if (f & (kFeatCasualtyNoun | kFeatNationalityNoun | kFeatDemonym)) {
      ev->hostages = static_cast<int64_t>(d->number[i]);
      AddNumber(*d, s, "hostages", {*ev->hostages, i}, ev);
      break;
    }
  }
}

void FindRansom(const EventDoc& d, const Sentence& s, const Trigger& tr,
                Event* ev) {
  const auto& tokens = d.seg.tokens;
  for (uint32_t i = d.reach_begin(s, tr); i + 1 < d.reach_end(s, tr); ++i) {
    if (d.currency[i].empty() || std::isnan(d.number[i + 1])) continue;
    Amount a;
    a.value = d.number[i + 1];
    a.unit = std::string(d.currency[i]);
    uint32_t end = i + 2;
    if (end < s.token_end && (d.features[end] & kFeatScale) &&
        !std::isnan(d.number[end])) {
      a.value *= d.number[end];
      ++end;
    }
    a.span = Span{tokens[i].span.begin, tokens[end - 1].span.end};
    ev->ransom = a;
    break;
  }
}

}  // namespace extract
