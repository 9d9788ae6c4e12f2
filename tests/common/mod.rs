//! Helpers shared by the world tests: a line over a connection, and a
//! message sent over SMTP port 25 of mail.example.com.
#![allow(dead_code)]

use mailsim::world::{Connection, World};

/// Sends one line (CRLF added) and returns the answer's lines.
pub fn send(world: &mut World, conn: &mut Connection, line: &str) -> Vec<String> {
    world.send(conn, format!("{line}\r\n").as_bytes()).lines
}

/// Sends a message with this subject and one body line to `rcpt` by SMTP
/// (typed as on the wire: dot-stuffed), and checks it was queued.
pub fn smtp_to(world: &mut World, rcpt: &str, subject: &str, body_line: &str) {
    let (mut c, _) = world.connect("mail.example.com", 25).expect("SMTP on port 25");
    let out = world.send(
        &mut c,
        format!("HELO client.example.net\r\nMAIL FROM:<learner@example.net>\r\nRCPT TO:<{rcpt}>\r\nDATA\r\nSubject: {subject}\r\n\r\n{body_line}\r\n.\r\nQUIT\r\n").as_bytes(),
    );
    assert!(out.lines.iter().any(|l| l.starts_with("250 2.0.0 Ok: queued as ")), "{out:?}");
}

/// Plays a script in record.py's format (one client line per line; `#`
/// lines skipped; `!nowait LINE` is LINE) from `client` to `host:port`, as
/// the real peers were played it (tests/fixtures/dsn/scripts/). Returns
/// every line the server answered.
pub fn play_script(world: &mut World, client: mailsim::smtp::Peer, host: &str, port: u16, path: &str) -> Vec<String> {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    play_lines(world, client, host, port, &script.lines().collect::<Vec<_>>())
}

/// As [`play_script`], with the script's lines given.
pub fn play_lines(
    world: &mut World,
    client: mailsim::smtp::Peer,
    host: &str,
    port: u16,
    lines: &[&str],
) -> Vec<String> {
    let (mut c, greeting) = world.connect_from(client, host, port).expect("the service is open");
    let mut answers = greeting.lines;
    for &line in lines {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("!nowait ").unwrap_or(line);
        answers.extend(send(world, &mut c, line));
    }
    answers
}

/// The messages in a user's INBOX on a host, oldest first.
pub fn inbox(world: &World, host: &str, user: &str) -> Vec<Vec<u8>> {
    world
        .store(host)
        .and_then(|s| s.list(user, "INBOX").ok())
        .map(|m| m.iter().map(|x| x.raw.clone()).collect())
        .unwrap_or_default()
}

/// A recorded file under tests/fixtures/, with CRLF line ends (the Maildir
/// copies have LF).
pub fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}")).replace("\r\n", "\n").replace('\n', "\r\n")
}
