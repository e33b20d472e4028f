// Tests for stage 1 (read): path expansion, reading files and stdin, and the
// strict UTF-8 check, including every error the reader can return.
#include "extract/reader.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace extract {
namespace {

namespace fs = std::filesystem;

constexpr char kBom[] = "\xEF\xBB\xBF";

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "extract_reader_test.XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `bytes` to the relative path `name`, creating directories.
  std::string Write(const std::string& name, const std::string& bytes) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    REQUIRE(out.good());
    return file.string();
  }
  std::string Mkdir(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }
  std::string Path(const std::string& name) const {
    return (path_ / name).string();
  }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

std::vector<std::string> Paths(const std::vector<InputItem>& items) {
  std::vector<std::string> paths;
  for (const InputItem& item : items) paths.push_back(item.path);
  return paths;
}

// Points std::cin at a string for the lifetime of the object.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& bytes)
      : input_(bytes), saved_(std::cin.rdbuf(input_.rdbuf())) {}
  ~StdinFrom() { std::cin.rdbuf(saved_); }

 private:
  std::istringstream input_;
  std::streambuf* saved_;
};

TEST_CASE("Reader: ExpandPaths walks directories recursively in byte order",
          "[read]") {
  TempDir dir;
  dir.Write("b.txt", "b");
  dir.Write("a.txt", "a");
  dir.Write("B.txt", "upper case sorts first");
  dir.Write("notes.md", "not an article");
  dir.Write("a.txt.bak", "not an article either");
  dir.Write("sub/c.txt", "c");
  dir.Write("sub/deeper/d.txt", "d");
  dir.Write("sub/deeper/e.json", "{}");
  dir.Mkdir("empty_subdir");
  dir.Mkdir("dir.txt");  // a directory, not an article
  dir.Write("dir.txt/f.txt", "f");

  const std::vector<InputItem> items = ExpandPaths({dir.str()});
  const std::string root = dir.str() + "/";
  CHECK(Paths(items) ==
        std::vector<std::string>{root + "B.txt", root + "a.txt", root + "b.txt",
                                 root + "dir.txt/f.txt", root + "sub/c.txt",
                                 root + "sub/deeper/d.txt"});
  for (const InputItem& item : items) CHECK(item.status.ok());

  SECTION("a trailing slash does not double the separator") {
    CHECK(Paths(ExpandPaths({dir.str() + "/"})) == Paths(items));
  }
  SECTION("the result is the same on every call") {
    CHECK(Paths(ExpandPaths({dir.str()})) == Paths(items));
  }
}

TEST_CASE("Reader: ExpandPaths keeps files, stdin and argument order",
          "[read]") {
  TempDir dir;
  const std::string z = dir.Write("z.txt", "z");
  const std::string md = dir.Write("readme.md", "named explicitly");
  const std::string sub = dir.Mkdir("sub");
  const std::string a = dir.Write("sub/a.txt", "a");

  const std::vector<InputItem> items = ExpandPaths({z, "-", sub, md});
  CHECK(Paths(items) == std::vector<std::string>{z, "-", a, md});
  for (const InputItem& item : items) CHECK(item.status.ok());

  SECTION("an empty list means stdin") {
    const std::vector<InputItem> none = ExpandPaths({});
    REQUIRE(none.size() == 1);
    CHECK(none[0].path == "-");
    CHECK(none[0].status.ok());
  }
}

TEST_CASE("Reader: ExpandPaths reports missing paths and empty directories",
          "[read]") {
  TempDir dir;
  const std::string good = dir.Write("good.txt", "good");
  const std::string missing = dir.Path("missing.txt");
  const std::string empty = dir.Mkdir("empty");
  const std::string no_articles = dir.Mkdir("no_articles");
  dir.Write("no_articles/notes.md", "x");
  dir.Mkdir("no_articles/nested");

  const std::vector<InputItem> items =
      ExpandPaths({missing, good, empty, no_articles});
  REQUIRE(items.size() == 4);

  CHECK(items[0].path == missing);
  CHECK(items[0].status.code() == StatusCode::kNotFound);
  CHECK(items[0].status.message() == missing + ": no such file or directory");

  CHECK(items[1].path == good);
  CHECK(items[1].status.ok());

  CHECK(items[2].path == empty);
  CHECK(items[2].status.code() == StatusCode::kInvalidInput);
  CHECK(items[2].status.message() ==
        empty + ": directory holds no *.txt articles");

  CHECK(items[3].path == no_articles);
  CHECK(items[3].status.code() == StatusCode::kInvalidInput);
  CHECK(items[3].status.message() ==
        no_articles + ": directory holds no *.txt articles");
}

