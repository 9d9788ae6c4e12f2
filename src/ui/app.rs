//! The app shell: header with the language switch, the terminal, the side
//! panel (the reply explainer, then Lessons or Help), and the journey view.
//! The app owns the learner's shell and world, the lesson in progress and
//! the saved progress (localStorage, versioned; unreadable data is reset with
//! a notice, never a crash).

use super::explain::{Explained, ReplyExplainer};
use super::journey::JourneyView;
use super::lessons::LessonPane;
use super::mailbox::MailboxView;
use super::reference::Reference;
use super::terminal::Terminal;
use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::lessons::{parse, sources, Lesson, Run};
use crate::shell::Shell;
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

/// Where progress is saved, and the format's version.
const STORAGE_KEY: &str = "mailsim.progress.v1";

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    #[prop_or(1)]
    pub seed: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Lessons,
    Help,
    Reference,
}

pub enum Msg {
    Insert(String),
    Reply(Explained),
    /// A reply code named in a lesson's text was clicked.
    Code(String),
    /// The world may have changed: refresh the views of it, check the lesson.
    Changed,
    Tab(Tab),
    Pick(Option<usize>),
    Hint,
    Show,
    Answer(String),
    Language(Lang),
}

pub struct App {
    shell: SharedShell,
    /// Bumped whenever the world may have changed.
    version: u32,
    insert: Option<(u32, String)>,
    /// A solution line the terminal types for the learner ("Show me").
    type_line: Option<(u32, String)>,
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
    notice: Option<String>,
}

