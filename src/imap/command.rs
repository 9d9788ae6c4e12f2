//! Commands as types (RFC 3501 §6, §9): the parser turns a framed command
//! into a tag, a verb and the verb's arguments, so that the handlers match
//! on a [`Command`], not on bytes.
//!
//! A command is read in two steps, as Dovecot does: its [`Head`] (tag and
//! verb), then, once the session knows the verb is allowed in its state, the
//! arguments. So `FETCH x` without a mailbox is `No mailbox selected`, and
//! an unknown verb is refused before its literal is asked for. Errors are
//! [`Fail::Bad`] with Dovecot's texts, or [`Fail::NeedLiteral`].

use super::fetch::{self, Item};
use super::listext::{self, ListOptions};
use super::parser::{bad, date_time, flag_list, seq_set, uid_set, Cursor, Fail, FlagArg, Parsed, SeqSet, Syntax};
use super::search::{self, Key, Return};
use super::sort::{self, SortKey};
use crate::sim::Timestamp;
use crate::store::Flags;
use std::collections::BTreeSet;

/// One command with its parsed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Command {
    /// Any state (RFC 3501 §6.1).
    Capability,
    Noop,
    Logout,
    /// RFC 2971.
    Id,
    /// RFC 5161: the extensions asked for (none of mailsim's can be enabled).
    Enable,
    /// RFC 2342.
    Namespace,
    /// Not Authenticated (§6.2).
    StartTls,
    Login {
        user: Vec<u8>,
        pass: Vec<u8>,
    },
    Authenticate {
        mechanism: String,
        initial: Option<String>,
    },
    /// Authenticated (§6.3).
    Select {
        mailbox: String,
        read_only: bool,
    },
    Create {
        mailbox: String,
    },
    Delete {
        mailbox: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Subscribe {
        mailbox: String,
        on: bool,
    },
    /// `extended`: LIST-EXTENDED syntax (RFC 5258) was used, with these options.
    List {
        reference: Vec<u8>,
        patterns: Vec<Vec<u8>>,
        lsub: bool,
        extended: Option<ListOptions>,
    },
    /// `shown`: the name as the client spelled it, which Dovecot echoes in
    /// the STATUS response (`STATUS inbox`: imap/mailbox-names.txt).
    Status {
        mailbox: String,
        shown: String,
        items: Vec<String>,
    },
    /// Dovecot checks the mailbox before reading the rest (append.txt), so the
    /// rest's error, or its literal still to come, waits in `message`.
    Append {
        mailbox: String,
        message: Parsed<Append>,
        /// What Dovecot reads again as a new command line after a broken argument ([`append()`]).
        rest: Option<Vec<u8>>,
    },
    /// RFC 2177.
    Idle,
    /// Selected (§6.4).
    Check,
    Close,
    /// RFC 3691.
    Unselect,
    /// `uids`: UID EXPUNGE (RFC 4315 §2.1).
    Expunge {
        uids: Option<SeqSet>,
    },
    /// `key` is `None` for a CHARSET not known (`NO [BADCHARSET]`).
    /// `ret`: ESEARCH's `RETURN (...)` (RFC 4731).
    Search {
        key: Option<Key>,
        uid: bool,
        ret: Option<Return>,
    },
    /// RFC 5256; `key` as in Search.
    Sort {
        program: Vec<SortKey>,
        key: Option<Key>,
        uid: bool,
    },
    Fetch {
        set: SeqSet,
        items: Vec<Item>,
        uid: bool,
    },
    Store {
        set: SeqSet,
        op: StoreOp,
        silent: bool,
        flags: Flags,
        keywords: Vec<String>,
        uid: bool,
    },
    /// COPY, or MOVE (RFC 6851) when `remove`.
    Copy {
        set: SeqSet,
        mailbox: String,
        uid: bool,
        remove: bool,
    },
}

/// How STORE changes the flags (RFC 3501 §6.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StoreOp {
    Replace,
    Add,
    Remove,
}

