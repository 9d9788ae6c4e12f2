//! A session taken out: as `C:`/`S:` lines, as plain text (what the screen
//! showed), as JSON, or as an asciicast v2 recording (asciinema's format:
//! <https://docs.asciinema.org/manual/asciicast/v2/>), with credentials
//! redacted unless the user keeps them. Each export reads back in
//! ([`super::parse`] detects the JSON and the asciicast) to the same steps.

use super::analyse::{is_challenge, sasl_command};
use super::{Said, Side, Transcript};
use crate::protocol::Protocol;

/// What stands where a credential was.
pub const REDACTED: &str = "[redacted]";

/// The line `C:`/`S:` exports use to mark where TLS starts: what follows
/// was encrypted on the wire (the harness and the parser skip `#` lines).
pub const TLS_MARK: &str = "# tls: the lines below were inside TLS";

/// The formats a session is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Cs,
    Text,
    Json,
    Asciicast,
}

impl Export {
    pub const ALL: [Export; 4] = [Export::Cs, Export::Text, Export::Json, Export::Asciicast];

    pub fn name(self) -> &'static str {
        match self {
            Export::Cs => "cs",
            Export::Text => "text",
            Export::Json => "json",
            Export::Asciicast => "asciicast",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name().eq_ignore_ascii_case(name))
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Export::Cs => "cs.txt",
            Export::Text => "txt",
            Export::Json => "json",
            Export::Asciicast => "cast",
        }
    }

    /// The MIME type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            Export::Cs | Export::Text => "text/plain;charset=utf-8",
            Export::Json => "application/json",
            Export::Asciicast => "application/x-asciicast",
        }
    }
}

/// Replaces the last `n`th word (from 0) of a line by [`REDACTED`].
fn redact_word(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    words.iter().enumerate().map(|(i, w)| if i == n { REDACTED } else { w }).collect::<Vec<_>>().join(" ")
}

/// The lines with every credential replaced by [`REDACTED`]: SASL responses
/// and initial responses (AUTH, AUTHENTICATE), POP3's PASS and APOP digest,
/// IMAP LOGIN's password. Returns how many were replaced.
pub fn redact(lines: &[Said], protocol: Protocol) -> (Vec<Said>, usize) {
    let mut out = Vec::with_capacity(lines.len());
    let mut count = 0;
    let mut in_sasl = false;
    for s in lines {
        let mut s = s.clone();
        match s.side {
            Side::Server => {
                if !is_challenge(&s.text) {
                    in_sasl = false;
                }
            }
            Side::Client if in_sasl => {
                if s.text.trim() != "*" && !s.text.is_empty() {
                    s.text = REDACTED.into();
                    count += 1;
                }
            }
            Side::Client => {
                let upper = s.text.to_ascii_uppercase();
                let words = s.text.split(' ').count();
                let redacted = match sasl_command(&s.text).map(|(_, initial)| initial) {
                    Some(initial) => {
                        in_sasl = true;
                        // `AUTH PLAIN <ir>` or `a AUTHENTICATE PLAIN <ir>`: the last word.
                        initial.then(|| redact_word(&s.text, words - 1))
                    }
                    None => match protocol {
                        Protocol::Pop3 if upper.starts_with("PASS ") => Some(format!("{} {REDACTED}", &s.text[..4])),
                        Protocol::Pop3 if upper.starts_with("APOP ") && words >= 3 => {
                            Some(redact_word(&s.text, words - 1))
                        }
                        Protocol::Imap if upper.split(' ').nth(1) == Some("LOGIN") && words >= 4 => {
                            Some(redact_word(&s.text, 3))
                        }
                        _ => None,
                    },
                };
                if let Some(r) = redacted {
                    s.text = r;
                    count += 1;
                }
            }
        }
        out.push(s);
    }
    (out, count)
}

