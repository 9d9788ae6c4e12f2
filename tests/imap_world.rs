//! The world end to end, natively: mail sent with SMTP shows up in IMAP
//! sessions (an idling one is told at once), and two IMAP sessions on one
//! mailbox see each other's flag changes and expunges.
#![cfg(not(target_arch = "wasm32"))]

use mailsim::world::{Connection, World};

mod common;
use common::send;

fn smtp_to(world: &mut World, rcpt: &str, subject: &str) {
    common::smtp_to(world, rcpt, subject, "hi");
}

fn imap_as_alice(w: &mut World) -> Connection {
    let (mut c, greeting) = w.connect("mail.example.com", 143).expect("IMAP on port 143");
    assert!(greeting.lines[0].starts_with("* OK [CAPABILITY IMAP4rev1 "), "{greeting:?}");
    assert!(send(w, &mut c, "a LOGIN alice alicepw")[0].ends_with("] Logged in"));
    c
}

#[test]
fn smtp_delivery_reaches_a_selected_and_an_idling_session() {
    let mut w = World::new(5);
    let mut reader = imap_as_alice(&mut w);
    let sel = send(&mut w, &mut reader, "s SELECT INBOX");
    assert!(sel.contains(&"* 3 EXISTS".to_string()) && sel.contains(&"* 3 RECENT".to_string()), "{sel:?}");
    let mut idler = imap_as_alice(&mut w);
    send(&mut w, &mut idler, "s SELECT INBOX");
    assert_eq!(send(&mut w, &mut idler, "i IDLE"), ["+ idling"]);

    smtp_to(&mut w, "alice@example.com", "Lunch?");

    // imap/idle.txt: the idling session is told without asking; the first
    // session to see the message has it as \Recent.
    assert_eq!(w.poll(&mut idler).lines, ["* 4 EXISTS", "* 1 RECENT"]);
    assert_eq!(send(&mut w, &mut idler, "DONE"), ["i OK Idle completed (0.001 + 0.000 secs)."]);
    assert_eq!(
        send(&mut w, &mut reader, "n NOOP"),
        ["* 4 EXISTS", "* 3 RECENT", "n OK NOOP completed (0.001 + 0.000 secs)."]
    );
    let hdr = send(&mut w, &mut reader, "f FETCH 4 BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
    assert_eq!(hdr[..2], ["* 4 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {19}", "Subject: Lunch?"]);
    assert!(w.poll(&mut reader).lines.is_empty(), "outside IDLE nothing comes unasked");
}

#[test]
fn two_sessions_see_each_others_flags_and_expunges() {
    let mut w = World::new(6);
    let mut a = imap_as_alice(&mut w);
    let mut b = imap_as_alice(&mut w);
    send(&mut w, &mut a, "s SELECT INBOX");
    send(&mut w, &mut b, "s SELECT INBOX");
    assert_eq!(send(&mut w, &mut a, "x STORE 2 +FLAGS (\\Flagged)")[0], "* 2 FETCH (FLAGS (\\Flagged \\Recent))");
    assert_eq!(send(&mut w, &mut b, "n NOOP")[0], "* 2 FETCH (FLAGS (\\Flagged))");
    send(&mut w, &mut b, "y STORE 1 +FLAGS.SILENT (\\Deleted)");
    assert_eq!(send(&mut w, &mut b, "e EXPUNGE")[0], "* 1 EXPUNGE");
    assert_eq!(send(&mut w, &mut a, "i IDLE")[..2], ["* 1 EXPUNGE", "* 2 RECENT"]);
    send(&mut w, &mut b, "z STORE 1 -FLAGS.SILENT (\\Flagged)");
    assert_eq!(w.poll(&mut a).lines, ["* 1 FETCH (FLAGS (\\Recent))"]);
}
