//! SASL mechanisms shared by SMTP AUTH (RFC 4954), POP3 AUTH (RFC 5034) and
//! IMAP AUTHENTICATE (RFC 3501 §6.2.2), plus POP3's APOP digest (RFC 1939 §7).
//!
//! Real cryptography where the protocol has it (base64, MD5, HMAC-MD5), so
//! that what a learner computes by hand (`printf '\0alice\0alicepw' | base64`)
//! works here as it does on a real server. Nothing here does I/O; challenges
//! are built from injected time and randomness.

use crate::directory::Directory;
use crate::encoding;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};

/// Why a SASL exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SaslError {
    /// The client's data is not valid base64 (RFC 4954 §4: 501).
    #[error("the response is not valid base64")]
    BadBase64,
    /// The decoded data does not have the mechanism's shape.
    #[error("the response does not have the mechanism's form")]
    Malformed,
    /// The client sent `*` (RFC 4954 §4: 501 5.7.0 cancelled).
    #[error("the client cancelled the exchange")]
    Cancelled,
    /// Well-formed, but the user or password is wrong (535 5.7.8).
    #[error("wrong user name or password")]
    BadCredentials,
}

/// A SASL exchange in progress (RFC 4422 §3): what the mechanism waits for
/// in the client's next line. SMTP (RFC 4954 §4), POP3 (RFC 5034 §4) and IMAP
/// (RFC 3501 §6.2.2) share it and differ only in framing: SMTP sends a
/// challenge as `334 text`, POP3 and IMAP as `+ text`, and each words the
/// outcome its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// PLAIN without an initial response: waiting for it.
    Plain,
    /// LOGIN: waiting for the user name.
    LoginUser,
    /// LOGIN: waiting for the password of this user.
    LoginPassword { user: String },
    /// CRAM-MD5: waiting for the response to this challenge (RFC 2195 §2).
    CramMd5 { challenge: String },
}

/// What the server does next in an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this challenge (base64, possibly empty) and wait in `next`.
    Challenge { text: String, next: Exchange },
    /// The exchange is over: the user who logged in, or why not.
    Done(Result<String, SaslError>),
}

impl Exchange {
    /// The mechanism this exchange runs.
    pub fn mechanism(&self) -> Mechanism {
        match self {
            Exchange::Plain => Mechanism::Plain,
            Exchange::LoginUser | Exchange::LoginPassword { .. } => Mechanism::Login,
            Exchange::CramMd5 { .. } => Mechanism::CramMd5,
        }
    }

    /// Starts `mech`, with the client's initial response if it gave one
    /// (RFC 4422 §3.3; `=` is an empty one). `cram_challenge` makes a
    /// CRAM-MD5 challenge from the caller's injected clock and randomness.
    pub fn start(
        mech: Mechanism,
        initial: Option<&str>,
        dir: &Directory,
        cram_challenge: impl FnOnce() -> String,
    ) -> Step {
        match (mech, initial) {
            (Mechanism::Plain, None) => Step::Challenge { text: String::new(), next: Exchange::Plain },
            (Mechanism::Login, None) => Step::Challenge { text: login_user_prompt(), next: Exchange::LoginUser },
            (Mechanism::Plain | Mechanism::Login, Some(ir)) => {
                let first = if mech == Mechanism::Plain { Exchange::Plain } else { Exchange::LoginUser };
                first.respond(ir, dir)
            }
            // CRAM-MD5 has no initial response (RFC 2195 §2): the server speaks first.
            (Mechanism::CramMd5, _) => {
                let challenge = cram_challenge();
                Step::Challenge { text: encode(challenge.as_bytes()), next: Exchange::CramMd5 { challenge } }
            }
        }
    }

    /// The client's line answering a challenge; `*` cancels (RFC 4422 §3.5).
    pub fn respond(self, line: &str, dir: &Directory) -> Step {
        match self {
            Exchange::Plain => Step::Done(verify_plain(dir, line)),
            Exchange::LoginUser => match decode(line) {
                Ok(u) => Step::Challenge {
                    text: login_password_prompt(),
                    next: Exchange::LoginPassword { user: String::from_utf8_lossy(&u).into_owned() },
                },
                Err(e) => Step::Done(Err(e)),
            },
            Exchange::LoginPassword { user } => {
                Step::Done(decode(line).and_then(|pw| check_password(dir, &user, &String::from_utf8_lossy(&pw))))
            }
            Exchange::CramMd5 { challenge } => Step::Done(verify_cram_md5(dir, &challenge, line)),
        }
    }
}

/// The mechanisms this engine implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mechanism {
    /// RFC 4616: `authzid NUL authcid NUL passwd`, base64.
    Plain,
    /// The de-facto LOGIN: base64 user name, then password, each prompted.
    Login,
    /// RFC 2195: HMAC-MD5 of a server challenge keyed by the password.
    CramMd5,
}

impl Mechanism {
    /// The mechanism's name as advertised (`AUTH PLAIN LOGIN CRAM-MD5`).
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
        }
    }

    /// Parses a mechanism name, case-insensitively (RFC 4422 §3.1).
    pub fn from_name(name: &str) -> Option<Self> {
        [Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5]
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }
}

