#!/usr/bin/env bash
# CLI tests for batch runs (issue 5): --files-from, JSON Lines input, -j N
# (output identical for every N), -o written atomically, --encoding,
# --max-bytes, the progress line, and every kind of bad input producing
# exactly one record. Usage: batch_cli_test.sh EXTRACT SRC_DIR
set -uo pipefail
extract=$1
src=$2
sample="$src/samples/mali-tiktok-influencer.txt"
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
passes=0

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_code WHAT EXPECTED ACTUAL
expect_code() { if [ "$3" -eq "$2" ]; then ok; else fail "$1: exit $3, expected $2"; fi; }
# expect_grep WHAT PATTERN FILE
expect_grep() { if grep -qE -- "$2" "$3"; then ok; else fail "$1: '$2' not in $(head -c 600 "$3")"; fi; }
# expect_lines WHAT N FILE
expect_lines() {
  local n; n=$(wc -l < "$3")
  if [ "$n" -eq "$2" ]; then ok; else fail "$1: $n lines, expected $2: $(head -c 600 "$3")"; fi
}
expect_empty() { if [ ! -s "$2" ]; then ok; else fail "$1: not empty: $(head -c 600 "$2")"; fi; }
# py WHAT CODE: runs Python with the helpers below; fails the test on an
# exception (the assertion's message is shown).
py() {
  local what=$1; shift
  if /usr/bin/python3 - "$@" > "$tmp/py.out" 2>&1 <<EOF
import json, sys
def rows(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")]
def spans(node):
    if isinstance(node, dict):
        if {"text", "start", "end", "char_start", "char_end"} <= node.keys() \
                and node["start"] is not None:
            yield node
        for v in node.values():
            yield from spans(v)
    elif isinstance(node, list):
        for v in node:
            yield from spans(v)
def check_spans(record, text):
    """Every span indexes \`text\` (a str) in code points and its UTF-8 form in bytes."""
    data = text.encode("utf-8")
    n = 0
    for s in spans(record):
        assert data[s["start"]:s["end"]].decode("utf-8") == s["text"], s
        assert text[s["char_start"]:s["char_end"]] == s["text"], s
        n += 1
    assert n > 0, "no spans"
def entity_names(record):
    return [(e["type"], e["name"]) for e in record["entities"]]
$(cat)
EOF
  then ok; else fail "$what: $(tail -c 800 "$tmp/py.out")"; fi
}
validate() {  # validate WHAT FILE...: the records match the JSON Schema
  local what=$1; shift
  if /usr/bin/python3 -c "import jsonschema" 2>/dev/null; then
    if /usr/bin/python3 "$src/tests/validate_schema.py" "$src/docs/extract.schema.json" "$@" \
        > "$tmp/schema.out" 2>&1; then ok; else fail "$what: schema: $(head -c 800 "$tmp/schema.out")"; fi
  fi
}

# --- Usage -----------------------------------------------------------------

"$extract" --help > "$tmp/help" 2>&1; expect_code "--help" 0 $?
for flag in --files-from --input-format --jsonl --lines -o,--output -j,--jobs --encoding \
            --max-bytes -q,--quiet; do
  expect_grep "--help lists $flag" "^ *$flag" "$tmp/help"
done
expect_grep "--help example for --files-from" "find .* extract --files-from -" "$tmp/help"
expect_grep "--help example for jsonl" "extract --jsonl -" "$tmp/help"

# Bad flag values exit 2 before anything is read or written.
for args in "--encoding klingon" "--max-bytes 0" "--max-bytes 12Q" "--max-bytes 2G" \
            "-j 0" "--input-format xml" "--files-from $tmp/no-such-list" \
            "-o $tmp/no-such-dir/out.jsonl" "-o $tmp"; do
  # shellcheck disable=SC2086
  "$extract" $args "$sample" > "$tmp/out" 2> "$tmp/err"
  expect_code "usage: $args" 2 $?
  expect_empty "usage: $args: stdout" "$tmp/out"
  expect_grep "usage: $args: message" "." "$tmp/err"
done
"$extract" --encoding klingon "$sample" > /dev/null 2> "$tmp/err"
expect_grep "--encoding message" "^extract: --encoding: unknown encoding 'klingon'; expected utf-8, auto, " "$tmp/err"
"$extract" --files-from "$tmp/no-such-list" > /dev/null 2> "$tmp/err"
expect_grep "--files-from message" "^extract: --files-from: .*no-such-list: no such file" "$tmp/err"

# --- A folder of ~50 variants: -j 1 and -j 4 give the same bytes -------------

mkdir -p "$tmp/folder/sub"
for i in $(seq 1 48); do
  f="$tmp/folder/$(printf 'a%02d' "$i").txt"
  [ $((i % 5)) -eq 0 ] && f="$tmp/folder/sub/$(printf 'b%02d' "$i").txt"
  case $((i % 4)) in
    0) cp "$sample" "$f" ;;
    1) head -n $((3 + i % 7)) "$sample" > "$f" ;;                   # shorter
    2) sed "s/Tonka/Gao/g; s/Mali/Niger/g" "$sample" > "$f" ;;      # other names
    3) { echo "Update $i: reports from Bamako"; echo; cat "$sample"; } > "$f" ;;
  esac
