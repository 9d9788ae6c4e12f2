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
