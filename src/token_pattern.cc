// Token patterns: parser, compiler to a Pike VM program, and the VM.
// See token_pattern.h. The VM follows Russ Cox, "Regular Expression
// Matching: the Virtual Machine Approach" (2009): threads kept in priority
// order, one list per position, so the first thread to reach Match wins and
// the lower-priority ones are cut, which gives leftmost-first semantics
// with captures in time linear in the number of tokens.
#include "token_pattern.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <map>
#include <memory>
#include <unordered_map>

namespace extract {

namespace {

// How a key's character reads in a rule word: '<', '>' and '|' as '_'.
char Underscored(char c) {
  return (c == '<' || c == '>' || c == '|') ? '_' : c;
}

}  // namespace

uint64_t TokenPattern::Vocabulary::Hash(std::string_view key) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (const char c : key) {
    h ^= static_cast<uint8_t>(Underscored(c));
    h *= 1099511628211ULL;
  }
  return h;
}

uint32_t TokenPattern::Vocabulary::Add(std::string_view word) {
  const int32_t found = Find(word);
  if (found >= 0) return static_cast<uint32_t>(found);
  const auto id = static_cast<uint32_t>(words_.size());
  words_.emplace_back(word);
  max_size_ = std::max(max_size_, word.size());
  if (!word.empty()) {
    first_len_[static_cast<unsigned char>(Underscored(word[0]))] |=
        uint64_t{1} << std::min<size_t>(word.size(), 63);
  }
  if (2 * words_.size() > slots_.size()) {
    // Grow to twice the words and put them all back.
    size_t size = 16;
    while (size < 2 * words_.size()) size *= 2;
    slots_.assign(size, {0, 0});
    for (uint32_t w = 0; w < words_.size(); ++w) Insert(w);
  } else {
    Insert(id);
  }
  return id;
}

void TokenPattern::Vocabulary::Insert(uint32_t id) {
  const size_t mask = slots_.size() - 1;
  const uint64_t h = Hash(words_[id]);
  size_t i = h & mask;
  while (slots_[i].second != 0) i = (i + 1) & mask;
  slots_[i] = {h, id + 1};
}

int32_t TokenPattern::Vocabulary::Find(std::string_view key) const {
  if (slots_.empty() || key.size() > max_size_) return -1;
  if (!key.empty() &&
      ((first_len_[static_cast<unsigned char>(Underscored(key[0]))] >>
        std::min<size_t>(key.size(), 63)) & 1) == 0) {
    return -1;
  }
  const uint64_t h = Hash(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i].second != 0; i = (i + 1) & mask) {
    if (slots_[i].first != h) continue;
    const std::string& w = words_[slots_[i].second - 1];
    if (w.size() != key.size()) continue;
    bool same = true;
    for (size_t k = 0; k < w.size() && same; ++k) {
      same = w[k] == Underscored(key[k]);
    }
    if (same) return static_cast<int32_t>(slots_[i].second - 1);
  }
  return -1;
}

namespace {

struct Node {
  enum Kind : uint8_t { kAtom, kBol, kEol, kConcat, kAlt, kRepeat, kGroup };
  Kind kind = kConcat;
  uint32_t predicate = 0;    // kAtom
  int32_t capture = -1;      // kGroup: capture index (1-based), or -1
  int32_t min = 0, max = 0;  // kRepeat; max -1 = unbounded
  bool greedy = true;        // kRepeat
  std::vector<Node> kids;
};

// Same limit as RE2 puts on counted repetition.
constexpr int kMaxRepeat = 1000;
// The most instructions a pattern may compile to.
constexpr size_t kMaxProgram = 100000;

}  // namespace

class TokenPattern::Parser {
 public:
  Parser(std::string_view p, int (*letter_index)(char), Vocabulary* vocabulary,
         TokenPattern* out)
      : p_(p), letter_index_(letter_index), vocabulary_(vocabulary), out_(out) {}

  Result<Node> Parse() {
    SkipSpace();
    if (i_ >= p_.size()) return Status::BadRule("empty pattern");
    Result<Node> node = ParseAlt();
    if (!node.ok()) return node;
    if (i_ < p_.size()) {
      return Error(p_[i_] == ')' ? "unexpected ')'" : "unexpected character");
    }
    return node;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::BadRule(what + " at column " + std::to_string(i_ + 1));
  }
  void SkipSpace() {
    while (i_ < p_.size() && (p_[i_] == ' ' || p_[i_] == '\t')) ++i_;
  }

  Result<Node> ParseAlt() {
    Node alt;
    alt.kind = Node::kAlt;
    while (true) {
      Result<Node> branch = ParseConcat();
      if (!branch.ok()) return branch;
      alt.kids.push_back(std::move(*branch));
      SkipSpace();
      if (i_ < p_.size() && p_[i_] == '|') {
        ++i_;
        continue;
      }
      break;
    }
    if (alt.kids.size() == 1) return std::move(alt.kids[0]);
    return alt;
  }

