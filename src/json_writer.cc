// Stage 7 (write): renders a DocumentResult as one JSON record in the layout
// of docs/schema.md (validated by docs/extract.schema.json). Keys keep a
// fixed order, so output is byte-stable, and every span carries both UTF-8
// byte and code-point offsets into the input text. ToJson writes the record
// straight into a string; ToJsonTree builds an nlohmann::ordered_json tree
// first and is the reference (and the path for bytes that are not UTF-8).
#include "extract/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "extract/reader.h"

namespace extract {
namespace {

using Json = nlohmann::ordered_json;

// "schema_version", the first key of every record: 2 since events became
// incidents (status, mentions, numbers, attribution, ...). The hand-written
// last-resort record in ToJsonTree spells it out too.
constexpr int kSchemaVersion = 2;

// An object with room for its keys. ordered_json keeps an object's members
// in a std::vector of pair<const std::string, json>, whose elements cannot be
// moved, so each time the vector grows every member (whole subtrees, such
// as all the sentences) is deep-copied. Reserving once avoids that.
Json NewObject() {
  Json out = Json::object();
  out.get_ref<Json::object_t&>().reserve(16);
  return out;
}

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Eight bytes of `p` as one word (any alignment).
uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// The number of UTF-8 continuation bytes (10xxxxxx) among the eight of `w`.
// One bit per byte, summed by a multiplication: std::popcount is a libgcc
// call when the target has no popcnt instruction (plain x86-64 has none).
int Continuations8(uint64_t w) {
  const uint64_t ones = (w & ~(w << 1) & kHighBits) >> 7;
  return static_cast<int>((ones * kOnes) >> 56);
}

// Whether any of the eight bytes of `w` is below 0x20, '"', '\\' or
// 0x80 and above: a byte a JSON string cannot take as it is.
bool NeedsEscape8(uint64_t w) {
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHighBits; };
  const uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHighBits;
  return ((w & kHighBits) | below_space | has_zero(w ^ ('"' * kOnes)) |
          has_zero(w ^ ('\\' * kOnes))) != 0;
}

// Renders spans of one document's text, converting byte offsets to
// code-point offsets. A span that does not fit the text (a bug upstream) is
// clamped to the text and snapped to character boundaries, so the record
// stays valid UTF-8, and the problem is collected for the "errors" array
// instead of being dropped.
class SpanRenderer {
 public:
  explicit SpanRenderer(std::string_view text) : text_(text) {}

  // Returns {"text", "start", "end", "char_start", "char_end"}; `where`
  // names the span in a problem report ("entities[2].mentions[0]").
  template <typename Where>
  Json Render(Span span, Where&& where) {
    const Fields f = Check(span, std::forward<Where>(where));
    Json out = Json::object();
    out["text"] = std::string(f.text);
    out["start"] = f.span.begin;
    out["end"] = f.span.end;
    out["char_start"] = f.char_begin;
    out["char_end"] = f.char_end;
    return out;
  }

  // What Render() writes, without building JSON.
  struct Fields {
    Span span;  // fixed to fit the text
    std::string_view text;
    uint32_t char_begin = 0, char_end = 0;
  };
  template <typename Where>
  Fields Check(Span span, Where&& where) {
    const Span fixed = Fix(span);
    if (!(fixed == span)) {
      problems_.push_back(
          "span [" + std::to_string(span.begin) + ", " +
          std::to_string(span.end) + ") of " + where() +
          " does not fit the text (" + std::to_string(text_.size()) +
          " bytes, code-point boundaries); written as [" +
          std::to_string(fixed.begin) + ", " + std::to_string(fixed.end) + ")");
    }
    return Fields{fixed, text_.substr(fixed.begin, fixed.size()),
                  CodePointOffset(fixed.begin), CodePointOffset(fixed.end)};
  }

  void AddProblem(std::string problem) {
    problems_.push_back(std::move(problem));
  }
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  // One checkpoint every kBlock bytes keeps the table at 1/16 of the text's
  // size while a lookup scans at most kBlock - 1 bytes. Spans come in several
  // passes (sentences, each entity's mentions, events, dates), so a single
  // forward cursor would rescan the text once per pass.
  static constexpr size_t kBlock = 64;

  Span Fix(Span span) const {
    const uint32_t size = static_cast<uint32_t>(text_.size());
    Span fixed{std::min(span.begin, size), std::min(span.end, size)};
    if (fixed.end < fixed.begin) fixed.end = fixed.begin;
    while (fixed.begin > 0 && fixed.begin < size &&
           IsContinuation(text_[fixed.begin])) {
      --fixed.begin;
    }
    while (fixed.end < size && IsContinuation(text_[fixed.end])) ++fixed.end;
    return fixed;
  }

  // The number of code points in text_[0, offset); `offset` is on a
  // character boundary.
  uint32_t CodePointOffset(uint32_t offset) {
    if (checkpoints_.empty()) BuildCheckpoints();
    const size_t block = offset / kBlock;
    uint32_t count = checkpoints_[block];
    size_t i = block * kBlock;
    for (; i + 8 <= offset; i += 8) {
      count += 8 - static_cast<uint32_t>(Continuations8(Load8(text_.data() + i)));
    }
    for (; i < offset; ++i) count += IsContinuation(text_[i]) ? 0 : 1;
    return count;
  }

