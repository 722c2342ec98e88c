#!/usr/bin/env bash
# Differential test: `aikg validate` and pySHACL on the same generated graph
# with planted defects (benches/generate.py --defects) and the same shapes
# (benches/shapes-bench.ttl) must report the same results, one for one.
# Usage: benches/shacl_diff.sh [TRIPLES]   (default 20000; needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
AIKG="${AIKG:-$CARGO_TARGET_DIR/release/aikg}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
TRIPLES="${1:-20000}"
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
