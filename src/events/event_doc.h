// The per-document state that the event-assembly passes share: the inputs
// of stage 6b (by const reference), per-token maps built once by
// PrepareTokenMaps, and the event list the passes build and refine. Each
// pass is a function over an EventDoc in a file of its own under
// src/events/; AssembleEvents (src/events.cc) calls them in order.
#ifndef EXTRACT_SRC_EVENTS_EVENT_DOC_H_
#define EXTRACT_SRC_EVENTS_EVENT_DOC_H_

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entities.h"
#include "extract/document.h"
#include "gazetteer.h"

namespace extract {

// The first byte is compared before the rest: most keys have the length
// of some word in the list but not its first letter, and this runs for
// every token of a sentence against lists of a dozen words (a memcmp call
// for each was 0.7% of a run).
inline bool In(std::string_view key,
               std::initializer_list<std::string_view> set) {
  for (std::string_view s : set) {
    if (key.size() == s.size() && (s.empty() || key[0] == s[0]) && key == s) {
      return true;
    }
  }
  return false;
}

bool IsBeForm(std::string_view k);
bool IsPreposition(std::string_view k);
bool IsDeterminer(std::string_view k);
// Verbs whose subject undergoes the event a noun names ("she received death
// threats", "the town suffered an attack").
bool IsPatientVerb(std::string_view k);
bool IsSubjectPronoun(std::string_view k);
// Verbs that report speech ("said", "told"): their subject is a source.
bool IsSpeechVerb(std::string_view k);
// True when a token's numeric value can be a count of people: finite, not
// negative, and small enough to convert to int64_t ("1e20 goats" is not a
// toll, and converting it would be undefined behaviour).
inline bool IsCount(double v) { return v >= 0 && v <= 9.0e15; }
// ACLED event types where a stated death toll belongs to the event.
bool IsViolent(std::string_view acled_type);
// How far, in tokens, a step that looks at "the trigger's sentence" looks on
// either side of the trigger. No ordinary sentence is this long (none in the
// BBC corpus or the eval articles comes near it), so there the step sees
// the whole sentence; a pathological one (tens of thousands of tokens with
// no sentence break: a scraped page whose lines start with an emoji or a
// lower-case word) costs each trigger this much, not the whole sentence.
inline constexpr uint32_t kSentenceReach = 512;

// True for the statuses of an event reported as having happened (or
// possibly so): asserted, claimed, alleged, possible.
bool IsReported(std::string_view status);
// The unresolved crowd descriptors: "protesters", "demonstrators",
// "rioters" (lower case or capitalized).
bool IsDemonstratorName(std::string_view name);
// The number written in v[b, b + n), or -1 when v is too short or a
// character there is not a digit ("2024" of "2024-03-08").
int DigitsAt(std::string_view v, size_t b, size_t n);
// Appends `entity` to `v` unless it is negative or already there.
void AddUnique(std::vector<uint32_t>* v, int32_t entity);

// Inputs, per-token maps and the events built so far. Not thread-safe; one
// per document. The references outlive it (they are AssembleEvents'
// arguments).
struct EventDoc {
  EventDoc(const NormalizedText& text_in, const Segmentation& seg_in,
           const std::vector<uint64_t>& features_in,
           const EntityAssembly& ents_in, const Gazetteer& g_in,
           const std::vector<DateExpr>& dates_in_text_order,
           std::string document_date_in)
      : text(text_in), seg(seg_in), features(features_in), ents(ents_in),
        g(g_in), dates(dates_in_text_order),
        document_date(std::move(document_date_in)),
        by_sentence_(ents_in.entities.size()),
        entry_(EntityEntries(ents_in)),
        area_(entry_.size()) {
    for (size_t i = 0; i < entry_.size(); ++i) {
      if (entry_[i] < 0) continue;
      const Entry& e = g.entry(static_cast<uint32_t>(entry_[i]));
      area_[i] = Area{g.Attr(e, "feature"), g.Attr(e, "admin1"),
                      g.Attr(e, "admin2"), g.Attr(e, "country")};
    }
  }

  const NormalizedText& text;
  const Segmentation& seg;
  const std::vector<uint64_t>& features;
  const EntityAssembly& ents;
  const Gazetteer& g;
  const std::vector<DateExpr>& dates;  // in text order
  std::string document_date;           // "YYYY-MM-DD" or ""

  // Filled by PrepareTokenMaps.
  std::vector<int32_t> mention_at;  // token -> top-level mention, or -1
  std::vector<double> number;       // token -> numeric value, or NaN
  // token -> ISO code, or "" (a view into the gazetteer's text)
  std::vector<std::string_view> currency;
  std::vector<uint8_t> parenthetical;
  // token -> IsSpeechVerb(key): -1 until first asked (most tokens never
  // are), see is_speech.
  mutable std::vector<int8_t> speech;
  // sentence -> indices into `dates`, in order.
  std::vector<std::vector<uint32_t>> dates_in;

