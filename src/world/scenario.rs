//! Scenarios: a world set-up as data a teacher writes by hand (the format is
//! docs/scenarios.md). One `key: value` setting per line, `#` lines are
//! comments; a `message:` line is followed by the message's RFC 5322 text,
//! ended by a line with a single `.` (as in SMTP DATA, `..` stands for `.`).
//!
//! ```text
//! clock: 2026-11-20 14:30
//! user: eve@example.com evepw
//! alias: staff@example.com alice, eve
//! personality: mail.example.org sendmail-8.9.3
//! fault: greylisting
//! message: eve@example.com
//! From: alice@example.com
//! Subject: Welcome
//!
//! Hello Eve.
//! .
//! ```
//!
//! [`Scenario::parse`] checks the syntax; [`Scenario::apply`] changes a world
//! and reports what does not fit it (an unknown host, a domain nobody serves).
//! Settings apply in a fixed order whatever their order in the file: clock,
//! hosts, domains, users, aliases, personalities, switches, messages.

use crate::directory::{Directory, Lookup};
use crate::located::{LineErrors, Located};
use crate::sim::{civil_from_days, days_from_civil, Timestamp};
use crate::smtp::{Personality, ServerConfig};
use crate::store::StoreError;
use crate::world::dns::RData;
use crate::world::faults::{Faults, SwitchError};
use crate::world::{Host, Service, World};

/// A scenario file's problem at a line.
pub type ScenarioError = Located<Problem>;
/// Every problem of a scenario file.
pub type ScenarioErrors = LineErrors<Problem>;

/// What is wrong with a setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("a setting is `key: value`; this line has no ':'")]
    NoColon,
    #[error("unknown setting '{0}' (one of {list})", list = KEYS.join(", "))]
    UnknownKey(String),
    #[error("{key} needs {what}")]
    Value { key: &'static str, what: &'static str },
    #[error("'{0}' is not an address (user@domain)")]
    BadAddress(String),
    #[error("the clock is set twice (first on line {0})")]
    ClockTwice(usize),
    #[error("'{0}' is not a time: write 2026-11-16 09:00 (UTC), 2026-11-16T09:00:00Z or seconds since 1970")]
    BadClock(String),
    #[error("unknown personality '{0}' (postfix, sendmail-8.9.3, communigate-pro)")]
    UnknownPersonality(String),
    #[error(transparent)]
    Fault(#[from] SwitchError),
    #[error("smart-host is on or off, not '{0}'")]
    OnOff(String),
    #[error("the message is not ended by a line with a single '.'")]
    UnendedMessage,
    #[error("a message starts with its header fields (From:, To:, Subject:), not '{0}'")]
    NoHeader(String),
    #[error("no host {0} in the world (the `hosts` command lists them)")]
    UnknownHost(String),
    #[error("{0} keeps no mailboxes (it is not a mail host)")]
    NotMailHost(String),
    #[error("{0} runs no SMTP server on port 25")]
    NoMta(String),
    #[error("no mail host receives mail for {0} (add `domain: {0} HOST` first)")]
    NoHostFor(String),
    #[error("{domain} is already a domain of {host}")]
    DomainTaken { domain: String, host: String },
    #[error("a host {name} at {ip} cannot be added: {by} is there already")]
    HostTaken { name: String, ip: String, by: String },
    #[error("{0} is no user or alias here (add `user: {0} PASSWORD` first)")]
    UnknownUser(String),
    #[error("the mailbox of {0} refused the message ({1:?})")]
    Store(String, StoreError),
}

/// The setting names, for messages and documentation.
pub const KEYS: &[&str] =
    &["clock", "host", "domain", "user", "alias", "personality", "fault", "smart-host", "message"];

/// One setting of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// The simulated clock starts here.
    Clock(Timestamp),
    /// A new mail host, as mail.example.com is one, at `ip` (with its A and PTR records).
    Host { name: String, ip: String },
    /// `domain` becomes a local domain of mail host `host` (with an MX record).
    Domain { domain: String, host: String },
    /// A user with a mailbox and a password, on the host that receives mail for its domain.
    User { address: String, password: String },
    /// An alias delivering to these users of the same host.
    Alias { address: String, targets: Vec<String> },
    /// Port 25 of `host` runs this personality.
    Personality { host: String, personality: Personality },
    /// A fault switched on, as [`Faults::switch_on`] reads it.
    Fault(String),
    /// The smart-host switch.
    SmartHost(bool),
    /// A message stored in a mailbox's folder, as written (CRLF line ends).
    Message { address: String, folder: String, raw: Vec<u8> },
}

