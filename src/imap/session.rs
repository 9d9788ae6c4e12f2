//! The server side of an IMAP session (RFC 3501 §3, §6, §7), sans-IO: feed
//! the bytes that arrived with the mailbox store, get back the bytes to send.
//! Time is injected; nothing here does I/O.
//!
//! States (RFC 3501 §3): Not Authenticated, Authenticated, Selected, Logout,
//! plus the waits inside a command: a literal's octets (§4.3, after `+ OK`
//! for a synchronising one), a SASL response (§6.2.2) and IDLE (RFC 2177).
//!
//! The selected mailbox is a view of the store: message numbers, flags and
//! `\Recent` as this session last reported them. After each command, and on
//! [`Server::poll`] while idling, the view is brought up to date and the
//! differences are reported as EXPUNGE, FETCH FLAGS, EXISTS and RECENT
//! (§7.4.1, §7.3.1), so that two sessions on one mailbox see each other's
//! changes. Texts, order and codes are Dovecot 2.3's, as recorded in
//! `tests/transcripts/imap/`; post-login replies end with Dovecot's timing
//! figures, here always `(0.001 + 0.000 secs)`.

use super::fetch::{self, Item};
use super::framing::{Frame, Framer, TooLarge};
use super::mailbox::{create, delete, list, rename, status, subscribe};
use super::parser::{bad, date_time, flag_list, seq_set, Cursor, Fail, FlagArg, Parsed, SeqSet};
use super::search::{self, Candidate};
use super::{ImapConfig, POST_LOGIN_CAPABILITIES};
use crate::sasl::{self, Mechanism, SaslError};
use crate::sim::{SimRng, Timestamp};
use crate::store::{Flag, Flags, MailStore};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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

/// The system flags in the order Dovecot lists them.
const FLAG_ORDER: [Flag; 5] = [Flag::Answered, Flag::Flagged, Flag::Deleted, Flag::Seen, Flag::Draft];

/// The selected mailbox as this session knows it.
#[derive(Debug, Clone)]
struct Selected {
    name: String,
    read_only: bool,
    /// UID of message number i+1, with its flags as last reported.
    msgs: Vec<(u32, Flags, BTreeSet<String>)>,
    recent: BTreeSet<u32>,
    keywords: Vec<String>,
}

impl Selected {
    fn flags_text(&self, uid: u32, flags: Flags, kws: &BTreeSet<String>) -> String {
        let mut v: Vec<String> =
            FLAG_ORDER.iter().filter(|f| flags.contains(**f)).map(|f| f.name().to_string()).collect();
        if self.recent.contains(&uid) {
            v.push("\\Recent".into());
        }
        let mut ordered: Vec<&String> = self.keywords.iter().filter(|k| kws.contains(*k)).collect();
        ordered.extend(kws.iter().filter(|k| !self.keywords.contains(k)));
        v.extend(ordered.into_iter().cloned());
        v.join(" ")
    }

    fn flag_list(&self) -> String {
        let mut v: Vec<&str> = FLAG_ORDER.iter().map(|f| f.name()).collect();
        v.extend(self.keywords.iter().map(String::as_str));
        v.join(" ")
    }
}

/// A SASL exchange waiting for the client's next line.
#[derive(Debug, Clone)]
enum Sasl {
    Plain,
    LoginUser,
    LoginPassword(String),
}

/// One IMAP server session.
#[derive(Debug, Clone)]
pub struct Server {
    cfg: ImapConfig,
    now: Timestamp,
    framer: Framer,
    user: Option<String>,
    selected: Option<Selected>,
    sasl: Option<(String, Sasl)>,
    idle: Option<String>,
    tls: bool,
    capability_asked: bool,
    bad_preauth: u32,
    closed: bool,
}

/// The result of a command: a tagged reply, or a wait for a literal.
type Done = Result<(), Fail>;

impl Server {
    /// Opens a session; returns it with the greeting (RFC 3501 §7.1.1).
    pub fn new(cfg: ImapConfig, now: Timestamp, _rng: SimRng) -> (Self, String) {
        let s = Self {
            framer: Framer::new(cfg.limits.line),
            cfg,
            now,
            user: None,
            selected: None,
            sasl: None,
            idle: None,
            tls: false,
            capability_asked: false,
            bad_preauth: 0,
            closed: false,
        };
        let greeting = format!("* OK [CAPABILITY {}] {}", s.pre_login_capabilities(), s.cfg.greeting);
        (s, greeting)
    }

    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The logged-in user.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// True while an IDLE command runs.
    pub fn is_idling(&self) -> bool {
        self.idle.is_some()
    }

