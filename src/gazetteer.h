// Stage 4 (match gazetteers): loads the gazetteer files into entries and a
// trie over normalized token keys, and finds every entry named in a run of
// tokens, longest match first. Loaded once, before any article is read;
// immutable afterwards and safe to share between threads.
//
// A loaded gazetteer lives in one position-independent byte image (flat
// arrays: the file texts, entries, open-addressing hash tables, a trie in
// CSR form), so that it can be stored as is and mapped back by the cache
// (gazetteer_cache.h) without parsing anything.
//
// Usage:
//   std::vector<Problem> problems;
//   auto gaz = Gazetteer::Load("gazetteers", &problems);
//   if (!gaz.ok()) ...;  // the first error, "file:line: why"
//   auto matches = (*gaz)->Match(seg.tokens, 0, seg.tokens.size(), false);
#ifndef EXTRACT_SRC_GAZETTEER_H_
#define EXTRACT_SRC_GAZETTEER_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "extract/document.h"
#include "extract/status.h"

namespace extract {

enum class EntryType : uint8_t {
  kPlace, kGroup, kPerson, kTitle, kHonorific, kFirstName, kEvent, kWord,
};
// "place", "group", "person", "title", "honorific", "first_name", "event",
// "word" (the values of the `type` column).
std::string_view ToString(EntryType type);

// How an alias names its entry.
enum class AliasKind : uint8_t { kName, kAlias, kDemonym };

// Per-token features, set from gazetteer matches and word classes; the rules
// stage and the event assembler read them.
enum Feature : uint64_t {
  kFeatTitle = 1ull << 0,
  kFeatHonorific = 1ull << 1,
  kFeatFirstName = 1ull << 2,
  kFeatPlace = 1ull << 3,         // inside a place-name match
  kFeatGroup = 1ull << 4,         // inside a group-name match
  kFeatPerson = 1ull << 5,        // inside a known person's name
  kFeatDemonym = 1ull << 6,       // a nationality adjective
  kFeatTrigger = 1ull << 7,       // inside an event trigger
  kFeatOrgSuffix = 1ull << 8,
  kFeatOrgPrefix = 1ull << 9,
  kFeatPlaceSuffix = 1ull << 10,
  kFeatPlaceNoun = 1ull << 11,
  kFeatLocative = 1ull << 12,
  kFeatMilitaryNoun = 1ull << 13,
  kFeatPoliceNoun = 1ull << 14,
  kFeatGovernmentNoun = 1ull << 15,
  kFeatMissionNoun = 1ull << 16,
  kFeatCasualtyNoun = 1ull << 17,
  kFeatFatalityCue = 1ull << 18,
  kFeatInjuryCue = 1ull << 19,
  kFeatNegation = 1ull << 20,
  kFeatNegationVerb = 1ull << 21,
  kFeatModalPossible = 1ull << 22,
  kFeatModalThreat = 1ull << 23,
  kFeatModalIntent = 1ull << 24,
  kFeatNumberWord = 1ull << 25,
  kFeatVagueQuantity = 1ull << 26,
  kFeatScale = 1ull << 27,
  kFeatCurrency = 1ull << 28,
  kFeatFunctionWord = 1ull << 29,
  kFeatPronoun = 1ull << 30,
  kFeatNationalityNoun = 1ull << 31,
  kFeatEvidential = 1ull << 32,
  kFeatDate = 1ull << 33,         // inside a date expression
  kFeatSentenceStart = 1ull << 34,
  kFeatDirection = 1ull << 35,    // "north", "northern"
  kFeatArmedNoun = 1ull << 36,    // "gunmen", "militants"
  kFeatWeaponNoun = 1ull << 37,   // "IED", "mortar"
  kFeatApproximator = 1ull << 38, // "at least", "about"
  kFeatModalFuture = 1ull << 39,  // "will", "to be"
  kFeatCompoundHead = 1ull << 40, // "gear" in "combat gear"
  kFeatSportsCue = 1ull << 41,    // "innings", "goals", "soccer"
  kFeatArmedTarget = 1ull << 42,  // "checkpoint", "soldiers", "patrol"
  kFeatCivilianNoun = 1ull << 43, // "villagers", "a mechanic"
  kFeatMonth = 1ull << 44,        // "March"
};

// One line of a gazetteer file. Attribute values are views into the loaded
// file text, owned by the Gazetteer.
struct Entry {
  std::string_view id;
  std::string_view name;
  uint64_t word_features = 0;  // for type kWord: the Feature of its class
  double number = 0;           // for number words and scales: `value`
  uint32_t line = 0;           // 1-based line number
  uint32_t first_cell = 0;     // where the attribute cells start (Attr)
  uint16_t file = 0;           // index into Gazetteer::files()
  EntryType type = EntryType::kPlace;

