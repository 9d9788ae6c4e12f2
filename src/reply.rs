//! SMTP-style replies: a three-digit code, an optional enhanced status code
//! (RFC 3463) and one or more text lines (RFC 5321 §4.2).
//!
//! Multi-line replies put a hyphen after the code on every line but the last
//! (`250-PIPELINING` … `250 CHUNKING`), RFC 5321 §4.2.1.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An enhanced mail system status code, `class.subject.detail` (RFC 3463 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enhanced(pub u8, pub u16, pub u16);

impl fmt::Display for Enhanced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The class of a reply, from its first digit (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyClass {
    /// 2yz: the action was completed.
    Success,
    /// 3yz: accepted so far, send more (354 after DATA, 334 during AUTH).
    Intermediate,
    /// 4yz: failed this time; the client should try again later.
    Transient,
    /// 5yz: failed for good; do not repeat the same command.
    Permanent,
}

/// One reply from a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub code: u16,
    pub enhanced: Option<Enhanced>,
    /// Text lines, without code or status code. Never empty.
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply without an enhanced status code.
    pub fn new(code: u16, text: impl Into<String>) -> Self {
        Self { code, enhanced: None, lines: vec![text.into()] }
    }

    /// A one-line reply with an enhanced status code.
    pub fn enhanced(code: u16, enhanced: Enhanced, text: impl Into<String>) -> Self {
        Self { code, enhanced: Some(enhanced), lines: vec![text.into()] }
    }

    /// A multi-line reply (EHLO). `lines` must not be empty; an empty list
    /// becomes one empty line.
    pub fn multi(code: u16, lines: Vec<String>) -> Self {
        let lines = if lines.is_empty() { vec![String::new()] } else { lines };
        Self { code, enhanced: None, lines }
    }

    pub fn class(&self) -> ReplyClass {
        match self.code / 100 {
            2 => ReplyClass::Success,
            3 => ReplyClass::Intermediate,
            4 => ReplyClass::Transient,
            _ => ReplyClass::Permanent,
        }
    }

    /// The reply as the text lines a client sees, without line endings.
    /// The enhanced code is written on every line (RFC 2034 §4).
    pub fn wire_lines(&self) -> Vec<String> {
        let n = self.lines.len();
        self.lines
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let sep = if i + 1 == n { ' ' } else { '-' };
                match (&self.enhanced, text.is_empty()) {
                    (Some(e), false) => format!("{}{}{} {}", self.code, sep, e, text),
                    (Some(e), true) => format!("{}{}{}", self.code, sep, e),
                    (None, false) => format!("{}{}{}", self.code, sep, text),
                    // `334 ` with an empty challenge, as Postfix sends it (RFC 4954 §4).
                    (None, true) => format!("{}{}", self.code, sep),
                }
            })
            .collect()
    }

    /// The reply as bytes on the wire, each line ended by CRLF.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for l in self.wire_lines() {
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire_lines().join("\r\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_with_enhanced_code() {
        let r = Reply::enhanced(250, Enhanced(2, 1, 0), "Ok");
        assert_eq!(r.wire_lines(), vec!["250 2.1.0 Ok"]);
        assert_eq!(r.to_wire(), b"250 2.1.0 Ok\r\n");
        assert_eq!(r.class(), ReplyClass::Success);
    }

    #[test]
    fn multi_line_uses_hyphens_until_the_last_line() {
        let r = Reply::multi(250, vec!["mail.example.com".into(), "PIPELINING".into(), "CHUNKING".into()]);
        assert_eq!(r.wire_lines(), vec!["250-mail.example.com", "250-PIPELINING", "250 CHUNKING"]);
    }

    #[test]
    fn classes_follow_the_first_digit() {
        assert_eq!(Reply::new(354, "go").class(), ReplyClass::Intermediate);
        assert_eq!(Reply::new(451, "later").class(), ReplyClass::Transient);
        assert_eq!(Reply::new(554, "no").class(), ReplyClass::Permanent);
    }
}

/// Why a server's reply could not be read (the client side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ReplyError {
    /// The line does not start with a three-digit code and ' ' or '-' (RFC 5321 §4.2).
    #[error("not an SMTP reply: {0:?}")]
    Malformed(String),
    /// A multi-line reply changed its code midway, or went on too long.
    #[error("a multi-line reply changed its code or went on too long")]
    Inconsistent,
}

