// The phases of pages' start, medians over RUNS runs: every performance.mark (the element's
// mailsim:* marks, and any added to an experiment's copy), each resource's start and end, DCL,
// FCP, and the bench's SHOWN and READY (run.mjs's watcher, waited for the same way).
//   node benches/tti/phases.mjs RUNS PATH[#s] …   e.g. 11 'mailsim/element.html#s' counter/index.html
// PATH is under site/; #s marks a page whose terminal is in a <mail-sim>'s shadow root.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const src = readFileSync(join(here, 'run.mjs'), 'utf8');
const watchSrc = src.slice(src.indexOf('function watch('), src.indexOf('\nconst pages = {'));
const [site, runs] = [join(here, 'site'), Number(process.argv[2] || 11)];
const pagesArg = process.argv.slice(3);
const proc = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), site, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((ok) => proc.stdout.on('data', (d) => { const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(d)); if (m) ok(m[1]); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const all = Object.fromEntries(pagesArg.map((p) => [p, {}]));
for (let i = 0; i < runs + 1; i++) for (const p of pagesArg) {
  const [path, shadow] = p.split('#');
  const w = { selector: path.includes('counter') ? '#inc' : '.ms-input', count: 1, kind: path.includes('counter') ? 'counter' : 'terminal', target: path.includes('counter') ? '#app' : '#m1', shadow: !!shadow };
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.addInitScript({ content: `(${watchSrc})(${JSON.stringify(w)})` });
  const cdp = await ctx.newCDPSession(page);
  await page.goto(url + path, { waitUntil: 'commit' });
  let t = null;
  while (!t) { const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ttiDone', awaitPromise: true, returnByValue: true }); t = result?.value; if (!t) await new Promise((ok) => setTimeout(ok, 20)); }
  await new Promise((ok) => setTimeout(ok, 100));
  const { result } = await cdp.send('Runtime.evaluate', { returnByValue: true, expression: `[
    ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
    ...performance.getEntriesByType('resource').flatMap((r) => [[r.name.replace(/.*\\//, '') + ' start', r.startTime], [r.name.replace(/.*\\//, '') + ' end', r.responseEnd]]),
    ['dcl', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd],
    ['fcp', performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1],
  ]` });
  const e = [...result.value, ['SHOWN', t.shown], ['READY', t.ready]];
  if (i) for (const [k, v] of e) (all[p][k] ??= []).push(v);
  await ctx.close();
}
await browser.close(); proc.kill();
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
for (const p of pagesArg) { console.log('==', p); for (const [k, v] of Object.entries(all[p]).sort((a, b) => med(a[1]) - med(b[1]))) console.log(med(v).toFixed(1).padStart(8), k); }
