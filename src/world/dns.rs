//! The world's DNS: a zone of A, MX, TXT and PTR records (RFC 1035 §3.3,
//! RFC 5321 §5.1 for how mail uses MX), answered without any network.
//!
//! Mail routing asks [`Dns::mx`] for a domain's exchangers (lowest preference
//! first, RFC 5321 §5.1), falling back to the domain's own A record when it
//! has no MX (the "implicit MX"); a HELO check asks [`Dns::ptr`].

use serde::{Deserialize, Serialize};

/// Record types the world knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RrType {
    A,
    /// IPv6 addresses (RFC 3596); the world's own hosts are IPv4-only, only
    /// the root servers have them.
    Aaaa,
    /// Name servers (RFC 1035 §3.3.11); the world has the root's, for `dig`'s
    /// default question `. IN NS`.
    Ns,
    Mx,
    Txt,
    Ptr,
    Soa,
}

impl std::fmt::Display for RrType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl RrType {
    pub fn name(self) -> &'static str {
        match self {
            RrType::A => "A",
            RrType::Aaaa => "AAAA",
            RrType::Ns => "NS",
            RrType::Mx => "MX",
            RrType::Txt => "TXT",
            RrType::Ptr => "PTR",
            RrType::Soa => "SOA",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "A" => Some(RrType::A),
            "AAAA" => Some(RrType::Aaaa),
            "NS" => Some(RrType::Ns),
            "MX" => Some(RrType::Mx),
            "TXT" => Some(RrType::Txt),
            "PTR" => Some(RrType::Ptr),
            "SOA" => Some(RrType::Soa),
            _ => None,
        }
    }

    /// The type's number (RFC 1035 §3.2.2).
    pub fn code(self) -> u16 {
        match self {
            RrType::A => 1,
            RrType::Aaaa => 28,
            RrType::Ns => 2,
            RrType::Ptr => 12,
            RrType::Mx => 15,
            RrType::Txt => 16,
            RrType::Soa => 6,
        }
    }
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RData {
    A(String),
    Aaaa(String),
    Ns(String),
    Mx {
        preference: u16,
        exchange: String,
    },
    Txt(String),
    Ptr(String),
    /// Start of authority (RFC 1035 §3.3.13): the zone's primary server, its
    /// admin mailbox, serial, refresh, retry, expire and negative-cache TTL.
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        times: [u32; 4],
    },
}

impl RData {
    pub fn rr_type(&self) -> RrType {
        match self {
            RData::A(_) => RrType::A,
            RData::Aaaa(_) => RrType::Aaaa,
            RData::Ns(_) => RrType::Ns,
            RData::Mx { .. } => RrType::Mx,
            RData::Txt(_) => RrType::Txt,
            RData::Ptr(_) => RrType::Ptr,
            RData::Soa { .. } => RrType::Soa,
        }
    }

    /// The data as zone files and `dig` print it (names with a final dot).
    pub fn presentation(&self) -> String {
        match self {
            RData::A(ip) | RData::Aaaa(ip) => ip.clone(),
            RData::Ns(n) => format!("{n}."),
            RData::Mx { preference, exchange } => format!("{preference} {exchange}."),
            RData::Txt(t) => format!("\"{t}\""),
            RData::Ptr(n) => format!("{n}."),
            RData::Soa { mname, rname, serial, times: [a, b, c, d] } => {
                format!("{mname}. {rname}. {serial} {a} {b} {c} {d}")
            }
        }
    }

