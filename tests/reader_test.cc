// Tests for stage 1 (read): path expansion, --files-from lists, reading
// files and stdin, the decoders behind --encoding (table tests), --max-bytes,
// and JSON Lines records, including every error the reader can return.
#include "extract/reader.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "support/utf8.h"

namespace extract {
namespace {

namespace fs = std::filesystem;

constexpr char kBom[] = "\xEF\xBB\xBF";
// What strict UTF-8 errors add to the offset.
constexpr char kHint[] =
    " (if the text is Latin-1 or Windows-1252, use --encoding auto)";

using testing::TempDir;
using testing::EncodeUtf8;

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

  const std::vector<InputItem> items = ExpandPaths({dir.path()});
  const std::string root = dir.path() + "/";
  CHECK(Paths(items) ==
        std::vector<std::string>{root + "B.txt", root + "a.txt", root + "b.txt",
                                 root + "dir.txt/f.txt", root + "sub/c.txt",
                                 root + "sub/deeper/d.txt"});
  for (const InputItem& item : items) CHECK(item.status.ok());

  SECTION("a trailing slash does not double the separator") {
    CHECK(Paths(ExpandPaths({dir.path() + "/"})) == Paths(items));
  }
  SECTION("the result is the same on every call") {
    CHECK(Paths(ExpandPaths({dir.path()})) == Paths(items));
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
    CHECK(doc.status().message() ==
          path + ": invalid UTF-8 at byte 10" + kHint);
  }
  SECTION("invalid UTF-8 after a BOM counts the BOM's bytes") {
    const std::string path =
        dir.Write("bom_bad.txt", std::string(kBom) + "ab\xFF");
    Result<Document> doc = ReadDocument(path);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().offset() == 5);
    CHECK(doc.status().message() == path + ": invalid UTF-8 at byte 5" + kHint);
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
    StdinFrom in("ok \xC0\x80");
    Result<Document> doc = ReadDocument("-");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().offset() == 3);
    CHECK(doc.status().message() ==
          std::string("stdin: invalid UTF-8 at byte 3") + kHint);
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
  CHECK(bad.status().message() ==
        std::string("feed.jsonl:4: invalid UTF-8 at byte 3") + kHint);
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
    const std::string bytes = "123456789" + EncodeUtf8(cp);
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

// --- Decoding (issue 5) --------------------------------------------------

TEST_CASE("Reader: ParseEncoding accepts the documented names", "[read]") {
  struct Row {
    std::string name;
    Encoding expected;
  };
  const std::vector<Row> rows = {
      {"utf-8", Encoding::kUtf8},
      {"UTF8", Encoding::kUtf8},
      {"auto", Encoding::kAuto},
      {"latin1", Encoding::kLatin1},
      {"Latin-1", Encoding::kLatin1},
      {"ISO-8859-1", Encoding::kLatin1},
      {"windows-1252", Encoding::kWindows1252},
      {"cp1252", Encoding::kWindows1252},
      {"utf-16", Encoding::kUtf16},
      {"UTF-16LE", Encoding::kUtf16Le},
      {"utf-16be", Encoding::kUtf16Be},
  };
  for (const Row& row : rows) {
    INFO("name: " << row.name);
    Result<Encoding> parsed = ParseEncoding(row.name);
    REQUIRE(parsed.ok());
    CHECK(*parsed == row.expected);
  }
  for (const char* bad : {"", "utf-32", "latin9", "ascii", "auto "}) {
    INFO("name: " << bad);
    Result<Encoding> parsed = ParseEncoding(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kInvalidInput);
    CHECK_THAT(parsed.status().message(),
               Catch::StartsWith("unknown encoding '" + std::string(bad) +
                                 "'; expected utf-8, auto,"));
  }
}

// One row of the decoder table: the input bytes and the encoding asked for,
// then either the UTF-8 text and the encoding recorded, or the error
// message and its offset.
struct DecodeRow {
  std::string bytes;
  Encoding encoding;
  std::string text;      // expected text when ok
  std::string recorded;  // expected DecodedText::encoding, "" for an error
  std::string error;     // expected message when not ok
  int64_t offset;
};

DecodeRow Ok(std::string bytes, Encoding encoding, std::string text,
             std::string recorded) {
  return {std::move(bytes),    encoding, std::move(text),
          std::move(recorded), "",       -1};
}

DecodeRow Error(std::string bytes, Encoding encoding, std::string error,
                int64_t offset) {
  return {std::move(bytes), encoding, "", "", std::move(error), offset};
}

void CheckDecodeRows(const std::vector<DecodeRow>& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const DecodeRow& row = rows[i];
    INFO("row " << i << ", expecting "
                << (row.recorded.empty() ? row.error : row.text));
    Result<DecodedText> decoded = DecodeText(row.bytes, row.encoding);
    if (row.recorded.empty()) {
      REQUIRE_FALSE(decoded.ok());
      CHECK(decoded.status().code() == StatusCode::kInvalidInput);
      CHECK(decoded.status().message() == row.error);
      CHECK(decoded.status().offset() == row.offset);
    } else {
      REQUIRE(decoded.ok());
      CHECK(decoded->text == row.text);
      CHECK(decoded->encoding == row.recorded);
      CHECK(FindInvalidUtf8(decoded->text) == std::string_view::npos);
    }
  }
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

TEST_CASE("Reader: DecodeText, strict UTF-8 (the default)", "[read]") {
  const std::string hint = kHint;
  CheckDecodeRows({
      // Valid UTF-8 is kept byte for byte; a BOM stays and is recorded.
      Ok("Tonka", Encoding::kUtf8, "Tonka", "utf-8"),
      Ok("Ciss\xC3\xA9", Encoding::kUtf8, "Ciss\xC3\xA9", "utf-8"),
      Ok(std::string(kBom) + "Gao", Encoding::kUtf8, std::string(kBom) + "Gao",
         "utf-8-bom"),
      Ok("a\r\nb\r\n", Encoding::kUtf8, "a\r\nb\r\n", "utf-8"),  // CRLF kept
      // Latin-1 and Windows-1252 bytes: the offset and the hint.
      Error("Caf\xE9", Encoding::kUtf8, "invalid UTF-8 at byte 3" + hint, 3),
      Error("\x93quoted\x94", Encoding::kUtf8, "invalid UTF-8 at byte 0" + hint,
            0),
      // A NUL byte: binary, wherever it is and whatever follows.
      Error(std::string("ab\0cd", 5), Encoding::kUtf8,
            "binary file: NUL byte at offset 2", 2),
      Error(std::string("\xE9\0", 2), Encoding::kUtf8,
            "binary file: NUL byte at offset 1", 1),
      // UTF-16 is named, not reported as bad UTF-8.
      Error(
          Bytes({0xFF, 0xFE, 'H', 0, 'i', 0}), Encoding::kUtf8,
          "UTF-16 text (byte-order mark FF FE), not UTF-8: use --encoding auto "
          "or --encoding utf-16",
          0),
      Error(
          std::string("\xFE\xFF\0H", 4), Encoding::kUtf8,
          "UTF-16 text (byte-order mark FE FF), not UTF-8: use --encoding auto "
          "or --encoding utf-16",
          0),
  });
}

TEST_CASE("Reader: DecodeText, --encoding auto", "[read]") {
  CheckDecodeRows({
      // Valid UTF-8 stays UTF-8, with or without a BOM.
      Ok("Ciss\xC3\xA9", Encoding::kAuto, "Ciss\xC3\xA9", "utf-8"),
      Ok(std::string(kBom) + "Gao", Encoding::kAuto, std::string(kBom) + "Gao",
         "utf-8-bom"),
      // Otherwise Windows-1252, which reads printable Latin-1 the same way.
      Ok("Caf\xE9 \xA3"
         "15.8m",
         Encoding::kAuto,
         "Caf\xC3\xA9 \xC2\xA3"
         "15.8m",
         "windows-1252"),
      Ok("\x93Oui\x94 \x80"
         "5 \x85",
         Encoding::kAuto,
         "\xE2\x80\x9COui\xE2\x80\x9D \xE2\x82\xAC"
         "5 \xE2\x80\xA6",
         "windows-1252"),
      Ok("\x81\x8D\x8F\x90\x9D", Encoding::kAuto,  // undefined in 1252: C1
         "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D", "windows-1252"),
      Ok("a\r\n\xE9\r\n", Encoding::kAuto, "a\r\n\xC3\xA9\r\n", "windows-1252"),
      // UTF-16 with a BOM; the BOM stays as U+FEFF.
      Ok(Bytes({0xFF, 0xFE, 'H', 0, 0xE9, 0, 0xAC, 0x20}), Encoding::kAuto,
         "\xEF\xBB\xBFH\xC3\xA9\xE2\x82\xAC", "utf-16le"),
      Ok(Bytes({0xFE, 0xFF, 0, 'H', 0, 0xE9, 0xD8, 0x3D, 0xDE, 0x00}),
         Encoding::kAuto, "\xEF\xBB\xBFH\xC3\xA9\xF0\x9F\x98\x80", "utf-16be"),
      Ok(Bytes({0xFF, 0xFE, '\r', 0, '\n', 0}), Encoding::kAuto,
         "\xEF\xBB\xBF\r\n", "utf-16le"),
      // Errors.
      Error(std::string("ab\0", 3), Encoding::kAuto,
            "binary file: NUL byte at offset 2", 2),
      Error(std::string(kBom) + "ab\xE9", Encoding::kAuto,
            "invalid UTF-8 at byte 5 (after a UTF-8 byte-order mark)", 5),
      Error(Bytes({0xFF, 0xFE, 'H', 0, 0, 0}), Encoding::kAuto,
            "binary file: NUL byte at offset 4", 4),
      Error(Bytes({0xFF, 0xFE, 'H', 0, 0x3D, 0xD8, '!', 0}), Encoding::kAuto,
            "invalid UTF-16 at byte 4: unpaired high surrogate U+D83D", 4),
      Error(Bytes({0xFF, 0xFE, 0x3D, 0xD8}), Encoding::kAuto,
            "invalid UTF-16 at byte 2: unpaired high surrogate U+D83D", 2),
      Error(Bytes({0xFE, 0xFF, 0xDE, 0x00, 0, 'x'}), Encoding::kAuto,
            "invalid UTF-16 at byte 2: unpaired low surrogate U+DE00", 2),
      Error(Bytes({0xFE, 0xFF, 0, 'H', 0}), Encoding::kAuto,
            "invalid UTF-16 at byte 4: odd number of bytes (5)", 4),
  });
}

TEST_CASE("Reader: DecodeText, explicit encodings", "[read]") {
  CheckDecodeRows({
      // Latin-1: every byte is its own code point, 0x80..0x9F included.
      Ok("Caf\xE9 \x80\x9F\xFF", Encoding::kLatin1,
         "Caf\xC3\xA9 \xC2\x80\xC2\x9F\xC3\xBF", "latin-1"),
      // Latin-1 is not guessed: UTF-8 bytes are read as Latin-1 too.
      Ok("\xC3\xA9", Encoding::kLatin1, "\xC3\x83\xC2\xA9", "latin-1"),
      Ok("\x80", Encoding::kWindows1252, "\xE2\x82\xAC", "windows-1252"),
      Error(std::string("a\0", 2), Encoding::kLatin1,
            "binary file: NUL byte at offset 1", 1),
      Error(std::string("a\0", 2), Encoding::kWindows1252,
            "binary file: NUL byte at offset 1", 1),
      // UTF-16 needs its BOM; utf-16le / utf-16be do not.
      Ok(Bytes({0xFF, 0xFE, 'a', 0}), Encoding::kUtf16,
         "\xEF\xBB\xBF"
         "a",
         "utf-16le"),
      Ok(Bytes({0xFE, 0xFF, 0, 'a'}), Encoding::kUtf16,
         "\xEF\xBB\xBF"
         "a",
         "utf-16be"),
      Error(Bytes({'a', 0}), Encoding::kUtf16,
            "invalid UTF-16 at byte 0: no byte-order mark (use --encoding "
            "utf-16le or utf-16be)",
            0),
      Ok(Bytes({'a', 0, 0xE9, 0}), Encoding::kUtf16Le, "a\xC3\xA9", "utf-16le"),
      Ok(Bytes({0, 'a', 0, 0xE9}), Encoding::kUtf16Be, "a\xC3\xA9", "utf-16be"),
      Error(Bytes({0, 'a', 0, 0}), Encoding::kUtf16Be,
            "binary file: NUL byte at offset 2", 2),
  });
}

TEST_CASE("Reader: Windows-1252 decodes 0x80..0xFF as Windows does", "[read]") {
  // Code points of 0x80..0x9F; the five bytes 1252 leaves undefined keep
  // their Latin-1 (C1 control) meaning.
  const uint32_t high[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
      0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  for (int b = 0x80; b <= 0xFF; ++b) {
    INFO("byte " << b);
    const uint32_t expected =
        b < 0xA0 ? high[b - 0x80] : static_cast<uint32_t>(b);
    Result<DecodedText> w = DecodeText(Bytes({b}), Encoding::kWindows1252);
    REQUIRE(w.ok());
    CHECK(w->text == EncodeUtf8(expected));
    Result<DecodedText> l = DecodeText(Bytes({b}), Encoding::kLatin1);
    REQUIRE(l.ok());
    CHECK(l->text == EncodeUtf8(static_cast<uint32_t>(b)));
  }
}

TEST_CASE("Reader: UTF-16 round-trips every code point", "[read]") {
  std::string le = "\xFF\xFE", be = "\xFE\xFF", utf8 = kBom;
  for (uint32_t cp = 1; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 97)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    utf8 += EncodeUtf8(cp);
    uint16_t units[2];
    int n = 1;
    if (cp < 0x10000) {
      units[0] = static_cast<uint16_t>(cp);
    } else {
      units[0] = static_cast<uint16_t>(0xD800 + ((cp - 0x10000) >> 10));
      units[1] = static_cast<uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
      n = 2;
    }
    for (int k = 0; k < n; ++k) {
      le += static_cast<char>(units[k] & 0xFF);
      le += static_cast<char>(units[k] >> 8);
      be += static_cast<char>(units[k] >> 8);
      be += static_cast<char>(units[k] & 0xFF);
    }
  }
  Result<DecodedText> from_le = DecodeText(le, Encoding::kAuto);
  REQUIRE(from_le.ok());
  CHECK(from_le->text == utf8);
  Result<DecodedText> from_be = DecodeText(be, Encoding::kUtf16);
  REQUIRE(from_be.ok());
  CHECK(from_be->text == utf8);
}

TEST_CASE("Reader: MakeDocument applies ReadOptions", "[read]") {
  ReadOptions auto_options;
  auto_options.encoding = Encoding::kAuto;

  SECTION("the encoding used is recorded") {
    Result<Document> doc =
        MakeDocument("old.txt", "Caf\xE9\r\n\r\nTexte.", auto_options);
    REQUIRE(doc.ok());
    CHECK(doc->text == "Caf\xC3\xA9\r\n\r\nTexte.");
    CHECK(doc->encoding == "windows-1252");
    CHECK(doc->path == "old.txt");
  }
  SECTION("errors are prefixed with the name and keep the offset") {
    Result<Document> doc =
        MakeDocument("bin.txt", std::string("Head\0", 5), auto_options);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().message() ==
          "bin.txt: binary file: NUL byte at offset 4");
    CHECK(doc.status().offset() == 4);
  }
  SECTION("blank after decoding is empty") {
    Result<Document> doc = MakeDocument(
        "blank.txt", Bytes({0xFF, 0xFE, ' ', 0, '\n', 0}), auto_options);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().message() == "blank.txt: empty file (only white space)");
  }
  SECTION("more than max_bytes") {
    ReadOptions small;
    small.max_bytes = 4;
    Result<Document> doc = MakeDocument("-", "12345", small);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().message() == "stdin: 5 bytes exceeds --max-bytes 4");
    CHECK(MakeDocument("-", "1234", small).ok());
  }
}

