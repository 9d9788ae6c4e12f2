//! `dig`, `host` and `nslookup` on the learner's machine, answering from the
//! world's DNS in the output formats of BIND 9.18 on Debian, so that what a
//! learner reads here is what they will read on a real machine.

use crate::sim::Timestamp;
use crate::world::dns::{name_wire_len, reverse_name, Answer, Dns, RData, Record, RrType};

/// The resolver the learner's machine uses.
pub const RESOLVER: &str = "192.0.2.53";
const DIG_VERSION: &str = "9.18.33-1~deb12u2-Debian";

/// Pads a name with tabs to column 24, as dig does, then adds `rest`.
fn tabbed(name: &str, rest: &str) -> String {
    let mut line = name.to_string();
    let mut col = name.chars().count();
    loop {
        line.push('\t');
        col = (col / 8 + 1) * 8;
        if col >= 24 {
            break;
        }
    }
    line.push_str(rest);
    line
}

fn fqdn(name: &str) -> String {
    format!("{}.", name.trim_end_matches('.'))
}

/// Octets of a name written after `seen` names, with RFC 1035 §4.1.4 compression.
fn compressed_len(name: &str, seen: &mut Vec<String>) -> usize {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = if name.is_empty() { vec![] } else { name.split('.').collect() };
    for i in 0..labels.len() {
        let suffix = labels[i..].join(".");
        if seen.contains(&suffix) {
            let len: usize = labels[..i].iter().map(|l| l.len() + 1).sum::<usize>() + 2;
            for j in 0..i {
                seen.push(labels[j..].join("."));
            }
            return len;
        }
    }
    for j in 0..labels.len() {
        seen.push(labels[j..].join("."));
    }
    name_wire_len(&name)
}

/// The size of the response message dig reports (`MSG SIZE rcvd`): header,
/// question, answers with compressed names, and the EDNS OPT record.
fn message_size(a: &Answer) -> usize {
    let mut seen = Vec::new();
    let mut size = 12 + compressed_len(&a.name, &mut seen) + 4;
    for r in &a.records {
        size += compressed_len(&r.name, &mut seen) + 10;
        size += match &r.data {
            RData::Mx { exchange, .. } => 2 + compressed_len(exchange, &mut seen),
            RData::Ptr(n) => compressed_len(n, &mut seen),
            other => other.wire_len(),
        };
    }
    size + 11
}

/// `Mon Nov 16 09:00:00 UTC 2026`, as dig's WHEN line.
fn when(now: Timestamp) -> String {
    let d = crate::sim::rfc5322_date(now);
    // "Mon, 16 Nov 2026 09:00:00 +0000" → "Mon Nov 16 09:00:00 UTC 2026"
    let p: Vec<&str> = d.split(' ').collect();
    match p.as_slice() {
        [wd, day, mon, year, time, _] => format!("{} {} {} {} UTC {}", wd.trim_end_matches(','), mon, day, time, year),
        _ => d,
    }
}

fn record_line(r: &Record) -> String {
    tabbed(&fqdn(&r.name), &format!("{}\tIN\t{}\t{}", r.ttl, r.data.rr_type().name(), r.data.presentation()))
}

/// Reads `[TYPE] NAME` / `NAME [TYPE]` / `-x ADDR` arguments; `short` for `+short`.
struct Query {
    name: String,
    qtype: RrType,
    short: bool,
}

fn parse_dig(args: &[&str]) -> Result<Query, String> {
    let (mut name, mut qtype, mut short, mut reverse) = (None, None, false, false);
    for &a in args {
        match a {
            "+short" => short = true,
            "-x" => reverse = true,
            _ if a.starts_with('+') => {} // other display options are accepted and ignored
            _ if a.starts_with('@') => {}
            _ if a.eq_ignore_ascii_case("IN") => {}
            _ if RrType::parse(a).is_some() && qtype.is_none() => qtype = RrType::parse(a),
            _ if a.starts_with('-') => return Err(format!("Invalid option: {a}")),
            _ => name = Some(a.to_string()),
        }
    }
    let name = name.unwrap_or_else(|| ".".into());
    if reverse {
        let rev = reverse_name(&name).ok_or(format!("Invalid IP address {name}"))?;
        return Ok(Query { name: rev, qtype: RrType::Ptr, short });
    }
    Ok(Query { name, qtype: qtype.unwrap_or(RrType::A), short })
}

