// End-to-end tests for the transcript explorer, its exports and the app's links
// (issue 13). Registered by run.mjs.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { axe } from './learner.mjs';

const player = 'node_modules/asciinema-player/dist/bundle';
const SESSION = [
  'S: 220 mail.example.com ESMTP Postfix',
  'C: EHLO client.example.net',
  'S: 250-mail.example.com',
  'S: 250-PIPELINING',
  'S: 250-AUTH PLAIN LOGIN',
  'S: 250 8BITMIME',
  'C: AUTH PLAIN AGFsaWNlAGFsaWNlcHc=',
  'S: 235 2.7.0 Authentication successful',
  'C: MAIL FROM:alice@example.com',
  'S: 250 2.1.0 Ok',
  'C: RCPT TO:<bob@example.com>',
  'S: 250 2.1.5 Ok',
  'C: DATA',
  'S: 354 End data with <CR><LF>.<CR><LF>',
  'C: Subject: hello',
  'C: ',
  'C: Hi Bob.',
  'C: .',
  'S: 250 2.0.0 Ok: queued as 4B2C11A0F3',
  'C: QUIT',
  'S: 221 2.0.0 Bye',
].join('\n') + '\n';

/** The fragment a link carries a transcript in: raw DEFLATE, base64url (src/link.rs). */
const pack = (text) => deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64url');