    fn pre_login_capabilities(&self) -> String {
        let mut caps = String::from("IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+");
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
            if self.closed {
                break;
            }
            match self.framer.piece(piece) {
                Some(Frame::Command(cmd)) => self.on_command(cmd, store, &mut out),
                Some(Frame::TooLong) => out.push("* BAD Error in IMAP command received by server: Too long argument."),
                None => {}
            }
        }
        out.closed = self.closed;
        out
    }

    /// Reports changes others made to the selected mailbox while this session
    /// idles (RFC 2177); outside IDLE, they come with the next command.
    pub fn poll(&mut self, store: &mut MailStore) -> Output {
        let mut out = Output::default();
        if self.idle.is_some() && !self.closed {
            self.sync(store, &mut out, true);
        }
        out.closed = self.closed;
        out
    }

    fn close(&mut self, out: &mut Output) {
        self.closed = true;
        out.events.push(Event::Closed);
    }

    /// A complete command line (literals inside), or a line inside IDLE or SASL.
    fn on_command(&mut self, cmd: Vec<u8>, store: &mut MailStore, out: &mut Output) {
        if let Some(tag) = self.idle.take() {
            if cmd.eq_ignore_ascii_case(b"DONE") {
                self.sync(store, out, true);
                out.push(format!("{tag} OK Idle completed {TIMING}"));
            } else {
                out.push(format!("{tag} BAD Expected DONE {TIMING}"));
            }
            return;
        }
        if let Some((tag, step)) = self.sasl.take() {
            return self.sasl_response(&tag, step, &cmd, store, out);
        }
        let result = if self.user.is_some() {
            self.authenticated(&cmd, store, out)
        } else {
            self.not_authenticated(&cmd, store, out)
        };
        if let Err(Fail::NeedLiteral { size, plus }) = result {
            let max = if starts_with_word(&cmd, "APPEND") { self.cfg.limits.message } else { self.cfg.limits.literal };
            let tag = tag_of(&cmd);
            match self.framer.await_literal(cmd, size, plus, max) {
                Ok(Some(continuation)) => out.push(continuation),
                Ok(None) => {}
                Err(TooLarge) => out.push(format!("{tag} BAD Error in IMAP command: Literal too large {TIMING}")),
            }
        }
    }

    // ----- Not Authenticated (RFC 3501 §6.1, §6.2) -----

    fn not_authenticated(&mut self, cmd: &[u8], store: &mut MailStore, out: &mut Output) -> Done {
        let mut c = Cursor::new(cmd);
        let tag = read_tag(&mut c);
        let name = if tag.is_some() && c.sp() { c.keyword() } else { String::new() };
        let tag = tag.unwrap_or_else(|| "*".into());
        let known = match name.as_str() {
            "CAPABILITY" => {
                self.capability_asked = true;
                out.push(format!("* CAPABILITY {}", self.pre_login_capabilities()));
                out.push(format!("{tag} OK Pre-login capabilities listed, post-login capabilities have more."));
                true
            }
            "NOOP" => {
                out.push(format!("{tag} OK NOOP completed."));
                true
            }
            "LOGOUT" => {
                out.push("* BYE Logging out");
                out.push(format!("{tag} OK Logout completed."));
                self.close(out);
                true
            }
            "ID" => {
                out.push("* ID NIL");
                out.push(format!("{tag} OK ID completed."));
                true
            }
            "STARTTLS" if self.cfg.starttls => {
                if self.tls {
                    out.push(format!("{tag} BAD TLS is already active."));
                } else {
                    self.tls = true;
                    out.events.push(Event::TlsStarted);
                    out.push(format!("{tag} OK Begin TLS negotiation now."));
                }
                true
            }
            "LOGIN" => {
                let args = (|| -> Parsed<Option<(Vec<u8>, Vec<u8>)>> {
                    if !c.sp() {
                        return Ok(None);
                    }
                    let Some(u) = c.astring()? else { return Ok(None) };
                    if !c.sp() {
                        return Ok(None);
                    }
                    let Some(p) = c.astring()? else { return Ok(None) };
                    Ok(c.at_end().then_some((u, p)))
                })();
                match args? {
                    Some((u, p)) => {
                        let r = sasl::check_password(
                            &self.cfg.directory,
                            &String::from_utf8_lossy(&u),
                            &String::from_utf8_lossy(&p),
                        );
                        self.finish_login(&tag, r, store, out);
                        true
                    }
                    None => false,
                }
            }
            "AUTHENTICATE" => {
                let mech = if c.sp() { c.atom() } else { None };
                match mech {
                    Some(m) => {
                        let ir = if c.sp() { c.atom() } else { None };
                        self.authenticate(&tag, &m, ir, store, out);
                        true
                    }
                    None => false,
                }
            }
            _ => false,
        };
        if !known {
            self.bad_preauth += 1;
            if self.bad_preauth >= self.cfg.limits.login_bad_commands {
                out.push("* BYE Too many invalid IMAP commands.");
                self.close(out);
            } else {
                out.push(format!("{tag} BAD Error in IMAP command received by server."));
            }
        }
        Ok(())
    }

    fn authenticate(&mut self, tag: &str, mech: &str, ir: Option<String>, store: &mut MailStore, out: &mut Output) {
        let mech = Mechanism::from_name(mech).filter(|m| self.cfg.mechanisms.contains(m) && *m != Mechanism::CramMd5);
        match (mech, ir) {
            (None, _) => out.push(format!("{tag} NO [ALERT] Unsupported authentication mechanism.")),
            (Some(Mechanism::Plain), Some(ir)) => self.sasl_response(tag, Sasl::Plain, ir.as_bytes(), store, out),
            (Some(Mechanism::Plain), None) => {
                self.sasl = Some((tag.into(), Sasl::Plain));
                out.push("+ ");
            }
            (Some(_), ir) => {
                self.sasl = Some((tag.into(), Sasl::LoginUser));
                match ir {
                    Some(ir) => self.on_sasl_user(tag, ir.as_bytes(), store, out),
                    None => out.push(format!("+ {}", sasl::login_user_prompt())),
                }
            }
        }
    }

    fn on_sasl_user(&mut self, tag: &str, line: &[u8], store: &mut MailStore, out: &mut Output) {
        self.sasl = None;
        match sasl::decode(&String::from_utf8_lossy(line)) {
            Ok(u) => {
                self.sasl = Some((tag.into(), Sasl::LoginPassword(String::from_utf8_lossy(&u).into_owned())));
                out.push(format!("+ {}", sasl::login_password_prompt()));
            }
            Err(e) => self.finish_login(tag, Err(e), store, out),
        }
    }

    fn sasl_response(&mut self, tag: &str, step: Sasl, line: &[u8], store: &mut MailStore, out: &mut Output) {
        let text = String::from_utf8_lossy(line).into_owned();
        let result = match step {
            Sasl::Plain => sasl::verify_plain(&self.cfg.directory, &text),
            Sasl::LoginUser => return self.on_sasl_user(tag, line, store, out),
            Sasl::LoginPassword(user) => sasl::decode(&text)
                .and_then(|pw| sasl::check_password(&self.cfg.directory, &user, &String::from_utf8_lossy(&pw))),
        };
        self.finish_login(tag, result, store, out);
    }

    fn finish_login(&mut self, tag: &str, result: Result<String, SaslError>, store: &mut MailStore, out: &mut Output) {
        match result {
            Ok(user) => {
                // Dovecot creates the mailbox at first login.
                store.create_user(&user, self.now);
                out.events.push(Event::LoggedIn { user: user.clone() });
                self.user = Some(user);
                if self.capability_asked {
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

    // ----- Authenticated and Selected (RFC 3501 §6.3, §6.4) -----

    fn authenticated(&mut self, cmd: &[u8], store: &mut MailStore, out: &mut Output) -> Done {
        let mut c = Cursor::new(cmd);
        let Some(tag) = read_tag(&mut c) else {
            out.push(format!("* BAD Error in IMAP tag: Invalid tag {TIMING}"));
            return Ok(());
        };
        let mut name = if c.sp() { c.keyword() } else { String::new() };
        if name.is_empty() {
            out.push(format!("{tag} BAD Error in IMAP command: Invalid command name {TIMING}"));
            return Ok(());
        }
        let uid = name == "UID";
        if uid {
            let sub = if c.sp() { c.keyword() } else { String::new() };
            name = format!("UID {sub}");
        }
        let needs_mailbox = matches!(
            name.as_str(),
            "FETCH" | "STORE" | "SEARCH" | "COPY" | "MOVE" | "EXPUNGE" | "CLOSE" | "UNSELECT" | "CHECK"
        ) || (uid
            && matches!(
                name.as_str(),
                "UID FETCH" | "UID STORE" | "UID SEARCH" | "UID COPY" | "UID MOVE" | "UID EXPUNGE"
            ));
        if needs_mailbox && self.selected.is_none() {
            out.push(format!("{tag} BAD No mailbox selected {TIMING}"));
            return Ok(());
        }
        let user = self.user.clone().unwrap_or_default();
        let mut ctx = Ctx { tag: &tag, user: &user, store, out };
        let r = match name.as_str() {
            "CAPABILITY" => {
                ctx.out.push(format!("* CAPABILITY {POST_LOGIN_CAPABILITIES}"));
                ctx.ok("Capability completed");
                Ok(())
            }
            "NOOP" => {
                self.sync(ctx.store, ctx.out, true);
                ctx.ok("NOOP completed");
                Ok(())
            }
            "CHECK" => {
                self.sync(ctx.store, ctx.out, true);
                ctx.ok("Check completed");
                Ok(())
            }
            "ID" => {
                ctx.out.push("* ID (\"name\" \"Dovecot\")");
                ctx.ok("ID completed");
                Ok(())
            }
            "LOGOUT" => {
                ctx.out.push("* BYE Logging out");
                ctx.ok("Logout completed");
                self.close(ctx.out);
                Ok(())
            }
            "IDLE" => {
                self.sync(ctx.store, ctx.out, true);
                ctx.out.push("+ idling");
                self.idle = Some(tag.clone());
                Ok(())
            }
            "SELECT" | "EXAMINE" => self.select(&mut c, &mut ctx, name == "EXAMINE"),
            "CREATE" => create(&mut c, &mut ctx, self.now),
            "DELETE" => {
                let r = delete(&mut c, &mut ctx);
                // folders.txt: Dovecot hangs up on a session whose mailbox went.
                let gone = self.selected.as_ref().is_some_and(|s| ctx.store.folder(&user, &s.name).is_err());
                if gone {
                    ctx.out.push("* BYE Selected mailbox was deleted, have to disconnect.");
                    self.close(ctx.out);
                }
                r
            }
            "RENAME" => rename(&mut c, &mut ctx),
            "SUBSCRIBE" | "UNSUBSCRIBE" => subscribe(&mut c, &mut ctx, name == "SUBSCRIBE"),
            "LIST" | "LSUB" => list(&mut c, &mut ctx, name == "LSUB"),
            "STATUS" => status(&mut c, &mut ctx),
            "APPEND" => self.append(&mut c, &mut ctx),
            "CLOSE" | "UNSELECT" => {
                if let Some(sel) = self.selected.take() {
                    if name == "CLOSE" && !sel.read_only {
                        let gone: Vec<u32> = ctx
                            .store
                            .list(&user, &sel.name)
                            .map(|ms| ms.iter().filter(|m| m.flags.contains(Flag::Deleted)).map(|m| m.uid).collect())
                            .unwrap_or_default();
                        if let Ok(g) = ctx.store.expunge(&user, &sel.name, &gone) {
                            if !g.is_empty() {
                                ctx.out.events.push(Event::Expunged { folder: sel.name.clone(), uids: g });
                            }
                        }
                    }
                }
                ctx.ok(if name == "CLOSE" { "Close completed" } else { "Unselect completed" });
                Ok(())
            }
            "FETCH" | "UID FETCH" => self.fetch(&mut c, &mut ctx, uid),
            "STORE" | "UID STORE" => self.store_flags(&mut c, &mut ctx, uid),
            "SEARCH" | "UID SEARCH" => self.search(&mut c, &mut ctx, uid),
            "COPY" | "UID COPY" | "MOVE" | "UID MOVE" => self.copy(&mut c, &mut ctx, uid, name.ends_with("MOVE")),
            "EXPUNGE" | "UID EXPUNGE" => self.expunge(&mut c, &mut ctx, uid),
            _ => {
                ctx.out.push(format!("{tag} BAD Error in IMAP command {name}: Unknown command {TIMING}"));
                Ok(())
            }
        };
        match r {
            Err(Fail::Bad(text)) => {
                out.push(format!("{tag} BAD Error in IMAP command {name}: {text} {TIMING}"));
                Ok(())
            }
            other => other,
        }
    }

    /// SELECT and EXAMINE (RFC 3501 §6.3.1, §6.3.2).
    fn select(&mut self, c: &mut Cursor, ctx: &mut Ctx, read_only: bool) -> Done {
        let name = mailbox_arg(c, "Invalid arguments")?;
        if self.selected.take().is_some() {
            ctx.out.push("* OK [CLOSED] Previous mailbox closed.");
        }
        let Ok(folder) = ctx.store.folder(ctx.user, &name) else {
            ctx.no(&format!("Mailbox doesn't exist: {name}"));
            return Ok(());
        };
        let (real, uid_validity, uid_next) = (folder.name.clone(), folder.uid_validity, folder.uid_next);
        let from =
            if read_only { folder.recent_from } else { ctx.store.claim_recent(ctx.user, &real).unwrap_or(u32::MAX) };
        let Ok(folder) = ctx.store.folder(ctx.user, &real) else { return Ok(()) };
        let msgs: Vec<(u32, Flags, BTreeSet<String>)> =
            folder.messages().iter().map(|m| (m.uid, m.flags, m.keywords.clone())).collect();
        let recent: BTreeSet<u32> = msgs.iter().map(|m| m.0).filter(|&u| u >= from).collect();
        let sel = Selected { name: real, read_only, msgs, recent, keywords: folder.keywords.clone() };
        ctx.out.push(format!("* FLAGS ({})", sel.flag_list()));
        if read_only {
            ctx.out.push("* OK [PERMANENTFLAGS ()] Read-only mailbox.");
        } else {
            ctx.out.push(format!("* OK [PERMANENTFLAGS ({} \\*)] Flags permitted.", sel.flag_list()));
        }
        ctx.out.push(format!("* {} EXISTS", sel.msgs.len()));
        ctx.out.push(format!("* {} RECENT", sel.recent.len()));
        if let Some(i) = sel.msgs.iter().position(|m| !m.1.contains(Flag::Seen)) {
            ctx.out.push(format!("* OK [UNSEEN {}] First unseen.", i + 1));
        }
        ctx.out.push(format!("* OK [UIDVALIDITY {uid_validity}] UIDs valid"));
        ctx.out.push(format!("* OK [UIDNEXT {uid_next}] Predicted next UID"));
        self.selected = Some(sel);
        ctx.ok(if read_only { "[READ-ONLY] Examine completed" } else { "[READ-WRITE] Select completed" });
        Ok(())
    }

    /// APPEND (RFC 3501 §6.3.11, UIDPLUS RFC 4315 §3).
    fn append(&mut self, c: &mut Cursor, ctx: &mut Ctx) -> Done {
        let name = mailbox_arg(c, "Invalid arguments")?;
        let Ok(folder) = ctx.store.folder(ctx.user, &name) else {
            ctx.no(&format!("[TRYCREATE] Mailbox doesn't exist: {name}"));
            return Ok(());
        };
        let real = folder.name.clone();
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let mut flags = Flags::default();
        let mut kws = BTreeSet::new();
        if c.peek() == Some(b'(') {
            for f in flag_list(c, false)? {
                match f {
                    FlagArg::System(s) => flags.insert(s),
                    FlagArg::Keyword(k) => {
                        kws.insert(k);
                    }
                    FlagArg::Recent => return bad("Invalid system flag \\RECENT"),
                }
            }
            if !c.sp() {
                return bad("Invalid arguments");
            }
        }
        let mut date = self.now;
        if c.peek() == Some(b'"') {
            let Ok(Some(d)) = c.string() else { return bad("Invalid internal date") };
            date = date_time(&d).ok_or_else(|| Fail::Bad("Invalid internal date".into()))?;
            if !c.sp() {
                return bad("Invalid arguments");
            }
        }
        if c.peek() != Some(b'{') {
            return bad("Invalid arguments");
        }
        let data = c.string()?.unwrap_or_default();
        if !c.at_end() {
            return bad("Invalid arguments");
        }
        let folder = ctx.store.folder(ctx.user, &real).map(|f| f.uid_validity).unwrap_or(0);
        match ctx.store.append(ctx.user, &real, &data, date, flags, kws) {
            Ok(uid) => {
                self.sync(ctx.store, ctx.out, true);
                ctx.ok(&format!("[APPENDUID {folder} {uid}] Append completed"));
            }
            Err(_) => ctx.no("[SERVERBUG] Append failed"),
        }
        Ok(())
    }

    /// The message numbers (1-based) a set names; UID sets skip missing
    /// UIDs, number sets beyond the mailbox are an error (as in Dovecot).
    fn resolve(&self, set: &SeqSet, uid: bool) -> Parsed<Vec<usize>> {
        let Some(sel) = &self.selected else { return Ok(Vec::new()) };
        let n = sel.msgs.len() as u32;
        if uid {
            let max_uid = sel.msgs.last().map_or(0, |m| m.0);
            return Ok(sel
                .msgs
                .iter()
                .enumerate()
                .filter(|(_, m)| set.contains(m.0, max_uid))
                .map(|(i, _)| i + 1)
                .collect());
        }
        if set.max_number() > n || (n == 0 && !set.0.is_empty()) {
            return bad("Invalid messageset");
        }
        Ok((1..=n).filter(|&i| set.contains(i, n)).map(|i| i as usize).collect())
    }

    /// FETCH (RFC 3501 §6.4.5), UID FETCH (§6.4.8).
    fn fetch(&mut self, c: &mut Cursor, ctx: &mut Ctx, uid: bool) -> Done {
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let set = seq_set(c)?;
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let mut items = fetch::parse(c)?;
        if uid && !items.contains(&Item::Uid) {
            items.insert(0, Item::Uid);
        }
        let nums = self.resolve(&set, uid)?;
        let Some(sel) = &mut self.selected else { return Ok(()) };
        let sets_seen = !sel.read_only && items.iter().any(Item::sets_seen);
        let reads_body = items.iter().any(|i| matches!(i, Item::Section(_)));
        let asked_flags = items.contains(&Item::Flags);
        for n in nums {
            let Some((muid, _, _)) = sel.msgs.get(n - 1).cloned() else { continue };
            let Some(msg) = ctx.store.get(ctx.user, &sel.name, muid).cloned() else { continue };
            let mut shown = items.clone();
            let (mut flags, kws) = (msg.flags, msg.keywords.clone());
            if sets_seen && !flags.contains(Flag::Seen) {
                flags.insert(Flag::Seen);
                let _ = ctx.store.update_flags(ctx.user, &sel.name, muid, flags, kws.clone());
                if !asked_flags {
                    shown.insert(usize::from(uid), Item::Flags);
                }
            }
            if let Some(m) = sel.msgs.get_mut(n - 1) {
                if shown.contains(&Item::Flags) {
                    *m = (muid, flags, kws.clone());
                }
            }
            let text = sel.flags_text(muid, flags, &kws);
            ctx.out.push(fetch::render(&shown, &msg, &fetch::Context { seq: n as u32, flags: &text }));
            if reads_body {
                ctx.out.events.push(Event::Retrieved {
                    user: ctx.user.to_string(),
                    folder: sel.name.clone(),
                    uid: muid,
                });
            }
        }
        self.sync(ctx.store, ctx.out, uid);
        ctx.ok("Fetch completed");
        Ok(())
    }

    /// STORE (RFC 3501 §6.4.6), UID STORE.
    fn store_flags(&mut self, c: &mut Cursor, ctx: &mut Ctx, uid: bool) -> Done {
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let set = seq_set(c)?;
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let what = c.keyword();
        let (op, silent) = match what.as_str() {
            "FLAGS" => ('=', false),
            "FLAGS.SILENT" => ('=', true),
            "+FLAGS" => ('+', false),
            "+FLAGS.SILENT" => ('+', true),
            "-FLAGS" => ('-', false),
            "-FLAGS.SILENT" => ('-', true),
            _ => return bad("Invalid arguments"),
        };
        let list = if c.sp() { flag_list(c, true)? } else { Vec::new() };
        let mut flags = Flags::default();
        let mut kws: Vec<String> = Vec::new();
        for f in list {
            match f {
                FlagArg::System(s) => flags.insert(s),
                FlagArg::Keyword(k) => kws.push(k),
                FlagArg::Recent => return bad("Invalid system flag \\RECENT"),
            }
        }
        let nums = self.resolve(&set, uid)?;
        let Some(sel) = &mut self.selected else { return Ok(()) };
        if sel.read_only {
            ctx.ok("Store ignored with read-only mailbox");
            return Ok(());
        }
        if op != '-' && !kws.is_empty() {
            let _ = ctx.store.define_keywords(ctx.user, &sel.name, &kws);
        }
        sync_keywords(sel, ctx.store, ctx.user, ctx.out);
        for n in nums {
            let Some((muid, _, _)) = sel.msgs.get(n - 1).cloned() else { continue };
            let Some(msg) = ctx.store.get(ctx.user, &sel.name, muid) else { continue };
            let (old_f, old_k) = (msg.flags, msg.keywords.clone());
            let (new_f, new_k): (Flags, BTreeSet<String>) = match op {
                '=' => (flags, kws.iter().cloned().collect()),
                '+' => (
                    Flag::ALL.into_iter().filter(|f| old_f.contains(*f) || flags.contains(*f)).collect(),
                    old_k.iter().chain(kws.iter()).cloned().collect(),
                ),
                _ => (
                    Flag::ALL.into_iter().filter(|f| old_f.contains(*f) && !flags.contains(*f)).collect(),
                    old_k.iter().filter(|k| !kws.iter().any(|x| x.eq_ignore_ascii_case(k))).cloned().collect(),
                ),
            };
            if (new_f, &new_k) == (old_f, &old_k) {
                continue;
            }
            let _ = ctx.store.update_flags(ctx.user, &sel.name, muid, new_f, new_k.clone());
            if let Some(m) = sel.msgs.get_mut(n - 1) {
                *m = (muid, new_f, new_k.clone());
            }
            if !silent {
                let text = sel.flags_text(muid, new_f, &new_k);
                let uid_part = if uid { format!("UID {muid} ") } else { String::new() };
                ctx.out.push(format!("* {n} FETCH ({uid_part}FLAGS ({text}))"));
            }
        }
        self.sync(ctx.store, ctx.out, uid);
        ctx.ok("Store completed");
        Ok(())
    }

    /// SEARCH (RFC 3501 §6.4.4), UID SEARCH.
    fn search(&mut self, c: &mut Cursor, ctx: &mut Ctx, uid: bool) -> Done {
        c.sp();
        let Some(key) = search::parse(c)? else {
            ctx.no("[BADCHARSET] Unknown charset");
            return Ok(());
        };
        let Some(sel) = &mut self.selected else { return Ok(()) };
        let max_seq = sel.msgs.len() as u32;
        let max_uid = sel.msgs.last().map_or(0, |m| m.0);
        let mut hits = Vec::new();
        for (i, (muid, _, _)) in sel.msgs.iter().enumerate() {
            let Some(msg) = ctx.store.get(ctx.user, &sel.name, *muid) else { continue };
            let cand = Candidate { seq: i as u32 + 1, msg, recent: sel.recent.contains(muid), max_seq, max_uid };
            if search::matches(&key, &cand) {
                hits.push(if uid { *muid } else { i as u32 + 1 });
            }
        }
        let mut line = String::from("* SEARCH");
        for h in hits {
            line.push_str(&format!(" {h}"));
        }
        ctx.out.push(line);
        let mut named = Vec::new();
        search::keywords(&key, &mut named);
        if !named.is_empty() && !sel.read_only {
            let _ = ctx.store.define_keywords(ctx.user, &sel.name, &named);
        }
        self.sync(ctx.store, ctx.out, uid);
        ctx.ok("Search completed");
        Ok(())
    }

    /// COPY (RFC 3501 §6.4.7), MOVE (RFC 6851), with COPYUID (RFC 4315).
    fn copy(&mut self, c: &mut Cursor, ctx: &mut Ctx, uid: bool, mv: bool) -> Done {
        if !c.sp() {
            return bad("Invalid arguments");
        }
        let set = seq_set(c)?;
        let dest = mailbox_arg(c, "Invalid arguments")?;
        let nums = self.resolve(&set, uid)?;
        let Some(sel) = &self.selected else { return Ok(()) };
        let Ok(folder) = ctx.store.folder(ctx.user, &dest) else {
            ctx.no(&format!("[TRYCREATE] Mailbox doesn't exist: {dest}"));
            return Ok(());
        };
        let (real, validity) = (folder.name.clone(), folder.uid_validity);
        if nums.is_empty() {
            ctx.ok("No messages found");
            return Ok(());
        }
        let (mut from, mut to) = (Vec::new(), Vec::new());
        for n in nums {
            let Some((muid, _, _)) = sel.msgs.get(n - 1) else { continue };
            let Some(m) = ctx.store.get(ctx.user, &sel.name, *muid).cloned() else { continue };
            if let Ok(new) = ctx.store.append(ctx.user, &real, &m.raw, m.internal_date, m.flags, m.keywords.clone()) {
                from.push(*muid);
                to.push(new);
            }
        }
        let code = format!("[COPYUID {validity} {} {}]", uid_set(&from), uid_set(&to));
        if mv {
            ctx.out.push(format!("* OK {code} Moved UIDs."));
            let name = sel.name.clone();
            if let Ok(g) = ctx.store.expunge(ctx.user, &name, &from) {
                ctx.out.events.push(Event::Expunged { folder: name, uids: g });
            }
            self.sync(ctx.store, ctx.out, true);
            ctx.ok("Move completed");
        } else {
            self.sync(ctx.store, ctx.out, uid);
            ctx.ok(&format!("{code} Copy completed"));
        }
        Ok(())
    }

    /// EXPUNGE (RFC 3501 §6.4.3), UID EXPUNGE (RFC 4315 §2.1).
    fn expunge(&mut self, c: &mut Cursor, ctx: &mut Ctx, uid: bool) -> Done {
        let set = if uid {
            if !c.sp() {
                return bad("Invalid arguments");
            }
            Some(seq_set(c)?)
        } else {
            None
        };
        let Some(sel) = &self.selected else { return Ok(()) };
        if !sel.read_only {
            let max_uid = sel.msgs.last().map_or(0, |m| m.0);
            let gone: Vec<u32> = ctx
                .store
                .list(ctx.user, &sel.name)
                .map(|ms| {
                    ms.iter()
                        .filter(|m| {
                            m.flags.contains(Flag::Deleted) && set.as_ref().is_none_or(|s| s.contains(m.uid, max_uid))
                        })
                        .map(|m| m.uid)
                        .collect()
                })
                .unwrap_or_default();
            let name = sel.name.clone();
            if let Ok(g) = ctx.store.expunge(ctx.user, &name, &gone) {
                if !g.is_empty() {
                    ctx.out.events.push(Event::Expunged { folder: name, uids: g });
                }
            }
        }
        self.sync(ctx.store, ctx.out, true);
        ctx.ok("Expunge completed");
        Ok(())
    }

    /// Brings the selected view up to date with the store and reports the
    /// differences (RFC 3501 §7.4.1, §7.3.1, §7.3.2). Expunges are held back
    /// after FETCH, STORE and SEARCH (`expunges` false), as §7.4.1 requires.
    fn sync(&mut self, store: &mut MailStore, out: &mut Output, expunges: bool) {
        let user = self.user.clone().unwrap_or_default();
        let Some(sel) = &mut self.selected else { return };
        let Ok(folder) = store.folder(&user, &sel.name) else { return };
        let live: Vec<(u32, Flags, BTreeSet<String>)> =
            folder.messages().iter().map(|m| (m.uid, m.flags, m.keywords.clone())).collect();
        let recent_before = sel.recent.len();
        sync_keywords(sel, store, &user, out);
        if expunges {
            for i in (0..sel.msgs.len()).rev() {
                let u = sel.msgs[i].0;
                if live.binary_search_by_key(&u, |m| m.0).is_err() {
                    sel.msgs.remove(i);
                    sel.recent.remove(&u);
                    out.push(format!("* {} EXPUNGE", i + 1));
                }
            }
        }
        for (i, m) in sel.msgs.iter_mut().enumerate() {
            if let Ok(j) = live.binary_search_by_key(&m.0, |x| x.0) {
                if (live[j].1, &live[j].2) != (m.1, &m.2) {
                    *m = live[j].clone();
                    let text = sel_flags_text(&sel.keywords, &sel.recent, m);
                    out.push(format!("* {} FETCH (FLAGS ({text}))", i + 1));
                }
            }
        }
        let last = sel.msgs.last().map_or(0, |m| m.0);
        let new: Vec<_> = live.iter().filter(|m| m.0 > last).cloned().collect();
        let (name, read_only) = (sel.name.clone(), sel.read_only);
        let had_new = !new.is_empty();
        if had_new {
            let from =
                if read_only { folder.recent_from } else { store.claim_recent(&user, &name).unwrap_or(u32::MAX) };
            sel.recent.extend(new.iter().map(|m| m.0).filter(|&u| u >= from));
            sel.msgs.extend(new);
            out.push(format!("* {} EXISTS", sel.msgs.len()));
        }
        if sel.recent.len() != recent_before || had_new {
            out.push(format!("* {} RECENT", sel.recent.len()));
        }
    }
}

fn sel_flags_text(keywords: &[String], recent: &BTreeSet<u32>, m: &(u32, Flags, BTreeSet<String>)) -> String {
    let sel = Selected {
        name: String::new(),
        read_only: true,
        msgs: Vec::new(),
        recent: recent.clone(),
        keywords: keywords.to_vec(),
    };
    sel.flags_text(m.0, m.1, &m.2)
}

/// Announces keywords new to the folder: `* FLAGS` and, read-write, PERMANENTFLAGS.
fn sync_keywords(sel: &mut Selected, store: &MailStore, user: &str, out: &mut Output) {
    let Ok(f) = store.folder(user, &sel.name) else { return };
    if f.keywords == sel.keywords {
        return;
    }
    sel.keywords = f.keywords.clone();
    out.push(format!("* FLAGS ({})", sel.flag_list()));
    if !sel.read_only {
        out.push(format!("* OK [PERMANENTFLAGS ({} \\*)] Flags permitted.", sel.flag_list()));
    }
}

/// What a command handler needs besides the session.
pub(super) struct Ctx<'a> {
    pub tag: &'a str,
    pub user: &'a str,
    pub store: &'a mut MailStore,
    pub out: &'a mut Output,
}

impl Ctx<'_> {
    pub(super) fn ok(&mut self, text: &str) {
        self.out.push(format!("{} OK {text} {TIMING}", self.tag));
    }

    pub(super) fn no(&mut self, text: &str) {
        self.out.push(format!("{} NO {text} {TIMING}", self.tag));
    }
}

/// A tag (RFC 3501 §9: astring characters except `+`); `None` if invalid.
fn read_tag(c: &mut Cursor) -> Option<String> {
    let start = c.pos;
    let mut t = Vec::new();
    while let Some(b) = c
        .peek()
        .filter(|&b| b > 0x20 && b < 0x7f && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b'+'))
    {
        t.push(b);
        c.pos += 1;
    }
    if t.is_empty() || c.peek().is_some_and(|b| b != b' ') {
        c.pos = start;
        return None;
    }
    Some(String::from_utf8_lossy(&t).into_owned())
}

