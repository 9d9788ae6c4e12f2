//! `mode="terminal"`: the terminal and the reply explainer, and a script
//! player when the page gave lines to play. The root of the small embed
//! build: it reaches nothing of the app (lessons, tabs, the explorer) and no
//! Yew, so the wasm a documentation page loads for a terminal carries none of it.
//!
//! Every reply comes from the live engine: the player only types the script's
//! lines, as the reader would.
//!
//! Its state changes in one place, [`State::update`], one [`Msg`] at a time,
//! then [`State::render`] brings the DOM in step. A message sent while one is
//! handled (a page's listener of an event it dispatched calls the API, a
//! timer fires) waits its turn in the queue: nothing re-enters the state.

use super::explain;
use super::player::{key_press, PlayerView, Press, Shown};
use super::terminal::TermView;
use super::{attrs, el, flag, Listeners};
use crate::embed::{Cue, Options, PlayState, Player, ReplyEvent, Script};
use crate::lang::{Key, Lang};
use crate::shell::Shell;
use crate::ui::events::{detail, Events};
use crate::ui::input::paste;
use crate::ui::term_model::{self, Explained, LineKey, Notice, TermModel, Tick, TYPE_MS};
use crate::world::World;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, HtmlInputElement, KeyboardEvent};

/// What a terminal embed is mounted with.
pub struct EmbedProps {
    pub options: Rc<Options>,
    /// What could not be used of the options, shown above the terminal.
    pub problems: Vec<String>,
    pub events: Events,
    /// The prefix of its element ids (unique on the page).
    pub ids: String,
    pub lang: Lang,
}

/// What can happen to it: the reader's keys and clicks, the page's API, timers.
pub enum Msg {
    /// Mounted: connect, start the script if it autoplays, say ready.
    Start,
    /// Lines to enter, in order (Enter, or a paste of several lines).
    Submit(Vec<String>),
    /// Up (`true`) or Down through the history.
    Browse(bool),
    Clear,
    /// Ctrl+]: telnet's escape character.
    Escape,
    /// The Disconnect button: `^]` then `close`, as the reader would type them.
    Disconnect,
    /// A paste was cut to the line's length.
    Cut,
    FocusInput,
    /// The reply code of this line (its session number) was clicked.
    Explain(usize),
    /// The next character of a line being typed for the reader.
    TypeTick,
    Press(Press),
    /// `type(line)`: typed at the script's speed.
    Type(String),
    /// `run(lines)`: entered at once.
    Run(Vec<String>),
    Play,
    Pause,
    /// `reset()`: a fresh world, the screen cleared, the script at its start.
    Reset,
    Lang(Lang),
    /// The clipboard took the transcript (or refused it).
    Copied(bool),
}

/// A mounted terminal embed. Dropping it leaves it mounted; [`DomEmbed::destroy`] unmounts it.
pub struct DomEmbed(Rc<Inner>);

struct Inner {
    state: RefCell<Option<State>>,
    queue: RefCell<VecDeque<Msg>>,
    busy: Cell<bool>,
}

/// Hands `msg` to the embed behind `inner`, and handles it and any sent meanwhile, in order.
fn send(inner: &Rc<Inner>, msg: Msg) {
    inner.queue.borrow_mut().push_back(msg);
    if inner.busy.replace(true) {
        return;
    }
    loop {
        let Some(msg) = inner.queue.borrow_mut().pop_front() else { break };
        if let Some(state) = inner.state.borrow_mut().as_mut() {
            state.update(msg);
            state.render();
        }
    }
    inner.busy.set(false);
}

/// A function that sends to the embed while it lives.
fn sender(weak: &Weak<Inner>) -> impl Fn(Msg) + Clone + 'static {
    let weak = weak.clone();
    move |msg| {
        if let Some(inner) = weak.upgrade() {
            send(&inner, msg);
        }
    }
}