/// The message of an APPEND (RFC 3501 §6.3.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Append {
    pub flags: Flags,
    pub keywords: BTreeSet<String>,
    /// `None`: now.
    pub date: Option<Timestamp>,
    pub data: Vec<u8>,
}

/// A command read up to its verb; the cursor stands after it.
#[derive(Debug, Clone)]
pub(super) struct Head<'a> {
    /// `None` when the line does not start with a valid tag.
    pub tag: Option<String>,
    /// The verb, upper case; `UID X` for a UID command (once [`Head::uid`] ran).
    pub name: String,
    pub c: Cursor<'a>,
}

impl<'a> Head<'a> {
    /// Reads the tag and, after a space, the verb.
    pub(super) fn read(cmd: &'a [u8]) -> Self {
        let mut c = Cursor::new(cmd);
        let tag = read_tag(&mut c);
        let name = if tag.is_some() && c.sp() { c.keyword() } else { String::new() };
        Self { tag, name, c }
    }

    /// Reads the verb after `UID` (RFC 3501 §6.4.8) into the name; true for a UID command.
    pub(super) fn uid(&mut self) -> bool {
        if self.name != "UID" {
            return false;
        }
        let sub = if self.c.sp() { self.c.keyword() } else { String::new() };
        self.name = format!("UID {sub}");
        true
    }
}

/// A tag (RFC 3501 §9: astring characters except `+`); `None` if invalid.
pub(super) fn read_tag(c: &mut Cursor) -> Option<String> {
    let start = c.pos;
    let mut t = Vec::new();
    while let Some(b) = c
        .peek()
        .filter(|&b| b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b'+'))
    {
        t.push(b);
        c.pos += 1;
    }
    if t.is_empty() || c.peek().is_some_and(|b| b != b' ') {
        c.pos = start;
        return None;
    }
    Some(String::from_utf8_lossy(&t).into_owned())
}

/// The tag of a command line, for replies before it is parsed.
pub(super) fn tag_of(cmd: &[u8]) -> String {
    read_tag(&mut Cursor::new(cmd)).unwrap_or_else(|| "*".into())
}

/// Verbs that need a selected mailbox (RFC 3501 §6.4), with or without `UID`.
pub(super) fn needs_mailbox(name: &str) -> bool {
    matches!(
        name,
        "FETCH"
            | "STORE"
            | "SEARCH"
            | "COPY"
            | "MOVE"
            | "EXPUNGE"
            | "CLOSE"
            | "UNSELECT"
            | "CHECK"
            | "UID FETCH"
            | "UID STORE"
            | "UID SEARCH"
            | "SORT"
            | "UID SORT"
            | "UID COPY"
            | "UID MOVE"
            | "UID EXPUNGE"
    )
}

/// The arguments of a command before login (RFC 3501 §6.1, §6.2); `Ok(None)`
/// when the verb is not one of them or its arguments are missing, which
/// Dovecot counts as an invalid command.
pub(super) fn not_authenticated(h: &mut Head) -> Parsed<Option<Command>> {
    let c = &mut h.c;
    Ok(Some(match h.name.as_str() {
        "CAPABILITY" => Command::Capability,
        "NOOP" => Command::Noop,
        "LOGOUT" => Command::Logout,
        "ID" => Command::Id,
        "STARTTLS" => Command::StartTls,
        "LOGIN" => {
            if !c.sp() {
                return Ok(None);
            }
            let Some(user) = c.astring()? else { return Ok(None) };
            if !c.sp() {
                return Ok(None);
            }
            let Some(pass) = c.astring()? else { return Ok(None) };
            if !c.at_end() {
                return Ok(None);
            }
            Command::Login { user, pass }
        }
        "AUTHENTICATE" => {
            let Some(mechanism) = (if c.sp() { c.atom() } else { None }) else { return Ok(None) };
            let initial = if c.sp() { c.atom() } else { None };
            Command::Authenticate { mechanism, initial }
        }
        _ => return Ok(None),
    }))
}

