//! IMAP4rev1 (RFC 3501, with the RFC 9051 and extension items Dovecot 2.3
//! offers that mailsim does: [`POST_LOGIN_CAPABILITIES`]; `CAPABILITIES.md`
//! here lists each, and those not advertised, with why): syntax, message
//! structure, SEARCH, SORT, FETCH, and the sans-IO server session.
//!
//! The session's parts: [`framing`] (bytes to commands, literals inside),
//! [`command`] (typed commands, with [`listext`] and [`sort`] for the
//! arguments of LIST-EXTENDED and SORT), [`state`] (RFC 3501 §3 states), [`auth`]
//! (LOGIN, AUTHENTICATE), [`handlers`] (the other commands), [`sync`] (the
//! selected mailbox's view), and [`session`] (the [`Server`] and the dispatch).

mod auth;
mod command;
pub mod fetch;
mod framing;
mod handlers;
mod listext;
pub mod mime;
pub mod parser;
pub mod search;
pub mod session;
mod sort;
mod state;
mod sync;

pub use session::{Event, Output, Server};

use crate::directory::Directory;
use crate::sasl::Mechanism;
use serde::{Deserialize, Serialize};

/// Bounds on what a client can make the server hold or tolerate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Longest command line, literals excluded (Dovecot `imap_max_line_length` = 64k).
    pub line: usize,
    /// Largest literal inside a command other than APPEND.
    pub literal: u64,
    /// Largest message APPEND takes (Postfix's `message_size_limit` of the peers).
    pub message: u64,
    /// Invalid commands before login that end the session (Dovecot: 3).
    pub login_bad_commands: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { line: 65_536, literal: 65_536, message: 10_240_000, login_bad_commands: 3 }
    }
}

/// The configuration of one IMAP service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImapConfig {
    pub hostname: String,
    /// The greeting after `* OK [CAPABILITY ...] `.
    pub greeting: String,
    /// Offer STARTTLS (RFC 3501 §6.2.1), modelled: a flag, no cryptography.
    pub starttls: bool,
    /// SASL mechanisms for AUTHENTICATE (Dovecot `auth_mechanisms = plain login`).
    pub mechanisms: Vec<Mechanism>,
    pub limits: Limits,
    pub directory: Directory,
}

impl ImapConfig {
    /// Dovecot 2.3 as `shared/peers` runs it.
    pub fn dovecot(hostname: &str, directory: Directory) -> Self {
        Self {
            hostname: hostname.into(),
            greeting: "Dovecot (Debian) ready.".into(),
            starttls: true,
            mechanisms: vec![Mechanism::Plain, Mechanism::Login],
            limits: Limits::default(),
            directory,
        }
    }
}

/// Capabilities before login: Dovecot 2.3's, all implemented (the session
/// adds STARTTLS while it is offered and `AUTH=` per mechanism).
pub const PRE_LOGIN_CAPABILITIES: &str = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+";

/// Capabilities after login: Dovecot 2.3's list (login-capability.txt) in its
/// order, less [`NOT_ADVERTISED`]. Every keyword here works; `tests/capabilities.rs`
/// sends each one's simplest use. `src/imap/CAPABILITIES.md` is the table.
pub const POST_LOGIN_CAPABILITIES: &str = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED ESEARCH WITHIN LIST-STATUS MOVE STATUS=SIZE LITERAL+ SPECIAL-USE";

/// What Dovecot 2.3 advertises after login and mailsim does not, because it
/// does not do it (src/imap/CAPABILITIES.md says why for each). The
/// transcript harness's `capabilities` rule removes exactly these from the
/// recorded lists before comparing.
pub const NOT_ADVERTISED: &[&str] = &[
    "THREAD=REFERENCES",
    "THREAD=REFS",
    "THREAD=ORDEREDSUBJECT",
    "MULTIAPPEND",
    "URL-PARTIAL",
    "CATENATE",
    "I18NLEVEL=1",
    "CONDSTORE",
    "QRESYNC",
    "ESORT",
    "SEARCHRES",
    "CONTEXT=SEARCH",
    "BINARY",
    "SNIPPET=FUZZY",
    "PREVIEW=FUZZY",
    "PREVIEW",
    "SAVEDATE",
    "NOTIFY",
];
