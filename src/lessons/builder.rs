//! The lesson builder (issue 15): a teacher does an exercise in the sandbox
//! with "record" on, and [`Recorder::propose`] turns what was done into a
//! lesson file (lessons/README.md, "The lesson builder").
//!
//! What was typed is first cut into steps: one per meaningful command (a
//! shell command, or a protocol line and, after an intermediate reply such
//! as `354` or `334`, the lines up to the final one, so a message's text
//! joins its `DATA` step). Left out: empty lines, `clear`, `help`, telnet's
//! `^]` commands, unknown commands, a line repeated with the same result,
//! and a mistake the teacher corrected (an error reply followed by the same
//! command again, or an unrecognized command followed by another). An error
//! left standing stays a step: a lesson may show one on purpose.
//!
//! The steps are then replayed in a fresh default world, as
//! [`super::check`] replays a lesson (set up as the teacher's was: the faults
//! that were on and the scenario that was loaded, which the proposal's front
//! matter and introduction carry), and each step's goals are read from
//! what the replay showed: its final reply's code (with the enhanced status
//! code, never a queue id), a greeting, a DNS answer, the messages it
//! delivered. So the goals hold for the solutions by construction.

use super::Goal;
use crate::lang::{fill, Lang};
use crate::shell::{LineKind, Shell, ShellOutput, PROMPT};
use crate::world::events::Event;
use crate::world::headers::header_value;
use crate::world::scenario::Scenario;
use crate::world::World;

/// Most entries a recorder keeps (later ones are ignored).
const MAX_ENTRIES: usize = 2000;

/// A message the mail client sent (not typed: the lesson's solution sends
/// the same with `swaks`, straight to the recipient's MX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSent {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
}

/// One thing the teacher did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A line typed into the terminal and the lines it showed.
    Typed {
        line: String,
        shown: Vec<(LineKind, String)>,
    },
    Mail(MailSent),
}

/// Records a sandbox session for [`Recorder::propose`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorder {
    entries: Vec<Entry>,
    /// The faults that were on while recording ([`crate::world::faults::Faults::specs`]).
    faults: Vec<String>,
    /// The scenario the world was set up with, if one was loaded.
    scenario: Option<String>,
}

