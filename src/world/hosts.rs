//! Hosts of the simulated world: a name, an address from the documentation
//! ranges (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and the
//! services listening on its ports.

use crate::imap::ImapConfig;
use crate::pop3::Pop3Config;
use crate::smtp::ServerConfig;

/// A service listening on a port.
#[derive(Debug, Clone)]
pub enum Service {
    /// An SMTP server: port 25 MTA, 587 submission, 465 submission over implicit TLS.
    Smtp(ServerConfig),
    /// A POP3 server (port 110).
    Pop3(Pop3Config),
    /// An IMAP server (port 143).
    Imap(ImapConfig),
    /// A service behind implicit TLS (RFC 8314 §3: 995 pop3s, 993 imaps): it
    /// waits for a TLS handshake and answers nothing a terminal can show.
    ImplicitTls {
        /// The `/etc/services` name (`pop3s`).
        name: &'static str,
        /// What it carries, for the learner (`POP3`).
        inner: &'static str,
    },
}

impl Service {
    /// The protocol name, as `/etc/services` spells it for the usual port.
    pub fn protocol(&self) -> &'static str {
        match self {
            Service::Smtp(cfg) if cfg.lmtp => "lmtp",
            Service::Smtp(cfg) if cfg.implicit_tls => "submissions",
            Service::Smtp(cfg) if cfg.require_auth => "submission",
            Service::Smtp(_) => "smtp",
            Service::Pop3(_) => "pop3",
            Service::Imap(_) => "imap",
            Service::ImplicitTls { name, .. } => name,
        }
    }
}

/// One host.
#[derive(Debug, Clone)]
pub struct Host {
    pub name: String,
    pub ip: String,
    services: Vec<(u16, Service)>,
}

impl Host {
    pub fn new(name: &str, ip: &str, services: Vec<(u16, Service)>) -> Self {
        Self { name: name.into(), ip: ip.into(), services }
    }

    /// The service on `port`, if one listens there.
    pub fn service(&self, port: u16) -> Option<&Service> {
        self.services.iter().find(|(p, _)| *p == port).map(|(_, s)| s)
    }

    /// The service on `port`, to change its configuration.
    pub fn service_mut(&mut self, port: u16) -> Option<&mut Service> {
        self.services.iter_mut().find(|(p, _)| *p == port).map(|(_, s)| s)
    }

    /// Ports with a listening service, in ascending order.
    pub fn open_ports(&self) -> Vec<(u16, &'static str)> {
        let mut v: Vec<_> = self.services.iter().map(|(p, s)| (*p, s.protocol())).collect();
        v.sort_unstable();
        v
    }
}

/// The port for a service name or number, as `telnet host smtp` reads it
/// (names from /etc/services; `submissions` is RFC 8314's name for 465).
pub fn port_from_str(s: &str) -> Option<u16> {
    if let Ok(n) = s.parse::<u16>() {
        return Some(n);
    }
    Some(match s.to_ascii_lowercase().as_str() {
        "telnet" => 23,
        "smtp" | "mail" => 25,
        "domain" => 53,
        "http" | "www" => 80,
        "pop3" | "pop-3" => 110,
        "imap" | "imap2" => 143,
        "https" => 443,
        "submissions" | "smtps" | "ssmtp" => 465,
        "submission" => 587,
        "imaps" => 993,
        "pop3s" => 995,
        _ => return None,
    })
}
