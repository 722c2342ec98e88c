#!/usr/bin/env bash
# Benchmark of aikg's reasoner, side by side with owlrl (the RDFLib OWL 2 RL
# reasoner pinned in the venv), printed as a table.
#
#   bash benches/reason_bench.sh                 # 100k and 1M generated graphs
#   OWLRL_CAP=1800 bash benches/reason_bench.sh  # let owlrl run longer on 1M
#
# Generates the domain-shaped graphs with benches/generate.py (cached under
# $BENCH_DIR) and, on each of 100k and 1M triples plus the ontology, times:
#   - `aikg infer --reasoning rl ONTOLOGY FILE`: the whole process (parse,
#     reason) and, from AIKG_TIMINGS, the reasoning alone;
#   - owlrl's OWLRL_Semantics on the same triples: the whole process and the
#     expansion alone (owlrl infers more: axiomatic triples and rules aikg
#     does not implement, see benches/reason_diff.py; the comparison is of
#     the tools as a user runs them). owlrl is stopped after $OWLRL_CAP
#     seconds (default 600): a capped run prints "> CAP";
#   - `aikg load` into a fresh store with --reasoning none and with the
#     default (rl, inferred triples in the same bulk load), and
#     `aikg infer --store` (a full recompute): on 1M, the inference must
#     take no longer than the load itself;
# and, with hyperfine, the whole-process `aikg query funding` on the bundled
# graph with reasoning on (the default) and off (target <= 50 ms).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
BENCH_DIR="${BENCH_DIR:-/var/tmp/aikg-bench}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
OWLRL_CAP="${OWLRL_CAP:-600}"
SIZES="${SIZES:-100000 1000000}"
mkdir -p "$BENCH_DIR"

cargo build --release --quiet
# A private copy: the shared target directory may be rebuilt meanwhile.
cp "$CARGO_TARGET_DIR/release/aikg" "$BENCH_DIR/aikg-reason-bench"
AIKG="$BENCH_DIR/aikg-reason-bench"
if ! "$VENV/bin/python" -c 'import owlrl, rdflib' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (bash .ci/deps installs it)" >&2; exit 2; }

for n in $SIZES; do
  f="$BENCH_DIR/gen-$n.nt"
  [ -s "$f" ] || python3 benches/generate.py --triples "$n" > "$f"
done

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | awk '{printf "%.2f", $1}'; }
# A stage's time in seconds from AIKG_TIMINGS output on stderr ($1: file).
stage() { awk -v s="$2" '$1 == "timing:" && $2 == s {printf "%.2f", $3 / 1000}' "$1" | tail -1; }

OWLRL_PY='
import sys, time
import owlrl
from rdflib import Graph
t0 = time.time()
g = Graph()
for path in sys.argv[1:]:
    g.parse(path, format="turtle" if path.endswith(".ttl") else "nt")
stated = len(g)
t1 = time.time()
owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
t2 = time.time()
print(f"{stated} {len(g) - stated} {t2 - t1:.2f}")
'

