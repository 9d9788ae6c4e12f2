//! `mode="terminal"`: the terminal and the reply explainer, and a script
//! player when the page gave lines to play. The root of the small embed
//! build: it reaches nothing of the app (lessons, tabs, the explorer), so the
//! wasm a documentation page loads for a terminal carries none of it.
//!
//! Every reply comes from the live engine: the player only types the script's
//! lines, as the reader would.

use super::events::{detail, Events};
use super::explain::{Explained, ReplyExplainer};
use super::player::{key_press, PlayerBar, Press};
use super::terminal::Terminal;
use super::SharedShell;
use crate::embed::{Cue, Options, PlayState, Player, ReplyEvent, Script};
use crate::lang::{Key, Lang};
use crate::shell::{Shell, ShellOutput};
use crate::world::World;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    pub options: Rc<Options>,
    /// What could not be used of the options, shown above the terminal.
    #[prop_or_default]
    pub problems: Rc<Vec<String>>,
    #[prop_or_default]
    pub events: Events,
    pub ids: AttrValue,
    pub lang: Lang,
}

pub enum Msg {
    /// Mounted: connect, start the script if it autoplays, say ready.
    Start,
    Reply(Explained),
    Entered(String, ShellOutput),
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

pub struct TerminalEmbed {
    shell: SharedShell,
    reply: Option<Explained>,
    player: Option<Player>,
    speed: u32,
    counter: u32,
    type_line: Option<(u32, String)>,
    enter: Option<(u32, Vec<String>, bool)>,
    reset: Option<(u32, Option<String>)>,
    /// The last copy of the transcript: done (`true`) or refused; `None` since a command.
    copied: Option<bool>,
    lang: Lang,
    problems: Vec<String>,
    /// The number of the last `enter` and `type_line` the terminal has seen
    /// (rendered): requests made since are merged into the pending one, as a
    /// prop the terminal has not seen yet would otherwise be lost.
    seen: u32,
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

impl TerminalEmbed {
    fn bump(&mut self) -> u32 {
        self.counter = self.counter.wrapping_add(1);
        self.counter
    }

    /// Enters `lines` at once (after clearing the screen, with `clear`).
    fn enter(&mut self, mut lines: Vec<String>, clear: bool) {
        if let Some((n, pending, was_clear)) = self.enter.take() {
            if n > self.seen && !clear {
                let mut all = pending;
                all.append(&mut lines);
                lines = all;
                let n = self.bump();
                self.enter = Some((n, lines, was_clear));
                return;
            }
        }
        let n = self.bump();
        self.enter = Some((n, lines, clear));
    }

    /// Types `line` at the script's speed (after the ones already waiting).
    fn type_line(&mut self, line: String) {
        let line = match self.type_line.take() {
            Some((n, pending)) if n > self.seen => format!("{pending}\n{line}"),
            _ => line,
        };
        let n = self.bump();
        self.type_line = Some((n, line));
    }

    /// Starts over in a fresh world: the screen cleared, then `lines`
    /// entered at once after the connection the options ask for.
    fn start_over(&mut self, ctx: &Context<Self>, lines: Vec<String>) {
        let options = &ctx.props().options;
        let host = {
            let mut shell = self.shell.borrow_mut();
            let host = shell.connected_to().map(str::to_string);
            shell.reset_world(fresh_world(options).0);
            host
        };
        let n = self.bump();
        self.reset = Some((n, host));
        self.type_line = None;
        let all: Vec<String> = options.connect_line().into_iter().chain(lines).collect();
        self.enter(all, true);
    }

    /// Asks the player for its next cue and acts on it.
    fn advance(&mut self, ctx: &Context<Self>) {
        let Some(cue) = self.player.as_mut().and_then(Player::next_cue) else { return };
        match cue {
            Cue::Type(line) => self.type_line(line),
            Cue::Pause => {}
            Cue::End => {
                ctx.props().events.emit("mailsim-script-end", detail(&[]));
                self.focus_input(ctx);
            }
        }
    }

    /// Hands the reader the input line at the script's end, when the focus
    /// is in the embed already (they pressed play): a script playing on its
    /// own never takes the focus from the page.
    fn focus_input(&self, ctx: &Context<Self>) {
        let root = ctx.props().events.root_node();
        let inside = root
            .as_ref()
            .and_then(|r| js_sys::Reflect::get(r, &"activeElement".into()).ok())
            .is_some_and(|a| !a.is_null() && !a.is_undefined());
        let id = format!("{}-input", ctx.props().ids);
        if let Some(el) = super::browser::by_id(root, &id).filter(|_| inside) {
            let _ = el.focus();
        }
    }

    fn transcript(&self) -> String {
        let shell = self.shell.borrow();
        shell.log_since(0).iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
    }
}

impl Component for TerminalEmbed {
    type Message = Msg;
    type Properties = EmbedProps;

