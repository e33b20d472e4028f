// The rule language's matcher: a pattern over tokens, compiled to a small
// Pike VM program (Thompson NFA with captures) that runs over a sentence's
// tokens directly, one step per token.
//
// Why not RE2: rules used to be compiled to RE2 over a string that spelled
// every token as "<key|LETTERS>". That is correct but it ran the regex
// machine over ~15 bytes per token, and the RE2::Set prefilter's DFA kept
// rebuilding its state cache; together they were 60% of the run time. Here a
// token is one step and a unit such as {C!W} is two mask tests. Semantics
// are RE2's (leftmost-first, greedy unless `?`-suffixed, the last iteration
// of a repeated group wins a capture, ^ and $ at the sentence's ends), and
// tests/rules_test.cc checks that against the RE2 translation
// (RuleSet::CompilePattern) on random sentences. Before the VM runs, a DFA
// over token classes (built lazily, per thread) says whether any match
// exists at all: most searches find none, and it says so in one table
// step per token.
//
// Usage:
//   auto p = TokenPattern::Compile("{T} (?P<m>{F}{C}+)");
//   TokenPattern::Input in{letters, keys};   // one entry per token
//   TokenPattern::Match m;
//   for (uint32_t pos = 0; p->Search(in, pos, &m); pos = m.end) ...
#ifndef EXTRACT_SRC_TOKEN_PATTERN_H_
#define EXTRACT_SRC_TOKEN_PATTERN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "extract/status.h"

namespace extract {

class TokenPattern {
 public:
  // One sentence as patterns see it: per token, a mask of the rule
  // language's letters (bit i = letter i of `letters` given to Compile) and
  // the matching key with '<', '>' and '|' read as '_'.
  struct Input {
    const uint64_t* letters = nullptr;
    const int32_t* words = nullptr;  // Vocabulary::Find(key), or -1
    uint32_t size = 0;
  };

  // The words of the literals ("of|for") of a set of patterns, numbered, so
  // that a token's key is looked up once per sentence, not once per test.
  class Vocabulary {
   public:
    uint32_t Add(std::string_view word);
    // The word's number, or -1; `key` with '<', '>', '|' read as '_'.
    int32_t Find(std::string_view key) const;
    size_t size() const { return words_.size(); }
    std::string_view word(uint32_t id) const { return words_[id]; }

   private:
    static uint64_t Hash(std::string_view key);
    void Insert(uint32_t id);  // words_[id] into a free slot
    std::vector<std::string> words_;
    // Open addressing, a power of two at most half full: (hash, id + 1),
    // id + 1 == 0 for an empty slot.
    std::vector<std::pair<uint64_t, uint32_t>> slots_;
    size_t max_size_ = 0;  // the longest word, in bytes
    // Bit min(size, 63) of first_len_[c]: some word starts with byte c and
    // has that size. Most tokens are no rule word, and this rejects them
    // before hashing.
    uint64_t first_len_[256] = {};
  };

  // A match: tokens [begin, end) and, per named capture (in name order, as
  // capture_names()), [begin, end) or {-1, -1} when it did not take part.
  struct Match {
    uint32_t begin = 0;
    uint32_t end = 0;
    std::vector<int32_t> captures;  // 2 per name
  };

  // Parses `pattern`. `letter_index` maps a feature letter to its bit (or
  // -1 when unknown). Errors are kBadRule with the reason and column.
  // Word literals are numbered in `vocabulary`, which the Input's `words`
  // must come from.
  static Result<TokenPattern> Compile(std::string_view pattern,
                                      int (*letter_index)(char),
                                      Vocabulary* vocabulary);

  // The leftmost-first match that starts at or after token `from`, if any.
  bool Search(const Input& input, uint32_t from, Match* match) const;

  // False when no match is possible in a sentence whose tokens' letter masks
  // OR to `letters_any` and whose vocabulary words are the bits of
  // `word_bits` (bit w of word_bits[w / 64]; `word_count` words of 64 bits):
  // some token the pattern cannot match without is absent. True says
  // nothing. A cheap per-sentence test before Search.
  bool MayMatch(uint64_t letters_any, const uint64_t* word_bits,
                size_t word_count) const;

  const std::vector<std::string>& capture_names() const { return names_; }
  size_t program_size() const { return program_.size(); }

