// Scoring extraction against gold annotations (`extract eval`, issue 4).
// Readers turn each gold format into GoldDocuments or AcledRows, the
// evaluators run a loaded Pipeline over them in-process and count, and the
// Format* functions render the figures. Nothing here reads files or prints:
// the CLI (src/cli/eval_command.cc) reads the gold file and writes reports.
//
// Usage:
//   auto docs = extract::ParseGold(extract::GoldFormat::kConll, bytes, path);
//   if (!docs.ok()) { report(docs.status()); return 2; }
//   extract::NerEvalResult r = extract::EvaluateNer(**pipeline, *docs, {});
//   std::cout << extract::FormatNerText(r);
//
// Definitions (also printed by `extract eval --help`, docs/ci-recipe.md):
//   - Predicted mentions are every mention of every entity except those with
//     role "descriptor" (unless EvalOptions::with_descriptors); nested
//     mentions each count. Offsets are code points.
//   - Exact: a prediction is correct when a gold span has the same start,
//     end and type. Lenient: a prediction counts as correct when it overlaps
//     a gold span of its type, and a gold span counts as found when a
//     prediction of its type overlaps it.
//   - Neutral gold spans (CoNLL MISC, DWIE value/time/role/misc/...; "misc"
//     in our gold format) are not scored; a prediction that overlaps one and
//     does not match a scored gold span exactly counts neither way.
//   - Micro figures add the counts of person, place and group.
#ifndef EXTRACT_SRC_EVAL_H_
#define EXTRACT_SRC_EVAL_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/pipeline.h"
#include "extract/status.h"

