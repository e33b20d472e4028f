// Acronyms defined in parentheses: "the Macina Liberation Front (FLM)".
//
// LinkAcronyms
//   reads:  acronym_defs (AddAcronymDefinitions), out.mentions, covered,
//           tokens, sentence_of.
//   writes: link (parallel to out.mentions): "acronym:<key>" for the
//           mentions on a definition's long and short spans, so that they
//           join one entity.
//   changes: a one-word all-caps mention spelling a defined acronym takes
//           the expansion's entry and type, role kAcronym, the defining
//           rule as source.
//   adds:   a mention (role kAcronym) for every uncovered all-caps token
//           spelling a defined acronym, and marks it covered.
//   why:    an acronym defined in the article means what the article says,
//           even where a gazetteer knows another expansion ("FLN").
#include <unordered_map>

#include "entities/passes.h"

namespace extract {
namespace {

// Defined acronym key -> (mention of its expansion, defining rule id).
using Acronyms =
    std::unordered_map<std::string, std::pair<size_t, std::string>>;

// Links the mentions on each definition's spans; returns the acronyms whose
// expansion is a mention.
Acronyms LinkDefinitions(EntityState& s) {
  const std::vector<Token>& tokens = s.tokens;
  Acronyms acronyms;
  // Mentions by span, in index order.
  std::unordered_map<uint64_t, std::vector<uint32_t>> mentions_at;
  if (!s.acronym_defs.empty()) {
    for (size_t i = 0; i < s.out.mentions.size(); ++i) {
      const Mention& m = s.out.mentions[i];
      mentions_at[(uint64_t{m.token_begin} << 32) | m.token_end].push_back(
          static_cast<uint32_t>(i));
    }
  }
  auto at = [&](uint32_t tb, uint32_t te) -> const std::vector<uint32_t>& {
    static const std::vector<uint32_t> kNone;
    const auto it = mentions_at.find((uint64_t{tb} << 32) | te);
    return it == mentions_at.end() ? kNone : it->second;
  };
  for (const auto& [id, def] : s.acronym_defs) {
    if (def.first == nullptr || def.second == nullptr) continue;
    const std::string short_key =
        KeyOf(tokens, def.second->token_begin, def.second->token_end);
    for (const uint32_t i : at(def.first->token_begin, def.first->token_end)) {
      acronyms[short_key] = {i, s.rules.rules()[def.first->rule].id};
      s.link[i] = "acronym:" + short_key;
    }
    if (acronyms.count(short_key)) {
      for (const uint32_t i :
           at(def.second->token_begin, def.second->token_end)) {
        s.link[i] = "acronym:" + short_key;
      }
    }
  }
  return acronyms;
}

// A defined acronym already found as a mention means what the article says.
void RelabelDefinedAcronyms(EntityState& s, const Acronyms& acronyms) {
  const std::vector<Token>& tokens = s.tokens;
  std::vector<Mention>& mentions = s.out.mentions;
  for (size_t i = 0; i < mentions.size() && !acronyms.empty(); ++i) {
    Mention& m = mentions[i];
    if (m.token_end - m.token_begin != 1 ||
        !tokens[m.token_begin].has(kAllCaps)) {
      continue;
    }
    auto it = acronyms.find(tokens[m.token_begin].key);
    if (it == acronyms.end() || it->second.first == i) continue;
    const Mention& full = mentions[it->second.first];
    if (m.entry == full.entry && m.type == full.type) continue;
    m.entry = full.entry;
    m.type = full.type;
    m.role = MentionRole::kAcronym;
    m.source = it->second.second;
    s.link[i] = "acronym:" + it->first;
  }
}

// Uncovered all-caps tokens spelling a defined acronym become mentions.
void AddUncoveredAcronyms(EntityState& s, const Acronyms& acronyms) {
  const std::vector<Token>& tokens = s.tokens;
  for (uint32_t t = 0; t < tokens.size() && !acronyms.empty(); ++t) {
    if (s.covered[t] || !tokens[t].has(kAllCaps)) continue;
    auto it = acronyms.find(tokens[t].key);
    if (it == acronyms.end()) continue;
    Mention m;
    const Mention& full = s.out.mentions[it->second.first];
    m.token_begin = t;
    m.token_end = t + 1;
    m.span = tokens[t].span;
    m.sentence = s.sentence_of[t];
    m.type = full.type;
    m.role = MentionRole::kAcronym;
    m.entry = full.entry;
    m.source = it->second.second;
    s.covered[t] = 1;
    s.out.mentions.push_back(std::move(m));
    s.link.push_back("acronym:" + it->first);
    s.role_of.emplace_back();
  }
}

}  // namespace

void LinkAcronyms(EntityState& s) {
  s.link.assign(s.out.mentions.size(), std::string());
  const Acronyms acronyms = LinkDefinitions(s);
  RelabelDefinedAcronyms(s, acronyms);
  AddUncoveredAcronyms(s, acronyms);
}

}  // namespace extract
