//! The server side of an SMTP session (RFC 5321 §3, §4.1), sans-IO: the caller
//! feeds the bytes that arrived and gets back the replies to send, the events
//! that happened and whether to close. No socket, clock or random source
//! inside: time and the queue-id generator are injected.
//!
//! The session's place in the dialogue is one [`State`], changed only by the
//! `move_to_*` methods, which check that the move is legal. The mail
//! transaction lives in `transaction.rs`, AUTH in `auth.rs`.
//!
//! Replies and texts follow Postfix 3.7 as recorded in `shared/peers`.

use super::catalogue::ReplyId as R;
use super::config::{Extension, Peer, ServerConfig};
use super::envelope::{Envelope, NoEnv, Refusal, ServerEnv};
use super::parser::{parse_command, parse_helo_name, vrfy_address, Verb};
use super::transaction::Transaction;
use crate::codec::{Line, LineCodec};
use crate::directory::Lookup;
use crate::reply::Reply;
use crate::sasl::{self, Mechanism};
use crate::sim::{SimRng, Timestamp};
use serde::{Deserialize, Serialize};

/// Something observable that happened in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// HELO (`extended: false`) or EHLO was accepted.
    Greeted { name: String, extended: bool },
    /// MAIL was accepted: a transaction began.
    TransactionStarted { reverse_path: String },
    /// RCPT was accepted.
    RecipientAccepted { forward_path: String },
    /// RCPT was refused with this code.
    RecipientRejected { forward_path: String, code: u16 },
    /// The transaction ended with a queued message (boxed: an envelope is
    /// far larger than the other events).
    MessageQueued(Box<Envelope>),
    /// STARTTLS succeeded (modelled: the engine does no cryptography).
    TlsStarted,
    /// AUTH succeeded for this user.
    Authenticated { user: String, mechanism: Mechanism },
    /// AUTH failed.
    AuthFailed { mechanism: Mechanism },
    /// LMTP delivered the message to this recipient's mailbox.
    Delivered { recipient: String, id: String },
    /// LMTP could not deliver to this recipient.
    NotDelivered { recipient: String, code: u16 },
    /// The server closed the session (QUIT, too many errors).
    Closed,
}

/// The output being built during one feed, with the environment at hand.
pub(super) struct Ctx<'a> {
    pub(super) out: Output,
    pub(super) env: &'a mut dyn ServerEnv,
}

impl std::ops::Deref for Ctx<'_> {
    type Target = Output;
    fn deref(&self) -> &Output {
        &self.out
    }
}

impl std::ops::DerefMut for Ctx<'_> {
    fn deref_mut(&mut self) -> &mut Output {
        &mut self.out
    }
}

/// What one call to [`Server::feed`] produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Replies to send, in order.
    pub replies: Vec<Reply>,
    pub events: Vec<Event>,
    /// True once the server has closed the connection; later input is ignored.
    pub closed: bool,
}

impl Output {
    /// All replies as bytes for the wire.
    pub fn to_wire(&self) -> Vec<u8> {
        self.replies.iter().flat_map(|r| r.to_wire()).collect()
    }
}

/// Where the session stands in the dialogue (RFC 5321 §4.1.4 command order,
/// §3.3 the mail transaction). What a state owns travels with it: there is no
/// message text without a transaction, and no SASL exchange inside one.
#[derive(Debug, Clone)]
pub(super) enum State {
    /// Reading commands with no transaction open.
    Idle,
    /// MAIL was accepted (RFC 5321 §4.1.1.2): RCPT, DATA, BDAT and RSET follow.
    Mail(Transaction),
    /// After `354` (RFC 5321 §4.1.1.4): message text up to a lone dot;
    /// `line_start` while at the start of a line.
    Data { tx: Transaction, line_start: bool },
    /// Reading the `remaining` octets of a BDAT chunk (RFC 3030 §2); the
    /// reply is sent when the chunk has arrived.
    Chunk { remaining: u64, last: bool, target: ChunkTarget },
    /// Waiting for the client's answer to a `334` challenge (RFC 4954 §4).
    Auth(sasl::Exchange),
    /// After QUIT or a `421`: nothing more is read.
    Closed,
}

