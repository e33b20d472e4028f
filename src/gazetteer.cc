// Loads gazetteer files (TSV with a header; see gazetteers/README.md) into
// entries and a token trie, validates them, and matches token runs against
// them. See gazetteer.h for the contract.
#include "gazetteer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <tuple>
#include <type_traits>

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
    {"month", kFeatMonth},
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

// Appends the bytes of the file at `path` to `*out`, read in place (no
// stream buffers: places.tsv alone is 12 MB).
Status AppendFile(const fs::path& path, std::string* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError(path.string() + ": cannot open: " +
                           std::strerror(errno));
  }
  struct stat st;
  const size_t expected =
      ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size)
                                              : 0;
  const size_t start = out->size();
  size_t pos = start;
  out->resize(start + expected + 1);  // + 1: see the end in one read
  while (true) {
    if (pos == out->size()) out->resize(out->size() + out->size() / 2 + 4096);
    const ssize_t n = ::read(fd, out->data() + pos, out->size() - pos);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      out->resize(start);
      return Status::IoError(path.string() + ": read failed: " +
                             std::strerror(err));
    }
    if (n == 0) break;
    pos += static_cast<size_t>(n);
  }
  ::close(fd);
  out->resize(pos);
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::string text;
  Status st = AppendFile(path, &text);
  if (!st.ok()) return st;
  return text;
}

// Splits `s` at `sep` into `out` (cleared first), reusing its storage.
void SplitInto(std::string_view s, char sep,
               std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out->push_back(s.substr(start));
      return;
    }
    out->push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
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

// ---------------------------------------------------------------------------
// The compiled form. A loaded gazetteer lives in one "image": a byte buffer
// of plain arrays (no pointers) that the TSV loader builds and the cache
// stores as is. Both ways of loading end in Attach(image), so a gazetteer
// read from the cache is the gazetteer parsed from the files, bit for bit.

namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kTagMask = 0xFFFFFFFF00000000ull;
constexpr uint64_t kNoEdge = ~0ull;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline uint64_t Avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

// Hash of a short string (a token key or an entry id). The tables built with
// it are stored in the image: changing it means changing kImageVersion.
uint64_t HashKey(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = kP4 + n * kP1;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h ^= Rotl(v * kP2, 31) * kP1;
    h = Rotl(h, 27) * kP1 + kP4;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    h ^= Rotl(v * kP2, 31) * kP1;
    h = Rotl(h, 27) * kP1 + kP4;
  }
  return Avalanche(h);
}

// Open-addressing tables are at most 70% full, so a probe always ends on an
// empty slot.
bool TableHasRoom(size_t count, size_t size) { return count * 10 <= size * 7; }

size_t TableSize(size_t count) {
  size_t size = 16;
  while (!TableHasRoom(count, size)) size <<= 1;
  return size;
}

// The index (< count) stored under `hash` for which `same(index)` holds, or
// -1. `size` is a power of two. The probe is bounded and indices are checked
// here, so that a table read from a damaged image cannot loop or index out
// of bounds, at the cost of one comparison per probe.
template <typename Same>
int64_t Probe(const uint64_t* slots, size_t size, uint64_t hash, size_t count,
              Same same) {
  const size_t mask = size - 1;
  const uint64_t tag = hash & kTagMask;
  size_t i = hash & mask;
  for (size_t n = 0; n < size; ++n, i = (i + 1) & mask) {
    const uint64_t s = slots[i];
    if (s == 0) return -1;
    if ((s & kTagMask) == tag) {
      const uint32_t index = static_cast<uint32_t>(s) - 1;
      if (index < count && same(index)) return index;
    }
  }
  return -1;
}

void InsertSlot(uint64_t* slots, size_t size, uint64_t hash, uint32_t index) {
  const size_t mask = size - 1;
  size_t i = hash & mask;
  while (slots[i] != 0) i = (i + 1) & mask;
  slots[i] = (hash & kTagMask) | (static_cast<uint64_t>(index) + 1);
}

// Image layout. Bump kImageVersion with any change to it, to HashKey, or to
// what the loader derives from the files.
constexpr char kImageMagic[8] = {'X', 'G', 'A', 'Z', 'I', 'M', 'G', '1'};
constexpr uint32_t kImageVersion = 1;

enum Section : uint32_t {
  kMeta,          // files, small maps and lists (MetaWriter encoding)
  kArena,         // char: the file texts, concatenated
  kEntries,       // Gazetteer::DiskEntry
  kWords,         // Gazetteer::WordInfo
  kIdSlots,       // uint64_t
  kVocabSlots,    // uint64_t
  kVocabOffsets,  // uint32_t
  kVocabChars,    // char
  kRootChild,     // uint32_t
  kFirstChild,    // uint32_t
  kNodeToken,     // uint32_t
  kPayloadStart,  // uint32_t
  kPayloads,      // Gazetteer::Payload
  kSectionCount
};

struct SectionRef {
  uint64_t offset;
  uint64_t size;  // bytes
};

struct ImageHeader {
  char magic[8];
  uint32_t version;
  uint32_t section_count;
  uint64_t size;  // of the whole image
  SectionRef sections[kSectionCount];
};

constexpr uint32_t kNoWord = ~0u;
constexpr size_t kMaxField = 0xffff;  // bytes in an id or a name

static_assert(sizeof(Gazetteer::Payload) == 16);
static_assert(std::is_trivially_copyable_v<Gazetteer::Payload>);

size_t Align8(size_t n) { return (n + 7) & ~size_t{7}; }

// The encoding of the meta section: little-endian integers and
// length-prefixed strings.
class MetaWriter {
 public:
  void U32(uint32_t v) { Raw(&v, sizeof v); }
  void I32(int32_t v) { Raw(&v, sizeof v); }
  void U64(uint64_t v) { Raw(&v, sizeof v); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  const std::string& out() const { return out_; }

 private:
  void Raw(const void* p, size_t n) {
    out_.append(static_cast<const char*>(p), n);
  }
  std::string out_;
};

class MetaReader {
 public:
  explicit MetaReader(std::string_view in) : in_(in) {}
  bool U32(uint32_t* v) { return Raw(v, sizeof *v); }
  bool I32(int32_t* v) { return Raw(v, sizeof *v); }
  bool U64(uint64_t* v) { return Raw(v, sizeof *v); }
  bool Str(std::string* s) {
    uint32_t n;
    if (!U32(&n) || n > in_.size()) return false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  bool Raw(void* p, size_t n) {
    if (in_.size() < n) return false;
    std::memcpy(p, in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
};

template <typename Map>
std::vector<typename Map::const_iterator> SortedByKey(const Map& m) {
  std::vector<typename Map::const_iterator> out;
  out.reserve(m.size());
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back(it);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->first < b->first; });
  return out;
}

std::vector<std::string> Sorted(const std::unordered_set<std::string>& s) {
  std::vector<std::string> out(s.begin(), s.end());
  std::sort(out.begin(), out.end());
  return out;
}

// The PLOVER event categories (PLOVER codebook and its CAMEO mapping,
// including the older DISAPPROVE, DEMAND and REQUEST).
constexpr std::string_view kPloverCategories[] = {
    "AGREE",     "CONSULT",  "SUPPORT",  "CONCEDE",  "COOPERATE", "AID",
    "RETREAT",   "REQUEST",  "DEMAND",   "ACCUSE",   "DISAPPROVE", "REJECT",
    "THREATEN",  "PROTEST",  "SANCTION", "MOBILIZE", "COERCE",    "ASSAULT",
};

bool KnownPlover(std::string_view s) {
  for (std::string_view p : kPloverCategories) {
    if (s == p) return true;
  }
  return false;
}

bool ValidCameo(std::string_view s) {
  if (s.size() < 2 || s.size() > 4) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Files in a gazetteer directory that are not entry files.
bool IsEntryFile(const std::string& name) {
  return name.size() > 4 && name.ends_with(".tsv") && name != "taxonomy.tsv" &&
         name != "ambiguous.tsv";
}

// Why `s` (a name or an alias) is not in normalized form, or "" when it is:
// valid UTF-8, no control characters, no double spaces, NFC. Leading and
// trailing spaces are reported by the loader itself. Sets `*error` to false
// for the cosmetic problems (double spaces, not NFC).
std::string NormalizationProblem(std::string_view s, bool* error) {
  *error = true;
  bool ascii = true, double_space = false;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return "contains a control character";
      if (c == ' ' && i + 1 < s.size() && s[i + 1] == ' ') double_space = true;
      ++i;
      continue;
    }
    ascii = false;
    int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (len == 0 || c > 0xf4 || i + len > s.size()) {
      return "is not valid UTF-8";
    }
    uint32_t cp = c & (0x7f >> len);
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return "is not valid UTF-8";
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return "is not valid UTF-8";
    }
    if (cp >= 0x80 && cp <= 0x9f) return "contains a control character";
    if (cp == 0x2028 || cp == 0x2029) return "contains a line separator";
    i += len;
  }
  if (double_space) {
    *error = false;
    return "contains a double space";
  }
  if (!ascii && Normalize(s).text != s) {
    *error = false;
    return "is not in Unicode NFC";
  }
  return "";
}

// The key an alias is indexed under: its tokens' matching keys, joiners
// left out, separated by spaces ("al-Qaïda" -> "al qaida").
std::string AliasKey(std::string_view alias) {
  std::string key;
  for (const Token& t : Tokenize(alias)) {
    if (t.has(kJoiner)) continue;
    if (!key.empty()) key += ' ';
    key += t.key;
  }
  return key;
}

// The entry files of `dir` (IsEntryFile), sorted by name. Listed without
// exceptions: none may leave the library. A listing error ends the list.
std::vector<std::string> ListEntryFiles(const std::string& dir) {
  std::vector<std::string> tsv_files;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& de = *it;
    std::error_code type_ec;
    if (!de.is_regular_file(type_ec)) continue;
    std::string name = de.path().filename().string();
    if (IsEntryFile(name)) tsv_files.push_back(name);
  }
  std::sort(tsv_files.begin(), tsv_files.end());
  return tsv_files;
}