  // The events, one per kept trigger, then refined by later passes.
  std::vector<Event> events;
  // The trigger of each event, aligned with `events` until MergeIncidents.
  std::vector<Trigger> event_triggers;
  // Filled by MergeIncidents: the mentions (indices into `events`) of each
  // incident, in text order, and why each mention joined its incident.
  std::vector<std::vector<uint32_t>> incidents;
  std::vector<std::string> merge_reason;  // by event; "" for a first mention

  // Where a place entity sits in the admin hierarchy.
  enum class PlaceLevel { kUnknown, kRegion, kCountry, kAdmin1, kAdmin2, kPoint };
  PlaceLevel place_level(uint32_t entity) const;
  // A place below the first admin level (a town, a landmark, a district)
  // or one no gazetteer knows.
  bool is_specific_place(uint32_t entity) const {
    const PlaceLevel level = place_level(entity);
    return level == PlaceLevel::kPoint || level == PlaceLevel::kAdmin2 ||
           level == PlaceLevel::kUnknown;
  }
  // The gazetteer entry of an entity (its first resolved mention's), or
  // null.
  const Entry* entry_of(uint32_t entity) const;
  // True when the two place entities are the same place or one lies in the
  // other (by the admin1/admin2 columns of the gazetteer).
  bool same_area(uint32_t a, uint32_t b) const;

  const Token& tok(uint32_t i) const { return seg.tokens[i]; }
  std::string_view key(uint32_t i) const { return seg.tokens[i].key; }
  const Mention* mention_of(uint32_t t) const {
    const int32_t i = mention_at[t];
    return i < 0 ? nullptr : &ents.mentions[i];
  }
  bool is_speech(uint32_t i) const {
    if (speech[i] < 0) speech[i] = IsSpeechVerb(seg.tokens[i].key) ? 1 : 0;
    return speech[i] == 1;
  }
  bool is_country(const Mention& m) const;
  // Could this mention be the doer of something?
  bool can_act(const Mention& m) const;
  bool can_be_target(const Mention& m) const;
  // True when `m` opens a prepositional phrase that starts after `floor`.
  bool preceded_by_preposition(const Mention& m, uint32_t floor) const;
  // True when sentence `s` opens with a subordinating word ("Though ...,
  // the army ...").
  bool opens_subordinate(const Sentence& s) const;
  // The first token of the clause holding token `t` (at most
  // kSentenceReach tokens before it).
  uint32_t clause_start(const Sentence& s, uint32_t t) const;
  // [begin, end) of the stretch of sentence `s` around token `t` between
  // clause breaks that change the scene (";", ":", "where", "while",
  // "whereas", "but", "although"): the part that tells of one incident.
  std::pair<uint32_t, uint32_t> scene(const Sentence& s, uint32_t t) const;
  // The tokens of `s` within kSentenceReach of the trigger: [reach_begin,
  // reach_end).
  uint32_t reach_begin(const Sentence& s, const Trigger& tr) const {
    return tr.token_begin > s.token_begin + kSentenceReach
               ? tr.token_begin - kSentenceReach
               : s.token_begin;
  }
  uint32_t reach_end(const Sentence& s, const Trigger& tr) const {
    return s.token_end > tr.token_end + kSentenceReach
               ? tr.token_end + kSentenceReach
               : s.token_end;
  }
  // The leftmost possible doer in [b, e), outside parentheticals and
  // prepositional phrases.
  const Mention* subject_in(uint32_t b, uint32_t e) const;
  // Mentions of a noun phrase starting near `t`: "French and United Nations
  // forces" gives both.
  std::vector<const Mention*> objects_from(uint32_t t, uint32_t limit,
                                           uint32_t max_gap,
                                           bool allow_prepositions) const;
  // An entity's mentions in one sentence, in the order of its mention list,
  // as (sentence, index in the entity's mention list) pairs. The view lives
  // until the next call for the same entity.
  std::span<const std::pair<uint32_t, uint32_t>> mentions_in_sentence(
      uint32_t entity, uint32_t sentence);

 private:
  // Each entity's first resolved mention's gazetteer entry, or -1.
  static std::vector<int32_t> EntityEntries(const EntityAssembly& ents);
  // (sentence, mention) pairs of each entity, sorted, built for an entity
  // when first asked: a long document mentions an entity thousands of
  // times.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> by_sentence_;
  // By entity: what entry_of returns, looked up once (an entity can have
  // thousands of unresolved mentions, and the merge asks for every pair of
  // places).
  std::vector<int32_t> entry_;
  // By entity: the columns of its entry that same_area compares (views
  // into the gazetteer), looked up once.
  struct Area {
    std::string_view feature, admin1, admin2, country;
  };
  std::vector<Area> area_;
};

}  // namespace extract

#endif  // EXTRACT_SRC_EVENTS_EVENT_DOC_H_
