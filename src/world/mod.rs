//! The simulated mail world: hosts with addresses and services on ports, the
//! mail they accept, a simulated clock and a seeded random source.
//!
//! Names resolve to hosts through the world's DNS, ports reach protocol
//! sessions, and each mail host has a mailbox store: what its SMTP server
//! accepts for local users is delivered into their INBOX at once (a simple
//! local delivery, as Postfix hands mail to Dovecot's LMTP), and its
//! servers (POP3 on 110, IMAP on 143) read it. The MSA/MTA/MDA roles and queues grow here.

pub mod bounce;
mod connect;
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
pub mod scenario;

pub use connect::{Answer, ConnectError, Connection, Transfer};
pub use dns::Dns;
pub use hosts::{Host, Service};

use crate::directory::Directory;
use crate::imap::ImapConfig;
use crate::pop3::Pop3Config;
use crate::sim::{SimRng, Timestamp, DEFAULT_EPOCH};
use crate::smtp::client::Outcome;
use crate::smtp::{Envelope, Peer, ServerConfig};
use crate::store::seed::seed_user;
use crate::store::{MailStore, StoreError};
use std::collections::BTreeMap;

/// The 13 root servers and their addresses, from IANA's root hints file
/// (named.root, as Debian's dns-root-data ships it).
const ROOT_SERVERS: [(&str, &str, &str); 13] = [
    ("a", "198.41.0.4", "2001:503:ba3e::2:30"),
    ("b", "170.247.170.2", "2801:1b8:10::b"),
    ("c", "192.33.4.12", "2001:500:2::c"),
    ("d", "199.7.91.13", "2001:500:2d::d"),
    ("e", "192.203.230.10", "2001:500:a8::e"),
    ("f", "192.5.5.241", "2001:500:2f::f"),
    ("g", "192.112.36.4", "2001:500:12::d0d"),
    ("h", "198.97.190.53", "2001:500:1::53"),
    ("i", "192.36.148.17", "2001:7fe::53"),
    ("j", "192.58.128.30", "2001:503:c27::2:30"),
    ("k", "193.0.14.129", "2001:7fd::1"),
    ("l", "199.7.83.42", "2001:500:9f::42"),
    ("m", "202.12.27.33", "2001:dc3::35"),
];

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
    // The root's name servers as any recursive resolver knows them (IANA's
    // root hints, named.root; TTL as the root zone gives it), for `dig`'s
    // default question `. IN NS`.
    for (letter, v4, v6) in ROOT_SERVERS {
        let name = format!("{letter}.root-servers.net");
        z.add(".", 518400, dns::RData::Ns(name.clone()));
        z.add(&name, 518400, dns::RData::A(v4.to_string()));
        z.add(&name, 518400, dns::RData::Aaaa(v6.to_string()));
    }
    z.add("_dmarc.example.com", 3600, Txt("v=DMARC1; p=quarantine; rua=mailto:postmaster@example.com".into()));
    z.add("_dmarc.example.org", 3600, Txt("v=DMARC1; p=none".into()));
    z
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
    /// Postfix's `delay_warning_time` in seconds: after this long in the
    /// queue the sender gets one delay notice (RFC 3461 §4.1 DELAY). 0, the
    /// Postfix default, sends none, even for NOTIFY=DELAY
    /// (tests/fixtures/dsn/README.md).
    pub delay_warning_time: i64,
    /// Everything that happened to mail, in order.
    events: Vec<events::Event>,
    faults: faults::Faults,
    greylist: faults::Greylist,
    /// Set while the queue manager runs (a hop must not start another run).
    busy: bool,
    /// How the last hop's client dialogue ended (for [`World::submit`]).
    last_outcome: Option<Outcome>,
    /// Seed messages the store refused while the world was built (none, in
    /// the default world: a test checks), kept rather than dropped.
    seed_errors: Vec<(String, StoreError)>,
}

/// When the seed messages arrived: ten minutes before the world starts.
const SEEDED_AT: Timestamp = DEFAULT_EPOCH - 600;

/// A mail host as mail.example.com is one: Postfix on 25, 465 and 587, Dovecot's POP3, IMAP
/// and LMTP, sharing the users and domains of `dir` (a scenario's `host:` makes one too).
pub(crate) fn mail_host(name: &str, ip: &str, dir: Directory) -> Host {
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
}

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
        let mut seed_errors = Vec::new();
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
                    if let Err(e) =
                        seed_user(&mut store, user, domain, host, machine_name(host), SEEDED_AT, &mut seed_rng)
                    {
                        seed_errors.push((format!("{user}@{host}"), e));
                    }
                }
            }
            stores.insert(host.to_string(), store);
        }
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
            delay_warning_time: 0,
            events: Vec::new(),
            faults: faults::Faults::default(),
            greylist: faults::Greylist::default(),
            busy: false,
            last_outcome: None,
            seed_errors,
        }
    }

    /// Seed messages that could not be stored when the world was built.
    pub fn seed_errors(&self) -> &[(String, StoreError)] {
        &self.seed_errors
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
}

/// A host's own short name (`mail` for mail.example.com), which Dovecot's
/// LMTP writes in its Received line.
fn machine_name(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}