// The attribute columns of an entry file that the loader reads: the index
// of each among the attribute cells (those after the fixed columns), -1
// when the file has no such column.
struct EntryColumns {
  int demonyms = -1, cls = -1, value = -1, lat = -1, lon = -1, country = -1,
      affiliation = -1, kind = -1, iso2 = -1, pos = -1, acled = -1,
      acled_sub = -1, plover = -1, cameo = -1;
};

// Attribute cell `idx` (an EntryColumns index) of the fields `f` of an entry
// line, or "" when the file has no such column (idx < 0).
std::string_view CellAt(const std::vector<std::string_view>& f, int idx) {
  return idx < 0 ? std::string_view() : f[4 + idx];
}

}  // namespace

// An entry in the image. Its line is "id TAB type TAB name TAB aliases TAB
// cells", so the name is found from the id and the type.
struct Gazetteer::DiskEntry {
  uint32_t id_offset;     // in the arena: the start of the line
  uint32_t cells_offset;  // in the arena: the first attribute cell
  uint32_t line;
  uint32_t word;  // index into words_, or kNoWord
  uint16_t id_size;
  uint16_t name_size;
  uint16_t file;
  uint8_t type;
  uint8_t reserved;

  uint64_t name_offset() const {
    // The lengths of ToString(EntryType), by type.
    static constexpr uint8_t kTypeSize[] = {5, 5, 6, 5, 9, 10, 5, 4};
    return uint64_t{id_offset} + id_size + 1 + kTypeSize[type & 7] + 1;
  }
};
struct Gazetteer::WordInfo {
  uint64_t features;
  double number;
};

// The TSV loader's working state: everything that goes into the image, in
// growable form.
struct Gazetteer::Builder {
  std::string dir_label;
  std::vector<Problem>* problems = nullptr;
  bool validate = false;

  std::string arena;
  std::vector<GazetteerFile> files;
  std::vector<DiskEntry> entries;
  std::vector<WordInfo> words;
  std::vector<uint64_t> id_slots;

  std::vector<uint64_t> vocab_slots = std::vector<uint64_t>(16, 0);
  std::vector<uint64_t> vocab_hashes;  // by token id, for growing
  std::vector<uint32_t> vocab_offsets = {0};
  std::string vocab_chars;

  // The trie, nodes numbered in creation order; node 0 is the root.
  std::vector<uint64_t> edge_keys;  // node << 32 | token, kNoEdge if empty
  std::vector<uint32_t> edge_children;
  size_t edge_count = 0;
  std::vector<uint32_t> node_parent = {0};
  std::vector<uint32_t> node_token = {0};
  struct PendingPayload {
    uint32_t node;
    Payload payload;
  };
  std::vector<PendingPayload> payloads;

  std::unordered_map<std::string, int32_t> groups_by_kind_country;
  std::unordered_map<std::string, int32_t> missions;
  std::unordered_map<std::string, int32_t> countries;
  std::unordered_map<std::string, EventClass> event_classes;
  std::unordered_set<std::string> abbreviations;
  std::unordered_set<std::string> boilerplate;
  std::unordered_set<std::string> acled_pairs;

  void Report(const std::string& file, uint32_t line, std::string message,
              bool error = true) {
    problems->push_back(
        Problem{dir_label + "/" + file, line, std::move(message), error});
  }

  std::string_view ArenaView(uint32_t offset, uint32_t size) const {
    return std::string_view(arena).substr(offset, size);
  }
  uint32_t ArenaOffset(std::string_view s) const {
    return static_cast<uint32_t>(s.data() - arena.data());
  }

  int64_t FindId(std::string_view id) const {
    return Probe(id_slots.data(), id_slots.size(), HashKey(id), entries.size(),
                 [&](uint32_t i) {
                   return ArenaView(entries[i].id_offset, entries[i].id_size) ==
                          id;
                 });
  }

  // Sizes the trie's tables for about `nodes` nodes, to spare regrowing.
  void ReserveTrie(size_t nodes) {
    size_t size = 1024;
    while (size < nodes * 2) size <<= 1;
    edge_keys.assign(size, kNoEdge);
    edge_children.assign(size, 0);
    vocab_slots.assign(TableSize(nodes / 2), 0);
    node_parent.reserve(nodes);
    node_token.reserve(nodes);
    payloads.reserve(nodes);
  }

  uint32_t Intern(std::string_view key) {
    const uint64_t hash = HashKey(key);
    const int64_t found =
        Probe(vocab_slots.data(), vocab_slots.size(), hash,
              vocab_hashes.size(), [&](uint32_t id) {
          return std::string_view(vocab_chars)
                     .substr(vocab_offsets[id],
                             vocab_offsets[id + 1] - vocab_offsets[id]) == key;
        });
    if (found >= 0) return static_cast<uint32_t>(found);
    const uint32_t id = static_cast<uint32_t>(vocab_hashes.size());
    if (!TableHasRoom(id + 1, vocab_slots.size())) {
      vocab_slots.assign(vocab_slots.size() * 2, 0);
      for (uint32_t i = 0; i < id; ++i) {
        InsertSlot(vocab_slots.data(), vocab_slots.size(), vocab_hashes[i], i);
      }
    }
    InsertSlot(vocab_slots.data(), vocab_slots.size(), hash, id);
    vocab_hashes.push_back(hash);
    vocab_chars.append(key);
    vocab_offsets.push_back(static_cast<uint32_t>(vocab_chars.size()));
    return id;
  }

  uint32_t Child(uint32_t node, uint32_t token) {
    if ((edge_count + 1) * 2 > edge_keys.size()) {
      std::vector<uint64_t> keys(std::max<size_t>(1024, edge_keys.size() * 2),
                                 kNoEdge);
      std::vector<uint32_t> children(keys.size());
      const size_t mask = keys.size() - 1;
      for (size_t i = 0; i < edge_keys.size(); ++i) {
        if (edge_keys[i] == kNoEdge) continue;
        size_t j = Avalanche(edge_keys[i]) & mask;
        while (keys[j] != kNoEdge) j = (j + 1) & mask;
        keys[j] = edge_keys[i];
        children[j] = edge_children[i];
      }
      edge_keys.swap(keys);
      edge_children.swap(children);
    }
    const uint64_t key = (static_cast<uint64_t>(node) << 32) | token;
    const size_t mask = edge_keys.size() - 1;
    for (size_t i = Avalanche(key) & mask;; i = (i + 1) & mask) {
      if (edge_keys[i] == key) return edge_children[i];
      if (edge_keys[i] == kNoEdge) {
        const uint32_t child = static_cast<uint32_t>(node_parent.size());
        edge_keys[i] = key;
        edge_children[i] = child;
        node_parent.push_back(node);
        node_token.push_back(token);
        ++edge_count;
        return child;
      }
    }
  }

  void AddAlias(uint32_t entry, std::string_view alias, AliasKind kind) {
    const std::vector<Token> tokens = Tokenize(alias);
    size_t n = 0;
    for (const Token& t : tokens) n += !t.has(kJoiner);
    if (n == 0 || n > kMaxAliasTokens) return;  // absurdly long: ignored
    const EntryType type = static_cast<EntryType>(entries[entry].type);
    const bool case_sensitive =
        type == EntryType::kPlace || type == EntryType::kGroup ||
        type == EntryType::kPerson || type == EntryType::kFirstName;
    Payload p{entry, 0, 0, kind, 0, static_cast<uint8_t>(MatchClass(type)), 0};
    uint32_t node = 0;
    for (const Token& t : tokens) {
      if (t.has(kJoiner)) continue;
      if (case_sensitive) {
        if (t.has(kAllCaps) && t.key.size() > 1) p.caps_mask |= 1u << p.ntokens;
        if (t.has(kCapitalized)) p.cap_mask |= 1u << p.ntokens;
      }
      node = Child(node, Intern(t.key));
      ++p.ntokens;
    }
    payloads.push_back({node, p});
  }

  // Checks that a name or alias is in normalized form (`validate` only).
  // Double spaces and other normalization forms are warnings: matching
  // ignores them, only the printed name shows them.
  void CheckNormalized(const std::string& file, uint32_t line,
                       std::string_view what, std::string_view s) {
    if (!validate) return;
    bool error = true;
    std::string why = NormalizationProblem(s, &error);
    if (!why.empty()) {
      Report(file, line, std::string(what) + " '" + std::string(s) + "' " + why,
             error);
    }
  }

  // The TSV loader's steps (LoadImpl), in the order it runs them.

