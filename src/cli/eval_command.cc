// `extract eval`: scores extraction against gold annotations (issue 4).
// Reads the gold file, loads the pipeline, hands both to the library
// (src/eval.h) and prints its report; the scoring lives in the library.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "commands.h"
#include "eval.h"
#include "extract/pipeline.h"

namespace extract::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitBelowFloor = 1;
constexpr int kExitUsage = 2;

constexpr const char* kFooter = R"help(Formats:
  conll        CoNLL-2003 4-column file (eng.testa). Each document's text is
               its tokens joined by single spaces and its sentences by "\n";
               predictions are mapped to the tokens they overlap (one tag per
               token: the longest prediction at a start wins, one that would
               share a token is dropped) and scored as conlleval chunks.
               PER -> person, LOC -> place, ORG -> group; MISC is neutral.
  conll-jsonl  eng.testa.docs.jsonl: {"doc_id","text","entities":[...]} with
               code-point spans; same labels as conll.
  dwie         DWIE train.jsonl: person -> person, gpe and location -> place,
               organization -> group; other coarse types are neutral.
  gold         our format (tests/gold): {"id","text","entities":[{"type",
               "start","end","text"}]}, code points, types person, place,
               group, or misc (neutral); optional "date".
  acled        ACLED CSV export: each row's notes is one document, with the
               reference date from event_date.

Entity scoring (conll, conll-jsonl, dwie, gold):
  Predictions are all mentions of all entities except role "descriptor"
  (unless --with-descriptors); nested mentions each count.
  exact    a prediction is correct when a gold span has the same start, end
           and type; P = correct/predicted, R = correct/gold.
  lenient  a prediction is correct when it overlaps a gold span of its type;
           a gold span is found when a prediction of its type overlaps it.
  A prediction that overlaps a neutral gold span (MISC, DWIE value/time/...)
  and matches no scored gold span exactly counts neither way. Micro figures
  sum the person, place and group counts.

ACLED scoring (per-field accuracy over rows). The main event is the most
severe event with an ACLED event type (Explosions/Remote violence, Battles,
Violence against civilians, Riots, Protests, Strategic developments; the
first among equals), else the first event, among the events whose status is
asserted, claimed, alleged, possible or generic when one of them has an
ACLED type, else among all; no event = all wrong.
  event_type      equal; rows of the old taxonomy (not one of the six current
                  event types, e.g. "Battle-No change of territory") skipped
  sub_event_type  equal; skipped as above and where the row has none
  actor1          the main event's first actor's canonical acled_actor equals
                  actor1 or one of the assoc_actor_1 names, after removing a
                  trailing "(YYYY-YYYY)"/"(YYYY-)" period, case and diacritics
  actor2          the same with the first target, actor2 and assoc_actor_2; a
                  row without actor2 is right when no acled_actor is predicted
  location        the first place's name or one of its mention texts equals
                  location (case, diacritics, spaces, punctuation ignored)
  admin1          that place's canonical admin1 (the place itself when it is an
                  ADM1) equals admin1 (case, diacritics, punctuation and a
                  trailing "Region"/"Province" ignored)
  coordinates     that place's lat/lon within 25 km of the row's (haversine)
  date            the main event's date value equals event_date as YYYY-MM-DD
  fatalities      only rows with fatalities >= 1 whose note states that number
                  (digits not part of a date or "geoprecision N", or an English
                  number word): the main event's fatalities must equal it
  A confusion table of event types (gold rows x predicted columns) follows.

Output: a table on stdout (--json: one JSON object) with runtime and
documents/s. --errors FILE writes every false positive and false negative
(ACLED: every wrong field) as TSV with context, for error analysis.
Exit codes: 0 scored; 1 micro F1 (exact) below --min-f1; 2 usage error,
unreadable or malformed gold file (file:line), or a gazetteer/rule error.
Use the main --gazetteers option (before or after "eval") for another
gazetteer directory.)help";

