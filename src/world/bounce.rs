//! Delivery status notifications (RFC 3464) in Postfix 3.7's words and
//! layout: a `multipart/report` with the notification, the machine-readable
//! delivery status and the returned message or its headers. Three kinds, as
//! RFC 3461 §4.1 asks for: failure ("Undelivered Mail Returned to Sender"),
//! success ("Successful Mail Delivery Report") and delay ("Delayed Mail
//! (still being retried)"). Every text and field order is taken from real
//! Postfix DSNs (tests/fixtures/dsn/, with the commands that made them).
//! DSNs have the null reverse-path, so they are never bounced themselves
//! (RFC 5321 §4.5.5).

use super::headers::postfix_date;
use crate::sim::{compact_date, Timestamp};
pub use crate::smtp::dsn::Kind;
use crate::smtp::dsn::Ret;

/// The server a recipient was handed to: name, address and port.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remote {
    pub name: String,
    pub ip: String,
    pub port: u16,
}

/// One recipient in a DSN (RFC 3464 §2.3): what became of it and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    /// Final-Recipient: the address the MTA delivered to (aliases expanded).
    pub recipient: String,
    /// Original-Recipient (RFC 3464 §2.3.1), `rfc822;addr`: the ORCPT the
    /// client gave, or the recipient as it arrived; `None` uses `recipient`.
    pub original: Option<String>,
    /// RFC 3463 status, `5.1.1`.
    pub status: String,
    /// RFC 3464 §2.3.3 action: `failed`, `delayed`, `delivered`, `relayed`.
    pub action: String,
    /// The server that answered, if one did.
    pub remote: Option<Remote>,
    /// What the remote said (`550 5.1.1 <x>: ...`), or the MTA's own reason.
    pub diagnostic: String,
    /// The command the reply answered (`RCPT TO`), if any.
    pub in_reply_to: Option<String>,
}

/// What a failure is called elsewhere in the world.
pub type Failure = Notice;

impl Notice {
    /// A failure the MTA found itself (no remote server said it).
    pub fn local(recipient: &str, status: &str, diagnostic: &str) -> Self {
        Notice {
            recipient: recipient.into(),
            original: None,
            status: status.into(),
            action: "failed".into(),
            remote: None,
            diagnostic: diagnostic.into(),
            in_reply_to: None,
        }
    }

    /// The notification line (Postfix's bounce_recipient_log): who said what.
    fn line(&self, kind: Kind) -> String {
        match (&self.remote, kind) {
            (Some(r), Kind::Success) => {
                format!("<{}>: delivery via {}[{}]:{}: {}", self.recipient, r.name, r.ip, r.port, self.diagnostic)
            }
            (Some(r), _) => {
                let mut said = format!("<{}>: host {}[{}] said: {}", self.recipient, r.name, r.ip, self.diagnostic);
                if let Some(cmd) = &self.in_reply_to {
                    said.push_str(&format!(" (in reply to {cmd} command)"));
                }
                said
            }
            (None, _) => format!("<{}>: {}", self.recipient, self.diagnostic),
        }
    }
}

/// The facts of a DSN.
pub struct Bounce<'a> {
    pub kind: Kind,
    /// The reporting MTA's host name.
    pub host: &'a str,
    /// Its `myorigin`, the domain of `MAILER-DAEMON@`.
    pub origin: &'a str,
    /// The original message's queue id.
    pub queue_id: &'a str,
    /// The DSN's own queue id (its Message-Id and Received line).
    pub bounce_id: &'a str,
    /// The original sender: the DSN goes to this address.
    pub sender: &'a str,
    /// ENVID of the original message (RFC 3461 §4.4), decoded.
    pub envid: Option<&'a str>,
    /// RET of the original message (RFC 3461 §4.3).
    pub ret: Option<Ret>,
    pub arrival: Timestamp,
    pub now: Timestamp,
    pub notices: &'a [Notice],
    /// The original message as queued.
    pub original: &'a [u8],
    /// Postfix's `delay_warning_time` and `maximal_queue_lifetime`, in
    /// seconds, for a delay notice's text and Will-Retry-Until.
    pub warn_after: i64,
    pub lifetime: i64,
}

