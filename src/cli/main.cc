// The extract command line: parses flags, loads the pipeline, runs it over
// the inputs and writes JSON. Everything else lives in the library.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "extract/json_writer.h"
#include "extract/pipeline.h"
#include "extract/reader.h"
#include "extract/version.h"
#include "commands.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitInputFailed = 1;
constexpr int kExitConfig = 2;

std::string DefaultGazetteers() {
  if (const char* env = std::getenv("EXTRACT_GAZETTEERS")) return env;
#ifdef EXTRACT_DEFAULT_GAZETTEERS
  return EXTRACT_DEFAULT_GAZETTEERS;
#else
  return "gazetteers";
#endif
}

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int RunCheck(const std::string& dir, bool stats) {
  extract::PipelineOptions options;
  options.gazetteer_dir = dir;
  std::vector<std::string> problems;
  extract::GazetteerStats s;
  const size_t errors = extract::Pipeline::Check(options, &problems, &s);
  for (const std::string& p : problems) std::cerr << p << "\n";
  if (errors > 0) {
    std::cerr << "extract check: " << errors << " error(s)\n";
    return 1;
  }
  if (stats) {
    for (const auto& [type, n] : s.entries_by_type) {
      std::cout << type << "\t" << n << "\n";
    }
    std::cout << "aliases\t" << s.aliases << "\n";
    std::cout << "rules\t" << s.rules << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout (`extract ... | head`) is reported by the write, not by
  // a signal; the run then ends quietly.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);

  CLI::App app{
      "extract: turns news articles into structured records of who did what "
      "to whom, where and when (JSON)."};
  app.footer(
      "Examples:\n"
      "  extract article.txt > events.json      one article, one JSON object\n"
      "  extract --date 2024-11-22 article.txt  resolve 'last Friday' etc.\n"
      "  extract news/ > events.jsonl           every *.txt below news/, JSON "
      "Lines\n"
      "  cat article.txt | extract -            read stdin\n"
      "  extract check gazetteers --stats       validate gazetteers and rules\n"
      "\n"
      "Exit codes: 0 every input was processed; 1 some input failed (each "
      "failure is\n"
      "reported on stderr and as an error record in the output); 2 usage, "
      "gazetteer or\nrule error (nothing was processed).\n"
      "Output schema: docs/schema.md.");
  app.set_version_flag("--version", std::string("extract ") + extract::kVersion);

  std::vector<std::string> paths;
  std::string date;
  bool jsonl = false;
  std::string gazetteers = DefaultGazetteers();
  app.add_option("paths", paths,
                 "Article files (UTF-8 text; first line is the headline), "
                 "directories (searched recursively for *.txt), or - for "
                 "stdin (the default)");
  app.add_option("--date", date,
                 "Reference date YYYY-MM-DD for relative dates ('last "
                 "Friday'); without it they are reported unresolved");
  app.add_flag("--jsonl", jsonl,
               "Write JSON Lines (one object per article) even for one input");
  app.add_option("--gazetteers", gazetteers,
                 "Directory of gazetteers and rules (default: "
                 "$EXTRACT_GAZETTEERS or the built-in path)");

  auto* check = app.add_subcommand(
      "check", "Validate every gazetteer and rule file; print file:line: "
               "message for each problem; exit 1 on any error");
  std::string check_dir;
  bool check_stats = false;
  check->add_option("dir", check_dir, "Gazetteer directory (default: as "
                                      "--gazetteers)");
  check->add_flag("--stats", check_stats, "Print the number of entries per type");

  const extract::cli::Subcommand eval =
      extract::cli::AddEvalCommand(app, &gazetteers);
  const extract::cli::Subcommand diff = extract::cli::AddDiffCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitConfig;
  }

  if (*eval.app) return eval.run();
  if (*diff.app) return diff.run();
  if (*check) {
    return RunCheck(check_dir.empty() ? gazetteers : check_dir, check_stats);
  }
  if (!date.empty() && !ValidDate(date)) {
    std::cerr << "extract: --date: expected YYYY-MM-DD, got '" << date << "'\n";
    return kExitConfig;
  }

  extract::PipelineOptions options;
  options.gazetteer_dir = gazetteers;
  auto pipeline = extract::Pipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "extract: " << pipeline.status().message() << "\n";
    return kExitConfig;
  }

  std::vector<extract::InputItem> inputs = extract::ExpandPaths(paths);
  const bool lines = jsonl || inputs.size() != 1;
  extract::JsonSink sink(std::cout, lines ? extract::JsonStyle::kLine
                                          : extract::JsonStyle::kPretty);
  bool failed = false;
  for (const extract::InputItem& item : inputs) {
    extract::DocumentResult result;
    if (!item.status.ok()) {
      result = extract::MakeErrorResult(item.path, item.status);
    } else {
      auto doc = extract::ReadDocument(item.path);
      if (!doc.ok()) {
        result = extract::MakeErrorResult(item.path, doc.status());
      } else {
        doc->date = date;
        result = (*pipeline)->Process(std::move(*doc));
      }
    }
    for (const auto& e : result.errors) {
      std::cerr << e.message << "\n";
      failed = true;
    }
    if (!sink.Emit(result).ok()) return failed ? kExitInputFailed : kExitOk;
  }
  if (!sink.Finish().ok()) return failed ? kExitInputFailed : kExitOk;
  return failed ? kExitInputFailed : kExitOk;
}
