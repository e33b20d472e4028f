// Comparing two extract outputs: reads the records back from JSON, matches
// documents, entities and events, and renders the differences for a
// reviewer (text) or a program (JSON). See diff.h for the matching rules.
#include "diff.h"

#include <algorithm>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace extract {
namespace {

using Json = nlohmann::ordered_json;

std::string Where(std::string_view path, size_t line) {
  return std::string(path) + ":" + std::to_string(line) + ": ";
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
}

// Reads `key` of object `j` as a string; "" when absent or null.
std::string String(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

uint32_t Offset(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) return 0;
  return static_cast<uint32_t>(it->get<uint64_t>());
}

// The status of an event written before schema 2, which had none: what
// SeedIncidents gives it from its negation and modality.
std::string DerivedStatus(bool negated, const std::string& modality) {
  if (negated) return "negated";
  if (modality == "threatened") return "threatened";
  if (modality == "intended") return "planned";
  if (modality == "possible") return "possible";
  return "asserted";
}

// Converts one record; returns "" or the reason it is malformed.
std::string ToDocument(const Json& j, DiffDocument* doc) {
  if (!j.is_object()) return "expected a JSON object (an extract record)";
  auto d = j.find("document");
  if (d == j.end() || !d->is_object() || !d->contains("id") ||
      !(*d)["id"].is_string()) {
    return "missing \"document\": {\"id\": ...}";
  }
  doc->id = (*d)["id"].get<std::string>();
  const std::string rec = "record '" + doc->id + "': ";
  auto ents = j.find("entities");
  auto evs = j.find("events");
  if (ents == j.end() || !ents->is_array()) {
    return rec + "missing array \"entities\"";
  }
  if (evs == j.end() || !evs->is_array()) {
    return rec + "missing array \"events\"";
  }
  std::map<std::string, std::string> names;  // entity id -> name
  for (size_t i = 0; i < ents->size(); ++i) {
    const Json& e = (*ents)[i];
    const std::string where = rec + "entities[" + std::to_string(i) + "]: ";
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string() ||
        !e.contains("name") || !e["name"].is_string()) {
      return where + "expected an object with string \"type\" and \"name\"";
    }
    DiffEntity x;
    x.id = String(e, "id");
    x.type = e["type"].get<std::string>();
    x.name = e["name"].get<std::string>();
    auto c = e.find("canonical");
    if (c != e.end() && c->is_object()) {
      x.resolved = true;
      x.canonical_id = String(*c, "id");
      x.canonical_source = String(*c, "source");
      for (auto it = c->begin(); it != c->end(); ++it) {
        if (it.key() == "id" || it.key() == "source") continue;
        x.canonical_attributes.emplace_back(
            it.key(),
            it.value().dump(-1, ' ', false, Json::error_handler_t::replace));
      }
    } else if (c != e.end() && !c->is_null()) {
      return where + "\"canonical\" is neither an object nor null";
    }
    auto ms = e.find("mentions");
    if (ms == e.end() || !ms->is_array()) {
      return where + "missing array \"mentions\"";
    }
    for (const Json& m : *ms) {
      if (!m.is_object() || !m.contains("start") || !m.contains("end") ||
          !m["start"].is_number_unsigned() || !m["end"].is_number_unsigned()) {
        return where + "a mention without integer \"start\" and \"end\"";
      }
      DiffMention dm;
      dm.start = Offset(m, "start");
      dm.end = Offset(m, "end");
      dm.text = String(m, "text");
      dm.role = String(m, "role");
      dm.source = String(m, "source");
      x.mentions.push_back(std::move(dm));
    }
    names[x.id] = x.name;
    doc->entities.push_back(std::move(x));
  }
  for (size_t i = 0; i < evs->size(); ++i) {
    const Json& v = (*evs)[i];
    const std::string where = rec + "events[" + std::to_string(i) + "]: ";
    if (!v.is_object() || !v.contains("type") || !v["type"].is_string() ||
        !v.contains("trigger") || !v["trigger"].is_object()) {
      return where + "expected an object with \"type\" and \"trigger\"";
    }
    DiffEvent x;
    x.id = String(v, "id");
    x.type = v["type"].get<std::string>();
    const Json& t = v["trigger"];
    x.trigger_start = Offset(t, "start");
    x.trigger_end = Offset(t, "end");
    x.trigger_text = String(t, "text");
    x.trigger_source = String(t, "source");
    x.source = String(v, "source");
    for (auto [key, out] :
         {std::pair{"actors", &x.actors}, std::pair{"targets", &x.targets},
          std::pair{"places", &x.places}}) {
      auto a = v.find(key);
      if (a == v.end()) continue;
      if (!a->is_array()) return where + "\"" + key + "\" is not an array";
      for (const Json& id : *a) {
        const std::string s = id.is_string() ? id.get<std::string>() : "?";
        auto n = names.find(s);
        out->push_back(n != names.end() ? n->second : "?" + s);
      }
      std::sort(out->begin(), out->end());
    }
    auto date = v.find("date");
    if (date != v.end() && date->is_object()) {
      auto value = date->find("value");
      if (value != date->end() && value->is_string()) {
        x.date = value->get<std::string>();
      }
    }
    auto fat = v.find("fatalities");
    if (fat != v.end() && fat->is_number_integer()) {
      x.fatalities = fat->get<int64_t>();
    }
    auto neg = v.find("negated");
    x.negated = neg != v.end() && neg->is_boolean() && neg->get<bool>();
    x.modality = String(v, "modality");
    x.status = String(v, "status");
    if (x.status.empty()) x.status = DerivedStatus(x.negated, x.modality);
    auto mentions = v.find("mentions");
    if (mentions != v.end() && mentions->is_array()) {
      x.mentions = mentions->size();
    }
    doc->events.push_back(std::move(x));
  }
  return "";
}