/// Base64-encodes bytes (RFC 4648 §4, with padding).
pub fn encode(bytes: &[u8]) -> String {
    encoding::base64_encode(bytes)
}

/// Decodes base64 as SASL sends it; surrounding spaces are ignored and `=`
/// alone means an empty response (RFC 4954 §4).
pub fn decode(text: &str) -> Result<Vec<u8>, SaslError> {
    let t = text.trim();
    if t == "*" {
        return Err(SaslError::Cancelled);
    }
    if t == "=" {
        return Ok(Vec::new());
    }
    encoding::base64_decode(t).ok_or(SaslError::BadBase64)
}

/// The `Username:` prompt of AUTH LOGIN, base64: `VXNlcm5hbWU6`.
pub fn login_user_prompt() -> String {
    encode(b"Username:")
}

/// The `Password:` prompt of AUTH LOGIN, base64: `UGFzc3dvcmQ6`.
pub fn login_password_prompt() -> String {
    encode(b"Password:")
}

/// A PLAIN response, decoded (RFC 4616 §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub authzid: String,
    pub authcid: String,
    pub password: String,
}

/// Decodes an RFC 4616 PLAIN response from its base64 form.
pub fn decode_plain(b64: &str) -> Result<Plain, SaslError> {
    let raw = decode(b64)?;
    let mut parts = raw.split(|&b| b == 0);
    let (Some(z), Some(c), Some(p), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(SaslError::Malformed);
    };
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| SaslError::Malformed);
    Ok(Plain { authzid: text(z)?, authcid: text(c)?, password: text(p)? })
}

/// Checks a login name (`alice` or `alice@example.com`) and password against
/// a host's users; returns the user name.
pub fn check_password(dir: &Directory, login: &str, password: &str) -> Result<String, SaslError> {
    let user = user_of(dir, login).ok_or(SaslError::BadCredentials)?;
    match dir.users.get(&user) {
        Some(u) if u.password == password => Ok(user),
        _ => Err(SaslError::BadCredentials),
    }
}

/// The user a login name refers to: `alice`, or `alice@` one of the host's domains.
pub fn user_of(dir: &Directory, login: &str) -> Option<String> {
    let local = match login.rsplit_once('@') {
        Some((l, d)) if dir.is_local_domain(d) => l,
        Some(_) => return None,
        None => login,
    };
    let key = local.to_ascii_lowercase();
    dir.users.contains_key(&key).then_some(key)
}

/// Checks a PLAIN response; an authorization identity other than the user
/// itself is refused, as Postfix and Dovecot do without proxy rights.
pub fn verify_plain(dir: &Directory, b64: &str) -> Result<String, SaslError> {
    let p = decode_plain(b64)?;
    let user = check_password(dir, &p.authcid, &p.password)?;
    if !p.authzid.is_empty() && user_of(dir, &p.authzid).as_deref() != Some(user.as_str()) {
        return Err(SaslError::BadCredentials);
    }
    Ok(user)
}

/// A CRAM-MD5 challenge (RFC 2195 §2): `<random.timestamp@hostname>`.
pub fn cram_md5_challenge(random: u64, now: i64, hostname: &str) -> String {
    format!("<{}.{}@{}>", random % 100_000_000, now, hostname)
}

pub use encoding::hex;

