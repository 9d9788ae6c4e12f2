#!/usr/bin/env bash
# Prints what a page pays for the built app: the raw and gzip -9 size of every
# dist/pkg/*.wasm, dist/pkg/*.js, dist/static/*.js and dist/static/*.css. Builds nothing (run
# `make build` first).
#   scripts/size.sh                 the table
#   scripts/size.sh --budget KB     also exit 1 when the wasm's gzip -9 size is over KB
#                                   (KB = 1024 bytes, as scripts/build.sh prints them)
#   scripts/size.sh --dist DIR      read DIR instead of dist/
#   scripts/size.sh --budget KB --wasm NAME
#                                   the budget is for dist/pkg/NAME.wasm (or NAME_bg.wasm)
#                                   alone; without --wasm, for all dist/pkg/*.wasm together
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist
budget=
only=
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --budget) [ $# -ge 2 ] || usage; budget=$2; shift 2 ;;
    --budget=*) budget=${1#--budget=}; shift ;;
    --dist) [ $# -ge 2 ] || usage; dist=$2; shift 2 ;;
    --wasm) [ $# -ge 2 ] || usage; only=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "size.sh: unknown argument: $1" >&2; usage ;;
  esac
done
case "$budget" in
  '' | *[!0-9]*) [ -z "$budget" ] || { echo "size.sh: --budget takes whole KB, not '$budget'" >&2; exit 2; } ;;
esac

shopt -s nullglob
files=("$dist"/pkg/*.wasm "$dist"/pkg/*.js "$dist"/static/*.js "$dist"/static/*.json "$dist"/static/*.css)
wasms=("$dist"/pkg/*.wasm)
if [ ${#wasms[@]} -eq 0 ]; then
  echo "size.sh: no $dist/pkg/*.wasm (run make build first)" >&2
  exit 2
fi

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
total_raw=0
total_gz=0
wasm_gz=0
found=
printf '%-34s %12s %10s %12s %10s\n' file 'raw B' 'raw KB' 'gzip -9 B' 'gzip KB'
for f in "${files[@]}"; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  case "$f" in
    */"$only".wasm | */"$only"_bg.wasm) wasm_gz=$((wasm_gz + gz)); found=1 ;;
    *.wasm) [ -n "$only" ] || { wasm_gz=$((wasm_gz + gz)); found=1; } ;;
  esac
  printf '%-34s %12d %10s %12d %10s\n' "$f" "$raw" "$(kb "$raw")" "$gz" "$(kb "$gz")"
done
printf '%-34s %12d %10s %12d %10s\n' total "$total_raw" "$(kb "$total_raw")" "$total_gz" "$(kb "$total_gz")"

if [ -n "$budget" ]; then
  [ -n "$found" ] || { echo "size.sh: no $dist/pkg/$only.wasm or ${only}_bg.wasm" >&2; exit 2; }
  what="the wasm"; [ -z "$only" ] || what="$only"
  limit=$((budget * 1024))
  if [ "$wasm_gz" -gt "$limit" ]; then
    echo "size.sh: over budget: $what is $(kb "$wasm_gz") KB gzip -9, the budget is $budget KB" >&2
    exit 1
  fi
  echo "size.sh: within budget: $what is $(kb "$wasm_gz") KB gzip -9 (budget $budget KB)"
fi