  Result<Node> ParseConcat() {
    Node seq;
    seq.kind = Node::kConcat;
    while (true) {
      SkipSpace();
      if (i_ >= p_.size() || p_[i_] == '|' || p_[i_] == ')') break;
      Result<Node> atom = ParseAtom();
      if (!atom.ok()) return atom;
      Node node = std::move(*atom);
      // Quantifiers.
      while (true) {
        SkipSpace();
        if (i_ >= p_.size()) break;
        const char c = p_[i_];
        int lo = 0, hi = 0;
        if (c == '?') {
          lo = 0, hi = 1, ++i_;
        } else if (c == '*') {
          lo = 0, hi = -1, ++i_;
        } else if (c == '+') {
          lo = 1, hi = -1, ++i_;
        } else if (c == '{' && i_ + 1 < p_.size() && p_[i_ + 1] >= '0' &&
                   p_[i_ + 1] <= '9') {
          auto counts = ParseCounts();
          if (!counts.ok()) return counts.status();
          lo = counts->first, hi = counts->second;
        } else {
          break;
        }
        if (node.kind == Node::kBol || node.kind == Node::kEol) {
          return Error("nothing to repeat");
        }
        Node rep;
        rep.kind = Node::kRepeat;
        rep.min = lo;
        rep.max = hi;
        if (i_ < p_.size() && p_[i_] == '?') {
          rep.greedy = false;
          ++i_;
        }
        rep.kids.push_back(std::move(node));
        node = std::move(rep);
      }
      seq.kids.push_back(std::move(node));
    }
    return seq;
  }

  Result<std::pair<int, int>> ParseCounts() {
    const size_t close = p_.find('}', i_);
    if (close == std::string_view::npos) return Error("unclosed '{'");
    const std::string_view body = p_.substr(i_ + 1, close - i_ - 1);
    auto number = [](std::string_view s, int* out) {
      if (s.empty() || s.size() > 4) return false;
      int v = 0;
      for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
      }
      *out = v;
      return true;
    };
    int lo = 0, hi = 0;
    const size_t comma = body.find(',');
    bool ok;
    if (comma == std::string_view::npos) {
      ok = number(body, &lo);
      hi = lo;
    } else {
      ok = number(body.substr(0, comma), &lo);
      if (comma + 1 == body.size()) {
        hi = -1;
      } else {
        ok = ok && number(body.substr(comma + 1), &hi);
      }
    }
    if (!ok) return Error("bad repetition count '{" + std::string(body) + "}'");
    if (lo > kMaxRepeat || hi > kMaxRepeat || (hi >= 0 && hi < lo)) {
      return Error("bad repetition count '{" + std::string(body) + "}'");
    }
    i_ = close + 1;
    return std::make_pair(lo, hi);
  }

  uint32_t AddPredicate(Predicate pred) {
    out_->predicates_.push_back(std::move(pred));
    return static_cast<uint32_t>(out_->predicates_.size() - 1);
  }

  Result<Node> ParseAtom() {
    const char c = p_[i_];
    Node node;
    if (c == '{') {
      const size_t close = p_.find('}', i_);
      if (close == std::string_view::npos) return Error("unclosed '{'");
      Predicate pred;
      bool negate = false;
      for (size_t k = i_ + 1; k < close; ++k) {
        const char l = p_[k];
        if (l == ' ') continue;
        if (l == '!') {
          negate = true;
          continue;
        }
        if (l == '|') {
          return Status::BadRule(
              "'|' inside {} is not supported; use ({X}|{Y})");
        }
        const int idx = letter_index_(l);
        if (idx < 0) {
          return Status::BadRule(std::string("unknown feature letter '") + l +
                                 "'");
        }
        (negate ? pred.forbid : pred.need) |= uint64_t{1} << idx;
        negate = false;
      }
      i_ = close + 1;
      node.kind = Node::kAtom;
      node.predicate = AddPredicate(std::move(pred));
      return node;
    }
    if (c == '"') {
      const size_t close = p_.find('"', i_ + 1);
      if (close == std::string_view::npos) return Error("unclosed '\"'");
      const std::string_view words = p_.substr(i_ + 1, close - i_ - 1);
      if (words.empty()) return Error("empty word literal");
      Predicate pred;
      size_t start = 0;
      while (start <= words.size()) {
        size_t bar = words.find('|', start);
        if (bar == std::string_view::npos) bar = words.size();
        std::string w(words.substr(start, bar - start));
        if (w.empty()) return Error("empty word in literal");
        for (char& ch : w) {
          if (ch == '<' || ch == '>' || ch == '|') ch = '_';
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        const uint32_t id = vocabulary_->Add(w);
        if (pred.words.size() <= id / 64) pred.words.resize(id / 64 + 1, 0);
        pred.words[id / 64] |= uint64_t{1} << (id % 64);
        start = bar + 1;
      }
      i_ = close + 1;
      node.kind = Node::kAtom;
      node.predicate = AddPredicate(std::move(pred));
      return node;
    }
    if (c == '.') {
      ++i_;
      Predicate pred;
      pred.any = true;
      node.kind = Node::kAtom;
      node.predicate = AddPredicate(std::move(pred));
      return node;
    }
    if (c == '^' || c == '$') {
      ++i_;
      node.kind = c == '^' ? Node::kBol : Node::kEol;
      return node;
    }
    if (c == '(') {
      const size_t open = i_;
      ++i_;
      node.kind = Node::kGroup;
      if (p_.substr(i_, 3) == "?P<") {
        const size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) {
          return Status::BadRule("unclosed capture name");
        }
        std::string name(p_.substr(i_ + 3, close - i_ - 3));
        bool valid = !name.empty();
        for (char ch : name) {
          valid = valid && ((ch >= 'a' && ch <= 'z') ||
                            (ch >= 'A' && ch <= 'Z') ||
                            (ch >= '0' && ch <= '9') || ch == '_');
        }
        if (!valid) return Error("bad capture name '" + name + "'");
        if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
          return Error("duplicate capture name '" + name + "'");
        }
        names_.push_back(std::move(name));
        node.capture = static_cast<int32_t>(names_.size());
        i_ = close + 1;
      } else if (i_ < p_.size() && p_[i_] == '?') {
        return Error("unexpected '(?'");
      }
      Result<Node> inner = ParseAlt();
      if (!inner.ok()) return inner;
      SkipSpace();
      if (i_ >= p_.size() || p_[i_] != ')') {
        i_ = open;
        return Error("missing ')' for the '('");
      }
      ++i_;
      node.kids.push_back(std::move(*inner));
      return node;
    }
    if (c == '?' || c == '*' || c == '+') return Error("nothing to repeat");
    return Error(std::string("unexpected character '") + c + "'");
  }

 public:
  std::vector<std::string> names_;  // in order of appearance; capture i+1

 private:
  std::string_view p_;
  size_t i_ = 0;
  int (*letter_index_)(char);
  Vocabulary* vocabulary_;
  TokenPattern* out_;
};

