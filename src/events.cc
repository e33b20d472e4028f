// Event assembly: triggers, then participants by a few general syntactic
// patterns over tokens and mentions (active, passive, inverted, nominal),
// with dates, numbers, negation and modality from nearby cue words.
// The patterns are named (event.active, ...) and each event says which one
// built it.
#include "events.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace extract {
namespace {

// The first byte is compared before the rest: most keys have the length
// of some word in the list but not its first letter, and this runs for
// every token of a sentence against lists of a dozen words (a memcmp call
// for each was 0.7% of a run).
bool In(std::string_view key, std::initializer_list<std::string_view> set) {
  for (std::string_view s : set) {
    if (key.size() == s.size() && (s.empty() || key[0] == s[0]) && key == s) {
      return true;
    }
  }
  return false;
}

bool IsBeForm(std::string_view k) {
  return In(k, {"was", "were", "is", "are", "been", "being", "be", "got",
                "get", "gets", "getting"});
}

bool IsPreposition(std::string_view k) {
  return In(k, {"of", "in", "at", "to", "from", "near", "with", "for", "by",
                "against", "on", "into", "onto", "towards", "toward", "across",
                "through", "between", "among", "around", "outside", "inside",
                "within", "over", "under", "after", "before", "since",
                "during", "like", "about", "than", "as", "via", "including"});
}

bool IsDeterminer(std::string_view k) {
  return In(k, {"the", "this", "that", "these", "those", "her", "his", "its",
                "their", "our", "such"});
}

// Verbs whose subject undergoes the event a noun names ("she received death
// threats", "the town suffered an attack").
bool IsPatientVerb(std::string_view k) {
  return In(k, {"received", "receives", "receive", "receiving", "suffered",
                "suffers", "suffer", "faced", "faces", "face", "facing",
                "endured", "survived", "survives", "experienced", "escaped",
                "feared", "fears", "witnessed", "underwent"});
}

bool IsSubjectPronoun(std::string_view k) {
  return In(k, {"he", "she", "they", "it", "this", "these", "we"});
}

// True when a token's numeric value can be a count of people: finite, not
// negative, and small enough to convert to int64_t ("1e20 goats" is not a
// toll, and converting it would be undefined behaviour).
bool IsCount(double v) { return v >= 0 && v <= 9.0e15; }

// ACLED event types where a stated death toll belongs to the event.
bool IsViolent(std::string_view acled_type) {
  return acled_type == "Battles" || acled_type == "Violence against civilians" ||
         acled_type == "Explosions/Remote violence" || acled_type == "Riots";
}

struct Doc {
  const NormalizedText& text;
  const Segmentation& seg;
  const std::vector<uint64_t>& features;
  const EntityAssembly& ents;
  const Gazetteer& g;
  std::vector<int32_t> mention_at;   // token -> top-level mention, or -1
  std::vector<double> number;        // token -> numeric value, or NaN
  // token -> ISO code, or "" (a view into the gazetteer's text)
  std::vector<std::string_view> currency;
  std::vector<uint8_t> parenthetical;

  const Token& tok(uint32_t i) const { return seg.tokens[i]; }
  std::string_view key(uint32_t i) const { return seg.tokens[i].key; }
};

// Fills the per-token maps a document needs.
void Prepare(Doc* d, const std::vector<GazetteerMatch>& matches) {
  const auto& tokens = d->seg.tokens;
  const size_t n = tokens.size();
  d->mention_at.assign(n, -1);
  // Outer mentions first, so a name nested in a descriptor is hidden.
  std::vector<size_t> order(d->ents.mentions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // The index breaks ties, as std::stable_sort would, without its buffer.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Mention& x = d->ents.mentions[a];
    const Mention& y = d->ents.mentions[b];
    const uint32_t nx = x.token_end - x.token_begin;
    const uint32_t ny = y.token_end - y.token_begin;
    return nx != ny ? nx > ny : a < b;
  });
  for (size_t i : order) {
    const Mention& m = d->ents.mentions[i];
    bool free = true;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      free &= d->mention_at[t] < 0;
    }
    if (!free) continue;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      d->mention_at[t] = static_cast<int32_t>(i);
    }
  }
  d->number.assign(n, std::nan(""));
  d->currency.assign(n, std::string_view());
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kNumber) continue;
    std::string digits;
    for (char c : t.key) {
      if (c != ',') digits += c;
    }
    double v;
    auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec == std::errc()) d->number[i] = v;
  }
  for (const GazetteerMatch& m : matches) {
    const Entry& e = d->g.entry(m.entry);
    if (e.type != EntryType::kWord || m.token_end - m.token_begin != 1) continue;
    if (e.word_features & (kFeatNumberWord | kFeatScale)) {
      if (e.number > 0) d->number[m.token_begin] = e.number;
    } else if (e.word_features & kFeatCurrency) {
      d->currency[m.token_begin] = d->g.Attr(e, "value");
    }
  }
  d->parenthetical.assign(n, 0);
  for (const Sentence& s : d->seg.sentences) {
    int32_t open = -1;
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      const Token& t = tokens[i];
      if (t.kind != TokenKind::kPunct || t.has(kJoiner)) continue;
      const bool dash = t.key == "-" || t.key == "\xe2\x80\x94";  // - or —
      if (t.key == "(" || (dash && open < 0)) {
        open = static_cast<int32_t>(i);
      } else if ((t.key == ")" || dash) && open >= 0) {
        for (uint32_t k = open; k <= i; ++k) d->parenthetical[k] = 1;
        open = -1;
      }
    }
  }
}

