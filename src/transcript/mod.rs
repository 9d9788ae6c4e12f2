//! Transcripts people bring: a mail session in any of the formats tools
//! print — mailsim's `C:`/`S:`, a raw telnet capture, swaks, `openssl
//! s_client`, `curl -v`, Python's smtplib/poplib/imaplib debug output — read
//! into one list of client and server lines, its protocol detected from the
//! greeting, then explained step by step ([`analyse`]) with the same
//! explainer the terminal uses. `mailsim explain` prints it; the browser's
//! explorer will show it.
//!
//! Bounded: a transcript is cut at [`MAX_BYTES`] and [`MAX_LINES`], a line at
//! [`MAX_LINE`] characters, each with a note; invalid UTF-8 is replaced.

mod analyse;
pub mod check;
mod codes;
pub mod export;
mod formats;
mod state;

pub use analyse::{analyse, Analysis, Problem, Step};
pub use check::{check, Against, Comparison, StepCheck, Verdict};
pub use export::{export, redact, Export};

use crate::protocol::Protocol;
use serde::Serialize;

/// The biggest transcript read (larger input is cut, with a note).
pub const MAX_BYTES: usize = 2 << 20;
/// The most lines read.
pub const MAX_LINES: usize = 20_000;
/// The longest line kept whole.
pub const MAX_LINE: usize = 4096;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `C: ` and `S: ` lines.
    Cs,
    /// What a terminal showed, with no marks.
    Telnet,
    Swaks,
    /// `openssl s_client` (its handshake report skipped).
    Openssl,
    /// `curl -v` for smtp://, pop3://, imap:// URLs.
    Curl,
    /// Python smtplib (`set_debuglevel(1)` and `(2)`), poplib and imaplib debug output.
    Python,
    /// Postfix's verbose smtpd log lines (`debug_peer_list`).
    PostfixLog,
    /// A Dovecot rawlog: `.in` and `.out` lines with timestamps.
    DovecotRawlog,
    /// mailsim's JSON export (or `mailsim explain --json`).
    Json,
    /// An asciicast v2 recording (asciinema), read as the terminal showed it.
    Asciicast,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Cs,
        Format::Telnet,
        Format::Swaks,
        Format::Openssl,
        Format::Curl,
        Format::Python,
        Format::PostfixLog,
        Format::DovecotRawlog,
        Format::Json,
        Format::Asciicast,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Cs => "cs",
            Format::Telnet => "telnet",
            Format::Swaks => "swaks",
            Format::Openssl => "openssl",
            Format::Curl => "curl",
            Format::Python => "python",
            Format::PostfixLog => "postfix-log",
            Format::DovecotRawlog => "dovecot-rawlog",
            Format::Json => "json",
            Format::Asciicast => "asciicast",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// Who sent a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Said {
    pub side: Side,
    pub text: String,
    /// Sent inside TLS (the tool shows what was encrypted on the wire).
    pub tls: bool,
}

/// A transcript read from text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transcript {
    pub format: Format,
    pub protocol: Protocol,
    pub lines: Vec<Said>,
    /// What reading it had to leave out (cut input, long lines).
    pub notes: Vec<String>,
}

/// Why a text could not be read as a transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscriptError {
    #[error("the transcript is empty")]
    Empty,
    #[error("no mail protocol found: no SMTP reply (220 …), POP3 +OK, or IMAP * OK greeting or reply in {0} lines")]
    NoProtocol(usize),
    #[error("this looks like binary data, not a text transcript ({0} control bytes)")]
    Binary(usize),
}