size_t LineOfByte(std::string_view content, size_t byte) {
  byte = std::min(byte, content.size());
  return 1 + std::count(content.begin(), content.begin() + byte, '\n');
}

}  // namespace

Result<std::vector<DiffDocument>> ParseOutputRecords(std::string_view content,
                                                     std::string_view path) {
  std::vector<DiffDocument> docs;
  // Split into lines; JSON Lines when the first non-blank line is a whole
  // JSON value, else one (pretty) JSON document.
  std::vector<std::pair<size_t, std::string_view>> lines;
  for (size_t pos = 0, n = 1; pos < content.size(); ++n) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    lines.emplace_back(n, content.substr(pos, nl - pos));
    pos = nl + 1;
  }
  auto first = std::find_if(lines.begin(), lines.end(),
                            [](const auto& l) { return !IsBlank(l.second); });
  if (first == lines.end()) {
    return Status::InvalidInput(std::string(path) + ": no records");
  }
  const bool json_lines = Json::accept(first->second);
  if (json_lines) {
    for (const auto& [n, line] : lines) {
      if (IsBlank(line)) continue;
      Json j;
      try {
        j = Json::parse(line);
      } catch (const std::exception& e) {
        return Status::InvalidInput(Where(path, n) +
                                    "malformed JSON: " + e.what());
      }
      DiffDocument doc;
      doc.line = n;
      if (std::string err = ToDocument(j, &doc); !err.empty()) {
        return Status::InvalidInput(Where(path, n) + err);
      }
      docs.push_back(std::move(doc));
    }
    return docs;
  }
  Json j;
  try {
    j = Json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    return Status::InvalidInput(
        Where(path, LineOfByte(content, e.byte > 0 ? e.byte - 1 : 0)) +
        "malformed JSON: " + e.what());
  } catch (const std::exception& e) {
    return Status::InvalidInput(std::string(path) +
                                ": malformed JSON: " + e.what());
  }
  DiffDocument doc;
  doc.line = first->first;
  if (std::string err = ToDocument(j, &doc); !err.empty()) {
    return Status::InvalidInput(Where(path, doc.line) + err);
  }
  docs.push_back(std::move(doc));
  return docs;
}

