#!/usr/bin/env bash
# Runs one fuzz target for a while, from its corpus under fuzz/corpus/, and
# keeps what it finds there (crashes land in fuzz/artifacts/TARGET/).
#
#   bash fuzz/run.sh source_reader 3600
#   bash fuzz/run.sh scanner 600
#   bash fuzz/run.sh param_binder 60
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# The first build compiles oxigraph's RocksDB with the sanitizer: long.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?usage: fuzz/run.sh TARGET SECONDS (targets: source_reader, scanner, shapes_compiler, param_binder, link_readers)}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-/var/tmp/aikg-fuzz-target}"
mkdir -p "corpus/$target"
cargo +nightly fuzz run "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1
