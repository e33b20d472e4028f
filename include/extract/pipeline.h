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
  // Load the gazetteers through the compiled cache (false: always parse the
  // files; `extract --no-cache`). The cache is one file per gazetteer
  // directory, rewritten whenever a gazetteer file or the program changes;
  // a cache that cannot be read or written only means the files are parsed.
  // Output is the same either way.
  bool use_cache = true;
  // Where the cache lives; "" for the default: $EXTRACT_CACHE_DIR, else
  // $XDG_CACHE_HOME/extract, else ~/.cache/extract.
  std::string cache_dir;
};

// Counts of what a loaded pipeline knows, for `extract check --stats`.
struct GazetteerStats {
  // Entries per type ("place", "group", ...), in the order of the types.
  std::vector<std::pair<std::string, size_t>> entries_by_type;
  // Aliases (distinct (key, entry) pairs: names, aliases, demonyms) per type.
  std::vector<std::pair<std::string, size_t>> aliases_by_type;
  // Per gazetteer file, in name order: "places.tsv", entries, aliases.
  struct File {
    std::string name;
    size_t entries = 0;
    size_t aliases = 0;
  };
  std::vector<File> files;
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
  // without stopping at the first problem; always parses the files (never
  // reads the cache). Besides what Load rejects, it reports aliases that are
  // not in normalized form (errors) and aliases shared by a place, a group
  // or a person that gazetteers/ambiguous.tsv does not list (warnings).
  // Appends each error as "file:line: message" to `problems`, and each
  // warning as "file:line: warning: message" to `warnings`, or to
  // `problems` when `warnings` is null. Returns the number of errors
  // (warnings excluded; `--strict` adds warnings->size()). Fills `stats`
  // (which may be null) when the directory exists, even with errors.
  static size_t Check(const PipelineOptions& options,
                      std::vector<std::string>* problems,
                      GazetteerStats* stats,
                      std::vector<std::string>* warnings = nullptr);

  struct Resources;  // private; defined in pipeline.cc

 private:
  explicit Pipeline(std::unique_ptr<Resources> resources);
  std::unique_ptr<Resources> resources_;
};

// The result record for an input that could not be read: no text, one error.
DocumentResult MakeErrorResult(const std::string& path, const Status& status);

}  // namespace extract

#endif  // EXTRACT_PIPELINE_H_