  // Reads taxonomy.tsv in `dir`, when it exists, into acled_pairs and
  // event_classes; reports malformed lines and classes that map to an
  // unknown ACLED pair.
  void LoadTaxonomy(const fs::path& dir);
  // Reads the plain list `name` in `dir`, when it exists, into *out as match
  // keys, one a line ('#' starts a comment); with `strip_period`, a final
  // '.' is dropped.
  void LoadList(const fs::path& dir, const char* name,
                std::unordered_set<std::string>* out, bool strip_period);
  // Reads the entry files `tsv_files` of `dir` into the arena, each followed
  // by '\n', and sizes the id table and the trie for them. Returns (file,
  // offset in the arena) of each file read; a file that cannot be read is
  // reported and left out.
  std::vector<std::pair<std::string, size_t>> ReadEntryFiles(
      const fs::path& dir, const std::vector<std::string>& tsv_files);
  // Adds a GazetteerFile for entry file `file` and loads its entries from
  // `content` (its text in the arena, without the '\n' ReadEntryFiles
  // appended).
  void LoadEntryFile(const std::string& file, std::string_view content);
  // Reads the header line `f` (line `ln` of `file`) into *cols and the
  // columns of files.back(). Returns the number of fields every line must
  // have, or 0 when the header is bad (reported).
  size_t ParseHeader(const std::string& file, uint32_t ln,
                     const std::vector<std::string_view>& f,
                     EntryColumns* cols);
  // Adds the entry on line `ln` of `file` (files[file_index]), split into
  // `f` (as many fields as the header), with its aliases, references and
  // lookups; a line with a bad id, type or name, or a duplicate id, is
  // reported and left out. `parts`: scratch space for splitting lists.
  void AddEntry(const std::string& file, uint16_t file_index, uint32_t ln,
                const std::vector<std::string_view>& f,
                const EntryColumns& cols, std::vector<std::string_view>* parts);
  // Fills *e and *type from the fixed fields of the entry line `f` (id,
  // type, name, aliases). Returns false, reported, when the line must be
  // left out.
  bool ParseFixedFields(const std::string& file, uint16_t file_index,
                        uint32_t ln, const std::vector<std::string_view>& f,
                        DiskEntry* e, EntryType* type);
  // Checks the attribute cells of an entry line `f` of type `type` (word
  // classes and values, coordinates, PLOVER, CAMEO, event classes and ACLED
  // pairs, parts of speech), reporting what is wrong. Returns the word
  // features and number of a kWord entry ({0, 0} otherwise).
  WordInfo CheckAttributes(const std::string& file, uint32_t ln,
                           const std::vector<std::string_view>& f,
                           const EntryColumns& cols, EntryType type);
  // Adds each name of the '|'-separated `list` as an alias of `kind` of
  // entry `index` (line `ln` of `file`); `what` ("alias", "demonym") names
  // them in reports. `parts`: scratch space.
  void AddAliasList(const std::string& file, uint32_t ln, uint32_t index,
                    std::string_view list, AliasKind kind, const char* what,
                    std::vector<std::string_view>* parts);
  // Checks the country and affiliation references gathered by AddEntry,
  // now that every entry is known, and fills `missions`.
  void ResolveReferences();

  // A reference from an entry, checked once every file is loaded.
  struct PendingRef {
    uint32_t entry;
    std::string_view value;
    std::string_view kind;     // for affiliations
    std::string_view country;  // for affiliations
  };
  std::vector<PendingRef> country_refs, affiliation_refs;

  std::shared_ptr<std::vector<uint64_t>> BuildImage(size_t* alias_count);
};

std::shared_ptr<std::vector<uint64_t>> Gazetteer::Builder::BuildImage(
    size_t* alias_count) {
  // Renumber the trie breadth first, children sorted by token id, so that
  // each node's children are consecutive.
  const uint32_t nodes = static_cast<uint32_t>(node_parent.size());
  const uint32_t vocab = static_cast<uint32_t>(vocab_hashes.size());
  std::vector<uint32_t> child_start(nodes + 1, 0);
  for (uint32_t c = 1; c < nodes; ++c) ++child_start[node_parent[c] + 1];
  for (uint32_t n = 0; n < nodes; ++n) child_start[n + 1] += child_start[n];
  std::vector<uint32_t> children(nodes > 0 ? nodes - 1 : 0);
  {
    std::vector<uint32_t> cursor(child_start.begin(), child_start.end() - 1);
    for (uint32_t c = 1; c < nodes; ++c) children[cursor[node_parent[c]]++] = c;
  }
  std::vector<uint32_t> new_id(nodes, 0), order;
  std::vector<uint32_t> first_child(nodes + 1, 0), bfs_token(nodes, 0);
  order.reserve(nodes);
  order.push_back(0);
  uint32_t next = 1;
  for (size_t k = 0; k < order.size(); ++k) {
    const uint32_t old = order[k];
    auto b = children.begin() + child_start[old];
    auto e = children.begin() + child_start[old + 1];
    std::sort(b, e, [&](uint32_t x, uint32_t y) {
      return node_token[x] < node_token[y];
    });
    first_child[k] = next;
    for (auto it = b; it != e; ++it) {
      new_id[*it] = next;
      bfs_token[next] = node_token[*it];
      ++next;
      order.push_back(*it);
    }
  }
  first_child[nodes] = next;
  std::vector<uint32_t> root_child(vocab, 0);
  for (uint32_t c = first_child[0]; c < first_child[1]; ++c) {
    root_child[bfs_token[c]] = c;
  }

  // Payloads in CSR form, in the order they were added (file order), and
  // one per (node, entry): the first alias of an entry with a key wins.
  std::vector<uint32_t> payload_start(nodes + 1, 0);
  for (const PendingPayload& p : payloads) ++payload_start[new_id[p.node] + 1];
  for (uint32_t n = 0; n < nodes; ++n) payload_start[n + 1] += payload_start[n];
  std::vector<Payload> placed(payloads.size());
  {
    std::vector<uint32_t> cursor(payload_start.begin(),
                                 payload_start.end() - 1);
    for (const PendingPayload& p : payloads) {
      placed[cursor[new_id[p.node]]++] = p.payload;
    }
  }
  payloads.clear();
  payloads.shrink_to_fit();
  std::vector<Payload> kept;
  kept.reserve(placed.size());
  std::vector<uint32_t> kept_start(nodes + 1, 0);
  for (uint32_t n = 0; n < nodes; ++n) {
    kept_start[n] = static_cast<uint32_t>(kept.size());
    for (uint32_t k = payload_start[n]; k < payload_start[n + 1]; ++k) {
      // An entry's aliases are added together, so its repeats are adjacent.
      if (kept.size() > kept_start[n] && kept.back().entry == placed[k].entry) {
        continue;
      }
      kept.push_back(placed[k]);
      ++files[entries[placed[k].entry].file].aliases;
    }
  }
  kept_start[nodes] = static_cast<uint32_t>(kept.size());
  *alias_count = kept.size();

  // The meta section.
  MetaWriter meta;
  meta.U64(kept.size());
  meta.U32(static_cast<uint32_t>(files.size()));
  for (const GazetteerFile& f : files) {
    meta.Str(f.name);
    meta.U32(static_cast<uint32_t>(f.columns.size()));
    for (const std::string& c : f.columns) meta.Str(c);
    meta.U64(f.entries);
    meta.U64(f.aliases);
  }
  for (const auto* m : {&groups_by_kind_country, &missions, &countries}) {
    meta.U32(static_cast<uint32_t>(m->size()));
    for (const auto& it : SortedByKey(*m)) {
      meta.Str(it->first);
      meta.I32(it->second);
    }
  }
  meta.U32(static_cast<uint32_t>(event_classes.size()));
  for (const auto& it : SortedByKey(event_classes)) {
    meta.Str(it->first);
    meta.Str(it->second.acled_event_type);
    meta.Str(it->second.acled_sub_event_type);
    meta.Str(it->second.plover);
    meta.Str(it->second.cameo);
  }
  for (const auto* s : {&abbreviations, &boilerplate}) {
    const std::vector<std::string> sorted = Sorted(*s);
    meta.U32(static_cast<uint32_t>(sorted.size()));
    for (const std::string& x : sorted) meta.Str(x);
  }

  // Lay the sections out.
  struct Part {
    const void* data;
    size_t size;
  };
  const Part parts[kSectionCount] = {
      {meta.out().data(), meta.out().size()},
      {arena.data(), arena.size()},
      {entries.data(), entries.size() * sizeof(DiskEntry)},
      {words.data(), words.size() * sizeof(WordInfo)},
      {id_slots.data(), id_slots.size() * sizeof(uint64_t)},
      {vocab_slots.data(), vocab_slots.size() * sizeof(uint64_t)},
      {vocab_offsets.data(), vocab_offsets.size() * sizeof(uint32_t)},
      {vocab_chars.data(), vocab_chars.size()},
      {root_child.data(), root_child.size() * sizeof(uint32_t)},
      {first_child.data(), first_child.size() * sizeof(uint32_t)},
      {bfs_token.data(), bfs_token.size() * sizeof(uint32_t)},
      {kept_start.data(), kept_start.size() * sizeof(uint32_t)},
      {kept.data(), kept.size() * sizeof(Payload)},
  };
  ImageHeader header{};
  std::memcpy(header.magic, kImageMagic, sizeof header.magic);
  header.version = kImageVersion;
  header.section_count = kSectionCount;
  size_t offset = Align8(sizeof(ImageHeader));
  for (uint32_t s = 0; s < kSectionCount; ++s) {
    header.sections[s] = SectionRef{offset, parts[s].size};
    offset = Align8(offset + parts[s].size);
  }
  header.size = offset;
  auto image = std::make_shared<std::vector<uint64_t>>(offset / 8, 0);
  char* base = reinterpret_cast<char*>(image->data());
  std::memcpy(base, &header, sizeof header);
  for (uint32_t s = 0; s < kSectionCount; ++s) {
    if (parts[s].size > 0) {
      std::memcpy(base + header.sections[s].offset, parts[s].data,
                  parts[s].size);
    }
  }
  return image;
}

std::string Gazetteer::MakeDirLabel(const std::string& dir) {
  fs::path dir_path = fs::path(dir).lexically_normal();
  if (dir_path.filename().empty()) dir_path = dir_path.parent_path();
  std::string label = dir_path.filename().string();
  if (label.empty() || label == ".") {
    std::error_code ec;
    label = fs::absolute(dir_path, ec).lexically_normal().filename().string();
  }
  return label;
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
  std::unique_ptr<Gazetteer> g = LoadImpl(dir, problems, false);
  for (size_t i = first_problem; i < problems->size(); ++i) {
    if ((*problems)[i].error) {
      return Status::BadGazetteer((*problems)[i].ToString());
    }
  }
  if (g == nullptr) return Status::Internal(dir + ": not loaded");
  return g;
}

