#!/usr/bin/env bash
# Fan-out beyond one machine (issue 5 item 6), as docs/scaling.md describes it:
#
#  1. the GNU parallel recipe, run over two "ssh hosts" that are this machine
#     (a stand-in for ssh runs the remote command locally, in a home directory
#     of its own per host), so every chunk goes through parallel's remote
#     execution path; merged with --keep-order it must equal one plain
#     `extract --jsonl` run byte for byte, and merged in completion order it
#     must hold the same records;
#  2. the same with the gazetteers shipped by --basefile (needs rsync);
#  3. the --pipepart variant for a file on disk;
#  4. one file per chunk (--transferfile/--return), with a host down, then
#     resumed from the joblog; an output lost on the way back, found by the
#     line-count check and redone; copies to a host that fail;
#  5. the Spark RDD.pipe / Hadoop Streaming contract: the input cut into
#     partitions, each piped through its own `extract --jsonl -` with an
#     environment as bare as PySpark's, concatenated in partition order.
#
# Error records name the line of the stream extract read ("stdin:N"), which
# for a chunk is the line within the chunk. The comparisons predict that
# number exactly (from each chunk's size) instead of masking it.
#
# Usage: scale_test.sh EXTRACT SRC_DIR. Exits 77 (skipped) without GNU parallel.
# `ok` always succeeds, so `test && ok || fail` is if-then-else here; the
# chunk files have plain names; `cat missing 2>/dev/null | wc -l` counts 0.
# shellcheck disable=SC2015,SC2012,SC2002
set -uo pipefail
extract=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)

if ! parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
  echo "SKIP: GNU parallel is not installed (Debian: apt-get install parallel)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
passes=0
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_code() { if [ "$3" -eq "$2" ]; then ok; else fail "$1: exit $3, expected $2"; fi; }

# Nothing outside $tmp: parallel's state, extract's gazetteer cache, and the
# fake hosts' home directories all live here.
export PARALLEL_HOME="$tmp/parallel-home"
export EXTRACT_CACHE_DIR="$tmp/cache"
unset EXTRACT_GAZETTEERS
# The recipe calls plain `extract`, as on hosts where it is installed.
mkdir -p "$tmp/bin"
ln -s "$extract" "$tmp/bin/extract"
export PATH="$tmp/bin:$PATH"

# compare WHAT EXPECTED ACTUAL: byte for byte, naming the first difference.
compare() {
  if cmp -s "$2" "$3"; then ok; return; fi
  fail "$1: output differs from the single run ($(wc -l < "$3") vs $(wc -l < "$2") lines)"
  diff <(cut -c1-300 "$2") <(cut -c1-300 "$3") | head -n 6 >&2
}

# --- Input: a few hundred records, a few of them bad -------------------------

/usr/bin/python3 - "$src" "$tmp/feed.jsonl" <<'EOF'
import glob, json, os, sys
src, out = sys.argv[1], sys.argv[2]
docs = []  # (id, text, date)
for path in sorted(glob.glob(os.path.join(src, "samples", "*.txt"))):
    name = os.path.basename(path)[:-4]
    date_file = path[:-4] + ".date"
    date = open(date_file).read().strip() if os.path.exists(date_file) else None
    docs.append(("sample-" + name, open(path, encoding="utf-8").read(), date))
for line in open(os.path.join(src, "tests", "gold", "gold.jsonl"), encoding="utf-8"):
    g = json.loads(line)
    docs.append((g["id"], g["text"], g.get("date")))
records = []
for doc_id, text, date in docs:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    for variant, when in (("", date), ("/undated", None)):
        pieces = [("", text)] + [("#p%d" % (i + 1), p) for i, p in enumerate(paragraphs)]
        for suffix, piece in pieces:
            r = {"id": doc_id + variant + suffix, "text": piece}
            if when:
                r["date"] = when
            records.append(json.dumps(r, ensure_ascii=False))
assert len(records) >= 250, len(records)
# Bad and odd lines, spread so that they fall into different chunks.
odd = [
    '{"id": "broken-json", "text": "Gunmen attacked',        # malformed JSON
    json.dumps({"id": "empty-text", "text": ""}),             # empty text
    json.dumps({"id": "no-text"}),                            # no "text"
    '["not", "an", "object"]',                                # not an object
    json.dumps({"id": "number-text", "text": 42}),            # text not a string
    json.dumps({"text": "Protesters marched in Bamako on Friday."}),  # no id
    json.dumps({"id": 90210, "text": "Troops were deployed to Gao."}),  # integer id
    "",                                                       # blank: no record
]
step = len(records) // (len(odd) + 1)
for i, line in enumerate(odd):
    records.insert((i + 1) * step + i, line)
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(records) + "\n")
EOF
[ -s "$tmp/feed.jsonl" ] || { echo "FAIL: could not build the input" >&2; exit 1; }
lines=$(wc -l < "$tmp/feed.jsonl")
records=$(grep -c . "$tmp/feed.jsonl")   # a blank line gives no record

