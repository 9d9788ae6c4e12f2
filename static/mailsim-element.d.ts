// Types for static/mailsim-element.js: the <mail-sim> element, its options and
// the mount() API. docs/embedding.md describes each option and event.

/** What an embed shows. `terminal` loads the small build (pkg/mailsim_embed); the others the app's (pkg/mailsim). */
export type MailsimMode = 'full' | 'terminal' | 'lesson' | 'journey' | 'transcript';

/** The options of mount(); as attributes of <mail-sim> they are written in kebab-case (`lesson-url`, `font-size`). */
export interface MailsimOptions {
  /** Default `terminal`. */
  mode?: MailsimMode;
  /** A lesson id (`lessons/<lang>/*.md`'s `id:`) and its 1-based step. */
  lesson?: string;
  step?: number | string;
  /** `en` or `ru`; by default the nearest `lang` attribute of the page, then the browser's. */
  lang?: 'en' | 'ru';
  /** Connect the terminal there at start: `mail.example.com`, `587`. */
  host?: string;
  port?: number | string;
  /** Lines to play (one command a line; `#pause` stops until the reader presses play). */
  script?: string;
  /** A URL (http(s) or relative, at most 1 MiB) to fetch the lines from; the attribute `script` is this. */
  scriptUrl?: string;
  /** Type the script at once. */
  autoplay?: boolean;
  /** Typing speed: 1 is a person's, up to 16. */
  speed?: number | string;
  /** Faults to switch on, comma-separated: `greylisting,spam-filter`. */
  faults?: string;
  /** The world's seed (queue ids). */
  seed?: number | string;
  /** A lesson file to fetch and open (http(s) or relative). */
  lessonUrl?: string;
  /** `auto` (default) follows prefers-color-scheme. */
  theme?: 'light' | 'dark' | 'auto';
  /** A CSS length (px, em, rem, vh, svh, dvh, %) or `auto`; the default depends on the mode. */
  height?: string;
  /** In px, e.g. `18px` (default 16px). */
  fontSize?: string;
  /** Where lesson progress is saved in localStorage (lesson and full modes). */
  storageKey?: string;
  /** Start only once scrolled into view (what <mail-sim> does unless it has `eager`). */
  lazy?: boolean;
}

/** `detail` of each event, dispatched on the element (they bubble and are composed). */
export interface MailsimEventMap {
  'mailsim-ready': { mode: MailsimMode };
  'mailsim-reply': {
    /** The line entered. */
    command: string;
    /** The reply's code or status as written: `250`, `+OK`, `OK`, `NO`. */
    code: string;
    /** The enhanced status code (RFC 3463), or null. */
    enhanced: string | null;
    /** The server's lines, joined by `\n`. */
    text: string;
    protocol: 'SMTP' | 'LMTP' | 'POP3' | 'IMAP';
  };
  'mailsim-step-complete': { lesson: string; step: number; title: string };
  'mailsim-lesson-complete': { lesson: string; title: string };
  'mailsim-script-end': Record<string, never>;
}

export type MailsimEventName = keyof MailsimEventMap;

/** What mount() returns. The methods may be called at once: they wait for `ready`. */
export interface MailsimHandle {
  readonly ready: Promise<MailsimHandle>;
  readonly element: HTMLElement;
  /** Types a line at the script's speed, then enters it. */
  type(line: string): void;
  /** Enters lines at once, in order. */
  run(lines: Iterable<string>): void;
  play(): void;
  pause(): void;
  /** A fresh world, the screen cleared, the script at its start. */
  reset(): void;
  /** Listens to an event; returns a function that stops listening. */
  on<K extends MailsimEventName>(event: K, callback: (detail: MailsimEventMap[K], event: CustomEvent<MailsimEventMap[K]>) => void): () => void;
  /** New options: theme, height, font size and language change in place; anything else starts the instance over. */
  update(options: MailsimOptions): void;
  destroy(): void;
}

/** Mounts mailsim into `element`, in a shadow root of its own. */
export function mount(element: HTMLElement, options?: MailsimOptions): MailsimHandle;

export const EVENTS: readonly MailsimEventName[];
export const MODES: readonly MailsimMode[];
/** The widths, in the element's own rem, at which its layout changes; it lists those it is narrower than in its `data-ms-under` attribute (e.g. `"60 36"`). */
export const BREAKPOINTS: readonly number[];

export class MailSimElement extends HTMLElement {
  static readonly observedAttributes: readonly string[];
  readonly ready: Promise<MailsimHandle>;
  type(line: string): void;
  run(lines: Iterable<string>): void;
  play(): void;
  pause(): void;
  reset(): void;
  on<K extends MailsimEventName>(event: K, callback: (detail: MailsimEventMap[K], event: CustomEvent<MailsimEventMap[K]>) => void): () => void;
}

declare global {
  interface HTMLElementTagNameMap {
    'mail-sim': MailSimElement;
  }
  interface HTMLElementEventMap {
    'mailsim-ready': CustomEvent<MailsimEventMap['mailsim-ready']>;
    'mailsim-reply': CustomEvent<MailsimEventMap['mailsim-reply']>;
    'mailsim-step-complete': CustomEvent<MailsimEventMap['mailsim-step-complete']>;
    'mailsim-lesson-complete': CustomEvent<MailsimEventMap['mailsim-lesson-complete']>;
    'mailsim-script-end': CustomEvent<MailsimEventMap['mailsim-script-end']>;
  }
}