fn load_lessons(lang: Lang) -> Vec<Lesson> {
    sources(lang).into_iter().filter_map(|s| parse(s.text).ok()).collect()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads saved progress: `id=steps` pairs joined by commas. `Err` when the
/// data is there but unreadable.
fn read_progress(lessons: &[Lesson], saved: &str) -> Result<Vec<usize>, ()> {
    let mut progress = vec![0; lessons.len()];
    for item in saved.split(',').filter(|s| !s.is_empty()) {
        let (id, n) = item.split_once('=').ok_or(())?;
        let n: usize = n.parse().map_err(|_| ())?;
        if let Some(i) = lessons.iter().position(|l| l.id == id) {
            progress[i] = n.min(lessons[i].steps.len());
        }
    }
    Ok(progress)
}

impl App {
    fn save(&self) {
        let value: Vec<String> = self
            .lessons
            .iter()
            .zip(self.progress.iter())
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| format!("{}={n}", l.id))
            .collect();
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &value.join(","));
        }
    }

    /// Checks the lesson's goals against what just happened.
    fn check(&mut self) {
        let Some(run) = self.run.as_mut() else { return };
        let moved = run.update(&self.shell.borrow());
        if moved > 0 {
            self.hints = 0;
            self.shown = 0;
            if let Some(i) = self.current {
                let mut p = (*self.progress).clone();
                if let Some(x) = p.get_mut(i) {
                    *x = (*x).max(run.done);
                }
                self.progress = Rc::new(p);
                self.save();
            }
        }
    }

    fn t(&self, key: Key) -> &'static str {
        self.lang.t(key)
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let shell = SharedShell::new(Shell::new(World::new(ctx.props().seed)));
        let lang = Lang::from_browser_language(web_sys::window().and_then(|w| w.navigator().language()).as_deref());
        let lessons = load_lessons(lang);
        let mut notice = None;
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).unwrap_or_default();
        let progress = read_progress(&lessons, &saved).unwrap_or_else(|()| {
            if let Some(s) = storage() {
                let _ = s.remove_item(STORAGE_KEY);
            }
            notice = Some(lang.t(Key::ProgressReset).to_string());
            vec![0; lessons.len()]
        });
        Self {
            shell,
            version: 0,
            insert: None,
            type_line: None,
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
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Insert(cmd) => {
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
                self.check();
            }
            Msg::Tab(t) => self.tab = t,
            Msg::Pick(choice) => {
                self.notice = None;
                self.hints = 0;
                self.shown = 0;
                let mut shell = self.shell.borrow_mut();
                self.current = choice.filter(|i| *i < self.lessons.len());
                if self.current.is_some() {
                    // Each lesson starts in a fresh world, as its solution assumes.
                    shell.reset_world(World::new(ctx.props().seed));
                    self.notice = Some(self.t(Key::LessonFreshWorld).to_string());
                } else {
                    *shell.world_mut().faults_mut() = Faults::default();
                }
                self.run = self.current.and_then(|i| {
                    let lesson = self.lessons.get(i)?.clone();
                    let saved = self.progress.get(i).copied().unwrap_or(0);
                    let done = if saved >= lesson.steps.len() { 0 } else { saved };
                    Some(Run::resume(lesson, &mut shell, done))
                });
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
                        Some(a) => self.notice = Some(self.lang.f(Key::TheAnswer, &[("answer", a)])),
                        None => {
                            self.counter = self.counter.wrapping_add(1);
                            self.type_line = Some((self.counter, line));
                        }
                    }
                }
            }
            Msg::Answer(text) => {
                let before = self.run.as_ref().map_or(0, |r| r.done);
                if let Some(run) = self.run.as_mut() {
                    run.answer(&text);
                }
                self.check();
                let after = self.run.as_ref().map_or(0, |r| r.done);
                self.notice = (after == before).then(|| self.t(Key::NotQuite).to_string());
            }
            Msg::Language(lang) => {
                self.lang = lang;
                self.lessons = Rc::new(load_lessons(lang));
                if let (Some(run), Some(i)) = (self.run.as_mut(), self.current) {
                    if let Some(l) = self.lessons.get(i) {
                        run.lesson = l.clone();
                    }
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let tab = |t: Tab, label: &'static str| {
            let selected = self.tab == t;
            html! {
                <button type="button" role="tab" aria-selected={selected.to_string()} class={if selected { "ms-tab ms-tab-on" } else { "ms-tab" }}
                    onclick={link.callback(move |_| Msg::Tab(t))}>{ label }</button>
            }
        };
        let lang = self.lang;
        let help = html! {
            <div role="tabpanel">
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
            </div>
        };
        let lessons = html! {
            <div role="tabpanel">
                <LessonPane lessons={self.lessons.clone()} current={self.current} done={self.run.as_ref().map_or(0, |r| r.done)}
                    progress={self.progress.clone()} hints={self.hints} notice={self.notice.clone()} lang={lang}
                    on_pick={link.callback(Msg::Pick)} on_hint={link.callback(|_| Msg::Hint)} on_show={link.callback(|_| Msg::Show)}
                    on_answer={link.callback(Msg::Answer)} on_code={link.callback(Msg::Code)} />
            </div>
        };
        // Each language's own word for "language": "Language / Язык".
        let switch_label = Lang::ALL.iter().map(|l| l.t(Key::Language)).collect::<Vec<_>>().join(" / ");
        html! {
            <div class="ms-app" lang={lang.code()}>
                <header class="ms-header">
                    <h1 class="ms-logo"><span aria-hidden="true">{ "✉" }</span>{ " mailsim" }</h1>
                    <p class="ms-tagline">{ self.t(Key::Tagline) }</p>
                    <div class="ms-lang" role="group" aria-label={switch_label}>
                        { for Lang::ALL.iter().map(|l| {
                            let l = *l;
                            html! {
                                <button type="button" aria-pressed={(l == lang).to_string()} onclick={link.callback(move |_| Msg::Language(l))}>{ l.code().to_ascii_uppercase() }</button>
                            }
                        }) }
                    </div>
                </header>
                <div class="ms-main">
                    <Terminal lang={lang} shell={self.shell.clone()} insert={self.insert.clone()} type_line={self.type_line.clone()} on_reply={link.callback(Msg::Reply)}
                        on_input={link.callback(|_| Msg::Changed)} />
                    <aside class="ms-side" aria-label={self.t(Key::SidePanel)}>
                        <ReplyExplainer explained={self.reply.clone()} lang={lang} />
                        <div class="ms-tabs" role="tablist">
                            { tab(Tab::Lessons, self.t(Key::Lessons)) }
                            { tab(Tab::Help, self.t(Key::TabHelp)) }
                            { tab(Tab::Reference, self.t(Key::TabReference)) }
                        </div>
                        { match self.tab {
                            Tab::Lessons => lessons,
                            Tab::Help => help,
                            Tab::Reference => html! { <div role="tabpanel"><Reference lang={lang} on_try={link.callback(Msg::Insert)} /></div> },
                        } }
                    </aside>
                </div>
                <JourneyView shell={self.shell.clone()} version={self.version} on_explain={link.callback(Msg::Reply)}
                    on_change={link.callback(|_| Msg::Changed)} lang={lang} />
                <MailboxView shell={self.shell.clone()} version={self.version} lang={lang} />
            </div>
        }
    }
}
