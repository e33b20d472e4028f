#!/usr/bin/env bash
# CLI tests of `extract check` and of the compiled gazetteer cache: the
# shipped gazetteers pass; a copy with one broken line in each kind of file
# fails with exit 1 and names that file and line; output is byte-identical
# with and without the cache, and a damaged cache is ignored.
# Usage: check_cli_test.sh EXTRACT SRC_DIR
set -uo pipefail
extract=$1
src=$2
sample="$src/samples/mali-tiktok-influencer.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_code WHAT EXPECTED ACTUAL
expect_code() { if [ "$3" -eq "$2" ]; then ok; else fail "$1: exit $3, expected $2"; fi; }
# expect_text WHAT FIXED_STRING FILE
expect_text() {
  if grep -qF -- "$2" "$3"; then ok; else fail "$1: '$2' not in: $(head -c 600 "$3")"; fi
}

# The shipped gazetteers: exit 0; --stats prints entries per type and file.
"$extract" check "$src/gazetteers" --stats > "$tmp/out" 2> "$tmp/err"
expect_code "check shipped" 0 $?
grep -qE '^place	[0-9]{6}' "$tmp/out" && ok || fail "check --stats: $(head -c 300 "$tmp/out")"
if grep -v ': warning: ' "$tmp/err" | grep -q .; then
  fail "check shipped: errors on stderr: $(grep -v ': warning: ' "$tmp/err" | head -5)"
else
  ok
fi

# A copy to break, one file at a time (each is restored afterwards).
cp -r "$src/gazetteers" "$tmp/gaz"
cp -r "$src/gazetteers" "$tmp/orig"

# data_line FILE N: the line number of the N-th data line (after the header).
data_line() {
  awk -v want="$2" '/^#/ || /^[ \t\r]*$/ {next} {n++} n == want + 1 {print NR; exit}' "$1"
}
# column FILE NAME: the 1-based index of column NAME in the header.
column() {
  awk -F'\t' -v name="$2" '/^#/ || /^[ \t\r]*$/ {next}
    {for (i = 1; i <= NF; i++) if ($i == name) print i; exit}' "$1"
}
# set_cell FILE LINE COLUMN VALUE
set_cell() {
  awk -F'\t' -v OFS='\t' -v l="$2" -v c="$3" -v v="$4" 'NR == l {$c = v} {print}' \
    "$1" > "$1.new" && mv "$1.new" "$1"
}
# drop_last_field FILE LINE
drop_last_field() {
  awk -F'\t' -v OFS='\t' -v l="$2" 'NR == l {NF = NF - 1} {print}' "$1" > "$1.new" &&
    mv "$1.new" "$1"
}
restore() { cp "$tmp/orig/$1" "$tmp/gaz/$1"; }
# expect_broken WHAT FILE EXPECTED: check fails, names FILE's line.
expect_broken() {
  "$extract" check "$tmp/gaz" > "$tmp/out" 2> "$tmp/err"
  expect_code "$1" 1 $?
  expect_text "$1" "$2" "$tmp/err"
  restore "$3"
}

f="$tmp/gaz/places.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" "$(column "$f" lat)" 95
expect_broken "places: latitude" "gaz/places.tsv:$l: latitude '95' is not a number in [-90, 90]" places.tsv

f="$tmp/gaz/countries.tsv"; l1=$(data_line "$f" 1); l2=$(data_line "$f" 2)
id=$(awk -F'\t' -v l="$l1" 'NR == l {print $1}' "$f")
set_cell "$f" "$l2" 1 "$id"
expect_broken "countries: duplicate id" \
  "gaz/countries.tsv:$l2: duplicate id '$id' (first at countries.tsv:$l1)" countries.tsv

f="$tmp/gaz/regions.tsv"; l=$(data_line "$f" 3)
set_cell "$f" "$l" 2 village
expect_broken "regions: type" "gaz/regions.tsv:$l: unknown type 'village'" regions.tsv

f="$tmp/gaz/groups.tsv"; l=$(data_line "$f" 5)
set_cell "$f" "$l" "$(column "$f" country)" ZZ
expect_broken "groups: country" "gaz/groups.tsv:$l: unknown country code 'ZZ'" groups.tsv