/// `C:`/`S:` lines, TLS marked with [`TLS_MARK`].
pub fn to_cs(t: &Transcript) -> String {
    let mut out = format!("# mailsim transcript: {} (read from {})\n", t.protocol.name(), t.format.name());
    let mut tls = false;
    for s in &t.lines {
        if s.tls && !tls {
            out.push_str(TLS_MARK);
            out.push('\n');
        }
        tls = s.tls;
        out.push_str(if s.side == Side::Client { "C: " } else { "S: " });
        out.push_str(&s.text);
        out.push('\n');
    }
    out
}

/// The lines as a terminal showed them: no marks.
pub fn to_text(t: &Transcript) -> String {
    t.lines.iter().map(|s| format!("{}\n", s.text)).collect()
}

/// The transcript as JSON: its lines (read back exactly), the protocol and
/// the format it was read from.
pub fn to_json(t: &Transcript) -> serde_json::Value {
    serde_json::json!({
        "mailsim": "transcript",
        "protocol": t.protocol.name().to_ascii_lowercase(),
        "format": t.format.name(),
        "lines": t.lines,
    })
}

/// Seconds between two typed characters, and the pauses around a line.
const KEY: f64 = 0.06;
const BEFORE_TYPING: f64 = 0.8;
const REPLY: f64 = 0.15;
/// A longer line is typed in one go (a paste).
const TYPED_MAX: usize = 120;

/// A terminal line for an asciicast: typed by the user, or printed.
pub enum Cast<'a> {
    Typed { prompt: &'a str, text: &'a str },
    Printed(&'a str),
}

/// An asciicast v2 recording: a header line, then `[time, "o", text]`
/// events; typed lines appear key by key, printed ones at once.
pub fn asciicast<'a>(title: &str, lines: impl IntoIterator<Item = Cast<'a>>) -> String {
    let header = serde_json::json!({
        "version": 2,
        "width": 100,
        "height": 30,
        "title": title,
        "env": {"TERM": "xterm-256color", "SHELL": "/bin/bash"},
    });
    let mut out = format!("{header}\n");
    let mut t = 0.0f64;
    let mut event = |t: f64, text: &str| {
        out.push_str(&serde_json::json!([(t * 1000.0).round() / 1000.0, "o", text]).to_string());
        out.push('\n');
    };
    for line in lines {
        match line {
            Cast::Typed { prompt, text } => {
                t += BEFORE_TYPING;
                if !prompt.is_empty() {
                    event(t, prompt);
                }
                if text.chars().count() > TYPED_MAX {
                    t += KEY;
                    event(t, text);
                } else {
                    for c in text.chars() {
                        t += KEY;
                        event(t, c.encode_utf8(&mut [0; 4]));
                    }
                }
                t += KEY;
                event(t, "\r\n");
            }
            Cast::Printed(text) => {
                t += REPLY;
                event(t, &format!("{text}\r\n"));
            }
        }
    }
    out
}

/// A transcript as an asciicast: the client's lines typed, the server's printed.
pub fn to_asciicast(t: &Transcript, title: &str) -> String {
    asciicast(
        title,
        t.lines.iter().map(|s| match s.side {
            Side::Client => Cast::Typed { prompt: "", text: &s.text },
            Side::Server => Cast::Printed(&s.text),
        }),
    )
}

/// Some tools (curl, Postfix's log) show neither an SMTP message's text nor
/// its final dot, only the reply to it: the export writes the dot, so that
/// what reads the export back knows where the text ended.
fn with_data_ends(lines: &[Said], protocol: Protocol) -> Vec<Said> {
    let mut out: Vec<Said> = Vec::with_capacity(lines.len());
    let mut after_354 = false;
    for s in lines {
        if after_354 && s.side == Side::Server && matches!(protocol, Protocol::Smtp | Protocol::Lmtp) {
            out.push(Said { side: Side::Client, text: ".".into(), tls: s.tls });
        }
        after_354 = s.side == Side::Server && s.text.starts_with("354");
        out.push(s.clone());
    }
    out
}