done
sed 's/$/\r/' "$sample" > "$tmp/folder/crlf.txt"                    # CRLF
printf '' > "$tmp/folder/empty.txt"                                 # bad inputs
printf 'Headline\n\nBody \x00 binary\n' > "$tmp/folder/nul.txt"
echo "not an article" > "$tmp/folder/notes.md"                      # skipped
find "$tmp/folder" -name '*.txt' | LC_ALL=C sort > "$tmp/folder.list"
nfiles=$(wc -l < "$tmp/folder.list")

"$extract" -j 1 "$tmp/folder" > "$tmp/j1.jsonl" 2> "$tmp/j1.err"; expect_code "-j 1 folder" 1 $?
"$extract" -j 4 "$tmp/folder" > "$tmp/j4.jsonl" 2> "$tmp/j4.err"; expect_code "-j 4 folder" 1 $?
"$extract" -j 3 --lines "$tmp/folder" > "$tmp/j3.jsonl" 2> /dev/null
"$extract" "$tmp/folder" > "$tmp/jdefault.jsonl" 2> /dev/null
expect_lines "-j 1: one record per file" "$nfiles" "$tmp/j1.jsonl"
cmp -s "$tmp/j1.jsonl" "$tmp/j4.jsonl" && ok || fail "-j 1 and -j 4 outputs differ"
cmp -s "$tmp/j1.jsonl" "$tmp/j3.jsonl" && ok || fail "-j 1 and -j 3 outputs differ"
cmp -s "$tmp/j1.jsonl" "$tmp/jdefault.jsonl" && ok || fail "-j 1 and default -j outputs differ"
cmp -s "$tmp/j1.err" "$tmp/j4.err" && ok || fail "-j 1 and -j 4 stderr differ"
expect_lines "folder: two failures on stderr" 2 "$tmp/j1.err"
validate "folder" "$tmp/j1.jsonl"
py "folder: records in path order, errors where expected" "$tmp/j1.jsonl" "$tmp/folder.list" <<'EOF'
recs = rows(sys.argv[1])
paths = [l.rstrip("\n") for l in open(sys.argv[2])]
assert [r["document"]["path"] for r in recs] == paths
failed = [r["document"]["path"].rsplit("/", 1)[1] for r in recs if r["errors"]]
assert failed == ["empty.txt", "nul.txt"], failed
assert all(r["entities"] for r in recs if not r["errors"])
EOF

# Memory is bounded by the window (at -j 2, 8 records in flight, or up to 32
# while they are small), not by the number of inputs: with the reader of stdout
# stalled, the workers must wait rather than pile up results. 510 records
# held at once would add ~25 MB.
# Not under AddressSanitizer (EXTRACT_SANITIZED, set by the sanitizer
# build's ctest): its quarantine keeps freed memory resident, so RSS grows
# with the work done whatever the window.
if [ -x /usr/bin/time ] && [ -z "${EXTRACT_SANITIZED:-}" ]; then
  for _ in $(seq 1 10); do cat "$tmp/folder.list"; done > "$tmp/long.list"
  /usr/bin/time -f %M -o "$tmp/rss1" "$extract" "$sample" > /dev/null 2>&1
  /usr/bin/time -f %M -o "$tmp/rss2" "$extract" -j 2 --files-from "$tmp/long.list" 2>/dev/null \
    | { sleep 4; cat > /dev/null; }
  rss1=$(tail -1 "$tmp/rss1"); rss2=$(tail -1 "$tmp/rss2")
  [ "$rss2" -lt $((rss1 + 12000)) ] && ok || fail "memory: $rss2 KiB for 510 inputs, $rss1 KiB for one"
fi

# --- --files-from ------------------------------------------------------------

{ echo "$sample"; echo; echo "  "; printf '%s\r\n' "$tmp/folder/a02.txt"; echo "$tmp/missing.txt";
  echo "$tmp/folder/sub"; } > "$tmp/list.txt"