/// The arguments of a command after login (RFC 3501 §6.1, §6.3, §6.4);
/// `Ok(None)` for a verb not known there. Extra arguments after verbs that
/// take none are ignored, as Dovecot does.
pub(super) fn authenticated(h: &mut Head) -> Parsed<Option<Command>> {
    let c = &mut h.c;
    let name = h.name.as_str();
    let uid = name.starts_with("UID ");
    Ok(Some(match name {
        "CAPABILITY" => Command::Capability,
        "NOOP" => Command::Noop,
        "CHECK" => Command::Check,
        "ID" => Command::Id,
        "ENABLE" => Command::Enable,
        "NAMESPACE" => Command::Namespace,
        "LOGOUT" => Command::Logout,
        "IDLE" => Command::Idle,
        "CLOSE" => Command::Close,
        "UNSELECT" => Command::Unselect,
        "SELECT" | "EXAMINE" => {
            Command::Select { mailbox: mailbox_arg(c, Syntax::InvalidArguments)?, read_only: name == "EXAMINE" }
        }
        "CREATE" => Command::Create { mailbox: mailbox_arg(c, Syntax::MissingArguments)? },
        "DELETE" => Command::Delete { mailbox: mailbox_arg(c, Syntax::MissingArguments)? },
        "RENAME" => {
            let from = mailbox_arg(c, Syntax::MissingArguments)?;
            Command::Rename { from, to: mailbox_arg(c, Syntax::MissingArguments)? }
        }
        "SUBSCRIBE" | "UNSUBSCRIBE" => {
            Command::Subscribe { mailbox: mailbox_arg(c, Syntax::MissingArguments)?, on: name == "SUBSCRIBE" }
        }
        "LIST" | "LSUB" => list(c, name == "LSUB")?,
        "STATUS" => status(c)?,
        "APPEND" => {
            let mailbox = mailbox_arg(c, Syntax::InvalidArguments)?;
            let mut rest = None;
            let message = append(c, &mut rest);
            Command::Append { mailbox, message, rest }
        }
        "FETCH" | "UID FETCH" => {
            let set = set_arg(c, uid)?;
            if !c.sp() {
                return bad(Syntax::InvalidArguments);
            }
            let mut items = fetch::parse(c)?;
            // UID FETCH always returns the UID (RFC 3501 §6.4.8).
            if uid && !items.contains(&Item::Uid) {
                items.insert(0, Item::Uid);
            }
            Command::Fetch { set, items, uid }
        }
        "STORE" | "UID STORE" => store(c, uid)?,
        "SEARCH" | "UID SEARCH" => {
            c.sp();
            let ret = search::parse_return(c)?;
            Command::Search { key: search::parse(c)?, uid, ret }
        }
        "SORT" | "UID SORT" => {
            if !c.sp() {
                return bad(Syntax::InvalidSortArgument);
            }
            let program = sort::program(c)?;
            if !c.sp() {
                return bad(Syntax::MissingSearchParameters);
            }
            // SORT names the charset without the CHARSET keyword (RFC 5256 §3).
            let charset = c.astring()?.unwrap_or_default();
            let known = matches!(String::from_utf8_lossy(&charset).to_ascii_uppercase().as_str(), "UTF-8" | "US-ASCII");
            if !c.sp() {
                return bad(Syntax::MissingSearchParameters);
            }
            let key = search::parse(c)?;
            Command::Sort { program, key: key.filter(|_| known), uid }
        }
        "COPY" | "UID COPY" | "MOVE" | "UID MOVE" => {
            let set = set_arg(c, uid)?;
            Command::Copy {
                set,
                mailbox: mailbox_arg(c, Syntax::InvalidArguments)?,
                uid,
                remove: name.ends_with("MOVE"),
            }
        }
        "EXPUNGE" => Command::Expunge { uids: None },
        "UID EXPUNGE" => Command::Expunge { uids: Some(set_arg(c, true)?) },
        _ => return Ok(None),
    }))
}

