// Status strings. They are part of the JSON schema (error records).
#include "extract/status.h"

namespace extract {

std::string_view ToString(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidInput: return "invalid_input";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kBadGazetteer: return "bad_gazetteer";
    case StatusCode::kBadRule: return "bad_rule";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(extract::ToString(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace extract
