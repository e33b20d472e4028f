// Merging mentions into entities.
//
// MergeIntoEntities
//   reads:  out.mentions (sorted by SortMentions), link, role_of, tokens,
//           text, the entries' names and records.
//   writes: out.entities, in order of creation, each with its mentions,
//           distinct roles, name and canonical record; each mention's
//           entity.
//   why:    mentions join by canonical entry; else by link (an acronym and
//           its expansion); else by type and key; short names, and one-word
//           person names, join the person whose surname they are. Short
//           names go last, so that "Greenspan" in a headline finds "Alan
//           Greenspan" further down. An entity without an entry is named by
//           its longest mention (a short name only if it has no name yet).
#include <algorithm>
#include <charconv>
#include <string>
#include <unordered_map>

#include "entities/passes.h"

namespace extract {
namespace {

bool IsNumericColumn(std::string_view c) {
  return c == "lat" || c == "lon" || c == "population";
}

Canonical MakeCanonical(const Gazetteer& g, uint32_t index) {
  const Entry& e = g.entry(index);
  Canonical c;
  c.id = std::string(e.id);
  c.source = g.Source(e);
  const std::vector<std::string>& columns = g.files()[e.file].columns;
  c.attributes.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& col = columns[i];
    const std::string_view v = g.Cell(e, i);
    if (v.empty()) continue;
    double d;
    bool numeric = false;
    if (IsNumericColumn(col)) {
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      numeric = ec == std::errc() && ptr == v.data() + v.size();
    }
    c.attributes.push_back(Attribute{col, std::string(v), numeric});
  }
  return c;
}

// The mentions' indices, short names last.
std::vector<size_t> ShortNamesLast(const std::vector<Mention>& mentions) {
  std::vector<size_t> entity_order;
  for (size_t pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < mentions.size(); ++i) {
      if ((mentions[i].role == MentionRole::kShortName) == (pass == 1)) {
        entity_order.push_back(i);
      }
    }
  }
  return entity_order;
}

// The key that decides mention i's entity; "entity:<n>" names entity n.
std::string EntityKey(
    const EntityState& s, size_t i,
    const std::unordered_map<std::string, uint32_t>& person_by_surname) {
  const std::vector<Token>& tokens = s.tokens;
  const Mention& m = s.out.mentions[i];
  if (m.entry >= 0) return "entry:" + std::to_string(m.entry);
  if (!s.link[i].empty()) return s.link[i];
  if (m.role == MentionRole::kShortName ||
      (m.type == EntityType::kPerson &&
       WordCount(tokens, m.token_begin, m.token_end) == 1)) {
    auto it = person_by_surname.find(tokens[m.token_end - 1].key);
    return it != person_by_surname.end()
               ? "entity:" + std::to_string(it->second)
               : std::string(ToString(m.type)) + ":" +
                     KeyOf(tokens, m.token_begin, m.token_end);
  }
  return std::string(ToString(m.type)) + ":" +
         KeyOf(tokens, m.token_begin, m.token_end);
}

}  // namespace

void MergeIntoEntities(EntityState& s) {
  const std::vector<Token>& tokens = s.tokens;
  const Gazetteer& g = s.g;
  EntityAssembly& out = s.out;
  std::unordered_map<std::string, uint32_t> entity_by_key;
  auto text_of = [&](const Mention& m) {
    return std::string(s.text.text.substr(m.span.begin, m.span.size()));
  };
  std::unordered_map<std::string, uint32_t> person_by_surname;
  for (size_t i : ShortNamesLast(out.mentions)) {
    Mention& m = out.mentions[i];
    const std::string key = EntityKey(s, i, person_by_surname);
    uint32_t index;
    auto it = entity_by_key.find(key);
    if (key.rfind("entity:", 0) == 0) {
      index = static_cast<uint32_t>(std::stoul(key.substr(7)));
    } else if (it != entity_by_key.end()) {
      index = it->second;
    } else {
      index = static_cast<uint32_t>(out.entities.size());
      entity_by_key.emplace(key, index);
      Entity e;
      e.type = m.type;
      if (m.entry >= 0) {
        e.name = std::string(g.entry(m.entry).name);
        e.canonical = MakeCanonical(g, static_cast<uint32_t>(m.entry));
      }
      out.entities.push_back(std::move(e));
    }
    Entity& e = out.entities[index];
    e.mentions.push_back(static_cast<uint32_t>(i));
    const RoleText& role = s.role_of[i];
    if (!role.span.empty() &&
        std::find(e.roles.begin(), e.roles.end(), role) == e.roles.end()) {
      e.roles.push_back(role);
    }
    m.entity = static_cast<int32_t>(index);
    if (m.entry < 0 &&
        (m.role != MentionRole::kShortName || e.name.empty())) {
      std::string t = text_of(m);
      if (t.size() > e.name.size()) e.name = t;
    }
    if (m.type == EntityType::kPerson &&
        WordCount(tokens, m.token_begin, m.token_end) >= 2) {
      person_by_surname.emplace(tokens[m.token_end - 1].key, index);
    }
  }
}

}  // namespace extract