impl DomEmbed {
    /// Builds it in `root` and starts it (in a microtask: after the caller has its handle).
    pub fn mount(root: web_sys::Element, props: EmbedProps) -> Option<DomEmbed> {
        let doc = root.owner_document()?;
        let inner = Rc::new(Inner { state: RefCell::new(None), queue: RefCell::default(), busy: Cell::new(false) });
        let state = State::new(&doc, root, props, Rc::downgrade(&inner))?;
        *inner.state.borrow_mut() = Some(state);
        if let Some(s) = inner.state.borrow_mut().as_mut() {
            s.render();
        }
        let start = sender(&Rc::downgrade(&inner));
        wasm_bindgen_futures::spawn_local(async move { start(Msg::Start) });
        Some(DomEmbed(inner))
    }

    pub fn send(&self, msg: Msg) {
        send(&self.0, msg);
    }

    /// Unmounts it: its elements leave the page, its timers and listeners end.
    pub fn destroy(&self) {
        // Not while a message is handled (a page's listener may call this): the state is in use.
        if self.0.busy.get() {
            let inner = self.0.clone();
            wasm_bindgen_futures::spawn_local(async move { DomEmbed(inner).destroy() });
            return;
        }
        if let Some(state) = self.0.state.borrow_mut().take() {
            state.mount.set_text_content(None);
        }
        self.0.queue.borrow_mut().clear();
    }
}

/// A fresh world as the options describe it (their seed and faults), and
/// the faults it does not know, for the problems.
fn fresh_world(options: &Options) -> (World, Vec<String>) {
    let mut world = World::new(options.link.seed.unwrap_or(1));
    let unknown = options
        .link
        .faults
        .iter()
        .filter(|f| world.faults_mut().switch_on(f).is_err())
        .map(|f| format!("faults={f}"))
        .collect();
    (world, unknown)
}

struct State {
    weak: Weak<Inner>,
    options: Rc<Options>,
    events: Events,
    ids: String,
    shell: Shell,
    model: TermModel,
    /// Ticks the line being typed.
    typing: Option<gloo::timers::callback::Interval>,
    reply: Option<Explained>,
    player: Option<Player>,
    speed: u32,
    /// The last copy of the transcript: done (`true`) or refused; `None` since a command.
    copied: Option<bool>,
    lang: Lang,
    problems: Vec<String>,
    /// What the problems and the explainer were last shown as.
    shown_problems: Option<Lang>,
    shown_reply: Option<(Option<Explained>, Lang)>,
    scroll: bool,
    scroll_asked: Rc<Cell<bool>>,
    doc: Document,
    /// The element it is mounted in (its contents are the embed's).
    mount: web_sys::Element,
    app: HtmlElement,
    problems_box: HtmlElement,
    term: TermView,
    player_view: Option<PlayerView>,
    explain: HtmlElement,
    _listeners: Listeners,
}

impl State {
    fn new(doc: &Document, mount: web_sys::Element, props: EmbedProps, weak: Weak<Inner>) -> Option<State> {
        let EmbedProps { options, mut problems, events, ids, lang } = props;
        let (world, unknown) = fresh_world(&options);
        problems.extend(unknown);
        problems.extend(options.script_problem.clone());
        let player = options.script.as_deref().map(|text| {
            let (script, errors) = Script::parse(text);
            problems.extend(errors.iter().map(ToString::to_string));
            Player::new(script)
        });
        let app = el(doc, "div", "ms-app ms-embed ms-embed-terminal")?;
        let problems_box = el(doc, "div", "ms-link-problems")?;
        attrs(&problems_box, &[("role", "alert")]);
        let term = TermView::build(doc, &format!("{ids}-input"))?;
        // No script, no player: it never gets one later (`reset()` replays the same options).
        let player_view = match player {
            Some(_) => Some(PlayerView::build(doc)?),
            None => None,
        };
        let explain = explain::build(doc, &ids)?;
        app.append_with_node_2(&problems_box, &term.root).ok()?;
        if let Some(p) = &player_view {
            app.append_child(&p.wrap).ok()?;
        }
        app.append_child(&explain).ok()?;
        mount.append_child(&app).ok()?;
        let mut state = State {
            weak,
            speed: options.speed,
            options,
            events,
            ids,
            shell: Shell::new(world),
            model: TermModel::default(),
            typing: None,
            reply: None,
            player,
            copied: None,
            lang,
            problems,
            shown_problems: None,
            shown_reply: None,
            scroll: true,
            scroll_asked: Rc::default(),
            doc: doc.clone(),
            mount,
            app,
            problems_box,
            term,
            player_view,
            explain,
            _listeners: Listeners::default(),
        };
        state.listen();
        Some(state)
    }