/// A mailbox name argument (RFC 3501 §5.1: INBOX is case-insensitive).
fn mailbox_arg(c: &mut Cursor, missing: Syntax) -> Parsed<String> {
    Ok(canonical_mailbox(spelled_mailbox_arg(c, missing)?))
}

/// A space and a mailbox name exactly as the client wrote it (astring).
fn spelled_mailbox_arg(c: &mut Cursor, missing: Syntax) -> Parsed<String> {
    if !c.sp() {
        return bad(missing);
    }
    let Some(m) = c.astring()? else { return bad(missing) };
    Ok(String::from_utf8_lossy(&m).into_owned())
}

/// INBOX, and INBOX as the parent of a hierarchy (`inbox.child`), in any case,
/// spelled `INBOX` (RFC 3501 §5.1); other names unchanged.
fn canonical_mailbox(name: String) -> String {
    match name.get(..6) {
        _ if name.eq_ignore_ascii_case("INBOX") => "INBOX".into(),
        Some(head) if head.eq_ignore_ascii_case("INBOX.") => format!("INBOX.{}", &name[6..]),
        _ => name,
    }
}

/// A space and a set: of UIDs after UID, else of sequence numbers.
fn set_arg(c: &mut Cursor, uid: bool) -> Parsed<SeqSet> {
    if !c.sp() {
        return bad(Syntax::InvalidArguments);
    }
    if uid {
        uid_set(c, Syntax::InvalidUidset)
    } else {
        seq_set(c)
    }
}

/// LIST, LSUB (RFC 3501 §6.3.8, §6.3.9): reference and pattern; LIST
/// also in the extended syntax (RFC 5258 §3, [`listext`]).
fn list(c: &mut Cursor, lsub: bool) -> Parsed<Command> {
    if !c.sp() {
        return bad(Syntax::InvalidArguments);
    }
    let mut opts = ListOptions::default();
    let mut extended = false;
    if !lsub && c.peek() == Some(b'(') {
        listext::selection(c, &mut opts)?;
        extended = true;
        if !c.sp() {
            return bad(Syntax::InvalidArguments);
        }
    }
    let reference = c.list_mailbox()?.unwrap_or_default();
    if !c.sp() {
        return bad(Syntax::InvalidPattern);
    }
    let (patterns, several) = if lsub {
        let Some(pattern) = c.list_mailbox()? else { return bad(Syntax::InvalidPattern) };
        (vec![pattern], false)
    } else {
        listext::patterns(c)?
    };
    extended |= several;
    if !lsub && c.sp() && !c.at_end() {
        listext::returns(c, &mut opts)?;
        extended = true;
    }
    Ok(Command::List { reference, patterns, lsub, extended: extended.then_some(opts) })
}

/// STATUS (RFC 3501 §6.3.10): a mailbox and a list of items.
fn status(c: &mut Cursor) -> Parsed<Command> {
    let shown = spelled_mailbox_arg(c, Syntax::InvalidArguments)?;
    let mailbox = canonical_mailbox(shown.clone());
    if !c.sp() || !c.eat(b'(') {
        return bad(Syntax::InvalidArguments);
    }
    let mut items = Vec::new();
    loop {
        let w = c.keyword();
        match w.as_str() {
            "MESSAGES" | "RECENT" | "UIDNEXT" | "UIDVALIDITY" | "UNSEEN" | "SIZE" => items.push(w),
            "" if items.is_empty() && c.peek() == Some(b')') => return bad(Syntax::EmptyStatusList),
            "" => return bad(Syntax::InvalidArguments),
            other => return Err(Fail::Bad(Syntax::InvalidStatusItem(other.to_string()))),
        }
        if c.eat(b')') {
            break;
        }
        if !c.sp() {
            return bad(Syntax::InvalidArguments);
        }
    }
    Ok(Command::Status { mailbox, shown, items })
}

