// Rule files: parsing, compilation of the token-pattern language to token
// automata (and to RE2, the reference), and matching over a sentence's
// tokens. See rules.h and gazetteers/rules/README.md.
#include "rules.h"

#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace extract {
namespace {

namespace fs = std::filesystem;

struct Letter {
  char letter;
  uint64_t feature;  // 0 for letters computed from the token itself
};

// The feature letters, in the order they appear inside a unit. Letters
// computed from token shape have feature 0 and are handled in UnitLetters.
constexpr Letter kLetters[] = {
    {'B', kFeatSentenceStart}, {'C', 0}, {'A', 0}, {'l', 0}, {'N', 0},
    {'P', 0}, {'j', 0},
    {'T', kFeatTitle}, {'H', kFeatHonorific}, {'F', kFeatFirstName},
    {'p', kFeatPlace}, {'g', kFeatGroup}, {'e', kFeatPerson},
    {'Y', kFeatDemonym}, {'V', kFeatTrigger},
    {'S', kFeatOrgSuffix}, {'K', kFeatOrgPrefix}, {'Q', kFeatPlaceSuffix},
    {'R', kFeatPlaceNoun}, {'L', kFeatLocative},
    {'M', kFeatMilitaryNoun}, {'O', kFeatPoliceNoun},
    {'G', kFeatGovernmentNoun}, {'U', kFeatMissionNoun},
    {'X', kFeatCasualtyNoun}, {'Z', kFeatFatalityCue}, {'I', kFeatInjuryCue},
    {'n', kFeatNegation}, {'W', kFeatFunctionWord}, {'D', kFeatDate},
    {'c', kFeatCurrency}, {'k', kFeatScale}, {'q', kFeatVagueQuantity},
    {'r', kFeatPronoun}, {'a', kFeatNationalityNoun},
    {'o', kFeatDirection}, {'m', kFeatArmedNoun}, {'w', kFeatWeaponNoun},
    {'x', kFeatApproximator}, {'f', kFeatModalFuture},
    {'h', kFeatCompoundHead}, {'s', kFeatSportsCue}, {'i', 0},
    {'t', kFeatArmedTarget}, {'u', kFeatCivilianNoun},
};

constexpr int LetterIndex(char c) {
  for (size_t i = 0; i < std::size(kLetters); ++i) {
    if (kLetters[i].letter == c) return static_cast<int>(i);
  }
  return -1;
}

bool HasLetter(const Token& t, uint64_t features, const Letter& l) {
  switch (l.letter) {
    case 'C': return t.has(kCapitalized);
    case 'A': return t.has(kAllCaps);
    case 'l': return t.has(kLower);
    case 'N':
      return t.kind == TokenKind::kNumber || (features & kFeatNumberWord);
    case 'P': return t.kind == TokenKind::kPunct && !t.has(kJoiner);
    case 'j': return t.has(kJoiner);
    case 'i':  // an initial: one capital letter ("S" in "S. Waugh")
      return t.has(kCapitalized) && t.key.size() == 1 && t.key[0] >= 'a' &&
             t.key[0] <= 'z';
    default: return (features & l.feature) != 0;
  }
}

// Compiles "{...}" (already stripped of braces) to a unit regex.
Result<std::string> CompileFeatureSet(std::string_view spec) {
  std::vector<int> required;
  std::string forbidden;
  std::vector<std::vector<int>> any_of;  // {C|A}: one of these letters
  bool negate = false;
  for (size_t i = 0; i < spec.size(); ++i) {
    char c = spec[i];
    if (c == ' ') continue;
    if (c == '!') {
      negate = true;
      continue;
    }
    if (c == '|') {
      return Status::BadRule("'|' inside {} is not supported; use ({X}|{Y})");
    }
    int idx = LetterIndex(c);
    if (idx < 0) {
      return Status::BadRule(std::string("unknown feature letter '") + c + "'");
    }
    if (negate) {
      forbidden += c;
      negate = false;
    } else {
      required.push_back(idx);
    }
  }
  std::sort(required.begin(), required.end());
  std::string filler = "[^>" + forbidden + "]*";
  std::string out = "(?:<[^|>]*\\|" + filler;
  for (int idx : required) {
    out += kLetters[idx].letter;
    out += filler;
  }
  out += ">)";
  return out;
}

}  // namespace

