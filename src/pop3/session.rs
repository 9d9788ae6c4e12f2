//! The server side of a POP3 session (RFC 1939 §3–§8), sans-IO: the caller
//! feeds the bytes that arrived, together with the mailbox store, and gets
//! back the lines to send. Time and the APOP timestamp's randomness are
//! injected; nothing here does I/O.
//!
//! States (RFC 1939 §3): AUTHORIZATION (USER/PASS, APOP, AUTH, STLS, CAPA),
//! TRANSACTION on the maildrop snapshotted at login (message numbers stay
//! fixed for the session), UPDATE at QUIT, where DELE marks are applied. A
//! session that ends any other way deletes nothing. Texts and limits are
//! Dovecot 2.3's, as recorded in `tests/transcripts/pop3/`.

use super::maildrop::Maildrop;
use super::parser::parse_command;
use super::Pop3Config;
use crate::codec::{Line, LineCodec};
use crate::sasl::{self, Exchange, Mechanism, SaslError, Step};
use crate::sim::{SimRng, Timestamp};
use crate::store::MailStore;
use serde::{Deserialize, Serialize};

/// Something observable that happened in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A user logged in; the maildrop has `messages` messages.
    LoggedIn { user: String, messages: usize },
    /// A login attempt failed.
    LoginFailed,
    /// STLS succeeded (modelled: no cryptography).
    TlsStarted,
    /// RETR sent a whole message to the client (by UID).
    Retrieved { user: String, uid: u32 },
    /// The UPDATE state removed these messages (by UID) from the INBOX.
    Expunged { user: String, uids: Vec<u32> },
    /// The server closed the session.
    Closed,
}

/// What one call to [`Server::feed`] produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Lines to send, without line endings; multi-line replies are already
    /// byte-stuffed and end with `.` (RFC 1939 §3).
    pub lines: Vec<String>,
    pub events: Vec<Event>,
    /// True once the server has closed the connection; later input is ignored.
    pub closed: bool,
}

impl Output {
    /// The lines as bytes for the wire, each ended by CRLF.
    pub fn to_wire(&self) -> Vec<u8> {
        self.lines.iter().flat_map(|l| [l.as_bytes(), b"\r\n"].concat()).collect()
    }
}

/// The session's state (RFC 1939 §3); each carries what it owns.
#[derive(Debug, Clone)]
enum State {
    /// AUTHORIZATION (RFC 1939 §4): `user` after a USER, waiting for PASS.
    Authorization { user: Option<String> },
    /// AUTH in progress (RFC 5034 §4): the client's next line answers the `+` challenge.
    Authenticating(Exchange),
    /// TRANSACTION (RFC 1939 §5) on the maildrop as it was at login.
    Transaction(Maildrop),
    /// After QUIT (and UPDATE) or a hang-up: nothing more is read.
    Closed,
}

/// One POP3 server session.
#[derive(Debug, Clone)]
pub struct Server {
    cfg: Pop3Config,
    now: Timestamp,
    codec: LineCodec,
    state: State,
    tls: bool,
    /// The APOP timestamp of the greeting, when APOP is on.
    apop_stamp: Option<String>,
    /// Failed commands in a row (see [`super::Limits`]).
    bad: u32,
}

const CAPA_COMMON: [&str; 6] = ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"];

impl Server {
    /// Opens a session; returns it with the greeting (RFC 1939 §4).
    pub fn new(cfg: Pop3Config, now: Timestamp, mut rng: SimRng) -> (Self, String) {
        let apop_stamp = cfg.apop.then(|| format!("<{}.{}@{}>", rng.next_u64() % 100_000, now, cfg.hostname));
        let greeting = match &apop_stamp {
            Some(stamp) => format!("+OK {} {stamp}", cfg.greeting),
            None => format!("+OK {}", cfg.greeting),
        };
        let codec = LineCodec::new(cfg.limits.line.max(cfg.limits.login_line) + 1);
        let s = Self { cfg, now, codec, state: State::Authorization { user: None }, tls: false, apop_stamp, bad: 0 };
        (s, greeting)
    }

    /// Moves the simulated clock.
    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// True after STLS.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The logged-in user, in the TRANSACTION state.
    pub fn user(&self) -> Option<&str> {
        match &self.state {
            State::Transaction(m) => Some(&m.user),
            _ => None,
        }
    }