std::unique_ptr<Gazetteer> Gazetteer::LoadForCheck(
    const std::string& dir, std::vector<Problem>* problems) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems->push_back(Problem{dir, 0, "gazetteer directory not found", true});
    return nullptr;
  }
  std::unique_ptr<Gazetteer> g = LoadImpl(dir, problems, true);
  if (g == nullptr) return nullptr;  // an internal error, reported
  g->Validate(dir, problems);
  return g;
}

std::unique_ptr<Gazetteer> Gazetteer::LoadImpl(const std::string& dir,
                                               std::vector<Problem>* problems,
                                               bool validate) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return nullptr;
  Builder b;
  b.dir_label = MakeDirLabel(dir);
  b.problems = problems;
  b.validate = validate;
  const fs::path dir_path(dir);

  const std::vector<std::string> tsv_files = ListEntryFiles(dir);
  // Valid ACLED pairs and event classes.
  b.LoadTaxonomy(dir_path);
  // Plain lists.
  b.LoadList(dir_path, "abbreviations.txt", &b.abbreviations, true);
  b.LoadList(dir_path, "boilerplate.txt", &b.boilerplate, false);

  const std::vector<std::pair<std::string, size_t>> texts =
      b.ReadEntryFiles(dir_path, tsv_files);
  for (size_t t = 0; t < texts.size(); ++t) {
    const size_t begin = texts[t].second;
    const size_t end =
        t + 1 < texts.size() ? texts[t + 1].second : b.arena.size();
    // Without the '\n' appended by ReadEntryFiles.
    b.LoadEntryFile(texts[t].first,
                    std::string_view(b.arena).substr(begin, end - begin - 1));
  }
  b.ResolveReferences();

  size_t alias_count = 0;
  std::shared_ptr<std::vector<uint64_t>> image = b.BuildImage(&alias_count);
  const std::string_view bytes(reinterpret_cast<const char*>(image->data()),
                               image->size() * sizeof(uint64_t));
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  g->dir_label_ = b.dir_label;
  // Not `verified`: checking the builder's output costs 2 ms of 300.
  Status st = g->Attach(std::move(image), bytes, /*verified=*/false);
  if (!st.ok()) {  // a bug: the builder's own image
    b.Report("", 0, "internal error: " + st.message());
    return nullptr;
  }
  return g;
}

void Gazetteer::Builder::LoadTaxonomy(const fs::path& dir) {
  std::error_code ec;
  fs::path p = dir / "taxonomy.tsv";
  if (fs::exists(p, ec)) {
    auto text = ReadFile(p);
    if (!text.ok()) {
      Report("taxonomy.tsv", 0, text.status().message());
    } else {
      bool header = false;
      ForEachLine(*text, [&](uint32_t ln, std::string_view line) {
        if (Trim(line).empty() || line[0] == '#') return;
        auto f = Split(line, '\t');
        if (!header) {
          header = true;
          if (f.size() < 6 || f[0] != "class") {
            Report("taxonomy.tsv", ln,
                   "header must be: class description acled_event_type "
                   "acled_sub_event_type plover cameo");
          }
          return;
        }
        if (f.size() != 6) {
          Report("taxonomy.tsv", ln,
                 "expected 6 tab-separated fields, found " +
                     std::to_string(f.size()));
          return;
        }
        if (!f[4].empty() && !KnownPlover(f[4])) {
          Report("taxonomy.tsv", ln,
                 "unknown PLOVER category '" + std::string(f[4]) + "'");
        }
        if (!f[5].empty() && !ValidCameo(f[5])) {
          Report("taxonomy.tsv", ln,
                 "CAMEO code '" + std::string(f[5]) +
                     "' is not 2 to 4 digits");
        }
        if (f[0] == "acled") {
          acled_pairs.insert(std::string(f[2]) + "|" + std::string(f[3]));
          return;
        }
        auto [it, inserted] = event_classes.emplace(
            std::string(f[0]),
            EventClass{std::string(f[2]), std::string(f[3]),
                       std::string(f[4]), std::string(f[5])});
        if (!inserted) {
          Report("taxonomy.tsv", ln,
                 "duplicate event class '" + std::string(f[0]) + "'");
        }
      });
    }
  }
  for (const auto& it : SortedByKey(event_classes)) {
    const EventClass& ec2 = it->second;
    if (!ec2.acled_event_type.empty() &&
        !acled_pairs.count(ec2.acled_event_type + "|" +
                           ec2.acled_sub_event_type)) {
      Report("taxonomy.tsv", 0,
             "class '" + it->first + "' maps to an unknown ACLED pair '" +
                 ec2.acled_event_type + " / " + ec2.acled_sub_event_type +
                 "'");
    }
  }
}

