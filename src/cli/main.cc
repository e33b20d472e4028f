// The extract command line: parses flags, loads the pipeline and hands the
// inputs to the batch runner (batch.h), which writes JSON. Everything else
// lives in the library.
#include <CLI/CLI.hpp>
#ifdef EXTRACT_WITH_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#endif

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "extract/pipeline.h"
#include "extract/reader.h"
#include "extract/version.h"
#include "batch.h"
#include "commands.h"

namespace {

using extract::cli::kExitConfig;
using extract::cli::kExitOk;

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

int RunCheck(const std::string& dir, bool stats, bool strict) {
  extract::PipelineOptions options;
  options.gazetteer_dir = dir;
  std::vector<std::string> errors, warnings;
  extract::GazetteerStats s;
  const size_t n = extract::Pipeline::Check(options, &errors, &s, &warnings);
  for (const std::string& p : errors) std::cerr << p << "\n";
  for (const std::string& p : warnings) std::cerr << p << "\n";
  const size_t failed = n + (strict ? warnings.size() : 0);
  if (failed > 0) {
    std::cerr << "extract check: " << n << " error(s), " << warnings.size()
              << " warning(s)" << (strict ? " (--strict)" : "") << "\n";
    return 1;
  }
  if (stats) {
    for (const auto& [type, count] : s.entries_by_type) {
      std::cout << type << "\t" << count << "\n";
    }
    std::cout << "aliases\t" << s.aliases << "\n";
    std::cout << "rules\t" << s.rules << "\n";
    for (const auto& f : s.files) {
      std::cout << "file\t" << f.name << "\t" << f.entries << "\t" << f.aliases
                << "\n";
    }
  }
  return 0;
}

// The values of the command line's options, as CLI11 fills them in.
struct Flags {
  extract::cli::BatchOptions batch;
  std::string input_format = "text";
  std::string encoding = "auto";
  std::string max_bytes = "16M";
  bool jsonl_input = false;
  bool no_cache = false;
  std::string gazetteers;
  std::string check_dir;  // extract check
  bool check_stats = false;
  bool check_strict = false;
};

// Process-wide settings, before anything else runs.
void SetUpProcess() {
  // A closed stdout (`extract ... | head`) is reported by the write, not by
  // a signal; the run then ends quietly.
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
#ifdef EXTRACT_WITH_TCMALLOC
  // tcmalloc keeps freed page spans for reuse; the growing buffers of one
  // huge article then add up (a 100 MB article peaked at 4.7 GB, against
  // 3.4 GB with glibc's malloc). Returning them at once brought it to 3.0
  // GB and cost nothing measurable on the benchmark corpus. The variable
  // TCMALLOC_AGGRESSIVE_DECOMMIT, when set, still decides.
  if (std::getenv("TCMALLOC_AGGRESSIVE_DECOMMIT") == nullptr) {
    MallocExtension_SetNumericProperty("tcmalloc.aggressive_memory_decommit",
                                       1);
  }
#endif
}

// Sets the help text's footer (examples, exit codes) and --version on
// `app`.
void DescribeApp(CLI::App& app) {
  app.footer(
      "Examples:\n"
      "  extract article.txt > events.json      one article, one JSON object\n"
      "  extract --date 2024-11-22 article.txt  resolve 'last Friday' etc.\n"
      "  extract news/ > events.jsonl           every *.txt below news/, JSON "
      "Lines\n"
      "  extract -j 8 -o events.jsonl news/     8 threads; the file appears "
      "only when\n"
      "                                         complete\n"
      "  find news -name '*.txt' -mtime -1 | extract --files-from - > "
      "new.jsonl\n"
      "  scraper | extract --jsonl - > events.jsonl\n"
      "                                         input lines {\"id\", "
      "\"text\", \"date\"}\n"
      "  extract --encoding latin1 old/         read old files as Latin-1\n"
      "  cat article.txt | extract -            read stdin\n"
      "  extract check gazetteers --stats       validate gazetteers and rules\n"
      "\n"
      "Every input gets exactly one output record, in input order whatever "
      "-j is; a\n"
      "failed input gets an error record and a 'path: message' line on "
      "stderr.\n"
      "Exit codes: 0 every input was processed; 1 some input failed (its "
      "error\n"
      "record was written); 2 usage, gazetteer or rule error (nothing was\n"
      "processed); 3 the output could not be written.\n"
      "Output schema: docs/schema.md.");
  app.set_version_flag("--version", std::string("extract ") + extract::kVersion);
}

// Adds the main job's options to `app`, bound to *flags (which must outlive
// it), and sets the defaults that depend on the machine (-j) and the
// environment (--gazetteers).
void AddMainOptions(CLI::App& app, Flags* flags) {
  extract::cli::BatchOptions& batch = flags->batch;
  const unsigned hardware = std::thread::hardware_concurrency();
  batch.jobs = hardware > 0 ? hardware : 1;
  flags->gazetteers = DefaultGazetteers();
  app.add_option("paths", batch.paths,
                 "Article files (text; first line is the headline), "
                 "directories (searched recursively for *.txt, or *.jsonl "
                 "with --jsonl), or - for stdin (the default)");
  app.add_option("--files-from", batch.files_from,
                 "Also read the paths listed in FILE (- for stdin), one a "
                 "line, e.g. from find; blank lines are skipped. The list is "
                 "read as it is processed")
      ->option_text("FILE");
  app.add_option("--input-format", flags->input_format,
                 "text: each input is one article (default); jsonl: each "
                 "input is JSON Lines, one {\"id\", \"text\", \"date\"} "
                 "record a line (date optional, overrides --date); output "
                 "is then JSON Lines")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->option_text("text|jsonl");
  app.add_flag("--jsonl", flags->jsonl_input,
               "Same as --input-format jsonl: JSON Lines in, one {\"id\", "
               "\"text\", \"date\"} record a line, JSON Lines out");
  app.add_option("--date", batch.date,
                 "Reference date YYYY-MM-DD for relative dates ('last "
                 "Friday'); without it they are reported unresolved")
      ->option_text("YYYY-MM-DD");
  app.add_flag("--lines", batch.jsonl_output,
               "Write JSON Lines (one object per article) even for one input");
  app.add_option("-o,--output", batch.output,
                 "Write to FILE instead of stdout: a temporary file in the "
                 "same directory renamed to FILE at the end, so a failed run "
                 "leaves no partial FILE")
      ->option_text("FILE");
  app.add_option("-j,--jobs", batch.jobs,
                 "Worker threads (default: the number of CPUs); output is "
                 "the same for every N")
      ->check(CLI::Range(1u, 1024u))
      ->option_text("N");
  app.add_option("--encoding", flags->encoding,
                 "How input bytes are decoded: auto (default: UTF-16 with a "
                 "BOM, else UTF-8, else Windows-1252 when no byte sequence "
                 "is UTF-8; document.encoding says which), utf-8 (invalid "
                 "UTF-8 is an error naming the byte), latin1, windows-1252, "
                 "utf-16 (BOM), utf-16le, utf-16be")
      ->option_text("NAME");
  app.add_option("--max-bytes", flags->max_bytes,
                 "Inputs larger than this are not read but get an error "
                 "record (default 16M; suffixes K, M, G; at most 1G). Memory "
                 "needed is about 40 times the largest input")
      ->option_text("N");
  app.add_flag("-q,--quiet", batch.quiet,
               "No progress line on stderr (errors are still reported)");
  app.add_flag("--no-cache", flags->no_cache,
               "Parse the gazetteers instead of loading their compiled cache "
               "($EXTRACT_CACHE_DIR, $XDG_CACHE_HOME/extract or "
               "~/.cache/extract); output is the same either way");
  app.add_option("--gazetteers", flags->gazetteers,
                 "Directory of gazetteers and rules (default: "
                 "$EXTRACT_GAZETTEERS or the built-in path)")
      ->option_text("DIR");
}

// Adds the `check` subcommand to `app`, its options bound to *flags (which
// must outlive it). Returns the subcommand.
CLI::App* AddCheckCommand(CLI::App& app, Flags* flags) {
  auto* check = app.add_subcommand(
      "check", "Validate every gazetteer and rule file; print file:line: "
               "message for each problem; exit 1 on any error");
  check->add_option("dir", flags->check_dir, "Gazetteer directory (default: as "
                                             "--gazetteers)");
  check->add_flag("--stats", flags->check_stats,
                  "Print the number of entries per type, aliases, rules, and "
                  "per file: file<TAB>name<TAB>entries<TAB>aliases");
  check->add_flag("--strict", flags->check_strict,
                  "Treat warnings (e.g. an alias shared by entries of "
                  "different types that gazetteers/ambiguous.tsv does not "
                  "decide) as errors");
  return check;
}

// Checks the main job's option values that CLI11 does not (--date,
// --encoding, --max-bytes) and completes flags->batch with them. Returns
// false, with the reason on stderr, when one is invalid.
bool CompleteBatchOptions(Flags* flags) {
  extract::cli::BatchOptions& batch = flags->batch;
  if (!batch.date.empty() && !ValidDate(batch.date)) {
    std::cerr << "extract: --date: expected YYYY-MM-DD, got '" << batch.date
              << "'\n";
    return false;
  }
  auto parsed_encoding = extract::ParseEncoding(flags->encoding);
  if (!parsed_encoding.ok()) {
    std::cerr << "extract: --encoding: " << parsed_encoding.status().message()
              << "\n";
    return false;
  }
  batch.read.encoding = *parsed_encoding;
  if (!extract::cli::ParseByteCount(flags->max_bytes, &batch.read.max_bytes)) {
    std::cerr << "extract: --max-bytes: expected a byte count from 1 to 1G "
                 "(e.g. 1000, 512K, 64M), got '"
              << flags->max_bytes << "'\n";
    return false;
  }
  batch.jsonl_input = flags->jsonl_input || flags->input_format == "jsonl";
  return true;
}

// The main job: loads the pipeline from flags.gazetteers and runs the batch.
// Returns the exit code (kExitConfig when the pipeline does not load).
int RunMain(const Flags& flags) {
  extract::PipelineOptions options;
  options.gazetteer_dir = flags.gazetteers;
  options.use_cache = !flags.no_cache;
  auto pipeline = extract::Pipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "extract: " << pipeline.status().message() << "\n";
    return kExitConfig;
  }
  return extract::cli::RunBatch(**pipeline, flags.batch);
}

}  // namespace

int main(int argc, char** argv) {
  SetUpProcess();
  CLI::App app{
      "extract: turns news articles into structured records of who did what "
      "to whom, where and when (JSON)."};
  DescribeApp(app);
  Flags flags;
  AddMainOptions(app, &flags);
  CLI::App* check = AddCheckCommand(app, &flags);
  const extract::cli::Subcommand eval =
      extract::cli::AddEvalCommand(app, &flags.gazetteers, &flags.no_cache);
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
    return RunCheck(flags.check_dir.empty() ? flags.gazetteers
                                            : flags.check_dir,
                    flags.check_stats, flags.check_strict);
  }
  if (!CompleteBatchOptions(&flags)) return kExitConfig;
  return RunMain(flags);
}
