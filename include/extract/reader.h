// Stage 1 (read): turns paths, --files-from lists and JSON Lines records into
// Documents whose text is UTF-8. The only stage besides the writer that
// touches files.
//
// Usage (one file):
//   extract::ReadOptions options;
//   options.encoding = extract::Encoding::kAuto;
//   auto doc = extract::ReadDocument("article.txt", options);
//   if (!doc.ok()) report(doc.status());  // "article.txt: ..." with offset
//
// Usage (a lazy list of inputs):
//   extract::InputList inputs({"news/"});
//   if (auto s = inputs.AddListFile("paths.txt"); !s.ok()) return 2;
//   while (std::optional<extract::InputItem> item = inputs.Next()) { ... }
#ifndef EXTRACT_READER_H_
#define EXTRACT_READER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/status.h"

namespace extract {

class LineReader;  // private; defined in reader.cc

// How the bytes of an input are decoded to the UTF-8 text that every output
// span indexes.
enum class Encoding {
  kUtf8,         // strict UTF-8 (the default); a UTF-8 byte-order mark is
                 // allowed and kept in the text (encoding "utf-8-bom")
  kAuto,         // UTF-16 when a UTF-16 byte-order mark says so, else UTF-8
                 // when the bytes are valid UTF-8, else Windows-1252
  kLatin1,       // ISO-8859-1: byte b is code point U+00bb ("latin-1")
  kWindows1252,  // Latin-1 except 0x80..0x9F, which hold the Windows-1252
                 // characters (0x80 is U+20AC); the five bytes Windows-1252
                 // leaves undefined (81 8D 8F 90 9D) stay the C1 controls
                 // U+0081.. as in Latin-1 ("windows-1252")
  kUtf16,        // UTF-16 whose byte-order mark gives the byte order
  kUtf16Le,      // UTF-16, little-endian ("utf-16le")
  kUtf16Be,      // UTF-16, big-endian ("utf-16be")
};

// Parses an --encoding value, case-insensitively: "utf-8" (or "utf8"),
// "auto", "latin1" ("latin-1", "iso-8859-1"), "windows-1252" ("cp1252"),
// "utf-16", "utf-16le", "utf-16be". Returns kInvalidInput naming the value
// and listing the accepted names otherwise. Thread-safe.
Result<Encoding> ParseEncoding(std::string_view name);

// The default of ReadOptions::max_bytes: 16 MiB. A news article is a few
// kB, and one input needs about 40 times its size in memory while it is
// processed.
inline constexpr uint64_t kDefaultMaxBytes = uint64_t{16} << 20;

// The largest max_bytes accepted: 1 GiB, so that even the decoded text
// (Windows-1252 grows at most 3x) fits the 32-bit offsets of spans.
inline constexpr uint64_t kMaxMaxBytes = uint64_t{1} << 30;

// Caller-chosen input policy.
struct ReadOptions {
  Encoding encoding = Encoding::kUtf8;
  // An input larger than this many bytes is not read into memory; it gets
  // the error "NAME: N bytes exceeds --max-bytes M". At most kMaxMaxBytes.
  uint64_t max_bytes = kDefaultMaxBytes;
};

// UTF-8 text decoded from an input.
struct DecodedText {
  std::string text;      // valid UTF-8 without NUL; a byte-order mark of
                         // the input is kept as U+FEFF
  std::string encoding;  // "utf-8", "utf-8-bom", "utf-16le", "utf-16be",
                         // "latin-1" or "windows-1252"
};

// Decodes `bytes` as `encoding` says. Errors are kInvalidInput, carry the
// byte offset (in `bytes`) of the problem, and have messages without a
// name (the caller prefixes one):
//   "binary file: NUL byte at offset N"  (a NUL byte, or a NUL code unit
//        in UTF-16, means the input is not text);
//   "invalid UTF-8 at byte N (if the text is Latin-1 or Windows-1252, use
//        --encoding auto)"  (strict UTF-8, and auto after a UTF-8 BOM);
//   "UTF-16 text (byte-order mark FF FE), not UTF-8: use --encoding auto or
//        --encoding utf-16"  (strict UTF-8 meets a UTF-16 BOM);
//   "invalid UTF-16 at byte N: ..."  (an unpaired surrogate or an odd
//        number of bytes; with kUtf16, a missing byte-order mark).
// Thread-safe.
Result<DecodedText> DecodeText(std::string_view bytes, Encoding encoding);

// One input named on the command line or in a list, after directory
// expansion.
struct InputItem {
  std::string path;  // a file path, or "-" for stdin
  Status status;     // not ok when the path could not be expanded (a missing
                     // path, a directory holding no articles)
};

// Expands paths in order: a file stays as it is; a directory becomes every
// regular file ending in `extension` beneath it, recursively, in byte order
// of path; "-" stays (stdin). A missing path or a directory without
// articles yields an item with a kNotFound / kInvalidInput status naming the
// path, so that it still produces one output record. A directory that
// cannot be listed yields a kIoError item after the articles found
// elsewhere. Symbolic links to files are followed, links to directories are
// not. An empty list yields "-". Only names are collected, no file is read.
// Thread-safe.
std::vector<InputItem> ExpandPaths(const std::vector<std::string>& paths,
                                   std::string_view extension = ".txt");

// A lazy, ordered sequence of inputs: the paths given to the constructor
// (expanded as ExpandPaths does), then the paths of a list file, one a line,
// read only as Next() gets to them so that a list of any length (or a
// `find` still running) costs no memory. Not thread-safe; one thread calls
// Next().
class InputList {
 public:
  // `paths` is expanded now. An empty `paths` means stdin ("-") unless a
  // list file is added. `extension` is what directories are searched for.
  explicit InputList(const std::vector<std::string>& paths,
                     std::string extension = ".txt");
  ~InputList();
  InputList(const InputList&) = delete;
  InputList& operator=(const InputList&) = delete;