void Gazetteer::Builder::LoadList(const fs::path& dir, const char* name,
                                  std::unordered_set<std::string>* out,
                                  bool strip_period) {
  fs::path p = dir / name;
  std::error_code exists_ec;
  if (!fs::exists(p, exists_ec)) return;
  auto text = ReadFile(p);
  if (!text.ok()) {
    Report(name, 0, text.status().message());
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
}

std::vector<std::pair<std::string, size_t>>
Gazetteer::Builder::ReadEntryFiles(const fs::path& dir,
                                   const std::vector<std::string>& tsv_files) {
  // Entry files: read them all into the arena first, so that views into it
  // stay valid.
  std::vector<std::pair<std::string, size_t>> texts;  // file, offset
  std::error_code ec;
  size_t total = 0;
  for (const std::string& file : tsv_files) {
    const auto size = fs::file_size(dir / file, ec);
    if (!ec && size < (uintmax_t{1} << 32)) total += size + 1;
  }
  arena.reserve(total);
  for (const std::string& file : tsv_files) {
    const size_t offset = arena.size();
    Status st = AppendFile(dir / file, &arena);
    if (!st.ok()) {
      Report(file, 0, st.message());
      continue;
    }
    arena += '\n';  // the end of the last line, even without a newline
    texts.emplace_back(file, offset);
  }
  if (arena.size() >= std::numeric_limits<uint32_t>::max()) {
    Report(tsv_files.empty() ? "" : tsv_files.back(), 0,
           "gazetteer files larger than 4 GB in total are not supported");
    arena.clear();
    texts.clear();
  }
  const size_t lines = std::count(arena.begin(), arena.end(), '\n');
  id_slots.assign(TableSize(lines), 0);
  // About one trie node and one new token per 60 bytes of gazetteer.
  ReserveTrie(arena.size() / 60);
  return texts;
}

void Gazetteer::Builder::LoadEntryFile(const std::string& file,
                                       std::string_view content) {
  const uint16_t file_index = static_cast<uint16_t>(files.size());
  files.push_back(GazetteerFile{file, {}, 0, 0});
  size_t ncols = 0;
  EntryColumns cols;
  bool has_header = false;
  std::vector<std::string_view> f, parts;
  ForEachLine(content, [&](uint32_t ln, std::string_view line) {
    if (Trim(line).empty() || line[0] == '#') return;
    SplitInto(line, '\t', &f);
    if (!has_header) {
      has_header = true;
      ncols = ParseHeader(file, ln, f, &cols);
      return;
    }
    if (ncols == 0) return;  // bad header, already reported
    if (f.size() != ncols) {
      Report(file, ln,
             "expected " + std::to_string(ncols) +
                 " tab-separated fields (as in the header), found " +
                 std::to_string(f.size()));
      return;
    }
    AddEntry(file, file_index, ln, f, cols, &parts);
  });
  if (!has_header) Report(file, 0, "no header line");
}

size_t Gazetteer::Builder::ParseHeader(const std::string& file, uint32_t ln,
                                       const std::vector<std::string_view>& f,
                                       EntryColumns* cols) {
  bool ok = f.size() >= 4;
  for (size_t i = 0; ok && i < 4; ++i) ok = f[i] == kFixedColumns[i];
  if (!ok) {
    Report(file, ln,
           "header must start with the columns id, type, name, "
           "aliases");
    return 0;
  }
  GazetteerFile& gf = files.back();
  for (size_t i = 4; i < f.size(); ++i) {
    std::string col(Trim(f[i]));
    int idx = static_cast<int>(i - 4);
    if (col == "demonyms") cols->demonyms = idx;
    if (col == "class") cols->cls = idx;
    if (col == "value") cols->value = idx;
    if (col == "lat") cols->lat = idx;
    if (col == "lon") cols->lon = idx;
    if (col == "country") cols->country = idx;
    if (col == "affiliation") cols->affiliation = idx;
    if (col == "kind") cols->kind = idx;
    if (col == "iso2") cols->iso2 = idx;
    if (col == "pos") cols->pos = idx;
    if (col == "acled_event_type") cols->acled = idx;
    if (col == "acled_sub_event_type") cols->acled_sub = idx;
    if (col == "plover") cols->plover = idx;
    if (col == "cameo") cols->cameo = idx;
    gf.columns.push_back(std::move(col));
  }
  return f.size();
}

void Gazetteer::Builder::AddEntry(const std::string& file, uint16_t file_index,
                                  uint32_t ln,
                                  const std::vector<std::string_view>& f,
                                  const EntryColumns& cols,
                                  std::vector<std::string_view>* parts) {
  DiskEntry e{};
  EntryType type;
  if (!ParseFixedFields(file, file_index, ln, f, &e, &type)) return;
  const WordInfo word = CheckAttributes(file, ln, f, cols, type);
  const std::string_view id = f[0], name = f[2];
  const uint32_t index = static_cast<uint32_t>(entries.size());
  const uint64_t id_hash = HashKey(id);
  const int64_t other = FindId(id);
  if (other >= 0) {
    const DiskEntry& o = entries[other];
    Report(file, ln,
           "duplicate id '" + std::string(id) + "' (first at " +
               files[o.file].name + ":" + std::to_string(o.line) + ")");
    return;
  }
  InsertSlot(id_slots.data(), id_slots.size(), id_hash, index);
  if (type == EntryType::kWord) {
    e.word = static_cast<uint32_t>(words.size());
    words.push_back(word);
  }
  entries.push_back(e);
  ++files[file_index].entries;
  auto cell = [&](int idx) { return CellAt(f, idx); };
  if (!cell(cols.country).empty()) {
    country_refs.push_back({index, cell(cols.country), {}, {}});
  }
  if (!cell(cols.affiliation).empty()) {
    affiliation_refs.push_back(
        {index, cell(cols.affiliation), cell(cols.kind), cell(cols.country)});
  }
  if (type == EntryType::kPlace && !cell(cols.iso2).empty()) {
    countries.emplace(std::string(cell(cols.iso2)), index);
  }
  if (type == EntryType::kGroup && !cell(cols.kind).empty()) {
    // The first group of a kind in a country stands for it, unless one
    // has the conventional id "group:<kind>_<iso2>" (group:military_ml).
    std::string kind(cell(cols.kind)), country(cell(cols.country));
    std::string conventional = "group:" + kind + "_" + country;
    for (char& c : conventional) c = static_cast<char>(std::tolower(c));
    const std::string key = kind + "|" + country;
    if (id == conventional) {
      groups_by_kind_country[key] = static_cast<int32_t>(index);
    } else {
      groups_by_kind_country.emplace(key, index);
    }
  }
  // Aliases: the name, the aliases column, and demonyms.
  AddAlias(index, name, AliasKind::kName);
  AddAliasList(file, ln, index, f[3], AliasKind::kAlias, "alias", parts);
  if (cols.demonyms >= 0) {
    AddAliasList(file, ln, index, cell(cols.demonyms), AliasKind::kDemonym,
                 "demonym", parts);
  }
}

bool Gazetteer::Builder::ParseFixedFields(
    const std::string& file, uint16_t file_index, uint32_t ln,
    const std::vector<std::string_view>& f, DiskEntry* e, EntryType* type) {
  e->word = kNoWord;
  const std::string_view id = f[0], name = f[2];
  e->file = file_index;
  e->line = ln;
  if (id.empty() || Trim(id) != id) {
    Report(file, ln, "empty id or id with surrounding spaces");
    return false;
  }
  if (!ParseType(f[1], type)) {
    Report(file, ln, "unknown type '" + std::string(f[1]) + "'");
    return false;
  }
  e->type = static_cast<uint8_t>(*type);
  if (name.empty() || Trim(name) != name) {
    Report(file, ln, "empty name or name with surrounding spaces");
    return false;
  }
  if (id.size() > kMaxField || name.size() > kMaxField) {
    Report(file, ln, "id or name longer than 65535 bytes");
    return false;
  }
  CheckNormalized(file, ln, "name", name);
  e->id_offset = ArenaOffset(id);
  e->id_size = static_cast<uint16_t>(id.size());
  e->name_size = static_cast<uint16_t>(name.size());
  e->cells_offset =
      ArenaOffset(f[3]) + static_cast<uint32_t>(f[3].size()) + 1;
  if (e->name_offset() != ArenaOffset(name)) {  // kTypeSize is wrong
    Report(file, ln, "internal error: name offset");
    return false;
  }
  return true;
}

Gazetteer::WordInfo Gazetteer::Builder::CheckAttributes(
    const std::string& file, uint32_t ln,
    const std::vector<std::string_view>& f, const EntryColumns& cols,
    EntryType type) {
  WordInfo word{0, 0};
  auto cell = [&](int idx) { return CellAt(f, idx); };
  if (type == EntryType::kWord) {
    std::string_view cls = cell(cols.cls);
    bool known = false;
    for (const auto& wc : kWordClasses) {
      if (wc.name == cls) {
        word.features = wc.feature;
        known = true;
      }
    }
    if (!known) {
      Report(file, ln, "unknown word class '" + std::string(cls) + "'");
    }
    std::string_view v = cell(cols.value);
    if (!v.empty() &&
        (word.features & (kFeatNumberWord | kFeatScale)) &&
        !ParseDouble(v, &word.number)) {
      Report(file, ln, "value '" + std::string(v) + "' is not a number");
    }
  }
  for (int col : {cols.lat, cols.lon}) {
    std::string_view v = cell(col);
    if (v.empty()) continue;
    double d;
    double limit = col == cols.lat ? 90 : 180;
    if (!ParseDouble(v, &d) || std::isnan(d) || d < -limit || d > limit) {
      Report(file, ln,
             std::string(col == cols.lat ? "latitude" : "longitude") + " '" +
                 std::string(v) + "' is not a number in [-" +
                 std::to_string(static_cast<int>(limit)) + ", " +
                 std::to_string(static_cast<int>(limit)) + "]");
    }
  }
  if (std::string_view v = cell(cols.plover); !v.empty() && !KnownPlover(v)) {
    Report(file, ln, "unknown PLOVER category '" + std::string(v) + "'");
  }
  if (std::string_view v = cell(cols.cameo); !v.empty() && !ValidCameo(v)) {
    Report(file, ln,
           "CAMEO code '" + std::string(v) + "' is not 2 to 4 digits");
  }
  if (type == EntryType::kEvent) {
    std::string_view cls = cell(cols.cls);
    if (!event_classes.empty() && !event_classes.count(std::string(cls))) {
      Report(file, ln,
             "unknown event class '" + std::string(cls) +
                 "' (not in taxonomy.tsv)");
    }
    std::string_view a = cell(cols.acled), s = cell(cols.acled_sub);
    if (!a.empty() && !acled_pairs.empty() &&
        !acled_pairs.count(std::string(a) + "|" + std::string(s))) {
      Report(file, ln,
             "unknown ACLED pair '" + std::string(a) + " / " +
                 std::string(s) + "'");
    }
    std::string_view pos = cell(cols.pos);
    if (pos != "verb" && pos != "noun") {
      Report(file, ln,
             "pos must be verb or noun, found '" + std::string(pos) + "'");
    }
  }
  return word;
}

void Gazetteer::Builder::AddAliasList(const std::string& file, uint32_t ln,
                                      uint32_t index, std::string_view list,
                                      AliasKind kind, const char* what,
                                      std::vector<std::string_view>* parts) {
  SplitInto(list, '|', parts);
  for (std::string_view a : *parts) {
    if (a.empty()) continue;
    if (Trim(a) != a) {
      Report(file, ln, std::string(what) + " '" + std::string(a) +
                           "' has surrounding spaces");
      continue;
    }
    CheckNormalized(file, ln, what, a);
    AddAlias(index, a, kind);
  }
}

void Gazetteer::Builder::ResolveReferences() {
  for (const PendingRef& p : country_refs) {
    if (countries.empty()) break;
    const DiskEntry& e = entries[p.entry];
    if (!countries.count(std::string(p.value))) {
      Report(files[e.file].name, e.line,
             "unknown country code '" + std::string(p.value) + "'");
    }
  }
  for (const PendingRef& p : affiliation_refs) {
    const DiskEntry& e = entries[p.entry];
    for (std::string_view ref : Split(p.value, '|')) {
      const int64_t parent = FindId(ref);
      if (parent < 0) {
        Report(files[e.file].name, e.line,
               "affiliation '" + std::string(ref) + "' is not a known id");
        continue;
      }
      if (p.kind == "mission") {
        missions.emplace(
            std::to_string(parent) + "|" + std::string(p.country), p.entry);
      }
    }
  }
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::FromImage(
    std::shared_ptr<const void> owner, std::string_view image,
    const std::string& dir, bool verified) {
  std::unique_ptr<Gazetteer> g(new Gazetteer());
  g->dir_label_ = MakeDirLabel(dir);
  Status st = g->Attach(std::move(owner), image, verified);
  if (!st.ok()) return st;
  return g;
}

namespace {

// The status of a malformed image: kBadGazetteer saying why.
Status BadImage(const std::string& why) {
  return Status::BadGazetteer("compiled gazetteer image: " + why);
}

}  // namespace

Status Gazetteer::Attach(std::shared_ptr<const void> owner,
                         std::string_view image, bool verified) {
  static_assert(sizeof(DiskEntry) == 24 && sizeof(WordInfo) == 16);
  View<char> meta;
  if (Status st = MapSections(image, &meta); !st.ok()) return st;
  if (Status st = ReadMeta(meta); !st.ok()) return st;
  if (Status st = CheckIndexes(verified); !st.ok()) return st;

  // Entries: checked by CheckIndexes, built on first use (BuildChunk).
  entry_count_ = disk_entries_.size;
  // Storage only: untouched pages of it cost nothing.
  entries_ =
      std::allocator<Entry>().allocate(std::max<size_t>(entry_count_, 1));
  chunk_ready_.reset(
      new std::atomic<uint8_t>[(entry_count_ >> kChunkBits) + 1]());
  owner_ = std::move(owner);
  image_ = image;
  return Status::Ok();
}

Status Gazetteer::MapSections(std::string_view image, View<char>* meta) {
  if (reinterpret_cast<uintptr_t>(image.data()) % 8 != 0) {
    return BadImage("not 8-byte aligned");
  }
  ImageHeader h;
  if (image.size() < sizeof h) return BadImage("truncated header");
  std::memcpy(&h, image.data(), sizeof h);
  if (std::memcmp(h.magic, kImageMagic, sizeof h.magic) != 0 ||
      h.version != kImageVersion || h.section_count != kSectionCount) {
    return BadImage("wrong magic or version");
  }
  if (h.size != image.size()) return BadImage("wrong size");
  for (const SectionRef& s : h.sections) {
    if (s.offset % 8 != 0 || s.offset < sizeof h || s.offset > image.size() ||
        s.size > image.size() - s.offset) {
      return BadImage("section out of bounds");
    }
  }
  auto view = [&](Section s, auto* out) -> bool {
    using T =
        std::remove_pointer_t<std::remove_reference_t<decltype(out->data)>>;
    using U = std::remove_const_t<T>;
    const SectionRef& r = h.sections[s];
    if (r.size % sizeof(U) != 0) return false;
    out->data = reinterpret_cast<const U*>(image.data() + r.offset);
    out->size = r.size / sizeof(U);
    return true;
  };
  if (!view(kMeta, meta) || !view(kArena, &arena_) ||
      !view(kEntries, &disk_entries_) || !view(kWords, &words_) ||
      !view(kIdSlots, &id_slots_) || !view(kVocabSlots, &vocab_slots_) ||
      !view(kVocabOffsets, &vocab_offsets_) ||
      !view(kVocabChars, &vocab_chars_) || !view(kRootChild, &root_child_) ||
      !view(kFirstChild, &first_child_) || !view(kNodeToken, &node_token_) ||
      !view(kPayloadStart, &payload_start_) || !view(kPayloads, &payloads_)) {
    return BadImage("section size is not a multiple of its element size");
  }
  return Status::Ok();
}

Status Gazetteer::ReadMeta(View<char> meta) {
  MetaReader r(std::string_view(meta.data, meta.size));
  uint64_t alias_count;
  uint32_t n;
  if (!r.U64(&alias_count) || !r.U32(&n)) return BadImage("truncated meta");
  files_.clear();
  for (uint32_t i = 0; i < n; ++i) {
    GazetteerFile f;
    uint32_t ncols;
    uint64_t entries, aliases;
    if (!r.Str(&f.name) || !r.U32(&ncols)) return BadImage("truncated meta");
    for (uint32_t c = 0; c < ncols; ++c) {
      std::string col;
      if (!r.Str(&col)) return BadImage("truncated meta");
      f.columns.push_back(std::move(col));
    }
    if (!r.U64(&entries) || !r.U64(&aliases)) return BadImage("truncated meta");
    f.entries = entries;
    f.aliases = aliases;
    files_.push_back(std::move(f));
  }
  for (auto* m : {&groups_by_kind_country_, &missions_, &countries_}) {
    m->clear();
    if (!r.U32(&n)) return BadImage("truncated meta");
    for (uint32_t i = 0; i < n; ++i) {
      std::string key;
      int32_t value;
      if (!r.Str(&key) || !r.I32(&value)) return BadImage("truncated meta");
      if (value < 0 || static_cast<size_t>(value) >= disk_entries_.size) {
        return BadImage("index out of range");
      }
      m->emplace(std::move(key), value);
    }
  }
  event_classes_.clear();
  if (!r.U32(&n)) return BadImage("truncated meta");
  for (uint32_t i = 0; i < n; ++i) {
    std::string key;
    EventClass ec;
    if (!r.Str(&key) || !r.Str(&ec.acled_event_type) ||
        !r.Str(&ec.acled_sub_event_type) || !r.Str(&ec.plover) ||
        !r.Str(&ec.cameo)) {
      return BadImage("truncated meta");
    }
    event_classes_.emplace(std::move(key), std::move(ec));
  }
  for (auto* s : {&abbreviations_, &boilerplate_}) {
    s->clear();
    if (!r.U32(&n)) return BadImage("truncated meta");
    for (uint32_t i = 0; i < n; ++i) {
      std::string x;
      if (!r.Str(&x)) return BadImage("truncated meta");
      s->insert(std::move(x));
    }
  }
  if (!r.done()) return BadImage("trailing bytes in meta");
  alias_count_ = alias_count;
  return Status::Ok();
}

Status Gazetteer::CheckIndexes(bool verified) const {
  // Every index that Match and Find follow is checked here, once (unless
  // the bytes were `verified` against their checksum), except the hash
  // tables' (checked by Probe) and the cells' (checked by Attr).
  auto is_table = [](const View<uint64_t>& t) {
    return t.size >= 16 && (t.size & (t.size - 1)) == 0;
  };
  const size_t vocab = vocab_offsets_.size == 0 ? 0 : vocab_offsets_.size - 1;
  if (vocab_offsets_.size == 0 || vocab_offsets_[0] != 0 ||
      vocab_offsets_[vocab] != vocab_chars_.size) {
    return BadImage("bad vocabulary offsets");
  }
  for (size_t i = 0; !verified && i < vocab; ++i) {
    if (vocab_offsets_[i] > vocab_offsets_[i + 1]) {
      return BadImage("bad vocabulary offsets");
    }
  }
  if (!is_table(vocab_slots_) || !is_table(id_slots_)) {
    return BadImage("bad hash table");
  }
  const size_t nodes = node_token_.size;
  if (nodes == 0 || first_child_.size != nodes + 1 ||
      payload_start_.size != nodes + 1 || root_child_.size != vocab ||
      payload_start_[0] != 0 || payload_start_[nodes] != payloads_.size ||
      first_child_[nodes] != nodes) {
    return BadImage("bad trie sizes");
  }
  for (size_t i = 0; !verified && i < nodes; ++i) {
    if (first_child_[i] > first_child_[i + 1] ||
        payload_start_[i] > payload_start_[i + 1] ||
        (i > 0 && node_token_[i] >= vocab)) {  // the root has no token
      return BadImage("bad trie");
    }
  }
  for (size_t i = 0; !verified && i < vocab; ++i) {
    if (root_child_[i] >= nodes) return BadImage("bad trie");
  }
  for (size_t i = 0; !verified && i < payloads_.size; ++i) {
    const Payload& p = payloads_[i];
    if (p.entry >= disk_entries_.size || p.match_class > 4 ||
        p.ntokens > kMaxAliasTokens ||
        static_cast<uint8_t>(p.kind) >
            static_cast<uint8_t>(AliasKind::kDemonym)) {
      return BadImage("bad payload");
    }
  }

  // Entries: checked here, built on first use (BuildChunk).
  const uint64_t arena_size = arena_.size;
  for (size_t i = 0; !verified && i < disk_entries_.size; ++i) {
    const DiskEntry& d = disk_entries_[i];
    // 64-bit sums of 32-bit fields cannot overflow.
    if (uint64_t{d.id_offset} + d.id_size > arena_size ||
        d.type > static_cast<uint8_t>(EntryType::kWord) ||
        d.name_offset() + d.name_size > arena_size ||
        d.cells_offset > arena_size || d.file >= files_.size() ||
        (d.word != kNoWord && d.word >= words_.size)) {
      return BadImage("bad entry");
    }
  }
  return Status::Ok();
}

Gazetteer::~Gazetteer() {
  if (entries_ != nullptr) {
    std::allocator<Entry>().deallocate(entries_,
                                       std::max<size_t>(entry_count_, 1));
  }
}

void Gazetteer::BuildChunk(uint32_t chunk) const {
  std::lock_guard<std::mutex> lock(chunk_mutex_);
  if (chunk_ready_[chunk].load(std::memory_order_relaxed) != 0) return;
  const size_t begin = size_t{chunk} << kChunkBits;
  const size_t end =
      std::min(entry_count_, begin + (size_t{1} << kChunkBits));
  for (size_t i = begin; i < end; ++i) {
    const DiskEntry& d = disk_entries_[i];  // checked by Attach
    Entry* e = std::construct_at(entries_ + i);
    e->id = std::string_view(arena_.data + d.id_offset, d.id_size);
    e->name = std::string_view(arena_.data + d.name_offset(), d.name_size);
    if (d.word != kNoWord) {
      e->word_features = words_[d.word].features;
      e->number = words_[d.word].number;
    }
    e->line = d.line;
    e->first_cell = d.cells_offset;
    e->file = d.file;
    e->type = static_cast<EntryType>(d.type);
  }
  chunk_ready_[chunk].store(1, std::memory_order_release);
}

uint64_t Gazetteer::NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// The vocabulary's hash table is megabytes, so most lookups miss the CPU
// caches twice (the slot, then the key's bytes): TokenId was the
// pipeline's costliest function in time while cheap in instructions. Words
// follow Zipf's law, so a few thousand of them make most of any text; a
// direct-mapped memo of keys up to 16 bytes, 256 KB per thread, answers
// those from L2. Ids are the table's, so output does not depend on it.
// (8,192 slots: 0.968x the wall time of 2,048 at -j1 since lookups run in
// one pass per document, TokenIds; with the lookups spread over Match, the
// larger memo had measured 1.03x.)
namespace {

struct TokenMemo {
  struct Slot {
    uint64_t lo = 0, hi = 0;  // the key's bytes, zero-padded
    int32_t id = 0;
    uint32_t root = 0;           // root_child_[id], another likely miss
    uint32_t size = UINT32_MAX;  // UINT32_MAX: empty
  };
  static constexpr int kBits = 13;  // 8,192 slots of 32 bytes
  uint64_t serial = 0;
  Slot slots[size_t{1} << kBits];
};

}  // namespace

int64_t Gazetteer::TokenId(std::string_view key, uint32_t* root) const {
  if (key.size() > 16) {
    const int64_t id = ProbeTokenId(key);
    *root = id < 0 ? 0 : root_child_[static_cast<size_t>(id)];
    return id;
  }
  // The key's bytes, zero-padded, by fixed-size loads (a memcpy of a
  // variable size is a call): overlapping loads agree on the bytes they
  // share, so OR-ing them at their offsets assembles the key.
  uint64_t lo = 0, hi = 0;
  const char* p = key.data();
  const size_t n = key.size();
  if constexpr (std::endian::native != std::endian::little) {
    std::memcpy(&lo, p, std::min<size_t>(n, 8));
    if (n > 8) std::memcpy(&hi, p + 8, n - 8);
  } else if (n > 8) {
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + n - 8, 8);
    hi >>= 8 * (16 - n);  // bytes 8 .. n-1 to the bottom
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    lo = a | (uint64_t{b} << (8 * (n - 4)));
  } else if (n > 0) {
    lo = static_cast<uint8_t>(p[0]) |
         (uint64_t{static_cast<uint8_t>(p[n / 2])} << (8 * (n / 2))) |
         (uint64_t{static_cast<uint8_t>(p[n - 1])} << (8 * (n - 1)));
  }
  thread_local TokenMemo memo;
  if (memo.serial != serial_) {
    std::fill(std::begin(memo.slots), std::end(memo.slots), TokenMemo::Slot{});
    memo.serial = serial_;
  }
  const uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ULL) ^ key.size()) *
                     0xD6E8FEB86659FD93ULL;
  TokenMemo::Slot& slot = memo.slots[h >> (64 - TokenMemo::kBits)];
  if (slot.size == key.size() && slot.lo == lo && slot.hi == hi) {
    *root = slot.root;
    return slot.id;
  }
  const int64_t id = ProbeTokenId(key);
  *root = id < 0 ? 0 : root_child_[static_cast<size_t>(id)];
  slot = TokenMemo::Slot{lo, hi, static_cast<int32_t>(id), *root,
                         static_cast<uint32_t>(key.size())};
  return id;
}

