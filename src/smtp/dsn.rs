//! Delivery Status Notification parameters (RFC 3461): RET and ENVID on
//! MAIL, NOTIFY and ORCPT on RCPT, read as Postfix 3.7's smtpd reads them
//! and written as its SMTP/LMTP client writes them (recordings:
//! tests/transcripts/smtp/smtp-dsn-*.txt, tests/fixtures/dsn/relay-dsn.sink.txt).

use serde::{Deserialize, Serialize};

/// RET (RFC 3461 §4.3): how much of the message a failure DSN returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ret {
    Full,
    Hdrs,
}

impl Ret {
    /// `FULL` or `HDRS`, case-insensitive; anything else is `None`.
    pub fn parse(value: &str) -> Option<Ret> {
        if value.eq_ignore_ascii_case("FULL") {
            Some(Ret::Full)
        } else if value.eq_ignore_ascii_case("HDRS") {
            Some(Ret::Hdrs)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ret::Full => "FULL",
            Ret::Hdrs => "HDRS",
        }
    }
}

/// NOTIFY (RFC 3461 §4.1): NEVER, or any of SUCCESS, FAILURE, DELAY.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub never: bool,
    pub success: bool,
    pub failure: bool,
    pub delay: bool,
}

impl Notify {
    /// Parses the list as Postfix's `dsn_notify_mask` does: words between
    /// commas, case-insensitive, empty items skipped (`SUCCESS,,FAILURE` and
    /// `SUCCESS,` are accepted); an unknown word, no word at all, or NEVER
    /// with another word is `None` (smtp-dsn-rcpt-params.txt).
    pub fn parse(value: &str) -> Option<Notify> {
        let mut n = Notify::default();
        let mut any = false;
        for word in value.split(',').filter(|w| !w.is_empty()) {
            any = true;
            match word.to_ascii_uppercase().as_str() {
                "NEVER" => n.never = true,
                "SUCCESS" => n.success = true,
                "FAILURE" => n.failure = true,
                "DELAY" => n.delay = true,
                _ => return None,
            }
        }
        let others = n.success || n.failure || n.delay;
        (any && !(n.never && others)).then_some(n)
    }

    /// The list as Postfix's client sends it on: `SUCCESS,DELAY`, `NEVER`.
    pub fn to_value(self) -> String {
        if self.never {
            return "NEVER".into();
        }
        let words = [(self.success, "SUCCESS"), (self.failure, "FAILURE"), (self.delay, "DELAY")];
        words.iter().filter(|(on, _)| *on).map(|(_, w)| *w).collect::<Vec<_>>().join(",")
    }
}

/// ORCPT (RFC 3461 §4.2): the address type and the original recipient, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orcpt {
    /// `rfc822`, `utf-8` (RFC 6533) or any other type, as the client wrote it.
    pub addr_type: String,
    /// The address with its xtext (or utf-8-addr-xtext) decoded.
    pub addr: String,
}

impl Orcpt {
    /// Splits at the first `;` and decodes, as Postfix does: the type must
    /// not be empty, the address may be; `utf-8` addresses are RFC 6533
    /// `\x{HEX}` text, all others RFC 3461 xtext (smtp-dsn-orcpt.txt,
    /// smtp-dsn-xtext.txt).
    pub fn parse(value: &str) -> Option<Orcpt> {
        let (addr_type, coded) = value.split_once(';')?;
        if addr_type.is_empty() {
            return None;
        }
        let addr = if addr_type.eq_ignore_ascii_case("utf-8") { uxtext_decode(coded)? } else { xtext_decode(coded)? };
        Some(Orcpt { addr_type: addr_type.to_string(), addr })
    }

    /// The ORCPT an MTA passes on when the client gave none: the recipient
    /// as given in RCPT TO (Postfix's smtpd records it so).
    pub fn rfc822(addr: &str) -> Orcpt {
        Orcpt { addr_type: "rfc822".into(), addr: addr.to_string() }
    }

    /// The `ORCPT=` value on the wire: the address xtext-encoded (RFC 3461 §4).
    pub fn to_value(&self) -> String {
        format!("{};{}", self.addr_type, xtext_encode(&self.addr))
    }

    /// The DSN's `Original-Recipient:` value (RFC 3464 §2.3.1), as Postfix
    /// writes it: `rfc822;Alice@example.com`, with no space after the `;`.
    pub fn field(&self) -> String {
        format!("{};{}", self.addr_type, self.addr)
    }
}

/// The DSN request of the whole message (MAIL's RET and ENVID).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDsn {
    pub ret: Option<Ret>,
    /// ENVID (RFC 3461 §4.4), decoded: printable US-ASCII.
    pub envid: Option<String>,
}

/// The DSN request of one recipient (RCPT's NOTIFY and ORCPT).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RcptDsn {
    pub notify: Option<Notify>,
    pub orcpt: Option<Orcpt>,
}

