//! The terminal: an output log and an input line driving a [`Shell`].
//!
//! Everything shown is text nodes (Yew escapes them): nothing typed or sent
//! by a server can become HTML. The log is an ARIA live region so screen
//! readers announce replies as they arrive.

use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::shell::{LineKind, TermLine};
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Most lines kept on screen; older ones scroll away (bounded memory).
const MAX_LINES: usize = 2000;
/// Most history entries kept.
const MAX_HISTORY: usize = 200;

#[derive(Properties, PartialEq, Clone)]
pub struct TerminalProps {
    /// The shell (and its world) this terminal drives, shared with the app.
    pub shell: SharedShell,
    /// A command to put in the input line (from the cheat sheet); the number
    /// changes on every request so the same command can be inserted twice.
    #[prop_or_default]
    pub insert: Option<(u32, String)>,
    /// A line to type into the terminal key by key and then enter ("Show
    /// me"); the number changes on every request.
    #[prop_or_default]
    pub type_line: Option<(u32, String)>,
    /// Called with the lines of the latest server reply, and with a reply
    /// line the learner clicks, so the app can explain it.
    #[prop_or_default]
    pub on_reply: Callback<Vec<String>>,
    /// Called after every input, so views of the world can refresh.
    #[prop_or_default]
    pub on_input: Callback<()>,
    /// The language of the terminal's labels (what the shell prints is the
    /// simulated machine's, in English).
    #[prop_or_default]
    pub lang: Lang,
}

pub enum Msg {
    Key(KeyboardEvent),
    FocusInput,
    /// A reply code in the log was clicked.
    Explain(String),
    /// The next character of a line being typed for the learner.
    TypeTick,
}

/// The lines of the last server reply among `lines` (a run of server lines
/// ending in `NNN text`).
fn last_reply(lines: &[TermLine]) -> Vec<String> {
    let Some(end) = lines.iter().rposition(|l| l.kind == LineKind::Server) else { return Vec::new() };
    let mut start = end;
    while start > 0
        && lines[start - 1].kind == LineKind::Server
        && lines[start - 1].text.as_bytes().get(3) == Some(&b'-')
    {
        start -= 1;
    }
    lines[start..=end].iter().map(|l| l.text.clone()).collect()
}

/// Splits a server line into its reply code (`250`, `+OK`, `-ERR`) and the rest, if it has one.
fn split_code(text: &str) -> Option<(&str, &str)> {
    if let Some(rest) = text.strip_prefix("+OK") {
        return Some(("+OK", rest));
    }
    if let Some(rest) = text.strip_prefix("-ERR") {
        return Some(("-ERR", rest));
    }
    let code = text.get(..3).filter(|c| c.bytes().all(|b| b.is_ascii_digit()))?;
    Some((code, &text[3..]))
}

pub struct Terminal {
    lines: Vec<TermLine>,
    history: Vec<String>,
    /// Position while browsing history with Up/Down; `None` when editing.
    history_pos: Option<usize>,
    /// What was typed before browsing history began.
    draft: String,
    input_ref: NodeRef,
    log_ref: NodeRef,
    /// A line being typed for the learner: its characters, how many are shown.
    typing: Option<(Vec<char>, usize, gloo::timers::callback::Interval)>,
}

/// Milliseconds per typed character ("Show me").
const TYPE_MS: u32 = 45;

/// The status of a tagged IMAP response line (`a1 OK …` → `OK`).
fn imap_status(text: &str) -> Option<&str> {
    let mut w = text.splitn(3, ' ');
    let tag = w.next()?;
    let status = w.next()?;
    let tagged = !tag.is_empty() && tag != "*" && tag != "+" && !tag.bytes().all(|b| b.is_ascii_digit());
    (tagged && matches!(status, "OK" | "NO" | "BAD")).then_some(status)
}

