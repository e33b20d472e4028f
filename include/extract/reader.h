// Stage 1 (read): turns paths into Documents. The only stage besides the
// writer that touches files.
#ifndef EXTRACT_READER_H_
#define EXTRACT_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/status.h"

namespace extract {

// One input named on the command line, after directory expansion.
struct InputItem {
  std::string path;  // a file path, or "-" for stdin
  Status status;     // not ok when the path could not be expanded (a missing
                     // path, a directory holding no *.txt article)
};

// Expands paths in order: a file stays as it is; a directory becomes every
// regular file ending in ".txt" beneath it, recursively, in byte order of
// path; "-" stays (stdin). A missing path or a directory without articles
// yields an item with a kNotFound / kInvalidInput status naming the path,
// so that it still produces one output record. A directory that cannot be
// listed yields a kIoError item after the articles found elsewhere. Symbolic
// links to files are followed, links to directories are not. An empty list
// yields "-". Thread-safe.
std::vector<InputItem> ExpandPaths(const std::vector<std::string>& paths);

// Reads one file ("-" reads stdin) into a Document whose id and path are the
// path as given ("stdin" for "-"). Errors (each message names the path):
//   kNotFound      the file does not exist;
//   kIoError       it cannot be read (permissions, a directory);
//   kInvalidInput  it is empty ("PATH: empty file"), only white space, too
//                  large for 32-bit offsets (4 GiB), or not valid UTF-8
//                  ("PATH: invalid UTF-8 at byte N"; the status carries
//                  the byte offset N of the first bad byte).
// A UTF-8 byte-order mark is kept in text (offsets stay byte-exact) and
// recorded as encoding "utf-8-bom".
Result<Document> ReadDocument(const std::string& path);

// Validates `bytes` as a document named `path`, as ReadDocument does
// ("-" is named "stdin" in the id and in messages).
Result<Document> MakeDocument(std::string path, std::string bytes);

// Returns the byte offset of the first byte that is not part of a valid
// UTF-8 sequence (overlong forms, surrogates and values past U+10FFFF are
// invalid), or std::string_view::npos when `bytes` is valid. For a
// malformed or truncated sequence that is the offset of its lead byte.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace extract

#endif  // EXTRACT_READER_H_
