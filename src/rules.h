// Stage 5 (apply rules): structural rules written in a small token-pattern
// language. A rule such as
//   person.title_name  person  {T} (?P<m>{F}{C}+)
// is compiled to a TokenPattern (token_pattern.h), an automaton whose steps
// are tokens and whose units test a token's letters (shape and gazetteer
// features, see gazetteers/rules/README.md), so rules stay declarative, run
// in linear time, and every hit carries the rule's stable id. The same
// pattern also has an RE2 translation over encoded units "<key|LETTERS>"
// (CompilePattern, Encode): the reference its semantics are tested against.
//
// Usage:
//   auto rules = RuleSet::Load("gazetteers/rules", gaz, &problems);
//   std::vector<RuleHit> hits;
//   (*rules)->Apply(tokens, features, sentence, &hits);
#ifndef EXTRACT_SRC_RULES_H_
#define EXTRACT_SRC_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/status.h"
#include "gazetteer.h"
#include "token_pattern.h"

namespace extract {

enum class RuleAction : uint8_t {
  kMention,  // emit an entity mention (captures m, m1..m9, or the match)
  kTrigger,  // emit an event trigger (capture t, or the match)
  kAcronym,  // link capture `short` (an acronym) to capture `long`
  kVeto,     // the span (capture m, or the match) is not an entity
};

struct Rule {
  std::string id;       // stable, appears in the output
  std::string source;   // "rules/people.rules:12"
  std::string purpose;  // the comment line above the rule
  RuleAction action = RuleAction::kMention;
  EntityType type = EntityType::kPerson;
  MentionRole role = MentionRole::kName;
  std::string resolver;  // "", "military", "police", "government", "forces",
                         // or "acled:<slug>" (group:acled_<slug>_<iso2>)
  int32_t event_entry = -1;  // for kTrigger
  std::string pattern;       // as written
  std::string compiled;      // the same pattern as RE2 over Encode()'s units
                             // (for tests and explanations; matching runs
                             // TokenPattern over the tokens)
};

// One capture of one rule match, in token indices [token_begin, token_end).
struct RuleHit {
  uint32_t rule = 0;      // index into RuleSet::rules()
  std::string capture;    // "m", "m1", "t", "short", "long", or "" (match)
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t match_id = 0;  // hits of one match share it; unique per `hits`
};

class RuleSet {
 public:
  // Loads every "*.rules" file in `dir` in name order. Problems (bad syntax,
  // unknown action or event id, RE2 compile errors with RE2's message) are
  // appended to `problems` as "file:line: message"; the result is kBadRule
  // naming the first error. `gazetteer` must outlive nothing: it is only
  // consulted to resolve event ids.
  static Result<std::unique_ptr<RuleSet>> Load(const std::string& dir,
                                               const Gazetteer& gazetteer,
                                               std::vector<Problem>* problems);
  ~RuleSet();

  // Compiles one pattern of the token language to RE2 syntax. Returns
  // kBadRule with the reason on a syntax error.
  static Result<std::string> CompilePattern(std::string_view pattern);

  // Encodes tokens [sentence.token_begin, token_end) with their features
  // (one uint64_t Feature mask per token, indexed like `tokens`) and appends
  // every match of every rule, left to right, non-overlapping per rule, to
  // `hits`. Thread-safe.
  void Apply(const std::vector<Token>& tokens,
             const std::vector<uint64_t>& features, const Sentence& sentence,
             std::vector<RuleHit>* hits) const;
  // The same, with each token's id in `gazetteer` (Gazetteer::TokenIds,
  // indexed like `tokens`), so that the rules' words are found by id rather
  // than by hashing each key again. The result is the same; when `gazetteer`
  // is not the one given to Load, the ids are not used.
  void Apply(const std::vector<Token>& tokens,
             const std::vector<uint64_t>& features, const Sentence& sentence,
             std::vector<RuleHit>* hits, const Gazetteer& gazetteer,
             const int64_t* gazetteer_ids) const;

  const std::vector<Rule>& rules() const { return rules_; }

  // The letters of `t` as a bit mask (bit i = the i-th letter of the
  // language), what TokenPattern units test.
  static uint64_t Letters(const Token& t, uint64_t features);

  // The unit string for tokens [begin, end), as rules see it (for tests and
  // `extract explain`).
  static std::string Encode(const std::vector<Token>& tokens,
                            const std::vector<uint64_t>& features,
                            uint32_t begin, uint32_t end,
                            std::vector<uint32_t>* unit_starts);

 private:
  struct Compiled;  // the compiled patterns; defined in rules.cc
  // Apply with the ids of the gazetteer given to Load, or null.
  void Apply(const std::vector<Token>& tokens,
             const std::vector<uint64_t>& features, const Sentence& sentence,
             std::vector<RuleHit>* hits, const int64_t* ids) const;
  RuleSet();
  std::vector<Rule> rules_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace extract

#endif  // EXTRACT_SRC_RULES_H_
