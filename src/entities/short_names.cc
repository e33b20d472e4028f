// Short names: "Cissé" after "Mariam Cissé".
//
// LinkShortNames
//   reads:  out.mentions (person names of two words or more), covered,
//           tokens, features, sentence_of.
//   adds:   a mention (person, role kShortName, the full name's entry,
//           source "coref.short_name") for every uncovered capitalized
//           token, not a function word, equal to the last word of such a
//           name (the first such name in mention order); marks it covered.
//           link and role_of grow with empty entries.
//   why:    a capitalized word equal to the last word of a multi-word
//           person name is that person. MergeIntoEntities joins it to that
//           person's entity.
#include <unordered_map>

#include "entities/passes.h"

namespace extract {

void LinkShortNames(EntityState& s) {
  const std::vector<Token>& tokens = s.tokens;
  std::unordered_map<std::string, size_t> surnames;
  for (size_t i = 0; i < s.out.mentions.size(); ++i) {
    const Mention& m = s.out.mentions[i];
    if (m.type != EntityType::kPerson || m.role != MentionRole::kName) continue;
    if (WordCount(tokens, m.token_begin, m.token_end) < 2) continue;
    surnames.emplace(tokens[m.token_end - 1].key, i);
  }
  for (uint32_t t = 0; t < tokens.size() && !surnames.empty(); ++t) {
    if (s.covered[t] || !tokens[t].has(kCapitalized)) continue;
    if (s.features[t] & kFeatFunctionWord) continue;
    auto it = surnames.find(tokens[t].key);
    if (it == surnames.end()) continue;
    Mention m;
    const Mention& full = s.out.mentions[it->second];
    m.token_begin = t;
    m.token_end = t + 1;
    m.span = tokens[t].span;
    m.sentence = s.sentence_of[t];
    m.type = EntityType::kPerson;
    m.role = MentionRole::kShortName;
    m.entry = full.entry;
    m.source = "coref.short_name";
    s.covered[t] = 1;
    s.out.mentions.push_back(std::move(m));
    s.link.emplace_back();
    s.role_of.emplace_back();
  }
}

}  // namespace extract
