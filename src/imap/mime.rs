//! Message structure for FETCH: RFC 5322 header fields, MIME parts
//! (RFC 2045, RFC 2046 §5.1 multipart), and from them RFC 3501 §7.4.2's
//! ENVELOPE, BODY and BODYSTRUCTURE, and the octets of a `section`.
//!
//! Values are the raw header text (no RFC 2047 decoding: IMAP sends it as
//! is). Shapes follow Dovecot 2.3: a text part without a charset gets
//! `"charset" "us-ascii"` appended; the transfer encoding is written as
//! the header gives it; line counts count LF.

use super::parser::nstring;

/// The header of a message or part: up to and including the empty line.
pub fn split(raw: &[u8]) -> (&[u8], &[u8]) {
    if raw.starts_with(b"\r\n") {
        return raw.split_at(2);
    }
    match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => raw.split_at(i + 4),
        None => match raw.windows(2).position(|w| w == b"\n\n") {
            Some(i) => raw.split_at(i + 2),
            None => (raw, &raw[raw.len()..]),
        },
    }
}

/// The header fields, each as (name, the whole field's raw bytes with its
/// continuation lines and CRLF).
pub fn fields(header: &[u8]) -> Vec<(String, &[u8])> {
    let mut out: Vec<(String, &[u8])> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < header.len() {
        let end = header[i..].iter().position(|&b| b == b'\n').map_or(header.len(), |p| i + p + 1);
        let line = &header[i..end];
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if !continuation && i > start {
            push_field(&mut out, &header[start..i]);
            start = i;
        }
        i = end;
    }
    if i > start {
        push_field(&mut out, &header[start..i]);
    }
    out
}

fn push_field<'a>(out: &mut Vec<(String, &'a [u8])>, field: &'a [u8]) {
    if let Some(colon) = field.iter().position(|&b| b == b':') {
        let name = String::from_utf8_lossy(&field[..colon]).trim().to_string();
        if !name.is_empty() {
            out.push((name, field));
        }
    }
}

/// The unfolded value of the first field called `name` (case-insensitive).
pub fn value(header: &[u8], name: &str) -> Option<Vec<u8>> {
    fields(header).into_iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, f)| unfold(f))
}

/// A field's value: after the colon, CRLFs of folding removed, outer space trimmed.
fn unfold(field: &[u8]) -> Vec<u8> {
    let colon = field.iter().position(|&b| b == b':').map_or(0, |p| p + 1);
    let v: Vec<u8> = field[colon..].iter().copied().filter(|&b| b != b'\r' && b != b'\n').collect();
    let s = v.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(v.len());
    let e = v.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(s, |p| p + 1);
    v[s..e.max(s)].to_vec()
}

/// A `Content-Type`-like value: the main value and its parameters
/// (names lower-cased, values unquoted), RFC 2045 §5.1.
pub fn parse_params(v: &[u8]) -> (String, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(v);
    let mut parts = split_unquoted(&text, ';').into_iter();
    let main = parts.next().unwrap_or_default().trim().to_string();
    let params = parts
        .filter_map(|p| {
            let (k, val) = p.split_once('=')?;
            let val = val.trim();
            let val = val
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .map_or(val.to_string(), |x| x.replace("\\\"", "\"").replace("\\\\", "\\"));
            Some((k.trim().to_ascii_lowercase(), val))
        })
        .collect();
    (main, params)
}

/// Splits at `sep` outside double quotes.
fn split_unquoted(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for ch in s.chars() {
        if ch == sep && !quoted {
            out.push(String::new());
            continue;
        }
        if escaped {
            escaped = false;
        } else if ch == '\\' && quoted {
            escaped = true;
        } else if ch == '"' {
            quoted = !quoted;
        }
        if let Some(last) = out.last_mut() {
            last.push(ch);
        }
    }
    out
}

/// One MIME part: where its header and body are in the message, what it is, and its children.
#[derive(Debug, Clone)]
pub struct Part {
    /// Byte ranges into the message.
    pub header: (usize, usize),
    pub body: (usize, usize),
    pub kind: String,
    pub subtype: String,
    pub params: Vec<(String, String)>,
    /// Parts of a multipart.
    pub children: Vec<Part>,
    /// The message inside a message/rfc822 part.
    pub message: Option<Box<Part>>,
}

/// Bounds recursion on hostile input (multipart in multipart...).
const MAX_PART_DEPTH: usize = 20;

/// Parses the MIME structure of the bytes `raw[start..end]`.
pub fn parse(raw: &[u8]) -> Part {
    parse_at(raw, 0, raw.len(), false, 0)
}

fn parse_at(raw: &[u8], start: usize, end: usize, in_digest: bool, depth: usize) -> Part {
    let (h, _) = split(&raw[start..end]);
    let body_start = start + h.len();
    let (kind, subtype, params) = match value(h, "Content-Type") {
        Some(v) => {
            let (main, params) = parse_params(&v);
            match main.split_once('/') {
                Some((t, s)) if !t.trim().is_empty() && !s.trim().is_empty() => {
                    (t.trim().to_ascii_lowercase(), s.trim().to_ascii_lowercase(), params)
                }
                _ => default_type(in_digest),
            }
        }
        None => default_type(in_digest),
    };
    let mut part = Part {
        header: (start, body_start),
        body: (body_start, end),
        kind,
        subtype,
        params,
        children: Vec::new(),
        message: None,
    };
    if depth >= MAX_PART_DEPTH {
        return part;
    }
    if part.kind == "multipart" {
        if let Some(b) = part.params.iter().find(|(k, _)| k == "boundary").map(|(_, v)| v.clone()) {
            let digest = part.subtype == "digest";
            part.children = multipart_bodies(raw, body_start, end, b.as_bytes())
                .into_iter()
                .map(|(s, e)| parse_at(raw, s, e, digest, depth + 1))
                .collect();
        }
    } else if part.kind == "message" && part.subtype == "rfc822" {
        part.message = Some(Box::new(parse_at(raw, body_start, end, false, depth + 1)));
    }
    if part.kind == "text" && !part.params.iter().any(|(k, _)| k == "charset") {
        part.params.push(("charset".into(), "us-ascii".into()));
    }
    part
}

fn default_type(in_digest: bool) -> (String, String, Vec<(String, String)>) {
    if in_digest {
        ("message".into(), "rfc822".into(), Vec::new())
    } else {
        ("text".into(), "plain".into(), Vec::new())
    }
}

/// The byte ranges of the parts of a multipart body (RFC 2046 §5.1.1): the
/// CRLF before a delimiter belongs to the delimiter.
fn multipart_bodies(raw: &[u8], start: usize, end: usize, boundary: &[u8]) -> Vec<(usize, usize)> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let body = &raw[start..end];
    // Line starts where a delimiter line begins.
    let mut marks: Vec<(usize, usize, bool)> = Vec::new(); // (delimiter start incl. CRLF, after its line, is_close)
    let mut i = 0;
    while i < body.len() {
        let line_end = body[i..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| i + p + 1);
        if body[i..line_end].starts_with(&delim) {
            let close = body[i + delim.len()..line_end].starts_with(b"--");
            let crlf_before =
                if i >= 2 && &body[i - 2..i] == b"\r\n" { 2 } else { usize::from(i >= 1 && body[i - 1] == b'\n') };
            marks.push((i - crlf_before, line_end, close));
            if close {
                break;
            }
        }
        i = line_end;
    }
    marks.windows(2).filter(|w| !w[0].2).map(|w| (start + w[0].1, start + w[1].0.max(w[0].1))).collect()
}

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
