//! The server side of an SMTP session (RFC 5321 §3, §4.1), sans-IO: the caller
//! feeds the bytes that arrived and gets back the replies to send, the events
//! that happened and whether to close. No socket, clock or random source
//! inside: time and the queue-id generator are injected.
//!
//! Replies and texts follow Postfix 3.7 as recorded in `shared/peers`.

use super::catalogue::ReplyId as R;
use super::config::{Extension, Peer, ServerConfig};
use super::parser::{parse_command, parse_helo_name, parse_path_args, Param, Path, PathError, Verb};
use crate::codec::{Line, LineCodec};
use crate::directory::Lookup;
use crate::reply::Reply;
use crate::sasl::{self, Mechanism, SaslError};
use crate::sim::{SimRng, Timestamp};
use serde::{Deserialize, Serialize};

/// A message the server accepted: the envelope (RFC 5321 §2.3.1) and the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub queue_id: String,
    /// The name the client gave in HELO/EHLO, if any.
    pub helo: Option<String>,
    /// The reverse-path; empty for the null sender `<>`.
    pub mail_from: String,
    pub mail_params: Vec<Param>,
    /// Accepted recipients, as given in RCPT TO.
    pub rcpt_to: Vec<String>,
    /// The message content (RFC 5322), dot-stuffing undone, lines ended by CRLF.
    pub data: Vec<u8>,
    /// True when the session had done STARTTLS (or came over implicit TLS).
    pub tls: bool,
    /// The user who logged in with AUTH, if any.
    pub auth_user: Option<String>,
    /// The client the message came from.
    pub client: Peer,
    /// When the server accepted it (simulated clock).
    pub received_at: Timestamp,
}

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
    /// The transaction ended with a queued message.
    MessageQueued(Envelope),
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

/// What the server asks of the world it runs in, beyond its configuration:
/// policy checks and, for LMTP, the delivery itself. The world implements it;
/// tests and the plain terminal use [`NoEnv`]. Injected per call, so the
/// session stays free of I/O (RFC 5321 §3.3 checks at RCPT, §4.1.1.4 at the
/// end of data; RFC 2033 §4.2 delivery per recipient).
pub trait ServerEnv {
    /// Extra checks on a recipient (greylisting, SPF, DNSBL, sender/login
    /// match, rate limits): `Some` refuses it.
    fn check_rcpt(&mut self, _rcpt: &RcptCheck) -> Option<Refusal> {
        None
    }
    /// Checks on the whole message at the end of data (a spam filter).
    fn check_message(&mut self, _envelope: &Envelope) -> Option<Refusal> {
        None
    }
    /// LMTP: stores the message for one recipient; returns the delivery id.
    fn deliver(&mut self, _rcpt: &str, _envelope: &Envelope) -> Result<String, Refusal> {
        Ok(String::new())
    }
}

/// What a recipient check sees (RFC 5321 §3.3: at RCPT time the server
/// knows the client, its HELO, the sender and the recipient).
pub struct RcptCheck<'a> {
    pub client: &'a Peer,
    pub helo: Option<&'a str>,
    pub from: &'a str,
    pub rcpt: &'a str,
    /// The user logged in with AUTH, if any.
    pub auth_user: Option<&'a str>,
}

/// A refusal from the environment: a catalogue entry and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub id: R,
    pub args: Vec<String>,
}

impl Refusal {
    pub fn new(id: R, args: &[&str]) -> Self {
        Self { id, args: args.iter().map(|a| a.to_string()).collect() }
    }
}

/// An environment that allows everything and stores nothing.
pub struct NoEnv;
impl ServerEnv for NoEnv {}

/// The output being built during one feed, with the environment at hand.
struct Ctx<'a> {
    out: Output,
    env: &'a mut dyn ServerEnv,
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

#[derive(Debug, Clone)]
struct Transaction {
    from: Path,
    params: Vec<Param>,
    rcpts: Vec<String>,
    data: Vec<u8>,
    /// Message bytes seen, including those not kept past the size limit.
    size: u64,
}

#[derive(Debug, Clone)]
enum Phase {
    Command,
    /// Reading message text after DATA; true while at the start of a line.
    Data {
        line_start: bool,
    },
    /// Reading a BDAT chunk of `remaining` bytes (RFC 3030 §2).
    Chunk {
        remaining: u64,
        last: bool,
        refused: Option<Reply>,
    },
    /// Reading the client's answer to a SASL challenge (RFC 4954 §4).
    Auth(AuthStep),
}