struct RuleSet::Compiled {
  std::vector<TokenPattern> patterns;  // parallel to rules_
  TokenPattern::Vocabulary vocabulary;  // their word literals

  // The vocabulary's words by their id in the gazetteer given to Load
  // (Gazetteer::KeyId): most tokens' keys are in the gazetteer, whose id the
  // pipeline has already looked up, so finding a rule word costs a probe of
  // this small table rather than a hash of the key. Open addressing, a
  // power of two at most half full: (gazetteer id, word id), id -1 empty.
  std::vector<std::pair<int64_t, int32_t>> by_gazetteer_id;
  uint64_t gazetteer_serial = 0;  // whose ids these are; 0: none
  // Every word has a gazetteer id, so a key without one is no word.
  bool all_in_gazetteer = false;

  void IndexByGazetteerId(const Gazetteer& g);
  // The first slot to probe for `id` in a table of `size` (a power of two).
  static size_t Slot(int64_t id, size_t size) {
    return static_cast<size_t>(
               (static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ULL) >> 32) &
           (size - 1);
  }
  int32_t FindByGazetteerId(int64_t id, std::string_view key) const;
};

void RuleSet::Compiled::IndexByGazetteerId(const Gazetteer& g) {
  by_gazetteer_id.clear();
  gazetteer_serial = 0;
  size_t size = 16;
  while (size < 2 * vocabulary.size()) size *= 2;
  std::vector<std::pair<int64_t, int32_t>> table(size, {-1, -1});
  bool all = true;
  for (uint32_t w = 0; w < vocabulary.size(); ++w) {
    const std::string_view word = vocabulary.word(w);
    // Find reads '<', '>' and '|' in a key as '_': a word with '_' also
    // matches keys that differ from it, which an id cannot stand for.
    if (word.find('_') != std::string_view::npos) return;
    const int64_t id = g.KeyId(word);
    if (id < 0) {
      all = false;
      continue;
    }
    size_t i = Slot(id, size);
    while (table[i].first >= 0) i = (i + 1) & (size - 1);
    table[i] = {id, static_cast<int32_t>(w)};
  }
  by_gazetteer_id = std::move(table);
  gazetteer_serial = g.serial();
  all_in_gazetteer = all;
}

int32_t RuleSet::Compiled::FindByGazetteerId(int64_t id,
                                             std::string_view key) const {
  if (id < 0) return all_in_gazetteer ? -1 : vocabulary.Find(key);
  const size_t mask = by_gazetteer_id.size() - 1;
  for (size_t i = Slot(id, by_gazetteer_id.size());
       by_gazetteer_id[i].first >= 0; i = (i + 1) & mask) {
    if (by_gazetteer_id[i].first == id) return by_gazetteer_id[i].second;
  }
  return -1;
}

RuleSet::RuleSet() : compiled_(std::make_unique<Compiled>()) {}
RuleSet::~RuleSet() = default;

