// Step AssignParticipants (of BuildEventMentions). Reads the trigger, its
// gazetteer entry's roles (subject_role, object_role, by_role), the clause
// around it and the pronoun context. Adds the event's voice (active,
// passive, inverted, nominal), the pattern that built it (event.active,
// ...), its actors and its targets.
#include <algorithm>

#include "events/passes.h"

namespace extract {
namespace {

// Where a be-form makes the trigger passive ("was kidnapped") or inverted
// ("Executed ... was Mariam Cisse").
struct VoiceCues {
  int32_t be_before = -1;
  int32_t be_after = -1;
  bool participle = false;
};

VoiceCues FindVoiceCues(const EventDoc& d, const Sentence& s,
                        const Trigger& tr, const Entry& te,
                        std::string_view pos) {
  const auto& tokens = d.seg.tokens;
  VoiceCues v;
  uint32_t first_word = s.token_begin;
  while (first_word < s.token_end &&
         tokens[first_word].kind == TokenKind::kPunct) {
    ++first_word;
  }
  for (uint32_t i = tr.token_begin; i > s.token_begin && i + 4 > tr.token_begin;
       --i) {
    if (IsBeForm(d.key(i - 1))) {
      v.be_before = static_cast<int32_t>(i - 1);
      break;
    }
    if (d.mention_of(i - 1) != nullptr ||
        tokens[i - 1].kind == TokenKind::kPunct) {
      break;
    }
  }
  // "was taken ... and shot": a participle coordinated with a passive.
  if (v.be_before < 0 && pos != "noun" && tr.token_begin > s.token_begin &&
      d.key(tr.token_begin - 1) == "and") {
    for (uint32_t i = tr.token_begin - 1; i > d.reach_begin(s, tr); --i) {
      if (IsBeForm(d.key(i - 1)) && i < s.token_end &&
          tokens[i].key.size() > 2 &&
          (tokens[i].key.ends_with("ed") || tokens[i].key.ends_with("en") ||
           tokens[i].key.ends_with("n") || tokens[i].key.ends_with("t"))) {
        v.be_before = static_cast<int32_t>(i - 1);
        break;
      }
    }
  }
  if (pos != "noun" && tr.token_begin == first_word) {
    for (uint32_t i = tr.token_end; i < d.reach_end(s, tr); ++i) {
      if (IsBeForm(d.key(i))) {
        v.be_after = static_cast<int32_t>(i);
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
  v.participle =
      tkey != lemma_head && !tkey.ends_with("ing") && !tkey.ends_with("s");
  return v;
}

// The roles of one trigger, filled by the voice patterns below.
struct Roles {
  const EventDoc& d;
  std::string_view subject_role, object_role, by_role;
  Event* ev;
  bool subject_found = false;

  void assign(std::string_view role, const Mention* m) {
    if (m == nullptr || m->entity < 0) return;
    if (role == "actor") AddUnique(&ev->actors, m->entity);
    else if (role == "target") AddUnique(&ev->targets, m->entity);
  }
};

// "JNIM's attack": the possessor takes the noun's subject role. "JNIM has
// enforced a blockade": the clause subject is the doer, unless its verb
// says it underwent the event ("she received death threats").
void AssignNominal(Roles* r, const Sentence& s, const Trigger& tr, uint32_t cb,
                   const PronounContext& pronouns, const Mention* by_agent) {
  const EventDoc& d = r->d;
  r->ev->voice = "nominal";
  r->ev->source = "event.nominal";
  const Mention* possessor = nullptr;
  for (uint32_t i = tr.token_begin; i > cb && i + 3 > tr.token_begin; --i) {
    if (d.key(i - 1) == "'s" && i >= 2 && d.mention_of(i - 2) != nullptr) {
      possessor = d.mention_of(i - 2);
      break;
    }
  }
  // "Protesters poured into the streets following the arrests of X": a
  // noun inside a phrase of time or cause is not the clause subject's act.
  bool framed = false;
  for (uint32_t i = tr.token_begin; i > cb && i + 4 > tr.token_begin; --i) {
    if (In(d.key(i - 1), {"following", "after", "before", "amid", "despite",
                          "over", "against", "since", "during"})) {
      framed = true;
      break;
    }
  }
  const Mention* subj = possessor != nullptr ? possessor
                        : framed             ? nullptr
                                             : d.subject_in(cb, tr.token_begin);
  r->subject_found = subj != nullptr;
  if (possessor != nullptr) {
    r->assign(r->subject_role, possessor);
  } else if (subj != nullptr) {
    bool patient = false;
    for (uint32_t i = subj->token_end; i < tr.token_begin; ++i) {
      patient |= IsPatientVerb(d.key(i));
    }
    r->assign(patient ? "target" : "actor", subj);
  } else {
    // "She had received death threats": a pronoun that underwent it.
    for (uint32_t i = cb; i < tr.token_begin; ++i) {
      if (!IsPatientVerb(d.key(i))) continue;
      r->subject_found = true;  // not a doer
      for (uint32_t k = cb; k < i; ++k) {
        const std::string_view pk = d.key(k);
        if (!IsSubjectPronoun(pk)) continue;
        AddUnique(&r->ev->targets, (pk == "he" || pk == "she")
                                       ? pronouns.previous_person
                                       : pronouns.previous_other);
        break;
      }
      break;
    }
  }
  for (uint32_t i = tr.token_end; i < s.token_end && i < tr.token_end + 2;
       ++i) {
    if (In(d.key(i), {"of", "on", "against", "targeting"})) {
      for (const Mention* m : d.objects_from(i + 1, s.token_end, 3, false)) {
        r->assign(r->object_role, m);
      }
      break;
    }
  }
  r->assign(r->by_role, by_agent);
}

void AssignVerbal(Roles* r, const Sentence& s, const Trigger& tr, uint32_t cb,
                  const VoiceCues& v, const Mention* by_agent) {
  const EventDoc& d = r->d;
  if (v.be_after >= 0) {
    r->ev->voice = "inverted";
    r->ev->source = "event.inverted";
    for (const Mention* m :
         d.objects_from(static_cast<uint32_t>(v.be_after) + 1, s.token_end, 3,
                        false)) {
      r->assign(r->object_role, m);
    }
  } else if (v.be_before >= 0 && v.participle) {
    r->ev->voice = "passive";
    r->ev->source = "event.passive";
    r->assign(r->object_role,
              d.subject_in(cb, static_cast<uint32_t>(v.be_before)));
  } else {
    r->ev->voice = "active";
    r->ev->source = "event.active";
    const Mention* subj = d.subject_in(cb, tr.token_begin);
    r->subject_found = subj != nullptr;
    r->assign(r->subject_role, subj);
    for (const Mention* m : d.objects_from(tr.token_end, s.token_end, 3, false)) {
      r->assign(r->object_role, m);
    }
  }
  r->assign(r->by_role, by_agent);
}

// "They condemned ...", "This includes bringing in ...": the subject of the
// previous sentence.
void ResolvePronounActor(const Roles& r, const Trigger& tr, uint32_t cb,
                         const PronounContext& pronouns) {
  const EventDoc& d = r.d;
  Event* ev = r.ev;
  uint32_t pronoun = cb;
  for (uint32_t i = tr.token_begin; i > cb && i + 4 > tr.token_begin; --i) {
    if (IsSubjectPronoun(d.key(i - 1))) {
      pronoun = i - 1;
      break;
    }
  }
  if (!r.subject_found && r.subject_role == "actor" &&
      (ev->voice == "active" || ev->voice == "nominal") &&
      IsSubjectPronoun(d.key(pronoun))) {
    const std::string_view k = d.key(pronoun);
    const int32_t antecedent = (k == "he" || k == "she")
                                   ? pronouns.previous_person
                                   : pronouns.previous_other;
    if (antecedent >= 0 &&
        std::find(ev->targets.begin(), ev->targets.end(),
                  static_cast<uint32_t>(antecedent)) == ev->targets.end()) {
      AddUnique(&ev->actors, antecedent);
    }
  }
}

// Abductions and ransom demands: the victims named in the sentence ("Among
// the victims are three Egyptian nationals and JNIM is demanding a
// ransom"), within kSentenceReach of the trigger.
void AddHostageVictims(const EventDoc& d, const Sentence& s, const Trigger& tr,
                       Event* ev) {
  for (uint32_t t = d.reach_begin(s, tr); t < d.reach_end(s, tr); ++t) {
    const Mention* m = d.mention_of(t);
    if (m == nullptr || m->token_begin != t || m->entity < 0) continue;
    const bool victim =
        m->role == MentionRole::kDemonym || m->type == EntityType::kPerson;
    if (victim && std::find(ev->actors.begin(), ev->actors.end(),
                            static_cast<uint32_t>(m->entity)) ==
                      ev->actors.end()) {
      AddUnique(&ev->targets, m->entity);
    }
  }
}

}  // namespace

void AssignParticipants(const EventDoc& d, const Sentence& s, const Trigger& tr,
                        const Entry& te, const std::string& cls,
                        std::string_view pos, const PronounContext& pronouns,
                        Event* ev) {
  const VoiceCues v = FindVoiceCues(d, s, tr, te, pos);
  Roles r{d, d.g.Attr(te, "subject_role"), d.g.Attr(te, "object_role"),
          d.g.Attr(te, "by_role"), ev};
  const uint32_t cb = d.clause_start(s, tr.token_begin);
  // The by-phrase: "by her captors", "attack by JNIM".
  const Mention* by_agent = nullptr;
  for (uint32_t i = tr.token_end; i + 1 < s.token_end && i < tr.token_end + 10;
       ++i) {
    if (d.key(i) == "by") {
      auto objs = d.objects_from(i + 1, s.token_end, 2, false);
      if (!objs.empty()) by_agent = objs.front();
      break;
    }
  }
  if (pos == "noun") {
    AssignNominal(&r, s, tr, cb, pronouns, by_agent);
  } else {
    AssignVerbal(&r, s, tr, cb, v, by_agent);
  }
  ResolvePronounActor(r, tr, cb, pronouns);
  const bool hostage_event = cls == "abduction" || cls == "ransom_demand" ||
                             cls == "hostage_release";
  if (hostage_event && ev->targets.empty()) AddHostageVictims(d, s, tr, ev);
  // ", killing one civilian": a participle clause shares the subject of the
  // clause it hangs on.
  const std::string_view tkey = d.key(tr.token_begin);
  if (ev->actors.empty() && !r.subject_found && tkey.ends_with("ing") &&
      tr.token_begin > s.token_begin && d.key(tr.token_begin - 1) == "," &&
      !d.events.empty() && d.events.back().sentence == tr.sentence) {
    ev->actors = d.events.back().actors;
  }
}

}  // namespace extract