"$extract" --files-from "$tmp/list.txt" > "$tmp/list.jsonl" 2> "$tmp/err"
expect_code "--files-from with a missing path" 1 $?
expect_grep "--files-from: missing path message" "missing\.txt: no such file" "$tmp/err"
py "--files-from: list order, blank lines skipped, CRLF, directories walked" "$tmp/list.jsonl" "$sample" "$tmp/folder" <<'EOF'
recs = rows(sys.argv[1])
paths = [r["document"]["path"] for r in recs]
subs = sorted(p for p in paths if "/sub/" in p)
assert paths[:3] == [sys.argv[2], sys.argv[3] + "/a02.txt", sys.argv[3].rsplit("/", 1)[0] + "/missing.txt"], paths
assert len(subs) == 9 and paths[3:] == subs, paths
assert [bool(r["errors"]) for r in recs[:3]] == [False, False, True]
EOF
# From stdin, as with find; one path still gives JSON Lines (the count is not
# known in advance); paths on the command line come first.
find "$tmp/folder" -name 'a0*.txt' | LC_ALL=C sort | "$extract" --files-from - > "$tmp/find.jsonl" 2> "$tmp/err"
expect_code "--files-from - (find)" 0 $?
expect_lines "--files-from -: 8 records" 8 "$tmp/find.jsonl"
echo "$sample" | "$extract" --files-from - > "$tmp/one.jsonl" 2>/dev/null
expect_lines "--files-from - with one path: one JSON line" 1 "$tmp/one.jsonl"
echo "$sample" | "$extract" "$tmp/folder/a01.txt" --files-from - > "$tmp/both.jsonl" 2>/dev/null
py "paths, then --files-from" "$tmp/both.jsonl" "$tmp/folder/a01.txt" "$sample" <<'EOF'
assert [r["document"]["path"] for r in rows(sys.argv[1])] == sys.argv[2:]
EOF
# "-" in a list read from stdin cannot mean stdin too.
printf '%s\n-\n' "$sample" | "$extract" --files-from - > "$tmp/dash.jsonl" 2> "$tmp/err"
expect_code "'-' in a stdin list" 1 $?
expect_lines "'-' in a stdin list: two records" 2 "$tmp/dash.jsonl"
expect_grep "'-' in a stdin list: message" 'stdin:2: "-" cannot be read: stdin is the --files-from list' "$tmp/err"
echo "$sample" | "$extract" --files-from - - > "$tmp/out" 2> "$tmp/err"
expect_code "stdin as both list and input" 2 $?
expect_grep "stdin as both list and input: message" "cannot be both an input and the --files-from list" "$tmp/err"
# An empty list: no records, success.
: | "$extract" --files-from - > "$tmp/none.jsonl" 2> "$tmp/err"; expect_code "empty list" 0 $?
expect_empty "empty list: no output" "$tmp/none.jsonl"

# --- -o: atomic output ---------------------------------------------------------

"$extract" -j 2 -o "$tmp/out/../o.jsonl" "$tmp/folder" > "$tmp/stdout" 2>/dev/null
expect_code "-o into a missing directory" 2 $?
mkdir -p "$tmp/outdir"
"$extract" -j 2 -o "$tmp/outdir/o.jsonl" "$tmp/folder" > "$tmp/stdout" 2>/dev/null
expect_code "-o" 1 $?
expect_empty "-o: nothing on stdout" "$tmp/stdout"
cmp -s "$tmp/outdir/o.jsonl" "$tmp/j1.jsonl" && ok || fail "-o: file differs from stdout output"
[ "$(ls -A "$tmp/outdir")" = "o.jsonl" ] && ok || fail "-o: temporary files left: $(ls -A "$tmp/outdir")"
# A FIFO (like /dev/null or /dev/stdout) is written to, not replaced by a
# file; a symbolic link keeps pointing at the file it names.
mkfifo "$tmp/outdir/fifo"
cat "$tmp/outdir/fifo" > "$tmp/fifo.out" &
reader=$!
"$extract" -j 2 -o "$tmp/outdir/fifo" "$tmp/folder" > /dev/null 2>&1
expect_code "-o FIFO" 1 $?
if [ -p "$tmp/outdir/fifo" ]; then ok; else fail "-o FIFO: the FIFO was replaced"; kill "$reader"; fi
wait "$reader"
cmp -s "$tmp/fifo.out" "$tmp/j1.jsonl" && ok || fail "-o FIFO: records differ from stdout output"
rm -f "$tmp/outdir/fifo"
mkdir -p "$tmp/linked"; echo old > "$tmp/linked/real.jsonl"
ln -s ../linked/real.jsonl "$tmp/outdir/link.jsonl"
"$extract" -j 2 -o "$tmp/outdir/link.jsonl" "$tmp/folder" > /dev/null 2>&1
expect_code "-o symlink" 1 $?
[ -L "$tmp/outdir/link.jsonl" ] && ok || fail "-o symlink: the link was replaced"
cmp -s "$tmp/linked/real.jsonl" "$tmp/j1.jsonl" && ok || fail "-o symlink: the file it names was not written"
rm -f "$tmp/outdir/link.jsonl"
mode=$(stat -c %a "$tmp/outdir/o.jsonl")
expected_mode=$(printf '%o' $((0666 & ~$(umask))))
[ "$mode" = "$expected_mode" ] && ok || fail "-o: mode $mode, expected $expected_mode"
"$extract" -o "$tmp/outdir/single.json" "$sample" 2>/dev/null; expect_code "-o one article" 0 $?
"$extract" "$sample" 2>/dev/null | cmp -s - "$tmp/outdir/single.json" && ok || fail "-o: single record differs"
# A write that fails (file size limit: EFBIG) leaves the old file as it was
# and no temporary file; exit 3 (output failed) with a message.
echo "previous content" > "$tmp/outdir/o.jsonl"
(ulimit -f 8; trap '' XFSZ; exec "$extract" -j 2 -o "$tmp/outdir/o.jsonl" "$tmp/folder") > /dev/null 2> "$tmp/err"
expect_code "-o write failure" 3 $?
expect_grep "-o write failure: message" "o\.jsonl: cannot write: .*nothing written" "$tmp/err"
[ "$(cat "$tmp/outdir/o.jsonl")" = "previous content" ] && ok || fail "-o failure: old file changed"
[ "$(ls -A "$tmp/outdir" | sort | tr '\n' ' ')" = "o.jsonl single.json " ] && ok || fail "-o failure: left $(ls -A "$tmp/outdir")"
# Interrupted (SIGTERM) while writing: no temporary file, no output file.
# The input is a stream that stays open (a FIFO whose write end this shell
# holds), so extract is still running when the signal comes however fast the
# machine is.
mkfifo "$tmp/feed.fifo"
"$extract" --jsonl -j 1 -o "$tmp/outdir/killed.jsonl" - < "$tmp/feed.fifo" 2>/dev/null &
pid=$!
exec 9> "$tmp/feed.fifo"
echo '{"id": "k", "text": "Gunmen attacked a village near Gao on Monday."}' >&9
for _ in $(seq 1 100); do ls -A "$tmp/outdir" | grep -q '^\.killed' && break; sleep 0.05; done
ls -A "$tmp/outdir" | grep -q '^\.killed' && ok || fail "-o SIGTERM: no temporary file while running"
kill -TERM "$pid"; wait "$pid"
exec 9>&-
[ "$(ls -A "$tmp/outdir" | sort | tr '\n' ' ')" = "o.jsonl single.json " ] && ok || fail "-o SIGTERM: left $(ls -A "$tmp/outdir")"

