//! What an SMTP server is: its name, its personality (banner and texts), its
//! limits and the extensions it offers. Data, not code: the default is the
//! Postfix 3.7 of `shared/peers`, recorded on loopback.

use crate::directory::Directory;
use serde::{Deserialize, Serialize};

/// An ESMTP extension a server can advertise in its EHLO reply (RFC 5321 §4.1.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Extension {
    /// RFC 2920.
    Pipelining,
    /// RFC 1870: `SIZE n`.
    Size,
    /// RFC 5321 §3.5.2: VRFY is offered.
    Vrfy,
    /// RFC 1985.
    Etrn,
    /// RFC 3207.
    StartTls,
    /// RFC 2034.
    EnhancedStatusCodes,
    /// RFC 6152.
    EightBitMime,
    /// RFC 3461.
    Dsn,
    /// RFC 6531.
    SmtpUtf8,
    /// RFC 3030 (BDAT).
    Chunking,
}

/// A server's limits. Every one is bounded so no input can make the engine
/// allocate without limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest message accepted, in bytes (Postfix `message_size_limit`, 10240000).
    pub message_size: u64,
    /// Longest command line kept (Postfix `line_length_limit`, 2048); the rest
    /// of a longer line is skipped. RFC 5321 §4.5.3.1.4 asks for at least 512.
    pub command_line: usize,
    /// Recipients per transaction (Postfix `smtpd_recipient_limit`, 1000).
    pub recipients: usize,
    /// Errors before the server hangs up (Postfix `smtpd_hard_error_limit`, 20).
    pub hard_errors: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { message_size: 10_240_000, command_line: 2048, recipients: 1000, hard_errors: 20 }
    }
}

/// The configuration of one SMTP service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    /// The host name in the banner and the EHLO reply.
    pub hostname: String,
    /// The banner text after the host name (`ESMTP Postfix`).
    pub banner: String,
    /// Extensions advertised in EHLO, in this order.
    pub extensions: Vec<Extension>,
    pub limits: Limits,
    /// Local domains, users and aliases.
    pub directory: Directory,
    /// Accept mail for foreign domains from anyone (an open relay, seed topic T17).
    pub open_relay: bool,
}

impl ServerConfig {
    /// A Postfix 3.7 MTA on port 25, as `shared/peers` runs it.
    pub fn postfix(hostname: &str, directory: Directory) -> Self {
        use Extension::*;
        Self {
            hostname: hostname.to_string(),
            banner: "ESMTP Postfix".into(),
            extensions: vec![Pipelining, Size, Vrfy, Etrn, StartTls, EnhancedStatusCodes, EightBitMime, Dsn, SmtpUtf8, Chunking],
            limits: Limits::default(),
            directory,
            open_relay: false,
        }
    }

    pub fn offers(&self, ext: Extension) -> bool {
        self.extensions.contains(&ext)
    }

    /// The EHLO keyword line for an extension.
    pub(crate) fn ehlo_line(&self, ext: Extension) -> String {
        match ext {
            Extension::Pipelining => "PIPELINING".into(),
            Extension::Size => format!("SIZE {}", self.limits.message_size),
            Extension::Vrfy => "VRFY".into(),
            Extension::Etrn => "ETRN".into(),
            Extension::StartTls => "STARTTLS".into(),
            Extension::EnhancedStatusCodes => "ENHANCEDSTATUSCODES".into(),
            Extension::EightBitMime => "8BITMIME".into(),
            Extension::Dsn => "DSN".into(),
            Extension::SmtpUtf8 => "SMTPUTF8".into(),
            Extension::Chunking => "CHUNKING".into(),
        }
    }
}
