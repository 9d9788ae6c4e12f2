//! IMAP4rev1 wire syntax (RFC 3501 §9), read the way Dovecot 2.3 reads it.
//!
//! A [`Cursor`] walks one command: its bytes as they came over the wire,
//! literals included (`{n}` CRLF and n octets, RFC 3501 §4.3; `{n+}` is
//! RFC 7888 LITERAL+). The framing in the session assembles that; when the
//! command so far ends with a literal whose octets have not arrived yet, a
//! read stops with [`Fail::NeedLiteral`], so that the session can refuse a
//! bad command before the client sends its literal, as Dovecot does.
//!
//! Errors carry Dovecot's texts (`Missing ')'`, `Invalid messageset`...), the
//! part after `Error in IMAP command NAME: `.

use crate::sim::{days_from_civil, Timestamp, MONTHS};

/// A syntax error in a command; the text is Dovecot 2.3's, sent as
/// `tag BAD Error in IMAP command NAME: text`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Syntax {
    #[error("Invalid arguments")]
    InvalidArguments,
    #[error("Missing argument")]
    MissingArgument,
    #[error("Missing arguments")]
    MissingArguments,
    #[error("Invalid escape in quoted string")]
    InvalidEscape,
    #[error("Missing '\"'")]
    MissingQuote,
    #[error("Invalid literal size")]
    InvalidLiteralSize,
    #[error("Literal truncated")]
    LiteralTruncated,
    #[error("Missing CRLF after literal")]
    MissingCrlfAfterLiteral,
    #[error("Missing ')'")]
    MissingCloseParen,
    #[error("Unexpected ')'")]
    UnexpectedCloseParen,
    #[error("Too deep nesting")]
    TooDeepNesting,
    #[error("Invalid messageset")]
    InvalidMessageset,
    /// A UID command's set (`UID FETCH 0`, tests/transcripts/imap/uid-sets.txt).
    #[error("Invalid uidset")]
    InvalidUidset,
    /// SEARCH's `UID` key with a bad set (imap/uid-sets.txt).
    #[error("Invalid UID messageset")]
    InvalidUidMessageset,
    #[error("Invalid pattern")]
    InvalidPattern,
    /// A string in a flag list (imap/append-store-more.txt).
    #[error("Flags list contains non-atoms")]
    FlagsNonAtoms,
    /// APPEND with nothing after the mailbox (imap/append-store-more.txt).
    #[error("Missing message size")]
    MissingMessageSize,
    #[error("Invalid internal date")]
    InvalidInternalDate,
    /// `\` followed by this name is no system flag (`\RECENT` may not be set).
    #[error("Invalid system flag \\{0}")]
    InvalidSystemFlag(String),
    #[error("Invalid status item {0}")]
    InvalidStatusItem(String),
    #[error("Invalid BODY[..] section")]
    InvalidSection,
    #[error("Unknown parameter: {0}")]
    UnknownParameter(String),
    #[error("Missing search parameters")]
    MissingSearchParameters,
    #[error("Missing parameter for search key (for search key: {0})")]
    MissingSearchKeyParameter(String),
    #[error("Unknown argument {0}")]
    UnknownArgument(String),
    #[error("Invalid search date parameter")]
    InvalidSearchDate,
    /// LARGER/SMALLER with a non-number (Dovecot's `arg_new_size`,
    /// tests/transcripts/imap/search-more.txt).
    #[error("Invalid search size parameter")]
    InvalidSearchSize,
    #[error("Invalid search interval parameter")]
    InvalidSearchInterval,
    #[error("Unknown SEARCH return option")]
    UnknownSearchReturnOption,
    #[error("Unknown select options")]
    UnknownSelectOptions,
    #[error("Unknown return options")]
    UnknownReturnOptions,
    #[error("Invalid sort argument")]
    InvalidSortArgument,
    #[error("Unknown sort argument: {0}")]
    UnknownSortArgument(String),
    #[error("Sort list ends with REVERSE")]
    SortEndsWithReverse,
    #[error("Empty sort program")]
    EmptySortProgram,
    #[error("Invalid BODY[..] parameter: Missing '['")]
    BodyMissingBracket,
    /// RFC822 followed by a suffix that is not .HEADER, .SIZE or .TEXT
    /// (Dovecot's wording has no colon here).
    #[error("Unknown parameter {0}")]
    UnknownRfc822Parameter(String),
    #[error("FETCH list is empty")]
    FetchListEmpty,
    /// Any fetch modifier (RFC 4466 §2.4): mailsim offers none
    /// (imap/fetch-modifiers.txt).
    #[error("Unknown FETCH modifier")]
    UnknownFetchModifier,
    #[error("Empty status list")]
    EmptyStatusList,
    #[error("Extra arguments")]
    ExtraArguments,
}