# A stream's records come out as they are done, while the stream is still
# open: a busy run wakes the writer once per batch of records, an idle one
# (waiting for input) must not hold back what it has finished.
for j in 1 2; do
  mkfifo "$tmp/stream$j.fifo"
  "$extract" --jsonl -j "$j" - < "$tmp/stream$j.fifo" > "$tmp/stream$j.out" 2>/dev/null &
  pid=$!
  exec 8> "$tmp/stream$j.fifo"
  echo '{"id": "s1", "text": "Gunmen attacked a village near Gao on Monday."}' >&8
  for _ in $(seq 1 600); do grep -q '"id":"s1"' "$tmp/stream$j.out" && break; sleep 0.05; done
  grep -q '"id":"s1"' "$tmp/stream$j.out" && ok \
    || fail "-j $j stream: the first record did not come out while the stream was open"
  exec 8>&-
  wait "$pid"; expect_code "-j $j stream: ends with its input" 0 $?
  expect_lines "-j $j stream: one record" 1 "$tmp/stream$j.out"
done

# --- JSON Lines input ----------------------------------------------------------

/usr/bin/python3 - "$sample" "$tmp/in.jsonl" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
lines = [
    json.dumps({"id": "a", "text": text}),
    json.dumps({"id": "b", "text": text, "date": "2024-11-12"}),
    '{"id": "c", "text": "Headline\\n\\nBroken',               # line 3: malformed
    "",                                                        # blank: skipped
    json.dumps({"id": 7, "text": text.replace("\n", "\r\n")}), # line 5: CRLF text
    json.dumps({"id": "d", "text": ""}),                       # line 6: empty
    json.dumps({"id": "e", "text": text, "date": "11/12/2024"}),  # line 7: bad date
    json.dumps({"id": "f", "body": text}),                     # line 8: no text
    json.dumps({"id": "g", "text": "Head\u0000line\n\nBody"}),  # line 9: NUL
    json.dumps(["not", "an", "object"]),                       # line 10
    json.dumps({"text": "Gunmen abducted a trader in Gao on Monday."}),  # 11: no id
]
open(sys.argv[2], "w", encoding="utf-8", newline="").write("\r\n".join(lines) + "\r\n")
EOF
"$extract" -j 1 --input-format jsonl --date 2024-01-01 "$tmp/in.jsonl" > "$tmp/in.out" 2> "$tmp/err"
expect_code "jsonl input with bad lines" 1 $?
expect_lines "jsonl: one record per non-blank line" 10 "$tmp/in.out"
expect_lines "jsonl: six failures on stderr" 6 "$tmp/err"
expect_grep "jsonl: malformed line message" "in\.jsonl:3: malformed JSON: " "$tmp/err"
expect_grep "jsonl: empty text message" "in\.jsonl:6: empty text" "$tmp/err"
expect_grep "jsonl: bad date message" "in\.jsonl:7: \"date\": expected YYYY-MM-DD, got '11/12/2024'" "$tmp/err"
expect_grep "jsonl: no text message" "in\.jsonl:8: expected a JSON object with a \"text\" string" "$tmp/err"
expect_grep "jsonl: NUL message" "in\.jsonl:9: binary file: NUL byte at offset 4" "$tmp/err"
expect_grep "jsonl: array message" "in\.jsonl:10: expected a JSON object" "$tmp/err"
validate "jsonl" "$tmp/in.out"
py "jsonl: ids, dates, error records" "$tmp/in.out" "$tmp/in.jsonl" <<'EOF'
recs = rows(sys.argv[1])
f = sys.argv[2]
assert [r["document"]["id"] for r in recs] == ["a", "b", f + ":3", "7", "d", "e", "f", "g", f + ":10", f + ":11"], [r["document"]["id"] for r in recs]
assert [r["document"]["date"] for r in recs[:2]] == ["2024-01-01", "2024-11-12"]
assert [bool(r["errors"]) for r in recs] == [False, False, True, False, True, True, True, True, True, False]
assert all(r["document"]["path"] == "" for r in recs)
assert recs[0]["entities"] and recs[3]["entities"] and recs[9]["entities"]
assert entity_names(recs[0]) == entity_names(recs[3])  # CRLF text: same entities
crlf_text = json.loads(open(f, encoding="utf-8", newline="").read().split("\r\n")[4])["text"]
assert "\r\n" in crlf_text
check_spans(recs[3], crlf_text)
assert recs[3]["sentences"][1]["start"] > recs[0]["sentences"][1]["start"]
EOF
"$extract" -j 4 --jsonl --date 2024-01-01 "$tmp/in.jsonl" > "$tmp/in4.out" 2>/dev/null
cmp -s "$tmp/in4.out" "$tmp/in.out" && ok || fail "jsonl: -j 4 output differs from -j 1"
"$extract" --jsonl --date 2024-01-01 - < "$tmp/in.jsonl" 2>/dev/null > "$tmp/stdin.out"
py "jsonl from stdin: stdin:LINE names" "$tmp/stdin.out" <<'EOF'
recs = rows(sys.argv[1])
assert recs[0]["document"]["id"] == "a" and recs[2]["document"]["id"] == "stdin:3", recs[2]["document"]
EOF
# A missing JSONL file is one error record; a directory is walked for *.jsonl.
mkdir -p "$tmp/jdir/sub"; cp "$tmp/in.jsonl" "$tmp/jdir/sub/x.jsonl"; cp "$sample" "$tmp/jdir/ignored.txt"
"$extract" --jsonl "$tmp/nope.jsonl" "$tmp/jdir" > "$tmp/jd.out" 2> "$tmp/err"
expect_lines "jsonl: missing file + directory" 11 "$tmp/jd.out"
expect_grep "jsonl: missing file message" "nope\.jsonl: no such file" "$tmp/err"
# A line over --max-bytes is an error record; the lines after it go on.
/usr/bin/python3 -c "
import json, sys
big = 'Headline\n\n' + 'Gunmen abducted a trader in Gao. ' * 6000
sys.stdout.write(json.dumps({'id': 'big', 'text': big}) + '\n' + json.dumps({'id': 'small', 'text': 'Gunmen struck Gao.'}) + '\n')
" > "$tmp/big.jsonl"
"$extract" --jsonl --max-bytes 100K "$tmp/big.jsonl" > "$tmp/big.out" 2> "$tmp/err"
expect_code "jsonl: line over --max-bytes" 1 $?
expect_grep "jsonl: long line message" "big\.jsonl:1: [0-9]+ bytes exceeds --max-bytes 102400" "$tmp/err"
expect_lines "jsonl: long line + next line" 2 "$tmp/big.out"
# The 200 KB line itself is processed with the default limit.
"$extract" --input-format jsonl "$tmp/big.jsonl" > "$tmp/big.out" 2> "$tmp/err"
expect_code "jsonl: long line" 0 $?
py "jsonl: long line processed" "$tmp/big.out" <<'EOF'
recs = rows(sys.argv[1])
assert recs[0]["document"]["id"] == "big" and len(recs[0]["sentences"]) > 1000 and not recs[0]["errors"], recs[0]["errors"]
EOF

