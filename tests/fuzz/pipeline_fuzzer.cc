// libFuzzer target over the whole pipeline: bytes -> decode -> Document ->
// Process -> ToJson, asserting what every result must satisfy.
//
// The first byte of an input chooses how the rest is read:
//   bits 0-2  encoding: utf-8, auto, latin-1, windows-1252, utf-16,
//             utf-16le, utf-16be, auto;
//   bit 3     JSON Lines (each record goes through JsonlReader and
//             ParseJsonlLine; the encoding bits are then unused) instead of
//             one plain-text article;
//   bit 4     a reference date, the one bits 5-7 pick from kDates (JSON
//             Lines: the default date of records without one);
//   bits 5-7  also: max_bytes 256 instead of the default when bit 3 and
//             bit 5 are both set (exercises the too-long-line path).
// An empty input does nothing. Everything is deterministic: the pipeline is
// loaded once, from the shipped gazetteers without the cache, and nothing
// else is read or written.
//
// Invariants checked (a violation aborts with a message):
//   - DecodeText: success gives valid UTF-8 without NUL; an error carries an
//     offset within the input;
//   - Process keeps the text; every span (sentences, skipped, mentions,
//     roles, dates, event triggers / dates / ransoms) lies within the text,
//     begin <= end, both ends on UTF-8 character boundaries; mention,
//     entity and sentence indices are in range; mentions are sorted;
//   - ToJson equals ToJsonTree (the direct writer and the tree) in both
//     styles;
//   - ToJson (pretty and line) parses back with nlohmann, the two styles
//     hold the same value, the line style is one line, and the writer
//     reported no problem of its own (its "errors" are the result's).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "extract/json_writer.h"
#include "extract/pipeline.h"
#include "extract/reader.h"

