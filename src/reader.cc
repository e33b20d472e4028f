// Stage 1 (read): expands the command line's paths and --files-from lists
// into inputs, reads each one (a file, stdin, or a JSON Lines record) and
// decodes it to UTF-8 text as --encoding says, checking that it is
// non-empty, text rather than binary, and within --max-bytes. With the
// writer, the only stage that touches files.
#include "extract/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace extract {

// Reads lines from a file descriptor or a stream buffer, one chunk at a
// time, so that only the current line is held in memory. A line longer than
// the limit is skipped over (counted, not kept). Not thread-safe.
class LineReader {
 public:
  enum class Outcome { kLine, kEnd, kError };

  // Owns and closes `fd` when it is >= 0; otherwise reads `buf` (borrowed).
  LineReader(int fd, std::streambuf* buf, uint64_t max_bytes)
      : fd_(fd), buf_(buf), max_bytes_(max_bytes) {}
  ~LineReader() {
    if (fd_ >= 0) ::close(fd_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line into `line`, without its "\n" or "\r\n". `size` is
  // the line's length; when it exceeds the limit, `too_long` is set and
  // `line` is left empty. kError leaves errno's value in error().
  Outcome Next(std::string& line, uint64_t& size, bool& too_long);

  int error() const { return error_; }
  uint64_t max_bytes() const { return max_bytes_; }
  uint64_t line_number() const { return line_number_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool Fill();
  ssize_t ReadChunk(char* out, size_t capacity);

  static constexpr size_t kChunk = size_t{1} << 16;

  int fd_;
  std::streambuf* buf_;
  uint64_t max_bytes_;
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
  int error_ = 0;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kStdinPath = "-";
constexpr std::string_view kStdinId = "stdin";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Paths in a --files-from list are short; a longer line is not a path.
constexpr uint64_t kMaxListLine = uint64_t{1} << 20;

// The name error messages use for an input: the path as given, or "stdin".
std::string DisplayName(std::string_view path) {
  return path == kStdinPath ? std::string(kStdinId) : std::string(path);
}

std::string ErrnoMessage(int err) {
  // std::generic_category() is thread-safe, unlike strerror().
  return std::error_code(err, std::generic_category()).message();
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

Status TooLarge(const std::string& name, uint64_t size, uint64_t max_bytes) {
  return Status::InvalidInput(name + ": " + std::to_string(size) +
                              " bytes exceeds --max-bytes " +
                              std::to_string(max_bytes));
}

uint64_t ClampMaxBytes(uint64_t max_bytes) {
  return std::min(max_bytes, kMaxMaxBytes);
}

// Appends every regular file ending in `extension` beneath `dir` to `files`.
// Symbolic links to files are followed; links to directories are not, so a
// link cycle cannot make the walk endless. A subdirectory that cannot be
// listed becomes an error item rather than being skipped silently.
void CollectArticles(const fs::path& dir, std::string_view extension,
                     std::vector<std::string>& files,
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
      CollectArticles(entry.path(), extension, files, errors);
    } else if (EndsWith(entry.path().native(), extension) &&
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

// Expands one directory named on the command line or in a list.
void ExpandDirectory(const std::string& dir, std::string_view extension,
                     std::vector<InputItem>& items) {
  std::vector<std::string> files;
  std::vector<InputItem> errors;
  CollectArticles(fs::path(dir), extension, files, errors);
  // Byte order of the whole path, independent of the file system's listing
  // order, so that runs are reproducible.
  std::sort(files.begin(), files.end());
  for (std::string& file : files) items.push_back({std::move(file), Status()});
  if (files.empty() && errors.empty()) {
    items.push_back(
        {dir, Status::InvalidInput(dir + ": directory holds no *" +
                                   std::string(extension) + " articles")});
  }
  for (InputItem& error : errors) items.push_back(std::move(error));
}

// True when `text` (UTF-8) holds nothing but ASCII white space and perhaps
// a leading byte-order mark.
bool IsBlank(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    text.remove_prefix(kUtf8Bom.size());
  }
  return std::all_of(text.begin(), text.end(), IsAsciiSpace);
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

// Opens a file for reading. POSIX I/O rather than <fstream>: an ifstream
// opens a directory without complaint and loses errno, and we want "Is a
// directory", "Permission denied" and friends in the message. `st` receives
// the file's status.
Result<int> OpenForReading(const std::string& path, struct stat& st) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(err));
  }
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError(path + ": cannot read: " + ErrnoMessage(EISDIR));
  }
  return fd;
}

// Reads a stream to its end, keeping at most max_bytes bytes: past that the
// rest is drained and only counted, so the error can say how large the
// input was without holding it. `read` returns bytes read, 0 at the end, or
// -errno.
template <typename ReadFn>
Result<std::string> ReadCapped(const std::string& name, uint64_t max_bytes,
                               size_t reserve, ReadFn read) {
  std::string bytes;
  bytes.reserve(reserve);
  uint64_t total = 0;
  bool over = false;
  char chunk[1 << 16];
  while (true) {
    const ssize_t n = read(chunk, sizeof chunk);
    if (n < 0) {
      return Status::IoError(
          name + ": cannot read: " + ErrnoMessage(static_cast<int>(-n)));
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (over) continue;
    if (total > max_bytes) {
      over = true;
      std::string().swap(bytes);
      continue;
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
  if (over) return TooLarge(name, total, max_bytes);
  return bytes;
}

Result<std::string> ReadStdin(uint64_t max_bytes) {
  std::streambuf* buf = std::cin.rdbuf();
  if (buf == nullptr) return Status::IoError("stdin: cannot read: no stream");
  return ReadCapped(std::string(kStdinId), max_bytes, 0,
                    [buf](char* out, size_t capacity) -> ssize_t {
                      return static_cast<ssize_t>(buf->sgetn(
                          out, static_cast<std::streamsize>(capacity)));
                    });
}

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  struct stat st;
  Result<int> fd = OpenForReading(path, st);
  if (!fd.ok()) return fd.status();
  FdCloser closer(*fd);
  size_t reserve = 0;
  if (S_ISREG(st.st_mode)) {
    const auto size = static_cast<uint64_t>(st.st_size);
    // Refuse before reading a byte: a 100 MB article costs nothing.
    if (size > max_bytes) return TooLarge(path, size, max_bytes);
    reserve = static_cast<size_t>(size);
  }
  // Read until end of file rather than st_size bytes: the file may grow,
  // and pipes or /dev/fd/N report no size.
  const int raw_fd = *fd;
  return ReadCapped(path, max_bytes, reserve,
                    [raw_fd](char* out, size_t capacity) -> ssize_t {
                      while (true) {
                        const ssize_t n = ::read(raw_fd, out, capacity);
                        if (n >= 0) return n;
                        if (errno != EINTR) return -errno;
                      }
                    });
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

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows-1252's 0x80..0x9F. The five bytes it leaves undefined keep their
// Latin-1 meaning (the C1 controls), as Windows' own converter does, so
// that no byte is lost or replaced.
constexpr uint16_t kWindows1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

std::string DecodeSingleByte(std::string_view bytes, bool windows1252) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    if (b < 0x80) {
      out += c;
    } else if (windows1252 && b < 0xA0) {
      AppendUtf8(kWindows1252High[b - 0x80], out);
    } else {
      AppendUtf8(b, out);
    }
  }
  return out;
}

std::string Hex4(uint32_t unit) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) {
    out += kDigits[(unit >> shift) & 0xF];
  }
  return out;
}

Status InvalidUtf16(size_t offset, const std::string& what) {
  return Status::InvalidInput("invalid UTF-16 at byte " +
                              std::to_string(offset) + ": " + what)
      .WithOffset(static_cast<int64_t>(offset));
}

Status BinaryFile(size_t offset) {
  return Status::InvalidInput("binary file: NUL byte at offset " +
                              std::to_string(offset))
      .WithOffset(static_cast<int64_t>(offset));
}

// Decodes UTF-16 of the given byte order; a byte-order mark at the start
// becomes U+FEFF, as a UTF-8 one stays in the text.
Result<DecodedText> DecodeUtf16(std::string_view bytes, bool big_endian) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t units = bytes.size() / 2;
  auto unit_at = [&](size_t i) -> uint32_t {
    const uint32_t a = data[2 * i], b = data[2 * i + 1];
    return big_endian ? (a << 8 | b) : (b << 8 | a);
  };
  DecodedText out;
  out.encoding = big_endian ? "utf-16be" : "utf-16le";
  out.text.reserve(bytes.size());
  for (size_t i = 0; i < units; ++i) {
    const uint32_t unit = unit_at(i);
    if (unit == 0) return BinaryFile(2 * i);
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return InvalidUtf16(2 * i, "unpaired low surrogate " + Hex4(unit));
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const uint32_t low = i + 1 < units ? unit_at(i + 1) : 0;
      if (low < 0xDC00 || low > 0xDFFF) {
        return InvalidUtf16(2 * i, "unpaired high surrogate " + Hex4(unit));
      }
      AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out.text);
      ++i;
      continue;
    }
    AppendUtf8(unit, out.text);
  }
  if (bytes.size() % 2 != 0) {
    return InvalidUtf16(
        bytes.size() - 1,
        "odd number of bytes (" + std::to_string(bytes.size()) + ")");
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

Status InvalidUtf8(size_t offset, std::string_view hint) {
  return Status::InvalidInput("invalid UTF-8 at byte " +
                              std::to_string(offset) + std::string(hint))
      .WithOffset(static_cast<int64_t>(offset));
}

// Strict UTF-8, as read: a UTF-8 byte-order mark stays (offsets stay
// byte-exact) and is recorded as "utf-8-bom".
Result<DecodedText> DecodeUtf8(std::string_view bytes, std::string_view hint) {
  const size_t bad = FindInvalidUtf8(bytes);
  if (bad != std::string_view::npos) return InvalidUtf8(bad, hint);
  return DecodedText{std::string(bytes),
                     StartsWith(bytes, kUtf8Bom) ? "utf-8-bom" : "utf-8"};
}

Result<DecodedText> DecodeAuto(std::string_view bytes) {
  if (StartsWith(bytes, kUtf16LeBom)) return DecodeUtf16(bytes, false);
  if (StartsWith(bytes, kUtf16BeBom)) return DecodeUtf16(bytes, true);
  if (const void* nul = std::memchr(bytes.data(), 0, bytes.size())) {
    return BinaryFile(static_cast<const char*>(nul) - bytes.data());
  }
  // A UTF-8 byte-order mark declares the encoding: bad bytes after it are
  // an error, not a sign of Windows-1252 ("ï»¿" is never meant).
  if (StartsWith(bytes, kUtf8Bom)) {
    return DecodeUtf8(bytes, " (after a UTF-8 byte-order mark)");
  }
  const size_t bad = FindInvalidUtf8(bytes);
  if (bad == std::string_view::npos) {
    return DecodedText{std::string(bytes), "utf-8"};
  }
  // UTF-8 text with a bad byte in it (two files pasted together, a
  // truncated character) is not Windows-1252: reading it so would turn
  // every accented letter into two wrong ones. Say where it breaks.
  if (const size_t good = FindUtf8Sequence(bytes);
      good != std::string_view::npos) {
    return InvalidUtf8(bad, " (the text has UTF-8 characters too, e.g. at "
                            "byte " + std::to_string(good) +
                            "; use --encoding windows-1252 or latin1 to "
                            "read every byte as one character)");
  }
  // Not UTF-8: most likely Windows-1252 or Latin-1, and Windows-1252 reads
  // every printable Latin-1 byte the same way.
  return DecodedText{DecodeSingleByte(bytes, true), "windows-1252"};
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Document checks shared by files and JSON Lines records. `noun` is what
// the input is called in messages ("file", "text").
Result<Document> BuildDocument(const std::string& name, std::string bytes,
                               Encoding encoding, uint64_t max_bytes,
                               std::string_view noun) {
  max_bytes = ClampMaxBytes(max_bytes);
  if (bytes.size() > max_bytes) return TooLarge(name, bytes.size(), max_bytes);
  if (bytes.empty()) {
    return Status::InvalidInput(name + ": empty " + std::string(noun));
  }
  Result<DecodedText> decoded = DecodeText(bytes, encoding);
  if (!decoded.ok()) {
    const Status error = decoded.status();
    return Status::InvalidInput(name + ": " + error.message())
        .WithOffset(error.offset());
  }
  if (IsBlank(decoded->text)) {
    return Status::InvalidInput(name + ": empty " + std::string(noun) +
                                " (only white space)");
  }
  // Even 1 GiB of Windows-1252 stays below 4 GiB of UTF-8, but the spans'
  // 32-bit offsets are the hard limit, so say so if it is ever reached.
  if (decoded->text.size() >= std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidInput(name + ": text too large for 32-bit offsets");
  }
  Document doc;
  doc.id = name;
  doc.text = std::move(decoded->text);
  doc.encoding = std::move(decoded->encoding);
  return doc;
}

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Makes text from an input line safe to quote in a one-line message: bytes
// that are not UTF-8 and control characters become \xNN, and the result is
// cut after `limit` bytes.
std::string Printable(std::string_view s, size_t limit = 120) {
  std::string out;
  size_t i = 0;
  while (i < s.size() && out.size() < limit) {
    const auto b = static_cast<uint8_t>(s[i]);
    const LeadInfo info = ClassifyLead(b);
    const bool valid =
        info.length > 1 && i + info.length <= s.size() &&
        static_cast<uint8_t>(s[i + 1]) >= info.second_lo &&
        static_cast<uint8_t>(s[i + 1]) <= info.second_hi &&
        (info.length < 3 || IsContinuation(static_cast<uint8_t>(s[i + 2]))) &&
        (info.length < 4 || IsContinuation(static_cast<uint8_t>(s[i + 3])));
    if (valid) {
      out.append(s.substr(i, info.length));
      i += info.length;
    } else if (b >= 0x20 && b < 0x7F) {
      out += static_cast<char>(b);
      ++i;
    } else {
      static constexpr char kDigits[] = "0123456789ABCDEF";
      out += "\\x";
      out += kDigits[b >> 4];
      out += kDigits[b & 0xF];
      ++i;
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

// nlohmann's messages read "[json.exception.parse_error.101] parse error at
// line 1, column 7: syntax error ..."; the line is always 1 here (the
// caller names the file's line), so keep the column and the reason.
std::string ParseErrorMessage(std::string_view what) {
  if (StartsWith(what, "[json.exception.")) {
    const size_t close = what.find("] ");
    if (close != std::string_view::npos) what.remove_prefix(close + 2);
  }
  if (StartsWith(what, "parse error at line 1, ")) {
    what.remove_prefix(std::string_view("parse error at line 1, ").size());
  }
  return Printable(what, 200);
}

std::string JsonTypeName(const Json& json) { return json.type_name(); }

}  // namespace

// --- LineReader ----------------------------------------------------------

ssize_t LineReader::ReadChunk(char* out, size_t capacity) {
  if (fd_ >= 0) {
    while (true) {
      const ssize_t n = ::read(fd_, out, capacity);
      if (n >= 0) return n;
      if (errno != EINTR) return -errno;
    }
  }
  if (buf_ == nullptr) return 0;
  // Return what is available as soon as anything is, so that a list still
  // being written (`find ... | extract --files-from -`) is processed as it
  // comes; sgetn alone would wait for a whole chunk.
  if (buf_->sgetc() == std::char_traits<char>::eof()) return 0;
  std::streamsize available = buf_->in_avail();
  if (available <= 0) available = 1;
  return static_cast<ssize_t>(
      buf_->sgetn(out, std::min<std::streamsize>(
                           available, static_cast<std::streamsize>(capacity))));
}

bool LineReader::Fill() {
  if (eof_ || error_ != 0) return false;
  buffer_.resize(kChunk);
  pos_ = 0;
  const ssize_t n = ReadChunk(buffer_.data(), buffer_.size());
  if (n <= 0) {
    buffer_.clear();
    if (n < 0) {
      error_ = static_cast<int>(-n);
    } else {
      eof_ = true;
    }
    return false;
  }
  buffer_.resize(static_cast<size_t>(n));
  return true;
}

LineReader::Outcome LineReader::Next(std::string& line, uint64_t& size,
                                     bool& too_long) {
  line.clear();
  size = 0;
  too_long = false;
  bool any = false;
  char last = '\0';
  while (true) {
    if (pos_ == buffer_.size() && !Fill()) {
      if (error_ != 0) return Outcome::kError;
      if (!any) return Outcome::kEnd;
      break;  // a last line without "\n"
    }
    any = true;
    const char* start = buffer_.data() + pos_;
    const size_t available = buffer_.size() - pos_;
    const auto* newline =
        static_cast<const char*>(std::memchr(start, '\n', available));
    const size_t take =
        newline != nullptr ? static_cast<size_t>(newline - start) : available;
    if (take > 0) last = start[take - 1];
    size += take;
    if (!too_long) {
      // One byte of slack for a "\r" that may end the line.
      if (size > max_bytes_ + 1) {
        too_long = true;
        std::string().swap(line);
      } else {
        line.append(start, take);
      }
    }
    const size_t consumed = take + (newline != nullptr ? 1 : 0);
    pos_ += consumed;
    bytes_read_ += consumed;
    if (newline != nullptr) break;
  }
  ++line_number_;
  if (last == '\r' && size > 0) {
    --size;
    if (!too_long) line.pop_back();
  }
  if (size > max_bytes_) {
    too_long = true;
    std::string().swap(line);
  }
  return Outcome::kLine;
}

// --- Decoding ------------------------------------------------------------

Result<Encoding> ParseEncoding(std::string_view name) {
  const std::string lower = ToLower(name);
  if (lower == "utf-8" || lower == "utf8") return Encoding::kUtf8;
  if (lower == "auto") return Encoding::kAuto;
  if (lower == "latin1" || lower == "latin-1" || lower == "iso-8859-1") {
    return Encoding::kLatin1;
  }
  if (lower == "windows-1252" || lower == "cp1252") {
    return Encoding::kWindows1252;
  }
  if (lower == "utf-16" || lower == "utf16") return Encoding::kUtf16;
  if (lower == "utf-16le") return Encoding::kUtf16Le;
  if (lower == "utf-16be") return Encoding::kUtf16Be;
  return Status::InvalidInput(
      "unknown encoding '" + Printable(name) +
      "'; expected utf-8, auto, latin1, windows-1252, utf-16, utf-16le or "
      "utf-16be");
}

Result<DecodedText> DecodeText(std::string_view bytes, Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto:
      return DecodeAuto(bytes);
    case Encoding::kUtf16:
      if (StartsWith(bytes, kUtf16LeBom)) return DecodeUtf16(bytes, false);
      if (StartsWith(bytes, kUtf16BeBom)) return DecodeUtf16(bytes, true);
      return InvalidUtf16(0,
                          "no byte-order mark (use --encoding utf-16le or "
                          "utf-16be)");
    case Encoding::kUtf16Le:
      return DecodeUtf16(bytes, false);
    case Encoding::kUtf16Be:
      return DecodeUtf16(bytes, true);
    case Encoding::kUtf8:
    case Encoding::kLatin1:
    case Encoding::kWindows1252:
      break;
  }
  if (encoding == Encoding::kUtf8 &&
      (StartsWith(bytes, kUtf16LeBom) || StartsWith(bytes, kUtf16BeBom))) {
    return Status::InvalidInput(
               std::string("UTF-16 text (byte-order mark ") +
               (bytes[0] == '\xFF' ? "FF FE" : "FE FF") +
               "), not UTF-8: use --encoding auto or --encoding utf-16")
        .WithOffset(0);
  }
  // A NUL byte never occurs in text in these encodings: the input is a
  // binary file (or UTF-16 without a byte-order mark).
  if (const void* nul = std::memchr(bytes.data(), 0, bytes.size())) {
    return BinaryFile(static_cast<const char*>(nul) - bytes.data());
  }
  if (encoding == Encoding::kLatin1) {
    return DecodedText{DecodeSingleByte(bytes, false), "latin-1"};
  }
  if (encoding == Encoding::kWindows1252) {
    return DecodedText{DecodeSingleByte(bytes, true), "windows-1252"};
  }
  return DecodeUtf8(bytes,
                    " (if the text is Latin-1 or Windows-1252, use "
                    "--encoding auto)");
}

// --- Inputs --------------------------------------------------------------

std::vector<InputItem> ExpandPaths(const std::vector<std::string>& paths,
                                   std::string_view extension) {
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
      ExpandDirectory(path, extension, items);
    } else {
      // A file, a device or FIFO (e.g. /dev/fd/63 from process
      // substitution), or a path stat() could not see into: the read
      // reports what is wrong with it.
      items.push_back({path, Status()});
    }
  }
  return items;
}

InputList::InputList(const std::vector<std::string>& paths,
                     std::string extension)
    : extension_(std::move(extension)) {
  implicit_stdin_ = paths.empty();
  for (InputItem& item : ExpandPaths(paths, extension_)) {
    pending_.push_back(std::move(item));
  }
  total_ = pending_.size();
}

InputList::~InputList() = default;

Status InputList::AddListFile(const std::string& list_path) {
  assert(list_ == nullptr);
  if (implicit_stdin_) pending_.clear();
  total_.reset();
  list_path_ = list_path;
  if (list_path == kStdinPath) {
    list_is_stdin_ = true;
    list_ = std::make_unique<LineReader>(-1, std::cin.rdbuf(), kMaxListLine);
    return Status::Ok();
  }
  struct stat st;
  Result<int> fd = OpenForReading(list_path, st);
  if (!fd.ok()) return fd.status();
  list_ = std::make_unique<LineReader>(*fd, nullptr, kMaxListLine);
  return Status::Ok();
}

std::optional<InputItem> InputList::Next() {
  while (pending_.empty()) {
    if (list_ == nullptr) return std::nullopt;
    std::string line;
    uint64_t size = 0;
    bool too_long = false;
    const LineReader::Outcome outcome = list_->Next(line, size, too_long);
    const std::string where = DisplayName(list_path_) + ":" +
                              std::to_string(list_->line_number() + 1);
    if (outcome == LineReader::Outcome::kEnd) {
      list_.reset();
      return std::nullopt;
    }
    if (outcome == LineReader::Outcome::kError) {
      InputItem item{list_path_, Status::IoError(where + ": cannot read: " +
                                                 ErrnoMessage(list_->error()))};
      list_.reset();
      return item;
    }
    const std::string here =
        DisplayName(list_path_) + ":" + std::to_string(list_->line_number());
    if (too_long) {
      return InputItem{here, Status::InvalidInput(here + ": line of " +
                                                  std::to_string(size) +
                                                  " bytes is not a path")};
    }
    if (std::all_of(line.begin(), line.end(), IsAsciiSpace)) continue;
    if (line == kStdinPath && list_is_stdin_) {
      return InputItem{
          line, Status::InvalidInput(here + ": \"-\" cannot be read: stdin is "
                                            "the --files-from list")};
    }
    for (InputItem& item : ExpandPaths({line}, extension_)) {
      pending_.push_back(std::move(item));
    }
  }
  InputItem item = std::move(pending_.front());
  pending_.pop_front();
  return item;
}

std::optional<size_t> InputList::total() const { return total_; }

// --- Reading -------------------------------------------------------------

Result<std::string> ReadBytes(const std::string& path, uint64_t max_bytes) {
  max_bytes = ClampMaxBytes(max_bytes);
  return path == kStdinPath ? ReadStdin(max_bytes) : ReadFile(path, max_bytes);
}

Result<Document> ReadDocument(const std::string& path,
                              const ReadOptions& options) {
  Result<std::string> bytes = ReadBytes(path, options.max_bytes);
  if (!bytes.ok()) return bytes.status();
  return MakeDocument(path, std::move(bytes).value(), options);
}

Result<Document> MakeDocument(std::string path, std::string bytes,
                              const ReadOptions& options) {
  Result<Document> doc =
      BuildDocument(DisplayName(path), std::move(bytes), options.encoding,
                    options.max_bytes, "file");
  if (doc.ok()) doc->path = std::move(path);
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

size_t FindUtf8Sequence(std::string_view bytes) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  for (size_t i = 0; i < size; ++i) {
    const uint8_t lead = data[i];
    if (lead < 0xC2) continue;
    const LeadInfo info = ClassifyLead(lead);
    if (info.length == 0 || i + info.length > size) continue;
    const uint8_t second = data[i + 1];
    if (second < info.second_lo || second > info.second_hi) continue;
    bool ok = true;
    for (size_t k = 2; k < info.length; ++k) ok = ok && IsContinuation(data[i + k]);
    if (ok) return i;
  }
  return std::string_view::npos;
}

// --- JSON Lines ----------------------------------------------------------

std::string JsonlLine::Name() const {
  return DisplayName(file) + ":" + std::to_string(line);
}

JsonlReader::JsonlReader(std::string path, std::unique_ptr<LineReader> reader,
                         std::optional<uint64_t> size)
    : path_(std::move(path)), reader_(std::move(reader)), size_(size) {}

JsonlReader::~JsonlReader() = default;

Result<std::unique_ptr<JsonlReader>> JsonlReader::Open(const std::string& path,
                                                       uint64_t max_bytes) {
  max_bytes = ClampMaxBytes(max_bytes);
  if (path == kStdinPath) {
    return std::unique_ptr<JsonlReader>(new JsonlReader(
        path, std::make_unique<LineReader>(-1, std::cin.rdbuf(), max_bytes),
        std::nullopt));
  }
  struct stat st;
  Result<int> fd = OpenForReading(path, st);
  if (!fd.ok()) return fd.status();
  std::optional<uint64_t> size;
  if (S_ISREG(st.st_mode)) size = static_cast<uint64_t>(st.st_size);
  return std::unique_ptr<JsonlReader>(new JsonlReader(
      path, std::make_unique<LineReader>(*fd, nullptr, max_bytes), size));
}

uint64_t JsonlReader::bytes_read() const { return reader_->bytes_read(); }

std::optional<JsonlLine> JsonlReader::Next() {
  while (!done_) {
    JsonlLine line;
    line.file = path_;
    bool too_long = false;
    const LineReader::Outcome outcome =
        reader_->Next(line.bytes, line.size, too_long);
    if (outcome == LineReader::Outcome::kEnd) break;
    if (outcome == LineReader::Outcome::kError) {
      done_ = true;
      line.line = reader_->line_number() + 1;
      line.bytes.clear();
      line.status = Status::IoError(
          line.Name() + ": cannot read: " + ErrnoMessage(reader_->error()));
      return line;
    }
    line.line = reader_->line_number();
    if (too_long) {
      line.status = TooLarge(line.Name(), line.size, reader_->max_bytes());
      return line;
    }
    if (std::all_of(line.bytes.begin(), line.bytes.end(), IsAsciiSpace)) {
      continue;
    }
    return line;
  }
  done_ = true;
  return std::nullopt;
}

Result<Document> ParseJsonlLine(const JsonlLine& line,
                                const std::string& default_date,
                                uint64_t max_bytes, std::string* id) {
  const std::string name = line.Name();
  if (id != nullptr) *id = name;
  if (!line.status.ok()) return line.status;
  Json json;
  try {
    json = Json::parse(line.bytes);
  } catch (const Json::exception& e) {
    return Status::InvalidInput(
        name + ": malformed JSON: " + ParseErrorMessage(e.what()));
  }
  if (!json.is_object()) {
    return Status::InvalidInput(
        name + ": expected a JSON object with a \"text\" string, got " +
        JsonTypeName(json));
  }
  Document doc;
  doc.id = name;
  if (const auto it = json.find("id"); it != json.end() && !it->is_null()) {
    if (it->is_string()) {
      doc.id = it->get<std::string>();
    } else if (it->is_number_unsigned()) {
      doc.id = std::to_string(it->get<uint64_t>());
    } else if (it->is_number_integer()) {
      doc.id = std::to_string(it->get<int64_t>());
    } else {
      return Status::InvalidInput(
          name + ": \"id\": expected a string or an integer, got " +
          JsonTypeName(*it));
    }
  }
  if (id != nullptr) *id = doc.id;
  const auto text = json.find("text");
  if (text == json.end() || !text->is_string()) {
    return Status::InvalidInput(
        name + ": expected a JSON object with a \"text\" string, got " +
        (text == json.end() ? std::string("no \"text\"")
                            : "a \"text\" " + JsonTypeName(*text)));
  }
  doc.date = default_date;
  if (const auto it = json.find("date"); it != json.end() && !it->is_null()) {
    if (!it->is_string()) {
      return Status::InvalidInput(
          name + ": \"date\": expected YYYY-MM-DD, got " + JsonTypeName(*it));
    }
    const std::string& date = it->get_ref<const std::string&>();
    if (!date.empty()) {
      if (!ValidDate(date)) {
        return Status::InvalidInput(name +
                                    ": \"date\": expected YYYY-MM-DD, got '" +
                                    Printable(date) + "'");
      }
      doc.date = date;
    }
  }
  // The parser has checked that the string is UTF-8; what remains are the
  // document checks (size, emptiness, NUL from a \u0000 escape).
  Result<Document> built =
      BuildDocument(name, std::move(text->get_ref<std::string&>()),
                    Encoding::kUtf8, max_bytes, "text");
  if (!built.ok()) return built.status();
  doc.text = std::move(built->text);
  doc.encoding = std::move(built->encoding);
  return doc;
}

}  // namespace extract
