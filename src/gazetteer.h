// Stage 4 (match gazetteers): loads the gazetteer files into entries and a
// trie over normalized token keys, and finds every entry named in a run of
// tokens, longest match first. Loaded once, before any article is read;
// immutable afterwards and safe to share between threads.
//
// Usage:
//   std::vector<Problem> problems;
//   auto gaz = Gazetteer::Load("gazetteers", &problems);
//   if (!gaz.ok()) ...;                         // first error, "file:line: why"
//   auto matches = (*gaz)->Match(seg.tokens, 0, seg.tokens.size());
#ifndef EXTRACT_SRC_GAZETTEER_H_
#define EXTRACT_SRC_GAZETTEER_H_

#include <cstdint>
#include <memory>
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
};

// One line of a gazetteer file. Attribute values are views into the loaded
// file text, owned by the Gazetteer.
struct Entry {
  std::string_view id;
  EntryType type = EntryType::kPlace;
  std::string_view name;
  uint16_t file = 0;   // index into Gazetteer::files()
  uint32_t line = 0;   // 1-based line number
  uint32_t first_cell = 0;  // attribute cells: cells_[first_cell ...]
  uint64_t word_features = 0;  // for type kWord: the Feature of its class
  double number = 0;           // for number words and scales: `value`
};

struct GazetteerFile {
  std::string name;                  // "places.tsv"
  std::vector<std::string> columns;  // attribute column names (after aliases)
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
  // abbreviations.txt, boilerplate.txt). Every problem found is appended to
  // `problems` (which may be null); the result is kBadGazetteer naming the
  // first error as "file:line: message" when any error was found, kNotFound
  // when `dir` does not exist.
  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& dir,
                                                 std::vector<Problem>* problems);

  // Every entry named in tokens[begin, end): for each start token and each
  // class of entry (entity names, titles, first names, event triggers, words)
  // the longest alias that matches there, with all entries of that alias.
  // Case rules: a capitalized alias token needs a capitalized text token, an
  // all-capital alias (acronym) needs an all-capital token, and a short
  // all-capital token ("BA") matches only an acronym alias, unless the
  // sentence is written in capitals (`all_caps_context`). Joiner tokens
  // (hyphens in compounds) are skipped. Thread-safe.
  std::vector<GazetteerMatch> Match(const std::vector<Token>& tokens,
                                    uint32_t begin, uint32_t end,
                                    bool all_caps_context) const;

  const Entry& entry(uint32_t i) const { return entries_[i]; }
  size_t size() const { return entries_.size(); }
  const std::vector<GazetteerFile>& files() const { return files_; }
  // The entry's value in attribute column `column`, or "" when the file has
  // no such column or the cell is empty.
  std::string_view Attr(const Entry& e, std::string_view column) const;
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
  // Number of aliases indexed.
  size_t alias_count() const { return alias_count_; }
  const std::string& dir_label() const { return dir_label_; }

 private:
  Gazetteer() = default;
  struct Payload {
    uint32_t entry;
    AliasKind kind;
    uint8_t ntokens;
    uint32_t cap_mask;   // bit i: alias token i is capitalized
    uint32_t caps_mask;  // bit i: alias token i is an acronym (all caps)
  };
  void AddAlias(uint32_t entry, std::string_view alias, AliasKind kind);
  uint32_t Child(uint32_t node, uint32_t token_id) const;

  std::string dir_label_;
  std::vector<std::string> texts_;  // file contents; entries view into them
  std::vector<GazetteerFile> files_;
  std::vector<Entry> entries_;
  std::vector<std::string_view> cells_;
  std::unordered_map<std::string_view, int32_t> by_id_;
  std::unordered_map<std::string, int32_t> groups_by_kind_country_;
  std::unordered_map<std::string, int32_t> missions_;
  std::unordered_map<std::string, int32_t> countries_;
  std::unordered_map<std::string, EventClass> event_classes_;
  std::unordered_set<std::string> abbreviations_;
  std::unordered_set<std::string> boilerplate_;

  // The trie: token keys interned to ids; edges (node << 32 | token) -> node.
  std::unordered_map<std::string, uint32_t> vocab_;
  std::unordered_map<uint64_t, uint32_t> edges_;
  std::vector<std::vector<Payload>> payloads_;  // by node; node 0 = root
  size_t alias_count_ = 0;
};

// Which broad class of match an entry belongs to (for longest-match per
// class): 0 entity names, 1 titles and honorifics, 2 first names,
// 3 event triggers, 4 words.
int MatchClass(EntryType type);

}  // namespace extract

#endif  // EXTRACT_SRC_GAZETTEER_H_