namespace {

using SpanSet = std::set<std::pair<uint32_t, uint32_t>>;

SpanSet Spans(const DiffEntity& e) {
  SpanSet s;
  for (const DiffMention& m : e.mentions) s.insert({m.start, m.end});
  return s;
}

std::vector<std::string> EntityDifferences(const DiffEntity& a,
                                           const DiffEntity& b) {
  std::vector<std::string> what;
  if (a.name != b.name) what.push_back("name");
  if (Spans(a) != Spans(b)) what.push_back("mentions");
  if (a.resolved != b.resolved || a.canonical_id != b.canonical_id ||
      a.canonical_attributes != b.canonical_attributes) {
    what.push_back("canonical");
  }
  return what;
}

std::vector<std::string> EventDifferences(const DiffEvent& a,
                                          const DiffEvent& b) {
  std::vector<std::string> what;
  if (a.actors != b.actors) what.push_back("actors");
  if (a.targets != b.targets) what.push_back("targets");
  if (a.places != b.places) what.push_back("places");
  if (a.date != b.date) what.push_back("date");
  if (a.fatalities != b.fatalities) what.push_back("fatalities");
  if (a.negated != b.negated) what.push_back("negated");
  if (a.modality != b.modality) what.push_back("modality");
  if (a.status != b.status) what.push_back("status");
  if (a.mentions != b.mentions) what.push_back("mentions");
  return what;
}

// Fills the entity and event lists of `d`; returns whether anything differs.
bool CompareDocuments(const DiffDocument& a, const DiffDocument& b,
                      DocumentDiff* d) {
  std::vector<int> match_of_new(b.entities.size(), -1);
  std::vector<bool> old_used(a.entities.size(), false);
  // First by canonical id, so that a renamed entry still matches; then by
  // name, so that an entity that gained or lost its entry is "changed".
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t n = 0; n < b.entities.size(); ++n) {
      if (match_of_new[n] >= 0) continue;
      const DiffEntity& ne = b.entities[n];
      if (pass == 0 && !ne.resolved) continue;
      for (size_t o = 0; o < a.entities.size(); ++o) {
        const DiffEntity& oe = a.entities[o];
        if (old_used[o] || oe.type != ne.type) continue;
        const bool same =
            pass == 0 ? oe.resolved && oe.canonical_id == ne.canonical_id
                      : oe.name == ne.name;
        if (!same) continue;
        old_used[o] = true;
        match_of_new[n] = static_cast<int>(o);
        break;
      }
    }
  }
  for (size_t o = 0; o < a.entities.size(); ++o) {
    if (!old_used[o]) d->entities_removed.push_back(a.entities[o]);
  }
  for (size_t n = 0; n < b.entities.size(); ++n) {
    if (match_of_new[n] < 0) {
      d->entities_added.push_back(b.entities[n]);
      continue;
    }
    const DiffEntity& oe = a.entities[match_of_new[n]];
    std::vector<std::string> what = EntityDifferences(oe, b.entities[n]);
    if (!what.empty()) {
      d->entities_changed.push_back({oe, b.entities[n], std::move(what)});
    }
  }

  std::vector<bool> old_event_used(a.events.size(), false);
  for (const DiffEvent& ne : b.events) {
    bool found = false;
    for (size_t o = 0; o < a.events.size() && !found; ++o) {
      const DiffEvent& oe = a.events[o];
      if (old_event_used[o] || oe.type != ne.type ||
          oe.trigger_start != ne.trigger_start ||
          oe.trigger_end != ne.trigger_end) {
        continue;
      }
      old_event_used[o] = found = true;
      std::vector<std::string> what = EventDifferences(oe, ne);
      if (!what.empty()) d->events_changed.push_back({oe, ne, std::move(what)});
    }
    if (!found) d->events_added.push_back(ne);
  }
  for (size_t o = 0; o < a.events.size(); ++o) {
    if (!old_event_used[o]) d->events_removed.push_back(a.events[o]);
  }
  return !d->entities_added.empty() || !d->entities_removed.empty() ||
         !d->entities_changed.empty() || !d->events_added.empty() ||
         !d->events_removed.empty() || !d->events_changed.empty();
}

}  // namespace