/// Where the octets of a BDAT chunk go.
#[derive(Debug, Clone)]
pub(super) enum ChunkTarget {
    /// Into the message of this transaction.
    Message(Transaction),
    /// Nowhere: the chunk is read and dropped (RFC 3030 §2), then `reply`
    /// is sent and the transaction, if there was one, goes on.
    Refused { tx: Option<Transaction>, reply: Reply },
}

/// One SMTP server session.
#[derive(Debug, Clone)]
pub struct Server {
    pub(super) cfg: ServerConfig,
    pub(super) rng: SimRng,
    pub(super) now: Timestamp,
    codec: LineCodec,
    pub(super) state: State,
    /// The name given in the last HELO/EHLO; STARTTLS forgets it (RFC 3207 §4.2).
    pub(super) helo: Option<String>,
    pub(super) tls: bool,
    /// The user logged in with AUTH.
    pub(super) auth_user: Option<String>,
    /// The SIZE= of the last MAIL (RFC 1870), kept until RSET.
    pub(super) declared_size: u64,
    pub(super) peer: Peer,
    /// Replies of 4xx and 5xx so far (Postfix's `smtpd_hard_error_limit`).
    errors: u32,
    /// The kept start of a command line longer than the limit.
    long_line: Option<Vec<u8>>,
    /// A BDAT was refused and its message not ended by a LAST chunk: Postfix
    /// discards the following chunks (551) and refuses MAIL (503) until then.
    pub(super) bdat_failed: bool,
}

impl Server {
    /// Opens a session; returns it with the greeting to send (RFC 5321 §4.3.1).
    /// `peer` is the client's host name and address, as the server sees them.
    pub fn new(cfg: ServerConfig, peer: Peer, now: Timestamp, rng: SimRng) -> (Self, Reply) {
        let banner = cfg.personality.banner(&cfg.hostname, now, cfg.utc_offset);
        let greeting = cfg.personality.reply(R::Greeting, &[&banner]);
        let codec = LineCodec::new(cfg.limits.command_line);
        let tls = cfg.implicit_tls;
        let s = Self {
            cfg,
            rng,
            now,
            codec,
            state: State::Idle,
            helo: None,
            tls,
            auth_user: None,
            declared_size: 0,
            peer,
            errors: 0,
            long_line: None,
            bdat_failed: false,
        };
        (s, greeting)
    }

    /// Moves the simulated clock (used for the time a message is received).
    pub fn set_now(&mut self, now: Timestamp) {
        self.now = now;
    }

    /// True after STARTTLS, or from the start on an implicit-TLS port.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The user logged in with AUTH, if any.
    pub fn auth_user(&self) -> Option<&str> {
        self.auth_user.as_deref()
    }

    pub(super) fn refusal(&self, f: &Refusal) -> Reply {
        let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
        self.r(f.id, &args)
    }

    /// A reply from the catalogue, in this server's personality.
    pub(super) fn r(&self, id: R, args: &[&str]) -> Reply {
        self.cfg.personality.reply(id, args)
    }

    /// True once the session has ended.
    pub fn is_closed(&self) -> bool {
        matches!(self.state, State::Closed)
    }

    /// True while the server reads something other than a command: message
    /// text (after `354`), a BDAT chunk or a SASL response.
    pub fn in_data(&self) -> bool {
        matches!(self.state, State::Data { .. } | State::Chunk { .. } | State::Auth(_))
    }

    pub fn config(&self) -> &ServerConfig {
        &self.cfg
    }

    /// Feeds bytes from the client. Several commands at once (PIPELINING,
    /// RFC 2920) are answered in order.
    pub fn feed(&mut self, input: &[u8]) -> Output {
        self.feed_with(input, &mut NoEnv)
    }

