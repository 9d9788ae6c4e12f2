//! Server personalities: whose banner, texts and codes a server uses. Data,
//! not code paths: a personality is a banner format plus overrides of
//! catalogue entries ([`super::catalogue`]).
//!
//! Postfix 3.7 is the default (recorded in shared/peers). Others replay the
//! worked examples of the source articles line for line.

use super::catalogue::{entry, fill, ReplyId};
use super::config::Peer;
use crate::reply::{Enhanced, Reply};
use crate::sim::Timestamp;
use serde::{Deserialize, Serialize};

/// A server personality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Personality {
    /// Postfix 3.7 with its defaults, as shared/peers runs it.
    Postfix,
}

/// A change to one catalogue entry.
struct Override {
    id: ReplyId,
    code: Option<u16>,
    text: &'static str,
}

impl Personality {
    /// Every personality, for menus and tests.
    pub const ALL: &'static [Personality] = &[Personality::Postfix];

    /// Its name, as the CLI and lessons spell it.
    pub fn name(self) -> &'static str {
        match self {
            Personality::Postfix => "postfix",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// Whether replies carry RFC 3463 enhanced status codes.
    fn enhanced_codes(self) -> bool {
        true
    }

    fn overrides(self) -> &'static [Override] {
        match self {
            Personality::Postfix => &[],
        }
    }

    /// The text of the 220 greeting (RFC 5321 §4.3.1).
    pub fn banner(self, hostname: &str, _now: Timestamp) -> String {
        match self {
            Personality::Postfix => format!("{hostname} ESMTP Postfix"),
        }
    }

    /// The first line of the HELO/EHLO reply.
    pub fn helo_greeting(self, hostname: &str, _client_name: &str, _peer: &Peer) -> String {
        match self {
            Personality::Postfix => hostname.to_string(),
        }
    }

    /// The reply for a catalogue entry in this personality.
    pub fn reply(self, id: ReplyId, args: &[&str]) -> Reply {
        let base = entry(id);
        let (code, text) = match self.overrides().iter().find(|o| o.id == id) {
            Some(o) => (o.code.unwrap_or(base.code), o.text),
            None => (base.code, base.text),
        };
        let enhanced: Option<Enhanced> = if self.enhanced_codes() { base.enhanced } else { None };
        Reply { code, enhanced, lines: vec![fill(text, args)] }
    }
}
