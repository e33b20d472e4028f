// The passes of entity assembly (stage 6a), in the order AssembleEntities
// runs them. Each reads what earlier passes left in the EntityState and adds
// to or changes it; each .cc file's opening comment gives its contract.
// Private to the entities passes and their tests.
#ifndef EXTRACT_SRC_ENTITIES_PASSES_H_
#define EXTRACT_SRC_ENTITIES_PASSES_H_

#include "entities/entity_state.h"

namespace extract {

// context.cc and sports.cc: what the text is, before any candidate exists.
void MapTokensToSentences(EntityState& s);
void FindSportsSentences(EntityState& s);
void VoteNamedCountry(EntityState& s);

// gazetteer_candidates.cc: one candidate per gazetteer span, then filters.
void CollectGazetteerCandidates(EntityState& s);
void DropGluedAcronyms(EntityState& s);
void DropNameHeads(EntityState& s);

// place_context.cc: small places need context.
void RequirePlaceContext(EntityState& s);

// rule_candidates.cc: rule mentions, vetoes, acronym definitions; one
// candidate per name found by both the gazetteer and a rule.
void CollectRuleCandidates(EntityState& s);
void AddAcronymDefinitions(EntityState& s);
void MergeSameNameCandidates(EntityState& s);

// overlaps.cc: non-overlapping names and descriptors.
void ChooseNonOverlapping(EntityState& s);
void PreferNamesOverDescriptors(EntityState& s);

// main_country.cc and homonyms.cc: the article's country and the reading of
// each name.
void GuessMainCountry(EntityState& s);
void ChooseHomonyms(EntityState& s);
void SettleMainCountry(EntityState& s);

// sports.cc: teams named after places.
void RetypeSportsTeams(EntityState& s);

// descriptors.cc: the group a description stands for.
void ResolveDescriptors(EntityState& s);

// mentions.cc: candidates become mentions.
void EmitMentions(EntityState& s);
void MarkCoveredTokens(EntityState& s);

// acronyms.cc and short_names.cc: coreference by acronym and by surname.
void LinkAcronyms(EntityState& s);
void LinkShortNames(EntityState& s);

// ordering.cc and merge.cc: mentions in text order, merged into entities,
// entities in order of first mention.
void SortMentions(EntityState& s);
void MergeIntoEntities(EntityState& s);
void OrderEntities(EntityState& s);

}  // namespace extract

#endif  // EXTRACT_SRC_ENTITIES_PASSES_H_
