//! LIST-EXTENDED (RFC 5258), with LIST-STATUS (RFC 5819) and SPECIAL-USE
//! (RFC 6154 §3): selection options before the reference, several patterns
//! in parentheses, and return options after them. Texts are Dovecot 2.3's
//! (tests/transcripts/imap/caps-list-extended.txt).

use super::parser::{bad, Cursor, Fail, Parsed, Syntax};

/// The options of an extended LIST. A LIST with none of the extended
/// syntax is answered the RFC 3501 way (with CHILDREN and SPECIAL-USE
/// attributes, `\Noselect` parents); an extended one shows only the
/// attributes its options ask for, and `\NonExistent` parents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Selection SUBSCRIBED: only subscribed mailboxes, with `\Subscribed`.
    pub subscribed: bool,
    /// Selection SPECIAL-USE: only mailboxes with a special use, with it.
    pub special_use: bool,
    /// Return SUBSCRIBED: `\Subscribed` on the subscribed ones.
    pub ret_subscribed: bool,
    /// Return CHILDREN: `\HasChildren` or `\HasNoChildren`.
    pub children: bool,
    /// Return SPECIAL-USE: the special-use attribute.
    pub ret_special_use: bool,
    /// Return STATUS (items): a STATUS response after each selectable mailbox.
    pub status: Option<Vec<String>>,
}

/// The STATUS items Dovecot knows (RFC 3501 §6.3.10, STATUS=SIZE RFC 8438).
pub const STATUS_ITEMS: [&str; 6] = ["MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "SIZE"];

/// A parenthesised list of atoms, at its `(`: the words, upper case.
fn words(c: &mut Cursor) -> Parsed<Vec<String>> {
    let mut v = Vec::new();
    if !c.eat(b'(') {
        return bad(Syntax::InvalidArguments);
    }
    loop {
        if c.eat(b')') {
            return Ok(v);
        }
        let w = c.keyword();
        if w.is_empty() {
            return bad(if c.at_end() { Syntax::MissingCloseParen } else { Syntax::InvalidArguments });
        }
        v.push(w);
        c.sp();
    }
}

/// Selection options, at their `(` (RFC 5258 §3.1).
pub fn selection(c: &mut Cursor, o: &mut ListOptions) -> Parsed<()> {
    for w in words(c)? {
        match w.as_str() {
            "SUBSCRIBED" => o.subscribed = true,
            "SPECIAL-USE" => o.special_use = true,
            // Every mailbox is local; RECURSIVEMATCH needs no more than what
            // SUBSCRIBED already shows here (no subscribed child under an
            // unsubscribed parent is reported with CHILDINFO).
            "REMOTE" | "RECURSIVEMATCH" => {}
            _ => return bad(Syntax::UnknownSelectOptions),
        }
    }
    Ok(())
}

/// Patterns: one, or a parenthesised list (RFC 5258 §3); `true` when a list.
pub fn patterns(c: &mut Cursor) -> Parsed<(Vec<Vec<u8>>, bool)> {
    if !c.eat(b'(') {
        let Some(p) = c.list_mailbox()? else { return bad(Syntax::InvalidPattern) };
        return Ok((vec![p], false));
    }
    let mut v = Vec::new();
    loop {
        if c.eat(b')') {
            break;
        }
        let Some(p) = c.list_mailbox()? else { return bad(Syntax::InvalidPattern) };
        v.push(p);
        c.sp();
    }
    if v.is_empty() {
        return bad(Syntax::InvalidPattern);
    }
    Ok((v, true))
}

/// `RETURN (options)` after the patterns (RFC 5258 §3.2), at `RETURN`.
pub fn returns(c: &mut Cursor, o: &mut ListOptions) -> Parsed<()> {
    if c.keyword() != "RETURN" || !c.sp() || c.peek() != Some(b'(') {
        return bad(Syntax::InvalidArguments);
    }
    c.eat(b'(');
    loop {
        if c.eat(b')') {
            return if c.at_end() { Ok(()) } else { bad(Syntax::ExtraArguments) };
        }
        match c.keyword().as_str() {
            "SUBSCRIBED" => o.ret_subscribed = true,
            "CHILDREN" => o.children = true,
            "SPECIAL-USE" => o.ret_special_use = true,
            "STATUS" => {
                if !c.sp() || c.peek() != Some(b'(') {
                    return bad(Syntax::InvalidArguments);
                }
                let items = words(c)?;
                if items.is_empty() {
                    return bad(Syntax::EmptyStatusList);
                }
                if let Some(bad_item) = items.iter().find(|i| !STATUS_ITEMS.contains(&i.as_str())) {
                    return Err(Fail::Bad(Syntax::InvalidStatusItem(bad_item.clone())));
                }
                o.status = Some(items);
            }
            "" if c.at_end() => return bad(Syntax::MissingCloseParen),
            _ => return bad(Syntax::UnknownReturnOptions),
        }
        c.sp();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::parser::{bad_text, text};

    fn ret(s: &str) -> Result<ListOptions, String> {
        let mut o = ListOptions::default();
        text(returns(&mut Cursor::new(s.as_bytes()), &mut o)).map(|()| o)
    }

    // Texts: tests/transcripts/imap/caps-list-extended.txt.
    #[test]
    fn options_and_their_errors() {
        let o = ret("RETURN (CHILDREN STATUS (MESSAGES SIZE) SPECIAL-USE)").unwrap();
        assert!(o.children && o.ret_special_use && !o.ret_subscribed);
        assert_eq!(o.status, Some(vec!["MESSAGES".to_string(), "SIZE".to_string()]));
        assert_eq!(ret("RETURN ()").unwrap(), ListOptions::default());
        assert_eq!(ret("RETURN (FOO)"), bad_text("Unknown return options"));
        assert_eq!(ret("RETURN (STATUS (FOO))"), bad_text("Invalid status item FOO"));
        assert_eq!(ret("RETURN (CHILDREN"), bad_text("Missing ')'"));
        assert_eq!(ret("RETURN (STATUS ())"), bad_text("Empty status list"));
        assert_eq!(ret("RETURN (CHILDREN)(x)"), bad_text("Extra arguments"));
        let mut o = ListOptions::default();
        assert_eq!(text(selection(&mut Cursor::new(b"(FOO)"), &mut o)), bad_text("Unknown select options"));
        selection(&mut Cursor::new(b"(SUBSCRIBED SPECIAL-USE)"), &mut o).unwrap();
        assert!(o.subscribed && o.special_use);
        assert_eq!(
            patterns(&mut Cursor::new(b"(INBOX \"Sent\")")).unwrap(),
            (vec![b"INBOX".to_vec(), b"Sent".to_vec()], true)
        );
        assert_eq!(patterns(&mut Cursor::new(b"%")).unwrap(), (vec![b"%".to_vec()], false));
        assert_eq!(text(patterns(&mut Cursor::new(b"()"))), bad_text("Invalid pattern"));
    }
}