export function register(test, h) {
  const { assert, waitLine, shots } = h;
  const r = '#mailsim';
  const explorer = async (page) => {
    await page.click(`${r} [id$=tab-transcripts]`);
    await page.waitForSelector(`${r} .ms-explorer textarea`);
  };
  const explain = async (page, text) => {
    await page.fill(`${r} .ms-explorer textarea`, text, { timeout: 30000 });
    await page.click(`${r} .ms-explorer .ms-primary`);
    await page.waitForSelector(`${r} .ms-tx-read, ${r} .ms-tx-error`);
  };
  /** What the timeline shows: each step's client line and server lines. */
  const steps = (page) => page.$$eval(`${r} .ms-tx-step`, (els) => els.map((e) =>
    [e.querySelector('.ms-tx-c')?.textContent ?? '(greeting)', [...e.querySelectorAll('.ms-tx-server div')].map((d) => d.textContent)]));

  test('transcripts: a pasted session is explained step by step, its problems flagged', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, SESSION);
    const read = await page.textContent(`${r} .ms-tx-read`);
    assert(/SMTP session, read as cs: 8 steps/.test(read), read);
    const problems = await page.$$eval(`${r} .ms-tx-problems li`, (els) => els.map((e) => e.textContent));
    assert(problems.some((p) => /line 7/.test(p) && p.includes('alicepw')), `AUTH PLAIN decoded: ${problems.join(' | ')}`);
    assert(problems.some((p) => /angle brackets|<>/.test(p)), `MAIL without <>: ${problems.join(' | ')}`);
    const explained = await page.$$eval(`${r} .ms-tx-explain`, (els) => els.map((e) => e.textContent));
    assert(explained.length >= 8 && explained.some((e) => e.includes('235') && e.includes('RFC 4954')), explained.join('\n'));
    assert(await page.isVisible(`${r} .ms-tx-fold summary`), 'the message text is folded');
    // The session's state as it changes, and every command with its syntax and RFC section.
    const states = await page.$$eval(`${r} .ms-tx-state`, (els) => els.map((e) => e.textContent));
    for (const want of ['Greeted', 'Authenticated as alice', 'In a transaction', 'In DATA', 'Message accepted', 'Closed']) {
      assert(states.some((s) => s.includes(want)), `state "${want}" in ${states.join(' | ')}`);
    }
    const commands = await page.$$eval(`${r} .ms-tx-cmd`, (els) => els.map((e) => e.textContent));
    assert(commands.some((c) => c.includes('MAIL FROM:<reverse-path>') && c.includes('RFC 5321 §4.1.1.2')), commands.join(' | '));
    await page.screenshot({ path: `${shots}/transcripts.png`, fullPage: true });
    await axe(page, 'transcript explained');
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.screenshot({ path: `${shots}/transcripts-dark.png`, fullPage: true });
    await axe(page, 'transcript explained, dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await explorer(page);
    await explain(page, SESSION);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(wide.length === 0 && scroll <= 0, `no horizontal scrolling on a phone (${scroll} px too wide): ${wide.join(', ')}`);
    await page.screenshot({ path: `${shots}/transcripts-phone.png`, fullPage: true });
  });

  test('transcripts: what is pasted stays in the box when the format is chosen or the language switched before Explain', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await page.locator(`${r} .ms-explorer textarea`).fill(SESSION);
    const formats = await page.$$eval(`${r} .ms-tx-format select option`, (o) => o.map((x) => x.value));
    await page.selectOption(`${r} .ms-tx-format select`, formats[1]);
    assert((await page.inputValue(`${r} .ms-explorer textarea`)) === SESSION, 'kept when a format is chosen');
    await page.click(`${r} .ms-lang button >> text=RU`);
    assert((await page.inputValue(`${r} .ms-explorer textarea`)) === SESSION, 'kept when the language switches');
    await page.click(`${r} .ms-lang button >> text=EN`);
    await page.selectOption(`${r} .ms-tx-format select`, 'auto');
    await page.click(`${r} .ms-explorer button:has-text("Explain")`);
    assert(/SMTP session, read as cs: 8 steps/.test(await page.textContent(`${r} .ms-tx-read`)), 'and explained as pasted');
  });

  test('transcripts: each export (C:/S:, text, JSON, asciicast) reads back to the same steps; secrets redacted', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, SESSION);
    const want = await steps(page);
    for (const what of ['cs', 'text', 'json', 'asciicast']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${r} [data-export=${what}]`)]);
      const text = readFileSync(await download.path(), 'utf8');
      assert(!text.includes('AGFsaWNlAGFsaWNlcHc='), `${what} redacts AUTH PLAIN by default`);
      await explain(page, text);
      const got = await steps(page);
      assert(JSON.stringify(got) === JSON.stringify(want.map(([c, s]) => [c.startsWith('AUTH PLAIN') ? 'AUTH PLAIN [redacted]' : c, s])),
        `${what} (${download.suggestedFilename()}) read back otherwise:\n${JSON.stringify(got)}\nwanted\n${JSON.stringify(want)}`);
      await explain(page, SESSION);
    }
    // Kept on request.
    await page.check(`${r} .ms-explorer input[type=checkbox]`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${r} [data-export=cs]`)]);
    assert(readFileSync(await download.path(), 'utf8').includes('AGFsaWNlAGFsaWNlcHc='), 'kept when asked');
  });

  test('transcripts: the asciicast export plays in asciinema-player', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, SESSION);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${r} [data-export=asciicast]`)]);
    const cast = readFileSync(await download.path(), 'utf8');
    // The real player from npm, on a page of the same origin.
    await page.route('**/player/**', (route) => {
      const file = route.request().url().split('/player/')[1];
      const types = { js: 'text/javascript', css: 'text/css', cast: 'application/x-asciicast', html: 'text/html' };
      if (file === 'session.cast') return route.fulfill({ body: cast, contentType: types.cast });
      if (file === 'index.html') {
        return route.fulfill({ contentType: types.html, body: `<!doctype html><html lang="en"><head><title>player</title>
          <link rel="stylesheet" href="asciinema-player.css"></head><body><div id="p"></div>
          <script src="asciinema-player.min.js"></script>
          <script>window.ap = AsciinemaPlayer.create('session.cast', document.getElementById('p'), { autoPlay: true, speed: 20 });</script></body></html>` });
      }
      return route.fulfill({ body: readFileSync(`${player}/${file}`), contentType: types[file.split('.').pop()] ?? 'text/plain' });
    });
    await page.goto(`${url}player/index.html`);
    await page.waitForFunction(() => document.querySelector('.ap-term, .ap-terminal')?.textContent.includes('221 2.0.0 Bye'), null, { timeout: 15000 });
    const shown = await page.evaluate(() => document.querySelector('.ap-term, .ap-terminal').textContent);
    assert(shown.includes('EHLO client.example.net') && shown.includes('250 2.0.0 Ok: queued'), shown);
    const duration = await page.evaluate(() => window.ap.getDuration());
    assert(duration > 3, `a typed session lasts: ${duration} s`);
    await page.screenshot({ path: `${shots}/asciicast-player.png` });
  });

  test('links: a share link round-trips; a hostile one stays text', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, SESSION);
    const want = await steps(page);
    await page.click(`${r} .ms-explorer button:has-text("Copy a share link")`);
    const link = await page.inputValue(`${r} .ms-tx-link`);
    assert(link.startsWith(url) && /#tab=transcripts&t=[A-Za-z0-9_-]+$/.test(link) && !link.includes('AGFsaWNl'), link);
    await page.goto('about:blank');
    await page.goto(link);
    await page.waitForSelector(`${r} .ms-tx-read`);
    assert((await page.getAttribute(`${r} [id$=tab-transcripts]`, 'aria-selected')) === 'true', 'the Transcripts tab is open');
    const got = await steps(page);
    assert(JSON.stringify(got) === JSON.stringify(want.map(([c, s]) => [c.startsWith('AUTH PLAIN') ? 'AUTH PLAIN [redacted]' : c, s])), JSON.stringify(got));
    // Hostile: markup in a transcript, a link's parts and the page's own text stays text.
    const hostile = 'S: 220 <img src=x onerror="window.pwned=1"> ESMTP\nC: EHLO <script>window.pwned=2</script>\nS: 250 <b>ok</b>\n';
    await page.goto('about:blank');
    await page.goto(`${url}#t=${pack(hostile)}&lesson=%3Cscript%3E&tab=%3Cimg%3E&zzz=<b>x</b>`);
    await page.waitForSelector(`${r} .ms-tx-read`);
    assert(await page.evaluate(() => window.pwned === undefined), 'no script ran');
    assert((await page.$$(`${r} .ms-explorer img, ${r} .ms-explorer script, ${r} .ms-explorer b, ${r} .ms-link-problems b`)).length === 0, 'no markup made');
    const shown = await page.textContent(`${r} .ms-explorer`);
    assert(shown.includes('EHLO <script>window.pwned=2</script>'), 'shown as text');
    const problems = await page.textContent(`${r} .ms-link-problems`);
    assert(/lesson/.test(problems) && /tab/.test(problems) && /zzz/.test(problems), problems);
    // (A link too long for the fragment: the bad-input test below.)
  });

  test('links: a deep link opens a lesson at a step, in Russian, with a fault and a connection', async (page, url) => {
    await page.goto(`${url}#lesson=first-transaction&step=2&lang=ru&faults=greylisting&host=mail.example.com&port=25`);
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    assert((await page.getAttribute(`${r} .ms-app`, 'lang')) === 'ru', 'the interface is Russian');
    const title = await page.textContent(`${r} [id$=lessons-h]`);
    assert(title.includes('Первая транзакция'), title);
    const current = await page.textContent(`${r} .ms-step-current`);
    assert(current.includes('Начните транзакцию'), `step 2 is the current one: ${current}`);
    await waitLine(page, r, '220 mail.example.com ESMTP Postfix');
    await page.screenshot({ path: `${shots}/deep-link.png` });
  });

  test('transcripts: replayed in the terminal against mailsim (pause, step, speed, resume), the terminal session explored and exported', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, 'S: 220 mail.example.com ESMTP Postfix\nC: EHLO client.example.net\nS: 250 mail.example.com\nC: NOOP\nS: 250 2.0.0 Ok\nC: VRFY alice\nS: 252 2.0.0 alice\nC: QUIT\nS: 221 2.0.0 Bye\n');
    await page.click(`${r} .ms-explorer button:has-text("Replay in the terminal")`);
    await page.click(`${r} .ms-replay button:has-text("Pause")`);
    await waitLine(page, r, '220 mail.example.com ESMTP Postfix', 15000);
    await page.waitForTimeout(600);
    const paused = await page.textContent(`${r} .ms-replay [role=status]`);
    assert(/[01] of 4 lines sent/.test(paused), paused);
    await page.click(`${r} .ms-replay button:has-text("Next line")`);
    await page.waitForFunction((root) => /[12] of 4/.test(document.querySelector(`${root} .ms-replay [role=status]`)?.textContent ?? ''), r);
    await page.selectOption(`${r} .ms-replay select`, '8');
    await page.click(`${r} .ms-replay button:has-text("Resume")`);
    await waitLine(page, r, '221 2.0.0 Bye', 15000);
    assert(await page.isHidden(`${r} .ms-replay`), 'the replay bar goes when all is sent');
    const [cast] = await Promise.all([page.waitForEvent('download'), page.click(`${r} [data-screen=cast]`)]);
    const events = readFileSync(await cast.path(), 'utf8').trim().split('\n');
    assert(JSON.parse(events[0]).version === 2, events[0]);
    const shown = events.slice(1).map((e) => JSON.parse(e)[2]).join('');
    assert(shown.includes('learner@client:~$ telnet mail.example.com 25') && shown.includes('252 2.0.0 alice'), shown);
    await page.click(`${r} .ms-explorer button:has-text("Take the terminal")`);
    await page.waitForSelector(`${r} .ms-tx-read`);
    const got = await steps(page);
    assert(got[0][1][0] === '220 mail.example.com ESMTP Postfix' && got.some(([c]) => c === 'QUIT'), JSON.stringify(got));
  });

  test('transcripts: a journey hop\'s dialogue opens in the explorer', async (page, url) => {
    await page.goto(url);
    await waitLine(page, r, /Type `help` for commands/);
    await page.click(`${r} .ms-send`);
    await page.waitForSelector(`${r} .ms-journey svg .ms-role-mailbox`);
    await page.click(`${r} .ms-timeline li:nth-child(4) button`);
    await page.click(`${r} .ms-dialogue .ms-explore`);
    await page.waitForSelector(`${r} .ms-tx-read`);
    assert((await page.getAttribute(`${r} [id$=tab-transcripts]`, 'aria-selected')) === 'true', 'the explorer is open');
    const read = await page.textContent(`${r} .ms-tx-read`);
    assert(/SMTP session, read as cs/.test(read), read);
    const got = await steps(page);
    assert(got.some(([c]) => c.startsWith('MAIL FROM:')), JSON.stringify(got));
  });

  test('transcripts: compared with mailsim, a reply Postfix would not give is shown beside mailsim\'s', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    await explain(page, [
      'S: 220 mx.other.test ESMTP Postfix', 'C: EHLO client.example.net', 'S: 250 mx.other.test',
      'C: MAIL FROM:<learner@example.net>', 'S: 250 2.1.0 Ok',
      'C: RCPT TO:<nobody@example.com>', 'S: 250 2.1.5 Ok', 'C: QUIT', 'S: 221 2.0.0 Bye', ''].join('\n'));
    await page.click(`${r} [data-compare]`);
    await page.waitForSelector(`${r} .ms-tx-compared`);
    const counts = await page.textContent(`${r} .ms-tx-compared`);
    assert(/postfix \(mail\.example\.com:25\)/.test(counts) && /1 different/.test(counts), counts);
    const differs = await page.$$eval(`${r} .ms-tx-step`, (els) => els.filter((e) => e.querySelector('.ms-tx-differs'))
      .map((e) => [e.querySelector('.ms-tx-c')?.textContent, e.querySelector('.ms-tx-differs').textContent]));
    assert(differs.length === 1 && differs[0][0] === 'RCPT TO:<nobody@example.com>' && differs[0][1].includes('550 5.1.1'), JSON.stringify(differs));
    await axe(page, 'transcript compared with mailsim');
    await page.screenshot({ path: `${shots}/transcripts-compare.png`, fullPage: true });
  });

  const OWN_LESSON = ['---', 'id: my-first-vrfy', 'title: Ask about alice', 'level: 1', 'covers: T05', '---', '',
    'A teacher\'s own lesson.', '', '## Connect', '', 'Connect to port 25.', '', '```goal', 'reply 220 mail.example.com', '```', '',
    '```solution', 'telnet mail.example.com 25', '```', '', '## Ask', '', 'Ask whether alice exists.', '', '```goal', 'reply 252', '```', '',
    '```solution', 'VRFY alice', '```', ''].join('\n');

  test('teachers: a lesson opened from a URL runs like a built-in one; a broken file shows its errors with lines', async (page, url) => {
    await page.route('**/class/vrfy.md', (route) => route.fulfill({ body: OWN_LESSON, contentType: 'text/markdown' }));
    await page.goto(`${url}#lesson-url=class/vrfy.md`);
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    assert((await page.textContent(`${r} [id$=lessons-h]`)).includes('Ask about alice'), 'the lesson from the URL is open');
    for (let i = 1; i <= 2; i++) {
      await page.click(`${r} .ms-lesson-steps .ms-step-current .ms-show`);
      await page.waitForFunction(([root, n]) => document.querySelectorAll(`${root} .ms-step-done`).length === n, [r, i], { timeout: 15000 });
    }
    await waitLine(page, r, /^252 2\.0\.0 alice/);
    // A broken lesson file, opened from the menu: every problem with its line.
    await page.click(`${r} .ms-back`);
    const broken = OWN_LESSON.replace('reply 252', 'fly to the moon').replace('title: Ask about alice\n', '');
    await page.setInputFiles(`${r} .ms-own-lesson input[type=file]`, { name: 'broken.md', mimeType: 'text/markdown', buffer: Buffer.from(broken) });
    await page.waitForSelector(`${r} .ms-lesson-errors`);
    const errors = await page.$$eval(`${r} .ms-lesson-errors li`, (els) => els.map((e) => e.textContent));
    assert(errors.some((e) => /^line \d+/.test(e) && /title/.test(e)), `a missing title: ${errors.join(' | ')}`);
    assert(errors.some((e) => /^line 2[0-9]/.test(e) && /fly/.test(e)), `an unknown goal with its line: ${errors.join(' | ')}`);
    await axe(page, 'a lesson file with errors');
    // In Russian the same problems are said in Russian, the file's own words kept; and back.
    await page.click(`${r} .ms-lang button >> text=RU`);
    const ru = await page.$$eval(`${r} .ms-lesson-errors li`, (els) => els.map((e) => e.textContent));
    assert(ru.length === errors.length, `as many problems in Russian: ${ru.join(' | ')}`);
    assert(ru.some((e) => /^строка \d+: в шапке нет 'title:'/.test(e)), `the missing title in Russian: ${ru.join(' | ')}`);
    assert(ru.some((e) => /^строка 2[0-9]: неизвестная цель 'fly'/.test(e)), `the unknown goal in Russian: ${ru.join(' | ')}`);
    assert(ru.every((e) => !/\b(line|unknown|needs)\b/.test(e)), `no English left: ${ru.join(' | ')}`);
    await page.click(`${r} .ms-lang button >> text=EN`);
    const back = await page.$$eval(`${r} .ms-lesson-errors li`, (els) => els.map((e) => e.textContent));
    assert(JSON.stringify(back) === JSON.stringify(errors), `back in English: ${back.join(' | ')}`);
    // A link to a lesson file that is not there says so.
    await page.goto('about:blank');
    page.expectedConsole = /status of 404/;
    await page.goto(`${url}#lesson-url=class/none.md`);
    await page.waitForSelector(`${r} .ms-link-problems`);
    assert(/class\/none\.md could not be fetched: 404/.test(await page.textContent(`${r} .ms-link-problems`)), 'the failed fetch is named');
  });

  test('class mode: presenter mode by its switch and Alt+Shift+P; the progress page after two lessons; resets confirmed', async (page, url) => {
    await page.route('**/class/vrfy.md', (route) => route.fulfill({ body: OWN_LESSON, contentType: 'text/markdown' }));
    await page.goto(`${url}#lesson-url=class/vrfy.md`);
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    for (let i = 1; i <= 2; i++) {
      await page.click(`${r} .ms-lesson-steps .ms-step-current .ms-show`);
      await page.waitForFunction(([root, n]) => document.querySelectorAll(`${root} .ms-step-done`).length === n, [r, i], { timeout: 15000 });
    }
    // A second lesson, from a file: one step, done by typing.
    await page.click(`${r} .ms-back`);
    const second = OWN_LESSON.replace('id: my-first-vrfy', 'id: my-second').replace('title: Ask about alice', 'title: Just connect')
      .replace(/## Ask[\s\S]*$/, '');
    await page.setInputFiles(`${r} .ms-own-lesson input[type=file]`, { name: 'second.md', mimeType: 'text/markdown', buffer: Buffer.from(second) });
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    await h.say(page, r, 'telnet mail.example.com 25', /^220 /);
    await page.waitForSelector(`${r} .ms-step-done`);
    await page.click(`${r} .ms-back`);
    await page.click(`${r} .ms-report`);
    await page.waitForSelector(`${r} .ms-report-page`);
    const lessons = await page.$$eval(`${r} .ms-report-lesson`, (els) => els.map((e) => e.textContent));
    assert(lessons.length === 2 && lessons[0].includes('Ask about alice') && lessons[0].includes('VRFY alice') && lessons[1].includes('Just connect'), lessons.join('\n'));
    assert(/Step 2: Ask \(done \d{4}-\d\d-\d\dT/.test(lessons[0]), lessons[0]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${r} .ms-report-json`)]);
    const report = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert(report.lessons.length === 2 && report.lessons[0].record.length === 2 && report.lessons[0].record[1].typed.includes('VRFY alice'), JSON.stringify(report));
    await page.screenshot({ path: `${shots}/progress.png`, fullPage: true });
    await axe(page, 'the progress page');
    // Presenter mode: the switch, and the keyboard shortcut back.
    await page.click(`${r} .ms-presenter-switch`);
    assert(await page.$(`${r} .ms-app.ms-presenter`), 'presenter mode is on');
    await page.screenshot({ path: `${shots}/presenter.png` });
    await axe(page, 'presenter mode');
    await page.focus(`${r} .ms-input`);
    await page.keyboard.press('Alt+Shift+KeyP');
    assert(!(await page.$(`${r} .ms-app.ms-presenter`)), 'Alt+Shift+P turns it off');
    await page.keyboard.press('Alt+Shift+KeyP');
    assert(await page.$(`${r} .ms-app.ms-presenter`), 'and on again');
    await page.keyboard.press('Alt+Shift+KeyP');
    // Reset all progress, confirmed: the record is empty.
    await page.click(`${r} .ms-back`);
    await page.click(`${r} .ms-reset-all`);
    assert(page.dialogs.some((d) => d.includes('Reset the progress of every lesson')), page.dialogs.join(' | '));
    await page.click(`${r} .ms-report`);
    assert((await page.textContent(`${r} .ms-report-page`)).includes('No step done yet.'), 'the record is reset');
    // A fresh world, confirmed.
    await page.click(`${r} .ms-fresh-world`);
    assert(page.dialogs.some((d) => d.includes('Start a fresh world')), page.dialogs.join(' | '));
  });

  test('transcripts: bad input — 10 MB, binary, NULs, a 1 MB line, a link too long — gets a clear message, never a freeze', async (page, url) => {
    await page.goto(url);
    await explorer(page);
    // Set the text box's value in the page (Playwright's fill types too slowly for megabytes).
    const paste = async (text) => {
      await page.evaluate(([root, t]) => {
        const el = document.querySelector(`${root} .ms-explorer textarea`);
        el.value = t;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, [r, text]);
      await page.click(`${r} .ms-explorer .ms-primary`);
      await page.waitForSelector(`${r} .ms-tx-read, ${r} .ms-tx-error`);
      return page.textContent(`${r} .ms-tx-result`);
    };
    // 10 MB, opened as a file: explained from the file (a text box of megabytes is the browser's own slowness).
    const line = 'C: NOOP\nS: 250 2.0.0 Ok\n';
    const big = 'S: 220 mail.example.com ESMTP Postfix\n' + line.repeat(Math.ceil(10e6 / line.length));
    await page.setInputFiles(`${r} .ms-explorer input[type=file]`, { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.from(big) }, { timeout: 60000 });
    await page.waitForSelector(`${r} .ms-tx-read`, { timeout: 30000 });
    let shown = await page.textContent(`${r} .ms-explorer`);
    assert(shown.includes('A file of 10.0 MB is loaded') && shown.includes('Note: only the first 2 MB were read') && shown.includes('Only the first 400 steps are shown'), shown.slice(0, 600));
    assert((await page.inputValue(`${r} .ms-explorer textarea`)) === '', 'the box is left empty');
    shown = await paste('\u0000\u0001\u0002\u0003binary\u0004\u0005'.repeat(200));
    assert(/binary data/.test(shown), shown);
    // A 1 MB line, opened as a file too.
    await page.setInputFiles(`${r} .ms-explorer input[type=file]`, { name: 'long.txt', mimeType: 'text/plain',
      buffer: Buffer.from('S: 220 mail.example.com ESMTP Postfix\nC: EHLO ' + 'x'.repeat(1 << 20) + '\nS: 250 ok\n') });
    await page.waitForFunction((root) => document.querySelector(`${root} .ms-tx-result`)?.textContent.includes('lines longer'), r);
    shown = await page.textContent(`${r} .ms-tx-result`);
    assert(shown.includes('lines longer than 4096 characters were cut'), shown.slice(0, 300));
    shown = await paste('hello\nthis is not a mail session\n');
    assert(/No mail protocol found/.test(shown), shown);
    // Too long for a link: the explorer says so and offers the file.
    let x = 1;
    const noise = Array.from({ length: 2000 }, () => { x = (x * 1103515245 + 12345) % 2147483648; return `C: NOOP ${x.toString(36)}\nS: 250 2.0.0 Ok`; }).join('\n');
    await paste(`S: 220 mail.example.com ESMTP Postfix\n${noise}\n`);
    await page.click(`${r} .ms-explorer button:has-text("Copy a share link")`);
    const err = await page.textContent(`${r} .ms-explorer .ms-tx-error`);
    assert(/over the 8000 a link may have: export the file/.test(err), err);
  });

  test('teachers: record a sandbox session, build a lesson, check it with the CLI, load it back and complete it', async (page, url) => {
    await page.goto(url);
    await waitLine(page, r, /Type `help` for commands/);
    await page.click(`${r} .ms-record`);
    await h.say(page, r, 'telnet mail.example.com 25', /^220 /);
    await h.say(page, r, 'EHLO client.example.net', /^250 /);
    await h.say(page, r, 'VRFY bob', /^252 /);
    await h.say(page, r, 'QUIT', /^221 /);
    assert(/Recording: 4 lines/.test(await page.textContent(`${r} .ms-recording`)), 'four lines recorded');
    await page.click(`${r} .ms-record-stop`);
    const text = await page.inputValue(`${r} .ms-proposal`);
    assert(/^---\nid: my-lesson/.test(text) && (text.match(/^## /gm) ?? []).length === 4 && text.includes('VRFY bob'), text);
    await page.click(`${r} .ms-proposal-check`);
    assert(/OK: 4 steps/.test(await page.textContent(`${r} .ms-builder-ok`)), 'the page checks it');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${r} .ms-proposal-download`)]);
    assert(download.suggestedFilename() === 'my-lesson.md', download.suggestedFilename());
    const file = await download.path();
    // The same file, checked by the command-line checker teachers use.
    const cli = spawnSync('cargo', ['run', '--quiet', '--locked', '--', 'lesson', 'check', file], { encoding: 'utf8' });
    assert(cli.status === 0 && /^OK .*: 4 steps/m.test(cli.stdout), `mailsim lesson check: ${cli.status}\n${cli.stdout}${cli.stderr}`);
    // Shared by link: the lesson travels in the link's # part and opens from it.
    await page.click(`${r} .ms-proposal-share`);
    const shared = await page.inputValue(`${r} .ms-proposal-link`);
    assert(/#l=[A-Za-z0-9_-]+$/.test(shared), shared);
    await axe(page, 'the lesson builder');
    await page.screenshot({ path: `${shots}/builder.png`, fullPage: true });
    // Loaded back and completed with Show me.
    await page.click(`${r} .ms-proposal-open`);
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    for (let i = 1; i <= 4; i++) {
      await page.click(`${r} .ms-lesson-steps .ms-step-current .ms-show`);
      await page.waitForFunction(([root, n]) => document.querySelectorAll(`${root} .ms-step-done`).length === n, [r, i], { timeout: 15000 });
    }
    await page.goto('about:blank');
    await page.goto(shared);
    await page.waitForSelector(`${r} .ms-lesson-steps`);
    assert((await page.textContent(`${r} [id$=lessons-h]`)).includes('My lesson'), 'the shared link opens the lesson');
  });

  test('teachers: a lesson recorded in a set-up world carries it: the scenario loaded and the fault switched on', async (page, url) => {
    await page.goto(`${url}#scenario=${pack('user: eve@example.com evepw\n')}`);
    await waitLine(page, r, /Type `help` for commands/);
    await page.click(`${r} .ms-record`);
    // Greylisting switched on in the mail client while recording.
    await page.check(`${r} .ms-compose > fieldset input[type=checkbox] >> nth=0`);
    await h.say(page, r, 'swaks --to carol@example.org --from eve@example.com --server mail.example.com:587 --tls --auth-user eve --auth-password evepw', /queued as/);
    await h.say(page, r, 'mailq', /Request/);
    await page.click(`${r} .ms-record-stop`);
    const text = await page.inputValue(`${r} .ms-proposal`);
    assert(/\ncovers:\nfaults: greylisting\n---\n/.test(text), `the fault is in the front matter:\n${text}`);
    assert(text.includes('\n```scenario\nuser: eve@example.com evepw\n```\n'), `the scenario is in the introduction:\n${text}`);
    assert(text.includes('-- 1 Kbytes in 1 Request.'), `replayed in that world, the message waits in the queue:\n${text}`);
    await page.click(`${r} .ms-proposal-check`);
    assert(/OK: 2 steps/.test(await page.textContent(`${r} .ms-builder-ok`)), 'it checks: eve exists and greylisting holds the message in the replay');
    // Edited, the proposal is no longer what was checked: the verdict goes, and a new check reads the edit.
    await page.locator(`${r} .ms-proposal`).fill(text.replace('faults: greylisting\n', 'faults: gremlins\n'));
    await page.waitForSelector(`${r} .ms-builder-ok`, { state: 'detached' });
    // The app renders again (a line typed in the terminal): the edit stays.
    await h.say(page, r, 'hosts', /mail\.example\.com/);
    assert((await page.inputValue(`${r} .ms-proposal`)).includes('faults: gremlins'), 'the edit survives a render');
    await page.click(`${r} .ms-proposal-check`);
    const problems = await page.textContent(`${r} .ms-lesson-errors`);
    assert(/line \d+: unknown fault 'gremlins'/.test(problems), `the edited text is what is checked: ${problems}`);
  });

  test('teachers: a scenario by link sets the world up (a new user logs in, a school\'s own server answers); a broken one names its line', async (page, url) => {
    await page.goto(`${url}#scenario=${pack('# a new colleague\nuser: eve@example.com evepw\nhost: mail.school.test 192.0.2.80\ndomain: school.test mail.school.test\n')}`);
    await waitLine(page, r, /Type `help` for commands/);
    await h.say(page, r, 'dig +short MX school.test', /^10 mail\.school\.test\.$/);
    await h.say(page, r, 'telnet mail.school.test 25', /^220 mail\.school\.test ESMTP Postfix$/);
    await h.say(page, r, 'QUIT', /^221 /);
    await h.say(page, r, 'telnet mail.example.com 110', /^\+OK/);
    await h.say(page, r, 'USER eve', /^\+OK/);
    await h.say(page, r, 'PASS evepw', /^\+OK Logged in/);
    await page.goto('about:blank');
    await page.goto(`${url}#scenario=${pack('user: eve@example.com evepw\nfly: away\n')}`);
    await page.waitForSelector(`${r} .ms-link-problems`);
    const problems = await page.textContent(`${r} .ms-link-problems`);
    assert(/scenario: line 2/.test(problems), problems);
    // The same from a file on the lessons menu.
    await page.setInputFiles(`${r} .ms-own-lesson input[type=file] >> nth=1`, { name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from('clock: yesterday\n') });
    await page.waitForSelector(`${r} .ms-lesson-errors`);
    assert(/line 1/.test(await page.textContent(`${r} .ms-lesson-errors`)), 'a scenario file\'s error with its line');
    await page.click(`${r} .ms-lang button >> text=RU`);
    const ru = await page.textContent(`${r} .ms-lesson-errors`);
    assert(/строка 1: 'yesterday' — не время/.test(ru), `the scenario file's error in Russian: ${ru}`);
    await page.click(`${r} .ms-lang button >> text=EN`);
  });
}