DiffReport DiffOutputs(const std::vector<DiffDocument>& old_docs,
                       const std::vector<DiffDocument>& new_docs) {
  DiffReport r;
  r.old_documents = old_docs.size();
  r.new_documents = new_docs.size();
  std::map<std::string, std::vector<size_t>> old_by_id;
  for (size_t i = 0; i < old_docs.size(); ++i) {
    old_by_id[old_docs[i].id].push_back(i);
  }
  std::map<std::string, size_t> seen;  // id -> occurrences in NEW so far
  std::vector<bool> old_used(old_docs.size(), false);
  for (const DiffDocument& nd : new_docs) {
    const size_t k = seen[nd.id]++;
    auto it = old_by_id.find(nd.id);
    DocumentDiff d;
    d.id = nd.id;
    if (it == old_by_id.end() || k >= it->second.size()) {
      d.kind = DocumentDiff::Kind::kOnlyNew;
      d.entity_count = nd.entities.size();
      d.event_count = nd.events.size();
      r.documents.push_back(std::move(d));
      continue;
    }
    const size_t o = it->second[k];
    old_used[o] = true;
    if (CompareDocuments(old_docs[o], nd, &d)) {
      r.documents.push_back(std::move(d));
    } else {
      ++r.unchanged_documents;
    }
  }
  for (size_t o = 0; o < old_docs.size(); ++o) {
    if (old_used[o]) continue;
    DocumentDiff d;
    d.id = old_docs[o].id;
    d.kind = DocumentDiff::Kind::kOnlyOld;
    d.entity_count = old_docs[o].entities.size();
    d.event_count = old_docs[o].events.size();
    r.documents.push_back(std::move(d));
  }
  return r;
}

namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string List(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i ? ", " : "") + names[i];
  }
  return out + "]";
}

std::string Canonical(const DiffEntity& e) {
  return e.resolved ? e.canonical_id : std::string("unresolved");
}

std::string MentionText(const DiffMention& m) {
  std::string s = Quote(m.text) + "@" + std::to_string(m.start);
  if (!m.role.empty() && m.role != "name") s += " " + m.role;
  if (!m.source.empty()) s += " (" + m.source + ")";
  return s;
}

std::string Mentions(const std::vector<DiffMention>& ms,
                     std::string_view sign) {
  constexpr size_t kShown = 6;
  std::string out;
  for (size_t i = 0; i < ms.size() && i < kShown; ++i) {
    out += (i ? ", " : "") + std::string(sign) + MentionText(ms[i]);
  }
  if (ms.size() > kShown) {
    out += ", ... " + std::to_string(ms.size() - kShown) + " more";
  }
  return out;
}

std::string EntityLine(char sign, const DiffEntity& e) {
  std::string s(1, sign);
  s += " " + e.type + " " + Quote(e.name) + " [" + Canonical(e);
  if (!e.canonical_source.empty()) s += " " + e.canonical_source;
  s += "]: " + std::to_string(e.mentions.size()) + " mention" +
       (e.mentions.size() == 1 ? "" : "s") + ": " + Mentions(e.mentions, "") +
       "\n";
  return s;
}

// "1 mention", "3 mentions".
std::string Mentions(size_t count) {
  return std::to_string(count) + (count == 1 ? " mention" : " mentions");
}

std::string Participants(const DiffEvent& v) {
  std::string s;
  if (!v.actors.empty()) s += " actors " + List(v.actors);
  if (!v.targets.empty()) s += " targets " + List(v.targets);
  if (!v.places.empty()) s += " places " + List(v.places);
  if (v.date) s += " date " + *v.date;
  if (v.fatalities) s += " fatalities " + std::to_string(*v.fatalities);
  if (v.negated) s += " negated";
  if (!v.modality.empty() && v.modality != "asserted") s += " " + v.modality;
  s += " status " + v.status + ", " + Mentions(v.mentions);
  return s;
}

