// Scoring extraction against gold annotations: gold readers, the entity
// scorer (exact and lenient, conlleval chunks for CoNLL), the ACLED
// main-event scorer, and the reports. See eval.h for the definitions.
#include "eval.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "extract/reader.h"
#include "normalizer.h"

namespace extract {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<EntityType, 3> kTypes = {
    EntityType::kPerson, EntityType::kPlace, EntityType::kGroup};

size_t Index(EntityType type) { return static_cast<size_t>(type); }

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

uint32_t CodePointCount(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += IsContinuation(c) ? 0 : 1;
  return n;
}

// Byte offset of every code point of `text`, plus text.size() at the end.
std::vector<uint32_t> CodePointStarts(std::string_view text) {
  std::vector<uint32_t> starts;
  starts.reserve(text.size() + 1);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (!IsContinuation(text[i])) starts.push_back(i);
  }
  starts.push_back(static_cast<uint32_t>(text.size()));
  return starts;
}

// text[start, end) in code points; `starts` from CodePointStarts(text).
std::string_view SliceCodePoints(std::string_view text,
                                 const std::vector<uint32_t>& starts,
                                 uint32_t start, uint32_t end) {
  const uint32_t n = static_cast<uint32_t>(starts.size() - 1);
  start = std::min(start, n);
  end = std::clamp(end, start, n);
  return text.substr(starts[start], starts[end] - starts[start]);
}

std::string Where(std::string_view path, size_t line) {
  return std::string(path) + ":" + std::to_string(line) + ": ";
}

bool Overlaps(uint32_t s1, uint32_t e1, uint32_t s2, uint32_t e2) {
  return s1 < e2 && s2 < e1;
}

std::string_view TagType(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PER";
    case EntityType::kPlace:
      return "LOC";
    case EntityType::kGroup:
      return "ORG";
  }
  return "ORG";
}

// CoNLL labels: PER, LOC, ORG; anything else (MISC) is neutral.
std::optional<EntityType> ConllType(std::string_view label) {
  if (label == "PER") return EntityType::kPerson;
  if (label == "LOC") return EntityType::kPlace;
  if (label == "ORG") return EntityType::kGroup;
  return std::nullopt;
}

std::optional<EntityType> DwieType(std::string_view label) {
  if (label == "person") return EntityType::kPerson;
  if (label == "gpe" || label == "location") return EntityType::kPlace;
  if (label == "organization") return EntityType::kGroup;
  return std::nullopt;
}

// Splits a conlleval tag into prefix and type: "I-PER" -> {"I", "PER"},
// "O" -> {"O", ""}.
std::pair<std::string_view, std::string_view> SplitTag(std::string_view t) {
  if (t.empty() || t == "O") return {"O", ""};
  const size_t dash = t.find('-');
  if (dash == std::string_view::npos) return {t, ""};
  return {t.substr(0, dash), t.substr(dash + 1)};
}

bool ValidTag(std::string_view t) {
  if (t == "O") return true;
  return t.size() > 2 && t[1] == '-' &&
         std::string_view("BIES").find(t[0]) != std::string_view::npos;
}

// conlleval.pl endOfChunk / startOfChunk.
bool EndOfChunk(std::string_view pt, std::string_view t, std::string_view pty,
                std::string_view ty) {
  if (pt == "E" || pt == "S") return true;
  if ((pt == "B" || pt == "I") && (t == "B" || t == "S" || t == "O")) {
    return true;
  }
  return pt != "O" && pt != "." && pty != ty;
}

