//! The terminal: an output log and an input line driving a [`Shell`].
//!
//! Everything shown is text nodes (Yew escapes them): nothing typed or sent
//! by a server can become HTML. The log is an ARIA live region so screen
//! readers announce replies as they arrive.

use super::explain::{tone_class, Explained};
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
    /// Called with the latest explained server line, and with a line whose
    /// code the learner clicks, so the app can show what it means.
    #[prop_or_default]
    pub on_reply: Callback<Explained>,
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
    Explain(Explained),
    /// The next character of a line being typed for the learner.
    TypeTick,
}

/// The explanation of the newest server line that has one.
fn last_reply(lines: &[TermLine]) -> Option<Explained> {
    lines.iter().rev().find_map(|l| {
        let e = l.reading.as_ref()?.explanation.clone()?;
        Some(Explained { line: l.text.clone(), explanation: e })
    })
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

/// CSS class for a line: its kind, and for server lines the tone its protocol's grammar gives it.
fn line_class(line: &TermLine) -> Classes {
    let kind = match line.kind {
        LineKind::Command => "ms-cmd",
        LineKind::Client => "ms-client",
        LineKind::Output => "ms-out",
        LineKind::Error => "ms-err",
        LineKind::Server => "ms-server",
    };
    classes!("ms-line", kind, line.reading.as_ref().map(|r| tone_class(r.tone)))
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
        if let Some(reply) = reply {
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
        let badge = l.reading.as_ref().and_then(|r| {
            let (a, b) = r.badge?;
            let e = r.explanation.clone()?;
            Some((l.text.get(..a)?, l.text.get(a..b)?, l.text.get(b..)?, e))
        });
        match badge {
            Some((before, code, after, explanation)) => {
                let explained = Explained { line: l.text.clone(), explanation };
                let onclick = ctx.link().callback(move |e: MouseEvent| {
                    e.stop_propagation();
                    Msg::Explain(explained.clone())
                });
                html! {
                    <div class={line_class(l)}>
                        { before }
                        <button type="button" class="ms-code" tabindex="-1" title={ctx.props().lang.t(Key::WhatDoesReplyMean)} {onclick}>{ code }</button>
                        { after }
                    </div>
                }
            }
            None => html! { <div class={line_class(l)}>{ &l.text }</div> },
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
            Msg::Explain(explained) => {
                ctx.props().on_reply.emit(explained);
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