std::string EventHead(char sign, const DiffEvent& v) {
  return std::string(1, sign) + " event " + v.type + " " +
         Quote(v.trigger_text) + "@" + std::to_string(v.trigger_start) + " (" +
         v.trigger_source + (v.source.empty() ? "" : ", " + v.source) + ")";
}

std::string Optional(const std::optional<std::string>& s) {
  return s ? *s : "none";
}
std::string Optional(const std::optional<int64_t>& n) {
  return n ? std::to_string(*n) : "none";
}

std::string EntityChangeLine(const EntityChange& c) {
  std::string s = "~ " + c.after.type + " " + Quote(c.after.name) + " [" +
                  Canonical(c.after) + "]:";
  std::vector<std::string> parts;
  for (const std::string& w : c.what) {
    if (w == "name") {
      parts.push_back("name " + Quote(c.before.name) + " -> " +
                      Quote(c.after.name));
    } else if (w == "mentions") {
      const SpanSet before = Spans(c.before), after = Spans(c.after);
      std::vector<DiffMention> added, removed;
      for (const DiffMention& m : c.after.mentions) {
        if (!before.count({m.start, m.end})) added.push_back(m);
      }
      for (const DiffMention& m : c.before.mentions) {
        if (!after.count({m.start, m.end})) removed.push_back(m);
      }
      std::string p = "mentions";
      if (!added.empty()) p += " " + Mentions(added, "+");
      if (!removed.empty())
        p += (added.empty() ? " " : ", ") + Mentions(removed, "-");
      parts.push_back(p);
    } else if (w == "canonical") {
      std::string p = "canonical " + Canonical(c.before);
      if (c.before.resolved && c.after.resolved &&
          c.before.canonical_id == c.after.canonical_id) {
        // Same entry, different attributes: name them.
        std::map<std::string, std::pair<std::string, std::string>> diff;
        for (const auto& [k, v] : c.before.canonical_attributes) {
          diff[k].first = v;
        }
        for (const auto& [k, v] : c.after.canonical_attributes) {
          diff[k].second = v;
        }
        p += ":";
        for (const auto& [k, v] : diff) {
          if (v.first == v.second) continue;
          p += " " + k + " " + (v.first.empty() ? "none" : v.first) + " -> " +
               (v.second.empty() ? "none" : v.second);
        }
      } else {
        p += " -> " + Canonical(c.after);
        if (!c.after.canonical_source.empty()) {
          p += " (" + c.after.canonical_source + ")";
        }
      }
      parts.push_back(p);
    }
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    s += (i ? "; " : " ") + parts[i];
  }
  return s + "\n";
}

std::string EventChangeLine(const EventChange& c) {
  std::string s = EventHead('~', c.after) + ":";
  std::vector<std::string> parts;
  for (const std::string& w : c.what) {
    if (w == "actors") {
      parts.push_back("actors " + List(c.before.actors) + " -> " +
                      List(c.after.actors));
    } else if (w == "targets") {
      parts.push_back("targets " + List(c.before.targets) + " -> " +
                      List(c.after.targets));
    } else if (w == "places") {
      parts.push_back("places " + List(c.before.places) + " -> " +
                      List(c.after.places));
    } else if (w == "date") {
      parts.push_back("date " + Optional(c.before.date) + " -> " +
                      Optional(c.after.date));
    } else if (w == "fatalities") {
      parts.push_back("fatalities " + Optional(c.before.fatalities) + " -> " +
                      Optional(c.after.fatalities));
    } else if (w == "negated") {
      parts.push_back(std::string("negated ") +
                      (c.before.negated ? "true" : "false") + " -> " +
                      (c.after.negated ? "true" : "false"));
    } else if (w == "modality") {
      parts.push_back("modality " + c.before.modality + " -> " +
                      c.after.modality);
    } else if (w == "status") {
      parts.push_back("status " + c.before.status + " -> " + c.after.status);
    } else if (w == "mentions") {
      parts.push_back("mentions " + std::to_string(c.before.mentions) +
                      " -> " + std::to_string(c.after.mentions));
    }
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    s += (i ? "; " : " ") + parts[i];
  }
  return s + "\n";
}

