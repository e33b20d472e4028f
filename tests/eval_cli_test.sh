#!/usr/bin/env bash
# CLI tests of `extract eval` and `extract diff`: exit codes, stderr
# messages naming file:line, the JSON reports, and (when ../shared is
# present) agreement with ../shared/peers/conll-score.py.
# Usage: eval_cli_test.sh EXTRACT SRC_DIR
set -uo pipefail
extract=$1
src=$2
gold="$src/tests/gold/gold.jsonl"
sample="$src/samples/mali-tiktok-influencer.txt"
shared="$src/../shared"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_code WHAT EXPECTED ACTUAL
expect_code() { if [ "$3" -eq "$2" ]; then ok; else fail "$1: exit $3, expected $2"; fi; }
# expect_grep WHAT PATTERN FILE
expect_grep() { if grep -qE -- "$2" "$3"; then ok; else fail "$1: '$2' not in $(head -c 400 "$3")"; fi; }
json() { /usr/bin/python3 -c "import json,sys; $1" ; }

# --- eval -----------------------------------------------------------------

"$extract" eval --help > "$tmp/out" 2>&1; expect_code "eval --help" 0 $?
expect_grep "eval --help: definitions" 'lenient +a prediction is correct' "$tmp/out"
expect_grep "eval --help: acled fields" 'coordinates +that place' "$tmp/out"

"$extract" eval --format gold "$gold" > "$tmp/out" 2> "$tmp/err"; expect_code "eval gold" 0 $?
expect_grep "eval text report" '^micro +[0-9]+ +[0-9]+ +[0-9]+' "$tmp/out"
expect_grep "eval timing" 'documents/s' "$tmp/out"

"$extract" eval --format gold "$gold" --json --limit 5 --errors "$tmp/errors.tsv" > "$tmp/out.json" 2> "$tmp/err"
expect_code "eval --json" 0 $?
json "d=json.load(open('$tmp/out.json')); assert d['documents']==5 and 0<=d['micro']['f1']<=1 and set(d['types'])=={'person','place','group'}, d" \
  && ok || fail "eval --json record"
head -1 "$tmp/errors.tsv" | grep -q $'^document\terror\tclass' && ok || fail "eval --errors header"

# The floor: 0.99 is above what the rules reach, 0 is below anything.
"$extract" eval --format gold "$gold" --min-f1 0.99 > "$tmp/out" 2> "$tmp/err"
expect_code "eval below the floor" 1 $?
expect_grep "below-floor message" 'micro F1 \(exact\) [0-9.]+ is below the floor 0.9900' "$tmp/err"
"$extract" eval --format gold "$gold" --min-f1 0 > "$tmp/out" 2> "$tmp/err"
expect_code "eval above the floor" 0 $?

# Usage and input errors exit 2 and name the file and line.
"$extract" eval --format xml "$gold" > "$tmp/out" 2>&1; expect_code "eval bad format" 2 $?
"$extract" eval --format gold "$tmp/missing.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "eval missing file" 2 $?
expect_grep "missing file message" 'missing\.jsonl: cannot read' "$tmp/err"
printf '%s\n' '{"id":"a","text":"Mali","entities":[]}' \
  '{"id":"b","text":"Mali","entities":[{"type":"place","start":0,"end":3,"text":"Mali"}]}' > "$tmp/bad.jsonl"
"$extract" eval --format gold "$tmp/bad.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "eval malformed gold" 2 $?
expect_grep "malformed gold message" 'bad\.jsonl:2: entities\[0\]' "$tmp/err"
"$extract" eval --format gold "$gold" --conll-out "$tmp/x.conll" > "$tmp/out" 2> "$tmp/err"
expect_code "--conll-out without conll" 2 $?
"$extract" eval --format acled "$gold" --min-f1 0.5 > "$tmp/out" 2> "$tmp/err"
expect_code "--min-f1 with acled" 2 $?
"$extract" eval --format gold "$gold" --gazetteers "$tmp/nowhere" > "$tmp/out" 2> "$tmp/err"
expect_code "eval with a missing gazetteer directory" 2 $?