/// APPEND after the mailbox (RFC 3501 §6.3.11): flags, date, the literal.
///
/// Dovecot reads APPEND's arguments with a parser of its own that does not skip the rest of the
/// line after some errors; that rest is then read as a new command line, and `rest` gets it
/// (imap/append-store-more.txt): a flag list still open at the line's end leaves nothing
/// (`APPEND INBOX (\Seen` is also answered `* BAD Error in IMAP tag: Invalid tag`), a list closed
/// twice leaves what follows the second `)`, and a date string never closed is `Missing '"'` and
/// leaves what follows its opening quote (`APPEND INBOX "x y` is also answered
/// `x BAD Error in IMAP command Y: Unknown command`).
fn append(c: &mut Cursor, rest: &mut Option<Vec<u8>>) -> Parsed<Append> {
    if c.at_end() {
        return bad(Syntax::MissingMessageSize);
    }
    if !c.sp() {
        return bad(Syntax::InvalidArguments);
    }
    let mut flags = Flags::default();
    let mut keywords = BTreeSet::new();
    if c.peek() == Some(b'(') {
        let list = flag_list(c, false);
        if matches!(list, Err(Fail::Bad(Syntax::MissingCloseParen))) && c.at_end() {
            *rest = Some(Vec::new());
        }
        for f in list? {
            match f {
                FlagArg::System(s) => flags.insert(s),
                FlagArg::Keyword(k) => {
                    keywords.insert(k);
                }
                FlagArg::Recent => return bad(Syntax::InvalidSystemFlag("RECENT".into())),
            }
        }
        if c.eat(b')') {
            *rest = Some(c.rest().to_vec());
            return bad(Syntax::UnexpectedCloseParen);
        }
        if !c.sp() {
            return bad(Syntax::InvalidArguments);
        }
    }
    let mut date = None;
    if c.peek() == Some(b'"') {
        let after_quote = c.rest().get(1..).unwrap_or_default().to_vec();
        let d = match c.string() {
            Ok(Some(d)) => d,
            Err(Fail::Bad(Syntax::MissingQuote)) => {
                *rest = Some(after_quote);
                return bad(Syntax::MissingQuote);
            }
            _ => return bad(Syntax::InvalidInternalDate),
        };
        date = Some(date_time(&d).ok_or(Fail::Bad(Syntax::InvalidInternalDate))?);
        if !c.sp() {
            return bad(Syntax::InvalidArguments);
        }
    }
    if c.peek() != Some(b'{') {
        return bad(Syntax::InvalidArguments);
    }
    let data = c.string()?.unwrap_or_default();
    if !c.at_end() {
        return bad(Syntax::InvalidArguments);
    }
    Ok(Append { flags, keywords, date, data })
}

/// STORE (RFC 3501 §6.4.6): set, `[+-]FLAGS[.SILENT]`, flags.
fn store(c: &mut Cursor, uid: bool) -> Parsed<Command> {
    let set = set_arg(c, uid)?;
    if !c.sp() {
        return bad(Syntax::InvalidArguments);
    }
    let (op, silent) = match c.keyword().as_str() {
        "FLAGS" => (StoreOp::Replace, false),
        "FLAGS.SILENT" => (StoreOp::Replace, true),
        "+FLAGS" => (StoreOp::Add, false),
        "+FLAGS.SILENT" => (StoreOp::Add, true),
        "-FLAGS" => (StoreOp::Remove, false),
        "-FLAGS.SILENT" => (StoreOp::Remove, true),
        _ => return bad(Syntax::InvalidArguments),
    };
    let list = if c.sp() { flag_list(c, true)? } else { Vec::new() };
    let mut flags = Flags::default();
    let mut keywords = Vec::new();
    for f in list {
        match f {
            FlagArg::System(s) => flags.insert(s),
            FlagArg::Keyword(k) => keywords.push(k),
            FlagArg::Recent => return bad(Syntax::InvalidSystemFlag("RECENT".into())),
        }
    }
    Ok(Command::Store { set, op, silent, flags, keywords, uid })
}

#[cfg(test)]
mod tests;
