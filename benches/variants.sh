#!/usr/bin/env bash
# The benchmark's log written the other ways logs come: by Python's `json.dumps` (spaces after
# `,` and `:`, every non-ASCII character escaped), as CSV with every cell quoted (R, many
# spreadsheets), and with event ids that are UUIDs or 21-character random ids (nanoid-like).
# Times `oblige eval` of the seed plan on each, and on the log it was made from, in one run;
# the reports of the logs with the same ids must be byte-identical to the source log's, which
# the script checks.
#
#   benches/variants.sh [EVENTS] [UNITS]        # defaults: 1000000 20000
#
# Run benches/e2e.sh with the same arguments first: it builds oblige and generates the logs.
# The variants go to $BENCH_DATA (default bench-data/, git-ignored), made once.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh "$@"
BASE="$DATA/events-$EVENTS-$UNITS"
for f in "$OBLIGE" "$U" "$BASE.jsonl" "$BASE.csv"; do
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

write_once(base + "-python.jsonl", base + ".jsonl", python_json)
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
printf '%-14s %6s %9s %10s  %s\n' log MiB oblige_s oblige_MB report
for v in jsonl python.jsonl uuid.jsonl nanoid.jsonl csv quoted.csv; do
  case $v in
    jsonl | csv) F="$BASE.$v" ;;
    *) F="$BASE-$v" ;;
  esac
  read -r S K < <(run)
  SHA=$(cat "$TMP/sha.txt")
  case $v in
    jsonl) REF=$SHA; SAME=reference ;;
    uuid.jsonl | nanoid.jsonl) SAME="(other ids, other report)" ;;
    *) [ "$SHA" = "$REF" ] && SAME=identical || { SAME=DIFFERENT; FAILED=1; } ;;
  esac
  awk -v v="$v" -v mb="$(du -m "$F" | cut -f1)" -v s="$S" -v k="$K" -v same="$SAME" \
    'BEGIN { printf "%-14s %6d %9.2f %10.0f  %s\n", v, mb, s, k/1024, same }'
done
exit "$FAILED"