  void BuildCheckpoints() {
    checkpoints_.reserve(text_.size() / kBlock + 1);
    uint32_t count = 0;
    size_t i = 0;
    static_assert(kBlock % 8 == 0);
    for (; i + 8 <= text_.size(); i += 8) {
      if (i % kBlock == 0) checkpoints_.push_back(count);
      count += 8 - static_cast<uint32_t>(Continuations8(Load8(text_.data() + i)));
    }
    for (; i < text_.size(); ++i) {
      if (i % kBlock == 0) checkpoints_.push_back(count);
      count += IsContinuation(text_[i]) ? 0 : 1;
    }
    if (text_.size() % kBlock == 0) checkpoints_.push_back(count);
  }

  std::string_view text_;
  std::vector<uint32_t> checkpoints_;  // code points before byte k * kBlock
  std::vector<std::string> problems_;
};

Json StringOrNull(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

// Adds the span's fields to `out`, which already holds its leading keys.
void AppendSpan(Json& out, Json span) {
  for (auto it = span.begin(); it != span.end(); ++it) {
    out[it.key()] = std::move(*it);
  }
}

// An attribute marked numeric becomes a JSON number: an integer when it
// reads as one, else a double. A value that is neither is kept as a string
// and reported.
Json AttributeValue(const Attribute& attribute, SpanRenderer& renderer,
                    const std::string& entity_id) {
  if (!attribute.numeric) return attribute.value;
  const char* first = attribute.value.data();
  const char* last = first + attribute.value.size();
  int64_t integer = 0;
  auto [int_end, int_ec] = std::from_chars(first, last, integer);
  if (int_ec == std::errc() && int_end == last) return integer;
  double real = 0;
  auto [real_end, real_ec] = std::from_chars(first, last, real);
  if (real_ec == std::errc() && real_end == last && std::isfinite(real)) {
    return real;
  }
  renderer.AddProblem("entity " + entity_id + ": canonical attribute \"" +
                      attribute.key + "\" is marked numeric but holds \"" +
                      attribute.value + "\"; written as a string");
  return attribute.value;
}

// True when the event has a ransom that can be written. A value that is not
// finite has no JSON number: it is reported and the ransom written as null.
bool WritableRansom(const Event& event, SpanRenderer& renderer) {
  if (!event.ransom) return false;
  if (std::isfinite(event.ransom->value)) return true;
  renderer.AddProblem("event " + event.id +
                      ": ransom value is not a finite number; written as null");
  return false;
}

// A ransom's value: "$5 million" reads better as 5000000 than as 5000000.0.
Json RansomValue(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 9.0e15) {
    return static_cast<int64_t>(value);
  }
  return value;
}

Json RenderCanonical(const Entity& entity, SpanRenderer& renderer) {
  if (!entity.canonical) return nullptr;
  const Canonical& canonical = *entity.canonical;
  Json out = NewObject();
  out["id"] = canonical.id;
  out["source"] = canonical.source;
  for (const Attribute& attribute : canonical.attributes) {
    if (out.contains(attribute.key)) {
      renderer.AddProblem("entity " + entity.id + ": canonical attribute \"" +
                          attribute.key +
                          "\" repeats a key already written; dropped value \"" +
                          attribute.value + "\"");
      continue;
    }
    out[attribute.key] = AttributeValue(attribute, renderer, entity.id);
  }
  return out;
}

Json RenderEntities(const DocumentResult& result, SpanRenderer& renderer) {
  Json entities = Json::array();
  for (size_t e = 0; e < result.entities.size(); ++e) {
    const Entity& entity = result.entities[e];
    Json out = NewObject();
    out["id"] = entity.id;
    out["type"] = ToString(entity.type);
    out["name"] = entity.name;
    out["canonical"] = RenderCanonical(entity, renderer);
    Json mentions = Json::array();
    for (size_t m = 0; m < entity.mentions.size(); ++m) {
      const uint32_t index = entity.mentions[m];
      if (index >= result.mentions.size()) {
        renderer.AddProblem("entity " + entity.id + " refers to mention " +
                            std::to_string(index) + " of " +
                            std::to_string(result.mentions.size()));
        continue;
      }
      const Mention& mention = result.mentions[index];
      Json json = renderer.Render(mention.span, [&] {
        return "entities[" + std::to_string(e) + "].mentions[" +
               std::to_string(m) + "]";
      });
      json["sentence"] = mention.sentence;
      json["role"] = ToString(mention.role);
      json["source"] = mention.source;
      mentions.push_back(std::move(json));
    }
    out["mentions"] = std::move(mentions);
    Json roles = Json::array();
    for (size_t k = 0; k < entity.roles.size(); ++k) {
      Json json = renderer.Render(entity.roles[k].span, [&] {
        return "entities[" + std::to_string(e) + "].roles[" +
               std::to_string(k) + "]";
      });
      json["source"] = entity.roles[k].source;
      roles.push_back(std::move(json));
    }
    out["roles"] = std::move(roles);
    entities.push_back(std::move(out));
  }
  return entities;
}

// Entity indices -> entity ids ("e3").
Json EntityIds(const std::vector<uint32_t>& indices,
               const DocumentResult& result, const Event& event,
               std::string_view field, SpanRenderer& renderer) {
  Json ids = Json::array();
  for (const uint32_t index : indices) {
    if (index >= result.entities.size()) {
      renderer.AddProblem("event " + event.id + ": " + std::string(field) +
                          " refers to entity " + std::to_string(index) +
                          " of " + std::to_string(result.entities.size()));
      continue;
    }
    ids.push_back(result.entities[index].id);
  }
  return ids;
}

// {"event_type", "sub_event_type"}, or null without an event type.
Json RenderAcled(const std::string& event_type,
                 const std::string& sub_event_type) {
  if (event_type.empty()) return nullptr;
  Json acled = NewObject();
  acled["event_type"] = event_type;
  acled["sub_event_type"] = StringOrNull(sub_event_type);
  return acled;
}

// The entity id of an attribution, or null when it names no entity (-1) or
// one out of range (reported).
Json AttributionEntity(const Attribution& attribution,
                       const DocumentResult& result, const Event& event,
                       SpanRenderer& renderer) {
  if (attribution.entity < 0) return nullptr;
  const auto index = static_cast<size_t>(attribution.entity);
  if (index >= result.entities.size()) {
    renderer.AddProblem("event " + event.id +
                        ": attribution refers to entity " +
                        std::to_string(index) + " of " +
                        std::to_string(result.entities.size()));
    return nullptr;
  }
  return result.entities[index].id;
}

// True when the event's date is the document's own date: its span says
// nothing and is written as null.
bool ReportDate(const Event& event) { return event.date_precision == "report"; }

Json RenderEventDate(const Event& event, size_t v, SpanRenderer& renderer) {
  if (!event.date) return nullptr;
  Json date;
  if (ReportDate(event)) {
    date = NewObject();
    for (const char* key : {"text", "start", "end", "char_start", "char_end"}) {
      date[key] = nullptr;
    }
  } else {
    date = renderer.Render(event.date->span, [v] {
      return "events[" + std::to_string(v) + "].date";
    });
  }
  date["value"] = StringOrNull(event.date->value);
  date["relation"] = event.date->relation;
  date["source"] = event.date->source;
  date["precision"] = StringOrNull(event.date_precision);
  date["from"] = StringOrNull(event.date_from);
  return date;
}

// The incident fields written after "source" (schema 2).
void RenderIncident(Json& out, const DocumentResult& result,
                    const Event& event, size_t v, SpanRenderer& renderer) {
  out["status"] = event.status;
  out["injured"] = event.injured ? Json(*event.injured) : Json(nullptr);
  Json numbers = Json::array();
  for (size_t k = 0; k < event.numbers.size(); ++k) {
    const EventNumber& number = event.numbers[k];
    Json json = NewObject();
    json["kind"] = number.kind;
    json["value"] = number.value;
    AppendSpan(json, renderer.Render(number.span, [v, k] {
      return "events[" + std::to_string(v) + "].numbers[" +
             std::to_string(k) + "]";
    }));
    json["sentence"] = number.sentence;
    numbers.push_back(std::move(json));
  }
  out["numbers"] = std::move(numbers);
  if (event.attribution) {
    Json attribution = NewObject();
    attribution["entity"] =
        AttributionEntity(*event.attribution, result, event, renderer);
    AppendSpan(attribution, renderer.Render(event.attribution->span, [v] {
      return "events[" + std::to_string(v) + "].attribution";
    }));
    out["attribution"] = std::move(attribution);
  } else {
    out["attribution"] = nullptr;
  }
  Json mentions = Json::array();
  for (size_t k = 0; k < event.mentions.size(); ++k) {
    const EventMention& mention = event.mentions[k];
    Json json = NewObject();
    json["type"] = mention.type;
    json["acled"] =
        RenderAcled(mention.acled_event_type, mention.acled_sub_event_type);
    AppendSpan(json, renderer.Render(mention.trigger, [v, k] {
      return "events[" + std::to_string(v) + "].mentions[" +
             std::to_string(k) + "]";
    }));
    json["sentence"] = mention.sentence;
    json["source"] = mention.trigger_source;
    json["rule"] = mention.source;
    json["status"] = mention.status;
    mentions.push_back(std::move(json));
  }
  out["mentions"] = std::move(mentions);
  out["evidence"] = event.evidence;
  out["passes"] = event.passes;
}

Json RenderEvents(const DocumentResult& result, SpanRenderer& renderer) {
  Json events = Json::array();
  for (size_t v = 0; v < result.events.size(); ++v) {
    const Event& event = result.events[v];
    const auto where = [v](const char* field) {
      return
          [v, field] { return "events[" + std::to_string(v) + "]." + field; };
    };
    Json out = NewObject();
    out["id"] = event.id;
    out["type"] = event.type;
    out["acled"] =
        RenderAcled(event.acled_event_type, event.acled_sub_event_type);
    out["plover"] = StringOrNull(event.plover);
    out["cameo"] = StringOrNull(event.cameo);
    Json trigger = renderer.Render(event.trigger, where("trigger"));
    trigger["source"] = event.trigger_source;
    out["trigger"] = std::move(trigger);
    out["actors"] = EntityIds(event.actors, result, event, "actors", renderer);
    out["targets"] =
        EntityIds(event.targets, result, event, "targets", renderer);
    out["places"] = EntityIds(event.places, result, event, "places", renderer);
    out["date"] = RenderEventDate(event, v, renderer);
    out["fatalities"] =
        event.fatalities ? Json(*event.fatalities) : Json(nullptr);
    out["hostages"] = event.hostages ? Json(*event.hostages) : Json(nullptr);
    if (WritableRansom(event, renderer)) {
      Json ransom = renderer.Render(event.ransom->span, where("ransom"));
      ransom["value"] = RansomValue(event.ransom->value);
      ransom["currency"] = StringOrNull(event.ransom->unit);
      out["ransom"] = std::move(ransom);
    } else {
      out["ransom"] = nullptr;
    }
    out["negated"] = event.negated;
    out["modality"] = event.modality;
    out["voice"] = event.voice;
    out["sentence"] = event.sentence;
    out["source"] = event.source;
    RenderIncident(out, result, event, v, renderer);
    events.push_back(std::move(out));
  }
  return events;
}

Json RenderError(StatusCode code, const std::string& message, int64_t offset) {
  Json out = NewObject();
  out["code"] = ToString(code);
  out["message"] = message;
  out["offset"] = offset >= 0 ? Json(offset) : Json(nullptr);
  return out;
}

Json RenderDocument(const DocumentResult& result) {
  SpanRenderer renderer(result.text);
  Json out = NewObject();
  out["schema_version"] = kSchemaVersion;

  Json document = NewObject();
  document["id"] = result.id;
  document["path"] = result.path;
  document["title"] = result.title;
  document["date"] = StringOrNull(result.date);
  document["language"] = result.language;
  document["encoding"] = result.encoding;
  out["document"] = std::move(document);

  Json sentences = Json::array();
  for (size_t s = 0; s < result.sentences.size(); ++s) {
    sentences.push_back(renderer.Render(result.sentences[s], [s] {
      return "sentences[" + std::to_string(s) + "]";
    }));
  }
  out["sentences"] = std::move(sentences);

  Json skipped = Json::array();
  for (size_t k = 0; k < result.skipped.size(); ++k) {
    Json json = NewObject();
    json["reason"] = result.skipped[k].reason;
    AppendSpan(json, renderer.Render(result.skipped[k].span, [k] {
      return "skipped[" + std::to_string(k) + "]";
    }));
    skipped.push_back(std::move(json));
  }
  out["skipped"] = std::move(skipped);

  out["entities"] = RenderEntities(result, renderer);
  out["events"] = RenderEvents(result, renderer);

  Json dates = Json::array();
  for (size_t d = 0; d < result.dates.size(); ++d) {
    const DateExpr& date = result.dates[d];
    Json json = renderer.Render(
        date.span, [d] { return "dates[" + std::to_string(d) + "]"; });
    json["value"] = StringOrNull(date.value);
    json["relation"] = date.relation;
    json["sentence"] = date.sentence;
    json["source"] = date.source;
    dates.push_back(std::move(json));
  }
  out["dates"] = std::move(dates);

  Json errors = Json::array();
  for (const ErrorRecord& error : result.errors) {
    errors.push_back(RenderError(error.code, error.message, error.offset));
  }
  for (const std::string& problem : renderer.problems()) {
    errors.push_back(
        RenderError(StatusCode::kInternal, result.id + ": " + problem, -1));
  }
  out["errors"] = std::move(errors);
  return out;
}


// --- Streaming writer ------------------------------------------------------
//
// The same record written straight into a string, without building an
// ordered_json tree: the tree cost more than the rest of the output stage
// (an allocation per value, a copy per member) and held the whole record in
// memory a second time. The bytes are exactly what RenderDocument + dump
// give (tests/json_writer_test.cc compares both); a string that is not
// valid UTF-8 (an id or path from a Latin-1 file name) makes StreamDocument
// give up, and ToJson takes the tree path, which knows how to report it.

// String literals as string_view: appending a `const char*` measures it
// first (strlen).
using namespace std::string_view_literals;

class Writer {
 public:
  Writer(std::string* out, bool pretty) : out_(*out), pretty_(pretty) {}