impl Setting {
    /// The order settings apply in: what a later one needs comes first.
    fn rank(&self) -> u8 {
        match self {
            Setting::Clock(_) => 0,
            Setting::Host { .. } => 1,
            Setting::Domain { .. } => 2,
            Setting::User { .. } => 3,
            Setting::Alias { .. } => 4,
            Setting::Personality { .. } => 5,
            Setting::Fault(_) | Setting::SmartHost(_) => 6,
            Setting::Message { .. } => 7,
        }
    }
}

/// A world set-up: settings with the line each was written on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scenario {
    pub settings: Vec<(usize, Setting)>,
}

/// The scenarios that come with mailsim (`scenarios/*.txt`, compiled in by
/// build.rs): (name without `.txt`, text).
pub fn builtin() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"))
}

/// The text of a built-in scenario by name.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    builtin().iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

fn address(key: &'static str, v: &str) -> Result<String, Problem> {
    match v.split_once('@') {
        Some((l, d)) if !l.is_empty() && !d.is_empty() && !d.contains('@') && !v.contains(char::is_whitespace) => {
            Ok(v.to_ascii_lowercase())
        }
        _ if v.is_empty() => Err(Problem::Value { key, what: "an address (user@domain)" }),
        _ => Err(Problem::BadAddress(v.to_string())),
    }
}

/// A host name a scenario may add: dotted labels of letters, digits and hyphens (RFC 1123 §2.1).
fn host_name(v: &str) -> bool {
    v.len() <= 253
        && v.contains('.')
        && v.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A dotted-quad IPv4 address.
fn ipv4(v: &str) -> bool {
    v.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `2026-11-16`, `2026-11-16 09:00`, `2026-11-16T09:00:00Z` (UTC), or seconds since 1970.
fn clock(v: &str) -> Option<Timestamp> {
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse().ok();
    }
    let v = v.strip_suffix('Z').unwrap_or(v);
    let (date, time) = v.split_once(['T', ' ']).map_or((v, ""), |(d, t)| (d, t.trim()));
    let num = |s: &str| s.parse::<u32>().ok();
    let d: Vec<u32> = date.split('-').map(num).collect::<Option<_>>()?;
    let [y, m, day] = d[..] else { return None };
    let t: Vec<u32> = if time.is_empty() { vec![0, 0] } else { time.split(':').map(num).collect::<Option<_>>()? };
    let (h, min, s) = match t[..] {
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    let days = days_from_civil(i64::from(y), m, day);
    let valid = (1970..=9999).contains(&y) && civil_from_days(days) == (i64::from(y), m, day);
    (valid && h < 24 && min < 60 && s < 60).then(|| days * 86_400 + i64::from(h * 3600 + min * 60 + s))
}

/// Reads one `key: value` setting (not `message`, which takes the lines after it).
fn setting(key: &str, v: &str) -> Result<Setting, Problem> {
    let words: Vec<&str> = v.split_whitespace().collect();
    Ok(match key {
        "clock" => Setting::Clock(clock(v).ok_or_else(|| Problem::BadClock(v.to_string()))?),
        "host" => match words[..] {
            [name, ip] if host_name(name) && ipv4(ip) => {
                Setting::Host { name: name.to_ascii_lowercase(), ip: ip.to_string() }
            }
            _ => return Err(Problem::Value { key: "host", what: "a host name and its IPv4 address" }),
        },
        "domain" => match words[..] {
            [domain, host] => Setting::Domain { domain: domain.to_ascii_lowercase(), host: host.to_ascii_lowercase() },
            _ => return Err(Problem::Value { key: "domain", what: "a domain and the mail host that serves it" }),
        },
        "user" => match words[..] {
            [a, password] => Setting::User { address: address("user", a)?, password: password.to_string() },
            _ => return Err(Problem::Value { key: "user", what: "an address and a password (no spaces)" }),
        },
        "alias" => {
            let (a, rest) = v.split_once(char::is_whitespace).unwrap_or((v, ""));
            let targets: Vec<String> = rest
                .split([',', ' '])
                .map(|t| t.trim().split('@').next().unwrap_or("").to_ascii_lowercase())
                .filter(|t| !t.is_empty())
                .collect();
            if targets.is_empty() {
                return Err(Problem::Value { key: "alias", what: "an address and the users it delivers to" });
            }
            Setting::Alias { address: address("alias", a)?, targets }
        }
        "personality" => match words[..] {
            [host, name] => {
                let personality = Personality::from_name(name)
                    .filter(|p| mta_config(*p).is_some())
                    .ok_or_else(|| Problem::UnknownPersonality(name.to_string()))?;
                Setting::Personality { host: host.to_ascii_lowercase(), personality }
            }
            _ => return Err(Problem::Value { key: "personality", what: "a host and a personality" }),
        },
        "fault" => {
            Faults::default().switch_on(v)?;
            Setting::Fault(v.to_string())
        }
        "smart-host" => match v.to_ascii_lowercase().as_str() {
            "on" | "yes" | "true" => Setting::SmartHost(true),
            "off" | "no" | "false" => Setting::SmartHost(false),
            _ => return Err(Problem::OnOff(v.to_string())),
        },
        other => return Err(Problem::UnknownKey(other.to_string())),
    })
}

/// The configuration of an MTA with this personality (none for an MDA's).
fn mta_config(p: Personality) -> Option<fn(&str, Directory) -> ServerConfig> {
    match p {
        Personality::Postfix => Some(ServerConfig::postfix),
        Personality::Sendmail => Some(ServerConfig::sendmail),
        Personality::CommuniGate => Some(ServerConfig::communigate),
        Personality::DovecotLmtp => None,
    }
}

/// True for a line that can start a header section (`Name: value`).
fn is_header_field(line: &str) -> bool {
    line.split_once(':').is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic()))
}

