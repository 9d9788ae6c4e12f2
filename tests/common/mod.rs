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
