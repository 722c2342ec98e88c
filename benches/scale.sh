#!/usr/bin/env bash
# How cost grows with the graph: generated graphs of 10k, 100k, 1M (and, with
# SIZES, 10M) triples, each command timed on the embedded RocksDB store and
# side by side on Virtuoso through --endpoint, printed as one table per size.
#
#   bash benches/scale.sh                         # 10k 100k 1M
#   SIZES="10000000" bash benches/scale.sh        # the 10M run (heavy: ~2 h)
#
# Per size (graphs from benches/generate.py, cached under $BENCH_DIR):
#   load      aikg load --store (embedded) | Virtuoso's bulk loader (ld_dir +
#             rdf_loader_run + checkpoint) and, on a second fresh instance,
#             aikg push (validation included) of the same file
#   validate  aikg validate --shapes benches/shapes-bench.ttl FILE | the same
#             shapes on the pushed store (--endpoint: read by pages)
#   export    export dot, the whole graph (--store | --endpoint)
#   focus     export dot --focus org-2 --depth 1
#   explain   explain org-2
#   funding   query funding-totals (the funding aggregate)
#   path      path org-2 X, X two hops away (an organisation of the same country)
# Time is wall-clock seconds (sub-second commands: median of $RUNS runs); memory
# is aikg's peak RSS (/usr/bin/time), and for Virtuoso its server's peak RSS
# (VmHWM) once everything has run. Virtuoso gets VIRTUOSO_BUFFERS pages
# (default 400000, ~3.2 GB) and ResultSetMaxRows raised to 100000, as a
# deployment would; the embedded store has no such knob.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
BENCH_DIR="${BENCH_DIR:-/var/tmp/aikg-scale}"
SIZES="${SIZES:-10000 100000 1000000}"
RUNS="${RUNS:-3}"
SHAPES=benches/shapes-bench.ttl
export VIRTUOSO_BUFFERS="${VIRTUOSO_BUFFERS:-400000}"
export VIRTUOSO_MAXROWS="${VIRTUOSO_MAXROWS:-100000}"
mkdir -p "$BENCH_DIR"
command -v virtuoso-t >/dev/null || { echo "virtuoso-t is needed (bash .ci/deps installs it)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak memory" >&2; exit 2; }

cargo build --release --quiet
# A private copy: the shared target directory may be rebuilt meanwhile.
cp "$CARGO_TARGET_DIR/release/aikg" "$BENCH_DIR/aikg-scale"
AIKG="$BENCH_DIR/aikg-scale"
VIRTUOSO="bash tests/support/virtuoso.sh"

instances=()
cleanup() {
  local d
  for d in "${instances[@]}"; do $VIRTUOSO stop "$d" >/dev/null 2>&1 || true; rm -rf "$d"; done
}
trap cleanup EXIT

# measure CMD...: runs it once, output discarded; sets T (s) and M (MiB). A
# command that fails is shown (its last error line) and counted as "failed".
measure() {
  local out="$BENCH_DIR/time.out" err="$BENCH_DIR/cmd.err"
  if ! /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$err"; then
    echo "failed after $(tail -1 "$out" | cut -d' ' -f1) s: $*" >&2
    grep -E '^error|hint' "$err" | tail -2 >&2
    T=failed; M=-
    return
  fi
  read -r T M < <(tail -1 "$out")
  M=$((M / 1024))
}
# measure_median CMD...: the median time of $RUNS runs, the memory of the last.
measure_median() {
  local times=() i
  for i in $(seq "$RUNS"); do
    measure "$@"
    [ "$T" != failed ] || return 0
    times+=("$T")
  done
  T=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}
# wall CMD...: wall seconds of a command whose memory is not aikg's.
wall() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  T=$(echo "$end - $start" | bc -l)
}
start_virtuoso() {
  local dir
  dir=$(mktemp -d "$BENCH_DIR/virtuoso.XXXXXX")
  instances+=("$dir")
  VIRTUOSO_WATCH_PID=$$ $VIRTUOSO start "$dir" >/dev/null
  echo "$dir"
}
stop_virtuoso() { $VIRTUOSO stop "$1" >/dev/null; rm -rf "$1"; }
peak_of() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$1/status"; }

