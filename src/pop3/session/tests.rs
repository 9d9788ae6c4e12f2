use super::*;
use crate::directory::Directory;
use crate::store::Flag;

const M1: &[u8] = b"Subject: one\r\nFrom: a@example.net\r\n\r\nline 1\r\n.dot line\r\nline 3\r\n";
const M2: &[u8] = b"Subject: two\r\n\r\nx\r\n";

fn cfg() -> Pop3Config {
    let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
    d.add_user("bob", "bobpw");
    Pop3Config::dovecot("mail.example.com", d)
}

fn store() -> MailStore {
    let mut s = MailStore::new();
    s.create_user("bob", 0x6b03_edcc);
    s.deliver("bob", "INBOX", M1, 1).unwrap();
    s.deliver("bob", "INBOX", M2, 2).unwrap();
    s
}

fn send(srv: &mut Server, store: &mut MailStore, line: &str) -> Vec<String> {
    srv.feed(format!("{line}\r\n").as_bytes(), store).lines
}

fn logged_in(store: &mut MailStore) -> Server {
    let (mut srv, greeting) = Server::new(cfg(), 0, SimRng::new(1));
    assert_eq!(greeting, "+OK Dovecot (Debian) ready.");
    assert_eq!(srv.feed(b"USER bob\r\nPASS bobpw\r\n", store).lines, ["+OK", "+OK Logged in."]);
    srv
}

#[test]
fn stat_list_uidl_use_the_stored_sizes_and_uids() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    let total = M1.len() + M2.len();
    assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {total}")]);
    assert_eq!(
        send(&mut s, &mut st, "LIST"),
        ["+OK 2 messages:".to_string(), format!("1 {}", M1.len()), format!("2 {}", M2.len()), ".".into()]
    );
    assert_eq!(send(&mut s, &mut st, "LIST 2"), [format!("+OK 2 {}", M2.len())]);
    // pop3_uidl_format = %08Xu%08Xv, as in session.txt (`000000016b03edcc`).
    assert_eq!(send(&mut s, &mut st, "UIDL"), ["+OK", "1 000000016b03edcc", "2 000000026b03edcc", "."]);
    assert_eq!(send(&mut s, &mut st, "UIDL 2"), ["+OK 2 000000026b03edcc"]);
    assert_eq!(send(&mut s, &mut st, "LIST 3"), ["-ERR There's no message 3."]);
    assert_eq!(send(&mut s, &mut st, "UIDL 0"), ["-ERR There's no message 0."]);
}

#[test]
fn retr_is_byte_stuffed_and_counts_unstuffed_octets() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    let got = send(&mut s, &mut st, "RETR 1");
    assert_eq!(
        got,
        [
            format!("+OK {} octets", M1.len()).as_str(),
            "Subject: one",
            "From: a@example.net",
            "",
            "line 1",
            "..dot line",
            "line 3",
            "."
        ]
    );
    assert_eq!(send(&mut s, &mut st, "RETR 9"), ["-ERR There's no message 9."]);
    assert_eq!(send(&mut s, &mut st, "RETR"), ["-ERR Invalid message number: "]);
    // RETR marks \Seen, applied at QUIT (Dovecot); TOP does not.
    send(&mut s, &mut st, "TOP 2 0");
    assert_eq!(send(&mut s, &mut st, "QUIT"), ["+OK Logging out."]);
    assert!(st.get("bob", "INBOX", 1).unwrap().flags.contains(Flag::Seen));
    assert!(!st.get("bob", "INBOX", 2).unwrap().flags.contains(Flag::Seen));
}

