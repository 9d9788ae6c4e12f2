#!/usr/bin/env bash
# Builds the side-by-side site for the time-to-interactive bench into
# benches/tti/site/ (never committed):
#   site/counter/   the bare Yew 0.23 app (counter/), built as mailsim is: cargo release
#                   (opt-level z, lto, codegen-units 1), wasm-bindgen --target web,
#                   wasm-opt -Oz (binaryen from mailsim's node_modules)
#   site/mailsim/   a copy of mailsim's dist/ (build it first: make build), plus
#                   one.html (one embedded instance) and ten.html (ten instances)
# Not part of `make test`. CARGO_TARGET_DIR is honoured (default: benches/tti/target).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target=wasm32-unknown-unknown
tdir="${CARGO_TARGET_DIR:-$here/target}"
site="$here/site"
[ -f "$root/dist/pkg/mailsim_bg.wasm" ] || { echo "benches/tti: no dist/ (run make build first)" >&2; exit 1; }
[ -x "$root/node_modules/.bin/wasm-opt" ] || { echo "benches/tti: no node_modules/.bin/wasm-opt (run scripts/setup.sh build)" >&2; exit 1; }
(cd "$here/counter" && CARGO_TARGET_DIR="$tdir" cargo build --locked --release --target "$target" --lib)
rm -rf "$site"
mkdir -p "$site/counter/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$site/counter/pkg" "$tdir/$target/release/tti_counter.wasm"
"$root/node_modules/.bin/wasm-opt" -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$site/counter/pkg/tti_counter_bg.wasm" -o "$site/counter/pkg/tti_counter_bg.wasm"
cp "$here/pages/counter.html" "$site/counter/index.html"
cp "$here/pages/counter-doc.html" "$site/counter/doc.html"
cp -r "$root/dist" "$site/mailsim"
cp "$here/pages/one.html" "$here/pages/ten.html" "$here/pages/element.html" "$here/pages/element10.html" "$here/pages/element-preload.html" "$here/pages/element-doc.html" "$site/mailsim/"
for w in "$site/counter/pkg/tti_counter_bg.wasm" "$site/mailsim/pkg/mailsim_bg.wasm"; do
  printf '[tti] %s: %d B raw, %d B gzip -9\n' "${w#"$here/"}" "$(stat -c %s "$w")" "$(gzip -9 -c "$w" | wc -c)"
done