// ACLED's coding conventions, read off the event's sentence (see ACLED's
// codebook): a remote weapon makes violence "Explosions/Remote violence"
// (or "Disrupted weapons use" when the device is found or defused); an
// attack on armed people or posts is a battle, not violence against
// civilians; a protest with burning or clashes is a riot, one dispersed by
// force a protest with intervention; an attack that only takes property is
// looting.
template <typename MentionOf>
void RefineAcled(Event* ev, const Doc& d, const Sentence& s, const Trigger& tr,
                 const std::string& cls, MentionOf mention_of) {
  auto has_key = [&](std::initializer_list<std::string_view> keys) {
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (In(d.key(t), keys)) return true;
    }
    return false;
  };
  auto has_feature = [&](uint64_t f) {
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (d.features[t] & f) return true;
    }
    return false;
  };
  auto set = [&](const char* type, const char* sub) {
    ev->acled_event_type = type;
    ev->acled_sub_event_type = sub;
  };
  const std::string_view type = ev->acled_event_type;
  const bool violent = IsViolent(type);
  const bool harmed = has_feature(kFeatFatalityCue | kFeatInjuryCue);

  if (violent && cls != "execution" && cls != "abduction" &&
      cls != "sexual_violence") {
    const char* sub = nullptr;
    if (has_key({"suicide"})) sub = "Suicide bomb";
    else if (has_key({"airstrike", "airstrikes", "drone", "drones", "aircraft",
                      "helicopter", "helicopters", "jets", "aerial"})) {
      sub = "Air/drone strike";
    } else if (has_key({"mortar", "mortars", "rocket", "rockets", "shell",
                        "shells", "shelling", "artillery", "missile",
                        "missiles"})) {
      sub = "Shelling/artillery/missile attack";
    } else if (has_key({"grenade", "grenades"})) {
      sub = "Grenade";
    } else if (has_key({"ied", "ieds", "mine", "mines", "landmine",
                        "landmines", "explosive", "explosives", "bomb",
                        "bombs"})) {
      sub = "Remote explosive/landmine/IED";
    }
    if (sub != nullptr) {
      const bool disrupted =
          !harmed && has_key({"defused", "defuse", "discovered", "neutralized",
                              "neutralised", "dismantled", "found", "detected",
                              "deactivated", "disarmed"});
      if (disrupted) {
        set("Strategic developments", "Disrupted weapons use");
      } else {
        set("Explosions/Remote violence", sub);
      }
      return;
    }
  }
  if (type == "Violence against civilians" &&
      ev->acled_sub_event_type == "Attack" && cls != "execution") {
    // Who or what was attacked: the object phrase after the trigger.
    bool armed = false, civilian = false;
    for (uint32_t t = tr.token_end; t < s.token_end && t < tr.token_end + 7;
         ++t) {
      const Token& tok = d.tok(t);
      if (tok.kind == TokenKind::kPunct && tok.key != "'s" && tok.key != "-") {
        break;
      }
      const uint64_t f = d.features[t];
      if (f & kFeatCivilianNoun) civilian = true;
      if ((f & (kFeatArmedTarget | kFeatArmedNoun | kFeatMilitaryNoun |
                kFeatPoliceNoun)) && !civilian) {
        armed = true;
      }
      if (const Mention* m = mention_of(t); m != nullptr && m->entry >= 0) {
        const std::string_view kind = d.g.Attr(d.g.entry(m->entry), "kind");
        if (kind == "military" || kind == "police" || kind == "armed_group" ||
            kind == "militia" || kind == "rebel_group" || kind == "mission") {
          armed = !civilian;
        }
      }
    }
    if (armed) {
      set("Battles", "Armed clash");
      return;
    }
    if (!harmed && has_key({"stripped", "belongings", "stole", "stolen",
                            "looted", "robbed", "ransacked", "looting"})) {
      set("Strategic developments", "Looting/property destruction");
      return;
    }
  }
  if (type == "Protests") {
    if (has_key({"mob", "lynched", "lynching"})) {
      set("Riots", "Mob violence");
    } else if (has_key({"burned", "burnt", "burning", "ransacked", "looted",
                        "vandalized", "vandalised", "clashes", "clashed",
                        "stones", "rocks", "torched", "destroyed",
                        "barricades"})) {
      set("Riots", "Violent demonstration");
    } else if (has_key({"dispersed", "teargas", "tear", "arrested", "fired",
                        "detained"})) {
      set("Protests", "Protest with intervention");
    } else {
      set("Protests", "Peaceful protest");
    }
  }
}

struct Participants {
  std::vector<uint32_t> actors, targets;
};

void AddUnique(std::vector<uint32_t>* v, int32_t entity) {
  if (entity < 0) return;
  if (std::find(v->begin(), v->end(), static_cast<uint32_t>(entity)) ==
      v->end()) {
    v->push_back(static_cast<uint32_t>(entity));
  }
}

}  // namespace