/// HMAC-MD5 of `challenge` keyed by `password`, in hex (RFC 2104, RFC 2195).
pub fn cram_md5_digest(password: &str, challenge: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Md5>::new_from_slice(password.as_bytes()) else { return String::new() };
    mac.update(challenge.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Checks a CRAM-MD5 response: base64 of `user SP hex-digest`.
pub fn verify_cram_md5(dir: &Directory, challenge: &str, b64: &str) -> Result<String, SaslError> {
    let raw = decode(b64)?;
    let text = String::from_utf8(raw).map_err(|_| SaslError::Malformed)?;
    let (login, digest) = text.rsplit_once(' ').ok_or(SaslError::Malformed)?;
    let user = user_of(dir, login).ok_or(SaslError::BadCredentials)?;
    let password = dir.users.get(&user).map(|u| u.password.as_str()).unwrap_or_default();
    if cram_md5_digest(password, challenge).eq_ignore_ascii_case(digest) {
        Ok(user)
    } else {
        Err(SaslError::BadCredentials)
    }
}

/// The APOP digest (RFC 1939 §7): MD5 of the banner's timestamp followed by
/// the shared secret, in lower-case hex.
pub fn apop_digest(timestamp: &str, secret: &str) -> String {
    let mut h = Md5::new();
    h.update(timestamp.as_bytes());
    h.update(secret.as_bytes());
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Directory {
        let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
        d.add_user("alice", "alicepw");
        d.add_user("bob", "bobpw");
        d
    }

    #[test]
    fn plain_as_in_the_postfix_recording() {
        // smtp-submission-auth.txt: the first is a wrong password, the second right.
        assert_eq!(verify_plain(&dir(), "AGFsaWNlQGV4YW1wbGUuY29tAHdyb25n"), Err(SaslError::BadCredentials));
        assert_eq!(verify_plain(&dir(), "AGFsaWNlQGV4YW1wbGUuY29tAGFsaWNlcHc="), Ok("alice".into()));
        assert_eq!(verify_plain(&dir(), &encode(b"\0bob\0bobpw")), Ok("bob".into()));
        assert_eq!(verify_plain(&dir(), &encode(b"alice\0bob\0bobpw")), Err(SaslError::BadCredentials));
        assert_eq!(verify_plain(&dir(), "not base64!"), Err(SaslError::BadBase64));
        assert_eq!(verify_plain(&dir(), &encode(b"no nuls here")), Err(SaslError::Malformed));
        assert_eq!(verify_plain(&dir(), "*"), Err(SaslError::Cancelled));
        assert_eq!(verify_plain(&dir(), &encode(b"\0carol@example.org\0x")), Err(SaslError::BadCredentials));
    }

    #[test]
    fn login_prompts_are_the_ones_postfix_sends() {
        assert_eq!(login_user_prompt(), "VXNlcm5hbWU6");
        assert_eq!(login_password_prompt(), "UGFzc3dvcmQ6");
    }

    #[test]
    fn cram_md5_matches_rfc_2195_example() {
        // RFC 2195 §2: user tim, secret tanstaaftanstaaf.
        let challenge = "<1896.697170952@postoffice.reston.mci.net>";
        assert_eq!(cram_md5_digest("tanstaaftanstaaf", challenge), "b913a602c7eda7a495b4e6e7334d3890");
        let mut d = dir();
        d.add_user("tim", "tanstaaftanstaaf");
        let response = "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw";
        assert_eq!(verify_cram_md5(&d, challenge, response), Ok("tim".into()));
        assert_eq!(verify_cram_md5(&d, "<other@x>", response), Err(SaslError::BadCredentials));
        assert_eq!(verify_cram_md5(&d, challenge, &encode(b"nospace")), Err(SaslError::Malformed));
    }

    #[test]
    fn apop_matches_rfc_1939_example() {
        // RFC 1939 §7.
        assert_eq!(apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"), "c4c9334bac560ecc979e58001b3e22fb");
    }

    #[test]
    fn one_exchange_runs_each_mechanism() {
        let d = dir();
        let none = || String::new();
        // PLAIN: an empty challenge, then the response.
        let Step::Challenge { text, next } = Exchange::start(Mechanism::Plain, None, &d, none) else { panic!() };
        assert_eq!((text.as_str(), &next), ("", &Exchange::Plain));
        assert_eq!(next.respond(&encode(b"\0alice\0alicepw"), &d), Step::Done(Ok("alice".into())));
        // PLAIN with an initial response ends at once.
        let ir = encode(b"\0bob\0wrong");
        assert_eq!(Exchange::start(Mechanism::Plain, Some(&ir), &d, none), Step::Done(Err(SaslError::BadCredentials)));
        // LOGIN: user prompt, password prompt, result; `*` cancels at any point.
        let Step::Challenge { text, next } = Exchange::start(Mechanism::Login, None, &d, none) else { panic!() };
        assert_eq!(text, "VXNlcm5hbWU6");
        let Step::Challenge { text, next } = next.respond("YWxpY2U=", &d) else { panic!() };
        assert_eq!((text.as_str(), &next), ("UGFzc3dvcmQ6", &Exchange::LoginPassword { user: "alice".into() }));
        assert_eq!(next.clone().respond("YWxpY2Vwdw==", &d), Step::Done(Ok("alice".into())));
        assert_eq!(next.respond("*", &d), Step::Done(Err(SaslError::Cancelled)));
        assert_eq!(Exchange::LoginUser.respond("!!", &d), Step::Done(Err(SaslError::BadBase64)));
        // LOGIN with the user name as initial response goes straight to the password.
        let Step::Challenge { next, .. } = Exchange::start(Mechanism::Login, Some("YWxpY2U="), &d, none) else {
            panic!()
        };
        assert_eq!(next.mechanism(), Mechanism::Login);
        // CRAM-MD5: the challenge comes from the caller, base64-encoded on the wire (RFC 2195 §2).
        let challenge = || "<1896.697170952@postoffice.reston.mci.net>".to_string();
        let Step::Challenge { text, next } = Exchange::start(Mechanism::CramMd5, None, &d, challenge) else { panic!() };
        assert_eq!(decode(&text).unwrap(), challenge().as_bytes());
        let mut d2 = d.clone();
        d2.add_user("tim", "tanstaaftanstaaf");
        assert_eq!(next.respond("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw", &d2), Step::Done(Ok("tim".into())));
    }

    #[test]
    fn mechanism_names() {
        assert_eq!(Mechanism::from_name("cram-md5"), Some(Mechanism::CramMd5));
        assert_eq!(Mechanism::from_name("GSSAPI"), None);
        assert_eq!(Mechanism::Login.name(), "LOGIN");
    }
}
