//! The transcript formats people arrive with, each turned into the same list
//! of client and server lines. Every format was recorded from the real tool
//! talking to the peers (`tests/transcripts/formats/RECORDED.md`).

use super::{Format, Said, Side};
use crate::protocol::Protocol;

/// Decodes a Python bytes or str literal's body (`b'250 Ok\r\n'`): the
/// escapes `\r \n \t \\ \' \" \xHH`; the trailing CRLF is dropped.
fn python_literal(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix('b').unwrap_or(s);
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"');
    let inner = match quote {
        Some(q) => s[1..].strip_suffix(q).unwrap_or(&s[1..]),
        None => s,
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) if b.is_ascii() => out.push(b as char),
                    _ => out.push('\u{fffd}'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out.trim_end_matches(['\r', '\n']).to_string()
}

fn said(side: Side, text: impl Into<String>, tls: bool) -> Said {
    Said { side, text: text.into(), tls }
}

/// `C: ` / `S: ` lines (mailsim's own format and RFC examples).
/// A `# tls…` comment line ([`super::export::TLS_MARK`]) says that what follows was inside TLS.
pub(super) fn cs(lines: &[&str]) -> Vec<Said> {
    let mut tls = false;
    lines
        .iter()
        .filter_map(|l| {
            if l.starts_with("# tls") {
                tls = true;
                None
            } else if let Some(t) = l.strip_prefix("C: ").or_else(|| (*l == "C:").then_some("")) {
                Some(said(Side::Client, t, tls))
            } else {
                l.strip_prefix("S: ").or_else(|| (*l == "S:").then_some("")).map(|t| said(Side::Server, t, tls))
            }
        })
        .collect()
}

/// swaks: ` -> ` and `<- ` in the clear, ` ~> ` and `<~ ` inside TLS; `===`
/// and `***` are swaks' own notes.
pub(super) fn swaks(lines: &[&str]) -> Vec<Said> {
    lines
        .iter()
        .filter_map(|l| {
            let (side, tls, rest) = if let Some(r) = l.strip_prefix(" -> ") {
                (Side::Client, false, r)
            } else if let Some(r) = l.strip_prefix(" ~> ") {
                (Side::Client, true, r)
            } else if let Some(r) = l.strip_prefix("<-  ") {
                (Side::Server, false, r)
            } else if let Some(r) = l.strip_prefix("<~  ") {
                (Side::Server, true, r)
            } else {
                return None;
            };
            Some(said(side, rest, tls))
        })
        .collect()
}

/// `curl -v`: `> ` client, `< ` server, `* ` curl's notes; its progress meter is noise.
pub(super) fn curl(lines: &[&str]) -> Vec<Said> {
    lines
        .iter()
        .filter_map(|l| {
            if let Some(r) = l.strip_prefix("> ") {
                Some(said(Side::Client, r, false))
            } else {
                l.strip_prefix("< ").map(|r| said(Side::Server, r, false))
            }
        })
        .collect()
}

/// Python's debug output: smtplib (`send: '…'`, `reply: b'…'`), poplib
/// (`*put* b'…'`, `*get* b'…'`) and imaplib (`> b'…'`, `< b'…'`), with or
/// without the timestamps of `set_debuglevel(2)` and imaplib.
pub(super) fn python(lines: &[&str]) -> Vec<Said> {
    let mut out = Vec::new();
    for l in lines {
        let t = l.trim_start();
        // smtplib level 2 and imaplib put a time first: `06:15:35.917707 send: …`, `15:45.78 > b'…'`.
        let t = match t.split_once(' ') {
            Some((time, rest))
                if !time.is_empty() && time.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.') =>
            {
                rest
            }
            _ => t,
        };
        if let Some(r) = t.strip_prefix("send: ") {
            // One send may hold several lines (DATA's content): split them.
            let text = python_literal(r);
            out.extend(text.split("\r\n").map(|x| said(Side::Client, x, false)));
        } else if let Some(r) = t.strip_prefix("reply: ").filter(|r| r.starts_with("b'") || r.starts_with("b\"")) {
            out.push(said(Side::Server, python_literal(r), false));
        } else if let Some(r) = t.strip_prefix("*put* ").or_else(|| t.strip_prefix("> ")) {
            out.push(said(Side::Client, python_literal(r), false));
        } else if let Some(r) = t.strip_prefix("*get* ").or_else(|| t.strip_prefix("< ")) {
            out.push(said(Side::Server, python_literal(r), false));
        }
    }
    out
}

/// Postfix's verbose smtpd log (`debug_peer_list`): `… smtpd[pid]: < host[addr]: LINE`
/// is the client, `> host[addr]: LINE` the server; every other log line is skipped.
/// Postfix does not log the message text, nor the dot that ends it.
pub(super) fn postfix_log(lines: &[&str]) -> Vec<Said> {
    lines
        .iter()
        .filter_map(|l| {
            let i = l.find("]: ")?;
            let rest = &l[i + 3..];
            let (side, rest) = match rest.split_at_checked(2)? {
                ("< ", r) => (Side::Client, r),
                ("> ", r) => (Side::Server, r),
                _ => return None,
            };
            // `host[addr]: ` comes before the line.
            let j = rest.find("]: ")?;
            Some(said(side, &rest[j + 3..], false))
        })
        .collect()
}

/// A Dovecot rawlog pair (`rawlog_dir`): `.in` holds what the client sent,
/// `.out` what the server sent, each line `seconds.micros text`; merged in
/// time order (a line in `.out` at the same time as one in `.in` came after it).
pub fn dovecot_rawlog(input: &str, output: &str) -> Vec<Said> {
    let stamped = |text: &str, side: Side| -> Vec<(f64, Side, String)> {
        text.lines()
            .filter_map(|l| {
                let (t, rest) = l.split_once(' ')?;
                let t: f64 = t.parse().ok()?;
                Some((t, side, rest.trim_end_matches('\r').to_string()))
            })
            .collect()
    };
    let mut all = stamped(input, Side::Client);
    all.extend(stamped(output, Side::Server));
    // A stable sort keeps each file's own order for equal times; clients first.
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then((a.1 == Side::Server).cmp(&(b.1 == Side::Server))));
    all.into_iter().map(|(_, side, text)| said(side, text, false)).collect()
}