declare -A row
for n in $SIZES; do
  f="$BENCH_DIR/gen-$n.nt"
  log="$BENCH_DIR/reason-$n.log"
  # aikg: in memory, from the files
  start=$(now)
  AIKG_TIMINGS=1 "$AIKG" --reasoning rl infer ontology/aikg.ttl "$f" > "$BENCH_DIR/infer-$n.txt" 2> "$log"
  end=$(now)
  aikg_total=$(secs "$start" "$end")
  aikg_reason=$(echo "$(stage "$log" reason) - $(stage "$log" read)" | bc -l | awk '{printf "%.2f", $1}')
  aikg_inferred=$(awk 'NR == 1 {print $6}' "$BENCH_DIR/infer-$n.txt")

  # owlrl, capped
  start=$(now)
  if out=$(timeout "$OWLRL_CAP" "$VENV/bin/python" -c "$OWLRL_PY" ontology/aikg.ttl "$f"); then
    end=$(now)
    owl_total=$(secs "$start" "$end")
    owl_inferred=$(echo "$out" | awk '{print $2}')
    owl_reason=$(echo "$out" | awk '{print $3}')
    ratio_total=$(echo "$owl_total / $aikg_total" | bc -l | awk '{printf "%.0fx", $1}')
    ratio_reason=$(echo "$owl_reason / ($aikg_reason + 0.005)" | bc -l | awk '{printf "%.0fx", $1}')
  else
    owl_total="> $OWLRL_CAP"; owl_reason="> $OWLRL_CAP"; owl_inferred="-"
    ratio_total="> $(echo "$OWLRL_CAP / $aikg_total" | bc -l | awk '{printf "%.0fx", $1}')"
    ratio_reason="> $(echo "$OWLRL_CAP / ($aikg_reason + 0.005)" | bc -l | awk '{printf "%.0fx", $1}')"
  fi

  # aikg load into a fresh store, without and with reasoning; then a full recompute
  for mode in none rl; do
    s="$BENCH_DIR/reason-store-$n-$mode"
    rm -rf "$s"
    start=$(now)
    "$AIKG" --reasoning "$mode" load --store "$s" ontology/aikg.ttl "$f" 2> "$BENCH_DIR/load-$n-$mode.log"
    end=$(now)
    row[load-$n-$mode]=$(secs "$start" "$end")
  done
  start=$(now)
  "$AIKG" infer --store "$BENCH_DIR/reason-store-$n-rl" > /dev/null
  end=$(now)
  row[recompute-$n]=$(secs "$start" "$end")
  rm -rf "$BENCH_DIR/reason-store-$n-none" "$BENCH_DIR/reason-store-$n-rl"

  row[infer-$n]="$aikg_total|$aikg_reason|$aikg_inferred|$owl_total|$owl_reason|$owl_inferred|$ratio_total|$ratio_reason"
done

hyperfine --warmup 3 --runs 30 --export-json "$BENCH_DIR/query-funding.json" \
  "$AIKG query funding" "$AIKG --reasoning none query funding" > "$BENCH_DIR/hyperfine.txt"
# mean ± sd in ms of hyperfine's result $1 (0: reasoning on, 1: off)
hf() { python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
print("%.1f ± %.1f" % (r["mean"] * 1e3, r["stddev"] * 1e3))' "$BENCH_DIR/query-funding.json" "$1"; }
q_on=$(hf 0)
q_off=$(hf 1)
echo
echo "Materialisation, OWL 2 RL, generated graph + ontology (seconds; owlrl capped at ${OWLRL_CAP}s)"
printf '%-9s | %10s %10s %10s | %10s %10s %10s | %9s %9s\n' \
  triples "aikg all" "aikg rules" inferred "owlrl all" "owlrl rules" inferred "x (all)" "x (rules)"
for n in $SIZES; do
  IFS='|' read -r a b c d e f g h <<< "${row[infer-$n]}"
  printf '%-9s | %10s %10s %10s | %10s %10s %10s | %9s %9s\n' "$n" "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"
done
echo
echo "Persistent store (seconds): aikg load with --reasoning none vs rl (inference in the same bulk load), full recompute"
printf '%-9s | %12s %12s %12s | %14s\n' triples "load none" "load rl" "inference" "infer --store"
for n in $SIZES; do
  none=${row[load-$n-none]}; rl=${row[load-$n-rl]}
  printf '%-9s | %12s %12s %12s | %14s\n' "$n" "$none" "$rl" \
    "$(echo "$rl - $none" | bc -l | awk '{printf "%.2f", $1}')" "${row[recompute-$n]}"
done
echo
echo "Whole process, bundled graph, hyperfine (ms, mean ± sd of 30 runs; target <= 50 ms)"
printf '%-34s %14s\n' "aikg query funding" "$q_on"
printf '%-34s %14s\n' "aikg --reasoning none query funding" "$q_off"
echo
echo "load: $(uptime)"