    /// The listeners: each turns a key or click into a message.
    fn listen(&mut self) {
        let mut l = Listeners::default();
        let send = sender(&self.weak);
        // Space, `.` and `,` anywhere in the embed but the input line and the controls' own keys.
        let s = send.clone();
        l.on(&self.app, "keydown", move |e| {
            let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
            let tag = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|t| t.tag_name());
            if matches!(tag.as_deref(), Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")) {
                return;
            }
            if let Some(press) = key_press(k) {
                e.prevent_default();
                s(Msg::Press(press));
            }
        });
        // Keys are read in the listener itself, synchronously: Enter takes the line and clears
        // the input at once, so however fast keys come, every line is entered, in order.
        let s = send.clone();
        l.on(&self.term.input, "keydown", move |e| {
            let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
            let key = term_model::line_key(&k.key(), k.ctrl_key(), k.alt_key(), k.meta_key(), k.shift_key());
            let msg = match key {
                Some(LineKey::Enter) => {
                    let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
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
            s(msg);
        });
        // A paste of several lines is entered line by line, as a real terminal does.
        let s = send.clone();
        l.on(&self.term.input, "paste", move |e| {
            let Some(text) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            e.prevent_default();
            let value = input.value();
            let len = value.encode_utf16().count() as u32;
            let start = input.selection_start().ok().flatten().unwrap_or(len);
            let end = input.selection_end().ok().flatten().unwrap_or(start);
            let (lines, rest, caret, cut) = paste(&value, start, end, &text);
            input.set_value(&rest);
            let _ = input.set_selection_range(caret, caret);
            if cut {
                s(Msg::Cut);
            }
            if !lines.is_empty() {
                s(Msg::Submit(lines));
            }
        });
        let s = send.clone();
        l.on(&self.term.screen, "click", move |_| s(Msg::FocusInput));
        let s = send.clone();
        l.on(&self.term.log, "click", move |e| {
            let Some(n) =
                e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| TermView::line_of(&t))
            else {
                return;
            };
            e.stop_propagation();
            s(Msg::Explain(n));
        });
        self.term.listen(&mut l);
        let s = send.clone();
        l.on(&self.term.disconnect, "click", move |_| s(Msg::Disconnect));
        if let Some(p) = &self.player_view {
            for (button, press) in [
                (&p.play, Press::Toggle),
                (&p.back, Press::Back),
                (&p.next, Press::Forward),
                (&p.restart, Press::Restart),
                (&p.copy, Press::Copy),
            ] {
                let s = send.clone();
                l.on(button, "click", move |_| s(Msg::Press(press)));
            }
            let s = send.clone();
            l.on(&p.select, "change", move |e| {
                let Some(select) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else {
                    return;
                };
                s(Msg::Press(Press::Speed(select.value().parse().unwrap_or(1))));
            });
            let s = send.clone();
            l.on(&p.bar, "keydown", move |e| {
                let Some(k) = e.dyn_ref::<KeyboardEvent>() else { return };
                // A focused button or the speed list takes Space and the arrows itself.
                let tag = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|t| t.tag_name());
                let Some(press) = key_press(k)
                    .filter(|p| *p != Press::Toggle || !matches!(tag.as_deref(), Some("BUTTON" | "SELECT")))
                else {
                    return;
                };
                e.prevent_default();
                // Handled here: not again by the embed around it.
                e.stop_propagation();
                s(Msg::Press(press));
            });
        }
        self._listeners = l;
    }

    /// Enters one line, as if typed and followed by Enter.
    fn enter_line(&mut self, line: String) {
        let entered = self.model.enter(&mut self.shell, &line, super::now_secs());
        self.entered(&line, entered);
    }

    /// What follows a line entered: its reply explained and told to the page, the script goes on.
    fn entered(&mut self, line: &str, entered: term_model::Entered) {
        self.scroll = true;
        if let Some(reply) = entered.reply {
            self.reply = Some(reply);
        }
        if let Some(r) = ReplyEvent::of(line, &entered.out) {
            self.events.reply(&r);
        }
        self.copied = None;
        self.advance();
    }

    /// Starts typing the next waiting line, if none is being typed (the
    /// reader's focus stays where it is: a script never takes it).
    fn type_next(&mut self) {
        let Some(shown) = self.model.start_typing(super::reduced_motion()) else { return };
        self.term.input.set_value(&shown);
        let send = sender(&self.weak);
        let every = TYPE_MS / self.speed.clamp(1, 16);
        self.typing = Some(gloo::timers::callback::Interval::new(every.max(1), move || send(Msg::TypeTick)));
    }

    /// Types `line` at the script's speed (after the ones already waiting).
    fn type_line(&mut self, line: &str) {
        self.model.queue(line);
        self.type_next();
    }

    /// Asks the player for its next cue and acts on it.
    fn advance(&mut self) {
        let Some(cue) = self.player.as_mut().and_then(Player::next_cue) else { return };
        match cue {
            Cue::Type(line) => self.type_line(&line),
            Cue::Pause => {}
            Cue::End => {
                self.events.emit("mailsim-script-end", detail(&[]));
                self.focus_if_inside();
            }
        }
    }

    /// Hands the reader the input line at the script's end, when the focus
    /// is in the embed already (they pressed play): a script playing on its
    /// own never takes the focus from the page.
    fn focus_if_inside(&self) {
        let inside = self
            .events
            .root_node()
            .and_then(|r| js_sys::Reflect::get(&r, &"activeElement".into()).ok())
            .is_some_and(|a| !a.is_null() && !a.is_undefined());
        if inside {
            let _ = self.term.input.focus();
        }
    }

    /// Starts over in a fresh world: the screen cleared, then `lines`
    /// entered at once after the connection the options ask for.
    fn start_over(&mut self, lines: Vec<String>) {
        let host = self.shell.connected_to().map(str::to_string);
        self.shell.reset_world(fresh_world(&self.options).0);
        self.model.world_reset(host.as_deref(), self.lang);
        self.typing = None;
        self.model.clear();
        let all: Vec<String> = self.options.connect_line().into_iter().chain(lines).collect();
        for line in all {
            self.enter_line(line);
        }
    }

    fn transcript(&self) -> String {
        self.shell.log_since(0).iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
    }

    fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Start => {
                if self.options.autoplay {
                    if let Some(p) = self.player.as_mut() {
                        p.play();
                    }
                }
                match self.options.connect_line() {
                    // The player goes on once the connection's line is entered.
                    Some(line) => self.enter_line(line),
                    None => self.advance(),
                }
                self.events.emit("mailsim-ready", detail(&[("mode", "terminal".into())]));
            }
            Msg::Submit(lines) => {
                if !lines.is_empty() {
                    self.model.end_notice();
                }
                for line in lines {
                    self.enter_line(line);
                }
            }
            Msg::Browse(back) => {
                let input = &self.term.input;
                if let Some(value) = self.model.browse(back, &input.value()) {
                    input.set_value(&value);
                    let end = value.encode_utf16().count() as u32;
                    let _ = input.set_selection_range(end, end);
                }
            }
            Msg::Clear => self.model.clear(),
            Msg::Escape => {
                self.model.escape(&mut self.shell);
                self.scroll = true;
            }
            Msg::Disconnect => {
                let entered = self.model.disconnect(&mut self.shell, super::now_secs());
                self.entered("close", entered);
                let _ = self.term.input.focus();
            }
            Msg::Cut => self.model.set_notice(Notice::Cut),
            Msg::FocusInput => {
                // Don't steal a text selection the reader is making.
                let selecting =
                    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed());
                if !selecting {
                    let _ = self.term.input.focus();
                }
            }
            Msg::Explain(n) => {
                let line = n.checked_sub(self.model.gone()).and_then(|i| self.model.lines().get(i));
                if let Some((_, _, _, explained)) = line.and_then(term_model::badge) {
                    self.reply = Some(explained);
                }
            }
            Msg::TypeTick => match self.model.tick() {
                Tick::Show(text) => self.term.input.set_value(&text),
                Tick::Enter(line) => {
                    // Typed: press Enter for the reader, then the next line waiting.
                    self.typing = None;
                    self.term.input.set_value("");
                    self.enter_line(line);
                    self.type_next();
                }
                Tick::Idle => self.typing = None,
            },
            Msg::Press(press) => self.press(press),
            Msg::Type(line) => self.type_line(&line),
            Msg::Run(lines) => {
                for line in lines {
                    self.enter_line(line);
                }
            }
            Msg::Play => {
                if self.player.as_mut().is_some_and(Player::play) {
                    self.advance();
                }
            }
            Msg::Pause => {
                if let Some(p) = self.player.as_mut() {
                    p.pause();
                }
            }
            Msg::Reset => {
                if let Some(p) = self.player.as_mut() {
                    p.restart();
                }
                self.reply = None;
                self.start_over(Vec::new());
            }
            Msg::Lang(lang) => self.lang = lang,
            Msg::Copied(ok) => self.copied = Some(ok),
        }
    }

    fn press(&mut self, press: Press) {
        match press {
            Press::Toggle => {
                if self.player.as_mut().is_some_and(Player::toggle) {
                    self.advance();
                }
            }
            Press::Forward => {
                if let Some(line) = self.player.as_mut().and_then(Player::forward) {
                    self.enter_line(line);
                }
                if self.player.as_ref().is_some_and(|p| p.state() == PlayState::Done) {
                    self.events.emit("mailsim-script-end", detail(&[]));
                }
            }
            Press::Back => {
                if let Some(lines) = self.player.as_mut().and_then(Player::back) {
                    self.start_over(lines);
                }
            }
            Press::Restart => {
                if let Some(p) = self.player.as_mut() {
                    p.restart();
                    p.play();
                }
                self.start_over(Vec::new());
                if self.options.connect_line().is_none() {
                    self.advance();
                }
            }
            Press::Speed(n) => self.speed = n.clamp(1, crate::embed::MAX_SPEED),
            Press::Copy => {
                let send = sender(&self.weak);
                crate::ui::browser::copy(&self.transcript(), move |ok| send(Msg::Copied(ok)));
            }
        }
    }

    /// Brings the DOM in step with the state.
    fn render(&mut self) {
        let lang = self.lang;
        let _ = self.app.set_attribute("lang", lang.code());
        if self.shown_problems != Some(lang) {
            self.shown_problems = Some(lang);
            self.problems_box.set_text_content(None);
            for p in &self.problems {
                if let Some(e) = el(&self.doc, "p", "") {
                    e.set_text_content(Some(&lang.f(Key::EmbedProblem, &[("problem", p)])));
                    let _ = self.problems_box.append_child(&e);
                }
            }
            flag(&self.problems_box, "hidden", self.problems.is_empty());
        }
        if self.term.render(&self.model, &self.shell, lang) {
            self.scroll = true;
        }
        if std::mem::take(&mut self.scroll) {
            self.term.scroll_soon(&self.scroll_asked);
        }
        if let (Some(view), Some(player)) = (self.player_view.as_mut(), self.player.as_ref()) {
            view.render(Shown {
                state: player.state(),
                progress: player.progress(),
                speed: self.speed,
                lang,
                copied: self.copied,
            });
        }
        let reply = (self.reply.clone(), lang);
        if self.shown_reply.as_ref() != Some(&reply) {
            explain::render(&self.doc, &self.explain, &self.ids, reply.0.as_ref(), lang);
            self.shown_reply = Some(reply);
        }
    }
}
