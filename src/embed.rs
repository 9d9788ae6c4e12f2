//! What a page embedding mailsim asks for, read without a browser: the
//! options of `<mail-sim>` (its attributes), of the iframe page `embed.html`
//! (its query) and of `mount(element, options)` (a JS object) are one set,
//! read here; a script of lines to play, and the player that walks it; and
//! the data of the `mailsim-reply` event.
//!
//! The keys the app's links know (`lesson`, `step`, `lang`, `host`, `port`,
//! `faults`, `seed`, `lesson-url`) are read by [`Link::set_plain`], so an
//! attribute and a link never disagree about what is valid. Names may be
//! written as attributes (`lesson-url`) or as JS properties (`lessonUrl`).
//!
//! Reading never fails as a whole, as links don't: each bad option is
//! reported ([`OptionError`]) and the rest applies.

use crate::link::{Link, LinkError};
use crate::shell::{LineKind, ShellOutput};

/// Most lines a script may hold (a demonstration, not a file transfer).
pub const MAX_SCRIPT_LINES: usize = 2000;
/// Longest script line kept (the terminal's input line holds no more).
pub const MAX_SCRIPT_LINE: usize = 4095;
/// Fastest typing a script may ask for: 16 times a person's.
pub const MAX_SPEED: u32 = 16;

/// What an embed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// The whole app.
    Full,
    /// The terminal and the reply explainer only (the small build's mode).
    #[default]
    Terminal,
    /// One lesson with its terminal.
    Lesson,
    /// The mail client and the journey of its messages.
    Journey,
    /// The transcript explorer, read-only.
    Transcript,
}

impl Mode {
    pub const ALL: [Mode; 5] = [Mode::Full, Mode::Terminal, Mode::Lesson, Mode::Journey, Mode::Transcript];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::Terminal => "terminal",
            Mode::Lesson => "lesson",
            Mode::Journey => "journey",
            Mode::Transcript => "transcript",
        }
    }

    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The options an embed was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    /// The keys shared with links: lesson, step, lang, host, port, faults, seed, lesson-url.
    pub link: Link,
    /// Lines to play (the element's text, or the text fetched from its `script` URL).
    pub script: Option<String>,
    /// Type the script at once, without waiting for the reader to press play.
    pub autoplay: bool,
    /// Typing speed: 1 is a person's, 2 twice as fast, up to [`MAX_SPEED`].
    pub speed: u32,
    /// Why the page could not give the script (a failed fetch), shown in the terminal.
    pub script_problem: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            mode: Mode::default(),
            link: Link::default(),
            script: None,
            autoplay: false,
            speed: 1,
            script_problem: None,
        }
    }
}

/// An option that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("the option {key} is not valid: {value:?}")]
    BadValue { key: String, value: String },
    #[error("the option {0:?} is unknown to this version of mailsim")]
    Unknown(String),
}

/// Options the page itself applies (styles, storage): known, not read here.
const PAGE_KEYS: [&str; 6] = ["theme", "height", "font-size", "storage-key", "script-url", "embedded"];

/// `lessonUrl` → `lesson-url`; attribute names are kept as they are.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// An HTML boolean attribute: present (empty) or `true`/`1` is on.
fn boolean(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "true" | "1" | "autoplay" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A speed, `1` to [`MAX_SPEED`] (`2.5` rounds to 3; past the bounds, the
/// bound). Read by hand: float parsing would be 10 KB of the small wasm.
fn speed(value: &str) -> Option<u32> {
    let (whole, frac) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    if whole.is_empty() && frac.is_empty() || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = whole.bytes().take(6).fold(0, |n, b| n * 10 + u64::from(b - b'0'));
    let n = n + u64::from(frac.bytes().next().is_some_and(|d| d >= b'5'));
    (n > 0 || whole.bytes().chain(frac.bytes()).any(|b| b != b'0')).then(|| (n as u32).clamp(1, MAX_SPEED))
}

impl Options {
    /// Reads options from name–value pairs (attributes, query parameters or
    /// a JS object's properties, values as text).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Options, Vec<OptionError>) {
        let mut o = Options::default();
        let mut errors = Vec::new();
        for (name, value) in pairs {
            let key = kebab(name);
            let bad = || OptionError::BadValue { key: key.clone(), value: value.to_string() };
            let ok = match key.as_str() {
                "mode" => Mode::from_name(value.trim()).map(|m| o.mode = m).is_some(),
                "script" => {
                    o.script = Some(value.to_string());
                    true
                }
                "script-problem" => {
                    o.script_problem = Some(value.chars().take(300).collect());
                    true
                }
                "autoplay" => boolean(value).map(|b| o.autoplay = b).is_some(),
                "speed" => speed(value).map(|n| o.speed = n).is_some(),
                k if PAGE_KEYS.contains(&k) => true,
                // A page's own tag (`en-US`) names the language by its first subtag.
                "lang" => {
                    o.link.set_plain("lang", &value.trim().split('-').next().unwrap_or("").to_ascii_lowercase()).is_ok()
                }
                k => match o.link.set_plain(k, value.trim()) {
                    Ok(()) => true,
                    Err(LinkError::UnknownKey(_)) => {
                        errors.push(OptionError::Unknown(name.to_string()));
                        continue;
                    }
                    Err(_) => false,
                },
            };
            if !ok {
                errors.push(bad());
            }
        }
        (o, errors)
    }

    /// The line that connects the terminal where `host` and `port` say.
    pub fn connect_line(&self) -> Option<String> {
        let host = self.link.host.as_ref()?;
        Some(match self.link.port {
            Some(p) => format!("telnet {host} {p}"),
            None => format!("telnet {host}"),
        })
    }
}

/// One item of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A line typed and entered, as the reader would.
    Line(String),
    /// `#pause`: stop until the reader presses play.
    Pause,
}

