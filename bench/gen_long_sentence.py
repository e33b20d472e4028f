#!/usr/bin/env python3
"""bench/gen_long_sentence.py: inputs whose sentences do not split, for the
benchmark's long-sentence cases (see bench/README.md).

  gen_long_sentence.py sentence --tokens 32000 --out FILE
      one sentence of conflict clauses ("gunmen attacked the village of Zuru
      on Monday, killing 12 civilians and abducting 3 soldiers, ...") joined
      by commas and lower-case continuations, with no sentence break; about
      --tokens tokens (words and punctuation).
  gen_long_sentence.py nosplit --bytes 580000 --out FILE
      an article of lines that each start with a lower-case word, half of
      them then an emoji ("update: 🔥 gunmen attacked ..."): the segmenter
      takes each line for a hard-wrapped continuation of the one before, so
      the article is one sentence; about --bytes bytes.

  --split (with either): the same clauses, but each its own sentence
      ("Gunmen attacked ... civilians. Soldiers raided ..."), a paragraph
      every few sentences: the ordinary text that the unsplit input is
      measured against.

Deterministic: the same arguments (and --seed) give the same bytes.
"""

import argparse
import random
import re
import sys

PLACES = ["Zuru", "Zaria", "Yola", "Wukari", "Warri", "Sokoto", "Potiskum",
          "Numan", "Nguru", "Mubi", "Gao", "Kidal", "Timbuktu", "Mopti",
          "Menaka", "Djibo", "Dori", "Kaya", "Ouahigouya", "Segou", "Niono",
          "Bandiagara", "Maiduguri", "Konduga", "Bama", "Damboa", "Gwoza",
          "Kaduna", "Katsina", "Zamfara", "Gusau", "Anka", "Tillaberi",
          "Diffa", "Bankass", "Douentza", "Tessit", "Ansongo", "Fada N'Gourma"]
ACTORS = ["gunmen", "suspected jihadists", "armed bandits", "militants",
          "unidentified assailants", "fighters of the group", "suspected herders",
          "men on motorbikes", "insurgents", "soldiers"]
VERBS = ["attacked", "raided", "ambushed", "stormed", "shelled", "bombed",
         "besieged", "struck"]
TARGETS = ["the village of {p}", "a market in {p}", "an army post near {p}",
           "a convoy outside {p}", "the town of {p}", "a mosque in {p}",
           "a police station in {p}", "a camp for displaced people near {p}"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
        "on Saturday", "on Sunday", "last week", "overnight", "at dawn"]
OUTCOMES = ["killing {n} civilians and abducting {m} soldiers",
            "killing {n} people", "wounding {n} villagers",
            "abducting {n} women and {m} children",
            "killing {n} soldiers and wounding {m} others",
            "looting shops and burning {n} houses",
            "leaving {n} dead according to residents",
            "and a drone strike killed {n} fighters",
            "before mortar shells hit {m} homes",
            "and protesters burned tyres and clashed with police in {q}",
            "and {n} hostages were released after a ransom of $ {m},000"]
JOINS = [", ", ", and ", ", while ", ", then ", ", after which ", "; "]
EMOJI = ["\U0001F525", "\U0001F6A8", "\u26A0\uFE0F", "\U0001F4CD",
         "\U0001F534", "\u27A1\uFE0F", "\U0001F4E2"]
LOWER = ["update:", "breaking:", "again", "also", "meanwhile", "earlier",
         "reports say", "locals said", "in other news", "thread:"]


def clause(r):
    p, q = r.choice(PLACES), r.choice(PLACES)
    return "%s %s %s %s, %s" % (
        r.choice(ACTORS), r.choice(VERBS), r.choice(TARGETS).format(p=p),
        r.choice(DAYS),
        r.choice(OUTCOMES).format(n=r.randint(2, 90), m=r.randint(2, 40), q=q))


TOKEN = re.compile(r"\w+|[^\w\s]")


def capital(c):
    return c[0].upper() + c[1:]


def sentence(r, tokens, split):
    parts, n = ["Gunmen attacked the village of Zuru on Monday"], 8
    while n < tokens:
        join, c = r.choice(JOINS), clause(r)
        if split:
            # Same clauses and the same number of sentence-ending bytes.
            join = ".\n\n" if len(parts) % 5 == 0 else ". "
            c = capital(c)
        parts.append(join + c)
        n += len(TOKEN.findall(join + c))
    return "".join(parts) + ".\n"


def nosplit(r, size, split):
    lines, n = ["Attacks across the region\n", "\n"], 0
    while n < size:
        lead = r.choice(LOWER)
        if r.random() < 0.5:
            lead += " " + r.choice(EMOJI)
        body = clause(r)
        if r.random() < 0.5:
            body += r.choice(JOINS) + clause(r)
        end = "." if r.random() < 0.7 else ""
        line = "%s %s%s\n" % (lead, body, end)
        if split:
            # An ordinary line: no lead, a capital, a full stop.
            line = "%s.\n" % capital(body)
        lines.append(line)
        n += len(line.encode())
    return "".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["sentence", "nosplit"])
    ap.add_argument("--tokens", type=int, default=32000)
    ap.add_argument("--bytes", type=int, default=580000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--split", action="store_true")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    r = random.Random(a.seed)
    if a.kind == "sentence":
        text = sentence(r, a.tokens, a.split)
    else:
        text = nosplit(r, a.bytes, a.split)
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
