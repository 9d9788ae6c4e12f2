//! The simulated mail world: hosts with addresses and services on ports, the
//! mail they accept, a simulated clock and a seeded random source.
//!
//! Names resolve to hosts through the world's DNS, ports reach protocol
//! sessions, and each mail host has a mailbox store: what its SMTP server
//! accepts for local users is delivered into their INBOX at once (a simple
//! local delivery, as Postfix hands mail to Dovecot's LMTP), and its
//! servers (POP3 on 110, IMAP on 143) read it. The MSA/MTA/MDA roles and queues grow here.

pub mod bounce;
pub mod dns;
pub mod events;
pub mod faults;
pub mod headers;
pub mod hosts;
pub mod journey;
mod mta;
pub mod outcome;
pub mod queue;
pub mod report;

pub use dns::Dns;
pub use hosts::{Host, Service};

use crate::directory::Directory;
use crate::imap::{self, ImapConfig};
use crate::pop3::{self, Pop3Config};
use crate::reply::Reply;
use crate::sim::{SimRng, Timestamp, DEFAULT_EPOCH};
use crate::smtp::client::{ClientConfig, Outcome, Outgoing, Said};
use crate::smtp::{self, Envelope, Peer, ServerConfig};
use crate::store::seed::seed_user;
use crate::store::MailStore;
use std::collections::BTreeMap;

/// The zone of the default world: an A and PTR record per host, MX records
/// for the mail domains, and SPF and DMARC policies as TXT records.
fn default_zone(hosts: &[Host]) -> Dns {
    use dns::RData::{Mx, Txt};
    let mut z = Dns::new();
    for h in hosts {
        z.add_host(&h.name, &h.ip);
    }
    for (domain, mx) in [
        ("example.com", "mail.example.com"),
        ("example.org", "mail.example.org"),
        ("smallorg.org", "shadrach.smallorg.org"),
        ("company.tld", "mail.company.tld"),
    ] {
        z.add(domain, 3600, Mx { preference: 10, exchange: mx.into() });
    }
    z.add("example.org", 3600, Mx { preference: 20, exchange: "mx2.example.org".into() });
    for domain in ["example.com", "example.org"] {
        z.add(domain, 3600, Txt("v=spf1 mx -all".into()));
    }
    for zone in [
        "example.com",
        "example.org",
        "example.net",
        "smallorg.org",
        "company.tld",
        "2.0.192.in-addr.arpa",
        "100.51.198.in-addr.arpa",
        "113.0.203.in-addr.arpa",
    ] {
        let apex = zone.trim_end_matches(".in-addr.arpa");
        let owner = if apex == zone { zone.to_string() } else { "example.net".to_string() };
        let soa = dns::RData::Soa {
            mname: format!("ns.{owner}"),
            rname: format!("hostmaster.{owner}"),
            serial: 2026111601,
            times: [7200, 3600, 1209600, 3600],
        };
        z.add(zone, 3600, soa);
    }
    z.add("_dmarc.example.com", 3600, Txt("v=DMARC1; p=quarantine; rua=mailto:postmaster@example.com".into()));
    z.add("_dmarc.example.org", 3600, Txt("v=DMARC1; p=none".into()));
    z
}

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
}

/// The whole simulated world.
#[derive(Debug, Clone)]
pub struct World {
    hosts: Vec<Host>,
    dns: Dns,
    now: Timestamp,
    rng: SimRng,
    /// Messages accepted by any server, oldest first.
    pub accepted: Vec<Envelope>,
    /// Each mail host's mailboxes, by lower-case host name.
    stores: BTreeMap<String, MailStore>,
    /// Every host's mail queue.
    queue: queue::Queue,
    pub retry: queue::RetryPolicy,
    /// Everything that happened to mail, in order.
    events: Vec<events::Event>,
    faults: faults::Faults,
    greylist: faults::Greylist,
    /// Set while the queue manager runs (a hop must not start another run).
    busy: bool,
    /// How the last hop's client dialogue ended (for [`World::submit`]).
    last_outcome: Option<Outcome>,
}

/// When the seed messages arrived: ten minutes before the world starts.
const SEEDED_AT: Timestamp = DEFAULT_EPOCH - 600;

