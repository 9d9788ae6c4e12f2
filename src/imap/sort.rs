//! SORT (RFC 5256 §3) with the display keys of SORT=DISPLAY (RFC 5957):
//! the sort program, with Dovecot 2.3's error texts
//! (tests/transcripts/imap/caps-sort.txt), and the order it puts messages in.
//!
//! Strings compare case-insensitively (ASCII; RFC 5256's `i;ascii-casemap`
//! for what the seed mail holds). Ties, and every key equal, leave messages
//! in message-number order: REVERSE turns one key round, not the tie-break.

use super::mime::{self, split};
use super::parser::{bad, Cursor, Fail, Parsed, Syntax};
use crate::mime::split_unquoted;
use crate::store::Message;
use std::cmp::Ordering;

/// What a sort key compares (RFC 5256 §3, RFC 5957 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Arrival,
    Cc,
    Date,
    From,
    Size,
    Subject,
    To,
    DisplayFrom,
    DisplayTo,
}

/// One key of the sort program, REVERSE or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub by: By,
    pub reverse: bool,
}

/// The sort program, at its `(`.
pub fn program(c: &mut Cursor) -> Parsed<Vec<SortKey>> {
    if !c.eat(b'(') {
        return bad(Syntax::InvalidSortArgument);
    }
    let mut keys = Vec::new();
    let mut reverse = false;
    loop {
        if c.eat(b')') {
            break;
        }
        let w = c.keyword();
        let by = match w.as_str() {
            "REVERSE" => {
                reverse = true;
                c.sp();
                continue;
            }
            "ARRIVAL" => By::Arrival,
            "CC" => By::Cc,
            "DATE" => By::Date,
            "FROM" => By::From,
            "SIZE" => By::Size,
            "SUBJECT" => By::Subject,
            "TO" => By::To,
            "DISPLAYFROM" => By::DisplayFrom,
            "DISPLAYTO" => By::DisplayTo,
            "" if c.at_end() => return bad(Syntax::MissingCloseParen),
            "" => return bad(Syntax::InvalidSortArgument),
            other => return Err(Fail::Bad(Syntax::UnknownSortArgument(other.to_string()))),
        };
        keys.push(SortKey { by, reverse });
        reverse = false;
        c.sp();
    }
    if reverse {
        return bad(Syntax::SortEndsWithReverse);
    }
    if keys.is_empty() {
        return bad(Syntax::EmptySortProgram);
    }
    Ok(keys)
}

/// A value a key sorts by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Number(i64),
    Text(String),
}

/// The first address of a field: its mailbox (local part), or for the
/// display keys its display name, else the whole address (RFC 5957 §3).
fn first_address(header: &[u8], field: &str, display: bool) -> String {
    let Some(v) = mime::value(header, field) else { return String::new() };
    let text = String::from_utf8_lossy(&v).into_owned();
    let Some(first) = split_unquoted(&text, ',').into_iter().map(|a| a.trim().to_string()).find(|a| !a.is_empty())
    else {
        return String::new();
    };
    let (name, spec) = match (first.rfind('<'), first.rfind('>')) {
        (Some(l), Some(r)) if l < r => {
            let n = first[..l].trim();
            (n.trim_matches('"').trim().to_string(), first[l + 1..r].trim().to_string())
        }
        _ => (String::new(), first.clone()),
    };
    let value = if display {
        if name.is_empty() {
            spec
        } else {
            name
        }
    } else {
        spec.rsplit_once('@').map_or(spec.clone(), |(local, _)| local.to_string())
    };
    value.to_ascii_lowercase()
}

/// The base subject (RFC 5256 §2.1), simplified to the forms mail clients
/// write: leading `Re:`, `Fw:`, `Fwd:` (with a `[blob]` before the colon)
/// and `[blob]`s, a trailing `(fwd)`, and `[Fwd: ...]` wrapping.
pub fn base_subject(s: &str) -> String {
    let mut s = s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    loop {
        let before = s.clone();
        while let Some(t) = s.strip_suffix("(fwd)") {
            s = t.trim_end().to_string();
        }
        loop {
            let t = s.trim_start();
            let lead = ["re", "fwd", "fw"].iter().find_map(|p| {
                let rest = t.strip_prefix(p)?.trim_start();
                let rest = match rest.strip_prefix('[') {
                    Some(r) => r.split_once(']')?.1.trim_start(),
                    None => rest,
                };
                rest.strip_prefix(':')
            });
            let blob =
                t.strip_prefix('[').and_then(|r| r.split_once(']')).map(|(_, r)| r).filter(|r| !r.trim().is_empty());
            match lead.or(blob) {
                Some(rest) => s = rest.trim_start().to_string(),
                None => break,
            }
        }
        if let Some(inner) = s.strip_prefix("[fwd:").and_then(|r| r.strip_suffix(']')) {
            s = inner.trim().to_string();
        }
        if s == before {
            return s;
        }
    }
}

