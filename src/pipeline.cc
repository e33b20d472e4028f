// The pipeline: owns the loaded gazetteers and rules and runs the stages in
// order on each document. The only code that knows every stage.
#include "extract/pipeline.h"

#include <algorithm>
#include <filesystem>

#include "dates.h"
#include "entities.h"
#include "events.h"
#include "gazetteer.h"
#include "normalizer.h"
#include "rules.h"
#include "segmenter.h"

namespace extract {

struct Pipeline::Resources {
  std::unique_ptr<Gazetteer> gazetteer;
  std::unique_ptr<RuleSet> rules;
  SegmenterConfig segmenter;
};

namespace {

// A crude language guess from function words; "en" unless French function
// words clearly dominate.
std::string GuessLanguage(const Segmentation& seg) {
  int en = 0, fr = 0;
  for (const Token& t : seg.tokens) {
    const std::string& k = t.key;
    if (k == "the" || k == "and" || k == "of" || k == "was" || k == "is") ++en;
    if (k == "le" || k == "la" || k == "les" || k == "des" || k == "et" ||
        k == "est" || k == "une" || k == "du") {
      ++fr;
    }
  }
  return fr > en ? "fr" : "en";
}

// True for a sentence written in capitals ("LEICESTERSHIRE TAKE OVER").
bool IsAllCaps(const Segmentation& seg, const Sentence& s) {
  int words = 0, caps = 0;
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    const Token& t = seg.tokens[i];
    if (t.kind != TokenKind::kWord || t.key.size() < 2) continue;
    if (!(t.has(kCapitalized) || t.has(kLower))) continue;
    ++words;
    caps += t.has(kAllCaps);
  }
  return words >= 2 && caps * 10 >= words * 8;
}

// True for a headline-style sentence: (nearly) every content word is
// capitalized or the words are in capitals. Capitalization says nothing
// about names there, so the rules, which rely on it, do not run on it.
bool IsTitleCase(const Segmentation& seg, const std::vector<uint64_t>& features,
                 const Sentence& s) {
  int words = 0, capitalized = 0;
  bool first = true;  // the first word is capitalized anyway
  for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
    const Token& t = seg.tokens[i];
    if (t.kind != TokenKind::kWord || !(t.has(kCapitalized) || t.has(kLower))) {
      continue;
    }
    if (first) {
      first = false;
      continue;
    }
    if ((features[i] & kFeatFunctionWord) && t.has(kLower)) continue;
    ++words;
    capitalized += t.has(kCapitalized);
  }
  return words >= 3 && capitalized * 10 >= words * 9;
}

}  // namespace

Pipeline::Pipeline(std::unique_ptr<Resources> resources)
    : resources_(std::move(resources)) {}
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Load(const PipelineOptions& options) {
  auto r = std::make_unique<Resources>();
  std::vector<Problem> problems;
  auto gaz = Gazetteer::Load(options.gazetteer_dir, &problems);
  if (!gaz.ok()) return gaz.status();
  r->gazetteer = std::move(*gaz);
  auto rules = RuleSet::Load(
      (std::filesystem::path(options.gazetteer_dir) / "rules").string(),
      *r->gazetteer, &problems);
  if (!rules.ok()) return rules.status();
  r->rules = std::move(*rules);
  r->segmenter.abbreviations = r->gazetteer->abbreviations();
  r->segmenter.boilerplate = r->gazetteer->boilerplate();
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(r)));
}

size_t Pipeline::Check(const PipelineOptions& options,
                       std::vector<std::string>* problems,
                       GazetteerStats* stats) {
  std::vector<Problem> found;
  size_t errors = 0;
  auto gaz = Gazetteer::Load(options.gazetteer_dir, &found);
  if (gaz.ok()) {
    auto rules = RuleSet::Load(
        (std::filesystem::path(options.gazetteer_dir) / "rules").string(),
        **gaz, &found);
    if (rules.ok() && stats != nullptr) {
      auto r = std::make_unique<Resources>();
      r->gazetteer = std::move(*gaz);
      r->rules = std::move(*rules);
      *stats = Pipeline(std::move(r)).Stats();
    } else if (!rules.ok() && found.empty()) {
      problems->push_back(rules.status().message());
      ++errors;
    }
  } else if (found.empty()) {
    problems->push_back(gaz.status().message());
    ++errors;
  }
  for (const Problem& p : found) {
    problems->push_back(p.ToString());
    errors += p.error;
  }
  return errors;
}