/// Why no lesson can be proposed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error(
        "nothing to build a lesson from: no meaningful command was recorded (empty lines, clear and help are left out)"
    )]
    NothingRecorded,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The world the teacher records in: `faults` switched on (added to any seen before, so
    /// one switched on while recording counts too) and the `scenario` text it was set up with.
    pub fn world_was(&mut self, faults: Vec<String>, scenario: Option<String>) {
        for f in faults {
            if !self.faults.contains(&f) {
                self.faults.push(f);
            }
        }
        if scenario.is_some() {
            self.scenario = scenario;
        }
    }

    /// The terminal took `line` and showed `output` (what [`Shell::input`] returned).
    pub fn input(&mut self, line: &str, output: &ShellOutput) {
        if self.entries.len() < MAX_ENTRIES {
            let line: String = line.chars().take(crate::shell::MAX_LINE).collect();
            let shown = output.lines.iter().map(|l| (l.kind, l.text.clone())).collect();
            self.entries.push(Entry::Typed { line, shown });
        }
    }

    /// The mail client sent a message.
    pub fn mail_sent(&mut self, mail: MailSent) {
        if self.entries.len() < MAX_ENTRIES && !mail.to.is_empty() {
            self.entries.push(Entry::Mail(mail));
        }
    }

    /// The world's events caused outside the terminal (the mail client's
    /// Send): each message the learner's machine handed to a server is
    /// recorded as [`Recorder::mail_sent`], its Subject read from a copy the
    /// world delivered, if any.
    pub fn client_events(&mut self, events: &[Event], world: &World) {
        let learner = World::learner().name.unwrap_or_default();
        let subject = events
            .iter()
            .find_map(|e| match e {
                Event::Delivered { host, mailbox, folder, uid, .. } => {
                    let user = mailbox.split('@').next().unwrap_or("");
                    world.store(host)?.get(user, folder, *uid).and_then(|m| header_value(&m.raw, "Subject"))
                }
                _ => None,
            })
            .unwrap_or_default();
        for e in events {
            if let Event::Accepted { from, to, client, .. } = e {
                if client.starts_with(&learner) {
                    self.mail_sent(MailSent { from: from.clone(), to: to.clone(), subject: subject.clone() });
                }
            }
        }
    }

    /// True when nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many entries are recorded (lines typed, messages sent).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// A lesson file made of what was recorded, its texts in `lang`: front
    /// matter, a placeholder introduction, one step per meaningful command
    /// with goals read from a replay, a placeholder instruction and hint, and
    /// the solution as typed. It passes [`super::parse`] and [`super::check`].
    pub fn propose(&self, id: &str, title: &str, lang: Lang) -> Result<String, BuildError> {
        // The scenario as the lesson will carry it (a line starting with ``` would end its block:
        // such a line, in a message, is indented), if it sets a world up without a problem; then
        // the faults: as `Run::start` sets a lesson's world up.
        let set_up = self.scenario.as_deref().and_then(|t| {
            let text = t.lines().map(|l| if l.starts_with("```") { format!(" {l}") } else { l.to_string() });
            let text = text.collect::<Vec<_>>().join("\n");
            let mut world = World::new(1);
            Scenario::parse(&text).ok()?.apply(&mut world).ok()?;
            Some((text, world))
        });
        let (scenario, mut world) = match set_up {
            Some((text, world)) => (Some(text), world),
            None => (None, World::new(1)),
        };
        let faults: Vec<&String> = self.faults.iter().filter(|f| world.faults_mut().switch_on(f).is_ok()).collect();
        let mut shell = Shell::new(world);
        let steps: Vec<Built> = plan(&self.entries).into_iter().filter_map(|p| replay(&mut shell, p)).collect();
        if steps.is_empty() {
            return Err(BuildError::NothingRecorded);
        }
        let tx = texts(lang);
        let one_line = |s: &str, default: &str| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.is_empty() {
                default.to_string()
            } else {
                s
            }
        };
        let faults_line = if faults.is_empty() {
            String::new()
        } else {
            format!("faults: {}\n", faults.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "))
        };
        let mut out = format!(
            "---\nid: {}\ntitle: {}\nlevel: 1\ncovers:\n{faults_line}---\n\n{}\n",
            one_line(id, "recorded-lesson").replace(' ', "-"),
            one_line(title, tx.default_title),
            tx.intro
        );
        if let Some(text) = scenario {
            out.push_str(&format!("\n```scenario\n{text}\n```\n"));
        }
        for step in steps {
            let shown = step.shown.replace('`', "'");
            let happened =
                if shown.is_empty() { String::new() } else { format!(" {}", fill(tx.happened, &[("line", &shown)])) };
            out.push_str(&format!("\n## {}\n\n{}{happened}\n\n```goal\n", step.title(tx), tx.prose));
            for g in &step.goals {
                out.push_str(&format!("{g}\n"));
            }
            out.push_str(&format!("```\n\n```hint\n{}\n```\n\n```solution\n", tx.hint));
            for l in &step.solution {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str("```\n");
        }
        Ok(out)
    }
}

/// The builder's texts in one language.
struct Texts {
    default_title: &'static str,
    intro: &'static str,
    prose: &'static str,
    /// `{line}`: what the terminal showed when the step was replayed.
    happened: &'static str,
    hint: &'static str,
    /// `{host}`, `{port}`.
    connect: &'static str,
    /// `{host}`, `{port}`.
    connect_tls: &'static str,
    /// `{command}`: the protocol command's name.
    send: &'static str,
    /// `{command}`: the shell command as typed.
    run: &'static str,
    /// `{seconds}`.
    wait: &'static str,
    swaks: &'static str,
    /// `{to}`.
    mail: &'static str,
}

const EN: Texts = Texts {
    default_title: "A recorded lesson",
    intro: "(Introduce the lesson here: what the learner will do and why it matters. \
            List the topics it teaches in `covers:` above, e.g. `covers: T05, T15`.)",
    prose: "(Say what to do in this step and why.)",
    happened: "When it was recorded, the terminal showed `{line}`.",
    hint: "(A hint: a question that leads to the answer.)",
    connect: "Connect to {host} port {port}",
    connect_tls: "Connect to {host} port {port} over TLS",
    send: "Send {command}",
    run: "Run `{command}`",
    wait: "Wait {seconds} seconds",
    swaks: "Send a message with swaks",
    mail: "Send a message to {to} from the mail client",
};

const RU: Texts = Texts {
    default_title: "Записанный урок",
    intro: "(Здесь введение: что ученик сделает и зачем это нужно. \
            Темы урока перечислите выше в `covers:`, например `covers: T05, T15`.)",
    prose: "(Скажите, что сделать на этом шаге и зачем.)",
    happened: "При записи терминал показал `{line}`.",
    hint: "(Подсказка: вопрос, который ведёт к ответу.)",
    connect: "Подключитесь к {host}, порт {port}",
    connect_tls: "Подключитесь к {host}, порт {port}, через TLS",
    send: "Отправьте {command}",
    run: "Выполните `{command}`",
    wait: "Подождите {seconds} с",
    swaks: "Отправьте письмо через swaks",
    mail: "Отправьте письмо на {to} из почтового клиента",
};

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Ru => &RU,
    }
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum What {
    /// A shell command (the solution's line).
    Shell,
    /// A protocol line, with the command's name (`EHLO`, `LOGIN`).
    Protocol(String),
    /// The mail client's message.
    Mail(MailSent),
}

