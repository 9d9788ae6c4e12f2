// End-to-end tests for the learner's findings, round 2 (issue 12), and the
// accessibility audit (axe-core on every state). Registered by run.mjs.
import { readFileSync } from 'node:fs';

const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Runs axe-core on the page; throws with every violation (rule, nodes). Returns the number of rules that passed. */
export async function axe(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.replaceAll('\n', ' ')}`),
      })),
    };
  }, AXE_TAGS);
  if (result.violations.length) {
    const text = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n  ');
    throw new Error(`axe, ${state}: ${result.violations.length} violation(s):\n  ${text}`);
  }
  axeLog.push(`${state}: 0 violations (${result.passes} rules passed)`);
  return result.passes;
}
export const axeLog = [];

/** The WCAG contrast ratio of an element's text against its effective background. */
async function contrast(page, selector) {
  return page.$eval(selector, (el) => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.5) { bg = c; break; }
    }
    bg = bg ?? (matchMedia('(prefers-color-scheme: dark)').matches ? [0, 0, 0, 1] : [255, 255, 255, 1]);
    const fg = parse(getComputedStyle(el).color);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

export function register(test, h) {
  const { assert, lines, waitLine, typeLine, say, shots } = h;
  const r = '#mailsim';
  const ready = async (page, url, path = '') => { await page.goto(url + path); await waitLine(page, r, /Type `help` for commands|help/); };
  const welcome = async (page, url) => { await page.goto(url); await page.waitForSelector(`${r} .ms-input`); };
  // (The old lesson picker, a <select>, is kept here so these tests can be run against the build before the fixes.)
  const openLesson = async (page, root, i) => {
    if (await page.$(`${root} .ms-picker select`)) {
      await page.selectOption(`${root} .ms-picker select`, String(i));
    } else {
      if (await page.$(`${root} .ms-back`)) await page.click(`${root} .ms-back`);
      await page.click(`${root} .ms-lesson-menu li:nth-child(${i + 1}) button`);
    }
    await page.waitForSelector(`${root} .ms-lesson-steps`);
  };
  const showMe = async (page, root) => page.click((await page.$(`${root} .ms-show`))
    ? `${root} .ms-lesson-steps .ms-step-current .ms-show` : `${root} .ms-step-actions button >> nth=1`);
  const index = (all, text) => all.findIndex((l) => l === text);

  // ---- finding 1 -------------------------------------------------------------
  test('finding 1: with reduced motion, Show me enters the solution line, not an empty one', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await ready(page, url);
    await openLesson(page, r, 0);
    await showMe(page, r);
    await waitLine(page, r, 'learner@client:~$ telnet mail.example.com 25', 3000);
    await page.waitForSelector(`${r} .ms-lesson-steps .ms-step-done`);
    assert(!(await lines(page, r)).includes('learner@client:~$ '), 'no empty command line was entered');
  });

  // ---- finding 3 -------------------------------------------------------------
  test('finding 3: Show me clicked twice while typing enters both lines in order (lesson 12 step 4)', async (page, url) => {
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'queues-and-bounces=3'));
    await ready(page, url);
    await openLesson(page, r, 11);
    assert((await page.textContent(`${r} .ms-progress`)).includes('3 / 6'), await page.textContent(`${r} .ms-progress`));
    await showMe(page, r);
    await page.waitForTimeout(120);
    await showMe(page, r);
    const all = await waitLine(page, r, 'USER alice', 10000);
    const telnet = index(all, 'learner@client:~$ telnet mail.example.com 110');
    assert(telnet >= 0 && telnet < index(all, 'USER alice'), `telnet first, then USER (whole log): ${all.join(' | ')}`);
  });

  // ---- finding 4 (the terminal's part) ---------------------------------------
  test('finding 4: a visible Disconnect button (telnet ^] close) works without a keyboard', async (page, url) => {
    await ready(page, url);
    assert(!(await page.isVisible(`${r} .ms-disconnect`)), 'no Disconnect button while not connected');
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    const box = await page.locator(`${r} .ms-disconnect`).boundingBox();
    assert(box && box.height >= 24 && box.width >= 24, `a target of at least 24×24 px: ${JSON.stringify(box)}`);
    await page.click(`${r} .ms-disconnect`);
    await waitLine(page, r, 'Connection closed.');
    const all = await lines(page, r);
    assert(index(all, 'telnet> close') >= 0, 'it types telnet\'s own escape and close, as the learner would');
    assert((await page.textContent(`${r} .ms-status`)) === 'not connected', await page.textContent(`${r} .ms-status`));
    assert(await page.evaluate(() => document.activeElement?.className) === 'ms-input', 'focus goes back to the input');
  });

  // ---- finding 5 -------------------------------------------------------------
  test('finding 5: lesson feedback appears next to the answer box and is a status', async (page, url) => {
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'telnet-session=3'));
    await ready(page, url);
    await openLesson(page, r, 0);
    await page.fill(`${r} .ms-answer input`, '143');
    await page.press(`${r} .ms-answer input`, 'Enter');
    const fb = page.locator(`${r} .ms-answer-feedback`);
    assert((await fb.textContent()).includes('Not quite'), await fb.textContent());
    assert((await fb.getAttribute('role')) === 'status', 'announced: role=status');
    const a = await page.locator(`${r} .ms-answer input`).boundingBox();
    const b = await fb.boundingBox();
    assert(Math.abs(b.y - (a.y + a.height)) < 80, `next to the answer box: input at ${a.y}, feedback at ${b.y}`);
    await showMe(page, r); // the solution's first line, hosts, typed in the terminal
    await waitLine(page, r, 'learner@client:~$ hosts');
    await showMe(page, r); // then the answer
    assert((await fb.textContent()).includes('The answer: 110'), await fb.textContent());
  });

  // ---- finding 7 -------------------------------------------------------------
  test('finding 7: a message without a Subject is listed as "(no subject)" with a clickable link', async (page, url) => {
    await ready(page, url);
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    for (const l of ['HELO x', 'MAIL FROM:<x@example.net>', 'RCPT TO:<bob@example.com>', 'DATA', 'From: x@example.net', '', 'no subject here']) await typeLine(page, r, l);
    await say(page, r, '.', /^250 2\.0\.0 Ok/);
    await page.selectOption(`${r} .ms-mailboxes select`, 'mail.example.com bob');
    const link = page.locator(`${r} .ms-msglist button`, { hasText: '(no subject)' });
    const box = await link.boundingBox();
    assert(box && box.width > 20 && box.height > 10, `the link has a size: ${JSON.stringify(box)}`);
    await link.click();
    assert((await page.textContent(`${r} .ms-rendered`)).includes('no subject here'), 'it opens');
  });

  // ---- finding 8 -------------------------------------------------------------
  test('finding 8: picking a lesson while connected says the connection was closed', async (page, url) => {
    await ready(page, url);
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    await openLesson(page, r, 1);
    await waitLine(page, r, /connection to mail\.example\.com was closed/);
    assert((await page.textContent(`${r} .ms-status`)) === 'not connected', await page.textContent(`${r} .ms-status`));
    assert((await page.textContent(`${r} .ms-prompt`)) === 'learner@client:~$ ', 'the shell prompt is back');
  });

  // ---- finding 9 -------------------------------------------------------------
  const paste = (page, root, text) => page.$eval(`${root} .ms-input`, (el, t) => {
    el.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);

  test('finding 9: a multi-line paste enters each line in order, the last one stays to edit', async (page, url) => {
    await ready(page, url);
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    await paste(page, r, 'HELO paste.example\r\nMAIL FROM:<p@example.net>\nRCPT TO:<alice@example.com>\nDATA');
    await waitLine(page, r, '250 2.1.5 Ok');
    const all = await lines(page, r);
    const order = ['HELO paste.example', 'MAIL FROM:<p@example.net>', 'RCPT TO:<alice@example.com>'].map((l) => index(all, l));
    assert(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1])), `in order: ${order}`);
    assert((await page.inputValue(`${r} .ms-input`)) === 'DATA', 'the unfinished last line waits in the input');
  });

  // ---- finding 10 ------------------------------------------------------------
  test('finding 10: arrows on the lessons menu open nothing; opening and answering keep focus', async (page, url) => {
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'telnet-session=3'));
    await ready(page, url);
    await page.focus(`${r} .ms-lesson-menu li:nth-child(1) button, ${r} .ms-picker select`);
    await page.keyboard.press('ArrowDown');
    assert(!(await page.$(`${r} .ms-lesson-steps`)), 'ArrowDown opened no lesson');
    assert(await page.evaluate(() => document.activeElement !== document.body), 'focus stays');
    await page.focus(`${r} .ms-lesson-menu li:nth-child(1) button`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    const inLesson = await page.evaluate(() => !!document.activeElement?.closest('.ms-lessons'));
    assert(inLesson, `focus moves into the lesson, got ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
    await page.fill(`${r} .ms-answer input`, '110');
    await page.press(`${r} .ms-answer input`, 'Enter');
    await page.waitForSelector(`${r} .ms-finished`);
    const tag = await page.evaluate(() => document.activeElement?.tagName);
    assert(tag !== 'BODY', 'focus did not drop to <body> after a right answer');
  });

  // ---- finding 11 ------------------------------------------------------------
  test('finding 11: the spam filter says what triggers it and offers a spammy example', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await ready(page, url);
    const note = await page.textContent(`${r} .ms-spam-note`);
    assert(note.includes('lottery'), note);
    await page.click(`${r} .ms-spam-example`);
    assert((await page.inputValue(`${r} .ms-compose > label:nth-of-type(3) input`)).toLowerCase().includes('lottery'), 'the subject is spammy');
    await page.check(`${r} .ms-fault-spam`);
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-timeline li.ms-failed`);
  });

  // ---- finding 12 ------------------------------------------------------------
  test('finding 12: 30 short commands typed at full speed are all entered, in order', async (page, url) => {
    await ready(page, url);
    await page.click(`${r} .ms-input`);
    const cmds = Array.from({ length: 30 }, (_, i) => `echo${i}`);
    for (const c of cmds) {
      await page.keyboard.type(c, { delay: 0 });
      await page.keyboard.press('Enter');
    }
    await waitLine(page, r, 'learner@client:~$ echo29');
    let entered = (await lines(page, r)).filter((l) => l.startsWith('learner@client:~$ ')).map((l) => l.slice(18));
    assert(JSON.stringify(entered) === JSON.stringify(cmds), `entered: ${entered.join(',')}`);
    // Faster than the app's own scheduler: 30 lines and their Enter keys arrive in one task
    // (as from an auto-typer or a slow phone catching up); every line must still be entered.
    await page.keyboard.press('Control+l');
    await page.$eval(`${r} .ms-input`, (el) => {
      for (let i = 0; i < 30; i++) {
        el.value = `fast${i}`;
        el.dispatchEvent(new InputEvent('input', { bubbles: true, data: `fast${i}` }));
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }
    });
    await waitLine(page, r, /fast29/);
    await page.waitForTimeout(100);
    entered = (await lines(page, r)).filter((l) => l.startsWith('learner@client:~$ ')).map((l) => l.slice(18));
    const fast = cmds.map((_, i) => `fast${i}`);
    assert(JSON.stringify(entered) === JSON.stringify(fast), `a burst in one task: ${entered.join(',')}`);
  });

  // ---- finding 13 (the terminal's part) --------------------------------------
  test('finding 13: the input line holds at most 4095 characters; a paste cut short says so', async (page, url) => {
    await ready(page, url);
    assert((await page.getAttribute(`${r} .ms-input`, 'maxlength')) === '4095', 'maxlength 4095, as Linux canonical mode');
    await paste(page, r, 'x'.repeat(5000));
    assert((await page.inputValue(`${r} .ms-input`)).length === 4095, 'cut at 4095');
    const notice = await page.textContent(`${r} .ms-term-notice`);
    assert(notice.includes('4095'), notice);
    assert((await page.getAttribute(`${r} .ms-term-notice`, 'role')) === 'status', 'announced');
  });

  // ---- finding 14 ------------------------------------------------------------
  test('finding 14: journey numbers sit on the first line of wrapped items; captions say a code once', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 420, height: 900 });
    await ready(page, url);
    await page.locator(`${r} .ms-compose > label input >> nth=1`).fill('nobody@example.org');
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-timeline li.ms-failed`);
    const rows = await page.$$eval(`${r} .ms-timeline li button`, (bs) => bs.map((b) => {
      const no = b.querySelector('.ms-tl-no');
      const text = b.querySelector('.ms-tl-text');
      return { no: no?.getBoundingClientRect().top, text: text?.getBoundingClientRect().top, h: b.getBoundingClientRect().height, caption: text?.textContent };
    }));
    assert(rows.some((x) => x.h > 30), 'some items wrap at this width');
    for (const x of rows) assert(x.no !== undefined && Math.abs(x.no - x.text) < 3, `number on the first line: ${JSON.stringify(x)}`);
    for (const x of rows) assert(!/· (\d{3}): .* \1$/.test(x.caption), `the code is said once: ${x.caption}`);
  });

  // ---- finding 15 ------------------------------------------------------------
  test('finding 15: on a phone the diagram stays readable, Show me is near the input, the title shows', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    await ready(page, url);
    const title = await page.locator(`${r} .ms-title`).boundingBox();
    assert(title && title.width > 40, `the terminal title shows: ${JSON.stringify(title)}`);
    await openLesson(page, r, 0);
    const top = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
    const [input, show] = [await top(`${r} .ms-input`), await top(`${r} .ms-strip .ms-show`)];
    assert(show > input && show - input < 300, `Show me within reach of the input: input at ${input}px, Show me at ${show}px`);
    await page.click(`${r} .ms-strip .ms-show`);
    await waitLine(page, r, 'learner@client:~$ telnet mail.example.com 25');
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-diagram svg .ms-role-mailbox`);
    const svg = await page.locator(`${r} .ms-diagram svg`).boundingBox();
    assert(svg.width >= 600 && svg.height >= 200, `the diagram keeps a readable size: ${svg.width}×${svg.height}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert(!overflow, 'the page itself does not scroll sideways');
    await page.screenshot({ path: `${shots}/phone.png`, fullPage: true });
  });

  // ---- finding 16 ------------------------------------------------------------
  test('finding 16: a 5,000-character subject leaves From and Date readable', async (page, url) => {
    await ready(page, url);
    await page.locator(`${r} .ms-compose > label input >> nth=2`).fill('S'.repeat(5000));
    await page.click(`${r} .ms-send`);
    await page.selectOption(`${r} .ms-mailboxes select`, 'mail.example.org carol');
    const row = page.locator(`${r} .ms-msglist tbody tr`, { hasText: 'SSSSSSSSSS' });
    await row.waitFor();
    const widths = await row.locator('td').evaluateAll((tds) => tds.map((t) => t.getBoundingClientRect().width));
    assert(widths[1] >= 120 && widths[2] >= 120, `From and Date widths: ${widths}`);
    const h = await row.evaluate((t) => t.getBoundingClientRect().height);
    assert(h < 120, `the row stays short: ${h}px`);
  });

  test('the header keeps its tools and the language switch together, and the side panel its four tabs, on one row at 1280 and 1024 px, in both languages', async (page, url) => {
    await ready(page, url);
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      for (const lang of ['RU', 'EN']) {
        await page.click(`${r} .ms-lang button >> text=${lang}`);
        const box = await page.evaluate((root) => Object.fromEntries(['.ms-header-tools', '.ms-lang', '.ms-tagline'].map((s) => {
          const b = document.querySelector(`${root} ${s}`).getBoundingClientRect();
          return [s, { top: Math.round(b.top), right: Math.round(b.right), left: Math.round(b.left) }];
        })), r);
        assert(Math.abs(box['.ms-lang'].top - box['.ms-header-tools'].top) <= 4 && box['.ms-lang'].left >= box['.ms-header-tools'].right,
          `${width} px, ${lang}: the switch sits beside the tools: ${JSON.stringify(box)}`);
        assert(box['.ms-tagline'].right <= box['.ms-header-tools'].left, `${width} px, ${lang}: the tagline wraps before them: ${JSON.stringify(box)}`);
        const tabs = await page.$$eval(`${r} .ms-tab`, (ts) => ts.map((t) => [t.textContent, Math.round(t.getBoundingClientRect().top)]));
        assert(tabs.length === 4 && tabs.every(([, top]) => top === tabs[0][1]), `${width} px, ${lang}: the tabs on one row: ${JSON.stringify(tabs)}`);
      }
    }
  });

  // ---- finding 17 ------------------------------------------------------------
  test('finding 17: Russian reaches the terminal chrome, notices and the mail client status, both ways', async (page, url) => {
    await ready(page, url);
    await page.click(`${r} .ms-lang button >> text=RU`);
    const cyr = (s) => /[а-яё]/i.test(s ?? '');
    assert(cyr(await page.textContent(`${r} .ms-status`)), await page.textContent(`${r} .ms-status`));
    for (const [sel, attr] of [['.ms-terminal', 'aria-label'], ['.ms-log', 'aria-label'], ['.ms-input', 'aria-label']]) {
      assert(cyr(await page.getAttribute(`${r} ${sel}`, attr)), `${sel} ${attr}: ${await page.getAttribute(`${r} ${sel}`, attr)}`);
    }
    assert(cyr((await lines(page, r))[0]), `the welcome: ${(await lines(page, r))[0]}`);
    await openLesson(page, r, 0);
    assert(cyr(await page.textContent(`${r} .ms-lessons .ms-notice`)), 'the lesson notice');
    await page.click(`${r} .ms-send`);
    assert(cyr(await page.textContent(`${r} .ms-sent`)), await page.textContent(`${r} .ms-sent`));
    await page.click(`${r} .ms-lang button >> text=EN`);
    assert((await page.textContent(`${r} .ms-sent`)).startsWith('Sent:'), 'the status follows the switch back');
    assert((await page.textContent(`${r} .ms-lessons .ms-notice`)).includes('fresh world'), 'the notice follows it too');
    assert((await lines(page, r))[0].startsWith('mailsim:'), 'and the welcome');
  });

  // ---- finding 20 ------------------------------------------------------------
  test('finding 20: a bounce shows the returned message as a message', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await ready(page, url);
    await page.locator(`${r} .ms-compose > label input >> nth=1`).fill('nobody@example.org');
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-timeline li.ms-failed`);
    await page.locator(`${r} .ms-msglist button`, { hasText: 'Undelivered Mail Returned to Sender' }).click();
    const returned = await page.textContent(`${r} .ms-rendered .ms-returned`);
    assert(returned.includes('Hello Carol') && returned.includes('How are you?') && returned.includes('alice@example.com'), returned);
    const all = await page.textContent(`${r} .ms-rendered`);
    assert(!all.includes('(unnamed)') && !all.includes('📎'), all);
  });

  // ---- finding 21 ------------------------------------------------------------
  test('finding 21: a finished lesson reopens finished, and Restart starts it again', async (page, url) => {
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'telnet-session=4'));
    await ready(page, url);
    assert((await page.textContent(`${r} .ms-lesson-menu li:nth-child(1)`)).includes('✓'), 'the menu marks it done');
    await openLesson(page, r, 0);
    assert((await page.textContent(`${r} .ms-progress`)).includes('4 / 4'), await page.textContent(`${r} .ms-progress`));
    await page.waitForSelector(`${r} .ms-finished`);
    await page.click(`${r} .ms-restart`);
    assert((await page.textContent(`${r} .ms-progress`)).includes('0 / 4'), await page.textContent(`${r} .ms-progress`));
    await page.waitForSelector(`${r} .ms-step-current`);
    await page.click(`${r} .ms-back`);
    assert(!(await page.textContent(`${r} .ms-lesson-menu li:nth-child(1)`)).includes('✓'), 'the menu agrees');
    assert(await page.evaluate(() => localStorage.getItem('mailsim.progress.v1')) === '', 'and the saved progress');
  });

  // ---- finding 22 ------------------------------------------------------------
  test('finding 22: the mail client refuses to send with an empty From', async (page, url) => {
    await ready(page, url);
    await page.locator(`${r} .ms-compose > label input >> nth=0`).fill('');
    await page.click(`${r} .ms-send`);
    assert((await page.textContent(`${r} .ms-sent`)).includes('From'), await page.textContent(`${r} .ms-sent`));
    assert((await page.$$(`${r} .ms-timeline li`)).length === 0, 'nothing was sent');
  });

  // ---- finding 23 ------------------------------------------------------------
  test('finding 23: the terminal has focus on load; a lessons menu with progress and a first step', async (page, url) => {
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'reply-codes=2'));
    await ready(page, url);
    assert(await page.evaluate(() => document.activeElement?.className) === 'ms-input', 'the terminal input has focus');
    const items = await page.$$eval(`${r} .ms-lesson-menu li`, (ls) => ls.map((l) => l.textContent));
    assert(items.length >= 19, `every lesson listed: ${items.length}`);
    assert(items[1].includes('2/'), `progress shown: ${items[1]}`);
    await page.screenshot({ path: `${shots}/lessons-menu.png`, fullPage: false });
    const first = await page.textContent(`${r} .ms-lesson-menu li:nth-child(1) .ms-lesson-name`);
    assert((await page.textContent(`${r} .ms-start button`)).includes(first), 'the first step names lesson 1');
    await page.click(`${r} .ms-start button`);
    assert((await page.textContent(`${r} .ms-lessons h2`)) === first, await page.textContent(`${r} .ms-lessons h2`));
  });

  // ---- finding 24 ------------------------------------------------------------
  test('finding 24: the embedded page has unique ids, one h1, and a progress key per instance', async (page, url) => {
    await page.goto(`${url}static/two-apps.html`);
    await waitLine(page, '#first', /help/);
    await waitLine(page, '#second', /help/);
    const dupes = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.filter((x, i) => ids.indexOf(x) !== i);
    });
    assert(dupes.length === 0, `duplicate ids: ${dupes}`);
    assert((await page.$$('h1')).length === 1, 'one h1');
    await openLesson(page, '#first', 0);
    await page.click('#first .ms-step-current .ms-show');
    await page.waitForSelector('#first .ms-step-done', { timeout: 8000 });
    const keys = await page.evaluate(() => Object.keys(localStorage));
    assert(keys.includes('mailsim.progress.v1:first') && !keys.includes('mailsim.progress.v1'), `keys: ${keys}`);
    assert(!(await page.textContent('#second .ms-lesson-menu li:nth-child(1)')).includes('1/'), 'the second instance has its own progress');
    await axe(page, 'the embedded page');
  });

  // ---- dark colour scheme (finding 2) ----------------------------------------
  test('finding 2: dark colour scheme: fields, menus and accent buttons have contrast ≥ 4.5:1', async (page, url) => {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'telnet-session=4'));
    await ready(page, url);
    const checks = [`${r} .ms-compose > label input >> nth=0`, `${r} .ms-mailboxes select`, `${r} .ms-lesson-menu li button`,
      `${r} .ms-lang button[aria-pressed=true]`, `${r} .ms-send`];
    for (const sel of checks) {
      const c = await contrast(page, sel.replace(' >> nth=0', ''));
      assert(c >= 4.5, `${sel}: contrast ${c.toFixed(2)}:1`);
    }
    await openLesson(page, r, 0);
    const c = await contrast(page, `${r} .ms-next-lesson`);
    assert(c >= 4.5, `Next lesson: ${c.toFixed(2)}:1`);
    await page.screenshot({ path: `${shots}/dark-lesson.png`, fullPage: true });
  });

  // ---- §3 accessibility ------------------------------------------------------
  test('a11y: the side panel tabs are a tablist driven by the arrow keys', async (page, url) => {
    await ready(page, url);
    await page.focus(`${r} [role=tab][aria-selected=true]`);
    await page.keyboard.press('ArrowRight');
    let active = await page.evaluate(() => [document.activeElement?.getAttribute('role'), document.activeElement?.getAttribute('aria-selected'), document.activeElement?.textContent]);
    assert(active[0] === 'tab' && active[1] === 'true' && active[2] === 'Help', `ArrowRight selects Help: ${active}`);
    await page.keyboard.press('End');
    active = await page.evaluate(() => document.activeElement?.textContent);
    assert(active === 'Transcripts', `End: ${active}`);
    await page.keyboard.press('ArrowRight');
    active = await page.evaluate(() => document.activeElement?.textContent);
    assert(active === 'Lessons', `wraps: ${active}`);
    const tabs = await page.$$eval(`${r} [role=tab]`, (ts) => ts.map((t) => [t.tabIndex, t.getAttribute('aria-controls')]));
    assert(tabs.filter((t) => t[0] === 0).length === 1, `one tab stop: ${JSON.stringify(tabs)}`);
    const panel = await page.getAttribute(`${r} [role=tabpanel]`, 'aria-labelledby');
    assert(panel && (await page.$(`#${panel}`)), 'the panel is labelled by its tab');
  });

  test('a11y: reply codes in the log are reachable by keyboard (Shift+Tab, then arrows)', async (page, url) => {
    await ready(page, url);
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    await say(page, r, 'EHLO x', '250 CHUNKING');
    await say(page, r, 'RCPT TO:<a@example.com>', /^503 /);
    await page.focus(`${r} .ms-input`);
    await page.keyboard.press('Shift+Tab');
    let f = await page.evaluate(() => [document.activeElement?.className, document.activeElement?.parentElement?.textContent]);
    assert(f[0] === 'ms-code' && f[1].startsWith('503'), `Shift+Tab reaches the latest reply code: ${f}`);
    await page.keyboard.press('ArrowUp');
    f = await page.evaluate(() => document.activeElement?.parentElement?.textContent);
    assert(f.startsWith('250 CHUNKING'), `ArrowUp goes to the reply before: ${f}`);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    assert((await page.textContent(`${r} .ms-explain`)).includes('The server is ready'), 'Enter explains the greeting');
    await page.keyboard.press('Escape');
    assert(await page.evaluate(() => document.activeElement?.className) === 'ms-input', 'Escape goes back to the input');
  });

  test('a11y: usable at 320 px wide and at 200% zoom', async (page, url) => {
    for (const [w, hgt] of [[320, 640], [640, 430]]) {
      await page.setViewportSize({ width: w, height: hgt });
      await ready(page, url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 0, `${w}px: the page scrolls sideways by ${overflow}px`);
      await say(page, r, 'telnet mail.example.com 25', /^220 /);
      const input = await page.locator(`${r} .ms-input`).boundingBox();
      assert(input.width >= 100, `${w}px: the input is ${input.width}px wide`);
      const tabs = await page.locator(`${r} .ms-tabs`).boundingBox();
      assert(tabs.x + tabs.width <= w + 1, `${w}px: the tabs fit`);
    }
    await page.screenshot({ path: `${shots}/width-640.png`, fullPage: true });
  });

  test('a11y: axe-core finds no violations in any state (light)', async (page, url) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(url);
    await page.evaluate(() => localStorage.setItem('mailsim.progress.v1', 'reply-codes=1'));
    await ready(page, url);
    await axe(page, 'initial');
    await openLesson(page, r, 0);
    await showMe(page, r);
    await page.waitForSelector(`${r} .ms-step-done`);
    await page.click(`${r} .ms-step-current .ms-hint-btn`);
    await axe(page, 'a lesson in progress');
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-diagram svg .ms-role-mailbox`);
    await page.click(`${r} .ms-timeline li:nth-child(4) button`);
    await page.selectOption(`${r} .ms-mailboxes select`, 'mail.example.org carol');
    await page.locator(`${r} .ms-msglist button`, { hasText: 'Hello Carol' }).click();
    await axe(page, 'journey shown, a message open');
    await page.click(`${r} .ms-view-switch button >> nth=1`);
    await axe(page, 'the raw source');
    await page.click(`${r} [role=tab] >> text=Help`);
    await axe(page, 'Help');
    await page.click(`${r} [role=tab] >> text=Reference`);
    for (const s of await page.$$(`${r} .ms-reference details:not([open]) summary`)) await s.click();
    await axe(page, 'Reference fully open');
    await page.click(`${r} .ms-lang button >> text=RU`);
    await axe(page, 'Russian');
  });

  test('a11y: axe-core finds no violations in the dark scheme and at phone size', async (page, url) => {
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await ready(page, url);
    await say(page, r, 'telnet mail.example.com 25', /^220 /);
    await axe(page, 'dark: initial, connected');
    await page.screenshot({ path: `${shots}/dark.png`, fullPage: true });
    await openLesson(page, r, 0);
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-diagram svg .ms-role-mailbox`);
    await page.selectOption(`${r} .ms-mailboxes select`, 'mail.example.org carol');
    await page.locator(`${r} .ms-msglist button`, { hasText: 'Hello Carol' }).click();
    await axe(page, 'dark: lesson, journey, message');
    await page.click(`${r} [role=tab] >> text=Help`);
    await axe(page, 'dark: Help');
    await page.screenshot({ path: `${shots}/dark-journey.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 390, height: 844 });
    await ready(page, url);
    await axe(page, 'phone 390×844');
    await openLesson(page, r, 0);
    await axe(page, 'phone: a lesson open');
  });
}