impl RcptDsn {
    /// Whether this recipient wants a notice of this kind. Without NOTIFY,
    /// RFC 3461 §4.1 leaves it to the MTA; Postfix sends failure and delay
    /// notices then (tests/fixtures/dsn/delay-default.eml) and no success notice.
    pub fn wants(&self, kind: Kind) -> bool {
        match (self.notify, kind) {
            (None, Kind::Success) => false,
            (None, _) => true,
            (Some(n), Kind::Success) => n.success,
            (Some(n), Kind::Failure) => n.failure,
            (Some(n), Kind::Delay) => n.delay,
        }
    }
}

/// The three kinds of notice (RFC 3461 §4.1); a bounce is a failure notice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Success,
    #[default]
    Failure,
    Delay,
}

/// Decodes RFC 3461 §4 xtext as Postfix's `xtext_unquote` does: `+` must be
/// followed by two hex digits (either case); other octets stand for
/// themselves. `None` for a broken `+` escape.
pub fn xtext_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'+' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Decodes RFC 6533 §3 utf-8-addr-xtext as Postfix's `uxtext_unquote`
/// does: `\x{HEX}` is a code point (at most U+10FFFF); any other octet, `+`
/// included, stands for itself.
pub fn uxtext_decode(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\x{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let end = after.find('}')?;
        let hex = &after[..end];
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        out.push(u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Encodes xtext (RFC 3461 §4) as Postfix's client does (`xtext_quote` with
/// `+=` special): `+`, `=`, controls, space and non-ASCII become `+HH`.
pub fn xtext_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b <= b' ' || b >= 0x7f || b == b'+' || b == b'=' {
            out.push_str(&format!("+{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// ENVID as Postfix accepts it (smtp-dsn-mail-params.txt, smtp-dsn-xtext.txt):
/// valid xtext that decodes to at least one octet, all printable US-ASCII
/// (space included); `=` and more than RFC 3461's 100 characters are fine.
pub fn envid(value: &str) -> Option<String> {
    let decoded = xtext_decode(value)?;
    let printable = !decoded.is_empty() && decoded.bytes().all(|b| (b' '..=b'~').contains(&b));
    // A lossy decode (non-UTF-8 octets) leaves U+FFFD, which is not ASCII.
    printable.then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xtext_round_trip() {
        assert_eq!(xtext_decode("a+2Bb+2bc").as_deref(), Some("a+b+c"));
        assert_eq!(xtext_decode("abc+2"), None);
        assert_eq!(xtext_decode("abc+ZZ"), None);
        assert_eq!(xtext_decode("+"), None);
        assert_eq!(xtext_encode("relay=dsn+1"), "relay+3Ddsn+2B1", "as Postfix sent it (relay-dsn.sink.txt)");
        assert_eq!(xtext_encode("carol+dsn@example.org"), "carol+2Bdsn@example.org");
        assert_eq!(xtext_decode(&xtext_encode("a b\u{e9}+=")).as_deref(), Some("a b\u{e9}+="));
    }

    #[test]
    fn uxtext() {
        assert_eq!(uxtext_decode("a\\x{41}b").as_deref(), Some("aAb"));
        assert_eq!(uxtext_decode("a+ZZ").as_deref(), Some("a+ZZ"));
        assert_eq!(uxtext_decode("a\\x{ZZ}"), None);
        assert_eq!(uxtext_decode("a\\x{41"), None);
        assert_eq!(uxtext_decode("a\\x{}"), None);
        assert_eq!(uxtext_decode("\\x{110000}"), None);
        assert_eq!(uxtext_decode("a\\b").as_deref(), Some("a\\b"));
    }

    #[test]
    fn notify_lists() {
        assert_eq!(Notify::parse("success,delay").map(Notify::to_value).as_deref(), Some("SUCCESS,DELAY"));
        assert_eq!(Notify::parse("NEVER,NEVER").map(Notify::to_value).as_deref(), Some("NEVER"));
        assert!(Notify::parse("SUCCESS,,FAILURE").is_some());
        assert!(Notify::parse("").is_none());
        assert!(Notify::parse(",").is_none());
        assert!(Notify::parse("FAILURE,NEVER").is_none());
        assert!(Notify::parse("SUCCESS;FAILURE").is_none());
    }

    #[test]
    fn orcpt_and_envid() {
        let o = Orcpt::parse("rfc822;Ghost+40example.com").unwrap();
        assert_eq!(o.field(), "rfc822;Ghost@example.com");
        assert_eq!(Orcpt::parse("rfc822;a;b").unwrap().addr, "a;b");
        assert!(Orcpt::parse(";bob").is_none());
        assert!(Orcpt::parse("bob@example.com").is_none());
        assert_eq!(Orcpt::parse("rfc822;").unwrap().addr, "");
        assert_eq!(envid("env+2Bsuccess-1").as_deref(), Some("env+success-1"));
        assert_eq!(envid(""), None);
        assert_eq!(envid("abc+0Adef"), None);
        assert_eq!(envid("a+7Fb"), None);
        assert_eq!(envid("caf+C3+A9"), None);
        assert_eq!(envid("a+20b").as_deref(), Some("a b"));
    }
}