    /// Feeds bytes from the client; pipelined commands (RFC 2449 §6.6) are
    /// answered in order. The store is read at login and changed at QUIT.
    pub fn feed(&mut self, input: &[u8], store: &mut MailStore) -> Output {
        let mut out = Output::default();
        for line in self.codec.feed(input) {
            if self.is_closed() {
                break;
            }
            self.on_line(line, store, &mut out);
        }
        out.closed = self.is_closed();
        out
    }

    fn close(&mut self, out: &mut Output) {
        self.state = State::Closed;
        out.events.push(Event::Closed);
    }

    fn on_line(&mut self, line: Line, store: &mut MailStore, out: &mut Output) {
        let logged_in = matches!(self.state, State::Transaction(_));
        let limit = if logged_in { self.cfg.limits.line } else { self.cfg.limits.login_line };
        if !line.is_complete() || line.bytes.len() > limit {
            out.lines.push(if logged_in {
                "-ERR Input line too long.".into()
            } else {
                "-ERR Input buffer full, aborting".into()
            });
            return self.close(out);
        }
        if let State::Authenticating(exchange) = &self.state {
            let exchange = exchange.clone();
            return self.sasl_response(exchange, &line.bytes, out, store);
        }
        let cmd = parse_command(&line.bytes);
        if logged_in {
            let ok = self.transaction(&cmd.verb, &cmd.args, store, out);
            self.count(ok, self.cfg.limits.bad_commands + 1, "-ERR Too many bad commands.", out);
        } else {
            let known = self.authorization(&cmd.verb, &cmd.args, store, out);
            self.count(known, self.cfg.limits.login_bad_commands, "-ERR Too many invalid bad commands.", out);
        }
    }

    /// Counts failed commands in a row; at `max`, says `why` and hangs up.
    fn count(&mut self, ok: bool, max: u32, why: &str, out: &mut Output) {
        if ok || self.is_closed() {
            self.bad = 0;
            return;
        }
        self.bad += 1;
        if self.bad >= max {
            out.lines.push(why.into());
            self.close(out);
        }
    }

    /// A command in the AUTHORIZATION state; false if it is unknown.
    fn authorization(&mut self, verb: &str, args: &str, store: &mut MailStore, out: &mut Output) -> bool {
        match verb {
            "CAPA" => out.lines.extend(self.capabilities()),
            "USER" => {
                self.state = State::Authorization { user: Some(args.to_string()) };
                out.lines.push("+OK".into());
            }
            "PASS" => {
                let State::Authorization { user } = &mut self.state else { return true };
                match user.take() {
                    None => out.lines.push("-ERR No username given.".into()),
                    Some(u) => {
                        let result = sasl::check_password(&self.cfg.directory, &u, args);
                        self.finish_login(result, store, out);
                    }
                }
            }
            "APOP" => self.apop(args, store, out),
            "AUTH" => self.auth(args, store, out),
            "STLS" if self.cfg.stls => {
                if self.tls {
                    out.lines.push("-ERR TLS is already active.".into());
                } else {
                    self.tls = true;
                    out.events.push(Event::TlsStarted);
                    out.lines.push("+OK Begin TLS negotiation now.".into());
                }
            }
            "QUIT" => {
                out.lines.push("+OK Logging out".into());
                self.close(out);
            }
            _ => {
                out.lines.push("-ERR Unknown command.".into());
                return false;
            }
        }
        true
    }

    /// CAPA (RFC 2449 §5), as Dovecot lists it.
    fn capabilities(&self) -> Vec<String> {
        let mut v = vec!["+OK".to_string()];
        v.extend(CAPA_COMMON.iter().map(|s| s.to_string()));
        if !matches!(self.state, State::Transaction(_)) {
            if self.cfg.stls && !self.tls {
                v.push("STLS".into());
            }
            v.push("USER".into());
            let mechs: Vec<&str> = self.cfg.mechanisms.iter().map(|m| m.name()).collect();
            v.push(format!("SASL {}", mechs.join(" ")));
        }
        v.push(".".into());
        v
    }

    /// APOP name digest (RFC 1939 §7).
    fn apop(&mut self, args: &str, store: &mut MailStore, out: &mut Output) {
        let Some(stamp) = self.apop_stamp.clone() else {
            return out.lines.push("-ERR APOP not enabled.".into());
        };
        let result = match args.rsplit_once(' ') {
            Some((name, digest)) => sasl::user_of(&self.cfg.directory, name)
                .filter(|u| {
                    let pw = self.cfg.directory.users.get(u).map(|x| x.password.as_str()).unwrap_or_default();
                    sasl::apop_digest(&stamp, pw).eq_ignore_ascii_case(digest)
                })
                .ok_or(SaslError::BadCredentials),
            None => Err(SaslError::Malformed),
        };
        self.finish_login(result, store, out);
    }

