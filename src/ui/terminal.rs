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

use super::dom::{log_keys, now_secs, reduced_motion};
use super::explain::Explained;
use super::input::{paste, MAX_INPUT};
use super::term_model::{self, has_code, line_classes, line_key, LineKey, Notice, TermModel, Tick, TYPE_MS};
use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::shell::TermLine;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

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

/// The app's terminal: a view of a [`TermModel`] (the embed's is `dom::terminal`).
pub struct Terminal {
    model: TermModel,
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
    /// Ticks the line being typed for the learner.
    typing: Option<gloo::timers::callback::Interval>,
    /// Scroll to the bottom after the next render (the log grew).
    scroll: bool,
    /// A scroll is asked for the next frame and not yet done (one is enough).
    scroll_asked: std::rc::Rc<std::cell::Cell<bool>>,
}

impl Terminal {
    fn input(&self) -> Option<HtmlInputElement> {
        self.input_ref.cast::<HtmlInputElement>()
    }

    /// Enters one line, as if typed and followed by Enter.
    fn submit(&mut self, ctx: &Context<Self>, line: String) {
        let entered = self.model.enter(&mut ctx.props().shell.borrow_mut(), &line, now_secs());
        self.entered(ctx, line, entered);
    }

    /// Tells the app what a line entered did.
    fn entered(&mut self, ctx: &Context<Self>, line: String, entered: term_model::Entered) {
        self.scroll = true;
        ctx.props().on_entered.emit((line, entered.out));
        if let Some(reply) = entered.reply {
            ctx.props().on_reply.emit(reply);
        }
        ctx.props().on_input.emit(());
    }

    /// Up (`back = true`) and Down through the history.
    fn browse(&mut self, back: bool) {
        let Some(input) = self.input() else { return };
        let Some(value) = self.model.browse(back, &input.value()) else { return };
        input.set_value(&value);
        let end = value.encode_utf16().count() as u32;
        let _ = input.set_selection_range(end, end);
    }

    /// Starts typing the next waiting line, if none is being typed.
    fn type_next(&mut self, ctx: &Context<Self>) {
        // Without motion the whole line appears at once, and is entered on the next tick.
        let Some(shown) = self.model.start_typing(reduced_motion()) else { return };
        if let Some(input) = self.input() {
            input.set_value(&shown);
            if ctx.props().focus_on_type {
                let _ = input.focus();
            }
        }
        let link = ctx.link().clone();
        let every = TYPE_MS / ctx.props().speed.clamp(1, 16);
        self.typing =
            Some(gloo::timers::callback::Interval::new(every.max(1), move || link.send_message(Msg::TypeTick)));
    }

    fn focus_input(&self) {
        if let Some(i) = self.input() {
            let _ = i.focus();
        }
    }
}

impl Terminal {
    /// One log line; a server reply's code is a button that explains it.
    /// The newest code is a tab stop (Shift+Tab from the input reaches it);
    /// the arrow keys move from it to the others.
    fn view_line(&self, ctx: &Context<Self>, l: &TermLine, tab_stop: bool, key: usize) -> Html {
        match term_model::badge(l) {
            Some((before, code, after, explained)) => {
                let onclick = ctx.link().callback(move |e: MouseEvent| {
                    e.stop_propagation();
                    Msg::Explain(explained.clone())
                });
                html! {
                    <div class={line_classes(l)} key={key}>
                        { before }
                        <button type="button" class="ms-code" tabindex={if tab_stop { "0" } else { "-1" }} title={ctx.props().lang.t(Key::WhatDoesReplyMean)} {onclick}>{ code }</button>
                        { after }
                    </div>
                }
            }
            None => html! { <div class={line_classes(l)} key={key}>{ &l.text }</div> },
        }
    }
}