namespace {

// Emits VM code for AST nodes. `slot_of_capture[k]` is the first of the two
// slots of capture k (1-based).
template <typename Inst, typename Op>
class Emitter {
 public:
  Emitter(std::vector<Inst>* program, const std::vector<uint32_t>* slots)
      : program_(program), slots_(slots) {}

  // True when the program grew past kMaxProgram (nested counted
  // repetitions multiply): the pattern is refused rather than built.
  bool overflow() const { return overflow_; }

  void Emit(const Node& n) {
    if (overflow_) return;
    switch (n.kind) {
      case Node::kAtom:
        Push(Op::kToken, n.predicate);
        break;
      case Node::kBol:
        Push(Op::kBol);
        break;
      case Node::kEol:
        Push(Op::kEol);
        break;
      case Node::kConcat:
        for (const Node& k : n.kids) Emit(k);
        break;
      case Node::kAlt: {
        std::vector<uint32_t> jumps;
        for (size_t k = 0; k < n.kids.size(); ++k) {
          if (k + 1 < n.kids.size()) {
            const uint32_t split = Push(Op::kSplit);
            (*program_)[split].x = Here();
            Emit(n.kids[k]);
            jumps.push_back(Push(Op::kJmp));
            (*program_)[split].y = Here();
          } else {
            Emit(n.kids[k]);
          }
        }
        for (uint32_t j : jumps) (*program_)[j].x = Here();
        break;
      }
      case Node::kGroup:
        if (n.capture > 0) Push(Op::kSave, (*slots_)[n.capture]);
        Emit(n.kids[0]);
        if (n.capture > 0) Push(Op::kSave, (*slots_)[n.capture] + 1);
        break;
      case Node::kRepeat:
        EmitRepeat(n.kids[0], n.min, n.max, n.greedy);
        break;
    }
  }

 private:
  uint32_t Here() const { return static_cast<uint32_t>(program_->size()); }
  uint32_t Push(Op op, uint32_t x = 0) {
    if (program_->size() >= kMaxProgram) {
      overflow_ = true;
      // Keep indices valid for the caller; the program is discarded.
      program_->back() = Inst{op, x, 0};
      return Here() - 1;
    }
    program_->push_back(Inst{op, x, 0});
    return Here() - 1;
  }
  // A split that prefers `first` when greedy, the other way round when not.
  void SetSplit(uint32_t at, uint32_t into, uint32_t past, bool greedy) {
    (*program_)[at].x = greedy ? into : past;
    (*program_)[at].y = greedy ? past : into;
  }

  void EmitRepeat(const Node& e, int min, int max, bool greedy) {
    for (int k = 0; k < min; ++k) Emit(e);
    if (max < 0) {
      // e*: L: split body, out; body; jmp L
      const uint32_t loop = Push(Op::kSplit);
      Emit(e);
      Push(Op::kJmp, loop);
      SetSplit(loop, loop + 1, Here(), greedy);
      return;
    }
    // (e(e(e)?)?)? for max - min optional copies.
    std::vector<uint32_t> splits;
    for (int k = min; k < max; ++k) {
      splits.push_back(Push(Op::kSplit));
      Emit(e);
    }
    const uint32_t out = Here();
    for (uint32_t s : splits) SetSplit(s, s + 1, out, greedy);
  }

  std::vector<Inst>* program_;
  const std::vector<uint32_t>* slots_;
  bool overflow_ = false;
};

}  // namespace