/// Why a command could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    /// A syntax error.
    Bad(Syntax),
    /// The command so far ends with a literal whose octets are still to come.
    NeedLiteral { size: u64, plus: bool },
    /// The mailbox store refused a change (the selected mailbox is gone).
    Store(crate::store::StoreError),
}

pub type Parsed<T> = Result<T, Fail>;

pub fn bad<T>(why: Syntax) -> Parsed<T> {
    Err(Fail::Bad(why))
}

/// A parse result with its error as the text a client would see (for tests).
#[cfg(test)]
pub fn text<T>(r: Parsed<T>) -> Result<T, String> {
    r.map_err(|e| match e {
        Fail::Bad(s) => s.to_string(),
        Fail::NeedLiteral { size, plus } => format!("literal {size}{}", if plus { "+" } else { "" }),
        Fail::Store(e) => format!("store: {e:?}"),
    })
}

/// An expected error text (for tests).
#[cfg(test)]
pub fn bad_text<T>(text: &str) -> Result<T, String> {
    Err(text.to_string())
}

/// RFC 3501 §9 `atom-specials`, plus CTL and SP.
fn is_atom_char(b: u8) -> bool {
    b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

/// `ASTRING-CHAR`: an atom character or `]`.
fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

/// Deepest list nesting accepted (Dovecot's parser has a similar bound).
pub const MAX_DEPTH: usize = 100;

/// A reading position in one command.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    b: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Self { b, pos: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// What is left, for error texts.
    pub fn rest(&self) -> &'a [u8] {
        self.b.get(self.pos..).unwrap_or_default()
    }

    /// Consumes `c` if it is next.
    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes a case-insensitive keyword if it is next (not checking what follows).
    pub fn eat_word(&mut self, w: &str) -> bool {
        let n = w.len();
        match self.b.get(self.pos..self.pos + n) {
            Some(s) if s.eq_ignore_ascii_case(w.as_bytes()) => {
                self.pos += n;
                true
            }
            _ => false,
        }
    }

    /// One space between arguments (Dovecot also skips extra ones).
    pub fn sp(&mut self) -> bool {
        let start = self.pos;
        while self.eat(b' ') {}
        self.pos > start
    }

    /// Characters while `f` holds.
    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        &self.b[start..self.pos]
    }

    /// An atom (RFC 3501 §9 `atom`), as text.
    pub fn atom(&mut self) -> Option<String> {
        let a = self.take_while(is_atom_char);
        (!a.is_empty()).then(|| String::from_utf8_lossy(a).into_owned())
    }

    /// Characters of a fetch or search keyword: atom characters plus `[`, `]`,
    /// `<`, `>`, `.` stop at `[` so that `BODY[...]` splits.
    pub fn keyword(&mut self) -> String {
        let a = self.take_while(|b| is_atom_char(b) && b != b'[' && b != b'<');
        String::from_utf8_lossy(a).to_ascii_uppercase()
    }

    /// A quoted string (RFC 3501 §9 `quoted`), after the opening quote.
    fn quoted(&mut self) -> Parsed<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return bad(Syntax::MissingQuote),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c @ (b'"' | b'\\')) => {
                            out.push(c);
                            self.pos += 1;
                        }
                        _ => return bad(Syntax::InvalidEscape),
                    }
                }
                Some(b'\r' | b'\n') => return bad(Syntax::MissingQuote),
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A literal (RFC 3501 §4.3, RFC 7888), at its `{`.
    fn literal(&mut self) -> Parsed<Vec<u8>> {
        self.pos += 1;
        let digits = self.take_while(|b| b.is_ascii_digit());
        let size = std::str::from_utf8(digits).ok().and_then(|d| d.parse::<u64>().ok());
        let plus = self.eat(b'+');
        let Some(size) = size.filter(|_| self.eat(b'}')) else { return bad(Syntax::InvalidLiteralSize) };
        if self.at_end() {
            return Err(Fail::NeedLiteral { size, plus });
        }
        if !self.eat_word("\r\n") {
            return bad(Syntax::MissingCrlfAfterLiteral);
        }
        let n = usize::try_from(size).unwrap_or(usize::MAX);
        let Some(data) = self.b.get(self.pos..self.pos.saturating_add(n)) else { return bad(Syntax::LiteralTruncated) };
        self.pos += n;
        Ok(data.to_vec())
    }

    /// A `string`: quoted or literal.
    pub fn string(&mut self) -> Parsed<Option<Vec<u8>>> {
        match self.peek() {
            Some(b'"') => {
                self.pos += 1;
                self.quoted().map(Some)
            }
            Some(b'{') => self.literal().map(Some),
            _ => Ok(None),
        }
    }

    /// An `astring` (atom, `]` allowed, or string); `None` if there is none.
    pub fn astring(&mut self) -> Parsed<Option<Vec<u8>>> {
        if let Some(s) = self.string()? {
            return Ok(Some(s));
        }
        let a = self.take_while(is_astring_char);
        Ok((!a.is_empty()).then(|| a.to_vec()))
    }

    /// A `list-mailbox` (LIST patterns): like astring, `%` and `*` allowed.
    pub fn list_mailbox(&mut self) -> Parsed<Option<Vec<u8>>> {
        if let Some(s) = self.string()? {
            return Ok(Some(s));
        }
        let a = self.take_while(|b| is_astring_char(b) || b == b'%' || b == b'*');
        Ok((!a.is_empty()).then(|| a.to_vec()))
    }

    /// A `number` (RFC 3501 §9: 32-bit unsigned).
    pub fn number(&mut self) -> Option<u32> {
        let d = self.take_while(|b| b.is_ascii_digit());
        std::str::from_utf8(d).ok()?.parse().ok()
    }

    /// The argument as text up to the next space or parenthesis (for error texts).
    pub fn word(&mut self) -> String {
        let w = self.take_while(|b| b != b' ' && b != b'(' && b != b')');
        String::from_utf8_lossy(w).into_owned()
    }
}