  // Adds a list file ("-" reads stdin) whose lines are paths, each expanded
  // like a command-line path. Blank lines are skipped and a trailing "\r"
  // is dropped; the rest of a line is the path, verbatim. When the list is
  // stdin, a "-" line becomes an error item (stdin is taken). Call at most
  // once, before Next(). Returns kNotFound or kIoError naming the list when
  // it cannot be opened.
  Status AddListFile(const std::string& list_path);

  // The next input, or nullopt at the end. A read error in the list file
  // yields one kIoError item naming the list and ends the sequence.
  std::optional<InputItem> Next();

  // The number of items Next() will return in all, when known (no list
  // file).
  std::optional<size_t> total() const;

 private:
  std::deque<InputItem> pending_;
  std::string extension_;
  std::string list_path_;
  bool list_is_stdin_ = false;
  std::unique_ptr<LineReader> list_;  // null when there is no list file
  bool implicit_stdin_ = false;       // no paths given: "-" unless a list
  std::optional<size_t> total_;
};

// Reads the raw bytes of one file ("-" reads stdin). Errors (each message
// names the path, "stdin" for "-"):
//   kNotFound      the file does not exist ("PATH: no such file");
//   kIoError       it cannot be read (permissions, a directory);
//   kInvalidInput  it holds more than max_bytes bytes ("PATH: N bytes
//                  exceeds --max-bytes M"; a stream is drained to count N,
//                  but never kept in memory).
// Thread-safe, except that only one thread may read stdin.
Result<std::string> ReadBytes(const std::string& path, uint64_t max_bytes);

// Reads one file ("-" reads stdin) into a Document whose id and path are the
// path as given ("stdin" and "-" for stdin): ReadBytes, then MakeDocument.
Result<Document> ReadDocument(const std::string& path,
                              const ReadOptions& options = {});

// Turns the bytes of an input named `path` into a Document. Errors are
// kInvalidInput and name the path ("stdin" for "-"):
//   "PATH: N bytes exceeds --max-bytes M";
//   "PATH: empty file", "PATH: empty file (only white space)";
//   and DecodeText's errors prefixed with "PATH: ", with their offsets.
// Document::encoding says how the text was decoded. Thread-safe.
Result<Document> MakeDocument(std::string path, std::string bytes,
                              const ReadOptions& options = {});

// Returns the byte offset of the first byte that is not part of a valid
// UTF-8 sequence (overlong forms, surrogates and values past U+10FFFF are
// invalid), or std::string_view::npos when `bytes` is valid. For a
// malformed or truncated sequence that is the offset of its lead byte.
size_t FindInvalidUtf8(std::string_view bytes);

// Offset of the first valid UTF-8 sequence of two or more bytes in `bytes`,
// or npos: the sign that text with a bad byte was meant as UTF-8.
size_t FindUtf8Sequence(std::string_view bytes);

// One non-blank line of a JSON Lines input.
struct JsonlLine {
  std::string file;   // the JSONL path as given ("-" for stdin)
  uint64_t line = 0;  // 1-based line number
  uint64_t size = 0;  // bytes on the line, without the line end
  std::string bytes;  // the line without "\n" / "\r\n" (empty when
                      // `status` is not ok)
  Status status;      // kInvalidInput when the line exceeds max_bytes
                      // ("FILE:LINE: N bytes exceeds --max-bytes M")