    /// Feeds bytes from the client, with the world's checks and delivery.
    pub fn feed_with(&mut self, input: &[u8], env: &mut dyn ServerEnv) -> Output {
        let mut out = Ctx { out: Output::default(), env };
        let mut rest = input;
        while !rest.is_empty() && !self.is_closed() {
            if let State::Chunk { remaining, .. } = &mut self.state {
                let n = (*remaining).min(rest.len() as u64) as usize;
                let (chunk, later) = rest.split_at(n);
                *remaining -= n as u64;
                let done = *remaining == 0;
                rest = later;
                self.take_chunk_bytes(chunk);
                if done {
                    self.end_chunk(&mut out);
                }
                continue;
            }
            // Frame up to and including one LF, so that a command that changes
            // how bytes are read (BDAT) takes effect exactly after its line.
            let cut = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |i| i + 1);
            let (now, later) = rest.split_at(cut);
            rest = later;
            for line in self.codec.feed(now) {
                self.on_line(line, &mut out);
                if self.is_closed() {
                    break;
                }
            }
        }
        out.closed = self.is_closed();
        out.out
    }

    fn on_line(&mut self, line: Line, out: &mut Ctx<'_>) {
        match self.state {
            State::Data { .. } => return self.data_line(line, out),
            State::Auth(_) => {
                if line.is_complete() {
                    let text = String::from_utf8_lossy(&line.bytes).into_owned();
                    let reply = self.auth_response(&text, out);
                    self.send(reply, out);
                }
                return;
            }
            State::Idle | State::Mail(_) => {}
            // Chunks are read by `feed_with`; a closed session reads nothing.
            State::Chunk { .. } | State::Closed => return,
        }
        if !line.is_complete() {
            // Keep the first piece of an over-long command line; skip the rest.
            self.long_line.get_or_insert(line.bytes);
            return;
        }
        let bytes = self.long_line.take().unwrap_or(line.bytes);
        // Postfix checks smtpd_hard_error_limit before reading the next command:
        // the command after the 20th error, whatever it is, gets the 421.
        if self.errors >= self.cfg.limits.hard_errors {
            out.replies.push(self.r(R::TooManyErrors, &[&self.cfg.hostname]));
            return self.close(out);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(reply) = self.command(&text, out) {
            self.send(reply, out);
        }
    }

    /// Sends a reply and counts errors (for Postfix's `smtpd_hard_error_limit`).
    pub(super) fn send(&mut self, reply: Reply, out: &mut Ctx<'_>) {
        if reply.code >= 400 {
            self.errors += 1;
        }
        out.replies.push(reply);
    }

    /// Ends the session (QUIT, too many errors, an unreadable BDAT).
    pub(super) fn close(&mut self, out: &mut Ctx<'_>) {
        self.state = State::Closed;
        out.events.push(Event::Closed);
    }

    // The moves between states. Each checks that it starts from a state it
    // may leave; an illegal move is a bug in this file, caught by the tests
    // and fuzzers (debug assertions), and leaves the state as it was.

    /// Idle → Mail: MAIL was accepted.
    pub(super) fn move_to_mail(&mut self, tx: Transaction) {
        debug_assert!(matches!(self.state, State::Idle), "MAIL in {:?}", self.state);
        if matches!(self.state, State::Idle) {
            self.state = State::Mail(tx);
        }
    }

    /// Mail → Data: DATA was accepted.
    pub(super) fn move_to_data(&mut self) {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Mail(tx) => self.state = State::Data { tx, line_start: true },
            other => {
                debug_assert!(false, "DATA in {other:?}");
                self.state = other;
            }
        }
    }

    /// Idle or Mail → Chunk: a BDAT command was read.
    pub(super) fn move_to_chunk(&mut self, remaining: u64, last: bool, refused: Option<Reply>) {
        let tx = match std::mem::replace(&mut self.state, State::Idle) {
            State::Idle => None,
            State::Mail(tx) => Some(tx),
            other => {
                debug_assert!(false, "BDAT in {other:?}");
                self.state = other;
                return;
            }
        };
        let target = match (refused, tx) {
            (None, Some(mut tx)) => {
                tx.chunked = true;
                ChunkTarget::Message(tx)
            }
            (Some(reply), tx) => ChunkTarget::Refused { tx, reply },
            (None, None) => ChunkTarget::Refused { tx: None, reply: self.r(R::NeedRcpt, &[]) },
        };
        self.state = State::Chunk { remaining, last, target };
    }

    /// Idle → Auth: a SASL challenge was sent.
    pub(super) fn move_to_auth(&mut self, exchange: sasl::Exchange) {
        debug_assert!(matches!(self.state, State::Idle | State::Auth(_)), "AUTH in {:?}", self.state);
        if matches!(self.state, State::Idle | State::Auth(_)) {
            self.state = State::Auth(exchange);
        }
    }

    /// Any open state → Idle, returning the transaction that was open (RSET,
    /// HELO, STARTTLS, the end of data, the end of a SASL exchange).
    pub(super) fn move_to_idle(&mut self) -> Option<Transaction> {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Mail(tx) | State::Data { tx, .. } => Some(tx),
            State::Chunk { target: ChunkTarget::Message(tx), .. } => Some(tx),
            State::Chunk { target: ChunkTarget::Refused { tx, .. }, .. } => tx,
            State::Idle | State::Auth(_) => None,
            State::Closed => {
                self.state = State::Closed;
                None
            }
        }
    }

    /// The open transaction, if any.
    pub(super) fn transaction(&self) -> Option<&Transaction> {
        match &self.state {
            State::Mail(tx) | State::Data { tx, .. } => Some(tx),
            State::Chunk { target: ChunkTarget::Message(tx), .. } => Some(tx),
            State::Chunk { target: ChunkTarget::Refused { tx, .. }, .. } => tx.as_ref(),
            State::Idle | State::Auth(_) | State::Closed => None,
        }
    }

    /// Runs one command line; `None` when the reply must wait (BDAT's chunk).
    fn command(&mut self, text: &str, out: &mut Ctx<'_>) -> Option<Reply> {
        let Some(cmd) = parse_command(text) else {
            return Some(self.r(R::BadSyntax, &[]));
        };
        let args = cmd.args.as_str();
        if cmd.verb == Verb::Bdat {
            return self.bdat(args, out);
        }
        Some(match cmd.verb {
            Verb::Helo | Verb::Ehlo if self.cfg.lmtp => self.r(R::Unrecognized, &[text.trim()]),
            Verb::Lhlo if !self.cfg.lmtp => self.r(R::Unrecognized, &[text.trim()]),
            Verb::Helo | Verb::Ehlo | Verb::Lhlo => self.helo(cmd.verb != Verb::Helo, args, out),
            Verb::Mail => self.mail(args, out),
            Verb::Rcpt => self.rcpt(args, out),
            Verb::Data => self.data(args),
            Verb::Rset => {
                if !args.is_empty() {
                    return Some(self.r(R::Syntax, &["RSET"]));
                }
                self.move_to_idle();
                self.declared_size = 0;
                self.bdat_failed = false;
                self.r(R::ResetOk, &[])
            }
            Verb::Noop => self.r(R::Ok, &[]),
            Verb::Quit => {
                self.close(out);
                self.r(R::Closing, &[&self.cfg.hostname])
            }
            Verb::Vrfy => self.vrfy(args),
            Verb::Expn if self.cfg.personality.vrfy_lists_mailboxes() => self.vrfy(args),
            Verb::Help => match self.cfg.personality.help(args) {
                Some(reply) => reply,
                None => self.r(R::Unrecognized, &[text.trim()]),
            },
            Verb::Etrn => {
                // The state first, then the syntax (smtp-check-order.txt).
                if self.transaction().is_some() {
                    return Some(self.r(R::EtrnInTransaction, &[]));
                }
                if args.is_empty() {
                    return Some(self.r(R::EtrnSyntax, &[]));
                }
                // Postfix: no fast-flush domains are configured, as on the peers.
                self.r(self.cfg.personality.etrn_reply(), &[args])
            }
            Verb::Xclient if self.cfg.personality.proxy_commands() => self.proxy("XCLIENT", args),
            Verb::Xforward if self.cfg.personality.proxy_commands() => self.proxy("XFORWARD", args),
            Verb::StartTls => self.starttls(args, out),
            Verb::Auth => self.auth(args, out),
            // A personality's own fixed-reply commands (Sendmail's VERB,
            // CommuniGate's TURN…); anything else is not recognised.
            Verb::Bdat
            | Verb::Expn
            | Verb::Send
            | Verb::Soml
            | Verb::Saml
            | Verb::Turn
            | Verb::Xclient
            | Verb::Xforward
            | Verb::Unknown(_) => {
                let word = text.split_ascii_whitespace().next().unwrap_or("");
                match self.cfg.personality.fixed_verb(word) {
                    Some(id) => self.r(id, &[]),
                    None => self.r(R::Unrecognized, &[text.trim()]),
                }
            }
        })
    }

    /// Postfix's XCLIENT and XFORWARD from a host it does not trust (the
    /// learner's): a transaction first, then the syntax, then the refusal,
    /// in any state before or after EHLO (smtp-xclient-xforward.txt).
    fn proxy(&mut self, verb: &str, args: &str) -> Reply {
        if self.transaction().is_some() {
            return self.r(R::ProxyInTransaction, &[]);
        }
        if args.trim().is_empty() {
            return self.r(R::ProxySyntax, &[verb]);
        }
        self.r(R::ProxyNotAuthorized, &[])
    }

    /// HELO/EHLO (RFC 5321 §4.1.1.1): names the client and resets any transaction.
    fn helo(&mut self, extended: bool, args: &str, out: &mut Ctx<'_>) -> Reply {
        if extended && !self.cfg.ehlo {
            return self.r(R::EhloUnsupported, &[]);
        }
        let name = parse_helo_name(args);
        let personality = self.cfg.personality;
        let Some(greeting) = personality.greeting(extended, &self.cfg.hostname, name.as_deref(), &self.peer) else {
            return self.r(if extended { R::EhloSyntax } else { R::HeloSyntax }, &[]);
        };
        let name = name.unwrap_or_default();
        self.move_to_idle();
        self.declared_size = 0;
        self.helo = Some(name.clone());
        out.events.push(Event::Greeted { name, extended });
        if !extended {
            return self.r(R::HeloOk, &[&greeting]);
        }
        let mut reply = self.r(R::EhloOk, &[&greeting]);
        if let Some(keywords) = personality.ehlo_keywords() {
            reply.lines.extend(keywords.iter().map(|k| k.to_string()));
            return reply;
        }
        for &ext in &self.cfg.extensions {
            if ext == Extension::StartTls && self.tls {
                continue;
            }
            if ext == Extension::Auth && self.cfg.auth.is_empty() {
                continue;
            }
            reply.lines.push(self.cfg.ehlo_line(ext));
        }
        reply
    }

    /// STARTTLS (RFC 3207 §4), modelled: the session forgets HELO and any
    /// transaction and is marked encrypted.
    fn starttls(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        if !args.is_empty() {
            return self.r(R::Syntax, &["STARTTLS"]);
        }
        if self.tls {
            return self.r(R::TlsActive, &[]);
        }
        if !self.cfg.offers(Extension::StartTls) {
            return self.r(R::Unrecognized, &[]);
        }
        self.tls = true;
        self.helo = None;
        self.move_to_idle();
        out.events.push(Event::TlsStarted);
        self.r(R::TlsReady, &[])
    }

    /// VRFY (RFC 5321 §3.5.1): Postfix answers 252 for a user it knows.
    fn vrfy(&mut self, args: &str) -> Reply {
        if !self.cfg.offers(Extension::Vrfy) {
            return self.r(R::VrfyDisabled, &[]);
        }
        if args.is_empty() {
            return self.r(R::VrfySyntax, &[]);
        }
        let Some(addr) = vrfy_address(args) else {
            return self.r(R::BadRecipient, &[]);
        };
        let addr = addr.as_str();
        match self.cfg.directory.lookup(addr) {
            // Sendmail lists each mailbox (srvrsmtp.c printvrfyaddr).
            Lookup::Local(boxes) if self.cfg.personality.vrfy_lists_mailboxes() => {
                let mut reply = self.r(R::VrfyMailbox, &[""]);
                reply.lines = boxes
                    .iter()
                    .map(|b| self.r(R::VrfyMailbox, &[&format!("{b}@{}", self.cfg.hostname)]).lines.concat())
                    .collect();
                reply
            }
            // Postfix echoes the argument as typed, brackets and all.
            Lookup::Local(_) => self.r(R::VrfyOk, &[args]),
            Lookup::UnknownUser => self.r(R::UserUnknown, &[addr]),
            Lookup::Foreign => self.r(R::RelayDenied, &[addr]),
        }
    }
}