std::vector<Trigger> FindTriggers(const Segmentation& seg,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<RuleHit>& hits,
                                  const Gazetteer& g, const RuleSet& rules) {
  // The source is named only for the candidates chosen: a gazetteer
  // line's (rank 1) is built from its entry then; a rule's (rank 2) is its
  // id.
  struct C {
    uint32_t tb, te;
    int32_t entry;
    std::string_view rule_id;
    int rank;
  };
  std::vector<C> cands;
  for (const GazetteerMatch& m : matches) {
    // "On March 19": a date, not a march.
    bool in_date = false;
    for (uint32_t t = m.token_begin; t < m.token_end; ++t) {
      in_date |= (features[t] & kFeatDate) != 0;
    }
    if (in_date) continue;
    if (g.entry(m.entry).type == EntryType::kEvent) {
      cands.push_back({m.token_begin, m.token_end,
                       static_cast<int32_t>(m.entry), std::string_view(), 1});
    }
  }
  for (const RuleHit& h : hits) {
    const Rule& r = rules.rules()[h.rule];
    if (r.action != RuleAction::kTrigger) continue;
    if (!h.capture.empty() && h.capture != "t") continue;
    cands.push_back({h.token_begin, h.token_end, r.event_entry, r.id, 2});
  }
  std::stable_sort(cands.begin(), cands.end(), [](const C& a, const C& b) {
    if (a.te - a.tb != b.te - b.tb) return a.te - a.tb > b.te - b.tb;
    if (a.rank != b.rank) return a.rank > b.rank;
    return a.tb < b.tb;
  });
  std::vector<uint8_t> taken(seg.tokens.size(), 0);
  std::vector<Trigger> out;
  for (const C& c : cands) {
    bool free = true;
    for (uint32_t t = c.tb; t < c.te; ++t) free &= !taken[t];
    if (!free) continue;
    for (uint32_t t = c.tb; t < c.te; ++t) taken[t] = 1;
    Trigger tr;
    tr.token_begin = c.tb;
    tr.token_end = c.te;
    tr.span = Span{seg.tokens[c.tb].span.begin, seg.tokens[c.te - 1].span.end};
    tr.entry = c.entry;
    tr.source = c.rank == 1
                    ? g.Source(g.entry(static_cast<uint32_t>(c.entry)))
                    : std::string(c.rule_id);
    out.push_back(std::move(tr));
  }
  std::sort(out.begin(), out.end(), [](const Trigger& a, const Trigger& b) {
    return a.token_begin < b.token_begin;
  });
  // Each trigger's sentence: the first sentence holding its first token.
  // Filled from the last sentence back, so the first one wins.
  std::vector<uint32_t> sentence_of(seg.tokens.size(), UINT32_MAX);
  for (size_t s = seg.sentences.size(); s-- > 0;) {
    const Sentence& sentence = seg.sentences[s];
    for (uint32_t k = sentence.token_begin;
         k < sentence.token_end && k < sentence_of.size(); ++k) {
      sentence_of[k] = static_cast<uint32_t>(s);
    }
  }
  for (Trigger& t : out) {
    if (t.token_begin < sentence_of.size() &&
        sentence_of[t.token_begin] != UINT32_MAX) {
      t.sentence = sentence_of[t.token_begin];
    }
  }
  return out;
}