/// Where a SASL exchange stands.
#[derive(Debug, Clone)]
enum AuthStep {
    /// PLAIN without an initial response: waiting for it.
    Plain,
    /// LOGIN: waiting for the user name.
    LoginUser,
    /// LOGIN: waiting for the password of this user name.
    LoginPassword(String),
    /// CRAM-MD5: waiting for the response to this challenge.
    CramMd5(String),
}

/// RFC 3461 §4.1, §4.2: NOTIFY is NEVER alone or a list of SUCCESS,
/// FAILURE and DELAY; ORCPT is `addr-type;xtext`.
fn dsn_param_ok(keyword: &str, value: &str) -> bool {
    match keyword {
        "NOTIFY" => {
            let words: Vec<String> = value.split(',').map(|w| w.to_ascii_uppercase()).collect();
            words == ["NEVER"] || words.iter().all(|w| matches!(w.as_str(), "SUCCESS" | "FAILURE" | "DELAY"))
        }
        "ORCPT" => value.split_once(';').is_some_and(|(t, a)| !t.is_empty() && !a.is_empty()),
        _ => true,
    }
}

/// One SMTP server session.
#[derive(Debug, Clone)]
pub struct Server {
    cfg: ServerConfig,
    rng: SimRng,
    now: Timestamp,
    codec: LineCodec,
    phase: Phase,
    helo: Option<String>,
    tx: Option<Transaction>,
    tls: bool,
    /// The user logged in with AUTH.
    auth_user: Option<String>,
    /// The SIZE= of the last MAIL (RFC 1870), kept until RSET.
    declared_size: u64,
    peer: Peer,
    errors: u32,
    /// The kept start of a command line longer than the limit.
    long_line: Option<Vec<u8>>,
    closed: bool,
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
            phase: Phase::Command,
            helo: None,
            tx: None,
            tls,
            auth_user: None,
            declared_size: 0,
            peer,
            errors: 0,
            long_line: None,
            closed: false,
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

    fn refusal(&self, f: &Refusal) -> Reply {
        let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
        self.r(f.id, &args)
    }

    /// A reply from the catalogue, in this server's personality.
    fn r(&self, id: R, args: &[&str]) -> Reply {
        self.cfg.personality.reply(id, args)
    }

    /// True once the session has ended.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// True while the server reads message text (after `354`) or a BDAT chunk.
    pub fn in_data(&self) -> bool {
        !matches!(self.phase, Phase::Command)
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
        while !rest.is_empty() && !self.closed {
            if let Phase::Chunk { remaining, .. } = &mut self.phase {
                let n = (*remaining).min(rest.len() as u64) as usize;
                let (chunk, later) = rest.split_at(n);
                *remaining -= n as u64;
                rest = later;
                self.take_chunk_bytes(chunk);
                if matches!(self.phase, Phase::Chunk { remaining: 0, .. }) {
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
                if self.closed {
                    break;
                }
            }
        }
        out.closed = self.closed;
        out.out
    }

    fn on_line(&mut self, line: Line, out: &mut Ctx<'_>) {
        if let Phase::Data { .. } = self.phase {
            return self.data_line(line, out);
        }
        if let Phase::Auth(_) = self.phase {
            if line.is_complete() {
                let text = String::from_utf8_lossy(&line.bytes).into_owned();
                let reply = self.auth_response(&text, out);
                self.send(reply, out);
            }
            return;
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
    fn send(&mut self, reply: Reply, out: &mut Ctx<'_>) {
        if reply.code >= 400 {
            self.errors += 1;
        }
        out.replies.push(reply);
    }

    fn close(&mut self, out: &mut Ctx<'_>) {
        self.closed = true;
        out.events.push(Event::Closed);
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
                self.tx = None;
                self.declared_size = 0;
                self.r(R::Ok, &[])
            }
            Verb::Noop => self.r(R::Ok, &[]),
            Verb::Quit => {
                self.close(out);
                self.r(R::Closing, &[&self.cfg.hostname])
            }
            Verb::Vrfy => self.vrfy(args),
            Verb::Etrn => {
                if args.is_empty() {
                    return Some(self.r(R::EtrnSyntax, &[]));
                }
                if self.tx.is_some() {
                    return Some(self.r(R::TransactionInProgress, &[]));
                }
                // No fast-flush domains are configured, as on the peers.
                self.r(R::EtrnUnavailable, &[args])
            }
            Verb::StartTls => self.starttls(args, out),
            Verb::Auth => self.auth(args, out),
            Verb::Bdat
            | Verb::Expn
            | Verb::Help
            | Verb::Send
            | Verb::Soml
            | Verb::Saml
            | Verb::Turn
            | Verb::Unknown(_) => self.r(R::Unrecognized, &[text.trim()]),
        })
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
        self.tx = None;
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

    /// MAIL FROM (RFC 5321 §4.1.1.2) with the parameters of the offered extensions.
    fn mail(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        if self.tx.is_some() {
            return self.r(R::NestedMail, &[]);
        }
        let (from, params) = match parse_path_args(args, "FROM:") {
            Ok(v) => v,
            Err(PathError::Syntax) => return self.r(R::Syntax, &["MAIL FROM:<address>"]),
            Err(PathError::BadAddress) => return self.r(R::BadSender, &[]),
        };
        for p in &params {
            if let Some(reply) = self.check_mail_param(p) {
                return reply;
            }
            if p.keyword == "SIZE" {
                // Remembered even when too big, until RSET or a new SIZE, as
                // Postfix does (tests/transcripts/smtp/smtp-mail-size-sticky.txt).
                self.declared_size = p.value.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0);
            }
        }
        if self.declared_size > self.cfg.limits.message_size {
            return self.r(R::MessageTooBig, &[]);
        }
        out.events.push(Event::TransactionStarted { reverse_path: from.mailbox.clone() });
        let reply = self.r(R::SenderOk, &[&from.mailbox]);
        self.tx = Some(Transaction { from, params, rcpts: Vec::new(), data: Vec::new(), size: 0 });
        reply
    }