  bool ok() const { return ok_; }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  // A key spelled in this file: checked when compiling to need no escaping,
  // so it is copied as it is. Checking and escaping the keys at run time
  // made Key() half of the writer's instructions (callgrind, 600 articles).
  // A key known at compile time, kept as `,"key":` so that writing it is
  // one append: from the comma, or past it for a first member.
  struct Literal {
    template <size_t N>
    consteval Literal(const char (&s)[N]) : size(N + 3) {
      static_assert(N + 3 <= sizeof(text), "a JSON key literal this long");
      text[0] = ',';
      text[1] = '"';
      for (size_t i = 0; i + 1 < N; ++i) {
        const char c = s[i];
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
          throw "a JSON key literal must be printable ASCII without quotes";
        }
        text[i + 2] = c;
      }
      text[N + 1] = '"';
      text[N + 2] = ':';
    }
    char text[32] = {};
    size_t size;  // of `,"key":`, N + 3 bytes
  };
  void Key(Literal key) {
    after_key_ = true;
    if (!pretty_ && !empty_.empty()) {
      const size_t skip = empty_.back() ? 1 : 0;  // no comma before the first
      empty_.back() = false;
      out_.append(key.text + skip, key.size - skip);
      return;
    }
    Separate();
    out_.append(key.text + 1, key.size - 1);
    if (pretty_) out_ += ' ';
  }
  // A key that comes from data (a gazetteer attribute's name).
  void DataKey(std::string_view key) {
    Separate();
    WriteString(key);
    out_ += pretty_ ? ": "sv : ":"sv;
    after_key_ = true;
  }

