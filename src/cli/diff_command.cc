// `extract diff OLD NEW`: compares two extract outputs (issue 4). Reads the
// two files and prints the library's report (src/diff.h).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "diff.h"

namespace extract::cli {
namespace {

constexpr int kExitSame = 0;
constexpr int kExitDifferent = 1;
constexpr int kExitError = 2;

constexpr const char* kFooter =
    R"help(Compares two outputs of extract (one JSON object or JSON
Lines each), for example the same corpus run with the gazetteers of a pull
request's base and head. Documents are matched by document.id.
  entities  matched by type + canonical id, else type + name; "changed" =
            a different set of mention spans, canonical entry (id or
            attributes; the gazetteer line number is ignored) or name
  events    matched by type + trigger start/end; "changed" = different
            actors, targets or places (by entity name), date value,
            fatalities, negated, modality, status or number of mentions
            (an output from before schema 2 has no status: it is derived
            from negated and modality, "asserted" when neither says else)
Lines start with "+" (only in NEW), "-" (only in OLD) or "~" (changed),
grouped by document, with names, types, canonical ids and the gazetteer line
or rule that produced each mention or event.
Exit codes: 0 no differences; 1 differences; 2 unreadable or malformed input
(file:line).)help";

struct DiffFlags {
  std::string old_path;
  std::string new_path;
  bool json = false;
};

int Run(const DiffFlags& f) {
  std::vector<DiffDocument> docs[2];
  const std::string* paths[2] = {&f.old_path, &f.new_path};
  for (int i = 0; i < 2; ++i) {
    std::string error;
    const std::optional<std::string> content = ReadAll(*paths[i], &error);
    if (!content) {
      std::cerr << "extract diff: " << error << "\n";
      return kExitError;
    }
    auto parsed = ParseOutputRecords(*content, *paths[i]);
    if (!parsed.ok()) {
      std::cerr << "extract diff: " << parsed.status().message() << "\n";
      return kExitError;
    }
    docs[i] = std::move(*parsed);
  }
  const DiffReport report = DiffOutputs(docs[0], docs[1]);
  std::cout << (f.json ? FormatDiffJson(report, f.old_path, f.new_path)
                       : FormatDiffText(report, f.old_path, f.new_path));
  std::cout.flush();
  return report.identical() ? kExitSame : kExitDifferent;
}

}  // namespace

Subcommand AddDiffCommand(CLI::App& app) {
  auto flags = std::make_shared<DiffFlags>();
  Subcommand s;
  s.app = app.add_subcommand(
      "diff",
      "Compare two extract outputs: entities and events added, "
      "removed and changed per document");
  s.app->footer(kFooter);
  s.app
      ->add_option("old", flags->old_path,
                   "The earlier output (JSON or JSON "
                   "Lines)")
      ->required();
  s.app->add_option("new", flags->new_path, "The later output")->required();
  s.app->add_flag("--json", flags->json, "Print the report as JSON");
  s.run = [flags] { return Run(*flags); };
  return s;
}

}  // namespace extract::cli