/// The value of `by` for one message.
fn value(by: By, m: &Message) -> Value {
    let header = split(&m.raw).0;
    let text = |f: &str| mime::value(header, f).map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
    match by {
        By::Arrival => Value::Number(m.internal_date),
        By::Size => Value::Number(m.size() as i64),
        By::Date => Value::Number(sent_time(&text("Date")).unwrap_or(m.internal_date)),
        By::Subject => Value::Text(base_subject(&text("Subject"))),
        By::From => Value::Text(first_address(header, "From", false)),
        By::To => Value::Text(first_address(header, "To", false)),
        By::Cc => Value::Text(first_address(header, "Cc", false)),
        By::DisplayFrom => Value::Text(first_address(header, "From", true)),
        By::DisplayTo => Value::Text(first_address(header, "To", true)),
    }
}

/// A Date: header as seconds since the epoch, in UTC (RFC 5256 §3: the
/// sent date, adjusted to UTC); `None` when it cannot be read.
fn sent_time(date: &str) -> Option<i64> {
    let text = date.split_once(',').map_or(date, |(_, r)| r).trim();
    let w: Vec<&str> = text.split_whitespace().collect();
    let (day, mon, year, time) = (w.first()?, w.get(1)?, w.get(2)?, w.get(3)?);
    let spec = format!("{day}-{mon}-{year}");
    let midnight = super::parser::date(&mut Cursor::new(spec.as_bytes()))?;
    // Two-digit fields only: a hostile header cannot make the sums overflow.
    let hms: Vec<i64> =
        time.split(':').map(|x| x.parse().ok().filter(|v: &i64| (0..100).contains(v))).collect::<Option<_>>()?;
    let secs = hms.first()? * 3600 + hms.get(1)? * 60 + hms.get(2).copied().unwrap_or(0);
    let zone = w.get(4).and_then(|z| {
        let (sign, digits) = z.split_at_checked(1)?;
        let n: i64 = digits.parse().ok().filter(|_| digits.len() == 4)?;
        let off = (n / 100) * 3600 + (n % 100) * 60;
        Some(if sign == "-" { -off } else { off })
    });
    Some(midnight + secs - zone.unwrap_or(0))
}

/// Sorts `(message number, message)` pairs by the program; ties keep
/// message-number order.
pub fn sort(program: &[SortKey], msgs: &mut [(u32, &Message)]) {
    let mut keyed: Vec<(Vec<Value>, u32, usize)> =
        msgs.iter().enumerate().map(|(i, (n, m))| (program.iter().map(|k| value(k.by, m)).collect(), *n, i)).collect();
    keyed.sort_by(|a, b| {
        for (i, k) in program.iter().enumerate() {
            let o = a.0[i].cmp(&b.0[i]);
            let o = if k.reverse { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.1.cmp(&b.1)
    });
    let order: Vec<(u32, &Message)> = keyed.iter().map(|k| msgs[k.2]).collect();
    msgs.copy_from_slice(&order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::parser::{bad_text, text};

    fn p(s: &str) -> Result<Vec<SortKey>, String> {
        text(program(&mut Cursor::new(s.as_bytes())))
    }

    // Texts: tests/transcripts/imap/caps-sort.txt.
    #[test]
    fn programs_and_their_errors() {
        assert_eq!(
            p("(REVERSE DATE SUBJECT)").unwrap(),
            [SortKey { by: By::Date, reverse: true }, SortKey { by: By::Subject, reverse: false }]
        );
        assert_eq!(p("(FOO)"), bad_text("Unknown sort argument: FOO"));
        assert_eq!(p("SUBJECT"), bad_text("Invalid sort argument"));
        assert_eq!(p("(REVERSE)"), bad_text("Sort list ends with REVERSE"));
        assert_eq!(p("()"), bad_text("Empty sort program"));
        assert_eq!(p("(SUBJECT"), bad_text("Missing ')'"));
    }

    #[test]
    fn base_subjects() {
        assert_eq!(base_subject("Re: Fwd: [list] Hello  world (fwd)"), "hello world");
        assert_eq!(base_subject("[Fwd: Re: Report]"), "report");
        assert_eq!(base_subject("RE [x]: [y]"), "[y]");
        assert_eq!(base_subject(""), "");
    }

    #[test]
    fn dates_and_addresses() {
        assert_eq!(sent_time("Mon, 23 Nov 2026 07:59:15 +0100"), Some(1_795_420_755 - 3600));
        assert_eq!(sent_time("garbage"), None);
        assert_eq!(sent_time("1 Jan 2020 99999999999999999:00:00 +0000"), None);
        assert_eq!(sent_time("1 Jan 2020 00:00:00 +99999999999999999").map(|t| t % 86_400), Some(0));
        let h = b"From: \"Carol C\" <carol@example.net>, dave@example.net\r\nTo: bob@example.com\r\n";
        assert_eq!(first_address(h, "From", false), "carol");
        assert_eq!(first_address(h, "From", true), "carol c");
        assert_eq!(first_address(h, "To", true), "bob@example.com");
        assert_eq!(first_address(h, "Cc", false), "");
    }
}
