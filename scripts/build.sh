#!/usr/bin/env bash
# Builds the browser app into dist/: cargo (release, wasm32) -> wasm-bindgen
# (JS glue, --target web) -> wasm-opt -Oz (binaryen from npm) -> static files.
# Prints the wasm size, raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
out=dist
cargo build --locked --release --target "$target" --lib
rm -rf "$out"
mkdir -p "$out/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$out/pkg" "target/$target/release/mailsim.wasm"
# rustc 1.95 emits these post-MVP features for wasm32 by default; wasm-opt must accept them.
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/pkg/mailsim_bg.wasm" -o "$out/pkg/mailsim_bg.wasm"
cp index.html "$out/"
cp -r static "$out/"
raw=$(stat -c %s "$out/pkg/mailsim_bg.wasm")
gz=$(gzip -9 -c "$out/pkg/mailsim_bg.wasm" | wc -c)
js=$(gzip -9 -c "$out/pkg/mailsim.js" | wc -c)
printf '[build] dist/pkg/mailsim_bg.wasm: %d KB raw, %d KB gzip -9 (JS glue %d KB gzip)\n' \
  $((raw / 1024)) $((gz / 1024)) $((js / 1024))