    fn create(ctx: &Context<Self>) -> Self {
        let options = &ctx.props().options;
        let mut problems: Vec<String> = (*ctx.props().problems).clone();
        let (world, unknown) = fresh_world(options);
        problems.extend(unknown);
        problems.extend(options.script_problem.clone());
        let player = options.script.as_deref().map(|text| {
            let (script, errors) = Script::parse(text);
            problems.extend(errors.iter().map(ToString::to_string));
            Player::new(script)
        });
        Self {
            shell: SharedShell::new(Shell::new(world)),
            reply: None,
            player,
            speed: options.speed,
            counter: 0,
            type_line: None,
            enter: None,
            reset: None,
            copied: None,
            lang: ctx.props().lang,
            problems,
            seen: 0,
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        self.seen = self.counter;
        if first {
            ctx.link().send_message(Msg::Start);
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Start => {
                let options = ctx.props().options.clone();
                if options.autoplay {
                    if let Some(p) = self.player.as_mut() {
                        p.play();
                    }
                }
                match options.connect_line() {
                    // The player goes on once the connection's line is entered.
                    Some(line) => self.enter(vec![line], false),
                    None => self.advance(ctx),
                }
                ctx.props().events.emit("mailsim-ready", detail(&[("mode", "terminal".into())]));
            }
            Msg::Reply(e) => {
                let changed = self.reply.as_ref() != Some(&e);
                self.reply = Some(e);
                return changed;
            }
            Msg::Entered(line, out) => {
                if let Some(r) = ReplyEvent::of(&line, &out) {
                    ctx.props().events.reply(&r);
                }
                self.copied = None;
                self.advance(ctx);
            }
            Msg::Press(press) => match press {
                Press::Toggle => {
                    let playing = self.player.as_mut().is_some_and(Player::toggle);
                    if playing {
                        self.advance(ctx);
                    }
                }
                Press::Forward => {
                    if let Some(line) = self.player.as_mut().and_then(Player::forward) {
                        self.enter(vec![line], false);
                    }
                    if self.player.as_ref().is_some_and(|p| p.state() == PlayState::Done) {
                        ctx.props().events.emit("mailsim-script-end", detail(&[]));
                    }
                }
                Press::Back => {
                    if let Some(lines) = self.player.as_mut().and_then(Player::back) {
                        self.start_over(ctx, lines);
                    }
                }
                Press::Restart => {
                    if let Some(p) = self.player.as_mut() {
                        p.restart();
                        p.play();
                    }
                    self.start_over(ctx, Vec::new());
                    if ctx.props().options.connect_line().is_none() {
                        self.advance(ctx);
                    }
                }
                Press::Speed(n) => self.speed = n.clamp(1, crate::embed::MAX_SPEED),
                Press::Copy => {
                    let link = ctx.link().clone();
                    super::browser::copy(&self.transcript(), move |ok| link.send_message(Msg::Copied(ok)));
                }
            },
            Msg::Type(line) => self.type_line(line),
            Msg::Run(lines) => self.enter(lines, false),
            Msg::Play => {
                if self.player.as_mut().is_some_and(Player::play) {
                    self.advance(ctx);
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
                self.start_over(ctx, Vec::new());
            }
            Msg::Lang(lang) => self.lang = lang,
            Msg::Copied(ok) => self.copied = Some(ok),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.lang;
        let ids = ctx.props().ids.clone();
        // Space, `.` and `,` anywhere in the embed but the input line and the controls' own keys.
        let onkeydown = link.batch_callback(|e: KeyboardEvent| {
            let tag = e.target_unchecked_into::<web_sys::Element>().tag_name();
            if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON") {
                return None;
            }
            let press = key_press(&e)?;
            e.prevent_default();
            Some(Msg::Press(press))
        });
        let player = self.player.as_ref();
        html! {
            <div class="ms-app ms-embed ms-embed-terminal" lang={lang.code()} {onkeydown}>
                <div class="ms-link-problems" role="alert" hidden={self.problems.is_empty()}>
                    { for self.problems.iter().map(|p| html! { <p>{ lang.f(Key::EmbedProblem, &[("problem", p)]) }</p> }) }
                </div>
                <Terminal focus_on_type=false lang={lang} speed={self.speed} shell={self.shell.clone()} type_line={self.type_line.clone()}
                    enter={self.enter.clone()} embedded=true reset={self.reset.clone()} input_id={format!("{ids}-input")}
                    on_reply={link.callback(Msg::Reply)}
                    on_entered={link.callback(|(line, out)| Msg::Entered(line, out))} />
                // No script, no player: it never gets one later (`reset()` replays the same options).
                if let Some(player) = player {
                    <div class="ms-player-wrap">
                        <PlayerBar state={player.state()} progress={player.progress()}
                            speed={self.speed} lang={lang} copied={self.copied} on={link.callback(Msg::Press)} />
                    </div>
                }
                <ReplyExplainer embedded=true scrolls=true explained={self.reply.clone()} lang={lang} ids={ids} />
            </div>
        }
    }
}