namespace extract {

// ---------------------------------------------------------------------------
// Gold data

enum class GoldFormat { kConll, kConllJsonl, kDwie, kAcled, kGold };

// Parses "conll", "conll-jsonl", "dwie", "acled" or "gold". Returns
// kInvalidInput naming the accepted values otherwise.
Result<GoldFormat> ParseGoldFormat(std::string_view name);
std::string_view ToString(GoldFormat format);

// One gold annotation: the code-point range [start, end) of
// GoldDocument::text.
struct GoldSpan {
  uint32_t start = 0;
  uint32_t end = 0;
  std::optional<EntityType> type;  // nullopt: unscored ("neutral")
  std::string label;               // the data set's own label ("PER", "gpe")
};

// A token of a CoNLL document, placed in the rebuilt text.
struct ConllToken {
  std::string text;
  std::string tag;     // gold NER tag as in the file (IOB1: "I-PER")
  uint32_t start = 0;  // code points into GoldDocument::text
  uint32_t end = 0;
  uint32_t sentence = 0;  // sentence number within the document
};

struct GoldDocument {
  std::string id;
  std::string text;  // what extract runs on
  std::string date;  // reference date "YYYY-MM-DD", or ""
  std::vector<GoldSpan> spans;
  // CoNLL (format kConll) only: predictions are mapped onto these tokens
  // and scored as chunks of token tags, as conlleval does.
  std::vector<ConllToken> tokens;
};

// Reads the 4-column CoNLL-2003 format (token POS chunk NER, IOB1 tags).
// "-DOCSTART-" lines separate documents, blank lines sentences. Each
// document's text is its tokens joined by single spaces and its sentences
// by "\n" (exactly as eng.testa.docs.jsonl); its id is
// "<basename of path>#<index>". Gold spans are the conlleval chunks of the
// tags; PER -> person, LOC -> place, ORG -> group, anything else neutral.
// Returns kInvalidInput with "path:line: ..." for a line with fewer than
// two columns or a malformed tag.
Result<std::vector<GoldDocument>> ParseConll(std::string_view content,
                                             std::string_view path);

// Reads JSON Lines gold files. kConllJsonl: {"doc_id","text","entities":
// [{"type","start","end","text"}]} with CoNLL labels. kDwie: {"doc_id",
// "text","mentions":[{"start","end","coarse_type",...}]}; person -> person,
// gpe and location -> place, organization -> group, other coarse types
// neutral. kGold (tests/gold): {"id","text","entities":[{"type","start",
// "end","text"}]} with types person, place, group or misc (neutral), and an
// optional "date". Offsets are code points. Returns kInvalidInput with
// "path:line: ..." for malformed JSON, missing keys, a span outside the text
// or (kGold) a span whose "text" differs from the text it covers.
Result<std::vector<GoldDocument>> ParseGoldJsonl(GoldFormat format,
                                                 std::string_view content,
                                                 std::string_view path);

// Dispatches to ParseConll or ParseGoldJsonl. kAcled is not an entity
// format: use ParseAcledCsv (returns kInvalidInput).
Result<std::vector<GoldDocument>> ParseGold(GoldFormat format,
                                            std::string_view content,
                                            std::string_view path);

// ---------------------------------------------------------------------------
// Entity scoring

// A predicted mention, in code points of the document text.
struct PredictedSpan {
  uint32_t start = 0;
  uint32_t end = 0;
  EntityType type = EntityType::kPlace;
  MentionRole role = MentionRole::kName;
  std::string source;  // gazetteer file:line or rule id
};

// Returns the mentions of `result` that are scored, in code points, sorted
// by (start, end, type), duplicates (same span and type) removed. Mentions
// with role descriptor are left out unless `with_descriptors`.
std::vector<PredictedSpan> PredictedSpans(const DocumentResult& result,
                                          bool with_descriptors);

// Returns the code-point offset of every byte offset of `text` (valid
// UTF-8): index i holds the number of code points in text[0, i); size
// text.size() + 1. Offsets inside a character map to the character.
std::vector<uint32_t> CodePointOffsets(std::string_view text);

// Tags CoNLL tokens with the predictions: every token that overlaps a
// prediction gets "B-<TYPE>" (first token) or "I-<TYPE>", TYPE being PER,
// LOC or ORG; others get "O". A token holds one tag, so predictions are
// placed longest first at each start and one that would share a token with
// a placed one is dropped; `dropped` (may be null) receives their number.
// `sources` (may be null) receives, per token, the source of the
// prediction that tagged it ("" for O).
std::vector<std::string> TagTokens(const std::vector<ConllToken>& tokens,
                                   const std::vector<PredictedSpan>& predicted,
                                   size_t* dropped,
                                   std::vector<std::string>* sources);

// A chunk of token tags: tokens [begin, end) and the tag type ("PER").
struct TagChunk {
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string type;
  bool operator==(const TagChunk&) const = default;
};

// Finds the chunks of a tag sequence with conlleval's startOfChunk /
// endOfChunk rules (so IOB1, IOB2 and IOBES all work). A change of
// `sentences[i]` ends any open chunk. `sentences` has the size of `tags`.
std::vector<TagChunk> ConllChunks(const std::vector<std::string>& tags,
                                  const std::vector<uint32_t>& sentences);

// Exact and lenient counts for one entity type (or their sum).
struct NerCounts {
  uint64_t gold = 0;
  uint64_t predicted = 0;
  uint64_t correct = 0;                    // exact span and type
  uint64_t lenient_predicted_correct = 0;  // predictions overlapping gold
  uint64_t lenient_gold_found = 0;         // gold overlapped by a prediction

  double Precision() const;
  double Recall() const;
  double F1() const;
  double LenientPrecision() const;
  double LenientRecall() const;
  double LenientF1() const;
  NerCounts& operator+=(const NerCounts& other);
};

// One false positive or false negative, for error analysis.
struct ScoringError {
  std::string document;
  bool false_positive = true;  // else a false negative
  // fp: "type" (a gold span has this span but another type), "boundary"
  // (overlaps gold of its type), "boundary_type" (overlaps gold of another
  // type only), "spurious" (overlaps no gold). fn: "type", "boundary",
  // "boundary_type", "missed".
  std::string error_class;
  EntityType type = EntityType::kPlace;
  uint32_t start = 0;  // code points
  uint32_t end = 0;
  std::string text;
  std::string other;    // the overlapping gold or prediction: "place 'Mali'"
  std::string source;   // the prediction's source (false positives)
  std::string context;  // about 40 code points either side, "[[...]]" marked
};

struct NerScores {
  std::array<NerCounts, 3> by_type;  // indexed by EntityType
  uint64_t documents = 0;
  uint64_t code_points = 0;
  uint64_t neutral_predictions = 0;  // left out: overlapped neutral gold
  uint64_t dropped_predictions = 0;  // CoNLL: shared a token with another
  std::map<std::string, uint64_t> error_classes;  // "fp spurious" -> n

