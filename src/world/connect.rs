//! Connections to the world's services: opening one (plain or behind
//! implicit TLS, RFC 8314), sending bytes and reading what the server
//! answered, and a whole client-engine dialogue between two hosts (a hop).

use super::{events, faults, Host, Service, World};
use crate::imap;
use crate::imap::ImapConfig;
use crate::pop3;
use crate::pop3::Pop3Config;
use crate::reply::Reply;
use crate::sim::SimRng;
use crate::sim::Timestamp;
use crate::smtp::client::{ClientConfig, Outcome, Outgoing, ProtocolError, Said};
use crate::smtp::{self, Peer, ServerConfig};

fn join_lines(lines: &[String]) -> Vec<u8> {
    lines.iter().flat_map(|l| l.bytes().chain(*b"\r\n")).collect()
}

/// Why a connection could not be made (what `telnet` reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// No host by that name or address.
    UnknownHost,
    /// The host exists but nothing listens on the port.
    Refused,
}

/// An open connection to one service of a host.
#[derive(Debug, Clone)]
// Allowed, not expected: on wasm32 the variants are small enough for clippy.
#[allow(clippy::large_enum_variant, reason = "a shell holds one connection; boxing SMTP would buy nothing")]
pub enum Connection {
    Smtp(smtp::Server),
    /// A POP3 session with the host whose store it reads.
    Pop3 {
        host: String,
        server: pop3::Server,
    },
    /// An IMAP session with the host whose store it reads and changes.
    Imap {
        host: String,
        server: Box<imap::Server>,
    },
    /// A port that speaks TLS first ([`Service::ImplicitTls`]); `inner` is the
    /// protocol inside.
    ImplicitTls {
        name: &'static str,
        inner: &'static str,
    },
}

impl Connection {
    /// True once the connection is encrypted (STARTTLS, STLS, or a TLS layer).
    pub fn is_tls(&self) -> bool {
        match self {
            Connection::Smtp(s) => s.is_tls(),
            Connection::Pop3 { server, .. } => server.is_tls(),
            Connection::Imap { server, .. } => server.is_tls(),
            Connection::ImplicitTls { .. } => true,
        }
    }
}

/// What a connection answered to some input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Lines the server sent, without line endings.
    pub lines: Vec<String>,
    /// The server closed the connection.
    pub closed: bool,
}

/// One hop's dialogue between an SMTP/LMTP client engine and a server engine.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Transfer {
    /// Every line, in order, as a transcript (`C:`/`S:`).
    pub transcript: Vec<Said>,
    /// How it ended; `None` if the connection was refused.
    pub outcome: Option<Outcome>,
    /// The server offered DSN (RFC 3461) to the client engine.
    #[serde(default)]
    pub dsn_offered: bool,
}

impl World {
    /// The configuration of the SMTP service on `port` of `host`, to change it
    /// (faults, policies, personalities).
    pub fn smtp_config_mut(&mut self, host: &str, port: u16) -> Option<&mut ServerConfig> {
        let name = self.resolve(host)?.name.clone();
        match self.hosts.iter_mut().find(|h| h.name == name)?.service_mut(port)? {
            Service::Smtp(cfg) => Some(cfg),
            _ => None,
        }
    }

    /// Opens a connection from the learner's machine to `port` on `host`;
    /// returns it with the greeting.
    pub fn connect(&mut self, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        self.connect_from(Self::learner(), host, port)
    }

    /// Opens a connection from `client` to `port` on `host`.
    pub fn connect_from(&mut self, client: Peer, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        self.open(client, host, port, false)
    }

    /// Opens a connection through a TLS layer (what `openssl s_client` or a
    /// mail client gives its user): on an implicit-TLS port (465) the
    /// protocol inside answers, where plain `telnet` sees only TLS.
    pub fn connect_over_tls(&mut self, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        self.open(Self::learner(), host, port, true)
    }

