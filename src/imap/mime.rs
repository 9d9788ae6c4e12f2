//! FETCH's view of a message (RFC 3501 §7.4.2): ENVELOPE, BODY and
//! BODYSTRUCTURE, and the octets of a `section`, built on [`crate::mime`].
//!
//! Values are the raw header text (no RFC 2047 decoding: IMAP sends it as
//! is). Shapes follow Dovecot 2.3: a text part without a charset gets
//! `"charset" "us-ascii"` appended; the transfer encoding is written as
//! the header gives it; line counts count LF.

use super::parser::nstring;
use crate::mime::split_unquoted;
pub use crate::mime::{fields, parse, parse_params, split, value, Part};

/// Counts lines as Dovecot does: LFs.
fn lines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn q(s: &str) -> String {
    nstring(Some(s.as_bytes()))
}

fn params_list(params: &[(String, String)]) -> String {
    if params.is_empty() {
        return "NIL".into();
    }
    let inner: Vec<String> = params.iter().map(|(k, v)| format!("{} {}", q(k), q(v))).collect();
    format!("({})", inner.join(" "))
}

fn header_string(raw: &[u8], p: &Part, name: &str) -> String {
    nstring(value(&raw[p.header.0..p.header.1], name).as_deref())
}

/// BODY (`extended` false) or BODYSTRUCTURE (true) of a part (RFC 3501 §7.4.2).
pub fn body_structure(raw: &[u8], p: &Part, extended: bool) -> String {
    let header = &raw[p.header.0..p.header.1];
    if !p.children.is_empty() || p.kind == "multipart" {
        let mut s = String::from("(");
        for c in &p.children {
            s.push_str(&body_structure(raw, c, extended));
        }
        if p.children.is_empty() {
            // RFC 3501 needs at least one part; Dovecot shows an empty text part.
            s.push_str("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
        }
        s.push(' ');
        s.push_str(&q(&p.subtype));
        if extended {
            s.push_str(&format!(
                " {} {} {} {}",
                params_list(&p.params),
                disposition(header),
                header_string(raw, p, "Content-Language"),
                header_string(raw, p, "Content-Location")
            ));
        }
        s.push(')');
        return s;
    }
    let body = &raw[p.body.0..p.body.1];
    let encoding = value(header, "Content-Transfer-Encoding")
        .map_or("7bit".to_string(), |v| String::from_utf8_lossy(&v).into_owned());
    let mut s = format!(
        "({} {} {} {} {} {} {}",
        q(&p.kind),
        q(&p.subtype),
        params_list(&p.params),
        header_string(raw, p, "Content-ID"),
        header_string(raw, p, "Content-Description"),
        q(&encoding),
        body.len()
    );
    if let Some(m) = &p.message {
        s.push_str(&format!(
            " {} {} {}",
            envelope(&raw[m.header.0..m.header.1]),
            body_structure(raw, m, extended),
            lines(body)
        ));
    } else if p.kind == "text" {
        s.push_str(&format!(" {}", lines(body)));
    }
    if extended {
        s.push_str(&format!(
            " {} {} {} {}",
            header_string(raw, p, "Content-MD5"),
            disposition(header),
            header_string(raw, p, "Content-Language"),
            header_string(raw, p, "Content-Location")
        ));
    }
    s.push(')');
    s
}

fn disposition(header: &[u8]) -> String {
    match value(header, "Content-Disposition") {
        Some(v) => {
            let (main, params) = parse_params(&v);
            format!("({} {})", q(&main.to_ascii_lowercase()), params_list(&params))
        }
        None => "NIL".into(),
    }
}

/// The ENVELOPE of a message's header (RFC 3501 §7.4.2).
pub fn envelope(header: &[u8]) -> String {
    let s = |name: &str| nstring(value(header, name).as_deref());
    let from = addresses(header, "From");
    let sender = addresses(header, "Sender");
    let reply_to = addresses(header, "Reply-To");
    let sender = if sender == "NIL" { from.clone() } else { sender };
    let reply_to = if reply_to == "NIL" { from.clone() } else { reply_to };
    format!(
        "({} {} {from} {sender} {reply_to} {} {} {} {} {})",
        s("Date"),
        s("Subject"),
        addresses(header, "To"),
        addresses(header, "Cc"),
        addresses(header, "Bcc"),
        s("In-Reply-To"),
        s("Message-ID")
    )
}

/// An address list field as IMAP address structures; NIL if absent or empty.
fn addresses(header: &[u8], name: &str) -> String {
    let Some(v) = value(header, name) else { return "NIL".into() };
    let text = String::from_utf8_lossy(&v);
    let list: Vec<String> = split_unquoted(&text, ',').iter().filter_map(|a| address(a.trim())).collect();
    if list.is_empty() {
        "NIL".into()
    } else {
        format!("({})", list.concat())
    }
}

/// One `Name <local@domain>` or `local@domain` (RFC 5322 §3.4) as
/// `(name adl mailbox host)`.
fn address(a: &str) -> Option<String> {
    if a.is_empty() {
        return None;
    }
    let (name, spec) = match (a.rfind('<'), a.rfind('>')) {
        (Some(l), Some(r)) if l < r => {
            let n = a[..l].trim();
            let n = n.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(n);
            (Some(n).filter(|n| !n.is_empty()), a[l + 1..r].trim())
        }
        _ => (None, a),
    };
    let (local, domain) = match spec.rsplit_once('@') {
        Some((l, d)) => (l, Some(d)),
        None => (spec, None),
    };
    Some(format!("({} NIL {} {})", nstring(name.map(str::as_bytes)), q(local), domain.map_or("NIL".to_string(), q)))
}

/// What a FETCH section names (RFC 3501 §6.4.5), after the part number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionText {
    /// The whole part (`BODY[]`, `BODY[1]`).
    All,
    Header,
    HeaderFields {
        not: bool,
        names: Vec<String>,
    },
    Text,
    Mime,
}

