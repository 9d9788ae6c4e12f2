//! The explainer: what each line a mail server sends means, read by the
//! grammar of its protocol — SMTP/LMTP reply codes (RFC 5321 §4.2, RFC 3463),
//! POP3 status indicators and multi-line data (RFC 1939 §3, RFC 2449 §8),
//! IMAP tagged, untagged and continuation responses (RFC 3501 §7, RFC 9051).
//!
//! One [`Explainer`] follows one session: it is told the client's lines too,
//! because a line's meaning depends on what it answers (a POP3 `+OK` to LIST
//! starts a listing; an IMAP `a1 NO` answers the command tagged `a1`). The
//! shell reads every line it prints through it; the browser only renders the
//! [`Reading`]s, and the transcript explorer will reuse the same code.

mod imap;
mod pop3;
mod secrets;
mod smtp;

use crate::lang::Lang;
use crate::protocol::Protocol;
use crate::smtp::client::Said;
use serde::{Deserialize, Serialize};

pub mod commands;

pub use commands::command;
pub use secrets::{cleartext_secret, plain_user, sasl_secret};
pub use smtp::explain_code;

/// A text in each language of the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub ru: String,
}

impl Text {
    pub fn new(en: impl Into<String>, ru: impl Into<String>) -> Self {
        Self { en: en.into(), ru: ru.into() }
    }

    /// The text in `lang` (English for a language it was not written in).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

/// How a line reads at a glance: the colour the terminal gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// It worked (2xx, `+OK`, `OK`).
    Success,
    /// Go on: the server waits for more (3xx, `+` continuations).
    Intermediate,
    /// A temporary failure, or a refusal to try otherwise (4xx, IMAP `NO`).
    Transient,
    /// A permanent failure or a protocol error (5xx, `-ERR`, `BAD`).
    Permanent,
    /// Data the client asked for (a POP3 listing, an IMAP untagged response, message text).
    Data,
    /// Neither: a greeting's status, the end of a listing, a line we cannot read.
    Info,
}

/// What one reply (or response line) means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub protocol: Protocol,
    /// The code or status as the server wrote it: `250`, `+OK`, `OK`, `*`, `+`.
    pub badge: String,
    pub tone: Tone,
    pub meaning: Text,
    /// What the client does next, when there is advice.
    pub next: Option<Text>,
    /// The enhanced status code (RFC 3463), as written.
    pub enhanced: Option<String>,
    /// A bracketed response code in the line (`[UIDVALIDITY]`, `[IN-USE]`) and what it means.
    pub code: Option<(String, Text)>,
    /// Where the standard says so.
    pub rfc: String,
}

/// One server line, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub tone: Tone,
    /// Byte range of the code or status in the line (what a UI makes clickable).
    pub badge: Option<(usize, usize)>,
    /// The explanation of the reply this line belongs to, once known: on
    /// every line of a one-line reply, and on the last line of a multi-line
    /// SMTP reply (a caller that has the whole reply may copy it to the others).
    pub explanation: Option<Explanation>,
}

impl Reading {
    fn plain(tone: Tone) -> Self {
        Self { tone, badge: None, explanation: None }
    }
}

/// Follows one session and reads each server line in context.
#[derive(Debug, Clone)]
pub struct Explainer {
    protocol: Protocol,
    smtp: smtp::State,
    pop3: pop3::State,
    imap: imap::State,
}

/// Longest line the explainer keeps context for (a bound, not a protocol limit).
const MAX_KEPT: usize = 1000;

impl Explainer {
    pub fn new(protocol: Protocol) -> Self {
        Self { protocol, smtp: smtp::State::default(), pop3: pop3::State::default(), imap: imap::State::default() }
    }

    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// A line the client sent (without its line ending).
    pub fn client(&mut self, line: &str) {
        let line = clip(line);
        match self.protocol {
            Protocol::Smtp | Protocol::Lmtp => self.smtp.client(line),
            Protocol::Pop3 => self.pop3.client(line),
            Protocol::Imap => self.imap.client(line),
        }
    }

    /// A line the server sent (without its line ending).
    pub fn server(&mut self, line: &str) -> Reading {
        match self.protocol {
            Protocol::Smtp | Protocol::Lmtp => self.smtp.server(self.protocol, line),
            Protocol::Pop3 => self.pop3.server(line),
            Protocol::Imap => self.imap.server(line),
        }
    }
}

/// Copies the explanation of each multi-line reply's last line to the lines
/// before it (an SMTP reply is explained once it is complete), so that any
/// line's code explains its whole reply. `readings` is one per line, in order.
pub fn backfill<'a>(readings: impl DoubleEndedIterator<Item = &'a mut Option<Reading>>) {
    let mut carry: Option<Explanation> = None;
    for r in readings.rev() {
        let Some(r) = r.as_mut() else {
            carry = None;
            continue;
        };
        match (&r.explanation, &carry) {
            (Some(e), _) => carry = Some(e.clone()),
            (None, Some(e)) if r.badge.is_some() => r.explanation = Some(e.clone()),
            _ => carry = None,
        }
    }
}

/// Reads a whole recorded dialogue (a hop of the journey): one reading per
/// server line, `None` for client lines.
pub fn read_dialogue(protocol: Protocol, lines: &[Said]) -> Vec<Option<Reading>> {
    let mut x = Explainer::new(protocol);
    let mut out: Vec<Option<Reading>> = lines
        .iter()
        .map(|l| match l {
            Said::Client(t) => {
                x.client(t);
                None
            }
            Said::Server(t) => Some(x.server(t)),
        })
        .collect();
    backfill(out.iter_mut());
    out
}

/// At most [`MAX_KEPT`] bytes of a line, cut at a character boundary.
fn clip(line: &str) -> &str {
    if line.len() <= MAX_KEPT {
        return line;
    }
    let mut end = MAX_KEPT;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// The first word of a line, upper-cased (a command verb).
fn verb_of(line: &str) -> String {
    line.split_ascii_whitespace().next().unwrap_or("").to_ascii_uppercase()
}

/// A bracketed response code at the start of `text` (`[IN-USE] …`): its atom and the range it spans.
fn bracket_code(text: &str) -> Option<(String, usize)> {
    let t = text.trim_start();
    let inner = t.strip_prefix('[')?;
    let end = inner.find(']')?;
    let atom = inner[..end].split_ascii_whitespace().next().unwrap_or("").to_ascii_uppercase();
    (!atom.is_empty()).then_some((atom, end))
}

#[cfg(test)]
mod tests;
