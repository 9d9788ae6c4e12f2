// Where a page's start goes, by the browser's own trace events: the renderer's main thread's
// top-level work (script, style, layout, paint, wasm compilation…) summed by event name over
// RUNS runs, from navigation until the bench's READY. Beside phases.mjs (marks and resources).
//   node benches/tti/trace.mjs RUNS PATH[#s] …    e.g. 9 'mailsim/element.html#s' counter/index.html
// TIMELINE=1 also prints the last run's top-level tasks of 1 ms or more, in order: when each
// started (ms from navigation), how long it took, and what inside it took longest.
import { readFileSync, rmSync } from 'node:fs';
import { launch, serve, watch } from './harness.mjs';

const runs = Number(process.argv[2] || 9);
const paths = process.argv.slice(3);
const top = Number(process.env.TOP || 30);
const categories = ['devtools.timeline', 'v8', 'v8.wasm', 'blink', 'loading', 'blink.user_timing', 'disabled-by-default-devtools.timeline'];
const { proc, url } = await serve();
const browser = await launch();
const sums = Object.fromEntries(paths.map((p) => [p, new Map()]));
const timelines = {};
try {
  for (let i = 0; i < runs + 1; i++) {
    for (const p of paths) {
      const [path, shadow] = p.split('#');
      const w = path.startsWith('counter/')
        ? { selector: '#inc', count: 1, kind: 'counter', target: '#app' }
        : { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: shadow !== undefined };
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(watch, w);
      const cdp = await context.newCDPSession(page);
      const file = `/tmp/mailsim-trace-${process.pid}.json`;
      await browser.startTracing(page, { path: file, categories });
      await page.goto(url + path, { waitUntil: 'commit' });
      let timing = null;
      for (const until = Date.now() + 30000; !timing && Date.now() < until;) {
        const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ttiDone', awaitPromise: true, returnByValue: true });
        timing = result?.value ?? null;
      }
      await browser.stopTracing();
      await context.close();
      if (!i) continue;
      const { traceEvents } = JSON.parse(readFileSync(file, 'utf8'));
      if (process.env.KEEP) { const { copyFileSync } = await import('node:fs'); copyFileSync(file, process.env.KEEP); }
      rmSync(file);
      // The renderer's main thread: the one that ran the page's navigationStart mark.
      const nav = traceEvents.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.includes(path))
        ?? traceEvents.find((e) => e.name === 'navigationStart');
      const main = traceEvents.filter((e) => e.pid === nav.pid && e.tid === nav.tid);
      const t0 = nav.ts;
      const t1 = t0 + timing.ready * 1000;
      const m = sums[p];
      // Only top-level complete events (those inside no other on the thread), clipped to [t0, t1].
      const xs = main.filter((e) => e.ph === 'X' && e.dur > 0 && e.ts < t1 && e.ts + e.dur > t0).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
      let end = 0;
      const seen = new Map();
      const tasks = [];
      for (const e of xs) {
        // Nested events: a second map, by name, of every event (self and children).
        seen.set(e.name, (seen.get(e.name) ?? 0) + e.dur / 1000);
        if (e.ts >= end) {
          const d = (Math.min(e.ts + e.dur, t1) - Math.max(e.ts, t0)) / 1000;
          m.set(`top ${e.name}`, (m.get(`top ${e.name}`) ?? 0) + d);
          m.set('top (all)', (m.get('top (all)') ?? 0) + d);
          end = e.ts + e.dur;
          if (d >= 1) tasks.push({ e, d, inner: new Map() });
        } else if (tasks.length && e.ts < tasks.at(-1).e.ts + tasks.at(-1).e.dur) {
          const inner = tasks.at(-1).inner;
          inner.set(e.name, Math.max(inner.get(e.name) ?? 0, e.dur / 1000));
        }
      }
      if (process.env.TIMELINE && i === runs) {
        timelines[p] = tasks.map(({ e, d, inner }) => {
          const big = [...inner].filter(([k]) => k !== e.name).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TIMELINE) || 4);
          return `${((e.ts - t0) / 1000).toFixed(1).padStart(7)} ${d.toFixed(1).padStart(6)}  ${e.name}: ${big.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`;
        });
      }
      for (const [k, v] of seen) m.set(`any ${k}`, (m.get(`any ${k}`) ?? 0) + v);
      m.set('READY', (m.get('READY') ?? 0) + timing.ready);
    }
  }
} finally {
  await browser.close();
  proc.kill();
}
for (const p of paths) {
  console.log(`== ${p}: ms per run (mean), main thread, navigation start → READY`);
  for (const [k, v] of [...sums[p]].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log((v / runs).toFixed(1).padStart(8), k);
  if (timelines[p]) console.log(`-- ${p}, the last run: start, ms, task: longest inside\n${timelines[p].join('\n')}`);
}