TEST_CASE("Reader: ReadBytes refuses inputs over max_bytes", "[read]") {
  TempDir dir;
  const std::string path = dir.Write("big.txt", std::string(5000, 'x'));

  SECTION("a file: refused by its size, before reading") {
    Result<std::string> bytes = ReadBytes(path, 4096);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.status().code() == StatusCode::kInvalidInput);
    CHECK(bytes.status().message() ==
          path + ": 5000 bytes exceeds --max-bytes 4096");
    Result<std::string> fits = ReadBytes(path, 5000);
    REQUIRE(fits.ok());
    CHECK(fits->size() == 5000);
  }
  SECTION("stdin: drained and counted") {
    StdinFrom in(std::string(200000, 'y'));
    Result<std::string> bytes = ReadBytes("-", 100000);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.status().message() ==
          "stdin: 200000 bytes exceeds --max-bytes 100000");
  }
  SECTION("ReadDocument passes the limit on") {
    ReadOptions options;
    options.max_bytes = 10;
    Result<Document> doc = ReadDocument(path, options);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().message() ==
          path + ": 5000 bytes exceeds --max-bytes 10");
  }
  SECTION("the default is 16 MiB") {
    CHECK(ReadOptions().max_bytes == uint64_t{16} << 20);
  }
}

// --- Input lists (issue 5) -------------------------------------------------

