// The plain data that flows between the pipeline's stages:
//   read -> Document -> normalize -> NormalizedText -> segment -> Segmentation
//   -> match gazetteers / apply rules -> Mention, Trigger
//   -> assemble -> Entity, Event -> DocumentResult -> write.
// These structs carry data only; the stages live in src/.
#ifndef EXTRACT_DOCUMENT_H_
#define EXTRACT_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/status.h"

namespace extract {

// A half-open byte range [begin, end). Which text it indexes is stated
// wherever a Span is stored.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool operator==(const Span&) const = default;
};

// Stage 1 (read). One article.
struct Document {
  std::string id;    // stable id: the path as given, "stdin", or a JSONL id
  std::string path;  // the path as given; "-" for stdin; empty otherwise
  std::string text;  // valid UTF-8; every output offset points into it
  std::string date;  // reference date "YYYY-MM-DD" for relative dates, or ""
  std::string encoding = "utf-8";  // what the input was decoded from
};

// Stage 2 (normalize). The NFC form of Document::text, with a map back.
struct NormalizedText {
  std::string text;
  // to_original[i] is the byte offset in Document::text of byte i of `text`
  // (size text.size() + 1). Empty when `text` equals Document::text, which is
  // the common case and costs nothing.
  std::vector<uint32_t> to_original;

  uint32_t ToOriginal(uint32_t offset) const {
    return to_original.empty() ? offset : to_original[offset];
  }
};

enum class TokenKind : uint8_t { kWord, kNumber, kPunct };

// Bit flags of Token::flags.
enum TokenFlag : uint16_t {
  kCapitalized = 1 << 0,  // first letter upper case ("Mali", "JNIM", "McCain")
  kAllCaps = 1 << 1,      // two or more letters, all upper case ("JNIM")
  kLower = 1 << 2,        // first letter lower case
  kJoiner = 1 << 3,       // a hyphen or dash inside a compound ("al-Qaida");
                          // gazetteer matching skips it
  kSpaceBefore = 1 << 4,  // preceded by white space
  kLineStart = 1 << 5,    // first token on its line
  kHasDigit = 1 << 6,
  // A word or number with a character other than an ASCII letter or digit:
  // an apostrophe ("don't", "d'"), a period ("U.S."), a separator in a
  // number ("5.5"), a non-ASCII letter or mark ("Goïta").
  kNotPlain = 1 << 7,
};

// Stage 3 (segment). A token of the normalized text.
struct Token {
  Span span;         // into NormalizedText::text
  std::string key;   // matching key: case-folded, no diacritics, typographic
                     // apostrophes/quotes/dashes unified ("cote", "d'")
  TokenKind kind = TokenKind::kWord;
  uint16_t flags = 0;
  bool has(TokenFlag f) const { return (flags & f) != 0; }
};

// A sentence: a span of the normalized text and its tokens
// [token_begin, token_end).
struct Sentence {
  Span span;
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  bool headline = false;  // the document's title line
};

// Text that is not part of the body: a repeated headline, scraper
// boilerplate. Reported in the output, never silently dropped.
struct SkippedSpan {
  Span span;
  std::string reason;
};

struct Segmentation {
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  std::vector<SkippedSpan> skipped;
  int32_t title_sentence = -1;  // index of the headline sentence, or -1
};

enum class EntityType : uint8_t { kPerson, kPlace, kGroup };
// "person", "place", "group" (schema strings).
std::string_view ToString(EntityType type);

// How a mention refers to its entity.
enum class MentionRole : uint8_t {
  kName,        // a name or alias ("Mariam Cissé", "al-Qaida")
  kShortName,   // a part of a name seen earlier ("Cissé")
  kAcronym,     // "JNIM", "UN"
  kDemonym,     // a nationality adjective ("Egyptian nationals" -> Egypt)
  kDescriptor,  // a description ("the junta", "Malian army")
};
// "name", "short_name", "acronym", "demonym", "descriptor".
std::string_view ToString(MentionRole role);

// Stages 4-5. A span tagged with an entity type.
struct Mention {
  Span span;  // normalized text while processing; original text in results
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = 0;
  EntityType type = EntityType::kPlace;
  MentionRole role = MentionRole::kName;
  int32_t entry = -1;   // gazetteer entry index, or -1
  std::string source;   // gazetteer "file:line" or rule id
  int32_t entity = -1;  // index into DocumentResult::entities once assembled
};

// Stages 4-5. An event-verb or event-noun match.
struct Trigger {
  Span span;
  uint32_t token_begin = 0;
  uint32_t token_end = 0;
  uint32_t sentence = 0;
  int32_t entry = -1;   // event gazetteer entry index
  std::string source;   // gazetteer "file:line" or rule id
};

struct Attribute {
  std::string key;
  std::string value;
  bool numeric = false;  // written as a JSON number
};

// The gazetteer entry an entity resolved to.
struct Canonical {
  std::string id;      // the entry's stable id, e.g. "geonames:2449018"
  std::string source;  // "gazetteers/places.tsv:123"
  std::vector<Attribute> attributes;
};

