//! The terminal: an output log and an input line driving a [`Shell`].
//!
//! Everything shown is text nodes (Yew escapes them): nothing typed, pasted
//! or sent by a server can become HTML. The log is an ARIA live region so
//! screen readers announce replies as they arrive.
//!
//! Keys are read in the DOM listener itself, synchronously: Yew runs a
//! component's `update` later (in a microtask), so a line read there could
//! already hold the next keystrokes. Enter takes the line and clears the
//! input at once, and the line is handed over whole; however fast keys come,
//! every line is entered, in order. A paste of several lines is entered line
//! by line, as a real terminal does; the input line holds at most
//! [`MAX_INPUT`] characters, as Linux's canonical mode.

use super::explain::{tone_class, Explained};
use super::input::{paste, MAX_INPUT};
use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::shell::{LineKind, TermLine};
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Most lines kept on screen; older ones scroll away (bounded memory).
const MAX_LINES: usize = 2000;
/// Most history entries kept.
const MAX_HISTORY: usize = 200;
/// Most solution lines waiting to be typed ("Show me" clicked again and again).
const MAX_QUEUE: usize = 32;

#[derive(Properties, PartialEq, Clone)]
pub struct TerminalProps {
    /// The shell (and its world) this terminal drives, shared with the app.
    pub shell: SharedShell,
    /// A command to put in the input line (from the cheat sheet); the number
    /// changes on every request so the same command can be inserted twice.
    #[prop_or_default]
    pub insert: Option<(u32, String)>,
    /// A line to type into the terminal key by key and then enter ("Show
    /// me"); the number changes on every request. Lines asked for while one
    /// is being typed wait their turn; several lines asked for at once come
    /// joined by `\n` (an input line never holds one).
    #[prop_or_default]
    pub type_line: Option<(u32, String)>,
    /// Lines to enter at once, in order (a script stepped back, `run()`),
    /// after clearing the screen when the flag says so; the number changes
    /// on every request.
    #[prop_or_default]
    pub enter: Option<(u32, Vec<String>, bool)>,
    /// The world was replaced (a lesson started); the host the learner was
    /// connected to then, if any. The number changes on every reset.
    #[prop_or_default]
    pub reset: Option<(u32, Option<String>)>,
    /// Called with the latest explained server line, and with a line whose
    /// code the learner clicks, so the app can show what it means.
    #[prop_or_default]
    pub on_reply: Callback<Explained>,
    /// Called after every input, so views of the world can refresh.
    #[prop_or_default]
    pub on_input: Callback<()>,
    /// How fast lines are typed for the learner: 1 is a person's speed, 4 four times faster.
    #[prop_or(1)]
    pub speed: u32,
    /// Called with each line entered and what the shell did with it (the lesson builder records them).
    #[prop_or_default]
    pub on_entered: Callback<(String, crate::shell::ShellOutput)>,
    /// The language of the terminal's own texts (what the shell prints is
    /// the simulated machine's, in English).
    #[prop_or_default]
    pub lang: Lang,
    /// Focus the input line once mounted (the stand-alone page).
    #[prop_or_default]
    pub autofocus: bool,
    /// Focus the input line when typing a line for the learner (the app's
    /// "Show me"); an embed's script leaves the reader's focus where it is.
    #[prop_or(true)]
    pub focus_on_type: bool,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
    /// The input line's element id (unique on the page).
    #[prop_or_default]
    pub input_id: AttrValue,
}

pub enum Msg {
    /// Lines to enter, in order (Enter, or a paste of several lines).
    Submit(Vec<String>),
    /// Up (`true`) or Down through the history.
    Browse(bool),
    Clear,
    /// Ctrl+]: telnet's escape character.
    Escape,
    /// The Disconnect button: `^]` then `close`, as the learner would type them.
    Disconnect,
    /// A paste was cut to the line's length.
    Cut,
    FocusInput,
    /// A reply code in the log was clicked.
    Explain(Explained),
    /// The next character of a line being typed for the learner.
    TypeTick,
}

