#!/usr/bin/env bash
# CLI tests: exit codes, stderr format, error records and stdin/stdout
# handling of the built `extract` binary. Usage: cli_test.sh EXTRACT SRC_DIR
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
# expect_grep WHAT PATTERN FILE
expect_grep() { if grep -qE -- "$2" "$3"; then ok; else fail "$1: '$2' not in $(head -c 400 "$3")"; fi; }
json() { /usr/bin/python3 -c "import json,sys; $1" ; }

# --version and --help
"$extract" --version > "$tmp/out" 2>&1; expect_code "--version" 0 $?
expect_grep "--version" '^extract [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
"$extract" --help > "$tmp/out" 2>&1; expect_code "--help" 0 $?
expect_grep "--help examples" 'Examples:' "$tmp/out"
expect_grep "--help exit codes" 'Exit codes' "$tmp/out"

# Usage errors exit 2.
"$extract" --no-such-flag > "$tmp/out" 2>&1; expect_code "unknown flag" 2 $?
"$extract" --date 2024-13-40 "$sample" > "$tmp/out" 2> "$tmp/err"; expect_code "bad --date" 2 $?
expect_grep "bad --date message" "expected YYYY-MM-DD" "$tmp/err"

# One article: one pretty JSON object, exit 0, nothing on stderr.
"$extract" "$sample" > "$tmp/one.json" 2> "$tmp/err"; expect_code "sample" 0 $?
[ ! -s "$tmp/err" ] && ok || fail "sample: stderr not empty: $(cat "$tmp/err")"
json "d=json.load(open('$tmp/one.json')); assert d['document']['title'].startswith('TikTok Influencer'), d['document']" && ok || fail "sample: title"
# Same bytes on every run.
"$extract" "$sample" > "$tmp/two.json" 2>/dev/null
cmp -s "$tmp/one.json" "$tmp/two.json" && ok || fail "output differs between runs"
# stdin, implicit and "-".
"$extract" < "$sample" > "$tmp/stdin.json" 2>/dev/null; expect_code "stdin" 0 $?
json "d=json.load(open('$tmp/stdin.json')); assert d['document']['id']=='stdin' and d['entities']" && ok || fail "stdin record"
"$extract" - < "$sample" > "$tmp/dash.json" 2>/dev/null; expect_code "stdin -" 0 $?
cmp -s "$tmp/stdin.json" "$tmp/dash.json" && ok || fail "'-' differs from implicit stdin"

# Bad inputs: one line on stderr naming the path, an error record, the
# other inputs still processed, exit 1.
printf '' > "$tmp/empty.txt"
# (UTF-8 with a truncated character: not taken for Windows-1252.)
printf 'Headline\n\nCaf\xc3\xa9 \xc3 au lait\n' > "$tmp/bad.txt"
mkdir -p "$tmp/nodocs"; echo x > "$tmp/nodocs/readme.md"
"$extract" "$tmp/missing.txt" "$sample" "$tmp/empty.txt" "$tmp/bad.txt" "$tmp/nodocs" \
  > "$tmp/batch.jsonl" 2> "$tmp/err"
expect_code "batch with bad inputs" 1 $?
[ "$(wc -l < "$tmp/batch.jsonl")" -eq 5 ] && ok || fail "batch: expected 5 JSON lines, got $(wc -l < "$tmp/batch.jsonl")"
[ "$(wc -l < "$tmp/err")" -eq 4 ] && ok || fail "batch: expected 4 stderr lines: $(cat "$tmp/err")"
expect_grep "missing file message" "missing\.txt: no such file" "$tmp/err"
expect_grep "empty file message" "empty\.txt: empty file" "$tmp/err"
expect_grep "invalid UTF-8 message" "bad\.txt: invalid UTF-8 at byte 16" "$tmp/err"
expect_grep "no articles message" "nodocs: directory holds no \*\.txt articles" "$tmp/err"
json "
rows=[json.loads(l) for l in open('$tmp/batch.jsonl')]
codes=[(r['errors'][0]['code'] if r['errors'] else None) for r in rows]
assert codes==['not_found', None, 'invalid_input', 'invalid_input', 'invalid_input'], codes
assert rows[3]['errors'][0]['offset']==16, rows[3]['errors']
assert rows[1]['entities'] and rows[1]['events']
" && ok || fail "batch: error records"

# A directory is walked for *.txt.
mkdir -p "$tmp/dir/sub"; cp "$sample" "$tmp/dir/sub/a.txt"; cp "$sample" "$tmp/dir/b.txt"
"$extract" "$tmp/dir" > "$tmp/dir.jsonl" 2>/dev/null; expect_code "directory" 0 $?
[ "$(wc -l < "$tmp/dir.jsonl")" -eq 2 ] && ok || fail "directory: expected 2 records"

# A closed stdout ends the run quietly.
"$extract" "$sample" "$sample" "$sample" 2> "$tmp/err" | head -c 10 > /dev/null
expect_code "closed stdout" 0 "${PIPESTATUS[0]}"
[ ! -s "$tmp/err" ] && ok || fail "closed stdout: stderr not empty: $(cat "$tmp/err")"

# A broken gazetteer stops the run before any article: exit 2, file:line.
mkdir -p "$tmp/gaz/rules"
printf 'id\ttype\tname\taliases\tcountry\np:a\tplace\tA\t\tML\np:b\tplace\tB\n' > "$tmp/gaz/places.tsv"
"$extract" --gazetteers "$tmp/gaz" "$sample" > "$tmp/out" 2> "$tmp/err"
expect_code "broken gazetteer" 2 $?
expect_grep "broken gazetteer message" "places\.tsv:3: expected 5 tab-separated fields" "$tmp/err"
[ ! -s "$tmp/out" ] && ok || fail "broken gazetteer: something was written to stdout"
# A rule that does not compile: exit 2, file:line and the reason.
printf 'id\ttype\tname\taliases\tcountry\np:a\tplace\tA\t\tML\n' > "$tmp/gaz/places.tsv"
printf '# purpose\nx.bad\tperson\t(?P<m>{C}\n' > "$tmp/gaz/rules/bad.rules"
"$extract" --gazetteers "$tmp/gaz" "$sample" > "$tmp/out" 2> "$tmp/err"
expect_code "broken rule" 2 $?
expect_grep "broken rule message" "rules/bad\.rules:2: bad pattern: missing .\). for the .\(. at column 1" "$tmp/err"

# extract check: 0 on the shipped gazetteers, 1 with file:line otherwise.
"$extract" check "$src/gazetteers" --stats > "$tmp/out" 2> "$tmp/err"; expect_code "check shipped" 0 $?
expect_grep "check --stats" '^place	[0-9]+' "$tmp/out"
"$extract" check "$tmp/gaz" > "$tmp/out" 2> "$tmp/err"; expect_code "check broken" 1 $?
expect_grep "check broken message" "bad\.rules:2:" "$tmp/err"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
