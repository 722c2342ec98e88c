#!/usr/bin/env bash
# The remote focus export and `explain` of one entity on the 1M-triple
# generated graph in Virtuoso (issue 12: <= 200 ms each): median of $RUNS
# runs of each, for one or more aikg binaries side by side (to compare a
# change with what it replaces), with the machine's load.
#
#   bash benches/remote_focus.sh                       # the build, on a fresh Virtuoso
#   AIKG="old/aikg new/aikg" bash benches/remote_focus.sh
#   ENDPOINT=http://127.0.0.1:8890/sparql bash benches/remote_focus.sh
#                                                      # a store already pushed
#
# Without ENDPOINT, a throw-away Virtuoso (tests/support/virtuoso.sh) gets
# the graph of benches/generate.py ($TRIPLES, default 1 000 000) by `aikg
# push --force` (the generated graph breaks a shape on purpose), and is
# stopped at the end. The answers of every binary are compared, too.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
BENCH_DIR="${BENCH_DIR:-/var/tmp/aikg-scale}"
TRIPLES="${TRIPLES:-1000000}"
RUNS="${RUNS:-5}"
FOCUS="${FOCUS:-https://w3id.org/aikg/gen/org-2}"
export VIRTUOSO_BUFFERS="${VIRTUOSO_BUFFERS:-400000}"
export VIRTUOSO_MAXROWS="${VIRTUOSO_MAXROWS:-100000}"
mkdir -p "$BENCH_DIR"
if [ -z "${AIKG:-}" ]; then
  cargo build --release --quiet
  cp "$CARGO_TARGET_DIR/release/aikg" "$BENCH_DIR/aikg-focus"
  AIKG="$BENCH_DIR/aikg-focus"
fi
read -r -a binaries <<<"$AIKG"

dir=
cleanup() { [ -z "$dir" ] || { bash tests/support/virtuoso.sh stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; }; }
trap cleanup EXIT
if [ -z "${ENDPOINT:-}" ]; then
  file="$BENCH_DIR/gen-$TRIPLES.nt"
  [ -s "$file" ] || python3 benches/generate.py --triples "$TRIPLES" >"$file"
  dir=$(mktemp -d "$BENCH_DIR/virtuoso.XXXXXX")
  VIRTUOSO_WATCH_PID=$$ bash tests/support/virtuoso.sh start "$dir" >/dev/null
  # shellcheck disable=SC1091
  source "$dir/env"
  ENDPOINT=$VIRTUOSO_ENDPOINT
  "${binaries[0]}" push --force --endpoint "$ENDPOINT" --graph-store "$VIRTUOSO_GRAPH_STORE" \
    --batch 100000 "$file" >/dev/null 2>&1
fi

# median CMD...: the median wall time (ms) of $RUNS runs, output discarded.
median() {
  local times=() i start end
  for i in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=("$(((end - start) / 1000000))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d (%d-%d)", a[int((NR+1)/2)], a[1], a[NR]}'
}

echo "$TRIPLES triples at $ENDPOINT, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
printf '| %-40s | %-22s | %-22s |\n' "aikg" "focus ms (min-max)" "explain ms (min-max)"
printf '| %-40s | %-22s | %-22s |\n' "---" "---:" "---:"
same=yes
for aikg in "${binaries[@]}"; do
  focus=(export dot --endpoint "$ENDPOINT" --focus "<$FOCUS>" --depth 1)
  explain=(explain --endpoint "$ENDPOINT" "<$FOCUS>")
  "$aikg" "${focus[@]}" >/dev/null # the first run reads the vocabulary cold
  printf '| %-40s | %-22s | %-22s |\n' "$aikg" "$(median "$aikg" "${focus[@]}")" "$(median "$aikg" "${explain[@]}")"
  if [ "$aikg" != "${binaries[0]}" ]; then
    cmp -s <("${binaries[0]}" "${focus[@]}") <("$aikg" "${focus[@]}") || same="no (focus export)"
    cmp -s <("${binaries[0]}" "${explain[@]}") <("$aikg" "${explain[@]}") || same="no (explain)"
  fi
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); the same answers from every binary: $same"