std::vector<Event> AssembleEvents(const NormalizedText& text,
                                  const Segmentation& seg,
                                  const std::vector<uint64_t>& features,
                                  const std::vector<GazetteerMatch>& matches,
                                  const std::vector<Trigger>& triggers,
                                  const EntityAssembly& ents,
                                  const std::vector<DateExpr>& dates,
                                  const Gazetteer& g) {
  Doc d{text, seg, features, ents, g, {}, {}, {}, {}};
  Prepare(&d, matches);
  // FindDates returns them in text order; the paragraph-date search below
  // bisects them.
  assert(std::is_sorted(dates.begin(), dates.end(),
                        [](const DateExpr& a, const DateExpr& b) {
                          return a.span.begin < b.span.begin;
                        }));
  const auto& tokens = seg.tokens;

  auto mention_of = [&](uint32_t t) -> const Mention* {
    int32_t i = d.mention_at[t];
    return i < 0 ? nullptr : &ents.mentions[i];
  };
  // An entity's mentions in one sentence, in the order of its mention list,
  // without walking the whole list each time (a long document mentions an
  // entity thousands of times): (sentence, mention) pairs, sorted, built
  // for an entity when first asked.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> by_sentence(
      ents.entities.size());
  auto mentions_in_sentence = [&](uint32_t entity, uint32_t sentence) {
    std::vector<std::pair<uint32_t, uint32_t>>& list = by_sentence[entity];
    const std::vector<uint32_t>& mentions = ents.entities[entity].mentions;
    if (list.empty() && !mentions.empty()) {
      list.reserve(mentions.size());
      for (uint32_t k = 0; k < mentions.size(); ++k) {
        list.emplace_back(ents.mentions[mentions[k]].sentence, k);
      }
      std::sort(list.begin(), list.end());
    }
    const auto first = std::lower_bound(
        list.begin(), list.end(), std::make_pair(sentence, uint32_t{0}));
    const auto last = std::lower_bound(
        first, list.end(), std::make_pair(sentence + 1, uint32_t{0}));
    return std::span<const std::pair<uint32_t, uint32_t>>(
        list.data() + (first - list.begin()), last - first);
  };
  auto is_country = [&](const Mention& m) {
    return m.entry >= 0 && !g.Attr(g.entry(m.entry), "iso2").empty();
  };
  // Could this mention be the doer of something?
  auto can_act = [&](const Mention& m) {
    if (m.role == MentionRole::kDemonym) return false;
    if (m.type == EntityType::kPlace) return is_country(m);
    return true;
  };
  auto can_be_target = [&](const Mention& m) {
    return m.type != EntityType::kPlace || m.role == MentionRole::kDemonym ||
           is_country(m);
  };
  auto preceded_by_preposition = [&](const Mention& m, uint32_t floor) {
    uint32_t t = m.token_begin;
    while (t > floor && IsDeterminer(d.key(t - 1))) --t;
    if (t <= floor || !IsPreposition(d.key(t - 1))) return false;
    // "a group of Malian soldiers", "dozens of gunmen": a quantity, not a
    // prepositional phrase.
    return !(d.key(t - 1) == "of" && t - 1 > floor &&
             In(d.key(t - 2), {"group", "groups", "dozens", "hundreds",
                               "thousands", "members", "number", "unit",
                               "units", "elements", "team", "band", "some",
                               "several", "many", "dozen", "scores"}));
  };
  // The first token of the clause holding token `t`.
  auto clause_start = [&](const Sentence& s, uint32_t t) {
    uint32_t b = s.token_begin;
    for (uint32_t i = s.token_begin; i < t; ++i) {
      std::string_view k = d.key(i);
      if (d.parenthetical[i]) continue;
      if (k == ";" || k == ":" || k == "\xe2\x80\x94" || k == "\xe2\x80\x93") {
        b = i + 1;
      } else if ((k == "and" || k == "but" || k == "while") && i + 1 < t) {
        // "..., and JNIM is demanding": a new subject starts a new clause.
        const Mention* next = mention_of(i + 1);
        if ((next != nullptr && can_act(*next)) ||
            IsSubjectPronoun(d.key(i + 1))) {
          b = i + 1;
        }
      }
    }
    return b;
  };
  // The leftmost possible doer in [b, e), outside parentheticals and
  // prepositional phrases.
  auto subject_in = [&](uint32_t b, uint32_t e) -> const Mention* {
    for (uint32_t t = b; t < e; ++t) {
      const Mention* m = mention_of(t);
      if (m == nullptr || d.parenthetical[t]) continue;
      if (m->token_begin != t) continue;
      if (can_act(*m) && !preceded_by_preposition(*m, b)) return m;
    }
    return nullptr;
  };
  // Mentions of a noun phrase starting near `t`: "French and United
  // Nations forces" gives both.
  auto objects_from = [&](uint32_t t, uint32_t limit, uint32_t max_gap,
                          bool allow_prepositions) {
    std::vector<const Mention*> out;
    uint32_t gap = 0;
    for (uint32_t i = t; i < limit; ++i) {
      const Mention* m = mention_of(i);
      if (m != nullptr && m->token_begin == i) {
        if (!can_be_target(*m)) break;
        out.push_back(m);
        i = m->token_end - 1;
        gap = 0;
        continue;
      }
      std::string_view k = d.key(i);
      if (!out.empty()) {
        if (k == "and" || k == "or" || k == ",") continue;
        break;
      }
      if (!allow_prepositions && IsPreposition(k)) break;
      if (In(k, {"that", "which", "who", "whom", "whether", "if", "because"})) {
        break;
      }
      if (tokens[i].kind == TokenKind::kPunct && k != "'s") break;
      if (++gap > max_gap) break;
    }
    return out;
  };

  std::vector<Event> events;
  // The subjects of the last sentence that had one, for pronouns: a person
  // for "he"/"she", anything else for "they"/"it"/"this".
  int32_t previous_person = -1, previous_other = -1;
  int32_t sentence_person = -1, sentence_other = -1;
  uint32_t current_sentence = UINT32_MAX;
  // Date expressions by sentence, in order: an event looks at its own.
  std::unordered_map<uint32_t, std::vector<uint32_t>> dates_in;
  for (size_t k = 0; k < dates.size(); ++k) {
    dates_in[dates[k].sentence].push_back(static_cast<uint32_t>(k));
  }
  for (const Trigger& tr : triggers) {
    const Sentence& s = seg.sentences[tr.sentence];
    // A headline restates the body; its triggers would count events twice.
    if (s.headline && seg.sentences.size() > 1) continue;
    if (tr.sentence != current_sentence) {
      if (sentence_person >= 0) previous_person = sentence_person;
      if (sentence_other >= 0) previous_other = sentence_other;
      current_sentence = tr.sentence;
      sentence_person = sentence_other = -1;
      const Mention* subj = subject_in(s.token_begin, s.token_end);
      if (subj != nullptr) {
        (subj->type == EntityType::kPerson ? sentence_person : sentence_other) =
            subj->entity;
      }
    }
    const Entry& te = g.entry(tr.entry);
    const std::string cls(g.Attr(te, "class"));
    const std::string_view pos = g.Attr(te, "pos");

    // An event noun modifying another noun: "combat gear".
    if (pos == "noun" && tr.token_end < s.token_end &&
        (features[tr.token_end] & kFeatCompoundHead)) {
      continue;
    }
    // A noun that characterizes rather than reports: "held to be a primary
    // threat", "is a threat", "as an attack on democracy".
    if (pos == "noun") {
      bool predicate = false;
      for (uint32_t i = tr.token_begin; i > s.token_begin + 1 &&
                                        i + 3 > tr.token_begin;
           --i) {
        if (In(d.key(i - 1), {"a", "an"})) {
          std::string_view before = d.key(i - 2);
          predicate = IsBeForm(before) || before == "as";
          break;
        }
      }
      if (predicate) continue;
    }
    // A definite noun repeating an earlier event: "the blockade".
    if (pos == "noun" && tr.token_begin > s.token_begin &&
        IsDeterminer(d.key(tr.token_begin - 1))) {
      bool seen = std::any_of(events.begin(), events.end(),
                              [&](const Event& e) { return e.type == cls; });
      if (seen) continue;
    }

    Event ev;
    ev.type = cls;
    ev.trigger = tr.span;
    ev.sentence = tr.sentence;
    ev.trigger_source = tr.source;
    ev.acled_event_type = std::string(g.Attr(te, "acled_event_type"));
    ev.acled_sub_event_type = std::string(g.Attr(te, "acled_sub_event_type"));
    ev.plover = std::string(g.Attr(te, "plover"));
    ev.cameo = std::string(g.Attr(te, "cameo"));
    if (const EventClass* ec = g.FindEventClass(cls)) {
      if (ev.acled_event_type.empty()) {
        ev.acled_event_type = ec->acled_event_type;
        ev.acled_sub_event_type = ec->acled_sub_event_type;
      }
      if (ev.plover.empty()) ev.plover = ec->plover;
      if (ev.cameo.empty()) ev.cameo = ec->cameo;
    }
    const std::string_view subject_role = g.Attr(te, "subject_role");
    const std::string_view object_role = g.Attr(te, "object_role");
    const std::string_view by_role = g.Attr(te, "by_role");

    // Voice.
    uint32_t first_word = s.token_begin;
    while (first_word < s.token_end &&
           tokens[first_word].kind == TokenKind::kPunct) {
      ++first_word;
    }
    int32_t be_before = -1;
    for (uint32_t i = tr.token_begin; i > s.token_begin &&
                                      i + 4 > tr.token_begin;
         --i) {
      if (IsBeForm(d.key(i - 1))) {
        be_before = static_cast<int32_t>(i - 1);
        break;
      }
      if (mention_of(i - 1) != nullptr ||
          tokens[i - 1].kind == TokenKind::kPunct) {
        break;
      }
    }
    // "was taken ... and shot": a participle coordinated with a passive.
    if (be_before < 0 && pos != "noun" && tr.token_begin > s.token_begin &&
        d.key(tr.token_begin - 1) == "and") {
      for (uint32_t i = tr.token_begin - 1; i > s.token_begin; --i) {
        if (IsBeForm(d.key(i - 1)) && i < s.token_end &&
            tokens[i].key.size() > 2 &&
            (tokens[i].key.ends_with("ed") || tokens[i].key.ends_with("en") ||
             tokens[i].key.ends_with("n") || tokens[i].key.ends_with("t"))) {
          be_before = static_cast<int32_t>(i - 1);
          break;
        }
      }
    }
    int32_t be_after = -1;
    if (pos != "noun" && tr.token_begin == first_word) {
      for (uint32_t i = tr.token_end; i < s.token_end; ++i) {
        if (IsBeForm(d.key(i))) {
          be_after = static_cast<int32_t>(i);
          break;
        }
      }
    }
    // The verb of a verbal trigger is its first word ("demanding a ransom").
    const std::string_view tkey = d.key(tr.token_begin);
    std::string_view lemma_head = te.name;
    if (size_t sp = lemma_head.find(' '); sp != std::string_view::npos) {
      lemma_head = lemma_head.substr(0, sp);
    }
    const bool participle =
        tkey != lemma_head && !tkey.ends_with("ing") && !tkey.ends_with("s");

    Participants p;
    bool subject_found = false;
    auto assign = [&](std::string_view role, const Mention* m) {
      if (m == nullptr || m->entity < 0) return;
      if (role == "actor") AddUnique(&p.actors, m->entity);
      else if (role == "target") AddUnique(&p.targets, m->entity);
    };
    const uint32_t cb = clause_start(s, tr.token_begin);
    // The by-phrase: "by her captors", "attack by JNIM".
    const Mention* by_agent = nullptr;
    for (uint32_t i = tr.token_end; i + 1 < s.token_end && i < tr.token_end + 10;
         ++i) {
      if (d.key(i) == "by") {
        auto objs = objects_from(i + 1, s.token_end, 2, false);
        if (!objs.empty()) by_agent = objs.front();
        break;
      }
    }
    if (pos == "noun") {
      ev.voice = "nominal";
      ev.source = "event.nominal";
      // "JNIM's attack": the possessor takes the noun's subject role.
      // "JNIM has enforced a blockade": the clause subject is the doer,
      // unless its verb says it underwent the event ("she received death
      // threats").
      const Mention* possessor = nullptr;
      for (uint32_t i = tr.token_begin; i > cb && i + 3 > tr.token_begin; --i) {
        if (d.key(i - 1) == "'s" && i >= 2 && mention_of(i - 2) != nullptr) {
          possessor = mention_of(i - 2);
          break;
        }
      }
      const Mention* subj =
          possessor != nullptr ? possessor : subject_in(cb, tr.token_begin);
      subject_found = subj != nullptr;
      if (possessor != nullptr) {
        assign(subject_role, possessor);
      } else if (subj != nullptr) {
        bool patient = false;
        for (uint32_t i = subj->token_end; i < tr.token_begin; ++i) {
          patient |= IsPatientVerb(d.key(i));
        }
        assign(patient ? "target" : "actor", subj);
      } else {
        // "She had received death threats": a pronoun that underwent it.
        for (uint32_t i = cb; i < tr.token_begin; ++i) {
          if (!IsPatientVerb(d.key(i))) continue;
          subject_found = true;  // not a doer
          for (uint32_t k = cb; k < i; ++k) {
            const std::string_view pk = d.key(k);
            if (!IsSubjectPronoun(pk)) continue;
            AddUnique(&p.targets, (pk == "he" || pk == "she") ? previous_person
                                                             : previous_other);
            break;
          }
          break;
        }
      }
      for (uint32_t i = tr.token_end; i < s.token_end && i < tr.token_end + 2;
           ++i) {
        if (In(d.key(i), {"of", "on", "against", "targeting"})) {
          for (const Mention* m : objects_from(i + 1, s.token_end, 3, false)) {
            assign(object_role, m);
          }
          break;
        }
      }
      assign(by_role, by_agent);
    } else if (be_after >= 0) {
      ev.voice = "inverted";
      ev.source = "event.inverted";
      for (const Mention* m :
           objects_from(static_cast<uint32_t>(be_after) + 1, s.token_end, 3,
                        false)) {
        assign(object_role, m);
      }
      assign(by_role, by_agent);
    } else if (be_before >= 0 && participle) {
      ev.voice = "passive";
      ev.source = "event.passive";
      assign(object_role, subject_in(cb, static_cast<uint32_t>(be_before)));
      assign(by_role, by_agent);
    } else {
      ev.voice = "active";
      ev.source = "event.active";
      const Mention* subj = subject_in(cb, tr.token_begin);
      subject_found = subj != nullptr;
      assign(subject_role, subj);
      for (const Mention* m : objects_from(tr.token_end, s.token_end, 3, false)) {
        assign(object_role, m);
      }
      assign(by_role, by_agent);
    }
    // "They condemned ...", "This includes bringing in ...": the subject of
    // the previous sentence.
    uint32_t pronoun = cb;
    for (uint32_t i = tr.token_begin; i > cb && i + 4 > tr.token_begin; --i) {
      if (IsSubjectPronoun(d.key(i - 1))) {
        pronoun = i - 1;
        break;
      }
    }
    if (!subject_found && subject_role == "actor" &&
        (ev.voice == "active" || ev.voice == "nominal") &&
        IsSubjectPronoun(d.key(pronoun))) {
      const std::string_view k = d.key(pronoun);
      const int32_t antecedent =
          (k == "he" || k == "she") ? previous_person : previous_other;
      if (antecedent >= 0 &&
          std::find(p.targets.begin(), p.targets.end(),
                    static_cast<uint32_t>(antecedent)) == p.targets.end()) {
        AddUnique(&p.actors, antecedent);
      }
    }
    // Abductions and ransom demands: the victims named in the sentence
    // ("Among the victims are three Egyptian nationals and JNIM is
    // demanding a ransom").
    const bool hostage_event = cls == "abduction" || cls == "ransom_demand" ||
                               cls == "hostage_release";
    if (hostage_event && p.targets.empty()) {
      for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
        const Mention* m = mention_of(t);
        if (m == nullptr || m->token_begin != t || m->entity < 0) continue;
        const bool victim = m->role == MentionRole::kDemonym ||
                            m->type == EntityType::kPerson;
        if (victim && std::find(p.actors.begin(), p.actors.end(),
                                static_cast<uint32_t>(m->entity)) ==
                          p.actors.end()) {
          AddUnique(&p.targets, m->entity);
        }
      }
    }
    // ", killing one civilian": a participle clause shares the subject of
    // the clause it hangs on.
    if (p.actors.empty() && !subject_found && tkey.ends_with("ing") &&
        tr.token_begin > s.token_begin && d.key(tr.token_begin - 1) == "," &&
        !events.empty() && events.back().sentence == tr.sentence) {
      p.actors = events.back().actors;
    }
    ev.actors = p.actors;
    ev.targets = p.targets;

    // Places: place names in the sentence that are not doers or victims,
    // not part of a title ("the mayor of the Timbuktu region") and not a
    // possessive ("Mali's capital").
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      const Mention* m = mention_of(t);
      if (m == nullptr || m->token_begin != t) continue;
      if (m->type != EntityType::kPlace || m->role == MentionRole::kDemonym) {
        continue;
      }
      if (m->entity < 0) continue;
      const uint32_t ent = static_cast<uint32_t>(m->entity);
      if (std::find(ev.actors.begin(), ev.actors.end(), ent) != ev.actors.end() ||
          std::find(ev.targets.begin(), ev.targets.end(), ent) !=
              ev.targets.end()) {
        continue;
      }
      if (m->token_end < s.token_end && d.key(m->token_end) == "'s") continue;
      uint32_t b = m->token_begin;
      while (b > s.token_begin && IsDeterminer(d.key(b - 1))) --b;
      // "the mayor of the Timbuktu region": part of a title, not where the
      // event was ("the streets of Bamako" is).
      if (b > s.token_begin + 1 && d.key(b - 1) == "of" &&
          (features[b - 2] & (kFeatTitle | kFeatGovernmentNoun |
                              kFeatMilitaryNoun | kFeatPoliceNoun))) {
        continue;
      }
      if (d.parenthetical[t] && !d.parenthetical[tr.token_begin] &&
          d.key(t > 0 ? t - 1 : t) != "(") {
        continue;
      }
      // "Dogofri (Niono, Segou)": the district and region qualify the
      // place before them; they are not other places of the event.
      bool qualifier = false;
      for (uint32_t k = t; k > s.token_begin && k + 8 > t; --k) {
        if (d.key(k - 1) == ")") break;
        if (d.key(k - 1) == "(") {
          const Mention* before = k >= 2 ? mention_of(k - 2) : nullptr;
          qualifier = before != nullptr && before->type == EntityType::kPlace;
          break;
        }
      }
      if (qualifier) continue;
      AddUnique(&ev.places, m->entity);
    }
    // ACLED notes say where an event was coded: "(coded as Sebete ...)".
    for (uint32_t t = s.token_begin; t + 2 < s.token_end; ++t) {
      if (d.key(t) != "coded" || d.key(t + 1) != "as") continue;
      const Mention* m = mention_of(t + 2);
      if (m == nullptr || m->type != EntityType::kPlace || m->entity < 0) break;
      const uint32_t ent = static_cast<uint32_t>(m->entity);
      ev.places.erase(std::remove(ev.places.begin(), ev.places.end(), ent),
                      ev.places.end());
      ev.places.insert(ev.places.begin(), ent);
      break;
    }

    // Date: the nearest date expression in the sentence.
    int64_t best = INT64_MAX;
    for (const uint32_t k : dates_in[tr.sentence]) {
      const DateExpr& de = dates[k];
      int64_t dist = std::llabs(static_cast<int64_t>(de.span.begin) -
                                static_cast<int64_t>(tr.span.begin));
      if (dist < best) {
        best = dist;
        ev.date = de;
      }
    }

    // Negation and modality from cue words just before the trigger.
    for (uint32_t i = tr.token_begin; i > s.token_begin &&
                                      i + 7 > tr.token_begin;
         --i) {
      const uint64_t f = features[i - 1];
      const bool near = i + 4 > tr.token_begin;
      if (near && (f & (kFeatNegation | kFeatNegationVerb))) ev.negated = true;
      if (ev.modality == "asserted") {
        if (f & kFeatModalThreat) ev.modality = "threatened";
        else if (near && (f & kFeatModalIntent)) ev.modality = "intended";
        else if (f & kFeatModalPossible) ev.modality = "possible";
      }
      // "no choice but to close schools": a cue does not cross a clause.
      if (d.key(i - 1) == "but" || d.key(i - 1) == "." ||
          d.key(i - 1) == ";") {
        break;
      }
    }
    // "a ransom for their release": a purpose, not an event that happened.
    if (pos == "noun" && tr.token_begin >= s.token_begin + 2 &&
        d.key(tr.token_begin - 2) == "for" &&
        IsDeterminer(d.key(tr.token_begin - 1))) {
      ev.modality = "intended";
    }
    if (tkey.ends_with("ing") && tr.token_begin > s.token_begin &&
        (features[tr.token_begin - 1] & kFeatNegationVerb)) {
      ev.negated = true;  // "denied attacking"
    }

    // Numbers: fatalities for violent events, hostages for abductions,
    // the ransom amount.
    if (IsViolent(ev.acled_event_type)) {
      // A count: a number that is not a date, an amount or a percentage.
      auto is_count = [&](uint32_t k) {
        return IsCount(d.number[k]) && !(features[k] & kFeatDate) &&
               !(k > s.token_begin && !d.currency[k - 1].empty()) &&
               !(k + 1 < s.token_end && d.key(k + 1) == "%");
      };
      // Words that may stand between a count and its verb: "two soldiers and
      // seven militants were killed", "at least 16 Fulani civilians".
      auto filler = [&](uint32_t k) {
        const std::string_view key = d.key(k);
        return (features[k] & (kFeatCasualtyNoun | kFeatCivilianNoun |
                               kFeatArmedTarget | kFeatArmedNoun |
                               kFeatDemonym | kFeatApproximator |
                               kFeatNationalityNoun)) ||
               In(key, {"and", ",", "were", "was", "have", "has", "been",
                        "had", "reportedly", "including", "at", "least",
                        "about", "some", "around", "approximately", "nearly",
                        "over", "more", "than", "other", "others", "of",
                        "them", "whom", "people", "the"}) ||
               (d.tok(k).has(kCapitalized) && d.tok(k).kind == TokenKind::kWord &&
                (features[k] & kFeatDemonym));
      };
      const bool killing_trigger =
          cls == "killing" || cls == "execution" || cls == "massacre";
      for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
        const bool cue = (features[i] & kFeatFatalityCue) ||
                         (killing_trigger && i == tr.token_begin);
        if (!cue) continue;
        int64_t sum = 0;
        bool any = false;
        // The nearest count before the cue ("1 peacekeeper killed"); ACLED
        // codes one toll per event, so counts are not added up.
        for (uint32_t k = i; k > s.token_begin && k + 6 > i; --k) {
          if (is_count(k - 1)) {
            sum = static_cast<int64_t>(d.number[k - 1]);
            any = true;
            break;
          }
        }
        if (!any) {
          for (uint32_t k = i + 1; k < s.token_end && k < i + 6; ++k) {
            if (is_count(k)) {
              sum = static_cast<int64_t>(d.number[k]);
              any = true;
              break;
            }
            if (!filler(k)) break;
          }
        }
        if (any) {
          ev.fatalities = sum;
          break;
        }
      }
    }
    if (hostage_event ||
        ev.acled_sub_event_type == "Abduction/forced disappearance") {
      for (uint32_t tgt : ev.targets) {
        for (const auto& [sentence, k] :
             mentions_in_sentence(tgt, tr.sentence)) {
          const Mention& m = ents.mentions[ents.entities[tgt].mentions[k]];
          if (m.token_begin == 0) continue;
          double v = d.number[m.token_begin - 1];
          if (IsCount(v)) ev.hostages = static_cast<int64_t>(v);
        }
      }
      if (!ev.hostages) {
        // "three Egyptian nationals": a number before a victim phrase.
        for (uint32_t i = s.token_begin; i + 1 < s.token_end; ++i) {
          if (!IsCount(d.number[i]) || (features[i] & kFeatDate)) continue;
          if (i > s.token_begin && !d.currency[i - 1].empty()) continue;
          const uint64_t f = features[i + 1] | (i + 2 < s.token_end ? features[i + 2] : 0);
          if (f & (kFeatCasualtyNoun | kFeatNationalityNoun | kFeatDemonym)) {
            ev.hostages = static_cast<int64_t>(d.number[i]);
            break;
          }
        }
      }
    }
    if (cls == "ransom_demand") {
      for (uint32_t i = s.token_begin; i + 1 < s.token_end; ++i) {
        if (d.currency[i].empty() || std::isnan(d.number[i + 1])) continue;
        Amount a;
        a.value = d.number[i + 1];
        a.unit = std::string(d.currency[i]);
        uint32_t end = i + 2;
        if (end < s.token_end && (features[end] & kFeatScale) &&
            !std::isnan(d.number[end])) {
          a.value *= d.number[end];
          ++end;
        }
        a.span = Span{tokens[i].span.begin, tokens[end - 1].span.end};
        ev.ransom = a;
        break;
      }
    }
    RefineAcled(&ev, d, s, tr, cls, mention_of);
    events.push_back(std::move(ev));
  }
  // One sentence usually reports one incident: an event with no actor
  // takes the actor of the nearest event of its sentence that has one ("a
  // bus was struck by an IED ..., the IED was most likely planted by Katiba
  // Serma militants"). A sentence that opens with a definite event noun
  // ("The operation was initiated by airstrike") continues the previous
  // sentence's incident.
  // Events by sentence, in index order: each looks at its own sentence's.
  std::unordered_map<uint32_t, std::vector<uint32_t>> events_in;
  for (size_t i = 0; i < events.size(); ++i) {
    events_in[events[i].sentence].push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    if (!e.actors.empty() || e.acled_event_type.empty()) continue;
    const Event* from = nullptr;
    size_t best = SIZE_MAX;
    for (const size_t j : events_in[e.sentence]) {
      const Event& o = events[j];
      if (j == i || o.sentence != e.sentence || o.actors.empty() ||
          o.acled_event_type.empty()) {
        continue;
      }
      const size_t dist = j > i ? j - i : i - j;
      if (dist < best) {
        best = dist;
        from = &o;
      }
    }
    if (from == nullptr && e.sentence > 0) {
      const Sentence& s = seg.sentences[e.sentence];
      const bool anaphoric =
          s.token_end > s.token_begin + 1 &&
          tokens[s.token_begin].key == "the" &&
          (features[s.token_begin + 1] & (kFeatTrigger | kFeatArmedNoun));
      for (size_t j = i; anaphoric && j-- > 0;) {
        if (events[j].sentence + 1 == e.sentence && !events[j].actors.empty() &&
            !events[j].acled_event_type.empty()) {
          from = &events[j];
          break;
        }
      }
    }
    if (from == nullptr) continue;
    for (uint32_t a : from->actors) {
      if (std::find(e.targets.begin(), e.targets.end(), a) == e.targets.end()) {
        e.actors.push_back(a);
      }
    }
  }
  // A report states its date once, up front ("On December 27, ... . The
  // assailants then ..."): a conflict event with no date in its sentence
  // takes a date that opens its paragraph (within its first 20 bytes, to
  // allow "Defusal: On March 19, ..."). A date later in a paragraph ("was
  // kidnapped last Friday") belongs to its own sentence only.
  for (Event& e : events) {
    if (e.date || e.acled_event_type.empty()) continue;
    // The last date that starts before the trigger (dates are in text
    // order).
    const auto after = std::partition_point(
        dates.begin(), dates.end(), [&](const DateExpr& de) {
          return de.span.begin < e.trigger.begin;
        });
    if (after == dates.begin()) continue;
    const DateExpr* best = &*(after - 1);
    const std::string_view between = std::string_view(text.text).substr(
        best->span.end, e.trigger.begin - best->span.end);
    if (between.find('\n') != std::string_view::npos) continue;
    const size_t paragraph = text.text.rfind('\n', best->span.begin);
    const size_t offset = paragraph == std::string::npos
                              ? best->span.begin
                              : best->span.begin - paragraph - 1;
    if (offset <= 20) e.date = *best;
  }
  for (size_t i = 0; i < events.size(); ++i) {
    events[i].id = "v" + std::to_string(i + 1);
  }
  return events;
}

}  // namespace extract
