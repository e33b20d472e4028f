// The pipeline: the one piece of code that knows every stage. It loads and
// validates the gazetteers and rules once, then turns Documents into
// DocumentResults. Loaded resources are immutable, so one Pipeline can serve
// many threads.
//
// Usage:
//   extract::PipelineOptions options;
//   options.gazetteer_dir = "gazetteers";
//   auto pipeline = extract::Pipeline::Load(options);
//   if (!pipeline.ok()) { report(pipeline.status()); return 2; }
//   auto doc = extract::ReadDocument("article.txt");
//   extract::DocumentResult result =
//       doc.ok() ? (*pipeline)->Process(*std::move(doc))
//                : extract::MakeErrorResult("article.txt", doc.status());
#ifndef EXTRACT_PIPELINE_H_
#define EXTRACT_PIPELINE_H_

#include <memory>
#include <string>
#include <vector>

#include "extract/document.h"
#include "extract/status.h"

namespace extract {

struct PipelineOptions {
  // Directory holding the gazetteer files (*.tsv) and rules/ (*.rules).
  std::string gazetteer_dir = "gazetteers";
};

// Counts of what a loaded pipeline knows, for `extract check --stats`.
struct GazetteerStats {
  std::vector<std::pair<std::string, size_t>> entries_by_type;
  size_t aliases = 0;
  size_t rules = 0;
};

class Pipeline {
 public:
  // Loads every gazetteer and rule file under options.gazetteer_dir and
  // compiles them. Returns kBadGazetteer or kBadRule with "file:line: reason"
  // when a file does not parse or a rule does not compile, kNotFound when the
  // directory is missing.
  static Result<std::unique_ptr<Pipeline>> Load(const PipelineOptions& options);

  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Runs every stage on one document. Never fails: problems met inside the
  // document are reported in DocumentResult::errors. Thread-safe.
  DocumentResult Process(Document document) const;

  GazetteerStats Stats() const;

  // Validates every gazetteer and rule file under options.gazetteer_dir
  // without stopping at the first problem. Appends each problem as
  // "file:line: message" (warnings say "warning:") to `problems` and
  // returns the number of errors (warnings excluded). Fills `stats` when
  // the files loaded.
  static size_t Check(const PipelineOptions& options,
                      std::vector<std::string>* problems,
                      GazetteerStats* stats);

  struct Resources;  // private; defined in pipeline.cc

 private:
  explicit Pipeline(std::unique_ptr<Resources> resources);
  std::unique_ptr<Resources> resources_;
};

// The result record for an input that could not be read: no text, one error.
DocumentResult MakeErrorResult(const std::string& path, const Status& status);

}  // namespace extract

#endif  // EXTRACT_PIPELINE_H_