Result<TokenPattern> TokenPattern::Compile(std::string_view pattern,
                                           int (*letter_index)(char),
                                           Vocabulary* vocabulary) {
  TokenPattern tp;
  Parser parser(pattern, letter_index, vocabulary, &tp);
  Result<Node> ast = parser.Parse();
  if (!ast.ok()) return ast.status();
  // Slots: 0/1 the whole match, then two per capture in order of
  // appearance; names_ are reported sorted, as RE2 lists named groups.
  std::vector<uint32_t> slot_of(parser.names_.size() + 1, 0);
  for (size_t k = 0; k < parser.names_.size(); ++k) {
    slot_of[k + 1] = static_cast<uint32_t>(2 + 2 * k);
  }
  tp.slots_ = static_cast<uint32_t>(2 + 2 * parser.names_.size());
  std::vector<size_t> order(parser.names_.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return parser.names_[a] < parser.names_[b];
  });
  for (size_t k : order) {
    tp.names_.push_back(parser.names_[k]);
    tp.name_slot_.push_back(slot_of[k + 1]);
  }
  tp.program_.push_back(Inst{Op::kSave, 0, 0});
  Emitter<Inst, Op> emitter(&tp.program_, &slot_of);
  emitter.Emit(*ast);
  if (emitter.overflow()) {
    return Status::BadRule("pattern too large: over " +
                           std::to_string(kMaxProgram) +
                           " steps once repetitions are expanded");
  }
  tp.program_.push_back(Inst{Op::kSave, 1, 0});
  tp.program_.push_back(Inst{Op::kMatch, 0, 0});
  // The first token's predicates: what the program reaches from its start
  // without consuming a token (assertions taken as passable, so this is a
  // superset).
  std::vector<uint32_t> reached, mark(tp.program_.size(), 0);
  tp.Closure(0, /*bol=*/true, /*eol=*/true, &reached, &mark, 1);
  for (const uint32_t pc : reached) {
    const Inst& in = tp.program_[pc];
    if (in.op == Op::kMatch) {
      tp.nullable_ = true;
    } else if (in.op == Op::kToken &&
               std::find(tp.first_.begin(), tp.first_.end(), in.x) ==
                   tp.first_.end()) {
      tp.first_.push_back(in.x);
    }
  }
  if (tp.nullable_) tp.first_.clear();
  tp.AnalyzeRequired();
  for (const uint32_t p : tp.required_) {
    const Predicate& pred = tp.predicates_[p];
    if (pred.words.empty()) {
      tp.required_letters_ |= pred.need;
    } else {
      tp.required_words_.push_back(p);
    }
  }
  tp.AssignClasses();
  static std::atomic<uint64_t> next_serial{1};
  tp.serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  return tp;
}

void TokenPattern::AssignClasses() {
  auto same = [](const Predicate& a, const Predicate& b) {
    return a.need == b.need && a.forbid == b.forbid && a.any == b.any &&
           a.words == b.words;
  };
  class_bit_.assign(predicates_.size(), 0);
  class_pred_.clear();
  for (uint32_t p = 0; p < predicates_.size(); ++p) {
    size_t b = 0;
    while (b < class_pred_.size() &&
           !same(predicates_[class_pred_[b]], predicates_[p])) {
      ++b;
    }
    if (b == class_pred_.size()) {
      if (b == 64) {
        use_dfa_ = false;
        return;
      }
      class_pred_.push_back(p);
    }
    class_bit_[p] = static_cast<uint8_t>(b);
    class_letters_ |= predicates_[p].need | predicates_[p].forbid;
    class_words_ = class_words_ || !predicates_[p].words.empty();
  }
  use_dfa_ = true;
}

void TokenPattern::AnalyzeRequired() {
  const auto size = static_cast<uint32_t>(program_.size());
  // One reachability pass per token step: quadratic in the program. The
  // shipped rules have at most a few dozen steps; a pattern with tens of
  // thousands (nested counted repetitions) goes without the filter rather
  // than delaying start-up by seconds. Matching is the same either way.
  constexpr uint64_t kMaxAnalysisSteps = uint64_t{1} << 22;
  const auto tokens = static_cast<uint64_t>(
      std::count_if(program_.begin(), program_.end(),
                    [](const Inst& in) { return in.op == Op::kToken; }));
  if (tokens * size > kMaxAnalysisSteps) return;
  // Most tokens consumed on the way to each pc. Every edge goes forward
  // except a loop's jump back to its split; a pc past the start of a loop
  // whose body consumes tokens has no bound (kUnbounded). Forward edges
  // are relaxed in pc order, which is a topological order.
  constexpr uint32_t kUnbounded = UINT32_MAX;
  constexpr uint32_t kUnreached = UINT32_MAX - 1;
  std::vector<uint32_t> reach(size, kUnreached);
  uint32_t loop_start = size;  // the first loop with tokens in its body
  for (uint32_t pc = 0; pc < size; ++pc) {
    const Inst& in = program_[pc];
    if (in.op == Op::kJmp && in.x <= pc) {
      for (uint32_t k = in.x; k < pc; ++k) {
        if (program_[k].op == Op::kToken) {
          loop_start = std::min(loop_start, in.x);
          break;
        }
      }
    }
  }
  reach[0] = 0;
  auto relax = [&](uint32_t to, uint32_t value) {
    if (to < size && (reach[to] == kUnreached || reach[to] < value)) {
      reach[to] = value;
    }
  };
  for (uint32_t pc = 0; pc < size; ++pc) {
    if (reach[pc] == kUnreached) continue;
    const Inst& in = program_[pc];
    switch (in.op) {
      case Op::kToken:
        relax(pc + 1, reach[pc] + 1);
        break;
      case Op::kSplit:
        relax(in.x, reach[pc]);
        relax(in.y, reach[pc]);
        break;
      case Op::kJmp:
        if (in.x > pc) relax(in.x, reach[pc]);
        break;
      case Op::kSave:
      case Op::kBol:
      case Op::kEol:
        relax(pc + 1, reach[pc]);
        break;
      case Op::kMatch:
        break;
    }
  }
  // A token step is required when the match is unreachable without it.
  std::vector<uint32_t> seen(size, 0);
  std::vector<uint32_t> stack;
  uint32_t generation = 0;
  auto match_reachable_without = [&](uint32_t removed) {
    ++generation;
    stack.assign(1, 0);
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (pc == removed || seen[pc] == generation) continue;
      seen[pc] = generation;
      const Inst& in = program_[pc];
      switch (in.op) {
        case Op::kMatch:
          return true;
        case Op::kSplit:
          stack.push_back(in.x);
          stack.push_back(in.y);
          break;
        case Op::kJmp:
          stack.push_back(in.x);
          break;
        default:
          stack.push_back(pc + 1);
          break;
      }
    }
    return false;
  };
  // A static guess at how rarely a predicate passes: a word list first,
  // then more needed letters, then forbidden ones.
  auto rarity = [&](const Predicate& p) -> int {
    if (!p.words.empty()) return 1000;
    if (p.any) return 0;
    return 4 * __builtin_popcountll(p.need) + __builtin_popcountll(p.forbid);
  };
  int best = 0;
  for (uint32_t pc = 0; pc < size; ++pc) {
    if (program_[pc].op != Op::kToken || reach[pc] == kUnreached) continue;
    if (match_reachable_without(pc)) continue;
    const uint32_t p = program_[pc].x;
    const Predicate& pred = predicates_[p];
    if ((!pred.words.empty() || pred.need != 0) &&
        std::find(required_.begin(), required_.end(), p) == required_.end()) {
      required_.push_back(p);
    }
    const uint32_t bound = pc > loop_start ? kUnbounded : reach[pc];
    const int score = rarity(pred);
    if (bound != kUnbounded && score > best) {
      best = score;
      anchor_ = p;
      anchor_reach_ = bound;
    }
  }
}

