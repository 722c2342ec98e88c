#!/usr/bin/env bash
# Benchmarks of the foundation (issue 2), printed as a table:
#  1. whole-process wall time of `aikg query NAME` on the bundled data
#     (release build; target <= 50 ms);
#  2. `aikg load --store` of a 1M-triple N-Triples file from benches/generate.py
#     against oxigraph's own bulk loader (pyoxigraph from PyPI, Store.bulk_load)
#     on the same file in the same run (target <= 1.3x).
#
# Usage: bash benches/foundation_bench.sh [TRIPLES]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
triples="${1:-1000000}"
runs="${RUNS:-20}"
work="$(mktemp -d /var/tmp/aikg-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
aikg="$CARGO_TARGET_DIR/release/aikg"

venv="${AIKG_VENV:-/var/tmp/aikg-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyoxigraph' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi
py="$venv/bin/python"

# Median wall time in ms of a command, over $runs runs.
median_ms() {
  "$py" - "$runs" "$@" <<'EOF'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.1f}")
EOF
}

query_name="${QUERY_NAME:-funding}"
q_ms="$(median_ms "$aikg" query "$query_name" --format tsv)"

python3 benches/generate.py --triples "$triples" > "$work/gen.nt"
lines="$(wc -l < "$work/gen.nt")"

best_of_3() { # seconds, best of 3 fresh loads
  local best=""
  for _ in 1 2 3; do
    rm -rf "$work/store"
    local t
    t="$("$@")"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
  done
  echo "$best"
}
aikg_load() {
  local start end
  start=$(date +%s.%N)
  "$aikg" load --store "$work/store" "$work/gen.nt" 2>/dev/null
  end=$(date +%s.%N)
  awk "BEGIN{printf \"%.2f\", $end - $start}"
}
pyox_load() {
  "$py" - "$work/gen.nt" "$work/store" <<'EOF'
import sys, time, pyoxigraph
t = time.perf_counter()
store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)
store.flush()
print(f"{time.perf_counter() - t:.2f}")
EOF
}
a_s="$(best_of_3 aikg_load)"
p_s="$(best_of_3 pyox_load)"
pyox_version="$("$py" -c 'import pyoxigraph; print(pyoxigraph.__version__)')"

printf '\n%-58s %12s %12s\n' "benchmark" "aikg" "peer"
printf '%-58s %12s %12s\n' "----------------------------------------------------------" "------------" "------------"
printf '%-58s %10s ms %12s\n' "aikg query $query_name (whole process, median of $runs)" "$q_ms" "-"
printf '%-58s %10s s %10s s\n' "load $lines triples N-Triples (best of 3) vs pyoxigraph $pyox_version" "$a_s" "$p_s"
awk "BEGIN{printf \"%-58s %12.2fx\n\", \"ratio aikg / pyoxigraph bulk_load (target <= 1.3x)\", $a_s / $p_s}"