impl Scenario {
    /// Reads a scenario file; every problem is reported with its line.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
        let mut errors = Vec::new();
        let mut settings = Vec::new();
        let mut clock_line = None;
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        while let Some((line, raw)) = lines.next() {
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let mut fail = |problem| errors.push(Located { line, problem });
            let Some((key, value)) = t.split_once(':') else {
                fail(Problem::NoColon);
                continue;
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            if key == "message" {
                let mut body: Vec<&str> = Vec::new();
                let ended = lines.by_ref().any(|(_, l)| {
                    let l = l.strip_suffix('\r').unwrap_or(l);
                    if l == "." {
                        return true;
                    }
                    body.push(l.strip_prefix('.').unwrap_or(l));
                    false
                });
                if !ended {
                    fail(Problem::UnendedMessage);
                    continue;
                }
                let (a, folder) = value.split_once(char::is_whitespace).unwrap_or((value, "INBOX"));
                match (address("message", a), body.first()) {
                    (Err(p), _) => fail(p),
                    (Ok(_), Some(first)) if !is_header_field(first) => fail(Problem::NoHeader(first.to_string())),
                    (Ok(_), None) => fail(Problem::NoHeader(String::new())),
                    (Ok(address), Some(_)) => {
                        let raw = body.iter().flat_map(|l| [l.as_bytes(), b"\r\n"]).flatten().copied().collect();
                        settings.push((line, Setting::Message { address, folder: folder.trim().to_string(), raw }));
                    }
                }
                continue;
            }
            match setting(&key, value) {
                Ok(Setting::Clock(_)) if clock_line.is_some() => fail(Problem::ClockTwice(clock_line.unwrap_or(0))),
                Ok(s) => {
                    if matches!(s, Setting::Clock(_)) {
                        clock_line = Some(line);
                    }
                    settings.push((line, s));
                }
                Err(p) => fail(p),
            }
        }
        LineErrors::or_ok(errors, Scenario { settings })
    }

    /// Adds another scenario's settings after these (a lesson's named and inline scenarios).
    pub fn extend(&mut self, other: Scenario) {
        self.settings.extend(other.settings);
    }

    /// Changes `world` as the settings say, in their fixed order. What does
    /// not fit this world is skipped and reported with its line.
    pub fn apply(&self, world: &mut World) -> Result<(), ScenarioErrors> {
        let mut ordered: Vec<&(usize, Setting)> = self.settings.iter().collect();
        ordered.sort_by_key(|(_, s)| s.rank());
        let errors = ordered
            .into_iter()
            .filter_map(|(line, s)| apply_one(world, s).err().map(|problem| Located { line: *line, problem }))
            .collect();
        LineErrors::or_ok(errors, ())
    }
}

/// Calls `f` on the directory of every service of `host`.
fn each_directory(host: &mut Host, mut f: impl FnMut(&mut Directory)) {
    for (port, _) in host.open_ports() {
        match host.service_mut(port) {
            Some(Service::Smtp(c)) => f(&mut c.directory),
            Some(Service::Pop3(c)) => f(&mut c.directory),
            Some(Service::Imap(c)) => f(&mut c.directory),
            _ => {}
        }
    }
}

/// The directory of a host's MTA (port 25).
fn mta_directory(host: &Host) -> Option<&Directory> {
    match host.service(25) {
        Some(Service::Smtp(c)) => Some(&c.directory),
        _ => None,
    }
}

impl World {
    fn host_index(&self, name: &str) -> Result<usize, Problem> {
        self.hosts.iter().position(|h| h.name.eq_ignore_ascii_case(name)).ok_or(Problem::UnknownHost(name.into()))
    }

