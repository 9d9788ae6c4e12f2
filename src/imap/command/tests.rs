//! The typed commands: heads, arguments and Dovecot's error texts.

use super::*;
use crate::imap::parser::{bad_text, text, SeqNum, Syntax};
use crate::store::Flag;

fn parse(line: &[u8]) -> Parsed<Option<Command>> {
    let mut h = Head::read(line);
    h.uid();
    authenticated(&mut h)
}

#[test]
fn heads_tags_and_uid_verbs() {
    let h = Head::read(b"a1 select INBOX");
    assert_eq!((h.tag.as_deref(), h.name.as_str()), (Some("a1"), "SELECT"));
    assert_eq!(Head::read(b"+ NOOP").tag, None);
    assert_eq!(Head::read(b"*").tag, None);
    let mut h = Head::read(b"t uid fetch 1 FLAGS");
    assert!(h.uid());
    assert_eq!(h.name, "UID FETCH");
    assert_eq!(tag_of(b"x{ NOOP"), "*");
    assert!(needs_mailbox("UID MOVE") && !needs_mailbox("UID CLOSE") && !needs_mailbox("SELECT"));
}

#[test]
fn typed_arguments() {
    assert_eq!(parse(b"a examine inbox"), Ok(Some(Command::Select { mailbox: "INBOX".into(), read_only: true })));
    assert_eq!(
        parse(b"a UID STORE 1:* -FLAGS.SILENT (\\Seen $x)"),
        Ok(Some(Command::Store {
            set: SeqSet(vec![(SeqNum::Num(1), SeqNum::Star)]),
            op: StoreOp::Remove,
            silent: true,
            flags: [Flag::Seen].into_iter().collect(),
            keywords: vec!["$x".into()],
            uid: true,
        }))
    );
    let Ok(Some(Command::Fetch { items, .. })) = parse(b"a UID FETCH 1 FLAGS") else { panic!() };
    assert_eq!(items, [Item::Uid, Item::Flags]);
    let mut h = Head::read(b"a LOGIN alice {7}");
    assert_eq!(not_authenticated(&mut h), Err(Fail::NeedLiteral { size: 7, plus: false }));
    let mut h = Head::read(b"a LOGIN alice");
    assert_eq!(not_authenticated(&mut h), Ok(None));
    assert_eq!(parse(b"a FOO {5}"), Ok(None));
}

#[test]
fn dovecot_error_texts() {
    assert_eq!(text(parse(b"a SELECT")), bad_text("Invalid arguments"));
    assert_eq!(text(parse(b"a CREATE")), bad_text("Missing arguments"));
    assert_eq!(text(parse(b"a STATUS INBOX (FOO)")), bad_text("Invalid status item FOO"));
    assert_eq!(text(parse(b"a STORE 1 +FLAGS (\\Recent)")), bad_text("Invalid system flag \\RECENT"));
    assert_eq!(text(parse(b"a FETCH 0 FLAGS")), bad_text("Invalid messageset"));
    assert_eq!(text(parse(b"a LIST \"\"")), bad_text("Invalid pattern"));
    // The mailbox is read; the rest of APPEND waits until it is known to exist.
    let Ok(Some(Command::Append { mailbox, message, .. })) = parse(b"a APPEND Nowhere (\\Foo) {3}") else { panic!() };
    assert_eq!((mailbox.as_str(), message), ("Nowhere", bad(Syntax::InvalidSystemFlag("FOO".into()))));
}