bool TokenPattern::MayMatch(uint64_t letters_any, const uint64_t* word_bits,
                            size_t word_count) const {
  // Every letter some required step needs: one test for all of them.
  if ((letters_any & required_letters_) != required_letters_) return false;
  for (const uint32_t p : required_words_) {
    const Predicate& pred = predicates_[p];
    bool any = false;
    const size_t n = std::min(word_count, pred.words.size());
    for (size_t k = 0; k < n && !any; ++k) {
      any = (pred.words[k] & word_bits[k]) != 0;
    }
    if (!any) return false;
  }
  return true;
}

bool TokenPattern::CanStartAt(const Input& input, uint32_t pos) const {
  for (const uint32_t p : first_) {
    if (predicates_[p].Test(input.letters[pos], input.words[pos])) {
      return true;
    }
  }
  return false;
}

namespace {

// A list of threads in priority order, with a sparse "already added" mark
// per program counter, and each thread's capture slots.
struct ThreadList {
  std::vector<uint32_t> pcs;
  std::vector<int32_t> caps;  // slots per thread, parallel to pcs
  std::vector<uint32_t> mark;  // mark[pc] == generation: pc is in the list
  uint32_t generation = 1;
  void Reset(size_t program_size, uint32_t slots) {
    if (mark.size() < program_size) mark.assign(program_size, 0);
    pcs.clear();
    caps.clear();
    caps.reserve(program_size * slots);
    ++generation;
    if (generation == 0) {  // wrapped: clear the marks once
      std::fill(mark.begin(), mark.end(), 0);
      generation = 1;
    }
  }
  void Clear() {
    pcs.clear();
    caps.clear();
    if (++generation == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      generation = 1;
    }
  }
};

// A step of ThreadList adding: explore `pc`, or (slot >= 0) put back a
// capture slot's old value.
struct Frame {
  uint32_t pc;
  int32_t slot;
  int32_t old;
};

struct Scratch {
  ThreadList a, b;
  std::vector<int32_t> caps;  // the caps being built while adding
  std::vector<int32_t> best;  // the best match's caps so far
  std::vector<Frame> stack;
};

}  // namespace

// ---------------------------------------------------------------------------
// The DFA that tells whether a search can succeed.
//
// A state is the set of program steps that threads wait on (token steps,
// Match, and end-of-input assertions) with captures ignored. Reading a
// token of class `mask` advances every token step whose predicate's bit is
// in the mask, and adds the program's start again, since a match may begin
// at any later token. A match exists as soon as a state holds Match, or at
// the end when an end-of-input assertion leads to Match. Which match the VM
// then reports (leftmost-first, captures) is still the VM's business.
//
// States are built on first need and kept per thread (no locks), keyed by
// the pattern's serial number. A DFA that grows past kMaxStates states,
// kMaxClasses token classes or a kMaxTable-entry transition table is
// switched off for that pattern and thread: the VM alone then runs as it
// did before the DFA existed.

