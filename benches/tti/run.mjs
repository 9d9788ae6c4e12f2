// Time to interactive, side by side: a bare Yew 0.23 app, mailsim with one
// instance (the stand-alone page and one embed) and a page with ten embeds,
// served from benches/tti/site/ (build it with benches/tti/build.sh) by
// scripts/serve.mjs and opened in Debian's headless Chromium through
// playwright-core, as tests/e2e/run.mjs does.
//   node benches/tti/run.mjs [RUNS]        (default 15; RUNS=… also works; PAGES=a,b for some pages)
// The pages are taken in turn (counter, full, one, ten, counter, …) so that
// the machine's load falls on all of them alike. Every run is a fresh browser
// context: no HTTP cache, no storage. Times are milliseconds from navigation
// start (performance.timeOrigin):
//   shown    the interactive element exists (a MutationObserver set up before
//            any of the page's scripts runs notes the first moment)
//   ready    it has answered, on screen: the counter's button was clicked and
//            the count shows 1; mailsim's terminal input was typed into ("help",
//            Enter) and the shell's help text appeared in that terminal; then the
//            frame that shows it has been drawn (a task queued from that frame's
//            animation callback). Before 2 December 2026 it stopped at the DOM,
//            which left the layout out for pages that did not force one.
// For ten: shown = all ten inputs exist; ready = the tenth terminal answered.
// Prints each page's median, min and max, and the ratios to the bare app's.
// --json writes the raw figures to stdout as JSON after the table.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const site = join(here, 'site');
const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? process.env.RUNS ?? 15);
if (!existsSync(join(site, 'counter/index.html')) || !existsSync(join(site, 'mailsim/ten.html'))) {
  console.error('benches/tti: no site/ (run benches/tti/build.sh first)');
  process.exit(2);
}

function serve() {
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
function watch({ selector, count, kind, target, shadow }) {
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

const pages = {
  counter: { path: 'counter/index.html', watch: { selector: '#inc', count: 1, kind: 'counter', target: '#app' } },
  full: { path: 'mailsim/index.html', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#mailsim' } },
  one: { path: 'mailsim/one.html', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1' } },
  ten: { path: 'mailsim/ten.html', watch: { selector: '.ms-input', count: 10, kind: 'terminal', target: '#m10' } },
  // <mail-sim> (static/mailsim-element.js, the small build): one element, and the first of ten.
  element: { path: 'mailsim/element.html', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: true } },
  element10: { path: 'mailsim/element10.html', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: true } },
  // The same element, its wasm fetched from the <head> (<link rel="preload" as="fetch" crossorigin>).
  preload: { path: 'mailsim/element-preload.html', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: true } },
};
// Experiments: another build of mailsim's dist/ copied to site/x-NAME/ (with
// pages/one.html) is measured too, as page NAME (e.g. a terminal-only build), and
// with pages/element.html as NAME-el.
for (const d of readdirSync(site).filter((d) => d.startsWith('x-')).sort()) {
  if (existsSync(join(site, d, 'one.html'))) {
    pages[d.slice(2)] = { path: `${d}/one.html`, watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1' } };
  }
  if (existsSync(join(site, d, 'element.html'))) {
    pages[`${d.slice(2)}-el`] = { path: `${d}/element.html`, watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: true } };
  }
}

// PAGES=counter,element measures only those (the bare app is always measured: the ratios need it).
if (process.env.PAGES) {
  const keep = new Set(['counter', ...process.env.PAGES.split(',')]);
  for (const k of Object.keys(pages)) if (!keep.has(k)) delete pages[k];
}

// After the timing, real input through the keyboard (not timed): the element
// answers a person too, not only the synthetic events above.
async function check(page, { kind, target, shadow }) {
  if (kind === 'counter') {
    await page.click(`${target} #inc`);
    await page.waitForFunction((r) => Number(document.querySelector(`${r} #count`).textContent) >= 2, target);
    return;
  }
  await page.locator(`${target} .ms-input`).click();
  await page.keyboard.type('hosts', { delay: 0 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(([r, sh]) => [...(sh ? document.querySelector(r).shadowRoot : document).querySelectorAll(`${sh ? '' : r} .ms-log .ms-line`)].some((l) => /mail\.example\.com/.test(l.textContent)), [target, !!shadow], { timeout: 10000 });
}

async function once(browser, url, p) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(watch, p.watch);
  // Waited for through the DevTools protocol itself: Playwright's waitForFunction would first
  // put its injected script (tens of ms of main-thread work) into the page being timed.
  const cdp = await context.newCDPSession(page);
  await page.goto(url + p.path, { waitUntil: 'commit' });
  let timing = null;
  for (const until = Date.now() + 30000; !timing && Date.now() < until;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ttiDone', awaitPromise: true, returnByValue: true });
    timing = result?.value ?? null;
    if (!timing) await new Promise((ok) => setTimeout(ok, 20));
  }
  if (!timing) throw new Error(`${p.path}: not interactive within 30 s`);
  const { shown, ready, tries } = timing;
  await check(page, p.watch);
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm'));
    return { dcl: n?.domContentLoadedEventEnd, wasmEnd: Math.max(0, ...wasm.map((r) => r.responseEnd)) };
  });
  await context.close();
  if (errors.length) throw new Error(`${p.path}: ${errors.join('; ')}`);
  return { shown, ready, tries, ...nav };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const { proc, url } = await serve();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = Object.fromEntries(Object.keys(pages).map((k) => [k, []]));
try {
  // One warm-up round, not counted (the first launch pays for disk caches).
  for (const p of Object.values(pages)) await once(browser, url, p);
  for (let i = 0; i < runs; i++) {
    for (const [name, p] of Object.entries(pages)) results[name].push(await once(browser, url, p));
  }
} finally {
  await browser.close();
  proc.kill();
}

const fmt = (x) => x.toFixed(0).padStart(6);
const base = { shown: median(results.counter.map((r) => r.shown)), ready: median(results.counter.map((r) => r.ready)) };
console.log(`time to interactive, ${runs} runs each (ms from navigation start; median [min–max]; × = median / the bare app's)`);
console.log('page        shown (element exists)           ready (answered input)           wasm loaded  retried');
for (const [name, rs] of Object.entries(results)) {
  const col = (k) => {
    const xs = rs.map((r) => r[k]);
    return `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;
  };
  const ratio = (k) => (median(rs.map((r) => r[k])) / base[k]).toFixed(2) + '×';
  console.log(`${name.padEnd(8)} ${col('shown')} ${ratio('shown').padStart(6)}  ${col('ready')} ${ratio('ready').padStart(6)}  ${fmt(median(rs.map((r) => r.wasmEnd)))}  ${String(rs.filter((r) => r.tries > 1).length).padStart(7)}`);
}
if (json) console.log(JSON.stringify({ runs, results }, null, 1));
