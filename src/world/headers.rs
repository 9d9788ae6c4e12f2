//! Header lines the world's agents add to a message, so that its header chain
//! tells the path it took (RFC 5321 §4.4 trace fields, seed topic T09):
//! each MTA prepends a `Received:` line, the MDA adds `Return-Path:` and
//! `Delivered-To:` and its own `Received:`, and the MSA completes a message
//! that lacks `Date:` or `Message-ID:` (RFC 6409 §8.2, §8.3). Formats follow
//! Postfix and Dovecot's LMTP (tests/fixtures/peers-maildir/).

use crate::sim::{rfc5322_date, Timestamp};
use crate::smtp::{Envelope, Peer};

/// Postfix's date (its `mail_date`): RFC 5322 §3.3 with the day padded by a
/// space and the zone's name, `Tue,  1 Dec 2026 22:49:12 +0000 (UTC)`
/// (tests/fixtures/dsn/: Received, Date and Arrival-Date).
pub fn postfix_date(t: Timestamp) -> String {
    let d = rfc5322_date(t);
    let d = match d.split_once(", 0") {
        Some((wday, rest)) => format!("{wday},  {rest}"),
        None => d,
    };
    format!("{d} (UTC)")
}

/// The `with` keyword of a Received line (RFC 3848): ESMTP, plus S for TLS
/// and A for an authenticated client.
pub fn with_protocol(extended: bool, tls: bool, authenticated: bool) -> String {
    let mut w = String::from(if extended { "ESMTP" } else { "SMTP" });
    if tls {
        w.push('S');
    }
    if authenticated {
        w.push('A');
    }
    if !extended && (tls || authenticated) {
        // RFC 3848 defines the suffixes for ESMTP only.
        w = format!("E{w}");
    }
    w
}

/// Postfix's Received line for a message its SMTP server accepted. The
/// client is named by its HELO and by its reverse-DNS name (`unknown`
/// without one); `for <rcpt>` only when there is exactly one recipient.
pub fn received_postfix(env: &Envelope, by: &str) -> String {
    let helo = env.helo.as_deref().filter(|h| !h.is_empty()).unwrap_or("unknown");
    let Peer { name, ip } = &env.client;
    let with = with_protocol(true, env.tls, env.auth_user.is_some());
    let date = postfix_date(env.received_at);
    let for_clause = match env.rcpt_to.as_slice() {
        [one] => format!("\r\n\tfor <{one}>; {date}"),
        _ => format!("; {date}"),
    };
    format!(
        "Received: from {helo} ({} [{ip}])\r\n\tby {by} (Postfix) with {with} id {}{for_clause}\r\n",
        name.as_deref().unwrap_or("unknown"),
        env.queue_id
    )
}

/// The lines Dovecot's LMTP adds when it stores a message for `rcpt`.
pub fn lmtp_headers(env: &Envelope, rcpt: &str, mta: &str, mda: &str, lmtp_id: &str, now: Timestamp) -> String {
    format!(
        "Return-Path: <{from}>\r\n\
         Delivered-To: {rcpt}\r\n\
         Received: from {mta} ([127.0.0.1])\r\n\
         \tby {mda} with LMTP\r\n\
         \tid {lmtp_id}\r\n\
         \t(envelope-from <{from}>)\r\n\
         \tfor <{rcpt}>; {date}\r\n",
        from = env.mail_from,
        date = rfc5322_date(now),
    )
}

/// The header section of a message (up to the first empty line).
fn header_section(data: &[u8]) -> &[u8] {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 2).unwrap_or(data.len());
    &data[..end]
}

/// True when the message has a header field of this name (case-insensitive).
pub fn has_header(data: &[u8], name: &str) -> bool {
    header_section(data).split(|&b| b == b'\n').any(|line| {
        line.len() > name.len() && line[name.len()] == b':' && line[..name.len()].eq_ignore_ascii_case(name.as_bytes())
    })
}

/// The value of the first header field of this name, unfolded.
pub fn header_value(data: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(header_section(data));
    let mut lines = text.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        let Some((field, value)) = line.split_once(':') else { continue };
        if field.eq_ignore_ascii_case(name) {
            let mut v = value.trim().to_string();
            while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                v.push(' ');
                v.push_str(next.trim());
                lines.next();
            }
            return Some(v);
        }
    }
    None
}

/// How many Received lines the message carries (its hop count, RFC 5321 §6.3).
pub fn hop_count(data: &[u8]) -> usize {
    header_section(data)
        .split(|&b| b == b'\n')
        .filter(|l| l.len() >= 9 && l[..9].eq_ignore_ascii_case(b"received:"))
        .count()
}

