//! SEARCH (RFC 3501 §6.4.4): search keys, parsed with Dovecot's error
//! texts, and matched against one message.
//!
//! String matches are case-insensitive substring matches on the raw header
//! values and body (no MIME decoding). Dates compare days in UTC, the
//! server's zone. Nesting is bounded by [`super::parser::MAX_DEPTH`].

use super::mime;
use super::parser::{bad, date, seq_set, uid_set, Cursor, Fail, FlagArg, Parsed, SeqSet, Syntax, MAX_DEPTH};
use crate::sim::Timestamp;
use crate::store::{Flag, Message};

/// One search key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    All,
    Flag(FlagArg, bool),
    New,
    Old,
    /// Header field contains (FROM, TO, CC, BCC, SUBJECT, HEADER name).
    Header(String, Vec<u8>),
    Body(Vec<u8>),
    Text(Vec<u8>),
    /// Internal date: BEFORE, ON, SINCE (day starts).
    Before(Timestamp),
    On(Timestamp),
    Since(Timestamp),
    /// Date: header: SENTBEFORE, SENTON, SENTSINCE.
    SentBefore(Timestamp),
    SentOn(Timestamp),
    SentSince(Timestamp),
    Larger(u32),
    Smaller(u32),
    /// WITHIN (RFC 5032): the internal date is at most (YOUNGER) or more
    /// than (OLDER) this many seconds before now.
    Younger(u32),
    Older(u32),
    Seq(SeqSet),
    Uid(SeqSet),
    Not(Box<Key>),
    Or(Box<Key>, Box<Key>),
    And(Vec<Key>),
}

/// What a key is matched against.
pub struct Candidate<'a> {
    pub seq: u32,
    pub msg: &'a Message,
    pub recent: bool,
    /// The largest message number and UID, for `*`.
    pub max_seq: u32,
    pub max_uid: u32,
    /// The server's clock, for YOUNGER and OLDER.
    pub now: Timestamp,
}

/// What `SEARCH RETURN (...)` asks for (ESEARCH, RFC 4731 §3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Return {
    pub min: bool,
    pub max: bool,
    pub all: bool,
    pub count: bool,
}

/// `RETURN (options)` before the search keys, if there is one (`RETURN`
/// not followed by a list is a search key, as Dovecot reads it). An empty
/// list means ALL (RFC 4731 §3.1).
pub fn parse_return(c: &mut Cursor) -> Parsed<Option<Return>> {
    let save = c.pos;
    if !(c.keyword() == "RETURN" && c.sp() && c.eat(b'(')) {
        c.pos = save;
        return Ok(None);
    }
    let mut r = Return::default();
    loop {
        if c.eat(b')') {
            break;
        }
        match c.keyword().as_str() {
            "MIN" => r.min = true,
            "MAX" => r.max = true,
            "ALL" => r.all = true,
            "COUNT" => r.count = true,
            "" if c.at_end() => return bad(Syntax::MissingCloseParen),
            _ => return bad(Syntax::UnknownSearchReturnOption),
        }
        c.sp();
    }
    if r == Return::default() {
        r.all = true;
    }
    // The keys may follow the list without a space (`RETURN (COUNT)(ALL)`).
    c.sp();
    if c.at_end() {
        return bad(Syntax::MissingSearchParameters);
    }
    Ok(Some(r))
}

/// The ESEARCH response (RFC 4731 §3.1) for the hits of a search, in
/// Dovecot's order: MIN, MAX, ALL, COUNT; MIN, MAX and ALL only when
/// something matched, COUNT always.
pub fn esearch(tag: &str, uid: bool, r: Return, hits: &[u32], set: impl Fn(&[u32]) -> String) -> String {
    let mut line = format!("* ESEARCH (TAG \"{tag}\")");
    if uid {
        line.push_str(" UID");
    }
    if let (Some(min), Some(max)) = (hits.iter().min(), hits.iter().max()) {
        if r.min {
            line.push_str(&format!(" MIN {min}"));
        }
        if r.max {
            line.push_str(&format!(" MAX {max}"));
        }
        if r.all {
            line.push_str(&format!(" ALL {}", set(hits)));
        }
    }
    if r.count {
        line.push_str(&format!(" COUNT {}", hits.len()));
    }
    line
}