GazetteerStats Pipeline::Stats() const {
  GazetteerStats stats;
  const Gazetteer& g = *resources_->gazetteer;
  std::vector<size_t> counts(8, 0);
  for (size_t i = 0; i < g.size(); ++i) {
    ++counts[static_cast<size_t>(g.entry(static_cast<uint32_t>(i)).type)];
  }
  for (size_t t = 0; t < counts.size(); ++t) {
    stats.entries_by_type.emplace_back(
        std::string(ToString(static_cast<EntryType>(t))), counts[t]);
  }
  stats.aliases = g.alias_count();
  stats.rules = resources_->rules->rules().size();
  return stats;
}

DocumentResult Pipeline::Process(Document doc) const {
  const Gazetteer& g = *resources_->gazetteer;
  const RuleSet& rules = *resources_->rules;

  const NormalizedText norm = Normalize(doc.text);
  const Segmentation seg = Segment(norm, resources_->segmenter);
  std::vector<DateExpr> dates = FindDates(norm, seg, doc.date);

  std::vector<GazetteerMatch> matches;
  for (const Sentence& s : seg.sentences) {
    auto m = g.Match(seg.tokens, s.token_begin, s.token_end, IsAllCaps(seg, s));
    matches.insert(matches.end(), m.begin(), m.end());
  }
  const std::vector<uint64_t> features =
      AnnotateTokens(seg, matches, dates, g);
  std::vector<RuleHit> hits;
  for (const Sentence& s : seg.sentences) {
    if (!IsTitleCase(seg, features, s)) rules.Apply(seg.tokens, features, s, &hits);
  }

  EntityAssembly ents =
      AssembleEntities(norm, seg, features, matches, hits, g, rules);
  const std::vector<Trigger> triggers =
      FindTriggers(seg, features, matches, hits, g, rules);
  std::vector<Event> events = AssembleEvents(norm, seg, features, matches,
                                             triggers, ents, dates, g);

  // Everything leaves in original-text coordinates.
  auto orig = [&](Span s) {
    return Span{norm.ToOriginal(s.begin), norm.ToOriginal(s.end)};
  };
  DocumentResult r;
  r.id = doc.id;
  r.path = doc.path;
  r.date = doc.date;
  r.encoding = doc.encoding;
  r.language = GuessLanguage(seg);
  if (seg.title_sentence >= 0) {
    const Span t = seg.sentences[seg.title_sentence].span;
    r.title = norm.text.substr(t.begin, t.size());
  }
  for (const Sentence& s : seg.sentences) r.sentences.push_back(orig(s.span));
  for (SkippedSpan s : seg.skipped) {
    s.span = orig(s.span);
    r.skipped.push_back(std::move(s));
  }
  for (Mention& m : ents.mentions) m.span = orig(m.span);
  for (Entity& e : ents.entities) {
    for (RoleText& role : e.roles) role.span = orig(role.span);
  }
  for (DateExpr& d : dates) d.span = orig(d.span);
  for (Event& e : events) {
    e.trigger = orig(e.trigger);
    if (e.date) e.date->span = orig(e.date->span);
    if (e.ransom) e.ransom->span = orig(e.ransom->span);
  }
  r.mentions = std::move(ents.mentions);
  r.entities = std::move(ents.entities);
  r.dates = std::move(dates);
  r.events = std::move(events);
  r.text = std::move(doc.text);
  return r;
}

DocumentResult MakeErrorResult(const std::string& path, const Status& status) {
  DocumentResult r;
  r.id = path == "-" ? "stdin" : path;
  r.path = path;
  r.errors.push_back(
      ErrorRecord{status.code(), status.message(), status.offset()});
  return r;
}

}  // namespace extract
