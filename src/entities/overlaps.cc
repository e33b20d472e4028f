// Overlap resolution: non-overlapping names, longest first; descriptors
// apart.
//
// ChooseNonOverlapping
//   reads:  cands, vetoes, tokens.
//   changes: a candidate without a role takes the role (and usually the
//           source) of another candidate on its span and type.
//   writes: names and descriptors, the candidates chosen (moved out of
//           cands, which is spent), in the order they were chosen; and
//           taken_desc, the tokens the descriptors cover.
//   why:    longest first (in words), then by rank, then by position; ties
//           keep the candidates' order. A candidate inside a veto's span is
//           dropped. A role found by any rule belongs to the name whichever
//           candidate for that span wins.
// PreferNamesOverDescriptors
//   reads:  names, descriptors, taken_desc.
//   removes: descriptors on the span of a (non-demonym) name, and demonym
//           names inside a descriptor.
//   why:    a description that is also a name ("Malian army" is an alias)
//           is the name; a demonym inside a descriptor is part of it
//           ("Malian army").
#include <algorithm>

#include "entities/passes.h"

namespace extract {
namespace {

// The candidates' indices, longest first (in words), then by rank, then by
// position; ties keep the candidates' order. The keys are computed once
// rather than in each comparison (WordCount walks the span), and the index
// as the last key makes std::sort give what std::stable_sort would, without
// its buffer.
std::vector<size_t> LongestFirst(const std::vector<Token>& tokens,
                                 const std::vector<Candidate>& cands) {
  struct OrderKey {
    uint32_t words;
    int rank;
    uint32_t tb;
    uint32_t index;
  };
  std::vector<OrderKey> keys(cands.size());
  for (size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    keys[i] = OrderKey{WordCount(tokens, c.tb, c.te), c.rank, c.tb,
                       static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(),
            [](const OrderKey& x, const OrderKey& y) {
              if (x.words != y.words) return x.words > y.words;
              if (x.rank != y.rank) return x.rank > y.rank;
              if (x.tb != y.tb) return x.tb < y.tb;
              return x.index < y.index;
            });
  std::vector<size_t> order(cands.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = keys[i].index;
  return order;
}

// A role found by any rule belongs to the name whichever candidate for
// that span wins.
void ShareRolesOnSpan(std::vector<Candidate>& cands) {
  const SpanGroups same_span(cands);
  for (size_t i = 0; i < cands.size(); ++i) {
    Candidate& c = cands[i];
    if (c.role_te > c.role_tb) continue;
    for (const uint32_t k : same_span.Of(i)) {
      const Candidate& o = cands[k];
      if (o.role_te > o.role_tb && o.tb == c.tb && o.te == c.te &&
          o.type == c.type) {
        c.role_tb = o.role_tb;
        c.role_te = o.role_te;
        if (c.source.empty() || c.rank != 2) c.source = o.source;
        break;
      }
    }
  }
}

}  // namespace

void ChooseNonOverlapping(EntityState& s) {
  const std::vector<Token>& tokens = s.tokens;
  std::vector<Candidate>& cands = s.cands;
  // A candidate is vetoed when it lies inside a veto's span: the furthest
  // end of the vetoes that start at or before each token says so at once.
  std::vector<uint32_t> veto_reach(tokens.size() + 1, 0);
  for (const auto& [b, e] : s.vetoes) {
    if (b < veto_reach.size()) veto_reach[b] = std::max<uint32_t>(veto_reach[b], e);
  }
  for (size_t t = 1; t < veto_reach.size(); ++t) {
    veto_reach[t] = std::max(veto_reach[t], veto_reach[t - 1]);
  }
  auto vetoed = [&](const Candidate& c) {
    return !s.vetoes.empty() && c.tb < veto_reach.size() &&
           veto_reach[c.tb] >= c.te;
  };
  const std::vector<size_t> order = LongestFirst(tokens, cands);
  ShareRolesOnSpan(cands);
  std::vector<uint8_t> taken_name(tokens.size(), 0);
  s.taken_desc.assign(tokens.size(), 0);
  for (size_t i : order) {
    Candidate& c = cands[i];
    if (vetoed(c)) continue;
    const bool desc = c.role == MentionRole::kDescriptor;
    std::vector<uint8_t>& taken = desc ? s.taken_desc : taken_name;
    bool free = true;
    for (uint32_t t = c.tb; t < c.te && free; ++t) free = !taken[t];
    if (!free) continue;
    for (uint32_t t = c.tb; t < c.te; ++t) taken[t] = 1;
    (desc ? s.descriptors : s.names).push_back(std::move(c));  // cands: done
  }
}

void PreferNamesOverDescriptors(EntityState& s) {
  std::vector<Candidate>& names = s.names;
  std::vector<Candidate>& descriptors = s.descriptors;
  // A description that is also a name ("Malian army" is an alias) is the
  // name.
  std::vector<uint64_t> name_spans;  // sorted
  for (const Candidate& n : names) {
    if (n.role != MentionRole::kDemonym) {
      name_spans.push_back((uint64_t{n.tb} << 32) | n.te);
    }
  }
  std::sort(name_spans.begin(), name_spans.end());
  descriptors.erase(
      std::remove_if(descriptors.begin(), descriptors.end(),
                     [&](const Candidate& d) {
                       return std::binary_search(
                           name_spans.begin(), name_spans.end(),
                           (uint64_t{d.tb} << 32) | d.te);
                     }),
      descriptors.end());
  // A demonym inside a descriptor is part of it ("Malian army").
  const std::vector<uint8_t>& taken_desc = s.taken_desc;
  names.erase(std::remove_if(names.begin(), names.end(),
                             [&](const Candidate& c) {
                               if (c.role != MentionRole::kDemonym) return false;
                               for (uint32_t t = c.tb; t < c.te; ++t) {
                                 if (taken_desc[t]) return true;
                               }
                               return false;
                             }),
              names.end());
}

}  // namespace extract
