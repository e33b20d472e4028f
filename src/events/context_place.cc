// Pass PlaceFromContext. Reads the incidents reported as fact that name no
// place below the country, and the place mentions of the sentences around
// them. Adds the nearest such place within two sentences of the incident's
// mentions (news paragraphs are often one sentence long) ("Gunfire was heard around the capital,
// Ouagadougou. ... Captain Traore said he had ousted Damiba."), as a coder
// locates an incident by the place its story is about. The place's
// provenance says so ("place.context").
#include <algorithm>
#include <cstdlib>

#include "events/passes.h"

namespace extract {
namespace {

// The first specific place named in sentence `si` (not a dateline: places
// in the first words before a dash are skipped by FindEventPlaces, and the
// same test is not repeated here: a sentence's leading place followed by a
// dash is left out).
int32_t PlaceIn(const EventDoc& d, uint32_t si) {
  const Sentence& s = d.seg.sentences[si];
  for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
    const Mention* m = d.mention_of(t);
    if (m == nullptr || m->token_begin != t || m->entity < 0) continue;
    if (m->type != EntityType::kPlace || m->role == MentionRole::kDemonym) {
      continue;
    }
    if (t == s.token_begin && m->token_end < s.token_end &&
        In(d.key(m->token_end), {"\xe2\x80\x94", "\xe2\x80\x93", "-", ":"})) {
      continue;  // a dateline
    }
    if (m->token_end + 1 < s.token_end && d.key(m->token_end) == "-") {
      continue;  // "Maiduguri-based"
    }
    if (m->token_end < s.token_end && d.is_speech(m->token_end)) {
      continue;  // "Cano said": a speaker
    }
    if (d.is_specific_place(static_cast<uint32_t>(m->entity))) return m->entity;
  }
  return -1;
}

}  // namespace

void PlaceFromContext(EventDoc* d) {
  const uint32_t n = static_cast<uint32_t>(d->seg.sentences.size());
  for (Event& e : d->events) {
    if (e.acled_event_type.empty() || e.evidence.empty()) continue;
    if (!IsReported(e.status)) continue;
    if (std::any_of(e.places.begin(), e.places.end(),
                    [&](uint32_t p) { return d->is_specific_place(p); })) {
      continue;
    }
    int32_t best = -1;
    for (uint32_t dist = 1; dist <= 2 && best < 0; ++dist) {
      for (const int sign : {-1, 1}) {
        const int64_t si = sign < 0 ? int64_t{e.evidence.front()} - dist
                                    : int64_t{e.evidence.back()} + dist;
        if (si < 0 || si >= n) continue;
        const uint32_t s = static_cast<uint32_t>(si);
        if (d->seg.sentences[s].headline) continue;
        best = PlaceIn(*d, s);
        if (best >= 0) break;
      }
    }
    if (best < 0) continue;
    e.places.insert(e.places.begin(), static_cast<uint32_t>(best));
    e.passes.push_back("place.context");
  }
}

}  // namespace extract
