//! A fixed set of sessions whose every byte is kept in tests/golden/sessions.json:
//! SMTP on port 25 and on 587 with AUTH, POP3, IMAP, and the world's event
//! stream for a seeded world that relays, greylists and retries. The native
//! test (tests/golden.rs) compares it with the file and rewrites it with
//! MAILSIM_BLESS=1; tests/wasm_node.rs compares the engine compiled to wasm32
//! with the same file (`include_str!`), so wasm must equal native.
//! Included with `#[path]` by both.
#![allow(dead_code)]

use mailsim::smtp::client::{ClientConfig, Outgoing};
use mailsim::world::report::render;
use mailsim::world::World;
use serde_json::{json, Value};

/// Runs a dialogue: each step's bytes are sent whole; the transcript has
/// `C: ` lines for what was sent and `S: ` lines for every reply line.
fn dialogue(world: &mut World, host: &str, port: u16, steps: &[&str]) -> Vec<String> {
    let (mut conn, greeting) = world.connect(host, port).expect("the service answers");
    let mut t: Vec<String> = greeting.lines.iter().map(|l| format!("S: {l}")).collect();
    for step in steps {
        t.extend(step.split_inclusive('\n').map(|l| format!("C: {}", l.trim_end_matches(['\r', '\n']))));
        let answer = world.send(&mut conn, step.as_bytes());
        t.extend(answer.lines.iter().map(|l| format!("S: {l}")));
        if answer.closed {
            t.push("-- closed".to_string());
        }
    }
    t
}

/// The sessions, as pretty JSON ending in a newline.
pub fn sessions() -> String {
    let mut world = World::new(42);
    let smtp_25 = dialogue(
        &mut world,
        "mail.example.com",
        25,
        &[
            "EHLO client.example.net\r\n",
            "MAIL FROM:<learner@example.net> SIZE=200\r\n",
            "RCPT TO:<alice@example.com>\r\n",
            "RCPT TO:<nobody@example.com>\r\n",
            "RCPT TO:<carol@example.org>\r\n",
            "RCPT TO:<team@example.com> NOTIFY=SUCCESS,FAILURE\r\n",
            "DATA\r\n",
            "From: learner@example.net\r\nTo: alice@example.com\r\nSubject: golden\r\n\r\n..a stuffed dot\r\nbye\r\n.\r\n",
            "VRFY bob\r\n",
            "BDAT 5 LAST\r\nhello",
            "MAIL FROM:<>\r\nRCPT TO:<bob@example.com>\r\nBDAT 12 LAST\r\nSubject: b\r\n",
            "QUIT\r\n",
        ],
    );
    let smtp_587 = dialogue(
        &mut world,
        "mail.example.com",
        587,
        &[
            "EHLO client.example.net\r\n",
            "MAIL FROM:<alice@example.com>\r\nRCPT TO:<carol@example.org>\r\nRSET\r\n",
            "AUTH LOGIN\r\n",
            "YWxpY2U=\r\n",
            "d3Jvbmc=\r\n",
            "AUTH PLAIN AGFsaWNlAGFsaWNlcHc=\r\n",
            "MAIL FROM:<alice@example.com>\r\n",
            "RCPT TO:<carol@example.org>\r\n",
            "DATA\r\n",
            "From: alice@example.com\r\nTo: carol@example.org\r\nSubject: out\r\n\r\nHello, Carol.\r\n.\r\n",
            "QUIT\r\n",
        ],
    );
    let pop3 = dialogue(
        &mut world,
        "mail.example.com",
        110,
        &[
            "CAPA\r\n",
            "USER bob\r\n",
            "PASS wrong\r\n",
            "USER bob\r\n",
            "PASS bobpw\r\n",
            "STAT\r\n",
            "LIST\r\n",
            "UIDL\r\n",
            "TOP 1 2\r\n",
            "RETR 4\r\n",
            "DELE 1\r\n",
            "RSET\r\n",
            "DELE 2\r\n",
            "QUIT\r\n",
        ],
    );
    let imap = dialogue(
        &mut world,
        "mail.example.com",
        143,
        &[
            "a CAPABILITY\r\n",
            "b LOGIN alice alicepw\r\n",
            "c LIST \"\" *\r\n",
            "d SELECT INBOX\r\n",
            "e FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\r\n",
            "f STORE 1 +FLAGS (\\Flagged)\r\n",
            "g SEARCH UNSEEN\r\n",
            "h FETCH 4 (BODY[HEADER.FIELDS (SUBJECT FROM)] BODY[TEXT])\r\n",
            "i APPEND Drafts (\\Draft) {23}\r\nSubject: draft\r\n\r\nwip\r\n\r\n",
            "j UID SEARCH ALL\r\n",
            "k STORE 2 +FLAGS (\\Deleted)\r\nl EXPUNGE\r\n",
            "m LOGOUT\r\n",
        ],
    );
    // A message through the world with greylisting at the far end: relayed
    // from the submission host, deferred, retried on the simulated clock.
    world.faults_mut().greylisting = true;
    let msg = Outgoing {
        mail_from: "bob@example.com".into(),
        mail_params: vec![],
        rcpt_to: vec!["dave@example.org".into(), "nobody@example.org".into()],
        data: b"From: bob@example.com\r\nTo: dave@example.org\r\nSubject: traced\r\n\r\nHi.\r\n".to_vec(),
    };
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.auth = Some(("bob".into(), "bobpw".into()));
    world.send_from_client("mail.example.com", 587, cfg, msg);
    let start = world.now();
    world.run_until_idle(start + 86_400);
    let report = render(world.events(), true);
    let v: Value = json!({
        "smtp_25": smtp_25,
        "smtp_587": smtp_587,
        "pop3": pop3,
        "imap": imap,
        "world": { "now": world.now(), "report": report, "events": world.events() },
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON");
    s.push('\n');
    s
}

/// The first line where `got` and `want` differ, with some context, for a readable failure.
pub fn first_difference(got: &str, want: &str) -> Option<String> {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let at = (0..g.len().max(w.len())).find(|&i| g.get(i) != w.get(i))?;
    Some(format!("line {}: got {:?}, golden {:?} ({} vs {} lines)", at + 1, g.get(at), w.get(at), g.len(), w.len()))
}
