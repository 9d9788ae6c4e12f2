//! Delivery status notifications (RFC 3464): the bounce an MTA sends back to
//! the sender when it gives up on recipients, in Postfix's words and layout
//! (a `multipart/report` with the notification, the machine-readable
//! delivery status and the returned message). Bounces have the null
//! reverse-path, so they are never bounced themselves (RFC 5321 §4.5.5).

use crate::sim::{compact_date, rfc5322_date, Timestamp};

/// One recipient the MTA gave up on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub recipient: String,
    /// RFC 3463 status, `5.1.1`.
    pub status: String,
    /// The remote server that refused, if one did (`mail.example.org`, its address).
    pub remote: Option<(String, String)>,
    /// What the remote said (`550 5.1.1 <x>: ...`), or the MTA's own reason.
    pub diagnostic: String,
    /// The command the refusal answered (`RCPT TO`), if any.
    pub in_reply_to: Option<String>,
}

/// The facts of the bounced message.
pub struct Bounce<'a> {
    /// The reporting MTA's host name.
    pub host: &'a str,
    pub queue_id: &'a str,
    /// The original sender: the bounce goes to this address.
    pub sender: &'a str,
    pub arrival: Timestamp,
    pub now: Timestamp,
    pub failures: &'a [Failure],
    /// The original message, returned in full (RET=FULL, Postfix's default).
    pub original: &'a [u8],
}

/// Wraps text at `width` columns with a four-space continuation indent, as
/// Postfix writes long diagnostics.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push_str("\r\n");
            line = "    ".to_string();
        } else if !line.is_empty() && line != "    " {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// Builds the bounce message (headers and body, CRLF line ends).
pub fn dsn(b: &Bounce) -> Vec<u8> {
    let boundary = format!("{}.{}/{}", b.queue_id, b.now, b.host);
    let mut problems = String::new();
    for f in b.failures {
        let mut said = match &f.remote {
            Some((name, ip)) => format!("<{}>: host {name}[{ip}] said: {}", f.recipient, f.diagnostic),
            None => format!("<{}>: {}", f.recipient, f.diagnostic),
        };
        if let Some(cmd) = &f.in_reply_to {
            said.push_str(&format!(" (in reply to {cmd} command)"));
        }
        problems.push_str(&wrap(&said, 72));
        problems.push_str("\r\n\r\n");
    }
    let mut status = format!(
        "Reporting-MTA: dns; {host}\r\nX-Postfix-Queue-ID: {qid}\r\nX-Postfix-Sender: rfc822; {sender}\r\nArrival-Date: {arrival}\r\n",
        host = b.host,
        qid = b.queue_id,
        sender = b.sender,
        arrival = rfc5322_date(b.arrival),
    );
    for f in b.failures {
        status.push_str(&format!(
            "\r\nFinal-Recipient: rfc822; {r}\r\nOriginal-Recipient: rfc822;{r}\r\nAction: failed\r\nStatus: {s}\r\n",
            r = f.recipient,
            s = f.status
        ));
        if let Some((name, _)) = &f.remote {
            status.push_str(&format!("Remote-MTA: dns; {name}\r\n"));
        }
        let kind = if f.remote.is_some() { "smtp" } else { "X-Postfix" };
        status.push_str(&wrap(&format!("Diagnostic-Code: {kind}; {}", f.diagnostic), 72));
        status.push_str("\r\n");
    }
    let mut m = format!(
        "From: MAILER-DAEMON@{host} (Mail Delivery System)\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         To: {sender}\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status;\r\n\
         \tboundary=\"{boundary}\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         Message-Id: <{date_id}.{qid}@{host}>\r\n\
         Date: {date}\r\n\
         \r\n\
         This is a MIME-encapsulated message.\r\n\
         \r\n\
         --{boundary}\r\n\
         Content-Description: Notification\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\
         \r\n\
         This is the mail system at host {host}.\r\n\
         \r\n\
         I'm sorry to have to inform you that your message could not\r\n\
         be delivered to one or more recipients. It's attached below.\r\n\
         \r\n\
         For further assistance, please send mail to postmaster.\r\n\
         \r\n\
         If you do so, please include this problem report. You can\r\n\
         delete your own text from the attached returned message.\r\n\
         \r\n\
         \x20                  The mail system\r\n\
         \r\n\
         {problems}\
         --{boundary}\r\n\
         Content-Description: Delivery report\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         {status}\
         \r\n\
         --{boundary}\r\n\
         Content-Description: Undelivered Message\r\n\
         Content-Type: message/rfc822\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n",
        host = b.host,
        sender = b.sender,
        qid = b.queue_id,
        date_id = compact_date(b.now),
        date = rfc5322_date(b.now),
    )
    .into_bytes();
    m.extend_from_slice(b.original);
    if !b.original.ends_with(b"\r\n") {
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::headers::header_value;

    #[test]
    fn a_bounce_is_an_rfc_3464_report() {
        let failures = [Failure {
            recipient: "nobody@example.org".into(),
            status: "5.1.1".into(),
            remote: Some(("mail.example.org".into(), "198.51.100.25".into())),
            diagnostic:
                "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
                    .into(),
            in_reply_to: Some("RCPT TO".into()),
        }];
        let original = b"Subject: hello\r\n\r\nhi\r\n";
        let m = dsn(&Bounce {
            host: "mail.example.com",
            queue_id: "ABC",
            sender: "alice@example.com",
            arrival: 0,
            now: 60,
            failures: &failures,
            original,
        });
        let text = String::from_utf8(m.clone()).unwrap_or_default();
        assert_eq!(header_value(&m, "Subject").as_deref(), Some("Undelivered Mail Returned to Sender"));
        assert_eq!(header_value(&m, "To").as_deref(), Some("alice@example.com"));
        assert_eq!(
            header_value(&m, "Content-Type").as_deref(),
            Some("multipart/report; report-type=delivery-status; boundary=\"ABC.60/mail.example.com\"")
        );
        // RFC 3464 §2.3: the per-recipient fields.
        for field in [
            "Final-Recipient: rfc822; nobody@example.org",
            "Action: failed",
            "Status: 5.1.1",
            "Remote-MTA: dns; mail.example.org",
            "Reporting-MTA: dns; mail.example.com",
        ] {
            assert!(text.contains(&format!("{field}\r\n")), "missing {field}:\n{text}");
        }
        assert!(text.contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address\r\n    rejected: User unknown in virtual mailbox table\r\n"), "{text}");
        let unfolded = text.replace("\r\n    ", " ");
        assert!(
            unfolded.contains(
                "<nobody@example.org>: host mail.example.org[198.51.100.25] said: 550 5.1.1 <nobody@example.org>"
            ),
            "{text}"
        );
        assert!(unfolded.contains("(in reply to RCPT TO command)"));
        assert!(text.contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: hello\r\n\r\nhi\r\n\r\n--ABC.60/mail.example.com--\r\n"));
        assert!(text.lines().all(|l| l.len() <= 998), "RFC 5322 §2.1.1 line limit");
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a b c", 3), "a b\r\n    c");
        assert_eq!(wrap("short", 72), "short");
    }
}
