//! The server side of an IMAP session (RFC 3501 §3, §6, §7), sans-IO: feed
//! the bytes that arrived with the mailbox store, get back the bytes to send.
//! Time is injected; nothing here does I/O.
//!
//! This file holds the [`Server`], its public API and the dispatch: framed
//! commands ([`framing`](super::framing)) are read into typed commands
//! ([`command`](super::command)) in the light of the [`State`] (RFC 3501 §3),
//! and run by the handlers ([`auth`](super::auth), [`handlers`](super::handlers)),
//! the selected view kept up to date by [`sync`](super::sync). Texts, order and
//! codes are Dovecot 2.3's, as recorded in `tests/transcripts/imap/`;
//! post-login replies end with Dovecot's timing figures, here always
//! `(0.001 + 0.000 secs)`.

use super::command::{self, tag_of, Command, Head};
use super::framing::{Frame, Framer, TooLarge};
use super::handlers::{copy, mailbox, messages, select, Ctx, Done};
use super::parser::Fail;
use super::state::{legal, PreAuth, State};
use super::sync::sync;
use super::{ImapConfig, POST_LOGIN_CAPABILITIES, PRE_LOGIN_CAPABILITIES};
use crate::sim::{SimRng, Timestamp};
use crate::store::MailStore;
use serde::{Deserialize, Serialize};

/// Something observable that happened in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    LoggedIn {
        user: String,
    },
    /// FETCH sent a message's body (a section) to the client.
    Retrieved {
        user: String,
        folder: String,
        uid: u32,
    },
    LoginFailed,
    TlsStarted,
    /// These UIDs were removed from a folder.
    Expunged {
        folder: String,
        uids: Vec<u32>,
    },
    Closed,
}

/// What one call to [`Server::feed`] or [`Server::poll`] produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The bytes to send: responses ended by CRLF, literals inside them.
    pub wire: Vec<u8>,
    pub events: Vec<Event>,
    /// True once the server has closed the connection.
    pub closed: bool,
}

impl Output {
    /// The output split at CRLF, as a terminal shows it (invalid UTF-8 replaced).
    pub fn lines(&self) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.wire);
        let mut v: Vec<String> = text.split("\r\n").map(String::from).collect();
        if v.last().is_some_and(String::is_empty) {
            v.pop();
        }
        v
    }

    pub(super) fn push(&mut self, line: impl AsRef<str>) {
        self.wire.extend_from_slice(line.as_ref().as_bytes());
        self.wire.extend_from_slice(b"\r\n");
    }
}

/// Dovecot's timing figures after a post-login reply (deterministic here).
pub(super) const TIMING: &str = "(0.001 + 0.000 secs).";

/// One IMAP server session.
#[derive(Debug, Clone)]
pub struct Server {
    pub(super) cfg: ImapConfig,
    pub(super) now: Timestamp,
    framer: Framer,
    pub(super) state: State,
    /// STARTTLS ran (modelled: a flag, no cryptography).
    tls: bool,
    /// The rest of a line that a broken APPEND left unread, read next as a command line
    /// (`command::append`, imap/append-store-more.txt).
    reread: Option<Vec<u8>>,
}

impl Server {
    /// Opens a session; returns it with the greeting (RFC 3501 §7.1.1).
    pub fn new(cfg: ImapConfig, now: Timestamp, _rng: SimRng) -> (Self, String) {
        let s = Self {
            framer: Framer::new(cfg.limits.line),
            cfg,
            now,
            state: State::NotAuthenticated(PreAuth::default()),
            tls: false,
            reread: None,
        };
        let greeting = format!("* OK [CAPABILITY {}] {}", s.pre_login_capabilities(), s.cfg.greeting);
        (s, greeting)
    }

    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    pub fn is_closed(&self) -> bool {
        self.state.is_logout()
    }

    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The logged-in user.
    pub fn user(&self) -> Option<&str> {
        self.state.user()
    }

    /// True while an IDLE command runs.
    pub fn is_idling(&self) -> bool {
        self.state.is_idle()
    }