std::vector<InputItem> Drain(InputList& list) {
  std::vector<InputItem> items;
  while (std::optional<InputItem> item = list.Next()) items.push_back(*item);
  return items;
}

TEST_CASE("Reader: InputList reads a --files-from list lazily", "[read]") {
  TempDir dir;
  const std::string a = dir.Write("a.txt", "a");
  const std::string b = dir.Write("sub/b.txt", "b");
  const std::string c = dir.Write("sub/c.txt", "c");
  const std::string list =
      dir.Write("list", "\n" + a + "\r\n  \n" + dir.Path("sub") + "\n" +
                            dir.Path("missing.txt") + "\n" + a);  // no final \n

  SECTION("paths first, then the list; blank lines skipped; CRLF") {
    InputList inputs({c});
    CHECK(inputs.total() == 1u);
    REQUIRE(inputs.AddListFile(list).ok());
    CHECK_FALSE(inputs.total().has_value());
    const std::vector<InputItem> items = Drain(inputs);
    CHECK(Paths(items) ==
          std::vector<std::string>{c, a, b, c, dir.Path("missing.txt"), a});
    CHECK(items[4].status.code() == StatusCode::kNotFound);
    CHECK_FALSE(inputs.Next().has_value());
  }
  SECTION("a list replaces the implicit stdin") {
    InputList inputs({});
    CHECK(inputs.total() == 1u);
    REQUIRE(inputs.AddListFile(list).ok());
    CHECK(Paths(Drain(inputs)).size() == 5);
  }
  SECTION("no paths and no list: stdin") {
    InputList inputs({});
    CHECK(Paths(Drain(inputs)) == std::vector<std::string>{"-"});
  }
  SECTION("a list from stdin; \"-\" in it is an error item") {
    StdinFrom in(a + "\n-\n" + b + "\n");
    InputList inputs({});
    REQUIRE(inputs.AddListFile("-").ok());
    const std::vector<InputItem> items = Drain(inputs);
    REQUIRE(items.size() == 3);
    CHECK(items[0].path == a);
    CHECK(items[1].status.code() == StatusCode::kInvalidInput);
    CHECK(items[1].status.message() ==
          "stdin:2: \"-\" cannot be read: stdin is the --files-from list");
    CHECK(items[2].path == b);
  }
  SECTION("a list that cannot be opened") {
    InputList inputs({});
    Status missing = inputs.AddListFile(dir.Path("nope"));
    CHECK(missing.code() == StatusCode::kNotFound);
    CHECK(missing.message() == dir.Path("nope") + ": no such file");
    InputList more({});
    Status directory = more.AddListFile(dir.path());
    CHECK(directory.code() == StatusCode::kIoError);
    CHECK(directory.message() == dir.path() + ": cannot read: Is a directory");
  }
  SECTION("directories are searched for the given extension") {
    dir.Write("feeds/x.jsonl", "{}");
    dir.Write("feeds/y.txt", "y");
    InputList inputs({dir.Path("feeds")}, ".jsonl");
    CHECK(Paths(Drain(inputs)) ==
          std::vector<std::string>{dir.Path("feeds/x.jsonl")});
  }
}

