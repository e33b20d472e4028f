// Stage 7 (write): DocumentResult -> JSON. The schema is docs/schema.md and
// docs/extract.schema.json; key order is fixed, so output is byte-stable.
#ifndef EXTRACT_JSON_WRITER_H_
#define EXTRACT_JSON_WRITER_H_

#include <ostream>
#include <string>
#include <string_view>

#include "extract/document.h"
#include "extract/sink.h"

namespace extract {

enum class JsonStyle {
  kPretty,  // indented, for one document on stdout
  kLine,    // one line per document (JSON Lines)
};

// Renders one result. Spans become {text, start, end, char_start, char_end}
// with byte and code-point offsets into result.text. Never fails.
std::string ToJson(const DocumentResult& result, JsonStyle style);

// The same bytes through an nlohmann::ordered_json tree: slower, kept as the
// reference for tests and for records holding bytes that are not UTF-8
// outside the text (which it reports). ToJson writes the record directly.
std::string ToJsonTree(const DocumentResult& result, JsonStyle style);

// Writes each result as ToJson(result, style) followed by "\n".
// Emit returns kIoError when the stream fails (e.g. a closed pipe).
class JsonSink : public Sink {
 public:
  // `out` is borrowed and must outlive the sink.
  JsonSink(std::ostream& out, JsonStyle style) : out_(out), style_(style) {}
  Status Emit(const DocumentResult& result) override;
  // Writes a record already rendered with ToJson(result, style()), for
  // callers that render on several threads; `id` names it in an error.
  Status EmitRendered(std::string_view json, std::string_view id);
  Status Finish() override;
  JsonStyle style() const { return style_; }

 private:
  std::ostream& out_;
  JsonStyle style_;
};

}  // namespace extract

#endif  // EXTRACT_JSON_WRITER_H_