int64_t Gazetteer::ProbeTokenId(std::string_view key) const {
  return Probe(vocab_slots_.data, vocab_slots_.size, HashKey(key),
               vocab_offsets_.size - 1, [&](uint32_t id) {
                 const uint32_t b = vocab_offsets_[id];
                 const uint32_t e = vocab_offsets_[id + 1];
                 return e - b == key.size() &&
                        std::memcmp(vocab_chars_.data + b, key.data(),
                                    key.size()) == 0;
               });
}

uint32_t Gazetteer::Child(uint32_t node, uint32_t token) const {
  if (node == 0) return root_child_[token];
  // Children are sorted by token: narrow down by bisection (the first
  // child >= token stays in [lo, hi]), then scan.
  const uint32_t end = first_child_[node + 1];
  uint32_t lo = first_child_[node], hi = end;
  while (hi - lo > 8) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (node_token_[mid] < token) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (; lo < end; ++lo) {
    if (node_token_[lo] == token) return lo;
    if (node_token_[lo] > token) break;
  }
  return 0;
}

void Gazetteer::TokenIds(const std::vector<Token>& tokens, uint32_t begin,
                         uint32_t end, int64_t* ids, uint32_t* roots) const {
  for (uint32_t j = begin; j < end; ++j) {
    ids[j] = TokenId(tokens[j].key, &roots[j]);
  }
}

