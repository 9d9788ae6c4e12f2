//! The terminal without a view: the lines on screen, the history the arrow
//! keys browse, the lines typed for the learner ("Show me", a script) and the
//! terminal's own notices. The app's terminal (a Yew component,
//! `terminal.rs`) and the embed's (plain DOM, `dom/terminal.rs`) both show
//! one of these, so they behave alike; it needs no browser, so native tests
//! check it.

use crate::explain::{Explanation, Tone};
use crate::lang::{Key, Lang};
use crate::shell::{LineKind, Shell, ShellOutput, TermLine};
use std::collections::VecDeque;

/// Most lines kept on screen; older ones scroll away (bounded memory).
pub const MAX_LINES: usize = 2000;
/// Most history entries kept.
pub const MAX_HISTORY: usize = 200;
/// Most lines waiting to be typed ("Show me" clicked again and again).
pub const MAX_QUEUE: usize = 32;
/// Milliseconds per typed character at speed 1 (a person's).
pub const TYPE_MS: u32 = 45;

/// A server line and what it means, as the explainer shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// The line as the server sent it (or the code a lesson names).
    pub line: String,
    pub explanation: Explanation,
}

/// The CSS class of a tone (the colours of the reply classes, RFC 5321 §4.2.1).
pub fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Success => "ms-r2",
        Tone::Intermediate => "ms-r3",
        Tone::Transient => "ms-r4",
        Tone::Permanent => "ms-r5",
        Tone::Data => "ms-data",
        Tone::Info => "ms-info",
    }
}

/// The CSS classes of a log line: `ms-line`, its kind, and for a server line
/// the tone its protocol's grammar gives it.
pub fn line_classes(line: &TermLine) -> String {
    let kind = match line.kind {
        LineKind::Command => "ms-cmd",
        LineKind::Client => "ms-client",
        LineKind::Output => "ms-out",
        LineKind::Error => "ms-err",
        LineKind::Server => "ms-server",
    };
    match line.reading.as_ref() {
        Some(r) => format!("ms-line {kind} {}", tone_class(r.tone)),
        None => format!("ms-line {kind}"),
    }
}

/// A line whose reply code can be clicked: the text before the code, the
/// code, the text after it, and what it means.
pub fn badge(line: &TermLine) -> Option<(&str, &str, &str, Explained)> {
    let r = line.reading.as_ref()?;
    let (a, b) = r.badge?;
    let explanation = r.explanation.clone()?;
    let t = &line.text;
    Some((t.get(..a)?, t.get(a..b)?, t.get(b..)?, Explained { line: t.clone(), explanation }))
}

/// Whether a line has a code to click.
pub fn has_code(l: &TermLine) -> bool {
    l.reading.as_ref().is_some_and(|r| r.badge.is_some() && r.explanation.is_some())
}

/// The explanation of the newest server line that has one.
pub fn last_reply(lines: &[TermLine]) -> Option<Explained> {
    lines.iter().rev().find_map(|l| {
        let e = l.reading.as_ref()?.explanation.clone()?;
        Some(Explained { line: l.text.clone(), explanation: e })
    })
}

/// The title bar's status, in `lang`, and whether a connection is open.
pub fn status(shell: &Shell, lang: Lang) -> (String, bool) {
    match shell.connected_to() {
        Some(host) => (lang.f(Key::TerminalConnected, &[("host", host)]), true),
        None => (lang.t(Key::TerminalNotConnected).to_string(), false),
    }
}

/// The welcome, shown in the interface's language until the screen is cleared.
pub fn welcome(lang: Lang) -> [&'static str; 2] {
    [lang.t(Key::Welcome), lang.t(Key::WelcomeTry)]
}

/// A notice of the terminal's own.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Notice {
    /// A paste was cut to the input line's length.
    Cut,
}

impl Notice {
    pub fn text(self, lang: Lang) -> String {
        match self {
            Notice::Cut => lang.f(Key::PasteCut, &[("max", &super::input::MAX_INPUT.to_string())]),
        }
    }
}

/// A line entered: what the shell did with it, and the newest reply in it
/// that has an explanation.
#[derive(Debug)]
pub struct Entered {
    pub out: ShellOutput,
    pub reply: Option<Explained>,
}

/// What the next tick of a line being typed does.
#[derive(Debug, PartialEq, Eq)]
pub enum Tick {
    /// Show this much of the line in the input.
    Show(String),
    /// The line is typed: clear the input and enter it.
    Enter(String),
    /// Nothing is being typed.
    Idle,
}