// Writes through a temporary file renamed into place, so that a failed run
// never leaves a truncated file that looks complete.
bool WriteFileAtomically(const std::string& path, const std::string& content,
                         std::string* error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      *error = path + ": cannot write: " + std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = path + ": cannot write: " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct EvalFlags {
  std::string format;
  std::string file;
  size_t limit = 0;
  bool json = false;
  std::string errors;
  std::string conll_out;
  bool with_descriptors = false;
  std::optional<double> min_f1;
};

int Run(const EvalFlags& f, const std::string& gazetteers, bool no_cache) {
  auto format = ParseGoldFormat(f.format);
  if (!format.ok()) {
    std::cerr << "extract eval: --format: " << format.status().message()
              << "\n";
    return kExitUsage;
  }
  if (!f.conll_out.empty() && *format != GoldFormat::kConll) {
    std::cerr << "extract eval: --conll-out needs --format conll\n";
    return kExitUsage;
  }
  if (f.min_f1 && *format == GoldFormat::kAcled) {
    std::cerr << "extract eval: --min-f1 applies to entity formats, not "
                 "acled\n";
    return kExitUsage;
  }
  std::string error;
  const std::optional<std::string> content = ReadAll(f.file, &error);
  if (!content) {
    std::cerr << "extract eval: " << error << "\n";
    return kExitUsage;
  }

  // Parse the gold data before loading anything else: a malformed file is
  // reported at once.
  std::vector<GoldDocument> docs;
  std::vector<AcledRow> rows;
  if (*format == GoldFormat::kAcled) {
    auto parsed = ParseAcledCsv(*content, f.file);
    if (!parsed.ok()) {
      std::cerr << "extract eval: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    rows = std::move(*parsed);
  } else {
    auto parsed = ParseGold(*format, *content, f.file);
    if (!parsed.ok()) {
      std::cerr << "extract eval: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    docs = std::move(*parsed);
  }

  const auto t0 = std::chrono::steady_clock::now();
  PipelineOptions options;
  options.gazetteer_dir = gazetteers;
  options.use_cache = !no_cache;
  auto pipeline = Pipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "extract eval: " << pipeline.status().message() << "\n";
    return kExitUsage;
  }
  const double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();

  EvalOptions eval_options;
  eval_options.with_descriptors = f.with_descriptors;
  eval_options.limit = f.limit;
  eval_options.collect_errors = !f.errors.empty();
  eval_options.conll_out = !f.conll_out.empty();
  const std::string title =
      std::string(ToString(*format)) + " " + BaseName(f.file);

  if (*format == GoldFormat::kAcled) {
    const AcledEvalResult r = EvaluateAcled(**pipeline, rows, eval_options);
    if (!f.errors.empty() &&
        !WriteFileAtomically(f.errors, FormatAcledErrors(r.errors), &error)) {
      std::cerr << "extract eval: " << error << "\n";
      return kExitUsage;
    }
    std::cout << (f.json ? FormatAcledJson(r, f.file, load_seconds) + "\n"
                         : FormatAcledText(r, title, load_seconds));
    std::cout.flush();
    return kExitOk;
  }

  const NerEvalResult r = EvaluateNer(**pipeline, docs, eval_options);
  if (!f.errors.empty() &&
      !WriteFileAtomically(f.errors, FormatNerErrors(r.errors), &error)) {
    std::cerr << "extract eval: " << error << "\n";
    return kExitUsage;
  }
  if (!f.conll_out.empty() &&
      !WriteFileAtomically(f.conll_out, r.conll_out, &error)) {
    std::cerr << "extract eval: " << error << "\n";
    return kExitUsage;
  }
  std::cout << (f.json ? FormatNerJson(r, ToString(*format), f.file,
                                       load_seconds, f.with_descriptors) +
                             "\n"
                       : FormatNerText(r, title, load_seconds,
                                       f.with_descriptors));
  std::cout.flush();
  const double f1 = r.scores.Micro().F1();
  if (f.min_f1 && f1 < *f.min_f1) {
    char buf[128];
    std::snprintf(buf, sizeof buf,
                  "extract eval: micro F1 (exact) %.4f is below the floor "
                  "%.4f\n",
                  f1, *f.min_f1);
    std::cerr << buf;
    return kExitBelowFloor;
  }
  return kExitOk;
}

}  // namespace

Subcommand AddEvalCommand(CLI::App& app, const std::string* gazetteers,
                          const bool* no_cache) {
  auto flags = std::make_shared<EvalFlags>();
  Subcommand s;
  s.app = app.add_subcommand(
      "eval",
      "Score extraction against gold annotations: precision, recall and F1 "
      "per type (exact and lenient), or per-field accuracy on ACLED");
  s.app->fallthrough();  // the main --gazetteers may follow "eval"
  s.app->footer(kFooter);
  s.app
      ->add_option("--format", flags->format,
                   "Gold format: conll, conll-jsonl, dwie, acled or gold")
      ->required()
      ->check(CLI::IsMember({"conll", "conll-jsonl", "dwie", "acled", "gold"}));
  s.app->add_option("file", flags->file, "Gold file")->required();
  s.app->add_option("--limit", flags->limit,
                    "Score only the first N documents (rows)");
  s.app->add_flag("--json", flags->json, "Print one JSON object");
  s.app->add_option("--errors", flags->errors,
                    "Write false positives and negatives (ACLED: wrong "
                    "fields) with context to FILE (TSV)");
  s.app->add_option("--conll-out", flags->conll_out,
                    "conll only: write 'token gold predicted' lines to FILE "
                    "for ../shared/peers/conll-score.py --misc-neutral");
  s.app->add_flag("--with-descriptors", flags->with_descriptors,
                  "Also count mentions with role descriptor ('the junta')");
  s.app
      ->add_option_function<double>(
          "--min-f1", [flags](double v) { flags->min_f1 = v; },
          "Exit 1 when micro F1 (exact) is below this floor (0-1)")
      ->check(CLI::Range(0.0, 1.0));
  s.run = [flags, gazetteers, no_cache] {
    return Run(*flags, *gazetteers, *no_cache);
  };
  return s;
}

}  // namespace extract::cli