#[test]
fn top_sends_the_header_blank_line_and_n_body_lines() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    assert_eq!(send(&mut s, &mut st, "TOP 1 0"), ["+OK", "Subject: one", "From: a@example.net", "", "."]);
    assert_eq!(
        send(&mut s, &mut st, "TOP 1 2"),
        ["+OK", "Subject: one", "From: a@example.net", "", "line 1", "..dot line", "."]
    );
    assert_eq!(send(&mut s, &mut st, "TOP 1 99"), send(&mut s, &mut st, "TOP 1 3"));
    // args3.txt: the largest 64-bit count is answered as RETR.
    assert_eq!(
        send(&mut s, &mut st, "TOP 2 18446744073709551615"),
        [format!("+OK {} octets", M2.len()).as_str(), "Subject: two", "", "x", "."]
    );
    assert_eq!(send(&mut s, &mut st, "TOP 1"), ["-ERR Noise after message number: "]);
    assert_eq!(send(&mut s, &mut st, "TOP 1 -1"), ["-ERR Invalid size: -1"]);
    assert_eq!(send(&mut s, &mut st, "TOP 9 x"), ["-ERR There's no message 9."]);
}

#[test]
fn dele_rset_and_quit_apply_deletions_only_in_update() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    assert_eq!(send(&mut s, &mut st, "DELE 1"), ["+OK Marked to be deleted."]);
    assert_eq!(send(&mut s, &mut st, "DELE 1"), ["-ERR Message is deleted."]);
    assert_eq!(send(&mut s, &mut st, "RETR 1"), ["-ERR Message is deleted."]);
    assert_eq!(send(&mut s, &mut st, "LIST"), ["+OK 1 messages:".to_string(), format!("2 {}", M2.len()), ".".into()]);
    assert_eq!(send(&mut s, &mut st, "RSET"), ["+OK"]);
    assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {}", M1.len() + M2.len())]);
    send(&mut s, &mut st, "DELE 2");
    assert_eq!(st.list("bob", "INBOX").unwrap().len(), 2, "nothing is removed before QUIT");
    let out = s.feed(b"QUIT\r\n", &mut st);
    // dele-quit.txt: Dovecot says so when it deleted something.
    assert_eq!(out.lines, ["+OK Logging out, messages deleted."]);
    assert!(out.closed);
    assert!(out.events.contains(&Event::Expunged { user: "bob".into(), uids: vec![2] }));
    assert_eq!(st.list("bob", "INBOX").unwrap().iter().map(|m| m.uid).collect::<Vec<_>>(), [1]);
    assert!(s.feed(b"NOOP\r\n", &mut st).lines.is_empty(), "input after close is ignored");
}

#[test]
fn a_dropped_session_deletes_nothing() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    send(&mut s, &mut st, "DELE 1");
    drop(s);
    assert_eq!(st.list("bob", "INBOX").unwrap().len(), 2);
}

#[test]
fn the_maildrop_is_a_snapshot_taken_at_login() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    st.deliver("bob", "INBOX", b"Subject: late\r\n\r\n", 3).unwrap();
    assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {}", M1.len() + M2.len())]);
    assert_eq!(send(&mut s, &mut st, "LIST 3"), ["-ERR There's no message 3."]);
    // A message expunged by someone else meanwhile cannot be read.
    st.expunge("bob", "INBOX", &[2]).unwrap();
    assert_eq!(send(&mut s, &mut st, "RETR 2"), ["-ERR Message is deleted."]);
}

#[test]
fn user_pass_and_authorization_errors() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    // wrong-state.txt
    assert_eq!(send(&mut s, &mut st, "STAT"), ["-ERR Unknown command."]);
    assert_eq!(send(&mut s, &mut st, "PASS bobpw"), ["-ERR No username given."]);
    assert_eq!(send(&mut s, &mut st, "APOP bob 0123456789abcdef0123456789abcdef"), ["-ERR APOP not enabled."]);
    assert_eq!(send(&mut s, &mut st, "USER bob"), ["+OK"]);
    assert_eq!(send(&mut s, &mut st, "PASS wrong"), ["-ERR [AUTH] Authentication failed."]);
    assert_eq!(send(&mut s, &mut st, "PASS bobpw"), ["-ERR No username given."], "a failed PASS forgets the user");
    assert_eq!(send(&mut s, &mut st, "user BOB"), ["+OK"]);
    assert_eq!(send(&mut s, &mut st, "pass bobpw"), ["+OK Logged in."]);
    assert_eq!(s.user(), Some("bob"));
    assert_eq!(send(&mut s, &mut st, "USER bob"), ["-ERR Unknown command: USER"]);
}