# --- The single run everything is compared with -------------------------------

extract --jsonl -q -j 2 - < "$tmp/feed.jsonl" > "$tmp/single.jsonl" 2> "$tmp/single.err"
expect_code "single run (error records exist)" 1 $?
[ "$(wc -l < "$tmp/single.jsonl")" -eq "$records" ] && ok \
  || fail "single run: $(wc -l < "$tmp/single.jsonl") records for $records non-blank lines"
[ "$(wc -l < "$tmp/single.err")" -eq 5 ] && ok \
  || fail "single run: expected 5 error lines on stderr: $(cat "$tmp/single.err")"

# expect SINGLE OUT CHUNK...: the single run as a run over chunks of these
# sizes in bytes (in order) must read: every "stdin:N" becomes the line number
# within N's chunk, as NAME:N for a chunk given as SIZE:NAME (a chunk read
# from a file). Also checks that the chunks cover the input exactly.
expect() {
  /usr/bin/python3 - "$tmp/feed.jsonl" "$@" <<'EOF'
import re, sys
feed, single, out = sys.argv[1], sys.argv[2], sys.argv[3]
chunks = [(a.split(":", 1) + ["stdin"])[:2] for a in sys.argv[4:]]
data = open(feed, "rb").read()
total = sum(int(size) for size, _ in chunks)
assert total == len(data), "chunks cover %d of %d bytes" % (total, len(data))
first = []  # (first line number (1-based), name) of each chunk
pos = 0
for size, name in chunks:
    assert pos == 0 or data[pos - 1:pos] == b"\n", "chunk boundary inside a line"
    first.append((data.count(b"\n", 0, pos) + 1, name))
    pos += int(size)
def local(m):
    n = int(m.group(1))
    start, name = max(f for f in first if f[0] <= n)
    return "%s:%d" % (name, n - start + 1)
pattern = re.compile(r'(?<=")stdin:(\d+)(?=[":])')
with open(single, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
    for line in f:
        o.write(pattern.sub(local, line))
EOF
}
# joblog_sizes JOBLOG: the bytes each --pipe job was sent, in job order.
joblog_sizes() { awk -F'\t' 'NR > 1 { print $1, $5 }' "$1" | sort -n | cut -d' ' -f2; }
# joblog_check WHAT JOBLOG: every job exited 0 and both hosts ran some.
joblog_check() {
  local bad hosts
  bad=$(awk -F'\t' 'NR > 1 && ($7 != 0 || $8 != 0)' "$2")
  [ -z "$bad" ] && ok || fail "$1: failed jobs in the joblog: $bad"
  hosts=$(awk -F'\t' 'NR > 1 { print $2 }' "$2" | sort -u | tr '\n' ' ')
  [ "$hosts" = "hostA hostB " ] && ok || fail "$1: jobs ran on '$hosts', expected hostA and hostB"
}

# --- 1. GNU parallel over ssh hosts, as in docs/scaling.md --------------------

# A stand-in for ssh: HOST's home directory is $FAKE_HOSTS/HOST and the
# command (ssh joins its words with spaces) runs there in a shell, locally.
export FAKE_HOSTS="$tmp/hosts"
mkdir -p "$FAKE_HOSTS"
cat > "$tmp/fake-ssh" <<'EOF'
#!/usr/bin/env bash
while [ $# -gt 0 ]; do
  case $1 in
    -[bcDEeFIiJLlmOoPpQRSWw]) shift 2 ;;   # ssh options that take a value
    -*) shift ;;
    *) break ;;
  esac
done
host=$1; shift
[ "${1:-}" = "--" ] && shift
echo "$host $(printf '%s' "$*" | cut -c1-40)" >> "$FAKE_HOSTS/log"
[ -e "$FAKE_HOSTS/$host.down" ] && { echo "ssh: connect to host $host: Connection refused" >&2; exit 255; }
# A copy to the host (rsync's receiving side) fails on a .nocopy host.
case "$*" in
  "rsync --server --sender"*) ;;
  "rsync --server "*) [ -e "$FAKE_HOSTS/$host.nocopy" ] && { echo "rsync: write failed: No space left on device" >&2; exit 11; } ;;