/// A step cut from the recording: what it does and the lines to type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Planned {
    what: What,
    lines: Vec<String>,
}

/// How a server answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Done,
    /// More is expected from the client (`354`, `334`, IMAP's `+`).
    More,
    Error,
    /// The command was not understood (SMTP 500/502, IMAP BAD, POP3's unknown command).
    Unknown,
}

/// A server's status line read: the goal prefix and its class.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Status {
    prefix: String,
    class: Class,
}

fn is_enhanced(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// An SMTP reply line's code and whether it is the last line of its reply.
fn smtp_code(line: &str) -> Option<(u16, bool)> {
    let code = line.get(..3).filter(|c| c.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()?;
    match line.as_bytes().get(3) {
        None | Some(b' ') => Some((code, true)),
        Some(b'-') => Some((code, false)),
        _ => None,
    }
}

/// The status of the server's answer to `sent`: IMAP's tagged line, POP3's
/// `+OK`/`-ERR`, the final line of an SMTP reply, or a continuation. The
/// first line tells the protocol, so a message's text (POP3's RETR) is not
/// read as replies.
fn status<'a>(sent: &str, mut server: impl Iterator<Item = &'a str> + Clone) -> Option<Status> {
    let tag = sent.split_whitespace().next().unwrap_or("");
    let tagged = server.clone().find_map(|l| {
        let mut w = l.split_whitespace();
        let (t, word) = (w.next()?, w.next()?);
        let class = match word.to_ascii_uppercase().as_str() {
            "OK" => Class::Done,
            "NO" => Class::Error,
            "BAD" => Class::Unknown,
            _ => return None,
        };
        (t.eq_ignore_ascii_case(tag) && t != "*" && t != "+").then(|| Status { prefix: format!("{t} {word}"), class })
    });
    if tagged.is_some() {
        return tagged;
    }
    let first = server.clone().next()?;
    if first.starts_with("+OK") || first.starts_with("-ERR") {
        let word = first.split_whitespace().next().unwrap_or(first);
        let class = match word {
            "+OK" => Class::Done,
            _ if first.to_ascii_lowercase().contains("unknown command") => Class::Unknown,
            _ => Class::Error,
        };
        return Some(Status { prefix: word.to_string(), class });
    }
    if smtp_code(first).is_some() {
        let last = server.find(|l| smtp_code(l).is_some_and(|(_, last)| last))?;
        let code = smtp_code(last).map_or(0, |(c, _)| c);
        let prefix = match last.split_whitespace().nth(1).filter(|w| is_enhanced(w)) {
            Some(e) => format!("{code} {e}"),
            None => code.to_string(),
        };
        let class = match code {
            500 | 502 => Class::Unknown,
            300..=399 => Class::More,
            400.. => Class::Error,
            _ => Class::Done,
        };
        return Some(Status { prefix, class });
    }
    (first == "+" || first.starts_with("+ ")).then(|| Status { prefix: "+".into(), class: Class::More })
}

/// A greeting's goal prefix: `220 HOST`, `+OK`, `* OK`.
fn greeting(line: &str) -> String {
    let mut w = line.split_whitespace();
    let first = w.next().unwrap_or("");
    let second = w.next();
    match (smtp_code(line), second) {
        (Some((220, _)), Some(host)) if !is_enhanced(host) => format!("{} {host}", &line[..3]),
        (Some(_), Some(e)) if is_enhanced(e) => format!("{} {e}", &line[..3]),
        (Some(_), _) => line[..3].to_string(),
        (None, Some(word)) if first == "*" => format!("* {word}"),
        _ => first.to_string(),
    }
}

/// What an entry is, from the first line it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shell,
    Protocol,
    /// Typed in telnet's command mode (after `^]`), or nothing shown.
    Other,
}

