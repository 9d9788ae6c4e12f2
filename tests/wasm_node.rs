//! The engine compiled to wasm32, run by wasm-bindgen-test in Node: the same
//! sessions the browser uses must behave as they do natively.
//! Run: `make test-wasm-node`.
#![cfg(target_arch = "wasm32")]

#[path = "common/golden.rs"]
mod golden;

use mailsim::shell::{Shell, PROMPT};
use mailsim::world::World;
use wasm_bindgen_test::wasm_bindgen_test;

fn texts(sh: &mut Shell, line: &str) -> Vec<String> {
    sh.input(line).lines.into_iter().map(|l| l.text).collect()
}

#[wasm_bindgen_test]
fn a_whole_smtp_session_through_the_shell() {
    let mut sh = Shell::new(World::new(1));
    let out = texts(&mut sh, "telnet mail.example.com 25");
    assert_eq!(
        out[1..],
        [
            "Trying 192.0.2.25...",
            "Connected to mail.example.com.",
            "Escape character is '^]'.",
            "220 mail.example.com ESMTP Postfix"
        ]
    );
    assert_eq!(texts(&mut sh, "HELO client.example.net")[1], "250 mail.example.com");
    assert_eq!(texts(&mut sh, "MAIL FROM:<learner@example.net>")[1], "250 2.1.0 Ok");
    assert_eq!(texts(&mut sh, "RCPT TO:<bob@example.com>")[1], "250 2.1.5 Ok");
    assert_eq!(texts(&mut sh, "DATA")[1], "354 End data with <CR><LF>.<CR><LF>");
    assert_eq!(texts(&mut sh, "Subject: hi").len(), 1);
    assert_eq!(texts(&mut sh, "..dot").len(), 1);
    let queued = texts(&mut sh, ".");
    assert!(queued[1].starts_with("250 2.0.0 Ok: queued as "), "{queued:?}");
    assert_eq!(sh.world().accepted.len(), 1);
    // The MTA prepends its Received line (RFC 5321 §4.4); the text follows, dot-stuffing undone.
    let data = &sh.world().accepted[0].data;
    assert!(data.starts_with(b"Received: from client.example.net (client.example.net [203.0.113.10])\r\n"));
    assert!(data.ends_with(b"\r\nSubject: hi\r\n.dot\r\n"));
    assert_eq!(sh.world().accepted[0].rcpt_to, ["bob@example.com"]);
    assert_eq!(texts(&mut sh, "QUIT")[1..], ["221 2.0.0 Bye", "Connection closed by foreign host."]);
    assert_eq!(sh.prompt(), PROMPT);
}

#[wasm_bindgen_test]
fn the_same_seed_gives_the_same_queue_ids_in_wasm() {
    let run = || {
        let mut sh = Shell::new(World::new(42));
        for l in ["telnet mail.example.com 25", "HELO a", "MAIL FROM:<>", "RCPT TO:<alice@example.com>", "DATA", "x"] {
            sh.input(l);
        }
        texts(&mut sh, ".")
    };
    assert_eq!(run(), run());
}

#[wasm_bindgen_test]
fn garbage_gets_an_error_reply_not_a_panic() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 25");
    let long = "x".repeat(100_000);
    assert_eq!(texts(&mut sh, &long)[1], "500 5.5.2 Error: command not recognized");
    assert_eq!(texts(&mut sh, "\u{0}\u{7f}ÿ")[1], "500 5.5.2 Error: command not recognized");
    assert_eq!(texts(&mut sh, "RCPT TO:<a@b>")[1], "503 5.5.1 Error: need MAIL command");
}

#[wasm_bindgen_test]
fn send_with_smtp_then_read_with_pop3_through_the_shell() {
    let mut sh = Shell::new(World::new(1));
    for l in [
        "telnet mail.example.com 25",
        "HELO client.example.net",
        "MAIL FROM:<learner@example.net>",
        "RCPT TO:<bob@example.com>",
        "DATA",
        "Subject: via wasm",
        "",
        "hello",
        ".",
        "QUIT",
    ] {
        sh.input(l);
    }
    let out = texts(&mut sh, "telnet mail.example.com 110");
    assert_eq!(out.last().map(String::as_str), Some("+OK Dovecot (Debian) ready."));
    assert_eq!(texts(&mut sh, "USER bob")[1], "+OK");
    // (A note says the password went in clear text before the reply.)
    assert_eq!(texts(&mut sh, "PASS bobpw").last().map(String::as_str), Some("+OK Logged in."));
    assert!(texts(&mut sh, "STAT")[1].starts_with("+OK 4 "));
    let msg = texts(&mut sh, "RETR 4");
    assert!(msg.contains(&"Subject: via wasm".to_string()), "{msg:?}");
    assert_eq!(texts(&mut sh, "QUIT")[1..], ["+OK Logging out.", "Connection closed by foreign host."]);
}

#[wasm_bindgen_test]
fn send_with_smtp_then_read_with_imap_through_the_shell() {
    let mut sh = Shell::new(World::new(1));
    for l in [
        "telnet mail.example.com 25",
        "HELO client.example.net",
        "MAIL FROM:<learner@example.net>",
        "RCPT TO:<alice@example.com>",
        "DATA",
        "Subject: via wasm imap",
        "",
        "hello",
        ".",
        "QUIT",
    ] {
        sh.input(l);
    }
    let out = texts(&mut sh, "telnet mail.example.com 143");
    assert!(out.last().is_some_and(|l| l.ends_with("] Dovecot (Debian) ready.")), "{out:?}");
    assert!(texts(&mut sh, "a LOGIN alice alicepw")
        .last()
        .is_some_and(|l| l.starts_with("a OK [CAPABILITY IMAP4rev1 ")));
    assert!(texts(&mut sh, "b SELECT INBOX").contains(&"* 4 EXISTS".to_string()));
    let msg = texts(&mut sh, "c FETCH 4 BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
    assert!(msg.contains(&"Subject: via wasm imap".to_string()), "{msg:?}");
    assert_eq!(
        texts(&mut sh, "d LOGOUT")[1..],
        ["* BYE Logging out", "d OK Logout completed (0.001 + 0.000 secs).", "Connection closed by foreign host."]
    );
}

/// wasm equals native: the sessions of tests/common/golden.rs, run by the
/// engine compiled to wasm32, give the file the native build wrote
/// (tests/golden.rs checks the native side; MAILSIM_BLESS=1 rewrites it).
#[wasm_bindgen_test]
fn the_golden_sessions_are_the_same_in_wasm() {
    let got = golden::sessions();
    let want = include_str!("golden/sessions.json");
    if let Some(d) = golden::first_difference(&got, want) {
        panic!("wasm32 differs from the native golden file: {d}");
    }
    assert_eq!(got, want);
}