    fn pre_login_capabilities(&self) -> String {
        let mut caps = String::from(PRE_LOGIN_CAPABILITIES);
        if self.cfg.starttls && !self.tls {
            caps.push_str(" STARTTLS");
        }
        for m in &self.cfg.mechanisms {
            caps.push_str(" AUTH=");
            caps.push_str(m.name());
        }
        caps
    }

    /// Feeds bytes from the client; pipelined commands are answered in order.
    pub fn feed(&mut self, input: &[u8], store: &mut MailStore) -> Output {
        let mut out = Output::default();
        for piece in self.framer.split(input) {
            if self.is_closed() {
                break;
            }
            match self.framer.piece(piece) {
                Some(Frame::Command(cmd)) => self.on_command(cmd, store, &mut out),
                Some(Frame::TooLong) => out.push("* BAD Error in IMAP command received by server: Too long argument."),
                None => {}
            }
        }
        out.closed = self.is_closed();
        out
    }

    /// Reports changes others made to the selected mailbox while this session
    /// idles (RFC 2177); outside IDLE, they come with the next command.
    pub fn poll(&mut self, store: &mut MailStore) -> Output {
        let mut out = Output::default();
        if self.state.is_idle() {
            self.sync(store, &mut out, true);
        }
        out.closed = self.is_closed();
        out
    }

    /// The move to Logout (RFC 3501 §3.4): the connection closes.
    fn close(&mut self, out: &mut Output) {
        self.state.move_to_logout();
        out.events.push(Event::Closed);
    }

    /// Brings the selected view, if any, up to date ([`sync()`]).
    fn sync(&mut self, store: &mut MailStore, out: &mut Output, expunges: bool) {
        if let Some((user, Some(sel))) = self.state.session_mut() {
            sync(sel, user, store, out, expunges);
        }
    }

    /// A framed command, then, in turn, what each broken APPEND left of its
    /// line to be read again as a command (`command::append`). A loop, not
    /// a recursion: a line may hold thousands of such APPENDs, and each rest
    /// is strictly shorter than the line before, so it ends.
    fn on_command(&mut self, mut cmd: Vec<u8>, store: &mut MailStore, out: &mut Output) {
        loop {
            self.one_command(cmd, store, out);
            match self.reread.take() {
                Some(rest) => cmd = rest,
                None => break,
            }
        }
    }

    /// One command line, or a line inside IDLE or a SASL exchange.
    fn one_command(&mut self, cmd: Vec<u8>, store: &mut MailStore, out: &mut Output) {
        if let Some(tag) = self.state.move_out_of_idle() {
            if cmd.eq_ignore_ascii_case(b"DONE") {
                self.sync(store, out, true);
                out.push(format!("{tag} OK Idle completed {TIMING}"));
            } else {
                out.push(format!("{tag} BAD Expected DONE {TIMING}"));
            }
            return;
        }
        if let Some((tag, step)) = self.state.move_out_of_authenticating() {
            return self.sasl_line(&tag, step, &cmd, store, out);
        }
        let mut head = Head::read(&cmd);
        let result = if self.state.user().is_some() {
            self.authenticated(&mut head, store, out)
        } else {
            self.not_authenticated(&mut head, store, out)
        };
        if let Err(Fail::NeedLiteral { size, plus }) = result {
            let append = head.tag.is_some() && head.name == "APPEND";
            let max = if append { self.cfg.limits.message } else { self.cfg.limits.literal };
            let tag = tag_of(&cmd);
            match self.framer.await_literal(cmd, size, plus, max) {
                Ok(Some(continuation)) => out.push(continuation),
                Ok(None) => {}
                Err(TooLarge) => out.push(format!("{tag} BAD Error in IMAP command: Literal too large {TIMING}")),
            }
        }
    }