# --- Encodings -----------------------------------------------------------------

/usr/bin/python3 - "$sample" "$tmp/enc" <<'EOF'
import os, sys
text = open(sys.argv[1], encoding="utf-8").read()
d = sys.argv[2]
os.makedirs(d, exist_ok=True)
def w(name, data):
    open(os.path.join(d, name), "wb").write(data)
w("utf8.txt", text.encode("utf-8"))
w("utf8bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
w("utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le"))
w("utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be"))
w("crlf.txt", text.replace("\n", "\r\n").encode("utf-8"))
# Latin-1: é at byte 31 of "Café owner kidnapped in Tonka\n\n..."
latin = "Caf\u00e9 owner kidnapped in Tonka\n\nGunmen abducted Mariam Ciss\u00e9, a caf\u00e9 owner, in Tonka on Tuesday, the army said.\n"
w("latin1.txt", latin.encode("latin-1"))
# Windows-1252: euro sign and curly quotes (0x80, 0x93, 0x94), and 0x81,
# which Windows-1252 leaves undefined.
cp = "Ransom of \u20ac5,000 paid\n\n\u201cWe paid,\u201d the family said in Timbuktu. Odd byte: \x81.\n"
w("cp1252.txt", cp.replace("\x81.\n", "").encode("cp1252") + b"\x81.\n")
EOF
enc="$tmp/enc"
"$extract" --encoding utf-8 --lines "$enc/utf8.txt" "$enc/utf8bom.txt" "$enc/utf16le.txt" "$enc/utf16be.txt" "$enc/crlf.txt" \
  "$enc/latin1.txt" "$enc/cp1252.txt" > "$tmp/enc-default.jsonl" 2> "$tmp/err"
