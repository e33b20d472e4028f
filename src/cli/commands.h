// Subcommands of the extract command line besides the main job. Each
// module registers its CLI11 subcommand and returns the function that runs
// it once parsing is done; main.cc only wires them up.
#ifndef EXTRACT_SRC_CLI_COMMANDS_H_
#define EXTRACT_SRC_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

namespace extract::cli {

struct Subcommand {
  CLI::App* app = nullptr;     // the registered subcommand
  std::function<int()> run;    // runs it; returns the process exit code
};

// `extract eval`: scores extraction against gold annotations (issue 4).
// `gazetteers` and `no_cache` are the main --gazetteers and --no-cache
// options; they are read when run() is called.
Subcommand AddEvalCommand(CLI::App& app, const std::string* gazetteers,
                          const bool* no_cache);

// `extract diff OLD NEW`: compares two outputs (issue 4).
Subcommand AddDiffCommand(CLI::App& app);

// The whole file at `path`, or nullopt with "PATH: reason" in `error`.
std::optional<std::string> ReadAll(const std::string& path, std::string* error);

}  // namespace extract::cli

#endif  // EXTRACT_SRC_CLI_COMMANDS_H_
