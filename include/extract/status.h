// Status and Result<T>: how the extract library reports errors. No exception
// leaves the library; every fallible function returns one of these.
#ifndef EXTRACT_STATUS_H_
#define EXTRACT_STATUS_H_

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace extract {

// The kind of failure. The strings returned by ToString(StatusCode) appear in
// error records of the JSON output and are part of the schema.
enum class StatusCode {
  kOk,
  kInvalidInput,  // an article that cannot be processed (bad UTF-8, empty)
  kNotFound,      // a path that does not exist
  kIoError,       // a read or write that failed
  kBadGazetteer,  // a gazetteer file that does not parse
  kBadRule,       // a rule file that does not parse or compile
  kInternal,      // a bug
};

// Returns "ok", "invalid_input", "not_found", "io_error", "bad_gazetteer",
// "bad_rule" or "internal".
std::string_view ToString(StatusCode code);

// Success, or a code plus a message that says where (path, line or byte
// offset) and what went wrong. Cheap to copy when ok. Thread-compatible.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) {
    return Status(StatusCode::kInvalidInput, std::move(msg));
  }
  static Status NotFound(std::string msg) {
    return Status(StatusCode::kNotFound, std::move(msg));
  }
  static Status IoError(std::string msg) {
    return Status(StatusCode::kIoError, std::move(msg));
  }
  static Status BadGazetteer(std::string msg) {
    return Status(StatusCode::kBadGazetteer, std::move(msg));
  }
  static Status BadRule(std::string msg) {
    return Status(StatusCode::kBadRule, std::move(msg));
  }
  static Status Internal(std::string msg) {
    return Status(StatusCode::kInternal, std::move(msg));
  }

  // Returns a copy that also carries the byte offset in the input where the
  // problem is (for per-article errors); -1 means none.
  Status WithOffset(int64_t offset) const {
    Status s = *this;
    s.offset_ = offset;
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  int64_t offset() const { return offset_; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok", or "<code>: <message>".
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int64_t offset_ = -1;
};

// A value of type T, or the Status that explains why there is none.
// Accessing value() on an error is a bug (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // The error; Status::Ok() when there is a value.
  Status status() const {
    return ok() ? Status::Ok() : std::get<Status>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace extract

#endif  // EXTRACT_STATUS_H_
