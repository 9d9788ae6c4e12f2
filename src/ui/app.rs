//! The app shell: header with the language switch, the terminal, the side
//! panel (the reply explainer, then Lessons, Help or Reference as tabs), and
//! the journey view. The app owns the learner's shell and world, the lesson
//! in progress and the saved progress (localStorage, versioned, one key per
//! instance; unreadable data is reset with a notice, never a crash).
//!
//! What the app says (notices, a lesson's feedback) is kept as what it means,
//! not as text, so it follows the language switch.

use super::events::{detail, Events};
use super::explain::{Explained, ReplyExplainer};
use super::journey::JourneyView;
use super::lessons::{LessonPane, Shown};
use super::mailbox::MailboxView;
use super::progress;
use super::reference::Reference;
use super::terminal::Terminal;
use super::transcripts::Explorer;
use super::SharedShell;
use crate::embed::{Cue, Item, Mode, Options, PlayState, Player, ReplyEvent, Script};
use crate::lang::{Key, Lang};
use crate::lessons::{parse, sources, Lesson, Run, Said};
use crate::link::{Link, LinkError};
use crate::shell::{LineKind, Shell, PROMPT};
use crate::world::faults::Faults;
use crate::world::World;
use std::rc::Rc;
use yew::prelude::*;

/// Steps of a first SMTP session, for the Help tab. Each button puts the
/// command into the terminal's input line (the learner presses Enter).
const STEPS: &[(&str, Key)] = &[
    ("telnet mail.example.com 25", Key::HelpConnect),
    ("EHLO client.example.net", Key::HelpEhlo),
    ("MAIL FROM:<learner@example.net>", Key::HelpMailFrom),
    ("RCPT TO:<alice@example.com>", Key::HelpRcptTo),
    ("DATA", Key::HelpData),
    ("Subject: Hello", Key::HelpSubject),
    (".", Key::HelpDot),
    ("QUIT", Key::HelpQuit),
];

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    #[prop_or(1)]
    pub seed: u64,
    /// Where this instance saves its progress (localStorage).
    #[prop_or(AttrValue::Static(progress::DEFAULT_KEY))]
    pub storage_key: AttrValue,
    /// The prefix of this instance's element ids, unique on the page.
    #[prop_or(AttrValue::Static("ms"))]
    pub ids: AttrValue,
    /// Part of a larger page: no `h1`, no focus taken on load.
    #[prop_or_default]
    pub embedded: bool,
    /// The language to start in (an embed's); by default the link's, then the browser's.
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// Where the embed's events go (`mailsim-ready`, `-reply`, `-step-complete`, `-lesson-complete`).
    #[prop_or_default]
    pub events: Events,
    /// An embed's options: its mode (what is shown), and what the page's
    /// link would say otherwise (an embed never reads the page's link).
    #[prop_or_default]
    pub options: Option<Rc<Options>>,
    /// What could not be used of the options.
    #[prop_or_default]
    pub problems: Rc<Vec<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Lessons,
    Help,
    Reference,
    Transcripts,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Lessons, Tab::Help, Tab::Reference, Tab::Transcripts];

    /// Its name, as links write it ([`crate::link::TABS`]).
    fn name(self) -> &'static str {
        match self {
            Tab::Lessons => "lessons",
            Tab::Help => "help",
            Tab::Reference => "reference",
            Tab::Transcripts => "transcripts",
        }
    }

    fn from_name(name: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// A notice over the lesson pane.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Notice {
    ProgressReset,
    FreshWorld,
}

/// Where the app starts: what the page's link (`#lesson=…&lang=…`) asks for.
fn page_link() -> (Link, Vec<LinkError>) {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Link::parse(&hash)
}

/// What the lesson says about an answer, next to the answer box.
#[derive(Clone, PartialEq, Eq)]
enum Feedback {
    NotQuite,
    Answer(String),
}

/// Where the focus goes after the next render.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Focus {
    /// The selected tab (the arrow keys moved it).
    Tab,
    /// The lesson's heading (a lesson was opened).
    LessonTitle,
    /// Where the learner acts next in the lesson: the answer box, the
    /// terminal, or the next lesson button.
    NextAction,
    /// The lessons menu (back from a lesson).
    Menu,
}

pub enum Msg {
    Insert(String),
    Reply(Explained),
    /// A reply code named in a lesson's text was clicked.
    Code(String),
    /// The world may have changed: refresh the views of it, check the lesson.
    Changed,
    Tab(Tab, bool),
    Pick(usize),
    Menu,
    Restart,
    Hint,
    Show,
    Answer(String),
    Language(Lang),
    /// A transcript to open in the explorer (a journey hop's dialogue).
    Explore(String),
    /// Replay client lines in the terminal, connected to this port.
    Play(u16, Vec<String>),
    /// Type a line into the terminal (a link's host and port).
    Type(String),
    /// The progress page: show (true) or leave; download it; print it.
    Report(bool),
    DownloadReport,
    PrintReport,
    /// Resets, each after a confirmation.
    ResetAll,
    ResetWorld,
    StepBack,
    /// Presenter mode on or off (the header's switch, Alt+Shift+P).
    Presenter,
    /// The lesson builder: a line entered in the terminal, recording on or off, the proposal's actions.
    Entered(String, crate::shell::ShellOutput),
    Record(bool),
    ProposalCheck,
    /// The teacher edited the proposal (its text now): what was checked or shared of it is out of date.
    ProposalEdited(String),
    ProposalDownload,
    ProposalOpen,
    ProposalShare,
    /// A scenario file was opened, or its text arrived.
    ScenarioFile(web_sys::File),
    ScenarioText(String),
    /// A lesson file was opened.
    LessonFile(web_sys::File),
    /// A lesson file's text (opened, or fetched for `#lesson-url=`).
    LessonText(String),
    /// A `#lesson-url=` could not be fetched: the address, why.
    LessonFetchFailed(String, String),
    /// `run(lines)` of an embed: lines entered at once.
    Run(Vec<String>),
    /// `play()` (`true`) and `pause()` of an embed: the replay goes on or stops.
    PlayOn(bool),
    /// `reset()` of an embed: a fresh world without asking.
    FreshWorld,
    /// Mounted: tell the page.
    Ready,
    /// The replay's next cue (an autoplayed script starting).
    Cue,
    /// The replay's controls.
    PlayPause,
    PlayStep,
    PlayStop,
    /// The replay's typing speed (1, 2, 4, 8 times a person's).
    PlaySpeed(u32),
}

/// Why a file the learner or teacher opened could not be used, as the parser found it.
#[derive(Debug, Clone)]
enum FileProblems {
    Lesson(crate::lessons::ParseErrors),
    Scenario(crate::world::scenario::ScenarioErrors),
}