/// Parses a SEARCH command's arguments: `[CHARSET name] key...`.
/// Returns the keys, or a BAD text; `Ok(None)` for an unknown charset.
pub fn parse(c: &mut Cursor) -> Parsed<Option<Key>> {
    if c.at_end() {
        return bad(Syntax::MissingSearchParameters);
    }
    let save = c.pos;
    if c.keyword() == "CHARSET" && c.sp() {
        let cs = c.astring()?.unwrap_or_default();
        let cs = String::from_utf8_lossy(&cs).to_ascii_uppercase();
        if !matches!(cs.as_str(), "UTF-8" | "US-ASCII") {
            return Ok(None);
        }
        if !c.sp() {
            return bad(Syntax::MissingSearchParameters);
        }
    } else {
        c.pos = save;
    }
    let mut keys = Vec::new();
    loop {
        keys.push(key(c, 0)?);
        if !c.sp() {
            break;
        }
        if c.at_end() {
            break;
        }
    }
    if c.peek() == Some(b')') {
        return bad(Syntax::UnexpectedCloseParen);
    }
    if !c.at_end() {
        return bad(Syntax::InvalidArguments);
    }
    Ok(Some(Key::And(keys)))
}

fn arg_string(c: &mut Cursor, name: &str) -> Parsed<Vec<u8>> {
    if !c.sp() {
        return Err(Fail::Bad(Syntax::MissingSearchKeyParameter(name.to_string())));
    }
    c.astring()?.ok_or_else(|| Fail::Bad(Syntax::MissingSearchKeyParameter(name.to_string())))
}

fn arg_date(c: &mut Cursor, name: &str) -> Parsed<Timestamp> {
    if !c.sp() {
        return Err(Fail::Bad(Syntax::MissingSearchKeyParameter(name.to_string())));
    }
    date(c).ok_or(Fail::Bad(Syntax::InvalidSearchDate))
}

fn arg_interval(c: &mut Cursor, name: &str) -> Parsed<u32> {
    if !c.sp() || c.at_end() {
        return Err(Fail::Bad(Syntax::MissingSearchKeyParameter(name.to_string())));
    }
    c.number().ok_or(Fail::Bad(Syntax::InvalidSearchInterval))
}

fn arg_number(c: &mut Cursor, name: &str) -> Parsed<u32> {
    if !c.sp() {
        return Err(Fail::Bad(Syntax::MissingSearchKeyParameter(name.to_string())));
    }
    c.number().ok_or(Fail::Bad(Syntax::InvalidSearchSize))
}

fn sub_key(c: &mut Cursor, depth: usize) -> Parsed<Key> {
    if !c.sp() || c.at_end() {
        return bad(Syntax::MissingArgument);
    }
    key(c, depth + 1)
}

/// One search key (RFC 3501 §9 `search-key`).
fn key(c: &mut Cursor, depth: usize) -> Parsed<Key> {
    if depth > MAX_DEPTH {
        return bad(Syntax::TooDeepNesting);
    }
    if c.eat(b'(') {
        let mut keys = Vec::new();
        loop {
            keys.push(key(c, depth + 1)?);
            if c.eat(b')') {
                return Ok(Key::And(keys));
            }
            if !c.sp() {
                return bad(Syntax::MissingCloseParen);
            }
        }
    }
    if matches!(c.peek(), Some(b'*' | b'0'..=b'9')) {
        return seq_set(c).map(Key::Seq);
    }
    let word = c.keyword();
    use Flag::*;
    let flag = |f: Flag, on: bool| Ok(Key::Flag(FlagArg::System(f), on));
    match word.as_str() {
        "ALL" => Ok(Key::All),
        "ANSWERED" => flag(Answered, true),
        "UNANSWERED" => flag(Answered, false),
        "DELETED" => flag(Deleted, true),
        "UNDELETED" => flag(Deleted, false),
        "DRAFT" => flag(Draft, true),
        "UNDRAFT" => flag(Draft, false),
        "FLAGGED" => flag(Flagged, true),
        "UNFLAGGED" => flag(Flagged, false),
        "SEEN" => flag(Seen, true),
        "UNSEEN" => flag(Seen, false),
        "RECENT" => Ok(Key::Flag(FlagArg::Recent, true)),
        "NEW" => Ok(Key::New),
        "OLD" => Ok(Key::Old),
        "KEYWORD" | "UNKEYWORD" => {
            let k = arg_string(c, &word)?;
            Ok(Key::Flag(FlagArg::Keyword(String::from_utf8_lossy(&k).into_owned()), word == "KEYWORD"))
        }
        "FROM" | "TO" | "CC" | "BCC" | "SUBJECT" => {
            let v = arg_string(c, &word)?;
            Ok(Key::Header(word.clone(), v))
        }
        "HEADER" => {
            let name = arg_string(c, &word)?;
            let v = arg_string(c, &word)?;
            Ok(Key::Header(String::from_utf8_lossy(&name).into_owned(), v))
        }
        "BODY" => arg_string(c, &word).map(Key::Body),
        "TEXT" => arg_string(c, &word).map(Key::Text),
        "BEFORE" => arg_date(c, &word).map(Key::Before),
        "ON" => arg_date(c, &word).map(Key::On),
        "SINCE" => arg_date(c, &word).map(Key::Since),
        "SENTBEFORE" => arg_date(c, &word).map(Key::SentBefore),
        "SENTON" => arg_date(c, &word).map(Key::SentOn),
        "SENTSINCE" => arg_date(c, &word).map(Key::SentSince),
        "LARGER" => arg_number(c, &word).map(Key::Larger),
        "SMALLER" => arg_number(c, &word).map(Key::Smaller),
        "YOUNGER" => arg_interval(c, &word).map(Key::Younger),
        "OLDER" => arg_interval(c, &word).map(Key::Older),
        "UID" => {
            if !c.sp() {
                return Err(Fail::Bad(Syntax::MissingSearchKeyParameter("UID".into())));
            }
            uid_set(c, Syntax::InvalidUidMessageset).map(Key::Uid)
        }
        "NOT" => Ok(Key::Not(Box::new(sub_key(c, depth)?))),
        "OR" => {
            let a = sub_key(c, depth)?;
            let b = sub_key(c, depth)?;
            Ok(Key::Or(Box::new(a), Box::new(b)))
        }
        "" => bad(Syntax::MissingArgument),
        other => Err(Fail::Bad(Syntax::UnknownArgument(other.to_string()))),
    }
}