esac
# sshd sets HOME and SHELL from the account; parallel's remote wrapper runs
# the job with $SHELL, so a caller without SHELL (a bare CI job) must not leak
# that into the "remote" side.
shell=$(getent passwd "$(id -u)" | cut -d: -f7)
mkdir -p "$FAKE_HOSTS/$host" && cd "$FAKE_HOSTS/$host" \
  && HOME=$PWD SHELL=${shell:-/bin/sh} exec bash -c "$*"
EOF
chmod +x "$tmp/fake-ssh"
export PARALLEL_SSH="$tmp/fake-ssh"
printf '# two job slots on each host\n2/hostA\n2/hostB\n' > "$tmp/hosts.txt"

# The documented recipe; only the block size is smaller, so that a few
# hundred records make half a dozen chunks.
cd "$tmp" || exit 1
parallel --will-cite --sshloginfile hosts.txt --pipe --block 14k --keep-order \
    --joblog ordered.joblog \
    'extract --jsonl -q -j 1 -; [ $? -le 1 ]' < feed.jsonl > merged.jsonl 2> merged.err
expect_code "parallel --keep-order" 0 $?
joblog_check "parallel --keep-order" ordered.joblog
chunks=$(joblog_sizes ordered.joblog | wc -l)
[ "$chunks" -ge 4 ] && ok || fail "only $chunks chunks; the test wants several per host"
hosts_used=$(cut -d' ' -f1 "$FAKE_HOSTS/log" | sort -u | tr '\n' ' ')
[ "$hosts_used" = "hostA hostB " ] && ok || fail "the ssh stand-in was not used for both hosts: $hosts_used"
# shellcheck disable=SC2046
if expect single.jsonl expected.jsonl $(joblog_sizes ordered.joblog); then
  compare "parallel --keep-order" expected.jsonl merged.jsonl
else
  fail "parallel --keep-order: could not derive the expected output"
fi
[ "$(grep -c . merged.err)" -eq 5 ] && ok || fail "parallel: 5 error lines expected on stderr: $(cat merged.err)"

# Merged as chunks finish (no --keep-order): the same records, which sorting
# by document.id (unique in this input) puts back in one order.
parallel --will-cite --sshloginfile hosts.txt --pipe --block 14k \
    --joblog unordered.joblog \
    'extract --jsonl -q -j 1 -; [ $? -le 1 ]' < feed.jsonl > unordered.jsonl 2> /dev/null
expect_code "parallel, completion order" 0 $?
joblog_check "parallel, completion order" unordered.joblog
# shellcheck disable=SC2046
if expect single.jsonl expected-unordered.jsonl $(joblog_sizes unordered.joblog); then
  if /usr/bin/python3 - expected-unordered.jsonl unordered.jsonl <<'EOF'
import json, sys
def by_id(path):
    rows = [(json.loads(l)["document"]["id"], l) for l in open(path, encoding="utf-8")]
    ids = [i for i, _ in rows]
    assert len(set(ids)) == len(ids), "duplicate ids in " + path
    return [l for _, l in sorted(rows)]
a, b = by_id(sys.argv[1]), by_id(sys.argv[2])
assert len(a) == len(b), (len(a), len(b))
assert a == b, "records differ once sorted by id"
EOF
  then ok; else fail "completion order: sorted by id, not the single run's records"; fi
else
  fail "completion order: could not derive the expected output"
fi

# --- 2. The gazetteers shipped with --basefile --------------------------------

if command -v rsync > /dev/null; then
  mkdir -p ship && cp -R "$src/gazetteers" ship/gazetteers && cd ship || exit 1
  parallel --will-cite --sshloginfile ../hosts.txt --basefile gazetteers \
      --pipe --block 14k --keep-order --joblog ../basefile.joblog \
      'extract --gazetteers gazetteers --jsonl -q -j 1 -; [ $? -le 1 ]' \
      < ../feed.jsonl > ../basefile.jsonl 2> /dev/null
  expect_code "parallel --basefile" 0 $?
  cd "$tmp" || exit 1
  joblog_check "parallel --basefile" basefile.joblog
  [ -f "$FAKE_HOSTS/hostA/gazetteers/places.tsv" ] && [ -f "$FAKE_HOSTS/hostB/gazetteers/places.tsv" ] \
    && ok || fail "--basefile did not copy the gazetteers to both hosts"
  # shellcheck disable=SC2046
  if expect single.jsonl expected-basefile.jsonl $(joblog_sizes basefile.joblog); then
    compare "parallel --basefile" expected-basefile.jsonl basefile.jsonl
  else
    fail "parallel --basefile: could not derive the expected output"
  fi
