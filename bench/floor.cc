// bench/floor.cc: how fast the cheapest first steps of any extraction
// pipeline can go on this machine, over the same corpus as bench/run.
//
// Not part of extract and not a test. Each level does the work of the level
// before it plus one more step, written as plainly and as fast as a few lines
// allow; none of them extracts anything:
//
//   read      open, read and close every file (page cache warm)
//   utf8      + check that the bytes are valid UTF-8 (ASCII eight bytes at a time)
//   nfc       + ask ICU whether the text is in NFC (Normalizer2::isNormalizedUTF8),
//             from the first non-ASCII byte on (ASCII is NFC)
//   tokens    + cut it into words at ASCII non-alphanumerics, lower-casing ASCII
//             into a key buffer (no Unicode case folding, no abbreviations)
//   lookup    + look every word up in an open-addressing hash table holding
//             every distinct word of the name and aliases columns of the
//             gazetteer files, through a small memo of recent words (as
//             extract's token memo); no trie walk, no multi-word names
//
// The figure that matters is the last level's MB/s against the 100 MB/s of
// issue 5: whatever that level costs is spent before a single rule, date
// pattern, entity, event or byte of JSON. bench/floor (the script beside this
// file) builds and runs it; docs/performance.md has the results.
//
// Usage: floor [--json] CORPUS_DIR GAZETTEER_DIR [RUNS]
//   --json: one JSON object on stdout instead of the table (bench/run reads it)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

namespace {

namespace fs = std::filesystem;

std::vector<std::string> ListFiles(const fs::path& dir, const char* ext) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One read of a whole file, as extract's reader does (fstat, then read).
bool ReadFile(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (::fstat(fd, &st) != 0) { ::close(fd); return false; }
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return true;
}

// Valid UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
// *first_non_ascii: the offset of the first byte >= 0x80 (s.size() if none).
bool ValidUtf8(std::string_view s, size_t* first_non_ascii) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* p = begin;
  const auto* end = p + s.size();
  *first_non_ascii = s.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ull) == 0) { p += 8; continue; }
    }
    unsigned c = *p;
    if (c < 0x80) { ++p; continue; }
    if (*first_non_ascii == s.size()) *first_non_ascii = static_cast<size_t>(p - begin);
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return false;
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    p += n + 1;
  }
  return true;
}

// Byte classes: 0 separator, else the byte to store in the key (ASCII
// letters lower-cased; digits and bytes >= 0x80 as they are).
struct ByteTable {
  unsigned char map[256];
  constexpr ByteTable() : map() {
    for (int c = 0; c < 256; ++c) {
      bool word = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                  (c >= 'A' && c <= 'Z');
      map[c] = word ? static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c) : 0;
    }
  }
};
constexpr ByteTable kBytes;

// Calls fn(key) for each word of s, the key lower-cased (ASCII) while it is
// copied into buf (grown to s.size() once, so no allocation per word).
template <typename Fn>
size_t ForEachWord(std::string_view s, std::string& buf, Fn&& fn) {
  if (buf.size() < s.size()) buf.resize(s.size());
  size_t words = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  char* out = buf.data();
  while (p < end) {
    while (p < end && kBytes.map[*p] == 0) ++p;
    if (p == end) break;
    char* k = out;
    unsigned char m;
    while (p < end && (m = kBytes.map[*p]) != 0) {
      *k++ = static_cast<char>(m);
      ++p;
    }
    fn(std::string_view(out, static_cast<size_t>(k - out)));
    ++words;
  }
  return words;
}

