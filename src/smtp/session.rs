//! The server side of an SMTP session (RFC 5321 §3, §4.1), sans-IO: the caller
//! feeds the bytes that arrived and gets back the replies to send, the events
//! that happened and whether to close. No socket, clock or random source
//! inside: time and the queue-id generator are injected.
//!
//! Replies and texts follow Postfix 3.7 as recorded in `shared/peers`.

use super::config::{Extension, ServerConfig};
use super::parser::{parse_command, parse_helo_name, parse_path_args, Param, Path, PathError, Verb};
use crate::codec::{Line, LineCodec};
use crate::directory::Lookup;
use crate::reply::{Enhanced, Reply};
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
    /// True when the session had done STARTTLS.
    pub tls: bool,
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
    /// The server closed the session (QUIT, too many errors).
    Closed,
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
    Data { line_start: bool },
    /// Reading a BDAT chunk of `remaining` bytes (RFC 3030 §2).
    Chunk { remaining: u64, last: bool, refused: Option<Reply> },
}

const OK: Enhanced = Enhanced(2, 0, 0);
const BAD_SEQUENCE: Enhanced = Enhanced(5, 5, 1);
const BAD_SYNTAX: Enhanced = Enhanced(5, 5, 4);

fn unrecognized() -> Reply {
    Reply::enhanced(500, Enhanced(5, 5, 2), "Error: command not recognized")
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
    errors: u32,
    /// The kept start of a command line longer than the limit.
    long_line: Option<Vec<u8>>,
    closed: bool,
}

