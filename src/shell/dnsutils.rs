//! `dig`, `host` and `nslookup` on the learner's machine, answering from the
//! world's DNS in the output formats of BIND 9.18 on Debian, so that what a
//! learner reads here is what they will read on a real machine.

use crate::sim::Timestamp;
use crate::world::dns::{name_wire_len, reverse_name, Answer, Dns, RData, Record, Resolver, RrType};

const VERSION: &str = "9.18.49-1~deb12u3-Debian";

/// Pads with tabs to column `to` (at least one tab), as dig lays out names.
fn pad_tabs(text: &str, to: usize) -> String {
    let mut line = text.to_string();
    let mut col = text.chars().count();
    loop {
        line.push('\t');
        col = (col / 8 + 1) * 8;
        if col >= to {
            return line;
        }
    }
}

fn fqdn(name: &str) -> String {
    format!("{}.", name.trim_end_matches('.'))
}

/// Octets of a name written after `seen` names, with RFC 1035 §4.1.4 compression.
fn compressed_len(name: &str, seen: &mut Vec<String>) -> usize {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        // The root alone: BIND points it at the root ending a name already
        // written (2 octets) rather than writing the 1-octet root label
        // (seen in `dig_root.out`: 279 octets for the root's 13 NS).
        return if seen.is_empty() { 1 } else { 2 };
    }
    let labels: Vec<&str> = name.split('.').collect();
    let remember = |upto: usize, seen: &mut Vec<String>| {
        for j in 0..upto {
            seen.push(labels[j..].join("."));
        }
    };
    for i in 0..labels.len() {
        if seen.contains(&labels[i..].join(".")) {
            remember(i, seen);
            return labels[..i].iter().map(|l| l.len() + 1).sum::<usize>() + 2;
        }
    }
    remember(labels.len(), seen);
    name_wire_len(&name)
}

fn record_size(r: &Record, seen: &mut Vec<String>) -> usize {
    compressed_len(&r.name, seen)
        + 10
        + match &r.data {
            RData::Mx { exchange, .. } => 2 + compressed_len(exchange, seen),
            RData::Ptr(n) | RData::Ns(n) => compressed_len(n, seen),
            RData::Soa { mname, rname, .. } => compressed_len(mname, seen) + compressed_len(rname, seen) + 20,
            other => other.wire_len(),
        }
}

/// The EDNS options dig sends (and the server echoes).
#[derive(Debug, Clone, Copy)]
struct Edns {
    on: bool,
    cookie: bool,
}

/// The size of the response (`MSG SIZE rcvd`): header, question, records
/// with compressed names, the OPT record and its COOKIE option (RFC 7873).
fn message_size(a: &Answer, edns: Edns) -> usize {
    let mut seen = Vec::new();
    let mut size = 12 + compressed_len(&a.name, &mut seen) + 4;
    for r in a.records.iter().chain(&a.authority).chain(&a.additional) {
        size += record_size(r, &mut seen);
    }
    if edns.on {
        size += 11 + if edns.cookie { 28 } else { 0 };
    }
    size
}

/// `Mon Nov 16 09:00:00 UTC 2026`, as dig's WHEN line.
fn when(now: Timestamp) -> String {
    let d = crate::sim::rfc5322_date(now);
    let p: Vec<&str> = d.split(' ').collect();
    match p.as_slice() {
        [wd, day, mon, year, time, _] => format!("{} {} {} {} UTC {}", wd.trim_end_matches(','), mon, day, time, year),
        _ => d,
    }
}

/// A record as dig prints it: the name padded to column 24 (a space if it is
/// longer), the TTL, then class, type and data separated by tabs.
fn record_line(r: &Record) -> String {
    let name = fqdn(&r.name);
    let lead = if name.chars().count() >= 24 { format!("{name} ") } else { pad_tabs(&name, 24) };
    format!("{lead}{}\tIN\t{}\t{}", r.ttl, r.data.rr_type().name(), r.data.presentation())
}

/// What dig was asked.
struct Query {
    name: String,
    qtype: RrType,
    short: bool,
    server: bool,
    edns: Edns,
}

/// Why dig refused its arguments; the text is BIND 9.18 dig's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigError {
    #[error("Invalid option: {0}")]
    InvalidOption(String),
    #[error("Invalid IP address {0}")]
    InvalidAddress(String),
}

fn parse_dig(args: &[&str]) -> Result<Query, DigError> {
    let (mut name, mut qtype, mut short, mut reverse, mut server) = (None, None, false, false, false);
    let mut edns = Edns { on: true, cookie: true };
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a.to_ascii_lowercase().as_str() {
            "+short" => short = true,
            "+nocookie" => edns.cookie = false,
            "+noedns" => edns.on = false,
            "-x" => reverse = true,
            "-p" => {
                it.next();
            }
            l if l.starts_with('+') => {} // other display options are accepted and ignored
            l if l.starts_with('@') => server = true,
            "in" => {}
            l if RrType::parse(l).is_some() && qtype.is_none() => qtype = RrType::parse(l),
            l if l.starts_with('-') => return Err(DigError::InvalidOption(a.to_string())),
            _ => name = Some(a.to_string()),
        }
    }
    if reverse {
        let name = name.unwrap_or_else(|| ".".into());
        let rev = reverse_name(&name).ok_or_else(|| DigError::InvalidAddress(name.clone()))?;
        return Ok(Query { name: rev, qtype: RrType::Ptr, short, server, edns });
    }
    // With no name dig asks for the root's name servers (`. IN NS`); with a
    // name and no type, for its address.
    let (name, default) = match name {
        Some(n) => (n, RrType::A),
        None => (".".into(), RrType::Ns),
    };
    Ok(Query { name, qtype: qtype.unwrap_or(default), short, server, edns })
}