/// One end of a range in a sequence set: a number or `*` (RFC 3501 §9 `seq-number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqNum {
    Num(u32),
    Star,
}

/// A sequence set (RFC 3501 §9 `sequence-set`), of message numbers or UIDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeqSet(pub Vec<(SeqNum, SeqNum)>);

impl SeqSet {
    /// True when `n` is in the set; `star` is the value of `*` (the largest
    /// number or UID in the mailbox).
    pub fn contains(&self, n: u32, star: u32) -> bool {
        let v = |s: SeqNum| match s {
            SeqNum::Num(x) => x,
            SeqNum::Star => star,
        };
        self.0.iter().any(|&(a, b)| {
            let (lo, hi) = (v(a).min(v(b)), v(a).max(v(b)));
            (lo..=hi).contains(&n)
        })
    }

    /// The largest explicit number in the set (for range checks).
    pub fn max_number(&self) -> u32 {
        self.0
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter_map(|s| if let SeqNum::Num(n) = s { Some(n) } else { None })
            .max()
            .unwrap_or(0)
    }
}

/// Reads a sequence set; Dovecot calls every error `Invalid messageset`.
pub fn seq_set(c: &mut Cursor) -> Parsed<SeqSet> {
    let mut ranges = Vec::new();
    loop {
        let a = seq_num(c)?;
        let b = if c.eat(b':') { seq_num(c)? } else { a };
        ranges.push((a, b));
        if !c.eat(b',') {
            break;
        }
    }
    if c.peek().is_some_and(|b| b != b' ' && b != b')') {
        return bad(Syntax::InvalidMessageset);
    }
    Ok(SeqSet(ranges))
}

/// Reads a set of UIDs: the grammar of [`seq_set`], but Dovecot names the
/// error after what the set holds, `error` (`UID FETCH 0`: `Invalid uidset`;
/// the SEARCH key `UID 0`: `Invalid UID messageset`; imap/uid-sets.txt).
pub fn uid_set(c: &mut Cursor, error: Syntax) -> Parsed<SeqSet> {
    seq_set(c).map_err(|e| match e {
        Fail::Bad(Syntax::InvalidMessageset) => Fail::Bad(error),
        e => e,
    })
}

fn seq_num(c: &mut Cursor) -> Parsed<SeqNum> {
    if c.eat(b'*') {
        return Ok(SeqNum::Star);
    }
    match c.number() {
        Some(n) if n > 0 => Ok(SeqNum::Num(n)),
        _ => bad(Syntax::InvalidMessageset),
    }
}

/// A flag (RFC 3501 §9 `flag`): `\Seen` etc. or a keyword atom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagArg {
    System(crate::store::Flag),
    /// `\Recent` may be named (SEARCH), never set.
    Recent,
    Keyword(String),
}

