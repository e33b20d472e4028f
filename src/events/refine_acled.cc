// Step RefineAcled (of BuildEventMentions). Reads the event's ACLED codes,
// its class and the words of its sentence. Changes the ACLED type and
// sub-type by ACLED's coding conventions (see ACLED's codebook): a remote
// weapon makes violence "Explosions/Remote violence" (or "Disrupted weapons
// use" when the device is found or defused); an attack on armed people or
// posts is a battle, not violence against civilians; a protest with
// burning or clashes is a riot, one dispersed by force a protest with
// intervention; an attack that only takes property is looting.
#include <cmath>

#include "events/passes.h"

namespace extract {
namespace {

struct SentenceWords {
  const EventDoc& d;
  const Sentence& s;
  bool has_key(std::initializer_list<std::string_view> keys) const {
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (In(d.key(t), keys)) return true;
    }
    return false;
  }
  bool has_feature(uint64_t f) const {
    for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
      if (d.features[t] & f) return true;
    }
    return false;
  }
};

void Set(Event* ev, const char* type, const char* sub) {
  ev->acled_event_type = type;
  ev->acled_sub_event_type = sub;
}

// The remote weapon named in the sentence, as an ACLED sub-type, or null.
const char* RemoteWeapon(const SentenceWords& w) {
  if (w.has_key({"suicide"})) return "Suicide bomb";
  if (w.has_key({"airstrike", "airstrikes", "drone", "drones", "aircraft",
                 "helicopter", "helicopters", "jets", "aerial"})) {
    return "Air/drone strike";
  }
  if (w.has_key({"mortar", "mortars", "rocket", "rockets", "shell", "shells",
                 "shelling", "artillery", "missile", "missiles"})) {
    return "Shelling/artillery/missile attack";
  }
  if (w.has_key({"grenade", "grenades"})) return "Grenade";
  if (w.has_key({"ied", "ieds", "mine", "mines", "landmine", "landmines",
                 "explosive", "explosives", "bomb", "bombs"})) {
    return "Remote explosive/landmine/IED";
  }
  return nullptr;
}

// Who or what was attacked: is the object phrase after the trigger armed?
bool ArmedObject(const EventDoc& d, const Sentence& s, const Trigger& tr) {
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
              kFeatPoliceNoun)) &&
        !civilian) {
      armed = true;
    }
    if (const Mention* m = d.mention_of(t); m != nullptr && m->entry >= 0) {
      const std::string_view kind = d.g.Attr(d.g.entry(m->entry), "kind");
      if (kind == "military" || kind == "police" || kind == "armed_group" ||
          kind == "militia" || kind == "rebel_group" || kind == "mission") {
        armed = !civilian;
      }
    }
  }
  return armed;
}

bool ActorsDemonstrate(const EventDoc& d, const Event& ev) {
  for (uint32_t a : ev.actors) {
    const Entry* e = d.entry_of(a);
    const std::string_view name = d.ents.entities[a].name;
    if ((e != nullptr && (e->id.find("protesters") != std::string_view::npos ||
                          e->id.find("rioters") != std::string_view::npos)) ||
        In(name, {"protesters", "demonstrators", "rioters", "Protesters",
                  "Demonstrators", "Rioters"})) {
      return true;
    }
  }
  return false;
}

// True when what was seized are people: a person or civilians among the
// targets, or a count of people as the passive subject or the object.
bool TakesPeople(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 const Event& ev) {
  for (uint32_t t : ev.targets) {
    if (d.ents.entities[t].type == EntityType::kPerson) return true;
  }
  auto people_at = [&](uint32_t t) {
    return (d.features[t] & (kFeatCivilianNoun | kFeatNationalityNoun)) != 0;
  };
  // "40 were seized", "two traders were seized": a count of people as the
  // subject of a passive.
  if (tr.token_begin >= s.token_begin + 2 &&
      IsBeForm(d.key(tr.token_begin - 1))) {
    const uint32_t t = tr.token_begin - 2;
    if (d.tok(t).kind == TokenKind::kNumber || people_at(t)) return true;
  }
  // "seized two traders", "seized the villagers": the object itself.
  for (uint32_t t = tr.token_end; t < s.token_end && t < tr.token_end + 3;
       ++t) {
    if (people_at(t)) return true;
    const bool modifier = d.tok(t).kind == TokenKind::kNumber ||
                          !std::isnan(d.number[t]) || IsDeterminer(d.key(t)) ||
                          In(d.key(t), {"a", "an", "some", "several"});
    if (!modifier) break;
  }
  return false;
}

void RefineProtest(const SentenceWords& w, Event* ev) {
  if (w.has_key({"mob", "lynched", "lynching"})) {
    Set(ev, "Riots", "Mob violence");
  } else if (w.has_key({"burned", "burnt", "burning", "ransacked", "looted",
                        "vandalized", "vandalised", "clashes", "clashed",
                        "stones", "rocks", "torched", "destroyed",
                        "barricades"})) {
    Set(ev, "Riots", "Violent demonstration");
  } else if (w.has_key({"dispersed", "teargas", "tear", "arrested", "fired",
                        "detained"})) {
    Set(ev, "Protests", "Protest with intervention");
  } else {
    Set(ev, "Protests", "Peaceful protest");
  }
}

}  // namespace

void RefineAcled(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 const std::string& cls, Event* ev) {
  const SentenceWords w{d, s};
  const std::string_view type = ev->acled_event_type;
  const bool violent = IsViolent(type);
  const bool harmed = w.has_feature(kFeatFatalityCue | kFeatInjuryCue);

  if (violent && cls != "execution" && cls != "abduction" &&
      cls != "sexual_violence") {
    if (const char* sub = RemoteWeapon(w); sub != nullptr) {
      const bool disrupted =
          !harmed && w.has_key({"defused", "defuse", "discovered",
                                "neutralized", "neutralised", "dismantled",
                                "found", "detected", "deactivated",
                                "disarmed"});
      if (disrupted) {
        Set(ev, "Strategic developments", "Disrupted weapons use");
      } else {
        Set(ev, "Explosions/Remote violence", sub);
      }
      return;
    }
  }
  if (type == "Violence against civilians" &&
      ev->acled_sub_event_type == "Attack" && cls != "execution") {
    if (ArmedObject(d, s, tr)) {
      Set(ev, "Battles", "Armed clash");
      return;
    }
    if (!harmed && w.has_key({"stripped", "belongings", "stole", "stolen",
                              "looted", "robbed", "ransacked", "looting"})) {
      Set(ev, "Strategic developments", "Looting/property destruction");
      return;
    }
  }
  if (type == "Protests") RefineProtest(w, ev);
  // "Protesters burned down the consulate": violence by demonstrators is a
  // riot.
  if (ActorsDemonstrate(d, *ev) &&
      (cls == "arson" || cls == "property_destruction" || cls == "attack" ||
       cls == "looting")) {
    Set(ev, "Riots", "Violent demonstration");
  }
  // "Roughly 40 were seized", "seized two traders": people taken are an
  // abduction, not a seizure of goods.
  if (cls == "seizure" && (ev->hostages || TakesPeople(d, s, tr, *ev))) {
    Set(ev, "Violence against civilians", "Abduction/forced disappearance");
  }
}

}  // namespace extract
