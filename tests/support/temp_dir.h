// A temporary directory for tests, removed when the object goes away, with
// helpers to write files and make directories in it. Failures throw, so the
// test that hit one fails with the reason rather than going on without its
// files.
#ifndef EXTRACT_TESTS_SUPPORT_TEMP_DIR_H_
#define EXTRACT_TESTS_SUPPORT_TEMP_DIR_H_

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace extract::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "extract-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error(tmpl + ": mkdtemp: " + std::strerror(errno));
    }
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name, which need not exist.
  std::string Path(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }
  // Writes `content` to path()/name, creating parent directories; returns
  // the file's path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::filesystem::path p = Path(name);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    out.close();
    if (!out) throw std::runtime_error(p.string() + ": cannot write");
    return p.string();
  }
  // Creates the directory path()/name and its parents; returns its path.
  std::string Mkdir(const std::string& name) const {
    const std::string p = Path(name);
    std::filesystem::create_directories(p);
    return p;
  }

 private:
  std::string path_;
};

}  // namespace extract::testing

#endif  // EXTRACT_TESTS_SUPPORT_TEMP_DIR_H_