/// Reads one flag; unknown `\Flags` are refused with Dovecot's text.
pub fn flag(c: &mut Cursor) -> Parsed<Option<FlagArg>> {
    use crate::store::Flag;
    let system = c.eat(b'\\');
    let Some(name) = c.atom() else {
        return if system { bad(Syntax::InvalidSystemFlag(String::new())) } else { Ok(None) };
    };
    if !system {
        return Ok(Some(FlagArg::Keyword(name)));
    }
    Ok(Some(match name.to_ascii_uppercase().as_str() {
        "SEEN" => FlagArg::System(Flag::Seen),
        "ANSWERED" => FlagArg::System(Flag::Answered),
        "FLAGGED" => FlagArg::System(Flag::Flagged),
        "DELETED" => FlagArg::System(Flag::Deleted),
        "DRAFT" => FlagArg::System(Flag::Draft),
        "RECENT" => FlagArg::Recent,
        other => return Err(Fail::Bad(Syntax::InvalidSystemFlag(other.to_string()))),
    }))
}

/// Reads flags: a parenthesised list, or (STORE) bare flags separated by spaces.
pub fn flag_list(c: &mut Cursor, allow_bare: bool) -> Parsed<Vec<FlagArg>> {
    let mut v = Vec::new();
    let paren = c.eat(b'(');
    if !paren && !allow_bare {
        return bad(Syntax::InvalidArguments);
    }
    while let Some(f) = flag(c)? {
        v.push(f);
        if !c.sp() {
            break;
        }
    }
    if c.peek() == Some(b'"') {
        // imap/append-store-more.txt: `STORE 1 +FLAGS ("quoted")`.
        return bad(Syntax::FlagsNonAtoms);
    }
    if paren && !c.eat(b')') {
        return bad(Syntax::MissingCloseParen);
    }
    Ok(v)
}

