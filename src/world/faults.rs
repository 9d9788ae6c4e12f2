//! Policies and faults a teacher or a lesson can switch on, and the checks
//! the world's servers make with them (the [`ServerEnv`] of a session).
//!
//! Each switch models one thing real mail meets: greylisting (RFC 6647),
//! SPF (RFC 7208), a DNS blocklist (RFC 5782), a spam filter, a full
//! mailbox, a remote MTA that is down, an ISP that blocks outbound port 25
//! (seed topic T18) and an open relay (T17).

use crate::directory::{Directory, Lookup};
use crate::sim::{SimRng, Timestamp};
use crate::smtp::catalogue::ReplyId;
use crate::smtp::{Envelope, RcptCheck, Refusal, ServerEnv};
use crate::store::MailStore;
use crate::world::dns::Dns;
use crate::world::headers::lmtp_headers;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The switches. All off in the default world.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults {
    /// mail.example.org greylists: a first attempt from an unknown
    /// (client, sender, recipient) gets 450 4.7.1; a retry after 5 minutes passes.
    pub greylisting: bool,
    /// mail.example.org checks the sender domain's SPF record against the client.
    pub spf: bool,
    /// The learner's address (client.example.net) is on a DNS blocklist that
    /// every port-25 MTA consults.
    pub dnsbl: bool,
    /// mail.example.org rejects spam-looking messages at the end of data.
    pub spam_filter: bool,
    /// This mailbox (`carol@example.org`) is full.
    pub mailbox_full: Option<String>,
    /// mail.example.org is down: connections to it are refused.
    pub remote_down: bool,
    /// The learner's ISP blocks outbound connections to port 25.
    pub block_outbound_25: bool,
    /// mail.example.com relays for anyone (an open relay).
    pub open_relay: bool,
    /// mail.example.com sends all outbound mail through a smart host,
    /// relay.example.net (Postfix `relayhost`), instead of to each domain's MX.
    pub smart_host: bool,
    /// mail.example.org checks the HELO name: it must be a fully qualified
    /// name that resolves (Postfix reject_non_fqdn_helo_hostname,
    /// reject_unknown_helo_hostname; seed topic T08).
    pub helo_check: bool,
    /// The submission services refuse a sender address that the logged-in
    /// user does not own (Postfix `reject_sender_login_mismatch`).
    pub sender_login_match: bool,
    /// The submission services accept at most this many messages per user
    /// per hour (a provider's sending limit, seed topic T23).
    pub hourly_limit: Option<u32>,
}

/// The switches by name, as lessons (`faults:`), scenarios (`fault:`) and
/// `mailsim trace --fault` spell them. `mailbox-full` takes an address
/// (carol@example.org if none), `hourly-limit` a number of messages.
pub const NAMES: &[&str] = &[
    "greylisting",
    "spf",
    "dnsbl",
    "spam-filter",
    "mailbox-full",
    "remote-down",
    "block25",
    "open-relay",
    "helo-check",
    "smart-host",
    "sender-login-match",
    "hourly-limit",
];

/// Why a switch named in a lesson or scenario cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SwitchError {
    #[error("unknown fault '{0}' (one of {list})", list = NAMES.join(", "))]
    Unknown(String),
    #[error("fault '{0}' needs {1}")]
    BadArgument(String, &'static str),
}