  void String(std::string_view value) {
    Value();
    WriteString(value);
  }
  void StringOrNull(const std::string& value) {
    if (value.empty()) {
      Null();
    } else {
      String(value);
    }
  }
  void Null() {
    Value();
    out_ += "null"sv;
  }
  void Bool(bool value) {
    Value();
    out_ += value ? "true"sv : "false"sv;
  }
  template <typename Int>
  void Integer(Int value) {
    Value();
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, end);
  }
  // A string, an integer or a double held in a Json value (as
  // AttributeValue and RansomValue give them); doubles in nlohmann's own
  // number format, as the tree path writes them.
  void Scalar(const Json& value) {
    if (value.is_string()) {
      String(value.get_ref<const std::string&>());
    } else if (value.is_number_integer()) {
      Integer(value.get<int64_t>());
    } else {
      Value();
      out_ += value.dump();
    }
  }

 private:
  void Open(char c) {
    Value();
    out_ += c;
    empty_.push_back(true);
  }
  void Close(char c) {
    const bool empty = empty_.back();
    empty_.pop_back();
    if (!empty && pretty_) {
      out_ += '\n';
      out_.append(2 * empty_.size(), ' ');
    }
    out_ += c;
  }
  // Before a member or an element: the comma and, pretty, the new line.
  void Separate() {
    if (empty_.empty()) return;
    if (!empty_.back()) out_ += ',';
    empty_.back() = false;
    if (pretty_) {
      out_ += '\n';
      out_.append(2 * empty_.size(), ' ');
    }
  }
  // Before a value: a member's value follows its key; an element is
  // separated like a member.
  void Value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    Separate();
  }
  // One pass both escapes and checks the UTF-8: a valid string's bytes
  // >= 0x80 come in whole multi-byte sequences, so each run of them is
  // checked on its own.
  void WriteString(std::string_view s) {
    out_ += '"';
    size_t run = 0;  // start of the bytes not yet copied
    for (size_t i = 0; i < s.size(); ++i) {
      // Eight plain bytes at a time, then the byte that stopped them.
      while (i + 8 <= s.size() && !NeedsEscape8(Load8(s.data() + i))) i += 8;
      if (i == s.size()) break;
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        size_t end = i + 1;
        while (end < s.size() && static_cast<unsigned char>(s[end]) >= 0x80) {
          ++end;
        }
        if (FindInvalidUtf8(s.substr(i, end - i)) != std::string_view::npos) {
          ok_ = false;
        }
        i = end - 1;
        continue;
      }
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xF];
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  std::string& out_;
  bool pretty_;
  bool ok_ = true;
  bool after_key_ = false;
  // Per open container: nothing written in it yet (1) or something (0).
  // A byte each, not std::vector<bool>: cheaper to read and write.
  std::vector<uint8_t> empty_;
};