/// What the MSA adds to a submitted message that lacks them (RFC 6409 §8.2,
/// §8.3): `Date:` and `Message-ID:`, in Postfix's order (before the rest).
pub fn complete_submission(data: &[u8], queue_id: &str, host: &str, now: Timestamp) -> Vec<u8> {
    let mut extra = String::new();
    if !has_header(data, "Date") {
        extra.push_str(&format!("Date: {}\r\n", postfix_date(now)));
    }
    if !has_header(data, "Message-ID") {
        extra.push_str(&format!("Message-Id: <{}.{queue_id}@{host}>\r\n", crate::sim::compact_date(now)));
    }
    let mut out = Vec::with_capacity(data.len() + extra.len());
    // Postfix's cleanup appends missing headers at the end of the header section.
    let split = header_section(data).len();
    let (head, body) = data.split_at(split);
    let head_has_blank = data.len() > split;
    out.extend_from_slice(head);
    out.extend_from_slice(extra.as_bytes());
    if !head_has_blank && !data.is_empty() && !data.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(rcpts: &[&str], tls: bool, auth: bool) -> Envelope {
        Envelope {
            queue_id: "C24A4D4447".into(),
            helo: Some("vm".into()),
            mail_from: "sender@example.net".into(),
            mail_params: vec![],
            rcpt_to: rcpts.iter().map(|s| s.to_string()).collect(),
            dsn: Default::default(),
            rcpt_dsn: Vec::new(),
            data: b"Subject: x\r\n\r\nbody\r\n".to_vec(),
            tls,
            auth_user: auth.then(|| "alice".into()),
            client: Peer::new(None, "127.0.0.1"),
            received_at: 1_795_419_595,
        }
    }

    #[test]
    fn received_as_in_the_peers_maildir() {
        // tests/fixtures/peers-maildir/bob-1.eml, lines 8-10.
        assert_eq!(
            received_postfix(&env(&["bob@example.com"], false, false), "mail.example.com"),
            "Received: from vm (unknown [127.0.0.1])\r\n\tby mail.example.com (Postfix) with ESMTP id C24A4D4447\r\n\tfor <bob@example.com>; Mon, 23 Nov 2026 07:39:55 +0000 (UTC)\r\n"
        );
        let two = received_postfix(&env(&["a@x", "b@x"], true, true), "mail.example.com");
        assert!(two.contains("with ESMTPSA id C24A4D4447; Mon, 23 Nov 2026"), "{two}");
    }

    #[test]
    fn lmtp_lines_as_in_the_peers_maildir() {
        let h = lmtp_headers(
            &env(&["bob@example.com"], false, false),
            "bob@example.com",
            "mail.example.com",
            "vm",
            "gH2RL8vtA2smbgAAg+zDdQ",
            1_795_419_595,
        );
        let fixture =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/peers-maildir/bob-1.eml"))
                .unwrap_or_default();
        let fixture = fixture.replace("\r\n", "\n").replace('\n', "\r\n");
        assert!(fixture.starts_with(&h), "{h}");
    }

    #[test]
    fn with_keywords_follow_rfc_3848() {
        assert_eq!(with_protocol(true, false, false), "ESMTP");
        assert_eq!(with_protocol(true, true, false), "ESMTPS");
        assert_eq!(with_protocol(true, false, true), "ESMTPA");
        assert_eq!(with_protocol(true, true, true), "ESMTPSA");
        assert_eq!(with_protocol(false, false, false), "SMTP");
    }

    #[test]
    fn headers_are_found_and_completed() {
        let m = b"Subject: hi\r\nFrom: a@b\r\n  (folded)\r\n\r\nDate: not a header\r\n";
        assert!(has_header(m, "subject"));
        assert!(!has_header(m, "Date"), "a body line is not a header");
        assert_eq!(header_value(m, "from").as_deref(), Some("a@b (folded)"));
        let done = complete_submission(m, "ABC", "mail.example.com", 1_794_819_600);
        let text = String::from_utf8(done).unwrap_or_default();
        assert!(text.starts_with("Subject: hi\r\nFrom: a@b\r\n  (folded)\r\nDate: Mon, 16 Nov 2026 09:00:00 +0000 (UTC)\r\nMessage-Id: <20261116090000.ABC@mail.example.com>\r\n\r\nDate: not"), "{text}");
        assert_eq!(
            complete_submission(b"Date: x\r\nMessage-ID: <y>\r\n\r\nb\r\n", "A", "h", 0),
            b"Date: x\r\nMessage-ID: <y>\r\n\r\nb\r\n"
        );
        assert_eq!(hop_count(b"Received: a\r\nreceived: b\r\nX: y\r\n\r\nReceived: body\r\n"), 2);
    }
}
