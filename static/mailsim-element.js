// <mail-sim>: mailsim for documentation pages. Load it once per page,
//   <script type="module" src="…/static/mailsim-element.js"></script>
// and write <mail-sim mode="terminal" host="mail.example.com" port="587"></mail-sim>.
// It also exports mount(element, options) for pages that script it.
// docs/embedding.md lists the options, events and the API; the types are in
// mailsim-element.d.ts beside this file.
//
// Each element lives in its own shadow root: the page's CSS cannot reach in,
// and the element's cannot leak out. Elements start when they scroll into
// view; until then (and while the wasm loads) a placeholder of the final size
// holds their place, so nothing on the page moves. All elements of a page
// share one wasm instance per build: pkg/mailsim_embed (mode="terminal", the
// small one) or pkg/mailsim (every other mode).

const base = new URL('../', import.meta.url);
performance.mark('mailsim:element-script');

/** Default heights per mode (the placeholder's, so the page never moves). */
const HEIGHTS = { terminal: '460px', lesson: '640px', journey: '720px', transcript: '640px', full: '900px' };
const MODES = Object.keys(HEIGHTS);
/** Attributes that only restyle the element. */
const STYLE_ATTRS = ['theme', 'height', 'font-size'];
const ATTRS = ['mode', 'lesson', 'step', 'lang', 'host', 'port', 'script', 'autoplay', 'speed', 'faults', 'seed',
  'lesson-url', 'storage-key', ...STYLE_ATTRS];
const EVENTS = ['mailsim-ready', 'mailsim-reply', 'mailsim-step-complete', 'mailsim-lesson-complete', 'mailsim-script-end'];
/** The widths (in the element's rem) its layout changes at: static/mailsim.css's max-width queries. */
const BREAKPOINTS = [60, 36, 30];
/** Milliseconds before a still-loading element says so. */
const PLACEHOLDER_DELAY = 400;
/** The longest script fetched by URL. */
const MAX_SCRIPT = 1 << 20;

// ---- the wasm builds, each loaded once --------------------------------------
// Everything a build needs is asked for at once, side by side: its JS glue (a dynamic import,
// so this module runs without waiting for it), its wasm, compiled while it streams in (not
// after the glue has come), and for the small build its reply prose. The glue then only
// instantiates the compiled module.
const builds = {};