fn kind(shown: &[(LineKind, String)]) -> Kind {
    match shown.first() {
        Some((LineKind::Command, t)) if t.starts_with(PROMPT) => Kind::Shell,
        Some((LineKind::Client, _)) => Kind::Protocol,
        _ => Kind::Other,
    }
}

fn server_lines(shown: &[(LineKind, String)]) -> impl Iterator<Item = &str> + Clone {
    shown.iter().filter(|(k, _)| *k == LineKind::Server).map(|(_, t)| t.as_str())
}

/// A typed entry read: its line, kind, status, and whether it is noise.
struct Read<'a> {
    line: &'a str,
    kind: Kind,
    status: Option<Status>,
    shown: &'a [(LineKind, String)],
}

impl Read<'_> {
    /// The command's name: the shell command, or the protocol verb (after an IMAP tag).
    fn verb(&self) -> String {
        let mut w = self.line.split_whitespace();
        let first = w.next().unwrap_or("");
        let tagged = self.status.as_ref().is_some_and(|s| s.prefix.split(' ').next() == Some(first) && first != "+");
        let verb = if tagged && self.kind == Kind::Protocol { w.next().unwrap_or(first) } else { first };
        verb.to_ascii_uppercase()
    }

    /// A shell command that failed: it printed an error and reached no server.
    fn failed_command(&self) -> bool {
        let has = |kind| self.shown.iter().any(|(k, _)| *k == kind);
        has(LineKind::Error) && !has(LineKind::Server)
    }

    fn noise(&self) -> bool {
        let word = self.line.split_whitespace().next().unwrap_or("");
        match self.kind {
            Kind::Other => true,
            Kind::Protocol => self.line.trim().is_empty(),
            Kind::Shell => {
                word.is_empty()
                    || matches!(word, "clear" | "help")
                    || self
                        .shown
                        .iter()
                        .any(|(k, t)| *k == LineKind::Error && t.ends_with("command not found (type `help`)"))
            }
        }
    }

    /// A mistake: an error reply, or a shell command that only failed.
    fn mistake(&self) -> Option<Class> {
        match self.kind {
            Kind::Protocol => {
                self.status.as_ref().map(|s| s.class).filter(|c| matches!(c, Class::Error | Class::Unknown))
            }
            Kind::Shell => self.failed_command().then_some(Class::Error),
            Kind::Other => None,
        }
    }
}

fn read(entry: &Entry) -> Option<Read<'_>> {
    match entry {
        Entry::Typed { line, shown } => {
            let kind = kind(shown);
            let status = (kind == Kind::Protocol).then(|| status(line, server_lines(shown))).flatten();
            Some(Read { line, kind, status, shown })
        }
        Entry::Mail(_) => None,
    }
}

/// A solution line as the lesson file can hold it: no line breaks, and no
/// line the parser would take for a fence or an answer.
fn typable(line: &str) -> bool {
    !line.contains(['\n', '\r']) && !line.starts_with("```") && !line.starts_with("answer: ")
}

/// Cuts the recording into steps (see the module's comment for what is left out).
fn plan(entries: &[Entry]) -> Vec<Planned> {
    let reads: Vec<Option<Read>> = entries.iter().map(read).collect();
    let mut steps: Vec<Planned> = Vec::new();
    // The last step awaits more lines (its reply was intermediate).
    let mut open = false;
    // What the last kept line was and showed, to skip a repeat.
    let mut last_kept: Option<(&str, Vec<&(LineKind, String)>)> = None;
    for (i, entry) in entries.iter().enumerate() {
        let Some(r) = reads[i].as_ref() else {
            if let Entry::Mail(m) = entry {
                let to = m.to.join(",");
                let subject = m.subject.replace(['"', '\\', '`', '$'], "");
                let line = format!("swaks --to {to} --from {} --header \"Subject: {subject}\"", m.from);
                if typable(&line) {
                    steps.push(Planned { what: What::Mail(m.clone()), lines: vec![line] });
                }
            }
            open = false;
            continue;
        };
        if !typable(r.line) {
            continue;
        }
        if open && r.kind == Kind::Protocol {
            if let Some(s) = steps.last_mut() {
                s.lines.push(r.line.to_string());
            }
            open = r.status.as_ref().is_none_or(|s| s.class == Class::More);
            continue;
        }
        open = false;
        if r.noise() {
            continue;
        }
        let next = reads[i + 1..].iter().flatten().find(|n| !n.noise());
        let corrected = match (r.mistake(), next) {
            (Some(class), Some(n)) => {
                n.kind == r.kind && (n.verb() == r.verb() || (class == Class::Unknown && n.mistake().is_none()))
            }
            _ => false,
        };
        let rest: Vec<&(LineKind, String)> = r.shown.iter().skip(1).collect();
        let repeat = last_kept.as_ref().is_some_and(|(l, s)| *l == r.line && *s == rest) && r.verb() != "SLEEP";
        if corrected || repeat {
            continue;
        }
        last_kept = Some((r.line, rest));
        match r.kind {
            Kind::Protocol if r.status.is_none() && !steps.is_empty() => {
                // No reply (a literal's line, say): it belongs to the step before.
                if let Some(s) = steps.last_mut() {
                    s.lines.push(r.line.to_string());
                }
            }
            Kind::Protocol => {
                open = r.status.as_ref().is_some_and(|s| s.class == Class::More);
                steps.push(Planned { what: What::Protocol(r.verb()), lines: vec![r.line.to_string()] });
            }
            _ => steps.push(Planned { what: What::Shell, lines: vec![r.line.to_string()] }),
        }
    }
    steps
}

