#!/usr/bin/env bash
# The benchmark's log written the other ways logs come: by Python's `json.dumps` (spaces after
# `,` and `:`, every non-ASCII character escaped), as CSV with every cell quoted (R, many
# spreadsheets), and with event ids that are UUIDs or 21-character random ids (nanoid-like).
# Also a lean log as a short script writes one: only id (a number), time, kind and actor, by
# `json.dumps` and by Python's `csv` module (CR LF endings), about the size of the reference
# logs the targets in docs/performance.md were set on (5 M events: 600 MB of JSON Lines and
# 330 MB of CSV here, 583 MB and 288 MB there).
# Times `oblige eval` of the seed plan and DuckDB's half-year meeting query on each, in one run;
# the reports of the logs with the same events must be byte-identical (each variant to the log
# it was made from, the lean CSV to the lean JSON Lines), which the script checks.
#
#   benches/variants.sh [EVENTS] [UNITS]        # defaults: 1000000 20000
#
# Run benches/e2e.sh with the same arguments first: it builds oblige and generates the logs.
# The variants go to $BENCH_DATA (default bench-data/, git-ignored), made once.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh "$@"
BASE="$DATA/events-$EVENTS-$UNITS"
for f in "$OBLIGE" "$U" "$BASE.jsonl" "$BASE.csv" "$DATA/venv/bin/python"; do
  [ -e "$f" ] || { echo "missing $f: run benches/e2e.sh $EVENTS $UNITS first" >&2; exit 1; }
done
make_variants() {
  python3 - "$BASE" <<'PY'
import base64, csv, hashlib, json, os, re, sys, uuid
base = sys.argv[1]

def write_once(path, source, write):
    """Writes `path` from `source` unless it is there; whole or not at all."""
    if os.path.exists(path):
        return
    with open(source, newline="") as f, open(path + ".part", "w", newline="") as g:
        write(f, g)
    os.replace(path + ".part", path)

def python_json(f, g):
    for line in f:
        g.write(json.dumps(json.loads(line)) + "\n")

def quoted_csv(f, g):
    out = csv.writer(g, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in csv.reader(f):
        out.writerow(row)

# Ids made from the log's own, so that the variants order their events alike.
def other_ids(new_id):
    pattern = re.compile(r'"id":"([^"]+)"')
    def write(f, g):
        for line in f:
            m = pattern.search(line)
            d = hashlib.md5(m.group(1).encode()).digest()
            g.write(line[: m.start(1)] + new_id(d) + line[m.end(1):])
    return write

# Numbered in file order, as a script numbers what it writes.
def lean(as_csv):
    names = ("id", "time", "kind", "actor")
    def write(f, g):
        out = csv.writer(g)
        if as_csv:
            out.writerow(names)
        for n, line in enumerate(f, 1):
            e = json.loads(line)
            row = (n, e["time"], e["kind"], e["actor"])
            if as_csv:
                out.writerow(row)
            else:
                g.write(json.dumps(dict(zip(names, row))) + "\n")
    return write

write_once(base + "-python.jsonl", base + ".jsonl", python_json)
write_once(base + "-lean.jsonl", base + ".jsonl", lean(False))
write_once(base + "-lean.csv", base + ".jsonl", lean(True))
write_once(base + "-quoted.csv", base + ".csv", quoted_csv)
write_once(base + "-uuid.jsonl", base + ".jsonl", other_ids(lambda d: str(uuid.UUID(bytes=d))))
write_once(base + "-nanoid.jsonl", base + ".jsonl",
           other_ids(lambda d: base64.urlsafe_b64encode(d)[:21].decode()))
PY
}

# Runs oblige on the log $F, timed; then again, untimed, for the report's SHA-256 (a hash read
# through a pipe would share the cores with the timed run); prints "<seconds> <peak KiB>",
# last: the caller reads the line and goes on at once.
run() {
  local timed
  timed=$(measure "${EVAL[@]}" --events "$F")
  "${EVAL[@]}" --events "$F" 2>/dev/null | sha256sum | cut -c1-64 >"$TMP/sha.txt"
  echo "$timed"
}

make_variants
FAILED=0
printf '%-14s %6s %9s %10s %9s %6s  %s\n' log MiB oblige_s oblige_MB duckdb_s ratio report
for v in jsonl python.jsonl uuid.jsonl nanoid.jsonl csv quoted.csv lean.jsonl lean.csv; do
  case $v in
    jsonl | csv) F="$BASE.$v" ;;
    *) F="$BASE-$v" ;;
  esac
  read -r S K < <(run)
  SHA=$(cat "$TMP/sha.txt")
  case $v in
    *jsonl) read -r DS _ < <(duck json "$F") ;;
    *) read -r DS _ < <(duck csv "$F") ;;
  esac
  case $v in
    jsonl) REF=$SHA; SAME=reference ;;
    lean.jsonl) LEAN=$SHA; SAME="reference (four fields)" ;;
    uuid.jsonl | nanoid.jsonl) SAME="(other ids, other report)" ;;
    lean.csv) [ "$SHA" = "$LEAN" ] && SAME=identical || { SAME=DIFFERENT; FAILED=1; } ;;
    *) [ "$SHA" = "$REF" ] && SAME=identical || { SAME=DIFFERENT; FAILED=1; } ;;
  esac
  awk -v v="$v" -v mb="$(du -m "$F" | cut -f1)" -v s="$S" -v k="$K" -v ds="$DS" -v same="$SAME" \
    'BEGIN { printf "%-14s %6d %9.2f %10.0f %9.2f %6.2f  %s\n", v, mb, s, k/1024, ds, s/ds, same }'
done
exit "$FAILED"