impl FileProblems {
    /// One problem a line, each with its line number, in `lang`.
    fn lines(&self, lang: Lang) -> Vec<String> {
        let text = match self {
            FileProblems::Lesson(e) => e.said(lang),
            FileProblems::Scenario(e) => e.said(lang),
        };
        text.lines().map(str::to_string).collect()
    }
}

pub struct App {
    shell: SharedShell,
    /// Bumped whenever the world may have changed.
    version: u32,
    insert: Option<(u32, String)>,
    /// A solution line the terminal types for the learner ("Show me").
    type_line: Option<(u32, String)>,
    /// The world was replaced, and the host connected to then.
    reset: Option<(u32, Option<String>)>,
    counter: u32,
    /// The line shown in the explainer.
    reply: Option<Explained>,
    tab: Tab,
    lang: Lang,
    lessons: Rc<Vec<Lesson>>,
    current: Option<usize>,
    run: Option<Run>,
    /// Steps done per lesson, in course order.
    progress: Rc<Vec<usize>>,
    hints: usize,
    /// Lines of the current step's solution already shown.
    shown: usize,
    notice: Option<Notice>,
    feedback: Option<Feedback>,
    focus: Option<Focus>,
    /// A transcript for the explorer, numbered per request.
    incoming: Option<(u32, String)>,
    /// Client lines still to replay in the terminal, one per entered line.
    /// The lines being replayed (a transcript's client lines, an embed's
    /// script), walked by the same player as an embedded terminal's.
    player: Option<Player>,
    speed: u32,
    /// What the page's link could not use, shown once.
    link_problems: Vec<String>,
    /// A line to type once the terminal is there (a link's `host`, `port`).
    connect: Option<String>,
    /// Lessons opened from files or links, after the course.
    extra: Vec<Lesson>,
    /// Why the last lesson or scenario file could not be used: kept as found, and said in
    /// the language of the moment (a switch of language says them again).
    file_errors: Option<FileProblems>,
    /// A lesson file being read.
    reader: Option<gloo::file::callbacks::FileReader>,
    /// The steps done, for the progress page (saved beside the progress).
    log: Rc<Vec<progress::Done>>,
    /// Where in the shell's log the current step began (what was typed for it follows).
    step_start: usize,
    /// The Lessons tab shows the progress page.
    report: bool,
    presenter: bool,
    /// The lesson builder: recording while `Some`.
    recorder: Option<crate::lessons::builder::Recorder>,
    /// The scenario the sandbox's world was set up with (a file or a link), while it lasts:
    /// a lesson recorded in that world carries it.
    scenario_text: Option<String>,
    /// The lesson it proposed, and what checking it said.
    proposal: Option<String>,
    proposal_check: Option<Result<usize, Vec<String>>>,
    /// The proposal's share link, or why it cannot be one.
    proposal_link: Option<Result<String, String>>,
    proposal_area: NodeRef,
    /// Lines to enter at once (`run()`).
    enter: Option<(u32, Vec<String>, bool)>,
    /// What is shown: the whole app, or one of the embed's modes.
    mode: Mode,
}

fn load_lessons(lang: Lang) -> Vec<Lesson> {
    sources(lang).into_iter().filter_map(|s| parse(s.text).ok()).collect()
}