/// Lines to play in a terminal. Written in an HTML page's text, so the
/// indentation the lines share is removed (the first line's own does not
/// count: it may follow its tag), and the blank lines around them; blank
/// lines between them stay (the one between a message's header and body is
/// needed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    pub items: Vec<Item>,
}

/// What could not be kept of a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("the script has over {MAX_SCRIPT_LINES} lines; the rest were left out")]
    TooLong,
    #[error("script line {0} is over {MAX_SCRIPT_LINE} characters; it was cut")]
    LineCut(usize),
}

/// A text written in an HTML page (an inline transcript, a script), with the
/// indentation its lines share removed as [`Script`] does, and the blank
/// lines around it.
pub fn dedent(text: &str) -> String {
    let (lines, indent) = body(text);
    lines
        .iter()
        .enumerate()
        .map(|(n, raw)| if n == 0 { raw.trim_start() } else { raw.get(indent..).unwrap_or_else(|| raw.trim_start()) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines between the first and the last that are not blank, and the
/// indentation they share (as Python's inspect.cleandoc: the first line's
/// own does not count, as it may follow its tag on the same line).
fn body(text: &str) -> (Vec<&str>, usize) {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else { return (Vec::new(), 0) };
    let body = lines[first..=last].to_vec();
    let indent = body
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    (body, indent)
}

impl Script {
    pub fn parse(text: &str) -> (Script, Vec<ScriptError>) {
        let mut errors = Vec::new();
        let (body, indent) = body(text);
        let first = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0);
        let mut items = Vec::new();
        for (n, raw) in body.iter().enumerate() {
            if items.len() == MAX_SCRIPT_LINES {
                errors.push(ScriptError::TooLong);
                break;
            }
            let line = if n == 0 { raw.trim_start() } else { raw.get(indent..).unwrap_or_else(|| raw.trim_start()) };
            if line.trim().eq_ignore_ascii_case("#pause") {
                items.push(Item::Pause);
                continue;
            }
            let (kept, cut) = match line.char_indices().nth(MAX_SCRIPT_LINE) {
                Some((at, _)) => (&line[..at], true),
                None => (line, false),
            };
            if cut {
                errors.push(ScriptError::LineCut(first + n + 1));
            }
            items.push(Item::Line(kept.to_string()));
        }
        (Script { items }, errors)
    }

    /// The script's commands (its lines, pauses left out).
    pub fn commands(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Line(l) => Some(l.as_str()),
            Item::Pause => None,
        })
    }
}

/// Where a player is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayState {
    /// Not started (no autoplay): waiting for play.
    Ready,
    Playing,
    /// Paused by the reader or by a `#pause`.
    Paused,
    /// Played to the end: the reader's turn.
    Done,
}

/// What the player asks the terminal to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cue {
    /// Type this line at the script's speed and enter it.
    Type(String),
    /// A `#pause` was reached: wait for play.
    Pause,
    /// The end: the reader's turn.
    End,
}

/// Walks a script as asciinema-player walks a recording, but every reply
/// comes from the live engine: the player only says which line is next.
/// Moving back means replaying the lines before in a fresh world (the
/// caller does it with [`Player::back`]'s lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    script: Script,
    /// The next item.
    at: usize,
    state: PlayState,
}