struct TokenPattern::Dfa {
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr size_t kMaxStates = 2000;
  static constexpr size_t kMaxClasses = 1024;
  static constexpr size_t kMaxTable = size_t{1} << 20;  // entries: 4 MB
  // A state id in the transition table carries kMatch when the state
  // holds Match, so the scan tests one word per token.
  static constexpr uint32_t kMatch = 0x80000000u;
  static constexpr uint32_t kId = 0x7FFFFFFFu;
  struct State {
    std::vector<uint32_t> steps;  // sorted
    int8_t end_match[2] = {-1, -1};  // by bol; -1: not computed yet
  };
  std::vector<State> states;
  // The next state (with its kMatch bit) of state s on class c is
  // table[s * stride + c]; kNone until built. The stride doubles when the
  // classes outgrow it.
  std::vector<uint32_t> table;
  size_t stride = 16;
  std::map<std::vector<uint32_t>, uint32_t> ids;
  uint32_t start[2] = {kNone, kNone};  // by bol
  bool off = false;
  // Token classes are numbered as they are met: class_masks[id] is the
  // mask of class `id`. A direct-mapped memo from a token's (letters, word)
  // to its class id spares testing every predicate at every token.
  std::vector<uint64_t> class_masks;
  std::unordered_map<uint64_t, uint32_t> class_ids;
  struct Memo {
    uint64_t letters = 0;
    int32_t word = 0;
    uint32_t id = kNone;
  };
  static constexpr int kMemoBits = 8;
  Memo memo[1 << kMemoBits];
  // Scratch for building a state.
  std::vector<uint32_t> set, mark;
  uint32_t generation = 0;

  uint32_t NextGeneration(size_t program_size) {
    if (mark.size() < program_size) mark.assign(program_size, 0);
    if (++generation == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      generation = 1;
    }
    return generation;
  }
  static size_t MemoSlot(uint64_t letters, int32_t word) {
    const uint64_t h = (letters ^ (static_cast<uint64_t>(static_cast<uint32_t>(
                                      word)) << 40)) *
                       0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> (64 - kMemoBits));
  }
  // The state for `steps` (sorted and unique), added when new; kNone and
  // the DFA off when there would be too many.
  uint32_t Intern(const std::vector<uint32_t>& steps, const TokenPattern& tp) {
    const auto it = ids.find(steps);
    if (it != ids.end()) return it->second;
    if (states.size() >= kMaxStates ||
        (states.size() + 1) * stride > kMaxTable) {
      off = true;
      return kNone;
    }
    auto id = static_cast<uint32_t>(states.size());
    State st;
    st.steps = steps;
    for (const uint32_t pc : steps) {
      if (tp.program_[pc].op == Op::kMatch) id |= kMatch;
    }
    states.push_back(std::move(st));
    table.resize(states.size() * stride, kNone);
    ids.emplace(steps, id);
    return id;
  }
  // Room for class `cls` in every state's row; false (and the DFA off)
  // past kMaxTable.
  bool Widen(size_t cls) {
    if (cls < stride) return true;
    size_t wider = stride;
    while (wider <= cls) wider *= 2;
    if (states.size() * wider > kMaxTable) {
      off = true;
      return false;
    }
    std::vector<uint32_t> grown(states.size() * wider, kNone);
    for (size_t st = 0; st < states.size(); ++st) {
      std::copy_n(table.begin() + static_cast<ptrdiff_t>(st * stride), stride,
                  grown.begin() + static_cast<ptrdiff_t>(st * wider));
    }
    table = std::move(grown);
    stride = wider;
    return true;
  }
};

void TokenPattern::Closure(uint32_t pc, bool bol, bool eol,
                           std::vector<uint32_t>* set,
                           std::vector<uint32_t>* mark,
                           uint32_t generation) const {
  thread_local std::vector<uint32_t> stack;
  stack.clear();
  stack.push_back(pc);
  while (!stack.empty()) {
    const uint32_t at = stack.back();
    stack.pop_back();
    if ((*mark)[at] == generation) continue;
    (*mark)[at] = generation;
    const Inst& in = program_[at];
    switch (in.op) {
      case Op::kJmp:
        stack.push_back(in.x);
        break;
      case Op::kSplit:
        stack.push_back(in.y);
        stack.push_back(in.x);
        break;
      case Op::kSave:
        stack.push_back(at + 1);
        break;
      case Op::kBol:
        if (bol) stack.push_back(at + 1);
        break;
      case Op::kEol:
        if (eol) {
          stack.push_back(at + 1);
        } else {
          set->push_back(at);  // decided at the end of the input
        }
        break;
      case Op::kToken:
      case Op::kMatch:
        set->push_back(at);
        break;
    }
  }
}

TokenPattern::Dfa* TokenPattern::ThreadDfa() const {
  // Keyed by serial, not address: a pattern compiled where a destroyed one
  // lived must not find the old one's states. A direct-mapped cache in
  // front of the map: a rule set's serials are consecutive, so its patterns
  // do not collide there.
  struct Recent {
    uint64_t serial = 0;
    Dfa* dfa = nullptr;
  };
  thread_local Recent recent[64];
  thread_local std::unordered_map<uint64_t, std::unique_ptr<Dfa>> dfas;
  Recent& slot = recent[serial_ % 64];
  if (slot.serial == serial_ && slot.dfa != nullptr) return slot.dfa;
  std::unique_ptr<Dfa>& dfa = dfas[serial_];
  if (dfa == nullptr) {
    // Programs that compile many patterns (tests, a rule editor) would
    // otherwise keep every dead pattern's DFA.
    if (dfas.size() > 1024) {
      dfas.clear();
      for (Recent& r : recent) r = Recent{};
      return ThreadDfa();
    }
    dfa = std::make_unique<Dfa>();
  }
  slot = Recent{serial_, dfa.get()};
  return dfa.get();
}

