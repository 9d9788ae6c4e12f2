#!/usr/bin/env bash
# Installs what building and testing mailsim needs, and only what is missing:
#   scripts/setup.sh build   the wasm32 target, the wasm-bindgen CLI (pinned to
#                            Cargo.lock), the npm dev-tools (npm ci: binaryen's wasm-opt)
#   scripts/setup.sh test    all of the above, plus Debian's chromium and chromium-driver
# Idempotent: a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm32 target of the one toolchain (rustup).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. rustfmt and clippy, for `make lint` (part of `make test`).
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    say "adding the $c component"
    rustup component add "$c"
  fi
done

# 2. The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $want (had: ${have:-none}); takes about 3 minutes once"
  # --locked first; its lockfile once named a webpki-roots the registry mirror
  # lacked, so fall back to resolving afresh (the CLI version stays pinned).
  cargo install wasm-bindgen-cli --version "$want" --locked --quiet 2>/dev/null ||
    cargo install wasm-bindgen-cli --version "$want" --quiet
fi

# 3. npm dev-tools from the committed lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci (binaryen for wasm-opt, playwright-core for the end-to-end test)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. Chromium and its driver, for the browser tests.
if [ "$what" = test ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing Debian's chromium and chromium-driver"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exit 0
