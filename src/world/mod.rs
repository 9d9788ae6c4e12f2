//! The simulated mail world: hosts with addresses and services on ports, the
//! mail they accept, a simulated clock and a seeded random source.
//!
//! Names resolve to hosts, ports reach protocol sessions, and each mail host
//! has a mailbox store: what its SMTP server accepts for local users is
//! delivered into their INBOX at once (a simple local delivery, as Postfix
//! hands mail to Dovecot's LMTP), and its POP3 server reads it. DNS records,
//! the MSA/MTA/MDA roles and queues grow here.

pub mod hosts;

pub use hosts::{Host, Service};

use crate::directory::{Directory, Lookup};
use crate::pop3::{self, Pop3Config};
use crate::reply::Reply;
use crate::sim::{SimRng, Timestamp, DEFAULT_EPOCH};
use crate::smtp::{self, Envelope, ServerConfig};
use crate::store::seed::{delivery_headers, lmtp_id, seed_user, Trace};
use crate::store::MailStore;
use std::collections::BTreeMap;

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
    Pop3 { host: String, server: pop3::Server },
    /// A port that speaks TLS first ([`Service::ImplicitTls`]); `inner` is the
    /// protocol inside.
    ImplicitTls { name: &'static str, inner: &'static str },
}

/// What a connection answered to some input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// Lines the server sent, without line endings.
    pub lines: Vec<String>,
    /// The server closed the connection.
    pub closed: bool,
}

/// The whole simulated world.
#[derive(Debug, Clone)]
pub struct World {
    hosts: Vec<Host>,
    now: Timestamp,
    rng: SimRng,
    /// Messages accepted by any server, oldest first.
    pub accepted: Vec<Envelope>,
    /// Each mail host's mailboxes, by lower-case host name.
    stores: BTreeMap<String, MailStore>,
}

/// The learner's machine, the client of every connection.
const CLIENT_IP: &str = "203.0.113.10";

/// When the seed messages arrived: ten minutes before the world starts.
const SEEDED_AT: Timestamp = DEFAULT_EPOCH - 600;

