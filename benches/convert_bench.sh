#!/usr/bin/env bash
# Benchmark of `aikg convert` against the equivalent pyoxigraph conversion
# (pyoxigraph.parse + pyoxigraph.serialize, streaming, as riot does), printed
# as a table, with a triple-for-triple round-trip check.
#
#   bash benches/convert_bench.sh           # the 1M-triple generated file
#   RUNS=5 TRIPLES=100000 bash benches/convert_bench.sh
#
# Times N-Triples -> Turtle and Turtle -> N-Triples with each tool (median of
# $RUNS runs; target: aikg <= 1x pyoxigraph), then checks that the N-Triples
# aikg gets back hold exactly the triples of the input (sorted, compared).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
BENCH_DIR="${BENCH_DIR:-/var/tmp/aikg-bench}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
RUNS="${RUNS:-3}"
TRIPLES="${TRIPLES:-1000000}"
mkdir -p "$BENCH_DIR"

cargo build --release --quiet
cp "$CARGO_TARGET_DIR/release/aikg" "$BENCH_DIR/aikg-convert-bench"
AIKG="$BENCH_DIR/aikg-convert-bench"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pyoxigraph' 2>/dev/null; then
  bash .ci/deps
fi
PY="$VENV/bin/python"

NT="$BENCH_DIR/gen-$TRIPLES.nt"
[ -s "$NT" ] || python3 benches/generate.py --triples "$TRIPLES" > "$NT"
OUT="$BENCH_DIR/convert"
mkdir -p "$OUT"

cat > "$OUT/convert.py" <<'PY'
import sys, pyoxigraph
src, src_format, dst, dst_format = sys.argv[1:5]
fmt = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "ttl": pyoxigraph.RdfFormat.TURTLE}
with open(dst, "wb") as out:
    pyoxigraph.serialize(pyoxigraph.parse(path=src, format=fmt[src_format]), out, fmt[dst_format])
PY

# median of $RUNS timings (seconds) of a command
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'
}

a1=$(median "$AIKG" convert "$NT" "$OUT/aikg.ttl")
p1=$(median "$PY" "$OUT/convert.py" "$NT" nt "$OUT/py.ttl" ttl)
a2=$(median "$AIKG" convert "$OUT/aikg.ttl" "$OUT/aikg-back.nt")
p2=$(median "$PY" "$OUT/convert.py" "$OUT/py.ttl" ttl "$OUT/py-back.nt" nt)

# the round trip: the same triples, one for one (the generator writes no
# blank nodes, so the lines compare as they are)
sort "$NT" > "$OUT/in.sorted"
sort "$OUT/aikg-back.nt" > "$OUT/back.sorted"
if cmp -s "$OUT/in.sorted" "$OUT/back.sorted"; then
  trip="identical ($(wc -l < "$OUT/in.sorted") triples)"
else
  trip="DIFFERENT: $(diff "$OUT/in.sorted" "$OUT/back.sorted" | grep -c '^[<>]') lines differ"
fi

echo "load: $(uptime | sed 's/.*load average: //')"
printf '| conversion (%s triples) | aikg convert | pyoxigraph parse+serialize | aikg / pyoxigraph |\n' "$TRIPLES"
printf '|---|---:|---:|---:|\n'
printf '| N-Triples -> Turtle | %s s | %s s | %.2fx |\n' "$a1" "$p1" "$(echo "$a1 / $p1" | bc -l)"
printf '| Turtle -> N-Triples | %s s | %s s | %.2fx |\n' "$a2" "$p2" "$(echo "$a2 / $p2" | bc -l)"
echo "round trip N-Triples -> Turtle -> N-Triples: $trip"
[[ "$trip" == identical* ]]