/// CSS class for a line: its kind, and for server lines the reply class.
fn line_class(line: &TermLine) -> &'static str {
    match line.kind {
        LineKind::Command => "ms-line ms-cmd",
        LineKind::Client => "ms-line ms-client",
        LineKind::Output => "ms-line ms-out",
        LineKind::Error => "ms-line ms-err",
        LineKind::Server if imap_status(&line.text) == Some("OK") => "ms-line ms-server ms-r2",
        LineKind::Server if imap_status(&line.text) == Some("NO") => "ms-line ms-server ms-r4",
        LineKind::Server if imap_status(&line.text) == Some("BAD") => "ms-line ms-server ms-r5",
        LineKind::Server if line.text.starts_with("+OK") => "ms-line ms-server ms-r2",
        LineKind::Server if line.text.starts_with("-ERR") => "ms-line ms-server ms-r5",
        LineKind::Server => match line.text.as_bytes().first() {
            Some(b'2') => "ms-line ms-server ms-r2",
            Some(b'3') => "ms-line ms-server ms-r3",
            Some(b'4') => "ms-line ms-server ms-r4",
            Some(b'5') => "ms-line ms-server ms-r5",
            _ => "ms-line ms-server",
        },
    }
}

impl Terminal {
    fn input(&self) -> Option<HtmlInputElement> {
        self.input_ref.cast::<HtmlInputElement>()
    }

    fn push(&mut self, lines: Vec<TermLine>) {
        self.lines.extend(lines);
        if self.lines.len() > MAX_LINES {
            let drop = self.lines.len() - MAX_LINES;
            self.lines.drain(..drop);
        }
    }

