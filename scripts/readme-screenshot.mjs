// Takes README.md's screenshot, docs/screenshot.png, from the built dist/ (make build first):
// the app at 1280 px, lesson 13 (retries and greylisting) open beside the terminal, and below them
// a greylisted message delivered on retry, as the README describes it.
//   node scripts/readme-screenshot.mjs
// Needs Chromium (scripts/setup.sh test). Not part of make test: a picture is looked at, not asserted.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const server = spawn(process.execPath, ['scripts/serve.mjs', 'dist', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((ok) => server.stdout.on('data', (d) => {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(d));
  if (m) ok(m[1]);
}));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1740 } });
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
  await page.goto(url);
  const r = '#mailsim';
  await page.waitForSelector(`${r} .ms-input`);
  await page.click(`${r} .ms-lessons li >> text=Try again later`);
  await page.check(`${r} .ms-compose > fieldset input[type=checkbox] >> nth=0`);
  await page.click(`${r} .ms-send`);
  await page.waitForSelector(`${r} .ms-timeline li.ms-deferred`);
  await page.click(`${r} .ms-skip`);
  await page.waitForSelector(`${r} .ms-timeline li >> text=/stores it in carol@example.org/`);
  await page.locator(`${r} .ms-input`).click();
  for (const line of ['telnet mail.example.com 25', 'EHLO client.example.net']) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'docs/screenshot.png' });
  console.log('docs/screenshot.png written');
} finally {
  await browser.close();
  server.kill();
}