expect_code "encodings, strict UTF-8" 1 $?
expect_grep "UTF-16 LE refused as UTF-8" "utf16le\.txt: UTF-16 text \(byte-order mark FF FE\), not UTF-8: use --encoding auto" "$tmp/err"
expect_grep "UTF-16 BE refused as UTF-8" "utf16be\.txt: UTF-16 text \(byte-order mark FE FF\)" "$tmp/err"
expect_grep "Latin-1 refused as UTF-8, with the byte and a hint" "latin1\.txt: invalid UTF-8 at byte 3 \(.*--encoding auto\)" "$tmp/err"
expect_grep "Windows-1252 refused as UTF-8" "cp1252\.txt: invalid UTF-8 at byte 10 " "$tmp/err"
py "strict UTF-8: error records carry the offset" "$tmp/enc-default.jsonl" <<'EOF'
recs = rows(sys.argv[1])
assert [r["errors"][0]["offset"] if r["errors"] else None for r in recs] == [None, None, 0, 0, None, 3, 10]
assert recs[1]["document"]["encoding"] == "utf-8-bom"
EOF
"$extract" --lines "$enc/utf8.txt" "$enc/utf8bom.txt" "$enc/utf16le.txt" "$enc/utf16be.txt" \
  "$enc/crlf.txt" "$enc/latin1.txt" "$enc/cp1252.txt" > "$tmp/enc-auto.jsonl" 2> "$tmp/err"
expect_code "encodings, --encoding auto (the default)" 0 $?
expect_empty "--encoding auto: no errors" "$tmp/err"
validate "encodings" "$tmp/enc-auto.jsonl"
py "--encoding auto: decoded text, encodings, spans" "$tmp/enc-auto.jsonl" "$enc" <<'EOF'
recs = rows(sys.argv[1])
d = sys.argv[2]
assert [r["document"]["encoding"] for r in recs] == [
    "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-8", "windows-1252", "windows-1252"], [r["document"]["encoding"] for r in recs]
names = entity_names(recs[0])
assert names and all(entity_names(r) == names for r in recs[1:5]), [entity_names(r) for r in recs[:5]]
# Spans index the decoded text: code points of the file decoded as named
# (a byte-order mark stays as U+FEFF; CRLF stays two code points), bytes of
# its UTF-8 form.
def decoded(name, codec):
    return open(f"{d}/{name}", encoding=codec, newline="").read()
check_spans(recs[0], decoded("utf8.txt", "utf-8"))
check_spans(recs[1], decoded("utf8bom.txt", "utf-8"))
check_spans(recs[2], decoded("utf16le.txt", "utf-16-le"))
check_spans(recs[3], decoded("utf16be.txt", "utf-16-be"))
check_spans(recs[4], decoded("crlf.txt", "utf-8"))
assert "\r\n" in recs[4]["sentences"][0]["text"] or recs[4]["sentences"][0]["text"] == recs[0]["sentences"][0]["text"]
# The BOM and the CRLF shift the offsets, not what is found.
assert [m["text"] for e in recs[4]["entities"] for m in e["mentions"]] == [m["text"] for e in recs[0]["entities"] for m in e["mentions"]]
check_spans(recs[5], decoded("latin1.txt", "latin-1"))
assert recs[5]["document"]["title"] == "Caf\u00e9 owner kidnapped in Tonka", recs[5]["document"]
assert any(e["name"] == "Mariam Ciss\u00e9" for e in recs[5]["entities"]), entity_names(recs[5])
cp = recs[6]
assert cp["document"]["title"] == "Ransom of \u20ac5,000 paid", cp["document"]
assert "\u201cWe paid,\u201d" in cp["sentences"][1]["text"], cp["sentences"]
assert "Odd byte: \x81." in json.dumps(cp, ensure_ascii=False), "0x81 must become U+0081"
EOF
"$extract" --encoding latin1 "$enc/latin1.txt" > "$tmp/l1.json" 2>/dev/null; expect_code "--encoding latin1" 0 $?
py "--encoding latin1" "$tmp/l1.json" <<'EOF'
r = json.load(open(sys.argv[1]))
assert r["document"]["encoding"] == "latin-1" and r["document"]["title"] == "Caf\u00e9 owner kidnapped in Tonka"
EOF
"$extract" --encoding utf-16 "$enc/utf16be.txt" "$enc/utf8.txt" > "$tmp/u16.jsonl" 2> "$tmp/err"
expect_code "--encoding utf-16 on a file without a BOM" 1 $?
expect_grep "--encoding utf-16: no BOM message" "utf8\.txt: invalid UTF-16 at byte 0: no byte-order mark" "$tmp/err"
"$extract" --encoding utf-16le "$enc/utf16le.txt" > /dev/null 2>&1; expect_code "--encoding utf-16le" 0 $?
# UTF-8 with one bad byte is not taken for Windows-1252: that would turn
# every accented letter into two wrong ones. The error names both bytes.
printf 'Caf\xc3\xa9 in Tonka\n\nGunmen hit Tonka \xe9 on Tuesday.\n' > "$enc/mixed.txt"
"$extract" "$enc/mixed.txt" > "$tmp/mixed.json" 2> "$tmp/err"; expect_code "mixed UTF-8 and a bad byte" 1 $?
expect_grep "mixed: names the bad byte and a UTF-8 one" "mixed\.txt: invalid UTF-8 at byte 33 \(the text has UTF-8 characters too, e\.g\. at byte 3; use --encoding windows-1252" "$tmp/err"
"$extract" --encoding windows-1252 "$enc/mixed.txt" > /dev/null 2>&1; expect_code "mixed, read as Windows-1252 on request" 0 $?