/// The tag of a command line, for replies before it is parsed.
fn tag_of(cmd: &[u8]) -> String {
    read_tag(&mut Cursor::new(cmd)).unwrap_or_else(|| "*".into())
}

fn starts_with_word(cmd: &[u8], word: &str) -> bool {
    let mut c = Cursor::new(cmd);
    read_tag(&mut c).is_some() && c.sp() && c.keyword() == word
}

/// A mailbox name argument (RFC 3501 §5.1: INBOX is case-insensitive).
pub(super) fn mailbox_arg(c: &mut Cursor, missing: &str) -> Parsed<String> {
    if !c.sp() {
        return bad(missing);
    }
    let Some(m) = c.astring()? else { return bad(missing) };
    let name = String::from_utf8_lossy(&m).into_owned();
    Ok(if name.eq_ignore_ascii_case("INBOX") { "INBOX".into() } else { name })
}

/// A UID list as a compact set: `1:3,5`.
fn uid_set(uids: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < uids.len() {
        let mut j = i;
        while j + 1 < uids.len() && uids[j + 1] == uids[j].wrapping_add(1) {
            j += 1;
        }
        out.push(if i == j { uids[i].to_string() } else { format!("{}:{}", uids[i], uids[j]) });
        i = j + 1;
    }
    out.join(",")
}

#[cfg(test)]
mod tests;
