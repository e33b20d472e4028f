// Golden tests: runs the in-process pipeline on every samples/*.txt and
// tests/data/*.txt and compares the JSON with <name>.expected.json byte for
// byte. A <name>.date file beside an article gives its reference date.
// EXTRACT_UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "extract/json_writer.h"
#include "extract/pipeline.h"
#include "extract/reader.h"

namespace extract {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Pipeline& SharedPipeline() {
  static std::unique_ptr<Pipeline> pipeline = [] {
    PipelineOptions options;
    options.gazetteer_dir = EXTRACT_GAZETTEERS_DIR;
    auto p = Pipeline::Load(options);
    if (!p.ok()) FAIL(p.status().ToString());
    return std::move(*p);
  }();
  return *pipeline;
}

// (label for ids, absolute path) of every golden input.
std::vector<std::pair<std::string, fs::path>> GoldenInputs() {
  std::vector<std::pair<std::string, fs::path>> out;
  for (const char* sub : {"samples", "tests/data"}) {
    fs::path dir = fs::path(EXTRACT_SOURCE_DIR) / sub;
    if (!fs::is_directory(dir)) continue;
    for (const auto& de : fs::directory_iterator(dir)) {
      if (de.path().extension() == ".txt") {
        out.emplace_back(std::string(sub) + "/" + de.path().filename().string(),
                         de.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What `extract` writes for one input (MakeDocument keeps the relative
// label as id and path, so the output does not depend on the checkout).
std::string Render(const std::string& label, const fs::path& path) {
  auto doc = MakeDocument(label, Slurp(path));
  DocumentResult result;
  if (!doc.ok()) {
    result = MakeErrorResult(label, doc.status());
  } else {
    fs::path date = path;
    date.replace_extension(".date");
    if (fs::exists(date)) {
      std::string d = Slurp(date);
      while (!d.empty() && (d.back() == '\n' || d.back() == ' ')) d.pop_back();
      doc->date = d;
    }
    result = SharedPipeline().Process(std::move(*doc));
  }
  return ToJson(result, JsonStyle::kPretty) + "\n";
}

fs::path ExpectedPath(const fs::path& input) {
  fs::path p = input;
  p.replace_extension(".expected.json");
  return p;
}

TEST_CASE("Golden: every sample matches its expected output", "[golden]") {
  const bool update = std::getenv("EXTRACT_UPDATE_GOLDEN") != nullptr;
  const auto inputs = GoldenInputs();
  REQUIRE(!inputs.empty());
  for (const auto& [label, path] : inputs) {
    SECTION(label) {
      const std::string actual = Render(label, path);
      const fs::path expected_path = ExpectedPath(path);
      if (update) {
        std::ofstream(expected_path, std::ios::binary) << actual;
      }
      REQUIRE(fs::exists(expected_path));
      const std::string expected = Slurp(expected_path);
      // Compare line by line first, for a readable failure.
      std::istringstream a(actual), e(expected);
      std::string la, le;
      int line = 0;
      while (true) {
        ++line;
        bool ga = static_cast<bool>(std::getline(a, la));
        bool ge = static_cast<bool>(std::getline(e, le));
        if (!ga && !ge) break;
        INFO(expected_path.string() << ":" << line);
        REQUIRE(la == le);
      }
      CHECK(actual == expected);
    }
  }
}

TEST_CASE("Golden: output is the same on every run", "[golden]") {
  for (const auto& [label, path] : GoldenInputs()) {
    INFO(label);
    CHECK(Render(label, path) == Render(label, path));
  }
}

TEST_CASE("Golden: every expected output validates against the JSON Schema",
          "[golden][schema]") {
  if (std::system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    WARN("python3-jsonschema is not installed; schema validation skipped");
    return;
  }
  std::string cmd = std::string("/usr/bin/python3 ") + EXTRACT_SOURCE_DIR +
                    "/tests/validate_schema.py " + EXTRACT_SOURCE_DIR +
                    "/docs/extract.schema.json";
  int n = 0;
  for (const auto& [label, path] : GoldenInputs()) {
    cmd += " " + ExpectedPath(path).string();
    ++n;
  }
  REQUIRE(n > 0);
  CHECK(std::system(cmd.c_str()) == 0);
}

// Every span in the JSON (mentions, triggers, dates) has `text` equal to
// the input at its byte offsets and at its code-point offsets.
TEST_CASE("Golden: every span's text is the input at its offsets",
          "[golden]") {
  // Not a structured binding: clang 14 (the sanitizer build) cannot capture
  // one in the lambda below.
  for (const auto& input : GoldenInputs()) {
    const std::string& label = input.first;
    const fs::path& path = input.second;
    const std::string text = Slurp(path);
    auto doc = MakeDocument(label, text);
    if (!doc.ok()) continue;
    const auto json = nlohmann::json::parse(
        ToJson(SharedPipeline().Process(std::move(*doc)), JsonStyle::kLine));
    // The input as code points, and the byte offset of each.
    std::vector<size_t> cp_start;
    for (size_t i = 0; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        cp_start.push_back(i);
      }
    }
    cp_start.push_back(text.size());
    size_t checked = 0;
    auto check_span = [&](const nlohmann::json& span) {
      const size_t b = span.at("start"), e = span.at("end");
      const size_t cb = span.at("char_start"), ce = span.at("char_end");
      const std::string t = span.at("text");
      INFO(label << " span " << b << ".." << e << " '" << t << "'");
      REQUIRE(e <= text.size());
      REQUIRE(ce < cp_start.size());
      CHECK(text.substr(b, e - b) == t);
      CHECK(text.substr(cp_start[cb], cp_start[ce] - cp_start[cb]) == t);
      ++checked;
    };
    for (const auto& entity : json.at("entities")) {
      for (const auto& m : entity.at("mentions")) check_span(m);
    }
    for (const auto& ev : json.at("events")) check_span(ev.at("trigger"));
    for (const auto& d : json.at("dates")) check_span(d);
    if (!json.at("entities").empty()) CHECK(checked > 0);
  }
}

}  // namespace
}  // namespace extract