// --- JSON Lines (issue 5) ----------------------------------------------------

std::vector<JsonlLine> ReadLines(const std::string& path, uint64_t max_bytes) {
  Result<std::unique_ptr<JsonlReader>> reader =
      JsonlReader::Open(path, max_bytes);
  REQUIRE(reader.ok());
  std::vector<JsonlLine> lines;
  while (std::optional<JsonlLine> line = (*reader)->Next())
    lines.push_back(*line);
  return lines;
}

TEST_CASE("Reader: JsonlReader yields non-blank lines with their numbers",
          "[read]") {
  TempDir dir;
  const std::string long_line(3000, 'z');
  const std::string path =
      dir.Write("in.jsonl",
                "{\"a\":1}\r\n\n   \n{\"b\":2}\n" + long_line + "\n{\"c\":3}");

  const std::vector<JsonlLine> lines = ReadLines(path, 1000);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].bytes == "{\"a\":1}");  // "\r" dropped
  CHECK(lines[0].line == 1);
  CHECK(lines[0].Name() == path + ":1");
  CHECK(lines[1].bytes == "{\"b\":2}");
  CHECK(lines[1].line == 4);
  CHECK(lines[2].line == 5);  // too long: not kept, reported
  CHECK(lines[2].bytes.empty());
  CHECK(lines[2].size == 3000);
  CHECK(lines[2].status.message() ==
        path + ":5: 3000 bytes exceeds --max-bytes 1000");
  CHECK(lines[3].bytes == "{\"c\":3}");  // last line without "\n"
  CHECK(lines[3].line == 6);
  for (size_t i : {0, 1, 3}) CHECK(lines[i].status.ok());

  SECTION("size and bytes read") {
    Result<std::unique_ptr<JsonlReader>> reader = JsonlReader::Open(path, 1000);
    REQUIRE(reader.ok());
    CHECK((*reader)->size() == 3030u);
    while ((*reader)->Next()) {
    }
    CHECK((*reader)->bytes_read() == 3030u);
  }
  SECTION("stdin") {
    StdinFrom in("{\"x\":1}\n\n{\"y\":2}\n");
    const std::vector<JsonlLine> from_stdin = ReadLines("-", 1000);
    REQUIRE(from_stdin.size() == 2);
    CHECK(from_stdin[1].Name() == "stdin:3");
  }
  SECTION("open errors name the path") {
    Result<std::unique_ptr<JsonlReader>> missing =
        JsonlReader::Open(dir.Path("nope.jsonl"), 1000);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().message() ==
          dir.Path("nope.jsonl") + ": no such file");
  }
}

