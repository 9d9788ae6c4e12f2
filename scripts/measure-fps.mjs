// Measures the journey animation's frame rate in headless Chromium: sends a
// message from the form and counts animation frames while the envelope moves
// through the steps. Prints frames per second and the longest frame.
// Run after scripts/build.sh:   node scripts/measure-fps.mjs
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const server = spawn(process.execPath, ['scripts/serve.mjs', 'dist', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => server.stdout.on('data', (d) => {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(d));
  if (m) resolve(m[1]);
}));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(url);
await page.waitForSelector('#mailsim .ms-send');
await page.evaluate(() => {
  window.__frames = [];
  const tick = (t) => { window.__frames.push(t); if (window.__frames.length < 100000) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
});
await page.click('#mailsim .ms-send');
await page.waitForTimeout(6000);
const frames = await page.evaluate(() => window.__frames);
const span = (frames.at(-1) - frames[0]) / 1000;
let longest = 0;
for (let i = 1; i < frames.length; i++) longest = Math.max(longest, frames[i] - frames[i - 1]);
console.log(`journey animation: ${frames.length} frames in ${span.toFixed(2)} s = ${(frames.length / span).toFixed(1)} fps; longest frame ${longest.toFixed(1)} ms`);
await browser.close();
server.kill();
