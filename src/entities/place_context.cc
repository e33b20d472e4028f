// Small places need context.
//
// RequirePlaceContext
//   reads:  cands (in order), tokens, features, sports, sporty, sentence_of,
//           named_country, the entries' "feature", "population", "iso2".
//   removes: place candidates that need context (small places, or names
//           that are also words) and have none.
//   why:    a village name is often also a word or a name ("Since", "As",
//           "Rama", "Cissé"); it counts as a place only where a reader
//           would take it as one: after "in"/"near"/"the town of", before
//           "(Niono, Segou)" or "village", inside such parentheses, in a
//           list with such a place, as the object of an armed act
//           ("attacked Titao"), or once the article has used the name so. A county or
//           district named in a sports result is kept: RetypeSportsTeams
//           makes it a team.
#include <algorithm>
#include <unordered_map>

#include "entities/passes.h"

namespace extract {
namespace {

// Words that make even a big place's name doubtful ("Police", "Split",
// "Reading"). A first name does not: "Paris Hilton" is found whole by
// the person rules, and "London" stays London.
constexpr uint64_t kWordish = kFeatFunctionWord | kFeatTrigger | kFeatTitle |
                              kFeatHonorific | kFeatOrgSuffix |
                              kFeatPlaceSuffix | kFeatGovernmentNoun |
                              kFeatMilitaryNoun | kFeatDirection | kFeatMonth;

// True when the sentence of token t has a word in lower case (three
// letters or more, so not "km" or "of" in a line of capitals).
// Computed once per sentence (a text in capitals may hold many such
// names).
bool InRunningText(const EntityState& s, uint32_t t) {
  const uint32_t sentence = s.sentence_of[t];
  if (s.running_text.size() <= sentence) {
    s.running_text.resize(sentence + 1, -1);
  }
  int8_t& known = s.running_text[sentence];
  if (known >= 0) return known == 1;
  uint32_t b = t, e = t;
  while (b > 0 && s.sentence_of[b - 1] == sentence) --b;
  while (e + 1 < s.tokens.size() && s.sentence_of[e + 1] == sentence) ++e;
  known = 0;
  for (uint32_t k = b; k <= e && known == 0; ++k) {
    const Token& tok = s.tokens[k];
    if (tok.kind == TokenKind::kWord && tok.key.size() >= 3 &&
        !tok.has(kCapitalized)) {
      known = 1;
    }
  }
  return known == 1;
}

bool NeedsContext(const EntityState& s, const Candidate& c) {
  const Gazetteer& g = s.g;
  if (c.type != EntityType::kPlace || c.role == MentionRole::kDemonym) {
    return false;
  }
  bool common = false;
  for (uint32_t t = c.tb; t < c.te; ++t) {
    if (!s.tokens[t].has(kJoiner) && (s.features[t] & kWordish)) common = true;
  }
  // "NEMA" (an agency) is not Néma: an acronym-like capitals spelling of a
  // place written otherwise needs context, whatever the place's size.
  // Only in running text: "LONDON 1996-08-30" and headlines in capitals
  // are not acronyms.
  if (c.te == c.tb + 1 && s.tokens[c.tb].has(kAllCaps) &&
      s.tokens[c.tb].key.size() <= 5 && InRunningText(s, c.tb)) {
    for (uint32_t e : c.entries) {
      const std::string_view name = g.entry(e).name;
      bool caps = !name.empty();
      for (char ch : name) caps &= !(ch >= 'a' && ch <= 'z');
      if (!caps && g.Attr(g.entry(e), "iso2").empty()) return true;
    }
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
}

// The word before t, skipping "the".
int64_t PrevWord(const std::vector<Token>& tokens, uint32_t t) {
  int64_t i = static_cast<int64_t>(t) - 1;
  while (i >= 0 && (tokens[i].key == "the" || tokens[i].key == "la" ||
                    tokens[i].key == "le" || tokens[i].key == "l'")) {
    --i;
  }
  return i;
}

// Whether the words around c say it is a place. place_end[t]: an accepted
// place ends just before token t.
bool HasPlaceContext(const EntityState& s, const Candidate& c,
                     const std::vector<uint8_t>& place_end) {
  const std::vector<Token>& tokens = s.tokens;
  const std::vector<uint64_t>& features = s.features;
  bool ok = false;
  const int64_t p = PrevWord(tokens, c.tb);
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
  // "Kaga village", "Titao town": a settlement word after the name.
  if (c.te < tokens.size() && (features[c.te] & kFeatPlaceNoun) &&
      !tokens[c.te].has(kCapitalized)) {
    ok = true;
  }
  // "Gunmen attacked Titao on Sunday": the place an armed act reached (not
  // a word: "seized Police boats").
  bool wordish = false;
  for (uint32_t t = c.tb; t < c.te; ++t) {
    wordish |= (features[t] & (kWordish | kFeatPoliceNoun)) != 0;
  }
  if (p >= 0 && !wordish && !tokens[c.tb].has(kAllCaps) &&
      (tokens[p].key == "attacked" || tokens[p].key == "stormed" ||
       tokens[p].key == "raided" || tokens[p].key == "overran" ||
       tokens[p].key == "invaded" || tokens[p].key == "besieged" ||
       tokens[p].key == "shelled" || tokens[p].key == "bombed" ||
       tokens[p].key == "captured" || tokens[p].key == "overrun" ||
       tokens[p].key == "ambushed" || tokens[p].key == "occupied" ||
       tokens[p].key == "entered" || tokens[p].key == "seized")) {
    ok = true;
  }
  return ok;
}

// Whether a candidate without context is kept all the same.
bool KeptWithoutContext(
    const EntityState& s, const Candidate& c,
    const std::unordered_map<std::string, bool>& accepted_keys) {
  const Gazetteer& g = s.g;
  // Accepted once with context: the same name is that place again,
  // unless it opens a sentence as an ordinary capitalized word.
  if (accepted_keys.count(KeyOf(s.tokens, c.tb, c.te)) &&
      !(s.features[c.tb] & kFeatFunctionWord)) {
    return true;
  }
  // A county or district named in a sports result is a team (below).
  return s.sports && s.sporty[s.sentence_of[c.tb]] &&
         !(s.features[c.tb] & kFeatFunctionWord) &&
         std::any_of(c.entries.begin(), c.entries.end(), [&](uint32_t e) {
           const Entry& en = g.entry(e);
           return g.Attr(en, "feature").starts_with("ADM") &&
                  g.Attr(en, "country") == s.named_country;
         });
}

}  // namespace

void RequirePlaceContext(EntityState& s) {
  std::vector<Candidate>& cands = s.cands;
  std::vector<uint8_t> place_end(s.tokens.size() + 1, 0);  // accepted places
  std::unordered_map<std::string, bool> accepted_keys;
  std::vector<size_t> pending;
  for (size_t ci = 0; ci < cands.size(); ++ci) {
    Candidate& c = cands[ci];
    if (c.type == EntityType::kPlace && c.role != MentionRole::kDemonym &&
        !NeedsContext(s, c)) {
      place_end[c.te] = 1;
      continue;
    }
    if (!NeedsContext(s, c)) continue;
    if (HasPlaceContext(s, c, place_end)) {
      place_end[c.te] = 1;
      accepted_keys[KeyOf(s.tokens, c.tb, c.te)] = true;
    } else {
      pending.push_back(ci);
    }
  }
  std::vector<uint8_t> reject(cands.size(), 0);
  for (size_t ci : pending) {
    if (!KeptWithoutContext(s, cands[ci], accepted_keys)) reject[ci] = 1;
  }
  size_t w = 0;
  for (size_t ci = 0; ci < cands.size(); ++ci) {
    if (reject[ci]) continue;
    if (w != ci) cands[w] = std::move(cands[ci]);
    ++w;
  }
  cands.resize(w);
}

}  // namespace extract
