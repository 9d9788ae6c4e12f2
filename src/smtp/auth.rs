//! SMTP AUTH (RFC 4954 §4): the checks Postfix makes before an exchange,
//! the `334` challenges of the shared [`sasl::Exchange`], and the replies
//! that end it.

use super::catalogue::ReplyId as R;
use super::config::Extension;
use super::session::{Ctx, Event, Server, State};
use crate::reply::Reply;
use crate::sasl::{self, Exchange, Mechanism, SaslError, Step};

impl Server {
    /// AUTH mechanism [initial-response] (RFC 4954 §4).
    pub(super) fn auth(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        if self.cfg.auth.is_empty() || !self.cfg.offers(Extension::Auth) {
            return self.r(R::AuthNotEnabled, &[]);
        }
        if self.helo.is_none() {
            return self.r(R::NeedHelo, &[]);
        }
        if self.auth_user.is_some() {
            return self.r(R::AlreadyAuthenticated, &[]);
        }
        if self.transaction().is_some() {
            return self.r(R::TransactionInProgress, &[]);
        }
        let mut words = args.split_ascii_whitespace();
        let (Some(name), initial, None) = (words.next(), words.next(), words.next()) else {
            return self.r(R::Syntax, &["AUTH mechanism"]);
        };
        let Some(mech) = Mechanism::from_name(name).filter(|m| self.cfg.auth.contains(m)) else {
            return self.r(R::UnsupportedMechanism, &[]);
        };
        if mech != Mechanism::CramMd5 && self.cfg.tls_auth_only && !self.tls {
            return self.r(R::EncryptionRequired, &[]);
        }
        if let Some(resp) = initial {
            if mech != Mechanism::CramMd5 && resp != "=" && sasl::decode(resp) == Err(SaslError::BadBase64) {
                out.events.push(Event::AuthFailed { mechanism: mech });
                return self.r(R::AuthBadBase64Initial, &[]);
            }
        }
        let dir = &self.cfg.directory;
        let (rng, now, host) = (&mut self.rng, self.now, &self.cfg.hostname);
        let step = Exchange::start(mech, initial, dir, || sasl::cram_md5_challenge(rng.next_u64(), now, host));
        self.next_step(mech, step, out)
    }

    /// Sends the next challenge, or ends the exchange.
    fn next_step(&mut self, mechanism: Mechanism, step: Step, out: &mut Ctx<'_>) -> Reply {
        match step {
            Step::Challenge { text, next } => {
                self.move_to_auth(next);
                self.r(R::AuthChallenge, &[&text])
            }
            Step::Done(result) => {
                self.move_to_idle();
                self.finish_auth(mechanism, result, out)
            }
        }
    }

    /// The client's answer to a `334` challenge.
    pub(super) fn auth_response(&mut self, text: &str, out: &mut Ctx<'_>) -> Reply {
        let State::Auth(exchange) = std::mem::replace(&mut self.state, State::Idle) else {
            return self.r(R::BadSyntax, &[]);
        };
        let mechanism = exchange.mechanism();
        let step = exchange.respond(text, &self.cfg.directory);
        self.next_step(mechanism, step, out)
    }

    fn finish_auth(&mut self, mechanism: Mechanism, result: Result<String, SaslError>, out: &mut Ctx<'_>) -> Reply {
        match result {
            Ok(user) => {
                out.events.push(Event::Authenticated { user: user.clone(), mechanism });
                self.auth_user = Some(user);
                self.r(R::AuthOk, &[])
            }
            Err(SaslError::Cancelled) => self.r(R::AuthAborted, &[]),
            Err(SaslError::BadBase64) => {
                out.events.push(Event::AuthFailed { mechanism });
                self.r(R::AuthBadBase64, &[])
            }
            Err(SaslError::Malformed | SaslError::BadCredentials) => {
                out.events.push(Event::AuthFailed { mechanism });
                self.r(R::AuthFailed, &[])
            }
        }
    }
}