    /// The length of the data on the wire (RFC 1035 §3.3), names uncompressed.
    pub fn wire_len(&self) -> usize {
        match self {
            RData::A(_) => 4,
            RData::Aaaa(_) => 16,
            RData::Mx { exchange, .. } => 2 + name_wire_len(exchange),
            RData::Txt(t) => t.len() + t.len().div_ceil(255).max(1),
            RData::Ptr(n) | RData::Ns(n) => name_wire_len(n),
            RData::Soa { mname, rname, .. } => name_wire_len(mname) + name_wire_len(rname) + 20,
        }
    }
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The owner name, lower case, without the final dot.
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

/// The length of a domain name on the wire: a length byte per label, the
/// labels, the root's zero byte (RFC 1035 §3.1).
pub fn name_wire_len(name: &str) -> usize {
    let name = name.trim_end_matches('.');
    if name.is_empty() {
        return 1;
    }
    name.split('.').map(|l| l.len() + 1).sum::<usize>() + 1
}

/// `192.0.2.25` → `25.2.0.192.in-addr.arpa` (RFC 1035 §3.5).
pub fn reverse_name(ip: &str) -> Option<String> {
    let parts: Vec<&str> = ip.split('.').collect();
    if parts.len() != 4 || parts.iter().any(|p| p.parse::<u8>().is_err()) {
        return None;
    }
    Some(format!("{}.{}.{}.{}.in-addr.arpa", parts[3], parts[2], parts[1], parts[0]))
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub name: String,
    pub qtype: RrType,
    pub records: Vec<Record>,
    /// The name does not exist at all (NXDOMAIN), as opposed to existing
    /// without records of this type (NOERROR with no answer).
    pub nxdomain: bool,
    /// Without an answer, the zone's SOA (RFC 2308 §2: negative answers).
    pub authority: Vec<Record>,
    /// Addresses of the exchangers named in an MX answer (RFC 1035 §3.3.9).
    /// An NS answer has none: BIND 9.18 sends the root's NS alone (recorded).
    pub additional: Vec<Record>,
}

/// The world's zone data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dns {
    records: Vec<Record>,
}

/// Normalises a name: lower case, no final dot.
fn norm(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Dns {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: &str, ttl: u32, data: RData) {
        self.records.push(Record { name: norm(name), ttl, data });
    }

    /// An A record and its PTR twin.
    pub fn add_host(&mut self, name: &str, ip: &str) {
        self.add(name, 3600, RData::A(ip.to_string()));
        if let Some(rev) = reverse_name(ip) {
            self.add(&rev, 3600, RData::Ptr(norm(name)));
        }
    }

    /// Removes every record of `name` and type `t` (to model a broken zone).
    pub fn remove(&mut self, name: &str, t: RrType) {
        let n = norm(name);
        self.records.retain(|r| !(r.name == n && r.data.rr_type() == t));
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The SOA of the zone `name` is in: the nearest enclosing name with one.
    pub fn soa_of(&self, name: &str) -> Option<&Record> {
        let n = norm(name);
        let mut candidate = n.as_str();
        loop {
            if let Some(r) = self.records.iter().find(|r| r.name == candidate && r.data.rr_type() == RrType::Soa) {
                return Some(r);
            }
            candidate = candidate.split_once('.')?.1;
        }
    }

    /// Answers a query (RFC 1034 §4.3.2, without delegation or CNAMEs).
    pub fn query(&self, name: &str, qtype: RrType) -> Answer {
        let n = norm(name);
        let records: Vec<Record> =
            self.records.iter().filter(|r| r.name == n && r.data.rr_type() == qtype).cloned().collect();
        let exists = self.records.iter().any(|r| r.name == n || r.name.ends_with(&format!(".{n}")));
        let authority = if records.is_empty() { self.soa_of(&n).cloned().into_iter().collect() } else { Vec::new() };
        let additional = records
            .iter()
            .filter_map(|r| match &r.data {
                RData::Mx { exchange, .. } => Some(exchange.as_str()),
                _ => None,
            })
            .flat_map(|x| {
                self.records
                    .iter()
                    .filter(move |r| r.name == *x && matches!(r.data.rr_type(), RrType::A | RrType::Aaaa))
                    .cloned()
            })
            .collect();
        Answer { name: n, qtype, nxdomain: !exists, records, authority, additional }
    }

    /// The address of a name.
    pub fn a(&self, name: &str) -> Option<String> {
        self.query(name, RrType::A).records.into_iter().find_map(|r| match r.data {
            RData::A(ip) => Some(ip),
            _ => None,
        })
    }

    /// The name an address points back to.
    pub fn ptr(&self, ip: &str) -> Option<String> {
        self.query(&reverse_name(ip)?, RrType::Ptr).records.into_iter().find_map(|r| match r.data {
            RData::Ptr(n) => Some(n),
            _ => None,
        })
    }

    /// Where mail for `domain` goes, in the order to try (RFC 5321 §5.1):
    /// MX exchangers by preference; with no MX, the domain itself if it has
    /// an address (the implicit MX); empty when neither exists.
    pub fn mx(&self, domain: &str) -> Vec<(u16, String)> {
        let mut mx: Vec<(u16, String)> = self
            .query(domain, RrType::Mx)
            .records
            .into_iter()
            .filter_map(|r| match r.data {
                RData::Mx { preference, exchange } => Some((preference, exchange)),
                _ => None,
            })
            .collect();
        mx.sort();
        if mx.is_empty() && self.a(domain).is_some() {
            mx.push((0, norm(domain)));
        }
        mx
    }

    /// The TXT strings of a name (SPF at the domain, DMARC at `_dmarc.`).
    pub fn txt(&self, name: &str) -> Vec<String> {
        self.query(name, RrType::Txt)
            .records
            .into_iter()
            .filter_map(|r| match r.data {
                RData::Txt(t) => Some(t),
                _ => None,
            })
            .collect()
    }
}

/// The DNS server the tools ask, and how it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolver {
    pub ip: String,
    pub port: u16,
    /// An authoritative-only server (`aa`, no recursion) rather than a
    /// recursive resolver (`ra`, non-authoritative answers).
    pub authoritative: bool,
}

