//! FETCH data items (RFC 3501 §6.4.5, §7.4.2): parsing, with Dovecot's
//! error texts, and the response for one message.

use super::mime::{self, SectionText};
use super::parser::{bad, nstring, Cursor, Fail, Parsed, Syntax};
use crate::sim::imap_date_time;
use crate::store::Message;

/// A `BODY[section]<partial>` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub path: Vec<u32>,
    pub text: SectionText,
    pub partial: Option<(u32, u32)>,
    pub peek: bool,
    /// How the response names it: `BODY[...]`, `RFC822`, `RFC822.HEADER`, `RFC822.TEXT`.
    pub label: String,
}

/// One FETCH data item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Flags,
    Uid,
    InternalDate,
    Size,
    Envelope,
    /// BODY (false) or BODYSTRUCTURE (true).
    Structure(bool),
    Section(Section),
}

impl Item {
    /// True when fetching it sets `\Seen` (RFC 3501 §6.4.5: BODY[], RFC822, RFC822.TEXT).
    pub fn sets_seen(&self) -> bool {
        matches!(self, Item::Section(s) if !s.peek)
    }
}

/// Parses the items of a FETCH: a macro, one item, or a parenthesised list.
pub fn parse(c: &mut Cursor) -> Parsed<Vec<Item>> {
    if c.eat(b'(') {
        // `FETCH 1 ()` (imap/syntax-more.txt); RFC 3501 §9 wants one or more.
        if c.peek() == Some(b')') {
            return bad(Syntax::FetchListEmpty);
        }
        let mut v = Vec::new();
        loop {
            v.extend(item(c, false)?);
            if c.eat(b')') {
                break;
            }
            if c.at_end() {
                return bad(Syntax::MissingCloseParen);
            }
            if !c.sp() {
                return bad(Syntax::MissingCloseParen);
            }
            if c.eat(b')') {
                break;
            }
        }
        if c.peek() == Some(b')') {
            return bad(Syntax::UnexpectedCloseParen);
        }
        modifiers(c)?;
        // An attribute asked for twice is answered once (Dovecot:
        // `FETCH 1 (UID UID)` gives `(UID 1)`, imap/syntax-more.txt). Body
        // sections are left as they are: no recording shows them repeated.
        let mut seen = Vec::new();
        v.retain(|i| {
            let first = matches!(i, Item::Section(_)) || !seen.contains(i);
            if first {
                seen.push(i.clone());
            }
            first
        });
        return Ok(v);
    }
    let v = item(c, true)?;
    if c.peek() == Some(b')') {
        return bad(Syntax::UnexpectedCloseParen);
    }
    // RFC 3501 §6.4.5: one item, or a parenthesised list of them. Dovecot
    // refuses a second bare item (`FETCH 1 ENVELOPE FLAGS`: imap/syntax-more.txt).
    modifiers(c)?;
    Ok(v)
}