 private:
  friend class Gazetteer;
  // Where the attribute cells end, found by Gazetteer::Cell (which Attr
  // calls) when it is first asked for one of the entry's cells: once per
  // entry, under the gazetteer's lock, `cells_found_` then set with release
  // order. Later calls do not scan the line: cell k < known_cells_ ends
  // cell_end_[k] bytes after first_cell, and starts one byte after the end
  // of cell k - 1 (cell 0 at first_cell). `all_cells_`: the line has no
  // other cells. Lines with more cells, or longer than 16-bit offsets
  // reach, are scanned past the known ones.
  static constexpr size_t kKnownCells = 10;
  mutable std::atomic<uint8_t> cells_found_{0};
  mutable uint8_t known_cells_ = 0;
  mutable bool all_cells_ = false;
  mutable std::array<uint16_t, kKnownCells> cell_end_{};
};

struct GazetteerFile {
  std::string name;                  // "places.tsv"
  std::vector<std::string> columns;  // attribute column names (after aliases)
  size_t entries = 0;  // entries loaded from the file
  size_t aliases = 0;  // keys indexed for them (names, aliases, demonyms)
};

// A problem found while loading, reported as "file:line: message".
struct Problem {
  std::string file;  // "gazetteers/places.tsv"
  uint32_t line = 0;
  std::string message;
  bool error = true;  // false: a warning
  std::string ToString() const;
};

// A gazetteer entry named by tokens [token_begin, token_end).
struct GazetteerMatch {
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t entry = 0;
  AliasKind kind = AliasKind::kName;
};

// An event class and the ACLED pair it maps to (taxonomy.tsv).
struct EventClass {
  std::string acled_event_type, acled_sub_event_type, plover, cameo;
};

class Gazetteer {
 public:
  // Loads every "*.tsv" entry file in `dir` (and taxonomy.tsv,
  // abbreviations.txt, boilerplate.txt; ambiguous.tsv is read by Validate
  // only). Every problem found is appended to `problems` (which may be
  // null); the result is kBadGazetteer naming the first error as
  // "file:line: message" when any error was found, kNotFound when `dir` does
  // not exist.
  static Result<std::unique_ptr<Gazetteer>> Load(
      const std::string& dir, std::vector<Problem>* problems);

  // For `extract check`: loads `dir` like Load and also runs every slower
  // check (see Validate). Every problem is appended to `problems` (not
  // null). Returns the gazetteer even when errors were found (entries on
  // broken lines are left out), so that rules can still be checked against
  // it; returns null only when `dir` does not exist (reported as a problem).
  static std::unique_ptr<Gazetteer> LoadForCheck(
      const std::string& dir, std::vector<Problem>* problems);

  // The compiled form of this gazetteer, a self-contained byte image with no
  // pointers (entries, attribute cells, the trie and every index), from which
  // FromImage rebuilds an identical Gazetteer. The view lives as long as
  // this object. Used by the cache (gazetteer_cache.h).
  std::string_view image() const { return image_; }

  // Rebuilds a gazetteer from bytes produced by image() of the same build of
  // the program. `image` must be 8-byte aligned and stay valid as long as
  // `owner` lives; the gazetteer keeps `owner`. `dir` is the directory the
  // image was compiled from (for Source()). The header and section sizes
  // are always checked; unless `verified` (the caller has checked the bytes
  // against a checksum taken when image() was written, as the cache does),
  // every index of the image is checked too (a few milliseconds), so that
  // malformed bytes give kBadGazetteer, never a crash.
  static Result<std::unique_ptr<Gazetteer>> FromImage(
      std::shared_ptr<const void> owner, std::string_view image,
      const std::string& dir, bool verified = false);

  ~Gazetteer();
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  // Every entry named in tokens[begin, end): for each start token and each
  // class of entry (entity names, titles, first names, event triggers, words)
  // the longest alias that matches there, with all entries of that alias.
  // Case rules: a capitalized alias token needs a capitalized text token, an
  // all-capital alias (acronym) needs an all-capital token, and a short
  // all-capital token ("BA") matches only an acronym alias, unless the
  // sentence is written in capitals (`all_caps_context`). Joiner tokens
  // (hyphens in compounds) are skipped. Thread-safe; allocates only the
  // result (and, once per thread, scratch space).
  std::vector<GazetteerMatch> Match(const std::vector<Token>& tokens,
                                    uint32_t begin, uint32_t end,
                                    bool all_caps_context) const {
    std::vector<GazetteerMatch> out;
    Match(tokens, begin, end, all_caps_context, &out);
    return out;
  }
  // The same, appended to *out (the pipeline collects a document's matches
  // in one vector).
  void Match(const std::vector<Token>& tokens, uint32_t begin, uint32_t end,
             bool all_caps_context, std::vector<GazetteerMatch>* out) const;
  // The same with each token's key looked up beforehand by TokenIds:
  // ids[j] and roots[j] for every j in [begin, end), indexed like `tokens`.
  void Match(const std::vector<Token>& tokens, uint32_t begin, uint32_t end,
             bool all_caps_context, const int64_t* ids, const uint32_t* roots,
             std::vector<GazetteerMatch>* out) const;