Result<std::string> RuleSet::CompilePattern(std::string_view p) {
  std::string out;
  size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c == '{' && i + 1 < p.size() &&
               !(p[i + 1] >= '0' && p[i + 1] <= '9')) {
      size_t close = p.find('}', i);
      if (close == std::string_view::npos) {
        return Status::BadRule("unclosed '{' at column " + std::to_string(i + 1));
      }
      auto unit = CompileFeatureSet(p.substr(i + 1, close - i - 1));
      if (!unit.ok()) return unit.status();
      out += *unit;
      i = close + 1;
    } else if (c == '"') {
      size_t close = p.find('"', i + 1);
      if (close == std::string_view::npos) {
        return Status::BadRule("unclosed '\"' at column " + std::to_string(i + 1));
      }
      std::string_view words = p.substr(i + 1, close - i - 1);
      if (words.empty()) return Status::BadRule("empty word literal");
      out += "(?:<(?:";
      size_t start = 0;
      bool first = true;
      while (start <= words.size()) {
        size_t bar = words.find('|', start);
        if (bar == std::string_view::npos) bar = words.size();
        std::string w(words.substr(start, bar - start));
        if (w.empty()) return Status::BadRule("empty word in literal");
        if (!first) out += '|';
        first = false;
        for (char& ch : w) {
          if (ch == '<' || ch == '>' || ch == '|') ch = '_';
          if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        out += RE2::QuoteMeta(w);
        start = bar + 1;
      }
      out += ")\\|[^>]*>)";
      i = close + 1;
    } else if (c == '.') {
      out += "(?:<[^>]*>)";
      ++i;
    } else if (c == '(' && p.substr(i, 4) == "(?P<") {
      size_t close = p.find('>', i);
      if (close == std::string_view::npos) {
        return Status::BadRule("unclosed capture name");
      }
      out += p.substr(i, close - i + 1);
      i = close + 1;
    } else if (c == '(' || c == ')' || c == '?' || c == '*' || c == '+' ||
               c == '|' || c == '^' || c == '$') {
      out += c;
      ++i;
    } else if (c == '{') {  // a repetition count, e.g. {1,3}
      size_t close = p.find('}', i);
      if (close == std::string_view::npos) {
        return Status::BadRule("unclosed '{'");
      }
      out += p.substr(i, close - i + 1);
      i = close + 1;
    } else {
      return Status::BadRule(std::string("unexpected character '") + c +
                             "' at column " + std::to_string(i + 1));
    }
  }
  if (out.empty()) return Status::BadRule("empty pattern");
  return out;
}

std::string RuleSet::Encode(const std::vector<Token>& tokens,
                            const std::vector<uint64_t>& features,
                            uint32_t begin, uint32_t end,
                            std::vector<uint32_t>* unit_starts) {
  std::string out;
  out.reserve((end - begin) * 16);
  unit_starts->clear();
  for (uint32_t i = begin; i < end; ++i) {
    const Token& t = tokens[i];
    unit_starts->push_back(static_cast<uint32_t>(out.size()));
    out += '<';
    for (char ch : t.key) {
      out += (ch == '<' || ch == '>' || ch == '|') ? '_' : ch;
    }
    out += '|';
    for (const Letter& l : kLetters) {
      if (HasLetter(t, features[i], l)) out += l.letter;
    }
    out += '>';
  }
  unit_starts->push_back(static_cast<uint32_t>(out.size()));
  return out;
}