bool StartOfChunk(std::string_view pt, std::string_view t, std::string_view pty,
                  std::string_view ty) {
  if (t == "B" || t == "S") return true;
  if ((pt == "E" || pt == "S" || pt == "O") && (t == "E" || t == "I")) {
    return true;
  }
  return t != "O" && t != "." && pty != ty;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::string Percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", 100 * x);
  return buf;
}

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string PadRight(std::string s, size_t width) {
  const size_t n = CodePointCount(s);
  if (n < width) s.append(width - n, ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  const size_t n = CodePointCount(s);
  return n < width ? std::string(width - n, ' ') + s : s;
}

double Ratio(uint64_t a, uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

double Harmonic(double p, double r) {
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

const std::string* FindAttribute(const Entity& entity, std::string_view key) {
  if (!entity.canonical) return nullptr;
  for (const auto& a : entity.canonical->attributes) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

std::optional<double> ParseDouble(std::string_view s) {
  const std::string t = Trim(s);
  if (t.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  const std::string t = Trim(s);
  if (t.empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return v;
}

}  // namespace

// ---------------------------------------------------------------------------
// Gold readers

Result<GoldFormat> ParseGoldFormat(std::string_view name) {
  if (name == "conll") return GoldFormat::kConll;
  if (name == "conll-jsonl") return GoldFormat::kConllJsonl;
  if (name == "dwie") return GoldFormat::kDwie;
  if (name == "acled") return GoldFormat::kAcled;
  if (name == "gold") return GoldFormat::kGold;
  return Status::InvalidInput("unknown format '" + std::string(name) +
                              "': expected conll, conll-jsonl, dwie, acled "
                              "or gold");
}

std::string_view ToString(GoldFormat format) {
  switch (format) {
    case GoldFormat::kConll:
      return "conll";
    case GoldFormat::kConllJsonl:
      return "conll-jsonl";
    case GoldFormat::kDwie:
      return "dwie";
    case GoldFormat::kAcled:
      return "acled";
    case GoldFormat::kGold:
      return "gold";
  }
  return "gold";
}

Result<std::vector<GoldDocument>> ParseConll(std::string_view content,
                                             std::string_view path) {
  std::string base(path);
  if (const size_t slash = base.rfind('/'); slash != std::string::npos) {
    base = base.substr(slash + 1);
  }
  std::vector<GoldDocument> docs;
  GoldDocument doc;
  uint32_t sentence = 0;
  bool sentence_open = false;  // the current sentence has tokens
  uint32_t cp = 0;             // code points in doc.text

  auto finish = [&]() {
    if (doc.tokens.empty()) return;
    std::vector<std::string> tags;
    std::vector<uint32_t> sentences;
    for (const ConllToken& t : doc.tokens) {
      tags.push_back(t.tag);
      sentences.push_back(t.sentence);
    }
    for (const TagChunk& c : ConllChunks(tags, sentences)) {
      GoldSpan g;
      g.start = doc.tokens[c.begin].start;
      g.end = doc.tokens[c.end - 1].end;
      g.type = ConllType(c.type);
      g.label = c.type;
      doc.spans.push_back(std::move(g));
    }
    doc.id = base + "#" + std::to_string(docs.size());
    docs.push_back(std::move(doc));
    doc = GoldDocument();
  };

  size_t line_no = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    const std::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    std::vector<std::string_view> cols;
    for (size_t i = 0; i < line.size();) {
      while (i < line.size() &&
             (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
        ++i;
      }
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' &&
             line[j] != '\r') {
        ++j;
      }
      if (j > i) cols.push_back(line.substr(i, j - i));
      i = j;
    }
    if (cols.empty()) {
      if (sentence_open) ++sentence;
      sentence_open = false;
      continue;
    }
    if (cols[0] == "-DOCSTART-") {
      finish();
      sentence = 0;
      sentence_open = false;
      cp = 0;
      continue;
    }
    if (cols.size() < 2) {
      return Status::InvalidInput(Where(path, line_no) +
                                  "expected 'token ... tag' columns, found '" +
                                  std::string(line) + "'");
    }
    if (!ValidTag(cols.back())) {
      return Status::InvalidInput(Where(path, line_no) + "bad NER tag '" +
                                  std::string(cols.back()) +
                                  "': expected O or B-/I-/E-/S-TYPE");
    }
    if (FindInvalidUtf8(cols[0]) != std::string_view::npos) {
      return Status::InvalidInput(Where(path, line_no) + "invalid UTF-8");
    }
    if (!doc.tokens.empty()) {
      doc.text += sentence_open ? ' ' : '\n';
      ++cp;
    }
    ConllToken t;
    t.text = std::string(cols[0]);
    t.tag = std::string(cols.back());
    t.start = cp;
    cp += CodePointCount(t.text);
    t.end = cp;
    t.sentence = sentence;
    doc.text += t.text;
    doc.tokens.push_back(std::move(t));
    sentence_open = true;
  }
  finish();
  return docs;
}

Result<std::vector<GoldDocument>> ParseGoldJsonl(GoldFormat format,
                                                 std::string_view content,
                                                 std::string_view path) {
  std::vector<GoldDocument> docs;
  size_t line_no = 0;
  size_t pos = 0;
  const char* id_key = format == GoldFormat::kGold ? "id" : "doc_id";
  const char* list_key = format == GoldFormat::kDwie ? "mentions" : "entities";
  const char* type_key = format == GoldFormat::kDwie ? "coarse_type" : "type";
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    const std::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    const std::string where = Where(path, line_no);
    Json j;
    try {
      j = Json::parse(line);
    } catch (const std::exception& e) {
      return Status::InvalidInput(where + "malformed JSON: " + e.what());
    }
    if (!j.is_object()) {
      return Status::InvalidInput(where + "expected a JSON object");
    }
    GoldDocument doc;
    if (!j.contains(id_key) || !j[id_key].is_string()) {
      return Status::InvalidInput(where + "missing string \"" + id_key + "\"");
    }
    if (!j.contains("text") || !j["text"].is_string()) {
      return Status::InvalidInput(where + "missing string \"text\"");
    }
    doc.id = j[id_key].get<std::string>();
    doc.text = j["text"].get<std::string>();
    if (j.contains("date") && j["date"].is_string()) {
      doc.date = j["date"].get<std::string>();
    }
    if (!j.contains(list_key) || !j[list_key].is_array()) {
      return Status::InvalidInput(where + "missing array \"" + list_key + "\"");
    }
    const std::vector<uint32_t> starts = CodePointStarts(doc.text);
    const uint32_t length = static_cast<uint32_t>(starts.size() - 1);
    size_t k = 0;
    for (const Json& e : j[list_key]) {
      const std::string what =
          std::string(list_key) + "[" + std::to_string(k++) + "]: ";
      if (!e.is_object() || !e.contains("start") || !e.contains("end") ||
          !e["start"].is_number_unsigned() || !e["end"].is_number_unsigned()) {
        return Status::InvalidInput(where + what +
                                    "expected an object with integer "
                                    "\"start\" and \"end\"");
      }
      GoldSpan g;
      const uint64_t s = e["start"].get<uint64_t>();
      const uint64_t en = e["end"].get<uint64_t>();
      if (s >= en || en > length) {
        return Status::InvalidInput(
            where + what + "span [" + std::to_string(s) + ", " +
            std::to_string(en) + ") is empty or outside the text (" +
            std::to_string(length) + " code points)");
      }
      g.start = static_cast<uint32_t>(s);
      g.end = static_cast<uint32_t>(en);
      if (e.contains(type_key) && e[type_key].is_string()) {
        g.label = e[type_key].get<std::string>();
      }
      switch (format) {
        case GoldFormat::kConllJsonl:
          g.type = ConllType(g.label);
          break;
        case GoldFormat::kDwie:
          g.type = DwieType(g.label);
          break;
        default:
          if (g.label == "person") {
            g.type = EntityType::kPerson;
          } else if (g.label == "place") {
            g.type = EntityType::kPlace;
          } else if (g.label == "group") {
            g.type = EntityType::kGroup;
          } else if (g.label != "misc") {
            return Status::InvalidInput(
                where + what + "type '" + g.label +
                "': expected person, place, group or misc");
          }
          if (!e.contains("text") || !e["text"].is_string() ||
              e["text"].get<std::string>() !=
                  SliceCodePoints(doc.text, starts, g.start, g.end)) {
            return Status::InvalidInput(
                where + what + "\"text\" is not text[" + std::to_string(s) +
                ":" + std::to_string(en) + "] = '" +
                std::string(SliceCodePoints(doc.text, starts, g.start, g.end)) +
                "'");
          }
      }
      doc.spans.push_back(std::move(g));
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

Result<std::vector<GoldDocument>> ParseGold(GoldFormat format,
                                            std::string_view content,
                                            std::string_view path) {
  if (format == GoldFormat::kConll) return ParseConll(content, path);
  if (format == GoldFormat::kAcled) {
    return Status::InvalidInput(std::string(path) +
                                ": acled is scored by event, not by entity");
  }
  return ParseGoldJsonl(format, content, path);
}

// ---------------------------------------------------------------------------
// Entity scoring

std::vector<uint32_t> CodePointOffsets(std::string_view text) {
  std::vector<uint32_t> offsets(text.size() + 1);
  uint32_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    offsets[i] = n;
    if (!IsContinuation(text[i])) ++n;
  }
  offsets[text.size()] = n;
  // offsets[i] counts the code points starting before i; at a boundary that
  // is the code-point offset. Inside a character, point at the character.
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(text[i]) && offsets[i] > 0) offsets[i] -= 1;
  }
  return offsets;
}

std::vector<PredictedSpan> PredictedSpans(const DocumentResult& result,
                                          bool with_descriptors) {
  const std::vector<uint32_t> cp = CodePointOffsets(result.text);
  std::vector<PredictedSpan> out;
  for (const Entity& e : result.entities) {
    for (uint32_t mi : e.mentions) {
      if (mi >= result.mentions.size()) continue;
      const Mention& m = result.mentions[mi];
      if (m.role == MentionRole::kDescriptor && !with_descriptors) continue;
      if (m.span.end > result.text.size() || m.span.empty()) continue;
      PredictedSpan p;
      p.start = cp[m.span.begin];
      p.end = cp[m.span.end];
      p.type = e.type;
      p.role = m.role;
      p.source = m.source;
      out.push_back(std::move(p));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tuple(a.start, a.end, Index(a.type)) <
           std::tuple(b.start, b.end, Index(b.type));
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) {
                          return a.start == b.start && a.end == b.end &&
                                 a.type == b.type;
                        }),
            out.end());
  return out;
}

std::vector<std::string> TagTokens(const std::vector<ConllToken>& tokens,
                                   const std::vector<PredictedSpan>& predicted,
                                   size_t* dropped,
                                   std::vector<std::string>* sources) {
  std::vector<std::string> tags(tokens.size(), "O");
  if (sources != nullptr) sources->assign(tokens.size(), "");
  std::vector<const PredictedSpan*> order;
  for (const PredictedSpan& p : predicted) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) {
                     if (a->start != b->start) return a->start < b->start;
                     return a->end - a->start > b->end - b->start;
                   });
  size_t n_dropped = 0;
  for (const PredictedSpan* p : order) {
    // Tokens are in text order, so the overlapping ones are contiguous.
    auto first = std::partition_point(
        tokens.begin(), tokens.end(),
        [&](const ConllToken& t) { return t.end <= p->start; });
    auto last = first;
    while (last != tokens.end() && last->start < p->end) ++last;
    bool free = first != last;
    for (auto it = first; it != last && free; ++it) {
      free = tags[it - tokens.begin()] == "O";
    }
    if (!free) {
      ++n_dropped;
      continue;
    }
    for (auto it = first; it != last; ++it) {
      const size_t i = it - tokens.begin();
      tags[i] = std::string(it == first ? "B-" : "I-") +
                std::string(TagType(p->type));
      if (sources != nullptr) (*sources)[i] = p->source;
    }
  }
  if (dropped != nullptr) *dropped = n_dropped;
  return tags;
}