/// Reads replies line by line, as an SMTP or LMTP client does (RFC 5321
/// §4.2.1): `250-…` lines continue, `250 …` ends the reply. The enhanced
/// status code is recognised when the first line carries one (RFC 2034 §4).
#[derive(Debug, Clone, Default)]
pub struct ReplyReader {
    code: Option<u16>,
    lines: Vec<String>,
}

/// Most lines one reply may have; a server that sends more is broken.
const MAX_REPLY_LINES: usize = 256;

fn parse_enhanced(text: &str) -> Option<(Enhanced, &str)> {
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let mut parts = word.split('.');
    let (Some(a), Some(b), Some(c), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let class: u8 = a.parse().ok().filter(|c| matches!(c, 2 | 4 | 5))?;
    let ok = |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(b) || !ok(c) {
        return None;
    }
    Some((Enhanced(class, b.parse().ok()?, c.parse().ok()?), rest))
}

impl ReplyReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one line (without CRLF); returns the reply once its last line arrived.
    pub fn line(&mut self, line: &str) -> Result<Option<Reply>, ReplyError> {
        let b = line.as_bytes();
        let code: Option<u16> =
            line.get(..3).filter(|c| c.bytes().all(|x| x.is_ascii_digit())).and_then(|c| c.parse().ok());
        let (Some(code), sep) = (code.filter(|c| (200..600).contains(c)), b.get(3).copied()) else {
            *self = Self::default();
            return Err(ReplyError::Malformed(line.chars().take(80).collect()));
        };
        if !matches!(sep, None | Some(b' ') | Some(b'-'))
            || self.code.is_some_and(|c| c != code)
            || self.lines.len() >= MAX_REPLY_LINES
        {
            *self = Self::default();
            return Err(ReplyError::Inconsistent);
        }
        self.code = Some(code);
        self.lines.push(line.get(4..).unwrap_or("").to_string());
        if sep == Some(b'-') {
            return Ok(None);
        }
        let mut lines = std::mem::take(&mut self.lines);
        self.code = None;
        let enhanced = lines.first().and_then(|l| parse_enhanced(l)).map(|(e, _)| e);
        if let Some(e) = enhanced {
            // Strip the status code from every line that repeats it.
            for l in &mut lines {
                if let Some((e2, rest)) = parse_enhanced(l) {
                    if e2 == e {
                        *l = rest.to_string();
                    }
                }
            }
        }
        Ok(Some(Reply { code, enhanced, lines }))
    }
}

#[cfg(test)]
mod reader_tests {
    use super::*;

    #[test]
    fn reads_single_and_multi_line_replies() {
        let mut r = ReplyReader::new();
        assert_eq!(r.line("250-mail.example.com"), Ok(None));
        assert_eq!(r.line("250-PIPELINING"), Ok(None));
        let reply = r.line("250 CHUNKING").unwrap().unwrap();
        assert_eq!(reply.lines, ["mail.example.com", "PIPELINING", "CHUNKING"]);
        assert_eq!(reply.enhanced, None);
        let reply = r.line("550 5.1.1 <x@y>: Recipient address rejected").unwrap().unwrap();
        assert_eq!((reply.code, reply.enhanced), (550, Some(Enhanced(5, 1, 1))));
        assert_eq!(reply.lines, ["<x@y>: Recipient address rejected"]);
        // Round trip through the wire form.
        assert_eq!(reply.wire_lines(), ["550 5.1.1 <x@y>: Recipient address rejected"]);
        assert_eq!(r.line("334 ").unwrap().unwrap().lines, [""]);
        assert_eq!(r.line("220").unwrap().unwrap().code, 220);
    }

    #[test]
    fn garbage_is_an_error() {
        let mut r = ReplyReader::new();
        assert!(matches!(r.line("hello"), Err(ReplyError::Malformed(_))));
        assert!(matches!(r.line("99 x"), Err(ReplyError::Malformed(_))));
        assert!(matches!(r.line("700 x"), Err(ReplyError::Malformed(_))));
        assert!(matches!(r.line("250x"), Err(ReplyError::Inconsistent)));
        assert_eq!(r.line("250-a"), Ok(None));
        assert_eq!(r.line("251 b"), Err(ReplyError::Inconsistent));
        // After an error the reader starts afresh.
        assert_eq!(r.line("250 ok").unwrap().unwrap().code, 250);
        for _ in 0..MAX_REPLY_LINES {
            let _ = r.line("250-x");
        }
        assert_eq!(r.line("250-x"), Err(ReplyError::Inconsistent));
        assert!(r.line("é€").is_err());
    }
}
