// `extract eval`: not written yet; see issue 4.
#include <iostream>

#include "commands.h"

namespace extract::cli {

Subcommand AddEvalCommand(CLI::App& app, const std::string* gazetteers) {
  Subcommand s;
  s.app = app.add_subcommand("eval", "Score extraction against gold annotations");
  s.run = [] {
    std::cerr << "extract eval: not available in this build\n";
    return 2;
  };
  return s;
}

}  // namespace extract::cli
