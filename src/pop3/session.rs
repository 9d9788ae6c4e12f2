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

use super::parser::{line_count, message_number, parse_command};
use super::Pop3Config;
use crate::codec::{Line, LineCodec};
use crate::sasl::{self, Mechanism, SaslError};
use crate::sim::{SimRng, Timestamp};
use crate::store::{Flag, FlagOp, Flags, MailStore};
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

/// The maildrop as it was at login (RFC 1939 §5: numbers are fixed).
#[derive(Debug, Clone)]
struct Maildrop {
    user: String,
    uid_validity: u32,
    /// UID and size of message number i+1.
    messages: Vec<(u32, usize)>,
    deleted: Vec<bool>,
    retrieved: Vec<bool>,
}

/// Where a SASL exchange (RFC 5034 §4) stands, waiting for the next line.
#[derive(Debug, Clone)]
enum Sasl {
    Plain,
    LoginUser,
    LoginPassword(String),
}

#[derive(Debug, Clone)]
enum State {
    Authorization { user: Option<String> },
    Authenticating(Sasl),
    Transaction(Maildrop),
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
        if let State::Authenticating(step) = &self.state {
            let step = step.clone();
            return self.sasl_response(step, &line.bytes, out, store);
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
        let mech = Mechanism::from_name(name).filter(|m| self.cfg.mechanisms.contains(m));
        let initial = words.next();
        match (mech, initial) {
            (None, _) | (Some(Mechanism::CramMd5), _) => {
                out.lines.push("-ERR [AUTH] Unsupported authentication mechanism.".into())
            }
            (Some(Mechanism::Plain), None) => {
                self.state = State::Authenticating(Sasl::Plain);
                out.lines.push("+ ".into());
            }
            (Some(Mechanism::Plain), Some(ir)) => match sasl::decode(ir) {
                Err(SaslError::BadBase64) => {
                    out.lines.push("-ERR [AUTH] Invalid base64 data in initial response".into())
                }
                _ => {
                    let result = sasl::verify_plain(&self.cfg.directory, ir);
                    self.finish_login(result, store, out);
                }
            },
            (Some(Mechanism::Login), None) => {
                self.state = State::Authenticating(Sasl::LoginUser);
                out.lines.push(format!("+ {}", sasl::login_user_prompt()));
            }
            (Some(Mechanism::Login), Some(ir)) => self.sasl_response(Sasl::LoginUser, ir.as_bytes(), out, store),
        }
    }

