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
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { launch, median, serve, site, timed } from './harness.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? process.env.RUNS ?? 15);
if (!existsSync(join(site, 'counter/index.html')) || !existsSync(join(site, 'mailsim/ten.html'))) {
  console.error('benches/tti: no site/ (run benches/tti/build.sh first)');
  process.exit(2);
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
  // The same documentation page around each (a heading, a paragraph with inline code, in the
  // page's own fonts): the bare app on it, and one <mail-sim> on it, compared with each other.
  counterdoc: { path: 'counter/doc.html', watch: { selector: '#inc', count: 1, kind: 'counter', target: '#app' } },
  elementdoc: { path: 'mailsim/element-doc.html', base: 'counterdoc', watch: { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: true } },
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

// PAGES=counter,element measures only those (the bare app is always measured, and a page's own
// base when it has one: the ratios need them).
if (process.env.PAGES) {
  const keep = new Set(['counter', ...process.env.PAGES.split(',')]);
  for (const k of [...keep]) if (pages[k]?.base) keep.add(pages[k].base);
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
  const { context, page, errors, timing } = await timed(browser, url, p);
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

const { proc, url } = await serve();
const browser = await launch();
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
const baseOf = (name) => {
  const b = results[pages[name].base ?? 'counter'];
  return { shown: median(b.map((r) => r.shown)), ready: median(b.map((r) => r.ready)) };
};
console.log(`time to interactive, ${runs} runs each (ms from navigation start; median [min–max]; × = median / the bare app's`);
console.log('on the same page: counterdoc for elementdoc, counter for the others)');
console.log('page          shown (element exists)           ready (answered input)           wasm loaded  retried');
for (const [name, rs] of Object.entries(results)) {
  const col = (k) => {
    const xs = rs.map((r) => r[k]);
    return `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;
  };
  const ratio = (k) => (median(rs.map((r) => r[k])) / baseOf(name)[k]).toFixed(2) + '×';
  console.log(`${name.padEnd(10)} ${col('shown')} ${ratio('shown').padStart(6)}  ${col('ready')} ${ratio('ready').padStart(6)}  ${fmt(median(rs.map((r) => r.wasmEnd)))}  ${String(rs.filter((r) => r.tries > 1).length).padStart(7)}`);
}
if (json) console.log(JSON.stringify({ runs, results }, null, 1));
