// Homonym choice: which entry each name stands for.
//
// ChooseHomonyms
//   reads:  names, main_country (GuessMainCountry), tokens (the word after a
//           place, names in parentheses after it), the entries' "feature",
//           "iso2", "country", "population", "admin1", "admin2".
//   changes: entry of every name with readings: the first reading, or for a
//           place the highest-scoring one (first wins ties).
//   why:    countries first, then regions, first-order divisions,
//           capitals...; a small place in the main country beats a small
//           place abroad; a place followed by a region word is the
//           division; "Dounde (Koro, Mopti)": the names in parentheses are
//           its district and region and choose among homonyms.
#include <string>

#include "entities/passes.h"
#include "normalizer.h"

namespace extract {
namespace {

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

// Whether the word after a place ending before token te names a division.
bool RegionWordAt(const std::vector<Token>& tokens, uint32_t te) {
  return te < tokens.size() &&
         (tokens[te].key == "region" || tokens[te].key == "province" ||
          tokens[te].key == "state" || tokens[te].key == "district" ||
          tokens[te].key == "governorate" || tokens[te].key == "county" ||
          tokens[te].key == "prefecture" || tokens[te].key == "department" ||
          tokens[te].key == "cercle" || tokens[te].key == "circle");
}

// "Dounde (Koro, Mopti)": the keys of the comma-separated names in
// parentheses right after token te - 1 (within 11 tokens), or none.
std::vector<std::string> QualifiersAt(const std::vector<Token>& tokens,
                                      uint32_t te) {
  std::vector<std::string> qualifiers;
  if (te + 1 < tokens.size() && tokens[te].key == "(") {
    std::string cur;
    for (uint32_t t = te + 1; t < tokens.size() && t < te + 12; ++t) {
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
  return qualifiers;
}

// How many of the qualifiers the entry's admin1 and admin2 contain.
int Qualified(const Gazetteer& g, const Entry& e,
              const std::vector<std::string>& qualifiers) {
  int n = 0;
  if (qualifiers.empty()) return n;  // the usual case: skip the keys
  for (const char* col : {"admin1", "admin2"}) {
    const std::string a = MatchKey(g.Attr(e, col));
    for (const std::string& q : qualifiers) {
      if (!a.empty() && (a == q || a.find(q) != std::string::npos)) ++n;
    }
  }
  return n;
}

}  // namespace

void ChooseHomonyms(EntityState& s) {
  const Gazetteer& g = s.g;
  const std::vector<Token>& tokens = s.tokens;
  for (Candidate& c : s.names) {
    if (c.entries.empty()) continue;
    c.entry = c.entries[0];
    if (c.type != EntityType::kPlace) continue;
    const bool region_word = RegionWordAt(tokens, c.te);
    const std::vector<std::string> qualifiers = QualifiersAt(tokens, c.te);
    double best = -1;
    for (uint32_t e : c.entries) {
      double score = PlaceScore(g, g.entry(e), s.main_country, region_word) +
                     1e11 * Qualified(g, g.entry(e), qualifiers);
      if (score > best) {
        best = score;
        c.entry = static_cast<int32_t>(e);
      }
    }
  }
}

}  // namespace extract