/// What may follow the items: nothing, or a list of fetch modifiers (RFC
/// 4466 §2.4). mailsim offers none (CONDSTORE's CHANGEDSINCE is not
/// advertised), and answers as Dovecot does (imap/fetch-modifiers.txt): a
/// word instead of a list is `Invalid arguments`, an unclosed list `Missing
/// ')'` (Dovecot reads the whole line's lists first), an empty one asks for
/// nothing, anything in it is an unknown modifier; after a closed list
/// Dovecot reads no further.
fn modifiers(c: &mut Cursor) -> Parsed<()> {
    if c.at_end() {
        return Ok(());
    }
    if !c.sp() || !c.eat(b'(') {
        return bad(Syntax::InvalidArguments);
    }
    let (mut depth, mut quoted, mut escaped) = (1usize, false, false);
    let mut len = 0;
    for &b in c.rest() {
        len += 1;
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
    if depth > 0 {
        return bad(Syntax::MissingCloseParen);
    }
    if len > 1 {
        return bad(Syntax::UnknownFetchModifier);
    }
    Ok(())
}

/// One fetch attribute. The macros ALL, FAST and FULL stand only alone
/// (`macros`), never inside a list (RFC 3501 §6.4.5, §9 `fetch`): Dovecot
/// calls `FETCH 1 (ALL)` an unknown parameter (imap/syntax-more.txt).
fn item(c: &mut Cursor, macros: bool) -> Parsed<Vec<Item>> {
    if matches!(c.peek(), Some(b'"' | b'{' | b'(') | None) {
        return bad(Syntax::InvalidArguments);
    }
    let w = c.keyword();
    let section = |label: &str, text: SectionText, peek: bool| {
        Item::Section(Section { path: vec![], text, partial: None, peek, label: label.into() })
    };
    if !macros && matches!(w.as_str(), "ALL" | "FAST" | "FULL") {
        return Err(Fail::Bad(Syntax::UnknownParameter(w)));
    }
    Ok(match w.as_str() {
        "ALL" => vec![Item::Flags, Item::InternalDate, Item::Size, Item::Envelope],
        "FAST" => vec![Item::Flags, Item::InternalDate, Item::Size],
        "FULL" => vec![Item::Flags, Item::InternalDate, Item::Size, Item::Envelope, Item::Structure(false)],
        "FLAGS" => vec![Item::Flags],
        "UID" => vec![Item::Uid],
        "INTERNALDATE" => vec![Item::InternalDate],
        "RFC822.SIZE" => vec![Item::Size],
        "ENVELOPE" => vec![Item::Envelope],
        "BODYSTRUCTURE" => vec![Item::Structure(true)],
        "RFC822" => vec![section("RFC822", SectionText::All, false)],
        "RFC822.HEADER" => vec![section("RFC822.HEADER", SectionText::Header, true)],
        "RFC822.TEXT" => vec![section("RFC822.TEXT", SectionText::Text, false)],
        "BODY" | "BODY.PEEK" if c.peek() == Some(b'[') => vec![Item::Section(body_section(c, w == "BODY.PEEK")?)],
        "BODY" => vec![Item::Structure(false)],
        // Dovecot's handlers are found by the name before the first `.`;
        // each then words its own refusal (imap/syntax-more.txt).
        "BODY.PEEK" => return bad(Syntax::BodyMissingBracket),
        _ if w.starts_with("RFC822.") => {
            let rest = c.word();
            return Err(Fail::Bad(Syntax::UnknownRfc822Parameter(format!("{w}{rest}"))));
        }
        _ => {
            let rest = c.word();
            return Err(Fail::Bad(Syntax::UnknownParameter(format!("{w}{rest}"))));
        }
    })
}

/// `[section]<partial>` after BODY or BODY.PEEK.
fn body_section(c: &mut Cursor, peek: bool) -> Parsed<Section> {
    let invalid = || Fail::Bad(Syntax::InvalidSection);
    c.eat(b'[');
    let mut path = Vec::new();
    while let Some(n) = c.peek().filter(u8::is_ascii_digit).and_then(|_| c.number()) {
        if n == 0 {
            return Err(invalid());
        }
        path.push(n);
        if !c.eat(b'.') {
            break;
        }
    }
    let word = c.keyword();
    let mut label_fields = String::new();
    let text = match word.as_str() {
        "" => SectionText::All,
        "HEADER" => SectionText::Header,
        "TEXT" => SectionText::Text,
        "MIME" if !path.is_empty() => SectionText::Mime,
        "HEADER.FIELDS" | "HEADER.FIELDS.NOT" => {
            if !c.eat(b' ') || !c.eat(b'(') {
                return Err(invalid());
            }
            let mut names = Vec::new();
            // The response repeats each name as it was sent, upper-cased, a
            // quoted one still quoted (RFC 3501 §7.4.2 `section`; Dovecot:
            // `HEADER.FIELDS ("Subject" x-mailer)`, imap/syntax-more.txt).
            let mut shown = Vec::new();
            loop {
                let quoted = c.peek() == Some(b'"');
                match c.astring()? {
                    Some(n) => {
                        let name = String::from_utf8_lossy(&n).to_ascii_uppercase();
                        shown.push(if quoted { nstring(Some(name.as_bytes())) } else { name.clone() });
                        names.push(name);
                    }
                    None => return Err(invalid()),
                }
                if c.eat(b')') {
                    break;
                }
                if !c.eat(b' ') {
                    return Err(invalid());
                }
            }
            label_fields = format!(" ({})", shown.join(" "));
            SectionText::HeaderFields { not: word.ends_with(".NOT"), names }
        }
        _ => return Err(invalid()),
    };
    if !c.eat(b']') {
        return Err(invalid());
    }
    let mut partial = None;
    if c.eat(b'<') {
        let start = c.number().ok_or_else(invalid)?;
        let len = if c.eat(b'.') { c.number().filter(|&n| n > 0).ok_or_else(invalid)? } else { u32::MAX };
        if !c.eat(b'>') {
            return Err(invalid());
        }
        partial = Some((start, len));
    }
    let mut spec: Vec<String> = path.iter().map(u32::to_string).collect();
    if !word.is_empty() {
        spec.push(word.clone());
    }
    let label = format!("BODY[{}{label_fields}]", spec.join("."));
    Ok(Section { path, text, partial, peek, label })
}

/// What the response needs besides the message.
pub struct Context<'a> {
    pub seq: u32,
    /// The flags as the session shows them (`\Recent` included).
    pub flags: &'a str,
}

