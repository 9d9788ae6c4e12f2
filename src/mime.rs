//! Internet messages as bytes: RFC 5322 header fields (split, unfolded
//! values) and the MIME part tree (RFC 2045 §5.1 parameters, RFC 2046 §5.1
//! multipart, message/rfc822). The bottom layer: IMAP's FETCH, SEARCH and the
//! mailbox view all read messages through it.
//!
//! Values are the raw header text (no RFC 2047 decoding). A text part without
//! a charset gets `charset=us-ascii`, as Dovecot 2.3 reports it.

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
pub fn split_unquoted(s: &str, sep: char) -> Vec<String> {
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
