//! Unit tests of the IMAP session, per command and per error. Expected
//! texts come from the Dovecot recordings in tests/transcripts/imap/.

use super::*;
use crate::directory::Directory;
use crate::store::Flag;

const M1: &[u8] =
    b"From: sender@example.net\r\nTo: alice@example.com\r\nSubject: Welcome, alice\r\n\r\nFirst message for alice.\r\n";
const M2: &[u8] = b"From: carol@example.net\r\nSubject: Report\r\n\r\nSee the attached note.\r\n";
const M3: &[u8] = b"From: dave@example.net\r\nSubject: Third message\r\n\r\nShort one.\r\n";

fn cfg() -> ImapConfig {
    let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
    d.add_user("alice", "alicepw");
    ImapConfig::dovecot("mail.example.com", d)
}

fn store() -> MailStore {
    let mut s = MailStore::new();
    s.create_user("alice", 1000);
    for m in [M1, M2, M3] {
        s.deliver("alice", "INBOX", m, 2000).unwrap();
    }
    s
}

fn send(srv: &mut Server, st: &mut MailStore, line: &str) -> Vec<String> {
    srv.feed(format!("{line}\r\n").as_bytes(), st).lines()
}

fn open() -> Server {
    Server::new(cfg(), 5000, SimRng::new(1)).0
}

fn logged_in(st: &mut MailStore) -> Server {
    let mut s = open();
    let r = send(&mut s, st, "a LOGIN alice alicepw");
    assert_eq!(r, [format!("a OK [CAPABILITY {POST_LOGIN_CAPABILITIES}] Logged in")]);
    s
}

fn selected(st: &mut MailStore) -> Server {
    let mut s = logged_in(st);
    send(&mut s, st, "s SELECT INBOX");
    s
}