impl Player {
    pub fn new(script: Script) -> Self {
        let state = if script.items.is_empty() { PlayState::Done } else { PlayState::Ready };
        Self { script, at: 0, state }
    }

    pub fn state(&self) -> PlayState {
        self.state
    }

    pub fn script(&self) -> &Script {
        &self.script
    }

    /// Commands entered so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.script.items[..self.at].iter().filter(|i| matches!(i, Item::Line(_))).count();
        (done, self.script.commands().count())
    }

    /// Starts or resumes; `false` when there is nothing left to play.
    pub fn play(&mut self) -> bool {
        if self.state == PlayState::Done {
            return false;
        }
        self.state = PlayState::Playing;
        true
    }

    pub fn pause(&mut self) {
        if self.state == PlayState::Playing {
            self.state = PlayState::Paused;
        }
    }

    /// Play ↔ pause (the space key).
    pub fn toggle(&mut self) -> bool {
        if self.state == PlayState::Playing {
            self.pause();
            false
        } else {
            self.play()
        }
    }

    /// The next cue while playing (call it when the terminal has entered the
    /// line before); `None` when not playing.
    pub fn next_cue(&mut self) -> Option<Cue> {
        if self.state != PlayState::Playing {
            return None;
        }
        match self.script.items.get(self.at) {
            None => {
                self.state = PlayState::Done;
                Some(Cue::End)
            }
            Some(Item::Pause) => {
                self.at += 1;
                self.state = if self.at == self.script.items.len() { PlayState::Done } else { PlayState::Paused };
                Some(if self.state == PlayState::Done { Cue::End } else { Cue::Pause })
            }
            Some(Item::Line(l)) => {
                let l = l.clone();
                self.at += 1;
                Some(Cue::Type(l))
            }
        }
    }

    /// One command forward (the `.` key): the next line, to enter at once;
    /// pauses on the way are passed. The player is paused after it (or done).
    pub fn forward(&mut self) -> Option<String> {
        while let Some(item) = self.script.items.get(self.at) {
            self.at += 1;
            if let Item::Line(l) = item {
                let l = l.clone();
                self.settle();
                return Some(l);
            }
        }
        self.state = PlayState::Done;
        None
    }

    /// One command back (the `,` key): the lines to enter at once in a
    /// fresh world, so that the last command entered is the next again.
    /// `None` when nothing was entered yet.
    pub fn back(&mut self) -> Option<Vec<String>> {
        let last = self.script.items[..self.at].iter().rposition(|i| matches!(i, Item::Line(_)))?;
        self.at = last;
        self.state = PlayState::Paused;
        Some(self.entered())
    }

    /// Back to the start; the caller starts a fresh world.
    pub fn restart(&mut self) {
        self.at = 0;
        self.state = if self.script.items.is_empty() { PlayState::Done } else { PlayState::Ready };
    }

    /// The lines entered so far, in order.
    pub fn entered(&self) -> Vec<String> {
        Script { items: self.script.items[..self.at].to_vec() }.commands().map(str::to_string).collect()
    }

    /// Paused, or done when only pauses are left.
    fn settle(&mut self) {
        let rest = self.script.items[self.at..].iter().any(|i| matches!(i, Item::Line(_)));
        self.state = if rest { PlayState::Paused } else { PlayState::Done };
    }
}

/// The data of a `mailsim-reply` event: the server's reply to one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyEvent {
    /// The line the reader (or the script) entered.
    pub command: String,
    /// The reply's code or status as written: `250`, `+OK`, `OK`, `NO`.
    pub code: String,
    /// The enhanced status code (RFC 3463), when the reply has one.
    pub enhanced: Option<String>,
    /// The server's lines, joined by `\n`.
    pub text: String,
    /// `SMTP`, `LMTP`, `POP3` or `IMAP`.
    pub protocol: &'static str,
}

