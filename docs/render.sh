#!/usr/bin/env bash
# Renders the pictures of the README from the bundled data (needs GraphViz):
#   bash docs/render.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/aikg-target}"
cargo build --release --quiet
AIKG="$CARGO_TARGET_DIR/release/aikg"
# The whole ecosystem, by country (topics and statements left out: 100+ topics and 50 statements
# would hide the rest; `aikg query statements` lists the statements).
"$AIKG" export svg --cluster country --without Topic,Statement -o docs/ecosystem.svg
# The Franco-Korean cooperation: what French and Korean parties do together.
"$AIKG" export svg --query docs/franco-korean.rq --cluster country -o docs/franco-korean.svg
echo "wrote docs/ecosystem.svg and docs/franco-korean.svg"
