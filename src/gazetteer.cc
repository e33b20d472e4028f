// Loads gazetteer files (TSV with a header; see gazetteers/README.md) into
// entries and a token trie, validates them, and matches token runs against
// them. See gazetteer.h for the contract.
#include "gazetteer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "normalizer.h"
#include "segmenter.h"

namespace extract {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFixedColumns[] = {"id", "type", "name", "aliases"};
constexpr size_t kMaxAliasTokens = 32;

struct WordClass {
  std::string_view name;
  uint64_t feature;
};
// The word classes of words.tsv and the token features they set.
constexpr WordClass kWordClasses[] = {
    {"org_suffix", kFeatOrgSuffix},
    {"org_prefix", kFeatOrgPrefix},
    {"place_suffix", kFeatPlaceSuffix},
    {"place_noun", kFeatPlaceNoun},
    {"locative", kFeatLocative},
    {"military_noun", kFeatMilitaryNoun},
    {"police_noun", kFeatPoliceNoun},
    {"government_noun", kFeatGovernmentNoun},
    {"mission_noun", kFeatMissionNoun},
    {"casualty_noun", kFeatCasualtyNoun},
    {"fatality_cue", kFeatFatalityCue},
    {"injury_cue", kFeatInjuryCue},
    {"negation", kFeatNegation},
    {"negation_verb", kFeatNegationVerb},
    {"modal_possible", kFeatModalPossible},
    {"modal_threat", kFeatModalThreat},
    {"modal_intent", kFeatModalIntent},
    {"number", kFeatNumberWord},
    {"vague_quantity", kFeatVagueQuantity},
    {"scale", kFeatScale},
    {"currency", kFeatCurrency},
    {"function_word", kFeatFunctionWord},
    {"pronoun", kFeatPronoun},
    {"nationality_noun", kFeatNationalityNoun},
    {"evidential_cue", kFeatEvidential},
    {"direction", kFeatDirection},
    {"armed_noun", kFeatArmedNoun},
    {"weapon_noun", kFeatWeaponNoun},
    {"approximator", kFeatApproximator},
    {"modal_future", kFeatModalFuture},
    {"compound_head", kFeatCompoundHead},
    {"sports_cue", kFeatSportsCue},
    {"armed_target", kFeatArmedTarget},
    {"civilian_noun", kFeatCivilianNoun},
};

bool ParseType(std::string_view s, EntryType* type) {
  static constexpr std::pair<std::string_view, EntryType> kTypes[] = {
      {"place", EntryType::kPlace},       {"group", EntryType::kGroup},
      {"person", EntryType::kPerson},     {"title", EntryType::kTitle},
      {"honorific", EntryType::kHonorific},
      {"first_name", EntryType::kFirstName},
      {"event", EntryType::kEvent},       {"word", EntryType::kWord},
  };
  for (const auto& [name, t] : kTypes) {
    if (s == name) {
      *type = t;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path.string() + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(path.string() + ": read failed");
  return ss.str();
}

// Iterates the lines of a text, 1-based, without the line terminator.
template <typename F>
void ForEachLine(std::string_view text, F&& f) {
  uint32_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(++line_no, line);
    start = nl + 1;
  }
}

}  // namespace

std::string_view ToString(EntryType type) {
  switch (type) {
    case EntryType::kPlace: return "place";
    case EntryType::kGroup: return "group";
    case EntryType::kPerson: return "person";
    case EntryType::kTitle: return "title";
    case EntryType::kHonorific: return "honorific";
    case EntryType::kFirstName: return "first_name";
    case EntryType::kEvent: return "event";
    case EntryType::kWord: return "word";
  }
  return "word";
}

int MatchClass(EntryType type) {
  switch (type) {
    case EntryType::kPlace:
    case EntryType::kGroup:
    case EntryType::kPerson: return 0;
    case EntryType::kTitle:
    case EntryType::kHonorific: return 1;
    case EntryType::kFirstName: return 2;
    case EntryType::kEvent: return 3;
    case EntryType::kWord: return 4;
  }
  return 4;
}

std::string Problem::ToString() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!error) out += "warning: ";
  out += message;
  return out;
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(
    const std::string& dir, std::vector<Problem>* problems) {
  std::vector<Problem> local;
  if (problems == nullptr) problems = &local;
  const size_t first_problem = problems->size();

  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(dir + ": gazetteer directory not found");
  }
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  g->payloads_.emplace_back();  // root
  fs::path dir_path = fs::path(dir).lexically_normal();
  if (dir_path.filename().empty()) dir_path = dir_path.parent_path();
  g->dir_label_ = dir_path.filename().string();
  if (g->dir_label_.empty() || g->dir_label_ == ".") {
    g->dir_label_ = fs::absolute(dir_path).lexically_normal().filename().string();
  }

  auto problem = [&](const std::string& file, uint32_t line, std::string msg,
                     bool error = true) {
    problems->push_back(
        Problem{g->dir_label_ + "/" + file, line, std::move(msg), error});
  };

  std::vector<std::string> tsv_files;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    if (!de.is_regular_file()) continue;
    std::string name = de.path().filename().string();
    if (name.size() > 4 && name.ends_with(".tsv") && name != "taxonomy.tsv") {
      tsv_files.push_back(name);
    }
  }
  std::sort(tsv_files.begin(), tsv_files.end());

  // Valid ACLED pairs and event classes.
  std::unordered_set<std::string> acled_pairs;
  {
    fs::path p = dir_path / "taxonomy.tsv";
    if (fs::exists(p)) {
      auto text = ReadFile(p);
      if (!text.ok()) {
        problem("taxonomy.tsv", 0, text.status().message());
      } else {
        bool header = false;
        ForEachLine(*text, [&](uint32_t ln, std::string_view line) {
          if (Trim(line).empty() || line[0] == '#') return;
          auto f = Split(line, '\t');
          if (!header) {
            header = true;
            if (f.size() < 6 || f[0] != "class") {
              problem("taxonomy.tsv", ln,
                      "header must be: class description acled_event_type "
                      "acled_sub_event_type plover cameo");
            }
            return;
          }
          if (f.size() != 6) {
            problem("taxonomy.tsv", ln,
                    "expected 6 tab-separated fields, found " +
                        std::to_string(f.size()));
            return;
          }
          if (f[0] == "acled") {
            acled_pairs.insert(std::string(f[2]) + "|" + std::string(f[3]));
            return;
          }
          auto [it, inserted] = g->event_classes_.emplace(
              std::string(f[0]),
              EventClass{std::string(f[2]), std::string(f[3]),
                         std::string(f[4]), std::string(f[5])});
          if (!inserted) {
            problem("taxonomy.tsv", ln,
                    "duplicate event class '" + std::string(f[0]) + "'");
          }
        });
      }
    }
  }
  for (const auto& [cls, ec2] : g->event_classes_) {
    if (!ec2.acled_event_type.empty() &&
        !acled_pairs.count(ec2.acled_event_type + "|" +
                           ec2.acled_sub_event_type)) {
      problem("taxonomy.tsv", 0,
              "class '" + cls + "' maps to an unknown ACLED pair '" +
                  ec2.acled_event_type + " / " + ec2.acled_sub_event_type +
                  "'");
    }
  }

  // Plain lists.
  auto load_list = [&](const char* name, std::unordered_set<std::string>* out,
                       bool strip_period) {
    fs::path p = dir_path / name;
    if (!fs::exists(p)) return;
    auto text = ReadFile(p);
    if (!text.ok()) {
      problem(name, 0, text.status().message());
      return;
    }
    ForEachLine(*text, [&](uint32_t, std::string_view line) {
      line = Trim(line);
      if (line.empty() || line[0] == '#') return;
      if (strip_period && line.size() > 1 && line.back() == '.') {
        line.remove_suffix(1);
      }
      out->insert(MatchKey(line));
    });
  };
  load_list("abbreviations.txt", &g->abbreviations_, true);
  load_list("boilerplate.txt", &g->boilerplate_, false);

  // Entry files.
  g->texts_.reserve(tsv_files.size());
  struct Pending {
    uint32_t entry;
    std::string_view value;
    std::string_view what;
  };
  std::vector<Pending> country_refs, affiliation_refs;
  for (const std::string& file : tsv_files) {
    auto text = ReadFile(dir_path / file);
    if (!text.ok()) {
      problem(file, 0, text.status().message());
      continue;
    }
    g->texts_.push_back(std::move(*text));
    const std::string_view content = g->texts_.back();
    const uint16_t file_index = static_cast<uint16_t>(g->files_.size());
    g->files_.push_back(GazetteerFile{file, {}});
    GazetteerFile& gf = g->files_.back();
    size_t ncols = 0;
    int col_demonyms = -1, col_class = -1, col_value = -1, col_lat = -1,
        col_lon = -1, col_country = -1, col_affiliation = -1, col_kind = -1,
        col_iso2 = -1, col_pos = -1, col_acled = -1, col_acled_sub = -1;
    bool has_header = false;
    ForEachLine(content, [&](uint32_t ln, std::string_view line) {
      if (Trim(line).empty() || line[0] == '#') return;
      std::vector<std::string_view> f = Split(line, '\t');
      if (!has_header) {
        has_header = true;
        bool ok = f.size() >= 4;
        for (size_t i = 0; ok && i < 4; ++i) ok = f[i] == kFixedColumns[i];
        if (!ok) {
          problem(file, ln,
                  "header must start with the columns id, type, name, "
                  "aliases");
          ncols = 0;
          return;
        }
        ncols = f.size();
        for (size_t i = 4; i < f.size(); ++i) {
          std::string col(Trim(f[i]));
          int idx = static_cast<int>(i - 4);
          if (col == "demonyms") col_demonyms = idx;
          if (col == "class") col_class = idx;
          if (col == "value") col_value = idx;
          if (col == "lat") col_lat = idx;
          if (col == "lon") col_lon = idx;
          if (col == "country") col_country = idx;
          if (col == "affiliation") col_affiliation = idx;
          if (col == "kind") col_kind = idx;
          if (col == "iso2") col_iso2 = idx;
          if (col == "pos") col_pos = idx;
          if (col == "acled_event_type") col_acled = idx;
          if (col == "acled_sub_event_type") col_acled_sub = idx;
          gf.columns.push_back(std::move(col));
        }
        return;
      }
      if (ncols == 0) return;  // bad header, already reported
      if (f.size() != ncols) {
        problem(file, ln,
                "expected " + std::to_string(ncols) +
                    " tab-separated fields (as in the header), found " +
                    std::to_string(f.size()));
        return;
      }
      Entry e;
      e.id = f[0];
      e.name = f[2];
      e.file = file_index;
      e.line = ln;
      if (e.id.empty() || Trim(e.id) != e.id) {
        problem(file, ln, "empty id or id with surrounding spaces");
        return;
      }
      if (!ParseType(f[1], &e.type)) {
        problem(file, ln, "unknown type '" + std::string(f[1]) + "'");
        return;
      }
      if (e.name.empty() || Trim(e.name) != e.name) {
        problem(file, ln, "empty name or name with surrounding spaces");
        return;
      }
      e.first_cell = static_cast<uint32_t>(g->cells_.size());
      for (size_t i = 4; i < f.size(); ++i) g->cells_.push_back(f[i]);
      auto cell = [&](int idx) -> std::string_view {
        return idx < 0 ? std::string_view() : g->cells_[e.first_cell + idx];
      };
      if (e.type == EntryType::kWord) {
        std::string_view cls = cell(col_class);
        bool known = false;
        for (const auto& wc : kWordClasses) {
          if (wc.name == cls) {
            e.word_features = wc.feature;
            known = true;
          }
        }
        if (!known) {
          problem(file, ln, "unknown word class '" + std::string(cls) + "'");
        }
        std::string_view v = cell(col_value);
        if (!v.empty() &&
            (e.word_features & (kFeatNumberWord | kFeatScale)) &&
            !ParseDouble(v, &e.number)) {
          problem(file, ln, "value '" + std::string(v) + "' is not a number");
        }
      }
      for (int col : {col_lat, col_lon}) {
        std::string_view v = cell(col);
        if (v.empty()) continue;
        double d;
        double limit = col == col_lat ? 90 : 180;
        if (!ParseDouble(v, &d) || std::isnan(d) || d < -limit || d > limit) {
          problem(file, ln,
                  std::string(col == col_lat ? "latitude" : "longitude") +
                      " '" + std::string(v) + "' is not a number in [-" +
                      std::to_string(static_cast<int>(limit)) + ", " +
                      std::to_string(static_cast<int>(limit)) + "]");
        }
      }
      if (e.type == EntryType::kEvent) {
        std::string_view cls = cell(col_class);
        if (!g->event_classes_.empty() &&
            !g->event_classes_.count(std::string(cls))) {
          problem(file, ln,
                  "unknown event class '" + std::string(cls) +
                      "' (not in taxonomy.tsv)");
        }
        std::string_view a = cell(col_acled), s = cell(col_acled_sub);
        if (!a.empty() && !acled_pairs.empty() &&
            !acled_pairs.count(std::string(a) + "|" + std::string(s))) {
          problem(file, ln,
                  "unknown ACLED pair '" + std::string(a) + " / " +
                      std::string(s) + "'");
        }
        std::string_view pos = cell(col_pos);
        if (pos != "verb" && pos != "noun") {
          problem(file, ln,
                  "pos must be verb or noun, found '" +
                      std::string(pos) + "'");
        }
      }
      const uint32_t index = static_cast<uint32_t>(g->entries_.size());
      auto [it, inserted] = g->by_id_.emplace(e.id, static_cast<int32_t>(index));
      if (!inserted) {
        const Entry& other = g->entries_[it->second];
        problem(file, ln,
                "duplicate id '" + std::string(e.id) + "' (first at " +
                    g->files_[other.file].name + ":" +
                    std::to_string(other.line) + ")");
        return;
      }
      g->entries_.push_back(e);
      if (!cell(col_country).empty()) {
        country_refs.push_back({index, cell(col_country), "country"});
      }
      if (!cell(col_affiliation).empty()) {
        affiliation_refs.push_back({index, cell(col_affiliation), "affiliation"});
      }
      if (e.type == EntryType::kPlace && !cell(col_iso2).empty()) {
        g->countries_.emplace(std::string(cell(col_iso2)), index);
      }
      if (e.type == EntryType::kGroup && !cell(col_kind).empty()) {
        // The first group of a kind in a country stands for it, unless one
        // has the conventional id "group:<kind>_<iso2>" (group:military_ml).
        std::string kind(cell(col_kind)), country(cell(col_country));
        std::string conventional = "group:" + kind + "_" + country;
        for (char& c : conventional) c = static_cast<char>(std::tolower(c));
        const std::string key = kind + "|" + country;
        if (e.id == conventional) {
          g->groups_by_kind_country_[key] = static_cast<int32_t>(index);
        } else {
          g->groups_by_kind_country_.emplace(key, index);
        }
      }
      // Aliases: the name, the aliases column, and demonyms.
      g->AddAlias(index, e.name, AliasKind::kName);
      for (std::string_view a : Split(f[3], '|')) {
        if (a.empty()) continue;
        if (Trim(a) != a) {
          problem(file, ln,
                  "alias '" + std::string(a) + "' has surrounding spaces");
          continue;
        }
        g->AddAlias(index, a, AliasKind::kAlias);
      }
      if (col_demonyms >= 0) {
        for (std::string_view a : Split(cell(col_demonyms), '|')) {
          if (!a.empty()) g->AddAlias(index, a, AliasKind::kDemonym);
        }
      }
    });
    if (!has_header) problem(file, 0, "no header line");
  }

  // Cross-references.
  for (const Pending& p : country_refs) {
    if (g->countries_.empty()) break;
    const Entry& e = g->entries_[p.entry];
    if (!g->countries_.count(std::string(p.value))) {
      problem(g->files_[e.file].name, e.line,
              "unknown country code '" + std::string(p.value) + "'");
    }
  }
  for (const Pending& p : affiliation_refs) {
    const Entry& e = g->entries_[p.entry];
    for (std::string_view ref : Split(p.value, '|')) {
      auto it = g->by_id_.find(ref);
      if (it == g->by_id_.end()) {
        problem(g->files_[e.file].name, e.line,
                "affiliation '" + std::string(ref) + "' is not a known id");
        continue;
      }
      std::string_view kind = g->Attr(e, "kind");
      if (kind == "mission") {
        g->missions_.emplace(std::to_string(it->second) + "|" +
                                 std::string(g->Attr(e, "country")),
                             p.entry);
      }
    }
  }

  for (size_t i = first_problem; i < problems->size(); ++i) {
    if ((*problems)[i].error) {
      return Status::BadGazetteer((*problems)[i].ToString());
    }
  }
  return g;
}