/** The wasm of a build, compiled as it downloads (where the server says application/wasm). */
async function compile(name) {
  const r = await fetch(new URL(`pkg/${name}_bg.wasm`, base), { priority: 'high' });
  if (!r.ok) throw new Error(`pkg/${name}_bg.wasm: ${r.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/.test(r.headers.get('content-type') ?? '')) {
    return WebAssembly.compileStreaming(r);
  }
  return WebAssembly.compile(await r.arrayBuffer());
}

function build(mode) {
  const name = mode === 'terminal' ? 'mailsim_embed' : 'mailsim';
  builds[name] ??= (async () => {
    // The small build's reply explanations are data (static/reply-prose.json);
    // without them an explanation still shows its code, enhanced code and RFC.
    const prose = name === 'mailsim_embed'
      ? fetch(new URL('static/reply-prose.json', base), { priority: 'low' }).then((r) => (r.ok ? r.json() : null)).catch(() => null)
      : null;
    const module = compile(name);
    module.catch(() => {}); // reported below, by the await
    const m = await import(new URL(`pkg/${name}.js`, base).href);
    await m.default({ module_or_path: await module });
    performance.mark(`mailsim:${name}-ready`);
    const rows = await prose;
    if (rows) m.set_reply_prose(rows);
    return m;
  })();
  return builds[name];
}

const sheets = {};
// A page with a terminal element: fetch and compile the small build and its sheet now, first
// thing (before the rest of this module runs and the elements are defined), so the first
// terminal is ready sooner. The app's larger build is fetched only when an element needs it.
if (document.querySelector('mail-sim:not([mode]), mail-sim[mode="terminal"]')) {
  build('terminal').catch(() => {}); // an element that starts reports the failure
  stylesheet('terminal').catch(() => {});
}

// ---- the stylesheet, read once and shared by every shadow root ----------------
// static/mailsim-shadow.css is static/mailsim.css made for a shadow root, at build time
// (scripts/shadow-css.mjs): `:root` is `:host`, `rem` the element's own font size, the dark
// scheme follows the `theme` option, and each colour variable can be set from outside as
// --mailsim-<name> (--mailsim-bg, --mailsim-fg, --mailsim-accent, …). HOST_CSS is the element's own.
const HOST_CSS = `
:host { display: block !important; position: relative !important; box-sizing: border-box !important;
  height: var(--ms-height) !important; overflow: hidden !important; contain: layout paint !important;
  font-size: var(--mailsim-font-size, 16px) !important; line-height: 1.45 !important; text-align: start !important;
  color: var(--mailsim-fg, #1c2430) !important; font-style: normal !important; font-weight: 400 !important;
  letter-spacing: normal !important; text-transform: none !important; visibility: visible !important;
  border-radius: 10px; color-scheme: light dark; }
:host([hidden]) { display: none !important; }
:host([data-ms-theme="light"]) { color-scheme: light; }
:host([data-ms-theme="dark"]) { color-scheme: dark; }
:host([data-ms-height="auto"]) { height: auto !important; min-height: var(--ms-placeholder-height) !important; }
.ms-frame { height: 100%; overflow: auto; background: var(--ms-bg); border-radius: inherit; }
.ms-frame > .mailsim { min-height: 100%; padding: calc(0.75 * var(--ms-rem)); }
.mailsim { --ms-rem: var(--mailsim-font-size, 16px); font-size: var(--ms-rem); background: var(--ms-bg); }
.ms-placeholder { box-sizing: border-box; height: 100%; display: flex; flex-direction: column; gap: .6em;
  align-items: center; justify-content: center; font: 15px/1.4 system-ui, sans-serif; color: #8391a7;
  background: #0f1420; border-radius: inherit; }
.ms-placeholder b { color: #d6deeb; font: 600 16px ui-monospace, monospace; }
.ms-frame[hidden], .ms-placeholder[hidden] { display: none; }
.ms-warm { position: absolute; inset: 0; visibility: hidden; pointer-events: none; overflow: hidden; }
.ms-placeholder:not([data-words]) > * { display: none; }
:host([data-ms-mode="terminal"]) .ms-frame > .mailsim { height: 100%; }
:host .mailsim .ms-embed-terminal { display: flex; flex-direction: column; gap: calc(0.6 * var(--ms-rem)); height: 100%; }
:host .mailsim .ms-embed-terminal .ms-terminal { flex: 1 1 auto; min-height: calc(9 * var(--ms-rem)); display: flex; flex-direction: column; }
:host .mailsim .ms-embed-terminal .ms-screen { flex: 1 1 auto; height: auto; min-height: 0; max-height: none;
  display: flex; flex-direction: column; overflow: hidden; }
/* In a box of fixed size nothing may move as lines come (no layout shift): the log
   scrolls above an input line that stays at the bottom, and the title bar's parts
   keep their places whether connected or not. */
:host .mailsim .ms-embed-terminal .ms-log { flex: 1 1 auto; min-height: 0; overflow-y: auto; }
:host .mailsim .ms-embed-terminal .ms-inputline { flex: none; position: relative; }
/* The input spans the line whatever the prompt (\`learner@client:~$ \`, none in telnet):
   the prompt lies over its indent, so the input never moves. */
:host .mailsim .ms-embed-terminal .ms-prompt { position: absolute; inset-inline-start: 0; pointer-events: none; }
:host .mailsim .ms-embed-terminal .ms-input { text-indent: var(--ms-prompt-ch, 0); }
:host .mailsim .ms-embed-terminal .ms-title { text-align: start; }
:host .mailsim .ms-embed-terminal .ms-status { flex: 0 1 17em; text-align: start; }
:host .mailsim .ms-embed-terminal .ms-explain { flex: 0 0 auto; height: calc(8.5 * var(--ms-rem)); overflow: auto; margin: 0; }
/* A fixed height: a longer explanation scrolls in it and moves nothing (no layout shift). */
:host .mailsim .ms-link-problems[hidden], :host .mailsim .ms-player-wrap[hidden] { display: none; }
:host .mailsim .ms-embed-terminal .ms-explain h2 { font-size: 1em; margin: 0 0 0.3em; }
:host .mailsim .ms-embed-terminal .ms-explain p { margin: 0.2em 0; }
/* A narrow element (a phone, a sidebar; data-ms-under, set from its width by a ResizeObserver):
   one row of title bar, a smaller explainer. (A container query did this and cost every page's
   first layout ~4 ms more; benches/tti.) */
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-titlebar { flex-wrap: nowrap; }
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-title, :host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-dots { display: none; }
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-status { flex: 1 1 0; min-width: 0; }
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-explain { height: calc(6 * var(--ms-rem)); }
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-player { gap: 0.3em; padding: 0.3em 0.4em; }
:host([data-ms-under~="36"]) .mailsim .ms-embed-terminal .ms-player-status { flex-basis: 100%; text-align: start; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;

/** A hidden copy of the terminal's frame (mode="terminal"), laid out while the wasm loads: the
 * browser's first layout of this markup and sheet costs it ~15 ms (style, text and font set-up)
 * that the reader's first command would otherwise wait for (benches/tti: ready 177 -> 162 ms).
 * Invisible, inert, out of the flow (nothing moves) and gone when the terminal mounts. A constant:
 * nothing of the page or the reader goes into it. */
const WARM = '<div class="mailsim"><div class="ms-app ms-embed ms-embed-terminal"><section class="ms-terminal">'
  + '<div class="ms-titlebar"><span class="ms-dots"><i></i><i></i><i></i></span><span class="ms-title">learner@client: ~</span>'
  + '<span class="ms-status">not connected</span><button type="button" disabled class="ms-disconnect ms-unseen"><kbd>^]</kbd> Disconnect</button></div>'
  + '<div class="ms-screen"><div class="ms-log"><div class="ms-line ms-out">mailsim: a simulated network with real mail servers.</div>'
  + '<div class="ms-line ms-cmd">help</div></div><div class="ms-inputline"><span class="ms-prompt">learner@client:~$ </span>'
  + '<input type="text" tabindex="-1"></div></div><p class="ms-term-notice"></p></section>'
  + '<section class="ms-explain"><h2>Last reply</h2><p class="ms-muted">Connect to a server.</p></section></div></div>';

/** The shadow roots' sheet for a mode: the terminal's own (the small build's classes only), or the app's. */
function stylesheet(mode) {
  const file = mode === 'terminal' ? 'static/mailsim-shadow-terminal.css' : 'static/mailsim-shadow.css';
  sheets[file] ??= fetch(new URL(file, base)).then((r) => {
    if (!r.ok) throw new Error(`${file}: ${r.status}`);
    return r.text();
  }).then((css) => {
    const s = new CSSStyleSheet();
    s.replaceSync(`${css}\n${HOST_CSS}`);
    performance.mark('mailsim:stylesheet-ready');
    return s;
  });
  return sheets[file];
}
// The placeholder's look, before the sheet has arrived.
const early = new CSSStyleSheet();
early.replaceSync(HOST_CSS);

// ---- options ----------------------------------------------------------------
const LENGTH = /^(\d+(\.\d+)?)(px|em|rem|vh|svh|dvh|%)$/;
const camel = (k) => k.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/** The options an element's attributes and text give (attribute names as JS properties). */
function elementOptions(el) {
  const o = {};
  for (const a of ATTRS) {
    if (!el.hasAttribute(a)) continue;
    const v = el.getAttribute(a);
    if (a === 'script') o.scriptUrl = v;
    else o[camel(a)] = a === 'autoplay' ? v !== 'false' : v;
  }
  // Inline lines: a <template> (inert, never shown), a <script type="text/plain">, or the text itself.
  const t = el.querySelector(':scope > template');
  const s = el.querySelector(':scope > script');
  const text = t ? t.content.textContent : s ? s.textContent : el.textContent;
  if (text && text.trim() && !o.scriptUrl) o.script = text;
  return o;
}

/** A URL a script may be fetched from: http(s) or relative, as lesson-url. */
function fetchable(u) {
  if (/[\s\u0000-\u001f]/.test(u) || u.length > 2048) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u);
  return !scheme || /^https?$/i.test(scheme[1]);
}

async function fetchScript(url) {
  if (!fetchable(url)) return { scriptProblem: `the script URL ${JSON.stringify(url.slice(0, 80))} is not http(s) or relative` };
  try {
    const r = await fetch(url);
    if (!r.ok) return { scriptProblem: `the script ${url} could not be fetched: ${r.status} ${r.statusText}` };
    const text = await r.text();
    if (text.length > MAX_SCRIPT) return { scriptProblem: `the script ${url} is over 1 MiB` };
    return { script: text };
  } catch (e) {
    return { scriptProblem: `the script ${url} could not be fetched (a network error, or refused by CORS)` };
  }
}

/** Options as mount() reads them: kebab-case names as camelCase, lists as comma-separated text. */
function normal(options) {
  const o = {};
  for (const [k, v] of Object.entries(options ?? {})) {
    if (v === undefined || v === null) continue;
    o[camel(k)] = Array.isArray(v) ? v.join(',') : v;
  }
  return o;
}

// ---- mount ------------------------------------------------------------------
let unnamed = 0;

/**
 * Mounts mailsim into `element` (in a shadow root of its own) and returns a
 * handle at once; its methods wait until the instance is ready.
 * `options.lazy`: start only once the element scrolls into view.
 */
export function mount(element, options = {}) {
  // Ids in the order of mounting (document order for elements), so an element's saved progress keeps its key.
  if (!element.id) element.id = `mailsim-${++unnamed}`;
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [early];
  const placeholder = document.createElement('div');
  placeholder.className = 'ms-placeholder';
  placeholder.setAttribute('role', 'status');
  const frame = document.createElement('div');
  frame.className = 'ms-frame';
  frame.hidden = true;
  root.replaceChildren(placeholder, frame);
  // The element's width, not the window's, picks its layout: data-ms-under lists the widths
  // (BREAKPOINTS, in the element's rem) it is narrower than, and the shadow sheets' width rules
  // ask it (scripts/shadow-css.mjs; HOST_CSS's compact terminal under 36). Set in the next frame's
  // animation callback, not in the observer's: a new layout there changes the height of an
  // element with height="auto" while the observer runs, which the browser reports to the page as
  // an error ("ResizeObserver loop completed with undelivered notifications").
  let width = null;
  let pending = 0;
  const narrow = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
    width = entries[entries.length - 1].contentRect.width;
    if (!pending) pending = requestAnimationFrame(applyWidth);
  }) : null;
  const applyWidth = () => {
    pending = 0;
    if (destroyed || width === null) return;
    const rem = parseFloat(getComputedStyle(element).fontSize) || 16;
    const under = BREAKPOINTS.filter((n) => width < n * rem).join(' ');
    if (under) {
      if (element.getAttribute('data-ms-under') !== under) element.setAttribute('data-ms-under', under);
    } else element.removeAttribute('data-ms-under');
  };
  narrow?.observe(element);
  // The placeholder's words show only if it is still loading after a moment: a quick start
  // shows none (no flash of "loading…"), and until then the page lays out an empty box
  // (its text, in fonts of its own, made the page's first layout cost ~20-40 ms more while
  // the wasm streamed in). The box itself, of the final size and colour, is there from the start.
  let later = null;
  const showPlaceholder = () => {
    placeholder.hidden = false;
    placeholder.removeAttribute('data-words');
    clearTimeout(later);
    later = setTimeout(() => { if (!wasm && !destroyed) placeholder.setAttribute('data-words', ''); }, PLACEHOLDER_DELAY);
  };
  showPlaceholder();

  let current = normal(options);
  let wasm = null; // the EmbedHandle
  let observer = null;
  let destroyed = false;
  let resolveReady;
  const queue = [];
  const listeners = [];
  const ready = new Promise((r) => { resolveReady = r; });

  const style = () => {
    const mode = MODES.includes(current.mode) ? current.mode : 'terminal';
    const h = String(current.height ?? '');
    const height = LENGTH.test(h) ? h : HEIGHTS[mode];
    element.style.setProperty('--ms-height', height);
    element.style.setProperty('--ms-placeholder-height', HEIGHTS[mode]);
    if (h === 'auto') element.setAttribute('data-ms-height', 'auto'); else element.removeAttribute('data-ms-height');
    const f = String(current.fontSize ?? '');
    if (/^\d+(\.\d+)?px$/.test(f)) element.style.setProperty('--mailsim-font-size', f);
    else element.style.removeProperty('--mailsim-font-size');
    element.setAttribute('data-ms-mode', mode);
    element.setAttribute('data-ms-theme', ['light', 'dark'].includes(current.theme) ? current.theme : 'auto');
    const b = document.createElement('b');
    b.textContent = `✉ mailsim · ${mode}`;
    const s = document.createElement('span');
    s.textContent = current.lazy && !loading ? 'starts when scrolled into view' : 'loading…';
    placeholder.replaceChildren(b, s);
  };
  let loading = false;

  const start = async () => {
    if (observer) { observer.disconnect(); observer = null; }
    loading = true;
    style();
    const mode = MODES.includes(current.mode) ? current.mode : 'terminal';
    // The terminal's sheet usually comes before the wasm: lay out the hidden copy with it meanwhile.
    let warm = null;
    if (mode === 'terminal') {
      stylesheet(mode).then((sheet) => {
        if (wasm || destroyed) return;
        root.adoptedStyleSheets = [sheet];
        warm = document.createElement('div');
        warm.className = 'ms-warm';
        warm.setAttribute('aria-hidden', 'true');
        warm.inert = true;
        warm.innerHTML = WARM;
        root.append(warm);
      }, () => {});
    }
    const fetched = current.scriptUrl ? await fetchScript(current.scriptUrl) : {};
    let m, s;
    try {
      [m, s] = await Promise.all([build(mode), stylesheet(mode)]);
    } catch (e) {
      placeholder.lastChild.textContent = `mailsim could not start: ${e.message ?? e}`;
      placeholder.setAttribute('data-words', '');
      console.error('mailsim could not start:', e);
      return;
    }
    if (destroyed) return;
    // Options changed while it loaded: the newest apply.
    const given = { ...current };
    root.adoptedStyleSheets = [s];
    const inner = document.createElement('div');
    frame.replaceChildren(inner);
    const o = { ...given, ...fetched };
    for (const k of ['lazy', 'height', 'fontSize', 'theme', 'scriptUrl']) delete o[k];
    wasm = m.mount_embed(inner, element, o);
    warm?.remove();
    performance.mark(`mailsim:mounted:${element.id}`);
    placeholder.hidden = true;
    frame.hidden = false;
    for (const f of queue.splice(0)) f();
    resolveReady(handle);
  };

  const whenReady = (f) => { if (wasm) f(); else queue.push(f); };

  const handle = {
    ready,
    element,
    type(line) { whenReady(() => wasm.type_line(String(line))); },
    run(lines) { whenReady(() => wasm.run([...lines].map(String))); },
    play() { whenReady(() => wasm.play()); },
    pause() { whenReady(() => wasm.pause()); },
    reset() { whenReady(() => wasm.reset()); },
    on(name, callback) {
      const f = (e) => callback(e.detail, e);
      element.addEventListener(name, f);
      listeners.push([name, f]);
      return () => element.removeEventListener(name, f);
    },
    /** New options: styles and the language change in place; anything else starts it over. */
    update(options) {
      const before = current;
      current = normal(options);
      style();
      if (!wasm) return;
      const changed = new Set([...Object.keys(before), ...Object.keys(current)]
        .filter((k) => String(before[k]) !== String(current[k])));
      for (const k of ['height', 'fontSize', 'theme', 'lazy']) changed.delete(k);
      if (changed.size === 1 && changed.has('lang')) { wasm.set_lang(String(current.lang)); return; }
      if (changed.size === 0) return;
      wasm.destroy();
      wasm = null;
      showPlaceholder();
      frame.hidden = true;
      start();
    },
    destroy() {
      destroyed = true;
      clearTimeout(later);
      if (observer) observer.disconnect();
      narrow?.disconnect();
      cancelAnimationFrame(pending);
      element.removeAttribute('data-ms-under');
      if (wasm) wasm.destroy();
      wasm = null;
      for (const [n, f] of listeners) element.removeEventListener(n, f);
      root.replaceChildren();
    },
  };

  style();
  // The observer reports at the next frame, in or out of view: no layout is forced here (a
  // getBoundingClientRect now cost the page its first layout, ~20 ms, while the wasm streamed in).
  if (current.lazy && 'IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) start();
    }, { rootMargin: '200px' });
    observer.observe(element);
  } else {
    start();
  }
  return handle;
}

// ---- the element --------------------------------------------------------------
export class MailSimElement extends HTMLElement {
  static observedAttributes = ATTRS;

  connectedCallback() {
    if (this._handle) return;
    this._handle = mount(this, { ...elementOptions(this), lazy: !this.hasAttribute('eager') });
  }

  disconnectedCallback() {
    // Moved, not removed, when it is back in the page by the next task.
    setTimeout(() => {
      if (!this.isConnected && this._handle) { this._handle.destroy(); this._handle = null; }
    });
  }

  attributeChangedCallback(name, old, value) {
    if (!this._handle || old === value) return;
    this._handle.update({ ...elementOptions(this), lazy: !this.hasAttribute('eager') });
  }

  get ready() { return this._handle ? this._handle.ready : Promise.reject(new Error('not in the page')); }
  type(line) { this._handle?.type(line); }
  run(lines) { this._handle?.run(lines); }
  play() { this._handle?.play(); }
  pause() { this._handle?.pause(); }
  reset() { this._handle?.reset(); }
  on(name, callback) { return this._handle ? this._handle.on(name, callback) : () => {}; }
}

export { BREAKPOINTS, EVENTS, MODES };

if (!customElements.get('mail-sim')) customElements.define('mail-sim', MailSimElement);