#[test]
fn quit_before_login() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    let out = s.feed(b"QUIT\r\n", &mut st);
    assert_eq!((out.lines, out.closed), (vec!["+OK Logging out".to_string()], true));
}

#[test]
fn capa_changes_with_state_and_stls() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    let before = send(&mut s, &mut st, "CAPA");
    assert_eq!(
        before,
        [
            "+OK",
            "CAPA",
            "TOP",
            "UIDL",
            "RESP-CODES",
            "PIPELINING",
            "AUTH-RESP-CODE",
            "STLS",
            "USER",
            "SASL PLAIN LOGIN",
            "."
        ]
    );
    assert_eq!(send(&mut s, &mut st, "STLS"), ["+OK Begin TLS negotiation now."]);
    assert!(s.is_tls());
    assert!(!send(&mut s, &mut st, "CAPA").contains(&"STLS".to_string()));
    assert_eq!(send(&mut s, &mut st, "STLS"), ["-ERR TLS is already active."]);
    send(&mut s, &mut st, "AUTH PLAIN AGJvYgBib2Jwdw==");
    assert_eq!(
        send(&mut s, &mut st, "CAPA"),
        ["+OK", "CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "."]
    );
    assert_eq!(send(&mut s, &mut st, "STLS"), ["-ERR Unknown command: STLS"]);
}

#[test]
fn auth_plain_login_and_their_errors() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    assert_eq!(send(&mut s, &mut st, "AUTH"), ["+OK", "PLAIN", "LOGIN", "."]);
    assert_eq!(send(&mut s, &mut st, "AUTH PLAIN"), ["+ "]);
    assert_eq!(send(&mut s, &mut st, "*"), ["-ERR Authentication aborted by client."]);
    assert_eq!(send(&mut s, &mut st, "AUTH PLAIN"), ["+ "]);
    assert_eq!(send(&mut s, &mut st, "not base64!"), ["-ERR [AUTH] Invalid base64 in response"]);
    assert_eq!(send(&mut s, &mut st, "AUTH PLAIN !!"), ["-ERR [AUTH] Invalid base64 data in initial response"]);
    assert_eq!(send(&mut s, &mut st, "AUTH PLAIN AGJvYgB3cm9uZw=="), ["-ERR [AUTH] Authentication failed."]);
    assert_eq!(send(&mut s, &mut st, "AUTH CRAM-MD5"), ["-ERR [AUTH] Unsupported authentication mechanism."]);
    assert_eq!(send(&mut s, &mut st, "AUTH LOGIN"), ["+ VXNlcm5hbWU6"]);
    assert_eq!(send(&mut s, &mut st, "Ym9i"), ["+ UGFzc3dvcmQ6"]);
    assert_eq!(send(&mut s, &mut st, "Ym9icHc="), ["+OK Logged in."]);
}

#[test]
fn apop_when_configured() {
    let mut st = store();
    let mut c = cfg();
    c.apop = true;
    let (mut s, greeting) = Server::new(c.clone(), 697_170_952, SimRng::new(1));
    let stamp = greeting.rsplit_once(' ').map(|(_, t)| t.to_string()).unwrap();
    assert!(stamp.starts_with('<') && stamp.ends_with("@mail.example.com>"), "{greeting}");
    assert!(stamp.contains(".697170952@"), "RFC 1939 §7: process-id.clock@hostname");
    assert_eq!(
        send(&mut s, &mut st, "APOP bob 0123456789abcdef0123456789abcdef"),
        ["-ERR [AUTH] Authentication failed."]
    );
    let digest = sasl::apop_digest(&stamp, "bobpw");
    assert_eq!(send(&mut s, &mut st, &format!("APOP bob {digest}")), ["+OK Logged in."]);
    let (mut s, _) = Server::new(c, 0, SimRng::new(1));
    assert_eq!(send(&mut s, &mut st, "APOP bob"), ["-ERR [AUTH] Authentication failed."]);
}