std::vector<TagChunk> ConllChunks(const std::vector<std::string>& tags,
                                  const std::vector<uint32_t>& sentences) {
  std::vector<TagChunk> out;
  std::string_view pt = "O", pty;
  int64_t start = -1;
  auto step = [&](std::string_view t, std::string_view ty, uint32_t i) {
    if (start >= 0 && EndOfChunk(pt, t, pty, ty)) {
      out.push_back({static_cast<uint32_t>(start), i, std::string(pty)});
      start = -1;
    }
    if (StartOfChunk(pt, t, pty, ty)) start = i;
    pt = t;
    pty = ty;
  };
  for (uint32_t i = 0; i < tags.size(); ++i) {
    if (i > 0 && sentences[i] != sentences[i - 1]) step("O", "", i);
    const auto [t, ty] = SplitTag(tags[i]);
    step(t, ty, i);
  }
  step("O", "", static_cast<uint32_t>(tags.size()));
  return out;
}

double NerCounts::Precision() const { return Ratio(correct, predicted); }
double NerCounts::Recall() const { return Ratio(correct, gold); }
double NerCounts::F1() const { return Harmonic(Precision(), Recall()); }
double NerCounts::LenientPrecision() const {
  return Ratio(lenient_predicted_correct, predicted);
}
double NerCounts::LenientRecall() const {
  return Ratio(lenient_gold_found, gold);
}
double NerCounts::LenientF1() const {
  return Harmonic(LenientPrecision(), LenientRecall());
}
NerCounts& NerCounts::operator+=(const NerCounts& o) {
  gold += o.gold;
  predicted += o.predicted;
  correct += o.correct;
  lenient_predicted_correct += o.lenient_predicted_correct;
  lenient_gold_found += o.lenient_gold_found;
  return *this;
}

NerCounts NerScores::Micro() const {
  NerCounts sum;
  for (const NerCounts& c : by_type) sum += c;
  return sum;
}

void ScoreDocument(const GoldDocument& doc,
                   const std::vector<PredictedSpan>& predicted,
                   NerScores* scores, std::vector<ScoringError>* errors) {
  using Key = std::tuple<uint32_t, uint32_t, size_t>;
  std::vector<const GoldSpan*> gold;
  std::vector<const GoldSpan*> neutral;
  std::set<Key> gold_keys;
  std::set<std::pair<uint32_t, uint32_t>> gold_extents;
  for (const GoldSpan& g : doc.spans) {
    if (!g.type) {
      neutral.push_back(&g);
      continue;
    }
    if (!gold_keys.insert({g.start, g.end, Index(*g.type)}).second) continue;
    gold.push_back(&g);
    gold_extents.insert({g.start, g.end});
  }
  std::vector<const PredictedSpan*> pred;
  std::set<Key> pred_keys;
  for (const PredictedSpan& p : predicted) {
    if (!pred_keys.insert({p.start, p.end, Index(p.type)}).second) continue;
    const bool on_neutral =
        std::any_of(neutral.begin(), neutral.end(), [&](const GoldSpan* n) {
          return Overlaps(p.start, p.end, n->start, n->end);
        });
    if (on_neutral && !gold_extents.count({p.start, p.end})) {
      ++scores->neutral_predictions;
      pred_keys.erase({p.start, p.end, Index(p.type)});
      continue;
    }
    pred.push_back(&p);
  }

  std::vector<uint32_t> starts;
  if (errors != nullptr) starts = CodePointStarts(doc.text);
  auto make_error = [&](bool fp, std::string cls, EntityType type, uint32_t s,
                        uint32_t e, std::string other, std::string source) {
    ++scores->error_classes[std::string(fp ? "fp " : "fn ") + cls];
    if (errors == nullptr) return;
    ScoringError err;
    err.document = doc.id;
    err.false_positive = fp;
    err.error_class = std::move(cls);
    err.type = type;
    err.start = s;
    err.end = e;
    err.text = std::string(SliceCodePoints(doc.text, starts, s, e));
    err.other = std::move(other);
    err.source = std::move(source);
    const uint32_t cs = s > 40 ? s - 40 : 0;
    err.context = std::string(SliceCodePoints(doc.text, starts, cs, s)) + "[[" +
                  err.text + "]]" +
                  std::string(SliceCodePoints(doc.text, starts, e, e + 40));
    errors->push_back(std::move(err));
  };
  auto describe = [&](EntityType type, uint32_t s, uint32_t e) {
    std::string d(ToString(type));
    if (errors != nullptr) {
      d += " '" + std::string(SliceCodePoints(doc.text, starts, s, e)) + "'";
    }
    return d;
  };

  for (const PredictedSpan* p : pred) {
    NerCounts& c = scores->by_type[Index(p->type)];
    ++c.predicted;
    if (gold_keys.count({p->start, p->end, Index(p->type)})) {
      ++c.correct;
      ++c.lenient_predicted_correct;
      continue;
    }
    const GoldSpan* same_span = nullptr;
    const GoldSpan* same_type = nullptr;
    const GoldSpan* any = nullptr;
    for (const GoldSpan* g : gold) {
      if (!Overlaps(p->start, p->end, g->start, g->end)) continue;
      if (g->start == p->start && g->end == p->end) same_span = g;
      if (*g->type == p->type && same_type == nullptr) same_type = g;
      if (any == nullptr) any = g;
    }
    if (same_type != nullptr) ++c.lenient_predicted_correct;
    const GoldSpan* other = same_span ? same_span : same_type ? same_type : any;
    make_error(
        true,
        same_span   ? "type"
        : same_type ? "boundary"
        : any       ? "boundary_type"
                    : "spurious",
        p->type, p->start, p->end,
        other ? "gold " + describe(*other->type, other->start, other->end) : "",
        p->source);
  }
  for (const GoldSpan* g : gold) {
    NerCounts& c = scores->by_type[Index(*g->type)];
    ++c.gold;
    if (pred_keys.count({g->start, g->end, Index(*g->type)})) {
      ++c.lenient_gold_found;
      continue;
    }
    const PredictedSpan* same_span = nullptr;
    const PredictedSpan* same_type = nullptr;
    const PredictedSpan* any = nullptr;
    for (const PredictedSpan* p : pred) {
      if (!Overlaps(p->start, p->end, g->start, g->end)) continue;
      if (g->start == p->start && g->end == p->end) same_span = p;
      if (*g->type == p->type && same_type == nullptr) same_type = p;
      if (any == nullptr) any = p;
    }
    if (same_type != nullptr) ++c.lenient_gold_found;
    const PredictedSpan* other = same_span   ? same_span
                                 : same_type ? same_type
                                             : any;
    make_error(
        false,
        same_span   ? "type"
        : same_type ? "boundary"
        : any       ? "boundary_type"
                    : "missed",
        *g->type, g->start, g->end,
        other ? "pred " + describe(other->type, other->start, other->end) : "",
        other ? other->source : "");
  }
}