    fn check_mail_param(&self, p: &Param) -> Option<Reply> {
        let unsupported = || Some(self.r(R::UnsupportedOption, &[&p.to_string()]));
        let offers = |e| self.cfg.offers(e);
        match (p.keyword.as_str(), p.value.as_deref()) {
            ("SIZE", Some(v)) if offers(Extension::Size) => match v.parse::<u64>() {
                Ok(_) => None,
                Err(_) => Some(self.r(R::BadSizeSyntax, &[])),
            },
            ("BODY", Some(v)) if offers(Extension::EightBitMime) => {
                // Postfix knows 7BIT and 8BITMIME only (RFC 3030 BINARYMIME is not offered).
                if v.eq_ignore_ascii_case("7BIT") || v.eq_ignore_ascii_case("8BITMIME") {
                    None
                } else {
                    unsupported()
                }
            }
            ("SMTPUTF8", None) if offers(Extension::SmtpUtf8) => None,
            ("RET", Some(v)) if offers(Extension::Dsn) => {
                let ok = v.eq_ignore_ascii_case("FULL") || v.eq_ignore_ascii_case("HDRS");
                (!ok).then(|| self.r(R::BadRet, &[]))
            }
            ("ENVID", Some(_)) if offers(Extension::Dsn) => None,
            // RFC 4954 §5: AUTH= is accepted (and, without a login, ignored), even on
            // a port without AUTH (tests/transcripts/smtp/smtp-mail-params.txt).
            ("AUTH", Some(_)) => None,
            _ => unsupported(),
        }
    }