/// Lines as a terminal showed them, with no marks (telnet, `openssl
/// s_client`, a paste from a forum): client and server told apart by the
/// protocol's reply grammar. The tools' own messages are skipped.
pub(super) fn raw(lines: &[&str], protocol: Protocol, tls: bool) -> Vec<Said> {
    let noise = |l: &str| {
        l.starts_with("Trying ")
            || l.starts_with("Connected to ")
            || l.starts_with("Escape character is")
            || l == "Connection closed by foreign host."
            || l.starts_with("telnet>")
            // mailsim's own shell prompt (a terminal export): the shell's command, not the dialogue.
            || l.starts_with("learner@client:~$ ")
            || l.starts_with("depth=")
            || l.starts_with("verify return")
            || l.starts_with("Can't use SSL_get_servername")
            || l.starts_with("CONNECTED(")
            || l == "DONE"
            || l == "closed"
    };
    let mut out = Vec::new();
    let mut in_data = false; // SMTP: message text after 354
    let mut multi = false; // POP3: inside a multi-line response
    let mut last_client = String::new();
    let mut literal: u64 = 0; // IMAP: octets of a literal still to come
    let mut rest_of_response = false; // IMAP: the line after a literal continues the response
    for l in lines.iter().copied().filter(|l| !noise(l)) {
        let server = match protocol {
            Protocol::Smtp | Protocol::Lmtp => {
                if in_data {
                    in_data = l != ".";
                    false
                } else {
                    is_smtp_reply(l)
                }
            }
            Protocol::Pop3 => {
                if multi {
                    multi = l != ".";
                    true
                } else if l.starts_with("+OK") || l.starts_with("-ERR") || l == "+" || l.starts_with("+ ") {
                    let v = last_client.split_ascii_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let has_args = last_client.split_ascii_whitespace().nth(1).is_some();
                    multi = l.starts_with("+OK")
                        && (matches!(v.as_str(), "CAPA" | "RETR" | "TOP")
                            || (matches!(v.as_str(), "LIST" | "UIDL") && !has_args));
                    true
                } else {
                    false
                }
            }
            Protocol::Imap => {
                if literal > 0 {
                    // A literal that ends with this line's CRLF: the response goes on on the next line.
                    rest_of_response = literal == l.len() as u64 + 2;
                    literal = literal.saturating_sub(l.len() as u64 + 2);
                    true
                } else {
                    let tag = last_client.split(' ').next().unwrap_or("");
                    // A tagged status (`a1 OK …`) is the server's, even when the
                    // capture lacks the command (a rawlog hides LOGIN).
                    let status = l.split(' ').nth(1).is_some_and(|w| {
                        matches!(w.to_ascii_uppercase().as_str(), "OK" | "NO" | "BAD" | "BYE" | "PREAUTH")
                    });
                    let s = std::mem::take(&mut rest_of_response)
                        || l.starts_with("* ")
                        || l == "+"
                        || l.starts_with("+ ")
                        || status
                        || (!tag.is_empty() && l.starts_with(&format!("{tag} ")) && l != last_client)
                        || l.starts_with(". OK");
                    if s {
                        literal = l
                            .strip_suffix('}')
                            .and_then(|x| x.rfind('{').map(|i| &x[i + 1..]))
                            .and_then(|n| n.trim_end_matches('+').parse().ok())
                            .unwrap_or(0);
                    }
                    s
                }
            }
        };
        if server {
            if protocol != Protocol::Pop3 && l.starts_with("354") {
                in_data = true;
            }
            out.push(said(Side::Server, l, tls));
        } else {
            last_client = l.to_string();
            out.push(said(Side::Client, l, tls));
        }
    }
    out
}