/// Reads a transcript; `format` `None` detects it.
pub fn parse(input: &[u8], format: Option<Format>) -> Result<Transcript, TranscriptError> {
    let mut notes = Vec::new();
    let bytes = if input.len() > MAX_BYTES {
        notes.push(format!("only the first {} MB were read", MAX_BYTES >> 20));
        &input[..MAX_BYTES]
    } else {
        input
    };
    let controls = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\r' | b'\n' | b'\t')).count();
    if controls > 0 && controls * 20 > bytes.len() {
        return Err(TranscriptError::Binary(controls));
    }
    let text = String::from_utf8_lossy(bytes).replace('\0', "\u{fffd}");
    // Our own exports: JSON (read exactly), an asciicast (read as the screen showed it).
    if matches!(format, None | Some(Format::Json)) && export::is_json(&text) {
        let said = export::json_lines(&text);
        let protocol = protocol_of(said.iter().filter(|s| s.side == Side::Server).map(|s| s.text.as_str()), &said)
            .ok_or(TranscriptError::NoProtocol(said.len()))?;
        return Ok(Transcript { format: Format::Json, protocol, lines: said, notes });
    }
    if matches!(format, None | Some(Format::Asciicast)) && text.lines().next().is_some_and(export::is_asciicast) {
        let lines: Vec<&str> = text.lines().collect();
        let shown = export::asciicast_text(&lines);
        let mut t = parse(shown.as_bytes(), Some(Format::Telnet))?;
        t.format = Format::Asciicast;
        t.notes.extend(notes);
        return Ok(t);
    }
    let mut lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    if lines.len() > MAX_LINES {
        notes.push(format!("only the first {MAX_LINES} lines were read"));
        lines.truncate(MAX_LINES);
    }
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(TranscriptError::Empty);
    }
    let clipped: Vec<String> = lines
        .iter()
        .map(|l| match l.char_indices().nth(MAX_LINE) {
            Some((i, _)) => {
                if !notes.iter().any(|n| n.starts_with("lines longer")) {
                    notes.push(format!("lines longer than {MAX_LINE} characters were cut"));
                }
                l[..i].to_string()
            }
            None => l.to_string(),
        })
        .collect();
    let lines: Vec<&str> = clipped.iter().map(String::as_str).collect();
    let format = format.unwrap_or_else(|| formats::detect(&lines));
    let marked = match format {
        Format::Cs => Some(formats::cs(&lines)),
        Format::Swaks => Some(formats::swaks(&lines)),
        Format::Curl => Some(formats::curl(&lines)),
        Format::Python => Some(formats::python(&lines)),
        Format::PostfixLog => Some(formats::postfix_log(&lines)),
        // One file of the pair: its lines are all of one side; `parse_rawlog` reads both.
        Format::DovecotRawlog => {
            let (ins, outs) = rawlog_halves(&lines);
            Some(formats::dovecot_rawlog(&ins, &outs))
        }
        Format::Telnet | Format::Openssl | Format::Json | Format::Asciicast => None,
    };
    let protocol = match &marked {
        Some(said) => protocol_of(said.iter().filter(|s| s.side == Side::Server).map(|s| s.text.as_str()), said),
        None => protocol_of(lines.iter().copied(), &[]),
    }
    .ok_or(TranscriptError::NoProtocol(lines.len()))?;
    let said = match marked {
        Some(said) => said,
        None => {
            // After s_client's handshake report everything is inside TLS.
            let tls = format == Format::Openssl;
            let body: Vec<&str> = lines.iter().copied().filter(|l| !is_openssl_report(l)).collect();
            formats::raw(&body, protocol, tls)
        }
    };
    Ok(Transcript { format, protocol, lines: said, notes })
}

/// Reads a Dovecot rawlog pair (the `.in` and `.out` files of one session).
pub fn parse_rawlog(input: &[u8], output: &[u8]) -> Result<Transcript, TranscriptError> {
    let (i, o) = (String::from_utf8_lossy(input), String::from_utf8_lossy(output));
    let said = formats::dovecot_rawlog(&i, &o);
    if said.is_empty() {
        return Err(TranscriptError::Empty);
    }
    let protocol = protocol_of(said.iter().filter(|s| s.side == Side::Server).map(|s| s.text.as_str()), &said)
        .ok_or(TranscriptError::NoProtocol(said.len()))?;
    Ok(Transcript { format: Format::DovecotRawlog, protocol, lines: said, notes: Vec::new() })
}

/// One rawlog file pasted alone: lines that look like a server's go to `.out`.
fn rawlog_halves(lines: &[&str]) -> (String, String) {
    let (mut ins, mut outs) = (String::new(), String::new());
    for l in lines {
        let text = l.split_once(' ').map_or("", |(_, t)| t);
        let server =
            text.starts_with("+OK") || text.starts_with("-ERR") || text.starts_with("* ") || text.starts_with("+ ");
        let target = if server { &mut outs } else { &mut ins };
        target.push_str(l);
        target.push('\n');
    }
    (ins, outs)
}

/// The protocol, from the first line that is a greeting or reply of one; an
/// SMTP session whose client says LHLO is LMTP.
fn protocol_of<'a>(mut server: impl Iterator<Item = &'a str>, said: &[Said]) -> Option<Protocol> {
    let first = server.find(|l| {
        formats::is_smtp_reply(l)
            || l.starts_with("+OK")
            || l.starts_with("-ERR")
            || l.starts_with("* OK")
            || l.starts_with("* PREAUTH")
    })?;
    let lhlo = said.iter().any(|s| s.side == Side::Client && s.text.to_ascii_uppercase().starts_with("LHLO"));
    Some(if first.starts_with("+OK") || first.starts_with("-ERR") {
        Protocol::Pop3
    } else if first.starts_with('*') {
        Protocol::Imap
    } else if lhlo {
        Protocol::Lmtp
    } else {
        Protocol::Smtp
    })
}

/// The lines of s_client's handshake report (certificate, session): not part of the dialogue.
fn is_openssl_report(l: &str) -> bool {
    const STARTS: &[&str] = &[
        "---",
        "Certificate chain",
        " 0 s:",
        "   i:",
        "   a:",
        "   v:",
        "Server certificate",
        "-----BEGIN",
        "-----END",
        "subject=",
        "issuer=",
        "No client certificate",
        "Peer signing",
        "Peer signature",
        "Server Temp Key",
        "SSL handshake has",
        "Verification",
        "New, TLS",
        "Server public key",
        "Secure Renegotiation",
        "Compression:",
        "Expansion:",
        "No ALPN",
        "Early data",
        "Verify return code",
        "Post-Handshake",
        "SSL-Session:",
        "    ",
        "(mailsim:",
    ];
    STARTS.iter().any(|s| l.starts_with(s))
        || (l.len() == 64 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='))
}

#[cfg(test)]
mod tests;
