// Where a page's main thread spends its start: a CPU profile (the DevTools protocol's
// sampling profiler, 100 µs) of one page, from navigation until the bench's READY, summed
// over RUNS runs by function (self time, and as "(total) NAME" the time with its callees), split
// at the bench's SHOWN.
//   node benches/tti/profile.mjs RUNS PATH[#s]    e.g. 9 'x-prof/element.html#s'
// For names of wasm functions, profile a build whose wasm keeps its name section
// (wasm-opt -g): see README.md.
import { launch, serve, watch as watchFn } from './harness.mjs';

const runs = Number(process.argv[2] || 9);
const [path, shadow] = (process.argv[3] || 'mailsim/element.html#s').split('#');
const top = Number(process.env.TOP || 40);
const counter = path.startsWith('counter/');
const watch = counter
  ? { selector: '#inc', count: 1, kind: 'counter', target: '#app' }
  : { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: shadow !== undefined };
const { proc, url } = await serve();
const browser = await launch();
const phases = { before: new Map(), after: new Map() };
try {
  for (let i = 0; i < runs + 1; i++) {
    const t = await timedProfiled(browser, url, { path, watch });
    if (i === 0) continue;
    for (const [k, v] of Object.entries(t)) for (const [n, ms] of v) phases[k].set(n, (phases[k].get(n) ?? 0) + ms);
  }
} finally {
  await browser.close();
  proc.kill();
}
for (const [k, m] of Object.entries(phases)) {
  const total = [...m.values()].reduce((a, b) => a + b, 0) / runs;
  console.log(`== ${k} SHOWN: ${total.toFixed(1)} ms of samples per run (self time, and (total) with callees; mean per run)`);
  for (const [n, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log((ms / runs).toFixed(2).padStart(8), n);
}

async function timedProfiled(browser, url, p) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.addInitScript(watchFn, p.watch);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(url + p.path, { waitUntil: 'commit' });
  let timing = null;
  for (const until = Date.now() + 30000; !timing && Date.now() < until;) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__ttiDone', awaitPromise: true, returnByValue: true });
    timing = result?.value ?? null;
  }
  if (!timing) throw new Error(`${p.path}: not interactive within 30 s`);
  const { result: now } = await cdp.send('Runtime.evaluate', { expression: 'performance.now()', returnByValue: true });
  const { profile } = await cdp.send('Profiler.stop');
  await context.close();
  // The profile's clock (µs) is not the page's: place SHOWN by its distance from the profile's
  // end, which is within a round trip (~1 ms) of the performance.now() read just before it.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/.*\//, '') : '';
    return `${f.functionName || '(anon)'} ${file}`.trim();
  };
  const times = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) { t += d; times.push(t); }
  const end = profile.endTime;
  const split = end - (now.value - timing.shown) * 1000;
  const out = { before: new Map(), after: new Map() };
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (i + 1 < times.length ? times[i + 1] - times[i] : 100) / 1000;
    const n = name(byId.get(profile.samples[i]));
    const m = times[i] < split ? out.before : out.after;
    m.set(n, (m.get(n) ?? 0) + dt);
    // Total time: once for every function on the sample's stack.
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = `(total) ${name(byId.get(id))}`;
      if (!seen.has(f)) { seen.add(f); m.set(f, (m.get(f) ?? 0) + dt); }
    }
  }
  return out;
}