TEST_CASE("Reader: ReadDocument reads the exact bytes", "[read]") {
  TempDir dir;
  const std::string bytes = "Cissé à Tonka\r\nline two\n";
  const std::string path = dir.Write("article.txt", bytes);

  Result<Document> doc = ReadDocument(path);
  REQUIRE(doc.ok());
  CHECK(doc->id == path);
  CHECK(doc->path == path);
  CHECK(doc->text == bytes);
  CHECK(doc->encoding == "utf-8");
  CHECK(doc->date.empty());

  SECTION("a file larger than one read chunk") {
    std::string big;
    while (big.size() < 200000) big += "Les otages ont été libérés. ";
    const std::string big_path = dir.Write("big.txt", big);
    Result<Document> big_doc = ReadDocument(big_path);
    REQUIRE(big_doc.ok());
    CHECK(big_doc->text == big);
  }
}

TEST_CASE("Reader: ReadDocument keeps a byte-order mark", "[read]") {
  TempDir dir;
  const std::string bytes = std::string(kBom) + "Headline\n\nBody.";
  const std::string path = dir.Write("bom.txt", bytes);
  Result<Document> doc = ReadDocument(path);
  REQUIRE(doc.ok());
  CHECK(doc->text == bytes);  // offsets stay byte-exact
  CHECK(doc->encoding == "utf-8-bom");
}

TEST_CASE("Reader: ReadDocument errors name the path", "[read]") {
  TempDir dir;

  SECTION("a missing file is kNotFound") {
    const std::string path = dir.Path("nope.txt");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kNotFound);
    CHECK(doc.status().message() == path + ": no such file");
    CHECK(doc.status().offset() == -1);
  }
  SECTION("a directory is kIoError") {
    const std::string path = dir.Mkdir("folder");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kIoError);
    CHECK(doc.status().message() == path + ": cannot read: Is a directory");
  }
  SECTION("a file below a regular file is kIoError (ENOTDIR)") {
    const std::string file = dir.Write("plain.txt", "x");
    Result<Document> doc = ReadDocument(file + "/child.txt");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kIoError);
    CHECK_THAT(doc.status().message(),
               Catch::StartsWith(file + "/child.txt: cannot read: "));
  }
  SECTION("an unreadable file is kIoError") {
    if (::geteuid() == 0) {
      WARN("running as root: permissions cannot make a file unreadable");
      return;
    }
    const std::string path = dir.Write("secret.txt", "secret");
    fs::permissions(path, fs::perms::none);
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kIoError);
    CHECK(doc.status().message() == path + ": cannot read: Permission denied");
  }
  SECTION("an empty file is kInvalidInput") {
    const std::string path = dir.Write("empty.txt", "");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kInvalidInput);
    CHECK(doc.status().message() == path + ": empty file");
  }
  SECTION("a file of white space (and a BOM) is kInvalidInput") {
    const std::string path =
        dir.Write("blank.txt", std::string(kBom) + " \n\t\r\n");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kInvalidInput);
    CHECK(doc.status().message() == path + ": empty file (only white space)");
  }
  SECTION("invalid UTF-8 is kInvalidInput with the byte offset") {
    // "Tonka, " is 7 bytes, then "é" in Latin-1.
    const std::string path = dir.Write("latin1.txt", "Tonka, caf\xE9 noir");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kInvalidInput);
    CHECK(doc.status().offset() == 10);
    CHECK(doc.status().message() == path + ": invalid UTF-8 at byte 10");
  }
  SECTION("invalid UTF-8 after a BOM counts the BOM's bytes") {
    const std::string path =
        dir.Write("bom_bad.txt", std::string(kBom) + "ab\xFF");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().offset() == 5);
    CHECK(doc.status().message() == path + ": invalid UTF-8 at byte 5");
  }
}

TEST_CASE("Reader: ReadDocument(\"-\") reads stdin", "[read]") {
  SECTION("valid input") {
    StdinFrom in("Bamako, 3 mai \xE2\x80\x94 texte\n");
    Result<Document> doc = ReadDocument("-");
    REQUIRE(doc.ok());
    CHECK(doc->id == "stdin");
    CHECK(doc->path == "-");
    CHECK(doc->text == "Bamako, 3 mai \xE2\x80\x94 texte\n");
  }
  SECTION("empty stdin") {
    StdinFrom in("");
    Result<Document> doc = ReadDocument("-");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().code() == StatusCode::kInvalidInput);
    CHECK(doc.status().message() == "stdin: empty file");
  }
  SECTION("invalid UTF-8 on stdin") {
    StdinFrom in(std::string("ok\0\xC0\x80", 5));
    Result<Document> doc = ReadDocument("-");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().offset() == 3);
    CHECK(doc.status().message() == "stdin: invalid UTF-8 at byte 3");
  }
}