    fn submit(&mut self, ctx: &Context<Self>) {
        let Some(input) = self.input() else { return };
        let line = input.value();
        input.set_value("");
        self.history_pos = None;
        if !line.trim().is_empty() && self.history.last() != Some(&line) {
            self.history.push(line.clone());
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let out = {
            let mut shell = ctx.props().shell.borrow_mut();
            // The simulated clock follows the wall clock, never backwards (the
            // learner may have moved it ahead to see retries).
            shell.world_mut().tick(now);
            shell.input(&line)
        };
        if out.clear {
            self.lines.clear();
        }
        let reply = last_reply(&out.lines);
        self.push(out.lines);
        if !reply.is_empty() {
            ctx.props().on_reply.emit(reply);
        }
        ctx.props().on_input.emit(());
    }

    /// Up (`back = true`) and Down through the history.
    fn browse(&mut self, back: bool) {
        let Some(input) = self.input() else { return };
        if self.history.is_empty() {
            return;
        }
        let pos = match (self.history_pos, back) {
            (None, true) => {
                self.draft = input.value();
                Some(self.history.len() - 1)
            }
            (None, false) => None,
            (Some(0), true) => Some(0),
            (Some(p), true) => Some(p - 1),
            (Some(p), false) if p + 1 < self.history.len() => Some(p + 1),
            (Some(_), false) => None,
        };
        self.history_pos = pos;
        let value = pos.map_or_else(|| self.draft.clone(), |p| self.history[p].clone());
        input.set_value(&value);
        let end = value.len() as u32;
        let _ = input.set_selection_range(end, end);
    }
}

impl Terminal {
    /// One log line; a server reply's code is a button that explains it (by
    /// mouse; keyboard users get the latest reply explained automatically).
    fn view_line(&self, ctx: &Context<Self>, l: &TermLine) -> Html {
        match (l.kind, split_code(&l.text)) {
            (LineKind::Server, Some((code, rest))) => {
                let line = l.text.clone();
                let onclick = ctx.link().callback(move |e: MouseEvent| {
                    e.stop_propagation();
                    Msg::Explain(line.clone())
                });
                html! {
                    <div class={line_class(l)}>
                        <button type="button" class="ms-code" tabindex="-1" title={ctx.props().lang.t(Key::WhatDoesReplyMean)} {onclick}>{ code }</button>
                        { rest }
                    </div>
                }
            }
            _ => html! { <div class={line_class(l)}>{ &l.text }</div> },
        }
    }
}

impl Component for Terminal {
    type Message = Msg;
    type Properties = TerminalProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            lines: crate::shell::Shell::welcome(),
            history: Vec::new(),
            history_pos: None,
            draft: String::new(),
            input_ref: NodeRef::default(),
            log_ref: NodeRef::default(),
            typing: None,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        if ctx.props().type_line != old.type_line {
            if let Some((_, line)) = ctx.props().type_line.clone() {
                let reduced = web_sys::window()
                    .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
                    .is_some_and(|m| m.matches());
                if let Some(input) = self.input() {
                    input.set_value("");
                    let _ = input.focus();
                }
                let chars: Vec<char> = line.chars().collect();
                let start = if reduced { chars.len() } else { 0 };
                let link = ctx.link().clone();
                let timer = gloo::timers::callback::Interval::new(TYPE_MS, move || link.send_message(Msg::TypeTick));
                self.typing = Some((chars, start, timer));
            }
        }
        if ctx.props().insert != old.insert {
            if let (Some((_, text)), Some(input)) = (&ctx.props().insert, self.input()) {
                input.set_value(text);
                let _ = input.focus();
            }
        }
        false
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Explain(line) => {
                ctx.props().on_reply.emit(vec![line]);
                false
            }
            Msg::TypeTick => {
                let Some((chars, shown, _)) = self.typing.as_mut() else { return false };
                if *shown < chars.len() {
                    *shown += 1;
                    let text: String = chars[..*shown].iter().collect();
                    if let Some(input) = self.input() {
                        input.set_value(&text);
                    }
                    false
                } else {
                    // Typed: press Enter for the learner.
                    self.typing = None;
                    self.submit(ctx);
                    true
                }
            }
            Msg::FocusInput => {
                // Don't steal a text selection the learner is making.
                let selecting =
                    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed());
                if !selecting {
                    if let Some(i) = self.input() {
                        let _ = i.focus();
                    }
                }
                false
            }
            Msg::Key(e) => match (e.key().as_str(), e.ctrl_key()) {
                ("Enter", _) => {
                    e.prevent_default();
                    self.submit(ctx);
                    true
                }
                ("ArrowUp", false) | ("ArrowDown", false) => {
                    e.prevent_default();
                    self.browse(e.key() == "ArrowUp");
                    true
                }
                ("l", true) | ("L", true) => {
                    e.prevent_default();
                    self.lines.clear();
                    true
                }
                ("]", true) => {
                    e.prevent_default();
                    let out = ctx.props().shell.borrow_mut().escape();
                    self.push(out.lines);
                    true
                }
                _ => false,
            },
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if let Some(log) = self.log_ref.cast::<HtmlElement>() {
            log.set_scroll_top(log.scroll_height());
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let onkeydown = link.callback(Msg::Key);
        let onclick = link.callback(|_: MouseEvent| Msg::FocusInput);
        let lang = ctx.props().lang;
        let shell = ctx.props().shell.borrow();
        let prompt = shell.prompt();
        let (status, status_class) = match shell.connected_to() {
            Some(host) => (lang.f(Key::TerminalConnected, &[("host", host)]), "ms-status ms-online"),
            None => (lang.t(Key::TerminalNotConnected).to_string(), "ms-status"),
        };
        html! {
            <section class="ms-terminal" aria-label={lang.t(Key::Terminal)}>
                <div class="ms-titlebar">
                    <span class="ms-dots" aria-hidden="true"><i></i><i></i><i></i></span>
                    <span class="ms-title">{ "learner@client: ~" }</span>
                    <span class={status_class} role="status">{ status }</span>
                </div>
                <div class="ms-screen" ref={self.log_ref.clone()} {onclick}>
                    <div class="ms-log" role="log" aria-live="polite" aria-label={lang.t(Key::TerminalOutput)}>
                        { for self.lines.iter().map(|l| self.view_line(ctx, l)) }
                    </div>
                    <div class="ms-inputline">
                        <span class="ms-prompt" aria-hidden="true">{ prompt }</span>
                        <input
                            class="ms-input"
                            type="text"
                            ref={self.input_ref.clone()}
                            aria-label={lang.t(Key::TerminalInput)}
                            autocomplete="off"
                            autocapitalize="off"
                            spellcheck="false"
                            {onkeydown}
                        />
                    </div>
                </div>
            </section>
        }
    }
}