# A small ACLED file of our own.
cat > "$tmp/acled.csv" <<'EOF'
event_id_cnty,event_date,event_type,sub_event_type,actor1,assoc_actor_1,actor2,assoc_actor_2,admin1,location,latitude,longitude,fatalities,notes
T1,12 March 2023,Battles,Armed clash,JNIM: Group for Support of Islam and Muslims,,Military Forces of Mali (2021-),,Mopti,Boni,15.0,-1.9,4,"On 12 March 2023, suspected JNIM militants attacked an army position in Boni (Douentza, Mopti), killing four soldiers."
EOF
"$extract" eval --format acled "$tmp/acled.csv" --json > "$tmp/acled.json" 2> "$tmp/err"
expect_code "eval acled" 0 $?
json "d=json.load(open('$tmp/acled.json')); assert d['documents']==1 and d['fields']['date']['scored']==1 and d['fields']['fatalities']['scored']==1, d" \
  && ok || fail "eval acled record"
"$extract" eval --format acled "$tmp/acled.csv" > "$tmp/out" 2> "$tmp/err"
expect_grep "acled confusion table" '^Battles +[0-9]' "$tmp/out"

# CoNLL: our micro F1 equals conll-score.py's on the same predictions.
if [ -f "$shared/eval/conll2003/eng.testa" ] && [ -f "$shared/peers/conll-score.py" ]; then
  "$extract" eval --format conll "$shared/eval/conll2003/eng.testa" --limit 40 --json \
    --conll-out "$tmp/pred.conll" > "$tmp/conll.json" 2> "$tmp/err"
  expect_code "eval conll" 0 $?
  /usr/bin/python3 "$shared/peers/conll-score.py" --misc-neutral --json "$tmp/pred.conll" > "$tmp/peer.json"
  json "a=json.load(open('$tmp/conll.json')); b=json.load(open('$tmp/peer.json'));
m=a['micro']; o=b['overall']
assert (m['gold'],m['predicted'],m['correct'])==(o['gold'],o['pred'],o['correct']), (m,o)
for ours,theirs in (('person','PERSON'),('place','PLACE'),('group','GROUP')):
    t=a['types'][ours]; p=b['types'][theirs]
    assert (t['gold'],t['predicted'],t['correct'])==(p['gold'],p['pred'],p['correct']), (ours,t,p)" \
    && ok || fail "eval conll disagrees with conll-score.py"
else
  echo "skipped: $shared is absent (CoNLL cross-check)"
fi

# --- diff -----------------------------------------------------------------

"$extract" "$sample" > "$tmp/a.json" 2>/dev/null
"$extract" --lines "$sample" > "$tmp/a.jsonl" 2>/dev/null
"$extract" diff "$tmp/a.json" "$tmp/a.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "diff identical (pretty vs JSON Lines)" 0 $?
expect_grep "diff identical message" 'No differences' "$tmp/out"

# Drop the last entity and event from the record: exit 1 with - lines.
json "
d=json.load(open('$tmp/a.json'))
gone=d['entities'].pop()
for v in d['events']:
    for k in ('actors','targets','places'):
        v[k]=[x for x in v[k] if x!=gone['id']]
d['events']=d['events'][:-1]
print(json.dumps(d, ensure_ascii=False))" > "$tmp/b.jsonl"
"$extract" diff "$tmp/a.json" "$tmp/b.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "diff differs" 1 $?
expect_grep "diff removed entity line" '^- (person|place|group) "' "$tmp/out"
expect_grep "diff removed event line" '^- event ' "$tmp/out"
expect_grep "diff summary" '^Summary: 0 unchanged, 1 changed' "$tmp/out"
"$extract" diff --json "$tmp/a.json" "$tmp/b.jsonl" > "$tmp/diff.json" 2> "$tmp/err"
expect_code "diff --json differs" 1 $?
json "d=json.load(open('$tmp/diff.json')); assert d['identical'] is False and d['summary']['changed']==1, d" \
  && ok || fail "diff --json record"

printf '{"document":{"id":"x"},"entities":[],"events":[]}\n{not json\n' > "$tmp/bad.jsonl"
"$extract" diff "$tmp/a.json" "$tmp/bad.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "diff malformed" 2 $?
expect_grep "diff malformed message" 'bad\.jsonl:2: malformed JSON' "$tmp/err"
"$extract" diff "$tmp/a.json" "$tmp/missing.jsonl" > "$tmp/out" 2> "$tmp/err"
expect_code "diff missing file" 2 $?
expect_grep "diff missing file message" 'missing\.jsonl: cannot read' "$tmp/err"
"$extract" diff "$tmp/a.json" > "$tmp/out" 2>&1
expect_code "diff with one file" 2 $?

echo "eval_cli_test: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