impl World {
    /// The default world, the same in the browser, in `--stdio` mode and in
    /// tests: `mail.example.com` (192.0.2.25) serves `example.com` (alice,
    /// bob, theboss, postmaster); `mail.example.org` (198.51.100.25) serves the
    /// remote domain `example.org`; the learner sits at `client.example.net`.
    pub fn new(seed: u64) -> Self {
        let mut com =
            Directory { domains: vec!["example.com".into(), "mail.example.com".into()], ..Default::default() };
        com.add_user("alice", "alicepw");
        com.add_user("bob", "bobpw");
        com.add_user("theboss", "thebosspw");
        com.add_alias("postmaster", &["alice"]);
        com.add_alias("abuse", &["alice"]);
        com.add_alias("team", &["alice", "bob"]);

        let mut org =
            Directory { domains: vec!["example.org".into(), "mail.example.org".into()], ..Default::default() };
        org.add_user("carol", "carolpw");
        org.add_user("dave", "davepw");
        org.add_alias("postmaster", &["carol"]);

        // alice and bob start with the three messages shared/peers seeds; everyone has an account.
        let mut seed_rng = SimRng::new(seed ^ 0x5EED);
        let mut stores = BTreeMap::new();
        // The servers of the source articles' worked examples, so that a learner
        // can replay them line for line: Sendmail 8.9.3 (a US host, -0500) and
        // CommuniGate Pro.
        let mut smallorg =
            Directory { domains: vec!["smallorg.org".into(), "shadrach.smallorg.org".into()], ..Default::default() };
        smallorg.add_user("jan", "janpw");
        let mut company =
            Directory { domains: vec!["company.tld".into(), "mail.company.tld".into()], ..Default::default() };
        company.add_user("user1", "user1pw");
        for (host, dir, seeded) in [
            ("mail.example.com", &com, &["alice", "bob"][..]),
            ("mail.example.org", &org, &[][..]),
            ("shadrach.smallorg.org", &smallorg, &[][..]),
            ("mail.company.tld", &company, &[][..]),
        ] {
            let mut store = MailStore::new();
            let domain = dir.domains.first().map(String::as_str).unwrap_or(host);
            for user in dir.users.keys() {
                store.create_user(user, SEEDED_AT);
                if seeded.contains(&user.as_str()) {
                    // The users exist, so seeding cannot fail.
                    let _ = seed_user(&mut store, user, domain, host, machine_name(host), SEEDED_AT, &mut seed_rng);
                }
            }
            stores.insert(host.to_string(), store);
        }
        let mail_host = |name: &str, ip: &str, dir: Directory| {
            Host::new(
                name,
                ip,
                vec![
                    (25, Service::Smtp(ServerConfig::postfix(name, dir.clone()))),
                    (110, Service::Pop3(Pop3Config::dovecot(name, dir.clone()))),
                    (143, Service::Imap(ImapConfig::dovecot(name, dir.clone()))),
                    (465, Service::Smtp(ServerConfig::postfix_submissions(name, dir.clone()))),
                    (587, Service::Smtp(ServerConfig::postfix_submission(name, dir.clone()))),
                    (993, Service::ImplicitTls { name: "imaps", inner: "IMAP" }),
                    (995, Service::ImplicitTls { name: "pop3s", inner: "POP3" }),
                    (24, Service::Smtp(ServerConfig::dovecot_lmtp(name, dir))),
                ],
            )
        };
        let lmtp = |name: &str, dir: &Directory| (24, Service::Smtp(ServerConfig::dovecot_lmtp(name, dir.clone())));
        let sendmail =
            ServerConfig { utc_offset: -300, ..ServerConfig::sendmail("shadrach.smallorg.org", smallorg.clone()) };
        let hosts = vec![
            mail_host("mail.example.com", "192.0.2.25", com),
            mail_host("mail.example.org", "198.51.100.25", org),
            // A provider's smart host: relays for mail.example.com (by its address).
            Host::new(
                "relay.example.net",
                "203.0.113.5",
                vec![(
                    25,
                    Service::Smtp(ServerConfig {
                        relay_clients: vec!["192.0.2.25".into()],
                        ..ServerConfig::postfix("relay.example.net", Directory::default())
                    }),
                )],
            ),
            // example.org's backup MX: relays for the domain, queues while the primary is down.
            Host::new(
                "mx2.example.org",
                "198.51.100.26",
                vec![(
                    25,
                    Service::Smtp(ServerConfig {
                        relay_domains: vec!["example.org".into()],
                        ..ServerConfig::postfix("mx2.example.org", Directory::default())
                    }),
                )],
            ),
            Host::new(
                "shadrach.smallorg.org",
                "198.51.100.53",
                vec![lmtp("shadrach.smallorg.org", &smallorg), (25, Service::Smtp(sendmail))],
            ),
            Host::new(
                "mail.company.tld",
                "203.0.113.25",
                vec![
                    lmtp("mail.company.tld", &company),
                    (25, Service::Smtp(ServerConfig::communigate("mail.company.tld", company.clone()))),
                ],
            ),
            Host::new("client.example.net", "203.0.113.10", vec![]),
            Host::new("localhost", "127.0.0.1", vec![]),
        ];
        let dns = default_zone(&hosts);
        Self {
            hosts,
            dns,
            now: DEFAULT_EPOCH,
            rng: SimRng::new(seed),
            accepted: Vec::new(),
            stores,
            queue: queue::Queue::default(),
            retry: queue::RetryPolicy::default(),
            events: Vec::new(),
            faults: faults::Faults::default(),
            greylist: faults::Greylist::default(),
            busy: false,
            last_outcome: None,
        }
    }

