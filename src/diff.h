// Comparing two extract outputs (`extract diff OLD NEW`, issue 4): the
// report a reviewer reads on a gazetteer pull request. Records are matched
// by document.id; within a document, entities and events are matched and
// reported as added, removed or changed. Nothing here reads files or
// prints: the CLI (src/cli/diff_command.cc) does.
//
// Usage:
//   auto old_docs = extract::ParseOutputRecords(old_bytes, "old.jsonl");
//   auto new_docs = extract::ParseOutputRecords(new_bytes, "new.jsonl");
//   if (!old_docs.ok()) ...  // kInvalidInput, "old.jsonl:3: ..."
//   extract::DiffReport d = extract::DiffOutputs(*old_docs, *new_docs);
//   std::cout << extract::FormatDiffText(d, "old.jsonl", "new.jsonl");
//   return d.identical() ? 0 : 1;
#ifndef EXTRACT_SRC_DIFF_H_
#define EXTRACT_SRC_DIFF_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/status.h"

namespace extract {

// What the diff needs of one output record (docs/schema.md), read back
// from JSON.
struct DiffMention {
  uint32_t start = 0;  // bytes
  uint32_t end = 0;
  std::string text;
  std::string role;
  std::string source;
};

struct DiffEntity {
  std::string id;  // "e3": only for messages, ids shift between runs
  std::string type;
  std::string name;
  bool resolved = false;     // canonical is not null
  std::string canonical_id;  // canonical.id
  std::string canonical_source;
  // canonical's attributes other than "id" and "source" (a gazetteer line
  // number, which moves whenever a line is inserted above it), in file
  // order, each value as compact JSON ("\"ML\"", "16.12886").
  std::vector<std::pair<std::string, std::string>> canonical_attributes;
  std::vector<DiffMention> mentions;
};

struct DiffEvent {
  std::string id;  // "v2"
  std::string type;
  uint32_t trigger_start = 0;  // bytes
  uint32_t trigger_end = 0;
  std::string trigger_text;
  std::string trigger_source;
  std::string source;  // the rule that assembled it
  // Participants by entity name (ids shift between runs), sorted.
  std::vector<std::string> actors;
  std::vector<std::string> targets;
  std::vector<std::string> places;
  std::optional<std::string> date;  // date.value; nullopt when none
  std::optional<int64_t> fatalities;
  bool negated = false;
  std::string modality;
  // The incident's status (schema 2). A schema 1 record has none; it is
  // derived as SeedIncidents does: "negated" when negated, else from the
  // modality ("threatened", "planned" for intended, "possible"), else
  // "asserted".
  std::string status;
  // How many mentions (triggers) report it; 1 for a schema 1 record.
  size_t mentions = 1;
};

struct DiffDocument {
  std::string id;
  size_t line = 0;  // where the record starts in its file
  std::vector<DiffEntity> entities;
  std::vector<DiffEvent> events;
};

// Reads an extract output: one JSON object (pretty or not) or JSON Lines.
// Returns kInvalidInput with "path:line: reason" for malformed JSON or a
// record without document.id, entities or events of the expected shape;
// kInvalidInput "path: no records" for an empty input.
Result<std::vector<DiffDocument>> ParseOutputRecords(std::string_view content,
                                                     std::string_view path);

struct EntityChange {
  DiffEntity before;
  DiffEntity after;
  std::vector<std::string> what;  // "name", "mentions", "canonical"
};

struct EventChange {
  DiffEvent before;
  DiffEvent after;
  // "actors", "targets", "places", "date", "fatalities", "negated",
  // "modality", "status", "mentions" (their number)
  std::vector<std::string> what;
};

struct DocumentDiff {
  enum class Kind { kChanged, kOnlyOld, kOnlyNew };
  Kind kind = Kind::kChanged;
  std::string id;
  std::vector<DiffEntity> entities_added;
  std::vector<DiffEntity> entities_removed;
  std::vector<EntityChange> entities_changed;
  std::vector<DiffEvent> events_added;
  std::vector<DiffEvent> events_removed;
  std::vector<EventChange> events_changed;
  // For kOnlyOld / kOnlyNew: how many entities and events the record has.
  size_t entity_count = 0;
  size_t event_count = 0;
};

struct DiffReport {
  size_t old_documents = 0;
  size_t new_documents = 0;
  size_t unchanged_documents = 0;  // in both, no entity or event difference
  std::vector<DocumentDiff> documents;  // only documents with differences

  bool identical() const { return documents.empty(); }
};

// Compares two outputs. Documents are matched by id (the k-th record of an
// id in OLD with the k-th in NEW), in the order of NEW, then those only in
// OLD. Entities match by type + canonical id when both are resolved, then
// the rest by type + name; a matched entity is changed when its set of
// mention spans, its canonical entry (id and attributes, not the source
// line) or its name differs. Events match by type + trigger start and end;
// changed = different actor, target or place names, date value,
// fatalities, negated, modality, status or number of mentions. Records of
// both schema versions compare (a schema 1 event's status is derived from
// negated and modality). Only entities and events are compared (sentences,
// dates and errors are not).
DiffReport DiffOutputs(const std::vector<DiffDocument>& old_docs,
                       const std::vector<DiffDocument>& new_docs);

// The human-readable report, grouped by document: "+" added, "-" removed,
// "~" changed lines with types, names, canonical ids and sources, and a
// summary line at the end. Deterministic.
std::string FormatDiffText(const DiffReport& report, std::string_view old_path,
                           std::string_view new_path);

// The same as one JSON object (pretty, two-space indent, ends with "\n").
std::string FormatDiffJson(const DiffReport& report, std::string_view old_path,
                           std::string_view new_path);

}  // namespace extract

#endif  // EXTRACT_SRC_DIFF_H_