/// A notice of the terminal's own, in the interface's language.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Notice {
    Cut,
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
    /// The welcome is shown (in the interface's language) until `clear`.
    welcome: bool,
    history: Vec<String>,
    /// Position while browsing history with Up/Down; `None` when editing.
    history_pos: Option<usize>,
    /// What was typed before browsing history began.
    draft: String,
    input_ref: NodeRef,
    log_ref: NodeRef,
    /// The log itself: it scrolls when the screen around it does not (an
    /// embedded terminal's fixed box; docs/embedding.md).
    lines_ref: NodeRef,
    /// The input line: its `--ms-prompt-ch` is the prompt's width (set through
    /// the CSSOM, which a page's Content Security Policy allows, unlike a
    /// `style` attribute).
    inputline_ref: NodeRef,
    /// The prompt's width last set there (`usize::MAX`: not yet).
    prompt_ch: usize,
    /// Solution lines waiting to be typed.
    queue: VecDeque<String>,
    /// A line being typed for the learner: its characters, how many are shown.
    typing: Option<(Vec<char>, usize, gloo::timers::callback::Interval)>,
    notice: Option<Notice>,
    /// Scroll to the bottom after the next render (the log grew).
    scroll: bool,
    /// A scroll is asked for the next frame and not yet done (one is enough).
    scroll_asked: std::rc::Rc<std::cell::Cell<bool>>,
    /// Lines gone from the front of `lines` (scrolled away or cleared): the
    /// key of `lines[i]` is `gone + i`, so a line keeps its DOM node as lines
    /// come (unkeyed, Yew would reuse the last nodes for the newest lines and
    /// move every line on the screen: a layout shift).
    gone: usize,
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

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
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
            self.gone += drop;
        }
        self.scroll = true;
    }

    fn clear_lines(&mut self) {
        self.gone += self.lines.len();
        self.lines.clear();
    }

    /// Enters one line, as if typed and followed by Enter.
    fn submit(&mut self, ctx: &Context<Self>, line: String) {
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
            self.clear_lines();
            self.welcome = false;
        }
        let reply = last_reply(&out.lines);
        ctx.props().on_entered.emit((line.clone(), out.clone()));
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
        let end = value.encode_utf16().count() as u32;
        let _ = input.set_selection_range(end, end);
    }

    /// Starts typing the next waiting solution line, if none is being typed.
    fn type_next(&mut self, ctx: &Context<Self>) {
        if self.typing.is_some() {
            return;
        }
        let Some(line) = self.queue.pop_front() else { return };
        let chars: Vec<char> = line.chars().collect();
        // Without motion the whole line appears at once, and is entered on the next tick.
        let start = if reduced_motion() { chars.len() } else { 0 };
        if let Some(input) = self.input() {
            input.set_value(&chars[..start].iter().collect::<String>());
            if ctx.props().focus_on_type {
                let _ = input.focus();
            }
        }
        let link = ctx.link().clone();
        let every = TYPE_MS / ctx.props().speed.clamp(1, 16);
        let timer = gloo::timers::callback::Interval::new(every.max(1), move || link.send_message(Msg::TypeTick));
        self.typing = Some((chars, start, timer));
    }

    fn focus_input(&self) {
        if let Some(i) = self.input() {
            let _ = i.focus();
        }
    }
}

