// Stage 1 (read): expands the command line's paths into articles and reads
// each one into a Document, checking that it is non-empty, strictly valid
// UTF-8 and small enough for 32-bit spans. With the writer, the only stage
// that touches files.
#include "extract/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace extract {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStdinPath = "-";
constexpr std::string_view kStdinId = "stdin";
constexpr std::string_view kArticleExtension = ".txt";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Spans are uint32_t byte offsets, and end offsets may equal the size.
constexpr uint64_t kMaxDocumentBytes = std::numeric_limits<uint32_t>::max();

// The name error messages use for an input: the path as given, or "stdin".
std::string DisplayName(const std::string& path) {
  return path == kStdinPath ? std::string(kStdinId) : path;
}

std::string ErrnoMessage(int err) {
  // std::generic_category() is thread-safe, unlike strerror().
  return std::error_code(err, std::generic_category()).message();
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Appends every regular file ending in ".txt" beneath `dir` to `files`.
// Symbolic links to files are followed; links to directories are not, so a
// link cycle cannot make the walk endless. A subdirectory that cannot be
// listed becomes an error item rather than being skipped silently.
void CollectArticles(const fs::path& dir, std::vector<std::string>& files,
                     std::vector<InputItem>& errors) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    errors.push_back(
        {dir.string(),
         Status::IoError(dir.string() +
                         ": cannot list directory: " + ec.message())});
    return;
  }
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
      CollectArticles(entry.path(), files, errors);
    } else if (EndsWith(entry.path().native(), kArticleExtension) &&
               entry.is_regular_file(type_ec)) {
      files.push_back(entry.path().string());
    }
  }
  if (ec) {
    errors.push_back(
        {dir.string(),
         Status::IoError(dir.string() +
                         ": cannot list directory: " + ec.message())});
  }
}

// Expands one directory named on the command line.
void ExpandDirectory(const std::string& dir, std::vector<InputItem>& items) {
  std::vector<std::string> files;
  std::vector<InputItem> errors;
  CollectArticles(fs::path(dir), files, errors);
  // Byte order of the whole path, independent of the file system's listing
  // order, so that runs are reproducible.
  std::sort(files.begin(), files.end());
  for (std::string& file : files) items.push_back({std::move(file), Status()});
  if (files.empty() && errors.empty()) {
    items.push_back({dir, Status::InvalidInput(
                              dir + ": directory holds no *.txt articles")});
  }
  for (InputItem& error : errors) items.push_back(std::move(error));
}

// True when `bytes` holds nothing but ASCII white space and perhaps a BOM.
bool IsBlank(std::string_view bytes) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    bytes.remove_prefix(kUtf8Bom.size());
  }
  return std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
  });
}

Result<std::string> ReadStdin() {
  std::string bytes;
  std::streambuf* buf = std::cin.rdbuf();
  if (buf == nullptr) return Status::IoError("stdin: cannot read: no stream");
  char chunk[1 << 16];
  while (true) {
    const std::streamsize n = buf->sgetn(chunk, sizeof chunk);
    if (n <= 0) break;
    bytes.append(chunk, static_cast<size_t>(n));
    if (bytes.size() > kMaxDocumentBytes) break;  // MakeDocument reports it
  }
  return bytes;
}

// Closes a file descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

// POSIX I/O rather than <fstream>: an ifstream opens a directory without
// complaint and loses errno, and we want "Is a directory", "Permission
// denied" and friends in the message.
Result<std::string> ReadFile(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(err));
  }
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(EISDIR));
  }
  std::string bytes;
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > kMaxDocumentBytes) {
      return Status::InvalidInput(
          path + ": file too large (" + std::to_string(st.st_size) +
          " bytes; the limit is " + std::to_string(kMaxDocumentBytes) + ")");
    }
    bytes.reserve(static_cast<size_t>(st.st_size));
  }
  // Read until end of file rather than st_size bytes: the file may grow,
  // and pipes or /dev/fd/N report no size.
  char chunk[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(path + ": cannot read: " + ErrnoMessage(errno));
    }
    if (n == 0) break;
    bytes.append(chunk, static_cast<size_t>(n));
    if (bytes.size() > kMaxDocumentBytes) break;  // MakeDocument reports it
  }
  return bytes;
}

// Length of the valid sequence a lead byte starts, and the allowed range of
// its second byte (Unicode, Table 3-7). The narrowed second-byte ranges are
// what reject overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF)
// and values past U+10FFFF (F4 90..BF). Length 0 marks a byte that can never
// start a sequence: continuation bytes, C0, C1 and F5..FF.
struct LeadInfo {
  uint8_t length;
  uint8_t second_lo;
  uint8_t second_hi;
};

constexpr LeadInfo ClassifyLead(uint8_t b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

bool IsContinuation(uint8_t b) { return (b & 0xC0) == 0x80; }

}  // namespace

std::vector<InputItem> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<InputItem> items;
  if (paths.empty()) {
    items.push_back({std::string(kStdinPath), Status()});
    return items;
  }
  for (const std::string& path : paths) {
    if (path == kStdinPath) {
      items.push_back({path, Status()});
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) {
      items.push_back(
          {path, Status::NotFound(path + ": no such file or directory")});
    } else if (status.type() == fs::file_type::directory) {
      ExpandDirectory(path, items);
    } else {
      // A file, a device or FIFO (e.g. /dev/fd/63 from process
      // substitution), or a path stat() could not see into: ReadDocument
      // reads it or says why it cannot.
      items.push_back({path, Status()});
    }
  }
  return items;
}

Result<Document> ReadDocument(const std::string& path) {
  Result<std::string> bytes = path == kStdinPath ? ReadStdin() : ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return MakeDocument(path, std::move(bytes).value());
}

Result<Document> MakeDocument(std::string path, std::string bytes) {
  const std::string name = DisplayName(path);
  if (bytes.size() > kMaxDocumentBytes) {
    return Status::InvalidInput(name + ": file too large (more than " +
                                std::to_string(kMaxDocumentBytes) + " bytes)");
  }
  if (bytes.empty()) return Status::InvalidInput(name + ": empty file");
  if (IsBlank(bytes)) {
    return Status::InvalidInput(name + ": empty file (only white space)");
  }
  const size_t bad = FindInvalidUtf8(bytes);
  if (bad != std::string_view::npos) {
    return Status::InvalidInput(name + ": invalid UTF-8 at byte " +
                                std::to_string(bad))
        .WithOffset(static_cast<int64_t>(bad));
  }
  Document doc;
  doc.id = name;
  doc.path = std::move(path);
  if (bytes.compare(0, kUtf8Bom.size(), kUtf8Bom) == 0) {
    doc.encoding = "utf-8-bom";
  }
  doc.text = std::move(bytes);
  return doc;
}

size_t FindInvalidUtf8(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  size_t i = 0;
  while (i < size) {
    // Most articles are mostly ASCII: skip eight bytes at a time while no
    // byte has its high bit set.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    const uint8_t lead = data[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const LeadInfo info = ClassifyLead(lead);
    if (info.length == 0 || i + info.length > size) return i;
    const uint8_t second = data[i + 1];
    if (second < info.second_lo || second > info.second_hi) return i;
    for (size_t k = 2; k < info.length; ++k) {
      if (!IsContinuation(data[i + k])) return i;
    }
    i += info.length;
  }
  return std::string_view::npos;
}

}  // namespace extract
