# Sourced by the bench scripts, from the repository's root, with their arguments:
#   [EVENTS] [UNITS]        # defaults: 1000000 20000
# Sets where the data is and how oblige is run, and `measure`, so that every script times the
# same command the same way.

EVENTS=${1:-1000000}
UNITS=${2:-20000}
THREADS=${THREADS:-$(nproc)}
DATA=${BENCH_DATA:-bench-data}
OBLIGE=target/release/oblige
U="$DATA/units-$UNITS.csv"
# `oblige eval` of the seed plan, the full JSON report; the log comes after `--events`.
# shellcheck disable=SC2206 # OBLIGE_FLAGS is a list of flags, split on purpose
EVAL=("$OBLIGE" eval --plan seeds/xianning-2023 --units "$U" --format json --fail-on never
  --threads "$THREADS" ${OBLIGE_FLAGS:-})

# Timings and error output of this run, apart from any other run sharing the data folder.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Runs a command, its output dropped; prints "<seconds> <peak KiB>".
measure() {
  /usr/bin/time -f "%e %M" -o "$TMP/time.txt" "$@" >/dev/null 2>"$TMP/stderr.txt" || {
    cat "$TMP/stderr.txt" >&2
    return 1
  }
  cat "$TMP/time.txt"
}

# Of lines "<seconds> <peak KiB>", prints "<median seconds> <highest peak KiB>".
median_and_peak() {
  sort -g "$1" | awk '{ s[NR] = $1; if ($2 > peak) peak = $2 }
    END { m = NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2; print m, peak }'
}

# DuckDB answering only "at least one 领导小组会议 per unit per half-year" on a log read by
# `read_json` ($1 = json) or `read_csv` ($1 = csv); prints "<seconds> <peak KiB>" as `measure`.
# DuckDB is the one benches/e2e.sh installs in a venv under the data folder.
duck() {
  local reader=$1 file=$2
  measure "$DATA/venv/bin/python" - "$reader" "$file" <<'PY'
import sys, duckdb
reader, path = sys.argv[1], sys.argv[2]
# Times are read as text: the generated times carry the plan's +08:00 offset, so the first ten
# characters are the local date, as oblige reads it.
if reader == "json":
    source = f"read_json('{path}', columns={{'time': 'VARCHAR', 'kind': 'VARCHAR', 'actor': 'VARCHAR'}})"
else:
    source = f"read_csv('{path}', types={{'time': 'VARCHAR'}})"
con = duckdb.connect()
# At least one 领导小组会议 per unit per half-year: count per actor and half-year, list the
# units/half-years with none. Only the actor, kind and time columns are read.
rows = con.execute(f"""
  with m as (
    select actor, (month(cast(substr(time, 1, 10) as date)) - 1) // 6 as half, count(*) as n
    from {source}
    where kind = '领导小组会议'
    group by all)
  select count(*) from m
""").fetchall()
print(rows)
PY
}