    /// Everything that happened to mail so far, in order.
    pub fn events(&self) -> &[events::Event] {
        &self.events
    }

    /// The queued messages of every host.
    pub fn queue(&self) -> &queue::Queue {
        &self.queue
    }

    /// The policy and fault switches.
    pub fn faults(&self) -> &faults::Faults {
        &self.faults
    }

    /// Changes the switches; they apply to connections opened afterwards.
    pub fn faults_mut(&mut self) -> &mut faults::Faults {
        &mut self.faults
    }

    /// Moves the clock to `now` (never backwards) and runs the retries due.
    pub fn tick(&mut self, now: Timestamp) {
        self.now = self.now.max(now);
        self.run_due();
    }

    /// The hosts that keep mailboxes, in order.
    pub fn mail_hosts(&self) -> impl Iterator<Item = &str> {
        self.stores.keys().map(String::as_str)
    }

    /// The mailboxes of a mail host (by name), if it has any.
    pub fn store(&self, host: &str) -> Option<&MailStore> {
        self.stores.get(&host.to_ascii_lowercase())
    }

    /// The mailboxes of a mail host, to change them (tests, scenarios).
    pub fn store_mut(&mut self, host: &str) -> Option<&mut MailStore> {
        self.stores.get_mut(&host.to_ascii_lowercase())
    }

    /// The world's DNS.
    pub fn dns(&self) -> &Dns {
        &self.dns
    }

    /// The DNS, to change records (a missing MX, a broken zone).
    pub fn dns_mut(&mut self) -> &mut Dns {
        &mut self.dns
    }

    /// A random 16-bit number from the world's seeded source (DNS query ids).
    pub fn random_u16(&mut self) -> u16 {
        (self.rng.next_u64() & 0xFFFF) as u16
    }

    /// 128 random bits from the world's seeded source (DNS cookies).
    pub fn random_u128(&mut self) -> u128 {
        (u128::from(self.rng.next_u64()) << 64) | u128::from(self.rng.next_u64())
    }

    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// The simulated time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Sets the simulated time (the browser may follow the wall clock; tests don't).
    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    /// Finds a host by address, or by name through the DNS A record.
    pub fn resolve(&self, name: &str) -> Option<&Host> {
        let ip = if dns::reverse_name(name).is_some() { name.to_string() } else { self.dns.a(name)? };
        self.hosts.iter().find(|h| h.ip == ip)
    }

    /// The learner's machine, as servers see it.
    pub fn learner() -> Peer {
        Peer::new(Some("client.example.net"), "203.0.113.10")
    }

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
            Some(Service::Pop3(cfg)) => {
                let (server, greeting) = pop3::Server::new(cfg.clone(), now, SimRng::new(seed));
                Ok((
                    Connection::Pop3 { host: host.name.to_ascii_lowercase(), server },
                    Answer { lines: vec![greeting], closed: false },
                ))
            }
            Some(Service::Imap(cfg)) => {
                let (server, greeting) = imap::Server::new(cfg.clone(), now, SimRng::new(seed));
                Ok((
                    Connection::Imap { host: host.name.to_ascii_lowercase(), server: Box::new(server) },
                    Answer { lines: vec![greeting], closed: false },
                ))
            }
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
            return Ok(Transfer { transcript: Vec::new(), outcome: Some(outcome) });
        }
        let mut engine = smtp::Client::new(cfg, msg);
        let mut transcript = Vec::new();
        let mut incoming = join_lines(&greeting.lines);
        for _ in 0..max_steps {
            let out = engine.feed(&incoming);
            transcript.extend(out.said);
            if let Some(outcome) = out.outcome {
                return Ok(Transfer { transcript, outcome: Some(outcome) });
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
        let detail = "the dialogue stopped without an ending".to_string();
        Ok(Transfer { transcript, outcome: Some(Outcome::ProtocolError { detail }) })
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
                        self.accept(&host, port, env);
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
                            protocol: "POP3".into(),
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
                            protocol: "IMAP".into(),
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

/// A host's own short name (`mail` for mail.example.com), which Dovecot's
/// LMTP writes in its Received line.
fn machine_name(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}