NerEvalResult EvaluateNer(const Pipeline& pipeline,
                          const std::vector<GoldDocument>& documents,
                          const EvalOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  NerEvalResult r;
  size_t n = documents.size();
  if (options.limit > 0) n = std::min(n, options.limit);
  for (size_t d = 0; d < n; ++d) {
    const GoldDocument& doc = documents[d];
    ++r.scores.documents;
    r.scores.code_points += CodePointCount(doc.text);
    std::vector<PredictedSpan> predicted;
    auto made = MakeDocument(doc.id, doc.text);
    if (made.ok()) {
      made->date = doc.date;
      const DocumentResult result = pipeline.Process(std::move(*made));
      predicted = PredictedSpans(result, options.with_descriptors);
    }
    if (!doc.tokens.empty()) {
      size_t dropped = 0;
      std::vector<std::string> sources;
      const std::vector<std::string> tags =
          TagTokens(doc.tokens, predicted, &dropped, &sources);
      r.scores.dropped_predictions += dropped;
      std::vector<uint32_t> sentences;
      for (const ConllToken& t : doc.tokens) sentences.push_back(t.sentence);
      std::vector<PredictedSpan> chunked;
      for (const TagChunk& c : ConllChunks(tags, sentences)) {
        PredictedSpan p;
        p.start = doc.tokens[c.begin].start;
        p.end = doc.tokens[c.end - 1].end;
        p.type = c.type == "PER"   ? EntityType::kPerson
                 : c.type == "LOC" ? EntityType::kPlace
                                   : EntityType::kGroup;
        p.source = sources[c.begin];
        chunked.push_back(std::move(p));
      }
      predicted = std::move(chunked);
      if (options.conll_out) {
        r.conll_out += "-DOCSTART- O O\n\n";
        for (size_t i = 0; i < doc.tokens.size(); ++i) {
          if (i > 0 && doc.tokens[i].sentence != doc.tokens[i - 1].sentence) {
            r.conll_out += "\n";
          }
          r.conll_out += doc.tokens[i].text + " " + doc.tokens[i].tag + " " +
                         tags[i] + "\n";
        }
        r.conll_out += "\n";
      }
    }
    ScoreDocument(doc, predicted, &r.scores,
                  options.collect_errors ? &r.errors : nullptr);
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return r;
}

namespace {

std::string TimingLine(uint64_t documents, uint64_t code_points, double seconds,
                       double load_seconds) {
  return std::to_string(documents) + " documents, " +
         std::to_string(code_points) + " code points in " + Fixed(seconds, 2) +
         " s (" + Fixed(seconds > 0 ? documents / seconds : 0, 1) +
         " documents/s); pipeline load " + Fixed(load_seconds, 2) + " s\n";
}

Json CountsJson(const NerCounts& c) {
  Json j = Json::object();
  j["gold"] = c.gold;
  j["predicted"] = c.predicted;
  j["correct"] = c.correct;
  j["precision"] = c.Precision();
  j["recall"] = c.Recall();
  j["f1"] = c.F1();
  Json l = Json::object();
  l["predicted_correct"] = c.lenient_predicted_correct;
  l["gold_found"] = c.lenient_gold_found;
  l["precision"] = c.LenientPrecision();
  l["recall"] = c.LenientRecall();
  l["f1"] = c.LenientF1();
  j["lenient"] = std::move(l);
  return j;
}

std::string CountsRow(std::string_view name, const NerCounts& c) {
  return PadRight(std::string(name), 8) + PadLeft(std::to_string(c.gold), 7) +
         PadLeft(std::to_string(c.predicted), 7) +
         PadLeft(std::to_string(c.correct), 7) + "  |" +
         PadLeft(Percent(c.Precision()), 7) + PadLeft(Percent(c.Recall()), 7) +
         PadLeft(Percent(c.F1()), 7) + "  |" +
         PadLeft(Percent(c.LenientPrecision()), 7) +
         PadLeft(Percent(c.LenientRecall()), 7) +
         PadLeft(Percent(c.LenientF1()), 7) + "\n";
}

std::string TsvField(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\t' || c == '\r') {
      out += ' ';
    } else if (c == '\n') {
      out += " | ";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string FormatNerText(const NerEvalResult& result, std::string_view title,
                          double load_seconds, bool with_descriptors) {
  const NerScores& s = result.scores;
  std::string out = "extract eval: " + std::string(title) + "\n";
  out += TimingLine(s.documents, s.code_points, result.seconds, load_seconds);
  out += std::string("predicted mentions: every role") +
         (with_descriptors ? "" : " except descriptor") + "\n\n";
  out +=
      "                               |       exact (%)       "
      "|      lenient (%)\n";
  out +=
      "type       gold   pred   corr  |      P      R     F1  |"
      "      P      R     F1\n";
  for (EntityType t : kTypes)
    out += CountsRow(ToString(t), s.by_type[Index(t)]);
  out += CountsRow("micro", s.Micro());
  out += "\nleft out: " + std::to_string(s.neutral_predictions) +
         " predictions overlapping unscored gold (MISC etc.)";
  if (s.dropped_predictions > 0) {
    out += ", " + std::to_string(s.dropped_predictions) +
           " sharing a CoNLL token with a longer prediction";
  }
  out += "\n";
  if (!s.error_classes.empty()) {
    out += "errors by class:";
    for (const auto& [cls, n] : s.error_classes) {
      out += " " + cls + " " + std::to_string(n) + ";";
    }
    out.back() = '\n';
  }
  return out;
}

std::string FormatNerJson(const NerEvalResult& result, std::string_view format,
                          std::string_view file, double load_seconds,
                          bool with_descriptors) {
  const NerScores& s = result.scores;
  Json j = Json::object();
  j["format"] = format;
  j["file"] = file;
  j["documents"] = s.documents;
  j["code_points"] = s.code_points;
  j["seconds"] = result.seconds;
  j["documents_per_second"] =
      result.seconds > 0 ? s.documents / result.seconds : 0.0;
  j["load_seconds"] = load_seconds;
  j["with_descriptors"] = with_descriptors;
  Json types = Json::object();
  for (EntityType t : kTypes) {
    types[std::string(ToString(t))] = CountsJson(s.by_type[Index(t)]);
  }
  j["types"] = std::move(types);
  j["micro"] = CountsJson(s.Micro());
  j["neutral_predictions"] = s.neutral_predictions;
  j["dropped_predictions"] = s.dropped_predictions;
  j["error_classes"] = s.error_classes;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string FormatNerErrors(const std::vector<ScoringError>& errors) {
  std::string out =
      "document\terror\tclass\ttype\tstart\tend\ttext\tother\tsource\t"
      "context\n";
  for (const ScoringError& e : errors) {
    out += TsvField(e.document) + "\t" + (e.false_positive ? "fp" : "fn") +
           "\t" + e.error_class + "\t" + std::string(ToString(e.type)) + "\t" +
           std::to_string(e.start) + "\t" + std::to_string(e.end) + "\t" +
           TsvField(e.text) + "\t" + TsvField(e.other) + "\t" +
           TsvField(e.source) + "\t" + TsvField(e.context) + "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------
// ACLED

namespace {

// Splits CSV text into records of fields (RFC 4180: quoted fields may hold
// commas, newlines and doubled quotes). `lines` receives each record's
// first line number.
Status SplitCsv(std::string_view content, std::string_view path,
                std::vector<std::vector<std::string>>* records,
                std::vector<size_t>* lines) {
  size_t line = 1;
  size_t i = 0;
  while (i < content.size()) {
    std::vector<std::string> fields;
    const size_t record_line = line;
    std::string field;
    bool end_of_record = false;
    while (!end_of_record) {
      field.clear();
      if (i < content.size() && content[i] == '"') {
        const size_t quote_line = line;
        ++i;
        while (true) {
          if (i >= content.size()) {
            return Status::InvalidInput(Where(path, quote_line) +
                                        "quoted field is not closed");
          }
          const char c = content[i++];
          if (c == '"') {
            if (i < content.size() && content[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        if (i < content.size() && content[i] == '\r') ++i;
        if (i < content.size() && content[i] != ',' && content[i] != '\n') {
          return Status::InvalidInput(Where(path, line) +
                                      "text after a closing quote");
        }
      } else {
        while (i < content.size() && content[i] != ',' && content[i] != '\n') {
          field += content[i++];
        }
        if (!field.empty() && field.back() == '\r') field.pop_back();
      }
      fields.push_back(field);
      if (i >= content.size()) {
        end_of_record = true;
      } else if (content[i] == ',') {
        ++i;
      } else {  // '\n'
        ++i;
        ++line;
        end_of_record = true;
      }
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    records->push_back(std::move(fields));
    lines->push_back(record_line);
  }
  return Status::Ok();
}

const std::array<std::string_view, 6> kAcledEventTypes = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments"};
const std::array<std::string_view, 6> kAcledShort = {"BAT", "ERV", "VAC",
                                                     "PRO", "RIO", "SD"};

bool CurrentEventType(std::string_view t) {
  return std::find(kAcledEventTypes.begin(), kAcledEventTypes.end(), t) !=
         kAcledEventTypes.end();
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// 1-12 for a month name or its three-letter abbreviation (any case), else 0.
int MonthNumber(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (lower == kMonths[m] ||
        (lower.size() == 3 && kMonths[m].substr(0, 3) == lower) ||
        (lower == "sept" && m == 8)) {
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

std::string NormalizeActor(std::string_view actor) {
  return MatchKey(Trim(StripActorPeriod(Trim(actor))));
}

std::vector<std::string> SplitAssoc(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t semi = s.find(';', pos);
    if (semi == std::string_view::npos) semi = s.size();
    std::string part = Trim(s.substr(pos, semi - pos));
    if (!part.empty()) out.push_back(std::move(part));
    pos = semi + 1;
  }
  return out;
}

// The words of MatchKey(name): case and diacritics folded, split at spaces
// and punctuation ("Moussa-Were" -> {"moussa", "were"}).
std::vector<std::string> KeyWords(std::string_view name) {
  const std::string key = MatchKey(name);
  std::vector<std::string> words;
  std::string w;
  for (char c : key) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      w += c;
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& x : words) out += x;
  return out;
}

// Place names compare without case, diacritics, spaces and punctuation
// ("Moussa Were" == "Moussa-Were", "Ségou" == "Segou").
std::string NormalizePlace(std::string_view name) {
  return Join(KeyWords(name));
}

// The same, and a trailing "region" or "province" dropped ("Ménaka Region"
// == "Menaka").
std::string NormalizeAdmin(std::string_view name) {
  std::vector<std::string> words = KeyWords(name);
  if (words.size() > 1 &&
      (words.back() == "region" || words.back() == "province")) {
    words.pop_back();
  }
  return Join(words);
}

bool ActorMatches(const std::string& predicted, const std::string& actor,
                  const std::string& assoc) {
  const std::string p = NormalizeActor(predicted);
  if (Trim(actor).empty() && p.empty()) return true;
  if (p.empty()) return false;
  if (p == NormalizeActor(actor)) return true;
  for (const std::string& a : SplitAssoc(assoc)) {
    if (p == NormalizeActor(a)) return true;
  }
  return false;
}

std::vector<std::string> NumberWords(int64_t n) {
  static constexpr std::array<std::string_view, 20> kSmall = {
      "zero",    "one",     "two",       "three",    "four",
      "five",    "six",     "seven",     "eight",    "nine",
      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static constexpr std::array<std::string_view, 10> kTens = {
      "",      "",      "twenty",  "thirty", "forty",
      "fifty", "sixty", "seventy", "eighty", "ninety"};
  if (n < 0 || n >= 100) return {};
  if (n < 20) return {std::string(kSmall[n])};
  if (n % 10 == 0) return {std::string(kTens[n / 10])};
  return {std::string(kTens[n / 10]), std::string(kSmall[n % 10])};
}

}  // namespace

Result<std::vector<AcledRow>> ParseAcledCsv(std::string_view content,
                                            std::string_view path) {
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  if (Status s = SplitCsv(content, path, &records, &lines); !s.ok()) return s;
  if (records.empty()) {
    return Status::InvalidInput(std::string(path) + ": empty CSV file");
  }
  const std::vector<std::string>& header = records[0];
  auto column = [&](std::string_view name) -> int {
    for (size_t i = 0; i < header.size(); ++i) {
      std::string h = header[i];
      if (i == 0 && h.rfind("\xEF\xBB\xBF", 0) == 0) h = h.substr(3);
      if (h == name) return static_cast<int>(i);
    }
    return -1;
  };
  for (std::string_view required : {"event_date", "event_type", "notes"}) {
    if (column(required) < 0) {
      return Status::InvalidInput(Where(path, lines[0]) + "no column '" +
                                  std::string(required) + "' in the header");
    }
  }
  const int c_id = column("event_id_cnty"), c_date = column("event_date"),
            c_type = column("event_type"), c_sub = column("sub_event_type"),
            c_a1 = column("actor1"), c_as1 = column("assoc_actor_1"),
            c_a2 = column("actor2"), c_as2 = column("assoc_actor_2"),
            c_adm = column("admin1"), c_loc = column("location"),
            c_lat = column("latitude"), c_lon = column("longitude"),
            c_fat = column("fatalities"), c_notes = column("notes");
  std::vector<AcledRow> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    const std::vector<std::string>& f = records[r];
    if (f.size() != header.size()) {
      return Status::InvalidInput(
          Where(path, lines[r]) + "expected " + std::to_string(header.size()) +
          " fields as in the header, found " + std::to_string(f.size()));
    }
    auto get = [&](int c) { return c < 0 ? std::string() : f[c]; };
    AcledRow row;
    row.line = lines[r];
    row.event_id = get(c_id);
    if (row.event_id.empty()) row.event_id = "row" + std::to_string(r);
    row.event_date = get(c_date);
    row.event_type = get(c_type);
    row.sub_event_type = get(c_sub);
    row.actor1 = get(c_a1);
    row.assoc_actor_1 = get(c_as1);
    row.actor2 = get(c_a2);
    row.assoc_actor_2 = get(c_as2);
    row.admin1 = get(c_adm);
    row.location = get(c_loc);
    row.latitude = ParseDouble(get(c_lat));
    row.longitude = ParseDouble(get(c_lon));
    row.fatalities = ParseInt(get(c_fat));
    row.notes = get(c_notes);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ParseAcledDate(std::string_view date) {
  const std::string d = Trim(date);
  std::vector<std::string> parts;
  const char sep = d.find('-') != std::string::npos ? '-' : ' ';
  size_t pos = 0;
  while (pos <= d.size()) {
    size_t next = d.find(sep, pos);
    if (next == std::string::npos) next = d.size();
    if (next > pos) parts.push_back(d.substr(pos, next - pos));
    pos = next + 1;
  }
  if (parts.size() != 3 || !AllDigits(parts[0]) || !AllDigits(parts[2])) {
    return "";
  }
  const int month = MonthNumber(parts[1]);
  if (month == 0 || parts[0].size() > 2) return "";
  const int day = std::stoi(parts[0]);
  int year = 0;
  if (parts[2].size() == 4) {
    year = std::stoi(parts[2]);
  } else if (parts[2].size() == 2 && sep == '-') {
    year = 2000 + std::stoi(parts[2]);
  } else {
    return "";
  }
  if (day < 1 || day > 31) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string StripActorPeriod(std::string_view actor) {
  std::string s = Trim(actor);
  if (s.empty() || s.back() != ')') return s;
  const size_t open = s.rfind('(');
  if (open == std::string::npos) return s;
  const std::string_view inner =
      std::string_view(s).substr(open + 1, s.size() - open - 2);
  const bool period =
      inner.size() >= 5 && AllDigits(inner.substr(0, 4)) && inner[4] == '-' &&
      (inner.size() == 5 || (inner.size() == 9 && AllDigits(inner.substr(5))));
  if (!period) return s;
  return Trim(std::string_view(s).substr(0, open));
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRadiusKm = 6371.0088;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

bool NoteStatesNumber(std::string_view note, int64_t n) {
  if (n < 1) return false;
  std::vector<std::string> words;
  std::string w;
  for (char c : note) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  const std::string digits = std::to_string(n);
  const std::vector<std::string> spelled = NumberWords(n);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == digits) {
      // "On 3 May" and "May 3" are dates, not counts; ACLED's Mali notes
      // end with "(coded as X at geoprecision 2)".
      const bool date = (i + 1 < words.size() && MonthNumber(words[i + 1])) ||
                        (i > 0 && MonthNumber(words[i - 1]));
      const bool geoprecision = i > 0 && words[i - 1] == "geoprecision";
      if (!date && !geoprecision) return true;
    }
    if (!spelled.empty() && i + spelled.size() <= words.size() &&
        std::equal(spelled.begin(), spelled.end(), words.begin() + i)) {
      return true;
    }
  }
  return false;
}

AcledPrediction PredictAcled(const DocumentResult& result) {
  AcledPrediction p;
  if (result.events.empty()) return p;
  // The main event is the most severe ACLED-coded one, as a coder reading
  // "detained and executed" codes the execution: explosions, then battles,
  // violence against civilians, riots, protests, strategic developments;
  // the first in the text among equals.
  auto severity = [](const std::string& type) {
    static const char* kOrder[] = {"Explosions/Remote violence", "Battles",
                                   "Violence against civilians", "Riots",
                                   "Protests", "Strategic developments"};
    for (int i = 0; i < 6; ++i) {
      if (type == kOrder[i]) return i;
    }
    return 6;
  };
  // Only events reported as having happened (or possibly so) compete when
  // an event ACLED codes is among them: a denied, negated, threatened,
  // planned or background event is not the note's event. Else every coded
  // event competes (a note is one coded event: "decided to organize a
  // sit-in"). A generic event (nothing in the text anchors it) still
  // happened: a note is one event, anchored by the row.
  auto reported = [](const Event& e) {
    return e.status == "asserted" || e.status == "claimed" ||
           e.status == "alleged" || e.status == "possible" ||
           e.status == "reported" || e.status == "generic";
  };
  const bool any_reported =
      std::any_of(result.events.begin(), result.events.end(),
                  [&](const Event& e) {
                    return reported(e) && !e.acled_event_type.empty();
                  });
  const Event* main = &result.events[0];
  if (any_reported) {
    main = &*std::find_if(result.events.begin(), result.events.end(),
                          reported);
  }
  int best = 7;
  for (const Event& e : result.events) {
    if (any_reported && !reported(e)) continue;
    if (e.acled_event_type.empty()) continue;
    const int s = severity(e.acled_event_type);
    if (s < best) {
      best = s;
      main = &e;
    }
  }
  p.has_event = true;
  p.event_type = main->acled_event_type;
  p.sub_event_type = main->acled_sub_event_type;
  if (main->trigger.end <= result.text.size()) {
    p.trigger = result.text.substr(main->trigger.begin, main->trigger.size());
  }
  auto actor = [&](const std::vector<uint32_t>& ids, std::string* acled,
                   std::string* name) {
    if (ids.empty() || ids[0] >= result.entities.size()) return;
    const Entity& e = result.entities[ids[0]];
    *name = e.name;
    if (const std::string* a = FindAttribute(e, "acled_actor")) *acled = *a;
  };
  actor(main->actors, &p.actor1, &p.actor1_name);
  actor(main->targets, &p.actor2, &p.actor2_name);
  if (!main->places.empty() && main->places[0] < result.entities.size()) {
    const Entity& place = result.entities[main->places[0]];
    p.location = place.name;
    p.place_texts.push_back(place.name);
    for (uint32_t mi : place.mentions) {
      if (mi >= result.mentions.size()) continue;
      const Span s = result.mentions[mi].span;
      if (s.end <= result.text.size()) {
        p.place_texts.push_back(result.text.substr(s.begin, s.size()));
      }
    }
    const std::string* feature = FindAttribute(place, "feature");
    if (feature != nullptr && *feature == "ADM1") {
      p.admin1 = place.name;
    } else if (const std::string* a = FindAttribute(place, "admin1")) {
      p.admin1 = *a;
    }
    const std::string* lat = FindAttribute(place, "lat");
    const std::string* lon = FindAttribute(place, "lon");
    if (lat != nullptr && lon != nullptr) {
      p.latitude = ParseDouble(*lat);
      p.longitude = ParseDouble(*lon);
      if (!p.latitude || !p.longitude) p.latitude = p.longitude = std::nullopt;
    }
  }
  if (main->date) p.date = main->date->value;
  p.fatalities = main->fatalities;
  return p;
}

std::string_view ToString(AcledField field) {
  switch (field) {
    case AcledField::kEventType:
      return "event_type";
    case AcledField::kSubEventType:
      return "sub_event_type";
    case AcledField::kActor1:
      return "actor1";
    case AcledField::kActor2:
      return "actor2";
    case AcledField::kLocation:
      return "location";
    case AcledField::kAdmin1:
      return "admin1";
    case AcledField::kCoordinates:
      return "coordinates";
    case AcledField::kDate:
      return "date";
    case AcledField::kFatalities:
      return "fatalities";
  }
  return "";
}

std::array<std::optional<bool>, kAcledFieldCount> ScoreAcledRow(
    const AcledRow& row, const AcledPrediction& p) {
  std::array<std::optional<bool>, kAcledFieldCount> out;
  auto set = [&](AcledField f, bool v) { out[static_cast<size_t>(f)] = v; };
  if (CurrentEventType(row.event_type)) {
    set(AcledField::kEventType, p.event_type == row.event_type);
    if (!Trim(row.sub_event_type).empty()) {
      set(AcledField::kSubEventType, p.sub_event_type == row.sub_event_type);
    }
  }
  set(AcledField::kActor1,
      ActorMatches(p.actor1, row.actor1, row.assoc_actor_1));
  set(AcledField::kActor2,
      ActorMatches(p.actor2, row.actor2, row.assoc_actor_2));
  const std::string location = NormalizePlace(row.location);
  set(AcledField::kLocation,
      !location.empty() &&
          std::any_of(p.place_texts.begin(), p.place_texts.end(),
                      [&](const std::string& t) {
                        return NormalizePlace(t) == location;
                      }));
  if (!Trim(row.admin1).empty()) {
    set(AcledField::kAdmin1,
        !p.admin1.empty() &&
            NormalizeAdmin(p.admin1) == NormalizeAdmin(row.admin1));
  }
  if (row.latitude && row.longitude) {
    set(AcledField::kCoordinates,
        p.latitude && p.longitude &&
            HaversineKm(*row.latitude, *row.longitude, *p.latitude,
                        *p.longitude) <= 25.0);
  }
  const std::string date = ParseAcledDate(row.event_date);
  if (!date.empty()) set(AcledField::kDate, p.date == date);
  if (row.fatalities && *row.fatalities >= 1 &&
      NoteStatesNumber(row.notes, *row.fatalities)) {
    set(AcledField::kFatalities, p.fatalities == row.fatalities);
  }
  return out;
}

namespace {

std::string GoldValue(const AcledRow& row, AcledField f) {
  switch (f) {
    case AcledField::kEventType:
      return row.event_type;
    case AcledField::kSubEventType:
      return row.sub_event_type;
    case AcledField::kActor1:
      return row.assoc_actor_1.empty()
                 ? row.actor1
                 : row.actor1 + " (assoc: " + row.assoc_actor_1 + ")";
    case AcledField::kActor2:
      return row.assoc_actor_2.empty()
                 ? row.actor2
                 : row.actor2 + " (assoc: " + row.assoc_actor_2 + ")";
    case AcledField::kLocation:
      return row.location;
    case AcledField::kAdmin1:
      return row.admin1;
    case AcledField::kCoordinates:
      return row.latitude && row.longitude
                 ? Fixed(*row.latitude, 4) + "," + Fixed(*row.longitude, 4)
                 : "";
    case AcledField::kDate:
      return ParseAcledDate(row.event_date);
    case AcledField::kFatalities:
      return row.fatalities ? std::to_string(*row.fatalities) : "";
  }
  return "";
}

std::string PredictedValue(const AcledPrediction& p, const AcledRow& row,
                           AcledField f) {
  auto actor = [](const std::string& acled, const std::string& name) {
    if (name.empty()) return std::string("(none)");
    if (acled.empty()) return "(no acled_actor) " + name;
    return acled;
  };
  switch (f) {
    case AcledField::kEventType:
      return p.has_event ? (p.event_type.empty() ? "(none: " + p.trigger + ")"
                                                 : p.event_type)
                         : "(no event)";
    case AcledField::kSubEventType:
      return p.sub_event_type;
    case AcledField::kActor1:
      return actor(p.actor1, p.actor1_name);
    case AcledField::kActor2:
      return actor(p.actor2, p.actor2_name);
    case AcledField::kLocation:
      return p.location.empty() ? "(none)" : p.location;
    case AcledField::kAdmin1:
      return p.admin1.empty() ? "(none) " + p.location : p.admin1;
    case AcledField::kCoordinates: {
      if (!p.latitude || !p.longitude) return "(none) " + p.location;
      std::string s = Fixed(*p.latitude, 4) + "," + Fixed(*p.longitude, 4) +
                      " " + p.location;
      if (row.latitude && row.longitude) {
        s += " (" +
             Fixed(HaversineKm(*row.latitude, *row.longitude, *p.latitude,
                               *p.longitude),
                   0) +
             " km)";
      }
      return s;
    }
    case AcledField::kDate:
      return p.date.empty() ? "(none)" : p.date;
    case AcledField::kFatalities:
      return p.fatalities ? std::to_string(*p.fatalities) : "(none)";
  }
  return "";
}

}  // namespace

AcledEvalResult EvaluateAcled(const Pipeline& pipeline,
                              const std::vector<AcledRow>& rows,
                              const EvalOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  AcledEvalResult r;
  size_t n = rows.size();
  if (options.limit > 0) n = std::min(n, options.limit);
  for (size_t i = 0; i < n; ++i) {
    const AcledRow& row = rows[i];
    ++r.scores.rows;
    r.scores.code_points += CodePointCount(row.notes);
    AcledPrediction p;
    auto made = MakeDocument(row.event_id, row.notes);
    if (made.ok()) {
      made->date = ParseAcledDate(row.event_date);
      p = PredictAcled(pipeline.Process(std::move(*made)));
    }
    if (!p.has_event) ++r.scores.rows_without_event;
    ++r.scores.confusion[row.event_type][p.event_type];
    const auto fields = ScoreAcledRow(row, p);
    for (size_t f = 0; f < kAcledFieldCount; ++f) {
      if (!fields[f]) continue;
      ++r.scores.scored[f];
      if (*fields[f]) {
        ++r.scores.correct[f];
      } else if (options.collect_errors) {
        const auto field = static_cast<AcledField>(f);
        r.errors.push_back({row.event_id, field, GoldValue(row, field),
                            PredictedValue(p, row, field), row.notes});
      }
    }
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return r;
}

std::string FormatAcledText(const AcledEvalResult& result,
                            std::string_view title, double load_seconds) {
  const AcledScores& s = result.scores;
  std::string out = "extract eval: " + std::string(title) + "\n";
  out += TimingLine(s.rows, s.code_points, result.seconds, load_seconds);
  out += "rows where extract found no event: " +
         std::to_string(s.rows_without_event) + "\n\n";
  out += "field            scored  correct  accuracy\n";
  for (size_t f = 0; f < kAcledFieldCount; ++f) {
    out += PadRight(std::string(ToString(static_cast<AcledField>(f))), 15) +
           PadLeft(std::to_string(s.scored[f]), 8) +
           PadLeft(std::to_string(s.correct[f]), 9) +
           PadLeft(Percent(Ratio(s.correct[f], s.scored[f])) + "%", 10) + "\n";
  }
  // Confusion table: rows are gold types, columns extract's main event.
  out += "\nevent types: gold (rows) x extract's main event (columns)\n";
  out += PadRight("", 32);
  for (std::string_view c : kAcledShort) out += PadLeft(std::string(c), 6);
  out += PadLeft("other", 6) + PadLeft("none", 6) + PadLeft("total", 7) + "\n";
  std::vector<std::string> gold_types(kAcledEventTypes.begin(),
                                      kAcledEventTypes.end());
  for (const auto& [g, _] : s.confusion) {
    if (!CurrentEventType(g)) gold_types.push_back(g);
  }
  for (const std::string& g : gold_types) {
    auto it = s.confusion.find(g);
    if (it == s.confusion.end()) continue;
    std::array<uint64_t, 8> cells{};
    uint64_t total = 0;
    for (const auto& [pred, n] : it->second) {
      total += n;
      size_t col = 6;
      if (pred.empty()) {
        col = 7;
      } else {
        for (size_t k = 0; k < kAcledEventTypes.size(); ++k) {
          if (kAcledEventTypes[k] == pred) col = k;
        }
      }
      cells[col] += n;
    }
    out += PadRight(g.size() > 31 ? g.substr(0, 31) : g, 32);
    for (uint64_t c : cells) out += PadLeft(std::to_string(c), 6);
    out += PadLeft(std::to_string(total), 7) + "\n";
  }
  out +=
      "(BAT Battles, ERV Explosions/Remote violence, VAC Violence against "
      "civilians,\n PRO Protests, RIO Riots, SD Strategic developments; "
      "none: no event or no ACLED type)\n";
  return out;
}

std::string FormatAcledJson(const AcledEvalResult& result,
                            std::string_view file, double load_seconds) {
  const AcledScores& s = result.scores;
  Json j = Json::object();
  j["format"] = "acled";
  j["file"] = file;
  j["documents"] = s.rows;
  j["code_points"] = s.code_points;
  j["seconds"] = result.seconds;
  j["documents_per_second"] =
      result.seconds > 0 ? s.rows / result.seconds : 0.0;
  j["load_seconds"] = load_seconds;
  j["rows_without_event"] = s.rows_without_event;
  Json fields = Json::object();
  for (size_t f = 0; f < kAcledFieldCount; ++f) {
    Json x = Json::object();
    x["scored"] = s.scored[f];
    x["correct"] = s.correct[f];
    x["accuracy"] = Ratio(s.correct[f], s.scored[f]);
    fields[std::string(ToString(static_cast<AcledField>(f)))] = std::move(x);
  }
  j["fields"] = std::move(fields);
  Json confusion = Json::object();
  for (const auto& [g, preds] : s.confusion) {
    Json row = Json::object();
    for (const auto& [p, n] : preds) row[p.empty() ? "none" : p] = n;
    confusion[g] = std::move(row);
  }
  j["confusion"] = std::move(confusion);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string FormatAcledErrors(const std::vector<AcledError>& errors) {
  std::string out = "event_id\tfield\tgold\tpredicted\tnotes\n";
  for (const AcledError& e : errors) {
    out += TsvField(e.event_id) + "\t" + std::string(ToString(e.field)) + "\t" +
           TsvField(e.gold) + "\t" + TsvField(e.predicted) + "\t" +
           TsvField(e.notes) + "\n";
  }
  return out;
}

}  // namespace extract