    /// A client line during AUTH.
    fn sasl_response(&mut self, step: Sasl, line: &[u8], out: &mut Output, store: &mut MailStore) {
        self.state = State::Authorization { user: None };
        let text = String::from_utf8_lossy(line);
        let result = match step {
            Sasl::Plain => sasl::verify_plain(&self.cfg.directory, &text),
            Sasl::LoginUser => match sasl::decode(&text).map(|b| String::from_utf8_lossy(&b).into_owned()) {
                Ok(user) => {
                    self.state = State::Authenticating(Sasl::LoginPassword(user));
                    return out.lines.push(format!("+ {}", sasl::login_password_prompt()));
                }
                Err(e) => Err(e),
            },
            Sasl::LoginPassword(user) => sasl::decode(&text)
                .and_then(|pw| sasl::check_password(&self.cfg.directory, &user, &String::from_utf8_lossy(&pw))),
        };
        self.finish_login(result, store, out);
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
        let reply: Result<Vec<String>, String> = match verb {
            "STAT" => {
                let (n, size) = m.live().fold((0, 0), |(n, s), (_, _, size)| (n + 1, s + size));
                Ok(vec![format!("+OK {n} {size}")])
            }
            "LIST" if args.is_empty() => {
                let mut v = vec![format!("+OK {} messages:", m.live().count())];
                v.extend(m.live().map(|(i, _, size)| format!("{} {size}", i + 1)));
                v.push(".".into());
                Ok(v)
            }
            "LIST" => m.number(args).map(|i| vec![format!("+OK {} {}", i + 1, m.messages[i].1)]),
            "UIDL" if args.is_empty() => {
                let mut v = vec!["+OK".to_string()];
                v.extend(m.live().map(|(i, uid, _)| format!("{} {}", i + 1, m.unique_id(uid))));
                v.push(".".into());
                Ok(v)
            }
            "UIDL" => m.number(args).map(|i| vec![format!("+OK {} {}", i + 1, m.unique_id(m.messages[i].0))]),
            "RETR" => m.number(args).and_then(|i| {
                let raw = m.raw(i, store)?;
                m.retrieved[i] = true;
                out.events.push(Event::Retrieved { user: m.user.clone(), uid: m.messages[i].0 });
                Ok(multiline(format!("+OK {} octets", raw.len()), &raw, None))
            }),
            "TOP" => top(m, args, store),
            "DELE" => m.number(args).map(|i| {
                m.deleted[i] = true;
                vec!["+OK Marked to be deleted.".to_string()]
            }),
            "RSET" => {
                m.deleted.iter_mut().for_each(|d| *d = false);
                Ok(vec!["+OK".into()])
            }
            "NOOP" => Ok(vec!["+OK".into()]),
            "QUIT" => {
                let line = update(m, store, out);
                out.lines.push(line);
                self.close(out);
                return true;
            }
            "" => Err("Unknown command.".into()),
            _ => Err(format!("Unknown command: {verb}")),
        };
        match reply {
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

/// The UPDATE state (RFC 1939 §6): removes the messages marked by DELE and
/// marks retrieved ones `\Seen`, as Dovecot does. Returns the reply.
fn update(m: &Maildrop, store: &mut MailStore, out: &mut Output) -> String {
    let pick = |marks: &[bool]| -> Vec<u32> {
        m.messages.iter().zip(marks).filter(|(_, &b)| b).map(|((uid, _), _)| *uid).collect()
    };
    let seen: Flags = [Flag::Seen].into_iter().collect();
    // The account exists (it was created at login); a failure here only means nothing to do.
    let _ = store.set_flags(&m.user, "INBOX", &pick(&m.retrieved), FlagOp::Add, seen);
    let doomed = pick(&m.deleted);
    if doomed.is_empty() {
        return "+OK Logging out.".into();
    }
    let uids = store.expunge(&m.user, "INBOX", &doomed).unwrap_or_default();
    out.events.push(Event::Expunged { user: m.user.clone(), uids });
    "+OK Logging out, messages deleted.".into()
}

/// TOP msg n (RFC 1939 §7): the header, the blank line and n body lines.
/// Dovecot treats the largest 64-bit count as "all" and answers as RETR does.
fn top(m: &Maildrop, args: &str, store: &MailStore) -> Result<Vec<String>, String> {
    let (num, rest) = message_number(args, true)?;
    let i = m.index(num)?;
    let n = line_count(rest)?;
    let raw = m.raw(i, store)?;
    if n == u64::MAX {
        return Ok(multiline(format!("+OK {} octets", raw.len()), &raw, None));
    }
    Ok(multiline("+OK".into(), &raw, Some(n)))
}

/// A multi-line reply (RFC 1939 §3): status line, the message's lines
/// byte-stuffed, then a lone dot. With `body_lines`, only the header and
/// that many body lines.
fn multiline(status: String, raw: &[u8], body_lines: Option<u64>) -> Vec<String> {
    let mut v = vec![status];
    let text = raw.strip_suffix(b"\r\n").unwrap_or(raw);
    let mut in_body = false;
    let mut left = body_lines.unwrap_or(u64::MAX);
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if in_body {
            if left == 0 {
                break;
            }
            left -= 1;
        }
        in_body |= line.is_empty();
        let s = String::from_utf8_lossy(line);
        v.push(if s.starts_with('.') { format!(".{s}") } else { s.into_owned() });
    }
    v.push(".".into());
    v
}

impl Maildrop {
    /// Messages not marked deleted: (index, UID, size).
    fn live(&self) -> impl Iterator<Item = (usize, u32, usize)> + '_ {
        self.messages
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.deleted.get(*i).copied().unwrap_or(true))
            .map(|(i, &(u, s))| (i, u, s))
    }

    /// The index of message number `num`, if it exists and is not deleted.
    fn index(&self, num: u64) -> Result<usize, String> {
        let i = usize::try_from(num).ok().and_then(|n| n.checked_sub(1)).filter(|&i| i < self.messages.len());
        match i {
            None => Err(format!("There's no message {num}.")),
            Some(i) if self.deleted[i] => Err("Message is deleted.".into()),
            Some(i) => Ok(i),
        }
    }