    /// RCPT TO (RFC 5321 §4.1.1.3): local users are accepted, foreign domains
    /// are relaying and refused unless the server is an open relay.
    fn rcpt(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        let Some(tx) = &self.tx else {
            return self.r(R::NeedMail, &[]);
        };
        let (to, params) = match parse_path_args(args, "TO:") {
            Ok((p, _)) if p.is_null() => return self.r(R::BadRecipient, &[]),
            Ok(v) => v,
            Err(PathError::Syntax) => return self.r(R::Syntax, &["RCPT TO:<address>"]),
            Err(PathError::BadAddress) => return self.r(R::BadRecipient, &[]),
        };
        for p in &params {
            let known = matches!(p.keyword.as_str(), "NOTIFY" | "ORCPT") && p.value.is_some();
            if !(known && self.cfg.offers(Extension::Dsn)) {
                return self.r(R::UnsupportedOption, &[&p.to_string()]);
            }
            if !dsn_param_ok(&p.keyword, p.value.as_deref().unwrap_or("")) {
                return self.r(R::BadDsnParam, &[&p.keyword]);
            }
        }
        if tx.rcpts.len() >= self.cfg.limits.recipients {
            return self.r(R::TooManyRecipients, &[]);
        }
        let addr = to.mailbox;
        let authenticated = self.auth_user.is_some();
        let refused = if self.cfg.require_auth && !authenticated {
            // Postfix's smtpd_client_restrictions = permit_sasl_authenticated, reject:
            // evaluated at RCPT time (smtpd_delay_reject).
            Some(self.r(R::ClientRejected, &[&self.peer.to_string()]))
        } else {
            match self.cfg.directory.lookup(&addr) {
                Lookup::Local(_) => None,
                Lookup::Foreign if self.cfg.open_relay || self.cfg.relay_clients.contains(&self.peer.ip) => None,
                Lookup::Foreign
                    if addr
                        .rsplit_once('@')
                        .is_some_and(|(_, d)| self.cfg.relay_domains.iter().any(|r| r.eq_ignore_ascii_case(d))) =>
                {
                    None
                }
                Lookup::Foreign if authenticated && self.cfg.relay_after_auth => None,
                Lookup::UnknownUser if self.cfg.lmtp => Some(self.r(R::LmtpUserUnknown, &[&addr])),
                Lookup::UnknownUser => Some(self.r(R::UserUnknown, &[&addr])),
                Lookup::Foreign => Some(self.r(R::RelayDenied, &[&addr])),
            }
        };
        let refused = refused.or_else(|| {
            let from = self.tx.as_ref().map(|t| t.from.mailbox.as_str()).unwrap_or("");
            let check = RcptCheck {
                client: &self.peer,
                helo: self.helo.as_deref(),
                from,
                rcpt: &addr,
                auth_user: self.auth_user.as_deref(),
            };
            out.env.check_rcpt(&check).map(|f| self.refusal(&f))
        });
        if let Some(r) = refused {
            out.events.push(Event::RecipientRejected { forward_path: addr, code: r.code });
            return r;
        }
        out.events.push(Event::RecipientAccepted { forward_path: addr.clone() });
        let reply = self.r(R::RecipientOk, &[&addr]);
        if let Some(tx) = &mut self.tx {
            tx.rcpts.push(addr);
        }
        reply
    }

    /// Checks shared by DATA and BDAT: a transaction with recipients.
    fn need_recipients(&self) -> Option<Reply> {
        match &self.tx {
            None => Some(self.r(R::NeedRcpt, &[])),
            Some(tx) if tx.rcpts.is_empty() => Some(self.r(R::NoValidRecipients, &[])),
            Some(_) => None,
        }
    }

    /// DATA (RFC 5321 §4.1.1.4): 354, then message text up to a lone dot.
    fn data(&mut self, args: &str) -> Reply {
        if !args.is_empty() {
            return self.r(R::Syntax, &["DATA"]);
        }
        if let Some(r) = self.need_recipients() {
            return r;
        }
        self.phase = Phase::Data { line_start: true };
        self.r(R::StartData, &[])
    }

    fn data_line(&mut self, line: Line, out: &mut Ctx<'_>) {
        let Phase::Data { line_start } = self.phase else { return };
        let complete = line.is_complete();
        if line_start && complete && line.bytes == b"." {
            self.phase = Phase::Command;
            if self.cfg.lmtp {
                return self.finish_lmtp(out);
            }
            let reply = self.finish_message(out);
            return self.send(reply, out);
        }
        // Undo dot-stuffing (RFC 5321 §4.5.2).
        let bytes = if line_start && line.bytes.first() == Some(&b'.') { &line.bytes[1..] } else { &line.bytes[..] };
        self.append(bytes);
        if complete {
            self.append(b"\r\n");
        }
        self.phase = Phase::Data { line_start: complete };
    }

    /// Adds message bytes, keeping none past the size limit (memory stays bounded).
    fn append(&mut self, bytes: &[u8]) {
        let limit = self.cfg.limits.message_size;
        if let Some(tx) = &mut self.tx {
            tx.size = tx.size.saturating_add(bytes.len() as u64);
            if tx.size <= limit {
                tx.data.extend_from_slice(bytes);
            }
        }
    }