    fn open(&mut self, client: Peer, host: &str, port: u16, tls: bool) -> Result<(Connection, Answer), ConnectError> {
        let seed = self.rng.next_u64();
        let now = self.now;
        let host = self.resolve(host).ok_or(ConnectError::UnknownHost)?;
        let learner = client.ip == Self::learner().ip;
        if (self.faults.remote_down && host.name == faults::POLICY_HOST)
            || (self.faults.block_outbound_25 && learner && port == 25)
        {
            return Err(ConnectError::Refused);
        }
        match host.service(port) {
            // LMTP listens on the host itself only.
            Some(Service::Smtp(cfg)) if cfg.lmtp && client.ip != host.ip => Err(ConnectError::Refused),
            Some(Service::Smtp(cfg)) if cfg.implicit_tls && !tls => {
                Ok((Connection::ImplicitTls { name: "submissions", inner: "SMTP submission" }, Answer::default()))
            }
            Some(Service::Smtp(cfg)) => {
                let mut cfg = cfg.clone();
                if self.faults.open_relay && host.name == "mail.example.com" && port == 25 {
                    cfg.open_relay = true;
                }
                let (server, greeting) = smtp::Server::new(cfg, client, now, SimRng::new(seed));
                Ok((Connection::Smtp(server), Answer { lines: greeting.wire_lines(), closed: false }))
            }
            Some(Service::Pop3(cfg)) => Ok(open_pop3(host, cfg.clone(), now, seed)),
            Some(Service::Imap(cfg)) => Ok(open_imap(host, cfg.clone(), now, seed)),
            // Through a TLS layer, pop3s and imaps are POP3 and IMAP inside
            // (RFC 8314 §3): the plain port's server, with STLS/STARTTLS no
            // longer offered (the session is encrypted already).
            Some(Service::ImplicitTls { inner, .. }) if tls => match (*inner, host.service(110), host.service(143)) {
                ("POP3", Some(Service::Pop3(cfg)), _) => {
                    Ok(open_pop3(host, Pop3Config { stls: false, ..cfg.clone() }, now, seed))
                }
                ("IMAP", _, Some(Service::Imap(cfg))) => {
                    Ok(open_imap(host, ImapConfig { starttls: false, ..cfg.clone() }, now, seed))
                }
                _ => Err(ConnectError::Refused),
            },
            Some(Service::ImplicitTls { name, inner }) => {
                Ok((Connection::ImplicitTls { name, inner }, Answer::default()))
            }
            None => Err(ConnectError::Refused),
        }
    }

    /// Runs a whole client dialogue from `client` to `host:port`: the world's
    /// MTAs relay this way. Bounded: a dialogue that does not finish within
    /// a few exchanges per recipient is cut off with a protocol error.
    pub fn transfer(
        &mut self,
        client: Peer,
        host: &str,
        port: u16,
        cfg: ClientConfig,
        msg: Outgoing,
    ) -> Result<Transfer, ConnectError> {
        let max_steps = 16 + 2 * msg.rcpt_to.len();
        let (mut conn, greeting) = self.open(client, host, port, cfg.implicit_tls)?;
        // A TLS client on a plain port, or a plain client on a TLS port, fails
        // as real ones do: a handshake error, or no greeting until a timeout.
        let tls_port = matches!(conn, Connection::ImplicitTls { .. })
            || matches!(&conn, Connection::Smtp(s) if s.config().implicit_tls);
        if cfg.implicit_tls != tls_port {
            let outcome = if cfg.implicit_tls {
                let detail =
                    format!("TLS handshake failed: {host}:{port} does not start with TLS (wrong version number)");
                Outcome::TlsHandshakeFailed { detail }
            } else {
                let detail = format!("no greeting from {host}:{port}: it expects a TLS handshake first (timed out)");
                Outcome::NoGreeting { detail }
            };
            return Ok(Transfer { transcript: Vec::new(), outcome: Some(outcome), dsn_offered: false });
        }
        let mut engine = smtp::Client::new(cfg, msg);
        let mut transcript = Vec::new();
        let mut incoming = join_lines(&greeting.lines);
        for _ in 0..max_steps {
            let out = engine.feed(&incoming);
            transcript.extend(out.said);
            if let Some(outcome) = out.outcome {
                return Ok(Transfer { transcript, outcome: Some(outcome), dsn_offered: engine.offers_dsn() });
            }
            if out.send.is_empty() {
                break;
            }
            let answer = self.send(&mut conn, &out.send);
            incoming = join_lines(&answer.lines);
            if answer.closed && answer.lines.is_empty() {
                break;
            }
        }
        Ok(Transfer {
            transcript,
            outcome: Some(Outcome::ProtocolError(ProtocolError::Stalled)),
            dsn_offered: engine.offers_dsn(),
        })
    }