#[test]
fn too_many_bad_commands_hang_up() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    // bad-counter.txt: a known command resets the count.
    s.feed(b"FOO\r\nBAR\r\nCAPA\r\nBAZ\r\nSTAT\r\n", &mut st);
    assert!(!s.is_closed());
    let out = s.feed(b"NOOP\r\n", &mut st);
    assert_eq!(out.lines, ["-ERR Unknown command.", "-ERR Too many invalid bad commands."]);
    assert!(out.closed);
    // too-many-bad-transaction.txt: any -ERR counts, the 21st in a row ends it.
    let mut s = logged_in(&mut st);
    let out = s.feed("LIST 99\r\n".repeat(20).as_bytes(), &mut st);
    assert!(!out.closed);
    let out = s.feed(b"RETR 0\r\n", &mut st);
    assert_eq!(out.lines, ["-ERR There's no message 0.", "-ERR Too many bad commands."]);
    assert!(out.closed);
}

#[test]
fn long_lines_end_the_session_as_dovecot_does() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    assert_eq!(send(&mut s, &mut st, &format!("USER {}", "x".repeat(1024))), ["+OK"]);
    let out = s.feed(format!("USER {}\r\n", "x".repeat(1025)).as_bytes(), &mut st);
    assert_eq!((out.lines, out.closed), (vec!["-ERR Input buffer full, aborting".to_string()], true));
    let mut s = logged_in(&mut st);
    assert!(send(&mut s, &mut st, &format!("LIST {}", "1".repeat(2041)))[0]
        .starts_with("-ERR Message number too large: 111"));
    let out = s.feed(format!("LIST {}\r\n", "1".repeat(100_000)).as_bytes(), &mut st);
    assert_eq!((out.lines, out.closed), (vec!["-ERR Input line too long.".to_string()], true));
}

#[test]
fn malformed_input_gets_an_error_never_a_panic() {
    let mut st = store();
    let mut s = logged_in(&mut st);
    assert_eq!(s.feed(b"LIST \xff\r\n", &mut st).lines, ["-ERR Invalid message number: \u{fffd}"]);
    assert_eq!(s.feed(b"LI\0ST\r\n", &mut st).lines, ["-ERR Unknown command: LI"]);
    assert_eq!(
        send(&mut s, &mut st, "RETR 99999999999999999999"),
        ["-ERR Message number too large: 99999999999999999999"]
    );
    assert_eq!(send(&mut s, &mut st, "LIST -1"), ["-ERR Invalid message number: -1"]);
    assert_eq!(send(&mut s, &mut st, ""), ["-ERR Unknown command."]);
    // Arbitrary bytes, in arbitrary pieces, in every state.
    let mut rng = SimRng::new(9);
    for round in 0..200 {
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(round));
        if round % 2 == 0 {
            s.feed(b"USER bob\r\nPASS bobpw\r\n", &mut st);
        }
        for _ in 0..20 {
            let len = (rng.next_u64() % 64) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            s.feed(&bytes, &mut st);
        }
    }
    assert!(st.list("bob", "INBOX").unwrap().len() <= 2);
}

#[test]
fn pipelined_commands_are_answered_in_order() {
    let mut st = store();
    let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
    let out = s.feed(b"USER bob\r\nPASS bobpw\r\nSTAT\nNOOP\r\nQUIT\r\nSTAT\r\n", &mut st);
    assert_eq!(
        out.lines,
        ["+OK", "+OK Logged in.", &format!("+OK 2 {}", M1.len() + M2.len()), "+OK", "+OK Logging out."]
    );
}

#[test]
fn output_goes_on_the_wire_with_crlf() {
    let out = Output { lines: vec!["+OK".into(), ".".into()], ..Default::default() };
    assert_eq!(out.to_wire(), b"+OK\r\n.\r\n");
}