    /// Ends the transaction: queues the message or refuses it as too big.
    fn finish_message(&mut self, out: &mut Ctx<'_>) -> Reply {
        let Some(tx) = self.tx.take() else {
            return self.r(R::NeedRcpt, &[]);
        };
        if tx.size > self.cfg.limits.message_size {
            return self.r(R::MessageTooBig, &[]);
        }
        let queue_id = self.cfg.personality.message_id(&mut self.rng, self.now);
        let envelope = self.envelope(tx, queue_id.clone());
        if let Some(f) = out.env.check_message(&envelope) {
            return self.refusal(&f);
        }
        out.events.push(Event::MessageQueued(envelope));
        self.r(R::Queued, &[&queue_id])
    }

    /// The accepted message of a finished transaction.
    fn envelope(&self, tx: Transaction, queue_id: String) -> Envelope {
        Envelope {
            queue_id,
            helo: self.helo.clone(),
            mail_from: tx.from.mailbox,
            mail_params: tx.params,
            rcpt_to: tx.rcpts,
            data: tx.data,
            tls: self.tls,
            auth_user: self.auth_user.clone(),
            client: self.peer.clone(),
            received_at: self.now,
        }
    }

    /// LMTP's end of data (RFC 2033 §4.2): one reply per accepted recipient,
    /// each from the delivery to that recipient's mailbox.
    fn finish_lmtp(&mut self, out: &mut Ctx<'_>) {
        let Some(tx) = self.tx.take() else {
            let r = self.r(R::NeedRcpt, &[]);
            return self.send(r, out);
        };
        let too_big = tx.size > self.cfg.limits.message_size;
        let envelope = self.envelope(tx, String::new());
        for rcpt in &envelope.rcpt_to {
            let reply = if too_big {
                self.r(R::MessageTooBig, &[])
            } else {
                match out.env.deliver(rcpt, &envelope) {
                    Ok(id) => {
                        out.events.push(Event::Delivered { recipient: rcpt.clone(), id: id.clone() });
                        self.r(R::LmtpSaved, &[rcpt, &id])
                    }
                    Err(f) => self.refusal(&f),
                }
            };
            if reply.code >= 400 {
                out.events.push(Event::NotDelivered { recipient: rcpt.clone(), code: reply.code });
            }
            self.send(reply, out);
        }
    }

    /// BDAT n [LAST] (RFC 3030 §2): the next n bytes are message data. The
    /// reply waits until the chunk has arrived; `None` until then.
    fn bdat(&mut self, args: &str, out: &mut Ctx<'_>) -> Option<Reply> {
        if !self.cfg.offers(Extension::Chunking) {
            return Some(self.r(R::Unrecognized, &[]));
        }
        let mut words = args.split_ascii_whitespace();
        let size = words.next().and_then(|w| w.parse::<u64>().ok());
        let last = match words.next() {
            None => Some(false),
            Some(w) if w.eq_ignore_ascii_case("LAST") => Some(true),
            Some(_) => None,
        };
        let (Some(size), Some(last), None) = (size, last, words.next()) else {
            return Some(self.r(R::Syntax, &["BDAT count [LAST]"]));
        };
        // The chunk is read even when refused (RFC 3030 §2).
        let refused = self.need_recipients();
        self.phase = Phase::Chunk { remaining: size, last, refused };
        if size == 0 {
            self.end_chunk(out);
        }
        None
    }

    fn take_chunk_bytes(&mut self, chunk: &[u8]) {
        if matches!(self.phase, Phase::Chunk { refused: None, .. }) {
            self.append(chunk);
        }
    }

    fn end_chunk(&mut self, out: &mut Ctx<'_>) {
        let Phase::Chunk { last, refused, .. } = std::mem::replace(&mut self.phase, Phase::Command) else { return };
        let reply = match (refused, last) {
            (Some(r), _) => r,
            (None, false) => {
                let size = self.tx.as_ref().map_or(0, |t| t.size);
                self.r(R::ChunkOk, &[&size.to_string()])
            }
            (None, true) => {
                let size = self.tx.as_ref().map_or(0, |t| t.size);
                let queued = out.events.len();
                let r = self.finish_message(out);
                match out.events.get(queued) {
                    Some(Event::MessageQueued(env)) => self.r(R::ChunkQueued, &[&size.to_string(), &env.queue_id]),
                    _ => r,
                }
            }
        };
        self.send(reply, out);
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
        self.tx = None;
        out.events.push(Event::TlsStarted);
        self.r(R::TlsReady, &[])
    }