#[test]
fn greeting_and_capabilities_before_and_after_starttls() {
    let (mut s, greeting) = Server::new(cfg(), 0, SimRng::new(1));
    assert_eq!(greeting, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.");
    let mut st = store();
    assert_eq!(send(&mut s, &mut st, "v1 STARTTLS"), ["v1 OK Begin TLS negotiation now."]);
    assert!(s.is_tls());
    assert_eq!(
        send(&mut s, &mut st, "a1 CAPABILITY")[0],
        "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN"
    );
    // imap-session.txt: after CAPABILITY, LOGIN lists the new ones untagged.
    let r = send(&mut s, &mut st, "a3 LOGIN alice alicepw");
    assert_eq!(r, [format!("* CAPABILITY {POST_LOGIN_CAPABILITIES}"), "a3 OK Logged in".into()]);
}

#[test]
fn three_invalid_commands_before_login_end_the_session() {
    let mut st = store();
    let mut s = open();
    // preauth.txt: a good command in between does not reset the count.
    assert_eq!(send(&mut s, &mut st, "p3 LOGIN alice"), ["p3 BAD Error in IMAP command received by server."]);
    assert_eq!(send(&mut s, &mut st, "p4 SELECT INBOX"), ["p4 BAD Error in IMAP command received by server."]);
    assert_eq!(send(&mut s, &mut st, "p5 NOOP"), ["p5 OK NOOP completed."]);
    let out = s.feed(b"p6 FOO\r\np7 NOOP\r\n", &mut st);
    assert_eq!(out.lines(), ["* BYE Too many invalid IMAP commands."]);
    assert!(out.closed);
}

#[test]
fn login_and_authenticate_errors() {
    let mut st = store();
    let mut s = open();
    assert_eq!(
        send(&mut s, &mut st, "a2 LOGIN alice wrongpw"),
        ["a2 NO [AUTHENTICATIONFAILED] Authentication failed."]
    );
    // auth.txt
    assert_eq!(send(&mut s, &mut st, "u1 AUTHENTICATE PLAIN"), ["+ "]);
    assert_eq!(send(&mut s, &mut st, "*"), ["u1 BAD Authentication aborted by client."]);
    assert_eq!(send(&mut s, &mut st, "u3 AUTHENTICATE FOO"), ["u3 NO [ALERT] Unsupported authentication mechanism."]);
    let mut s = open();
    assert_eq!(send(&mut s, &mut st, "u2 AUTHENTICATE PLAIN"), ["+ "]);
    assert_eq!(send(&mut s, &mut st, "not base64!"), ["u2 NO [ALERT] Invalid base64 in response"]);
    assert_eq!(
        send(&mut s, &mut st, "u4 AUTHENTICATE PLAIN AGFsaWNlAHdyb25n"),
        ["u4 NO [AUTHENTICATIONFAILED] Authentication failed."]
    );
    assert!(send(&mut s, &mut st, "u5 AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlcHc=")[0].ends_with("] Logged in"));
    assert_eq!(s.user(), Some("alice"));
    // login-capability.txt: LOGIN after login is an unknown command.
    assert_eq!(
        send(&mut s, &mut st, "l3 LOGIN alice alicepw"),
        ["l3 BAD Error in IMAP command LOGIN: Unknown command (0.001 + 0.000 secs)."]
    );
    let mut s = open();
    assert_eq!(send(&mut s, &mut st, "x AUTHENTICATE LOGIN"), ["+ VXNlcm5hbWU6"]);
    assert_eq!(send(&mut s, &mut st, "YWxpY2U="), ["+ UGFzc3dvcmQ6"]);
    assert!(send(&mut s, &mut st, "YWxpY2Vwdw==")[0].starts_with("x OK [CAPABILITY"));
}

#[test]
fn select_examine_and_recent_belong_to_the_first_session() {
    let mut st = store();
    let mut a = logged_in(&mut st);
    let r = send(&mut a, &mut st, "e EXAMINE INBOX");
    assert_eq!(r[1], "* OK [PERMANENTFLAGS ()] Read-only mailbox.");
    assert_eq!(r[3], "* 3 RECENT", "EXAMINE shows them but does not take them");
    let r = send(&mut a, &mut st, "s SELECT INBOX");
    assert_eq!(
        r,
        [
            "* OK [CLOSED] Previous mailbox closed.",
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
            "* 3 EXISTS",
            "* 3 RECENT",
            "* OK [UNSEEN 1] First unseen.",
            "* OK [UIDVALIDITY 1000] UIDs valid",
            "* OK [UIDNEXT 4] Predicted next UID",
            "s OK [READ-WRITE] Select completed (0.001 + 0.000 secs).",
        ]
    );
    let mut b = logged_in(&mut st);
    assert_eq!(send(&mut b, &mut st, "s SELECT INBOX")[3], "* 0 RECENT");
    assert_eq!(send(&mut a, &mut st, "f FETCH 1 FLAGS")[0], "* 1 FETCH (FLAGS (\\Recent))");
    assert_eq!(send(&mut b, &mut st, "f FETCH 1 FLAGS")[0], "* 1 FETCH (FLAGS ())");
    assert_eq!(
        send(&mut a, &mut st, "x SELECT Nope"),
        ["* OK [CLOSED] Previous mailbox closed.", "x NO Mailbox doesn't exist: Nope (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut a, &mut st, "y FETCH 1 FLAGS"), ["y BAD No mailbox selected (0.001 + 0.000 secs)."]);
}

#[test]
fn fetch_items_and_errors() {
    let mut st = store();
    let mut s = selected(&mut st);
    assert_eq!(
        send(&mut s, &mut st, "c9 FETCH 99 (FLAGS)"),
        ["c9 BAD Error in IMAP command FETCH: Invalid messageset (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "c10 FETCH 1 (FLAGS"),
        ["c10 BAD Error in IMAP command FETCH: Missing ')' (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "c11 FETCH 1 (NOSUCHITEM)"),
        ["c11 BAD Error in IMAP command FETCH: Unknown parameter: NOSUCHITEM (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut s, &mut st, "c14 UID FETCH 999 (FLAGS)"), ["c14 OK Fetch completed (0.001 + 0.000 secs)."]);
    let r = send(&mut s, &mut st, "a19 FETCH 1 BODY.PEEK[TEXT]<0.10>");
    assert_eq!(r[..2], ["* 1 FETCH (BODY[TEXT]<0> {10}", "First mess)"]);
    // A non-peek body fetch sets \Seen and says so first (imap-session.txt a12).
    let r = send(&mut s, &mut st, "a12 FETCH 3 BODY[TEXT]");
    assert_eq!(r[0], format!("* 3 FETCH (FLAGS (\\Seen \\Recent) BODY[TEXT] {{{}}}", b"Short one.\r\n".len()));
    assert!(st.get("alice", "INBOX", 3).unwrap().flags.contains(Flag::Seen));
    let r = send(&mut s, &mut st, "u UID FETCH 2:3 (FLAGS)");
    assert_eq!(r[..2], ["* 2 FETCH (UID 2 FLAGS (\\Recent))", "* 3 FETCH (UID 3 FLAGS (\\Seen \\Recent))"]);
    let r = send(&mut s, &mut st, "e FETCH 1 ENVELOPE");
    assert_eq!(r[0], "* 1 FETCH (ENVELOPE (NIL \"Welcome, alice\" ((NIL NIL \"sender\" \"example.net\")) ((NIL NIL \"sender\" \"example.net\")) ((NIL NIL \"sender\" \"example.net\")) ((NIL NIL \"alice\" \"example.com\")) NIL NIL NIL NIL))");
}

#[test]
fn store_flags_keywords_and_silent() {
    let mut st = store();
    let mut s = selected(&mut st);
    // store.txt
    assert_eq!(
        send(&mut s, &mut st, "t3 STORE 1 +FLAGS (\\Seen)"),
        ["* 1 FETCH (FLAGS (\\Seen \\Recent))", "t3 OK Store completed (0.001 + 0.000 secs)."]
    );
    let r = send(&mut s, &mut st, "t4 STORE 1:2 +FLAGS (\\Flagged $Forwarded)");
    assert_eq!(
        r,
        [
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.",
            "* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent $Forwarded))",
            "* 2 FETCH (FLAGS (\\Flagged \\Recent $Forwarded))",
            "t4 OK Store completed (0.001 + 0.000 secs).",
        ]
    );
    assert_eq!(
        send(&mut s, &mut st, "t7 STORE 1:* +FLAGS.SILENT (\\Draft)"),
        ["t7 OK Store completed (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "t10 UID STORE 3 +FLAGS (\\Deleted)")[0],
        "* 3 FETCH (UID 3 FLAGS (\\Deleted \\Draft \\Recent))"
    );
    assert_eq!(
        send(&mut s, &mut st, "t13 STORE 2 +FLAGS (\\Recent)"),
        ["t13 BAD Error in IMAP command STORE: Invalid system flag \\RECENT (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s20 STORE 1 FOO (\\Seen)"),
        ["s20 BAD Error in IMAP command STORE: Invalid arguments (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "n STORE 1 +FLAGS (\\Draft)"),
        ["n OK Store completed (0.001 + 0.000 secs)."],
        "no change, no FETCH"
    );
    send(&mut s, &mut st, "x EXAMINE INBOX");
    assert_eq!(
        send(&mut s, &mut st, "b10 STORE 1 +FLAGS (\\Deleted)"),
        ["b10 OK Store ignored with read-only mailbox (0.001 + 0.000 secs)."]
    );
}

#[test]
fn search_keys() {
    let mut st = store();
    let mut s = selected(&mut st);
    send(&mut s, &mut st, "q3 STORE 3 +FLAGS.SILENT (\\Seen)");
    assert_eq!(send(&mut s, &mut st, "q SEARCH OR FROM dave FROM carol")[0], "* SEARCH 2 3");
    assert_eq!(send(&mut s, &mut st, "q SEARCH UNSEEN")[0], "* SEARCH 1 2");
    assert_eq!(send(&mut s, &mut st, "q UID SEARCH SUBJECT \"third message\"")[0], "* SEARCH 3");
    assert_eq!(send(&mut s, &mut st, "q SEARCH 1:99")[0], "* SEARCH 1 2 3");
    assert_eq!(
        send(&mut s, &mut st, "q13 SEARCH NOSUCHKEY"),
        ["q13 BAD Error in IMAP command SEARCH: Unknown argument NOSUCHKEY (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "q32 SEARCH CHARSET FOO FROM sender"),
        ["q32 NO [BADCHARSET] Unknown charset (0.001 + 0.000 secs)."]
    );
    // search.txt q35: naming a keyword defines it.
    let r = send(&mut s, &mut st, "q35 SEARCH KEYWORD $Forwarded");
    assert_eq!(r[..2], ["* SEARCH", "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)"]);
}

#[test]
fn copy_move_expunge_and_close() {
    let mut st = store();
    let mut s = selected(&mut st);
    send(&mut s, &mut st, "m3 CREATE Work");
    let uv = st.folder("alice", "Work").unwrap().uid_validity;
    assert_eq!(
        send(&mut s, &mut st, "m4 COPY 1:2 Work"),
        [format!("m4 OK [COPYUID {uv} 1:2 1:2] Copy completed (0.001 + 0.000 secs).")]
    );
    assert_eq!(
        send(&mut s, &mut st, "m8 COPY 1 Nowhere"),
        ["m8 NO [TRYCREATE] Mailbox doesn't exist: Nowhere (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s25 COPY 99 Trash"),
        ["s25 BAD Error in IMAP command COPY: Invalid messageset (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut s, &mut st, "s26 UID COPY 99 Trash"), ["s26 OK No messages found (0.001 + 0.000 secs)."]);
    let r = send(&mut s, &mut st, "m7 UID MOVE 3 Work");
    assert_eq!(
        r,
        [
            format!("* OK [COPYUID {uv} 3 3] Moved UIDs."),
            "* 3 EXPUNGE".into(),
            "* 2 RECENT".into(),
            "m7 OK Move completed (0.001 + 0.000 secs).".into()
        ]
    );
    // expunge.txt e4: expunges are reported highest first.
    send(&mut s, &mut st, "e3 STORE 1,2 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(
        send(&mut s, &mut st, "e4 EXPUNGE"),
        ["* 2 EXPUNGE", "* 1 EXPUNGE", "* 0 RECENT", "e4 OK Expunge completed (0.001 + 0.000 secs)."]
    );
    send(&mut s, &mut st, "s SELECT Work");
    send(&mut s, &mut st, "x STORE 1 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(send(&mut s, &mut st, "c CLOSE"), ["c OK Close completed (0.001 + 0.000 secs)."]);
    assert_eq!(st.list("alice", "Work").unwrap().len(), 2, "CLOSE expunged silently");
    assert_eq!(send(&mut s, &mut st, "e17 EXPUNGE"), ["e17 BAD No mailbox selected (0.001 + 0.000 secs)."]);
}

#[test]
fn mailbox_management() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    // folders.txt
    assert_eq!(
        send(&mut s, &mut st, "g3 CREATE inbox"),
        ["g3 NO [ALREADYEXISTS] Mailbox already exists (0.001 + 0.000 secs)."]
    );
    send(&mut s, &mut st, "g4 CREATE Lists.Rust");
    let r = send(&mut s, &mut st, "g5 LIST \"\" \"*\"");
    assert_eq!(
        r[..3],
        [
            "* LIST (\\Noselect \\HasChildren) \".\" Lists",
            "* LIST (\\HasNoChildren) \".\" Lists.Rust",
            "* LIST (\\HasNoChildren \\Drafts) \".\" Drafts"
        ]
    );
    assert_eq!(r[5], "* LIST (\\HasNoChildren) \".\" INBOX");
    assert_eq!(send(&mut s, &mut st, "g9 LIST \"Lists.\" \"%\"")[0], "* LIST (\\HasNoChildren) \".\" Lists.Rust");
    assert_eq!(send(&mut s, &mut st, "g7 LIST \"\" \"\"")[0], "* LIST (\\Noselect) \".\" \"\"");
    assert_eq!(send(&mut s, &mut st, "g11 DELETE INBOX"), ["g11 NO INBOX can't be deleted (0.001 + 0.000 secs)."]);
    assert_eq!(
        send(&mut s, &mut st, "g10 DELETE Lists"),
        ["g10 NO [NONEXISTENT] Mailbox doesn't exist: Lists (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "g29 RENAME INBOX Old"),
        ["g29 NO [CANNOT] Renaming INBOX isn't supported (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut s, &mut st, "r RENAME Lists.Rust Lists.Go"), ["r OK Rename completed (0.001 + 0.000 secs)."]);
    assert_eq!(
        send(&mut s, &mut st, "g20 SUBSCRIBE Nowhere"),
        ["g20 NO Mailbox doesn't exist: Nowhere (0.001 + 0.000 secs)."]
    );
    send(&mut s, &mut st, "x SUBSCRIBE Lists.Go");
    assert_eq!(send(&mut s, &mut st, "l LSUB \"\" \"*\"")[0], "* LSUB () \".\" Lists.Go");
    assert_eq!(
        send(&mut s, &mut st, "s30 STATUS INBOX (FOO)"),
        ["s30 BAD Error in IMAP command STATUS: Invalid status item FOO (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut s, &mut st, "a5 STATUS INBOX (UNSEEN MESSAGES)")[0], "* STATUS INBOX (MESSAGES 3 UNSEEN 3)");
    assert_eq!(
        send(&mut s, &mut st, "s29 LIST \"\""),
        ["s29 BAD Error in IMAP command LIST: Invalid pattern (0.001 + 0.000 secs)."]
    );
}

#[test]
fn literals_synchronising_and_non_synchronising() {
    let mut st = store();
    let mut s = open();
    assert_eq!(send(&mut s, &mut st, "k1 LOGIN {5}"), ["+ OK"]);
    assert!(send(&mut s, &mut st, "alice alicepw")[0].starts_with("k1 OK [CAPABILITY"));
    // append.txt: the mailbox is checked before the literal is asked for.
    assert_eq!(
        send(&mut s, &mut st, "n2 APPEND Nowhere {3}"),
        ["n2 NO [TRYCREATE] Mailbox doesn't exist: Nowhere (0.001 + 0.000 secs)."]
    );
    let uv = st.folder("alice", "INBOX").unwrap().uid_validity;
    let out = s.feed(b"n3 APPEND INBOX (\\Seen) \"1-Jan-2020 10:00:00 +0100\" {3+}\r\nabc\r\n", &mut st);
    assert_eq!(out.lines(), [format!("n3 OK [APPENDUID {uv} 4] Append completed (0.001 + 0.000 secs).")]);
    assert_eq!(
        st.get("alice", "INBOX", 4).map(|m| (m.raw.clone(), m.internal_date)),
        Some((b"abc".to_vec(), 1_577_869_200))
    );
    // A bad flag is refused before the literal, whose octets then read as a command.
    let out = s.feed(b"n4 APPEND INBOX (\\Seen \\Foo) {3+}\r\nabc\r\n", &mut st);
    assert_eq!(
        out.lines(),
        [
            "n4 BAD Error in IMAP command APPEND: Invalid system flag \\FOO (0.001 + 0.000 secs).",
            "abc BAD Error in IMAP command: Invalid command name (0.001 + 0.000 secs)."
        ]
    );
    // A literal spanning lines, fed a byte at a time.
    let mut got = Vec::new();
    for b in b"m APPEND INBOX {7}\r\na\r\nb\r\nc\r\n" {
        got.extend(s.feed(&[*b], &mut st).lines());
    }
    assert_eq!(got[0], "+ OK");
    assert!(got[1].starts_with("m OK [APPENDUID"), "{got:?}");
    assert_eq!(st.get("alice", "INBOX", 5).map(|m| m.raw.clone()), Some(b"a\r\nb\r\nc".to_vec()));
    assert_eq!(
        send(&mut s, &mut st, "h SELECT {99999999}"),
        ["h BAD Error in IMAP command: Literal too large (0.001 + 0.000 secs)."]
    );
}

#[test]
fn tags_and_command_names() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    // syntax.txt
    assert_eq!(send(&mut s, &mut st, "*"), ["* BAD Error in IMAP tag: Invalid tag (0.001 + 0.000 secs)."]);
    assert_eq!(send(&mut s, &mut st, "+ NOOP"), ["* BAD Error in IMAP tag: Invalid tag (0.001 + 0.000 secs)."]);
    assert_eq!(
        send(&mut s, &mut st, "s5"),
        ["s5 BAD Error in IMAP command: Invalid command name (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s2 FOO"),
        ["s2 BAD Error in IMAP command FOO: Unknown command (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s27 UID FOO 1"),
        ["s27 BAD Error in IMAP command UID FOO: Unknown command (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s3 SELECT"),
        ["s3 BAD Error in IMAP command SELECT: Invalid arguments (0.001 + 0.000 secs)."]
    );
    assert_eq!(
        send(&mut s, &mut st, "s32 CREATE"),
        ["s32 BAD Error in IMAP command CREATE: Missing arguments (0.001 + 0.000 secs)."]
    );
    assert_eq!(send(&mut s, &mut st, "s4 NOOP extra"), ["s4 OK NOOP completed (0.001 + 0.000 secs)."]);
    let out = s.feed(b"z LOGOUT\r\n", &mut st);
    assert_eq!(
        (out.lines(), out.closed),
        (vec!["* BYE Logging out".to_string(), "z OK Logout completed (0.001 + 0.000 secs).".into()], true)
    );
}

#[test]
fn idle_reports_deliveries_on_poll() {
    let mut st = store();
    let mut s = selected(&mut st);
    assert_eq!(send(&mut s, &mut st, "d3 IDLE"), ["+ idling"]);
    assert!(s.poll(&mut st).lines().is_empty());
    st.deliver("alice", "INBOX", b"Subject: new\r\n\r\nx\r\n", 6000).unwrap();
    // idle.txt
    assert_eq!(s.poll(&mut st).lines(), ["* 4 EXISTS", "* 4 RECENT"]);
    assert!(s.poll(&mut st).lines().is_empty(), "reported once");
    assert_eq!(send(&mut s, &mut st, "DONE"), ["d3 OK Idle completed (0.001 + 0.000 secs)."]);
    send(&mut s, &mut st, "d5 IDLE");
    assert_eq!(send(&mut s, &mut st, "d6 DONE"), ["d5 BAD Expected DONE (0.001 + 0.000 secs)."]);
}

#[test]
fn two_sessions_see_each_others_flags_and_expunges() {
    let mut st = store();
    let mut a = selected(&mut st);
    let mut b = selected(&mut st);
    send(&mut a, &mut st, "x STORE 2 +FLAGS.SILENT (\\Flagged)");
    assert_eq!(
        send(&mut b, &mut st, "n NOOP"),
        ["* 2 FETCH (FLAGS (\\Flagged))", "n OK NOOP completed (0.001 + 0.000 secs)."]
    );
    send(&mut a, &mut st, "x STORE 1 +FLAGS.SILENT (\\Deleted)");
    send(&mut a, &mut st, "x EXPUNGE");
    // FETCH does not report the expunge (RFC 3501 §7.4.1), NOOP does; the
    // message's number stays taken until then.
    let r = send(&mut b, &mut st, "f FETCH 1:2 UID");
    assert_eq!(r, ["* 2 FETCH (UID 2)", "f OK Fetch completed (0.001 + 0.000 secs)."]);
    assert_eq!(send(&mut b, &mut st, "n NOOP"), ["* 1 EXPUNGE", "n OK NOOP completed (0.001 + 0.000 secs)."]);
    assert_eq!(send(&mut b, &mut st, "f FETCH 1 UID")[0], "* 1 FETCH (UID 2)");
}

#[test]
fn long_lines_and_garbage_never_panic() {
    let mut st = store();
    let mut s = selected(&mut st);
    let long = format!("x NOOP {}\r\ny NOOP\r\n", "a".repeat(70_000));
    let out = s.feed(long.as_bytes(), &mut st);
    assert_eq!(
        out.lines(),
        [
            "* BAD Error in IMAP command received by server: Too long argument.",
            "y OK NOOP completed (0.001 + 0.000 secs)."
        ]
    );
    let deep = format!("d SEARCH {}ALL{}", "(".repeat(300), ")".repeat(300));
    assert_eq!(
        send(&mut s, &mut st, &deep),
        ["d BAD Error in IMAP command SEARCH: Too deep nesting (0.001 + 0.000 secs)."]
    );
    assert_eq!(s.feed(b"n NO\0OP\r\n", &mut st).lines().len(), 1);
    assert_eq!(s.feed(b"n FETCH 1 \xff\r\n", &mut st).lines().len(), 1);
    let mut rng = SimRng::new(9);
    for round in 0..200 {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(round));
        if round % 2 == 0 {
            s.feed(b"a LOGIN alice alicepw\r\nb SELECT INBOX\r\n", &mut st);
        }
        for _ in 0..20 {
            let len = (rng.next_u64() % 64) as usize;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| b" ()[]{}<>*%\\\"0123456789+:,.\r\nAFETCHSTOREBODY"[(rng.next_u64() % 41) as usize])
                .collect();
            if rng.next_u64().is_multiple_of(4) {
                bytes.extend((0..8).map(|_| rng.next_u64() as u8));
            }
            s.feed(&bytes, &mut st);
            s.poll(&mut st);
        }
    }
}

/// The FETCH, STATUS, RENAME and CREATE forms of the peers' recordings
/// (syntax-more.txt, mailbox-names.txt), broken further: each line gets one
/// tagged answer, never a panic, and the session goes on.
#[test]
fn broken_fetch_and_mailbox_arguments_get_one_answer_each() {
    let mut st = store();
    let mut s = selected(&mut st);
    let bad = [
        "FETCH 1 ()",
        "FETCH 1 (",
        "FETCH 1 (ALL",
        "FETCH 1 (FAST FULL)",
        "FETCH 1 BODY.PEEK",
        "FETCH 1 BODY.PEEK<0.1>",
        "FETCH 1 RFC822.",
        "FETCH 1 RFC822.\u{7f}x",
        "FETCH 1 ENVELOPE FLAGS",
        "FETCH 1 ENVELOPE (",
        "FETCH 1 FLAGS (\"(\")",
        "FETCH 1 FLAGS ((()",
        "FETCH 1 FLAGS (\"\\",
        "FETCH 1 (FLAGS) ((x) y)",
        "FETCH 1 UID )",
        "FETCH 1 BODY[HEADER.FIELDS (\"\\\"\" x)",
        "FETCH 1 BODY[HEADER.FIELDS ()]",
        "STATUS",
        "STATUS \"\"",
        "STATUS inbox (",
        "RENAME",
        "RENAME \"\"",
        "APPEND INBOX",
        "APPEND INBOX (\\Seen) \"1-Jan-2020 10:00:00 +0100\"",
        "STORE 1 +FLAGS (\"quoted\")",
        "STORE 1 +FLAGS (\\Seen \"q",
    ];
    for (n, line) in bad.iter().enumerate() {
        let out = send(&mut s, &mut st, &format!("g{n} {line}"));
        let tagged: Vec<_> = out.iter().filter(|l| l.starts_with(&format!("g{n} "))).collect();
        assert_eq!(tagged.len(), 1, "{line}: {out:?}");
        assert!(tagged[0].starts_with(&format!("g{n} BAD ")), "{line}: {out:?}");
    }
    // Refused without BAD, and nothing made or renamed.
    assert!(
        send(&mut s, &mut st, "c1 CREATE \"\"")[0].starts_with("c1 NO [CANNOT] Invalid mailbox name: Name is empty")
    );
    assert!(send(&mut s, &mut st, "c2 RENAME \"\" \"\"")[0].starts_with("c2 NO [ALREADYEXISTS]"));
    assert_eq!(send(&mut s, &mut st, "c3 NOOP"), ["c3 OK NOOP completed (0.001 + 0.000 secs)."]);
    // A quoted header name is echoed quoted, with its quote and backslash escaped.
    let r = send(&mut s, &mut st, "c4 FETCH 1 BODY.PEEK[HEADER.FIELDS (\"a\\\"b\\\\\" subject)]");
    assert!(r[0].contains("BODY[HEADER.FIELDS (\"A\\\"B\\\\\" SUBJECT)]"), "{r:?}");
}

/// Dovecot's APPEND leaves the rest of a line it could not read, and reads it as the next command
/// (imap/append-store-more.txt; the last two forms were probed on the peers the same day).
#[test]
fn a_broken_append_leaves_the_rest_of_its_line_to_be_read_again() {
    let mut st = store();
    let mut s = selected(&mut st);
    let t = "(0.001 + 0.000 secs).";
    let invalid_tag = format!("* BAD Error in IMAP tag: Invalid tag {t}");
    for (line, first, second) in [
        ("a1 APPEND INBOX (\\Seen", "a1 BAD Error in IMAP command APPEND: Missing ')'", invalid_tag.clone()),
        ("a2 APPEND INBOX (\\Seen)) {3+}", "a2 BAD Error in IMAP command APPEND: Unexpected ')'", invalid_tag.clone()),
        (
            "a3 APPEND INBOX \"x y",
            "a3 BAD Error in IMAP command APPEND: Missing '\"'",
            format!("x BAD Error in IMAP command Y: Unknown command {t}"),
        ),
        ("a4 APPEND Nowhere (\\Seen", "a4 NO [TRYCREATE] Mailbox doesn't exist: Nowhere", invalid_tag),
    ] {
        assert_eq!(send(&mut s, &mut st, line), [format!("{first} {t}"), second], "{line}");
    }
    // A refused APPEND's literal+ is dropped, not read as a command.
    let out = s.feed(b"b1 APPEND Nowhere {3+}\r\nabc\r\nb2 NOOP\r\n", &mut st).lines();
    assert_eq!(
        out,
        [format!("b1 NO [TRYCREATE] Mailbox doesn't exist: Nowhere {t}"), format!("b2 OK NOOP completed {t}")]
    );
}

/// Each broken APPEND's rest of line is read again: a line of thousands of
/// them is answered one by one, in a loop (a recursion here overflowed the
/// stack), and the session goes on.
#[test]
fn a_line_of_thousands_of_broken_appends_is_answered_without_recursion() {
    let mut st = store();
    let mut s = selected(&mut st);
    let n = 2400; // 26-27 bytes each: under the 64 KiB line
                  // `)` closes the list twice: what follows it is the next command.
    let line: String = (0..n).map(|i| format!("t{i} APPEND INBOX (\\Seen))")).collect();
    let out = send(&mut s, &mut st, &line);
    assert_eq!(out.len(), n + 1, "{:?}", out.first());
    assert!(out[0].starts_with("t0 BAD Error in IMAP command APPEND: Unexpected ')'"), "{}", out[0]);
    assert!(out[n - 1].starts_with(&format!("t{} BAD", n - 1)), "{}", out[n - 1]);
    assert_eq!(send(&mut s, &mut st, "z NOOP"), ["z OK NOOP completed (0.001 + 0.000 secs)."]);
}

#[test]
fn a_session_fed_byte_by_byte_answers_as_one_fed_at_once() {
    let script: &[u8] = b"a CAPABILITY\r\nb LOGIN {5}\r\nalice {7+}\r\nalicepw\r\nc SELECT INBOX\r\n\
        d APPEND INBOX (\\Seen) {7}\r\na\r\nb\r\nc\r\ne FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n\
        f STORE 2 +FLAGS (\\Deleted $x)\r\ng NOOP \x00\r\nh EXPUNGE\nj IDLE\r\nDONE\r\nk SEARCH TEXT {3}\r\nfoo\r\n\
        l UID FETCH {1}\r\nm LOGOUT\r\n";
    let (mut st1, mut st2) = (store(), store());
    let (mut s1, mut s2) = (open(), open());
    let whole = s1.feed(script, &mut st1);
    let mut wire = Vec::new();
    let mut events = Vec::new();
    for b in script {
        let out = s2.feed(&[*b], &mut st2);
        wire.extend(out.wire);
        events.extend(out.events);
    }
    assert_eq!(String::from_utf8_lossy(&wire), String::from_utf8_lossy(&whole.wire));
    assert_eq!(events, whole.events);
    assert!(whole.lines().iter().any(|l| l.starts_with("d OK [APPENDUID")), "{:?}", whole.lines());
    assert!(s1.is_closed() && s2.is_closed());
}