struct Totals {
  size_t changed = 0, only_old = 0, only_new = 0;
  size_t ent_added = 0, ent_removed = 0, ent_changed = 0;
  size_t ev_added = 0, ev_removed = 0, ev_changed = 0;
};

Totals Count(const DiffReport& r) {
  Totals t;
  for (const DocumentDiff& d : r.documents) {
    switch (d.kind) {
      case DocumentDiff::Kind::kChanged:
        ++t.changed;
        break;
      case DocumentDiff::Kind::kOnlyOld:
        ++t.only_old;
        break;
      case DocumentDiff::Kind::kOnlyNew:
        ++t.only_new;
        break;
    }
    t.ent_added += d.entities_added.size();
    t.ent_removed += d.entities_removed.size();
    t.ent_changed += d.entities_changed.size();
    t.ev_added += d.events_added.size();
    t.ev_removed += d.events_removed.size();
    t.ev_changed += d.events_changed.size();
  }
  return t;
}

Json EntityJson(const DiffEntity& e) {
  Json j = Json::object();
  j["id"] = e.id;
  j["type"] = e.type;
  j["name"] = e.name;
  j["canonical"] = e.resolved ? Json(e.canonical_id) : Json(nullptr);
  j["canonical_source"] = e.resolved ? Json(e.canonical_source) : Json(nullptr);
  Json ms = Json::array();
  for (const DiffMention& m : e.mentions) {
    Json x = Json::object();
    x["text"] = m.text;
    x["start"] = m.start;
    x["end"] = m.end;
    x["role"] = m.role;
    x["source"] = m.source;
    ms.push_back(std::move(x));
  }
  j["mentions"] = std::move(ms);
  return j;
}

Json EventJson(const DiffEvent& v) {
  Json j = Json::object();
  j["id"] = v.id;
  j["type"] = v.type;
  Json t = Json::object();
  t["text"] = v.trigger_text;
  t["start"] = v.trigger_start;
  t["end"] = v.trigger_end;
  t["source"] = v.trigger_source;
  j["trigger"] = std::move(t);
  j["source"] = v.source;
  j["actors"] = v.actors;
  j["targets"] = v.targets;
  j["places"] = v.places;
  j["date"] = v.date ? Json(*v.date) : Json(nullptr);
  j["fatalities"] = v.fatalities ? Json(*v.fatalities) : Json(nullptr);
  j["negated"] = v.negated;
  j["modality"] = v.modality;
  j["status"] = v.status;
  j["mentions"] = v.mentions;
  return j;
}

}  // namespace

