#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 600), then minimises the
# corpora (kept in fuzz/corpus/). Needs the nightly toolchain and cargo-fuzz
# (cargo install cargo-fuzz). Not part of `make test`.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-600}"; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(smtp_parser smtp_session pop3_session imap_session)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --quiet
for t in "${targets[@]}"; do
  cargo +nightly fuzz build "$t"
done
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t for ${secs}s"
  ASAN_OPTIONS=detect_odr_violation=0 "target/x86_64-unknown-linux-gnu/release/$t" "corpus/$t" \
    -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 2>&1 | grep -E "^Done|ERROR|panicked" || true
  cargo +nightly fuzz cmin "$t" >/dev/null 2>&1 || true
done