/// The octets a section names, or empty when the part does not exist.
pub fn section(raw: &[u8], path: &[u32], text: &SectionText) -> Vec<u8> {
    let root = parse(raw);
    let mut p = &root;
    for &n in path {
        // A message/rfc822 part's parts are those of the message inside it.
        let container = match &p.message {
            Some(m) if !m.children.is_empty() => m.as_ref(),
            _ => p,
        };
        p = match container.children.get(n as usize - 1) {
            Some(c) => c,
            // BODY[1] of a single part is its body (RFC 3501 §6.4.5).
            None if n == 1 && container.children.is_empty() => container,
            None => return Vec::new(),
        };
    }
    // HEADER and TEXT of a part are those of its message/rfc822 content.
    let msg_part = if path.is_empty() { Some(p) } else { p.message.as_deref() };
    match text {
        SectionText::All if path.is_empty() => raw.to_vec(),
        SectionText::All => raw[p.body.0..p.body.1].to_vec(),
        SectionText::Mime => raw[p.header.0..p.header.1].to_vec(),
        SectionText::Header => msg_part.map_or(Vec::new(), |m| raw[m.header.0..m.header.1].to_vec()),
        SectionText::Text => msg_part.map_or(Vec::new(), |m| raw[m.body.0..m.body.1].to_vec()),
        SectionText::HeaderFields { not, names } => {
            let Some(m) = msg_part else { return Vec::new() };
            let mut out: Vec<u8> = fields(&raw[m.header.0..m.header.1])
                .into_iter()
                .filter(|(n, _)| names.iter().any(|x| x.eq_ignore_ascii_case(n)) != *not)
                .flat_map(|(_, f)| f.to_vec())
                .collect();
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second message start-peers.sh seeds (swaks with an attachment),
    /// as tests/transcripts/imap/fetch.txt shows its parts.
    const REPORT: &[u8] = b"Subject: Report with attachment\r\nFrom: carol@example.net\r\nTo: alice@example.com\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"----=_MIME_BOUNDARY_000_3090\"\r\n\r\n\
------=_MIME_BOUNDARY_000_3090\r\nContent-Type: text/plain\r\n\r\nSee the attached note.\r\n\
------=_MIME_BOUNDARY_000_3090\r\nContent-Type: text/plain; name=\"note.txt\"\r\nContent-Description: note.txt\r\n\
Content-Disposition: attachment; filename=\"note.txt\"\r\nContent-Transfer-Encoding: BASE64\r\n\r\n\
aGVsbG8gYXR0YWNobWVudCBjb250ZW50\r\n\r\n------=_MIME_BOUNDARY_000_3090--\r\n\r\n\r\n";

    #[test]
    fn bodystructure_of_the_seeded_attachment_is_dovecots() {
        let p = parse(REPORT);
        assert_eq!(
            body_structure(REPORT, &p, true),
            "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 22 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"name\" \"note.txt\" \"charset\" \"us-ascii\") NIL \"note.txt\" \"BASE64\" 34 1 NIL (\"attachment\" (\"filename\" \"note.txt\")) NIL NIL) \"mixed\" (\"boundary\" \"----=_MIME_BOUNDARY_000_3090\") NIL NIL NIL)"
        );
        assert_eq!(
            body_structure(REPORT, &p, false),
            "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 22 0)(\"text\" \"plain\" (\"name\" \"note.txt\" \"charset\" \"us-ascii\") NIL \"note.txt\" \"BASE64\" 34 1) \"mixed\")"
        );
    }

    #[test]
    fn sections_as_in_fetch_txt() {
        assert_eq!(section(REPORT, &[1], &SectionText::All), b"See the attached note.");
        assert_eq!(section(REPORT, &[1, 1], &SectionText::All), b"See the attached note.");
        assert_eq!(section(REPORT, &[1], &SectionText::Mime), b"Content-Type: text/plain\r\n\r\n");
        assert_eq!(section(REPORT, &[2], &SectionText::Mime).len(), 165);
        assert_eq!(section(REPORT, &[2], &SectionText::All), b"aGVsbG8gYXR0YWNobWVudCBjb250ZW50\r\n");
        assert_eq!(section(REPORT, &[2], &SectionText::Header), b"");
        assert_eq!(section(REPORT, &[3], &SectionText::All), b"");
        let names = vec!["Content-Type".into(), "MIME-Version".into()];
        assert_eq!(
            section(REPORT, &[], &SectionText::HeaderFields { not: false, names }),
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"----=_MIME_BOUNDARY_000_3090\"\r\n\r\n"
        );
    }

    #[test]
    fn envelope_and_defaults() {
        let m = b"Date: Mon, 23 Nov 2026 07:59:15 +0000\r\nTo: alice@example.com\r\nFrom: dave@example.net\r\nSubject: Third message\r\nMessage-Id: <x@vm>\r\n\r\nShort one.\r\n\r\n\r\n";
        let (h, _) = split(m);
        assert_eq!(
            envelope(h),
            "(\"Mon, 23 Nov 2026 07:59:15 +0000\" \"Third message\" ((NIL NIL \"dave\" \"example.net\")) ((NIL NIL \"dave\" \"example.net\")) ((NIL NIL \"dave\" \"example.net\")) ((NIL NIL \"alice\" \"example.com\")) NIL NIL NIL \"<x@vm>\")"
        );
        assert_eq!(
            body_structure(m, &parse(m), true),
            "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 16 3 NIL NIL NIL NIL)"
        );
        // append.txt: a message of three octets and no header.
        assert_eq!(envelope(split(b"abc").0), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        // imap-session.txt (shared): a display name.
        let (h, _) = split(b"From: Sender <sender@example.net>\r\n\r\n");
        assert!(envelope(h).contains("((\"Sender\" NIL \"sender\" \"example.net\"))"));
    }

    #[test]
    fn hostile_structures_are_bounded() {
        let mut m = Vec::new();
        for i in 0..200 {
            m.extend_from_slice(format!("Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n").as_bytes());
        }
        let s = body_structure(&m, &parse(&m), true);
        assert!(s.len() < 10_000);
        let _ = section(
            &m,
            &[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            &SectionText::Text,
        );
        let _ = section(b"", &[], &SectionText::Header);
        let _ = parse(b"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n");
    }
}