/// `dig [@server] [TYPE] NAME [+short] [+nocookie] [+noedns]`, `dig -x ADDR`.
/// `id` and `cookie` come from the world's seeded random source.
pub fn dig(dns: &Dns, res: &Resolver, args: &[&str], now: Timestamp, id: u16, cookie: u128) -> Vec<String> {
    let q = match parse_dig(args) {
        Ok(q) => q,
        Err(e) => return vec![e.to_string()],
    };
    let a = dns.query(&q.name, q.qtype);
    if q.short {
        return a.records.iter().map(|r| r.data.presentation()).collect();
    }
    let status = if a.nxdomain { "NXDOMAIN" } else { "NOERROR" };
    let flags = if res.authoritative { "qr aa rd" } else { "qr rd ra" };
    // dig echoes its arguments, each after a space (dig.c: `printf(" %s", argv[i])`).
    let echoed: String = args.iter().map(|a| format!(" {a}")).collect();
    let mut out = vec![String::new(), format!("; <<>> DiG {VERSION} <<>>{echoed}")];
    if q.server {
        out.push("; (1 server found)".into());
    }
    out.push(";; global options: +cmd".into());
    out.push(";; Got answer:".into());
    out.push(format!(";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}"));
    out.push(format!(
        ";; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
        a.records.len(),
        a.authority.len(),
        a.additional.len() + usize::from(q.edns.on)
    ));
    if res.authoritative {
        out.push(";; WARNING: recursion requested but not available".into());
    }
    out.push(String::new());
    if q.edns.on {
        out.push(";; OPT PSEUDOSECTION:".into());
        out.push("; EDNS: version: 0, flags:; udp: 1232".into());
        if q.edns.cookie {
            out.push(format!("; COOKIE: {:016x}{:032x} (good)", (cookie >> 64) as u64, cookie));
        }
    }
    out.push(";; QUESTION SECTION:".into());
    out.push(format!("{}IN\t{}", pad_tabs(&format!(";{}", fqdn(&a.name)), 32), q.qtype.name()));
    out.push(String::new());
    for (title, records) in [("ANSWER", &a.records), ("AUTHORITY", &a.authority), ("ADDITIONAL", &a.additional)] {
        if !records.is_empty() {
            out.push(format!(";; {title} SECTION:"));
            out.extend(records.iter().map(record_line));
            out.push(String::new());
        }
    }
    out.push(";; Query time: 0 msec".into());
    out.push(format!(";; SERVER: {ip}#{port}({ip}) (UDP)", ip = res.ip, port = res.port));
    out.push(format!(";; WHEN: {}", when(now)));
    out.push(format!(";; MSG SIZE  rcvd: {}", message_size(&a, q.edns)));
    out.push(String::new());
    out
}

fn host_line(r: &Record) -> String {
    match &r.data {
        RData::A(ip) => format!("{} has address {ip}", r.name),
        RData::Aaaa(ip) => format!("{} has IPv6 address {ip}", r.name),
        RData::Ns(n) => format!("{} name server {n}.", if r.name.is_empty() { "." } else { &r.name }),
        RData::Mx { preference, exchange } => format!("{} mail is handled by {preference} {exchange}.", r.name),
        RData::Txt(t) => format!("{} descriptive text \"{t}\"", r.name),
        RData::Ptr(n) => format!("{} domain name pointer {n}.", r.name),
        RData::Soa { .. } => format!("{} has SOA record {}", r.name, r.data.presentation()),
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

/// `nslookup [-type=TYPE] NAME|ADDR`. A reverse lookup prints no server
/// header, as BIND's nslookup does.
pub fn nslookup(dns: &Dns, res: &Resolver, args: &[&str]) -> Vec<String> {
    let mut qtype = RrType::A;
    let mut name = None;
    for &a in args {
        let lower = a.to_ascii_lowercase();
        if let Some(t) =
            lower.strip_prefix("-type=").or_else(|| lower.strip_prefix("-query=")).or_else(|| lower.strip_prefix("-q="))
        {
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
    let (qname, qtype, header) = match reverse_name(name) {
        Some(rev) => (rev, RrType::Ptr, false),
        None => (name.trim_end_matches('.').to_string(), qtype, true),
    };
    let mut out = Vec::new();
    if header {
        out = vec![format!("Server:\t\t{}", res.ip), format!("Address:\t{}#{}", res.ip, res.port), String::new()];
    }
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
    if !res.authoritative {
        out.push("Non-authoritative answer:".into());
    }
    for r in &a.records {
        match &r.data {
            RData::A(ip) | RData::Aaaa(ip) => {
                out.push(format!("Name:\t{}", r.name));
                out.push(format!("Address: {ip}"));
            }
            RData::Mx { preference, exchange } => {
                out.push(format!("{}\tmail exchanger = {preference} {exchange}.", r.name))
            }
            RData::Txt(t) => out.push(format!("{}\ttext = \"{t}\"", r.name)),
            RData::Ns(n) => out.push(format!("{}\tnameserver = {n}.", if r.name.is_empty() { "." } else { &r.name })),
            RData::Ptr(n) => out.push(format!("{}\tname = {n}.", r.name)),
            RData::Soa { mname, rname, serial, times: [a, b, c, d] } => {
                out.push(r.name.clone());
                out.push(format!("\torigin = {mname}"));
                out.push(format!("\tmail addr = {rname}"));
                out.push(format!("\tserial = {serial}"));
                for (k, v) in [("refresh", a), ("retry", b), ("expire", c), ("minimum", d)] {
                    out.push(format!("\t{k} = {v}"));
                }
            }
        }
    }
    out.push(String::new());
    out
}
