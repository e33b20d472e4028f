// The pipeline: owns the loaded gazetteers and rules and runs the stages in
// order on each document. The only code that knows every stage.
#include "extract/pipeline.h"

#include <algorithm>
#include <filesystem>

#include "dates.h"
#include "entities.h"
#include "events.h"
#include "gazetteer.h"
#include "gazetteer_cache.h"
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
    const std::string_view k = t.key;
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

Result<std::unique_ptr<Pipeline>> Pipeline::Load(
    const PipelineOptions& options) {
  auto r = std::make_unique<Resources>();
  std::vector<Problem> problems;
  auto gaz = options.use_cache
                 ? LoadGazetteerCached(options.gazetteer_dir,
                                       options.cache_dir.empty()
                                           ? DefaultCacheDir()
                                           : options.cache_dir,
                                       nullptr)
                 : Gazetteer::Load(options.gazetteer_dir, &problems);
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

namespace {

GazetteerStats MakeStats(const Gazetteer& g, const RuleSet* rules) {
  GazetteerStats stats;
  constexpr size_t kTypes = static_cast<size_t>(EntryType::kWord) + 1;
  std::vector<size_t> entries(kTypes, 0), aliases(kTypes, 0);
  for (size_t i = 0; i < g.size(); ++i) {
    ++entries[static_cast<size_t>(g.entry(static_cast<uint32_t>(i)).type)];
  }
  for (const GazetteerFile& file : g.files()) {
    stats.files.push_back({file.name, file.entries, file.aliases});
  }
  const std::vector<size_t> by_type = g.AliasCountByType();
  for (size_t t = 0; t < kTypes && t < by_type.size(); ++t) {
    aliases[t] = by_type[t];
  }
  for (size_t t = 0; t < kTypes; ++t) {
    const std::string name(ToString(static_cast<EntryType>(t)));
    stats.entries_by_type.emplace_back(name, entries[t]);
    stats.aliases_by_type.emplace_back(name, aliases[t]);
  }
  stats.aliases = g.alias_count();
  stats.rules = rules == nullptr ? 0 : rules->rules().size();
  return stats;
}

}  // namespace

size_t Pipeline::Check(const PipelineOptions& options,
                       std::vector<std::string>* problems,
                       GazetteerStats* stats,
                       std::vector<std::string>* warnings) {
  std::vector<Problem> found;
  std::unique_ptr<Gazetteer> gaz =
      Gazetteer::LoadForCheck(options.gazetteer_dir, &found);
  std::unique_ptr<RuleSet> rules;
  if (gaz != nullptr) {
    const size_t before = found.size();
    auto loaded = RuleSet::Load(
        (std::filesystem::path(options.gazetteer_dir) / "rules").string(),
        *gaz, &found);
    if (loaded.ok()) {
      rules = std::move(*loaded);
    } else if (std::none_of(found.begin() + before, found.end(),
                            [](const Problem& p) { return p.error; })) {
      found.push_back(Problem{"", 0, loaded.status().message(), true});
    }
    if (stats != nullptr) *stats = MakeStats(*gaz, rules.get());
  }
  size_t errors = 0;
  for (const Problem& p : found) {
    std::string text = p.file.empty() ? p.message : p.ToString();
    if (!p.error && warnings != nullptr) {
      warnings->push_back(std::move(text));
    } else {
      problems->push_back(std::move(text));
    }
    errors += p.error;
  }
  return errors;
}

GazetteerStats Pipeline::Stats() const {
  return MakeStats(*resources_->gazetteer, resources_->rules.get());
}

DocumentResult Pipeline::Process(Document doc) const {
  const Gazetteer& g = *resources_->gazetteer;
  const RuleSet& rules = *resources_->rules;

  const NormalizedText norm = Normalize(doc.text);
  const Segmentation seg = Segment(norm, resources_->segmenter);
  std::vector<DateExpr> dates =
      FindDates(norm, seg, doc.date, /*tokens_cover_sentences=*/true);

  // Each token's key is looked up in the gazetteer once, for its matching
  // and for the rules' words.
  const auto token_count = static_cast<uint32_t>(seg.tokens.size());
  std::vector<int64_t> token_ids(token_count);
  std::vector<uint32_t> token_roots(token_count);
  g.TokenIds(seg.tokens, 0, token_count, token_ids.data(), token_roots.data());
  std::vector<GazetteerMatch> matches;
  for (const Sentence& s : seg.sentences) {
    g.Match(seg.tokens, s.token_begin, s.token_end, IsAllCaps(seg, s),
            token_ids.data(), token_roots.data(), &matches);
  }
  const std::vector<uint64_t> features =
      AnnotateTokens(seg, matches, dates, g);
  std::vector<RuleHit> hits;
  for (const Sentence& s : seg.sentences) {
    if (!IsTitleCase(seg, features, s))
      rules.Apply(seg.tokens, features, s, &hits, g, token_ids.data());
  }

  EntityAssembly ents =
      AssembleEntities(norm, seg, features, matches, hits, g, rules);
  const std::vector<Trigger> triggers =
      FindTriggers(seg, features, matches, hits, g, rules);
  std::vector<Event> events = AssembleEvents(norm, seg, features, matches,
                                             triggers, ents, dates, g,
                                             doc.date);

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
    for (EventMention& m : e.mentions) m.trigger = orig(m.trigger);
    for (EventNumber& n : e.numbers) n.span = orig(n.span);
    if (e.attribution) e.attribution->span = orig(e.attribution->span);
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
