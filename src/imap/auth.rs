//! LOGIN (RFC 3501 §6.2.3) and AUTHENTICATE (§6.2.2, SASL-IR RFC 4959).
//!
//! The mechanisms are the shared [`sasl::Exchange`]; this file is the IMAP
//! side: the `+ ` continuation, the tagged replies, the move to Authenticated.

use super::session::{Event, Output, Server};
use super::state::legal;
use super::POST_LOGIN_CAPABILITIES;
use crate::sasl::{self, Exchange, Mechanism, SaslError, Step};
use crate::store::MailStore;

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
        // Dovecot as configured on the peers offers no CRAM-MD5 over IMAP.
        let mech = Mechanism::from_name(mech).filter(|m| self.cfg.mechanisms.contains(m) && *m != Mechanism::CramMd5);
        match mech {
            None => out.push(format!("{tag} NO [ALERT] Unsupported authentication mechanism.")),
            Some(m) => {
                let step = Exchange::start(m, initial.as_deref(), &self.cfg.directory, String::new);
                self.on_step(tag, step, store, out);
            }
        }
    }

    /// The client's line during an exchange (the state has moved back to
    /// Not Authenticated; a new challenge moves it on again).
    pub(super) fn sasl_line(
        &mut self,
        tag: &str,
        exchange: Exchange,
        line: &[u8],
        store: &mut MailStore,
        out: &mut Output,
    ) {
        let step = exchange.respond(&String::from_utf8_lossy(line), &self.cfg.directory);
        self.on_step(tag, step, store, out);
    }

    fn on_step(&mut self, tag: &str, step: Step, store: &mut MailStore, out: &mut Output) {
        match step {
            Step::Challenge { text, next } => {
                legal(self.state.move_to_authenticating(tag.into(), next));
                out.push(format!("+ {text}"));
            }
            Step::Done(result) => self.finish_login(tag, result, store, out),
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
                legal(self.state.move_to_authenticated(user));
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
