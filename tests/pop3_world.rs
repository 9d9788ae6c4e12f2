//! The world end to end, natively: mail sent with SMTP is read with POP3.
#![cfg(not(target_arch = "wasm32"))]

use mailsim::world::World;

mod common;
use common::send;

fn smtp_to(world: &mut World, rcpt: &str, subject: &str) {
    common::smtp_to(world, rcpt, subject, "..hi");
}

fn stat_count(line: &str) -> usize {
    line.split(' ').nth(1).and_then(|n| n.parse().ok()).expect("+OK n size")
}

#[test]
fn smtp_to_bob_then_pop3_as_bob_sees_it() {
    let mut w = World::new(3);
    assert!(w.seed_errors().is_empty(), "seeding refused: {:?}", w.seed_errors());
    let (mut p, greeting) = w.connect("mail.example.com", 110).expect("POP3 on port 110");
    assert_eq!(greeting.lines, ["+OK Dovecot (Debian) ready."]);
    send(&mut w, &mut p, "USER bob");
    send(&mut w, &mut p, "PASS bobpw");
    let before = stat_count(&send(&mut w, &mut p, "STAT")[0]);
    assert_eq!(before, 3, "the three seeded messages");
    send(&mut w, &mut p, "QUIT");

    smtp_to(&mut w, "bob@example.com", "Lunch?");

    let (mut p, _) = w.connect("mail.example.com", 110).expect("POP3");
    send(&mut w, &mut p, "USER bob");
    send(&mut w, &mut p, "PASS bobpw");
    assert_eq!(stat_count(&send(&mut w, &mut p, "STAT")[0]), before + 1);
    let msg = send(&mut w, &mut p, "RETR 4");
    assert!(msg[0].ends_with(" octets"), "{msg:?}");
    assert_eq!(msg[1], "Return-Path: <learner@example.net>");
    assert_eq!(msg[2], "Delivered-To: bob@example.com");
    assert!(msg.contains(&"Subject: Lunch?".to_string()), "{msg:?}");
    assert!(msg.contains(&"..hi".to_string()), "SMTP unstuffed the dot, POP3 stuffs it again: {msg:?}");
    assert_eq!(msg.last().map(String::as_str), Some("."));
    // The octet count is the stored size, which is what LIST says too.
    let list = send(&mut w, &mut p, "LIST 4");
    assert_eq!(list[0].split(' ').nth(2), msg[0].split(' ').nth(1));
}

#[test]
fn an_alias_delivers_to_each_user_once() {
    let mut w = World::new(3);
    smtp_to(&mut w, "team@example.com", "All hands");
    let store = w.store("mail.example.com").expect("a store");
    for user in ["alice", "bob"] {
        let inbox = store.list(user, "INBOX").expect("inbox");
        assert_eq!(inbox.len(), 4, "{user}");
        let text = String::from_utf8_lossy(&inbox[3].raw);
        assert!(text.contains(&format!("\r\n\tfor <{user}@example.com>; ")), "{text}");
    }
    assert!(w.store("mail.example.org").expect("org store").list("carol", "INBOX").expect("inbox").is_empty());
}

/// tests/transcripts/pop3/dele-quit.txt, after the SMTP delivery that gave alice a fourth message.
#[test]
fn dele_then_quit_removes_the_message_for_good() {
    let mut w = World::new(3);
    smtp_to(&mut w, "alice@example.com", "Throwaway for DELE+QUIT");
    let (mut p, _) = w.connect("mail.example.com", 110).expect("POP3");
    assert_eq!(send(&mut w, &mut p, "USER alice"), ["+OK"]);
    assert_eq!(send(&mut w, &mut p, "PASS alicepw"), ["+OK Logged in."]);
    assert_eq!(stat_count(&send(&mut w, &mut p, "STAT")[0]), 4);
    assert_eq!(send(&mut w, &mut p, "DELE 4"), ["+OK Marked to be deleted."]);
    let out = w.send(&mut p, b"QUIT\r\n");
    assert_eq!(out.lines, ["+OK Logging out, messages deleted."]);
    assert!(out.closed);
    let (mut p, _) = w.connect("mail.example.com", 110).expect("POP3");
    send(&mut w, &mut p, "USER alice");
    send(&mut w, &mut p, "PASS alicepw");
    assert_eq!(stat_count(&send(&mut w, &mut p, "STAT")[0]), 3);
    assert_eq!(send(&mut w, &mut p, "UIDL 3")[0].split(' ').nth(2).map(|u| &u[..8]), Some("00000003"));
}

#[test]
fn a_dropped_pop3_session_deletes_nothing() {
    let mut w = World::new(3);
    let (mut p, _) = w.connect("mail.example.com", 110).expect("POP3");
    w.send(&mut p, b"USER bob\r\nPASS bobpw\r\nDELE 1\r\nDELE 2\r\n");
    drop(p);
    assert_eq!(w.store("mail.example.com").expect("store").list("bob", "INBOX").expect("inbox").len(), 3);
}
