#!/usr/bin/env bash
# Benchmark of `aikg export dot` against rdflib's rdf2dot, printed as a table.
#
#   bash benches/export_bench.sh            # 1M-triple store, focus, 100k file
#   RUNS=5 bash benches/export_bench.sh
#
# Generates the domain-shaped graphs with benches/generate.py (cached under
# $BENCH_DIR), loads them into persistent stores with `aikg load`, then times:
#   - `aikg export dot FILE` of the 1M-triple file, read directly, no store
#                                                             (target <= 2 s)
#   - `aikg export dot --focus ORG --depth 1` on the 1M store (target <= 50 ms)
#   - `aikg export dot FILE` of the 100k-triple file, end to end (parse
#     included), and rdflib's rdf2dot on the same file (target: aikg >= 50x
#     faster)
#   - for reference, `--data DIR` and the whole-store exports.
# Each figure is the median of $RUNS runs (rdf2dot and the whole-store
# exports: one run, they are slow).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
BENCH_DIR="${BENCH_DIR:-/var/tmp/aikg-bench}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
RUNS="${RUNS:-5}"
RUNS_MAIN="$RUNS"
mkdir -p "$BENCH_DIR"

cargo build --release --quiet
# A private copy: the shared target directory may be rebuilt meanwhile.
cp "$CARGO_TARGET_DIR/release/aikg" "$BENCH_DIR/aikg-export-bench"
AIKG="$BENCH_DIR/aikg-export-bench"
command -v dot >/dev/null || { echo "graphviz is needed (bash .ci/deps installs it)" >&2; exit 2; }

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import rdflib' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi

for n in 1000000 100000; do
  f="$BENCH_DIR/gen-$n.nt"
  [ -s "$f" ] || python3 benches/generate.py --triples "$n" > "$f"
done
for n in 1000000 100000; do
  s="$BENCH_DIR/store-$n"
  if [ ! -f "$s/CURRENT" ]; then
    "$AIKG" load --store "$s" "$BENCH_DIR/gen-$n.nt" 2>/dev/null
  fi
done
mkdir -p "$BENCH_DIR/file-100k"
ln -sf "$BENCH_DIR/gen-100000.nt" "$BENCH_DIR/file-100k/gen.nt"

# median wall time in seconds of a command run $RUNS times (output discarded)
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

FOCUS="<https://w3id.org/aikg/gen/org-2>"
t_1m_file=$(median "$AIKG" export dot "$BENCH_DIR/gen-1000000.nt")
t_focus=$(median "$AIKG" export dot --store "$BENCH_DIR/store-1000000" --focus "$FOCUS" --depth 1)
t_100k_file=$(median "$AIKG" export dot "$BENCH_DIR/gen-100000.nt")
t_100k_data=$(median "$AIKG" export dot --data "$BENCH_DIR/file-100k")
RUNS=1
t_full=$(median "$AIKG" export dot --store "$BENCH_DIR/store-1000000")
t_100k_store=$(median "$AIKG" export dot --store "$BENCH_DIR/store-100000")

start=$(date +%s.%N)
"$VENV/bin/python" - "$BENCH_DIR/gen-100000.nt" <<'PY'
import sys
from rdflib import Graph
from rdflib.tools.rdf2dot import rdf2dot
g = Graph()
g.parse(sys.argv[1], format="nt")
with open("/dev/null", "w") as out:
    rdf2dot(g, out)
PY
end=$(date +%s.%N)
t_rdf2dot=$(echo "$end - $start" | bc -l)

size_full=$("$AIKG" export dot "$BENCH_DIR/gen-1000000.nt" | wc -c)
# the file read directly and its store draw the same picture
if cmp -s <("$AIKG" export dot "$BENCH_DIR/gen-100000.nt") <("$AIKG" export dot --store "$BENCH_DIR/store-100000"); then same=yes; else same=no; fi
nodes_focus=$("$AIKG" export dot --store "$BENCH_DIR/store-1000000" --focus "$FOCUS" --depth 1 | grep -c '\[label=' || true)
# `nop` (GraphViz) parses DOT without laying it out: a syntax check for big graphs.
"$AIKG" export dot --store "$BENCH_DIR/store-100000" | nop > /dev/null && valid=yes || valid=no

stages=$(AIKG_TIMINGS=1 "$AIKG" export dot "$BENCH_DIR/gen-1000000.nt" 2>&1 >/dev/null | sed 's/^timing: */  /')

fmt() { printf '%.3f' "$1"; }
echo
echo "aikg export dot — median of $RUNS_MAIN runs (rdf2dot and whole-store exports: 1 run), $(nproc) cores"
echo
row() { printf '| %-66s | %10s | %-10s |\n' "$@"; }
row "case" "time (s)" "target"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..68})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..12})"
row "export dot FILE, 1M-triple .nt read directly ($((size_full / 1024)) KiB of DOT)" "$(fmt "$t_1m_file")" "<= 2 s"
row "export dot --focus org-2 --depth 1, 1M store ($nodes_focus nodes)" "$(fmt "$t_focus")" "<= 0.05 s"
row "export dot FILE, 100k-triple .nt (parse included)" "$(fmt "$t_100k_file")" ""
row "rdflib rdf2dot, same 100k-triple file (parse included)" "$(fmt "$t_rdf2dot")" ""
row "speed-up, file to DOT (rdf2dot / aikg)" "$(printf '%.0fx' "$(echo "$t_rdf2dot / $t_100k_file" | bc -l)")" ">= 50x"
row "export dot --data DIR, same file (in-memory store)" "$(fmt "$t_100k_data")" ""
row "export dot --store, whole 100k-triple store" "$(fmt "$t_100k_store")" ""
row "export dot --store, whole 1M-triple store" "$(fmt "$t_full")" ""
echo
echo "DOT of the 100k store parsed by GraphViz (nop): $valid"
echo "100k file read directly draws the same DOT as its store: $same"
echo "stages of one 1M-file export (cumulative, AIKG_TIMINGS=1):"
echo "$stages"
