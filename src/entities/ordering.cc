// Ordering of the result.
//
// SortMentions
//   reads:  out.mentions, link, role_of.
//   changes: all three, reordered together by (span begin, span end, type);
//           ties keep their order.
//   why:    mentions leave sorted (entities.h); link and role_of stay
//           parallel to them for MergeIntoEntities.
// OrderEntities
//   reads:  out.entities (MergeIntoEntities), out.mentions.
//   changes: each entity's mention list sorted ascending; entities sorted
//           by first mention; mentions' entity indices renumbered; ids
//           "e1", "e2"... in that order.
#include <algorithm>
#include <cstdint>

#include "entities/passes.h"

namespace extract {

void SortMentions(EntityState& s) {
  EntityAssembly& out = s.out;
  std::vector<size_t> order(out.mentions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The index breaks ties, as std::stable_sort would, without its buffer.
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Mention& a = out.mentions[x];
    const Mention& b = out.mentions[y];
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    if (a.span.end != b.span.end) return a.span.end < b.span.end;
    if (a.type != b.type) return a.type < b.type;
    return x < y;
  });
  std::vector<Mention> sorted;
  std::vector<std::string> sorted_link;
  std::vector<RoleText> sorted_role;
  for (size_t i : order) {
    sorted.push_back(std::move(out.mentions[i]));
    sorted_link.push_back(std::move(s.link[i]));
    sorted_role.push_back(std::move(s.role_of[i]));
  }
  out.mentions = std::move(sorted);
  s.link = std::move(sorted_link);
  s.role_of = std::move(sorted_role);
}

void OrderEntities(EntityState& s) {
  EntityAssembly& out = s.out;
  // Entities in order of first mention; mention lists ascending.
  std::vector<uint32_t> first(out.entities.size(), UINT32_MAX);
  for (size_t e = 0; e < out.entities.size(); ++e) {
    auto& ms = out.entities[e].mentions;
    std::sort(ms.begin(), ms.end());
    first[e] = ms.empty() ? UINT32_MAX : ms.front();
  }
  std::vector<uint32_t> order(out.entities.size());
  for (uint32_t e = 0; e < order.size(); ++e) order[e] = e;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return first[a] < first[b]; });
  std::vector<int32_t> new_index(out.entities.size());
  std::vector<Entity> sorted;
  for (uint32_t k = 0; k < order.size(); ++k) {
    new_index[order[k]] = static_cast<int32_t>(k);
    sorted.push_back(std::move(out.entities[order[k]]));
  }
  out.entities = std::move(sorted);
  for (Mention& m : out.mentions) {
    if (m.entity >= 0) m.entity = new_index[m.entity];
  }
  for (size_t i = 0; i < out.entities.size(); ++i) {
    out.entities[i].id = "e" + std::to_string(i + 1);
  }
}

}  // namespace extract