void Gazetteer::AddAlias(uint32_t entry, std::string_view alias,
                         AliasKind kind) {
  std::vector<Token> tokens = Tokenize(alias);
  const EntryType type = entries_[entry].type;
  const bool case_sensitive = type == EntryType::kPlace ||
                              type == EntryType::kGroup ||
                              type == EntryType::kPerson ||
                              type == EntryType::kFirstName;
  Payload p{entry, kind, 0, 0, 0};
  uint32_t node = 0;
  for (const Token& t : tokens) {
    if (t.has(kJoiner)) continue;
    if (p.ntokens >= kMaxAliasTokens) return;  // absurdly long; ignore
    if (case_sensitive) {
      if (t.has(kAllCaps) && t.key.size() > 1) p.caps_mask |= 1u << p.ntokens;
      if (t.has(kCapitalized)) p.cap_mask |= 1u << p.ntokens;
    }
    auto [vit, vinserted] =
        vocab_.emplace(t.key, static_cast<uint32_t>(vocab_.size()));
    uint64_t key = (static_cast<uint64_t>(node) << 32) | vit->second;
    auto [eit, einserted] =
        edges_.emplace(key, static_cast<uint32_t>(payloads_.size()));
    if (einserted) payloads_.emplace_back();
    node = eit->second;
    ++p.ntokens;
  }
  if (p.ntokens == 0) return;
  for (const Payload& q : payloads_[node]) {
    if (q.entry == entry) return;  // same entry, same key: keep the first
  }
  payloads_[node].push_back(p);
  ++alias_count_;
}

