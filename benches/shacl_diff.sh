#!/usr/bin/env bash
# Differential test: `aikg validate` and pySHACL (pinned in
# .ci/requirements.txt) on the same graphs with planted defects must report
# the same results, one for one:
#  1. the domain graph of benches/generate.py --defects with
#     benches/shapes-bench.ttl;
#  2. for several seeds, the graph of `shacl_diff.py generate` with
#     benches/shacl_diff.ttl: a defect for every SHACL Core constraint
#     component, every kind of path and target, nested shapes, sh:closed,
#     blank-node focus nodes and a SHACL-SPARQL constraint (the comparison
#     fails if a component fires in neither report).
# Usage: benches/shacl_diff.sh [TRIPLES] [PERSONS]   (defaults 20000 and 300;
# needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
AIKG="${AIKG:-$CARGO_TARGET_DIR/release/aikg}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
TRIPLES="${1:-20000}"
PERSONS="${2:-300}"
if ! "$VENV/bin/python" -c 'import pyshacl, pyoxigraph' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 benches/generate.py --triples "$TRIPLES" --defects 0.02 > "$tmp/data.nt"
status=0
"$AIKG" validate --shapes benches/shapes-bench.ttl --format ttl "$tmp/data.nt" > "$tmp/aikg.ttl" || status=$?
if [ "$status" -gt 1 ]; then
  echo "aikg validate failed (exit $status)" >&2
  exit 1
fi
echo "differential test on $TRIPLES generated triples with planted defects:"
"$VENV/bin/python" benches/shacl_diff.py benches/shapes-bench.ttl "$tmp/data.nt" "$tmp/aikg.ttl"

for seed in 1 2 3; do
  "$VENV/bin/python" benches/shacl_diff.py generate "$seed" "$PERSONS" 0.3 > "$tmp/diff-$seed.nt"
  status=0
  "$AIKG" validate --shapes benches/shacl_diff.ttl --format ttl "$tmp/diff-$seed.nt" > "$tmp/aikg-$seed.ttl" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "aikg validate failed (exit $status)" >&2
    exit 1
  fi
  echo "differential test, every constraint component, seed $seed ($PERSONS persons):"
  "$VENV/bin/python" benches/shacl_diff.py benches/shacl_diff.ttl "$tmp/diff-$seed.nt" "$tmp/aikg-$seed.ttl" --every-component
done
