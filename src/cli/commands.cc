// Helpers shared by the CLI's subcommands.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "commands.h"

namespace extract::cli {

std::optional<std::string> ReadAll(const std::string& path,
                                   std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot read: " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = path + ": read error";
    return std::nullopt;
  }
  return ss.str();
}

}  // namespace extract::cli
