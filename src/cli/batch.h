// The main job of the extract command line: runs a loaded pipeline over a
// batch of inputs (paths, a --files-from list, or JSON Lines records) on N
// worker threads, and writes one JSON record per input, in input order, to
// stdout or atomically to a file, with a progress line on a terminal.
#ifndef EXTRACT_SRC_CLI_BATCH_H_
#define EXTRACT_SRC_CLI_BATCH_H_

#include <string>
#include <vector>

#include "extract/pipeline.h"
#include "extract/reader.h"

namespace extract::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInputFailed = 1;
inline constexpr int kExitConfig = 2;
inline constexpr int kExitOutputFailed = 3;  // the records could not be written

struct BatchOptions {
  std::vector<std::string> paths;  // files, directories, "-" for stdin
  std::string files_from;          // a list of paths, "-" for stdin; "" none
  bool jsonl_input = false;        // inputs are JSON Lines files of records
                                   // {"id","text","date"}
  bool jsonl_output = false;       // JSON Lines even for one input
  std::string output;              // -o FILE; "" for stdout
  unsigned jobs = 1;               // worker threads, >= 1
  ReadOptions read;                // --encoding, --max-bytes
  std::string date;                // --date, validated; "" for none
  bool quiet = false;              // no progress line
};

// Runs `pipeline` over the inputs `options` names and writes the records.
// Every input gets exactly one record; a failed one gets an error record
// and a "name: message" line on stderr, and the run goes on. Records come
// out in input order, byte-identical whatever `jobs` is; at most 4 x jobs
// inputs are in flight (queued, processed or waiting to be written) at
// once, or up to 32 while they hold less than 4 MiB of input.
// With `output`, records go to a temporary file in the same directory that
// is renamed over `output` only when everything was written; otherwise the
// temporary file is removed (also on SIGINT, SIGTERM and SIGHUP). A closed
// stdout (EPIPE) ends the run quietly.
//
// Returns kExitOk when every input was processed, kExitInputFailed when
// some input failed (its error record was written), kExitOutputFailed when
// the output could not be written (so a wrapper that accepts 1 as "error
// records present" never takes a truncated output for success), kExitConfig
// (before any input is read) when the --files-from list or the output file
// cannot be opened, or stdin is named both as an input and as the list.
// Call once per process: it installs signal handlers.
int RunBatch(const Pipeline& pipeline, const BatchOptions& options);

// Parses a byte count: digits with an optional K, M or G suffix (binary:
// 64M is 64 MiB), or "KiB"/"MiB"/"GiB". Returns false when `text` is not
// one or the count is 0 or above kMaxMaxBytes.
bool ParseByteCount(const std::string& text, uint64_t* bytes);

}  // namespace extract::cli

#endif  // EXTRACT_SRC_CLI_BATCH_H_