/// Where the record of steps done is saved, beside the progress.
fn log_key(progress_key: &str) -> String {
    format!("{progress_key}.steps")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl App {
    fn save(&self, ctx: &Context<Self>) {
        if let Some(s) = storage() {
            let _ = s.set_item(&ctx.props().storage_key, &progress::write(&self.lessons, &self.progress));
        }
    }

    fn set_progress(&mut self, ctx: &Context<Self>, i: usize, done: usize) {
        let mut p = (*self.progress).clone();
        if let Some(x) = p.get_mut(i) {
            *x = done;
        }
        self.progress = Rc::new(p);
        self.save(ctx);
    }

    /// Checks the lesson's goals against what just happened; `true` when a step was completed.
    fn check(&mut self, ctx: &Context<Self>) -> bool {
        let Some(run) = self.run.as_mut() else { return false };
        let moved = run.update(&self.shell.borrow());
        if moved == 0 {
            return false;
        }
        let done = run.done;
        // The record: each step just done, with when and what was typed for it.
        let shell = self.shell.borrow();
        let typed: Vec<String> = shell
            .log_since(self.step_start)
            .iter()
            .filter_map(|l| match l.kind {
                LineKind::Command => Some(l.text.strip_prefix(PROMPT).unwrap_or(&l.text).to_string()),
                LineKind::Client => Some(l.text.clone()),
                _ => None,
            })
            .collect();
        self.step_start = shell.log_position();
        drop(shell);
        let at = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
        let mut log = (*self.log).clone();
        for step in done - moved..done {
            let title = run.lesson.steps.get(step).map(|s| s.title.clone()).unwrap_or_default();
            progress::push_done(
                &mut log,
                progress::Done {
                    lesson: run.lesson.id.clone(),
                    lesson_title: run.lesson.title.clone(),
                    step: step + 1,
                    step_title: title,
                    at: at.clone(),
                    typed: if step + 1 == done { typed.clone() } else { Vec::new() },
                },
            );
        }
        if let Some(s) = storage() {
            let _ = s.set_item(&log_key(&ctx.props().storage_key), &serde_json::to_string(&log).unwrap_or_default());
        }
        self.log = Rc::new(log);
        let events = &ctx.props().events;
        for step in done - moved..done {
            let title = run.lesson.steps.get(step).map(|s| s.title.clone()).unwrap_or_default();
            events.emit(
                "mailsim-step-complete",
                detail(&[
                    ("lesson", run.lesson.id.as_str().into()),
                    ("step", (step as u32 + 1).into()),
                    ("title", title.into()),
                ]),
            );
        }
        if run.finished() {
            events.emit(
                "mailsim-lesson-complete",
                detail(&[("lesson", run.lesson.id.as_str().into()), ("title", run.lesson.title.as_str().into())]),
            );
        }
        self.hints = 0;
        self.shown = 0;
        self.feedback = None;
        if let Some(i) = self.current {
            let best = self.progress.get(i).copied().unwrap_or(0).max(done);
            self.set_progress(ctx, i, best);
        }
        true
    }

    /// Opens lesson `i` in a fresh world, at its saved step (a finished
    /// lesson opens finished; Restart starts it over).
    fn open(&mut self, ctx: &Context<Self>, i: usize) {
        let Some(lesson) = self.lessons.get(i).cloned() else { return };
        self.hints = 0;
        self.shown = 0;
        self.feedback = None;
        self.current = Some(i);
        // Each lesson starts in a fresh world, as its solution assumes.
        self.replace_world(World::new(ctx.props().seed));
        self.notice = Some(Notice::FreshWorld);
        let saved = self.progress.get(i).copied().unwrap_or(0);
        let mut shell = self.shell.borrow_mut();
        self.run = Some(Run::resume(lesson, &mut shell, saved));
        self.step_start = shell.log_position();
    }

    fn t(&self, key: Key) -> &'static str {
        self.lang.t(key)
    }

    /// Opens what a link asks for: a tab, a lesson at a step, faults, a
    /// host to connect to, a transcript to explore or replay.
    fn follow(&mut self, ctx: &Context<Self>, link: Link, errors: Vec<LinkError>) {
        let lang = self.lang;
        let mut problems: Vec<String> =
            errors.iter().map(|e| lang.f(Key::LinkProblem, &[("problem", &e.to_string())])).collect();
        if let Some(id) = &link.lesson {
            match self.lessons.iter().position(|l| &l.id == id) {
                Some(i) => {
                    if let Some(step) = link.step {
                        let steps = self.lessons[i].steps.len();
                        self.set_progress(ctx, i, (step - 1).min(steps));
                    }
                    self.open(ctx, i);
                    self.notice = None;
                }
                None => problems.push(lang.f(Key::LinkProblem, &[("problem", &format!("lesson={id}"))])),
            }
        }
        {
            let mut shell = self.shell.borrow_mut();
            let faults = shell.world_mut().faults_mut();
            for f in &link.faults {
                if faults.switch_on(f).is_err() {
                    problems.push(lang.f(Key::LinkProblem, &[("problem", &format!("faults={f}"))]));
                }
            }
        }
        if let Some(text) = link.scenario.as_deref() {
            for p in self.set_up(ctx, text).map(|e| FileProblems::Scenario(e).lines(lang)).unwrap_or_default() {
                problems.push(lang.f(Key::LinkProblem, &[("problem", &format!("scenario: {p}"))]));
            }
        }
        if let Some(text) = link.lesson_text.as_deref() {
            self.take_lesson(ctx, text);
            for e in self.file_errors.as_ref().map(|p| p.lines(lang)).unwrap_or_default() {
                problems.push(lang.f(Key::LinkProblem, &[("problem", &format!("l: {e}"))]));
            }
        }
        if let Some(url) = link.lesson_url.clone() {
            Self::fetch_lesson(ctx, url);
        }
        if let Some(host) = &link.host {
            self.connect = Some(match link.port {
                Some(p) => format!("telnet {host} {p}"),
                None => format!("telnet {host}"),
            });
        }
        if let Some(t) = link.transcript {
            if link.play {
                if let Ok(tr) = crate::transcript::parse(t.as_bytes(), None) {
                    let port = crate::transcript::export::replay_port(&tr);
                    self.connect = Some(format!("telnet mail.example.com {port}"));
                    let lines =
                        tr.lines.iter().filter(|s| s.side == crate::transcript::Side::Client).map(|s| s.text.clone());
                    self.replay(lines.collect(), true);
                }
            } else {
                self.counter = self.counter.wrapping_add(1);
                self.incoming = Some((self.counter, t));
                self.tab = Tab::Transcripts;
            }
        }
        if let Some(tab) = link.tab.as_deref().and_then(Tab::from_name) {
            self.tab = tab;
        }
        self.link_problems = problems;
    }

    /// Sets the world up from a scenario's text, in a fresh world (the
    /// sandbox: lesson progress stays); returns its problems, with their lines.
    fn set_up(&mut self, ctx: &Context<Self>, text: &str) -> Option<crate::world::scenario::ScenarioErrors> {
        let scenario = match crate::world::scenario::Scenario::parse(text) {
            Ok(s) => s,
            Err(e) => return Some(e),
        };
        let mut world = World::new(ctx.props().seed);
        let problems = scenario.apply(&mut world).err();
        self.replace_world(world);
        if problems.is_none() {
            self.scenario_text = Some(text.to_string());
        }
        problems
    }

    /// Puts the shell in `world`, telling the terminal (it names the
    /// connection that closes) and the views of the world.
    fn replace_world(&mut self, world: World) {
        let mut shell = self.shell.borrow_mut();
        let host = shell.connected_to().map(str::to_string);
        shell.reset_world(world);
        drop(shell);
        self.scenario_text = None;
        self.counter = self.counter.wrapping_add(1);
        self.reset = Some((self.counter, host));
        self.version = self.version.wrapping_add(1);
    }

    /// Replaces the lesson list (the course in the language, then the extra
    /// lessons), keeping each lesson's progress by its id.
    fn relist(&mut self) {
        let mut lessons = load_lessons(self.lang);
        lessons.extend(self.extra.iter().cloned());
        let progress = lessons
            .iter()
            .map(|l| {
                self.lessons.iter().position(|o| o.id == l.id).and_then(|i| self.progress.get(i).copied()).unwrap_or(0)
            })
            .collect();
        self.lessons = Rc::new(lessons);
        self.progress = Rc::new(progress);
    }

    /// Reads a lesson file's text: opens it, or lists its problems with their lines.
    fn take_lesson(&mut self, ctx: &Context<Self>, text: &str) {
        match parse(text) {
            Ok(lesson) => {
                self.file_errors = None;
                let id = lesson.id.clone();
                self.extra.retain(|l| l.id != id);
                self.extra.push(lesson);
                self.relist();
                if let Some(i) = self.lessons.iter().rposition(|l| l.id == id) {
                    self.tab = Tab::Lessons;
                    self.open(ctx, i);
                    self.focus = Some(Focus::LessonTitle);
                }
            }
            Err(e) => self.file_errors = Some(FileProblems::Lesson(e)),
        }
    }

    /// Fetches a lesson file for `#lesson-url=` (the browser's same-origin and CORS rules apply).
    fn fetch_lesson(ctx: &Context<Self>, url: String) {
        use wasm_bindgen::JsCast;
        let link = ctx.link().clone();
        yew::platform::spawn_local(async move {
            let fetched = async {
                let window = web_sys::window().ok_or("no window")?;
                let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url))
                    .await
                    .map_err(|_| "network error")?;
                let resp: web_sys::Response = resp.dyn_into().map_err(|_| "no response")?;
                if !resp.ok() {
                    return Err(if resp.status() == 404 { "404 Not Found" } else { "the server refused" });
                }
                let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|_| "unreadable")?)
                    .await
                    .map_err(|_| "unreadable")?;
                text.as_string().ok_or("not text")
            };
            match fetched.await {
                // A lesson file is small; anything over 1 MiB is not one.
                Ok(text) if text.len() <= 1 << 20 => link.send_message(Msg::LessonText(text)),
                Ok(_) => link.send_message(Msg::LessonFetchFailed(url, "over 1 MiB".into())),
                Err(why) => link.send_message(Msg::LessonFetchFailed(url, why.into())),
            }
        });
    }

    /// The proposed lesson as edited in its text box.
    fn proposal_text(&self) -> String {
        use wasm_bindgen::JsCast;
        self.proposal_area
            .get()
            .and_then(|n| n.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|a| a.value())
            .or_else(|| self.proposal.clone())
            .unwrap_or_default()
    }

    /// An embed's script: explored in `transcript` mode; elsewhere replayed
    /// in the terminal with the replay's controls (at once with `autoplay`).
    fn take_script(&mut self, _ctx: &Context<Self>, o: &Options) {
        let Some(text) = o.script.clone() else { return };
        if let Some(why) = &o.script_problem {
            self.link_problems.push(self.lang.f(Key::EmbedProblem, &[("problem", why)]));
        }
        if self.mode == Mode::Transcript {
            self.counter = self.counter.wrapping_add(1);
            self.incoming = Some((self.counter, crate::embed::dedent(&text)));
            self.tab = Tab::Transcripts;
            return;
        }
        let (script, errors) = Script::parse(&text);
        self.link_problems
            .extend(errors.iter().map(|e| self.lang.f(Key::EmbedProblem, &[("problem", &e.to_string())])));
        let mut player = Player::new(script);
        if o.autoplay {
            player.play();
        }
        self.player = Some(player);
        self.speed = o.speed;
    }

    /// Replays `lines` as they are (no `#pause` read in them), playing or not.
    fn replay(&mut self, lines: Vec<String>, playing: bool) {
        let mut player = Player::new(Script { items: lines.into_iter().map(Item::Line).collect() });
        if playing {
            player.play();
        }
        self.player = Some(player);
    }

    /// The replay's next cue, while it plays: a line to type, a `#pause`, or the end.
    fn cue(&mut self, ctx: &Context<Self>) {
        match self.player.as_mut().and_then(Player::next_cue) {
            Some(Cue::Type(line)) => self.type_next(line),
            Some(Cue::End) => ctx.props().events.emit("mailsim-script-end", detail(&[])),
            Some(Cue::Pause) | None => {}
        }
    }

    /// Hands the terminal the next line to type.
    fn type_next(&mut self, line: String) {
        self.counter = self.counter.wrapping_add(1);
        self.type_line = Some((self.counter, line));
    }

    fn id(&self, ctx: &Context<Self>, what: &str) -> String {
        format!("{}-{what}", ctx.props().ids)
    }

    /// Moves the focus where a render asked it to go.
    fn apply_focus(&self, ctx: &Context<Self>, focus: Focus) {
        let root = ctx.props().events.root_node();
        let by_id = |id: &str| super::browser::by_id(root.clone(), id);
        let target = match focus {
            Focus::Tab => by_id(&self.id(ctx, &format!("tab-{}", self.tab.name()))),
            Focus::LessonTitle => by_id(&self.id(ctx, "lessons-h")),
            Focus::Menu => by_id(&self.id(ctx, "menu-first")).or_else(|| by_id(&self.id(ctx, "lessons-h"))),
            Focus::NextAction => by_id(&self.id(ctx, "answer"))
                .or_else(|| by_id(&self.id(ctx, "next-lesson")))
                .or_else(|| self.run.as_ref().filter(|r| r.finished()).and_then(|_| by_id(&self.id(ctx, "lessons-h"))))
                .or_else(|| by_id(&self.id(ctx, "input"))),
        };
        if let Some(el) = target {
            let _ = el.focus();
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        // Only the stand-alone page reads its link: an embedded instance is the host page's.
        let (link, errors) = match (&ctx.props().options, ctx.props().embedded) {
            (Some(o), _) => (o.link.clone(), Vec::new()),
            (None, true) => Default::default(),
            (None, false) => page_link(),
        };
        let seed = link.seed.unwrap_or(ctx.props().seed);
        let shell = SharedShell::new(Shell::new(World::new(seed)));
        let lang = link.lang.or(ctx.props().lang).unwrap_or_else(|| {
            Lang::from_browser_language(web_sys::window().and_then(|w| w.navigator().language()).as_deref())
        });
        let lessons = load_lessons(lang);
        let mut notice = None;
        let key = ctx.props().storage_key.clone();
        let saved = storage().and_then(|s| s.get_item(&key).ok().flatten()).unwrap_or_default();
        let progress = progress::read(&lessons, &saved).unwrap_or_else(|| {
            if let Some(s) = storage() {
                let _ = s.remove_item(&key);
            }
            notice = Some(Notice::ProgressReset);
            vec![0; lessons.len()]
        });
        let mut app = Self {
            shell,
            version: 0,
            insert: None,
            type_line: None,
            reset: None,
            counter: 0,
            reply: None,
            tab: Tab::Lessons,
            lang,
            lessons: Rc::new(lessons),
            current: None,
            run: None,
            progress: Rc::new(progress),
            hints: 0,
            shown: 0,
            notice,
            feedback: None,
            focus: None,
            incoming: None,
            player: None,
            speed: 1,
            link_problems: Vec::new(),
            connect: None,
            extra: Vec::new(),
            file_errors: None,
            reader: None,
            log: Rc::new(
                storage()
                    .and_then(|s| s.get_item(&log_key(&key)).ok().flatten())
                    .map(|t| progress::read_log(&t))
                    .unwrap_or_default(),
            ),
            step_start: 0,
            report: false,
            presenter: false,
            recorder: None,
            scenario_text: None,
            proposal: None,
            proposal_check: None,
            proposal_link: None,
            proposal_area: NodeRef::default(),
            enter: None,
            mode: ctx.props().options.as_ref().map_or(Mode::Full, |o| o.mode),
        };
        app.follow(ctx, link, errors);
        app.link_problems.extend(ctx.props().problems.iter().map(|p| app.lang.f(Key::EmbedProblem, &[("problem", p)])));
        if let Some(o) = ctx.props().options.clone() {
            app.take_script(ctx, &o);
        }
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Insert(cmd) => {
                // The terminal's input takes the focus now: a focus asked for earlier and not yet
                // given (a tab chosen by key, its render late on a busy machine) would take it back.
                self.focus = None;
                self.counter = self.counter.wrapping_add(1);
                self.insert = Some((self.counter, cmd));
            }
            Msg::Reply(explained) => {
                let changed = self.reply.as_ref() != Some(&explained);
                self.reply = Some(explained);
                return changed;
            }
            Msg::Code(code) => {
                let Some(explanation) = crate::explain::explain_code(&code) else { return false };
                self.reply = Some(Explained { line: code, explanation });
            }
            Msg::Changed => {
                self.version = self.version.wrapping_add(1);
                self.check(ctx);
                // A replay goes on after each line the terminal entered.
                self.cue(ctx);
            }
            Msg::Explore(text) => {
                self.counter = self.counter.wrapping_add(1);
                self.incoming = Some((self.counter, text));
                self.tab = Tab::Transcripts;
            }
            Msg::Play(port, lines) => {
                // A replay starts in a fresh world, connected to mailsim's server.
                self.replace_world(World::new(ctx.props().seed));
                self.replay(lines, true);
                self.type_next(format!("telnet mail.example.com {port}"));
            }
            Msg::Type(line) => self.type_next(line),
            Msg::Report(on) => {
                self.report = on;
                self.focus = Some(if on { Focus::LessonTitle } else { Focus::Menu });
            }
            Msg::DownloadReport => {
                let r = progress::report(&self.lessons, &self.progress, &self.log);
                super::browser::download("mailsim-progress.json", "application/json", &format!("{r:#}\n"));
                return false;
            }
            Msg::PrintReport => {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
                return false;
            }
            Msg::ResetAll => {
                if !super::browser::confirm(self.t(Key::ResetAllConfirm)) {
                    return false;
                }
                self.progress = Rc::new(vec![0; self.lessons.len()]);
                self.log = Rc::default();
                if let Some(s) = storage() {
                    let _ = s.remove_item(&ctx.props().storage_key);
                    let _ = s.remove_item(&log_key(&ctx.props().storage_key));
                }
            }
            Msg::ResetWorld => {
                if !super::browser::confirm(self.t(Key::ResetWorldConfirm)) {
                    return false;
                }
                self.replace_world(World::new(ctx.props().seed));
            }
            Msg::StepBack => {
                let Some(i) = self.current else { return false };
                let done = self.run.as_ref().map_or(0, |r| r.done);
                if done == 0 || !super::browser::confirm(self.t(Key::StepBackConfirm)) {
                    return false;
                }
                self.set_progress(ctx, i, done - 1);
                self.open(ctx, i);
                self.focus = Some(Focus::LessonTitle);
            }
            Msg::Presenter => self.presenter = !self.presenter,
            Msg::Entered(line, out) => {
                if let Some(r) = ReplyEvent::of(&line, &out) {
                    ctx.props().events.reply(&r);
                }
                let Some(rec) = self.recorder.as_mut() else { return false };
                rec.input(&line, &out);
            }
            Msg::Record(on) => {
                // The world recorded in: its faults when recording starts and when it stops
                // (one switched on between counts), and its scenario.
                let faults = self.shell.borrow().world().faults().specs();
                if on {
                    let mut rec = crate::lessons::builder::Recorder::new();
                    rec.world_was(faults, self.scenario_text.clone());
                    self.recorder = Some(rec);
                    self.proposal = None;
                    self.proposal_check = None;
                } else if let Some(mut rec) = self.recorder.take() {
                    rec.world_was(faults, None);
                    match rec.propose("my-lesson", "My lesson", self.lang) {
                        Ok(text) => {
                            self.proposal = Some(text);
                            self.proposal_check = None;
                        }
                        Err(_) => self.proposal_check = Some(Err(vec![self.t(Key::BuilderNothing).into()])),
                    }
                }
            }
            Msg::ProposalEdited(text) => {
                // Kept as edited, so that a render (which sets the textarea's value) keeps the edit.
                self.proposal = Some(text);
                let stale = self.proposal_check.is_some() || self.proposal_link.is_some();
                self.proposal_check = None;
                self.proposal_link = None;
                return stale;
            }
            Msg::ProposalCheck => {
                let text = self.proposal_text();
                self.proposal_check = Some(match parse(&text) {
                    Ok(lesson) => {
                        let failures = crate::lessons::check(&lesson);
                        if failures.is_empty() {
                            Ok(lesson.steps.len())
                        } else {
                            Err(failures.iter().map(|f| f.said(self.lang)).collect())
                        }
                    }
                    Err(e) => Err(e.said(self.lang).lines().map(str::to_string).collect()),
                });
                self.proposal = Some(text);
            }
            Msg::ProposalDownload => {
                let text = self.proposal_text();
                let id = parse(&text).map(|l| l.id).unwrap_or_else(|_| "my-lesson".into());
                super::browser::download(&format!("{id}.md"), "text/markdown;charset=utf-8", &text);
                return false;
            }
            Msg::ProposalShare => {
                let text = self.proposal_text();
                let link = Link { lesson_text: Some(text.clone()), ..Link::default() };
                self.proposal_link = Some(super::browser::share_url(&link, self.lang));
                self.proposal = Some(text);
            }
            Msg::ProposalOpen => {
                let text = self.proposal_text();
                self.proposal = Some(text.clone());
                self.take_lesson(ctx, &text);
            }
            Msg::ScenarioFile(file) => {
                self.reader = Some(super::browser::read_text(ctx, file, Msg::ScenarioText));
                return false;
            }
            Msg::ScenarioText(text) => {
                self.reader = None;
                self.file_errors = self.set_up(ctx, &text).map(FileProblems::Scenario);
            }
            Msg::LessonFile(file) => {
                self.reader = Some(super::browser::read_text(ctx, file, Msg::LessonText));
                return false;
            }
            Msg::LessonText(text) => {
                self.reader = None;
                self.take_lesson(ctx, &text);
            }
            Msg::LessonFetchFailed(url, why) => {
                self.link_problems.push(self.lang.f(Key::LessonFetchFailed, &[("url", &url), ("why", &why)]));
            }
            Msg::Run(lines) => {
                self.counter = self.counter.wrapping_add(1);
                self.enter = Some((self.counter, lines, false));
            }
            Msg::PlayOn(on) => {
                let playing = self.player.as_ref().is_some_and(|p| p.state() == PlayState::Playing);
                if playing != on {
                    ctx.link().send_message(Msg::PlayPause);
                }
                return false;
            }
            Msg::FreshWorld => self.replace_world(World::new(ctx.props().seed)),
            Msg::Cue => self.cue(ctx),
            Msg::Ready => {
                ctx.props().events.emit("mailsim-ready", detail(&[("mode", self.mode.name().into())]));
                return false;
            }
            Msg::PlayPause => {
                if self.player.as_mut().is_some_and(Player::toggle) {
                    self.cue(ctx);
                }
            }
            Msg::PlayStep => {
                // The next line, typed; the replay is paused after it.
                if let Some(line) = self.player.as_mut().and_then(Player::forward) {
                    self.type_next(line);
                }
                if self.player.as_ref().is_some_and(|p| p.state() == PlayState::Done) {
                    ctx.props().events.emit("mailsim-script-end", detail(&[]));
                }
            }
            Msg::PlaySpeed(n) => self.speed = n.clamp(1, crate::embed::MAX_SPEED),
            Msg::PlayStop => self.player = None,
            Msg::Tab(t, by_key) => {
                self.tab = t;
                if by_key {
                    self.focus = Some(Focus::Tab);
                }
            }
            Msg::Pick(i) => {
                self.open(ctx, i);
                self.focus = Some(Focus::LessonTitle);
            }
            Msg::Menu => {
                self.current = None;
                self.run = None;
                self.notice = None;
                self.feedback = None;
                // The sandbox: the world stays, the lesson's faults go.
                *self.shell.borrow_mut().world_mut().faults_mut() = Faults::default();
                self.version = self.version.wrapping_add(1);
                self.focus = Some(Focus::Menu);
            }
            Msg::Restart => {
                if !super::browser::confirm(self.t(Key::RestartConfirm)) {
                    return false;
                }
                if let Some(i) = self.current {
                    self.set_progress(ctx, i, 0);
                    self.open(ctx, i);
                    self.focus = Some(Focus::LessonTitle);
                }
            }
            Msg::Hint => self.hints += 1,
            Msg::Show => {
                let line = self
                    .run
                    .as_ref()
                    .and_then(|r| r.lesson.steps.get(r.done))
                    .and_then(|s| s.solution.get(self.shown))
                    .cloned();
                if let Some(line) = line {
                    self.shown += 1;
                    match line.strip_prefix("answer: ") {
                        Some(a) => self.feedback = Some(Feedback::Answer(a.to_string())),
                        None => {
                            self.counter = self.counter.wrapping_add(1);
                            self.type_line = Some((self.counter, line));
                        }
                    }
                }
            }
            Msg::Answer(text) => {
                if let Some(run) = self.run.as_mut() {
                    run.answer(&text);
                }
                if self.check(ctx) {
                    // The answer box is gone: focus goes where the learner acts next.
                    self.focus = Some(Focus::NextAction);
                } else {
                    self.feedback = Some(Feedback::NotQuite);
                }
            }
            Msg::Language(lang) => {
                self.lang = lang;
                self.relist();
                if let (Some(run), Some(i)) = (self.run.as_mut(), self.current) {
                    if let Some(l) = self.lessons.get(i) {
                        run.lesson = l.clone();
                    }
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first: bool) {
        if first {
            if let Some(line) = self.connect.take() {
                ctx.link().send_message(Msg::Type(line));
            } else if self.player.as_ref().is_some_and(|p| p.state() == PlayState::Playing) {
                // An autoplayed script with no connection to make first.
                ctx.link().send_message(Msg::Cue);
            }
            if ctx.props().options.is_some() {
                ctx.link().send_message(Msg::Ready);
            }
        }
        if let Some(focus) = self.focus.take() {
            self.apply_focus(ctx, focus);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.lang;
        let ids = ctx.props().ids.clone();
        let tab_id = |t: Tab| format!("{ids}-tab-{}", t.name());
        let panel_id = format!("{ids}-panel");
        let tab = |t: Tab, label: &'static str| {
            let selected = self.tab == t;
            html! {
                <button type="button" role="tab" id={tab_id(t)} aria-selected={selected.to_string()} aria-controls={panel_id.clone()}
                    tabindex={if selected { "0" } else { "-1" }}
                    class={if selected { "ms-tab ms-tab-on" } else { "ms-tab" }}
                    onclick={link.callback(move |_| Msg::Tab(t, false))}>{ label }</button>
            }
        };
        // The tablist's keys (WAI-ARIA tabs, automatic activation).
        let current_tab = self.tab;
        let tab_keys = link.batch_callback(move |e: KeyboardEvent| {
            let at = Tab::ALL.iter().position(|t| *t == current_tab).unwrap_or(0);
            let n = Tab::ALL.len();
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (at + 1) % n,
                "ArrowLeft" | "ArrowUp" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return None,
            };
            e.prevent_default();
            Some(Msg::Tab(Tab::ALL[to], true))
        });
        let help = html! {
            <>
                <h2>{ self.t(Key::HelpTitle) }</h2>
                <ol class="ms-steps">
                    { for STEPS.iter().map(|(cmd, what)| {
                        let c = cmd.to_string();
                        let onclick = link.callback(move |_: MouseEvent| Msg::Insert(c.clone()));
                        html! {
                            <li>
                                <button type="button" class="ms-cmdbtn" {onclick} title={lang.t(Key::HelpPutCommand)}>
                                    <code>{ *cmd }</code>
                                </button>
                                <span class="ms-what">{ lang.t(*what) }</span>
                            </li>
                        }
                    }) }
                </ol>
                <h2>{ self.t(Key::ReplyCodes) }</h2>
                <ul class="ms-codes">
                    <li><span class="ms-r2">{ "2xx" }</span>{ format!(" {}", self.t(Key::Codes2xx)) }</li>
                    <li><span class="ms-r3">{ "3xx" }</span>{ format!(" {}", self.t(Key::Codes3xx)) }</li>
                    <li><span class="ms-r4">{ "4xx" }</span>{ format!(" {}", self.t(Key::Codes4xx)) }</li>
                    <li><span class="ms-r5">{ "5xx" }</span>{ format!(" {}", self.t(Key::Codes5xx)) }</li>
                </ul>
                <p class="ms-note">{ self.t(Key::HelpUsers) }</p>
            </>
        };
        let notice = self.notice.map(|n| {
            match n {
                Notice::ProgressReset => self.t(Key::ProgressReset),
                Notice::FreshWorld => self.t(Key::LessonFreshWorld),
            }
            .to_string()
        });
        let feedback = self.feedback.as_ref().map(|f| match f {
            Feedback::NotQuite => self.t(Key::NotQuite).to_string(),
            Feedback::Answer(a) => lang.f(Key::TheAnswer, &[("answer", a)]),
        });
        let shown = Shown { done: self.run.as_ref().map_or(0, |r| r.done), hints: self.hints };
        let report = self.report.then(|| {
            let heading = format!("{ids}-lessons-h");
            let items = self.lessons.iter().zip(self.progress.iter()).filter(|(l, n)| **n > 0 || self.log.iter().any(|d| d.lesson == l.id)).map(|(l, n)| {
                let steps = self.log.iter().filter(|d| d.lesson == l.id).map(|d| html! {
                    <li>
                        <span>{ lang.f(Key::ProgressStep, &[("step", &d.step.to_string()), ("title", &d.step_title), ("time", &d.at)]) }</span>
                        if !d.typed.is_empty() {
                            <div class="ms-typed"><span>{ self.t(Key::ProgressTyped) }</span><pre>{ d.typed.join("\n") }</pre></div>
                        }
                    </li>
                });
                html! {
                    <li class="ms-report-lesson">
                        <h3>{ &l.title }</h3>
                        <p class="ms-muted">{ lang.f(Key::ProgressSteps, &[("done", &n.to_string()), ("total", &l.steps.len().to_string())]) }</p>
                        <ol class="ms-report-steps">{ for steps }</ol>
                    </li>
                }
            }).collect::<Vec<_>>();
            html! {
                <section class="ms-lessons ms-report-page" aria-labelledby={heading.clone()}>
                    <div class="ms-lesson-bar">
                        <button type="button" class="ms-back" onclick={link.callback(|_| Msg::Report(false))}>{ self.t(Key::ProgressBack) }</button>
                        <button type="button" class="ms-report-json" onclick={link.callback(|_| Msg::DownloadReport)}>{ self.t(Key::ProgressDownload) }</button>
                        <button type="button" onclick={link.callback(|_| Msg::PrintReport)}>{ self.t(Key::ProgressPrint) }</button>
                    </div>
                    <h2 id={heading} tabindex="-1">{ self.t(Key::ProgressTitle) }</h2>
                    <p class="ms-note">{ self.t(Key::ProgressNote) }</p>
                    if items.is_empty() {
                        <p>{ self.t(Key::ProgressEmpty) }</p>
                    } else {
                        <ul class="ms-report-list">{ for items }</ul>
                    }
                </section>
            }
        });
        // The lesson builder, on the lessons menu (not inside a lesson or the progress page).
        let builder = (self.current.is_none() && !self.report).then(|| {
            let recording = self.recorder.as_ref();
            html! {
                <section class="ms-builder" aria-labelledby={format!("{ids}-builder-h")}>
                    <h3 id={format!("{ids}-builder-h")}>{ self.t(Key::BuilderTitle) }</h3>
                    <p class="ms-muted">{ self.t(Key::BuilderText) }</p>
                    if let Some(rec) = recording {
                        <p class="ms-recording" role="status">{ lang.f(Key::BuilderRecording, &[("count", &rec.len().to_string())]) }</p>
                        <button type="button" class="ms-record-stop" onclick={link.callback(|_| Msg::Record(false))}>{ self.t(Key::BuilderStop) }</button>
                    } else {
                        <button type="button" class="ms-record" onclick={link.callback(|_| Msg::Record(true))}>{ self.t(Key::BuilderRecord) }</button>
                    }
                    if let Some(text) = &self.proposal {
                        <label class="ms-tx-label" for={format!("{ids}-proposal")}>{ self.t(Key::BuilderLabel) }</label>
                        <textarea id={format!("{ids}-proposal")} class="ms-tx-text ms-proposal" rows="14" spellcheck="false" value={text.clone()} ref={self.proposal_area.clone()} oninput={link.callback(|e: InputEvent| {
                            use wasm_bindgen::JsCast;
                            Msg::ProposalEdited(e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()).map(|a| a.value()).unwrap_or_default())
                        })} />
                        <div class="ms-tx-bar">
                            <button type="button" class="ms-proposal-check" onclick={link.callback(|_| Msg::ProposalCheck)}>{ self.t(Key::BuilderCheck) }</button>
                            <button type="button" class="ms-proposal-download" onclick={link.callback(|_| Msg::ProposalDownload)}>{ self.t(Key::BuilderDownload) }</button>
                            <button type="button" class="ms-proposal-open" onclick={link.callback(|_| Msg::ProposalOpen)}>{ self.t(Key::BuilderOpen) }</button>
                            <button type="button" class="ms-proposal-share" onclick={link.callback(|_| Msg::ProposalShare)}>{ self.t(Key::TranscriptShare) }</button>
                        </div>
                        { for self.proposal_link.as_ref().map(|l| match l {
                            Ok(url) => html! {
                                <label class="ms-tx-share">{ self.t(Key::TranscriptShareLabel) }
                                    <input type="text" readonly=true class="ms-tx-link ms-proposal-link" value={url.clone()} />
                                </label>
                            },
                            Err(why) => html! { <p class="ms-tx-error" role="alert">{ why }</p> },
                        }) }
                    }
                    { for self.proposal_check.as_ref().map(|c| match c {
                        Ok(n) => html! { <p class="ms-builder-ok" role="status">{ lang.f(Key::BuilderOk, &[("steps", &n.to_string())]) }</p> },
                        Err(problems) => html! {
                            <div class="ms-lesson-errors" role="alert"><ul>{ for problems.iter().map(|p| html! { <li><pre>{ p }</pre></li> }) }</ul></div>
                        },
                    }) }
                </section>
            }
        });
        let lessons = html! {
            <LessonPane embedded={ctx.props().embedded} lessons={self.lessons.clone()} current={self.current} shown={shown}
                progress={self.progress.clone()} notice={notice} feedback={feedback} lang={lang} ids={ids.clone()}
                on_pick={link.callback(Msg::Pick)} on_menu={link.callback(|_| Msg::Menu)} on_restart={link.callback(|_| Msg::Restart)}
                on_hint={link.callback(|_| Msg::Hint)} on_show={link.callback(|_| Msg::Show)}
                on_answer={link.callback(Msg::Answer)} on_code={link.callback(Msg::Code)}
                on_file={link.callback(Msg::LessonFile)} file_errors={Rc::new(self.file_errors.as_ref().map(|p| p.lines(lang)).unwrap_or_default())}
                on_scenario={link.callback(Msg::ScenarioFile)}
                on_report={link.callback(|_| Msg::Report(true))} on_reset_all={link.callback(|_| Msg::ResetAll)}
                on_step_back={link.callback(|_| Msg::StepBack)} />
        };
        // On a phone the side panel is far below the terminal: the current step and its
        // Show me sit right under the terminal too (hidden where the panel is beside it).
        // (Always rendered, hidden without a lesson: the terminal beside it must never be re-created.)
        let step = self
            .run
            .as_ref()
            .filter(|r| !r.finished())
            .and_then(|r| Some((r.done, r.lesson.steps.len(), r.lesson.steps.get(r.done)?)));
        let strip = html! {
            <div class="ms-strip" role="group" aria-label={self.t(Key::Lesson)} hidden={step.is_none()}>
                <span class="ms-strip-step">
                    <strong>{ step.map(|(done, total, _)| lang.f(Key::StepOf, &[("step", &(done + 1).to_string()), ("total", &total.to_string())])).unwrap_or_default() }</strong>
                    { step.map(|(_, _, s)| format!(" {}", s.title)).unwrap_or_default() }
                </span>
                <button type="button" class="ms-show" onclick={link.callback(|_| Msg::Show)}>{ self.t(Key::ShowMe) }</button>
            </div>
        };
        // The replay's controls, while client lines are still to send. (Always rendered,
        // hidden otherwise: a sibling appearing would make Yew re-create the terminal.)
        let (done, total) = self.player.as_ref().map_or((0, 0), Player::progress);
        let state = self.player.as_ref().map_or(PlayState::Done, Player::state);
        let replay = html! {
            <div class="ms-replay" role="group" aria-label={self.t(Key::ReplayLabel)} hidden={state == PlayState::Done}>
                <span role="status">{ lang.f(Key::ReplayProgress, &[("done", &done.to_string()), ("total", &total.to_string())]) }</span>
                <button type="button" onclick={link.callback(|_| Msg::PlayPause)}>{ self.t(if state == PlayState::Playing { Key::ReplayPause } else { Key::ReplayResume }) }</button>
                <button type="button" onclick={link.callback(|_| Msg::PlayStep)}>{ self.t(Key::ReplayStep) }</button>
                <button type="button" onclick={link.callback(|_| Msg::PlayStop)}>{ self.t(Key::ReplayStop) }</button>
                <label class="ms-replay-speed">{ self.t(Key::ReplaySpeed) }
                    <select onchange={link.callback(|e: Event| Msg::PlaySpeed(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(1)))}>
                        { for [1u32, 2, 4, 8].into_iter().map(|n| html! { <option value={n.to_string()} selected={self.speed == n}>{ format!("{n}×") }</option> }) }
                    </select>
                </label>
            </div>
        };
        // Each language's own word for "language": "Language / Язык".
        let switch_label = Lang::ALL.iter().map(|l| l.t(Key::Language)).collect::<Vec<_>>().join(" / ");
        let logo = html! { <><span aria-hidden="true">{ "✉" }</span>{ " mailsim" }</> };
        let mode = self.mode;
        let embedded = ctx.props().embedded;
        let explainer = html! { <ReplyExplainer embedded={embedded} explained={self.reply.clone()} lang={lang} ids={ids.clone()} /> };
        let explorer = html! {
            <Explorer lang={lang} shell={self.shell.clone()} incoming={self.incoming.clone()} ids={ids.clone()} read_only={mode == Mode::Transcript}
                on_play={link.callback(|(port, lines)| Msg::Play(port, lines))} />
        };
        let terminal = html! {
            <div class="ms-termcol">
                <Terminal lang={lang} speed={self.speed} shell={self.shell.clone()} insert={self.insert.clone()} type_line={self.type_line.clone()} enter={self.enter.clone()}
                    embedded={embedded} reset={self.reset.clone()} autofocus={!embedded} input_id={format!("{ids}-input")}
                    on_reply={link.callback(Msg::Reply)} on_input={link.callback(|_| Msg::Changed)}
                    on_entered={link.callback(|(line, out)| Msg::Entered(line, out))} />
                { strip }
                { replay }
            </div>
        };
        let side = match mode {
            Mode::Lesson => html! { <>{ explainer.clone() }{ report.unwrap_or(lessons) }</> },
            _ => html! {
                <>
                    { explainer.clone() }
                    <div class="ms-tabs" role="tablist" aria-label={self.t(Key::SidePanel)} onkeydown={tab_keys}>
                        { tab(Tab::Lessons, self.t(Key::Lessons)) }
                        { tab(Tab::Help, self.t(Key::TabHelp)) }
                        { tab(Tab::Reference, self.t(Key::TabReference)) }
                        { tab(Tab::Transcripts, self.t(Key::TabTranscripts)) }
                    </div>
                    <div role="tabpanel" id={panel_id.clone()} aria-labelledby={tab_id(self.tab)}>
                        { match self.tab {
                            Tab::Lessons => html! { <>{ report.unwrap_or(lessons) }{ builder }</> },
                            Tab::Help => help,
                            Tab::Reference => html! { <Reference lang={lang} on_try={link.callback(Msg::Insert)} /> },
                            Tab::Transcripts => html! {},
                        } }
                        // Kept mounted (hidden on other tabs), so what was pasted stays.
                        <div hidden={self.tab != Tab::Transcripts}>{ explorer.clone() }</div>
                    </div>
                </>
            },
        };
        let journey = html! {
            <>
                <JourneyView embedded={embedded} shell={self.shell.clone()} version={self.version} on_explain={link.callback(Msg::Reply)}
                    on_explore={link.callback(Msg::Explore)}
                    on_change={link.callback(|_| Msg::Changed)} lang={lang} ids={ids.clone()} />
                <MailboxView embedded={embedded} shell={self.shell.clone()} version={self.version} lang={lang} ids={ids.clone()} />
            </>
        };
        let problems = html! {
            if !self.link_problems.is_empty() {
                <div class="ms-link-problems" role="alert">{ for self.link_problems.iter().map(|p| html! { <p>{ p }</p> }) }</div>
            }
        };
        let body = match mode {
            Mode::Full | Mode::Terminal => html! {
                <>
                    <header class="ms-header">
                        if embedded {
                            <p class="ms-logo">{ logo }</p>
                        } else {
                            <h1 class="ms-logo">{ logo }</h1>
                        }
                        <p class="ms-tagline">{ self.t(Key::Tagline) }</p>
                        <div class="ms-header-tools">
                            <button type="button" class="ms-fresh-world" onclick={link.callback(|_| Msg::ResetWorld)}>{ self.t(Key::ResetWorld) }</button>
                            <button type="button" class="ms-presenter-switch" aria-pressed={self.presenter.to_string()} title={self.t(Key::PresenterTitle)}
                                aria-keyshortcuts="Alt+Shift+P" onclick={link.callback(|_| Msg::Presenter)}>{ self.t(Key::Presenter) }</button>
                        </div>
                        <div class="ms-lang" role="group" aria-label={switch_label}>
                            { for Lang::ALL.iter().map(|l| {
                                let l = *l;
                                html! {
                                    <button type="button" lang={l.code()} aria-pressed={(l == lang).to_string()} onclick={link.callback(move |_| Msg::Language(l))}>{ l.code().to_ascii_uppercase() }</button>
                                }
                            }) }
                        </div>
                    </header>
                    <div class="ms-main">
                        { terminal }
                        <@{if embedded { "div" } else { "aside" }} class="ms-side" role={embedded.then_some("group")} aria-label={self.t(Key::SidePanel)}>
                            { side }
                        </@>
                    </div>
                    { journey }
                </>
            },
            Mode::Lesson => html! {
                <div class="ms-main">
                    { terminal }
                    <div class="ms-side" role="group" aria-label={self.t(Key::SidePanel)}>{ side }</div>
                </div>
            },
            Mode::Journey => html! { <>{ journey }<div class="ms-side">{ explainer }</div></> },
            Mode::Transcript => explorer,
        };
        html! {
            <div class={classes!("ms-app", (self.tab == Tab::Transcripts && mode == Mode::Full).then_some("ms-wide-side"), self.presenter.then_some("ms-presenter"),
                    (mode != Mode::Full).then(|| format!("ms-embed ms-embed-{}", mode.name())))} lang={lang.code()}
                onkeydown={link.batch_callback(|e: KeyboardEvent| (e.alt_key() && e.shift_key() && e.code() == "KeyP").then(|| { e.prevent_default(); Msg::Presenter }))}>
                { problems }
                { body }
            </div>
        }
    }
}