    /// The mail host that receives mail for `address`'s domain, and the local part.
    fn mail_host_of<'a>(&self, address: &'a str) -> Result<(usize, &'a str), Problem> {
        let (local, domain) = address.rsplit_once('@').ok_or_else(|| Problem::BadAddress(address.into()))?;
        self.hosts
            .iter()
            .position(|h| {
                self.stores.contains_key(&h.name) && mta_directory(h).is_some_and(|d| d.is_local_domain(domain))
            })
            .map(|i| (i, local))
            .ok_or_else(|| Problem::NoHostFor(domain.into()))
    }
}

fn apply_one(world: &mut World, s: &Setting) -> Result<(), Problem> {
    match s {
        Setting::Clock(t) => world.set_now(*t),
        Setting::Host { name, ip } => {
            if let Some(h) = world.hosts.iter().find(|h| h.name.eq_ignore_ascii_case(name) || h.ip == *ip) {
                return Err(Problem::HostTaken { name: name.clone(), ip: ip.clone(), by: h.name.clone() });
            }
            let dir = Directory { domains: vec![name.clone()], ..Default::default() };
            world.hosts.push(crate::world::mail_host(name, ip, dir));
            world.stores.insert(name.clone(), crate::store::MailStore::new());
            world.dns.add_host(name, ip);
        }
        Setting::Domain { domain, host } => {
            let i = world.host_index(host)?;
            let name = world.hosts[i].name.clone();
            if !world.stores.contains_key(&name) {
                return Err(Problem::NotMailHost(name));
            }
            if let Some(h) = world.hosts.iter().find(|h| mta_directory(h).is_some_and(|d| d.is_local_domain(domain))) {
                return Err(Problem::DomainTaken { domain: domain.clone(), host: h.name.clone() });
            }
            each_directory(&mut world.hosts[i], |d| d.domains.push(domain.clone()));
            world.dns.add(domain, 3600, RData::Mx { preference: 10, exchange: name });
        }
        Setting::User { address, password } => {
            let (i, user) = world.mail_host_of(address)?;
            each_directory(&mut world.hosts[i], |d| d.add_user(user, password));
            let now = world.now;
            if let Some(store) = world.stores.get_mut(&world.hosts[i].name) {
                store.create_user(user, now);
            }
        }
        Setting::Alias { address, targets } => {
            let (i, alias) = world.mail_host_of(address)?;
            let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
            let dir = mta_directory(&world.hosts[i]);
            if let Some(t) = targets.iter().find(|t| dir.is_none_or(|d| !d.users.contains_key(*t))) {
                return Err(Problem::UnknownUser(format!("{t}@{domain}")));
            }
            let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
            each_directory(&mut world.hosts[i], |d| d.add_alias(alias, &targets));
        }
        Setting::Personality { host, personality } => {
            let i = world.host_index(host)?;
            let h = &mut world.hosts[i];
            let name = h.name.clone();
            let (Some(Service::Smtp(old)), Some(make)) = (h.service_mut(25), mta_config(*personality)) else {
                return Err(Problem::NoMta(name));
            };
            let mut cfg = make(&name, old.directory.clone());
            cfg.relay_domains = std::mem::take(&mut old.relay_domains);
            cfg.relay_clients = std::mem::take(&mut old.relay_clients);
            cfg.open_relay = old.open_relay;
            cfg.utc_offset = old.utc_offset;
            *old = cfg;
        }
        Setting::Fault(spec) => world.faults.switch_on(spec)?,
        Setting::SmartHost(on) => world.faults.smart_host = *on,
        Setting::Message { address, folder, raw } => {
            let (i, _) = world.mail_host_of(address)?;
            let users = match mta_directory(&world.hosts[i]).map(|d| d.lookup(address)) {
                Some(Lookup::Local(users)) => users,
                _ => return Err(Problem::UnknownUser(address.clone())),
            };
            let now = world.now;
            let Some(store) = world.stores.get_mut(&world.hosts[i].name) else {
                return Err(Problem::NotMailHost(world.hosts[i].name.clone()));
            };
            for user in users {
                if folder != "INBOX" && store.folder(&user, folder).is_err() {
                    let _ = store.create_folder(&user, folder, now);
                }
                store.deliver(&user, folder, raw, now).map_err(|e| Problem::Store(address.clone(), e))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_forms() {
        let epoch = crate::sim::DEFAULT_EPOCH;
        assert_eq!(clock("2026-11-16 09:00"), Some(epoch));
        assert_eq!(clock("2026-11-16T09:00:00Z"), Some(epoch));
        assert_eq!(clock("2026-11-16"), Some(epoch - 9 * 3600));
        assert_eq!(clock("1794819600"), Some(epoch));
        for bad in ["2026-02-30", "2026-11-16 24:00", "tomorrow", "2026-11", "", "2026-11-16 9"] {
            assert_eq!(clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_builtin_scenario_loads_into_the_default_world() {
        assert!(!builtin().is_empty());
        for (name, text) in builtin() {
            let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            s.apply(&mut World::new(1)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}