#[derive(Debug)]
pub struct TermModel {
    lines: Vec<TermLine>,
    welcome: bool,
    history: Vec<String>,
    /// Position while browsing history with Up/Down; `None` when editing.
    history_pos: Option<usize>,
    /// What was typed before browsing history began.
    draft: String,
    /// Lines waiting to be typed.
    queue: VecDeque<String>,
    /// A line being typed: its characters, and how many are shown.
    typing: Option<(Vec<char>, usize)>,
    notice: Option<Notice>,
    /// Lines gone from the front of `lines` (scrolled away or cleared): the
    /// key of `lines[i]` is `gone + i`, so a view keeps a line's node as lines come.
    gone: usize,
}

impl Default for TermModel {
    fn default() -> Self {
        Self {
            lines: Vec::new(),
            welcome: true,
            history: Vec::new(),
            history_pos: None,
            draft: String::new(),
            queue: VecDeque::new(),
            typing: None,
            notice: None,
            gone: 0,
        }
    }
}

impl TermModel {
    /// The lines on screen (after the welcome, while it shows).
    pub fn lines(&self) -> &[TermLine] {
        &self.lines
    }

    /// How many lines have left the screen: `lines()[i]` is line `gone() + i` of the session.
    pub fn gone(&self) -> usize {
        self.gone
    }

    /// Whether the welcome still shows.
    pub fn shows_welcome(&self) -> bool {
        self.welcome
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice
    }

