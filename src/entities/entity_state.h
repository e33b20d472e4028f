// The per-document state of entity assembly (stage 6a), shared by the
// passes in src/entities/ that AssembleEntities (src/entities.cc) runs in
// order. Private to the entities passes and their tests.
//
// The inputs are held by const reference: the state lives only for one
// AssembleEntities call, and the caller's inputs outlive it. Each field
// below the inputs names the pass that builds it; later passes read it.
#ifndef EXTRACT_SRC_ENTITIES_ENTITY_STATE_H_
#define EXTRACT_SRC_ENTITIES_ENTITY_STATE_H_

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entities.h"

namespace extract {

// A possible mention, before overlaps and homonyms are settled.
struct Candidate {
  uint32_t tb = 0, te = 0;
  EntityType type = EntityType::kPlace;
  MentionRole role = MentionRole::kName;
  std::vector<uint32_t> entries;  // homonyms of one type; empty if unknown
  int32_t entry = -1;             // the chosen one
  std::string source;
  int rank = 0;  // 3 gazetteer name, 2 rule, 1 gazetteer demonym
  std::string resolver;
  uint32_t role_tb = 0, role_te = 0;  // a role the rule found, if any
};

struct EntityState {
  EntityState(const NormalizedText& text, const Segmentation& seg,
              const std::vector<uint64_t>& features,
              const std::vector<GazetteerMatch>& matches,
              const std::vector<RuleHit>& hits, const Gazetteer& g,
              const RuleSet& rules)
      : text(text),
        seg(seg),
        tokens(seg.tokens),
        features(features),
        matches(matches),
        hits(hits),
        g(g),
        rules(rules) {}
  EntityState(const EntityState&) = delete;
  EntityState& operator=(const EntityState&) = delete;

  // Inputs (see AssembleEntities).
  const NormalizedText& text;
  const Segmentation& seg;
  const std::vector<Token>& tokens;  // seg.tokens
  const std::vector<uint64_t>& features;
  const std::vector<GazetteerMatch>& matches;
  const std::vector<RuleHit>& hits;
  const Gazetteer& g;
  const RuleSet& rules;

  // MapTokensToSentences: the sentence of each token.
  std::vector<uint32_t> sentence_of;
  // RequirePlaceContext: per sentence, whether it is running text (has a
  // lower-case word); -1 until asked.
  mutable std::vector<int8_t> running_text;
  // FindSportsSentences: per sentence, whether it reads like a result or a
  // table line; whether the whole text is a sports report.
  std::vector<uint8_t> sporty;
  bool sports = false;
  // VoteNamedCountry: the ISO2 code the country names vote for, or "".
  std::string named_country;

  // Candidate passes (CollectGazetteerCandidates ... MergeSameNameCandidates)
  // add to and filter this list; ChooseNonOverlapping consumes it.
  std::vector<Candidate> cands;
  // CollectRuleCandidates: spans no name may lie inside.
  std::vector<std::pair<uint32_t, uint32_t>> vetoes;
  // CollectRuleCandidates: match id -> (long form hit, short form hit);
  // AddAcronymDefinitions keeps only those whose letters fit.
  std::map<uint32_t, std::pair<const RuleHit*, const RuleHit*>> acronym_defs;

  // ChooseNonOverlapping: the chosen names and descriptors, and the tokens
  // the chosen descriptors cover.
  std::vector<Candidate> names, descriptors;
  std::vector<uint8_t> taken_desc;

  // GuessMainCountry / SettleMainCountry: ISO2 of the main country, or "".
  std::string main_country;

  // EmitMentions onwards: the result being built. role_of and link are
  // parallel to out.mentions (an empty role span: none; an empty link: the
  // usual keys decide which entity a mention joins).
  EntityAssembly out;
  std::vector<RoleText> role_of;
  std::vector<std::string> link;
  // MarkCoveredTokens: tokens inside a name mention (descriptors aside).
  std::vector<uint8_t> covered;
};

// Helpers shared by the passes. Inline: some run per candidate in sort keys.

inline bool IsEntityType(EntryType t, EntityType* out) {
  switch (t) {
    case EntryType::kPlace: *out = EntityType::kPlace; return true;
    case EntryType::kGroup: *out = EntityType::kGroup; return true;
    case EntryType::kPerson: *out = EntityType::kPerson; return true;
    default: return false;
  }
}

inline uint32_t WordCount(const std::vector<Token>& tokens, uint32_t b,
                          uint32_t e) {
  uint32_t n = 0;
  for (uint32_t i = b; i < e; ++i) n += !tokens[i].has(kJoiner);
  return n;
}

inline std::string KeyOf(const std::vector<Token>& tokens, uint32_t b,
                         uint32_t e) {
  std::string key;
  for (uint32_t i = b; i < e; ++i) {
    if (tokens[i].has(kJoiner)) continue;
    if (!key.empty()) key += ' ';
    key += tokens[i].key;
  }
  return key;
}

inline double Population(const Gazetteer& g, const Entry& e) {
  std::string_view p = g.Attr(e, "population");
  double v = 0;
  if (!p.empty()) std::from_chars(p.data(), p.data() + p.size(), v);
  return v;
}

// Candidates grouped by span: Of(i) is every candidate on candidate i's
// span (i included), in index order. The spans must not change while it is
// in use.
class SpanGroups {
 public:
  explicit SpanGroups(const std::vector<Candidate>& cands)
      : order_(cands.size()), range_(cands.size()) {
    auto key = [&](uint32_t i) {
      return (uint64_t{cands[i].tb} << 32) | cands[i].te;
    };
    for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
    const auto by_key = [&](uint32_t a, uint32_t b) {
      const uint64_t ka = key(a), kb = key(b);
      return ka != kb ? ka < kb : a < b;
    };
    // Often already in span order; checking is cheaper than sorting.
    if (!std::is_sorted(order_.begin(), order_.end(), by_key)) {
      std::sort(order_.begin(), order_.end(), by_key);
    }
    for (uint32_t first = 0, next = 0; first < order_.size(); first = next) {
      next = first + 1;
      while (next < order_.size() && key(order_[next]) == key(order_[first])) {
        ++next;
      }
      for (uint32_t k = first; k < next; ++k) range_[order_[k]] = {first, next};
    }
  }
  std::span<const uint32_t> Of(size_t i) const {
    return std::span<const uint32_t>(order_.data() + range_[i].first,
                                     range_[i].second - range_[i].first);
  }

 private:
  std::vector<uint32_t> order_;
  std::vector<std::pair<uint32_t, uint32_t>> range_;
};

}  // namespace extract

#endif  // EXTRACT_SRC_ENTITIES_ENTITY_STATE_H_
