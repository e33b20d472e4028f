// Where results go. The JSON writer is one Sink; tests use a recording sink.
#ifndef EXTRACT_SINK_H_
#define EXTRACT_SINK_H_

#include "extract/document.h"
#include "extract/status.h"

namespace extract {

// Receives one DocumentResult per input, in input order. Call order:
// Begin, then Emit once per input, then Finish. A Sink is not thread-safe;
// callers serialize.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Begin() { return Status::Ok(); }
  // Returns kIoError when the output cannot be written (e.g. a closed pipe);
  // the caller should stop.
  virtual Status Emit(const DocumentResult& result) = 0;
  virtual Status Finish() { return Status::Ok(); }
};

}  // namespace extract

#endif  // EXTRACT_SINK_H_