f="$tmp/gaz/groups.tsv"; l=$(data_line "$f" 6)
set_cell "$f" "$l" "$(column "$f" affiliation)" group:no_such_group
expect_broken "groups: affiliation" \
  "gaz/groups.tsv:$l: affiliation 'group:no_such_group' is not a known id" groups.tsv

f="$tmp/gaz/people.tsv"; l=$(data_line "$f" 2)
n=$(awk -F'\t' '/^#/ || /^[ \t\r]*$/ {next} {print NF; exit}' "$f")
drop_last_field "$f" "$l"
expect_broken "people: columns" \
  "gaz/people.tsv:$l: expected $n tab-separated fields (as in the header), found $((n - 1))" people.tsv

f="$tmp/gaz/titles.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" 4 "$(printf 'bad\001alias')"
expect_broken "titles: control character" \
  "gaz/titles.tsv:$l: alias 'bad$(printf '\001')alias' contains a control character" titles.tsv

f="$tmp/gaz/first_names.tsv"; l=$(data_line "$f" 10)
set_cell "$f" "$l" 3 ""
expect_broken "first_names: empty name" \
  "gaz/first_names.tsv:$l: empty name or name with surrounding spaces" first_names.tsv

f="$tmp/gaz/event_triggers.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" "$(column "$f" cameo)" 12345
expect_broken "event_triggers: CAMEO" \
  "gaz/event_triggers.tsv:$l: CAMEO code '12345' is not 2 to 4 digits" event_triggers.tsv

f="$tmp/gaz/event_triggers.tsv"; l=$(data_line "$f" 2)
set_cell "$f" "$l" "$(column "$f" class)" no_such_class
expect_broken "event_triggers: class" \
  "gaz/event_triggers.tsv:$l: unknown event class 'no_such_class' (not in taxonomy.tsv)" \
  event_triggers.tsv

f="$tmp/gaz/words.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" "$(column "$f" class)" no_such_class
expect_broken "words: class" "gaz/words.tsv:$l: unknown word class 'no_such_class'" words.tsv

f="$tmp/gaz/taxonomy.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" 5 PROTESTS
expect_broken "taxonomy: PLOVER" "gaz/taxonomy.tsv:$l: unknown PLOVER category 'PROTESTS'" \
  taxonomy.tsv

f="$tmp/gaz/rules/people.rules"
l=$(($(wc -l < "$f") + 2))
printf '\n# a broken rule\nperson.broken\tperson\t(?P<m>{C}\n' >> "$f"
l=$((l + 1))
expect_broken "rules: unbalanced parenthesis" \
  "gaz/rules/people.rules:$l: bad pattern: missing ')' for the '(' at column 1" rules/people.rules

f="$tmp/gaz/ambiguous.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" 3 maybe
expect_broken "ambiguous: decision" "gaz/ambiguous.tsv:$l: decision 'maybe' must be" \
  ambiguous.tsv

# A warning alone (an alias with a double space) does not fail the check.
f="$tmp/gaz/groups.tsv"; l=$(data_line "$f" 1)
set_cell "$f" "$l" 4 "Two  Spaces"
"$extract" check "$tmp/gaz" > "$tmp/out" 2> "$tmp/err"
expect_code "warning only" 0 $?
expect_text "warning only" "gaz/groups.tsv:$l: warning: alias 'Two  Spaces' contains a double space" \
  "$tmp/err"
restore groups.tsv

# The restored copy checks clean again.
"$extract" check "$tmp/gaz" > /dev/null 2> "$tmp/err"
expect_code "restored copy" 0 $?

