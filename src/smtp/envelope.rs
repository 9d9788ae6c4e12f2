//! What an SMTP server hands to the world it runs in: the accepted message
//! ([`Envelope`], RFC 5321 §2.3.1) and the hooks through which the world
//! checks recipients and messages and, for LMTP, delivers ([`ServerEnv`]).

use super::catalogue::ReplyId as R;
use super::config::Peer;
use super::dsn::{MessageDsn, RcptDsn};
use super::parser::Param;
use crate::sim::Timestamp;
use serde::{Deserialize, Serialize};

/// A message the server accepted: the envelope (RFC 5321 §2.3.1) and the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub queue_id: String,
    /// The name the client gave in HELO/EHLO, if any.
    pub helo: Option<String>,
    /// The reverse-path; empty for the null sender `<>`.
    pub mail_from: String,
    pub mail_params: Vec<Param>,
    /// Accepted recipients, as given in RCPT TO.
    pub rcpt_to: Vec<String>,
    /// RET and ENVID from MAIL (RFC 3461 §4.3, §4.4).
    #[serde(default)]
    pub dsn: MessageDsn,
    /// NOTIFY and ORCPT of each recipient, in the order of `rcpt_to`
    /// (RFC 3461 §4.1, §4.2); missing entries mean none were given.
    #[serde(default)]
    pub rcpt_dsn: Vec<RcptDsn>,
    /// The message content (RFC 5322), dot-stuffing undone, lines ended by CRLF.
    pub data: Vec<u8>,
    /// True when the session had done STARTTLS (or came over implicit TLS).
    pub tls: bool,
    /// The user who logged in with AUTH, if any.
    pub auth_user: Option<String>,
    /// The client the message came from.
    pub client: Peer,
    /// When the server accepted it (simulated clock).
    pub received_at: Timestamp,
}

impl Envelope {
    /// The DSN request of a recipient (the first with that address).
    pub fn dsn_of(&self, rcpt: &str) -> RcptDsn {
        self.rcpt_to.iter().position(|r| r == rcpt).and_then(|i| self.rcpt_dsn.get(i)).cloned().unwrap_or_default()
    }
}

/// What the server asks of the world it runs in, beyond its configuration:
/// policy checks and, for LMTP, the delivery itself. The world implements it;
/// tests and the plain terminal use [`NoEnv`]. Injected per call, so the
/// session stays free of I/O (RFC 5321 §3.3 checks at RCPT, §4.1.1.4 at the
/// end of data; RFC 2033 §4.2 delivery per recipient).
pub trait ServerEnv {
    /// Extra checks on a recipient (greylisting, SPF, DNSBL, sender/login
    /// match, rate limits): `Some` refuses it.
    fn check_rcpt(&mut self, _rcpt: &RcptCheck) -> Option<Refusal> {
        None
    }
    /// Checks on the whole message at the end of data (a spam filter).
    fn check_message(&mut self, _envelope: &Envelope) -> Option<Refusal> {
        None
    }
    /// LMTP: stores the message for one recipient; returns the delivery id.
    fn deliver(&mut self, _rcpt: &str, _envelope: &Envelope) -> Result<String, Refusal> {
        Ok(String::new())
    }
}

/// What a recipient check sees (RFC 5321 §3.3: at RCPT time the server
/// knows the client, its HELO, the sender and the recipient).
pub struct RcptCheck<'a> {
    pub client: &'a Peer,
    pub helo: Option<&'a str>,
    pub from: &'a str,
    pub rcpt: &'a str,
    /// The user logged in with AUTH, if any.
    pub auth_user: Option<&'a str>,
}

/// A refusal from the environment: a catalogue entry and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub id: R,
    pub args: Vec<String>,
}

impl Refusal {
    pub fn new(id: R, args: &[&str]) -> Self {
        Self { id, args: args.iter().map(|a| a.to_string()).collect() }
    }
}

/// An environment that allows everything and stores nothing.
pub struct NoEnv;
impl ServerEnv for NoEnv {}