Result<std::unique_ptr<RuleSet>> RuleSet::Load(const std::string& dir,
                                               const Gazetteer& gazetteer,
                                               std::vector<Problem>* problems) {
  std::vector<Problem> local;
  if (problems == nullptr) problems = &local;
  const size_t first_problem = problems->size();
  std::unique_ptr<RuleSet> rs(new RuleSet());
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(dir + ": rules directory not found");
  }
  std::vector<fs::path> files;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    if (de.is_regular_file() && de.path().extension() == ".rules") {
      files.push_back(de.path());
    }
  }
  std::sort(files.begin(), files.end());
  const std::string label =
      gazetteer.dir_label() + "/" + fs::path(dir).lexically_normal().filename().string();
  std::unordered_set<std::string> ids;
  for (const fs::path& path : files) {
    const std::string file = label + "/" + path.filename().string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problems->push_back({file, 0, "cannot open", true});
      continue;
    }
    std::string line;
    uint32_t ln = 0;
    std::string purpose;
    while (std::getline(in, line)) {
      ++ln;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        purpose.clear();
        continue;
      }
      if (line[0] == '#') {
        purpose = line.substr(1);
        while (!purpose.empty() && purpose.front() == ' ') purpose.erase(0, 1);
        continue;
      }
      auto bad = [&](const std::string& msg) {
        problems->push_back({file, ln, msg, true});
      };
      size_t t1 = line.find('\t');
      size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
      if (t2 == std::string::npos) {
        bad("expected three tab-separated fields: id, action, pattern");
        continue;
      }
      Rule r;
      r.id = line.substr(0, t1);
      std::string action = line.substr(t1 + 1, t2 - t1 - 1);
      r.pattern = line.substr(t2 + 1);
      r.source = file + ":" + std::to_string(ln);
      r.purpose = purpose;
      if (!ids.insert(r.id).second) {
        bad("duplicate rule id '" + r.id + "'");
        continue;
      }
      // action: person|place|group[/role][:resolver], trigger=<event id>,
      // acronym, veto.
      if (action.rfind("trigger=", 0) == 0) {
        r.action = RuleAction::kTrigger;
        std::string id = action.substr(8);
        r.event_entry = gazetteer.Find(id);
        if (r.event_entry < 0 ||
            gazetteer.entry(r.event_entry).type != EntryType::kEvent) {
          bad("unknown event trigger id '" + id + "'");
          continue;
        }
      } else if (action == "acronym") {
        r.action = RuleAction::kAcronym;
      } else if (action == "veto") {
        r.action = RuleAction::kVeto;
      } else {
        std::string type = action, role, resolver;
        if (size_t colon = type.find(':'); colon != std::string::npos) {
          resolver = type.substr(colon + 1);
          type.resize(colon);
        }
        if (size_t slash = type.find('/'); slash != std::string::npos) {
          role = type.substr(slash + 1);
          type.resize(slash);
        }
        if (type == "person") r.type = EntityType::kPerson;
        else if (type == "place") r.type = EntityType::kPlace;
        else if (type == "group") r.type = EntityType::kGroup;
        else {
          bad("unknown action '" + action + "'");
          continue;
        }
        if (role.empty() || role == "name") r.role = MentionRole::kName;
        else if (role == "descriptor") r.role = MentionRole::kDescriptor;
        else if (role == "acronym") r.role = MentionRole::kAcronym;
        else {
          bad("unknown mention role '" + role + "'");
          continue;
        }
        if (!resolver.empty() && resolver != "military" &&
            resolver != "police" && resolver != "government" &&
            resolver != "forces" &&
            !(resolver.rfind("acled:", 0) == 0 && resolver.size() > 6)) {
          bad("unknown resolver '" + resolver + "'");
          continue;
        }
        r.resolver = resolver;
      }
      auto compiled = TokenPattern::Compile(r.pattern, &LetterIndex,
                                            &rs->compiled_->vocabulary);
      if (!compiled.ok()) {
        bad("bad pattern: " + compiled.status().message());
        continue;
      }
      if (auto re2 = CompilePattern(r.pattern); re2.ok()) r.compiled = *re2;
      rs->rules_.push_back(std::move(r));
      rs->compiled_->patterns.push_back(std::move(*compiled));
    }
  }
  for (size_t i = first_problem; i < problems->size(); ++i) {
    if ((*problems)[i].error) {
      return Status::BadRule((*problems)[i].ToString());
    }
  }
  rs->compiled_->IndexByGazetteerId(gazetteer);
  return rs;
}

namespace {

// Letters that stand for one feature bit, by the bit: Letters ORs the
// entries of the token's set bits.
struct FeatureLetterTable {
  uint64_t by_feature[64] = {};
};
constexpr FeatureLetterTable MakeFeatureLetterTable() {
  FeatureLetterTable out;
  for (size_t i = 0; i < std::size(kLetters); ++i) {
    const uint64_t f = kLetters[i].feature;
    if (f != 0 && (f & (f - 1)) == 0) {
      out.by_feature[std::countr_zero(f)] |= uint64_t{1} << i;
    }
  }
  return out;
}
constexpr FeatureLetterTable kFeatureLetters = MakeFeatureLetterTable();

constexpr uint64_t LetterBit(char c) {
  return uint64_t{1} << LetterIndex(c);
}

// Every letter is either one feature bit or one of the shape letters that
// Letters tests itself (those of HasLetter's switch).
constexpr bool LettersCovered() {
  for (const Letter& l : kLetters) {
    const bool one_bit = l.feature != 0 && (l.feature & (l.feature - 1)) == 0;
    const bool shape = l.letter == 'C' || l.letter == 'A' || l.letter == 'l' ||
                       l.letter == 'N' || l.letter == 'P' || l.letter == 'j' ||
                       l.letter == 'i';
    if (one_bit == shape || (shape && l.feature != 0)) return false;
  }
  return std::size(kLetters) <= 64;
}
static_assert(LettersCovered());

}  // namespace