# The cache: the same bytes out with and without it, and a damaged cache is
# ignored. Sources must be older than 2 s to be cached.
find "$tmp/gaz" -type f -exec touch -d '1 hour ago' {} +
cache="$tmp/cache"
run() { EXTRACT_CACHE_DIR="$1" "$extract" --gazetteers "$tmp/gaz" "$sample" > "$2" 2> "$tmp/err"; }
run /dev/null/no-cache "$tmp/parsed.json"; expect_code "no cache" 0 $?
run "$cache" "$tmp/first.json"; expect_code "first cached run" 0 $?
bin=$(ls "$cache"/gazetteers-*.bin 2> /dev/null | head -1)
[ -n "$bin" ] && [ -s "$bin" ] && ok || fail "no cache file written in $cache"
run "$cache" "$tmp/second.json"; expect_code "second cached run" 0 $?
cmp -s "$tmp/parsed.json" "$tmp/first.json" && ok || fail "output differs after writing the cache"
cmp -s "$tmp/parsed.json" "$tmp/second.json" && ok || fail "output differs when read from the cache"
if [ -n "$bin" ]; then
  size=$(stat -c %s "$bin")
  printf '\377\377\377\377' | dd of="$bin" bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
  run "$cache" "$tmp/damaged.json"; expect_code "damaged cache" 0 $?
  cmp -s "$tmp/parsed.json" "$tmp/damaged.json" && ok || fail "output differs with a damaged cache"
  truncate -s $((size / 3)) "$bin"
  run "$cache" "$tmp/truncated.json"; expect_code "truncated cache" 0 $?
  cmp -s "$tmp/parsed.json" "$tmp/truncated.json" && ok || fail "output differs with a truncated cache"
  [ "$(stat -c %s "$bin")" -eq "$size" ] && ok || fail "the damaged cache was not rewritten"
fi
# Two executables that share a gazetteer directory (a release and a debug
# build, an installed tool and a checkout's) keep one cache each, rather
# than replacing one file in turn at every run.
cp "$extract" "$tmp/other-extract"
run_other() { EXTRACT_CACHE_DIR="$cache" "$tmp/other-extract" --gazetteers "$tmp/gaz" "$sample" > "$1" 2> "$tmp/err"; }
run_other "$tmp/other.json"; expect_code "second executable" 0 $?
cmp -s "$tmp/parsed.json" "$tmp/other.json" && ok || fail "output differs from a second executable"
caches() { ls "$cache"/gazetteers-*.bin 2> /dev/null | wc -l; }
[ "$(caches)" -eq 2 ] && ok || fail "expected a cache per executable: $(ls "$cache")"
before=$(stat -c '%n %i' "$cache"/gazetteers-*.bin)
run "$cache" "$tmp/again.json"; expect_code "first executable again" 0 $?
run_other "$tmp/other-again.json"; expect_code "second executable again" 0 $?
after=$(stat -c '%n %i' "$cache"/gazetteers-*.bin)
[ "$before" = "$after" ] && ok || fail "a cache was rewritten when two executables took turns"
# Once that executable is gone, its cache goes when the next one is written
# (below, after the gazetteer changes).
rm "$tmp/other-extract"

# A changed gazetteer invalidates the cache: a new place is found.
f="$tmp/gaz/places.tsv"
n=$(awk -F'\t' '/^#/ || /^[ \t\r]*$/ {next} {print NF; exit}' "$f")
awk -v n="$n" 'BEGIN {for (i = 1; i < n; i++) printf "\t"; print ""}' >> "$f"
l=$(wc -l < "$f")
set_cell "$f" "$l" 1 geonames:999999999; set_cell "$f" "$l" 2 place
set_cell "$f" "$l" 3 Zzyzxville; set_cell "$f" "$l" "$(column "$f" country)" ML
set_cell "$f" "$l" "$(column "$f" lat)" 14.5; set_cell "$f" "$l" "$(column "$f" lon)" -4.2
set_cell "$f" "$l" "$(column "$f" feature)" PPL
set_cell "$f" "$l" "$(column "$f" population)" 50000
touch -d '30 minutes ago' "$f"
printf 'Headline\n\nGunmen attacked the village of Zzyzxville, Mali, on Monday.\n' > "$tmp/new.txt"
EXTRACT_CACHE_DIR="$cache" "$extract" --gazetteers "$tmp/gaz" "$tmp/new.txt" > "$tmp/new.json" 2> "$tmp/err"
expect_code "changed gazetteer" 0 $?
expect_text "changed gazetteer" "geonames:999999999" "$tmp/new.json"
[ "$(caches)" -eq 1 ] && ok || fail "the cache of a removed executable was kept: $(ls "$cache")"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
