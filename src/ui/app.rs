//! The app shell: header with the language switch, the terminal, the side
//! panel (the reply explainer, then Lessons or Help), and the journey view.
//! The app owns the learner's shell and world, the lesson in progress and
//! the saved progress (localStorage, versioned; unreadable data is reset with
//! a notice, never a crash).

use super::explain::ReplyExplainer;
use super::journey::JourneyView;
use super::lessons::LessonPane;
use super::mailbox::MailboxView;
use super::reference::Reference;
use super::terminal::Terminal;
use super::SharedShell;
use crate::lessons::{all, parse, Lesson, Run};
use crate::shell::Shell;
use crate::world::faults::Faults;
use crate::world::World;
use std::rc::Rc;
use yew::prelude::*;

/// Steps of a first SMTP session, for the Help tab. Each button puts the
/// command into the terminal's input line (the learner presses Enter).
const STEPS: &[(&str, &str, &str)] = &[
    (
        "telnet mail.example.com 25",
        "connect to the mail server's SMTP port",
        "подключиться к SMTP-порту почтового сервера",
    ),
    (
        "EHLO client.example.net",
        "say who you are; the server lists its extensions",
        "представиться; сервер перечислит расширения",
    ),
    (
        "MAIL FROM:<learner@example.net>",
        "start a transaction: the envelope sender",
        "начать транзакцию: отправитель конверта",
    ),
    ("RCPT TO:<alice@example.com>", "an envelope recipient (repeatable)", "получатель конверта (можно несколько)"),
    (
        "DATA",
        "then the message: headers, a blank line, the body, and a lone .",
        "затем письмо: заголовки, пустая строка, тело и одиночная точка",
    ),
    ("Subject: Hello", "a header line of the message", "строка заголовка письма"),
    (".", "a line with only a dot ends the message", "строка из одной точки завершает письмо"),
    ("QUIT", "end the session", "завершить сеанс"),
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
    Reply(Vec<String>),
    /// The world may have changed: refresh the views of it, check the lesson.
    Changed,
    Tab(Tab),
    Pick(Option<usize>),
    Hint,
    Show,
    Answer(String),
    Language(bool),
}