    /// Not Authenticated (RFC 3501 §6.1, §6.2). Dovecot counts invalid
    /// commands and hangs up at the limit; a malformed string in LOGIN gets
    /// no reply (as before the states were typed; to be checked against Dovecot).
    fn not_authenticated(&mut self, head: &mut Head, store: &mut MailStore, out: &mut Output) -> Done {
        let cmd = command::not_authenticated(head)?;
        let tag = head.tag.clone().unwrap_or_else(|| "*".into());
        match cmd {
            Some(Command::Capability) => {
                if let Some(pre) = self.state.pre_auth_mut() {
                    pre.capability_asked = true;
                }
                out.push(format!("* CAPABILITY {}", self.pre_login_capabilities()));
                out.push(format!("{tag} OK Pre-login capabilities listed, post-login capabilities have more."));
            }
            Some(Command::Noop) => out.push(format!("{tag} OK NOOP completed.")),
            Some(Command::Logout) => {
                out.push("* BYE Logging out");
                out.push(format!("{tag} OK Logout completed."));
                self.close(out);
            }
            Some(Command::Id) => {
                out.push("* ID NIL");
                out.push(format!("{tag} OK ID completed."));
            }
            Some(Command::StartTls) if self.cfg.starttls => {
                if self.tls {
                    out.push(format!("{tag} BAD TLS is already active."));
                } else {
                    self.tls = true;
                    out.events.push(Event::TlsStarted);
                    out.push(format!("{tag} OK Begin TLS negotiation now."));
                }
            }
            Some(Command::Login { user, pass }) => self.login(&tag, &user, &pass, store, out),
            Some(Command::Authenticate { mechanism, initial }) => {
                self.authenticate(&tag, &mechanism, initial, store, out)
            }
            _ => {
                let limit = self.cfg.limits.login_bad_commands;
                let bad = self.state.pre_auth_mut().map_or(limit, |pre| {
                    pre.bad_commands += 1;
                    pre.bad_commands
                });
                if bad >= limit {
                    out.push("* BYE Too many invalid IMAP commands.");
                    self.close(out);
                } else {
                    out.push(format!("{tag} BAD Error in IMAP command received by server."));
                }
            }
        }
        Ok(())
    }

    /// Authenticated and Selected (RFC 3501 §6.1, §6.3, §6.4): the verb is
    /// checked against the state before its arguments are read.
    fn authenticated(&mut self, head: &mut Head, store: &mut MailStore, out: &mut Output) -> Done {
        let Some(tag) = head.tag.clone() else {
            out.push(format!("* BAD Error in IMAP tag: Invalid tag {TIMING}"));
            return Ok(());
        };
        if head.name.is_empty() {
            out.push(format!("{tag} BAD Error in IMAP command: Invalid command name {TIMING}"));
            return Ok(());
        }
        head.uid();
        let name = head.name.clone();
        let selected = matches!(self.state, State::Selected { .. });
        if command::needs_mailbox(&name) && !selected {
            out.push(format!("{tag} BAD No mailbox selected {TIMING}"));
            return Ok(());
        }
        let user = self.state.user().unwrap_or_default().to_string();
        let mut ctx = Ctx { tag: &tag, user: &user, now: self.now, store, out };
        let r = match command::authenticated(head) {
            Ok(Some(cmd)) => self.run(cmd, &mut ctx),
            Ok(None) => {
                ctx.out.push(format!("{tag} BAD Error in IMAP command {name}: Unknown command {TIMING}"));
                Ok(())
            }
            Err(e) => Err(e),
        };
        if name == "DELETE" {
            // folders.txt: Dovecot hangs up on a session whose mailbox went.
            let gone = matches!(&self.state, State::Selected { mailbox, .. }
                if ctx.store.folder(&user, &mailbox.name).is_err());
            if gone {
                ctx.out.push("* BYE Selected mailbox was deleted, have to disconnect.");
                self.close(ctx.out);
            }
        }
        match r {
            Err(Fail::Bad(text)) => {
                out.push(format!("{tag} BAD Error in IMAP command {name}: {text} {TIMING}"));
                Ok(())
            }
            Err(Fail::Store(_)) => {
                // Dovecot's words for a storage failure it cannot explain to the client.
                out.push(format!(
                    "{tag} NO [SERVERBUG] Internal error occurred. Refer to server log for more information."
                ));
                Ok(())
            }
            other => other,
        }
    }