/// Keywords a search names (Dovecot adds them to the mailbox's list).
pub fn keywords(k: &Key, out: &mut Vec<String>) {
    match k {
        Key::Flag(FlagArg::Keyword(w), _) => out.push(w.clone()),
        Key::Not(a) => keywords(a, out),
        Key::Or(a, b) => {
            keywords(a, out);
            keywords(b, out);
        }
        Key::And(v) => v.iter().for_each(|x| keywords(x, out)),
        _ => {}
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let lower = |b: &[u8]| b.to_ascii_lowercase();
    let (h, n) = (lower(hay), lower(needle));
    h.windows(n.len()).any(|w| w == n.as_slice())
}

/// The day (as its first second) of a Date: header, read loosely: `[Day, ] D Mon YYYY`.
fn sent_day(raw: &[u8]) -> Option<Timestamp> {
    let v = mime::value(mime::split(raw).0, "Date")?;
    let text = String::from_utf8_lossy(&v).into_owned();
    let text = text.split_once(',').map_or(text.as_str(), |(_, r)| r).trim().to_string();
    let mut w = text.split_whitespace();
    let spec = format!("{}-{}-{}", w.next()?, w.next()?, w.next()?);
    date(&mut Cursor::new(spec.as_bytes()))
}

/// True when the candidate matches the key.
pub fn matches(k: &Key, m: &Candidate) -> bool {
    let day = |t: Timestamp| t.div_euclid(86_400) * 86_400;
    match k {
        Key::All => true,
        Key::Flag(FlagArg::System(f), on) => m.msg.flags.contains(*f) == *on,
        Key::Flag(FlagArg::Recent, on) => m.recent == *on,
        Key::Flag(FlagArg::Keyword(w), on) => m.msg.keywords.iter().any(|x| x.eq_ignore_ascii_case(w)) == *on,
        Key::New => m.recent && !m.msg.flags.contains(Flag::Seen),
        Key::Old => !m.recent,
        Key::Header(name, v) => {
            let (h, _) = mime::split(&m.msg.raw);
            mime::fields(h)
                .iter()
                .any(|(n, f)| n.eq_ignore_ascii_case(name) && contains(f.get(n.len() + 1..).unwrap_or_default(), v))
        }
        Key::Body(v) => contains(mime::split(&m.msg.raw).1, v),
        Key::Text(v) => contains(&m.msg.raw, v),
        Key::Before(d) => day(m.msg.internal_date) < *d,
        Key::On(d) => day(m.msg.internal_date) == *d,
        Key::Since(d) => day(m.msg.internal_date) >= *d,
        Key::SentBefore(d) => sent_day(&m.msg.raw).is_some_and(|s| s < *d),
        Key::SentOn(d) => sent_day(&m.msg.raw) == Some(*d),
        Key::SentSince(d) => sent_day(&m.msg.raw).is_some_and(|s| s >= *d),
        Key::Larger(n) => m.msg.size() > *n as usize,
        Key::Smaller(n) => m.msg.size() < *n as usize,
        Key::Younger(n) => m.now.saturating_sub(m.msg.internal_date) <= Timestamp::from(*n),
        Key::Older(n) => m.now.saturating_sub(m.msg.internal_date) > Timestamp::from(*n),
        Key::Seq(s) => s.contains(m.seq, m.max_seq),
        Key::Uid(s) => s.contains(m.msg.uid, m.max_uid),
        Key::Not(a) => !matches(a, m),
        Key::Or(a, b) => matches(a, m) || matches(b, m),
        Key::And(v) => v.iter().all(|x| matches(x, m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::parser::{bad_text, text};
    use std::collections::BTreeSet;

    fn p(s: &str) -> Parsed<Option<Key>> {
        parse(&mut Cursor::new(s.as_bytes()))
    }

    fn msg(raw: &[u8], flags: &[Flag], date: Timestamp) -> Message {
        Message {
            uid: 7,
            flags: flags.iter().copied().collect(),
            keywords: BTreeSet::new(),
            internal_date: date,
            raw: raw.to_vec(),
        }
    }

    // Texts: tests/transcripts/imap/search.txt and syntax.txt.
    #[test]
    fn errors_have_dovecots_texts() {
        assert_eq!(text(p("")), bad_text("Missing search parameters"));
        assert_eq!(text(p("FROM")), bad_text("Missing parameter for search key (for search key: FROM)"));
        assert_eq!(text(p("OR SEEN")), bad_text("Missing argument"));
        assert_eq!(text(p("NOT")), bad_text("Missing argument"));
        assert_eq!(text(p("NOSUCHKEY")), bad_text("Unknown argument NOSUCHKEY"));
        assert_eq!(text(p("SINCE 1-Foo-2020")), bad_text("Invalid search date parameter"));
        assert_eq!(p("CHARSET FOO FROM x"), Ok(None));
        assert!(p("CHARSET UTF-8 FROM sender").unwrap().is_some());
        assert!(p(&format!("{}ALL{}", "(".repeat(20), ")".repeat(20))).is_ok());
        assert_eq!(text(p(&format!("{}ALL{}", "(".repeat(500), ")".repeat(500)))), bad_text("Too deep nesting"));
        assert_eq!(text(p("(SEEN")), bad_text("Missing ')'"));
    }

    fn r(s: &str) -> Result<Option<Return>, String> {
        text(parse_return(&mut Cursor::new(s.as_bytes())))
    }

    // Texts: tests/transcripts/imap/caps-esearch-within.txt.
    #[test]
    fn return_options_and_esearch() {
        let all = Return { all: true, ..Return::default() };
        assert_eq!(r("RETURN () ALL"), Ok(Some(all)));
        assert_eq!(r("RETURN ALL"), Ok(None), "a search key then");
        assert_eq!(r("RETURN (COUNT)(ALL)").unwrap().map(|x| x.count), Some(true));
        assert_eq!(r("RETURN (FOO) ALL"), bad_text("Unknown SEARCH return option"));
        assert_eq!(r("RETURN (MIN"), bad_text("Missing ')'"));
        assert_eq!(r("RETURN (MIN)"), bad_text("Missing search parameters"));
        let every = Return { min: true, max: true, all: true, count: true };
        let set = |h: &[u32]| h.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        assert_eq!(
            esearch("s3", false, every, &[1, 2, 3], set),
            "* ESEARCH (TAG \"s3\") MIN 1 MAX 3 ALL 1,2,3 COUNT 3"
        );
        assert_eq!(esearch("s7b", true, every, &[], set), "* ESEARCH (TAG \"s7b\") UID COUNT 0");
        assert_eq!(text(p("YOUNGER")), bad_text("Missing parameter for search key (for search key: YOUNGER)"));
        assert_eq!(text(p("OLDER x")), bad_text("Invalid search interval parameter"));
    }

    #[test]
    fn keys_match() {
        let m = msg(b"From: carol@example.net\r\nSubject: Report\r\nDate: Mon, 23 Nov 2026 07:59:15 +0000\r\n\r\nSee the attached note.\r\n", &[Flag::Seen], 1_795_420_755);
        let cand = Candidate { seq: 2, msg: &m, recent: true, max_seq: 3, max_uid: 9, now: 1_795_420_755 + 100 };
        let yes = |s: &str| matches(&p(s).unwrap().unwrap(), &cand);
        assert!(yes("FROM CAROL") && !yes("FROM dave"));
        assert!(
            yes("OR FROM dave FROM carol") && yes("NOT UNSEEN") && yes("SEEN RECENT") && !yes("NEW") && !yes("OLD")
        );
        assert!(yes("BODY attached") && !yes("BODY Report") && yes("TEXT Report"));
        assert!(
            yes("SINCE 1-Jan-2020") && !yes("BEFORE 1-Jan-2020") && yes("ON 23-Nov-2026") && yes("SENTON 23-Nov-2026")
        );
        assert!(yes("2:*") && !yes("1") && yes("*:1") && yes("UID 7") && !yes("UID 8:*"));
        assert!(yes("LARGER 10") && !yes("SMALLER 10") && yes("HEADER Subject Report") && yes("(SEEN) (FROM carol)"));
        assert!(yes("UNKEYWORD $Forwarded") && !yes("KEYWORD $Forwarded"));
        assert!(yes("YOUNGER 100") && !yes("YOUNGER 99") && yes("OLDER 99") && !yes("OLDER 100"));
    }
}