else
  echo "note: rsync is not installed; the --basefile variant was not run"
fi

# --- 3. --pipepart on a file ---------------------------------------------------

# parallel reads the chunks' borders itself here and logs no sizes, so the
# chunk-relative line numbers are masked on both sides for this comparison.
parallel --will-cite --sshloginfile hosts.txt --pipepart -a feed.jsonl --block 14k \
    --keep-order 'extract --jsonl -q -j 1 -; [ $? -le 1 ]' > pipepart.jsonl 2> /dev/null
expect_code "parallel --pipepart" 0 $?
mask() { sed -E 's/"stdin:[0-9]+/"stdin:N/g' "$1"; }
cmp -s <(mask single.jsonl) <(mask pipepart.jsonl) && ok \
  || fail "parallel --pipepart: output differs from the single run beyond chunk line numbers"

# --- 4. One file per chunk, resumable, with a host down -----------------------

if command -v rsync > /dev/null; then
  # chunk_parallel [OPTION...]: the command of docs/scaling.md, run from
  # inside chunks/ as it says, on the chunk names read from stdin, with
  # these options added (paths in them relative to chunks/).
  chunk_parallel() {
    (cd chunks && parallel --will-cite --sshloginfile ../hosts.txt --retries 3 "$@" \
        --transferfile '{}' --return '{.}.out' --cleanup \
        '[ -r {} ] && { extract --jsonl -q -j 1 -o {.}.out {}; [ $? -le 1 ]; }' 2> /dev/null)
  }
  chunk_names() { (cd chunks && ls part-*.jsonl); }
  run_chunks() { chunk_names | chunk_parallel --joblog ../chunks.joblog --resume-failed; }
  # The completeness check of docs/scaling.md: the chunks to redo, one a line.
  redo_list() {
    for f in chunks/part-*.jsonl; do
      [ "$(grep -c . "$f")" -eq "$(cat "${f%.jsonl}.out" 2>/dev/null | wc -l)" ] || basename "$f"
    done
  }
  # check_chunks WHAT: nothing to redo, nothing left on the hosts, and the
  # outputs concatenated equal the single run (error records named
  # part-NNNNN.jsonl:LINE, as the chunk files were given by those names).
  check_chunks() {
    local redo names=() f
    redo=$(redo_list)
    [ -z "$redo" ] && ok || fail "$1: the line-count check says redo: $redo"
    [ -z "$(find "$FAKE_HOSTS" -name 'part-*')" ] && ok || fail "$1: --cleanup left files on the hosts"
    cat chunks/part-*.out > chunks.jsonl
    for f in chunks/part-*.jsonl; do names+=("$(wc -c < "$f"):${f#chunks/}"); done
    if expect single.jsonl expected-chunks.jsonl "${names[@]}"; then
      compare "$1" expected-chunks.jsonl chunks.jsonl
    else
      fail "$1: could not derive the expected output"
    fi
  }

  # hostB refuses connections: its jobs fail (ssh exit 255) and --retries
  # reruns them on hostA. Then, with hostB back, the same command again finds
  # nothing left to do in the joblog.
  touch "$FAKE_HOSTS/hostB.down"
  mkdir -p chunks
  split -l 60 -d -a 5 --additional-suffix=.jsonl feed.jsonl chunks/part-
  tries=$(grep -c '^hostB ' "$FAKE_HOSTS/log")
  run_chunks
  expect_code "chunk files, hostB down" 0 $?
  rm "$FAKE_HOSTS/hostB.down"
  [ "$(grep -c '^hostB ' "$FAKE_HOSTS/log")" -gt "$tries" ] && ok || fail "chunk files: hostB was never tried"
  bad=$(awk -F'\t' 'NR > 1 && ($7 != 0 || $2 != "hostA")' chunks.joblog)
  [ -z "$bad" ] && ok || fail "chunk files: every chunk should have ended well on hostA: $bad"
  check_chunks "chunk files, hostB down"
  before=$(wc -l < chunks.joblog)
  run_chunks
  expect_code "chunk files, run again" 0 $?
  [ "$(wc -l < chunks.joblog)" -eq "$before" ] && ok || fail "chunk files: the second run redid chunks"

  # An output lost on the way back (parallel still counts the job a success):
  # the check lists that chunk, and the redo command of docs/scaling.md
  # restores it.
  rm chunks/part-00002.out
  redo_list > redo.txt
  [ "$(cat redo.txt)" = "part-00002.jsonl" ] && ok \
    || fail "chunk files: the check should list part-00002.jsonl alone: $(cat redo.txt)"
  chunk_parallel < redo.txt
  expect_code "chunk files, redo" 0 $?
  check_chunks "chunk files, redo"

  # hostB is up but every copy to it fails (as on a full disk): its jobs find
  # no input, and the [ -r ] test fails them instead of accepting the
  # missing-file error record, so they are rerun on hostA.
  touch "$FAKE_HOSTS/hostB.nocopy"
  rm chunks/part-*.out
  copies=$(grep -c '^hostB rsync --server -[^-]' "$FAKE_HOSTS/log")
  chunk_names | chunk_parallel --joblog ../nocopy.joblog
  expect_code "chunk files, copies to hostB fail" 0 $?
  rm "$FAKE_HOSTS/hostB.nocopy"
  [ "$(grep -c '^hostB rsync --server -[^-]' "$FAKE_HOSTS/log")" -gt "$copies" ] && ok \
    || fail "chunk files: no copy to hostB was tried"
  bad=$(awk -F'\t' 'NR > 1 && ($7 != 0 || $2 != "hostA")' nocopy.joblog)
  [ -z "$bad" ] && ok || fail "chunk files, copies to hostB fail: every chunk should have ended well on hostA: $bad"
  check_chunks "chunk files, copies to hostB fail"