uint32_t TokenPattern::DfaStart(Dfa* dfa, bool bol) const {
  uint32_t& start = dfa->start[bol ? 1 : 0];
  if (start == Dfa::kNone) {
    dfa->set.clear();
    Closure(0, bol, false, &dfa->set, &dfa->mark,
            dfa->NextGeneration(program_.size()));
    std::sort(dfa->set.begin(), dfa->set.end());
    start = dfa->Intern(dfa->set, *this);
  }
  return start;
}

uint32_t TokenPattern::DfaClass(Dfa* dfa, uint64_t letters,
                                int32_t word) const {
  uint64_t mask = 0;
  for (size_t b = 0; b < class_pred_.size(); ++b) {
    if (predicates_[class_pred_[b]].Test(letters, word)) {
      mask |= uint64_t{1} << b;
    }
  }
  auto it = dfa->class_ids.find(mask);
  if (it == dfa->class_ids.end()) {
    if (dfa->class_masks.size() >= Dfa::kMaxClasses) {
      dfa->off = true;
      return Dfa::kNone;
    }
    it = dfa->class_ids
             .emplace(mask, static_cast<uint32_t>(dfa->class_masks.size()))
             .first;
    dfa->class_masks.push_back(mask);
    if (!dfa->Widen(it->second)) return Dfa::kNone;
  }
  dfa->memo[Dfa::MemoSlot(letters, word)] = Dfa::Memo{letters, word, it->second};
  return it->second;
}

uint32_t TokenPattern::DfaStep(Dfa* dfa, uint32_t state, uint32_t cls) const {
  state &= Dfa::kId;
  const uint64_t mask = dfa->class_masks[cls];
  const uint32_t generation = dfa->NextGeneration(program_.size());
  dfa->set.clear();
  for (const uint32_t pc : dfa->states[state].steps) {
    const Inst& in = program_[pc];
    if (in.op == Op::kToken && ((mask >> class_bit_[in.x]) & 1) != 0) {
      Closure(pc + 1, false, false, &dfa->set, &dfa->mark, generation);
    }
  }
  Closure(0, false, false, &dfa->set, &dfa->mark, generation);
  std::sort(dfa->set.begin(), dfa->set.end());
  const uint32_t to = dfa->Intern(dfa->set, *this);
  if (to != Dfa::kNone) dfa->table[state * dfa->stride + cls] = to;
  return to;
}

bool TokenPattern::DfaEndMatch(Dfa* dfa, uint32_t state, bool bol) const {
  if ((state & Dfa::kMatch) != 0) return true;
  state &= Dfa::kId;
  int8_t& known = dfa->states[state].end_match[bol ? 1 : 0];
  if (known < 0) {
    const uint32_t generation = dfa->NextGeneration(program_.size());
    dfa->set.clear();
    // Copied: Closure appends to dfa->set, not to the state.
    const std::vector<uint32_t> steps = dfa->states[state].steps;
    for (const uint32_t pc : steps) {
      if (program_[pc].op == Op::kEol) {
        Closure(pc + 1, bol, true, &dfa->set, &dfa->mark, generation);
      }
    }
    known = 0;
    for (const uint32_t pc : dfa->set) {
      if (program_[pc].op == Op::kMatch) known = 1;
    }
  }
  return known == 1;
}

uint32_t TokenPattern::NextAnchor(const Input& input, uint32_t pos) const {
  while (pos < input.size &&
         !predicates_[anchor_].Test(input.letters[pos], input.words[pos])) {
    ++pos;
  }
  return pos;
}

bool TokenPattern::MatchExists(const Input& input, uint32_t from) const {
  if (!use_dfa_) return true;
  Dfa* dfa = ThreadDfa();
  if (dfa->off) return true;
  uint32_t state = DfaStart(dfa, from == 0);
  if (state == Dfa::kNone) return true;
  // The idle state (what a fresh start gives, nothing else in flight) is
  // where most tokens are read. From it, every match, fresh or already in
  // flight, still needs a token passing the anchor within anchor_reach_
  // tokens (a thread at a step of the idle state has a fresh start's
  // future), so the scan jumps to the first token that can reach one.
  const bool skips = anchor_ != kNoAnchor && !nullable_;
  const uint32_t idle = skips ? DfaStart(dfa, false) : Dfa::kNone;
  if (idle == Dfa::kNone && skips) return true;
  uint32_t anchor_at = 0;  // the first anchor token at or after it, once set
  bool anchor_set = false;
  const uint32_t n = input.size;
  for (uint32_t pos = from; pos < n; ++pos) {
    if ((state & Dfa::kMatch) != 0) return true;
    if (state == idle) {
      if (!anchor_set || anchor_at < pos) {
        anchor_set = true;
        anchor_at = NextAnchor(input, pos);
      }
      if (anchor_at == n) return false;
      if (anchor_at - pos > anchor_reach_) pos = anchor_at - anchor_reach_;
    }
    // Only the letters and words the predicates test tell classes apart,
    // which makes the memo's keys fewer.
    const uint64_t letters = input.letters[pos] & class_letters_;
    const int32_t word = class_words_ ? input.words[pos] : -1;
    const Dfa::Memo& memo = dfa->memo[Dfa::MemoSlot(letters, word)];
    uint32_t cls = memo.id;
    if (cls == Dfa::kNone || memo.letters != letters || memo.word != word) {
      cls = DfaClass(dfa, letters, word);
      if (cls == Dfa::kNone) return true;
    }
    uint32_t to = dfa->table[(state & Dfa::kId) * dfa->stride + cls];
    if (to == Dfa::kNone) {
      to = DfaStep(dfa, state, cls);
      if (to == Dfa::kNone) return true;
    }
    state = to;
  }
  return DfaEndMatch(dfa, state, n == 0);
}