    /// Parses a lone message-number argument (LIST n, UIDL n, RETR, DELE).
    fn number(&self, args: &str) -> Result<usize, String> {
        let (num, _) = message_number(args, false)?;
        self.index(num)
    }

    /// The unique-id listing of UIDL (RFC 1939 §7), in Dovecot's
    /// `pop3_uidl_format = %08Xu%08Xv` as the peers configure it.
    fn unique_id(&self, uid: u32) -> String {
        format!("{uid:08x}{:08x}", self.uid_validity)
    }

    /// The bytes of message index `i`, read from the store now.
    fn raw(&self, i: usize, store: &MailStore) -> Result<Vec<u8>, String> {
        let uid = self.messages[i].0;
        store.get(&self.user, "INBOX", uid).map(|msg| msg.raw.clone()).ok_or_else(|| "Message is deleted.".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    const M1: &[u8] = b"Subject: one\r\nFrom: a@example.net\r\n\r\nline 1\r\n.dot line\r\nline 3\r\n";
    const M2: &[u8] = b"Subject: two\r\n\r\nx\r\n";

    fn cfg() -> Pop3Config {
        let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
        d.add_user("bob", "bobpw");
        Pop3Config::dovecot("mail.example.com", d)
    }

    fn store() -> MailStore {
        let mut s = MailStore::new();
        s.create_user("bob", 0x6b03_edcc);
        s.deliver("bob", "INBOX", M1, 1).unwrap();
        s.deliver("bob", "INBOX", M2, 2).unwrap();
        s
    }

    fn send(srv: &mut Server, store: &mut MailStore, line: &str) -> Vec<String> {
        srv.feed(format!("{line}\r\n").as_bytes(), store).lines
    }

    fn logged_in(store: &mut MailStore) -> Server {
        let (mut srv, greeting) = Server::new(cfg(), 0, SimRng::new(1));
        assert_eq!(greeting, "+OK Dovecot (Debian) ready.");
        assert_eq!(srv.feed(b"USER bob\r\nPASS bobpw\r\n", store).lines, ["+OK", "+OK Logged in."]);
        srv
    }

    #[test]
    fn stat_list_uidl_use_the_stored_sizes_and_uids() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        let total = M1.len() + M2.len();
        assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {total}")]);
        assert_eq!(
            send(&mut s, &mut st, "LIST"),
            ["+OK 2 messages:".to_string(), format!("1 {}", M1.len()), format!("2 {}", M2.len()), ".".into()]
        );
        assert_eq!(send(&mut s, &mut st, "LIST 2"), [format!("+OK 2 {}", M2.len())]);
        // pop3_uidl_format = %08Xu%08Xv, as in session.txt (`000000016b03edcc`).
        assert_eq!(send(&mut s, &mut st, "UIDL"), ["+OK", "1 000000016b03edcc", "2 000000026b03edcc", "."]);
        assert_eq!(send(&mut s, &mut st, "UIDL 2"), ["+OK 2 000000026b03edcc"]);
        assert_eq!(send(&mut s, &mut st, "LIST 3"), ["-ERR There's no message 3."]);
        assert_eq!(send(&mut s, &mut st, "UIDL 0"), ["-ERR There's no message 0."]);
    }

    #[test]
    fn retr_is_byte_stuffed_and_counts_unstuffed_octets() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        let got = send(&mut s, &mut st, "RETR 1");
        assert_eq!(
            got,
            [
                format!("+OK {} octets", M1.len()).as_str(),
                "Subject: one",
                "From: a@example.net",
                "",
                "line 1",
                "..dot line",
                "line 3",
                "."
            ]
        );
        assert_eq!(send(&mut s, &mut st, "RETR 9"), ["-ERR There's no message 9."]);
        assert_eq!(send(&mut s, &mut st, "RETR"), ["-ERR Invalid message number: "]);
        // RETR marks \Seen, applied at QUIT (Dovecot); TOP does not.
        send(&mut s, &mut st, "TOP 2 0");
        assert_eq!(send(&mut s, &mut st, "QUIT"), ["+OK Logging out."]);
        assert!(st.get("bob", "INBOX", 1).unwrap().flags.contains(Flag::Seen));
        assert!(!st.get("bob", "INBOX", 2).unwrap().flags.contains(Flag::Seen));
    }

