#!/usr/bin/env python3
"""Write a synthetic large gazetteer directory for the benchmark.

The output directory is a copy of the shipped gazetteers (every file, rules/
included, modification times kept) plus one extra entry file,
`synthetic_places.tsv`, with N place entries in the format of places.tsv
(same header, same columns; see gazetteers/README.md). Names are plausible
place names built from syllables: one to three capitalized tokens, some with
a common prefix ("Port", "San", "Nouvelle") or a suffix word; about a third
of the entries get one or two aliases (spelling variants). Ids are
`synthetic:1` ... `synthetic:N`; countries are real ISO codes taken from
countries.tsv, so that `extract check` accepts the directory.

The output is a function of --entries and --seed only (byte-identical from
run to run). The new file's modification time is set a minute in the past:
extract does not cache gazetteers whose files changed less than 2 seconds
ago, and the benchmark wants the first run to compile *and* write the cache.

Usage: bench/gen_gazetteer.py --out /tmp/gaz-1m [--entries 1000000] [--seed 1]
                              [--gazetteers gazetteers]
Generated files belong in /tmp, never in the repository.
"""

import argparse
import os
import random
import shutil
import sys
import time

ONSETS = ["", "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
          "v", "w", "y", "z", "ch", "sh", "th", "br", "dr", "kr", "tr", "gl",
          "bl", "st", "ng", "mb", "nd", "kh", "gh", "dj", "ts"]
NUCLEI = ["a", "e", "i", "o", "u", "a", "o", "i", "ou", "ai", "ei", "ia",
          "ua", "oa", "ie"]
CODAS = ["", "", "", "", "", "", "n", "r", "l", "s", "m", "k", "t", "ng"]
PREFIXES = ["Port", "San", "Santa", "Saint", "Nouvelle", "New", "Upper",
            "Lower", "North", "South", "East", "West", "Old", "Great", "Little",
            "Mount", "Lake", "Fort", "Bir", "Ain", "Kafr", "Tell", "Nueva",
            "Bandar", "Kota", "Ban", "Dar"]
SUFFIXES = ["City", "Town", "Village", "Springs", "Hills", "Bay", "Falls",
            "Junction", "Station", "Camp", "Heights", "Crossing", "Market",
            "Oasis", "Wells"]


def syllable(rng):
    return rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)


def token(rng):
    n = rng.choices((1, 2, 3), weights=(2, 6, 2))[0]
    word = "".join(syllable(rng) for _ in range(n))
    if len(word) < 3:
        word += syllable(rng) or "a"
    return word[0].upper() + word[1:]


def name(rng):
    r = rng.random()
    if r < 0.25:
        tokens = [token(rng)]
    elif r < 0.80:
        tokens = [token(rng), token(rng)]
    else:
        tokens = [token(rng), token(rng), token(rng)]
    r = rng.random()
    if r < 0.12:
        tokens.insert(0, rng.choice(PREFIXES))
    elif r < 0.20:
        tokens.append(rng.choice(SUFFIXES))
    elif r < 0.25 and len(tokens) == 2:
        return tokens[0] + "-" + tokens[1]
    return " ".join(tokens)


def variant(rng, n):
    """A spelling variant of name n, or "" when none differs."""
    choices = [
        lambda s: s.replace("ou", "u"),
        lambda s: s.replace("sh", "ch"),
        lambda s: s.replace("k", "c"),
        lambda s: s.replace("y", "i"),
        lambda s: s.replace("-", " "),
        lambda s: s.replace(" ", "-", 1),
        lambda s: s.split(" ", 1)[1] if " " in s and rng.random() < 0.3 else s,
    ]
    v = rng.choice(choices)(n)
    if v and v != n and v[0].isupper():
        return v
    return ""


def read_countries(gaz):
    codes = []
    header = None
    with open(os.path.join(gaz, "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            codes.append(cells[header.index("iso2")])
    return codes


def places_header(gaz):
    with open(os.path.join(gaz, "places.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                return line.rstrip("\n").split("\t")
    sys.exit("gen_gazetteer: no header in places.tsv")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (replaced)")
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gazetteers",
                    default=os.path.join(os.path.dirname(here), "gazetteers"),
                    help="shipped gazetteers to copy (default: the repo's)")
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    repo = os.path.dirname(here)
    if out == repo or out.startswith(repo + os.sep):
        sys.exit("gen_gazetteer: write outside the repository (e.g. /tmp)")
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(args.gazetteers, out)  # copy2: modification times kept

    header = places_header(args.gazetteers)
    expected = ["id", "type", "name", "aliases", "country", "admin1", "admin2",
                "lat", "lon", "feature", "population", "geonames_id"]
    if header != expected:
        sys.exit("gen_gazetteer: places.tsv header changed: %s" % header)
    countries = read_countries(args.gazetteers)
    rng = random.Random(args.seed)
    features = ["PPL"] * 8 + ["PPLA", "PPLA2", "ADM2", "PPLX"]
    path = os.path.join(out, "synthetic_places.tsv")
    n_alias = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# synthetic_places.tsv: %d synthetic place entries for the "
                "benchmark (bench/gen_gazetteer.py --seed %d). Not real "
                "places.\n" % (args.entries, args.seed))
        f.write("\t".join(header) + "\n")
        for i in range(1, args.entries + 1):
            n = name(rng)
            aliases = []
            if rng.random() < 0.33:
                for _ in range(rng.choice((1, 1, 2))):
                    v = variant(rng, n)
                    if v and v not in aliases:
                        aliases.append(v)
            n_alias += len(aliases)
            feature = rng.choice(features)
            row = [
                "synthetic:%d" % i, "place", n, "|".join(aliases),
                rng.choice(countries),
                token(rng) if rng.random() < 0.8 else "",
                token(rng) if feature == "ADM2" else "",
                "%.5f" % rng.uniform(-60, 70), "%.5f" % rng.uniform(-180, 180),
                feature, str(int(rng.lognormvariate(8, 1.5))), "",
            ]
            f.write("\t".join(row) + "\n")
    past = time.time() - 60
    os.utime(path, (past, past))
    size = os.path.getsize(path)
    print("gen_gazetteer: %s: %d entries, %d aliases, %.1f MB (seed %d)"
          % (path, args.entries, n_alias, size / 1e6, args.seed))


if __name__ == "__main__":
    main()