bool TokenPattern::Search(const Input& input, uint32_t from,
                          Match* match) const {
  if (!MatchExists(input, from)) return false;
  thread_local Scratch scratch;
  ThreadList* clist = &scratch.a;
  ThreadList* nlist = &scratch.b;
  clist->Reset(program_.size(), slots_);
  nlist->Reset(program_.size(), slots_);
  std::vector<int32_t>& caps = scratch.caps;
  const uint32_t n = input.size;

  // Follows jumps, splits, saves and assertions from `pc` at token `pos`,
  // adding the threads that wait on a token or a match, in priority order.
  // Depth-first with an explicit stack (a long chain of optional items
  // would be a deep recursion): a split explores its first branch entirely
  // before its second, and a save's old value is restored once everything
  // after it is explored.
  // Every pc is explored at most once per add, and each exploration pushes
  // at most two frames: 2 * size + 1 frames are enough, so pushes need no
  // capacity checks.
  std::vector<Frame>& stack_storage = scratch.stack;
  if (stack_storage.size() < 2 * program_.size() + 2) {
    stack_storage.resize(2 * program_.size() + 2);
  }
  Frame* const stack = stack_storage.data();
  auto add = [&](ThreadList* list, uint32_t start, uint32_t pos) {
    size_t top = 0;
    stack[top++] = Frame{start, -1, 0};
    while (top > 0) {
      assert(top + 1 <= stack_storage.size());
      const Frame f = stack[--top];
      if (f.slot >= 0) {
        caps[static_cast<size_t>(f.slot)] = f.old;
        continue;
      }
      const uint32_t pc = f.pc;
      if (list->mark[pc] == list->generation) continue;
      list->mark[pc] = list->generation;
      const Inst& in = program_[pc];
      switch (in.op) {
        case Op::kJmp:
          stack[top++] = Frame{in.x, -1, 0};
          break;
        case Op::kSplit:
          stack[top++] = Frame{in.y, -1, 0};
          stack[top++] = Frame{in.x, -1, 0};
          break;
        case Op::kSave:
          stack[top++] = Frame{0, static_cast<int32_t>(in.x), caps[in.x]};
          caps[in.x] = static_cast<int32_t>(pos);
          stack[top++] = Frame{pc + 1, -1, 0};
          break;
        case Op::kBol:
          if (pos == 0) stack[top++] = Frame{pc + 1, -1, 0};
          break;
        case Op::kEol:
          if (pos == n) stack[top++] = Frame{pc + 1, -1, 0};
          break;
        case Op::kToken:
        case Op::kMatch:
          list->pcs.push_back(pc);
          list->caps.insert(list->caps.end(), caps.begin(), caps.end());
          break;
      }
    }
  };

  bool matched = false;
  std::vector<int32_t>& best = scratch.best;
  uint32_t anchor_at = 0;  // the first anchor token at or after it, once set
  bool anchor_set = false;
  for (uint32_t pos = from; pos <= n; ++pos) {
    if (!matched) {
      // Nothing in flight: skip to where a match can begin.
      if (clist->pcs.empty() && !nullable_) {
        // A start needs a token passing the anchor within anchor_reach_
        // tokens, and a first token the program can take.
        for (;;) {
          if (anchor_ != kNoAnchor) {
            if (!anchor_set || anchor_at < pos) {
              anchor_set = true;
              anchor_at = NextAnchor(input, pos);
            }
            if (anchor_at == n) {
              pos = n;
              break;
            }
            if (anchor_at - pos > anchor_reach_) pos = anchor_at - anchor_reach_;
          }
          while (pos < n && !CanStartAt(input, pos)) ++pos;
          if (pos == n || anchor_ == kNoAnchor || anchor_at >= pos) break;
        }
        if (pos == n) break;
      }
      caps.assign(slots_, -1);
      add(clist, 0, pos);
    }
    // Matched, and no thread that outranks it is left.
    if (matched && clist->pcs.empty()) break;
    for (size_t t = 0; t < clist->pcs.size(); ++t) {
      const uint32_t pc = clist->pcs[t];
      const Inst& in = program_[pc];
      const int32_t* tcaps = clist->caps.data() + t * slots_;
      if (in.op == Op::kMatch) {
        // This thread outranks every one after it: cut them.
        best.assign(tcaps, tcaps + slots_);
        matched = true;
        break;
      }
      // kToken
      if (pos < n &&
          predicates_[in.x].Test(input.letters[pos], input.words[pos])) {
        caps.assign(tcaps, tcaps + slots_);
        add(nlist, pc + 1, pos + 1);
      }
    }
    std::swap(clist, nlist);
    nlist->Clear();
  }
  if (!matched) return false;
  match->begin = static_cast<uint32_t>(best[0]);
  match->end = static_cast<uint32_t>(best[1]);
  match->captures.resize(2 * names_.size());
  for (size_t k = 0; k < names_.size(); ++k) {
    match->captures[2 * k] = best[name_slot_[k]];
    match->captures[2 * k + 1] = best[name_slot_[k] + 1];
  }
  return true;
}

}  // namespace extract
