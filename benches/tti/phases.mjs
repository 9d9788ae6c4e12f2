// The phases of pages' start, medians over RUNS runs: every performance.mark (the element's
// mailsim:* marks, and any added to an experiment's copy), each resource's start and end, DCL,
// FCP, and the bench's SHOWN and READY (run.mjs's watcher, waited for the same way).
//   node benches/tti/phases.mjs RUNS PATH[#s] …   e.g. 11 'mailsim/element.html#s' counter/index.html
// PATH is under site/; #s marks a page whose terminal is in a <mail-sim>'s shadow root.
import { launch, median, serve, timed } from './harness.mjs';

const runs = Number(process.argv[2] || 11);
const paths = process.argv.slice(3);
const { proc, url } = await serve();
const browser = await launch();
const all = Object.fromEntries(paths.map((p) => [p, {}]));
try {
  // One warm-up round, not counted.
  for (let i = 0; i < runs + 1; i++) {
    for (const p of paths) {
      const [path, shadow] = p.split('#');
      const counter = path.startsWith('counter/');
      const watch = counter
        ? { selector: '#inc', count: 1, kind: 'counter', target: '#app' }
        : { selector: '.ms-input', count: 1, kind: 'terminal', target: '#m1', shadow: !!shadow };
      const { context, cdp, timing } = await timed(browser, url, { path, watch });
      await new Promise((ok) => setTimeout(ok, 100));
      const { result } = await cdp.send('Runtime.evaluate', { returnByValue: true, expression: `[
        ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
        ...performance.getEntriesByType('resource').flatMap((r) => [[r.name.replace(/.*\\//, '') + ' start', r.startTime], [r.name.replace(/.*\\//, '') + ' end', r.responseEnd]]),
        ['dcl', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd],
        ['fcp', performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1],
      ]` });
      await context.close();
      if (i) for (const [k, v] of [...result.value, ['SHOWN', timing.shown], ['READY', timing.ready]]) (all[p][k] ??= []).push(v);
    }
  }
} finally {
  await browser.close();
  proc.kill();
}
for (const p of paths) {
  console.log(`== ${p}`);
  for (const [k, v] of Object.entries(all[p]).sort((a, b) => median(a[1]) - median(b[1]))) console.log(median(v).toFixed(1).padStart(8), k);
}
