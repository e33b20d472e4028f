// UTF-8 for test inputs, written out by hand rather than with the code under
// test.
#ifndef EXTRACT_TESTS_SUPPORT_UTF8_H_
#define EXTRACT_TESTS_SUPPORT_UTF8_H_

#include <cstdint>
#include <string>

namespace extract::testing {

// Encodes a code point the way a naive encoder would, surrogates included.
inline std::string EncodeUtf8(uint32_t cp) {
  std::string out;
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
  return out;
}

}  // namespace extract::testing

#endif  // EXTRACT_TESTS_SUPPORT_UTF8_H_