uint32_t Gazetteer::Child(uint32_t node, uint32_t token_id) const {
  auto it = edges_.find((static_cast<uint64_t>(node) << 32) | token_id);
  return it == edges_.end() ? 0 : it->second;
}

std::vector<GazetteerMatch> Gazetteer::Match(const std::vector<Token>& tokens,
                                             uint32_t begin, uint32_t end,
                                             bool all_caps_context) const {
  std::vector<GazetteerMatch> out;
  uint32_t consumed[kMaxAliasTokens];
  for (uint32_t i = begin; i < end; ++i) {
    if (tokens[i].has(kJoiner)) continue;
    uint32_t best_len[5] = {0, 0, 0, 0, 0};
    uint32_t best_end[5] = {0, 0, 0, 0, 0};
    size_t best_first[5];
    std::vector<GazetteerMatch> found;  // candidates, filtered below
    uint32_t node = 0;
    uint32_t n = 0;
    for (uint32_t j = i; j < end && n < kMaxAliasTokens; ++j) {
      const Token& t = tokens[j];
      if (t.has(kJoiner)) continue;
      auto vit = vocab_.find(t.key);
      if (vit == vocab_.end()) break;
      node = Child(node, vit->second);
      if (node == 0) break;
      consumed[n++] = j;
      for (const Payload& p : payloads_[node]) {
        bool ok = true;
        for (uint32_t k = 0; ok && k < n; ++k) {
          const Token& tk = tokens[consumed[k]];
          if ((p.caps_mask >> k) & 1) {
            ok = tk.has(kAllCaps);
          } else if ((p.cap_mask >> k) & 1) {
            ok = tk.has(kCapitalized);
            // A short word in capitals is an acronym ("BA"), not the name
            // "Ba", unless the whole sentence is in capitals.
            if (ok && !all_caps_context && tk.has(kAllCaps) &&
                tk.key.size() <= 4) {
              ok = false;
            }
          }
        }
        if (!ok) continue;
        int c = MatchClass(entries_[p.entry].type);
        if (n > best_len[c]) {
          best_len[c] = n;
          best_end[c] = j + 1;
          best_first[c] = found.size();
        }
        if (n == best_len[c]) {
          found.push_back(GazetteerMatch{i, j + 1, p.entry, p.kind});
        }
      }
    }
    for (int c = 0; c < 5; ++c) {
      if (best_len[c] == 0) continue;
      for (size_t k = best_first[c]; k < found.size(); ++k) {
        const GazetteerMatch& m = found[k];
        if (m.token_end == best_end[c] &&
            MatchClass(entries_[m.entry].type) == c) {
          out.push_back(m);
        }
      }
    }
  }
  return out;
}