uint64_t RuleSet::Letters(const Token& t, uint64_t features) {
  // Letters that stand for one feature bit come from a table indexed by the
  // bit; the seven computed from the token's shape are tested here (as
  // HasLetter does for Encode).
  uint64_t mask = 0;
  for (uint64_t f = features; f != 0; f &= f - 1) {
    mask |= kFeatureLetters.by_feature[std::countr_zero(f)];
  }
  const bool capitalized = t.has(kCapitalized);
  const bool joiner = t.has(kJoiner);
  if (capitalized) mask |= LetterBit('C');
  if (t.has(kAllCaps)) mask |= LetterBit('A');
  if (t.has(kLower)) mask |= LetterBit('l');
  if (t.kind == TokenKind::kNumber || (features & kFeatNumberWord) != 0) {
    mask |= LetterBit('N');
  }
  if (t.kind == TokenKind::kPunct && !joiner) mask |= LetterBit('P');
  if (joiner) mask |= LetterBit('j');
  if (capitalized && t.key.size() == 1 && t.key[0] >= 'a' && t.key[0] <= 'z') {
    mask |= LetterBit('i');
  }
  return mask;
}

void RuleSet::Apply(const std::vector<Token>& tokens,
                    const std::vector<uint64_t>& features,
                    const Sentence& sentence,
                    std::vector<RuleHit>* hits) const {
  Apply(tokens, features, sentence, hits, nullptr);
}

void RuleSet::Apply(const std::vector<Token>& tokens,
                    const std::vector<uint64_t>& features,
                    const Sentence& sentence, std::vector<RuleHit>* hits,
                    const Gazetteer& gazetteer,
                    const int64_t* gazetteer_ids) const {
  Apply(tokens, features, sentence, hits,
        gazetteer.serial() == compiled_->gazetteer_serial ? gazetteer_ids
                                                          : nullptr);
}

void RuleSet::Apply(const std::vector<Token>& tokens,
                    const std::vector<uint64_t>& features,
                    const Sentence& sentence, std::vector<RuleHit>* hits,
                    const int64_t* ids) const {
  if (rules_.empty() || sentence.token_end <= sentence.token_begin) return;
  const uint32_t base = sentence.token_begin;
  const uint32_t n = sentence.token_end - base;
  thread_local std::vector<uint64_t> letters;
  thread_local std::vector<int32_t> words;
  thread_local std::vector<uint64_t> word_bits;  // the words present
  letters.resize(n);
  words.resize(n);
  word_bits.assign((compiled_->vocabulary.size() + 63) / 64, 0);
  uint64_t letters_any = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tokens[base + i];
    letters[i] = Letters(t, features[base + i]);
    letters_any |= letters[i];
    words[i] = ids != nullptr
                   ? compiled_->FindByGazetteerId(ids[base + i], t.key)
                   : compiled_->vocabulary.Find(t.key);
    if (words[i] >= 0) {
      const auto w = static_cast<uint32_t>(words[i]);
      word_bits[w / 64] |= uint64_t{1} << (w % 64);
    }
  }
  const TokenPattern::Input input{letters.data(), words.data(), n};
  // Match ids are unique across the calls that fill one `hits` vector.
  uint32_t match_id = hits->empty() ? 0 : hits->back().match_id;
  TokenPattern::Match m;
  for (size_t ri = 0; ri < rules_.size(); ++ri) {
    const TokenPattern& pattern = compiled_->patterns[ri];
    if (!pattern.MayMatch(letters_any, word_bits.data(), word_bits.size())) {
      continue;
    }
    const auto& names = pattern.capture_names();
    uint32_t pos = 0;
    while (pos < n && pattern.Search(input, pos, &m)) {
      ++match_id;
      bool named = false;
      for (size_t k = 0; k < names.size(); ++k) {
        const int32_t gb = m.captures[2 * k], ge = m.captures[2 * k + 1];
        if (gb < 0 || ge <= gb) continue;
        named = true;
        hits->push_back(RuleHit{static_cast<uint32_t>(ri), names[k],
                                base + static_cast<uint32_t>(gb),
                                base + static_cast<uint32_t>(ge), match_id});
      }
      if (!named && m.end > m.begin) {
        hits->push_back(RuleHit{static_cast<uint32_t>(ri), "", base + m.begin,
                                base + m.end, match_id});
      }
      pos = m.end > m.begin ? m.end : m.begin + 1;
    }
  }
}

}  // namespace extract