TEST_CASE("Reader: ParseJsonlLine", "[read]") {
  struct Row {
    std::string line;
    std::string id;     // expected id (also for errors)
    std::string text;   // expected text when ok
    std::string date;   // expected date when ok
    std::string error;  // expected message after "f.jsonl:7: ", or ""
  };
  const std::string big(2000, 'x');
  const std::vector<Row> rows = {
      {R"({"id":"a1","text":"Gunmen struck Gao."})", "a1", "Gunmen struck Gao.",
       "2024-01-01", ""},
      {R"({"id":42,"text":"T","date":"2024-11-12"})", "42", "T", "2024-11-12",
       ""},
      {R"({"id":-3,"text":"T","date":null})", "-3", "T", "2024-01-01", ""},
      {R"({"text":"T","date":"","extra":[1,2]})", "f.jsonl:7", "T",
       "2024-01-01", ""},
      {R"({"id":null,"text":"caf\u00e9 \ud83d\ude00\r\nx"})", "f.jsonl:7",
       "caf\xC3\xA9 \xF0\x9F\x98\x80\r\nx", "2024-01-01", ""},
      // Errors.
      {R"({"id":"a1","text":"unterminated)", "f.jsonl:7", "", "",
       "malformed JSON: column 32: syntax error while parsing value - invalid "
       "string: missing closing quote; last read: '\"unterminated'"},
      {"{\"id\":\"a\",\"text\":\"caf\xE9\"}", "f.jsonl:7", "", "",
       "malformed JSON: column 23: syntax error while parsing value - invalid "
       "string: ill-formed UTF-8 byte; last read: '\"caf\\xE9\"'"},
      {R"(["a"])", "f.jsonl:7", "", "",
       "expected a JSON object with a \"text\" string, got array"},
      {R"({"id":"b"})", "b", "", "",
       "expected a JSON object with a \"text\" string, got no \"text\""},
      {R"({"id":"b","text":5})", "b", "", "",
       "expected a JSON object with a \"text\" string, got a \"text\" number"},
      {R"({"id":1.5,"text":"T"})", "f.jsonl:7", "", "",
       "\"id\": expected a string or an integer, got number"},
      {R"({"id":"c","text":"T","date":"12/11/2024"})", "c", "", "",
       "\"date\": expected YYYY-MM-DD, got '12/11/2024'"},
      {R"({"id":"c","text":"T","date":20241112})", "c", "", "",
       "\"date\": expected YYYY-MM-DD, got number"},
      {R"({"id":"d","text":""})", "d", "", "", "empty text"},
      {R"({"id":"d","text":" \n\t"})", "d", "", "",
       "empty text (only white space)"},
      {R"({"id":"e","text":"ab\u0000"})", "e", "", "",
       "binary file: NUL byte at offset 2"},
      {"{\"id\":\"f\",\"text\":\"" + big + "\"}", "f", "", "",
       "2000 bytes exceeds --max-bytes 1000"},
  };
  for (const Row& row : rows) {
    INFO("line: " << row.line.substr(0, 80));
    JsonlLine line;
    line.file = "f.jsonl";
    line.line = 7;
    line.bytes = row.line;
    line.size = row.line.size();
    std::string id;
    Result<Document> doc = ParseJsonlLine(line, "2024-01-01", 1000, &id);
    CHECK(id == row.id);
    if (row.error.empty()) {
      REQUIRE(doc.ok());
      CHECK(doc->id == row.id);
      CHECK(doc->path.empty());
      CHECK(doc->text == row.text);
      CHECK(doc->date == row.date);
      CHECK(doc->encoding == "utf-8");
    } else {
      REQUIRE_FALSE(doc.ok());
      CHECK(doc.status().code() == StatusCode::kInvalidInput);
      CHECK(doc.status().message() == "f.jsonl:7: " + row.error);
    }
  }
  SECTION("a line the reader refused keeps its error") {
    JsonlLine line;
    line.file = "-";
    line.line = 2;
    line.status =
        Status::InvalidInput("stdin:2: 9 bytes exceeds --max-bytes 1");
    std::string id;
    Result<Document> doc = ParseJsonlLine(line, "", 1, &id);
    REQUIRE_FALSE(doc.ok());
    CHECK(id == "stdin:2");
    CHECK(doc.status().message() == "stdin:2: 9 bytes exceeds --max-bytes 1");
  }
}

}  // namespace
}  // namespace extract
