//! The goals a lesson step can check, one per line of a ```goal block:
//!
//! | goal | holds when |
//! |---|---|
//! | `command PREFIX` | a shell command starting with PREFIX was run |
//! | `sent PREFIX` | a line starting with PREFIX was sent over a connection |
//! | `reply PREFIX` | a server line starts with PREFIX (`reply 250 2.1.5`, `reply +OK`) |
//! | `reply PREFIX after SENT` | the first server line after a sent line starting with SENT starts with PREFIX |
//! | `output TEXT` | a line shown (output, error or server) contains TEXT |
//! | `delivered MAILBOX [SUBJECT…]` | the world stored a message for MAILBOX (whose Subject contains SUBJECT) |
//! | `event KIND [TEXT…]` | a world event of KIND (accepted, dns, hop, deferred, failed, bounce, delivered, retrieved) mentioning TEXT |
//! | `answer A\|B` | the learner answered A or B (case and spaces ignored) |
//!
//! Prefixes compare case-insensitively, with runs of spaces as one.

use crate::shell::{LineKind, TermLine};
use crate::world::events::Event;
use crate::world::headers::header_value;
use crate::world::World;

/// One checkable condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    Command(String),
    Sent(String),
    Reply { prefix: String, after: Option<String> },
    Output(String),
    Delivered { mailbox: String, subject: Option<String> },
    Event { kind: String, text: Option<String> },
    Answer(Vec<String>),
}

/// What happened since a step began.
pub struct Activity<'a> {
    pub lines: &'a [TermLine],
    pub events: &'a [Event],
    pub answers: &'a [String],
    pub world: &'a World,
}

pub(super) const EVENT_KINDS: &[&str] =
    &["accepted", "dns", "hop", "connect-failed", "deferred", "failed", "bounce", "delivered", "removed", "retrieved"];

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn starts(line: &str, prefix: &str) -> bool {
    norm(line).starts_with(&norm(prefix))
}

fn kind_of(e: &Event) -> &'static str {
    match e {
        Event::Accepted { .. } => "accepted",
        Event::DnsLookup { .. } => "dns",
        Event::Hop { .. } => "hop",
        Event::ConnectFailed { .. } => "connect-failed",
        Event::Deferred { .. } => "deferred",
        Event::Failed { .. } => "failed",
        Event::BounceQueued { .. } => "bounce",
        Event::Delivered { .. } => "delivered",
        Event::Removed { .. } => "removed",
        Event::Retrieved { .. } => "retrieved",
    }
}

/// Why a goal line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    #[error("unknown goal '{0}' (one of command, sent, reply, output, delivered, event, answer)")]
    Unknown(String),
    #[error("goal '{0}' needs {1}")]
    Needs(&'static str, &'static str),
    #[error("unknown event kind '{0}' (one of {list})", list = EVENT_KINDS.join(", "))]
    UnknownEvent(String),
}

/// The first word of `s` and the rest, trimmed.
fn split_word(s: &str) -> (&str, Option<&str>) {
    s.split_once(' ').map_or((s, None), |(w, r)| (w, Some(r.trim())))
}

impl Goal {
    /// Reads one goal line.
    pub fn parse(line: &str) -> Result<Goal, GoalError> {
        let line = line.trim();
        let (word, rest) = line.split_once(' ').map_or((line, ""), |(w, r)| (w, r.trim()));
        let need = |goal: &'static str, what: &'static str| {
            if rest.is_empty() {
                Err(GoalError::Needs(goal, what))
            } else {
                Ok(rest)
            }
        };
        Ok(match word {
            "command" => Goal::Command(need("command", "a command")?.to_string()),
            "sent" => Goal::Sent(need("sent", "a line")?.to_string()),
            "reply" => {
                let r = need("reply", "a reply prefix")?;
                match r.split_once(" after ") {
                    Some((p, a)) => Goal::Reply { prefix: p.trim().to_string(), after: Some(a.trim().to_string()) },
                    None => Goal::Reply { prefix: r.to_string(), after: None },
                }
            }
            "output" => Goal::Output(need("output", "a text")?.to_string()),
            "delivered" => {
                let (mailbox, subject) = split_word(need("delivered", "a mailbox")?);
                Goal::Delivered { mailbox: mailbox.to_string(), subject: subject.map(str::to_string) }
            }
            "event" => {
                let (kind, text) = split_word(need("event", "an event kind")?);
                if !EVENT_KINDS.contains(&kind) {
                    return Err(GoalError::UnknownEvent(kind.to_string()));
                }
                Goal::Event { kind: kind.to_string(), text: text.map(str::to_string) }
            }
            "answer" => Goal::Answer(
                need("answer", "the accepted answers")?.split('|').map(norm).filter(|a| !a.is_empty()).collect(),
            ),
            other => return Err(GoalError::Unknown(other.to_string())),
        })
    }