impl Component for Terminal {
    type Message = Msg;
    type Properties = TerminalProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            model: TermModel::default(),
            input_ref: NodeRef::default(),
            log_ref: NodeRef::default(),
            lines_ref: NodeRef::default(),
            inputline_ref: NodeRef::default(),
            prompt_ch: usize::MAX,
            typing: None,
            scroll: true,
            scroll_asked: Default::default(),
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let mut render = ctx.props().lang != old.lang;
        if ctx.props().reset != old.reset {
            let host = ctx.props().reset.as_ref().and_then(|(_, h)| h.as_deref());
            self.model.world_reset(host, ctx.props().lang);
            self.typing = None;
            self.scroll = true;
            render = true;
        }
        if ctx.props().enter != old.enter {
            if let Some((_, lines, clear)) = ctx.props().enter.clone() {
                if clear {
                    self.model.clear();
                    self.model.stop_typing();
                    self.typing = None;
                }
                for line in lines {
                    self.submit(ctx, line);
                }
                render = true;
            }
        }
        if ctx.props().type_line != old.type_line {
            if let Some((_, line)) = &ctx.props().type_line {
                // Lines asked for between two renders come joined by `\n`.
                self.model.queue(line);
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
                if !lines.is_empty() {
                    self.model.end_notice();
                }
                for line in lines {
                    self.submit(ctx, line);
                }
                true
            }
            Msg::Cut => {
                self.model.set_notice(Notice::Cut);
                true
            }
            Msg::Browse(back) => {
                self.browse(back);
                false
            }
            Msg::Clear => {
                self.model.clear();
                true
            }
            Msg::Escape => {
                self.model.escape(&mut ctx.props().shell.borrow_mut());
                self.scroll = true;
                true
            }
            Msg::Disconnect => {
                let entered = self.model.disconnect(&mut ctx.props().shell.borrow_mut(), now_secs());
                self.entered(ctx, "close".to_string(), entered);
                self.focus_input();
                true
            }
            Msg::TypeTick => match self.model.tick() {
                Tick::Show(text) => {
                    if let Some(input) = self.input() {
                        input.set_value(&text);
                    }
                    false
                }
                Tick::Enter(line) => {
                    // Typed: press Enter for the learner, then the next line waiting.
                    self.typing = None;
                    if let Some(input) = self.input() {
                        input.set_value("");
                    }
                    self.submit(ctx, line);
                    self.type_next(ctx);
                    true
                }
                Tick::Idle => {
                    self.typing = None;
                    false
                }
            },
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
                let msg = match line_key(&e.key(), e.ctrl_key(), e.alt_key(), e.meta_key(), e.shift_key()) {
                    Some(LineKey::Enter) => {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        let line = input.value();
                        input.set_value("");
                        Msg::Submit(vec![line])
                    }
                    Some(LineKey::Browse(up)) => Msg::Browse(up),
                    Some(LineKey::Clear) => Msg::Clear,
                    Some(LineKey::Escape) => Msg::Escape,
                    None => return,
                };
                e.prevent_default();
                link.send_message(msg);
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
            Callback::from(move |e: KeyboardEvent| log_keys(&e, input.cast::<HtmlElement>()))
        };
        let lang = ctx.props().lang;
        let shell = ctx.props().shell.borrow();
        let prompt = shell.prompt();
        let (status, connected) = term_model::status(&shell, lang);
        let status_class = if connected { "ms-status ms-online" } else { "ms-status" };
        let lines = self.model.lines();
        let last_code = lines.iter().rposition(has_code);
        // The welcome lines and the log in one flat list of siblings (a nested
        // fragment before the lines made Yew's unkeyed diff lose lines now and then).
        let welcome: Vec<Html> = if self.model.shows_welcome() {
            term_model::welcome(lang)
                .into_iter()
                .enumerate()
                .map(|(i, text)| html! { <div class="ms-line ms-out" key={format!("w{i}")}>{ text }</div> })
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
                    <button type="button" class={classes!("ms-disconnect", (!connected).then_some("ms-unseen"))} title={lang.t(Key::DisconnectTitle)}
                        disabled={!connected} onclick={link.callback(|_| Msg::Disconnect)}>
                        <kbd aria-hidden="true">{ "^]" }</kbd>{ " " }{ lang.t(Key::Disconnect) }
                    </button>
                </div>
                <div class="ms-screen" ref={self.log_ref.clone()} {onclick}>
                    <div class="ms-log" ref={self.lines_ref.clone()} role="log" aria-live="polite" aria-label={lang.t(Key::TerminalOutput)} onkeydown={log_keydown}>
                        { for welcome.into_iter().chain(lines.iter().enumerate().map(|(i, l)| self.view_line(ctx, l, Some(i) == last_code, self.model.gone() + i))) }
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
                    { self.model.notice().map(|n| n.text(lang)).unwrap_or_default() }
                </p>
            </section>
        }
    }
}