fi

# --- 5. The Spark RDD.pipe / Hadoop Streaming contract -------------------------

# Five partitions cut at line boundaries; each is piped through its own
# extract with only the variables given to it (PySpark's pipe replaces the
# environment with its env argument), as a map task would. Exit 1 exactly for
# the partitions that hold a bad record.
mkdir -p parts
split -n l/5 -d feed.jsonl parts/part-
sizes=()
: > partitions.jsonl
for part in parts/part-*; do
  env -i EXTRACT_GAZETTEERS="$src/gazetteers" EXTRACT_CACHE_DIR="$EXTRACT_CACHE_DIR" \
    "$extract" --jsonl -q -j 1 - < "$part" > "$part.out" 2> /dev/null
  code=$?
  want=0
  grep -qE '"(broken-json|empty-text|no-text|number-text)"|^\["not"' "$part" && want=1
  expect_code "partition $part" "$want" "$code"
  cat "$part.out" >> partitions.jsonl
  sizes+=("$(wc -c < "$part")")
done
if expect single.jsonl expected-partitions.jsonl "${sizes[@]}"; then
  compare "partitions" expected-partitions.jsonl partitions.jsonl
else
  fail "partitions: could not derive the expected output"
fi

# The command docs/scaling.md gives RDD.pipe and the Hadoop mapper, in the
# environment given there: a partition with error records succeeds, an
# extract that cannot run (here: no gazetteers) fails the task.
wrapped() {
  env -i PATH="$tmp/bin:/usr/bin:/bin" EXTRACT_GAZETTEERS="$1" EXTRACT_CACHE_DIR="$EXTRACT_CACHE_DIR" \
    sh -c 'extract --jsonl -q -j 1 -; [ $? -le 1 ]'
}
wrapped "$src/gazetteers" < feed.jsonl > wrapped.jsonl 2> /dev/null
expect_code "sh -c wrapper, error records" 0 $?
cmp -s single.jsonl wrapped.jsonl && ok || fail "sh -c wrapper: output differs from the single run"
wrapped "$tmp/no-such-gazetteers" < feed.jsonl > /dev/null 2>&1
expect_code "sh -c wrapper, no gazetteers" 1 $?

# Why Hadoop's NLineInputFormat needs stream.map.input.ignoreKey=true: a
# mapper that is also sent the key gets "OFFSET<TAB>{...}", not a record.
head -n 1 feed.jsonl | sed 's/^/0\t/' | extract --jsonl -q - > keyed.jsonl 2> /dev/null
expect_code "a line with a key in front" 1 $?
grep -q '"message":"stdin:1: malformed JSON' keyed.jsonl && ok \
  || fail "a line with a key in front: expected a malformed-JSON error record: $(head -c 300 keyed.jsonl)"

echo "scale: $passes checks passed, $failures failed ($records records, $lines lines, $chunks chunks)"
[ "$failures" -eq 0 ]