TEST_CASE("Reader: MakeDocument validates bytes as ReadDocument does",
          "[read]") {
  Result<Document> doc = MakeDocument("feed.jsonl:3", "Texte\xC2\xA0ici");
  REQUIRE(doc.ok());
  CHECK(doc->id == "feed.jsonl:3");
  CHECK(doc->path == "feed.jsonl:3");
  CHECK(doc->encoding == "utf-8");

  Result<Document> bad = MakeDocument("feed.jsonl:4", "abc\xED\xA0\x80");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidInput);
  CHECK(bad.status().offset() == 3);
  CHECK(bad.status().message() == "feed.jsonl:4: invalid UTF-8 at byte 3");
}

// Encodes a code point the way a naive encoder would, surrogates included.
std::string Encode(uint32_t cp) {
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

TEST_CASE("Reader: FindInvalidUtf8", "[read]") {
  constexpr size_t kValid = std::string_view::npos;
  struct Row {
    std::string bytes;
    size_t expected;
  };
  const std::vector<Row> rows = {
      // Valid text.
      {"", kValid},
      {"plain ASCII", kValid},
      {std::string("nul \0 byte", 10), kValid},
      {"Ciss\xC3\xA9 \xC3\xA0 Tonka", kValid},             // 2-byte
      {"\xE2\x80\x94 \xE2\x82\xAC \xEF\xBF\xBF", kValid},  // 3-byte
      {"\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF", kValid},       // 4-byte, max
      {"\xED\x9F\xBF \xEE\x80\x80", kValid},  // just below/above surrogates
      {std::string(kBom) + "BOM", kValid},
      {"\xC2\x80\xDF\xBF\xE0\xA0\x80\xF0\x90\x80\x80", kValid},  // minima
      // Overlong forms.
      {"\xC0\x80", 0},
      {"\xC1\xBF", 0},
      {"ab\xE0\x80\x80", 2},
      {"ab\xE0\x9F\xBF", 2},
      {"\xF0\x80\x80\x80", 0},
      {"\xF0\x8F\xBF\xBF", 0},
      // Surrogates.
      {"\xED\xA0\x80", 0},
      {"x\xED\xBF\xBF", 1},
      // Past U+10FFFF, and bytes that never occur.
      {"\xF4\x90\x80\x80", 0},
      {"\xF5\x80\x80\x80", 0},
      {"\xFF", 0},
      {"\xFE\xFF", 0},
      // Truncated sequences, at the end and in the middle.
      {"abc\xC3", 3},
      {"abc\xE2\x82", 3},
      {"abc\xF0\x9F\x98", 3},
      {std::string("\xE2\x82") + "A", 0},
      {std::string("\xF0\x9F\x98") + "A", 0},
      {"\xC3\xC3\xA9", 0},
      // Stray continuation bytes.
      {"\x80", 0},
      {"\xC3\xA9\xA9", 2},
      {"ok \xBF", 3},
      // Positions around the 8-byte fast path.
      {"0123456\xC3\xA9\x80", 9},
      {"01234567\x80", 8},
      {"0123456789abcde\xFF", 15},
      {"0123456789abcdef\xFF", 16},
      {"0123456789abcdef0123456789abcdef\xC3", 32},
      {"0123456789abcdef0123456789abcdef\xC3\xA9", kValid},
  };
  for (const Row& row : rows) {
    INFO("row bytes: " << row.bytes);
    CHECK(FindInvalidUtf8(row.bytes) == row.expected);
  }
}

TEST_CASE("Reader: FindInvalidUtf8 agrees with Unicode on every code point",
          "[read]") {
  size_t mismatches = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    // A 9-byte ASCII prefix puts the sequence past the fast path's first word.
    const std::string bytes = "123456789" + Encode(cp);
    const size_t expected = surrogate ? 9 : std::string_view::npos;
    if (FindInvalidUtf8(bytes) != expected) ++mismatches;
  }
  CHECK(mismatches == 0);
  // No lead byte outside C2..F4 starts a sequence.
  for (int b : {0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xF8, 0xFC, 0xFF}) {
    const std::string bytes = {static_cast<char>(b), '\x80', '\x80', '\x80'};
    CHECK(FindInvalidUtf8(bytes) == 0);
  }
}

}  // namespace
}  // namespace extract