    /// Runs a command of the Authenticated or Selected state.
    fn run(&mut self, cmd: Command, ctx: &mut Ctx) -> Done {
        match cmd {
            Command::Capability => {
                ctx.out.push(format!("* CAPABILITY {POST_LOGIN_CAPABILITIES}"));
                ctx.ok("Capability completed");
            }
            Command::Noop | Command::Check => {
                self.sync(ctx.store, ctx.out, true);
                ctx.ok(if cmd == Command::Noop { "NOOP completed" } else { "Check completed" });
            }
            Command::Id => {
                ctx.out.push("* ID (\"name\" \"Dovecot\")");
                ctx.ok("ID completed");
            }
            // Nothing mailsim advertises can be enabled (CONDSTORE and QRESYNC
            // are not advertised), so no `* ENABLED` line, as Dovecot answers
            // for extensions it does not know (caps-enable-namespace.txt).
            Command::Enable => ctx.ok("Enabled"),
            Command::Namespace => {
                ctx.out.push("* NAMESPACE ((\"\" \".\")) NIL NIL");
                ctx.ok("Namespace completed");
            }
            Command::Logout => {
                ctx.out.push("* BYE Logging out");
                ctx.ok("Logout completed");
                self.close(ctx.out);
            }
            Command::Idle => {
                self.sync(ctx.store, ctx.out, true);
                ctx.out.push("+ idling");
                legal(self.state.move_to_idle(ctx.tag.into()));
            }
            Command::Select { mailbox, read_only } => {
                if self.state.move_out_of_selected().is_some() {
                    ctx.out.push("* OK [CLOSED] Previous mailbox closed.");
                }
                if let Some(sel) = select::select(ctx, &mailbox, read_only) {
                    legal(self.state.move_to_selected(sel));
                }
            }
            Command::Close | Command::Unselect => {
                let sel = self.state.move_out_of_selected();
                select::close(ctx, sel, cmd == Command::Close);
            }
            Command::Create { mailbox } => mailbox::create(ctx, &mailbox),
            Command::Delete { mailbox } => mailbox::delete(ctx, &mailbox),
            Command::Rename { from, to } => mailbox::rename(ctx, &from, &to),
            Command::Subscribe { mailbox, on } => mailbox::subscribe(ctx, &mailbox, on),
            Command::List { reference, patterns, lsub, extended } => {
                mailbox::list(ctx, &reference, &patterns, lsub, extended.as_ref())
            }
            Command::Status { mailbox, shown, items } => {
                let selected = match &self.state {
                    State::Selected { mailbox: sel, .. } => Some(sel.name.as_str()),
                    _ => None,
                };
                mailbox::status(ctx, &mailbox, &shown, &items, selected)
            }
            Command::Append { mailbox, message, rest } => {
                self.reread = rest;
                let coming = match &message {
                    Err(Fail::NeedLiteral { size, plus: true }) => Some(*size),
                    _ => None,
                };
                let sel = self.state.session_mut().and_then(|(_, sel)| sel);
                let done = select::append(ctx, sel, &mailbox, message);
                // Refused before its literal+ was read (TRYCREATE): Dovecot drops the octets.
                if let (Ok(()), Some(size)) = (&done, coming) {
                    self.framer.skip_literal(size);
                }
                return done;
            }
            // The Selected state's commands; the dispatch checked there is a mailbox.
            cmd => {
                let State::Selected { mailbox: sel, .. } = &mut self.state else { return Ok(()) };
                return match cmd {
                    Command::Fetch { set, items, uid } => messages::fetch(sel, ctx, &set, &items, uid),
                    Command::Store { set, op, silent, flags, keywords, uid } => {
                        let change = messages::Change { op, silent, flags, keywords: &keywords };
                        messages::store(sel, ctx, &set, change, uid)
                    }
                    Command::Search { key, uid, ret } => messages::search(sel, ctx, key.as_ref(), uid, ret),
                    Command::Sort { program, key, uid } => messages::sort(sel, ctx, &program, key.as_ref(), uid),
                    Command::Copy { set, mailbox, uid, remove } => copy::copy(sel, ctx, &set, &mailbox, uid, remove),
                    Command::Expunge { uids } => {
                        copy::expunge(sel, ctx, uids.as_ref());
                        Ok(())
                    }
                    _ => Ok(()),
                };
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