// A role or title the text gives an entity ("the mayor of the Timbuktu
// region"), with the rule that found it.
struct RoleText {
  Span span;
  std::string source;  // rule id
  bool operator==(const RoleText&) const = default;
};

struct Entity {
  std::string id;  // "e1", "e2", ... in order of first mention
  EntityType type = EntityType::kPlace;
  std::string name;  // canonical name, or the longest mention (NFC)
  std::optional<Canonical> canonical;
  std::vector<uint32_t> mentions;  // indices into DocumentResult::mentions
  std::vector<RoleText> roles;     // in text order
};

// A date expression and its resolution.
struct DateExpr {
  Span span;
  std::string value;     // "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" unresolved
  std::string relation;  // "on", "since", "until", "before", "after", "in"
  std::string source;    // rule id
  uint32_t sentence = 0;
};

// An amount stated in the text ("$5 million").
struct Amount {
  Span span;
  double value = 0;
  std::string unit;  // ISO currency code ("USD") or ""
};

// One trigger that reports an event: an incident (Event) gathers the
// mentions that tell the same real-world incident.
struct EventMention {
  std::string type;                  // event class of this trigger
  std::string acled_event_type;      // this mention's own ACLED codes
  std::string acled_sub_event_type;  // ("" -> null)
  Span trigger;
  uint32_t sentence = 0;
  std::string trigger_source;  // gazetteer "file:line" or rule id
  std::string source;          // pattern that built it, "event.active"
  std::string status;          // this mention's own status (see Event)
};

// A number stated for an event, with the tokens it came from.
struct EventNumber {
  std::string kind;  // "fatalities", "injured", "hostages"
  int64_t value = 0;
  Span span;  // the number as written ("12", "twelve")
  uint32_t sentence = 0;
};

// Who reports an event ("security sources told AFP", "the army said").
struct Attribution {
  int32_t entity = -1;  // entity index of the source, or -1
  Span span;            // the source as written
};

struct Event {
  std::string id;    // "v1", "v2", ... in text order
  std::string type;  // event class from the taxonomy, e.g. "abduction"
  std::string acled_event_type;      // "" -> null
  std::string acled_sub_event_type;  // "" -> null
  std::string plover;                // "" -> null
  std::string cameo;                 // "" -> null
  Span trigger;
  uint32_t sentence = 0;
  std::vector<uint32_t> actors;   // entity indices
  std::vector<uint32_t> targets;  // entity indices
  std::vector<uint32_t> places;   // entity indices
  std::optional<DateExpr> date;
  std::optional<int64_t> fatalities;
  std::optional<int64_t> hostages;
  std::optional<Amount> ransom;
  bool negated = false;
  std::string modality = "asserted";  // asserted|possible|threatened|intended
  std::string voice;                  // active|passive|inverted|nominal
  std::string source;                 // rule that built it, "event.active"
  std::string trigger_source;         // gazetteer "file:line" or rule id

  // The incident model (schema 2). `trigger`, `sentence`, `type`, the codes,
  // `voice`, `source` and `trigger_source` are those of the main mention.
  std::vector<EventMention> mentions;  // in text order, the main one included
  // asserted|claimed|alleged|denied|negated|possible|threatened|planned|
  // background. Consumers that keep asserted and claimed get only events
  // reported as fact.
  std::string status = "asserted";
  // Precision of `date`: "day", "week", "month", "year", or "report" when
  // the date is the document's own (no date in the text); "" without date.
  std::string date_precision;
  // Where the date came from: "mention" (the main mention's clause),
  // "incident" (another mention), "paragraph", "report".
  std::string date_from;
  std::optional<int64_t> injured;
  std::vector<EventNumber> numbers;  // the counts behind the figures
  std::optional<Attribution> attribution;
  std::vector<uint32_t> evidence;  // sentence indices of its mentions
  std::vector<std::string> passes;  // assembly decisions, in order
};

// A problem met in one input.
struct ErrorRecord {
  StatusCode code = StatusCode::kInternal;
  std::string message;  // one line, names the path (and offset)
  int64_t offset = -1;  // byte offset in the input, or -1
};

// Everything extracted from one input. Spans index `text` (original bytes).
struct DocumentResult {
  std::string id;
  std::string path;
  std::string title;     // the headline, or ""
  std::string date;      // the reference date, or ""
  std::string language = "en";
  std::string encoding = "utf-8";
  std::string text;      // the original input text
  std::vector<Span> sentences;
  std::vector<SkippedSpan> skipped;
  std::vector<Mention> mentions;  // sorted by (begin, end, type)
  std::vector<Entity> entities;
  std::vector<DateExpr> dates;
  std::vector<Event> events;
  std::vector<ErrorRecord> errors;

  // True when the input could not be processed at all.
  bool failed() const { return !errors.empty() && text.empty(); }
};

}  // namespace extract

#endif  // EXTRACT_DOCUMENT_H_
