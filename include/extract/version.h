// The version of extract, printed by `extract --version` and written into
// nothing else (outputs stay byte-identical across builds).
#ifndef EXTRACT_VERSION_H_
#define EXTRACT_VERSION_H_

namespace extract {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace extract

#endif  // EXTRACT_VERSION_H_