impl Server {
    /// Opens a session; returns it with the greeting to send (RFC 5321 §4.3.1).
    pub fn new(cfg: ServerConfig, now: Timestamp, rng: SimRng) -> (Self, Reply) {
        let greeting = Reply::new(220, format!("{} {}", cfg.hostname, cfg.banner));
        let codec = LineCodec::new(cfg.limits.command_line);
        let s = Self {
            cfg,
            rng,
            now,
            codec,
            phase: Phase::Command,
            helo: None,
            tx: None,
            tls: false,
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

    /// True after STARTTLS.
    pub fn is_tls(&self) -> bool {
        self.tls
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
        let mut out = Output::default();
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
        out
    }

    fn on_line(&mut self, line: Line, out: &mut Output) {
        if let Phase::Data { .. } = self.phase {
            return self.data_line(line, out);
        }
        if !line.is_complete() {
            // Keep the first piece of an over-long command line; skip the rest.
            self.long_line.get_or_insert(line.bytes);
            return;
        }
        let bytes = self.long_line.take().unwrap_or(line.bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(reply) = self.command(&text, out) {
            self.send(reply, out);
        }
    }

    /// Sends a reply, counts errors and hangs up after too many (Postfix's
    /// `smtpd_hard_error_limit`).
    fn send(&mut self, reply: Reply, out: &mut Output) {
        let error = reply.code >= 400;
        out.replies.push(reply);
        if error {
            self.errors += 1;
            if self.errors >= self.cfg.limits.hard_errors && !self.closed {
                out.replies.push(Reply::enhanced(421, Enhanced(4, 7, 0), format!("{} Error: too many errors", self.cfg.hostname)));
                self.close(out);
            }
        }
    }

    fn close(&mut self, out: &mut Output) {
        self.closed = true;
        out.events.push(Event::Closed);
    }

    /// Runs one command line; `None` when the reply must wait (BDAT's chunk).
    fn command(&mut self, text: &str, out: &mut Output) -> Option<Reply> {
        let Some(cmd) = parse_command(text) else {
            return Some(Reply::enhanced(500, Enhanced(5, 5, 2), "Error: bad syntax"));
        };
        let args = cmd.args.as_str();
        if cmd.verb == Verb::Bdat {
            return self.bdat(args, out);
        }
        Some(match cmd.verb {
            Verb::Helo | Verb::Ehlo => self.helo(cmd.verb == Verb::Ehlo, args, out),
            Verb::Mail => self.mail(args, out),
            Verb::Rcpt => self.rcpt(args, out),
            Verb::Data => self.data(args),
            Verb::Rset => {
                if !args.is_empty() {
                    return Some(Reply::enhanced(501, BAD_SYNTAX, "Syntax: RSET"));
                }
                self.tx = None;
                Reply::enhanced(250, OK, "Ok")
            }
            Verb::Noop => Reply::enhanced(250, OK, "Ok"),
            Verb::Quit => {
                self.close(out);
                Reply::enhanced(221, OK, "Bye")
            }
            Verb::Vrfy => self.vrfy(args),
            Verb::Etrn => {
                if args.is_empty() {
                    return Some(Reply::new(500, "Syntax: ETRN domain"));
                }
                if self.tx.is_some() {
                    return Some(Reply::enhanced(503, BAD_SEQUENCE, "Error: MAIL transaction in progress"));
                }
                // No fast-flush domains are configured, as on the peers.
                Reply::new(459, format!("<{args}>: service unavailable"))
            }
            Verb::StartTls => self.starttls(args, out),
            Verb::Auth => Reply::enhanced(503, BAD_SEQUENCE, "Error: authentication not enabled"),
            Verb::Bdat | Verb::Expn | Verb::Help | Verb::Send | Verb::Soml | Verb::Saml | Verb::Turn | Verb::Unknown(_) => {
                unrecognized()
            }
        })
    }

    /// HELO/EHLO (RFC 5321 §4.1.1.1): names the client and resets any transaction.
    fn helo(&mut self, extended: bool, args: &str, out: &mut Output) -> Reply {
        let Some(name) = parse_helo_name(args) else {
            return Reply::new(501, if extended { "Syntax: EHLO hostname" } else { "Syntax: HELO hostname" });
        };
        self.tx = None;
        self.helo = Some(name.clone());
        out.events.push(Event::Greeted { name, extended });
        if !extended {
            return Reply::new(250, self.cfg.hostname.clone());
        }
        let mut lines = vec![self.cfg.hostname.clone()];
        for &ext in &self.cfg.extensions {
            if ext == Extension::StartTls && self.tls {
                continue;
            }
            lines.push(self.cfg.ehlo_line(ext));
        }
        Reply::multi(250, lines)
    }

    /// MAIL FROM (RFC 5321 §4.1.1.2) with the parameters of the offered extensions.
    fn mail(&mut self, args: &str, out: &mut Output) -> Reply {
        if self.tx.is_some() {
            return Reply::enhanced(503, BAD_SEQUENCE, "Error: nested MAIL command");
        }
        let (from, params) = match parse_path_args(args, "FROM:") {
            Ok(v) => v,
            Err(PathError::Syntax) => return Reply::enhanced(501, BAD_SYNTAX, "Syntax: MAIL FROM:<address>"),
            Err(PathError::BadAddress) => return Reply::enhanced(501, Enhanced(5, 1, 7), "Bad sender address syntax"),
        };
        for p in &params {
            if let Some(reply) = self.check_mail_param(p) {
                return reply;
            }
        }
        out.events.push(Event::TransactionStarted { reverse_path: from.mailbox.clone() });
        self.tx = Some(Transaction { from, params, rcpts: Vec::new(), data: Vec::new(), size: 0 });
        Reply::enhanced(250, Enhanced(2, 1, 0), "Ok")
    }

    fn check_mail_param(&self, p: &Param) -> Option<Reply> {
        let unsupported = || Some(Reply::enhanced(555, BAD_SYNTAX, format!("Unsupported option: {p}")));
        let offers = |e| self.cfg.offers(e);
        match (p.keyword.as_str(), p.value.as_deref()) {
            ("SIZE", Some(v)) if offers(Extension::Size) => match v.parse::<u64>() {
                Ok(n) if n > self.cfg.limits.message_size => {
                    Some(Reply::enhanced(552, Enhanced(5, 3, 4), "Message size exceeds fixed limit"))
                }
                Ok(_) => None,
                Err(_) => Some(Reply::enhanced(501, BAD_SYNTAX, "Bad message size syntax")),
            },
            ("BODY", Some(v)) if offers(Extension::EightBitMime) => {
                let ok = v.eq_ignore_ascii_case("7BIT")
                    || v.eq_ignore_ascii_case("8BITMIME")
                    || (v.eq_ignore_ascii_case("BINARYMIME") && offers(Extension::Chunking));
                (!ok).then(|| Reply::enhanced(501, BAD_SYNTAX, "Bad BODY keyword"))
            }
            ("SMTPUTF8", None) if offers(Extension::SmtpUtf8) => None,
            ("RET", Some(v)) if offers(Extension::Dsn) => {
                let ok = v.eq_ignore_ascii_case("FULL") || v.eq_ignore_ascii_case("HDRS");
                (!ok).then(|| Reply::enhanced(501, BAD_SYNTAX, "Bad RET parameter syntax"))
            }
            ("ENVID", Some(_)) if offers(Extension::Dsn) => None,
            _ => unsupported(),
        }
    }

    /// RCPT TO (RFC 5321 §4.1.1.3): local users are accepted, foreign domains
    /// are relaying and refused unless the server is an open relay.
    fn rcpt(&mut self, args: &str, out: &mut Output) -> Reply {
        let Some(tx) = &self.tx else {
            return Reply::enhanced(503, BAD_SEQUENCE, "Error: need MAIL command");
        };
        let (to, params) = match parse_path_args(args, "TO:") {
            Ok((p, _)) if p.is_null() => return Reply::enhanced(501, Enhanced(5, 1, 3), "Bad recipient address syntax"),
            Ok(v) => v,
            Err(PathError::Syntax) => return Reply::enhanced(501, BAD_SYNTAX, "Syntax: RCPT TO:<address>"),
            Err(PathError::BadAddress) => return Reply::enhanced(501, Enhanced(5, 1, 3), "Bad recipient address syntax"),
        };
        for p in &params {
            let known = matches!(p.keyword.as_str(), "NOTIFY" | "ORCPT") && p.value.is_some();
            if !(known && self.cfg.offers(Extension::Dsn)) {
                return Reply::enhanced(555, BAD_SYNTAX, format!("Unsupported option: {p}"));
            }
        }
        if tx.rcpts.len() >= self.cfg.limits.recipients {
            return Reply::enhanced(452, Enhanced(4, 5, 3), "Error: too many recipients");
        }
        let addr = to.mailbox;
        let refused = match self.cfg.directory.lookup(&addr) {
            Lookup::Local(_) => None,
            Lookup::Foreign if self.cfg.open_relay => None,
            Lookup::UnknownUser => Some(Reply::enhanced(
                550,
                Enhanced(5, 1, 1),
                format!("<{addr}>: Recipient address rejected: User unknown in virtual mailbox table"),
            )),
            Lookup::Foreign => Some(Reply::enhanced(554, Enhanced(5, 7, 1), format!("<{addr}>: Relay access denied"))),
        };
        if let Some(r) = refused {
            out.events.push(Event::RecipientRejected { forward_path: addr, code: r.code });
            return r;
        }
        out.events.push(Event::RecipientAccepted { forward_path: addr.clone() });
        if let Some(tx) = &mut self.tx {
            tx.rcpts.push(addr);
        }
        Reply::enhanced(250, Enhanced(2, 1, 5), "Ok")
    }

    /// Checks shared by DATA and BDAT: a transaction with recipients.
    fn need_recipients(&self) -> Option<Reply> {
        match &self.tx {
            None => Some(Reply::enhanced(503, BAD_SEQUENCE, "Error: need RCPT command")),
            Some(tx) if tx.rcpts.is_empty() => Some(Reply::enhanced(554, BAD_SEQUENCE, "Error: no valid recipients")),
            Some(_) => None,
        }
    }

    /// DATA (RFC 5321 §4.1.1.4): 354, then message text up to a lone dot.
    fn data(&mut self, args: &str) -> Reply {
        if !args.is_empty() {
            return Reply::enhanced(501, BAD_SYNTAX, "Syntax: DATA");
        }
        if let Some(r) = self.need_recipients() {
            return r;
        }
        self.phase = Phase::Data { line_start: true };
        Reply::new(354, "End data with <CR><LF>.<CR><LF>")
    }

    fn data_line(&mut self, line: Line, out: &mut Output) {
        let Phase::Data { line_start } = self.phase else { return };
        let complete = line.is_complete();
        if line_start && complete && line.bytes == b"." {
            self.phase = Phase::Command;
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
    fn finish_message(&mut self, out: &mut Output) -> Reply {
        let Some(tx) = self.tx.take() else {
            return Reply::enhanced(503, BAD_SEQUENCE, "Error: need RCPT command");
        };
        if tx.size > self.cfg.limits.message_size {
            return Reply::enhanced(552, Enhanced(5, 3, 4), "Message size exceeds fixed limit");
        }
        let queue_id = self.rng.queue_id();
        out.events.push(Event::MessageQueued(Envelope {
            queue_id: queue_id.clone(),
            helo: self.helo.clone(),
            mail_from: tx.from.mailbox,
            mail_params: tx.params,
            rcpt_to: tx.rcpts,
            data: tx.data,
            tls: self.tls,
            received_at: self.now,
        }));
        Reply::enhanced(250, OK, format!("Ok: queued as {queue_id}"))
    }

    /// BDAT n [LAST] (RFC 3030 §2): the next n bytes are message data. The
    /// reply waits until the chunk has arrived; `None` until then.
    fn bdat(&mut self, args: &str, out: &mut Output) -> Option<Reply> {
        if !self.cfg.offers(Extension::Chunking) {
            return Some(unrecognized());
        }
        let mut words = args.split_ascii_whitespace();
        let size = words.next().and_then(|w| w.parse::<u64>().ok());
        let last = match words.next() {
            None => Some(false),
            Some(w) if w.eq_ignore_ascii_case("LAST") => Some(true),
            Some(_) => None,
        };
        let (Some(size), Some(last), None) = (size, last, words.next()) else {
            return Some(Reply::enhanced(501, BAD_SYNTAX, "Syntax: BDAT count [LAST]"));
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

    fn end_chunk(&mut self, out: &mut Output) {
        let Phase::Chunk { last, refused, .. } = std::mem::replace(&mut self.phase, Phase::Command) else { return };
        let reply = match (refused, last) {
            (Some(r), _) => r,
            (None, false) => {
                let size = self.tx.as_ref().map_or(0, |t| t.size);
                Reply::enhanced(250, OK, format!("Ok: {size} bytes"))
            }
            (None, true) => {
                let size = self.tx.as_ref().map_or(0, |t| t.size);
                let r = self.finish_message(out);
                if r.code == 250 {
                    Reply::enhanced(250, OK, format!("Ok: {size} bytes {}", r.lines[0].trim_start_matches("Ok: ")))
                } else {
                    r
                }
            }
        };
        self.send(reply, out);
    }

    /// STARTTLS (RFC 3207 §4), modelled: the session forgets HELO and any
    /// transaction and is marked encrypted.
    fn starttls(&mut self, args: &str, out: &mut Output) -> Reply {
        if !args.is_empty() {
            return Reply::enhanced(501, BAD_SYNTAX, "Syntax: STARTTLS");
        }
        if self.tls {
            return Reply::enhanced(554, BAD_SEQUENCE, "Error: TLS already active");
        }
        if !self.cfg.offers(Extension::StartTls) {
            return unrecognized();
        }
        self.tls = true;
        self.helo = None;
        self.tx = None;
        out.events.push(Event::TlsStarted);
        Reply::enhanced(220, OK, "Ready to start TLS")
    }

    /// VRFY (RFC 5321 §3.5.1): Postfix answers 252 for a user it knows.
    fn vrfy(&mut self, args: &str) -> Reply {
        if !self.cfg.offers(Extension::Vrfy) {
            return Reply::enhanced(502, BAD_SEQUENCE, "VRFY command is disabled");
        }
        if args.is_empty() {
            return Reply::enhanced(501, BAD_SYNTAX, "Syntax: VRFY address");
        }
        let addr = args.trim_start_matches('<').trim_end_matches('>');
        match self.cfg.directory.lookup(addr) {
            Lookup::Local(_) => Reply::enhanced(252, OK, addr.to_string()),
            Lookup::UnknownUser => Reply::enhanced(
                550,
                Enhanced(5, 1, 1),
                format!("<{addr}>: Recipient address rejected: User unknown in virtual mailbox table"),
            ),
            Lookup::Foreign => Reply::enhanced(554, Enhanced(5, 7, 1), format!("<{addr}>: Relay access denied")),
        }
    }
}