/// A step replayed: its solution (with any lines the replay needed) and goals.
struct Built {
    what: What,
    solution: Vec<String>,
    goals: Vec<Goal>,
    /// A line the replay showed, for the teacher's prose.
    shown: String,
}

impl Built {
    fn title(&self, tx: &Texts) -> String {
        let first = self.solution.last().map_or("", String::as_str);
        let words: Vec<&str> = first.split_whitespace().collect();
        let title = match (&self.what, words.as_slice()) {
            (What::Mail(m), _) => fill(tx.mail, &[("to", &m.to.join(", "))]),
            (What::Protocol(verb), _) => fill(tx.send, &[("command", verb)]),
            (What::Shell, ["telnet", host, port]) => fill(tx.connect, &[("host", host), ("port", port)]),
            (What::Shell, ["telnet", host]) => fill(tx.connect, &[("host", host), ("port", "23")]),
            (What::Shell, ["openssl", rest @ ..]) => {
                let target = rest.iter().skip_while(|w| **w != "-connect").nth(1).copied().unwrap_or("");
                let (host, port) = target.rsplit_once(':').unwrap_or((target, ""));
                fill(tx.connect_tls, &[("host", host), ("port", port)])
            }
            (What::Shell, ["sleep", n]) => fill(tx.wait, &[("seconds", n.trim_end_matches('s'))]),
            (What::Shell, ["swaks", ..]) => tx.swaks.to_string(),
            (What::Shell, _) => fill(tx.run, &[("command", &words.join(" ").replace('`', "'"))]),
        };
        title
    }
}

/// Closes the replay's open connection before a shell command (the teacher
/// left it with telnet's `^]`, which a solution cannot type): `QUIT`, then
/// IMAP's `LOGOUT`.
fn close(shell: &mut Shell, solution: &mut Vec<String>) {
    for line in ["QUIT", "Z LOGOUT"] {
        if shell.connected_to().is_none() {
            return;
        }
        shell.input(line);
        solution.push(line.to_string());
    }
}

/// The goal a DNS command's output gives: its first answer's data (the last
/// tab-separated field: no TTL), or dig's status when it has no answer.
fn dns_goal(word: &str, shown: &[(LineKind, String)]) -> Option<Goal> {
    let lines: Vec<&str> = shown.iter().skip(1).map(|(_, t)| t.as_str()).collect();
    let after = |p: Option<usize>| p.map_or(lines.len(), |p| p + 1);
    let skip = match word {
        // nslookup names its server first, up to a blank line.
        "nslookup" => after(lines.iter().position(|l| l.trim().is_empty())),
        // dig without +short: the answer section (none: the status below).
        "dig" if lines.iter().any(|l| l.starts_with(";; ")) => {
            after(lines.iter().position(|l| l.starts_with(";; ANSWER SECTION")))
        }
        _ => 0,
    };
    let answer = lines[skip..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with(';') && *l != "Non-authoritative answer:")
        .and_then(|l| l.rsplit('\t').next())
        .map(|f| f.rsplit("  ").next().unwrap_or(f).trim())
        .filter(|f| !f.is_empty());
    if let Some(a) = answer {
        return Some(Goal::Output(a.to_string()));
    }
    lines.iter().find_map(|l| {
        let s = l.split_once("status: ")?.1;
        Some(Goal::Output(format!("status: {}", s.split(',').next()?.trim())))
    })
}

