#!/usr/bin/env bash
# Differential test: what `aikg infer --reasoning rl` infers equals what owlrl
# (the RDFLib OWL 2 RL reasoner, pinned in the venv) infers, restricted to the
# rules aikg implements (benches/reason_diff.py lists what is left aside and
# why), on the bundled graph, on a fixture using every rule, and on a
# generated graph.
# Usage: benches/reason_diff.sh [TRIPLES]   (default 10000; needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
AIKG="${AIKG:-$CARGO_TARGET_DIR/release/aikg}"
VENV="${AIKG_VENV:-/var/tmp/aikg-venv}"
TRIPLES="${1:-10000}"
if ! "$VENV/bin/python" -c 'import owlrl, rdflib' 2>/dev/null; then
  bash .ci/deps   # the pinned venv (.ci/requirements.txt)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 benches/generate.py --triples "$TRIPLES" > "$tmp/generated.nt"
echo "== the bundled graph (ontology, data, links)"
"$VENV/bin/python" benches/reason_diff.py "$AIKG" ontology/aikg.ttl data/*.ttl data/*.trig data/links/*.trig
echo "== every rule (tests/fixtures/reason/rules.ttl)"
"$VENV/bin/python" benches/reason_diff.py "$AIKG" tests/fixtures/reason/rules.ttl
echo "== $TRIPLES generated triples with the ontology"
"$VENV/bin/python" benches/reason_diff.py "$AIKG" ontology/aikg.ttl "$tmp/generated.nt"