pub struct App {
    shell: SharedShell,
    /// Bumped whenever the world may have changed.
    version: u32,
    insert: Option<(u32, String)>,
    /// A solution line the terminal types for the learner ("Show me").
    type_line: Option<(u32, String)>,
    counter: u32,
    /// The reply shown in the explainer.
    reply: Vec<String>,
    tab: Tab,
    ru: bool,
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

fn load_lessons(ru: bool) -> Vec<Lesson> {
    let lang = if ru { "ru" } else { "en" };
    all().into_iter().filter(|s| s.lang == lang).filter_map(|s| parse(s.text).ok()).collect()
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

    fn t(&self, en: &'static str, ru: &'static str) -> &'static str {
        if self.ru {
            ru
        } else {
            en
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let shell = SharedShell::new(Shell::new(World::new(ctx.props().seed)));
        let ru = web_sys::window()
            .and_then(|w| w.navigator().language())
            .is_some_and(|l| l.to_ascii_lowercase().starts_with("ru"));
        let lessons = load_lessons(ru);
        let mut notice = None;
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).unwrap_or_default();
        let progress = read_progress(&lessons, &saved).unwrap_or_else(|()| {
            if let Some(s) = storage() {
                let _ = s.remove_item(STORAGE_KEY);
            }
            notice = Some(
                if ru {
                    "Сохранённый прогресс не удалось прочитать, он сброшен."
                } else {
                    "Saved progress could not be read and was reset."
                }
                .to_string(),
            );
            vec![0; lessons.len()]
        });
        Self {
            shell,
            version: 0,
            insert: None,
            type_line: None,
            counter: 0,
            reply: Vec::new(),
            tab: Tab::Lessons,
            ru,
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
            Msg::Reply(lines) => {
                let changed = self.reply != lines;
                self.reply = lines;
                return changed;
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
                    self.notice = Some(
                        self.t(
                            "This lesson starts in a fresh world: any open connection was closed.",
                            "Урок начинается в новом мире: открытые соединения закрыты.",
                        )
                        .to_string(),
                    );
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
                        Some(a) => self.notice = Some(format!("{} {a}", self.t("The answer:", "Ответ:"))),
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
                self.notice = (after == before).then(|| {
                    self.t(
                        "Not quite. Try again, or ask for a hint.",
                        "Не совсем. Попробуйте ещё раз или возьмите подсказку.",
                    )
                    .to_string()
                });
            }
            Msg::Language(ru) => {
                self.ru = ru;
                self.lessons = Rc::new(load_lessons(ru));
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
        let ru = self.ru;
        let help = html! {
            <div role="tabpanel">
                <h2>{ self.t("A first SMTP session", "Первый сеанс SMTP") }</h2>
                <ol class="ms-steps">
                    { for STEPS.iter().map(|(cmd, what_en, what_ru)| {
                        let c = cmd.to_string();
                        let onclick = link.callback(move |_: MouseEvent| Msg::Insert(c.clone()));
                        html! {
                            <li>
                                <button type="button" class="ms-cmdbtn" {onclick} title="Put this command in the terminal">
                                    <code>{ *cmd }</code>
                                </button>
                                <span class="ms-what">{ if ru { *what_ru } else { *what_en } }</span>
                            </li>
                        }
                    }) }
                </ol>
                <h2>{ self.t("Reply codes", "Коды ответов") }</h2>
                <ul class="ms-codes">
                    <li><span class="ms-r2">{ "2xx" }</span>{ self.t(" done", " выполнено") }</li>
                    <li><span class="ms-r3">{ "3xx" }</span>{ self.t(" go on (354: send the message)", " продолжайте (354: передавайте письмо)") }</li>
                    <li><span class="ms-r4">{ "4xx" }</span>{ self.t(" failed for now: try again later", " временная ошибка: повторите позже") }</li>
                    <li><span class="ms-r5">{ "5xx" }</span>{ self.t(" failed for good", " постоянная ошибка") }</li>
                </ul>
                <p class="ms-note">{ self.t("Users of example.com: alice, bob, theboss, postmaster. Type help for shell commands.", "Пользователи example.com: alice, bob, theboss, postmaster. Команда help покажет команды оболочки.") }</p>
            </div>
        };
        let lessons = html! {
            <div role="tabpanel">
                <LessonPane lessons={self.lessons.clone()} current={self.current} done={self.run.as_ref().map_or(0, |r| r.done)}
                    progress={self.progress.clone()} hints={self.hints} notice={self.notice.clone()} ru={ru}
                    on_pick={link.callback(Msg::Pick)} on_hint={link.callback(|_| Msg::Hint)} on_show={link.callback(|_| Msg::Show)}
                    on_answer={link.callback(Msg::Answer)} on_code={link.callback(|c: String| Msg::Reply(vec![c]))} />
            </div>
        };
        html! {
            <div class="ms-app" lang={if ru { "ru" } else { "en" }}>
                <header class="ms-header">
                    <h1 class="ms-logo"><span aria-hidden="true">{ "✉" }</span>{ " mailsim" }</h1>
                    <p class="ms-tagline">{ self.t("Type SMTP, POP3 and IMAP by hand to simulated Postfix and Dovecot servers, and watch mail travel.", "Набирайте SMTP, POP3 и IMAP вручную, говорите с моделями Postfix и Dovecot и смотрите, как путешествует почта.") }</p>
                    <div class="ms-lang" role="group" aria-label="Language / Язык">
                        <button type="button" aria-pressed={(!ru).to_string()} onclick={link.callback(|_| Msg::Language(false))}>{ "EN" }</button>
                        <button type="button" aria-pressed={ru.to_string()} onclick={link.callback(|_| Msg::Language(true))}>{ "RU" }</button>
                    </div>
                </header>
                <div class="ms-main">
                    <Terminal shell={self.shell.clone()} insert={self.insert.clone()} type_line={self.type_line.clone()} on_reply={link.callback(Msg::Reply)}
                        on_input={link.callback(|_| Msg::Changed)} />
                    <aside class="ms-side" aria-label={self.t("Lessons and help", "Уроки и справка")}>
                        <ReplyExplainer lines={self.reply.clone()} ru={ru} />
                        <div class="ms-tabs" role="tablist">
                            { tab(Tab::Lessons, self.t("Lessons", "Уроки")) }
                            { tab(Tab::Help, self.t("Help", "Справка")) }
                            { tab(Tab::Reference, self.t("Reference", "Справочник")) }
                        </div>
                        { match self.tab {
                            Tab::Lessons => lessons,
                            Tab::Help => help,
                            Tab::Reference => html! { <div role="tabpanel"><Reference ru={ru} on_try={link.callback(Msg::Insert)} /></div> },
                        } }
                    </aside>
                </div>
                <JourneyView shell={self.shell.clone()} version={self.version} on_explain={link.callback(Msg::Reply)}
                    on_change={link.callback(|_| Msg::Changed)} ru={ru} />
                <MailboxView shell={self.shell.clone()} version={self.version} ru={ru} />
            </div>
        }
    }
}
