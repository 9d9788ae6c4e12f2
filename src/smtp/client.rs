//! The client side of SMTP (RFC 5321 §3, §4.1) and LMTP (RFC 2033), sans-IO:
//! what the world's MTAs use to relay a message to the next hop, so that every
//! hop is a real dialogue between two engines.
//!
//! The caller feeds the bytes the server sent and writes out the bytes the
//! client returns. The client goes in lock-step (one command, one reply), as
//! a learner would type it, so a hop's transcript reads like a lesson:
//! greeting → EHLO (HELO if EHLO is refused) → STARTTLS if offered and wanted
//! → EHLO again → AUTH if configured → MAIL → RCPT… → DATA → QUIT.

use super::dsn::{MessageDsn, RcptDsn};
use super::parser::Param;
use crate::codec::LineCodec;
use crate::reply::{Reply, ReplyReader};
use crate::sasl;
use serde::{Deserialize, Serialize};

/// How the client should behave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// The name sent with EHLO/HELO/LHLO.
    pub helo_name: String,
    /// Speak LMTP (RFC 2033): LHLO, and one reply per recipient after DATA.
    pub lmtp: bool,
    /// Use STARTTLS when the server offers it (opportunistic TLS, RFC 3207).
    pub starttls: bool,
    /// Log in with AUTH PLAIN (user, password) before MAIL.
    pub auth: Option<(String, String)>,
    /// Start TLS before the first byte (port 465, RFC 8314 §3.3).
    #[serde(default)]
    pub implicit_tls: bool,
    /// The message's DSN request, passed on only to a server that offers
    /// DSN (RFC 3461 §5.2, as Postfix's client does).
    #[serde(default)]
    pub dsn: Option<DsnRequest>,
}

/// What a relaying MTA passes on of a message's DSN request (RFC 3461 §5.2):
/// RET and ENVID on MAIL, and NOTIFY and ORCPT per recipient, in the order
/// of [`Outgoing::rcpt_to`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DsnRequest {
    pub message: MessageDsn,
    pub rcpts: Vec<RcptDsn>,
}

impl ClientConfig {
    pub fn smtp(helo_name: &str) -> Self {
        Self { helo_name: helo_name.into(), lmtp: false, starttls: true, auth: None, implicit_tls: false, dsn: None }
    }

    pub fn lmtp(helo_name: &str) -> Self {
        Self { helo_name: helo_name.into(), lmtp: true, starttls: false, auth: None, implicit_tls: false, dsn: None }
    }
}

/// The message to transfer: envelope and content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    /// The reverse-path; empty for the null sender (bounces).
    pub mail_from: String,
    pub mail_params: Vec<Param>,
    pub rcpt_to: Vec<String>,
    /// RFC 5322 content, lines ended by CRLF, not dot-stuffed.
    pub data: Vec<u8>,
}

/// At which step a dialogue ended, or a recipient was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Greeting,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt,
    Data,
    Message,
}

/// What happened to the message (RFC 5321 §4.2.1: 4yz is transient, 5yz permanent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The transfer ran to the end: each recipient with the reply that settled it.
    /// With SMTP the final reply applies to every accepted recipient; with LMTP
    /// each has its own (RFC 2033 §4.2).
    Done { recipients: Vec<(String, Reply)>, stages: Vec<Stage> },
    /// The whole transfer failed at `stage` with this reply.
    Failed { stage: Stage, reply: Reply },
    /// The dialogue could not go on (RFC 5321 §4.2: a reply must be readable).
    ProtocolError(ProtocolError),
    /// The client started TLS on a port that speaks plain SMTP first: the
    /// server's greeting is no TLS record, the handshake fails.
    TlsHandshakeFailed { detail: String },
    /// The client waited for a greeting on a port that expects a TLS
    /// handshake first (RFC 8314 §3.3): none comes, the client times out.
    NoGreeting { detail: String },
}

/// Why a client dialogue stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ProtocolError {
    /// The server sent something that is not an SMTP reply.
    #[error("{0}")]
    BadReply(crate::reply::ReplyError),
    /// The server stopped answering before the dialogue's end.
    #[error("the dialogue stopped without an ending")]
    Stalled,
}

