#!/usr/bin/env bash
# The competency tests (tests/competency.rs) against a remote store: a
# throw-away Virtuoso on free loopback ports, the bundled graph pushed into it
# with `aikg push`, then the same tests as on the embedded store, through
# --endpoint (AIKG_TEST_ENDPOINT). Virtuoso is stopped whatever happens.
# (tests/remote_virtuoso.rs, run by `cargo test`, checks every other reading
# command the same way.)
#
#   CARGO_TARGET_DIR=... bash tests/support/remote_ci.sh
#
# Fails where Virtuoso is not installed: CI's own .ci/deps installs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v virtuoso-t >/dev/null 2>&1; then
  echo "remote_ci.sh: virtuoso-t is not installed (bash .ci/deps installs virtuoso-opensource)" >&2
  exit 2
fi
AIKG="${CARGO_TARGET_DIR:-target}/release/aikg"
[ -x "$AIKG" ] || { echo "remote_ci.sh: $AIKG not built (cargo build --release)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/aikg-remote-ci.XXXXXX")
trap 'bash tests/support/virtuoso.sh stop "$dir"; rm -rf "$dir"' EXIT
VIRTUOSO_WATCH_PID=$$ bash tests/support/virtuoso.sh start "$dir" >/dev/null
# shellcheck disable=SC1091
source "$dir/env"
"$AIKG" push --endpoint "$VIRTUOSO_ENDPOINT" --graph-store "$VIRTUOSO_GRAPH_STORE"
# One test is left out, and said so: the `korean-partners` query chains
# zero-or-more property paths with one end bound, which Virtuoso 7.2 answers
# wrongly on some databases (rows lost, depending on its statistics:
# virtuoso-opensource issues 127, 704; docs/SCALING.md has the reproduction).
echo "NOTE: the_korean_partners_of_inria_and_through_what is not run against Virtuoso (its property-path defect, docs/SCALING.md)"
AIKG_TEST_ENDPOINT="$VIRTUOSO_ENDPOINT" cargo test --release --test competency -- \
  --skip the_korean_partners_of_inria_and_through_what
