// Candidates from rule hits, acronym definitions, and one candidate per name
// found by both the gazetteer and a rule.
//
// CollectRuleCandidates
//   reads:  hits (in order), rules.
//   adds:   to cands, one candidate per mention hit (rank 2; rank 4 with a
//           role capture, whose span it records); to vetoes, the veto
//           spans; to acronym_defs, the long and short hits of each
//           acronym rule match.
// AddAcronymDefinitions
//   reads:  acronym_defs, cands (their spans), tokens.
//   removes: from acronym_defs, the definitions whose short form's letters
//           are not the initials of the long form.
//   adds:   to cands, the long form as a group (rank 2) unless a candidate
//           already covers it, and the short form as its acronym (rank 4).
//   why:    "Front de Libération du Macina (FLM)" defines FLM; "Linda Wild
//           (U.S.)" does not. The text's own definition beats a gazetteer
//           reading.
// MergeSameNameCandidates
//   reads:  cands.
//   changes: a gazetteer candidate takes the rank and role of a rule
//           candidate on the same span and type (not a descriptor), which
//           is removed.
//   why:    the same name found by the gazetteer and by a rule is one
//           candidate: the gazetteer's (it carries the canonical record),
//           with the rule's role and rank ("Rama Yade, senior director of
//           ..."). Done before ChooseNonOverlapping sorts, so that its order
//           stays a plain strict ordering.
#include <algorithm>

#include "entities/passes.h"

namespace extract {

void CollectRuleCandidates(EntityState& s) {
  std::map<uint32_t, const RuleHit*> role_of_match;  // match id -> role hit
  for (const RuleHit& h : s.hits) {
    if (h.capture == "role") role_of_match[h.match_id] = &h;
  }
  for (const RuleHit& h : s.hits) {
    const Rule& r = s.rules.rules()[h.rule];
    if (r.action == RuleAction::kVeto) {
      if (h.capture.empty() || h.capture[0] == 'm') {
        s.vetoes.push_back({h.token_begin, h.token_end});
      }
    } else if (r.action == RuleAction::kAcronym) {
      auto& def = s.acronym_defs[h.match_id];
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
      s.cands.push_back(std::move(c));
    }
  }
}

namespace {

// Whether the short form's letters are initials of the long form's words
// (one may be missing from four letters on).
bool LettersAreInitials(const std::vector<Token>& tokens, const RuleHit& lh,
                        const RuleHit& sh) {
  std::string letters;
  for (char ch : tokens[sh.token_begin].key) {
    if (ch >= 'a' && ch <= 'z') letters += ch;
  }
  std::vector<uint8_t> used(lh.token_end - lh.token_begin, 0);
  size_t missing = 0;
  for (char ch : letters) {
    bool found = false;
    for (uint32_t t = lh.token_begin; t < lh.token_end && !found; ++t) {
      const std::string_view k = tokens[t].key;
      if (!used[t - lh.token_begin] && !k.empty() && k[0] == ch) {
        used[t - lh.token_begin] = 1;
        found = true;
      }
    }
    missing += !found;
  }
  return letters.size() >= 2 && missing <= (letters.size() >= 4 ? 1u : 0u);
}

}  // namespace

void AddAcronymDefinitions(EntityState& s) {
  std::vector<Candidate>& cands = s.cands;
  // Whether a candidate covers a span: the furthest end among candidates
  // starting at or before a token (a Fenwick tree of running maxima, as
  // candidates are added below), so each check is logarithmic.
  std::vector<uint32_t> reach(s.tokens.size() + 2, 0);
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
  if (!s.acronym_defs.empty()) {
    for (const Candidate& c : cands) add_reach(c.tb, c.te);
  }
  for (auto it = s.acronym_defs.begin(); it != s.acronym_defs.end();) {
    const RuleHit* lh = it->second.first;
    const RuleHit* sh = it->second.second;
    const bool ok =
        lh != nullptr && sh != nullptr && LettersAreInitials(s.tokens, *lh, *sh);
    if (!ok) {
      it = s.acronym_defs.erase(it);
      continue;
    }
    const std::string& rule_id = s.rules.rules()[lh->rule].id;
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
}

void MergeSameNameCandidates(EntityState& s) {
  std::vector<Candidate>& cands = s.cands;
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

}  // namespace extract
