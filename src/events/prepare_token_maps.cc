// Pass PrepareTokenMaps. Reads the entity mentions, the tokens, the
// gazetteer's number and currency words and the date expressions. Adds the
// per-token maps every later pass looks up: the top-level mention at each
// token, numeric values, currency codes, parenthetical tokens, and the
// date expressions of each sentence.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "events/passes.h"

namespace extract {
namespace {

void MapMentions(EventDoc* d) {
  const size_t n = d->seg.tokens.size();
  d->mention_at.assign(n, -1);
  // Outer mentions first, so a name nested in a descriptor is hidden.
  std::vector<size_t> order(d->ents.mentions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The index breaks ties, as std::stable_sort would, without its buffer.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Mention& x = d->ents.mentions[a];
    const Mention& y = d->ents.mentions[b];
    const uint32_t nx = x.token_end - x.token_begin;
    const uint32_t ny = y.token_end - y.token_begin;
    return nx != ny ? nx > ny : a < b;
  });
  for (size_t i : order) {
    const Mention& m = d->ents.mentions[i];
    bool free = true;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      free &= d->mention_at[t] < 0;
    }
    if (!free) continue;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      d->mention_at[t] = static_cast<int32_t>(i);
    }
  }
}

void MapNumbers(EventDoc* d, const std::vector<GazetteerMatch>& matches) {
  const auto& tokens = d->seg.tokens;
  const size_t n = tokens.size();
  d->number.assign(n, std::nan(""));
  d->currency.assign(n, std::string_view());
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kNumber) continue;
    std::string digits;
    for (char c : t.key) {
      if (c != ',') digits += c;
    }
    double v;
    auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc()) d->number[i] = v;
  }
  for (const GazetteerMatch& m : matches) {
    const Entry& e = d->g.entry(m.entry);
    if (e.type != EntryType::kWord || m.token_end - m.token_begin != 1) continue;
    if (e.word_features & (kFeatNumberWord | kFeatScale)) {
      if (e.number > 0) d->number[m.token_begin] = e.number;
    } else if (e.word_features & kFeatCurrency) {
      d->currency[m.token_begin] = d->g.Attr(e, "value");
    }
  }
}

void MapParentheticals(EventDoc* d) {
  const auto& tokens = d->seg.tokens;
  d->parenthetical.assign(tokens.size(), 0);
  for (const Sentence& s : d->seg.sentences) {
    int32_t open = -1;
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      const Token& t = tokens[i];
      if (t.kind != TokenKind::kPunct || t.has(kJoiner)) continue;
      const bool dash = t.key == "-" || t.key == "\xe2\x80\x94";  // - or —
      if (t.key == "(" || (dash && open < 0)) {
        open = static_cast<int32_t>(i);
      } else if ((t.key == ")" || dash) && open >= 0) {
        for (uint32_t k = open; k <= i; ++k) d->parenthetical[k] = 1;
        open = -1;
      }
    }
  }
}

}  // namespace

void PrepareTokenMaps(EventDoc* d, const std::vector<GazetteerMatch>& matches) {
  MapMentions(d);
  MapNumbers(d, matches);
  MapParentheticals(d);
  d->speech.assign(d->seg.tokens.size(), -1);
  d->dates_in.assign(d->seg.sentences.size(), {});
  for (size_t k = 0; k < d->dates.size(); ++k) {
    const uint32_t s = d->dates[k].sentence;
    if (s >= d->dates_in.size()) d->dates_in.resize(s + 1);
    d->dates_in[s].push_back(static_cast<uint32_t>(k));
  }
}

}  // namespace extract
