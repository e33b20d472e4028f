// Sports reports: where a city or county name is usually a team.
//
// FindSportsSentences
//   reads:  tokens, features (dates, sports cues), matches (place readings
//           per sentence), sentence_of.
//   writes: sporty (per sentence: a result, a score or a table line) and
//           sports (scores like "6-3", not dates, or sports words, at least
//           twice in the text).
//   why:    in such sentences a city or county name is usually a team. A
//           dateline ("BONN 1996-08-30") is not a result.
// RetypeSportsTeams
//   reads:  sports, sporty, sentence_of, tokens, features, names (with their
//           chosen entry, after ChooseHomonyms).
//   changes: a place name in a sporty sentence of a sports report becomes a
//           group with no entry, source "sports.team", rank 2.
//   why:    "Surrey beat Kent", "CHICAGO 67 60 .528": a city or county named
//           in a result or a table row is a team. Countries, continents and
//           regions stay places, and so does a venue ("at Hove").
#include "entities/passes.h"

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

}  // namespace

void FindSportsSentences(EntityState& state) {
  const Segmentation& seg = state.seg;
  const std::vector<Token>& tokens = state.tokens;
  const std::vector<uint64_t>& features = state.features;
  const Gazetteer& g = state.g;
  state.sporty.assign(seg.sentences.size(), 0);
  auto is_small_number = [&](uint32_t t) {
    return tokens[t].kind == TokenKind::kNumber && tokens[t].key.size() <= 3 &&
           !(features[t] & kFeatDate);
  };
  int scores = 0, cues = 0;
  // Place readings per sentence (matches never cross a sentence).
  std::vector<int> places_in(seg.sentences.size(), 0);
  for (const GazetteerMatch& m : state.matches) {
    if (g.entry(m.entry).type == EntryType::kPlace) {
      ++places_in[state.sentence_of[m.token_begin]];
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
    state.sporty[si] =
        !dateline && (score || cue || numbers >= 2 || table_line);
  }
  state.sports = scores >= 2 || cues >= 2;
}

void RetypeSportsTeams(EntityState& s) {
  const std::vector<Token>& tokens = s.tokens;
  const Gazetteer& g = s.g;
  for (Candidate& c : s.names) {
    if (!s.sports || c.type != EntityType::kPlace ||
        c.role != MentionRole::kName || !s.sporty[s.sentence_of[c.tb]]) {
      continue;
    }
    // "at Hove", "in London": the venue, not a team.
    uint32_t b = c.tb;
    while (b > 0 && tokens[b - 1].key == "the") --b;
    if (b > 0 && (s.features[b - 1] & kFeatLocative)) continue;
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

}  // namespace extract