std::string_view Gazetteer::Attr(const Entry& e, std::string_view column) const {
  const auto& cols = files_[e.file].columns;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == column) return cells_[e.first_cell + i];
  }
  return {};
}

std::string Gazetteer::Source(const Entry& e) const {
  return dir_label_ + "/" + files_[e.file].name + ":" + std::to_string(e.line);
}

int32_t Gazetteer::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : it->second;
}

int32_t Gazetteer::FindGroup(std::string_view kind,
                             std::string_view country) const {
  auto it = groups_by_kind_country_.find(std::string(kind) + "|" +
                                         std::string(country));
  return it == groups_by_kind_country_.end() ? -1 : it->second;
}

int32_t Gazetteer::FindMission(uint32_t parent, std::string_view country) const {
  auto it = missions_.find(std::to_string(parent) + "|" + std::string(country));
  return it == missions_.end() ? -1 : it->second;
}

int32_t Gazetteer::FindCountry(std::string_view iso2) const {
  auto it = countries_.find(std::string(iso2));
  return it == countries_.end() ? -1 : it->second;
}

const EventClass* Gazetteer::FindEventClass(std::string_view cls) const {
  auto it = event_classes_.find(std::string(cls));
  return it == event_classes_.end() ? nullptr : &it->second;
}

}  // namespace extract
