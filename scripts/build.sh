#!/usr/bin/env bash
# Builds the browser app into dist/: cargo (release, wasm32) -> wasm-bindgen
# (JS glue, --target web) -> wasm-opt -Os (binaryen from npm) -> static files.
# Two wasms from the one crate: pkg/mailsim (the whole app, every embed mode)
# and pkg/mailsim_embed (--no-default-features: mode="terminal" only, what a
# documentation page's <mail-sim> loads; docs/embedding.md).
# Prints their sizes, raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
target=wasm32-unknown-unknown
out=dist
rm -rf "$out"
mkdir -p "$out/pkg"
# name, then cargo's feature flags
build() {
  local name=$1; shift
  cargo build --locked --release --target "$target" --lib "$@"
  wasm-bindgen --target web --no-typescript --out-name "$name" --out-dir "$out/pkg" "target/$target/release/mailsim.wasm"
  # rustc 1.95 emits these post-MVP features for wasm32 by default; wasm-opt must accept them.
  # -Os, not -Oz: as small (the embed 1 KB smaller) and a little quicker to start.
  node_modules/.bin/wasm-opt -Os \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/pkg/${name}_bg.wasm" -o "$out/pkg/${name}_bg.wasm"
  local raw gz js
  raw=$(stat -c %s "$out/pkg/${name}_bg.wasm")
  gz=$(gzip -9 -c "$out/pkg/${name}_bg.wasm" | wc -c)
  js=$(gzip -9 -c "$out/pkg/${name}.js" | wc -c)
  printf '[build] dist/pkg/%s_bg.wasm: %d KB raw, %d KB gzip -9 (JS glue %d KB gzip)\n' \
    "$name" $((raw / 1024)) $((gz / 1024)) $((js / 1024))
}
build mailsim
build mailsim_embed --no-default-features
cp index.html embed.html "$out/"
[ ! -f embedding.html ] || cp embedding.html "$out/"
cp -r static "$out/"
# The stylesheets of <mail-sim>'s shadow roots, made from static/mailsim.css: the app's, and the
# terminal's (only the rules for the classes the small build's components use).
node scripts/shadow-css.mjs static/mailsim.css > "$out/static/mailsim-shadow.css"
node scripts/shadow-css.mjs static/mailsim.css --classes-from src/ui/dom/*.rs src/ui/term_model.rs \
  static/mailsim-element.js > "$out/static/mailsim-shadow-terminal.css"