/// A line of the dialogue, for transcripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Said {
    Client(String),
    Server(String),
}

/// What one call to [`Client::feed`] produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOutput {
    /// Bytes to send to the server.
    pub send: Vec<u8>,
    /// The dialogue lines of this step, in order.
    pub said: Vec<Said>,
    /// Set once the dialogue is over (after QUIT or a protocol error).
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Greeting,
    Ehlo {
        second: bool,
    },
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    /// Waiting for the end-of-data reply: for LMTP, the `n`-th of the accepted.
    Message(usize),
    Quit,
    Done,
}

/// An SMTP or LMTP client session.
#[derive(Debug, Clone)]
pub struct Client {
    cfg: ClientConfig,
    msg: Outgoing,
    state: State,
    codec: LineCodec,
    reader: ReplyReader,
    /// Recipients accepted at RCPT, with their index in `msg.rcpt_to`.
    accepted: Vec<usize>,
    /// The reply that settled each recipient so far, and at which step.
    settled: Vec<(String, Reply)>,
    stages: Vec<Stage>,
    offers_starttls: bool,
    /// The server listed DSN in its EHLO/LHLO reply.
    offers_dsn: bool,
    tls: bool,
    /// Set when the transfer failed before QUIT.
    failure: Option<(Stage, Reply)>,
}

/// The longest line a client sends (RFC 5321 §4.5.3.1.6: 1000 octets with
/// CRLF). Longer lines are broken as Postfix's `smtp_line_length_limit` does:
/// CRLF and a space, so the rest reads as a folded continuation.
pub const LINE_LIMIT: usize = 998;

/// Dot-stuffs message content, breaks over-long lines, and appends the
/// end-of-data line (RFC 5321 §4.5.2).
pub fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut line_start = true;
    let mut col = 0usize;
    for &b in data {
        if line_start && b == b'.' {
            out.push(b'.');
            col += 1;
        }
        if col >= LINE_LIMIT && b != b'\r' && b != b'\n' {
            out.extend_from_slice(b"\r\n ");
            col = 1;
        }
        out.push(b);
        line_start = b == b'\n';
        col = if b == b'\n' || b == b'\r' { 0 } else { col + 1 };
    }
    if !line_start {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

impl Stage {
    /// The command a reply at this stage answered, in Postfix's bounce
    /// wording (`in reply to RCPT TO command`).
    pub fn command(self) -> &'static str {
        match self {
            Stage::Greeting => "initial greeting",
            Stage::Helo => "EHLO",
            Stage::StartTls => "STARTTLS",
            Stage::Auth => "AUTH",
            Stage::Mail => "MAIL FROM",
            Stage::Rcpt => "RCPT TO",
            Stage::Data => "DATA",
            Stage::Message => "end of DATA",
        }
    }
}

impl Client {
    /// A client that will transfer `msg`; it waits for the server's greeting.
    pub fn new(cfg: ClientConfig, msg: Outgoing) -> Self {
        let tls = cfg.implicit_tls;
        Self {
            cfg,
            msg,
            state: State::Greeting,
            codec: LineCodec::new(4096),
            reader: ReplyReader::new(),
            accepted: Vec::new(),
            settled: Vec::new(),
            stages: Vec::new(),
            offers_starttls: false,
            offers_dsn: false,
            tls,
            failure: None,
        }
    }

    /// True once the session is over.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// True when the server offered DSN (RFC 3461 §4) in its last EHLO/LHLO
    /// reply: it takes over success notices (Postfix then sends none).
    pub fn offers_dsn(&self) -> bool {
        self.offers_dsn
    }

