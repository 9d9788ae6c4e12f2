//! What a delivered message looks like, and the mail every mailbox starts with.
//!
//! On delivery, Postfix prepends its `Received:` line (RFC 5321 §4.4) and
//! Dovecot's LMTP prepends `Return-Path:`, `Delivered-To:` and its own
//! `Received:` line. [`delivery_headers`] writes them exactly as the peers in
//! `shared/peers` do. [`seed_user`] delivers the three messages that
//! `start-peers.sh` sends with swaks, so that POP3 and IMAP sessions have the
//! same mail to read as the recordings.

use super::{MailStore, StoreError};
use crate::sim::{compact_date, rfc5322_date, SimRng, Timestamp};

/// The facts a delivery's trace headers record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace<'a> {
    /// The reverse-path (`MAIL FROM`), without brackets; empty for `<>`.
    pub mail_from: &'a str,
    /// The recipient mailbox, `user@domain`.
    pub rcpt: &'a str,
    /// The name the client gave in HELO/EHLO (`unknown` if none).
    pub helo: &'a str,
    pub client_ip: &'a str,
    /// The MTA's host name (Postfix `myhostname`).
    pub mta: &'a str,
    /// The host name Dovecot's LMTP writes (the machine's own name).
    pub mda: &'a str,
    /// Postfix's queue id.
    pub queue_id: &'a str,
    /// Dovecot's LMTP session id (22 base64 characters).
    pub lmtp_id: &'a str,
    /// True when the SMTP session had done STARTTLS (`with ESMTPS`).
    pub tls: bool,
    pub now: Timestamp,
}

/// The header lines prepended on delivery, CRLF-terminated, newest first.
pub fn delivery_headers(t: &Trace) -> String {
    let date = rfc5322_date(t.now);
    let with = if t.tls { "ESMTPS" } else { "ESMTP" };
    format!(
        "Return-Path: <{from}>\r\n\
         Delivered-To: {rcpt}\r\n\
         Received: from {mta} ([127.0.0.1])\r\n\
         \tby {mda} with LMTP\r\n\
         \tid {lmtp}\r\n\
         \t(envelope-from <{from}>)\r\n\
         \tfor <{rcpt}>; {date}\r\n\
         Received: from {helo} (unknown [{ip}])\r\n\
         \tby {mta} (Postfix) with {with} id {qid}\r\n\
         \tfor <{rcpt}>; {date} (UTC)\r\n",
        from = t.mail_from,
        rcpt = t.rcpt,
        mta = t.mta,
        mda = t.mda,
        lmtp = t.lmtp_id,
        helo = t.helo,
        ip = t.client_ip,
        qid = t.queue_id,
    )
}

/// A Dovecot-style LMTP session id: 16 random bytes in base64, unpadded.
pub fn lmtp_id(rng: &mut SimRng) -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let r = rng.next_u64().to_le_bytes();
        chunk.copy_from_slice(&r[..chunk.len()]);
    }
    crate::encoding::base64_encode(&bytes).trim_end_matches('=').to_string()
}

