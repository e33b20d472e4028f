// Step FindEventPlaces (of BuildEventMentions). Reads the place mentions of
// the trigger's sentence (within kSentenceReach of the trigger) and the
// event's actors and targets. Adds the
// event's places: the sentence's place names that are not doers or
// victims, not part of a title and not possessives or qualifiers; a place
// an ACLED note says it was "coded as" comes first.
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

// "Maiduguri—No fewer than 48 people ...", "BAMAKO, Mali (Reuters) -":
// the place a story was filed from, which opens its first sentence and is
// followed by a dash, a colon or an agency in parentheses.
bool IsDateline(const EventDoc& d, const Sentence& s, const Mention& m) {
  uint32_t t = s.token_begin;
  while (t < m.token_begin && d.tok(t).kind == TokenKind::kPunct) ++t;
  if (t != m.token_begin) {
    return false;
  }
  uint32_t k = m.token_end;
  // "BAMAKO, Mali": the country after the town.
  if (k + 1 < s.token_end && d.key(k) == ",") {
    const Mention* next = d.mention_of(k + 1);
    if (next != nullptr && next->type == EntityType::kPlace) k = next->token_end;
  }
  if (k >= s.token_end) return false;
  const std::string_view after = d.key(k);
  if (after == "-" && d.tok(k).has(kJoiner)) return false;  // "Mali-based"

  return after == "\xe2\x80\x94" || after == "\xe2\x80\x93" || after == "-" ||
         after == ":" || after == "(";
}

// Should the place mention `m` at token `t` be left out of the event?
bool SkipPlace(const EventDoc& d, const Sentence& s, const Trigger& tr,
               const Mention& m, uint32_t t, const Event& ev) {
  if (IsDateline(d, s, m)) return true;
  // "..., Cano said.": a name that speaks is a person, whatever place it
  // spells.
  if (m.token_end < s.token_end && d.is_speech(m.token_end)) return true;
  // "the Maiduguri-based 7 Division": where a unit is based, not where the
  // event was.
  if (m.token_end + 1 < s.token_end && d.key(m.token_end) == "-" &&
      In(d.key(m.token_end + 1), {"based", "born", "headquartered", "bound"})) {
    return true;
  }
  const uint32_t ent = static_cast<uint32_t>(m.entity);
  if (std::find(ev.actors.begin(), ev.actors.end(), ent) != ev.actors.end() ||
      std::find(ev.targets.begin(), ev.targets.end(), ent) != ev.targets.end()) {
    return true;
  }
  if (m.token_end < s.token_end && d.key(m.token_end) == "'s") return true;
  uint32_t b = m.token_begin;
  while (b > s.token_begin && IsDeterminer(d.key(b - 1))) --b;
  // "the mayor of the Timbuktu region": part of a title, not where the
  // event was ("the streets of Bamako" is).
  if (b > s.token_begin + 1 && d.key(b - 1) == "of" &&
      (d.features[b - 2] & (kFeatTitle | kFeatGovernmentNoun |
                            kFeatMilitaryNoun | kFeatPoliceNoun))) {
    return true;
  }
  if (d.parenthetical[t] && !d.parenthetical[tr.token_begin] &&
      d.key(t > 0 ? t - 1 : t) != "(") {
    return true;
  }
  // "Dogofri (Niono, Segou)": the district and region qualify the place
  // before them; they are not other places of the event.
  for (uint32_t k = t; k > s.token_begin && k + 8 > t; --k) {
    if (d.key(k - 1) == ")") break;
    if (d.key(k - 1) == "(") {
      const Mention* before = k >= 2 ? d.mention_of(k - 2) : nullptr;
      return before != nullptr && before->type == EntityType::kPlace;
    }
  }
  return false;
}

constexpr uint32_t kPlaceReach = 96;

}  // namespace

void FindEventPlaces(const EventDoc& d, const Sentence& s, const Trigger& tr,
                     Event* ev) {
  // The sentence, as far as kPlaceReach goes either side of the trigger: a
  // place further from it in a sentence that does not end is another
  // scene's (ordinary sentences are shorter than the window).
  const uint32_t lo = tr.token_begin > s.token_begin + kPlaceReach
                          ? tr.token_begin - kPlaceReach
                          : s.token_begin;
  const uint32_t hi = s.token_end > tr.token_end + kPlaceReach
                          ? tr.token_end + kPlaceReach
                          : s.token_end;
  for (uint32_t t = lo; t < hi; ++t) {
    const Mention* m = d.mention_of(t);
    if (m == nullptr || m->token_begin != t) continue;
    if (m->type != EntityType::kPlace || m->role == MentionRole::kDemonym) {
      continue;
    }
    if (m->entity < 0) continue;
    if (SkipPlace(d, s, tr, *m, t, *ev)) continue;
    AddUnique(&ev->places, m->entity);
  }
  // ACLED notes say where an event was coded: "(coded as Sebete ...)".
  for (uint32_t t = lo; t + 2 < hi; ++t) {
    if (d.key(t) != "coded" || d.key(t + 1) != "as") continue;
    const Mention* m = d.mention_of(t + 2);
    if (m == nullptr || m->type != EntityType::kPlace || m->entity < 0) break;
    const uint32_t ent = static_cast<uint32_t>(m->entity);
    ev->places.erase(std::remove(ev->places.begin(), ev->places.end(), ent),
                     ev->places.end());
    ev->places.insert(ev->places.begin(), ent);
    break;
  }
}

}  // namespace extract
