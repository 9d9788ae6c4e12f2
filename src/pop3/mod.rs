//! POP3 (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and AUTH (RFC 5034):
//! command syntax, server configuration and the sans-IO server session.

mod maildrop;
pub mod parser;
pub mod session;

pub use session::{Event, Output, Server};

use crate::directory::Directory;
use crate::sasl::Mechanism;
use serde::{Deserialize, Serialize};

/// Bounds on what a client can make the server hold or tolerate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Longest command line before login, without CRLF (pop3-login: 1029 accepted, 1030 not).
    pub login_line: usize,
    /// Longest command line after login, without CRLF (pop3: 2046 accepted, 2047 not).
    pub line: usize,
    /// Unknown commands in a row before login that end the session (Dovecot: 3).
    pub login_bad_commands: u32,
    /// Failed commands in a row after login that are tolerated (Dovecot: 20; the 21st ends it).
    pub bad_commands: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { login_line: 1029, line: 2046, login_bad_commands: 3, bad_commands: 20 }
    }
}

/// The configuration of one POP3 service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pop3Config {
    /// The host name, for the APOP timestamp.
    pub hostname: String,
    /// The greeting after `+OK ` (Dovecot on Debian: `Dovecot (Debian) ready.`).
    pub greeting: String,
    /// Put an APOP timestamp in the greeting and accept APOP (RFC 1939 §7);
    /// off by default, as in Dovecot.
    pub apop: bool,
    /// Offer STLS (RFC 2595 §4).
    pub stls: bool,
    /// SASL mechanisms for AUTH (Dovecot `auth_mechanisms = plain login`).
    pub mechanisms: Vec<Mechanism>,
    pub limits: Limits,
    /// Who may log in.
    pub directory: Directory,
}

impl Pop3Config {
    /// Dovecot 2.3 as `shared/peers` runs it.
    pub fn dovecot(hostname: &str, directory: Directory) -> Self {
        Self {
            hostname: hostname.into(),
            greeting: "Dovecot (Debian) ready.".into(),
            apop: false,
            stls: true,
            mechanisms: vec![Mechanism::Plain, Mechanism::Login],
            limits: Limits::default(),
            directory,
        }
    }
}
