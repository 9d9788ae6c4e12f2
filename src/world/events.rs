//! The world's event stream: everything that happens to mail, with its
//! simulated time. The browser animates it, lessons check it, `mailsim
//! trace --json` prints it, tests assert it. Same seed and inputs, same
//! events, byte for byte.

use super::dns::RrType;
pub use crate::protocol::Protocol;
use crate::sim::Timestamp;
use crate::smtp::client::Said;
use serde::{Deserialize, Serialize};

/// What a hop's client engine made of one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientResult {
    pub recipient: String,
    /// The reply that settled it (`250 2.1.5 Ok`, `550 5.1.1 …`), or why no
    /// reply came (`connect to …: Connection refused`).
    pub reply: String,
    pub code: u16,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A server accepted a message (`250 … queued as ID`) into its host's queue.
    Accepted { at: Timestamp, host: String, port: u16, queue_id: String, from: String, to: Vec<String>, client: String },
    /// A DNS lookup an MTA made to route mail.
    DnsLookup { at: Timestamp, host: String, name: String, qtype: RrType, answers: Vec<String> },
    /// A dialogue between two engines: SMTP to the next MTA, or LMTP to the MDA.
    Hop {
        at: Timestamp,
        from: String,
        to: String,
        port: u16,
        protocol: Protocol,
        transcript: Vec<Said>,
        results: Vec<RecipientResult>,
    },
    /// A connection that could not be made.
    ConnectFailed { at: Timestamp, from: String, to: String, port: u16, reason: String },
    /// The MDA stored the message in a mailbox.
    Delivered { at: Timestamp, host: String, mailbox: String, folder: String, uid: u32 },
    /// A temporary failure: the message stays queued for these recipients.
    Deferred { at: Timestamp, host: String, queue_id: String, recipient: String, reason: String, retry_at: Timestamp },
    /// The MTA gave up on a recipient.
    Failed { at: Timestamp, host: String, queue_id: String, recipient: String, status: String, reason: String },
    /// A delivery status notification was queued for the sender: a bounce
    /// (failure), or a success or delay notice (RFC 3461 §4.1).
    BounceQueued {
        at: Timestamp,
        host: String,
        queue_id: String,
        to: String,
        bounce_id: String,
        #[serde(default)]
        kind: crate::smtp::dsn::Kind,
    },
    /// A queue entry is done (every recipient delivered or failed).
    Removed { at: Timestamp, host: String, queue_id: String },
    /// A mail client read a stored message over POP3 or IMAP.
    Retrieved { at: Timestamp, host: String, mailbox: String, protocol: Protocol, port: u16, uid: u32 },
}

impl Event {
    /// When it happened.
    pub fn at(&self) -> Timestamp {
        match self {
            Event::Accepted { at, .. }
            | Event::DnsLookup { at, .. }
            | Event::Hop { at, .. }
            | Event::ConnectFailed { at, .. }
            | Event::Delivered { at, .. }
            | Event::Deferred { at, .. }
            | Event::Failed { at, .. }
            | Event::BounceQueued { at, .. }
            | Event::Removed { at, .. }
            | Event::Retrieved { at, .. } => *at,
        }
    }

    /// The event's values as text, lower-cased, for lessons that look for a
    /// word in an event (`event: deferred greylisted`): the strings and
    /// numbers of its serialized form, not Rust's `Debug` output.
    pub fn text(&self) -> String {
        fn walk(v: &serde_json::Value, out: &mut String) {
            match v {
                serde_json::Value::String(s) => {
                    out.push_str(s);
                    out.push(' ');
                }
                serde_json::Value::Number(n) => {
                    out.push_str(&n.to_string());
                    out.push(' ');
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
                serde_json::Value::Bool(_) | serde_json::Value::Null => {}
            }
        }
        let mut out = String::new();
        if let Ok(v) = serde_json::to_value(self) {
            walk(&v, &mut out);
        }
        out.to_lowercase()
    }
}