  // Looks up the key of each token of tokens[begin, end) once: ids[j] is its
  // id in this gazetteer's vocabulary of alias words (-1: in no alias) and
  // roots[j] the trie node it leads to from the root (0: no alias starts
  // with it), for j in [begin, end). Other stages key tables on these ids
  // (see KeyId) rather than hash the key again. Thread-safe.
  void TokenIds(const std::vector<Token>& tokens, uint32_t begin,
                uint32_t end, int64_t* ids, uint32_t* roots) const;
  // The vocabulary id of `key` (an exact token key), or -1: what TokenIds
  // gives a token with this key.
  int64_t KeyId(std::string_view key) const { return ProbeTokenId(key); }
  // Distinct for every gazetteer object of the process, even one allocated
  // where a destroyed one lived: tables of ids (KeyId) are valid for the
  // gazetteer with the same serial only.
  uint64_t serial() const { return serial_; }

  // Entry i < size(). The reference stays valid as long as the gazetteer.
  // Thread-safe.
  [[gnu::always_inline]] const Entry& entry(uint32_t i) const {
    // Entries are built from the image a chunk at a time, on first use, so
    // that loading from the cache does not build 145,000 of them.
    if (chunk_ready_[i >> kChunkBits].load(std::memory_order_acquire) == 0) {
      BuildChunk(i >> kChunkBits);
    }
    return entries_[i];
  }
  size_t size() const { return entry_count_; }
  const std::vector<GazetteerFile>& files() const { return files_; }
  // The entry's value in attribute column `column`, or "" when the file has
  // no such column or the cell is empty.
  std::string_view Attr(const Entry& e, std::string_view column) const;
  // The same for the column at `index` in files()[e.file].columns.
  std::string_view Cell(const Entry& e, size_t index) const;
  // "gazetteers/places.tsv:123".
  std::string Source(const Entry& e) const;
  // Entry index by id, or -1.
  int32_t Find(std::string_view id) const;
  // The group entry of `kind` for `country` (ISO2), e.g. ("military", "ML"),
  // or -1.
  int32_t FindGroup(std::string_view kind, std::string_view country) const;
  // The mission (kind "mission") affiliated to `parent` operating in
  // `country`, or -1.
  int32_t FindMission(uint32_t parent, std::string_view country) const;
  // Country entry by ISO2 code, or -1.
  int32_t FindCountry(std::string_view iso2) const;

  const std::unordered_set<std::string>& abbreviations() const {
    return abbreviations_;
  }
  const std::unordered_set<std::string>& boilerplate() const {
    return boilerplate_;
  }
  const EventClass* FindEventClass(std::string_view cls) const;
  // Number of aliases indexed (distinct (key, entry) pairs).
  size_t alias_count() const { return alias_count_; }
  // The same, by EntryType (indexed by its value). Walks every alias.
  std::vector<size_t> AliasCountByType() const;
  const std::string& dir_label() const { return dir_label_; }

  // Slower checks for `extract check`, on a loaded gazetteer: the same key
  // (alias) on entries of different entity types (place, group, person)
  // that gazetteers/ambiguous.tsv does not list is a warning; entries of
  // ambiguous.tsv that are malformed are errors, and those that no longer
  // name a conflict are warnings. Appends to `problems`.
  void Validate(const std::string& dir, std::vector<Problem>* problems) const;

  // A trie payload: one (key, entry) pair. Public only for the image layout.
  struct Payload {
    uint32_t entry;
    uint32_t cap_mask;   // bit i: alias token i is capitalized
    uint32_t caps_mask;  // bit i: alias token i is an acronym (all caps)
    AliasKind kind;
    uint8_t ntokens;
    uint8_t match_class;  // MatchClass(entry type)
    uint8_t reserved;
  };

 private:
  Gazetteer() = default;
  // A read-only array inside the image.
  template <typename T>
  struct View {
    const T* data = nullptr;
    size_t size = 0;
    const T& operator[](size_t i) const { return data[i]; }
  };
  struct Builder;  // the TSV loader's working state; gazetteer.cc
  struct Validator;  // Validate's working state; gazetteer.cc