/// The three messages of `start-peers.sh`, as swaks writes them, for `to`
/// (`bob@example.com`), sent from host `helo` by swaks process `pid`.
/// Returns (sender, message) pairs.
pub fn swaks_messages(to: &str, helo: &str, now: Timestamp, pid: u32) -> [(&'static str, String); 3] {
    let user = to.split('@').next().unwrap_or(to);
    let head = |from: &str, subject: &str, pid: u32| {
        format!(
            "Date: {}\r\nTo: {to}\r\nFrom: {from}\r\nSubject: {subject}\r\nMessage-Id: <{}.{pid:06}@{helo}>\r\n\
             X-Mailer: swaks v20201014.0 jetmore.org/john/code/swaks/\r\n",
            rfc5322_date(now),
            compact_date(now),
        )
    };
    let welcome = format!(
        "{}\r\nFirst message for {user}.\r\n\r\n\r\n",
        head("sender@example.net", &format!("Welcome, {user}"), pid)
    );
    let b = format!("----=_MIME_BOUNDARY_000_{}", pid + 1);
    let report = format!(
        "{}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{b}\"\r\n\r\n\
         --{b}\r\nContent-Type: text/plain\r\n\r\nSee the attached note.\r\n\
         --{b}\r\nContent-Type: text/plain; name=\"note.txt\"\r\nContent-Description: note.txt\r\n\
         Content-Disposition: attachment; filename=\"note.txt\"\r\nContent-Transfer-Encoding: BASE64\r\n\r\n\
         aGVsbG8gYXR0YWNobWVudCBjb250ZW50\r\n\r\n--{b}--\r\n\r\n\r\n",
        head("carol@example.net", "Report with attachment", pid + 1)
    );
    let third = format!("{}\r\nShort one.\r\n\r\n\r\n", head("dave@example.net", "Third message", pid + 2));
    [("sender@example.net", welcome), ("carol@example.net", report), ("dave@example.net", third)]
}

/// Creates `user`'s account and delivers the three seed messages into its
/// INBOX, as swaks on the mail host `mta` (machine name `mda`) sent them at `now`.
pub fn seed_user(
    store: &mut MailStore,
    user: &str,
    domain: &str,
    mta: &str,
    mda: &str,
    now: Timestamp,
    rng: &mut SimRng,
) -> Result<(), StoreError> {
    store.create_user(user, now);
    let rcpt = format!("{user}@{domain}");
    let pid = 1000 + (rng.next_u64() % 30_000) as u32;
    for (from, body) in swaks_messages(&rcpt, mda, now, pid) {
        let (qid, lmtp) = (rng.queue_id(), lmtp_id(rng));
        let t = Trace {
            mail_from: from,
            rcpt: &rcpt,
            helo: mda,
            client_ip: "127.0.0.1",
            mta,
            mda,
            queue_id: &qid,
            lmtp_id: &lmtp,
            tls: false,
            now,
        };
        let raw = format!("{}{body}", delivery_headers(&t));
        store.deliver(user, "INBOX", raw.as_bytes(), now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crlf(lf: &[u8]) -> Vec<u8> {
        String::from_utf8_lossy(lf).replace('\n', "\r\n").into_bytes()
    }

    /// The same names, ids and time as the recorded delivery give the same bytes.
    #[test]
    fn builds_exactly_what_the_peers_stored() {
        let now = 1_795_419_595; // Mon, 23 Nov 2026 07:39:55 +0000
        let recorded = [
            &include_bytes!("../../tests/fixtures/peers-maildir/bob-1.eml")[..],
            &include_bytes!("../../tests/fixtures/peers-maildir/bob-2.eml")[..],
            &include_bytes!("../../tests/fixtures/peers-maildir/bob-3.eml")[..],
        ];
        let ids = [
            ("gH2RL8vtA2smbgAAg+zDdQ", "C24A4D4447"),
            ("0K+yMcvtA2smbgAAg+zDdQ", "CB273D4447"),
            ("sFPSM8vtA2smbgAAg+zDdQ", "D3C29D4447"),
        ];
        let msgs = swaks_messages("bob@example.com", "vm", now, 28200);
        for (i, (from, body)) in msgs.iter().enumerate() {
            let t = Trace {
                mail_from: from,
                rcpt: "bob@example.com",
                helo: "vm",
                client_ip: "127.0.0.1",
                mta: "mail.example.com",
                mda: "vm",
                queue_id: ids[i].1,
                lmtp_id: ids[i].0,
                tls: false,
                now,
            };
            let built = format!("{}{body}", delivery_headers(&t)).into_bytes();
            assert_eq!(
                String::from_utf8_lossy(&built),
                String::from_utf8_lossy(&crlf(recorded[i])),
                "message {}",
                i + 1
            );
        }
        // Dovecot's LIST sizes for them (pop3-session.txt): 653, 1082, 636.
        let sizes: Vec<usize> = recorded.iter().map(|r| crlf(r).len()).collect();
        assert_eq!(sizes, [653, 1082, 636]);
    }

    #[test]
    fn seeding_fills_the_inbox() {
        let mut s = MailStore::new();
        let mut rng = SimRng::new(1);
        seed_user(&mut s, "bob", "example.com", "mail.example.com", "mail", 1_000_000, &mut rng).unwrap();
        let inbox = s.list("bob", "INBOX").unwrap();
        assert_eq!(inbox.len(), 3);
        let text = String::from_utf8_lossy(&inbox[1].raw).into_owned();
        assert!(text.contains("Subject: Report with attachment\r\n"), "{text}");
        assert!(text.starts_with("Return-Path: <carol@example.net>\r\nDelivered-To: bob@example.com\r\n"));
        assert!(inbox.iter().all(|m| !m.raw.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r')));
        assert_eq!(lmtp_id(&mut rng).len(), 22);
    }
}