    pub fn set_notice(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Lines entered by the learner end a notice (a paste's own lines do not).
    pub fn end_notice(&mut self) {
        self.notice = None;
    }

    /// Adds lines to the screen; the oldest scroll away past [`MAX_LINES`].
    pub fn push(&mut self, lines: Vec<TermLine>) {
        self.lines.extend(lines);
        if self.lines.len() > MAX_LINES {
            let drop = self.lines.len() - MAX_LINES;
            self.lines.drain(..drop);
            self.gone += drop;
        }
    }

    /// Clears the screen (Ctrl+L, `clear`): the welcome goes too.
    pub fn clear(&mut self) {
        self.gone += self.lines.len();
        self.lines.clear();
        self.welcome = false;
    }

    /// Enters one line, as if typed and followed by Enter: into the history,
    /// the world's clock moved to `now` (seconds; never back: the learner may
    /// have moved it ahead), then the shell.
    pub fn enter(&mut self, shell: &mut Shell, line: &str, now: i64) -> Entered {
        self.history_pos = None;
        if !line.trim().is_empty() && self.history.last().map(String::as_str) != Some(line) {
            self.history.push(line.to_string());
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        shell.world_mut().tick(now);
        let out = shell.input(line);
        if out.clear {
            self.clear();
        }
        let reply = last_reply(&out.lines);
        self.push(out.lines.clone());
        Entered { out, reply }
    }

    /// Ctrl+]: telnet's escape character.
    pub fn escape(&mut self, shell: &mut Shell) {
        let out = shell.escape();
        self.push(out.lines);
    }

    /// The Disconnect button: `^]` then `close`, as the learner would type them.
    pub fn disconnect(&mut self, shell: &mut Shell, now: i64) -> Entered {
        if shell.prompt() != "telnet> " {
            self.escape(shell);
        }
        self.enter(shell, "close", now)
    }

    /// Up (`back`) or Down through the history from the input's `current`
    /// text: the text to put in the input, or `None` to leave it.
    pub fn browse(&mut self, back: bool, current: &str) -> Option<String> {
        if self.history.is_empty() {
            return None;
        }
        let pos = match (self.history_pos, back) {
            (None, true) => {
                self.draft = current.to_string();
                Some(self.history.len() - 1)
            }
            (None, false) => None,
            (Some(0), true) => Some(0),
            (Some(p), true) => Some(p - 1),
            (Some(p), false) if p + 1 < self.history.len() => Some(p + 1),
            (Some(_), false) => None,
        };
        self.history_pos = pos;
        Some(pos.map_or_else(|| self.draft.clone(), |p| self.history[p].clone()))
    }

    /// Lines to type for the learner (several joined by `\n`), after those waiting;
    /// at most [`MAX_QUEUE`] wait.
    pub fn queue(&mut self, lines: &str) {
        for line in lines.split('\n') {
            if self.queue.len() < MAX_QUEUE {
                self.queue.push_back(line.to_string());
            }
        }
    }

    /// Whether a line is being typed.
    pub fn typing(&self) -> bool {
        self.typing.is_some()
    }

    /// Starts typing the next waiting line, unless one is being typed: what
    /// the input shows at first (all of it at once `instant`ly: reduced
    /// motion; it is entered on the next tick).
    pub fn start_typing(&mut self, instant: bool) -> Option<String> {
        if self.typing.is_some() {
            return None;
        }
        let line = self.queue.pop_front()?;
        let chars: Vec<char> = line.chars().collect();
        let start = if instant { chars.len() } else { 0 };
        let shown = chars[..start].iter().collect();
        self.typing = Some((chars, start));
        Some(shown)
    }

    /// One character more of the line being typed, or the line entered.
    pub fn tick(&mut self) -> Tick {
        let Some((chars, shown)) = self.typing.as_mut() else { return Tick::Idle };
        if *shown < chars.len() {
            *shown += 1;
            Tick::Show(chars[..*shown].iter().collect())
        } else {
            let line = chars.iter().collect();
            self.typing = None;
            Tick::Enter(line)
        }
    }

    /// Drops the lines waiting to be typed and the one being typed.
    pub fn stop_typing(&mut self) {
        self.queue.clear();
        self.typing = None;
    }

    /// The world was replaced (a lesson started, the script went back): what
    /// was being typed is dropped, and a connection that was open to `host`
    /// is said to be closed.
    pub fn world_reset(&mut self, host: Option<&str>, lang: Lang) {
        self.stop_typing();
        if let Some(host) = host {
            let text = lang.f(Key::ConnectionClosedByReset, &[("host", host)]);
            self.push(vec![TermLine { kind: LineKind::Output, text, reading: None }]);
        }
    }
}

/// What a key pressed on the input line does, in either view of the
/// terminal (the app's Yew one and the embed's DOM one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKey {
    /// Enter: the line is entered.
    Enter,
    /// Up (`true`) or Down through the history.
    Browse(bool),
    /// Ctrl+L: the screen is cleared.
    Clear,
    /// Ctrl+]: telnet's escape character.
    Escape,
}

/// The input line's keys, as a terminal's: Enter, Up/Down (without Shift)
/// through the history, Ctrl+L, Ctrl+]. With Alt or Meta a key is the
/// browser's, as is every other key.
pub fn line_key(key: &str, ctrl: bool, alt: bool, meta: bool, shift: bool) -> Option<LineKey> {
    if alt || meta {
        return None;
    }
    match (key, ctrl) {
        ("Enter", _) => Some(LineKey::Enter),
        ("ArrowUp" | "ArrowDown", false) if !shift => Some(LineKey::Browse(key == "ArrowUp")),
        ("l" | "L", true) => Some(LineKey::Clear),
        ("]", true) => Some(LineKey::Escape),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_input_lines_keys() {
        let plain = |k: &str, ctrl: bool| line_key(k, ctrl, false, false, false);
        assert_eq!(plain("Enter", false), Some(LineKey::Enter));
        assert_eq!(plain("Enter", true), Some(LineKey::Enter));
        assert_eq!(plain("ArrowUp", false), Some(LineKey::Browse(true)));
        assert_eq!(plain("ArrowDown", false), Some(LineKey::Browse(false)));
        assert_eq!(plain("ArrowUp", true), None);
        assert_eq!(line_key("ArrowUp", false, false, false, true), None, "Shift+Up selects text");
        assert_eq!(plain("l", true), Some(LineKey::Clear));
        assert_eq!(plain("L", true), Some(LineKey::Clear));
        assert_eq!(plain("l", false), None);
        assert_eq!(plain("]", true), Some(LineKey::Escape));
        assert_eq!(line_key("Enter", false, true, false, false), None, "Alt+Enter is the browser's");
        assert_eq!(line_key("l", true, false, true, false), None);
        assert_eq!(plain("a", false), None);
    }

    use super::*;
    use crate::world::World;

    fn shell() -> Shell {
        Shell::new(World::new(1))
    }

    #[test]
    fn entering_a_line_shows_the_command_and_the_shells_answer() {
        let (mut m, mut s) = (TermModel::default(), shell());
        let e = m.enter(&mut s, "help", 0);
        assert!(m.lines().iter().any(|l| l.text.contains("telnet HOST")), "help's text on screen");
        assert_eq!(m.lines().len(), e.out.lines.len());
        assert!(e.reply.is_none(), "the shell's help is no server reply");
        assert!(m.shows_welcome());
    }

    #[test]
    fn a_server_reply_is_explained_and_its_code_clickable() {
        let (mut m, mut s) = (TermModel::default(), shell());
        let e = m.enter(&mut s, "telnet mail.example.com 25", 0);
        let reply = e.reply.expect("the greeting is explained");
        assert!(reply.line.starts_with("220 "), "{reply:?}");
        let greeting = m.lines().iter().find(|l| l.text.starts_with("220 ")).unwrap();
        let (before, code, after, _) = badge(greeting).expect("a clickable code");
        assert_eq!((before, code), ("", "220"));
        assert!(after.starts_with(' '));
        assert!(line_classes(greeting).starts_with("ms-line ms-server ms-r2"), "{}", line_classes(greeting));
        assert!(status(&s, Lang::En).1, "connected");
    }

    #[test]
    fn clear_empties_the_screen_and_keeps_the_keys_counting() {
        let (mut m, mut s) = (TermModel::default(), shell());
        m.enter(&mut s, "help", 0);
        let n = m.lines().len();
        m.enter(&mut s, "clear", 0);
        assert!(!m.shows_welcome());
        assert!(m.gone() >= n, "the cleared lines count as gone: {} < {n}", m.gone());
        let first = m.gone();
        m.enter(&mut s, "help", 0);
        assert_eq!(m.gone(), first, "lines after a clear keep new keys");
    }

    #[test]
    fn the_screen_keeps_at_most_max_lines() {
        let mut m = TermModel::default();
        let line = || TermLine { kind: LineKind::Output, text: "x".into(), reading: None };
        m.push((0..MAX_LINES + 5).map(|_| line()).collect());
        assert_eq!(m.lines().len(), MAX_LINES);
        assert_eq!(m.gone(), 5);
    }

    #[test]
    fn history_browses_back_and_forward_to_the_draft() {
        let (mut m, mut s) = (TermModel::default(), shell());
        assert_eq!(m.browse(true, "x"), None, "no history: the input stays");
        m.enter(&mut s, "help", 0);
        m.enter(&mut s, "help", 0);
        m.enter(&mut s, "dig MX example.com", 0);
        assert_eq!(m.browse(true, "dra").as_deref(), Some("dig MX example.com"));
        assert_eq!(m.browse(true, "").as_deref(), Some("help"), "a repeated line is kept once");
        assert_eq!(m.browse(true, "").as_deref(), Some("help"), "the oldest stays");
        assert_eq!(m.browse(false, "").as_deref(), Some("dig MX example.com"));
        assert_eq!(m.browse(false, "").as_deref(), Some("dra"), "past the newest: the draft again");
    }

    #[test]
    fn a_queued_line_is_typed_a_character_a_tick_then_entered() {
        let mut m = TermModel::default();
        m.queue("ab\ncd");
        assert_eq!(m.start_typing(false).as_deref(), Some(""));
        assert_eq!(m.start_typing(false), None, "one line at a time");
        assert_eq!(m.tick(), Tick::Show("a".into()));
        assert_eq!(m.tick(), Tick::Show("ab".into()));
        assert_eq!(m.tick(), Tick::Enter("ab".into()));
        assert_eq!(m.tick(), Tick::Idle);
        assert_eq!(m.start_typing(true).as_deref(), Some("cd"), "reduced motion: all at once");
        assert_eq!(m.tick(), Tick::Enter("cd".into()));
        for _ in 0..MAX_QUEUE * 2 {
            m.queue("x");
        }
        let mut n = 0;
        while m.start_typing(true).is_some() {
            m.tick();
            n += 1;
        }
        assert_eq!(n, MAX_QUEUE);
    }

    #[test]
    fn a_reset_drops_the_typing_and_says_the_connection_closed() {
        let (mut m, mut s) = (TermModel::default(), shell());
        m.queue("help");
        m.start_typing(false);
        m.world_reset(Some("mail.example.com"), Lang::En);
        assert!(!m.typing());
        assert_eq!(m.tick(), Tick::Idle);
        assert!(m.lines().last().unwrap().text.contains("mail.example.com"));
        m.enter(&mut s, "telnet mail.example.com 25", 0);
        let e = m.disconnect(&mut s, 0);
        assert!(!status(&s, Lang::En).1, "disconnected: {:?}", e.out.lines);
    }
}
