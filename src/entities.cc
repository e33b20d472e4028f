// Entity assembly (see entities.h): AssembleEntities runs the passes in
// src/entities/ over one per-document EntityState (entities/entity_state.h),
// in the order below. Each pass file's opening comment says what it reads,
// what it adds or changes, and why.
#include "entities.h"

#include "entities/entity_state.h"
#include "entities/passes.h"

namespace extract {

std::string_view CountryOf(const Gazetteer& g, const Entry& e) {
  std::string_view iso = g.Attr(e, "iso2");
  return iso.empty() ? g.Attr(e, "country") : iso;
}

std::vector<uint64_t> AnnotateTokens(const Segmentation& seg,
                                     const std::vector<GazetteerMatch>& matches,
                                     const std::vector<DateExpr>& dates,
                                     const Gazetteer& g) {
  std::vector<uint64_t> f(seg.tokens.size(), 0);
  for (const GazetteerMatch& m : matches) {
    const Entry& e = g.entry(m.entry);
    uint64_t bit = 0;
    switch (e.type) {
      case EntryType::kPlace:
        bit = m.kind == AliasKind::kDemonym ? kFeatDemonym : kFeatPlace;
        break;
      case EntryType::kGroup: bit = kFeatGroup; break;
      case EntryType::kPerson: bit = kFeatPerson; break;
      case EntryType::kTitle: bit = kFeatTitle; break;
      case EntryType::kHonorific: bit = kFeatHonorific; break;
      case EntryType::kFirstName:
        // A first name is a single capitalized word.
        if (m.token_end - m.token_begin == 1 &&
            seg.tokens[m.token_begin].has(kCapitalized)) {
          bit = kFeatFirstName;
        }
        break;
      case EntryType::kEvent: bit = kFeatTrigger; break;
      case EntryType::kWord: bit = e.word_features; break;
    }
    for (uint32_t i = m.token_begin; i < m.token_end; ++i) f[i] |= bit;
  }
  for (const Sentence& s : seg.sentences) {
    if (s.token_end > s.token_begin) f[s.token_begin] |= kFeatSentenceStart;
    // A sentence that opens with a quote starts again after it.
    if (s.token_end > s.token_begin + 1 &&
        seg.tokens[s.token_begin].kind == TokenKind::kPunct) {
      f[s.token_begin + 1] |= kFeatSentenceStart;
    }
  }
  // Dates: mark tokens inside date spans (both lists are in text order).
  size_t t = 0;
  for (const DateExpr& d : dates) {
    while (t < seg.tokens.size() && seg.tokens[t].span.end <= d.span.begin) ++t;
    for (size_t i = t; i < seg.tokens.size() &&
                       seg.tokens[i].span.begin < d.span.end;
         ++i) {
      f[i] |= kFeatDate;
    }
  }
  return f;
}

EntityAssembly AssembleEntities(const NormalizedText& text,
                                const Segmentation& seg,
                                const std::vector<uint64_t>& features,
                                const std::vector<GazetteerMatch>& matches,
                                const std::vector<RuleHit>& hits,
                                const Gazetteer& g, const RuleSet& rules) {
  EntityState s(text, seg, features, matches, hits, g, rules);
  // 0. What the text is: sentences, sports results, the country it names.
  MapTokensToSentences(s);
  FindSportsSentences(s);
  VoteNamedCountry(s);
  // 1. Gazetteer candidates: one per span, homonyms grouped by type.
  CollectGazetteerCandidates(s);
  DropGluedAcronyms(s);
  DropNameHeads(s);
  RequirePlaceContext(s);
  // 2. Rule candidates, vetoes and acronym definitions.
  CollectRuleCandidates(s);
  AddAcronymDefinitions(s);
  MergeSameNameCandidates(s);
  // 3. Non-overlapping names, longest first; descriptors apart.
  ChooseNonOverlapping(s);
  PreferNamesOverDescriptors(s);
  // 4. The main country, then homonyms; teams in sports reports.
  GuessMainCountry(s);
  ChooseHomonyms(s);
  SettleMainCountry(s);
  RetypeSportsTeams(s);
  // 5. Descriptors: the group a description stands for.
  ResolveDescriptors(s);
  // 6. Mentions; then coreference by acronym and by short name.
  EmitMentions(s);
  MarkCoveredTokens(s);
  LinkAcronyms(s);
  LinkShortNames(s);
  SortMentions(s);
  // 7. Entities, in order of first mention.
  MergeIntoEntities(s);
  OrderEntities(s);
  s.out.main_country = std::move(s.main_country);
  return std::move(s.out);
}

}  // namespace extract
