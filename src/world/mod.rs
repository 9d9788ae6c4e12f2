//! The simulated mail world: hosts with addresses and services on ports, the
//! mail they accept, a simulated clock and a seeded random source.
//!
//! This is the walking skeleton of the world: names resolve to hosts, ports
//! reach protocol sessions, and accepted messages are kept. DNS records, the
//! MSA/MTA/MDA roles, queues and mailboxes grow here.

pub mod dns;
pub mod hosts;

pub use dns::Dns;
pub use hosts::{Host, Service};

use crate::directory::Directory;
use crate::reply::Reply;
use crate::sim::{SimRng, Timestamp, DEFAULT_EPOCH};
use crate::smtp::client::{ClientConfig, Outcome, Outgoing, Said};
use crate::smtp::{self, Envelope, Peer, ServerConfig};

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
    for domain in ["example.com", "example.org"] {
        z.add(domain, 3600, Txt("v=spf1 mx -all".into()));
    }
    for zone in ["example.com", "example.org", "example.net", "smallorg.org", "company.tld", "2.0.192.in-addr.arpa", "100.51.198.in-addr.arpa", "113.0.203.in-addr.arpa"] {
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
}

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

        let mail_host = |name: &str, ip: &str, dir: Directory| {
            Host::new(
                name,
                ip,
                vec![
                    (25, Service::Smtp(ServerConfig::postfix(name, dir.clone()))),
                    (465, Service::Smtp(ServerConfig::postfix_submissions(name, dir.clone()))),
                    (587, Service::Smtp(ServerConfig::postfix_submission(name, dir))),
                ],
            )
        };
        // The servers of the source articles' worked examples, so that a learner
        // can replay them line for line: Sendmail 8.9.3 (a US host, -0500) and
        // CommuniGate Pro.
        let mut smallorg = Directory { domains: vec!["smallorg.org".into(), "shadrach.smallorg.org".into()], ..Default::default() };
        smallorg.add_user("jan", "janpw");
        let mut company = Directory { domains: vec!["company.tld".into(), "mail.company.tld".into()], ..Default::default() };
        company.add_user("user1", "user1pw");
        let sendmail = ServerConfig { utc_offset: -300, ..ServerConfig::sendmail("shadrach.smallorg.org", smallorg) };
        let hosts = vec![
            mail_host("mail.example.com", "192.0.2.25", com),
            mail_host("mail.example.org", "198.51.100.25", org),
            Host::new("shadrach.smallorg.org", "198.51.100.53", vec![(25, Service::Smtp(sendmail))]),
            Host::new("mail.company.tld", "203.0.113.25", vec![(25, Service::Smtp(ServerConfig::communigate("mail.company.tld", company)))]),
            Host::new("client.example.net", "203.0.113.10", vec![]),
            Host::new("localhost", "127.0.0.1", vec![]),
        ];
        let dns = default_zone(&hosts);
        Self { hosts, dns, now: DEFAULT_EPOCH, rng: SimRng::new(seed), accepted: Vec::new() }
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
        }
    }

    /// Opens a connection from the learner's machine to `port` on `host`;
    /// returns it with the greeting.
    pub fn connect(&mut self, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        self.connect_from(Self::learner(), host, port)
    }

    /// Opens a connection from `client` to `port` on `host`.
    pub fn connect_from(&mut self, client: Peer, host: &str, port: u16) -> Result<(Connection, Answer), ConnectError> {
        let seed = self.rng.next_u64();
        let now = self.now;
        let host = self.resolve(host).ok_or(ConnectError::UnknownHost)?;
        match host.service(port) {
            Some(Service::Smtp(cfg)) => {
                let (server, greeting) = smtp::Server::new(cfg.clone(), client, now, SimRng::new(seed));
                Ok((Connection::Smtp(server), Answer { lines: greeting.wire_lines(), closed: false }))
            }
            None => Err(ConnectError::Refused),
        }
    }

    /// Runs a whole client dialogue from `client` to `host:port`: the world's
    /// MTAs relay this way. Bounded: a dialogue that does not finish within
    /// a few exchanges per recipient is cut off with a protocol error.
    pub fn transfer(&mut self, client: Peer, host: &str, port: u16, cfg: ClientConfig, msg: Outgoing) -> Result<Transfer, ConnectError> {
        let max_steps = 16 + 2 * msg.rcpt_to.len();
        let (mut conn, greeting) = self.connect_from(client, host, port)?;
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
    /// Accepted messages are kept in the world.
    pub fn send(&mut self, conn: &mut Connection, bytes: &[u8]) -> Answer {
        match conn {
            Connection::Smtp(server) => {
                server.set_now(self.now);
                let out = server.feed(bytes);
                for ev in out.events {
                    if let smtp::Event::MessageQueued(env) = ev {
                        self.accepted.push(env);
                    }
                }
                Answer { lines: out.replies.iter().flat_map(Reply::wire_lines).collect(), closed: out.closed }
            }
        }
    }
}
