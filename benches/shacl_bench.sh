#!/usr/bin/env bash
# SHACL benchmark, side by side in one run on the same files:
#   1. `aikg validate` vs pySHACL, end to end (parse + validate), on 100k and
#      1M generated triples with planted defects, against the 27 constraints of
#      benches/shapes-bench.ttl;
#   2. parse + validate + load of 1M triples (`aikg load --shapes`) vs the raw
#      bulk loads of the same file: `aikg load` (oxigraph's parser and bulk
#      loader) and pyoxigraph's Store.bulk_load.
# pySHACL is capped by PYSHACL_TIMEOUT seconds (default 1800): if it does not
# finish, the table shows ">" the cap, a lower bound.
# Usage: benches/shacl_bench.sh [SIZES...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
AIKG="${AIKG:-$CARGO_TARGET_DIR/release/aikg}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
WORK="${AIKG_BENCH_DIR:-/var/tmp/aikg-bench}"
CAP="${PYSHACL_TIMEOUT:-1800}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
SHAPES=benches/shapes-bench.ttl
if ! "$VENV/bin/python" -c 'import pyshacl, pyoxigraph' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi
mkdir -p "$WORK"
[ -x "$AIKG" ] || { echo "build aikg first: cargo build --release" >&2; exit 2; }

# Median wall-clock seconds of three runs (for the fast commands).
median3() {
  local a b c
  a=$(seconds "$@"); b=$(seconds "$@"); c=$(seconds "$@")
  printf '%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

# Wall-clock seconds of a command (its output discarded); exit status 0 or 1 is fine.
seconds() {
  local start end status=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || status=$?
  end=$(date +%s.%N)
  if [ "$status" -gt 1 ]; then echo "FAILED($status)"; return; fi
  echo "$end - $start" | bc -l | xargs printf '%.2f'
}

PYSHACL="$WORK/pyshacl_validate.py"
cat > "$PYSHACL" <<'PY'
import sys
import pyshacl
from rdflib import Graph
shapes = Graph().parse(sys.argv[1])
data = Graph().parse(sys.argv[2])
conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, meta_shacl=False)
sys.exit(0 if conforms else 1)
PY
PYOX="$WORK/pyoxigraph_load.py"
cat > "$PYOX" <<'PY'
import sys
import pyoxigraph
store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)
store.flush()
PY

echo "machine: $(nproc) cores, $(uname -sr); aikg $("$AIKG" --version | cut -d' ' -f2); $("$VENV/bin/python" -c 'import pyshacl, pyoxigraph; print("pySHACL", pyshacl.__version__, "/ pyoxigraph", pyoxigraph.__version__)')"
constraints=$(grep -v '^#' "$SHAPES" | grep -oE 'sh:(class|datatype|nodeKind|minCount|maxCount|minExclusive|minInclusive|maxExclusive|maxInclusive|minLength|maxLength|pattern|languageIn|uniqueLang|equals|disjoint|lessThan|lessThanOrEquals|not|and|or|xone|node|qualifiedMinCount|qualifiedMaxCount|closed|hasValue|in) ' | wc -l)
echo "shapes: $SHAPES ($constraints constraints); data: benches/generate.py --defects 0.01"
echo "wall-clock, end to end (process start, parse, validate, report); aikg: median of 3 runs, pySHACL: 1 run"
echo
echo "| triples | aikg validate (s) | pySHACL (s) | speed-up | results (aikg) |"
echo "|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  data="$WORK/gen-$n-defects.nt"
  [ -s "$data" ] || python3 benches/generate.py --triples "$n" --defects 0.01 > "$data"
  a=$(median3 "$AIKG" validate --shapes "$SHAPES" "$data")
  results=$("$AIKG" validate --shapes "$SHAPES" --format json "$data" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))' || true)
  start=$(date +%s.%N); status=0
  timeout "$CAP" "$VENV/bin/python" "$PYSHACL" "$SHAPES" "$data" >/dev/null 2>&1 || status=$?
  end=$(date +%s.%N)
  if [ "$status" -eq 124 ]; then
    p="> $CAP"; ratio="> $(echo "$CAP / $a" | bc -l | xargs printf '%.0f')×"
  else
    p=$(echo "$end - $start" | bc -l | xargs printf '%.2f'); ratio="$(echo "$p / $a" | bc -l | xargs printf '%.0f')×"
  fi
  echo "| $n | $a | $p | $ratio | $results |"
done

n=1000000
clean="$WORK/gen-$n.nt"
[ -s "$clean" ] || python3 benches/generate.py --triples "$n" > "$clean"
rm -rf "$WORK/store-raw" "$WORK/store-shapes" "$WORK/store-py"
raw=$(seconds "$AIKG" load --store "$WORK/store-raw" "$clean")
checked=$(seconds "$AIKG" load --store "$WORK/store-shapes" --shapes "$SHAPES" "$clean")
py=$(seconds "$VENV/bin/python" "$PYOX" "$clean" "$WORK/store-py")
rm -rf "$WORK/store-raw" "$WORK/store-shapes" "$WORK/store-py"
echo
echo "| load of $n triples (no defects) | seconds | vs aikg load |"
echo "|---|---:|---:|"
echo "| aikg load (oxigraph parse + bulk load) | $raw | 1.00× |"
echo "| pyoxigraph Store.bulk_load | $py | $(echo "$py / $raw" | bc -l | xargs printf '%.2f')× |"
echo "| aikg load --shapes (parse + validate + load) | $checked | $(echo "$checked / $raw" | bc -l | xargs printf '%.2f')× |"