/// One export of a transcript, credentials redacted unless `keep_secrets`.
pub fn export(t: &Transcript, what: Export, keep_secrets: bool) -> String {
    let lines = with_data_ends(&t.lines, t.protocol);
    let lines = if keep_secrets { lines } else { redact(&lines, t.protocol).0 };
    let t = Transcript { lines, ..t.clone() };
    match what {
        Export::Cs => to_cs(&t),
        Export::Text => to_text(&t),
        Export::Json => format!("{:#}\n", to_json(&t)),
        Export::Asciicast => to_asciicast(&t, &format!("{} session (mailsim)", t.protocol.name())),
    }
}

/// Is this text an asciicast v2 recording (its first line a header object)?
pub(super) fn is_asciicast(first: &str) -> bool {
    first.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v["version"] == 2 && v["width"].is_number())
}

/// What an asciicast's output events printed, as text (escape sequences
/// removed), for reading as a terminal capture.
pub(super) fn asciicast_text(lines: &[&str]) -> String {
    let mut text = String::new();
    for l in lines.iter().skip(1) {
        let Ok(serde_json::Value::Array(e)) = serde_json::from_str::<serde_json::Value>(l) else { continue };
        if e.get(1).and_then(|k| k.as_str()) == Some("o") {
            if let Some(s) = e.get(2).and_then(|s| s.as_str()) {
                text.push_str(s);
            }
        }
    }
    strip_escapes(&text).replace("\r\n", "\n")
}

/// Removes ANSI CSI and OSC sequences (colours, cursor moves, titles).
fn strip_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.peek() == Some(&'\\')) {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Is this text mailsim's transcript JSON (or `mailsim explain --json`)?
pub(super) fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v["lines"].is_array() || v["steps"].is_array())
}

/// The lines of a JSON export: its `lines`, or else rebuilt from `steps`
/// (the output of `mailsim explain --json`): the client line, the first
/// reply line, the message text, then the SASL responses between the rest.
pub(super) fn json_lines(text: &str) -> Vec<Said> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
    let str_of = |v: &serde_json::Value| v.as_str().map(str::to_string);
    if let Some(lines) = v["lines"].as_array() {
        return lines
            .iter()
            .filter_map(|l| {
                let side = match l["side"].as_str()? {
                    "client" => Side::Client,
                    "server" => Side::Server,
                    _ => return None,
                };
                Some(Said { side, text: str_of(&l["text"])?, tls: l["tls"].as_bool().unwrap_or(false) })
            })
            .collect();
    }
    let mut out = Vec::new();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(str_of).collect()).unwrap_or_default()
    };
    for s in v["steps"].as_array().into_iter().flatten() {
        let tls = s["tls"].as_bool().unwrap_or(false);
        let said = |side, text: String| Said { side, text, tls };
        if let Some(c) = str_of(&s["client"]) {
            out.push(said(Side::Client, c));
        }
        let (server, data, sasl) = (strings(&s["server"]), strings(&s["data"]), strings(&s["sasl"]));
        let mut sasl = sasl.into_iter();
        for (i, l) in server.into_iter().enumerate() {
            if i > 0 {
                if let Some(r) = sasl.next() {
                    out.push(said(Side::Client, r));
                }
            }
            out.push(said(Side::Server, l));
            if i == 0 {
                out.extend(data.iter().cloned().map(|d| said(Side::Client, d)));
            }
        }
        out.extend(sasl.map(|r| said(Side::Client, r)));
    }
    out
}

/// The file name for an export: `smtp-session.cast`.
pub fn file_name(protocol: Protocol, what: Export) -> String {
    format!("{}-session.{}", protocol.name().to_ascii_lowercase(), what.extension())
}

/// The port of mailsim's server a transcript is replayed against: SMTP's
/// submission port when the client authenticates (RFC 6409), else the
/// protocol's own (RFC 5321 §4.5.4 25, RFC 1939 110, RFC 3501 143; LMTP 24).
pub fn replay_port(t: &Transcript) -> u16 {
    let authenticates =
        || t.lines.iter().any(|s| s.side == Side::Client && s.text.to_ascii_uppercase().starts_with("AUTH "));
    match t.protocol {
        Protocol::Smtp if authenticates() => 587,
        Protocol::Smtp => 25,
        Protocol::Lmtp => 24,
        Protocol::Pop3 => 110,
        Protocol::Imap => 143,
    }
}