/// Keys on a reply code in the log: Up/Down (and Home/End) move between the
/// codes, Escape goes back to the input line. Runs in the DOM listener.
fn log_keys(e: &KeyboardEvent, input: &NodeRef) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else { return };
    if !target.class_list().contains("ms-code") {
        return;
    }
    if e.key() == "Escape" {
        e.prevent_default();
        if let Some(i) = input.cast::<HtmlElement>() {
            let _ = i.focus();
        }
        return;
    }
    let Some(log) = target.closest(".ms-log").ok().flatten() else { return };
    let Ok(all) = log.query_selector_all(".ms-code") else { return };
    let codes: Vec<HtmlElement> =
        (0..all.length()).filter_map(|i| all.item(i)).filter_map(|n| n.dyn_into::<HtmlElement>().ok()).collect();
    let Some(here) = codes.iter().position(|c| *c == target) else { return };
    let to = match e.key().as_str() {
        "ArrowUp" | "ArrowLeft" => here.checked_sub(1),
        "ArrowDown" | "ArrowRight" => Some(here + 1).filter(|i| *i < codes.len()),
        "Home" => Some(0),
        "End" => codes.len().checked_sub(1),
        _ => return,
    };
    e.prevent_default();
    if let Some(c) = to.and_then(|i| codes.get(i)) {
        let _ = c.focus();
    }
}

impl Terminal {
    /// One log line; a server reply's code is a button that explains it.
    /// The newest code is a tab stop (Shift+Tab from the input reaches it);
    /// the arrow keys move from it to the others.
    fn view_line(&self, ctx: &Context<Self>, l: &TermLine, tab_stop: bool, key: usize) -> Html {
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
                    <div class={line_class(l)} key={key}>
                        { before }
                        <button type="button" class="ms-code" tabindex={if tab_stop { "0" } else { "-1" }} title={ctx.props().lang.t(Key::WhatDoesReplyMean)} {onclick}>{ code }</button>
                        { after }
                    </div>
                }
            }
            None => html! { <div class={line_class(l)} key={key}>{ &l.text }</div> },
        }
    }
}

fn has_code(l: &TermLine) -> bool {
    l.reading.as_ref().is_some_and(|r| r.badge.is_some() && r.explanation.is_some())
}