 private:
  enum class Op : uint8_t { kToken, kSplit, kJmp, kSave, kBol, kEol, kMatch };
  struct Inst {
    Op op;
    uint32_t x = 0;  // kToken: predicate; kSplit/kJmp: target; kSave: slot
    uint32_t y = 0;  // kSplit: second (lower-priority) target
  };
  struct Predicate {
    uint64_t need = 0;    // every one of these letters
    uint64_t forbid = 0;  // none of these
    bool any = false;     // '.'
    // A word literal: bit w set when word w of the vocabulary is one.
    std::vector<uint64_t> words;
    bool Test(uint64_t letters, int32_t word) const {
      if (!words.empty()) {
        const auto w = static_cast<uint32_t>(word);  // -1: past the end
        return w / 64 < words.size() && ((words[w / 64] >> (w % 64)) & 1);
      }
      return any || ((letters & need) == need && (letters & forbid) == 0);
    }
  };
  class Parser;
  friend class Parser;

  bool CanStartAt(const Input& input, uint32_t pos) const;

  // Whether any match starts at or after `from`, from a DFA over token
  // classes that is built lazily, per thread (see token_pattern.cc). Most
  // searches find nothing, and the DFA says so in one table step per token
  // where the VM keeps a list of threads and their captures. True when the
  // DFA is off or gave up (too many states): it is only a filter.
  struct Dfa;
  bool MatchExists(const Input& input, uint32_t from) const;
  Dfa* ThreadDfa() const;
  // The class id of a token, numbered in `dfa`; kNone when there are too
  // many classes (the DFA is then off).
  uint32_t DfaClass(Dfa* dfa, uint64_t letters, int32_t word) const;
  // Builds the state after `state` on class `cls`; kNone when there are too
  // many states (the DFA is then off).
  uint32_t DfaStep(Dfa* dfa, uint32_t state, uint32_t cls) const;
  uint32_t DfaStart(Dfa* dfa, bool bol) const;
  bool DfaEndMatch(Dfa* dfa, uint32_t state, bool bol) const;
  // The first token at or after `pos` that passes anchor_, or input.size.
  uint32_t NextAnchor(const Input& input, uint32_t pos) const;
  // Adds to `set` the token, match and (unless `eol`) end-of-input steps
  // reachable from `pc` without consuming a token; `mark` (program size,
  // `generation` fresh) keeps each pc once.
  void Closure(uint32_t pc, bool bol, bool eol, std::vector<uint32_t>* set,
               std::vector<uint32_t>* mark, uint32_t generation) const;
  // Fills class_bit_ and class_pred_ (see Compile).
  void AssignClasses();
  // Fills required_ and anchor_ from the program (see Compile).
  void AnalyzeRequired();

  std::vector<Inst> program_;
  // The predicates a match's first token must pass; empty when a match can
  // be empty (then every position is tried).
  std::vector<uint32_t> first_;
  bool nullable_ = false;
  // Predicates of the token steps every match goes through, for MayMatch
  // (only those with something to test: a word list or needed letters).
  std::vector<uint32_t> required_;
  // The same for MayMatch: the letters the steps without words need, all
  // OR-ed together, and the steps with words.
  uint64_t required_letters_ = 0;
  std::vector<uint32_t> required_words_;
  // One such step, the most selective by a static guess, and the most
  // tokens any match consumes before it (kNoAnchor: none with a bound). A
  // match starting at s has a token passing anchor_ in [s, s + anchor_reach_],
  // so Search skips starts that cannot reach one.
  static constexpr uint32_t kNoAnchor = UINT32_MAX;
  uint32_t anchor_ = kNoAnchor;
  uint32_t anchor_reach_ = 0;
  std::vector<Predicate> predicates_;
  std::vector<std::string> names_;    // capture names, sorted
  std::vector<uint32_t> name_slot_;   // names_[i] saves to slot name_slot_[i]
  uint32_t slots_ = 2;                // 2 per capture + 2 for the match
  // The DFA's alphabet: a token's class is the mask of the distinct
  // predicates it passes. class_bit_[p] is predicate p's bit, and
  // class_pred_[b] one predicate with bit b. No DFA (use_dfa_ false) when a
  // pattern has more than 64 distinct predicates.
  std::vector<uint8_t> class_bit_;
  std::vector<uint32_t> class_pred_;
  bool use_dfa_ = false;
  // The letters some predicate tests, and whether any tests words: the
  // rest of a token does not change its class.
  uint64_t class_letters_ = 0;
  bool class_words_ = false;
  // Names this compiled program in the per-thread DFA caches; copies share
  // it, since they hold the same program.
  uint64_t serial_ = 0;
};

}  // namespace extract

#endif  // EXTRACT_SRC_TOKEN_PATTERN_H_