  NerCounts Micro() const;
};

// Scores one document's predictions against doc.spans (for kConll documents
// the caller passes the predictions already turned into chunks). Adds to
// `scores`; appends each error to `errors` when it is not null.
void ScoreDocument(const GoldDocument& doc,
                   const std::vector<PredictedSpan>& predicted,
                   NerScores* scores, std::vector<ScoringError>* errors);

struct EvalOptions {
  bool with_descriptors = false;  // count role "descriptor" mentions
  size_t limit = 0;               // documents (rows) to run; 0 = all
  bool collect_errors = false;    // fill NerEvalResult/AcledEvalResult errors
  bool conll_out = false;         // fill NerEvalResult::conll_out
};

struct NerEvalResult {
  NerScores scores;
  std::vector<ScoringError> errors;  // when EvalOptions::collect_errors
  // When EvalOptions::conll_out and the documents are CoNLL: one
  // "token gold predicted" line per token, a blank line after each
  // sentence and "-DOCSTART- O O" before each document; the input of
  // ../shared/peers/conll-score.py.
  std::string conll_out;
  double seconds = 0;  // running the pipeline and scoring
};

// Runs `pipeline` on every document (MakeDocument(id, text), with its
// date) and scores it. Documents that fail to process count their gold
// spans as missed. Thread-compatible; `pipeline` must outlive the call.
NerEvalResult EvaluateNer(const Pipeline& pipeline,
                          const std::vector<GoldDocument>& documents,
                          const EvalOptions& options);

// Renders the figures as a table (per type and micro: gold, predicted,
// correct, exact P/R/F1 and lenient P/R/F1), then timing and error classes.
// `title` opens the report ("conll eng.testa").
std::string FormatNerText(const NerEvalResult& result, std::string_view title,
                          double load_seconds, bool with_descriptors);
// The same as one JSON object (one line, no trailing newline).
std::string FormatNerJson(const NerEvalResult& result, std::string_view format,
                          std::string_view file, double load_seconds,
                          bool with_descriptors);
// Errors as TSV with a header line: document, error (fp|fn), class, type,
// start, end, text, other, source, context.
std::string FormatNerErrors(const std::vector<ScoringError>& errors);

// ---------------------------------------------------------------------------
// ACLED events

// One row of an ACLED export, as far as scoring needs it.
struct AcledRow {
  size_t line = 0;         // line in the CSV file where the row starts
  std::string event_id;    // event_id_cnty
  std::string event_date;  // as written: "30 December 2018", "16-Feb-21"
  std::string event_type;
  std::string sub_event_type;
  std::string actor1;
  std::string assoc_actor_1;
  std::string actor2;
  std::string assoc_actor_2;
  std::string admin1;
  std::string location;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<int64_t> fatalities;
  std::string notes;
};

// Parses an ACLED CSV export (RFC 4180 quoting, a header naming the
// columns). Returns kInvalidInput with "path:line: ..." when a required
// column (event_date, event_type, notes, ...) is missing, a quote is not
// closed or a row has the wrong number of fields.
Result<std::vector<AcledRow>> ParseAcledCsv(std::string_view content,
                                            std::string_view path);

// "30 December 2018" -> "2018-12-30"; "16-Feb-21" and "7-Feb-22" (two-digit
// years are 20YY) -> "2021-02-16". Returns "" when `date` is neither form.
std::string ParseAcledDate(std::string_view date);

// Removes a trailing ACLED period "(YYYY-YYYY)" or "(YYYY-)" and the space
// before it: "Military Forces of Mali (2013-2020)" -> "Military Forces of
// Mali". Other parentheses stay ("Civilians (Mali)").
std::string StripActorPeriod(std::string_view actor);

// Great-circle distance in km between two points given in degrees
// (haversine, mean Earth radius 6371.0088 km).
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

// True when `note` states the number `n` (n >= 1): as digits ("3 soldiers";
// not a day of a month such as "On 3 May", nor ACLED's "geoprecision 2") or
// as an English number word ("three", "twenty-two"; "a dozen" is not
// counted).
bool NoteStatesNumber(std::string_view note, int64_t n);

// What extract says about an ACLED note: its main event (the most severe
// event with an ACLED event type: Explosions/Remote violence, Battles,
// Violence against civilians, Riots, Protests, Strategic developments, the
// first among equals; else the first event) and that event's first actor,
// first target and first place. When any event's status is asserted,
// claimed, alleged, possible or reported, only those compete (a denied or
// planned attack is not the note's event); else every event does.
struct AcledPrediction {
  bool has_event = false;
  std::string event_type;  // "" when none
  std::string sub_event_type;
  std::string trigger;
  std::string actor1;       // canonical acled_actor of the first actor, or ""
  std::string actor1_name;  // that entity's name, or ""
  std::string actor2;       // the same for the first target
  std::string actor2_name;
  std::string location;                  // the first place's name, or ""
  std::vector<std::string> place_texts;  // its name and mention texts
  std::string admin1;  // its canonical admin1, or its name if it is one
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::string date;  // the event's date value, or ""
  std::optional<int64_t> fatalities;
};

AcledPrediction PredictAcled(const DocumentResult& result);

enum class AcledField {
  kEventType,
  kSubEventType,
  kActor1,
  kActor2,
  kLocation,
  kAdmin1,
  kCoordinates,
  kDate,
  kFatalities,
};
inline constexpr size_t kAcledFieldCount = 9;
// "event_type", "sub_event_type", "actor1", ... "fatalities".
std::string_view ToString(AcledField field);

// Per field: nullopt when the row is not scored on it, else whether the
// prediction is right. The definitions (also in `extract eval --help`):
//   event_type, sub_event_type: equal strings; skipped on rows of the old
//     taxonomy (event_type not one of ACLED's six current types) and, for
//     sub_event_type, rows without one.
//   actor1: StripActorPeriod + MatchKey of the prediction equals that of
//     actor1 or of one of the "; "-separated assoc_actor_1 names. actor2:
//     the same with the first target, actor2 and assoc_actor_2 (a row
//     without actor2 is right when there is no predicted acled_actor).
//   location: location equals the place's name or one of its mention
//     texts, ignoring case, diacritics, spaces and punctuation.
//   admin1: normalized (MatchKey, only letters and digits, a trailing
//     "region" or "province" dropped) equal.
//   coordinates: within 25 km; skipped when the row has none.
//   date: the event's date value equals ParseAcledDate(event_date).
//   fatalities: rows with fatalities >= 1 whose note states that number;
//     the main event's fatalities must equal it.
std::array<std::optional<bool>, kAcledFieldCount> ScoreAcledRow(
    const AcledRow& row, const AcledPrediction& prediction);

// One wrong field of one row, for error analysis.
struct AcledError {
  std::string event_id;
  AcledField field = AcledField::kEventType;
  std::string gold;
  std::string predicted;
  std::string notes;
};

struct AcledScores {
  std::array<uint64_t, kAcledFieldCount> scored{};
  std::array<uint64_t, kAcledFieldCount> correct{};
  uint64_t rows = 0;
  uint64_t rows_without_event = 0;
  uint64_t code_points = 0;
  // gold event_type -> predicted event_type ("" when none) -> rows.
  std::map<std::string, std::map<std::string, uint64_t>> confusion;
};

struct AcledEvalResult {
  AcledScores scores;
  std::vector<AcledError> errors;  // when EvalOptions::collect_errors
  double seconds = 0;
};

// Runs `pipeline` on each row's notes as one document (id event_id_cnty,
// reference date from event_date) and scores its main event.
AcledEvalResult EvaluateAcled(const Pipeline& pipeline,
                              const std::vector<AcledRow>& rows,
                              const EvalOptions& options);

// Per-field accuracy table, timing, and the confusion table of event types
// (gold rows x predicted columns).
std::string FormatAcledText(const AcledEvalResult& result,
                            std::string_view title, double load_seconds);
std::string FormatAcledJson(const AcledEvalResult& result,
                            std::string_view file, double load_seconds);
// TSV with a header: event_id, field, gold, predicted, notes.
std::string FormatAcledErrors(const std::vector<AcledError>& errors);

}  // namespace extract

#endif  // EXTRACT_SRC_EVAL_H_
