//! SMTP and LMTP replies (RFC 5321 §4.2): three digits, `-` on every line
//! of a multi-line reply but the last, an enhanced status code (RFC 3463)
//! when the server sends them. The meaning comes from the reply catalogue
//! when the text is one we know (Postfix, Sendmail, CommuniGate, Dovecot
//! LMTP), else from the code and its class.

use super::{Explanation, Reading, Text, Tone};
use crate::protocol::Protocol;
use crate::reply::Enhanced;
use crate::smtp::catalogue::{self, entry};
use crate::smtp::personality::identify_reply;

/// The lines of a multi-line reply so far.
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    pending: Vec<String>,
}

/// Most continuation lines kept for one reply (an EHLO list is about a dozen).
const MAX_PENDING: usize = 100;

impl State {
    pub(super) fn client(&mut self, _line: &str) {
        // A reply depends on its own text, not on the command: nothing to keep.
        self.pending.clear();
    }

    pub(super) fn server(&mut self, protocol: Protocol, line: &str) -> Reading {
        let Some((code, sep)) = reply_code(line) else {
            self.pending.clear();
            return Reading::plain(Tone::Info);
        };
        let tone = tone_of(code);
        let badge = Some((0, 3));
        if sep == Some('-') {
            if self.pending.len() < MAX_PENDING {
                self.pending.push(line.to_string());
            }
            return Reading { tone, badge, explanation: None };
        }
        let mut lines = std::mem::take(&mut self.pending);
        lines.push(line.to_string());
        Reading { tone, badge, explanation: Some(explain_reply(protocol, &lines)) }
    }
}

/// The code and the separator after it (`-`, ` `, or none at the end of the line).
fn reply_code(line: &str) -> Option<(u16, Option<char>)> {
    let digits = line.get(..3).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let code: u16 = digits.parse().ok()?;
    if !(200..600).contains(&code) {
        return None;
    }
    match line[3..].chars().next() {
        None => Some((code, None)),
        Some(c @ ('-' | ' ')) => Some((code, Some(c))),
        Some(_) => None,
    }
}

fn tone_of(code: u16) -> Tone {
    match code / 100 {
        2 => Tone::Success,
        3 => Tone::Intermediate,
        4 => Tone::Transient,
        _ => Tone::Permanent,
    }
}

/// An enhanced status code at the start of `text` (RFC 3463 §2: class.subject.detail).
fn enhanced_of(text: &str) -> Option<Enhanced> {
    let word = text.split_ascii_whitespace().next()?;
    let parts: Vec<u16> = word.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match parts[..] {
        [c @ 2..=5, s, d] => Some(Enhanced(c as u8, s, d)),
        _ => None,
    }
}

/// What a reply class means (RFC 5321 §4.2.1), for texts the catalogue does not know.
fn class_meaning(code: u16) -> Text {
    match code / 100 {
        2 => Text::new("Success: the command was carried out.", "Успех: команда выполнена."),
        3 => Text::new(
            "Go on: the server waits for more (the message after DATA, an answer during AUTH).",
            "Продолжайте: сервер ждёт продолжения (письма после DATA, ответа при AUTH).",
        ),
        4 => Text::new("Temporary failure: try the same again later.", "Временная ошибка: повторите то же позже."),
        _ => Text::new(
            "Permanent failure: don't repeat the command unchanged.",
            "Постоянная ошибка: не повторяйте команду без изменений.",
        ),
    }
}

/// A whole reply (its lines as sent), explained.
pub(super) fn explain_reply(protocol: Protocol, lines: &[String]) -> Explanation {
    let first = lines.first().map(String::as_str).unwrap_or("");
    let last = lines.last().map(String::as_str).unwrap_or("");
    let code = reply_code(first).map_or(0, |(c, _)| c);
    let enhanced = enhanced_of(last.get(4..).unwrap_or(""));
    // A text we know names its entry; another server's text falls back to an
    // entry with the same codes, of this protocol (LMTP's own entries cite RFC 2033).
    let lmtp = protocol == Protocol::Lmtp;
    let by_codes = || {
        let all = catalogue::explain(code, enhanced);
        all.iter().find(|e| e.rfc.starts_with("RFC 2033") == lmtp).or(all.first()).copied()
    };
    let known = identify_reply(lines).map(entry).or_else(by_codes);
    let (meaning, next, rfc) = match known {
        Some(e) => {
            let [meaning, next, meaning_ru, next_ru] = e.prose();
            (Text::new(meaning, meaning_ru), Some(Text::new(next, next_ru)), e.rfc.to_string())
        }
        None => (class_meaning(code), None, "RFC 5321 §4.2.1".to_string()),
    };
    Explanation {
        protocol,
        badge: code.to_string(),
        tone: tone_of(code),
        meaning,
        next,
        enhanced: enhanced.map(|e| e.to_string()),
        code: None,
        rfc,
    }
}

/// Explains a reply given only by its code, as lesson texts and the
/// reference write them: `550 5.1.1`, `250`, or a POP3/IMAP status (`+OK`,
/// `-ERR`, `OK`, `NO`, `BAD`, `[IN-USE]`).
pub fn explain_code(text: &str) -> Option<Explanation> {
    let t = text.trim();
    if let Some(e) = super::pop3::explain_status(t).or_else(|| super::imap::explain_status(t)) {
        return Some(e);
    }
    reply_code(t)?;
    Some(explain_reply(Protocol::Smtp, &[t.to_string()]))
}