impl Component for Terminal {
    type Message = Msg;
    type Properties = TerminalProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            lines: Vec::new(),
            welcome: true,
            history: Vec::new(),
            history_pos: None,
            draft: String::new(),
            input_ref: NodeRef::default(),
            log_ref: NodeRef::default(),
            lines_ref: NodeRef::default(),
            inputline_ref: NodeRef::default(),
            prompt_ch: usize::MAX,
            queue: VecDeque::new(),
            typing: None,
            notice: None,
            scroll: true,
            scroll_asked: Default::default(),
            gone: 0,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let mut render = ctx.props().lang != old.lang;
        if ctx.props().reset != old.reset {
            // A new world: what was being typed for the old lesson is dropped,
            // and a connection that was open is said to be closed.
            self.queue.clear();
            self.typing = None;
            if let Some((_, Some(host))) = &ctx.props().reset {
                let text = ctx.props().lang.f(Key::ConnectionClosedByReset, &[("host", host)]);
                self.push(vec![TermLine { kind: LineKind::Output, text, reading: None }]);
            }
            render = true;
        }
        if ctx.props().enter != old.enter {
            if let Some((_, lines, clear)) = ctx.props().enter.clone() {
                if clear {
                    self.clear_lines();
                    self.welcome = false;
                    self.queue.clear();
                    self.typing = None;
                }
                for line in lines {
                    self.submit(ctx, line);
                }
                render = true;
            }
        }
        if ctx.props().type_line != old.type_line {
            if let Some((_, line)) = ctx.props().type_line.clone() {
                // Lines asked for between two renders come joined by `\n`.
                for line in line.split('\n') {
                    if self.queue.len() < MAX_QUEUE {
                        self.queue.push_back(line.to_string());
                    }
                }
                self.type_next(ctx);
            }
        }
        if ctx.props().insert != old.insert {
            if let (Some((_, text)), Some(input)) = (&ctx.props().insert, self.input()) {
                input.set_value(text);
                let _ = input.focus();
            }
        }
        render
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Explain(explained) => {
                ctx.props().on_reply.emit(explained);
                false
            }
            Msg::Submit(lines) => {
                self.notice = self.notice.filter(|_| lines.is_empty());
                for line in lines {
                    self.submit(ctx, line);
                }
                true
            }
            Msg::Cut => {
                self.notice = Some(Notice::Cut);
                true
            }
            Msg::Browse(back) => {
                self.browse(back);
                false
            }
            Msg::Clear => {
                self.clear_lines();
                self.welcome = false;
                true
            }
            Msg::Escape => {
                let out = ctx.props().shell.borrow_mut().escape();
                self.push(out.lines);
                true
            }
            Msg::Disconnect => {
                let escaped = ctx.props().shell.borrow().prompt() == "telnet> ";
                if !escaped {
                    let out = ctx.props().shell.borrow_mut().escape();
                    self.push(out.lines);
                }
                self.submit(ctx, "close".to_string());
                self.focus_input();
                true
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
                    // Typed: press Enter for the learner, then the next line waiting.
                    let line: String = chars.iter().collect();
                    self.typing = None;
                    if let Some(input) = self.input() {
                        input.set_value("");
                    }
                    self.submit(ctx, line);
                    self.type_next(ctx);
                    true
                }
            }
            Msg::FocusInput => {
                // Don't steal a text selection the learner is making.
                let selecting =
                    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed());
                if !selecting {
                    self.focus_input();
                }
                false
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        let width = ctx.props().shell.borrow().prompt().chars().count();
        if width != self.prompt_ch {
            if let Some(line) = self.inputline_ref.cast::<HtmlElement>() {
                let _ = line.style().set_property("--ms-prompt-ch", &format!("{width}ch"));
                self.prompt_ch = width;
            }
        }
        // To the bottom, before the next frame: reading scrollHeight here would force a layout
        // in every render (the first one's cost ~15-25 ms of an embed's time to interactive).
        if (self.scroll || first) && !self.scroll_asked.replace(true) {
            self.scroll = false;
            let (asked, refs) = (self.scroll_asked.clone(), [self.log_ref.clone(), self.lines_ref.clone()]);
            super::browser::next_frame(move || {
                asked.set(false);
                for r in &refs {
                    if let Some(log) = r.cast::<HtmlElement>() {
                        log.set_scroll_top(log.scroll_height());
                    }
                }
            });
        }
        if first && ctx.props().autofocus {
            self.focus_input();
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        // Read in the listener, at once: see the module's comment.
        let onkeydown = {
            let link = link.clone();
            Callback::from(move |e: KeyboardEvent| {
                let plain = !e.alt_key() && !e.meta_key();
                match (e.key().as_str(), e.ctrl_key()) {
                    ("Enter", _) if plain => {
                        e.prevent_default();
                        let input: HtmlInputElement = e.target_unchecked_into();
                        let line = input.value();
                        input.set_value("");
                        link.send_message(Msg::Submit(vec![line]));
                    }
                    ("ArrowUp", false) | ("ArrowDown", false) if plain && !e.shift_key() => {
                        e.prevent_default();
                        link.send_message(Msg::Browse(e.key() == "ArrowUp"));
                    }
                    ("l", true) | ("L", true) if plain => {
                        e.prevent_default();
                        link.send_message(Msg::Clear);
                    }
                    ("]", true) if plain => {
                        e.prevent_default();
                        link.send_message(Msg::Escape);
                    }
                    _ => {}
                }
            })
        };
        let onpaste = {
            let link = link.clone();
            Callback::from(move |e: Event| {
                let Some(text) = e
                    .dyn_ref::<web_sys::ClipboardEvent>()
                    .and_then(|c| c.clipboard_data())
                    .and_then(|d| d.get_data("text/plain").ok())
                else {
                    return;
                };
                e.prevent_default();
                let input: HtmlInputElement = e.target_unchecked_into();
                let value = input.value();
                let len = value.encode_utf16().count() as u32;
                let start = input.selection_start().ok().flatten().unwrap_or(len);
                let end = input.selection_end().ok().flatten().unwrap_or(start);
                let (lines, rest, caret, cut) = paste(&value, start, end, &text);
                input.set_value(&rest);
                let _ = input.set_selection_range(caret, caret);
                if cut {
                    link.send_message(Msg::Cut);
                }
                if !lines.is_empty() {
                    link.send_message(Msg::Submit(lines));
                }
            })
        };
        let onclick = link.callback(|_: MouseEvent| Msg::FocusInput);
        let log_keydown = {
            let input = self.input_ref.clone();
            Callback::from(move |e: KeyboardEvent| log_keys(&e, &input))
        };
        let lang = ctx.props().lang;
        let shell = ctx.props().shell.borrow();
        let prompt = shell.prompt();
        let connected = shell.connected_to();
        let (status, status_class) = match connected {
            Some(host) => (lang.f(Key::TerminalConnected, &[("host", host)]), "ms-status ms-online"),
            None => (lang.t(Key::TerminalNotConnected).to_string(), "ms-status"),
        };
        let last_code = self.lines.iter().rposition(has_code);
        // The welcome lines and the log in one flat list of siblings (a nested
        // fragment before the lines made Yew's unkeyed diff lose lines now and then).
        let welcome: Vec<Html> = if self.welcome {
            [Key::Welcome, Key::WelcomeTry]
                .into_iter()
                .map(|k| html! { <div class="ms-line ms-out" key={format!("w{}", k as u32)}>{ lang.t(k) }</div> })
                .collect()
        } else {
            Vec::new()
        };
        html! {
            <section class="ms-terminal" role={ctx.props().embedded.then_some("group")} aria-label={lang.t(Key::Terminal)}>
                <div class="ms-titlebar">
                    <span class="ms-dots" aria-hidden="true"><i></i><i></i><i></i></span>
                    <span class="ms-title">{ "learner@client: ~" }</span>
                    <span class={status_class} role="status">{ status }</span>
                    // Always there, unseen when not connected: its coming and going would move the screen.
                    <button type="button" class={classes!("ms-disconnect", connected.is_none().then_some("ms-unseen"))} title={lang.t(Key::DisconnectTitle)}
                        disabled={connected.is_none()} onclick={link.callback(|_| Msg::Disconnect)}>
                        <kbd aria-hidden="true">{ "^]" }</kbd>{ " " }{ lang.t(Key::Disconnect) }
                    </button>
                </div>
                <div class="ms-screen" ref={self.log_ref.clone()} {onclick}>
                    <div class="ms-log" ref={self.lines_ref.clone()} role="log" aria-live="polite" aria-label={lang.t(Key::TerminalOutput)} onkeydown={log_keydown}>
                        { for welcome.into_iter().chain(self.lines.iter().enumerate().map(|(i, l)| self.view_line(ctx, l, Some(i) == last_code, self.gone + i))) }
                    </div>
                    <div class="ms-inputline" ref={self.inputline_ref.clone()}>
                        <span class="ms-prompt" aria-hidden="true">{ prompt }</span>
                        <input
                            class="ms-input"
                            type="text"
                            ref={self.input_ref.clone()}
                            id={ctx.props().input_id.clone()}
                            aria-label={lang.t(Key::TerminalInput)}
                            maxlength={MAX_INPUT.to_string()}
                            autocomplete="off"
                            autocapitalize="off"
                            spellcheck="false"
                            {onkeydown}
                            {onpaste}
                        />
                    </div>
                </div>
                <p class="ms-term-notice" role="status">
                    { self.notice.map(|n| match n {
                        Notice::Cut => lang.f(Key::PasteCut, &[("max", &MAX_INPUT.to_string())]),
                    }).unwrap_or_default() }
                </p>
            </section>
        }
    }
}