FOCUS="https://w3id.org/aikg/gen/org-2"
for n in $SIZES; do
  file="$BENCH_DIR/gen-$n.nt"
  [ -s "$file" ] || python3 benches/generate.py --triples "$n" >"$file"
  store="$BENCH_DIR/store-$n"
  rm -rf "$store"
  declare -A local_t local_m remote_t remote_m

  # Embedded store.
  measure "$AIKG" load --store "$store" "$file"; local_t[load]=$T; local_m[load]=$M
  measure "$AIKG" validate --shapes "$SHAPES" "$file"; local_t[validate]=$T; local_m[validate]=$M
  measure "$AIKG" export dot --store "$store"; local_t[export]=$T; local_m[export]=$M
  measure_median "$AIKG" export dot --store "$store" --focus "<$FOCUS>" --depth 1; local_t[focus]=$T; local_m[focus]=$M
  measure_median "$AIKG" explain --store "$store" "<$FOCUS>"; local_t[explain]=$T; local_m[explain]=$M
  measure_median "$AIKG" query --store "$store" funding-totals; local_t[funding]=$T; local_m[funding]=$M
  # Two hops: org-2, its country, another organisation of that country.
  other=$("$AIKG" query --store "$store" -f csv "SELECT ?o WHERE { <$FOCUS> <https://w3id.org/aikg/ontology#country> ?c . ?o <https://w3id.org/aikg/ontology#country> ?c FILTER(?o != <$FOCUS>) FILTER NOT EXISTS { <$FOCUS> ?p ?o } FILTER NOT EXISTS { ?o ?q <$FOCUS> } } ORDER BY ?o LIMIT 1" | sed -n 2p | tr -d '\r')
  [ -n "$other" ] || { echo "no organisation two hops from org-2 in gen-$n" >&2; exit 1; }
  measure_median "$AIKG" path --store "$store" --limit 1 "<$FOCUS>" "<$other>"; local_t[path]=$T; local_m[path]=$M

  # Virtuoso's bulk loader, on a fresh instance.
  dir=$(start_virtuoso)
  wall $VIRTUOSO load "$dir" "urn:aikg:bench" "$file"; bulk_t=$T
  bulk_m=$(peak_of "$(sed -n 's/^VIRTUOSO_PID=//p' "$dir/env")")
  stop_virtuoso "$dir"

  # aikg push of the same file on another fresh instance, then the readers.
  dir=$(start_virtuoso)
  # shellcheck disable=SC1091
  source "$dir/env"
  remote=(--endpoint "$VIRTUOSO_ENDPOINT")
  # --force: the generated people's roles are French only, which the bundled
  # shape:EnglishRoleShape reports (10 308 violations at 1M); push still
  # validates everything, then sends it (without --force it sends nothing).
  measure "$AIKG" push "${remote[@]}" --graph-store "$VIRTUOSO_GRAPH_STORE" --batch 100000 --force "$file"; remote_t[load]=$T; remote_m[load]=$M
  measure "$AIKG" validate --shapes "$SHAPES" "${remote[@]}"; remote_t[validate]=$T; remote_m[validate]=$M
  measure "$AIKG" export dot "${remote[@]}"; remote_t[export]=$T; remote_m[export]=$M
  measure_median "$AIKG" export dot "${remote[@]}" --focus "<$FOCUS>" --depth 1; remote_t[focus]=$T; remote_m[focus]=$M
  measure_median "$AIKG" explain "${remote[@]}" "<$FOCUS>"; remote_t[explain]=$T; remote_m[explain]=$M
  measure_median "$AIKG" query "${remote[@]}" funding-totals; remote_t[funding]=$T; remote_m[funding]=$M
  measure_median "$AIKG" path "${remote[@]}" --limit 1 "<$FOCUS>" "<$other>"; remote_t[path]=$T; remote_m[path]=$M
  server_m=$(peak_of "$VIRTUOSO_PID")
  # The same answers on both sides.
  same=yes
  cmp -s <("$AIKG" export dot --store "$store" --focus "<$FOCUS>" --depth 1) \
    <("$AIKG" export dot "${remote[@]}" --focus "<$FOCUS>" --depth 1) || same="no (focus export)"
  cmp -s <("$AIKG" path --store "$store" --limit 1 "<$FOCUS>" "<$other>") \
    <("$AIKG" path "${remote[@]}" --limit 1 "<$FOCUS>" "<$other>") || same="no (path)"
  cmp -s <("$AIKG" explain --store "$store" "<$FOCUS>") \
    <("$AIKG" explain "${remote[@]}" "<$FOCUS>") || same="no (explain)"
  stop_virtuoso "$dir"

  echo
  echo "$n triples ($(du -h "$file" | cut -f1) of N-Triples), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
  echo
  row() { printf '| %-9s | %10s | %9s | %12s | %9s |\n' "$@"; }
  row "command" "embedded s" "aikg MiB" "Virtuoso s" "aikg MiB"
  row "---------" "----------:" "--------:" "------------:" "--------:"
  for c in load validate export focus explain funding path; do
    row "$c" "${local_t[$c]}" "${local_m[$c]}" "${remote_t[$c]}" "${remote_m[$c]}"
  done
  echo
  ratio=n/a
  [ "${remote_t[load]}" = failed ] || ratio=$(echo "${remote_t[load]} / $bulk_t" | bc -l | xargs printf '%.2fx')
  echo "Virtuoso's bulk loader, same file: $(printf '%.2f' "$bulk_t") s (server peak ${bulk_m} MiB); aikg push: ${remote_t[load]} s ($ratio)"
  echo "Virtuoso server peak RSS after push and reads: ${server_m} MiB; embedded store on disk: $(du -sh "$store" | cut -f1)"
  echo "path target: $other; focus export, path and explain identical on both: $same"
  unset local_t local_m remote_t remote_m
done
