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
