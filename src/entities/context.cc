// Document context, settled before any candidate exists.
//
// MapTokensToSentences
//   reads:  seg.sentences.
//   writes: sentence_of (the sentence of each token), which later passes use
//           to ask about a token's sentence and mentions record.
// VoteNamedCountry
//   reads:  matches (every reading, unresolved) and the gazetteer's "iso2"
//           column.
//   writes: named_country, the ISO2 code named most often (ties: the first
//           in code order), or "". RequirePlaceContext uses it to keep a
//           county of that country named in a sports result (a team).
//   why:    the article's country by its country names, before anything
//           else is resolved (the main country is settled by
//           GuessMainCountry and SettleMainCountry).
#include <algorithm>
#include <limits>
#include <map>

#include "entities/passes.h"

namespace extract {

void MapTokensToSentences(EntityState& s) {
  const Segmentation& seg = s.seg;
  s.sentence_of.assign(s.tokens.size(), 0);
  for (uint32_t si = 0; si < seg.sentences.size(); ++si) {
    for (uint32_t i = seg.sentences[si].token_begin;
         i < seg.sentences[si].token_end; ++i) {
      s.sentence_of[i] = si;
    }
  }
}

void VoteNamedCountry(EntityState& s) {
  const Gazetteer& g = s.g;
  std::map<std::string, int> votes;
  // The "iso2" column's index in each file (npos: none), found once per
  // file, not once per match: most matches are common words, whose file
  // has no such column.
  constexpr size_t kUnknown = std::numeric_limits<size_t>::max() - 1;
  std::vector<size_t> iso2_column(g.files().size(), kUnknown);
  for (const GazetteerMatch& m : s.matches) {
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
    if (n > best) best = n, s.named_country = iso;
  }
}

}  // namespace extract