    /// True when the goal holds for this activity.
    pub fn holds(&self, a: &Activity) -> bool {
        let of_kind = |k: LineKind| a.lines.iter().filter(move |l| l.kind == k);
        match self {
            Goal::Command(p) => {
                of_kind(LineKind::Command).any(|l| starts(l.text.split_once("$ ").map_or(&l.text, |(_, c)| c), p))
            }
            Goal::Sent(p) => of_kind(LineKind::Client).any(|l| starts(&l.text, p)),
            Goal::Reply { prefix, after: None } => of_kind(LineKind::Server).any(|l| starts(&l.text, prefix)),
            Goal::Reply { prefix, after: Some(sent) } => a.lines.iter().enumerate().any(|(i, l)| {
                l.kind == LineKind::Client
                    && starts(&l.text, sent)
                    && a.lines[i + 1..]
                        .iter()
                        .find(|x| x.kind == LineKind::Server)
                        .is_some_and(|x| starts(&x.text, prefix))
            }),
            Goal::Output(t) => {
                let t = t.to_lowercase();
                a.lines
                    .iter()
                    .filter(|l| matches!(l.kind, LineKind::Output | LineKind::Error | LineKind::Server))
                    .any(|l| l.text.to_lowercase().contains(&t))
            }
            Goal::Delivered { mailbox, subject } => a.events.iter().any(|e| match e {
                Event::Delivered { host, mailbox: m, folder, uid, .. } if m.eq_ignore_ascii_case(mailbox) => {
                    match subject {
                        None => true,
                        Some(want) => {
                            let user = m.split('@').next().unwrap_or("");
                            a.world
                                .store(host)
                                .and_then(|s| s.get(user, folder, *uid))
                                .and_then(|msg| header_value(&msg.raw, "Subject"))
                                .is_some_and(|s| s.to_lowercase().contains(&want.to_lowercase()))
                        }
                    }
                }
                _ => false,
            }),
            Goal::Event { kind, text } => a
                .events
                .iter()
                .any(|e| kind_of(e) == kind && text.as_ref().is_none_or(|t| e.text().contains(&t.to_lowercase()))),
            Goal::Answer(alternatives) => a.answers.iter().any(|x| alternatives.contains(&norm(x))),
        }
    }
}

/// The goal as a ```goal line reads.
impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let opt = |o: &Option<String>, sep: &str| o.as_ref().map_or(String::new(), |t| format!("{sep}{t}"));
        match self {
            Goal::Command(p) => write!(f, "command {p}"),
            Goal::Sent(p) => write!(f, "sent {p}"),
            Goal::Reply { prefix, after } => write!(f, "reply {prefix}{}", opt(after, " after ")),
            Goal::Output(t) => write!(f, "output {t}"),
            Goal::Delivered { mailbox, subject } => write!(f, "delivered {mailbox}{}", opt(subject, " ")),
            Goal::Event { kind, text } => write!(f, "event {kind}{}", opt(text, " ")),
            Goal::Answer(a) => write!(f, "answer {}", a.join("|")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_parse() {
        assert_eq!(
            Goal::parse("reply 550 after RCPT TO:<nobody").unwrap(),
            Goal::Reply { prefix: "550".into(), after: Some("RCPT TO:<nobody".into()) }
        );
        assert_eq!(
            Goal::parse("delivered carol@example.org Hello there").unwrap(),
            Goal::Delivered { mailbox: "carol@example.org".into(), subject: Some("Hello there".into()) }
        );
        assert_eq!(Goal::parse("answer 995 | POP3S").unwrap(), Goal::Answer(vec!["995".into(), "pop3s".into()]));
        assert_eq!(Goal::parse("reply"), Err(GoalError::Needs("reply", "a reply prefix")));
        assert_eq!(Goal::parse("event meteor"), Err(GoalError::UnknownEvent("meteor".into())));
        assert_eq!(Goal::parse("dance now"), Err(GoalError::Unknown("dance".into())));
        for line in
            ["reply 550 after RCPT TO:<nobody", "delivered bob@example.com Hi there", "event dns", "answer 25|smtp"]
        {
            assert_eq!(Goal::parse(line).map(|g| g.to_string()).as_deref(), Ok(line), "{line}");
        }
    }

    #[test]
    fn prefixes_ignore_case_and_spacing() {
        assert!(starts("mail from:<a@b>", "MAIL  FROM:"));
        assert!(!starts("RCPT TO:<a>", "MAIL"));
    }
}