inline uint64_t Hash(std::string_view s) {
  // FNV-1a over 8-byte words, then a multiply-xorshift finish.
  uint64_t h = 0xcbf29ce484222325ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

// Open addressing, linear probing, load factor <= 0.5. A 16-byte slot holds
// the key's first 8 bytes, 32 bits of its hash and its length, so that a word
// of up to 8 bytes (most of them) is answered by one slot read; longer keys
// are compared in full in the arena.
class WordTable {
 public:
  explicit WordTable(const std::vector<std::string>& words) {
    size_t cap = 16;
    while (cap < words.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, Slot{});
    for (const auto& w : words) {
      if (w.empty() || w.size() > 255 || arena_.size() >= (1u << 24)) continue;
      uint64_t h = Hash(w);
      size_t i = h & mask_;
      while (slots_[i].len_off != 0) i = (i + 1) & mask_;
      slots_[i] = Slot{Head(w), static_cast<uint32_t>(h >> 32),
                       static_cast<uint32_t>(w.size() | (arena_.size() << 8))};
      arena_ += w;
    }
  }
  // Through a direct-mapped memo of 8,192 recent words of up to 8 bytes
  // (128 KB, so it stays in the L2 cache): a news text's frequent words are
  // answered there, not by a cache miss into the table.
  bool Contains(std::string_view key) {
    uint64_t h = Hash(key);
    uint64_t head = Head(key);
    uint32_t tag = static_cast<uint32_t>(h >> 32);
    if (key.size() <= 8) {
      Memo& m = memo_[(h >> 20) & (kMemo - 1)];
      uint32_t want = (tag & ~0x1FFu) | static_cast<uint32_t>(key.size()) << 1;
      if (m.head == head && (m.tag_len_found & ~1u) == want) return m.tag_len_found & 1;
      bool found = Probe(key, h, head, tag);
      m = Memo{head, want | (found ? 1u : 0u)};
      return found;
    }
    return Probe(key, h, head, tag);
  }
  size_t size_bytes() const { return slots_.size() * sizeof(Slot) + arena_.size(); }

 private:
  bool Probe(std::string_view key, uint64_t h, uint64_t head, uint32_t tag) const {
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.len_off == 0) return false;
      if (s.tag != tag || s.head != head || (s.len_off & 0xFF) != key.size()) continue;
      if (key.size() <= 8) return true;
      if (std::memcmp(arena_.data() + (s.len_off >> 8) + 8, key.data() + 8, key.size() - 8) == 0) {
        return true;
      }
    }
  }
  struct Slot {
    uint64_t head = 0;
    uint32_t tag = 0;
    uint32_t len_off = 0;  // length (8 bits) | arena offset << 8; 0: empty
  };
  static uint64_t Head(std::string_view s) {
    uint64_t w = 0;
    std::memcpy(&w, s.data(), std::min<size_t>(8, s.size()));
    return w;
  }
  struct Memo {
    uint64_t head = ~0ull;
    uint32_t tag_len_found = 0;  // hash bits | length << 1 | found
  };
  static constexpr size_t kMemo = 8192;
  std::vector<Slot> slots_;
  std::string arena_;
  size_t mask_ = 0;
  std::vector<Memo> memo_ = std::vector<Memo>(kMemo);
};

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  if (argc > 1 && std::strcmp(argv[1], "--json") == 0) {
    json = true;
    --argc;
    ++argv;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: floor [--json] CORPUS_DIR GAZETTEER_DIR [RUNS]\n");
    return 2;
  }
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 11;
  const auto files = ListFiles(argv[1], ".txt");
  if (files.empty()) {
    std::fprintf(stderr, "floor: no *.txt below %s\n", argv[1]);
    return 2;
  }

  // The table: every distinct word of the name and aliases columns of the
  // gazetteer files (what extract's token vocabulary holds), keyed as above.
  std::vector<std::string> vocab;
  {
    std::string buf;
    for (const auto& path : ListFiles(argv[2], ".tsv")) {
      std::ifstream in(path);
      if (!in) {
        std::fprintf(stderr, "floor: cannot read %s\n", path.c_str());
        return 2;
      }
      std::string line;
      std::vector<size_t> wanted;  // column indices of name and aliases
      bool header = true;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string_view> cells;
        for (size_t start = 0;;) {
          size_t tab = line.find('\t', start);
          cells.emplace_back(std::string_view(line).substr(start, tab - start));
          if (tab == std::string::npos) break;
          start = tab + 1;
        }
        if (header) {
          for (size_t i = 0; i < cells.size(); ++i) {
            if (cells[i] == "name" || cells[i] == "aliases" || cells[i] == "alias") wanted.push_back(i);
          }
          header = false;
          continue;
        }
        for (size_t i : wanted) {
          if (i < cells.size()) {
            ForEachWord(cells[i], buf, [&](std::string_view w) { vocab.emplace_back(w); });
          }
        }
      }
    }
    std::sort(vocab.begin(), vocab.end());
    vocab.erase(std::unique(vocab.begin(), vocab.end()), vocab.end());
  }
  WordTable table(vocab);

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "floor: ICU NFC: %s\n", u_errorName(status));
    return 2;
  }

  enum Level { kRead, kUtf8, kNfc, kTokens, kLookup, kLevels };
  const char* names[kLevels] = {"read", "utf8", "nfc", "tokens", "lookup"};
  std::vector<double> secs[kLevels];
  uint64_t bytes = 0, words = 0, hits = 0, invalid = 0, not_nfc = 0;

  std::string text, key;
  for (int r = 0; r < runs; ++r) {
    // Levels alternate within each round so that all of them see the same load.
    for (int level = 0; level < kLevels; ++level) {
      uint64_t b = 0, w = 0, h = 0, bad = 0, nn = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (const auto& path : files) {
        if (!ReadFile(path, text)) continue;
        b += text.size();
        size_t ascii = 0;
        if (level >= kUtf8 && !ValidUtf8(text, &ascii)) { ++bad; continue; }
        // ASCII is always NFC, and NFC never reorders across an ASCII byte
        // (they all have combining class 0 and compose with nothing before
        // them), so ICU is asked only from the byte before the first
        // non-ASCII one (which may compose with it).
        if (level >= kNfc && ascii < text.size()) {
          size_t from = ascii > 0 ? ascii - 1 : 0;
          UErrorCode st = U_ZERO_ERROR;
          if (!nfc->isNormalizedUTF8(
                  icu::StringPiece(text.data() + from, static_cast<int32_t>(text.size() - from)), st)) {
            ++nn;
          }
        }
        if (level == kTokens) {
          w += ForEachWord(text, key, [](std::string_view) {});
        } else if (level == kLookup) {
          w += ForEachWord(text, key, [&](std::string_view k) { h += table.Contains(k); });
        }
      }
      auto t1 = std::chrono::steady_clock::now();
      secs[level].push_back(std::chrono::duration<double>(t1 - t0).count());
      if (level == kLookup) { bytes = b; words = w; hits = h; invalid = bad; not_nfc = nn; }
    }
  }

  double med[kLevels];
  for (int level = 0; level < kLevels; ++level) {
    auto v = secs[level];
    std::sort(v.begin(), v.end());
    med[level] = v[v.size() / 2];
  }
  if (json) {
    std::printf("{\"files\": %zu, \"bytes\": %llu, \"not_utf8\": %llu, \"not_nfc\": %llu, "
                "\"table_words\": %zu, \"table_bytes\": %zu, \"words\": %llu, \"found\": %llu, "
                "\"runs\": %d, \"levels\": [",
                files.size(), static_cast<unsigned long long>(bytes),
                static_cast<unsigned long long>(invalid), static_cast<unsigned long long>(not_nfc),
                vocab.size(), table.size_bytes(), static_cast<unsigned long long>(words),
                static_cast<unsigned long long>(hits), runs);
    for (int level = 0; level < kLevels; ++level) {
      std::printf("%s{\"level\": \"%s\", \"median_s\": %.6f, \"mb_s\": %.3f, \"times_s\": [",
                  level ? ", " : "", names[level], med[level], bytes / med[level] / 1e6);
      for (size_t i = 0; i < secs[level].size(); ++i) {
        std::printf("%s%.6f", i ? ", " : "", secs[level][i]);
      }
      std::printf("]}");
    }
    std::printf("]}\n");
    return 0;
  }
  std::printf("corpus: %zu files, %llu bytes (%llu not UTF-8, skipped after the read level; %llu not NFC)\n",
              files.size(), static_cast<unsigned long long>(bytes),
              static_cast<unsigned long long>(invalid), static_cast<unsigned long long>(not_nfc));
  std::printf("table: %zu distinct words of gazetteer names and aliases, %.1f MB; %llu words looked up, %llu found\n",
              vocab.size(), table.size_bytes() / 1e6, static_cast<unsigned long long>(words),
              static_cast<unsigned long long>(hits));
  std::printf("%-8s %10s %10s %12s   (median of %d runs, one thread, in one process)\n", "level",
              "ms", "MB/s", "ns/word", runs);
  for (int level = 0; level < kLevels; ++level) {
    std::printf("%-8s %10.2f %10.1f %12.2f\n", names[level], med[level] * 1e3, bytes / med[level] / 1e6,
                words ? med[level] * 1e9 / static_cast<double>(words) : 0.0);
  }
  return 0;
}