/// `dig [@server] [TYPE] NAME [+short]`, `dig -x ADDR`.
pub fn dig(dns: &Dns, args: &[&str], now: Timestamp, id: u16) -> Vec<String> {
    let q = match parse_dig(args) {
        Ok(q) => q,
        Err(e) => return vec![e],
    };
    let a = dns.query(&q.name, q.qtype);
    if q.short {
        return a.records.iter().map(|r| r.data.presentation()).collect();
    }
    let status = if a.nxdomain { "NXDOMAIN" } else { "NOERROR" };
    let mut out = vec![
        String::new(),
        format!("; <<>> DiG {DIG_VERSION} <<>> {}", args.join(" ")),
        ";; global options: +cmd".into(),
        ";; Got answer:".into(),
        format!(";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}"),
        format!(";; flags: qr rd ra; QUERY: 1, ANSWER: {}, AUTHORITY: 0, ADDITIONAL: 1", a.records.len()),
        String::new(),
        ";; OPT PSEUDOSECTION:".into(),
        "; EDNS: version: 0, flags:; udp: 1232".into(),
        ";; QUESTION SECTION:".into(),
        tabbed(&format!(";{}", fqdn(&a.name)), &format!("\tIN\t{}", q.qtype.name())),
        String::new(),
    ];
    if !a.records.is_empty() {
        out.push(";; ANSWER SECTION:".into());
        out.extend(a.records.iter().map(record_line));
        out.push(String::new());
    }
    out.push(";; Query time: 0 msec".into());
    out.push(format!(";; SERVER: {RESOLVER}#53({RESOLVER}) (UDP)"));
    out.push(format!(";; WHEN: {}", when(now)));
    out.push(format!(";; MSG SIZE  rcvd: {}", message_size(&a)));
    out.push(String::new());
    out
}

fn host_line(r: &Record) -> String {
    match &r.data {
        RData::A(ip) => format!("{} has address {ip}", r.name),
        RData::Mx { preference, exchange } => format!("{} mail is handled by {preference} {exchange}.", r.name),
        RData::Txt(t) => format!("{} descriptive text \"{t}\"", r.name),
        RData::Ptr(n) => format!("{} domain name pointer {n}.", r.name),
    }
}

/// `host [-t TYPE] NAME|ADDR`.
pub fn host(dns: &Dns, args: &[&str]) -> Vec<String> {
    let mut qtype = None;
    let mut name = None;
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-t" => match it.next().and_then(|t| RrType::parse(t)) {
                Some(t) => qtype = Some(t),
                None => return vec!["host: invalid type".into()],
            },
            _ if a.starts_with('-') => {}
            _ => name = Some(a),
        }
    }
    let Some(name) = name else {
        return vec!["Usage: host [-t type] hostname [server]".into()];
    };
    if let Some(rev) = reverse_name(name) {
        let a = dns.query(&rev, RrType::Ptr);
        if a.records.is_empty() {
            return vec![format!("Host {rev} not found: 3(NXDOMAIN)")];
        }
        return a.records.iter().map(host_line).collect();
    }
    let types = match qtype {
        Some(t) => vec![t],
        None => vec![RrType::A, RrType::Mx],
    };
    let mut out = Vec::new();
    for t in &types {
        let a = dns.query(name, *t);
        if a.nxdomain {
            return vec![format!("Host {name} not found: 3(NXDOMAIN)")];
        }
        out.extend(a.records.iter().map(host_line));
    }
    if out.is_empty() {
        if let Some(t) = qtype {
            out.push(format!("{} has no {} record", name.trim_end_matches('.'), t.name()));
        }
    }
    out
}

