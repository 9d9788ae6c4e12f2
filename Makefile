# mailsim: the two commands are `make serve` and `make test` (see README.md).
# Both install what is missing first (scripts/setup.sh), so a fresh clone works.
PORT ?= 8080
WASM_TARGET := wasm32-unknown-unknown
export CHROMEDRIVER ?= /usr/bin/chromedriver
# wasm-bindgen-test runs wasm tests with Node, or with Chromium through chromedriver.
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target $(WASM_TARGET)

.PHONY: serve build test lint test-native test-wasm-node test-wasm-browser test-e2e setup clean

## Build the app in release mode and serve it on http://127.0.0.1:$(PORT).
serve: build
	node scripts/serve.mjs dist $(PORT)

## Build the optimised app into dist/ and print its size.
build:
	scripts/setup.sh build
	scripts/build.sh

## Every test layer, in order: the house rules (fast), native, wasm in Node,
## wasm in Chromium, end to end.
test:
	scripts/setup.sh test
	$(MAKE) --no-print-directory lint test-native test-wasm-node test-wasm-browser test-e2e

## House rules: formatting, clippy on both targets (and the small embed build), and the fuzz targets still build.
lint:
	@echo "== lint: rustfmt, clippy (native and wasm32), fuzz targets build"
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target $(WASM_TARGET) --lib --test wasm_node --test wasm_browser -- -D warnings
	cargo clippy --locked --target $(WASM_TARGET) --lib --no-default-features -- -D warnings
	cd fuzz && cargo check --locked --bins --quiet

test-native:
	@echo "== native: cargo test"
	cargo test --locked

test-wasm-node:
	@echo "== wasm32 in Node: wasm-bindgen-test"
	$(WASM_TEST) --locked --test wasm_node

test-wasm-browser:
	@echo "== wasm32 in headless Chromium: wasm-bindgen-test + chromedriver"
	$(WASM_TEST) --locked --test wasm_browser

test-e2e: build
	@echo "== the budget: the wasm a page's <mail-sim> loads (mode=terminal) is at most 300 KB gzip -9"
	scripts/size.sh --budget 300 --wasm mailsim_embed
	@echo "== end to end: the built app in headless Chromium (playwright-core)"
	node tests/e2e/run.mjs

clean:
	cargo clean
	rm -rf dist
