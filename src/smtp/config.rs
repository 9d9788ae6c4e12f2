//! What an SMTP server is: its name, its personality (banner and texts), its
//! limits and the extensions it offers. Data, not code: the default is the
//! Postfix 3.7 of `shared/peers`, recorded on loopback.

use super::personality::Personality;
use crate::directory::Directory;
use crate::sasl::Mechanism;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The other end of a connection as a server sees it: the name its address
/// resolves to (reverse DNS), if any, and the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    pub name: Option<String>,
    pub ip: String,
}

impl Peer {
    pub fn new(name: Option<&str>, ip: &str) -> Self {
        Self { name: name.map(str::to_string), ip: ip.to_string() }
    }
}

/// `name[ip]`, or `unknown[ip]` without reverse DNS, as Postfix logs and quotes it.
impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.name.as_deref().unwrap_or("unknown"), self.ip)
    }
}

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
    /// RFC 4954: `AUTH` and the configured mechanisms.
    Auth,
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
    /// Whose texts, banner and quirks this server has (Postfix by default).
    pub personality: Personality,
    /// Extensions advertised in EHLO, in this order.
    pub extensions: Vec<Extension>,
    pub limits: Limits,
    /// Local domains, users and aliases.
    pub directory: Directory,
    /// Accept mail for foreign domains from anyone (an open relay, seed topic T17).
    pub open_relay: bool,
    /// Domains this server relays for without knowing their users: a backup
    /// MX (Postfix `relay_domains`) keeps their mail until the primary is back.
    pub relay_domains: Vec<String>,
    /// Client addresses this server relays for (Postfix `mynetworks`): a
    /// smart host relays for the MTAs of its customers.
    pub relay_clients: Vec<String>,
    /// SASL mechanisms offered with AUTH; empty: AUTH is not enabled (port 25).
    pub auth: Vec<Mechanism>,
    /// Refuse recipients until the client has logged in (a submission
    /// service, RFC 6409 §4.3; Postfix `permit_sasl_authenticated, reject`).
    pub require_auth: bool,
    /// Relay to foreign domains for logged-in users (RFC 6409: the point of
    /// submission). The shared/peers Postfix does not, a quirk of its setup.
    pub relay_after_auth: bool,
    /// Refuse PLAIN and LOGIN before STARTTLS (538; Postfix `smtpd_tls_auth_only`).
    pub tls_auth_only: bool,
    /// The connection is TLS from the first byte (port 465, RFC 8314 §3.3).
    pub implicit_tls: bool,
    /// Speak LMTP (RFC 2033): LHLO instead of HELO/EHLO, and one reply per
    /// recipient after the message, each from the delivery itself.
    pub lmtp: bool,
    /// The server's time zone, minutes east of UTC (dates in banners).
    pub utc_offset: i32,
    /// Understands EHLO; `false` makes an RFC 821 server that answers EHLO
    /// with 502, so clients must fall back to HELO (seed topic T10).
    pub ehlo: bool,
}

impl ServerConfig {
    /// A Postfix 3.7 MTA on port 25, as `shared/peers` runs it.
    pub fn postfix(hostname: &str, directory: Directory) -> Self {
        use Extension::*;
        Self {
            hostname: hostname.to_string(),
            personality: Personality::Postfix,
            extensions: vec![
                Pipelining,
                Size,
                Vrfy,
                Etrn,
                StartTls,
                Auth,
                EnhancedStatusCodes,
                EightBitMime,
                Dsn,
                SmtpUtf8,
                Chunking,
            ],
            limits: Limits::default(),
            directory,
            open_relay: false,
            relay_domains: Vec::new(),
            relay_clients: Vec::new(),
            auth: Vec::new(),
            require_auth: false,
            relay_after_auth: true,
            tls_auth_only: false,
            implicit_tls: false,
            lmtp: false,
            utc_offset: 0,
            ehlo: true,
        }
    }

    /// Dovecot's LMTP service, the MDA behind the MTA (RFC 2033).
    pub fn dovecot_lmtp(hostname: &str, directory: Directory) -> Self {
        use Extension::*;
        Self {
            personality: Personality::DovecotLmtp,
            extensions: vec![EightBitMime, EnhancedStatusCodes, Pipelining],
            lmtp: true,
            ..Self::postfix(hostname, directory)
        }
    }

    /// Sendmail 8.9.3 as in the source articles' telnet listing: no
    /// PIPELINING, STARTTLS or AUTH yet (they came with 8.10 and later).
    pub fn sendmail(hostname: &str, directory: Directory) -> Self {
        use Extension::*;
        Self {
            personality: Personality::Sendmail,
            extensions: vec![EightBitMime, Size, Dsn, Etrn, Vrfy],
            ..Self::postfix(hostname, directory)
        }
    }

    /// CommuniGate Pro as in the source articles' sample session.
    pub fn communigate(hostname: &str, directory: Directory) -> Self {
        use Extension::*;
        Self {
            personality: Personality::CommuniGate,
            extensions: vec![Dsn, Size, StartTls, Auth, Etrn, Pipelining],
            auth: vec![Mechanism::Login, Mechanism::Plain, Mechanism::CramMd5],
            ..Self::postfix(hostname, directory)
        }
    }

    /// The submission service on port 587 (RFC 6409) of the same Postfix:
    /// AUTH PLAIN LOGIN offered, recipients refused until the client logs in.
    pub fn postfix_submission(hostname: &str, directory: Directory) -> Self {
        Self {
            auth: vec![Mechanism::Plain, Mechanism::Login],
            require_auth: true,
            ..Self::postfix(hostname, directory)
        }
    }

    /// Submission over implicit TLS on port 465 (RFC 8314 §3.3).
    pub fn postfix_submissions(hostname: &str, directory: Directory) -> Self {
        Self { implicit_tls: true, ..Self::postfix_submission(hostname, directory) }
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
            Extension::Auth => {
                let names: Vec<&str> = self.auth.iter().map(|m| m.name()).collect();
                format!("AUTH {}", names.join(" "))
            }
            Extension::EnhancedStatusCodes => "ENHANCEDSTATUSCODES".into(),
            Extension::EightBitMime => "8BITMIME".into(),
            Extension::Dsn => "DSN".into(),
            Extension::SmtpUtf8 => "SMTPUTF8".into(),
            Extension::Chunking => "CHUNKING".into(),
        }
    }
}