impl Faults {
    /// The on/off switch a fault name stands for (none for the faults that take an argument):
    /// the one table of names and switches, for [`Faults::switch_on`] and [`Faults::specs`].
    fn flag_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "greylisting" => &mut self.greylisting,
            "spf" => &mut self.spf,
            "dnsbl" => &mut self.dnsbl,
            "spam-filter" => &mut self.spam_filter,
            "remote-down" => &mut self.remote_down,
            "block25" => &mut self.block_outbound_25,
            "open-relay" => &mut self.open_relay,
            "helo-check" => &mut self.helo_check,
            "smart-host" => &mut self.smart_host,
            "sender-login-match" => &mut self.sender_login_match,
            _ => return None,
        })
    }

    /// What is switched on, as the [`Faults::switch_on`] specs that switch it on again, in
    /// [`NAMES`] order: what a lesson's `faults:` line lists.
    pub fn specs(&self) -> Vec<String> {
        let mut probe = self.clone();
        NAMES
            .iter()
            .filter_map(|&name| match name {
                "mailbox-full" => self.mailbox_full.as_ref().map(|who| format!("{name} {who}")),
                "hourly-limit" => self.hourly_limit.map(|n| format!("{name} {n}")),
                _ => probe.flag_mut(name).is_some_and(|on| *on).then(|| name.to_string()),
            })
            .collect()
    }

    /// Switches on the fault `spec` names: `NAME` or `NAME ARGUMENT`
    /// (`mailbox-full dave@example.org`, `hourly-limit 3`).
    pub fn switch_on(&mut self, spec: &str) -> Result<(), SwitchError> {
        let spec = spec.trim();
        let (name, arg) = spec.split_once(char::is_whitespace).map_or((spec, ""), |(n, a)| (n, a.trim()));
        let bad = |what| Err(SwitchError::BadArgument(name.to_string(), what));
        if let Some(flag) = self.flag_mut(name) {
            if !arg.is_empty() {
                return bad("no argument");
            }
            *flag = true;
            return Ok(());
        }
        match name {
            "mailbox-full" if arg.is_empty() => {
                self.mailbox_full = Some("carol@example.org".into());
                Ok(())
            }
            "mailbox-full" if arg.contains('@') && !arg.contains(char::is_whitespace) => {
                self.mailbox_full = Some(arg.to_ascii_lowercase());
                Ok(())
            }
            "mailbox-full" => bad("one address (user@domain)"),
            "hourly-limit" => match arg.parse::<u32>() {
                Ok(n) if n > 0 => {
                    self.hourly_limit = Some(n);
                    Ok(())
                }
                _ => bad("a number of messages above 0"),
            },
            _ => Err(SwitchError::Unknown(name.to_string())),
        }
    }
}

/// The blocklist the MTAs consult.
pub const DNSBL_ZONE: &str = "zen.spamhaus.org";
/// How long greylisting holds a new triplet (postgrey's default delay).
pub const GREYLIST_DELAY: i64 = 300;
/// Where greylisting, SPF and the spam filter run.
pub const POLICY_HOST: &str = "mail.example.org";

/// Words a naive content filter refuses (seed topic T20's example).
const SPAM_WORDS: &[&str] = &["viagra", "lottery", "you have won", "казино", "выигрыш"];

/// The state the checks keep: first sightings of greylisting triplets, and
/// when each user submitted messages (for the hourly limit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Greylist {
    seen: BTreeMap<String, Timestamp>,
    sent: BTreeMap<String, Vec<Timestamp>>,
}

/// What a server session asks of the world: the checks of its host and, for
/// LMTP, the host's mailboxes.
pub struct WorldEnv<'a> {
    pub host: &'a str,
    pub port: u16,
    pub faults: &'a Faults,
    pub dns: &'a Dns,
    pub greylist: &'a mut Greylist,
    pub now: Timestamp,
    /// For LMTP: the host's directory, store and the MTA that connects.
    pub directory: &'a Directory,
    pub store: Option<&'a mut MailStore>,
    pub rng: &'a mut SimRng,
    /// Deliveries made, for the event stream: (mailbox, uid).
    pub delivered: Vec<(String, u32)>,
}

/// The SPF verdict for a client sending as `domain` (RFC 7208 §2.6), for
/// the record forms the world publishes: `v=spf1 mx -all`, `ip4:`, `a`.
pub fn spf_passes(dns: &Dns, domain: &str, ip: &str) -> Option<bool> {
    let record = dns.txt(domain).into_iter().find(|t| t.starts_with("v=spf1"))?;
    for term in record.split_whitespace().skip(1) {
        let pass = match term {
            "mx" | "+mx" => dns.mx(domain).iter().any(|(_, x)| dns.a(x).as_deref() == Some(ip)),
            "a" | "+a" => dns.a(domain).as_deref() == Some(ip),
            t if t.starts_with("ip4:") => t[4..] == *ip,
            "-all" | "~all" => return Some(false),
            "+all" | "all" => return Some(true),
            _ => false,
        };
        if pass {
            return Some(true);
        }
    }
    Some(false)
}