    /// AUTH [mechanism [initial-response]] (RFC 5034 §4).
    fn auth(&mut self, args: &str, store: &mut MailStore, out: &mut Output) {
        let mut words = args.split(' ');
        let name = words.next().unwrap_or_default();
        if name.is_empty() {
            out.lines.push("+OK".into());
            out.lines.extend(self.cfg.mechanisms.iter().map(|m| m.name().to_string()));
            return out.lines.push(".".into());
        }
        // Dovecot as configured on the peers offers no CRAM-MD5 over POP3.
        let mech = Mechanism::from_name(name).filter(|m| self.cfg.mechanisms.contains(m) && *m != Mechanism::CramMd5);
        let Some(mech) = mech else {
            return out.lines.push("-ERR [AUTH] Unsupported authentication mechanism.".into());
        };
        let initial = words.next();
        if mech == Mechanism::Plain && initial.is_some_and(|ir| sasl::decode(ir) == Err(SaslError::BadBase64)) {
            return out.lines.push("-ERR [AUTH] Invalid base64 data in initial response".into());
        }
        let step = Exchange::start(mech, initial, &self.cfg.directory, String::new);
        self.next_step(step, store, out);
    }

    /// Sends the next `+` challenge, or ends the login attempt.
    fn next_step(&mut self, step: Step, store: &mut MailStore, out: &mut Output) {
        match step {
            Step::Challenge { text, next } => {
                self.state = State::Authenticating(next);
                out.lines.push(format!("+ {text}"));
            }
            Step::Done(result) => self.finish_login(result, store, out),
        }
    }

    /// A client line during AUTH.
    fn sasl_response(&mut self, exchange: Exchange, line: &[u8], out: &mut Output, store: &mut MailStore) {
        self.state = State::Authorization { user: None };
        let step = exchange.respond(&String::from_utf8_lossy(line), &self.cfg.directory);
        self.next_step(step, store, out);
    }

    /// Ends a login attempt: enters TRANSACTION with a snapshot of the INBOX,
    /// or says why not.
    fn finish_login(&mut self, result: Result<String, SaslError>, store: &mut MailStore, out: &mut Output) {
        self.state = State::Authorization { user: None };
        let user = match result {
            Ok(u) => u,
            Err(e) => {
                out.events.push(Event::LoginFailed);
                return out.lines.push(
                    match e {
                        SaslError::Cancelled => "-ERR Authentication aborted by client.",
                        SaslError::BadBase64 => "-ERR [AUTH] Invalid base64 in response",
                        SaslError::Malformed | SaslError::BadCredentials => "-ERR [AUTH] Authentication failed.",
                    }
                    .into(),
                );
            }
        };
        // Dovecot creates a mailbox at first login; so do we.
        store.create_user(&user, self.now);
        let (uid_validity, messages) = match store.folder(&user, "INBOX") {
            Ok(f) => (f.uid_validity, f.messages().iter().map(|m| (m.uid, m.size())).collect::<Vec<_>>()),
            Err(_) => (1, Vec::new()),
        };
        let n = messages.len();
        out.events.push(Event::LoggedIn { user: user.clone(), messages: n });
        self.state = State::Transaction(Maildrop {
            user,
            uid_validity,
            messages,
            deleted: vec![false; n],
            retrieved: vec![false; n],
        });
        out.lines.push("+OK Logged in.".into());
    }

    /// A command in the TRANSACTION state; false if it failed.
    fn transaction(&mut self, verb: &str, args: &str, store: &mut MailStore, out: &mut Output) -> bool {
        if verb == "CAPA" {
            out.lines.extend(self.capabilities());
            return true;
        }
        let State::Transaction(m) = &mut self.state else { return false };
        if verb == "QUIT" {
            let line = m.update(store, out);
            out.lines.push(line);
            self.close(out);
            return true;
        }
        match m.command(verb, args, store, out) {
            Ok(lines) => {
                out.lines.extend(lines);
                true
            }
            Err(e) => {
                out.lines.push(format!("-ERR {e}"));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests;
