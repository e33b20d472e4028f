// Candidates from gazetteer matches, and the filters that need only them.
//
// CollectGazetteerCandidates
//   reads:  matches (place, group and person readings), features (dates),
//           tokens.
//   adds:   to cands, one candidate per matched span (spans in order), its
//           homonyms of the chosen type in entries; rank 3 for a name, 1 for
//           a demonym; role kAcronym for a one-word all-caps alias that is
//           not the entry's name.
//   why:    a span has one type: a country or region name is the place, else
//           a group, then a person, then a place reading; a name reading
//           beats a demonym reading; a span inside a date is a date.
// DropGluedAcronyms
//   reads:  cands, tokens, features, the entries' "kind" and "iso2".
//   removes: gazetteer acronyms glued to an unknown capitalized word.
//   why:    "BNP Paribas", "BA Connect" are unknown names, not the acronym.
// DropNameHeads
//   reads:  cands, tokens, features.
//   removes: one-word non-country places that head a longer unknown name or
//           word ("West African", "Standard Life", "Pac-Man").
#include <algorithm>
#include <span>

#include "entities/passes.h"
#include "normalizer.h"

namespace extract {
namespace {

// The candidate for the matches `ms`, all on one span, or false when the
// span lies in a date.
bool MakeGazetteerCandidate(const EntityState& s,
                            std::span<const GazetteerMatch* const> ms,
                            Candidate* out) {
  const Gazetteer& g = s.g;
  const std::vector<Token>& tokens = s.tokens;
  const std::pair<uint32_t, uint32_t> span{ms[0]->token_begin,
                                           ms[0]->token_end};
  // "in March": a month, not the town.
  bool in_date = false;
  for (uint32_t t = span.first; t < span.second; ++t) {
    in_date |= (s.features[t] & kFeatDate) != 0;
  }
  if (in_date) return false;
  // Prefer a group, then a person, then a place reading of a name; a
  // name reading over a demonym reading.
  bool any_name = false;
  for (const GazetteerMatch* m : ms) any_name |= m->kind != AliasKind::kDemonym;
  // "German" is the demonym of Germany before it is a parish of that
  // name: a country's demonym beats readings that are small places.
  bool demonym = false, strong_name = false;
  for (const GazetteerMatch* m : ms) {
    const Entry& e = g.entry(m->entry);
    if (m->kind == AliasKind::kDemonym) {
      demonym = true;
    } else if (e.type != EntryType::kPlace || !g.Attr(e, "iso2").empty() ||
               Population(g, e) >= 100000) {
      strong_name = true;
    }
  }
  if (demonym && !strong_name) any_name = false;
  EntityType best_type = EntityType::kPlace;
  bool have = false;
  // A country or region name is the place ("U.S." is also an alias of
  // the US government); metonymy is for rules to decide.
  for (const GazetteerMatch* m : ms) {
    const Entry& e = g.entry(m->entry);
    if (e.type == EntryType::kPlace && m->kind != AliasKind::kDemonym &&
        (!g.Attr(e, "iso2").empty() || g.Attr(e, "feature") == "region" ||
         g.Attr(e, "feature") == "historical" ||
         g.Attr(e, "feature") == "continent")) {
      have = true;
    }
  }
  for (EntityType want :
       {EntityType::kGroup, EntityType::kPerson, EntityType::kPlace}) {
    if (have) break;
    for (const GazetteerMatch* m : ms) {
      EntityType et = EntityType::kPlace;
      IsEntityType(g.entry(m->entry).type, &et);
      if (et == want && (m->kind != AliasKind::kDemonym || !any_name)) {
        best_type = want;
        have = true;
        break;
      }
    }
    if (have) break;
  }
  Candidate& c = *out;
  c.tb = span.first;
  c.te = span.second;
  c.type = best_type;
  c.rank = any_name ? 3 : 1;
  c.role = any_name ? MentionRole::kName : MentionRole::kDemonym;
  for (const GazetteerMatch* m : ms) {
    EntityType et = EntityType::kPlace;
    IsEntityType(g.entry(m->entry).type, &et);
    if (et != best_type) continue;
    if (any_name && m->kind == AliasKind::kDemonym) continue;
    if (std::find(c.entries.begin(), c.entries.end(), m->entry) ==
        c.entries.end()) {
      c.entries.push_back(m->entry);
    }
  }
  // "JNIM" for Jama'at Nusrat al-Islam wal-Muslimin is an acronym;
  // "CHICAGO" in a table is the name in capitals.
  if (c.role == MentionRole::kName && c.te - c.tb == 1 &&
      tokens[c.tb].has(kAllCaps) && tokens[c.tb].key.size() > 1 &&
      !c.entries.empty() &&
      MatchKey(g.entry(c.entries[0]).name) != tokens[c.tb].key) {
    c.role = MentionRole::kAcronym;
  }
  return true;
}

}  // namespace

void CollectGazetteerCandidates(EntityState& s) {
  const Gazetteer& g = s.g;
  // The entity matches by span, in span order; within a span, in the
  // order of `matches`.
  std::vector<const GazetteerMatch*> by_span;
  for (const GazetteerMatch& m : s.matches) {
    EntityType et = EntityType::kPlace;
    if (IsEntityType(g.entry(m.entry).type, &et)) by_span.push_back(&m);
  }
  // The pointers (into `matches`) break ties, as std::stable_sort would.
  std::sort(by_span.begin(), by_span.end(),
            [](const GazetteerMatch* a, const GazetteerMatch* b) {
              if (a->token_begin != b->token_begin) {
                return a->token_begin < b->token_begin;
              }
              if (a->token_end != b->token_end) {
                return a->token_end < b->token_end;
              }
              return a < b;
            });
  for (size_t first = 0, next = 0; first < by_span.size(); first = next) {
    const std::pair<uint32_t, uint32_t> span{by_span[first]->token_begin,
                                             by_span[first]->token_end};
    next = first + 1;
    while (next < by_span.size() && by_span[next]->token_begin == span.first &&
           by_span[next]->token_end == span.second) {
      ++next;
    }
    const std::span<const GazetteerMatch* const> ms(by_span.data() + first,
                                                    next - first);
    Candidate c;
    if (MakeGazetteerCandidate(s, ms, &c)) s.cands.push_back(std::move(c));
  }
}

void DropGluedAcronyms(EntityState& s) {
  const Gazetteer& g = s.g;
  const std::vector<Token>& tokens = s.tokens;
  const std::vector<uint64_t>& features = s.features;
  std::vector<Candidate>& cands = s.cands;
  cands.erase(
      std::remove_if(cands.begin(), cands.end(),
                     [&](const Candidate& c) {
                       if (c.role != MentionRole::kAcronym) return false;
                       if (c.te >= tokens.size()) return false;
                       // Countries and governments, UN-style bodies keep
                       // their acronym ("US President", "EU Agriculture
                       // Commissioner").
                       for (uint32_t e : c.entries) {
                         const Entry& en = g.entry(e);
                         const std::string_view kind = g.Attr(en, "kind");
                         if (!g.Attr(en, "iso2").empty() ||
                             kind == "intergovernmental" ||
                             kind == "government" || kind == "military") {
                           return false;
                         }
                       }
                       const Token& next = tokens[c.te];
                       return next.has(kCapitalized) && !next.has(kAllCaps) &&
                              !(features[c.te] & (kFeatFunctionWord |
                                                  kFeatPlace | kFeatGroup |
                                                  kFeatPerson | kFeatDemonym |
                                                  kFeatTitle | kFeatHonorific));
                     }),
      cands.end());
}

// A one-word place that is only the head of a longer unknown name or word
// is not that place: "West African", "West Yorkshire" (a direction before a
// name), "Standard Life" (a town's name before an unknown capitalized
// word), "Pac-Man" (half of a hyphenated word).
void DropNameHeads(EntityState& s) {
  const Gazetteer& g = s.g;
  const std::vector<Token>& tokens = s.tokens;
  const std::vector<uint64_t>& features = s.features;
  std::vector<Candidate>& cands = s.cands;
  cands.erase(
      std::remove_if(cands.begin(), cands.end(),
                     [&](const Candidate& c) {
                       if (c.type != EntityType::kPlace ||
                           c.role != MentionRole::kName || c.te - c.tb != 1) {
                         return false;
                       }
                       for (uint32_t e : c.entries) {
                         if (!g.Attr(g.entry(e), "iso2").empty()) return false;
                       }
                       const uint64_t named = kFeatPlace | kFeatGroup |
                                              kFeatPerson | kFeatDemonym;
                       if (c.tb > 0 && tokens[c.tb - 1].has(kJoiner) &&
                           c.tb >= 2 && !(features[c.tb - 2] & named)) {
                         return true;  // "Pac-Man"
                       }
                       if (c.te >= tokens.size()) return false;
                       const Token& next = tokens[c.te];
                       const uint64_t f = features[c.te];
                       if (next.kind != TokenKind::kWord ||
                           !next.has(kCapitalized) || next.has(kAllCaps) ||
                           (f & (kFeatFunctionWord | kFeatDate |
                                 kFeatPlaceSuffix | kFeatOrgSuffix |
                                 kFeatTitle))) {
                         return false;
                       }
                       if (features[c.tb] & kFeatDirection) return true;
                       return !(f & named);
                     }),
      cands.end());
}

}  // namespace extract