    #[test]
    fn top_sends_the_header_blank_line_and_n_body_lines() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        assert_eq!(send(&mut s, &mut st, "TOP 1 0"), ["+OK", "Subject: one", "From: a@example.net", "", "."]);
        assert_eq!(
            send(&mut s, &mut st, "TOP 1 2"),
            ["+OK", "Subject: one", "From: a@example.net", "", "line 1", "..dot line", "."]
        );
        assert_eq!(send(&mut s, &mut st, "TOP 1 99"), send(&mut s, &mut st, "TOP 1 3"));
        // args3.txt: the largest 64-bit count is answered as RETR.
        assert_eq!(
            send(&mut s, &mut st, "TOP 2 18446744073709551615"),
            [format!("+OK {} octets", M2.len()).as_str(), "Subject: two", "", "x", "."]
        );
        assert_eq!(send(&mut s, &mut st, "TOP 1"), ["-ERR Noise after message number: "]);
        assert_eq!(send(&mut s, &mut st, "TOP 1 -1"), ["-ERR Invalid size: -1"]);
        assert_eq!(send(&mut s, &mut st, "TOP 9 x"), ["-ERR There's no message 9."]);
    }

    #[test]
    fn dele_rset_and_quit_apply_deletions_only_in_update() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        assert_eq!(send(&mut s, &mut st, "DELE 1"), ["+OK Marked to be deleted."]);
        assert_eq!(send(&mut s, &mut st, "DELE 1"), ["-ERR Message is deleted."]);
        assert_eq!(send(&mut s, &mut st, "RETR 1"), ["-ERR Message is deleted."]);
        assert_eq!(
            send(&mut s, &mut st, "LIST"),
            ["+OK 1 messages:".to_string(), format!("2 {}", M2.len()), ".".into()]
        );
        assert_eq!(send(&mut s, &mut st, "RSET"), ["+OK"]);
        assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {}", M1.len() + M2.len())]);
        send(&mut s, &mut st, "DELE 2");
        assert_eq!(st.list("bob", "INBOX").unwrap().len(), 2, "nothing is removed before QUIT");
        let out = s.feed(b"QUIT\r\n", &mut st);
        // dele-quit.txt: Dovecot says so when it deleted something.
        assert_eq!(out.lines, ["+OK Logging out, messages deleted."]);
        assert!(out.closed);
        assert!(out.events.contains(&Event::Expunged { user: "bob".into(), uids: vec![2] }));
        assert_eq!(st.list("bob", "INBOX").unwrap().iter().map(|m| m.uid).collect::<Vec<_>>(), [1]);
        assert!(s.feed(b"NOOP\r\n", &mut st).lines.is_empty(), "input after close is ignored");
    }

    #[test]
    fn a_dropped_session_deletes_nothing() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        send(&mut s, &mut st, "DELE 1");
        drop(s);
        assert_eq!(st.list("bob", "INBOX").unwrap().len(), 2);
    }

    #[test]
    fn the_maildrop_is_a_snapshot_taken_at_login() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        st.deliver("bob", "INBOX", b"Subject: late\r\n\r\n", 3).unwrap();
        assert_eq!(send(&mut s, &mut st, "STAT"), [format!("+OK 2 {}", M1.len() + M2.len())]);
        assert_eq!(send(&mut s, &mut st, "LIST 3"), ["-ERR There's no message 3."]);
        // A message expunged by someone else meanwhile cannot be read.
        st.expunge("bob", "INBOX", &[2]).unwrap();
        assert_eq!(send(&mut s, &mut st, "RETR 2"), ["-ERR Message is deleted."]);
    }

    #[test]
    fn user_pass_and_authorization_errors() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        // wrong-state.txt
        assert_eq!(send(&mut s, &mut st, "STAT"), ["-ERR Unknown command."]);
        assert_eq!(send(&mut s, &mut st, "PASS bobpw"), ["-ERR No username given."]);
        assert_eq!(send(&mut s, &mut st, "APOP bob 0123456789abcdef0123456789abcdef"), ["-ERR APOP not enabled."]);
        assert_eq!(send(&mut s, &mut st, "USER bob"), ["+OK"]);
        assert_eq!(send(&mut s, &mut st, "PASS wrong"), ["-ERR [AUTH] Authentication failed."]);
        assert_eq!(send(&mut s, &mut st, "PASS bobpw"), ["-ERR No username given."], "a failed PASS forgets the user");
        assert_eq!(send(&mut s, &mut st, "user BOB"), ["+OK"]);
        assert_eq!(send(&mut s, &mut st, "pass bobpw"), ["+OK Logged in."]);
        assert_eq!(s.user(), Some("bob"));
        assert_eq!(send(&mut s, &mut st, "USER bob"), ["-ERR Unknown command: USER"]);
    }

    #[test]
    fn quit_before_login() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        let out = s.feed(b"QUIT\r\n", &mut st);
        assert_eq!((out.lines, out.closed), (vec!["+OK Logging out".to_string()], true));
    }

    #[test]
    fn capa_changes_with_state_and_stls() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        let before = send(&mut s, &mut st, "CAPA");
        assert_eq!(
            before,
            [
                "+OK",
                "CAPA",
                "TOP",
                "UIDL",
                "RESP-CODES",
                "PIPELINING",
                "AUTH-RESP-CODE",
                "STLS",
                "USER",
                "SASL PLAIN LOGIN",
                "."
            ]
        );
        assert_eq!(send(&mut s, &mut st, "STLS"), ["+OK Begin TLS negotiation now."]);
        assert!(s.is_tls());
        assert!(!send(&mut s, &mut st, "CAPA").contains(&"STLS".to_string()));
        assert_eq!(send(&mut s, &mut st, "STLS"), ["-ERR TLS is already active."]);
        send(&mut s, &mut st, "AUTH PLAIN AGJvYgBib2Jwdw==");
        assert_eq!(
            send(&mut s, &mut st, "CAPA"),
            ["+OK", "CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "."]
        );
        assert_eq!(send(&mut s, &mut st, "STLS"), ["-ERR Unknown command: STLS"]);
    }

    #[test]
    fn auth_plain_login_and_their_errors() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        assert_eq!(send(&mut s, &mut st, "AUTH"), ["+OK", "PLAIN", "LOGIN", "."]);
        assert_eq!(send(&mut s, &mut st, "AUTH PLAIN"), ["+ "]);
        assert_eq!(send(&mut s, &mut st, "*"), ["-ERR Authentication aborted by client."]);
        assert_eq!(send(&mut s, &mut st, "AUTH PLAIN"), ["+ "]);
        assert_eq!(send(&mut s, &mut st, "not base64!"), ["-ERR [AUTH] Invalid base64 in response"]);
        assert_eq!(send(&mut s, &mut st, "AUTH PLAIN !!"), ["-ERR [AUTH] Invalid base64 data in initial response"]);
        assert_eq!(send(&mut s, &mut st, "AUTH PLAIN AGJvYgB3cm9uZw=="), ["-ERR [AUTH] Authentication failed."]);
        assert_eq!(send(&mut s, &mut st, "AUTH CRAM-MD5"), ["-ERR [AUTH] Unsupported authentication mechanism."]);
        assert_eq!(send(&mut s, &mut st, "AUTH LOGIN"), ["+ VXNlcm5hbWU6"]);
        assert_eq!(send(&mut s, &mut st, "Ym9i"), ["+ UGFzc3dvcmQ6"]);
        assert_eq!(send(&mut s, &mut st, "Ym9icHc="), ["+OK Logged in."]);
    }

    #[test]
    fn apop_when_configured() {
        let mut st = store();
        let mut c = cfg();
        c.apop = true;
        let (mut s, greeting) = Server::new(c.clone(), 697_170_952, SimRng::new(1));
        let stamp = greeting.rsplit_once(' ').map(|(_, t)| t.to_string()).unwrap();
        assert!(stamp.starts_with('<') && stamp.ends_with("@mail.example.com>"), "{greeting}");
        assert!(stamp.contains(".697170952@"), "RFC 1939 §7: process-id.clock@hostname");
        assert_eq!(
            send(&mut s, &mut st, "APOP bob 0123456789abcdef0123456789abcdef"),
            ["-ERR [AUTH] Authentication failed."]
        );
        let digest = sasl::apop_digest(&stamp, "bobpw");
        assert_eq!(send(&mut s, &mut st, &format!("APOP bob {digest}")), ["+OK Logged in."]);
        let (mut s, _) = Server::new(c, 0, SimRng::new(1));
        assert_eq!(send(&mut s, &mut st, "APOP bob"), ["-ERR [AUTH] Authentication failed."]);
    }

    #[test]
    fn too_many_bad_commands_hang_up() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        // bad-counter.txt: a known command resets the count.
        s.feed(b"FOO\r\nBAR\r\nCAPA\r\nBAZ\r\nSTAT\r\n", &mut st);
        assert!(!s.is_closed());
        let out = s.feed(b"NOOP\r\n", &mut st);
        assert_eq!(out.lines, ["-ERR Unknown command.", "-ERR Too many invalid bad commands."]);
        assert!(out.closed);
        // too-many-bad-transaction.txt: any -ERR counts, the 21st in a row ends it.
        let mut s = logged_in(&mut st);
        let out = s.feed("LIST 99\r\n".repeat(20).as_bytes(), &mut st);
        assert!(!out.closed);
        let out = s.feed(b"RETR 0\r\n", &mut st);
        assert_eq!(out.lines, ["-ERR There's no message 0.", "-ERR Too many bad commands."]);
        assert!(out.closed);
    }

    #[test]
    fn long_lines_end_the_session_as_dovecot_does() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        assert_eq!(send(&mut s, &mut st, &format!("USER {}", "x".repeat(1024))), ["+OK"]);
        let out = s.feed(format!("USER {}\r\n", "x".repeat(1025)).as_bytes(), &mut st);
        assert_eq!((out.lines, out.closed), (vec!["-ERR Input buffer full, aborting".to_string()], true));
        let mut s = logged_in(&mut st);
        assert!(send(&mut s, &mut st, &format!("LIST {}", "1".repeat(2041)))[0]
            .starts_with("-ERR Message number too large: 111"));
        let out = s.feed(format!("LIST {}\r\n", "1".repeat(100_000)).as_bytes(), &mut st);
        assert_eq!((out.lines, out.closed), (vec!["-ERR Input line too long.".to_string()], true));
    }

    #[test]
    fn malformed_input_gets_an_error_never_a_panic() {
        let mut st = store();
        let mut s = logged_in(&mut st);
        assert_eq!(s.feed(b"LIST \xff\r\n", &mut st).lines, ["-ERR Invalid message number: \u{fffd}"]);
        assert_eq!(s.feed(b"LI\0ST\r\n", &mut st).lines, ["-ERR Unknown command: LI"]);
        assert_eq!(
            send(&mut s, &mut st, "RETR 99999999999999999999"),
            ["-ERR Message number too large: 99999999999999999999"]
        );
        assert_eq!(send(&mut s, &mut st, "LIST -1"), ["-ERR Invalid message number: -1"]);
        assert_eq!(send(&mut s, &mut st, ""), ["-ERR Unknown command."]);
        // Arbitrary bytes, in arbitrary pieces, in every state.
        let mut rng = SimRng::new(9);
        for round in 0..200 {
            let (mut s, _) = Server::new(cfg(), 0, SimRng::new(round));
            if round % 2 == 0 {
                s.feed(b"USER bob\r\nPASS bobpw\r\n", &mut st);
            }
            for _ in 0..20 {
                let len = (rng.next_u64() % 64) as usize;
                let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
                s.feed(&bytes, &mut st);
            }
        }
        assert!(st.list("bob", "INBOX").unwrap().len() <= 2);
    }

    #[test]
    fn pipelined_commands_are_answered_in_order() {
        let mut st = store();
        let (mut s, _) = Server::new(cfg(), 0, SimRng::new(1));
        let out = s.feed(b"USER bob\r\nPASS bobpw\r\nSTAT\nNOOP\r\nQUIT\r\nSTAT\r\n", &mut st);
        assert_eq!(
            out.lines,
            ["+OK", "+OK Logged in.", &format!("+OK 2 {}", M1.len() + M2.len()), "+OK", "+OK Logging out."]
        );
    }

    #[test]
    fn output_goes_on_the_wire_with_crlf() {
        let out = Output { lines: vec!["+OK".into(), ".".into()], ..Default::default() };
        assert_eq!(out.to_wire(), b"+OK\r\n.\r\n");
    }
}