impl World {
    /// The default world, the same in the browser, in `--stdio` mode and in
    /// tests: `mail.example.com` (192.0.2.25) serves `example.com` (alice,
    /// bob, theboss, postmaster); `mail.example.org` (198.51.100.25) serves the
    /// remote domain `example.org`; the learner sits at `client.example.net`.
    pub fn new(seed: u64) -> Self {
        let mut com = Directory { domains: vec!["example.com".into(), "mail.example.com".into()], ..Default::default() };
        com.add_user("alice", "alicepw");
        com.add_user("bob", "bobpw");
        com.add_user("theboss", "thebosspw");
        com.add_alias("postmaster", &["alice"]);
        com.add_alias("abuse", &["alice"]);
        com.add_alias("team", &["alice", "bob"]);

        let mut org = Directory { domains: vec!["example.org".into(), "mail.example.org".into()], ..Default::default() };
        org.add_user("carol", "carolpw");
        org.add_user("dave", "davepw");
        org.add_alias("postmaster", &["carol"]);

        // alice and bob start with the three messages shared/peers seeds; everyone has an account.
        let mut seed_rng = SimRng::new(seed ^ 0x5EED);
        let mut stores = BTreeMap::new();
        for (host, dir, seeded) in [("mail.example.com", &com, &["alice", "bob"][..]), ("mail.example.org", &org, &[][..])] {
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
        let mail_host = |name: &str, dir: Directory| {
            vec![
                (25, Service::Smtp(ServerConfig::postfix(name, dir.clone()))),
                (110, Service::Pop3(Pop3Config::dovecot(name, dir))),
                (995, Service::ImplicitTls { name: "pop3s", inner: "POP3" }),
            ]
        };
        let hosts = vec![
            Host::new("mail.example.com", "192.0.2.25", mail_host("mail.example.com", com)),
            Host::new("mail.example.org", "198.51.100.25", mail_host("mail.example.org", org)),
            Host::new("client.example.net", CLIENT_IP, vec![]),
            Host::new("localhost", "127.0.0.1", vec![]),
        ];
        Self { hosts, now: DEFAULT_EPOCH, rng: SimRng::new(seed), accepted: Vec::new(), stores }
    }

    /// The mailboxes of a mail host (by name), if it has any.
    pub fn store(&self, host: &str) -> Option<&MailStore> {
        self.stores.get(&host.to_ascii_lowercase())
    }

    /// The mailboxes of a mail host, to change them (tests, scenarios).
    pub fn store_mut(&mut self, host: &str) -> Option<&mut MailStore> {
        self.stores.get_mut(&host.to_ascii_lowercase())
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

    /// Finds a host by name (case-insensitive, trailing dot allowed) or address.
    pub fn resolve(&self, name: &str) -> Option<&Host> {
        let name = name.trim_end_matches('.');
        self.hosts.iter().find(|h| h.name.eq_ignore_ascii_case(name) || h.ip == name)
    }

    /// Opens a connection to `port` on `host`; returns it with the greeting.
    pub fn connect(&mut self, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        let seed = self.rng.next_u64();
        let now = self.now;
        let host = self.resolve(host).ok_or(ConnectError::UnknownHost)?;
        match host.service(port) {
            Some(Service::Smtp(cfg)) => {
                let (server, greeting) = smtp::Server::new(cfg.clone(), now, SimRng::new(seed));
                Ok((Connection::Smtp(server), Answer { lines: greeting.wire_lines(), closed: false }))
            }
            Some(Service::Pop3(cfg)) => {
                let (server, greeting) = pop3::Server::new(cfg.clone(), now, SimRng::new(seed));
                Ok((Connection::Pop3 { host: host.name.to_ascii_lowercase(), server }, Answer { lines: vec![greeting], closed: false }))
            }
            Some(Service::ImplicitTls { name, inner }) => Ok((Connection::ImplicitTls { name, inner }, Answer::default())),
            None => Err(ConnectError::Refused),
        }
    }

    /// Sends bytes over a connection and collects what the server answered.
    /// Accepted messages are kept in the world and delivered to local users.
    pub fn send(&mut self, conn: &mut Connection, bytes: &[u8]) -> Answer {
        match conn {
            Connection::Smtp(server) => {
                server.set_now(self.now);
                let out = server.feed(bytes);
                for ev in out.events {
                    if let smtp::Event::MessageQueued(env) = ev {
                        let cfg = server.config();
                        let (host, dir) = (cfg.hostname.clone(), cfg.directory.clone());
                        self.deliver_locally(&host, &dir, &env);
                        self.accepted.push(env);
                    }
                }
                Answer { lines: out.replies.iter().flat_map(Reply::wire_lines).collect(), closed: out.closed }
            }
            Connection::Pop3 { host, server } => {
                server.set_now(self.now);
                let store = self.stores.entry(host.clone()).or_default();
                let out = server.feed(bytes, store);
                Answer { lines: out.lines, closed: out.closed }
            }
            // The TLS server reads the bytes as a malformed handshake and waits for more.
            Connection::ImplicitTls { .. } => Answer::default(),
        }
    }

    /// Local delivery: each local recipient (aliases expanded, each user
    /// once) gets the message in INBOX, with the trace headers Postfix and
    /// Dovecot's LMTP add.
    fn deliver_locally(&mut self, host: &str, dir: &Directory, env: &Envelope) {
        let mut users: Vec<String> = Vec::new();
        for rcpt in &env.rcpt_to {
            if let Lookup::Local(targets) = dir.lookup(rcpt) {
                for t in targets {
                    if !users.contains(&t) {
                        users.push(t);
                    }
                }
            }
        }
        let domain = dir.domains.first().cloned().unwrap_or_else(|| host.to_string());
        for user in users {
            let lmtp = lmtp_id(&mut self.rng);
            let rcpt = format!("{user}@{domain}");
            let t = Trace {
                mail_from: &env.mail_from,
                rcpt: &rcpt,
                helo: env.helo.as_deref().unwrap_or("unknown"),
                client_ip: CLIENT_IP,
                mta: host,
                mda: machine_name(host),
                queue_id: &env.queue_id,
                lmtp_id: &lmtp,
                tls: env.tls,
                now: env.received_at,
            };
            let mut raw = delivery_headers(&t).into_bytes();
            raw.extend_from_slice(&env.data);
            let store = self.stores.entry(host.to_ascii_lowercase()).or_default();
            store.create_user(&user, env.received_at);
            // The account was just ensured; a full UID space is the only failure left, and then the message is dropped.
            let _ = store.deliver(&user, "INBOX", &raw, env.received_at);
        }
    }
}

/// A host's own short name (`mail` for mail.example.com), which Dovecot's
/// LMTP writes in its Received line.
fn machine_name(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}
