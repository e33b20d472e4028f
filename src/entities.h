// Stage 6a (assemble entities): turns gazetteer matches and rule hits into
// mentions (choosing between overlapping candidates and between homonyms),
// resolves descriptors ("the Malian army", "the junta") to the group they
// stand for, links short names and acronyms to full names, and merges
// mentions into entities.
#ifndef EXTRACT_SRC_ENTITIES_H_
#define EXTRACT_SRC_ENTITIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "extract/document.h"
#include "gazetteer.h"
#include "rules.h"

namespace extract {

// Per-token Feature masks (indexed like segmentation.tokens) from the
// gazetteer matches, word classes, date expressions and sentence starts.
std::vector<uint64_t> AnnotateTokens(const Segmentation& segmentation,
                                     const std::vector<GazetteerMatch>& matches,
                                     const std::vector<DateExpr>& dates,
                                     const Gazetteer& gazetteer);

struct EntityAssembly {
  std::vector<Mention> mentions;  // sorted by (begin, end, type)
  std::vector<Entity> entities;   // in order of first mention
  std::string main_country;       // ISO2 of the article's main country, or ""
};

// Builds mentions and entities. Spans are in normalized-text coordinates.
// Pure and thread-safe.
EntityAssembly AssembleEntities(const NormalizedText& text,
                                const Segmentation& segmentation,
                                const std::vector<uint64_t>& features,
                                const std::vector<GazetteerMatch>& matches,
                                const std::vector<RuleHit>& hits,
                                const Gazetteer& gazetteer,
                                const RuleSet& rules);

// The ISO2 country of a place entry (its `iso2` for a country, else its
// `country`), or "".
std::string_view CountryOf(const Gazetteer& gazetteer, const Entry& entry);

}  // namespace extract

#endif  // EXTRACT_SRC_ENTITIES_H_