void Gazetteer::Match(const std::vector<Token>& tokens, uint32_t begin,
                      uint32_t end, bool all_caps_context,
                      std::vector<GazetteerMatch>* out) const {
  // Scratch space, kept between calls (this runs once per sentence),
  // indexed like `tokens`: only [begin, end) is filled.
  thread_local std::vector<int64_t> ids;
  thread_local std::vector<uint32_t> roots;
  if (ids.size() < end) {
    ids.resize(end);
    roots.resize(end);
  }
  TokenIds(tokens, begin, end, ids.data(), roots.data());
  Match(tokens, begin, end, all_caps_context, ids.data(), roots.data(), out);
}

void Gazetteer::Match(const std::vector<Token>& tokens, uint32_t begin,
                      uint32_t end, bool all_caps_context, const int64_t* ids,
                      const uint32_t* roots,
                      std::vector<GazetteerMatch>* out) const {
  // Scratch space, kept between calls (this runs once per sentence).
  thread_local std::vector<GazetteerMatch> found;  // at one start, filtered
  thread_local std::vector<uint8_t> found_class;   // MatchClass of found[k]
  uint32_t consumed[kMaxAliasTokens];
  for (uint32_t i = begin; i < end; ++i) {
    // A joiner, a word in no alias, or one that starts none.
    if (roots[i] == 0 || tokens[i].has(kJoiner)) continue;
    uint32_t best_len[5] = {0, 0, 0, 0, 0};
    uint32_t best_end[5] = {0, 0, 0, 0, 0};
    size_t best_first[5] = {0, 0, 0, 0, 0};
    found.clear();
    found_class.clear();
    uint32_t node = 0;
    uint32_t n = 0;
    for (uint32_t j = i; j < end && n < kMaxAliasTokens; ++j) {
      const Token& t = tokens[j];
      if (t.has(kJoiner)) continue;
      const int64_t token = ids[j];
      if (token < 0) break;
      node = node == 0 ? roots[j] : Child(node, static_cast<uint32_t>(token));
      if (node == 0) break;
      consumed[n++] = j;
      for (uint32_t k = payload_start_[node]; k < payload_start_[node + 1];
           ++k) {
        const Payload& p = payloads_[k];
        bool ok = true;
        for (uint32_t q = 0; ok && q < n; ++q) {
          const Token& tk = tokens[consumed[q]];
          if ((p.caps_mask >> q) & 1) {
            ok = tk.has(kAllCaps);
          } else if ((p.cap_mask >> q) & 1) {
            ok = tk.has(kCapitalized);
            // A word of three capitals or fewer is an acronym ("BA"), not the
            // name "Ba" ("BONN" is Bonn), unless the sentence is in capitals.
            if (ok && !all_caps_context && tk.has(kAllCaps) &&
                tk.key.size() <= 3) {
              ok = false;
            }
          }
        }
        if (!ok) continue;
        const int c = p.match_class;
        if (n > best_len[c]) {
          best_len[c] = n;
          best_end[c] = j + 1;
          best_first[c] = found.size();
        }
        if (n == best_len[c]) {
          found.push_back(GazetteerMatch{i, j + 1, p.entry, p.kind});
          found_class.push_back(p.match_class);
        }
      }
    }
    for (int c = 0; c < 5; ++c) {
      if (best_len[c] == 0) continue;
      for (size_t k = best_first[c]; k < found.size(); ++k) {
        const GazetteerMatch& m = found[k];
        if (m.token_end == best_end[c] && found_class[k] == c) {
          out->push_back(m);
        }
      }
    }
  }
}

// The tab-separated cells of the entry's line from its first cell, as
// ForEachLine cut the line (without a final '\r'): see Entry::cell_end_.
void Gazetteer::FindCells(const Entry& e) const {
  std::lock_guard<std::mutex> lock(chunk_mutex_);
  if (e.cells_found_.load(std::memory_order_relaxed) != 0) return;
  const char* const base = arena_.data + e.first_cell;
  const char* const arena_end = arena_.data + arena_.size;
  const size_t reach = std::min<size_t>(static_cast<size_t>(arena_end - base),
                                        UINT16_MAX);
  const char* const stop = base + reach;
  const char* q = base;
  e.known_cells_ = 0;
  e.all_cells_ = false;
  while (e.known_cells_ < Entry::kKnownCells) {
    while (q < stop && *q != '\t' && *q != '\n') ++q;
    if (q == stop && stop != arena_end) break;  // past 16 bits
    const bool last = q == arena_end || *q == '\n';
    const char* end = q;
    if (last && end > base && end[-1] == '\r') --end;
    e.cell_end_[e.known_cells_++] = static_cast<uint16_t>(end - base);
    if (last) {
      e.all_cells_ = true;
      break;
    }
    ++q;  // past the tab
  }
  e.cells_found_.store(1, std::memory_order_release);
}

std::string_view Gazetteer::Attr(const Entry& e,
                                 std::string_view column) const {
  const auto& cols = files_[e.file].columns;
  for (size_t i = 0; i < cols.size(); ++i) {
    // The first byte first: column names of one length ("type", "name",
    // "kind") mostly differ there, and a memcmp call each was 0.4% of a run.
    const std::string& c = cols[i];
    if (c.size() == column.size() && (c.empty() || c[0] == column[0]) &&
        c == column) {
      return Cell(e, i);
    }
  }
  return {};
}

std::string_view Gazetteer::Cell(const Entry& e, size_t i) const {
  if (i >= files_[e.file].columns.size()) return {};
  if (e.cells_found_.load(std::memory_order_acquire) == 0) FindCells(e);
  const char* const base = arena_.data + e.first_cell;
  if (i < e.known_cells_) {
    const size_t begin = i == 0 ? 0 : size_t{e.cell_end_[i - 1]} + 1;
    return std::string_view(base + begin, e.cell_end_[i] - begin);
  }
  if (e.all_cells_) return {};
  // The i-th tab-separated field, found by scanning the line from the
  // first cell that is not known.
  const char* p =
      e.known_cells_ == 0 ? base : base + e.cell_end_[e.known_cells_ - 1] + 1;
  const char* const arena_end = arena_.data + arena_.size;
  size_t field = e.known_cells_;
  const char* q = p;
  for (;;) {
    if (q == arena_end || *q == '\n') {
      if (field != i) return {};
      if (q > p && q[-1] == '\r') --q;
      return std::string_view(p, static_cast<size_t>(q - p));
    }
    if (*q == '\t') {
      if (field == i) return std::string_view(p, static_cast<size_t>(q - p));
      ++field;
      p = q + 1;
    }
    ++q;
  }
}

std::vector<size_t> Gazetteer::AliasCountByType() const {
  std::vector<size_t> counts(static_cast<size_t>(EntryType::kWord) + 1, 0);
  for (size_t i = 0; i < payloads_.size; ++i) {
    const DiskEntry& d = disk_entries_[payloads_[i].entry];
    if (d.type < counts.size()) ++counts[d.type];
  }
  return counts;
}

std::string Gazetteer::Source(const Entry& e) const {
  return dir_label_ + "/" + files_[e.file].name + ":" + std::to_string(e.line);
}

int32_t Gazetteer::Find(std::string_view id) const {
  return static_cast<int32_t>(
      Probe(id_slots_.data, id_slots_.size, HashKey(id), entry_count_,
            [&](uint32_t i) {
              const DiskEntry& d = disk_entries_[i];
              return d.id_size == id.size() &&
                     std::memcmp(arena_.data + d.id_offset, id.data(),
                                 id.size()) == 0;
            }));
}

int32_t Gazetteer::FindGroup(std::string_view kind,
                             std::string_view country) const {
  auto it = groups_by_kind_country_.find(std::string(kind) + "|" +
                                         std::string(country));
  return it == groups_by_kind_country_.end() ? -1 : it->second;
}