    /// AUTH mechanism [initial-response] (RFC 4954 §4).
    fn auth(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        if self.cfg.auth.is_empty() || !self.cfg.offers(Extension::Auth) {
            return self.r(R::AuthNotEnabled, &[]);
        }
        if self.helo.is_none() {
            return self.r(R::NeedHelo, &[]);
        }
        if self.auth_user.is_some() {
            return self.r(R::AlreadyAuthenticated, &[]);
        }
        if self.tx.is_some() {
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
        match (mech, initial) {
            (_, Some(resp))
                if mech != Mechanism::CramMd5 && resp != "=" && sasl::decode(resp) == Err(SaslError::BadBase64) =>
            {
                out.events.push(Event::AuthFailed { mechanism: mech });
                self.r(R::AuthBadBase64Initial, &[])
            }
            (Mechanism::Plain, Some(resp)) => {
                self.finish_auth(mech, sasl::verify_plain(&self.cfg.directory, resp), out)
            }
            (Mechanism::Plain, None) => self.challenge(AuthStep::Plain, ""),
            (Mechanism::Login, None) => self.challenge(AuthStep::LoginUser, &sasl::login_user_prompt()),
            (Mechanism::Login, Some(user)) => match sasl::decode(user) {
                Ok(u) => {
                    let user = String::from_utf8_lossy(&u).into_owned();
                    self.challenge(AuthStep::LoginPassword(user), &sasl::login_password_prompt())
                }
                Err(e) => self.finish_auth(mech, Err(e), out),
            },
            (Mechanism::CramMd5, _) => {
                let challenge = sasl::cram_md5_challenge(self.rng.next_u64(), self.now, &self.cfg.hostname);
                let b64 = sasl::encode(challenge.as_bytes());
                self.challenge(AuthStep::CramMd5(challenge), &b64)
            }
        }
    }

    fn challenge(&mut self, step: AuthStep, text: &str) -> Reply {
        self.phase = Phase::Auth(step);
        self.r(R::AuthChallenge, &[text])
    }

    /// The client's answer to a `334` challenge.
    fn auth_response(&mut self, text: &str, out: &mut Ctx<'_>) -> Reply {
        let Phase::Auth(step) = std::mem::replace(&mut self.phase, Phase::Command) else {
            return self.r(R::BadSyntax, &[]);
        };
        let dir = &self.cfg.directory;
        match step {
            AuthStep::Plain => self.finish_auth(Mechanism::Plain, sasl::verify_plain(dir, text), out),
            AuthStep::LoginUser => match sasl::decode(text) {
                Ok(u) => {
                    let user = String::from_utf8_lossy(&u).into_owned();
                    self.challenge(AuthStep::LoginPassword(user), &sasl::login_password_prompt())
                }
                Err(e) => self.finish_auth(Mechanism::Login, Err(e), out),
            },
            AuthStep::LoginPassword(user) => {
                let result =
                    sasl::decode(text).and_then(|p| sasl::check_password(dir, &user, &String::from_utf8_lossy(&p)));
                self.finish_auth(Mechanism::Login, result, out)
            }
            AuthStep::CramMd5(challenge) => {
                self.finish_auth(Mechanism::CramMd5, sasl::verify_cram_md5(dir, &challenge, text), out)
            }
        }
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

    /// VRFY (RFC 5321 §3.5.1): Postfix answers 252 for a user it knows.
    fn vrfy(&mut self, args: &str) -> Reply {
        if !self.cfg.offers(Extension::Vrfy) {
            return self.r(R::VrfyDisabled, &[]);
        }
        if args.is_empty() {
            return self.r(R::Syntax, &["VRFY address [SMTPUTF8]"]);
        }
        let addr = args.trim_start_matches('<').trim_end_matches('>');
        match self.cfg.directory.lookup(addr) {
            // Postfix echoes the argument as typed, brackets and all.
            Lookup::Local(_) => self.r(R::VrfyOk, &[args]),
            Lookup::UnknownUser => self.r(R::UserUnknown, &[addr]),
            Lookup::Foreign => self.r(R::RelayDenied, &[addr]),
        }
    }
}