# The Latin-1 article of the shared corpus, when it is there.
latin_corpus="$src/../shared/corpus/bbc/sport/199.txt"
if [ -f "$latin_corpus" ]; then
  "$extract" --encoding utf-8 "$latin_corpus" > /dev/null 2> "$tmp/err"; expect_code "corpus Latin-1 article, strict" 1 $?
  expect_grep "corpus Latin-1 article: offset" "199\.txt: invalid UTF-8 at byte [0-9]+" "$tmp/err"
  "$extract" "$latin_corpus" > "$tmp/199.json" 2> "$tmp/err"; expect_code "corpus Latin-1 article, auto (the default)" 0 $?
  py "corpus Latin-1 article decoded" "$tmp/199.json" "$latin_corpus" <<'EOF'
r = json.load(open(sys.argv[1]))
assert r["document"]["encoding"] in ("windows-1252", "latin-1"), r["document"]
assert r["document"]["title"] == "Chelsea sack Mutu", r["document"]
text = open(sys.argv[2], encoding="cp1252", errors="strict", newline="").read()
assert "\u00a315.8m" in text
check_spans(r, text)
EOF
fi

# --- Bad inputs: one record each, nothing lost -----------------------------------

bad="$tmp/bad"; mkdir -p "$bad"
printf '' > "$bad/empty.txt"
printf ' \n\t\r\n' > "$bad/blank.txt"
head -c 300 /bin/sh > "$bad/binary.bin"
printf 'Headline\n\nabc\x00def\n' > "$bad/nul.txt"
printf '\xff\xfeH\x00\x00\x00i\x00' > "$bad/utf16-nul.txt"
truncate -s 100M "$bad/huge.txt"
echo "secret" > "$bad/unreadable.txt"; chmod 000 "$bad/unreadable.txt"
/usr/bin/python3 -c "
import sys
s = open(sys.argv[1], encoding='utf-8').read().replace('\n', ' ')
open(sys.argv[2], 'w', encoding='utf-8').write('Long line\n\n' + (s * ((1 << 20) // len(s) + 1))[: 1 << 20])
" "$sample" "$bad/longline.txt"
"$extract" --encoding auto -j 2 "$bad/empty.txt" "$bad/blank.txt" "$bad/binary.bin" "$bad/nul.txt" \
  "$bad/utf16-nul.txt" "$bad/huge.txt" "$bad/unreadable.txt" "$bad/longline.txt" "$bad/missing.txt" \
  > "$tmp/bad.jsonl" 2> "$tmp/err"
expect_code "bad inputs" 1 $?
expect_lines "bad inputs: one record each" 9 "$tmp/bad.jsonl"
expect_grep "empty file" "empty\.txt: empty file$" "$tmp/err"
expect_grep "blank file" "blank\.txt: empty file \(only white space\)" "$tmp/err"
expect_grep "binary file" "binary\.bin: binary file: NUL byte at offset [0-9]+" "$tmp/err"
expect_grep "NUL byte" "nul\.txt: binary file: NUL byte at offset 13$" "$tmp/err"
expect_grep "UTF-16 NUL" "utf16-nul\.txt: binary file: NUL byte at offset 4$" "$tmp/err"
expect_grep "100 MB file" "huge\.txt: 104857600 bytes exceeds --max-bytes 16777216" "$tmp/err"
expect_grep "missing file" "missing\.txt: no such file" "$tmp/err"
if [ "$(id -u)" -ne 0 ]; then
  expect_grep "unreadable file" "unreadable\.txt: cannot read: Permission denied" "$tmp/err"
  expect_lines "bad inputs: failures" 8 "$tmp/err"
else
  expect_lines "bad inputs: failures (root reads unreadable.txt)" 7 "$tmp/err"
fi
validate "bad inputs" "$tmp/bad.jsonl"
py "bad inputs: records" "$tmp/bad.jsonl" <<'EOF'
recs = rows(sys.argv[1])
by = {r["document"]["path"].rsplit("/", 1)[1]: r for r in recs}
assert by["nul.txt"]["errors"][0]["offset"] == 13
assert by["huge.txt"]["errors"][0]["code"] == "invalid_input"
assert by["missing.txt"]["errors"][0]["code"] == "not_found"
lr = by["longline.txt"]
assert not lr["errors"] and len(lr["sentences"]) > 1000, lr["errors"]
EOF
printf '\xff\xfeH\x00i\x00\x3d\xd8!\x00' > "$bad/utf16-lone.txt"
"$extract" --encoding auto "$bad/utf16-lone.txt" > /dev/null 2> "$tmp/err"
expect_grep "unpaired surrogate" "utf16-lone\.txt: invalid UTF-16 at byte 6: unpaired high surrogate U\+D83D" "$tmp/err"
printf '\xfe\xff\x00H\x00' > "$bad/odd.txt"
"$extract" --encoding auto "$bad/odd.txt" > /dev/null 2> "$tmp/err"
expect_grep "odd UTF-16 length" "odd\.txt: invalid UTF-16 at byte 4: odd number of bytes \(5\)" "$tmp/err"
# --max-bytes on a file and on stdin (a stream is counted, not kept).
size=$(wc -c < "$sample")
"$extract" --max-bytes 1K "$sample" > /dev/null 2> "$tmp/err"; expect_code "--max-bytes 1K" 1 $?
expect_grep "--max-bytes message" "mali-tiktok-influencer\.txt: $size bytes exceeds --max-bytes 1024" "$tmp/err"
"$extract" --max-bytes 1K < "$sample" > /dev/null 2> "$tmp/err"; expect_code "--max-bytes on stdin" 1 $?
expect_grep "--max-bytes on stdin message" "^stdin: $size bytes exceeds --max-bytes 1024" "$tmp/err"
"$extract" --max-bytes "$size" "$sample" > /dev/null 2>&1; expect_code "--max-bytes = size" 0 $?

# --- A closed stdout ends the run quietly ------------------------------------------

"$extract" -j 4 "$tmp/folder/sub" 2> "$tmp/err" | head -n 1 > /dev/null
expect_code "closed stdout (-j 4)" 0 "${PIPESTATUS[0]}"
expect_empty "closed stdout: stderr" "$tmp/err"
find "$tmp/folder/sub" -name '*.txt' | "$extract" -j 2 --files-from - 2> "$tmp/err" | head -c 100 > /dev/null
expect_code "closed stdout (--files-from -)" 0 "${PIPESTATUS[1]}"
expect_empty "closed stdout (--files-from -): stderr" "$tmp/err"

# Any other write error is reported (exit 3, not 1: error records are not
# the same as a lost output).
if [ -w /dev/full ]; then
  "$extract" "$sample" > /dev/full 2> "$tmp/err"; expect_code "stdout: disk full" 3 $?
  expect_grep "stdout: disk full message" "^extract: cannot write the output: No space left on device" "$tmp/err"
fi

# --- Progress: on a terminal only, and not with --quiet -------------------------------

if script -qec true /dev/null > /dev/null 2>&1; then
  script -qec "'$extract' -j 2 '$tmp/folder' > '$tmp/tty.jsonl'" "$tmp/typescript" > /dev/null 2>&1
  expect_grep "progress on a terminal" "files" "$tmp/typescript"
  expect_grep "progress counts" "/$nfiles files" "$tmp/typescript"
  expect_grep "progress throughput" "MB/s" "$tmp/typescript"
  grep -q $'\033\[K' "$tmp/typescript" && ok || fail "progress: line is cleared"
  cmp -s "$tmp/tty.jsonl" "$tmp/j1.jsonl" && ok || fail "progress: output differs"
  script -qec "'$extract' --quiet -j 2 '$tmp/folder' > /dev/null" "$tmp/typescript" > /dev/null 2>&1
  grep -q "MB/s" "$tmp/typescript" && fail "--quiet: progress shown" || ok
  expect_grep "--quiet: errors still shown" "nul\.txt: binary file" "$tmp/typescript"
  script -qec "'$extract' '$sample' > /dev/null" "$tmp/typescript" > /dev/null 2>&1
  grep -q "MB/s" "$tmp/typescript" && fail "one input: progress shown" || ok
  script -qec "'$extract' --lines '$tmp/folder/sub'" "$tmp/typescript" > /dev/null 2>&1
  grep -q "MB/s" "$tmp/typescript" && fail "records on the terminal: progress shown" || ok
  script -qec "'$extract' -o '$tmp/tty-o.jsonl' '$tmp/folder/sub'" "$tmp/typescript" > /dev/null 2>&1
  expect_grep "-o: progress on the terminal" "MB/s" "$tmp/typescript"
fi
# Not a terminal: no progress (the folder runs above left only error lines).
grep -q "MB/s" "$tmp/j4.err" && fail "progress shown when stderr is not a terminal" || ok

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
