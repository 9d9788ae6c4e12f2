#!/usr/bin/env bash
# One "what if it were gone" build: copies the repository (once) to a scratch
# directory, applies the given patches there (patches/NAME.py, run in the copy's
# root), builds it exactly as scripts/build.sh does (cargo release, wasm-bindgen
# --target web, wasm-opt -Oz, here with -g so names stay for the helpers), and
# prints the wasm's raw and gzip -9 size with the name section removed (that
# file equals what scripts/build.sh would ship). Never touches the repository.
#   benches/size/experiment.sh NAME [PATCH...]     e.g.  experiment.sh term term noprose
# SCRATCH (default /tmp/mailsim-size) holds base/ (the copy, a git repo reset
# before each run), target/ (its CARGO_TARGET_DIR) and out/NAME/ (named.wasm,
# final.wasm, mailsim.js). Results are appended to SCRATCH/results.txt.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scratch="${SCRATCH:-/tmp/mailsim-size}"
name=${1:?usage: experiment.sh NAME [PATCH...]}; shift
base="$scratch/base"
if [ ! -d "$base/.git" ]; then
  mkdir -p "$base"
  (cd "$repo" && tar --exclude=./target --exclude=./dist --exclude=./node_modules --exclude=./.git \
    --exclude=./benches/tti/target --exclude=./benches/tti/site -cf - .) | tar -C "$base" -xf -
  ln -s "$repo/node_modules" "$base/node_modules"
  (cd "$base" && git init -q && git add -A && git -c user.name=size -c user.email=size@invalid commit -qm base)
fi
cd "$base" && git checkout -q -- . && git clean -fdq
for p in "$@"; do python3 "$here/patches/$p.py" || { echo "$name: patch $p failed" >&2; exit 1; }; done
o="$scratch/out/$name"; rm -rf "$o"; mkdir -p "$o"
CARGO_TARGET_DIR="$scratch/target" cargo build --release --target wasm32-unknown-unknown --lib >"$o/cargo.log" 2>&1 \
  || { echo "$name: build failed (see $o/cargo.log)" >&2; exit 1; }
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$o" "$scratch/target/wasm32-unknown-unknown/release/mailsim.wasm"
"$base/node_modules/.bin/wasm-opt" -Oz -g \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$o/mailsim_bg.wasm" -o "$o/named.wasm"
python3 "$here/strip.py" "$o/named.wasm" "$o/final.wasm"
rm "$o/mailsim_bg.wasm"
raw=$(stat -c %s "$o/final.wasm"); gz=$(gzip -9 -c "$o/final.wasm" | wc -c)
echo "$name ($*): raw $raw B, gzip -9 $gz B" | tee -a "$scratch/results.txt"
