// Entity assembly: candidates from gazetteer matches and rule hits, overlap
// resolution, homonym choice, descriptor resolution, coreference. See
// entities.h.
#include "entities.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <unordered_map>

#include "normalizer.h"

namespace extract {
namespace {

// A sports result verb ("beat", "drew", "v"). Switching on the first
// letter first: this runs for every token of every article, and a chain of
// twelve comparisons cost 3% of the pipeline's instructions.
bool IsResultVerb(std::string_view k) {
  if (k.empty()) return false;
  switch (k[0]) {
    case 'b': return k == "beat" || k == "beats";
    case 'd': return k == "drew" || k == "defeated" || k == "draw";
    case 'e': return k == "edged";
    case 'l': return k == "lost";
    case 'r': return k == "routed";
    case 't': return k == "thrashed";
    case 'v': return k == "v" || k == "vs";
    case 'w': return k == "won";
    default: return false;
  }
}

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

bool IsEntityType(EntryType t, EntityType* out) {
  switch (t) {
    case EntryType::kPlace: *out = EntityType::kPlace; return true;
    case EntryType::kGroup: *out = EntityType::kGroup; return true;
    case EntryType::kPerson: *out = EntityType::kPerson; return true;
    default: return false;
  }
}

uint32_t WordCount(const std::vector<Token>& tokens, uint32_t b, uint32_t e) {
  uint32_t n = 0;
  for (uint32_t i = b; i < e; ++i) n += !tokens[i].has(kJoiner);
  return n;
}

std::string KeyOf(const std::vector<Token>& tokens, uint32_t b, uint32_t e) {
  std::string key;
  for (uint32_t i = b; i < e; ++i) {
    if (tokens[i].has(kJoiner)) continue;
    if (!key.empty()) key += ' ';
    key += tokens[i].key;
  }
  return key;
}

double Population(const Gazetteer& g, const Entry& e) {
  std::string_view p = g.Attr(e, "population");
  double v = 0;
  if (!p.empty()) std::from_chars(p.data(), p.data() + p.size(), v);
  return v;
}

// How strongly a place entry claims a bare name: countries first, then
// regions, first-order divisions, capitals... A place in the article's main
// country moves up two tiers, so a Malian village beats a foreign town.
// A bare name is the town ("Bamako, Mali's capital"); followed by a region
// word ("the Timbuktu region") it is the administrative division.
double PlaceScore(const Gazetteer& g, const Entry& e,
                  std::string_view main_country, bool region_word) {
  int tier = 1;
  std::string_view feature = g.Attr(e, "feature");
  const bool division = feature.starts_with("ADM");
  if (!g.Attr(e, "iso2").empty()) tier = 9;
  else if (feature == "continent" || feature == "region" ||
           feature == "historical") {
    tier = 8;
  }
  else if (region_word && division) tier = 7;
  else if (feature == "PPLC") tier = 6;
  else if (feature == "PPLA") tier = 5;
  else if (feature == "ADM1") tier = 4;
  else if (feature == "ADM2" || feature.starts_with("PPLA")) tier = 3;
  // A small place in the article's country beats a small place abroad,
  // never a capital ("Moscow" in a US business story is still Moscow).
  if (tier < 4 && !main_country.empty() &&
      g.Attr(e, "country") == main_country) {
    tier += 2;
  }
  return tier * 1e10 + Population(g, e);
}

bool IsNumericColumn(std::string_view c) {
  return c == "lat" || c == "lon" || c == "population";
}

Canonical MakeCanonical(const Gazetteer& g, uint32_t index) {
  const Entry& e = g.entry(index);
  Canonical c;
  c.id = std::string(e.id);
  c.source = g.Source(e);
  const std::vector<std::string>& columns = g.files()[e.file].columns;
  c.attributes.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& col = columns[i];
    const std::string_view v = g.Cell(e, i);
    if (v.empty()) continue;
    double d;
    bool numeric = false;
    if (IsNumericColumn(col)) {
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      numeric = ec == std::errc() && ptr == v.data() + v.size();
    }
    c.attributes.push_back(Attribute{col, std::string(v), numeric});
  }
  return c;
}

}  // namespace

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
  const std::vector<Token>& tokens = seg.tokens;
  std::vector<uint32_t> sentence_of(tokens.size(), 0);
  for (uint32_t s = 0; s < seg.sentences.size(); ++s) {
    for (uint32_t i = seg.sentences[s].token_begin;
         i < seg.sentences[s].token_end; ++i) {
      sentence_of[i] = s;
    }
  }

  // 0. Is this a sports report (scores like "6-3", not dates; sports
  // words), and which sentences report results or tables? There a city
  // or county name is usually a team. A dateline ("BONN 1996-08-30") is
  // not a result.
  std::vector<uint8_t> sporty(seg.sentences.size(), 0);
  bool sports = false;
  std::string named_country;
  {
    auto is_small_number = [&](uint32_t t) {
      return tokens[t].kind == TokenKind::kNumber && tokens[t].key.size() <= 3 &&
             !(features[t] & kFeatDate);
    };
    int scores = 0, cues = 0;
    // Place readings per sentence (matches never cross a sentence).
    std::vector<int> places_in(seg.sentences.size(), 0);
    for (const GazetteerMatch& m : matches) {
      if (g.entry(m.entry).type == EntryType::kPlace) {
        ++places_in[sentence_of[m.token_begin]];
      }
    }
    for (uint32_t si = 0; si < seg.sentences.size(); ++si) {
      const Sentence& s = seg.sentences[si];
      int numbers = 0;
      bool score = false, cue = false;
      for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
        if (features[t] & kFeatSportsCue) cue = true, ++cues;
        // Result verbs mark a sentence, not a report ("won the election").
        if (IsResultVerb(tokens[t].key)) cue = true;
        if (tokens[t].kind == TokenKind::kNumber && !(features[t] & kFeatDate)) {
          ++numbers;
        }
        if (t + 2 < s.token_end && is_small_number(t) &&
            tokens[t + 1].has(kJoiner) && is_small_number(t + 2)) {
          score = true;
          ++scores;
        }
      }
      uint32_t words = 0;
      for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
        words += tokens[t].kind == TokenKind::kWord && !(features[t] & kFeatDate);
      }
      const bool dateline = words <= 2 && numbers == 0 && !cue;
      // A schedule or table line names two places in a few words
      // ("KANSAS CITY AT DETROIT").
      const bool table_line = places_in[si] >= 2 && words <= 8;
      sporty[si] = !dateline && (score || cue || numbers >= 2 || table_line);
    }
    sports = scores >= 2 || cues >= 2;
    // The article's country by its country names, before anything else is
    // resolved (the main country is settled in step 4).
    std::map<std::string, int> votes;
    // The "iso2" column's index in each file (npos: none), found once per
    // file, not once per match: most matches are common words, whose file
    // has no such column.
    constexpr size_t kUnknown = std::numeric_limits<size_t>::max() - 1;
    std::vector<size_t> iso2_column(g.files().size(), kUnknown);
    for (const GazetteerMatch& m : matches) {
      const Entry& e = g.entry(m.entry);
      size_t& column = iso2_column[e.file];
      if (column == kUnknown) {
        const auto& names = g.files()[e.file].columns;
        column = static_cast<size_t>(
            std::find(names.begin(), names.end(), "iso2") - names.begin());
        if (column == names.size()) column = std::string_view::npos;
      }
      if (column == std::string_view::npos) continue;
      const std::string_view iso = g.Cell(e, column);
      if (!iso.empty()) ++votes[std::string(iso)];
    }
    int best = 0;
    for (const auto& [iso, n] : votes) {
      if (n > best) best = n, named_country = iso;
    }
  }

  // 1. Gazetteer candidates: one per span, homonyms grouped by type.
  std::vector<Candidate> cands;
  {
    // The entity matches by span, in span order; within a span, in the
    // order of `matches`.
    std::vector<const GazetteerMatch*> by_span;
    for (const GazetteerMatch& m : matches) {
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
      // "in March": a month, not the town.
      bool in_date = false;
      for (uint32_t t = span.first; t < span.second; ++t) {
        in_date |= (features[t] & kFeatDate) != 0;
      }
      if (in_date) continue;
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
        } else if (e.type != EntryType::kPlace ||
                   !g.Attr(e, "iso2").empty() ||
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
      for (EntityType want : {EntityType::kGroup, EntityType::kPerson,
                              EntityType::kPlace}) {
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
      Candidate c;
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
      cands.push_back(std::move(c));
    }
  }

  // 1a. A gazetteer acronym glued to a capitalized word is part of an
  // unknown name ("BNP Paribas", "BA Connect"), not the acronym.
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

  // 1a'. A one-word place that is only the head of a longer unknown name
  // or word is not that place: "West African", "West Yorkshire" (a
  // direction before a name), "Standard Life" (a town's name before an
  // unknown capitalized word), "Pac-Man" (half of a hyphenated word).
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

  // 1b. Small places need context. A village name is often also a word or a
  // name ("Since", "As", "Rama", "Cissé"); it counts as a place only where
  // a reader would take it as one: after "in"/"near"/"the town of", before
  // "(Niono, Segou)", inside such parentheses, in a list with such a place,
  // or once the article has used the name so.
  {
    // Words that make even a big place's name doubtful ("Police", "Split",
    // "Reading"). A first name does not: "Paris Hilton" is found whole by
    // the person rules, and "London" stays London.
    constexpr uint64_t kWordish = kFeatFunctionWord | kFeatTrigger |
                                  kFeatTitle | kFeatHonorific |
                                  kFeatOrgSuffix | kFeatPlaceSuffix |
                                  kFeatGovernmentNoun | kFeatMilitaryNoun |
                                  kFeatDirection | kFeatMonth;
    auto needs_context = [&](const Candidate& c) {
      if (c.type != EntityType::kPlace || c.role == MentionRole::kDemonym) {
        return false;
      }
      bool common = false;
      for (uint32_t t = c.tb; t < c.te; ++t) {
        if (!tokens[t].has(kJoiner) && (features[t] & kWordish)) common = true;
      }
      for (uint32_t e : c.entries) {
        const Entry& en = g.entry(e);
        if (!g.Attr(en, "iso2").empty()) return false;  // a country
        if (common) continue;
        std::string_view f = g.Attr(en, "feature");
        if (f == "continent" || f == "region" || f == "historical" ||
            f == "ADM1" || f == "PPLC") {
          return false;
        }
        const double pop = Population(g, en);
        // A first-order capital is known; a county seat (PPLA2...) is not.
        if (pop >= 100000 || (f == "PPLA" && pop >= 15000)) return false;
      }
      return true;  // small, or a word: needs context
    };
    auto prev_word = [&](uint32_t t) -> int64_t {
      // The word before t, skipping "the".
      int64_t i = static_cast<int64_t>(t) - 1;
      while (i >= 0 && (tokens[i].key == "the" || tokens[i].key == "la" ||
                        tokens[i].key == "le" || tokens[i].key == "l'")) {
        --i;
      }
      return i;
    };
    std::vector<uint8_t> place_end(tokens.size() + 1, 0);  // accepted places
    std::unordered_map<std::string, bool> accepted_keys;
    std::vector<size_t> pending;
    for (size_t ci = 0; ci < cands.size(); ++ci) {
      Candidate& c = cands[ci];
      if (c.type == EntityType::kPlace && c.role != MentionRole::kDemonym &&
          !needs_context(c)) {
        place_end[c.te] = 1;
        continue;
      }
      if (!needs_context(c)) continue;
      bool ok = false;
      const int64_t p = prev_word(c.tb);
      if (p >= 0) {
        const std::string_view pk = tokens[p].key;
        if (features[p] & kFeatLocative) ok = true;
        if (pk == "as" && p >= 1 && tokens[p - 1].key == "coded") ok = true;
        if (pk == "of" && p >= 1 &&
            (features[p - 1] & (kFeatPlaceNoun | kFeatDirection))) {
          ok = true;
        }
        if ((pk == "," || pk == "and" || pk == "or" || pk == "(") &&
            place_end[p]) {
          ok = true;  // "Boni, Dounde and Tonka"; "Dogofri (Niono, ..."
        }
        if (pk == "," && p >= 1) {
          // Inside parentheses that follow a place: "(Niono, Segou)".
          for (int64_t k = p - 1; k >= 0 && k + 6 > p; --k) {
            if (tokens[k].key == ")") break;
            if (tokens[k].key == "(") {
              ok = k >= 1 && place_end[k];
              break;
            }
          }
        }
      }
      if (c.te < tokens.size() && tokens[c.te].key == "(") ok = true;
      if (ok) {
        place_end[c.te] = 1;
        accepted_keys[KeyOf(tokens, c.tb, c.te)] = true;
      } else {
        pending.push_back(ci);
      }
    }
    std::vector<uint8_t> reject(cands.size(), 0);
    for (size_t ci : pending) {
      const Candidate& c = cands[ci];
      // Accepted once with context: the same name is that place again,
      // unless it opens a sentence as an ordinary capitalized word.
      if (accepted_keys.count(KeyOf(tokens, c.tb, c.te)) &&
          !(features[c.tb] & kFeatFunctionWord)) {
        continue;
      }
      // A county or district named in a sports result is a team (below).
      if (sports && sporty[sentence_of[c.tb]] &&
          !(features[c.tb] & kFeatFunctionWord) &&
          std::any_of(c.entries.begin(), c.entries.end(), [&](uint32_t e) {
            const Entry& en = g.entry(e);
            return g.Attr(en, "feature").starts_with("ADM") &&
                   g.Attr(en, "country") == named_country;
          })) {
        continue;
      }
      reject[ci] = 1;
    }
    size_t w = 0;
    for (size_t ci = 0; ci < cands.size(); ++ci) {
      if (reject[ci]) continue;
      if (w != ci) cands[w] = std::move(cands[ci]);
      ++w;
    }
    cands.resize(w);
  }

  // 2. Rule candidates, vetoes and acronym definitions.
  std::vector<std::pair<uint32_t, uint32_t>> vetoes;
  std::map<uint32_t, std::pair<const RuleHit*, const RuleHit*>> acronym_defs;
  std::map<uint32_t, const RuleHit*> role_of_match;  // match id -> role hit
  for (const RuleHit& h : hits) {
    if (h.capture == "role") role_of_match[h.match_id] = &h;
  }
  for (const RuleHit& h : hits) {
    const Rule& r = rules.rules()[h.rule];
    if (r.action == RuleAction::kVeto) {
      if (h.capture.empty() || h.capture[0] == 'm') {
        vetoes.push_back({h.token_begin, h.token_end});
      }
    } else if (r.action == RuleAction::kAcronym) {
      auto& def = acronym_defs[h.match_id];
      if (h.capture == "long") def.first = &h;
      if (h.capture == "short") def.second = &h;
    } else if (r.action == RuleAction::kMention) {
      if (!h.capture.empty() && h.capture[0] != 'm') continue;
      Candidate c;
      c.tb = h.token_begin;
      c.te = h.token_end;
      c.type = r.type;
      c.role = r.role;
      c.source = r.id;
      c.rank = 2;
      c.resolver = r.resolver;
      if (auto it = role_of_match.find(h.match_id); it != role_of_match.end()) {
        c.role_tb = it->second->token_begin;
        c.role_te = it->second->token_end;
        // A name next to its title ("President Clinton") outranks a
        // gazetteer place of the same span.
        c.rank = 4;
      }
      cands.push_back(std::move(c));
    }
  }

  // 2b. Acronym definitions whose letters are initials of the expansion
  // ("Front de Libération du Macina (FLM)"; not "Linda Wild (U.S.)"): the
  // expansion is a group unless something longer claims it, the acronym a
  // mention of it.
  // Whether a candidate covers a span: the furthest end among candidates
  // starting at or before a token (a Fenwick tree of running maxima, as
  // candidates are added below), so each check is logarithmic.
  std::vector<uint32_t> reach(tokens.size() + 2, 0);
  auto add_reach = [&](uint32_t tb, uint32_t te) {
    for (size_t i = size_t{tb} + 1; i < reach.size(); i += i & (~i + 1)) {
      reach[i] = std::max(reach[i], te);
    }
  };
  auto reach_at = [&](uint32_t tb) {
    uint32_t best = 0;
    for (size_t i = std::min<size_t>(size_t{tb} + 1, reach.size() - 1); i > 0;
         i -= i & (~i + 1)) {
      best = std::max(best, reach[i]);
    }
    return best;
  };
  if (!acronym_defs.empty()) {
    for (const Candidate& c : cands) add_reach(c.tb, c.te);
  }
  for (auto it = acronym_defs.begin(); it != acronym_defs.end();) {
    const RuleHit* lh = it->second.first;
    const RuleHit* sh = it->second.second;
    bool ok = lh != nullptr && sh != nullptr;
    if (ok) {
      std::string letters;
      for (char ch : tokens[sh->token_begin].key) {
        if (ch >= 'a' && ch <= 'z') letters += ch;
      }
      std::vector<uint8_t> used(lh->token_end - lh->token_begin, 0);
      size_t missing = 0;
      for (char ch : letters) {
        bool found = false;
        for (uint32_t t = lh->token_begin; t < lh->token_end && !found; ++t) {
          const std::string_view k = tokens[t].key;
          if (!used[t - lh->token_begin] && !k.empty() && k[0] == ch) {
            used[t - lh->token_begin] = 1;
            found = true;
          }
        }
        missing += !found;
      }
      ok = letters.size() >= 2 &&
           missing <= (letters.size() >= 4 ? 1u : 0u);
    }
    if (!ok) {
      it = acronym_defs.erase(it);
      continue;
    }
    const std::string& rule_id = rules.rules()[lh->rule].id;
    const bool known = reach_at(lh->token_begin) >= lh->token_end;
    if (!known) {
      Candidate c;
      c.tb = lh->token_begin;
      c.te = lh->token_end;
      c.type = EntityType::kGroup;
      c.source = rule_id;
      c.rank = 2;
      add_reach(c.tb, c.te);
      cands.push_back(c);
    }
    Candidate c;
    c.tb = sh->token_begin;
    c.te = sh->token_end;
    c.type = EntityType::kGroup;
    c.role = MentionRole::kAcronym;
    c.source = rule_id;
    c.rank = 4;  // the text's own definition beats a gazetteer reading
    add_reach(c.tb, c.te);
    cands.push_back(c);
    ++it;
  }

  // The same name found by the gazetteer and by a rule is one candidate:
  // the gazetteer's (it carries the canonical record), with the rule's role
  // and rank ("Rama Yade, senior director of ..."). Done before sorting, so
  // that the order below stays a plain strict ordering.
  {
    // Candidates by span, in index order, so that each one meets only the
    // candidates on its own span (linear, not quadratic, in long texts).
    const SpanGroups by_span(cands);
    std::vector<uint8_t> drop(cands.size(), 0);
    for (size_t i = 0; i < cands.size(); ++i) {
      Candidate& c = cands[i];
      if (c.entries.empty()) continue;
      for (const uint32_t j : by_span.Of(i)) {
        Candidate& o = cands[j];
        if (j == i || drop[j] || !o.entries.empty() || o.tb != c.tb ||
            o.te != c.te || o.type != c.type ||
            o.role == MentionRole::kDescriptor) {
          continue;
        }
        if (o.role_te > o.role_tb && c.role_te <= c.role_tb) {
          c.role_tb = o.role_tb;
          c.role_te = o.role_te;
          c.source = o.source;
        }
        c.rank = std::max(c.rank, o.rank);
        drop[j] = 1;
      }
    }
    size_t w = 0;
    for (size_t i = 0; i < cands.size(); ++i) {
      if (drop[i]) continue;
      if (w != i) cands[w] = std::move(cands[i]);
      ++w;
    }
    cands.resize(w);
  }
  // 3. Choose non-overlapping names, longest first; descriptors apart.
  // A candidate is vetoed when it lies inside a veto's span: the furthest
  // end of the vetoes that start at or before each token says so at once.
  std::vector<uint32_t> veto_reach(tokens.size() + 1, 0);
  for (const auto& [b, e] : vetoes) {
    if (b < veto_reach.size()) veto_reach[b] = std::max<uint32_t>(veto_reach[b], e);
  }
  for (size_t t = 1; t < veto_reach.size(); ++t) {
    veto_reach[t] = std::max(veto_reach[t], veto_reach[t - 1]);
  }
  auto vetoed = [&](const Candidate& c) {
    return !vetoes.empty() && c.tb < veto_reach.size() &&
           veto_reach[c.tb] >= c.te;
  };
  // Longest first (in words), then by rank, then by position; ties keep
  // the candidates' order. The keys are computed once rather than in each
  // comparison (WordCount walks the span), and the index as the last key
  // makes std::sort give what std::stable_sort would, without its buffer.
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
  // A role found by any rule belongs to the name whichever candidate for
  // that span wins.
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
  std::vector<uint8_t> taken_name(tokens.size(), 0);
  std::vector<uint8_t> taken_desc(tokens.size(), 0);
  std::vector<Candidate> names, descriptors;
  for (size_t i : order) {
    Candidate& c = cands[i];
    if (vetoed(c)) continue;
    const bool desc = c.role == MentionRole::kDescriptor;
    std::vector<uint8_t>& taken = desc ? taken_desc : taken_name;
    bool free = true;
    for (uint32_t t = c.tb; t < c.te && free; ++t) free = !taken[t];
    if (!free) continue;
    for (uint32_t t = c.tb; t < c.te; ++t) taken[t] = 1;
    (desc ? descriptors : names).push_back(std::move(c));  // cands: done
  }
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
  names.erase(std::remove_if(names.begin(), names.end(),
                             [&](const Candidate& c) {
                               if (c.role != MentionRole::kDemonym) return false;
                               for (uint32_t t = c.tb; t < c.te; ++t) {
                                 if (taken_desc[t]) return true;
                               }
                               return false;
                             }),
              names.end());

  // 4. The main country, then homonyms.
  auto main_country_of = [&](bool chosen) {
    std::map<std::string, std::pair<int, uint32_t>> votes;  // iso -> (n, first)
    for (const Candidate& c : names) {
      if (c.type != EntityType::kPlace || c.entries.empty()) continue;
      std::string_view iso;
      if (chosen) {
        if (c.entry < 0) continue;
        iso = CountryOf(g, g.entry(c.entry));
      } else {
        // Before homonyms are chosen, only names whose readings agree vote.
        iso = CountryOf(g, g.entry(c.entries[0]));
        for (uint32_t e : c.entries) {
          if (CountryOf(g, g.entry(e)) != iso) iso = {};
        }
      }
      if (iso.empty()) continue;
      auto& v = votes[std::string(iso)];
      if (v.first == 0) v.second = c.tb;
      v.first += 1;
    }
    std::string best;
    std::pair<int, uint32_t> best_v{0, 0};
    for (const auto& [iso, v] : votes) {
      if (v.first > best_v.first ||
          (v.first == best_v.first && v.second < best_v.second)) {
        best = iso;
        best_v = v;
      }
    }
    return best;
  };
  std::string main_country = main_country_of(false);
  for (Candidate& c : names) {
    if (c.entries.empty()) continue;
    c.entry = c.entries[0];
    if (c.type != EntityType::kPlace) continue;
    const bool region_word =
        c.te < tokens.size() &&
        (tokens[c.te].key == "region" || tokens[c.te].key == "province" ||
         tokens[c.te].key == "state" || tokens[c.te].key == "district" ||
         tokens[c.te].key == "governorate" || tokens[c.te].key == "county" ||
         tokens[c.te].key == "prefecture" || tokens[c.te].key == "department" ||
         tokens[c.te].key == "cercle" || tokens[c.te].key == "circle");
    // "Dounde (Koro, Mopti)": the names in parentheses are its district
    // and region; they choose among homonyms.
    std::vector<std::string> qualifiers;
    if (c.te + 1 < tokens.size() && tokens[c.te].key == "(") {
      std::string cur;
      for (uint32_t t = c.te + 1; t < tokens.size() && t < c.te + 12; ++t) {
        const std::string_view k = tokens[t].key;
        if (k == ")" || k == ",") {
          if (!cur.empty()) qualifiers.push_back(cur);
          cur.clear();
          if (k == ")") break;
          continue;
        }
        if (tokens[t].has(kJoiner)) continue;
        if (!cur.empty()) cur += ' ';
        cur += k;
      }
    }
    auto qualified = [&](const Entry& e) {
      int n = 0;
      if (qualifiers.empty()) return n;  // the usual case: skip the keys
      for (const char* col : {"admin1", "admin2"}) {
        const std::string a = MatchKey(g.Attr(e, col));
        for (const std::string& q : qualifiers) {
          if (!a.empty() && (a == q || a.find(q) != std::string::npos)) ++n;
        }
      }
      return n;
    };
    double best = -1;
    for (uint32_t e : c.entries) {
      double s = PlaceScore(g, g.entry(e), main_country, region_word) +
                 1e11 * qualified(g.entry(e));
      if (s > best) {
        best = s;
        c.entry = static_cast<int32_t>(e);
      }
    }
  }
  if (std::string m = main_country_of(true); !m.empty()) main_country = m;
  if (main_country.empty()) {
    // Only unresolved village names: the country most of their readings
    // share still says where the text is.
    std::map<std::string, int> votes;
    for (const GazetteerMatch& m : matches) {
      const Entry& e = g.entry(m.entry);
      if (e.type == EntryType::kPlace) ++votes[std::string(CountryOf(g, e))];
    }
    int best = 0;
    for (const auto& [iso, n] : votes) {
      if (!iso.empty() && n > best) {
        best = n;
        main_country = iso;
      }
    }
  }

  // 4b. Sports reports: a city or county named in a result or a table row
  // is a team ("Surrey beat Kent", "CHICAGO 67 60 .528"). Countries stay
  // places.
  {
    for (Candidate& c : names) {
      if (!sports || c.type != EntityType::kPlace ||
          c.role != MentionRole::kName || !sporty[sentence_of[c.tb]]) {
        continue;
      }
      // "at Hove", "in London": the venue, not a team.
      uint32_t b = c.tb;
      while (b > 0 && tokens[b - 1].key == "the") --b;
      if (b > 0 && (features[b - 1] & kFeatLocative)) continue;
      if (c.entry >= 0) {
        const Entry& e = g.entry(c.entry);
        std::string_view f = g.Attr(e, "feature");
        if (!g.Attr(e, "iso2").empty() || f == "continent" || f == "region" ||
            f == "historical") {
          continue;
        }
      }
      c.type = EntityType::kGroup;
      c.entry = -1;
      c.entries.clear();
      c.source = "sports.team";
      c.rank = 2;
    }
  }

  // 5. Descriptors: the group a description stands for.
  // Matches by first token, to visit only those inside a descriptor (in
  // their original order) rather than all of them for each descriptor.
  std::vector<uint32_t> match_by_begin(matches.size());
  for (size_t i = 0; i < matches.size(); ++i) {
    match_by_begin[i] = static_cast<uint32_t>(i);
  }
  // Ties keep the matches' order: the index breaks them, which makes
  // std::sort give what std::stable_sort would, without its buffer.
  // Gazetteer::Match emits matches by first token, so this is usually the
  // order they already have (sorting it anyway cost 1% of the run).
  const auto by_begin = [&](uint32_t a, uint32_t b) {
    const uint32_t x = matches[a].token_begin;
    const uint32_t y = matches[b].token_begin;
    return x != y ? x < y : a < b;
  };
  if (!std::is_sorted(match_by_begin.begin(), match_by_begin.end(),
                      by_begin)) {
    std::sort(match_by_begin.begin(), match_by_begin.end(), by_begin);
  }
  std::vector<uint32_t> inside;
  for (Candidate& c : descriptors) {
    std::string iso;
    int32_t inner_group = -1;
    inside.clear();
    for (auto it = std::lower_bound(match_by_begin.begin(),
                                    match_by_begin.end(), c.tb,
                                    [&](uint32_t k, uint32_t tb) {
                                      return matches[k].token_begin < tb;
                                    });
         it != match_by_begin.end() && matches[*it].token_begin < c.te; ++it) {
      inside.push_back(*it);
    }
    std::sort(inside.begin(), inside.end());
    for (const uint32_t k : inside) {
      const GazetteerMatch& m = matches[k];
      if (m.token_begin < c.tb || m.token_end > c.te) continue;
      const Entry& e = g.entry(m.entry);
      if (e.type == EntryType::kPlace && iso.empty()) {
        iso = std::string(CountryOf(g, e));
      } else if (e.type == EntryType::kGroup && inner_group < 0) {
        inner_group = static_cast<int32_t>(m.entry);
      }
    }
    if (c.resolver.rfind("acled:", 0) == 0) {
      // ACLED's generic actors are per country: "Civilians (Mali)".
      std::string country = main_country;
      for (char& ch : country) ch = static_cast<char>(std::tolower(ch));
      c.entry = g.Find("group:acled_" + c.resolver.substr(6) + "_" +
                       (country.empty() ? "intl" : country));
      if (c.entry < 0) {
        c.entry = g.Find("group:acled_" + c.resolver.substr(6) + "_intl");
      }
      continue;
    }
    std::string_view kind = c.resolver == "government" ? "government"
                            : c.resolver == "police"   ? "police"
                                                       : "military";
    if (!iso.empty()) {
      c.entry = g.FindGroup(kind, iso);
    } else if (inner_group >= 0) {
      c.entry = g.FindMission(inner_group, main_country);
      if (c.entry < 0) c.entry = inner_group;
    } else if (!main_country.empty()) {
      c.entry = g.FindGroup(kind, main_country);
    }
  }

  // 6. Mentions.
  EntityAssembly out;
  out.main_country = main_country;
  std::vector<RoleText> role_of;  // parallel to out.mentions; empty span: none
  auto add_mention = [&](Candidate c) {
    // "the Gulf", "The Wall Street Journal": the article is not the name.
    while (c.te - c.tb > 1 && c.role != MentionRole::kDescriptor &&
           (tokens[c.tb].key == "the" || tokens[c.tb].key == "l'" ||
            tokens[c.tb].key == "la" || tokens[c.tb].key == "le")) {
      ++c.tb;
    }
    RoleText role;
    if (c.role_te > c.role_tb) {
      role.span = Span{tokens[c.role_tb].span.begin,
                       tokens[c.role_te - 1].span.end};
      role.source = c.source;  // the rule that found the role
    }
    role_of.push_back(std::move(role));
    Mention m;
    m.token_begin = c.tb;
    m.token_end = c.te;
    m.span = Span{tokens[c.tb].span.begin, tokens[c.te - 1].span.end};
    m.sentence = sentence_of[c.tb];
    m.type = c.type;
    m.role = c.role;
    m.entry = c.entry;
    m.source = c.entry >= 0 && c.rank != 2 ? g.Source(g.entry(c.entry))
                                           : c.source;
    out.mentions.push_back(std::move(m));
  };
  for (Candidate& c : names) add_mention(std::move(c));
  for (Candidate& c : descriptors) add_mention(std::move(c));

  // 7. Acronyms defined in parentheses: "the Macina Liberation Front (FLM)".
  std::vector<uint8_t> covered(tokens.size(), 0);
  for (const Mention& m : out.mentions) {
    if (m.role == MentionRole::kDescriptor) continue;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) covered[t] = 1;
  }
  // link[i]: a key that puts mention i in one entity with others (an
  // acronym and its expansion); "" when the usual keys decide.
  std::vector<std::string> link(out.mentions.size());
  std::unordered_map<std::string, std::pair<size_t, std::string>> acronyms;
  // Mentions by span, in index order.
  std::unordered_map<uint64_t, std::vector<uint32_t>> mentions_at;
  if (!acronym_defs.empty()) {
    for (size_t i = 0; i < out.mentions.size(); ++i) {
      const Mention& m = out.mentions[i];
      mentions_at[(uint64_t{m.token_begin} << 32) | m.token_end].push_back(
          static_cast<uint32_t>(i));
    }
  }
  auto at = [&](uint32_t tb, uint32_t te) -> const std::vector<uint32_t>& {
    static const std::vector<uint32_t> kNone;
    const auto it = mentions_at.find((uint64_t{tb} << 32) | te);
    return it == mentions_at.end() ? kNone : it->second;
  };
  for (const auto& [id, def] : acronym_defs) {
    if (def.first == nullptr || def.second == nullptr) continue;
    const std::string short_key =
        KeyOf(tokens, def.second->token_begin, def.second->token_end);
    for (const uint32_t i : at(def.first->token_begin, def.first->token_end)) {
      acronyms[short_key] = {i, rules.rules()[def.first->rule].id};
      link[i] = "acronym:" + short_key;
    }
    if (acronyms.count(short_key)) {
      for (const uint32_t i :
           at(def.second->token_begin, def.second->token_end)) {
        link[i] = "acronym:" + short_key;
      }
    }
  }
  // An acronym defined in the article means what the article says, even
  // where a gazetteer knows another expansion ("FLN").
  for (size_t i = 0; i < out.mentions.size() && !acronyms.empty(); ++i) {
    Mention& m = out.mentions[i];
    if (m.token_end - m.token_begin != 1 || !tokens[m.token_begin].has(kAllCaps)) {
      continue;
    }
    auto it = acronyms.find(tokens[m.token_begin].key);
    if (it == acronyms.end() || it->second.first == i) continue;
    const Mention& full = out.mentions[it->second.first];
    if (m.entry == full.entry && m.type == full.type) continue;
    m.entry = full.entry;
    m.type = full.type;
    m.role = MentionRole::kAcronym;
    m.source = it->second.second;
    link[i] = "acronym:" + it->first;
  }
  for (uint32_t t = 0; t < tokens.size() && !acronyms.empty(); ++t) {
    if (covered[t] || !tokens[t].has(kAllCaps)) continue;
    auto it = acronyms.find(tokens[t].key);
    if (it == acronyms.end()) continue;
    Mention m;
    const Mention& full = out.mentions[it->second.first];
    m.token_begin = t;
    m.token_end = t + 1;
    m.span = tokens[t].span;
    m.sentence = sentence_of[t];
    m.type = full.type;
    m.role = MentionRole::kAcronym;
    m.entry = full.entry;
    m.source = it->second.second;
    covered[t] = 1;
    out.mentions.push_back(std::move(m));
    link.push_back("acronym:" + it->first);
    role_of.emplace_back();
  }

  // 8. Short names: "Cissé" after "Mariam Cissé". A capitalized word equal
  // to the last word of a multi-word person name is that person.
  std::unordered_map<std::string, size_t> surnames;
  for (size_t i = 0; i < out.mentions.size(); ++i) {
    const Mention& m = out.mentions[i];
    if (m.type != EntityType::kPerson || m.role != MentionRole::kName) continue;
    if (WordCount(tokens, m.token_begin, m.token_end) < 2) continue;
    surnames.emplace(tokens[m.token_end - 1].key, i);
  }
  for (uint32_t t = 0; t < tokens.size() && !surnames.empty(); ++t) {
    if (covered[t] || !tokens[t].has(kCapitalized)) continue;
    if (features[t] & kFeatFunctionWord) continue;
    auto it = surnames.find(tokens[t].key);
    if (it == surnames.end()) continue;
    Mention m;
    const Mention& full = out.mentions[it->second];
    m.token_begin = t;
    m.token_end = t + 1;
    m.span = tokens[t].span;
    m.sentence = sentence_of[t];
    m.type = EntityType::kPerson;
    m.role = MentionRole::kShortName;
    m.entry = full.entry;
    m.source = "coref.short_name";
    covered[t] = 1;
    out.mentions.push_back(std::move(m));
    link.emplace_back();
    role_of.emplace_back();
  }

  {
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
      sorted_link.push_back(std::move(link[i]));
      sorted_role.push_back(std::move(role_of[i]));
    }
    out.mentions = std::move(sorted);
    link = std::move(sorted_link);
    role_of = std::move(sorted_role);
  }

  // 9. Entities: by canonical entry; else by type and key; short names join
  // the person whose surname they are.
  std::unordered_map<std::string, uint32_t> entity_by_key;
  auto text_of = [&](const Mention& m) {
    return std::string(text.text.substr(m.span.begin, m.span.size()));
  };
  std::unordered_map<std::string, uint32_t> person_by_surname;
  // Short names last, so that "Greenspan" in a headline finds "Alan
  // Greenspan" further down.
  std::vector<size_t> entity_order;
  for (size_t pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < out.mentions.size(); ++i) {
      if ((out.mentions[i].role == MentionRole::kShortName) == (pass == 1)) {
        entity_order.push_back(i);
      }
    }
  }
  for (size_t i : entity_order) {
    Mention& m = out.mentions[i];
    std::string key;
    if (m.entry >= 0) {
      key = "entry:" + std::to_string(m.entry);
    } else if (!link[i].empty()) {
      key = link[i];
    } else if (m.role == MentionRole::kShortName ||
               (m.type == EntityType::kPerson &&
                WordCount(tokens, m.token_begin, m.token_end) == 1)) {
      auto it = person_by_surname.find(tokens[m.token_end - 1].key);
      key = it != person_by_surname.end()
                ? "entity:" + std::to_string(it->second)
                : std::string(ToString(m.type)) + ":" +
                      KeyOf(tokens, m.token_begin, m.token_end);
    } else {
      key = std::string(ToString(m.type)) + ":" +
            KeyOf(tokens, m.token_begin, m.token_end);
    }
    uint32_t index;
    auto it = entity_by_key.find(key);
    if (key.rfind("entity:", 0) == 0) {
      index = static_cast<uint32_t>(std::stoul(key.substr(7)));
    } else if (it != entity_by_key.end()) {
      index = it->second;
    } else {
      index = static_cast<uint32_t>(out.entities.size());
      entity_by_key.emplace(key, index);
      Entity e;
      e.type = m.type;
      if (m.entry >= 0) {
        e.name = std::string(g.entry(m.entry).name);
        e.canonical = MakeCanonical(g, static_cast<uint32_t>(m.entry));
      }
      out.entities.push_back(std::move(e));
    }
    Entity& e = out.entities[index];
    e.mentions.push_back(static_cast<uint32_t>(i));
    if (!role_of[i].span.empty() &&
        std::find(e.roles.begin(), e.roles.end(), role_of[i]) == e.roles.end()) {
      e.roles.push_back(role_of[i]);
    }
    m.entity = static_cast<int32_t>(index);
    if (m.entry < 0 &&
        (m.role != MentionRole::kShortName || e.name.empty())) {
      std::string t = text_of(m);
      if (t.size() > e.name.size()) e.name = t;
    }
    if (m.type == EntityType::kPerson &&
        WordCount(tokens, m.token_begin, m.token_end) >= 2) {
      person_by_surname.emplace(tokens[m.token_end - 1].key, index);
    }
  }
  // Entities in order of first mention; mention lists ascending.
  {
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
  }
  for (size_t i = 0; i < out.entities.size(); ++i) {
    out.entities[i].id = "e" + std::to_string(i + 1);
  }
  return out;
}

}  // namespace extract
