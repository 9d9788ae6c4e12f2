//! LOGIN (RFC 3501 §6.2.3) and AUTHENTICATE (§6.2.2, SASL-IR RFC 4959).
//!
//! Two halves: the mechanism logic ([`start`], [`respond`]: PLAIN, LOGIN),
//! which knows nothing of IMAP, and the IMAP side (the `+ ` continuation,
//! the tagged replies, the move to Authenticated), so that the first can
//! become a SASL exchange shared with SMTP and POP3.

use super::session::{Event, Output, Server};
use super::POST_LOGIN_CAPABILITIES;
use crate::directory::Directory;
use crate::sasl::{self, Mechanism, SaslError};
use crate::store::MailStore;

// ----- The mechanism (RFC 4616 PLAIN, the de-facto LOGIN) -----

/// Where an exchange stands while it waits for the client's next line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// PLAIN without an initial response: the credentials come next.
    Plain,
    /// LOGIN: the user name comes next.
    LoginUser,
    /// LOGIN: the password comes next, for this user.
    LoginPassword(String),
}

/// What a mechanism says after a client line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Send this challenge (text after `+ `) and wait at this step.
    Challenge(String, Step),
    /// The exchange is over: the user, or why not.
    Done(Result<String, SaslError>),
}

/// Starts an exchange, with the initial response if the client sent one;
/// `None` for a mechanism handled elsewhere (CRAM-MD5).
pub(super) fn start(mech: Mechanism, initial: Option<&[u8]>, dir: &Directory) -> Option<Outcome> {
    let step = match mech {
        Mechanism::Plain => Step::Plain,
        Mechanism::Login => Step::LoginUser,
        Mechanism::CramMd5 => return None,
    };
    Some(match (initial, step) {
        (Some(line), step) => respond(step, line, dir),
        (None, Step::LoginUser) => Outcome::Challenge(sasl::login_user_prompt(), Step::LoginUser),
        (None, step) => Outcome::Challenge(String::new(), step),
    })
}

/// Takes the client's line at `step`.
pub(super) fn respond(step: Step, line: &[u8], dir: &Directory) -> Outcome {
    let text = String::from_utf8_lossy(line);
    match step {
        Step::Plain => Outcome::Done(sasl::verify_plain(dir, &text)),
        Step::LoginUser => match sasl::decode(&text) {
            Ok(u) => Outcome::Challenge(
                sasl::login_password_prompt(),
                Step::LoginPassword(String::from_utf8_lossy(&u).into_owned()),
            ),
            Err(e) => Outcome::Done(Err(e)),
        },
        Step::LoginPassword(user) => Outcome::Done(
            sasl::decode(&text).and_then(|pw| sasl::check_password(dir, &user, &String::from_utf8_lossy(&pw))),
        ),
    }
}

// ----- The IMAP side -----

impl Server {
    /// LOGIN with its two strings.
    pub(super) fn login(&mut self, tag: &str, user: &[u8], pass: &[u8], store: &mut MailStore, out: &mut Output) {
        let r =
            sasl::check_password(&self.cfg.directory, &String::from_utf8_lossy(user), &String::from_utf8_lossy(pass));
        self.finish_login(tag, r, store, out);
    }

    /// AUTHENTICATE with a mechanism Dovecot offers here, and its initial response.
    pub(super) fn authenticate(
        &mut self,
        tag: &str,
        mech: &str,
        initial: Option<String>,
        store: &mut MailStore,
        out: &mut Output,
    ) {
        let outcome = Mechanism::from_name(mech)
            .filter(|m| self.cfg.mechanisms.contains(m))
            .and_then(|m| start(m, initial.as_ref().map(|s| s.as_bytes()), &self.cfg.directory));
        match outcome {
            None => out.push(format!("{tag} NO [ALERT] Unsupported authentication mechanism.")),
            Some(outcome) => self.on_outcome(tag, outcome, store, out),
        }
    }

    /// The client's line during an exchange (the state has moved back to
    /// Not Authenticated; a new challenge moves it on again).
    pub(super) fn sasl_line(&mut self, tag: &str, step: Step, line: &[u8], store: &mut MailStore, out: &mut Output) {
        let outcome = respond(step, line, &self.cfg.directory);
        self.on_outcome(tag, outcome, store, out);
    }

    fn on_outcome(&mut self, tag: &str, outcome: Outcome, store: &mut MailStore, out: &mut Output) {
        match outcome {
            Outcome::Challenge(text, step) => {
                let _ = self.state.move_to_authenticating(tag.into(), step);
                out.push(format!("+ {text}"));
            }
            Outcome::Done(result) => self.finish_login(tag, result, store, out),
        }
    }

    /// The tagged reply to LOGIN or AUTHENTICATE (Dovecot's texts), and the
    /// move to Authenticated.
    fn finish_login(&mut self, tag: &str, result: Result<String, SaslError>, store: &mut MailStore, out: &mut Output) {
        match result {
            Ok(user) => {
                // Dovecot creates the mailbox at first login.
                store.create_user(&user, self.now);
                out.events.push(Event::LoggedIn { user: user.clone() });
                let asked = self.state.pre_auth_mut().is_some_and(|p| p.capability_asked);
                let _ = self.state.move_to_authenticated(user);
                if asked {
                    out.push(format!("* CAPABILITY {POST_LOGIN_CAPABILITIES}"));
                    out.push(format!("{tag} OK Logged in"));
                } else {
                    out.push(format!("{tag} OK [CAPABILITY {POST_LOGIN_CAPABILITIES}] Logged in"));
                }
            }
            Err(e) => {
                out.events.push(Event::LoginFailed);
                out.push(match e {
                    SaslError::Cancelled => format!("{tag} BAD Authentication aborted by client."),
                    SaslError::BadBase64 => format!("{tag} NO [ALERT] Invalid base64 in response"),
                    SaslError::Malformed | SaslError::BadCredentials => {
                        format!("{tag} NO [AUTHENTICATIONFAILED] Authentication failed.")
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Directory {
        let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
        d.add_user("alice", "alicepw");
        d
    }

    #[test]
    fn mechanisms_without_imap() {
        let d = dir();
        assert_eq!(start(Mechanism::Plain, None, &d), Some(Outcome::Challenge(String::new(), Step::Plain)));
        assert_eq!(start(Mechanism::CramMd5, None, &d), None);
        let plain = sasl::encode(b"\0alice\0alicepw");
        assert_eq!(start(Mechanism::Plain, Some(plain.as_bytes()), &d), Some(Outcome::Done(Ok("alice".into()))));
        let Some(Outcome::Challenge(_, step)) = start(Mechanism::Login, Some(b"YWxpY2U="), &d) else { panic!() };
        assert_eq!(step, Step::LoginPassword("alice".into()));
        assert_eq!(respond(step, sasl::encode(b"alicepw").as_bytes(), &d), Outcome::Done(Ok("alice".into())));
    }
}