/// An RFC 3501 `date` (`1-Feb-1994`, optionally quoted), as the day's first second, UTC.
pub fn date(c: &mut Cursor) -> Option<Timestamp> {
    let quoted = c.eat(b'"');
    let s = c.take_while(|b| b.is_ascii_alphanumeric() || b == b'-');
    if quoted && !c.eat(b'"') {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    let mut parts = text.split('-');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.is_empty() || d.len() > 2 || y.len() != 4 {
        return None;
    }
    let day: u32 = d.parse().ok()?;
    let month = MONTHS.iter().position(|x| x.eq_ignore_ascii_case(m))? as u32 + 1;
    let year: i64 = y.parse().ok()?;
    (1..=31).contains(&day).then(|| days_from_civil(year, month, day) * 86_400)
}

/// An RFC 3501 `date-time` (`"17-Jul-1996 02:44:25 -0700"`), as a timestamp.
pub fn date_time(s: &[u8]) -> Option<Timestamp> {
    let text = std::str::from_utf8(s).ok()?.trim_start();
    let (date_part, rest) = text.split_once(' ')?;
    let (time, zone) = rest.split_once(' ')?;
    let day = date(&mut Cursor::new(date_part.as_bytes()))?;
    let hms: Vec<i64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms[..] else { return None };
    if time.len() != 8 || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let (sign, z) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    if z.len() != 4 || !z.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let zh: i64 = z[..2].parse().ok()?;
    let zm: i64 = z[2..].parse().ok()?;
    Some(day + h * 3600 + m * 60 + sec - sign * (zh * 3600 + zm * 60))
}

/// The trailing literal of a line (`{12}` or `{12+}`), if it ends with one.
pub fn trailing_literal(line: &[u8]) -> Option<(u64, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let spec = &inner[open + 1..];
    let (digits, plus) = match spec.strip_suffix(b"+") {
        Some(d) => (d, true),
        None => (spec, false),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((std::str::from_utf8(digits).ok()?.parse().ok()?, plus))
}

/// Writes bytes as an IMAP string: quoted when it can be, else a literal
/// (RFC 3501 §4.3); NIL for `None`.
pub fn nstring(s: Option<&[u8]>) -> String {
    match s {
        None => "NIL".into(),
        Some(b) if b.iter().any(|&c| c == b'\r' || c == b'\n' || c >= 0x80 || c == 0) => {
            format!("{{{}}}\r\n{}", b.len(), String::from_utf8_lossy(b))
        }
        Some(b) => {
            let mut out = String::with_capacity(b.len() + 2);
            out.push('"');
            for &c in b {
                if c == b'"' || c == b'\\' {
                    out.push('\\');
                }
                out.push(c as char);
            }
            out.push('"');
            out
        }
    }
}

/// Writes a mailbox name as Dovecot does: an atom when it is one, else quoted.
pub fn mailbox_name(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(is_atom_char) {
        name.to_string()
    } else {
        nstring(Some(name.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_atoms_and_literals() {
        let mut c = Cursor::new(b"alice \"a \\\"b\\\\\" {3}\r\nxyz {2+}");
        assert_eq!(c.astring(), Ok(Some(b"alice".to_vec())));
        assert!(c.sp());
        assert_eq!(c.astring(), Ok(Some(b"a \"b\\".to_vec())));
        c.sp();
        assert_eq!(c.astring(), Ok(Some(b"xyz".to_vec())));
        c.sp();
        assert_eq!(c.astring(), Err(Fail::NeedLiteral { size: 2, plus: true }));
        assert_eq!(text(Cursor::new(b"\"open").astring()), bad_text("Missing '\"'"));
        assert_eq!(text(Cursor::new(b"{5}\r\nab").astring()), bad_text("Literal truncated"));
        assert_eq!(text(Cursor::new(b"{x}").astring()), bad_text("Invalid literal size"));
        assert_eq!(text(Cursor::new(b"{99999999999999999999999}").astring()), bad_text("Invalid literal size"));
    }

    #[test]
    fn sequence_sets() {
        let s = seq_set(&mut Cursor::new(b"1:3,5,7:*")).unwrap();
        assert!(s.contains(2, 9) && s.contains(5, 9) && s.contains(9, 9) && !s.contains(4, 9) && !s.contains(6, 9));
        assert!(seq_set(&mut Cursor::new(b"3:1")).unwrap().contains(2, 3));
        for bad_set in [&b"0"[..], b"x", b"1:", b"1,", b"1x", b"99999999999"] {
            assert_eq!(text(seq_set(&mut Cursor::new(bad_set))), bad_text("Invalid messageset"), "{bad_set:?}");
        }
        assert_eq!(seq_set(&mut Cursor::new(b"2,9")).unwrap().max_number(), 9);
    }

    #[test]
    fn flags_and_their_errors() {
        use crate::store::Flag;
        let mut c = Cursor::new(b"(\\Seen $Forwarded \\recent)");
        assert_eq!(
            flag_list(&mut c, false),
            Ok(vec![FlagArg::System(Flag::Seen), FlagArg::Keyword("$Forwarded".into()), FlagArg::Recent])
        );
        // append.txt: `Invalid system flag \FOO`.
        assert_eq!(text(flag_list(&mut Cursor::new(b"(\\Seen \\Foo)"), false)), bad_text("Invalid system flag \\FOO"));
        assert_eq!(text(flag_list(&mut Cursor::new(b"(\\Seen"), false)), bad_text("Missing ')'"));
        assert_eq!(flag_list(&mut Cursor::new(b"\\Seen"), true), Ok(vec![FlagArg::System(Flag::Seen)]));
    }

    #[test]
    fn dates() {
        assert_eq!(date(&mut Cursor::new(b"1-Jan-1970")), Some(0));
        assert_eq!(date(&mut Cursor::new(b"\"02-jan-1970\"")), Some(86_400));
        assert_eq!(date(&mut Cursor::new(b"1-Foo-2020")), None);
        assert_eq!(date(&mut Cursor::new(b"32-Jan-2020")), None);
        // append.txt: "1-Jan-2020 10:00:00 +0100" is shown as 01-Jan-2020 09:00:00 +0000.
        assert_eq!(
            date_time(b"1-Jan-2020 10:00:00 +0100").map(crate::sim::imap_date_time),
            Some("01-Jan-2020 09:00:00 +0000".into())
        );
        assert_eq!(date_time(b"bad date"), None);
        assert_eq!(date_time(b"1-Jan-2020 25:00:00 +0000"), None);
    }

    #[test]
    fn trailing_literals_and_output_strings() {
        assert_eq!(trailing_literal(b"a LOGIN {5}"), Some((5, false)));
        assert_eq!(trailing_literal(b"a APPEND INBOX {22+}"), Some((22, true)));
        assert_eq!(trailing_literal(b"a NOOP {}"), None);
        assert_eq!(trailing_literal(b"a NOOP"), None);
        assert_eq!(nstring(Some(b"a\"b")), "\"a\\\"b\"");
        assert_eq!(nstring(None), "NIL");
        assert_eq!(nstring(Some("é".as_bytes())), "{2}\r\né");
        assert_eq!(mailbox_name("Sent Items"), "\"Sent Items\"");
        assert_eq!(mailbox_name("INBOX"), "INBOX");
    }
}