namespace extract {
namespace {

// Dates ValidDate accepts, including calendar extremes and impossible days
// ("2023-02-29", "0000-02-31") that still pass its check.
constexpr const char* kDates[] = {
    "2024-11-22", "1996-08-30", "2024-02-29", "2023-02-29",
    "0000-02-31", "9999-12-31", "0001-01-01", "2000-03-01",
};

constexpr Encoding kEncodings[] = {
    Encoding::kUtf8,  Encoding::kAuto,    Encoding::kLatin1,
    Encoding::kWindows1252, Encoding::kUtf16, Encoding::kUtf16Le,
    Encoding::kUtf16Be, Encoding::kAuto,
};

// At most this many JSON Lines records per input, so that one input cannot
// cost much more than one article.
constexpr int kMaxRecords = 8;

[[noreturn]] void Fail(const std::string& what, const std::string& detail) {
  std::fprintf(stderr, "pipeline_fuzzer: invariant violated: %s\n%s\n",
               what.c_str(), detail.c_str());
  std::fflush(stderr);
  std::abort();
}

void Check(bool ok, const std::string& what, const std::string& detail = "") {
  if (!ok) Fail(what, detail);
}

const Pipeline& SharedPipeline() {
  static const std::unique_ptr<Pipeline> pipeline = [] {
    PipelineOptions options;
    options.gazetteer_dir = EXTRACT_GAZETTEERS_DIR;
    options.use_cache = false;  // read nothing but the files, write nothing
    auto p = Pipeline::Load(options);
    if (!p.ok()) Fail("the shipped gazetteers load", p.status().ToString());
    return std::move(*p);
  }();
  return *pipeline;
}

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

bool OnBoundary(std::string_view text, uint32_t offset) {
  return offset == text.size() ||
         (offset < text.size() && !IsContinuation(text[offset]));
}

void CheckSpan(std::string_view text, Span span, const std::string& where) {
  const std::string detail = where + " [" + std::to_string(span.begin) + ", " +
                             std::to_string(span.end) + ") in " +
                             std::to_string(text.size()) + " bytes";
  Check(span.begin <= span.end, "span begin <= end", detail);
  Check(span.end <= text.size(), "span within the text", detail);
  Check(OnBoundary(text, span.begin) && OnBoundary(text, span.end),
        "span on UTF-8 boundaries", detail);
}

void CheckText(std::string_view text, const std::string& what) {
  Check(FindInvalidUtf8(text) == std::string_view::npos,
        what + " is valid UTF-8");
  Check(text.find('\0') == std::string_view::npos, what + " has no NUL");
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// "YYYY-MM-DD" by its shape alone.
bool IsDayShape(std::string_view v) {
  return v.size() == 10 && IsDigits(v.substr(0, 4)) && v[4] == '-' &&
         IsDigits(v.substr(5, 2)) && v[7] == '-' && IsDigits(v.substr(8, 2));
}

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" naming a real month and day (the
// schema's dateValue, and a date that exists).
bool IsDateValue(std::string_view v) {
  if (v.size() != 4 && v.size() != 7 && v.size() != 10) return false;
  if (!IsDigits(v.substr(0, 4))) return false;
  if (v.size() == 4) return true;
  if (v[4] != '-' || !IsDigits(v.substr(5, 2))) return false;
  const int y = std::stoi(std::string(v.substr(0, 4)));
  const int m = std::stoi(std::string(v.substr(5, 2)));
  if (m < 1 || m > 12) return false;
  if (v.size() == 7) return true;
  if (v[7] != '-' || !IsDigits(v.substr(8, 2))) return false;
  const int d = std::stoi(std::string(v.substr(8, 2)));
  return d >= 1 && d <= DaysInMonth(y, m);
}

// The parsed record against the schema (docs/extract.schema.json) where
// the schema is precise, and every span's text and code-point offsets
// against the input.
class RecordChecker {
 public:
  RecordChecker(const DocumentResult& r, const std::string& line)
      : r_(r), line_(line) {
    // code_points_[i]: code points before byte i, for i on a boundary.
    code_points_.assign(r.text.size() + 1, 0);
    uint32_t count = 0;
    for (size_t i = 0; i < r.text.size(); ++i) {
      code_points_[i] = count;
      count += IsContinuation(r.text[i]) ? 0 : 1;
    }
    code_points_[r.text.size()] = count;
  }

  void Record(const nlohmann::json& j) {
    const auto& doc = j.at("document");
    // The reference date has the schema's pattern; ValidDate lets an
    // impossible day ("2023-02-29") through, so no calendar check here.
    const auto& date = doc.at("date");
    Expect(date.is_null() || IsDayShape(date.get<std::string>()),
           "document.date");
    static const std::set<std::string> kEncodingNames = {
        "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252",
        "latin-1"};
    Expect(kEncodingNames.count(doc.at("encoding").get<std::string>()) == 1,
           "document.encoding");
    const size_t sentences = j.at("sentences").size();
    for (const auto& span : j.at("sentences")) Span(span, "sentence");
    for (const auto& skipped : j.at("skipped")) {
      Span(skipped, "skipped");
      Expect(!skipped.at("reason").get<std::string>().empty(),
             "skipped.reason");
    }
    size_t e = 0;
    for (const auto& entity : j.at("entities")) {
      Expect(entity.at("id") == "e" + std::to_string(++e), "entity id");
      for (const auto& m : entity.at("mentions")) {
        Span(m, "mention");
        Expect(m.at("sentence").get<size_t>() < sentences, "mention.sentence");
      }
      for (const auto& role : entity.at("roles")) Span(role, "role");
    }
    size_t v = 0;
    for (const auto& event : j.at("events")) {
      Expect(event.at("id") == "v" + std::to_string(++v), "event id");
      Expect(!event.at("type").get<std::string>().empty(), "event.type");
      Span(event.at("trigger"), "event.trigger");
      Expect(event.at("sentence").get<size_t>() < sentences, "event.sentence");
      for (const char* key : {"actors", "targets", "places"}) {
        for (const auto& id : event.at(key)) {
          const std::string s = id.get<std::string>();
          Expect(s.size() > 1 && s[0] == 'e' && IsDigits(s.substr(1)) &&
                     std::stoul(s.substr(1)) <= e,
                 std::string("event.") + key);
        }
      }
      if (!event.at("date").is_null()) {
        const auto& date = event.at("date");
        // A date taken from the document (precision "report") has no
        // span in the text.
        if (date.at("precision") == "report") {
          Expect(date.at("start").is_null() && date.at("text").is_null(),
                 "event.date of the report has no span");
        } else {
          Span(date, "event.date");
        }
        DateFields(date, "event.date");
      }
      Incident(event, sentences, e);
      for (const char* key : {"fatalities", "hostages"}) {
        const auto& n = event.at(key);
        Expect(n.is_null() || (n.is_number_integer() && n.get<int64_t>() >= 0),
               std::string("event.") + key);
      }
      if (!event.at("ransom").is_null()) {
        const auto& ransom = event.at("ransom");
        Span(ransom, "event.ransom");
        Expect(ransom.at("value").is_number() &&
                   ransom.at("value").get<double>() >= 0,
               "ransom.value");
        const auto& currency = ransom.at("currency");
        const std::string code =
            currency.is_null() ? "USD" : currency.get<std::string>();
        Expect(code.size() == 3 &&
                   std::all_of(code.begin(), code.end(),
                               [](char c) { return c >= 'A' && c <= 'Z'; }),
               "ransom.currency");
      }
      static const std::set<std::string> kModalities = {
          "asserted", "possible", "threatened", "intended"};
      static const std::set<std::string> kVoices = {"active", "passive",
                                                    "inverted", "nominal"};
      Expect(kModalities.count(event.at("modality").get<std::string>()) == 1,
             "event.modality");
      Expect(kVoices.count(event.at("voice").get<std::string>()) == 1,
             "event.voice");
    }
    for (const auto& date : j.at("dates")) {
      Span(date, "date");
      DateFields(date, "date");
      Expect(date.at("sentence").get<size_t>() < sentences, "date.sentence");
    }
    for (const auto& error : j.at("errors")) {
      Expect(!error.at("message").get<std::string>().empty(),
             "error.message");
      Expect(error.at("offset").is_null() ||
                 error.at("offset").get<int64_t>() >= 0,
             "error.offset");
    }
  }

 private:
  void Expect(bool ok, const std::string& what) {
    if (!ok) Fail("record matches the schema: " + what, line_);
  }

  void Span(const nlohmann::json& span, const std::string& what) {
    const size_t start = span.at("start"), end = span.at("end");
    Expect(start <= end && end <= r_.text.size(), what + " offsets");
    Expect(span.at("text").get<std::string>() ==
               r_.text.substr(start, end - start),
           what + ".text is the input at its offsets");
    Expect(span.at("char_start").get<uint32_t>() == code_points_[start] &&
               span.at("char_end").get<uint32_t>() == code_points_[end],
           what + " code-point offsets");
  }

  // Schema 2: status, mentions, numbers, attribution, evidence.
  void Incident(const nlohmann::json& event, size_t sentences,
                size_t entities) {
    static const std::set<std::string> kStatuses = {
        "asserted", "claimed",    "alleged", "denied",     "negated",
        "possible", "threatened", "planned", "background", "generic"};
    Expect(kStatuses.count(event.at("status").get<std::string>()) == 1,
           "event.status");
    Expect(!event.at("mentions").empty(), "event.mentions");
    for (const auto& m : event.at("mentions")) {
      Span(m, "event.mention");
      Expect(m.at("sentence").get<size_t>() < sentences,
             "event.mention.sentence");
      Expect(kStatuses.count(m.at("status").get<std::string>()) == 1,
             "event.mention.status");
    }
    for (const auto& n : event.at("numbers")) {
      Span(n, "event.number");
      Expect(n.at("value").get<int64_t>() >= 0, "event.number.value");
    }
    for (const auto& s : event.at("evidence")) {
      Expect(s.get<size_t>() < sentences, "event.evidence");
    }
    const auto& a = event.at("attribution");
    if (!a.is_null()) {
      Span(a, "event.attribution");
      const auto& id = a.at("entity");
      Expect(id.is_null() ||
                 std::stoul(id.get<std::string>().substr(1)) <= entities,
             "event.attribution.entity");
    }
  }

  void DateFields(const nlohmann::json& date, const std::string& what) {
    const auto& value = date.at("value");
    Expect(value.is_null() ||
               (value.is_string() && IsDateValue(value.get<std::string>())),
           what + ".value is a real YYYY[-MM[-DD]]");
    Expect(!date.at("relation").get<std::string>().empty(),
           what + ".relation");
  }

  const DocumentResult& r_;
  const std::string& line_;
  std::vector<uint32_t> code_points_;
};

// Both JSON styles parse back, to the same value; returns the parsed record.
nlohmann::json CheckJson(const DocumentResult& r) {
  const std::string pretty = ToJson(r, JsonStyle::kPretty);
  const std::string line = ToJson(r, JsonStyle::kLine);
  Check(line.find('\n') == std::string::npos, "line JSON is one line", line);
  // The direct writer and the ordered_json tree agree byte for byte.
  Check(line == ToJsonTree(r, JsonStyle::kLine),
        "ToJson and ToJsonTree agree (line)", line);
  Check(pretty == ToJsonTree(r, JsonStyle::kPretty),
        "ToJson and ToJsonTree agree (pretty)", line);
  nlohmann::json a, b;
  try {
    a = nlohmann::json::parse(pretty);
    b = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    Fail("ToJson output parses", std::string(e.what()) + "\n" + line);
  }
  Check(a == b, "pretty and line JSON hold the same value", line);
  Check(a.is_object() && a.contains("errors") && a["errors"].is_array(),
        "record has an errors array", line);
  // The writer adds an error of its own only when the result is broken (a
  // span off the text, a dangling index, bytes that are not UTF-8).
  Check(a["errors"].size() == r.errors.size(),
        "the writer found nothing wrong with the result", line);
  try {
    RecordChecker(r, line).Record(a);
  } catch (const nlohmann::json::exception& e) {
    Fail("record has the schema's fields and types", std::string(e.what()) +
                                                         "\n" + line);
  }
  return a;
}

void CheckResult(const Document& doc, const DocumentResult& r) {
  const std::string_view text = r.text;
  Check(r.text == doc.text, "Process keeps the text");
  Check(r.errors.empty(), "Process of a good document reports no error");
  CheckText(r.title, "title");
  for (size_t i = 0; i < r.sentences.size(); ++i) {
    const std::string where = "sentences[" + std::to_string(i) + "]";
    CheckSpan(text, r.sentences[i], where);
    Check(i == 0 || r.sentences[i - 1].end <= r.sentences[i].begin,
          "sentences in order, not overlapping", where);
  }
  auto in_sentence = [&](Span span, uint32_t sentence) {
    return sentence < r.sentences.size() &&
           r.sentences[sentence].begin <= span.begin &&
           span.end <= r.sentences[sentence].end;
  };
  for (size_t i = 0; i < r.skipped.size(); ++i) {
    CheckSpan(text, r.skipped[i].span, "skipped[" + std::to_string(i) + "]");
  }
  for (size_t i = 0; i < r.mentions.size(); ++i) {
    const Mention& m = r.mentions[i];
    const std::string where = "mentions[" + std::to_string(i) + "]";
    CheckSpan(text, m.span, where);
    Check(m.span.begin < m.span.end, "mention is not empty", where);
    Check(m.entity >= 0 && static_cast<size_t>(m.entity) < r.entities.size(),
          "mention's entity in range", where);
    Check(in_sentence(m.span, m.sentence), "mention inside its sentence",
          where);
    if (i > 0) {
      const Mention& p = r.mentions[i - 1];
      Check(std::tie(p.span.begin, p.span.end, p.type) <=
                std::tie(m.span.begin, m.span.end, m.type),
            "mentions sorted by (begin, end, type)", where);
    }
  }
  for (size_t e = 0; e < r.entities.size(); ++e) {
    const Entity& entity = r.entities[e];
    const std::string where = "entities[" + std::to_string(e) + "]";
    CheckText(entity.name, where + ".name");
    for (const uint32_t m : entity.mentions) {
      Check(m < r.mentions.size(), "entity's mention in range", where);
      Check(r.mentions[m].entity == static_cast<int32_t>(e),
            "entity's mention points back to it", where);
    }
    for (const RoleText& role : entity.roles) {
      CheckSpan(text, role.span, where + ".roles");
    }
  }
  for (size_t d = 0; d < r.dates.size(); ++d) {
    const std::string where = "dates[" + std::to_string(d) + "]";
    CheckSpan(text, r.dates[d].span, where);
    Check(in_sentence(r.dates[d].span, r.dates[d].sentence),
          "date inside its sentence", where);
  }
  for (size_t v = 0; v < r.events.size(); ++v) {
    const Event& event = r.events[v];
    const std::string where = "events[" + std::to_string(v) + "]";
    CheckSpan(text, event.trigger, where + ".trigger");
    Check(in_sentence(event.trigger, event.sentence),
          "event trigger inside its sentence", where);
    if (event.date && event.date_precision != "report") {
      CheckSpan(text, event.date->span, where + ".date");
    }
    for (const EventMention& m : event.mentions) {
      CheckSpan(text, m.trigger, where + ".mentions");
      Check(in_sentence(m.trigger, m.sentence),
            "mention trigger inside its sentence", where);
    }
    for (const EventNumber& n : event.numbers) {
      CheckSpan(text, n.span, where + ".numbers");
    }
    if (event.attribution) {
      CheckSpan(text, event.attribution->span, where + ".attribution");
    }
    if (event.ransom) CheckSpan(text, event.ransom->span, where + ".ransom");
    for (const auto* list : {&event.actors, &event.targets, &event.places}) {
      for (const uint32_t index : *list) {
        Check(index < r.entities.size(), "event's entity in range", where);
      }
    }
  }
  CheckJson(r);
}

void CheckError(const Status& status, size_t input_size) {
  Check(!status.ok(), "an error has a non-ok status");
  Check(!status.message().empty(), "an error has a message");
  Check(status.offset() >= -1 &&
            status.offset() <= static_cast<int64_t>(input_size),
        "an error's offset lies within the input", status.ToString());
}

void RunDocument(Document doc) {
  CheckText(doc.text, "the document's text");
  Check(!doc.text.empty(), "the document's text is not empty");
  const Document copy = doc;
  const DocumentResult r = SharedPipeline().Process(std::move(doc));
  CheckResult(copy, r);
}

void RunText(std::string_view bytes, uint8_t control) {
  ReadOptions options;
  options.encoding = kEncodings[control & 7];
  // DecodeText on its own, then through MakeDocument (which adds the
  // emptiness and size checks).
  Result<DecodedText> decoded = DecodeText(bytes, options.encoding);
  if (decoded.ok()) {
    CheckText(decoded->text, "decoded text");
  } else {
    CheckError(decoded.status(), bytes.size());
  }
  Result<Document> doc = MakeDocument("fuzz.txt", std::string(bytes), options);
  if (!doc.ok()) {
    CheckError(doc.status(), bytes.size());
    CheckJson(MakeErrorResult("fuzz.txt", doc.status()));
    return;
  }
  Check(decoded.ok(), "MakeDocument succeeds only when DecodeText does");
  Check(doc->text == decoded->text, "MakeDocument's text is DecodeText's");
  if (control & 0x10) doc->date = kDates[control >> 5];
  RunDocument(std::move(*doc));
}

void RunJsonl(std::string_view bytes, uint8_t control) {
  const std::string default_date =
      (control & 0x10) ? kDates[control >> 5] : "";
  const uint64_t max_bytes = (control & 0x20) ? 256 : kDefaultMaxBytes;
  // JsonlReader reads "-" from std::cin's buffer: point it at the input.
  std::stringbuf buffer{std::string(bytes), std::ios::in};
  std::streambuf* const saved = std::cin.rdbuf(&buffer);
  auto reader = JsonlReader::Open("-", max_bytes);
  Check(reader.ok(), "JsonlReader opens stdin");
  int records = 0;
  while (std::optional<JsonlLine> line = (*reader)->Next()) {
    if (++records > kMaxRecords) break;
    Check(line->line >= 1, "JSON Lines line numbers start at 1");
    if (line->status.ok()) {
      Check(line->bytes.size() == line->size, "a line's size is its bytes'");
      Check(line->size <= max_bytes, "a kept line fits max_bytes");
    }
    std::string id;
    Result<Document> doc =
        ParseJsonlLine(*line, default_date, max_bytes, &id);
    if (!doc.ok()) {
      CheckError(doc.status(), line->bytes.size());
      CheckJson(MakeErrorResult(id, doc.status()));
      continue;
    }
    Check(doc->id == id, "ParseJsonlLine reports the record's id");
    RunDocument(std::move(*doc));
  }
  Check((*reader)->bytes_read() <= bytes.size(),
        "JsonlReader reads no more than the input");
  std::cin.rdbuf(saved);
}

}  // namespace
}  // namespace extract

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  extract::SharedPipeline();  // load before the first input is timed
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  if (control & 0x08) {
    extract::RunJsonl(bytes, control);
  } else {
    extract::RunText(bytes, control);
  }
  return 0;
}