std::string FormatDiffText(const DiffReport& report, std::string_view old_path,
                           std::string_view new_path) {
  std::string out = "extract diff: OLD " + std::string(old_path) + " (" +
                    std::to_string(report.old_documents) + " documents), NEW " +
                    std::string(new_path) + " (" +
                    std::to_string(report.new_documents) + " documents)\n";
  for (const DocumentDiff& d : report.documents) {
    if (d.kind != DocumentDiff::Kind::kChanged) {
      out += std::string("\n=== ") +
             (d.kind == DocumentDiff::Kind::kOnlyOld ? "only in OLD: "
                                                     : "only in NEW: ") +
             d.id + " (" + std::to_string(d.entity_count) + " entities, " +
             std::to_string(d.event_count) + " events)\n";
      continue;
    }
    out += "\n=== " + d.id + "\n";
    for (const DiffEntity& e : d.entities_removed) out += EntityLine('-', e);
    for (const DiffEntity& e : d.entities_added) out += EntityLine('+', e);
    for (const EntityChange& c : d.entities_changed) out += EntityChangeLine(c);
    for (const DiffEvent& v : d.events_removed) {
      out += EventHead('-', v) + ":" + Participants(v) + "\n";
    }
    for (const DiffEvent& v : d.events_added) {
      out += EventHead('+', v) + ":" + Participants(v) + "\n";
    }
    for (const EventChange& c : d.events_changed) out += EventChangeLine(c);
  }
  const Totals t = Count(report);
  out += "\n";
  if (report.identical()) {
    out += "No differences in entities or events (" +
           std::to_string(report.unchanged_documents) + " documents).\n";
    return out;
  }
  out += "Summary: " + std::to_string(report.unchanged_documents) +
         " unchanged, " + std::to_string(t.changed) + " changed, " +
         std::to_string(t.only_old) + " only in OLD, " +
         std::to_string(t.only_new) + " only in NEW; entities +" +
         std::to_string(t.ent_added) + " -" + std::to_string(t.ent_removed) +
         " ~" + std::to_string(t.ent_changed) + "; events +" +
         std::to_string(t.ev_added) + " -" + std::to_string(t.ev_removed) +
         " ~" + std::to_string(t.ev_changed) + "\n";
  return out;
}

std::string FormatDiffJson(const DiffReport& report, std::string_view old_path,
                           std::string_view new_path) {
  const Totals t = Count(report);
  Json j = Json::object();
  j["old"] = {{"path", old_path}, {"documents", report.old_documents}};
  j["new"] = {{"path", new_path}, {"documents", report.new_documents}};
  j["identical"] = report.identical();
  Json s = Json::object();
  s["unchanged"] = report.unchanged_documents;
  s["changed"] = t.changed;
  s["only_old"] = t.only_old;
  s["only_new"] = t.only_new;
  s["entities"] = {{"added", t.ent_added},
                   {"removed", t.ent_removed},
                   {"changed", t.ent_changed}};
  s["events"] = {{"added", t.ev_added},
                 {"removed", t.ev_removed},
                 {"changed", t.ev_changed}};
  j["summary"] = std::move(s);
  Json docs = Json::array();
  for (const DocumentDiff& d : report.documents) {
    Json x = Json::object();
    x["id"] = d.id;
    x["status"] = d.kind == DocumentDiff::Kind::kChanged   ? "changed"
                  : d.kind == DocumentDiff::Kind::kOnlyOld ? "only_old"
                                                           : "only_new";
    if (d.kind != DocumentDiff::Kind::kChanged) {
      x["entities"] = d.entity_count;
      x["events"] = d.event_count;
      docs.push_back(std::move(x));
      continue;
    }
    Json ents = Json::object();
    ents["added"] = Json::array();
    for (const auto& e : d.entities_added)
      ents["added"].push_back(EntityJson(e));
    ents["removed"] = Json::array();
    for (const auto& e : d.entities_removed) {
      ents["removed"].push_back(EntityJson(e));
    }
    ents["changed"] = Json::array();
    for (const auto& c : d.entities_changed) {
      Json cj = Json::object();
      cj["what"] = c.what;
      cj["before"] = EntityJson(c.before);
      cj["after"] = EntityJson(c.after);
      ents["changed"].push_back(std::move(cj));
    }
    x["entities"] = std::move(ents);
    Json evs = Json::object();
    evs["added"] = Json::array();
    for (const auto& v : d.events_added) evs["added"].push_back(EventJson(v));
    evs["removed"] = Json::array();
    for (const auto& v : d.events_removed) {
      evs["removed"].push_back(EventJson(v));
    }
    evs["changed"] = Json::array();
    for (const auto& c : d.events_changed) {
      Json cj = Json::object();
      cj["what"] = c.what;
      cj["before"] = EventJson(c.before);
      cj["after"] = EventJson(c.after);
      evs["changed"].push_back(std::move(cj));
    }
    x["events"] = std::move(evs);
    docs.push_back(std::move(x));
  }
  j["documents"] = std::move(docs);
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace extract
