#!/usr/bin/env bash
# End-to-end benchmark: `oblige eval` of the whole seed plan against DuckDB answering only the
# half-year meeting duty, on the same generated JSON Lines and CSV logs, in one run.
#
#   benches/e2e.sh [EVENTS] [UNITS]        # defaults: 1000000 20000
#   RUNS=5 benches/e2e.sh …                 # runs of each side, alternating (default 3)
#
# Generated data goes to bench-data/ (git-ignored), or to $BENCH_DATA. DuckDB is installed with
# pip into a venv under that folder, never into the build. Prints the median wall time of each
# side, the highest peak RSS, and the ratio of the medians: on a shared machine one run's time
# moves by a fifth from run to run, and alternating puts both sides through the same moments.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh "$@"
mkdir -p "$DATA"

# Triggers and responses of response duties give one report row per trigger (docs/semantics.md),
# so a log made mostly of them has a report that grows with the log; they are left out so that
# the report stays subjects × periods, as for the counting duties DuckDB is compared on.
EXCLUDE=隐患,隐患销号,事故,事故信息上报,事故挂牌督办,督办函,挂牌督办,提示函

if ! [ -x /usr/bin/time ]; then
  apt-get install -y time >/dev/null
fi
cargo build --release -p oblige-cli >/dev/null 2>&1

if ! [ -x "$DATA/venv/bin/python" ]; then
  python3 -m venv "$DATA/venv"
  "$DATA/venv/bin/pip" install --quiet duckdb
fi

for EXT in jsonl csv; do
  F="$DATA/events-$EVENTS-$UNITS.$EXT"
  if ! [ -f "$F" ]; then
    "$OBLIGE" gen --events "$EVENTS" --units "$UNITS" --exclude-kinds "$EXCLUDE" \
      --units-out "$U" --events-out "$F"
  fi
done

printf '%-7s %10s %8s %10s %10s %8s %10s %7s %7s\n' format events units \
  oblige_s oblige_MB Mev/s duckdb_s duck_MB ratio
for EXT in jsonl csv; do
  F="$DATA/events-$EVENTS-$UNITS.$EXT"
  if [ "$EXT" = jsonl ]; then R=json; else R=csv; fi
  : >"$TMP/oblige.txt"
  : >"$TMP/duckdb.txt"
  for ((run = 0; run < ${RUNS:-3}; run++)); do
    measure "${EVAL[@]}" --events "$F" >>"$TMP/oblige.txt"
    duck "$R" "$F" >>"$TMP/duckdb.txt"
  done
  read -r OS OK < <(median_and_peak "$TMP/oblige.txt")
  read -r DS DK < <(median_and_peak "$TMP/duckdb.txt")
  awk -v f="$EXT" -v e="$EVENTS" -v u="$UNITS" -v os="$OS" -v ok="$OK" -v ds="$DS" -v dk="$DK" \
    'BEGIN { printf "%-7s %10d %8d %10.2f %10.0f %8.2f %10.2f %7.0f %7.2f\n",
             f, e, u, os, ok/1024, e/os/1e6, ds, dk/1024, os/ds }'
done