int32_t Gazetteer::FindMission(uint32_t parent,
                               std::string_view country) const {
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

std::string Gazetteer::NodeKey(uint32_t node,
                               const std::vector<uint32_t>& parent) const {
  std::vector<uint32_t> path;
  for (uint32_t n = node; n != 0; n = parent[n]) path.push_back(n);
  std::string key;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const uint32_t t = node_token_[*it];
    if (!key.empty()) key += ' ';
    key.append(vocab_chars_.data + vocab_offsets_[t],
               vocab_offsets_[t + 1] - vocab_offsets_[t]);
  }
  return key;
}

namespace {

constexpr std::string_view kAmbiguousFile = "ambiguous.tsv";
constexpr std::string_view kEntityTypes[] = {"place", "group", "person"};

// The bit of entity type `s` ("place", "group", "person") in a mask of
// entity types (bit i: kEntityTypes[i]), 0 for any other string.
unsigned EntityTypeBit(std::string_view s) {
  for (unsigned i = 0; i < 3; ++i) {
    if (s == kEntityTypes[i]) return 1u << i;
  }
  return 0;
}

// The entity types in `mask`, '|'-separated ("place|group").
std::string EntityTypeList(unsigned mask) {
  std::string out;
  for (unsigned i = 0; i < 3; ++i) {
    if (!(mask & (1u << i))) continue;
    if (!out.empty()) out += '|';
    out += kEntityTypes[i];
  }
  return out;
}

}  // namespace

// Validate's working state: the decisions read from ambiguous.tsv, and
// where problems go.
struct Gazetteer::Validator {
  // An alias listed in ambiguous.tsv, with the types it lists.
  struct Decided {
    uint32_t line;
    unsigned types;
    bool used = false;  // it names entries of different types
  };
  // An alias that names entries of different types and is not listed.
  struct Conflict {
    uint32_t file, line;  // where it is reported: the first entry named
    std::string message;
  };

  const Gazetteer& g;
  std::vector<Problem>* problems;
  std::unordered_map<std::string, Decided> decided;  // by AliasKey

  void Report(const std::string& file, uint32_t line, std::string msg,
              bool error) {
    problems->push_back(
        Problem{g.dir_label_ + "/" + file, line, std::move(msg), error});
  }

  // Reads ambiguous.tsv in `dir`, when it exists, into `decided`; reports
  // malformed lines as errors.
  void LoadAmbiguous(const std::string& dir);
  // Adds the decision on line `ln` of ambiguous.tsv (`file`), split into
  // `f`; a malformed one is reported and left out.
  void AddDecision(const std::string& file, uint32_t ln,
                   const std::vector<std::string_view>& f);
  // Reports every key on entries of different entity types: a warning when
  // `decided` does not list it, or lists fewer types; marks the decisions
  // used.
  void ReportConflicts();
  // Adds to *conflicts the undecided conflicts of trie node `n` (`parent`:
  // each node's parent), and reports decided ones that list too few types.
  void CheckNode(uint32_t n, const std::vector<uint32_t>& parent,
                 std::vector<Conflict>* conflicts);
  // Reports (warnings) the decisions that no longer name a conflict.
  void ReportStale();
};

void Gazetteer::Validate(const std::string& dir,
                         std::vector<Problem>* problems) const {
  Validator v{*this, problems, {}};
  // ambiguous.tsv: the aliases known to name entities of different types,
  // each with the decision taken.
  v.LoadAmbiguous(dir);
  v.ReportConflicts();
  v.ReportStale();
}

void Gazetteer::Validator::LoadAmbiguous(const std::string& dir) {
  const fs::path path = fs::path(dir) / kAmbiguousFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  const std::string file(kAmbiguousFile);
  auto text = ReadFile(path);
  if (!text.ok()) {
    Report(file, 0, text.status().message(), true);
    return;
  }
  bool header = false;
  ForEachLine(*text, [&](uint32_t ln, std::string_view line) {
    if (Trim(line).empty() || line[0] == '#') return;
    auto f = Split(line, '\t');
    if (!header) {
      header = true;
      if (f.size() != 4 || f[0] != "alias" || f[1] != "types" ||
          f[2] != "decision" || f[3] != "note") {
        Report(file, ln, "header must be: alias types decision note", true);
      }
      return;
    }
    AddDecision(file, ln, f);
  });
}

void Gazetteer::Validator::AddDecision(
    const std::string& file, uint32_t ln,
    const std::vector<std::string_view>& f) {
  if (f.size() != 4) {
    Report(file, ln,
           "expected 4 tab-separated fields, found " + std::to_string(f.size()),
           true);
    return;
  }
  unsigned types = 0;
  bool ok = true;
  for (std::string_view t : Split(f[1], '|')) {
    const unsigned bit = EntityTypeBit(t);
    if (bit == 0) {
      Report(file, ln,
             "unknown type '" + std::string(t) +
                 "' (expected place, group or person)",
             true);
      ok = false;
    }
    types |= bit;
  }
  if (ok && std::popcount(types) < 2) {
    Report(file, ln, "types must name at least two of place, group, person",
           true);
    ok = false;
  }
  const std::string_view decision = f[2];
  if (decision != "context" && !(EntityTypeBit(decision) & types)) {
    Report(file, ln,
           "decision '" + std::string(decision) +
               "' must be 'context' or one of the types",
           true);
    ok = false;
  }
  if (f[3].empty()) {
    Report(file, ln, "the note must say why", true);
    ok = false;
  }
  const std::string key = AliasKey(f[0]);
  if (key.empty()) {
    Report(file, ln, "empty alias", true);
    return;
  }
  auto [it, inserted] = decided.emplace(key, Decided{ln, types});
  if (!inserted) {
    Report(file, ln,
           "alias '" + std::string(f[0]) + "' is already listed at line " +
               std::to_string(it->second.line),
           true);
  } else if (!ok) {
    decided.erase(it);
  }
}

void Gazetteer::Validator::ReportConflicts() {
  // The same key on entries of different entity types. Aliases written in
  // capitals (acronyms) and others only match the same words in text written
  // in capitals, so they are compared separately.
  const uint32_t nodes = static_cast<uint32_t>(g.node_token_.size);
  std::vector<uint32_t> parent(nodes, 0);
  for (uint32_t n = 0; n < nodes; ++n) {
    for (uint32_t c = g.first_child_[n]; c < g.first_child_[n + 1]; ++c) {
      parent[c] = n;
    }
  }
  std::vector<Conflict> conflicts;
  for (uint32_t n = 1; n < nodes; ++n) CheckNode(n, parent, &conflicts);
  const std::vector<GazetteerFile>& files = g.files_;
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [&](const Conflict& a, const Conflict& b) {
                     return std::tie(files[a.file].name, a.line) <
                            std::tie(files[b.file].name, b.line);
                   });
  for (Conflict& c : conflicts) {
    Report(files[c.file].name, c.line, std::move(c.message), false);
  }
}

void Gazetteer::Validator::CheckNode(uint32_t n,
                                     const std::vector<uint32_t>& parent,
                                     std::vector<Conflict>* conflicts) {
  const uint32_t b = g.payload_start_[n], e = g.payload_start_[n + 1];
  if (e - b < 2) return;
  // Group the entity payloads by caps_mask.
  std::vector<std::pair<uint32_t, uint32_t>> groups;  // caps_mask, index
  for (uint32_t k = b; k < e; ++k) {
    if (g.payloads_[k].match_class == 0) {
      groups.emplace_back(g.payloads_[k].caps_mask, k);
    }
  }
  std::stable_sort(
      groups.begin(), groups.end(),
      [](const auto& x, const auto& y) { return x.first < y.first; });
  for (size_t gi = 0; gi < groups.size();) {
    size_t h = gi;
    unsigned types = 0;
    const Payload* first_of[3] = {nullptr, nullptr, nullptr};
    const Payload& first = g.payloads_[groups[gi].second];
    while (h < groups.size() && groups[h].first == groups[gi].first) {
      const Payload& p = g.payloads_[groups[h].second];
      const unsigned t = static_cast<unsigned>(g.entry(p.entry).type);
      if (t < 3) {
        if (first_of[t] == nullptr) first_of[t] = &p;
        types |= 1u << t;
      }
      ++h;
    }
    gi = h;
    if (std::popcount(types) < 2) continue;
    const std::string key = g.NodeKey(n, parent);
    auto it = decided.find(key);
    if (it != decided.end()) {
      it->second.used = true;
      if ((it->second.types & types) != types) {
        Report(std::string(kAmbiguousFile), it->second.line,
               "alias '" + key + "' lists " +
                   EntityTypeList(it->second.types) + " but names a " +
                   EntityTypeList(types),
               false);
      }
      continue;
    }
    std::string names;
    for (unsigned t = 0; t < 3; ++t) {
      if (first_of[t] == nullptr) continue;
      const Entry& x = g.entry(first_of[t]->entry);
      if (!names.empty()) names += ", ";
      names += std::string(kEntityTypes[t]) + " " + std::string(x.id) + " (" +
               g.files_[x.file].name + ":" + std::to_string(x.line) + ")";
    }
    const Entry& where = g.entry(first.entry);
    conflicts->push_back({where.file, where.line,
                          "alias '" + key +
                              "' names entries of different types: " + names +
                              "; list it in ambiguous.tsv with a decision, or "
                              "remove the alias"});
  }
}

void Gazetteer::Validator::ReportStale() {
  std::vector<std::pair<uint32_t, std::string>> stale;
  for (const auto& [key, d] : decided) {
    if (!d.used) stale.emplace_back(d.line, key);
  }
  std::sort(stale.begin(), stale.end());
  for (const auto& [line, key] : stale) {
    Report(std::string(kAmbiguousFile), line,
           "alias '" + key +
               "' does not name entries of different types (remove the line)",
           false);
  }
}

}  // namespace extract
