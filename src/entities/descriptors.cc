// Descriptor resolution: the group a description stands for.
//
// ResolveDescriptors
//   reads:  descriptors (with the rule's resolver), matches inside each
//           descriptor, main_country (SettleMainCountry).
//   changes: entry of each descriptor: for an "acled:" resolver the ACLED
//           generic actor of the main country (else the international
//           one); otherwise the government, police or military of the
//           country a place or demonym inside names ("the Malian army"),
//           else the mission of a group inside it in the main country (else
//           that group), else that of the main country ("the junta").
#include <algorithm>
#include <cctype>

#include "entities/passes.h"

namespace extract {
namespace {

// Indices of `matches` by first token; ties keep the matches' order.
std::vector<uint32_t> MatchesByBegin(
    const std::vector<GazetteerMatch>& matches) {
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
  return match_by_begin;
}

// The entry an "acled:" resolver names: ACLED's generic actors are per
// country ("Civilians (Mali)").
int32_t AcledActor(const Gazetteer& g, const std::string& resolver,
                   const std::string& main_country) {
  std::string country = main_country;
  for (char& ch : country) ch = static_cast<char>(std::tolower(ch));
  int32_t entry = g.Find("group:acled_" + resolver.substr(6) + "_" +
                         (country.empty() ? "intl" : country));
  if (entry < 0) entry = g.Find("group:acled_" + resolver.substr(6) + "_intl");
  return entry;
}

}  // namespace

void ResolveDescriptors(EntityState& s) {
  const Gazetteer& g = s.g;
  const std::vector<GazetteerMatch>& matches = s.matches;
  // Matches by first token, to visit only those inside a descriptor (in
  // their original order) rather than all of them for each descriptor.
  const std::vector<uint32_t> match_by_begin = MatchesByBegin(matches);
  std::vector<uint32_t> inside;
  for (Candidate& c : s.descriptors) {
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
      c.entry = AcledActor(g, c.resolver, s.main_country);
      continue;
    }
    std::string_view kind = c.resolver == "government" ? "government"
                            : c.resolver == "police"   ? "police"
                                                       : "military";
    if (!iso.empty()) {
      c.entry = g.FindGroup(kind, iso);
    } else if (inner_group >= 0) {
      c.entry = g.FindMission(inner_group, s.main_country);
      if (c.entry < 0) c.entry = inner_group;
    } else if (!s.main_country.empty()) {
      c.entry = g.FindGroup(kind, s.main_country);
    }
  }
}

}  // namespace extract