/// Wraps text as Postfix's `line_wrap(text, 79, 4)` does for DSNs: lines of
/// at most 79 columns, continuation lines indented by four spaces.
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

/// The header section of a message, with its final CRLF.
fn headers_of(data: &[u8]) -> &[u8] {
    data.windows(4).position(|w| w == b"\r\n\r\n").map_or(data, |i| &data[..i + 2])
}

const FAILURE_TEXT: &str = "I'm sorry to have to inform you that your message could not\r\n\
    be delivered to one or more recipients. It's attached below.\r\n\
    \r\n\
    For further assistance, please send mail to postmaster.\r\n\
    \r\n\
    If you do so, please include this problem report. You can\r\n\
    delete your own text from the attached returned message.\r\n";

const SUCCESS_TEXT: &str = "Your message was successfully delivered to the destination(s)\r\n\
    listed below. If the message was delivered to mailbox you will\r\n\
    receive no further notifications. Otherwise you may still receive\r\n\
    notifications of mail delivery errors from other systems.\r\n";

/// Builds the DSN (headers and body, CRLF line ends).
pub fn dsn(b: &Bounce) -> Vec<u8> {
    let boundary = format!("{}.{}/{}", b.queue_id, b.now, b.host);
    let (subject, text, returned) = match b.kind {
        Kind::Failure => ("Undelivered Mail Returned to Sender", FAILURE_TEXT.to_string(), "Undelivered Message"),
        Kind::Success => ("Successful Mail Delivery Report", SUCCESS_TEXT.to_string(), "Message Headers"),
        Kind::Delay => (
            "Delayed Mail (still being retried)",
            format!(
                "####################################################################\r\n\
                 # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n\
                 ####################################################################\r\n\
                 \r\n\
                 Your message could not be delivered for more than {} hour(s).\r\n\
                 It will be retried until it is {} day(s) old.\r\n\
                 \r\n{}",
                b.warn_after / 3600,
                b.lifetime / 86_400,
                &FAILURE_TEXT[FAILURE_TEXT.find("For further").unwrap_or(0)..]
            ),
            "Undelivered Message Headers",
        ),
    };
    // Success and delay notices return the headers only, whatever RET says;
    // a failure notice returns the whole message unless RET=HDRS
    // (tests/fixtures/dsn/success-lmtp-full.eml, delay-on.eml, failure-hdrs.eml).
    let full = b.kind == Kind::Failure && b.ret != Some(Ret::Hdrs);
    let returned = if b.kind == Kind::Failure && !full { "Undelivered Message Headers" } else { returned };
    let mut problems = String::new();
    for n in b.notices {
        problems.push_str("\r\n");
        problems.push_str(&wrap(&n.line(b.kind), 79));
        problems.push_str("\r\n");
    }
    let mut status = format!("Reporting-MTA: dns; {}\r\n", b.host);
    if let Some(envid) = b.envid {
        status.push_str(&format!("Original-Envelope-Id: {envid}\r\n"));
    }
    status.push_str(&format!(
        "X-Postfix-Queue-ID: {}\r\nX-Postfix-Sender: rfc822; {}\r\nArrival-Date: {}\r\n",
        b.queue_id,
        b.sender,
        postfix_date(b.arrival)
    ));
    for n in b.notices {
        let original = n.original.clone().unwrap_or_else(|| format!("rfc822;{}", n.recipient));
        status.push_str(&format!(
            "\r\nFinal-Recipient: rfc822; {}\r\nOriginal-Recipient: {original}\r\nAction: {}\r\nStatus: {}\r\n",
            n.recipient, n.action, n.status
        ));
        if let Some(r) = &n.remote {
            status.push_str(&format!("Remote-MTA: dns; {}\r\n", r.name));
        }
        let kind = if n.remote.is_some() { "smtp" } else { "X-Postfix" };
        status.push_str(&wrap(&format!("Diagnostic-Code: {kind}; {}", n.diagnostic), 79));
        status.push_str("\r\n");
        if b.kind == Kind::Delay {
            status.push_str(&format!("Will-Retry-Until: {}\r\n", postfix_date(b.arrival + b.lifetime)));
        }
    }
    let date = postfix_date(b.now);
    let mut m = format!(
        "Received: by {host} (Postfix)\r\n\
         \tid {bid}; {date}\r\n\
         Date: {date}\r\n\
         From: Mail Delivery System <MAILER-DAEMON@{origin}>\r\n\
         Subject: {subject}\r\n\
         To: {sender}\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status;\r\n\
         \tboundary=\"{boundary}\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         Message-Id: <{date_id}.{bid}@{host}>\r\n\
         \r\n\
         This is a MIME-encapsulated message.\r\n\
         \r\n\
         --{boundary}\r\n\
         Content-Description: Notification\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         This is the mail system at host {host}.\r\n\
         \r\n\
         {text}\
         \r\n\
         \x20                  The mail system\r\n\
         {problems}\
         \r\n\
         --{boundary}\r\n\
         Content-Description: Delivery report\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         {status}\
         \r\n\
         --{boundary}\r\n\
         Content-Description: {returned}\r\n\
         Content-Type: {ctype}\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Return-Path: <{sender}>\r\n",
        host = b.host,
        bid = b.bounce_id,
        origin = b.origin,
        sender = b.sender,
        date_id = compact_date(b.now),
        ctype = if full { "message/rfc822" } else { "text/rfc822-headers" },
    )
    .into_bytes();
    m.extend_from_slice(if full { b.original } else { headers_of(b.original) });
    if !m.ends_with(b"\r\n") {
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recorded Postfix DSN (tests/fixtures/dsn/), CRLF, from Postfix's own
    /// Received line on (the lines above it are Dovecot's, added at delivery).
    fn recorded(name: &str) -> String {
        let path = format!("{}/tests/fixtures/dsn/{name}.eml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap().replace('\n', "\r\n");
        let start = text.find("Received: by mail.example.com (Postfix)").unwrap();
        text[start..].to_string()
    }

    /// The original message as the recorded Postfix queued it (its part 3, without the Return-Path).
    fn original(dsn: &str, body: bool) -> Vec<u8> {
        let part =
            dsn.rsplit("Content-Transfer-Encoding: 8bit\r\n\r\nReturn-Path: <bob@example.com>\r\n").next().unwrap();
        let end = part.find("\r\n--").unwrap();
        let mut m = part[..end].to_string();
        if !body {
            m.push_str("\r\nFirst line of the body.\r\nSecond line of the body.\r\n");
        }
        m.into_bytes()
    }

    /// 2026-12-01 22:49:11 UTC and the like, from the recordings.
    fn at(h: i64, m: i64, s: i64) -> Timestamp {
        crate::sim::days_from_civil(2026, 12, 1) * 86_400 + h * 3600 + m * 60 + s
    }

    fn bounce<'a>(
        kind: Kind,
        ids: (&'a str, &'a str),
        times: (Timestamp, Timestamp),
        notices: &'a [Notice],
    ) -> Bounce<'a> {
        Bounce {
            kind,
            host: "mail.example.com",
            origin: "example.com",
            queue_id: ids.0,
            bounce_id: ids.1,
            sender: "bob@example.com",
            envid: None,
            ret: None,
            arrival: times.0,
            now: times.1,
            notices,
            original: b"",
            warn_after: 0,
            lifetime: 5 * 86_400,
        }
    }

    fn lmtp() -> Option<Remote> {
        Some(Remote { name: "127.0.0.1".into(), ip: "127.0.0.1".into(), port: 2424 })
    }

    #[test]
    fn a_failure_with_ret_hdrs_is_the_recorded_one_byte_for_byte() {
        let want = recorded("failure-hdrs");
        let notices = [Notice {
            recipient: "ghost@example.com".into(),
            original: Some("rfc822;Ghost@example.com".into()),
            status: "5.1.1".into(),
            action: "failed".into(),
            remote: lmtp(),
            diagnostic: "550 5.1.1 <ghost@example.com> User doesn't exist: ghost@example.com".into(),
            in_reply_to: Some("RCPT TO".into()),
        }];
        let orig = original(&want, false);
        let mut b = bounce(Kind::Failure, ("BB818BC4DE", "89D90BC906"), (at(22, 49, 11), 1_796_165_352), &notices);
        b.envid = Some("fail-hdrs-1");
        b.ret = Some(Ret::Hdrs);
        b.original = &orig;
        assert_eq!(String::from_utf8_lossy(&dsn(&b)), want);
    }

    #[test]
    fn a_failure_returns_the_whole_message_by_default() {
        let want = recorded("failure-full");
        let notices = [Notice {
            recipient: "ghost@example.com".into(),
            original: None,
            status: "5.1.1".into(),
            action: "failed".into(),
            remote: lmtp(),
            diagnostic: "550 5.1.1 <ghost@example.com> User doesn't exist: ghost@example.com".into(),
            in_reply_to: Some("RCPT TO".into()),
        }];
        let orig = original(&want, true);
        let mut b = bounce(Kind::Failure, ("C57DEBC907", "A2C80BC909"), (at(22, 49, 14), 1_796_165_355), &notices);
        b.original = &orig;
        assert_eq!(String::from_utf8_lossy(&dsn(&b)), want);
    }

    #[test]
    fn a_success_over_lmtp_is_relayed_and_returns_headers_only() {
        let want = recorded("success-lmtp-full");
        let notices = [Notice {
            recipient: "alice@example.com".into(),
            original: None,
            status: "2.0.0".into(),
            action: "relayed".into(),
            remote: lmtp(),
            diagnostic: "250 2.0.0 <alice@example.com> SDpMIr5OD2vqLQAAg+zDdQ Saved".into(),
            in_reply_to: None,
        }];
        let orig = original(&want, false);
        let mut b = bounce(Kind::Success, ("C8F7DBC8FE", "8FA3EBC900"), (at(22, 48, 29), 1_796_165_310), &notices);
        b.ret = Some(Ret::Full);
        b.original = &orig;
        assert_eq!(String::from_utf8_lossy(&dsn(&b)), want);
    }

    #[test]
    fn a_delay_warning_is_the_recorded_one() {
        let want = recorded("delay-on");
        let notices = [Notice {
            recipient: "slow@example.com".into(),
            original: Some("rfc822;slow@example.com".into()),
            status: "4.4.1".into(),
            action: "delayed".into(),
            remote: None,
            diagnostic: "connect to 127.0.0.1[127.0.0.1]:2999: Connection refused".into(),
            in_reply_to: None,
        }];
        let orig = original(&want, false);
        let mut b = bounce(Kind::Delay, ("7AB2ABC8FC", "91011BC914"), (at(22, 49, 53), 1_796_165_410), &notices);
        b.envid = Some("delay-on-1");
        b.ret = Some(Ret::Full);
        b.original = &orig;
        b.warn_after = 10;
        assert_eq!(String::from_utf8_lossy(&dsn(&b)), want);
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a b c", 3), "a b\r\n    c");
        assert_eq!(wrap("short", 79), "short");
        assert_eq!(super::postfix_date(at(22, 49, 11)), "Tue,  1 Dec 2026 22:49:11 +0000 (UTC)");
    }
}