/// `nslookup [-type=TYPE] NAME|ADDR`.
pub fn nslookup(dns: &Dns, args: &[&str]) -> Vec<String> {
    let mut qtype = RrType::A;
    let mut name = None;
    for &a in args {
        let lower = a.to_ascii_lowercase();
        if let Some(t) = lower.strip_prefix("-type=").or_else(|| lower.strip_prefix("-query=")).or_else(|| lower.strip_prefix("-q=")) {
            match RrType::parse(t) {
                Some(t) => qtype = t,
                None => return vec![format!("*** Invalid option: {a}")],
            }
        } else if !a.starts_with('-') {
            name = Some(a);
        }
    }
    let Some(name) = name else {
        return vec!["Usage: nslookup [-type=TYPE] name".into()];
    };
    let (qname, qtype) = match reverse_name(name) {
        Some(rev) => (rev, RrType::Ptr),
        None => (name.trim_end_matches('.').to_string(), qtype),
    };
    let mut out = vec![format!("Server:\t\t{RESOLVER}"), format!("Address:\t{RESOLVER}#53"), String::new()];
    let a = dns.query(&qname, qtype);
    if a.nxdomain {
        out.push(format!("** server can't find {qname}: NXDOMAIN"));
        out.push(String::new());
        return out;
    }
    if a.records.is_empty() {
        out.push(format!("*** Can't find {qname}: No answer"));
        out.push(String::new());
        return out;
    }
    out.push("Non-authoritative answer:".into());
    for r in &a.records {
        match &r.data {
            RData::A(ip) => {
                out.push(format!("Name:\t{}", r.name));
                out.push(format!("Address: {ip}"));
            }
            RData::Mx { preference, exchange } => out.push(format!("{}\tmail exchanger = {preference} {exchange}.", r.name)),
            RData::Txt(t) => out.push(format!("{}\ttext = \"{t}\"", r.name)),
            RData::Ptr(n) => out.push(format!("{}\tname = {n}.", r.name)),
        }
    }
    out.push(String::new());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Dns {
        let mut d = Dns::new();
        d.add_host("mail.example.org", "198.51.100.25");
        d.add("example.org", 3600, RData::Mx { preference: 10, exchange: "mail.example.org".into() });
        d.add("example.org", 3600, RData::Txt("v=spf1 mx -all".into()));
        d
    }

    #[test]
    fn dig_prints_bind_layout() {
        let out = dig(&zone(), &["MX", "example.org"], 1_794_819_600, 4242);
        assert_eq!(out[1], "; <<>> DiG 9.18.33-1~deb12u2-Debian <<>> MX example.org");
        assert_eq!(out[4], ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242");
        assert!(out.contains(&";example.org.\t\t\tIN\tMX".to_string()), "{out:#?}");
        assert!(out.contains(&"example.org.\t\t3600\tIN\tMX\t10 mail.example.org.".to_string()), "{out:#?}");
        assert!(out.contains(&";; WHEN: Mon Nov 16 09:00:00 UTC 2026".to_string()));
        // 12 header + 13+4 question + (2+10+2+(5+2)) answer + 11 OPT = 61.
        assert!(out.contains(&";; MSG SIZE  rcvd: 61".to_string()), "{out:#?}");
        assert_eq!(dig(&zone(), &["+short", "mx", "example.org"], 0, 1), vec!["10 mail.example.org."]);
        let nx = dig(&zone(), &["nosuch.example.org"], 0, 1);
        assert!(nx[4].contains("status: NXDOMAIN"));
        assert_eq!(dig(&zone(), &["-x", "198.51.100.25", "+short"], 0, 1), vec!["mail.example.org."]);
        assert_eq!(dig(&zone(), &["-z", "x"], 0, 1), vec!["Invalid option: -z"]);
    }

    #[test]
    fn host_formats() {
        let z = zone();
        assert_eq!(host(&z, &["-t", "mx", "example.org"]), vec!["example.org mail is handled by 10 mail.example.org."]);
        assert_eq!(host(&z, &["mail.example.org"]), vec!["mail.example.org has address 198.51.100.25"]);
        assert_eq!(host(&z, &["198.51.100.25"]), vec!["25.100.51.198.in-addr.arpa domain name pointer mail.example.org."]);
        assert_eq!(host(&z, &["nosuch.example"]), vec!["Host nosuch.example not found: 3(NXDOMAIN)"]);
        assert_eq!(host(&z, &["-t", "a", "example.org"]), vec!["example.org has no A record"]);
        assert_eq!(host(&z, &["-t", "txt", "example.org"]), vec!["example.org descriptive text \"v=spf1 mx -all\""]);
        assert_eq!(host(&z, &["-t"]), vec!["host: invalid type"]);
    }

    #[test]
    fn nslookup_formats() {
        let z = zone();
        let out = nslookup(&z, &["-type=mx", "example.org"]);
        assert_eq!(out[0], "Server:\t\t192.0.2.53");
        assert_eq!(out[3], "Non-authoritative answer:");
        assert_eq!(out[4], "example.org\tmail exchanger = 10 mail.example.org.");
        let out = nslookup(&z, &["mail.example.org"]);
        assert_eq!(out[4..6], ["Name:\tmail.example.org".to_string(), "Address: 198.51.100.25".to_string()]);
        assert_eq!(nslookup(&z, &["nosuch.example.org"])[3], "** server can't find nosuch.example.org: NXDOMAIN");
        assert_eq!(nslookup(&z, &["-type=a", "example.org"])[3], "*** Can't find example.org: No answer");
    }
}