  // "FILE:LINE" ("stdin:LINE" for "-"): the name errors use.
  std::string Name() const;
};

// Reads a JSON Lines file line by line, holding one line at a time. Not
// thread-safe.
class JsonlReader {
 public:
  // Opens `path` ("-" reads stdin). Errors: kNotFound, kIoError (a
  // directory, no permission), each naming the path.
  static Result<std::unique_ptr<JsonlReader>> Open(const std::string& path,
                                                   uint64_t max_bytes);
  ~JsonlReader();
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;

  // The next line holding anything but white space, or nullopt at the
  // end. A line longer than max_bytes is skipped without being kept and
  // comes back with an error status. A read error yields one kIoError line
  // ("FILE:LINE: cannot read: ...") and ends the file.
  std::optional<JsonlLine> Next();

  // Bytes consumed so far, line ends included.
  uint64_t bytes_read() const;
  // The size of the file when it is a regular file.
  std::optional<uint64_t> size() const { return size_; }

 private:
  JsonlReader(std::string path, std::unique_ptr<LineReader> reader,
              std::optional<uint64_t> size);

  std::string path_;
  std::unique_ptr<LineReader> reader_;
  std::optional<uint64_t> size_;
  bool done_ = false;
};

// Parses one JSON Lines record, {"id": ..., "text": ..., "date": ...}:
//   "text" (required) a string, the article (JSON strings are Unicode, so
//          no --encoding applies; its UTF-8 form is what spans index);
//   "id"   a string or an integer; the line's name ("FILE:LINE") when
//          absent or null;
//   "date" "YYYY-MM-DD", or absent / null / "" for `default_date`.
// Other keys are ignored. The Document has path "" and encoding "utf-8".
// `id` (may be null) receives the record's id whenever the line is a JSON
// object, so that an error record can carry it; otherwise the line's name.
// Errors are kInvalidInput and start with the line's name:
//   "FILE:LINE: malformed JSON: <parser message>";
//   "FILE:LINE: expected a JSON object with a \"text\" string, got ...";
//   "FILE:LINE: \"date\": expected YYYY-MM-DD, got ...";
//   "FILE:LINE: N bytes exceeds --max-bytes M", "FILE:LINE: empty text",
//   "FILE:LINE: binary file: NUL byte at offset N" (a \u0000 escape; the
//   offset is in the text's UTF-8 form).
// Thread-safe.
Result<Document> ParseJsonlLine(const JsonlLine& line,
                                const std::string& default_date,
                                uint64_t max_bytes, std::string* id);

}  // namespace extract

#endif  // EXTRACT_READER_H_
