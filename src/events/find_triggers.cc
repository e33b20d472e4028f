// Pass FindTriggers (stage 6b's first step, called by the pipeline before
// AssembleEvents). Reads the gazetteer matches of event entries and the
// trigger rules' hits. Gives the event triggers: longest first, a rule's
// over a gazetteer line's of the same length, none overlapping and none
// inside a date expression, each with its sentence and provenance.
#include <algorithm>

#include "events.h"

namespace extract {

std::vector<Trigger> FindTriggers(const Segmentation& seg,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<RuleHit>& hits,
                                  const Gazetteer& g, const RuleSet& rules) {
  // The source is named only for the candidates chosen: a gazetteer
  // line's (rank 1) is built from its entry then; a rule's (rank 2) is its
  // id.
  struct C {
    uint32_t tb, te;
    int32_t entry;
    std::string_view rule_id;
    int rank;
  };
  std::vector<C> cands;
  for (const GazetteerMatch& m : matches) {
    // "On March 19": a date, not a march.
    bool in_date = false;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      in_date |= (features[t] & kFeatDate) != 0;
    }
    if (in_date) continue;
    if (g.entry(m.entry).type == EntryType::kEvent) {
      cands.push_back({m.token_begin, m.token_end,
                       static_cast<int32_t>(m.entry), std::string_view(), 1});
    }
  }
  for (const RuleHit& h : hits) {
    const Rule& r = rules.rules()[h.rule];
    if (r.action != RuleAction::kTrigger) continue;
    if (!h.capture.empty() && h.capture != "t") continue;
    cands.push_back({h.token_begin, h.token_end, r.event_entry, r.id, 2});
  }
  std::stable_sort(cands.begin(), cands.end(), [](const C& a, const C& b) {
    if (a.te - a.tb != b.te - b.tb) return a.te - a.tb > b.te - b.tb;
    if (a.rank != b.rank) return a.rank > b.rank;
    return a.tb < b.tb;
  });
  std::vector<uint8_t> taken(seg.tokens.size(), 0);
  std::vector<Trigger> out;
  for (const C& c : cands) {
    bool free = true;
    for (uint32_t t = c.tb; t < c.te; ++t) free &= !taken[t];
    if (!free) continue;
    for (uint32_t t = c.tb; t < c.te; ++t) taken[t] = 1;
    Trigger tr;
    tr.token_begin = c.tb;
    tr.token_end = c.te;
    tr.span = Span{seg.tokens[c.tb].span.begin, seg.tokens[c.te - 1].span.end};
    tr.entry = c.entry;
    tr.source = c.rank == 1
                    ? g.Source(g.entry(static_cast<uint32_t>(c.entry)))
                    : std::string(c.rule_id);
    out.push_back(std::move(tr));
  }
  std::sort(out.begin(), out.end(), [](const Trigger& a, const Trigger& b) {
    return a.token_begin < b.token_begin;
  });
  // Each trigger's sentence: the first sentence holding its first token.
  // Filled from the last sentence back, so the first one wins.
  std::vector<uint32_t> sentence_of(seg.tokens.size(), UINT32_MAX);
  for (size_t s = seg.sentences.size(); s-- > 0;) {
    const Sentence& sentence = seg.sentences[s];
    for (uint32_t k = sentence.token_begin;
         k < sentence.token_end && k < sentence_of.size(); ++k) {
      sentence_of[k] = static_cast<uint32_t>(s);
    }
  }
  for (Trigger& t : out) {
    if (t.token_begin < sentence_of.size() &&
        sentence_of[t.token_begin] != UINT32_MAX) {
      t.sentence = sentence_of[t.token_begin];
    }
  }
  return out;
}

}  // namespace extract
