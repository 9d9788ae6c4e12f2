// What benches/tti/run.mjs and phases.mjs share: the server, the browser, the
// watcher that runs in each page before its scripts, and opening a page to
// wait for its timing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
export const site = join(here, 'site');

/** scripts/serve.mjs on site/, on a free port: { proc, url }. */
export function serve() {
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), site, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(d);
      if (m) ok({ proc, url: m[1] });
    });
    proc.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
}

// Runs in the page before its scripts: notes when `selector` first matches
// `count` elements (shown), then at once uses the element inside `target`
// from inside the page (no round trip to the test runner) and notes when it
// has answered (ready), both in performance.now(): ms from navigation start.
// The counter: a click, then the count reads 1. A terminal: "help" in its
// input and an Enter keydown (what the terminal's listener reads), then the
// shell's help text in its log. An interaction not answered within 1 s is
// tried again (the time of the answer is what counts).
export function watch({ selector, count, kind, target, shadow }) {
  let done;
  window.__ttiDone = new Promise((ok) => { done = ok; });
  window.__tti = { shown: null, ready: null, tries: 0 };
  const t = window.__tti;
  // <mail-sim> pages: the elements are in shadow roots (`target` names the host).
  const all = (sel) => (shadow
    ? [...document.querySelectorAll('mail-sim')].flatMap((m) => (m.shadowRoot ? [...m.shadowRoot.querySelectorAll(sel)] : []))
    : [...document.querySelectorAll(sel)]);
  const within = (sel) => (shadow ? document.querySelector(target)?.shadowRoot?.querySelectorAll(sel) ?? [] : document.querySelectorAll(`${target} ${sel}`));
  const act = () => {
    t.tries++;
    if (kind === 'counter') {
      document.querySelector(`${target} #inc`).click();
    } else {
      const input = within('.ms-input')[0];
      input.value = 'help';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    }
  };
  const answered = () =>
    kind === 'counter'
      ? Number(document.querySelector(`${target} #count`)?.textContent) >= 1
      : [...within('.ms-log .ms-line')].some((l) => /telnet HOST/.test(l.textContent));
  const poll = (since) => {
    if (answered()) {
      // On screen: a task queued from a frame's callback runs once that frame is drawn
      // (its style, layout and paint), so every page's answer is timed as the reader sees it.
      setTimeout(() => {
        t.ready = performance.now();
        done({ ...t });
      }, 0);
      return;
    }
    if (performance.now() - since > 1000) {
      act();
      since = performance.now();
    }
    requestAnimationFrame(() => poll(since));
  };
  const check = () => {
    if (t.shown === null && all(selector).length >= count) {
      t.shown = performance.now();
      obs.disconnect();
      act();
      poll(performance.now());
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
  // A MutationObserver on the document does not see into shadow roots: observe the
  // target's own as soon as it has one (the element attaches it when it is defined).
  const root = () => {
    const r = document.querySelector(target)?.shadowRoot;
    if (r) obs.observe(r, { childList: true, subtree: true });
    else requestAnimationFrame(root);
  };
  if (shadow) root();
}

/** Debian's Chromium (packages chromium, chromium-driver). */
const CHROMIUM = '/usr/bin/chromium';

/** Debian's headless Chromium, launched as tests/e2e/run.mjs launches it. */
export function launch() {
  // A new machine has no Chromium until `scripts/setup.sh test` (`make build` does not install it):
  // say so at once rather than wait 30 s per page for a browser that never came.
  if (!existsSync(CHROMIUM)) throw new Error(`benches/tti: no ${CHROMIUM} (run scripts/setup.sh test)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...(process.env.CHROME_ARGS ? process.env.CHROME_ARGS.split(' ') : [])],
  });
}

/** NET=KBITS,MS (e.g. NET=10000,20): every page over a link of that bandwidth (kbit/s, down; a
 * fifth of it up) and round-trip latency, as Chromium's DevTools throttle it. */
const NET = (() => {
  const m = /^(\d+),(\d+)$/.exec(process.env.NET ?? '');
  if (!m) return null;
  const bytes = (Number(m[1]) * 1000) / 8;
  return { offline: false, latency: Number(m[2]), downloadThroughput: bytes, uploadThroughput: bytes / 5 };
})();

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Opens `url + p.path` in a fresh context with `watch(p.watch)` in it and waits for its
 * timing: { context, page, cdp, errors, timing: { shown, ready, tries } }.
 */
export async function timed(browser, url, p) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(watch, p.watch);
  // Waited for through the DevTools protocol itself: Playwright's waitForFunction would first
  // put its injected script (tens of ms of main-thread work) into the page being timed.
  const cdp = await context.newCDPSession(page);
  if (NET) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NET);
  }
  await page.goto(url + p.path, { waitUntil: 'commit' });
  let timing = null;
  for (const until = Date.now() + 30000; !timing && Date.now() < until;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ttiDone', awaitPromise: true, returnByValue: true });
    timing = result?.value ?? null;
    if (!timing) await new Promise((ok) => setTimeout(ok, 20));
  }
  if (!timing) throw new Error(`${p.path}: not interactive within 30 s`);
  return { context, page, cdp, errors, timing };
}
