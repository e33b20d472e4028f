// Stage 7 (write): renders a DocumentResult as one JSON record in the layout
// of docs/schema.md (validated by docs/extract.schema.json). Keys keep a
// fixed order (nlohmann::ordered_json), so output is byte-stable, and every
// span carries both UTF-8 byte and code-point offsets into the input text.
#include "extract/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace extract {
namespace {

using Json = nlohmann::ordered_json;

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
    const Span fixed = Fix(span);
    if (!(fixed == span)) {
      problems_.push_back(
          "span [" + std::to_string(span.begin) + ", " +
          std::to_string(span.end) + ") of " + where() +
          " does not fit the text (" + std::to_string(text_.size()) +
          " bytes, code-point boundaries); written as [" +
          std::to_string(fixed.begin) + ", " + std::to_string(fixed.end) + ")");
    }
    Json out = NewObject();
    out["text"] = std::string(text_.substr(fixed.begin, fixed.size()));
    out["start"] = fixed.begin;
    out["end"] = fixed.end;
    out["char_start"] = CodePointOffset(fixed.begin);
    out["char_end"] = CodePointOffset(fixed.end);
    return out;
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
    for (size_t i = block * kBlock; i < offset; ++i) {
      count += IsContinuation(text_[i]) ? 0 : 1;
    }
    return count;
  }

  void BuildCheckpoints() {
    checkpoints_.reserve(text_.size() / kBlock + 1);
    uint32_t count = 0;
    for (size_t i = 0; i < text_.size(); ++i) {
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
    if (event.acled_event_type.empty()) {
      out["acled"] = nullptr;
    } else {
      Json acled = NewObject();
      acled["event_type"] = event.acled_event_type;
      acled["sub_event_type"] = StringOrNull(event.acled_sub_event_type);
      out["acled"] = std::move(acled);
    }
    out["plover"] = StringOrNull(event.plover);
    out["cameo"] = StringOrNull(event.cameo);
    Json trigger = renderer.Render(event.trigger, where("trigger"));
    trigger["source"] = event.trigger_source;
    out["trigger"] = std::move(trigger);
    out["actors"] = EntityIds(event.actors, result, event, "actors", renderer);
    out["targets"] =
        EntityIds(event.targets, result, event, "targets", renderer);
    out["places"] = EntityIds(event.places, result, event, "places", renderer);
    if (event.date) {
      Json date = renderer.Render(event.date->span, where("date"));
      date["value"] = StringOrNull(event.date->value);
      date["relation"] = event.date->relation;
      date["source"] = event.date->source;
      out["date"] = std::move(date);
    } else {
      out["date"] = nullptr;
    }
    out["fatalities"] =
        event.fatalities ? Json(*event.fatalities) : Json(nullptr);
    out["hostages"] = event.hostages ? Json(*event.hostages) : Json(nullptr);
    if (event.ransom && std::isfinite(event.ransom->value)) {
      Json ransom = renderer.Render(event.ransom->span, where("ransom"));
      const double value = event.ransom->value;
      // "$5 million" reads better as 5000000 than as 5000000.0.
      if (value == std::trunc(value) && std::fabs(value) < 9.0e15) {
        ransom["value"] = static_cast<int64_t>(value);
      } else {
        ransom["value"] = value;
      }
      ransom["currency"] = StringOrNull(event.ransom->unit);
      out["ransom"] = std::move(ransom);
    } else {
      if (event.ransom) {
        renderer.AddProblem("event " + event.id +
                            ": ransom value is not a finite number; "
                            "written as null");
      }
      out["ransom"] = nullptr;
    }
    out["negated"] = event.negated;
    out["modality"] = event.modality;
    out["voice"] = event.voice;
    out["sentence"] = event.sentence;
    out["source"] = event.source;
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

int Indent(JsonStyle style) { return style == JsonStyle::kPretty ? 2 : -1; }

// The record written when the result cannot be rendered at all: the
// document's identity, no extraction, its own errors plus an internal one.
// Strings are dumped with U+FFFD replacement so that even bytes that are not
// UTF-8 in an id or message cannot make this fail.
std::string FallbackJson(const DocumentResult& result, JsonStyle style,
                         const std::string& what) {
  Json out = NewObject();
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
  return R"({"document":{"id":"","path":"","title":"","date":null,)"
         R"("language":"","encoding":""},"sentences":[],"skipped":[],)"
         R"("entities":[],"events":[],"dates":[],"errors":[{"code":)"
         R"("internal","message":"cannot write the result","offset":null}]})";
}

Status JsonSink::Emit(const DocumentResult& result) {
  out_ << ToJson(result, style_) << '\n';
  if (!out_) {
    return Status::IoError(result.id + ": cannot write the JSON record");
  }
  return Status::Ok();
}

Status JsonSink::Finish() {
  out_.flush();
  if (!out_) return Status::IoError("cannot flush the JSON output");
  return Status::Ok();
}

}  // namespace extract
