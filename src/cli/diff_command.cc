// `extract diff`: not written yet; see issue 4.
#include <iostream>

#include "commands.h"

namespace extract::cli {

Subcommand AddDiffCommand(CLI::App& app) {
  Subcommand s;
  s.app = app.add_subcommand("diff", "Compare two extract outputs");
  s.run = [] {
    std::cerr << "extract diff: not available in this build\n";
    return 2;
  };
  return s;
}

}  // namespace extract::cli