  static constexpr uint32_t kChunkBits = 8;  // 256 entries a chunk
  void BuildChunk(uint32_t chunk) const;
  void FindCells(const Entry& e) const;

  static std::unique_ptr<Gazetteer> LoadImpl(const std::string& dir,
                                             std::vector<Problem>* problems,
                                             bool validate);
  Status Attach(std::shared_ptr<const void> owner, std::string_view image,
                bool verified);
  // Attach's steps, each kBadGazetteer when the image is malformed. Checks
  // the header of `image` and points *meta and the section views (arena_
  // to payloads_) into it.
  Status MapSections(std::string_view image, View<char>* meta);
  // Reads the meta section into files_, the small maps and lists, and
  // alias_count_.
  Status ReadMeta(View<char> meta);
  // Checks the sizes of the views and, unless `verified`, every index in
  // them that Match and Find follow (see Attach).
  Status CheckIndexes(bool verified) const;
  static std::string MakeDirLabel(const std::string& dir);
  // Token id of a matching key, or -1, and in `root` the trie node the key
  // leads to from the root (0: none). Short keys go through a small
  // per-thread memo first (see gazetteer.cc).
  int64_t TokenId(std::string_view key, uint32_t* root) const;
  int64_t ProbeTokenId(std::string_view key) const;  // the table itself
  // The child of `node` along `token`, or 0 (the root is never a child).
  uint32_t Child(uint32_t node, uint32_t token) const;
  // The alias key of trie node `node` ("cote d'ivoire"), for messages.
  std::string NodeKey(uint32_t node, const std::vector<uint32_t>& parent) const;

  // Names this gazetteer in per-thread memos: a gazetteer loaded where a
  // destroyed one lived must not find the old one's token ids.
  const uint64_t serial_ = NextSerial();
  static uint64_t NextSerial();
  std::shared_ptr<const void> owner_;  // keeps image_ alive
  std::string_view image_;
  std::string dir_label_;
  std::vector<GazetteerFile> files_;
  // Entries, built lazily (entry()): storage for entry_count_ of them,
  // constructed a chunk at a time under chunk_mutex_, chunk_ready_[c] set
  // (release) once chunk c is built. Entries view into arena_.
  size_t entry_count_ = 0;
  Entry* entries_ = nullptr;  // std::allocator<Entry> storage
  std::unique_ptr<std::atomic<uint8_t>[]> chunk_ready_;
  mutable std::mutex chunk_mutex_;
  std::unordered_map<std::string, int32_t> groups_by_kind_country_;
  std::unordered_map<std::string, int32_t> missions_;
  std::unordered_map<std::string, int32_t> countries_;
  std::unordered_map<std::string, EventClass> event_classes_;
  std::unordered_set<std::string> abbreviations_;
  std::unordered_set<std::string> boilerplate_;
  size_t alias_count_ = 0;

  // Everything below points into image_. The file texts, concatenated;
  // entries view into them. An entry's attribute cells are the
  // tab-separated fields of its line from arena_[Entry::first_cell].
  View<char> arena_;
  struct DiskEntry;
  struct WordInfo;
  View<DiskEntry> disk_entries_;
  View<WordInfo> words_;  // word_features and number of kWord entries
  // Open-addressing hash tables (linear probing, power-of-two sizes): a slot
  // is (32 high bits of the key's hash) << 32 | (index + 1), 0 when empty.
  View<uint64_t> id_slots_;     // entry ids -> entry index
  View<uint64_t> vocab_slots_;  // token keys -> token id
  View<uint32_t> vocab_offsets_;  // token id -> its key in vocab_chars_
  View<char> vocab_chars_;
  // The trie over token ids, nodes numbered breadth first so that the
  // children of a node are consecutive and sorted by token: node n's
  // children are [first_child_[n], first_child_[n + 1]), node_token_[c] is
  // the token that leads to c. The root's children are found directly:
  // root_child_[token] (0: none). Payloads of node n are payloads_[
  // payload_start_[n] .. payload_start_[n + 1]), in file order.
  View<uint32_t> root_child_;
  View<uint32_t> first_child_;
  View<uint32_t> node_token_;
  View<uint32_t> payload_start_;
  View<Payload> payloads_;
};

// Which broad class of match an entry belongs to (for longest-match per
// class): 0 entity names, 1 titles and honorifics, 2 first names,
// 3 event triggers, 4 words.
int MatchClass(EntryType type);

}  // namespace extract

#endif  // EXTRACT_SRC_GAZETTEER_H_
