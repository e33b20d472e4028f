// Step RefineAcled (of BuildEventMentions). Reads the event's ACLED codes,
// its class and the words of its sentence (gathered once per sentence by
// GatherAcledCues). Changes the ACLED type and
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

// The word lists RefineAcled asks about, as bits of AcledCues::words.
enum CueWords : uint32_t {
  kSuicide = 1u << 0,
  kAir = 1u << 1,
  kShelling = 1u << 2,
  kGrenade = 1u << 3,
  kExplosive = 1u << 4,
  kDisrupted = 1u << 5,
  kLoot = 1u << 6,
  kMob = 1u << 7,
  kRiot = 1u << 8,
  kIntervention = 1u << 9,
};

// The lists a word is in.
uint32_t CueWordsOf(std::string_view k) {
  uint32_t w = 0;
  if (In(k, {"suicide"})) w |= kSuicide;
  if (In(k, {"airstrike", "airstrikes", "drone", "drones", "aircraft",
             "helicopter", "helicopters", "jets", "aerial"})) {
    w |= kAir;
  }
  if (In(k, {"mortar", "mortars", "rocket", "rockets", "shell", "shells",
             "shelling", "artillery", "missile", "missiles"})) {
    w |= kShelling;
  }
  if (In(k, {"grenade", "grenades"})) w |= kGrenade;
  if (In(k, {"ied", "ieds", "mine", "mines", "landmine", "landmines",
             "explosive", "explosives", "bomb", "bombs"})) {
    w |= kExplosive;
  }
  if (In(k, {"defused", "defuse", "discovered", "neutralized", "neutralised",
             "dismantled", "found", "detected", "deactivated", "disarmed"})) {
    w |= kDisrupted;
  }
  if (In(k, {"stripped", "belongings", "stole", "stolen", "looted", "robbed",
             "ransacked", "looting"})) {
    w |= kLoot;
  }
  if (In(k, {"mob", "lynched", "lynching"})) w |= kMob;
  if (In(k, {"burned", "burnt", "burning", "ransacked", "looted",
             "vandalized", "vandalised", "clashes", "clashed", "stones",
             "rocks", "torched", "destroyed", "barricades"})) {
    w |= kRiot;
  }
  if (In(k, {"dispersed", "teargas", "tear", "arrested", "fired",
             "detained"})) {
    w |= kIntervention;
  }
  return w;
}

void Set(Event* ev, const char* type, const char* sub) {
  ev->acled_event_type = type;
  ev->acled_sub_event_type = sub;
}

// The remote weapon named in the sentence, as an ACLED sub-type, or null.
const char* RemoteWeapon(const AcledCues& c) {
  if (c.words & kSuicide) return "Suicide bomb";
  if (c.words & kAir) return "Air/drone strike";
  if (c.words & kShelling) return "Shelling/artillery/missile attack";
  if (c.words & kGrenade) return "Grenade";
  if (c.words & kExplosive) return "Remote explosive/landmine/IED";
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

bool ThrownByHand(const EventDoc& d, const Sentence& s, const Trigger& tr) {
  const uint32_t b = tr.token_begin > s.token_begin + 3 ? tr.token_begin - 3
                                                        : s.token_begin;
  for (uint32_t t = b; t < tr.token_begin; ++t) {
    if (In(d.key(t), {"throwing", "threw", "thrown", "hurling", "hurled",
                      "pelting", "pelted"})) {
      return true;
    }
  }
  return false;
}

bool ActorsDemonstrate(const EventDoc& d, const Event& ev) {
  for (uint32_t a : ev.actors) {
    const Entry* e = d.entry_of(a);
    const std::string_view name = d.ents.entities[a].name;
    if ((e != nullptr && (e->id.find("protesters") != std::string_view::npos ||
                          e->id.find("rioters") != std::string_view::npos)) ||
        IsDemonstratorName(name)) {
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

void RefineProtest(const AcledCues& c, Event* ev) {
  if (c.words & kMob) {
    Set(ev, "Riots", "Mob violence");
  } else if (c.words & kRiot) {
    Set(ev, "Riots", "Violent demonstration");
  } else if (c.words & kIntervention) {
    Set(ev, "Protests", "Protest with intervention");
  } else {
    Set(ev, "Protests", "Peaceful protest");
  }
}

}  // namespace

AcledCues GatherAcledCues(const EventDoc& d, const Sentence& s) {
  AcledCues c;
  c.sentence = static_cast<uint32_t>(&s - d.seg.sentences.data());
  for (uint32_t t = s.token_begin; t < s.token_end; ++t) {
    c.words |= CueWordsOf(d.key(t));
    c.features |= d.features[t];
  }
  return c;
}

void RefineAcled(const EventDoc& d, const Sentence& s, const Trigger& tr,
                 const std::string& cls, const AcledCues& c, Event* ev) {
  const std::string_view type = ev->acled_event_type;
  const bool violent = IsViolent(type);
  const bool harmed = c.features & (kFeatFatalityCue | kFeatInjuryCue);

  // "started throwing dangerous missiles, stones, machetes": thrown by a
  // crowd, not fired by artillery.
  if ((cls == "shelling" || cls == "bombing") && ThrownByHand(d, s, tr)) {
    Set(ev, "Riots", "Violent demonstration");
    return;
  }
  if (violent && cls != "execution" && cls != "abduction" &&
      cls != "sexual_violence") {
    if (const char* sub = RemoteWeapon(c); sub != nullptr) {
      const bool disrupted = !harmed && (c.words & kDisrupted);
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
    if (!harmed && (c.words & kLoot)) {
      Set(ev, "Strategic developments", "Looting/property destruction");
      return;
    }
  }
  if (type == "Protests") RefineProtest(c, ev);

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
