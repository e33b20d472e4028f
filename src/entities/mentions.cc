// Candidates become mentions.
//
// EmitMentions
//   reads:  names, then descriptors (both spent), tokens, sentence_of.
//   writes: out.mentions, one per name then one per descriptor, and
//           role_of, parallel to it (the role's span and the rule that
//           found it).
//   why:    "the Gulf", "The Wall Street Journal": a leading article is not
//           part of a name (it stays in a descriptor). A mention's source is
//           its entry's gazetteer source unless a rule decided it (rank 2).
// MarkCoveredTokens
//   reads:  out.mentions.
//   writes: covered: the tokens inside a name mention (not a descriptor),
//           which LinkAcronyms and LinkShortNames leave alone.
#include "entities/passes.h"

namespace extract {
namespace {

void AddMention(EntityState& s, Candidate c) {
  const std::vector<Token>& tokens = s.tokens;
  // "the Gulf", "The Wall Street Journal": the article is not the name.
  while (c.te - c.tb > 1 && c.role != MentionRole::kDescriptor &&
         (tokens[c.tb].key == "the" || tokens[c.tb].key == "l'" ||
          tokens[c.tb].key == "la" || tokens[c.tb].key == "le")) {
    ++c.tb;
  }
  RoleText role;
  if (c.role_te > c.role_tb) {
    role.span =
        Span{tokens[c.role_tb].span.begin, tokens[c.role_te - 1].span.end};
    role.source = c.source;  // the rule that found the role
  }
  s.role_of.push_back(std::move(role));
  Mention m;
  m.token_begin = c.tb;
  m.token_end = c.te;
  m.span = Span{tokens[c.tb].span.begin, tokens[c.te - 1].span.end};
  m.sentence = s.sentence_of[c.tb];
  m.type = c.type;
  m.role = c.role;
  m.entry = c.entry;
  m.source = c.entry >= 0 && c.rank != 2 ? s.g.Source(s.g.entry(c.entry))
                                         : c.source;
  s.out.mentions.push_back(std::move(m));
}

}  // namespace

void EmitMentions(EntityState& s) {
  for (Candidate& c : s.names) AddMention(s, std::move(c));
  for (Candidate& c : s.descriptors) AddMention(s, std::move(c));
}

void MarkCoveredTokens(EntityState& s) {
  s.covered.assign(s.tokens.size(), 0);
  for (const Mention& m : s.out.mentions) {
    if (m.role == MentionRole::kDescriptor) continue;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) s.covered[t] = 1;
  }
}

}  // namespace extract