impl ReplyEvent {
    /// The reply in what a line produced: its server lines, with the code of
    /// the last one the explainer read. `None` when no server answered.
    pub fn of(command: &str, out: &ShellOutput) -> Option<ReplyEvent> {
        let server: Vec<_> = out.lines.iter().filter(|l| l.kind == LineKind::Server).collect();
        let e = server.iter().rev().find_map(|l| l.reading.as_ref()?.explanation.as_ref())?;
        Some(ReplyEvent {
            command: command.to_string(),
            code: e.badge.clone(),
            enhanced: e.enhanced.clone(),
            text: server.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n"),
            protocol: e.protocol.name(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::shell::Shell;
    use crate::world::World;

    #[test]
    fn attributes_and_properties_read_alike() {
        let (a, errs) = Options::from_pairs([
            ("mode", "lesson"),
            ("lesson", "smtp-basics"),
            ("step", "2"),
            ("lang", "ru"),
            ("host", "MAIL.example.com"),
            ("port", "587"),
            ("faults", "greylisting,spam-filter"),
            ("seed", "7"),
            ("autoplay", ""),
            ("speed", "4"),
            ("theme", "dark"),
            ("height", "30em"),
        ]);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(a.mode, Mode::Lesson);
        assert_eq!(a.link.lesson.as_deref(), Some("smtp-basics"));
        assert_eq!(a.link.step, Some(2));
        assert_eq!(a.link.lang, Some(Lang::Ru));
        assert_eq!(a.link.faults, ["greylisting", "spam-filter"]);
        assert_eq!(a.link.seed, Some(7));
        assert!(a.autoplay);
        assert_eq!(a.speed, 4);
        assert_eq!(a.connect_line().as_deref(), Some("telnet mail.example.com 587"));
        let (b, errs) =
            Options::from_pairs([("lessonUrl", "lessons/x.md"), ("fontSize", "18px"), ("autoplay", "false")]);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(b.link.lesson_url.as_deref(), Some("lessons/x.md"));
        assert!(!b.autoplay);
        assert_eq!(b.mode, Mode::Terminal, "terminal is the default");
    }

    #[test]
    fn bad_options_are_named_and_the_rest_applies() {
        let (o, errs) = Options::from_pairs([
            ("mode", "movie"),
            ("port", "99999"),
            ("host", "<script>"),
            ("lesson-url", "javascript:alert(1)"),
            ("speed", "fast"),
            ("colour", "red"),
            ("lang", "ru"),
        ]);
        assert_eq!(o.link.lang, Some(Lang::Ru));
        assert_eq!(o.mode, Mode::Terminal);
        assert!(o.link.host.is_none() && o.link.port.is_none() && o.link.lesson_url.is_none());
        let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 6, "{text:?}");
        assert!(text.iter().any(|t| t.contains("mode") && t.contains("movie")));
        assert!(text.iter().any(|t| t.contains("\"colour\"") && t.contains("unknown")));
        // Speeds are bounded, never zero.
        assert_eq!(Options::from_pairs([("speed", "1000")]).0.speed, MAX_SPEED);
        assert_eq!(Options::from_pairs([("speed", "0.2")]).0.speed, 1);
        assert_eq!(Options::from_pairs([("speed", "-3")]).1.len(), 1);
    }

    #[test]
    fn a_script_in_an_html_page_is_dedented_and_keeps_its_inner_blank_lines() {
        let text = "\n      telnet mail.example.com 25\n      EHLO me\n      #pause\n      DATA\n      Subject: hi\n\n        indented body\n      .\n   \n";
        let (s, errs) = Script::parse(text);
        assert!(errs.is_empty());
        assert_eq!(
            s.items,
            vec![
                Item::Line("telnet mail.example.com 25".into()),
                Item::Line("EHLO me".into()),
                Item::Pause,
                Item::Line("DATA".into()),
                Item::Line("Subject: hi".into()),
                Item::Line("".into()),
                Item::Line("  indented body".into()),
                Item::Line(".".into()),
            ]
        );
        assert_eq!(Script::parse("  \n\n").0, Script::default());
        // The first line right after its tag, the others indented.
        let (s, _) = Script::parse("EHLO me\n      MAIL FROM:<a@b>\n        folded\n");
        assert_eq!(s.commands().collect::<Vec<_>>(), ["EHLO me", "MAIL FROM:<a@b>", "  folded"]);
    }

    #[test]
    fn an_inline_transcript_is_dedented_as_a_script_is() {
        assert_eq!(dedent("\n    S: 220 x\n    C: QUIT\n      C: folded\n  "), "S: 220 x\nC: QUIT\n  C: folded");
        assert_eq!(dedent("S: 220 x\n   C: é€\n  C: QUIT"), "S: 220 x\n C: é€\nC: QUIT");
        assert_eq!(dedent(" \n "), "");
        // A page's language tag names the language by its first subtag.
        assert_eq!(Options::from_pairs([("lang", "ru-RU")]).0.link.lang, Some(Lang::Ru));
        assert_eq!(Options::from_pairs([("lang", "EN")]).0.link.lang, Some(Lang::En));
        assert_eq!(Options::from_pairs([("lang", "de")]).1.len(), 1);
    }

    #[test]
    fn a_script_is_bounded() {
        let long = "x".repeat(MAX_SCRIPT_LINE + 10);
        let (s, errs) = Script::parse(&format!("a\n{long}\n"));
        assert_eq!(errs, [ScriptError::LineCut(2)]);
        assert!(matches!(&s.items[1], Item::Line(l) if l.len() == MAX_SCRIPT_LINE));
        let many = "HELO x\n".repeat(MAX_SCRIPT_LINES + 5);
        let (s, errs) = Script::parse(&many);
        assert_eq!(s.items.len(), MAX_SCRIPT_LINES);
        assert_eq!(errs, [ScriptError::TooLong]);
    }

    fn player(text: &str) -> Player {
        Player::new(Script::parse(text).0)
    }

    #[test]
    fn the_player_types_stops_at_pauses_and_hands_over_at_the_end() {
        let mut p = player("a\nb\n#pause\nc");
        assert_eq!(p.state(), PlayState::Ready);
        assert_eq!(p.next_cue(), None, "nothing plays before play");
        assert!(p.play());
        assert_eq!(p.next_cue(), Some(Cue::Type("a".into())));
        assert_eq!(p.next_cue(), Some(Cue::Type("b".into())));
        assert_eq!(p.next_cue(), Some(Cue::Pause));
        assert_eq!(p.state(), PlayState::Paused);
        assert_eq!(p.next_cue(), None);
        assert_eq!(p.progress(), (2, 3));
        p.play();
        assert_eq!(p.next_cue(), Some(Cue::Type("c".into())));
        assert_eq!(p.next_cue(), Some(Cue::End));
        assert_eq!(p.state(), PlayState::Done);
        assert!(!p.play(), "done stays done until restart");
        p.restart();
        assert_eq!(p.state(), PlayState::Ready);
        assert_eq!(p.progress(), (0, 3));
        // A script ending in a pause ends there.
        let mut q = player("a\n#pause");
        q.play();
        q.next_cue();
        assert_eq!(q.next_cue(), Some(Cue::End));
    }

    #[test]
    fn stepping_moves_by_command_and_back_replays_what_came_before() {
        let mut p = player("a\n#pause\nb\nc");
        assert_eq!(p.back(), None, "nothing to go back to");
        assert_eq!(p.forward().as_deref(), Some("a"));
        assert_eq!(p.state(), PlayState::Paused);
        assert_eq!(p.forward().as_deref(), Some("b"), "the pause is passed");
        assert_eq!(p.progress(), (2, 3));
        assert_eq!(p.back(), Some(vec!["a".to_string()]));
        assert_eq!(p.progress(), (1, 3));
        assert_eq!(p.forward().as_deref(), Some("b"));
        assert_eq!(p.forward().as_deref(), Some("c"));
        assert_eq!(p.state(), PlayState::Done);
        assert_eq!(p.forward(), None);
        assert_eq!(p.back(), Some(vec!["a".to_string(), "b".to_string()]));
        assert!(p.play());
        assert_eq!(p.next_cue(), Some(Cue::Type("c".into())));
    }

    #[test]
    fn the_reply_event_carries_the_live_engines_code() {
        let mut shell = Shell::new(World::new(1));
        let out = shell.input("telnet mail.example.com 25");
        let greet = ReplyEvent::of("telnet mail.example.com 25", &out).expect("a greeting");
        // The greeting as Postfix writes it (../shared/peers/transcripts).
        assert_eq!(greet.code, "220");
        assert_eq!(greet.protocol, "SMTP");
        assert!(greet.text.ends_with("220 mail.example.com ESMTP Postfix"), "{}", greet.text);
        let out = shell.input("RCPT TO:<alice@example.com>");
        let r = ReplyEvent::of("RCPT TO:<alice@example.com>", &out).expect("a reply");
        // RCPT before MAIL: the peers' Postfix says `503 5.5.1 Error: need MAIL command`.
        assert_eq!((r.code.as_str(), r.enhanced.as_deref()), ("503", Some("5.5.1")));
        assert_eq!(r.text, "503 5.5.1 Error: need MAIL command");
        assert_eq!(ReplyEvent::of("help", &Shell::new(World::new(1)).input("help")), None);
    }

    #[test]
    fn garbage_never_panics() {
        let junk = ["\u{0}", "#PAUSE", "\t\t#pause\r", "é€\n\n\u{feff}", "\r\r\r", ""];
        for a in junk {
            for b in junk {
                let (s, _) = Script::parse(&format!("{a}\n  {b}\n{a}{b}"));
                let mut p = Player::new(s);
                for _ in 0..3 {
                    p.toggle();
                    p.next_cue();
                    p.forward();
                    p.back();
                }
                let _ = Options::from_pairs([(a, b), (b, a)]);
            }
        }
    }
}
