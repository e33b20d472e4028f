// The article's main country.
//
// GuessMainCountry
//   reads:  names (place names with readings).
//   writes: main_country, the country most place names vote for (ties: the
//           one named first), or "".
//   why:    ChooseHomonyms prefers places in the main country; before
//           homonyms are chosen, only names whose readings agree vote.
// SettleMainCountry
//   reads:  names (after ChooseHomonyms), matches.
//   changes: main_country, to the vote of the chosen readings when there is
//           one; when there is still none, to the country most place
//           readings share (ties: the first in code order).
//   why:    only unresolved village names: the country most of their
//           readings share still says where the text is.
#include <map>

#include "entities/passes.h"

namespace extract {
namespace {

// The country most place names vote for (by their chosen reading when
// `chosen`); ties go to the one named first.
std::string MainCountryOf(const EntityState& s, bool chosen) {
  const Gazetteer& g = s.g;
  std::map<std::string, std::pair<int, uint32_t>> votes;  // iso -> (n, first)
  for (const Candidate& c : s.names) {
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
}

}  // namespace

void GuessMainCountry(EntityState& s) {
  s.main_country = MainCountryOf(s, /*chosen=*/false);
}

void SettleMainCountry(EntityState& s) {
  if (std::string m = MainCountryOf(s, /*chosen=*/true); !m.empty()) {
    s.main_country = m;
  }
  if (!s.main_country.empty()) return;
  // Only unresolved village names: the country most of their readings
  // share still says where the text is.
  std::map<std::string, int> votes;
  for (const GazetteerMatch& m : s.matches) {
    const Entry& e = s.g.entry(m.entry);
    if (e.type == EntryType::kPlace) ++votes[std::string(CountryOf(s.g, e))];
  }
  int best = 0;
  for (const auto& [iso, n] : votes) {
    if (!iso.empty() && n > best) {
      best = n;
      s.main_country = iso;
    }
  }
}

}  // namespace extract