// The span's five fields into the object being written.
template <typename Where>
void StreamSpan(Writer& w, SpanRenderer& renderer, Span span, Where&& where) {
  const SpanRenderer::Fields f =
      renderer.Check(span, std::forward<Where>(where));
  w.Key("text");
  w.String(f.text);
  w.Key("start");
  w.Integer(f.span.begin);
  w.Key("end");
  w.Integer(f.span.end);
  w.Key("char_start");
  w.Integer(f.char_begin);
  w.Key("char_end");
  w.Integer(f.char_end);
}

void StreamError(Writer& w, StatusCode code, const std::string& message,
                 int64_t offset) {
  w.BeginObject();
  w.Key("code");
  w.String(ToString(code));
  w.Key("message");
  w.String(message);
  w.Key("offset");
  if (offset >= 0) {
    w.Integer(offset);
  } else {
    w.Null();
  }
  w.EndObject();
}

void StreamCanonical(Writer& w, const Entity& entity, SpanRenderer& renderer) {
  if (!entity.canonical) {
    w.Null();
    return;
  }
  const Canonical& canonical = *entity.canonical;
  w.BeginObject();
  w.Key("id");
  w.String(canonical.id);
  w.Key("source");
  w.String(canonical.source);
  // The keys written so far (a few, compared linearly), kept between calls.
  thread_local std::vector<std::string_view> keys;
  keys.assign({"id", "source"});
  for (const Attribute& attribute : canonical.attributes) {
    if (std::find(keys.begin(), keys.end(), attribute.key) != keys.end()) {
      renderer.AddProblem("entity " + entity.id + ": canonical attribute \"" +
                          attribute.key +
                          "\" repeats a key already written; dropped value \"" +
                          attribute.value + "\"");
      continue;
    }
    keys.push_back(attribute.key);
    w.DataKey(attribute.key);
    if (attribute.numeric) {
      w.Scalar(AttributeValue(attribute, renderer, entity.id));
    } else {
      w.String(attribute.value);  // as AttributeValue, without the copy
    }
  }
  w.EndObject();
}