/// The response to one FETCH for one message: `* n FETCH (...)`, literals
/// embedded with their CRLFs.
pub fn render(items: &[Item], msg: &Message, ctx: &Context) -> String {
    let parts: Vec<String> = items.iter().map(|i| render_item(i, msg, ctx)).collect();
    format!("* {} FETCH ({})", ctx.seq, parts.join(" "))
}

fn render_item(item: &Item, msg: &Message, ctx: &Context) -> String {
    match item {
        Item::Flags => format!("FLAGS ({})", ctx.flags),
        Item::Uid => format!("UID {}", msg.uid),
        Item::InternalDate => format!("INTERNALDATE \"{}\"", imap_date_time(msg.internal_date)),
        Item::Size => format!("RFC822.SIZE {}", msg.size()),
        Item::Envelope => format!("ENVELOPE {}", mime::envelope(mime::split(&msg.raw).0)),
        Item::Structure(ext) => {
            let name = if *ext { "BODYSTRUCTURE" } else { "BODY" };
            format!("{name} {}", mime::body_structure(&msg.raw, &mime::parse(&msg.raw), *ext))
        }
        Item::Section(s) => {
            let data = mime::section(&msg.raw, &s.path, &s.text);
            let (label, data) = match s.partial {
                Some((start, len)) => {
                    let from = (start as usize).min(data.len());
                    let to = from.saturating_add(len as usize).min(data.len());
                    (format!("{}<{start}>", s.label), &data[from..to])
                }
                None => (s.label.clone(), &data[..]),
            };
            format!("{label} {{{}}}\r\n{}", data.len(), String::from_utf8_lossy(data))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::parser::{bad_text, text};
    use std::collections::BTreeSet;

    fn p(s: &str) -> Parsed<Vec<Item>> {
        parse(&mut Cursor::new(s.as_bytes()))
    }

    // Texts: tests/transcripts/imap/errors.txt and syntax.txt.
    #[test]
    fn parse_errors_have_dovecots_texts() {
        assert_eq!(text(p("(FLAGS")), bad_text("Missing ')'"));
        assert_eq!(text(p("(FLAGS UID")), bad_text("Missing ')'"));
        assert_eq!(text(p("FLAGS)")), bad_text("Unexpected ')'"));
        assert_eq!(text(p("(NOSUCHITEM)")), bad_text("Unknown parameter: NOSUCHITEM"));
        assert_eq!(text(p("\"FLAGS\"")), bad_text("Invalid arguments"));
        assert_eq!(text(p("BODY[HEADER.FIELDS]")), bad_text("Invalid BODY[..] section"));
        assert_eq!(text(p("BODY[FOO]")), bad_text("Invalid BODY[..] section"));
        assert_eq!(text(p("BODY[MIME]")), bad_text("Invalid BODY[..] section"));
        assert_eq!(p("FAST").map(|v| v.len()), Ok(3));
    }

    #[test]
    fn sections_are_labelled_as_dovecot_answers() {
        let Ok(v) = p("(BODY.PEEK[HEADER.FIELDS (Subject from)] BODY[2.MIME] BODY[TEXT]<0.10> BODY)") else { panic!() };
        let labels: Vec<String> =
            v.iter().filter_map(|i| if let Item::Section(s) = i { Some(s.label.clone()) } else { None }).collect();
        assert_eq!(labels, ["BODY[HEADER.FIELDS (SUBJECT FROM)]", "BODY[2.MIME]", "BODY[TEXT]"]);
        assert!(!v[0].sets_seen() && v[1].sets_seen());
        assert_eq!(v[3], Item::Structure(false));
    }

    #[test]
    fn partial_fetches() {
        let m = Message {
            uid: 3,
            flags: Default::default(),
            keywords: BTreeSet::new(),
            internal_date: 0,
            raw: b"S: x\r\n\r\nShort one.\r\n\r\n\r\n".to_vec(),
        };
        let ctx = Context { seq: 3, flags: "" };
        // fetch.txt f25 and f11.
        let Ok(items) = p("(BODY[TEXT]<0.5> BODY[TEXT]<5.100>)") else { panic!() };
        assert_eq!(
            render(&items, &m, &ctx),
            "* 3 FETCH (BODY[TEXT]<0> {5}\r\nShort BODY[TEXT]<5> {11}\r\n one.\r\n\r\n\r\n)"
        );
        let Ok(items) = p("BODY[]<1000.10>") else { panic!() };
        assert_eq!(render(&items, &m, &ctx), "* 3 FETCH (BODY[]<1000> {0}\r\n)");
        let Ok(items) = p("(UID INTERNALDATE)") else { panic!() };
        assert_eq!(render(&items, &m, &ctx), "* 3 FETCH (UID 3 INTERNALDATE \"01-Jan-1970 00:00:00 +0000\")");
    }
}
