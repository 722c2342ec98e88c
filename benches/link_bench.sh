#!/usr/bin/env bash
# Linking benchmark: the graph's entities against the whole ROR extract and
# the GeoNames cities (reading the dataset, building the index and linking
# included), best of N runs of the release binary. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/aikg-target}
EXT=${AIKG_EXTERNAL:-../shared/external}
RUNS=${RUNS:-5}
[ -d "$EXT" ] || { echo "no $EXT: the real extracts are needed" >&2; exit 2; }
cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/aikg
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
best() { # best wall time (s) of RUNS runs of "$@"
  local best=999
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>"$TMP/err"; t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 $best" | awk '{d=$2-$1; print (d<$3)?d:$3}')
  done
  echo "$best"
}
summary() { tail -n +1 "$TMP/err" | head -1; }
printf '| %-34s | %8s | %-58s |\n' "run (whole process)" "best s" "result"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..60})"
t=$(best "$BIN" link --target ror "$EXT/ror/ror-records-v2.json" --countries "$EXT/countries.tsv" -o "$TMP/ror.trig")
printf '| %-34s | %8.2f | %-58s |\n' "ROR v2 extract (target ≤ 2 s)" "$t" "$(summary)"
t=$(best "$BIN" link --target geonames "$EXT/geonames/cities15000.tsv" --countries "$EXT/countries.tsv" -o "$TMP/gn.trig")
printf '| %-34s | %8.2f | %-58s |\n' "GeoNames cities + countries" "$t" "$(summary)"
t=$(best "$BIN" query 'ASK { ?s ?p ?o }')
printf '| %-34s | %8.2f | %-58s |\n' "baseline: start + load bundled data" "$t" "aikg query ASK (no linking)"