/// The goals of a shell command from what it showed.
fn shell_goals(line: &str, shown: &[(LineKind, String)]) -> Vec<Goal> {
    let word = line.split_whitespace().next().unwrap_or("");
    let goal = match word {
        "telnet" | "openssl" => server_lines(shown).next().map(|l| Goal::Reply { prefix: greeting(l), after: None }),
        "dig" | "host" | "nslookup" => dns_goal(word, shown),
        "swaks" => shown
            .iter()
            .filter_map(|(_, t)| t.strip_prefix("<-  ").or_else(|| t.strip_prefix("<~  ")))
            .rfind(|l| smtp_code(l).is_some_and(|(_, last)| last))
            .and_then(|l| status("", std::iter::once(l)))
            .map(|s| Goal::Output(s.prefix)),
        _ => None,
    };
    goal.into_iter().collect()
}

/// Replays a planned step in `shell` and reads its goals from what
/// happened. `None` for protocol lines with no connection to go to (the
/// recording began in the middle of one).
fn replay(shell: &mut Shell, p: Planned) -> Option<Built> {
    let mut solution = Vec::new();
    match p.what {
        What::Protocol(_) if shell.connected_to().is_none() => return None,
        What::Protocol(_) => {}
        _ => close(shell, &mut solution),
    }
    let first_event = shell.world().events().len();
    let mut outs: Vec<ShellOutput> = Vec::new();
    for line in &p.lines {
        outs.push(shell.input(line));
        solution.push(line.clone());
    }
    let shown_of = |o: &ShellOutput| o.lines.iter().map(|l| (l.kind, l.text.clone())).collect::<Vec<_>>();
    let mut goals: Vec<Goal> = match &p.what {
        What::Protocol(_) => p
            .lines
            .iter()
            .zip(&outs)
            .filter_map(|(l, o)| {
                status(l, o.lines.iter().filter(|x| x.kind == LineKind::Server).map(|x| x.text.as_str()))
            })
            .next_back()
            .map(|s| Goal::Reply { prefix: s.prefix, after: None })
            .into_iter()
            .collect(),
        What::Shell => match (p.lines.last(), outs.last()) {
            (Some(l), Some(o)) => shell_goals(l, &shown_of(o)),
            _ => vec![],
        },
        What::Mail(_) => vec![],
    };
    let world = shell.world();
    let events = world.events().get(first_event..).unwrap_or(&[]);
    for e in events {
        if let Event::Delivered { host, mailbox, folder, uid, .. } = e {
            let user = mailbox.split('@').next().unwrap_or("");
            let subject = world
                .store(host)
                .and_then(|s| s.get(user, folder, *uid))
                .and_then(|m| header_value(&m.raw, "Subject"))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                // A subject with digits may hold a date or a counter: left out.
                .filter(|s| !s.is_empty() && !s.bytes().any(|b| b.is_ascii_digit()));
            let g = Goal::Delivered { mailbox: mailbox.clone(), subject };
            if !goals.contains(&g) {
                goals.push(g);
            }
        }
    }
    if goals.is_empty() {
        let kind = events.iter().find_map(|e| match e {
            Event::Failed { .. } => Some("failed"),
            Event::BounceQueued { .. } => Some("bounce"),
            Event::Deferred { .. } => Some("deferred"),
            Event::Accepted { .. } => Some("accepted"),
            _ => None,
        });
        goals.push(match (kind, &p.what) {
            (Some(k), _) => Goal::Event { kind: k.to_string(), text: None },
            (None, What::Protocol(_)) => Goal::Sent(p.lines.first().map_or("", |l| l.trim()).to_string()),
            (None, _) => {
                let error = outs.last().and_then(|o| o.lines.iter().rfind(|l| l.kind == LineKind::Error));
                match error.map(|l| l.text.trim()).filter(|t| !t.is_empty()) {
                    Some(t) => Goal::Output(t.to_string()),
                    None => Goal::Command(p.lines.last().map_or("", |l| l.trim()).to_string()),
                }
            }
        });
    }
    let shown = outs
        .iter()
        .flat_map(|o| o.lines.iter())
        .filter(|l| matches!(l.kind, LineKind::Server | LineKind::Output | LineKind::Error))
        .map(|l| l.text.trim())
        .rfind(|t| !t.is_empty() && *t != "." && !t.starts_with(';'))
        .map(|t| t.chars().take(120).collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    Some(Built { what: p.what, solution, goals, shown })
}

#[cfg(test)]
mod tests;