    /// Sends bytes over a connection and collects what the server answered.
    /// Accepted messages are kept in the world and delivered to local users.
    pub fn send(&mut self, conn: &mut Connection, bytes: &[u8]) -> Answer {
        match conn {
            Connection::Smtp(server) => {
                server.set_now(self.now);
                let cfg = server.config();
                let host = cfg.hostname.clone();
                let port = service_port(cfg);
                let directory = cfg.directory.clone();
                let mut env = faults::WorldEnv {
                    host: &host,
                    port,
                    faults: &self.faults,
                    dns: &self.dns,
                    greylist: &mut self.greylist,
                    now: self.now,
                    directory: &directory,
                    store: self.stores.get_mut(&host.to_ascii_lowercase()),
                    rng: &mut self.rng,
                    delivered: Vec::new(),
                };
                let out = server.feed_with(bytes, &mut env);
                let delivered = std::mem::take(&mut env.delivered);
                for (mailbox, uid) in delivered {
                    self.events.push(events::Event::Delivered {
                        at: self.now,
                        host: host.clone(),
                        mailbox,
                        folder: "INBOX".into(),
                        uid,
                    });
                }
                for ev in out.events {
                    if let smtp::Event::MessageQueued(env) = ev {
                        self.accept(&host, port, *env);
                    }
                }
                self.run_due();
                Answer { lines: out.replies.iter().flat_map(Reply::wire_lines).collect(), closed: out.closed }
            }
            Connection::Pop3 { host, server } => {
                server.set_now(self.now);
                let store = self.stores.entry(host.clone()).or_default();
                let out = server.feed(bytes, store);
                for ev in &out.events {
                    if let pop3::Event::Retrieved { user, uid } = ev {
                        self.events.push(events::Event::Retrieved {
                            at: self.now,
                            host: host.clone(),
                            mailbox: mailbox_of(host, user),
                            protocol: events::Protocol::Pop3,
                            port: 110,
                            uid: *uid,
                        });
                    }
                }
                Answer { lines: out.lines, closed: out.closed }
            }
            Connection::Imap { host, server } => {
                server.set_now(self.now);
                let store = self.stores.entry(host.clone()).or_default();
                let out = server.feed(bytes, store);
                for ev in &out.events {
                    if let imap::Event::Retrieved { user, uid, .. } = ev {
                        self.events.push(events::Event::Retrieved {
                            at: self.now,
                            host: host.clone(),
                            mailbox: mailbox_of(host, user),
                            protocol: events::Protocol::Imap,
                            port: 143,
                            uid: *uid,
                        });
                    }
                }
                Answer { lines: out.lines(), closed: out.closed }
            }
            // The TLS server reads the bytes as a malformed handshake and waits for more.
            Connection::ImplicitTls { .. } => Answer::default(),
        }
    }

    /// What a connection sends unasked: an IMAP session in IDLE reports mail
    /// delivered, flags changed and messages expunged by others since it last
    /// spoke (RFC 2177). Other connections say nothing.
    pub fn poll(&mut self, conn: &mut Connection) -> Answer {
        match conn {
            Connection::Imap { host, server } => {
                let store = self.stores.entry(host.clone()).or_default();
                let out = server.poll(store);
                Answer { lines: out.lines(), closed: out.closed }
            }
            _ => Answer::default(),
        }
    }
}

/// The port a service configuration stands for (what policies key on).
fn service_port(cfg: &ServerConfig) -> u16 {
    if cfg.lmtp {
        24
    } else if cfg.implicit_tls {
        465
    } else if cfg.require_auth {
        587
    } else {
        25
    }
}

/// The address of a user of a mail host: `carol` on mail.example.org is
/// carol@example.org (the host's own name without its first label).
fn mailbox_of(host: &str, user: &str) -> String {
    format!("{user}@{}", host.split_once('.').map_or(host, |(_, d)| d))
}

fn open_pop3(host: &Host, cfg: Pop3Config, now: Timestamp, seed: u64) -> (Connection, Answer) {
    let (server, greeting) = pop3::Server::new(cfg, now, SimRng::new(seed));
    (Connection::Pop3 { host: host.name.to_ascii_lowercase(), server }, Answer { lines: vec![greeting], closed: false })
}

fn open_imap(host: &Host, cfg: ImapConfig, now: Timestamp, seed: u64) -> (Connection, Answer) {
    let (server, greeting) = imap::Server::new(cfg, now, SimRng::new(seed));
    (
        Connection::Imap { host: host.name.to_ascii_lowercase(), server: Box::new(server) },
        Answer { lines: vec![greeting], closed: false },
    )
}