void StreamEntityIds(Writer& w, const std::vector<uint32_t>& indices,
                     const DocumentResult& result, const Event& event,
                     std::string_view field, SpanRenderer& renderer) {
  w.BeginArray();
  for (const uint32_t index : indices) {
    if (index >= result.entities.size()) {
      renderer.AddProblem("event " + event.id + ": " + std::string(field) +
                          " refers to entity " + std::to_string(index) +
                          " of " + std::to_string(result.entities.size()));
      continue;
    }
    w.String(result.entities[index].id);
  }
  w.EndArray();
}

void StreamEntities(Writer& w, const DocumentResult& result,
                    SpanRenderer& renderer) {
  w.BeginArray();
  for (size_t e = 0; e < result.entities.size(); ++e) {
    const Entity& entity = result.entities[e];
    w.BeginObject();
    w.Key("id");
    w.String(entity.id);
    w.Key("type");
    w.String(ToString(entity.type));
    w.Key("name");
    w.String(entity.name);
    w.Key("canonical");
    StreamCanonical(w, entity, renderer);
    w.Key("mentions");
    w.BeginArray();
    for (size_t m = 0; m < entity.mentions.size(); ++m) {
      const uint32_t index = entity.mentions[m];
      if (index >= result.mentions.size()) {
        renderer.AddProblem("entity " + entity.id + " refers to mention " +
                            std::to_string(index) + " of " +
                            std::to_string(result.mentions.size()));
        continue;
      }
      const Mention& mention = result.mentions[index];
      w.BeginObject();
      StreamSpan(w, renderer, mention.span, [&] {
        return "entities[" + std::to_string(e) + "].mentions[" +
               std::to_string(m) + "]";
      });
      w.Key("sentence");
      w.Integer(mention.sentence);
      w.Key("role");
      w.String(ToString(mention.role));
      w.Key("source");
      w.String(mention.source);
      w.EndObject();
    }
    w.EndArray();
    w.Key("roles");
    w.BeginArray();
    for (size_t k = 0; k < entity.roles.size(); ++k) {
      w.BeginObject();
      StreamSpan(w, renderer, entity.roles[k].span, [&] {
        return "entities[" + std::to_string(e) + "].roles[" +
               std::to_string(k) + "]";
      });
      w.Key("source");
      w.String(entity.roles[k].source);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void StreamAcled(Writer& w, const std::string& event_type,
                 const std::string& sub_event_type) {
  if (event_type.empty()) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("event_type");
  w.String(event_type);
  w.Key("sub_event_type");
  w.StringOrNull(sub_event_type);
  w.EndObject();
}

void StreamEventDate(Writer& w, const Event& event, size_t v,
                     SpanRenderer& renderer) {
  if (!event.date) {
    w.Null();
    return;
  }
  w.BeginObject();
  if (ReportDate(event)) {
    w.Key("text");
    w.Null();
    w.Key("start");
    w.Null();
    w.Key("end");
    w.Null();
    w.Key("char_start");
    w.Null();
    w.Key("char_end");
    w.Null();
  } else {
    StreamSpan(w, renderer, event.date->span,
               [v] { return "events[" + std::to_string(v) + "].date"; });
  }
  w.Key("value");
  w.StringOrNull(event.date->value);
  w.Key("relation");
  w.String(event.date->relation);
  w.Key("source");
  w.String(event.date->source);
  w.Key("precision");
  w.StringOrNull(event.date_precision);
  w.Key("from");
  w.StringOrNull(event.date_from);
  w.EndObject();
}

void StreamIncident(Writer& w, const DocumentResult& result,
                    const Event& event, size_t v, SpanRenderer& renderer) {
  w.Key("status");
  w.String(event.status);
  w.Key("injured");
  if (event.injured) {
    w.Integer(*event.injured);
  } else {
    w.Null();
  }
  w.Key("numbers");
  w.BeginArray();
  for (size_t k = 0; k < event.numbers.size(); ++k) {
    const EventNumber& number = event.numbers[k];
    w.BeginObject();
    w.Key("kind");
    w.String(number.kind);
    w.Key("value");
    w.Integer(number.value);
    StreamSpan(w, renderer, number.span, [v, k] {
      return "events[" + std::to_string(v) + "].numbers[" +
             std::to_string(k) + "]";
    });
    w.Key("sentence");
    w.Integer(number.sentence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("attribution");
  if (event.attribution) {
    w.BeginObject();
    w.Key("entity");
    const Json entity =
        AttributionEntity(*event.attribution, result, event, renderer);
    if (entity.is_null()) {
      w.Null();
    } else {
      w.String(entity.get_ref<const std::string&>());
    }
    StreamSpan(w, renderer, event.attribution->span, [v] {
      return "events[" + std::to_string(v) + "].attribution";
    });
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("mentions");
  w.BeginArray();
  for (size_t k = 0; k < event.mentions.size(); ++k) {
    const EventMention& mention = event.mentions[k];
    w.BeginObject();
    w.Key("type");
    w.String(mention.type);
    w.Key("acled");
    StreamAcled(w, mention.acled_event_type, mention.acled_sub_event_type);
    StreamSpan(w, renderer, mention.trigger, [v, k] {
      return "events[" + std::to_string(v) + "].mentions[" +
             std::to_string(k) + "]";
    });
    w.Key("sentence");
    w.Integer(mention.sentence);
    w.Key("source");
    w.String(mention.trigger_source);
    w.Key("rule");
    w.String(mention.source);
    w.Key("status");
    w.String(mention.status);
    w.EndObject();
  }
  w.EndArray();
  w.Key("evidence");
  w.BeginArray();
  for (const uint32_t sentence : event.evidence) w.Integer(sentence);
  w.EndArray();
  w.Key("passes");
  w.BeginArray();
  for (const std::string& pass : event.passes) w.String(pass);
  w.EndArray();
}

void StreamEvents(Writer& w, const DocumentResult& result,
                  SpanRenderer& renderer) {
  w.BeginArray();
  for (size_t v = 0; v < result.events.size(); ++v) {
    const Event& event = result.events[v];
    const auto where = [v](const char* field) {
      return
          [v, field] { return "events[" + std::to_string(v) + "]." + field; };
    };
    w.BeginObject();
    w.Key("id");
    w.String(event.id);
    w.Key("type");
    w.String(event.type);
    w.Key("acled");
    StreamAcled(w, event.acled_event_type, event.acled_sub_event_type);
    w.Key("plover");
    w.StringOrNull(event.plover);
    w.Key("cameo");
    w.StringOrNull(event.cameo);
    w.Key("trigger");
    w.BeginObject();
    StreamSpan(w, renderer, event.trigger, where("trigger"));
    w.Key("source");
    w.String(event.trigger_source);
    w.EndObject();
    w.Key("actors");
    StreamEntityIds(w, event.actors, result, event, "actors", renderer);
    w.Key("targets");
    StreamEntityIds(w, event.targets, result, event, "targets", renderer);
    w.Key("places");
    StreamEntityIds(w, event.places, result, event, "places", renderer);
    w.Key("date");
    StreamEventDate(w, event, v, renderer);
    w.Key("fatalities");
    if (event.fatalities) {
      w.Integer(*event.fatalities);
    } else {
      w.Null();
    }
    w.Key("hostages");
    if (event.hostages) {
      w.Integer(*event.hostages);
    } else {
      w.Null();
    }
    w.Key("ransom");
    if (WritableRansom(event, renderer)) {
      w.BeginObject();
      StreamSpan(w, renderer, event.ransom->span, where("ransom"));
      w.Key("value");
      w.Scalar(RansomValue(event.ransom->value));
      w.Key("currency");
      w.StringOrNull(event.ransom->unit);
      w.EndObject();
    } else {
      w.Null();
    }
    w.Key("negated");
    w.Bool(event.negated);
    w.Key("modality");
    w.String(event.modality);
    w.Key("voice");
    w.String(event.voice);
    w.Key("sentence");
    w.Integer(event.sentence);
    w.Key("source");
    w.String(event.source);
    StreamIncident(w, result, event, v, renderer);
    w.EndObject();
  }
  w.EndArray();
}

// Writes the record into `out`; false when a string is not valid UTF-8
// (then `out` is incomplete and the tree path must be taken).
bool StreamDocument(const DocumentResult& result, JsonStyle style,
                    std::string* out) {
  SpanRenderer renderer(result.text);
  Writer w(out, style == JsonStyle::kPretty);
  w.BeginObject();
  w.Key("schema_version");
  w.Integer(kSchemaVersion);
  w.Key("document");
  w.BeginObject();
  w.Key("id");
  w.String(result.id);
  w.Key("path");
  w.String(result.path);
  w.Key("title");
  w.String(result.title);
  w.Key("date");
  w.StringOrNull(result.date);
  w.Key("language");
  w.String(result.language);
  w.Key("encoding");
  w.String(result.encoding);
  w.EndObject();

  w.Key("sentences");
  w.BeginArray();
  for (size_t s = 0; s < result.sentences.size(); ++s) {
    w.BeginObject();
    StreamSpan(w, renderer, result.sentences[s],
               [s] { return "sentences[" + std::to_string(s) + "]"; });
    w.EndObject();
  }
  w.EndArray();

  w.Key("skipped");
  w.BeginArray();
  for (size_t k = 0; k < result.skipped.size(); ++k) {
    w.BeginObject();
    w.Key("reason");
    w.String(result.skipped[k].reason);
    StreamSpan(w, renderer, result.skipped[k].span,
               [k] { return "skipped[" + std::to_string(k) + "]"; });
    w.EndObject();
  }
  w.EndArray();

  w.Key("entities");
  StreamEntities(w, result, renderer);
  w.Key("events");
  StreamEvents(w, result, renderer);

  w.Key("dates");
  w.BeginArray();
  for (size_t d = 0; d < result.dates.size(); ++d) {
    const DateExpr& date = result.dates[d];
    w.BeginObject();
    StreamSpan(w, renderer, date.span,
               [d] { return "dates[" + std::to_string(d) + "]"; });
    w.Key("value");
    w.StringOrNull(date.value);
    w.Key("relation");
    w.String(date.relation);
    w.Key("sentence");
    w.Integer(date.sentence);
    w.Key("source");
    w.String(date.source);
    w.EndObject();
  }
  w.EndArray();

  w.Key("errors");
  w.BeginArray();
  for (const ErrorRecord& error : result.errors) {
    StreamError(w, error.code, error.message, error.offset);
  }
  for (const std::string& problem : renderer.problems()) {
    StreamError(w, StatusCode::kInternal, result.id + ": " + problem, -1);
  }
  w.EndArray();
  w.EndObject();
  return w.ok();
}

int Indent(JsonStyle style) { return style == JsonStyle::kPretty ? 2 : -1; }

// The record written when the result cannot be rendered at all: the
// document's identity, no extraction, its own errors plus an internal one.
// Strings are dumped with U+FFFD replacement so that even bytes that are not
// UTF-8 in an id or message cannot make this fail.
std::string FallbackJson(const DocumentResult& result, JsonStyle style,
                         const std::string& what) {
  Json out = NewObject();
  out["schema_version"] = kSchemaVersion;
  Json document = NewObject();
  document["id"] = result.id;
  document["path"] = result.path;
  document["title"] = "";
  document["date"] = nullptr;
  document["language"] = result.language;
  document["encoding"] = result.encoding;
  out["document"] = std::move(document);
  for (const char* key :
       {"sentences", "skipped", "entities", "events", "dates"}) {
    out[key] = Json::array();
  }
  Json errors = Json::array();
  for (const ErrorRecord& error : result.errors) {
    errors.push_back(RenderError(error.code, error.message, error.offset));
  }
  errors.push_back(RenderError(StatusCode::kInternal,
                               result.id + ": cannot write the result: " + what,
                               -1));
  out["errors"] = std::move(errors);
  return out.dump(Indent(style), ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string_view ToString(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "person";
    case EntityType::kPlace:
      return "place";
    case EntityType::kGroup:
      return "group";
  }
  return "place";
}

std::string_view ToString(MentionRole role) {
  switch (role) {
    case MentionRole::kName:
      return "name";
    case MentionRole::kShortName:
      return "short_name";
    case MentionRole::kAcronym:
      return "acronym";
    case MentionRole::kDemonym:
      return "demonym";
    case MentionRole::kDescriptor:
      return "descriptor";
  }
  return "name";
}

std::string ToJson(const DocumentResult& result, JsonStyle style) {
  try {
    std::string out;
    out.reserve(result.text.size() * (style == JsonStyle::kPretty ? 12 : 7));
    if (StreamDocument(result, style, &out)) return out;
  } catch (const std::exception&) {
    // Out of memory, most likely; the tree path reports it.
  }
  return ToJsonTree(result, style);
}

// The record through an ordered_json tree: the reference the streaming
// writer is tested against, and the path that reports strings that are not
// UTF-8.
std::string ToJsonTree(const DocumentResult& result, JsonStyle style) {
  // nlohmann reports problems by exception; none may leave the library.
  try {
    Json json = RenderDocument(result);
    try {
      return json.dump(Indent(style));
    } catch (const Json::type_error& e) {
      // The text is validated UTF-8, but an id, path or message can carry
      // other bytes (a Latin-1 file name). Keep the record, mark the
      // replacement: bytes are never replaced silently.
      json["errors"].push_back(
          RenderError(StatusCode::kInternal,
                      "output holds bytes that are not UTF-8 outside the text; "
                      "replaced with U+FFFD (" +
                          std::string(e.what()) + ")",
                      -1));
      return json.dump(Indent(style), ' ', false,
                       Json::error_handler_t::replace);
    }
  } catch (const std::exception& e) {
    try {
      return FallbackJson(result, style, e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  // Only reached when even the fallback failed (out of memory).
  return R"({"schema_version":2,"document":{"id":"","path":"","title":"",)"
         R"("date":null,"language":"","encoding":""},"sentences":[],)"
         R"("skipped":[],)"
         R"("entities":[],"events":[],"dates":[],"errors":[{"code":)"
         R"("internal","message":"cannot write the result","offset":null}]})";
}

Status JsonSink::Emit(const DocumentResult& result) {
  return EmitRendered(ToJson(result, style_), result.id);
}

Status JsonSink::EmitRendered(std::string_view json, std::string_view id) {
  out_.write(json.data(), static_cast<std::streamsize>(json.size()));
  out_.put('\n');
  if (!out_) {
    return Status::IoError(std::string(id) + ": cannot write the JSON record");
  }
  return Status::Ok();
}

Status JsonSink::Finish() {
  out_.flush();
  if (!out_) return Status::IoError("cannot flush the JSON output");
  return Status::Ok();
}

}  // namespace extract