    /// True after a successful STARTTLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Feeds bytes from the server.
    pub fn feed(&mut self, input: &[u8]) -> ClientOutput {
        let mut out = ClientOutput::default();
        for line in self.codec.feed(input) {
            if self.state == State::Done || !line.is_complete() {
                continue;
            }
            let text = line.text();
            out.said.push(Said::Server(text.clone()));
            match self.reader.line(&text) {
                Ok(Some(reply)) => self.on_reply(reply, &mut out),
                Ok(None) => {}
                Err(e) => {
                    self.state = State::Done;
                    out.outcome = Some(Outcome::ProtocolError(ProtocolError::BadReply(e)));
                }
            }
        }
        out
    }

    fn send(&mut self, line: String, out: &mut ClientOutput) {
        out.send.extend_from_slice(line.as_bytes());
        out.send.extend_from_slice(b"\r\n");
        out.said.push(Said::Client(line));
    }

    /// Gives up: remembers why and says QUIT (RFC 5321 §4.1.1.10).
    fn fail(&mut self, stage: Stage, reply: Reply, out: &mut ClientOutput) {
        self.failure = Some((stage, reply));
        self.quit(out);
    }

    fn quit(&mut self, out: &mut ClientOutput) {
        self.state = State::Quit;
        self.send("QUIT".into(), out);
    }

    fn greet(&mut self, second: bool, out: &mut ClientOutput) {
        self.state = State::Ehlo { second };
        let verb = if self.cfg.lmtp { "LHLO" } else { "EHLO" };
        self.send(format!("{verb} {}", self.cfg.helo_name), out);
    }

    fn mail(&mut self, out: &mut ClientOutput) {
        self.state = State::Mail;
        let mut line = format!("MAIL FROM:<{}>", self.msg.mail_from);
        for p in &self.msg.mail_params {
            line.push(' ');
            line.push_str(&p.to_string());
        }
        // Postfix's order: ENVID, then RET (tests/fixtures/dsn/relay-dsn.sink.txt).
        if let Some(d) = self.cfg.dsn.as_ref().filter(|_| self.offers_dsn) {
            if let Some(envid) = &d.message.envid {
                line.push_str(&format!(" ENVID={}", super::dsn::xtext_encode(envid)));
            }
            if let Some(ret) = d.message.ret {
                line.push_str(&format!(" RET={}", ret.as_str()));
            }
        }
        self.send(line, out);
    }

    fn after_hello(&mut self, out: &mut ClientOutput) {
        if self.cfg.starttls && self.offers_starttls && !self.tls {
            self.state = State::StartTls;
            return self.send("STARTTLS".into(), out);
        }
        if let Some((user, password)) = self.cfg.auth.clone() {
            self.state = State::Auth;
            let token = sasl::encode(format!("\0{user}\0{password}").as_bytes());
            return self.send(format!("AUTH PLAIN {token}"), out);
        }
        self.mail(out);
    }

    fn rcpt(&mut self, i: usize, out: &mut ClientOutput) {
        self.state = State::Rcpt(i);
        let to = self.msg.rcpt_to.get(i).cloned().unwrap_or_default();
        let mut line = format!("RCPT TO:<{to}>");
        // Postfix's order: ORCPT, then NOTIFY (relay-dsn.sink.txt).
        if let Some(d) = self.cfg.dsn.as_ref().filter(|_| self.offers_dsn).and_then(|d| d.rcpts.get(i)) {
            if let Some(orcpt) = &d.orcpt {
                line.push_str(&format!(" ORCPT={}", orcpt.to_value()));
            }
            if let Some(notify) = d.notify {
                line.push_str(&format!(" NOTIFY={}", notify.to_value()));
            }
        }
        self.send(line, out);
    }

