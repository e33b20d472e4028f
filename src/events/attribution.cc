// Pass FindAttribution. Reads each incident's evidence sentences (its main
// mention's first) and the entity mentions in them. Adds `attribution`: who
// reports the incident, from the first sentence that names a source:
//   "according to X"                    X
//   "X said", "X told AFP", "X added"   X, the phrase before the verb
//   "..., said X."                      X, the phrase after the verb
// An entity that is the source is not also an actor of the incident
// ("Sources in Madagali told LEADERSHIP", "the army said in a statement").
#include <algorithm>
#include <optional>

#include "events/passes.h"

namespace extract {
namespace {

bool StopsPhrase(const EventDoc& d, uint32_t t) {
  const Token& tok = d.tok(t);
  if (tok.kind == TokenKind::kPunct && tok.key != "'s" && tok.key != "-") {
    return true;
  }
  return In(d.key(t), {"and", "but", "that", "while", "as", "who", "which"});
}

// [b, e) trimmed of leading determiners' noise; empty when nothing is
// left.
Attribution Phrase(const EventDoc& d, uint32_t b, uint32_t e) {
  Attribution a;
  if (b >= e) return a;
  a.span = Span{d.tok(b).span.begin, d.tok(e - 1).span.end};
  for (uint32_t t = b; t < e; ++t) {
    const Mention* m = d.mention_of(t);
    if (m != nullptr && m->entity >= 0 && m->type != EntityType::kPlace) {
      a.entity = m->entity;
      break;
    }
  }
  return a;
}

std::optional<Attribution> SourceIn(const EventDoc& d, const Sentence& s) {
  for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
    const std::string_view k = d.key(t);
    if (k == "according" && t + 2 < s.token_end && d.key(t + 1) == "to") {
      uint32_t e = t + 2;
      while (e < s.token_end && e < t + 10 && !StopsPhrase(d, e)) ++e;
      Attribution a = Phrase(d, t + 2, e);
      if (a.span.size() > 0) return a;
    }
    if (!d.is_speech(t) || In(k, {"claimed", "alleged", "reported"})) {
      continue;
    }
    // The phrase before the verb: its subject. "A resident, John Doe,
    // said": the name in apposition before the comma.
    uint32_t b = t;
    if (t > s.token_begin + 1 && d.key(t - 1) == ",") {
      const Mention* named = d.mention_of(t - 2);
      if (named != nullptr && named->entity >= 0 &&
          named->type != EntityType::kPlace) {
        Attribution a = Phrase(d, named->token_begin, named->token_end);
        if (a.span.size() > 0) return a;
      }
    }
    while (b > s.token_begin && b + 8 > t && !StopsPhrase(d, b - 1)) --b;
    // Skip auxiliaries ("have told", "has said").
    uint32_t e = t;
    while (e > b && In(d.key(e - 1), {"have", "has", "had", "also", "further",
                                      "later", "earlier", "reportedly"})) {
      --e;
    }
    Attribution a = Phrase(d, b, e);
    if (a.span.size() > 0) return a;
    // ", said village chief Boukary Coulibaly.": only after a comma or a
    // quote, and only a phrase that ends the sentence or its clause.
    if (t == s.token_begin || (d.key(t - 1) != "," &&
                               d.tok(t - 1).kind != TokenKind::kPunct)) {
      continue;
    }
    uint32_t after = t + 1;
    while (after < s.token_end && after < t + 10 && !StopsPhrase(d, after)) {
      ++after;
    }
    if (after < s.token_end && d.key(after) != "," && d.key(after) != "." &&
        d.tok(after).kind != TokenKind::kPunct) {
      continue;
    }
    a = Phrase(d, t + 1, after);
    if (a.span.size() > 0) return a;
  }
  return std::nullopt;
}

}  // namespace

void FindAttribution(EventDoc* d) {
  for (Event& e : d->events) {
    std::vector<uint32_t> order{e.sentence};
    for (uint32_t s : e.evidence) {
      if (s != e.sentence) order.push_back(s);
    }
    for (uint32_t s : order) {
      auto a = SourceIn(*d, d->seg.sentences[s]);
      if (!a) continue;
      e.attribution = *a;
      if (a->entity >= 0) {
        const auto it = std::find(e.actors.begin(), e.actors.end(),
                                  static_cast<uint32_t>(a->entity));
        if (it != e.actors.end()) {
          e.actors.erase(it);
          e.passes.push_back("attribution.not_actor");
        }
      }
      break;
    }
  }
}

}  // namespace extract