impl Resolver {
    /// The learner's machine's resolver: recursive, at 192.0.2.53.
    pub fn learner() -> Self {
        Self { ip: "192.0.2.53".into(), port: 53, authoritative: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Dns {
        let mut d = Dns::new();
        d.add_host("mail.example.org", "198.51.100.25");
        d.add_host("mx2.example.org", "198.51.100.26");
        d.add("example.org", 3600, RData::Mx { preference: 20, exchange: "mx2.example.org".into() });
        d.add("example.org", 3600, RData::Mx { preference: 10, exchange: "mail.example.org".into() });
        d.add("example.org", 3600, RData::Txt("v=spf1 mx -all".into()));
        d.add_host("solo.example", "203.0.113.7");
        d
    }

    #[test]
    fn mx_in_preference_order_then_implicit_mx() {
        let d = zone();
        assert_eq!(d.mx("Example.ORG."), vec![(10, "mail.example.org".into()), (20, "mx2.example.org".into())]);
        assert_eq!(d.mx("solo.example"), vec![(0, "solo.example".into())], "RFC 5321 §5.1 implicit MX");
        assert!(d.mx("nowhere.example").is_empty());
    }

    #[test]
    fn nxdomain_versus_no_data() {
        let d = zone();
        let a = d.query("example.org", RrType::A);
        assert!(a.records.is_empty() && !a.nxdomain, "example.org exists (it has MX), just no A");
        assert!(d.query("nosuch.example.org", RrType::A).nxdomain);
    }

    #[test]
    fn reverse_lookups() {
        let d = zone();
        assert_eq!(reverse_name("198.51.100.25").as_deref(), Some("25.100.51.198.in-addr.arpa"));
        assert_eq!(d.ptr("198.51.100.25").as_deref(), Some("mail.example.org"));
        assert_eq!(d.ptr("10.0.0.1"), None);
        assert_eq!(reverse_name("1.2.3"), None);
        assert_eq!(reverse_name("1.2.3.999"), None);
    }

    #[test]
    fn wire_lengths() {
        // RFC 1035 §3.1: "example.org" is 7 example 3 org 0 = 13 octets.
        assert_eq!(name_wire_len("example.org."), 13);
        assert_eq!(name_wire_len(""), 1);
        assert_eq!(RData::Mx { preference: 10, exchange: "mail.example.org".into() }.wire_len(), 2 + 18);
        assert_eq!(RData::Txt("v=spf1 mx -all".into()).wire_len(), 15);
    }
}