/// An SMTP reply line: three digits, then a space, a dash or the end.
pub(super) fn is_smtp_reply(l: &str) -> bool {
    l.get(..3).is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
        && matches!(l.as_bytes().get(3), None | Some(b' ' | b'-'))
        && matches!(l.as_bytes().first(), Some(b'2'..=b'5'))
}

/// Which format a text is in, by its marks.
pub(super) fn detect(lines: &[&str]) -> Format {
    let count = |f: &dyn Fn(&str) -> bool| lines.iter().filter(|l| f(l)).count();
    let cs = count(&|l| l.starts_with("C: ") || l.starts_with("S: "));
    let swaks =
        count(&|l| l.starts_with(" -> ") || l.starts_with("<-  ") || l.starts_with(" ~> ") || l.starts_with("<~  "));
    let curl = count(&|l| l.starts_with("> ") || l.starts_with("< "));
    let python = count(&|l| {
        let t = l.trim_start();
        t.contains("send: '")
            || t.contains("reply: b'")
            || t.starts_with("*put* ")
            || t.contains("> b'")
            || t.contains("< b'")
    });
    let openssl = count(&|l| l.starts_with("CONNECTED(") || l.starts_with("depth=") || l.starts_with("verify return"));
    let postfix = count(&|l| l.contains("/smtpd[") && (l.contains("]: < ") || l.contains("]: > ")));
    let rawlog = count(&|l| {
        l.split_once(' ')
            .is_some_and(|(t, _)| t.len() > 10 && t.contains('.') && t.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    });
    if rawlog * 2 > lines.len() {
        return Format::DovecotRawlog;
    }
    let best = [
        (cs, Format::Cs),
        (swaks, Format::Swaks),
        (python, Format::Python),
        (curl, Format::Curl),
        (openssl, Format::Openssl),
        (postfix, Format::PostfixLog),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .max_by_key(|(n, _)| *n);
    match best {
        // imaplib's `> b'…'` lines look like curl's too: the bytes literal decides.
        Some((_, Format::Curl)) if python > 0 => Format::Python,
        Some((_, f)) => f,
        None => Format::Telnet,
    }
}