    fn on_reply(&mut self, reply: Reply, out: &mut ClientOutput) {
        let ok = reply.code / 100 == 2;
        match self.state.clone() {
            State::Greeting if reply.code == 220 => self.greet(false, out),
            State::Greeting => self.fail(Stage::Greeting, reply, out),
            State::Ehlo { .. } if ok => {
                self.offers_starttls = reply.lines.iter().skip(1).any(|l| l.eq_ignore_ascii_case("STARTTLS"));
                self.offers_dsn = reply.lines.iter().skip(1).any(|l| l.eq_ignore_ascii_case("DSN"));
                self.after_hello(out);
            }
            // RFC 5321 §4.1.4: a server that does not know EHLO gets HELO.
            State::Ehlo { second } => {
                if !second && reply.code / 100 == 5 && !self.cfg.lmtp {
                    self.state = State::Helo;
                    self.send(format!("HELO {}", self.cfg.helo_name), out);
                } else {
                    self.fail(Stage::Helo, reply, out);
                }
            }
            State::Helo if ok => {
                self.offers_starttls = false;
                self.offers_dsn = false;
                self.after_hello(out);
            }
            State::Helo => self.fail(Stage::Helo, reply, out),
            State::StartTls if reply.code == 220 => {
                // RFC 3207 §4.2: after the handshake the client starts over with EHLO.
                self.tls = true;
                self.greet(true, out);
            }
            State::StartTls => self.fail(Stage::StartTls, reply, out),
            State::Auth if ok => self.mail(out),
            State::Auth => self.fail(Stage::Auth, reply, out),
            State::Mail if ok => self.rcpt(0, out),
            State::Mail => self.fail(Stage::Mail, reply, out),
            State::Rcpt(i) => {
                if ok {
                    self.accepted.push(i);
                } else {
                    let to = self.msg.rcpt_to.get(i).cloned().unwrap_or_default();
                    self.settled.push((to, reply.clone()));
                    self.stages.push(Stage::Rcpt);
                }
                if i + 1 < self.msg.rcpt_to.len() {
                    self.rcpt(i + 1, out);
                } else if self.accepted.is_empty() {
                    // No recipient left: nothing to send (RFC 5321 §3.3).
                    self.quit(out);
                } else {
                    self.state = State::Data;
                    self.send("DATA".into(), out);
                }
            }
            State::Data if reply.code == 354 => {
                self.state = State::Message(0);
                let body = dot_stuff(&self.msg.data);
                for line in body.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    out.said.push(Said::Client(String::from_utf8_lossy(line).into_owned()));
                }
                out.send.extend_from_slice(&body);
            }
            State::Data => self.fail(Stage::Data, reply, out),
            State::Message(n) => {
                let targets: Vec<usize> = if self.cfg.lmtp {
                    self.accepted.get(n).into_iter().copied().collect()
                } else {
                    self.accepted.clone()
                };
                for i in targets {
                    let to = self.msg.rcpt_to.get(i).cloned().unwrap_or_default();
                    self.settled.push((to, reply.clone()));
                    self.stages.push(Stage::Message);
                }
                if self.cfg.lmtp && n + 1 < self.accepted.len() {
                    self.state = State::Message(n + 1);
                } else {
                    self.quit(out);
                }
            }
            State::Quit => {
                self.state = State::Done;
                out.outcome = Some(match self.failure.take() {
                    Some((stage, reply)) => Outcome::Failed { stage, reply },
                    None => Outcome::Done {
                        recipients: std::mem::take(&mut self.settled),
                        stages: std::mem::take(&mut self.stages),
                    },
                });
            }
            State::Done => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing() {
        assert_eq!(dot_stuff(b"a\r\n.b\r\n"), b"a\r\n..b\r\n.\r\n");
        assert_eq!(dot_stuff(b".\r\n"), b"..\r\n.\r\n");
        assert_eq!(dot_stuff(b"no end"), b"no end\r\n.\r\n");
        assert_eq!(dot_stuff(b""), b".\r\n");
    }

    #[test]
    fn long_lines_are_folded_at_998() {
        let mut line = vec![b'x'; 1100];
        line.extend_from_slice(b"\r\n");
        let out = dot_stuff(&line);
        let lines: Vec<&[u8]> = out.split(|&b| b == b'\n').collect();
        assert_eq!(lines[0].len(), 998 + 1, "998 octets and the CR");
        assert_eq!(lines[1][0], b' ', "the continuation starts with a space");
        assert_eq!(lines[1].len(), 1 + 102 + 1);
        assert!(out.split(|&b| b == b'\n').all(|l| l.len() <= 999));
    }
}