impl WorldEnv<'_> {
    /// The provider's rules on its submission service: the sender must be
    /// the logged-in user's own address; so many messages an hour.
    fn check_submission(&mut self, c: &RcptCheck) -> Option<Refusal> {
        let user = c.auth_user?;
        if self.faults.sender_login_match && !c.from.is_empty() {
            let owner = match self.directory.lookup(c.from) {
                Lookup::Local(users) => users.first().cloned(),
                _ => None,
            };
            if owner.as_deref() != Some(user) {
                return Some(Refusal::new(ReplyId::SenderNotOwned, &[c.from, user]));
            }
        }
        if let Some(limit) = self.faults.hourly_limit {
            let now = self.now;
            let sent = self.greylist.sent.entry(user.to_string()).or_default();
            sent.retain(|t| now - *t < 3600);
            if sent.len() >= limit as usize {
                return Some(Refusal::new(ReplyId::RateLimited, &[c.from]));
            }
            // The message is counted when it is accepted (check_message), not here.
        }
        None
    }
}

impl ServerEnv for WorldEnv<'_> {
    fn check_rcpt(&mut self, c: &RcptCheck) -> Option<Refusal> {
        let (client, from, rcpt) = (c.client, c.from, c.rcpt);
        if self.port == 587 || self.port == 465 {
            return self.check_submission(c);
        }
        if self.port != 25 {
            return None;
        }
        if self.faults.dnsbl && client.ip == crate::world::World::learner().ip {
            return Some(Refusal::new(
                ReplyId::Dnsbl,
                &[&client.ip, DNSBL_ZONE, &format!("https://www.spamhaus.org/query/ip/{}", client.ip)],
            ));
        }
        if !self.host.eq_ignore_ascii_case(POLICY_HOST) {
            return None;
        }
        if self.faults.helo_check {
            let helo = c.helo.unwrap_or("");
            if !helo.contains('.') {
                return Some(Refusal::new(ReplyId::HeloNotFqdn, &[helo]));
            }
            if self.dns.a(helo).is_none() {
                return Some(Refusal::new(ReplyId::HeloUnknown, &[helo]));
            }
        }
        if self.faults.spf {
            if let Some((_, domain)) = from.rsplit_once('@') {
                if spf_passes(self.dns, domain, &client.ip) == Some(false) {
                    return Some(Refusal::new(ReplyId::SpfFail, &[rcpt, from, &client.ip]));
                }
            }
        }
        if self.faults.greylisting {
            let key = format!("{}/{}/{}", client.ip, from.to_ascii_lowercase(), rcpt.to_ascii_lowercase());
            let first = *self.greylist.seen.entry(key).or_insert(self.now);
            if self.now - first < GREYLIST_DELAY {
                let domain = rcpt.rsplit_once('@').map_or(self.host, |(_, d)| d);
                return Some(Refusal::new(ReplyId::Greylisted, &[rcpt, domain]));
            }
        }
        None
    }

    fn check_message(&mut self, envelope: &Envelope) -> Option<Refusal> {
        // Each accepted submission counts once toward its user's hourly limit,
        // however many arrive in the same second.
        if let (Some(_), Some(user), 587 | 465) = (self.faults.hourly_limit, &envelope.auth_user, self.port) {
            self.greylist.sent.entry(user.to_string()).or_default().push(self.now);
        }
        if self.port != 25 || !self.faults.spam_filter || !self.host.eq_ignore_ascii_case(POLICY_HOST) {
            return None;
        }
        let text = String::from_utf8_lossy(&envelope.data).to_lowercase();
        SPAM_WORDS.iter().any(|w| text.contains(w)).then(|| Refusal::new(ReplyId::SpamRejected, &[]))
    }

    fn deliver(&mut self, rcpt: &str, envelope: &Envelope) -> Result<String, Refusal> {
        if self.faults.mailbox_full.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(rcpt)) {
            return Err(Refusal::new(ReplyId::MailboxFull, &[rcpt]));
        }
        let user = match self.directory.lookup(rcpt) {
            Lookup::Local(users) if users.len() == 1 => users[0].clone(),
            _ => return Err(Refusal::new(ReplyId::LmtpUserUnknown, &[rcpt])),
        };
        let Some(store) = self.store.as_deref_mut() else {
            return Err(Refusal::new(ReplyId::MailboxFullTemp, &[rcpt]));
        };
        let id = crate::store::seed::lmtp_id(self.rng);
        let mda = self.host.split('.').next().unwrap_or(self.host);
        let mut raw = lmtp_headers(envelope, rcpt, self.host, mda, &id, self.now).into_bytes();
        raw.extend_from_slice(&envelope.data);
        store.create_user(&user, self.now);
        match store.deliver(&user, "INBOX", &raw, self.now) {
            Ok(uid) => {
                self.delivered.push((rcpt.to_string(), uid));
                Ok(id)
            }
            Err(_) => Err(Refusal::new(ReplyId::MailboxFullTemp, &[rcpt])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::dns::RData;

    #[test]
    fn spf_mx_and_all() {
        let mut d = Dns::new();
        d.add_host("mail.example.com", "192.0.2.25");
        d.add("example.com", 3600, RData::Mx { preference: 10, exchange: "mail.example.com".into() });
        d.add("example.com", 3600, RData::Txt("v=spf1 mx -all".into()));
        assert_eq!(spf_passes(&d, "example.com", "192.0.2.25"), Some(true));
        assert_eq!(spf_passes(&d, "example.com", "203.0.113.10"), Some(false));
        assert_eq!(spf_passes(&d, "nospf.example", "1.2.3.4"), None);
    }

    #[test]
    fn switches_by_name() {
        let mut f = Faults::default();
        for name in NAMES.iter().filter(|n| **n != "hourly-limit") {
            assert_eq!(f.switch_on(name), Ok(()), "{name}");
        }
        assert!(f.greylisting && f.smart_host && f.sender_login_match);
        assert_eq!(f.mailbox_full.as_deref(), Some("carol@example.org"));
        assert_eq!(f.switch_on("mailbox-full Dave@example.org"), Ok(()));
        assert_eq!(f.mailbox_full.as_deref(), Some("dave@example.org"));
        assert_eq!(f.switch_on("hourly-limit 3"), Ok(()));
        assert_eq!(f.hourly_limit, Some(3));
        assert!(matches!(f.switch_on("hourly-limit"), Err(SwitchError::BadArgument(..))));
        assert!(matches!(f.switch_on("spf strict"), Err(SwitchError::BadArgument(..))));
        assert_eq!(f.switch_on("meteor"), Err(SwitchError::Unknown("meteor".into())));
        assert!(SwitchError::Unknown("x".into()).to_string().contains("greylisting"));
    }

    #[test]
    fn the_specs_of_what_is_on_switch_the_same_on_again() {
        assert!(Faults::default().specs().is_empty());
        for spec in ["greylisting", "block25", "mailbox-full dave@example.org", "hourly-limit 3", "sender-login-match"]
        {
            let mut f = Faults::default();
            f.switch_on(spec).unwrap();
            assert_eq!(f.specs(), vec![spec.to_string()]);
        }
        let mut all = Faults::default();
        for name in NAMES {
            let spec = match *name {
                "mailbox-full" => "mailbox-full carol@example.org".to_string(),
                "hourly-limit" => "hourly-limit 5".to_string(),
                n => n.to_string(),
            };
            all.switch_on(&spec).unwrap();
        }
        let specs = all.specs();
        assert_eq!(specs.len(), NAMES.len(), "{specs:?}");
        let mut again = Faults::default();
        for s in &specs {
            again.switch_on(s).unwrap();
        }
        assert_eq!(again, all);
        let names: Vec<&str> = specs.iter().map(|s| s.split(' ').next().unwrap_or("")).collect();
        assert_eq!(names, NAMES, "in NAMES order");
    }
}
