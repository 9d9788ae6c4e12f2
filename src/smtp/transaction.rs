//! The mail transaction (RFC 5321 §3.3): MAIL, RCPT, DATA and BDAT
//! (RFC 3030), the recipient checks in Postfix's order, and the end of data
//! for SMTP (one reply) and LMTP (RFC 2033 §4.2: one reply per recipient).

use super::catalogue::ReplyId as R;
use super::config::Extension;
use super::dsn::{self, MessageDsn, Notify, Orcpt, RcptDsn, Ret};
use super::envelope::{Envelope, RcptCheck};
use super::parser::{parse_path_args, Param, Path, PathError};
use super::session::{ChunkTarget, Ctx, Event, Server, State};
use crate::codec::Line;
use crate::directory::Lookup;
use crate::reply::Reply;

/// A mail transaction (RFC 5321 §3.3): the reverse-path, the recipients and the text so far.
#[derive(Debug, Clone)]
pub(super) struct Transaction {
    pub(super) from: Path,
    pub(super) params: Vec<Param>,
    pub(super) rcpts: Vec<String>,
    /// RET and ENVID (RFC 3461 §4.3, §4.4).
    pub(super) dsn: MessageDsn,
    /// NOTIFY and ORCPT of each accepted recipient, in the order of `rcpts`.
    pub(super) rcpt_dsn: Vec<RcptDsn>,
    pub(super) data: Vec<u8>,
    /// Message bytes seen, including those not kept past the size limit.
    pub(super) size: u64,
    /// A BDAT chunk was accepted: DATA may not follow (RFC 3030 §2).
    pub(super) chunked: bool,
}

impl Transaction {
    /// Adds message octets, keeping none past `limit` (memory stays bounded;
    /// the size still counts them, for the 552 at the end).
    fn append(&mut self, bytes: &[u8], limit: u64) {
        self.size = self.size.saturating_add(bytes.len() as u64);
        if self.size <= limit {
            self.data.extend_from_slice(bytes);
        }
    }
}

/// RCPT's DSN parameters (RFC 3461 §4.1 NOTIFY, §4.2 ORCPT) as Postfix reads
/// them: each at most once, NOTIFY a valid list, ORCPT `type;xtext`
/// (tests/transcripts/smtp/smtp-dsn-rcpt-params.txt, smtp-dsn-orcpt.txt).
/// `Err` names the parameter whose syntax is bad.
fn rcpt_dsn(params: &[Param]) -> Result<RcptDsn, &'static str> {
    let mut d = RcptDsn::default();
    for p in params {
        let value = p.value.as_deref().unwrap_or("");
        match p.keyword.as_str() {
            "NOTIFY" if d.notify.is_none() => d.notify = Some(Notify::parse(value).ok_or("NOTIFY")?),
            "NOTIFY" => return Err("NOTIFY"),
            "ORCPT" if d.orcpt.is_none() => d.orcpt = Some(Orcpt::parse(value).ok_or("ORCPT")?),
            "ORCPT" => return Err("ORCPT"),
            _ => {}
        }
    }
    Ok(d)
}

impl Server {
    /// MAIL FROM (RFC 5321 §4.1.1.2) with the parameters of the offered extensions.
    pub(super) fn mail(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        if self.bdat_failed {
            return self.r(R::MailAfterBdat, &[]);
        }
        if self.transaction().is_some() {
            return self.r(R::NestedMail, &[]);
        }
        let (from, params) = match parse_path_args(args, "FROM:") {
            Ok(v) => v,
            Err(PathError::Syntax) => return self.r(R::Syntax, &["MAIL FROM:<address>"]),
            Err(PathError::BadAddress) => return self.r(R::BadSender, &[]),
        };
        let mut dsn = MessageDsn::default();
        for p in &params {
            if let Some(reply) = self.check_mail_param(p, &mut dsn) {
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
        self.move_to_mail(Transaction {
            from,
            params,
            rcpts: Vec::new(),
            dsn,
            rcpt_dsn: Vec::new(),
            data: Vec::new(),
            size: 0,
            chunked: false,
        });
        reply
    }

    /// One MAIL parameter; RET and ENVID are kept in `dsn`. A second RET or
    /// ENVID is a syntax error, as is ENVID that is not xtext of printable
    /// ASCII (RFC 3461 §4.3, §4.4; smtp-dsn-mail-params.txt, smtp-dsn-xtext.txt).
    fn check_mail_param(&self, p: &Param, dsn: &mut MessageDsn) -> Option<Reply> {
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
            ("RET", Some(v)) if offers(Extension::Dsn) => match (dsn.ret, Ret::parse(v)) {
                (None, Some(ret)) => {
                    dsn.ret = Some(ret);
                    None
                }
                _ => Some(self.r(R::BadRet, &[])),
            },
            ("ENVID", Some(v)) if offers(Extension::Dsn) => match (&dsn.envid, dsn::envid(v)) {
                (None, Some(id)) => {
                    dsn.envid = Some(id);
                    None
                }
                _ => Some(self.r(R::BadEnvid, &[])),
            },
            // RFC 4954 §5: AUTH= is accepted (and, without a login, ignored), even on
            // a port without AUTH (tests/transcripts/smtp/smtp-mail-params.txt).
            ("AUTH", Some(_)) => None,
            _ => unsupported(),
        }
    }

    /// RCPT TO (RFC 5321 §4.1.1.3): local users are accepted, foreign domains
    /// are relaying and refused unless the server is an open relay.
    pub(super) fn rcpt(&mut self, args: &str, out: &mut Ctx<'_>) -> Reply {
        let State::Mail(tx) = &self.state else {
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
        }
        let rcpt_dsn = match rcpt_dsn(&params) {
            Ok(d) => d,
            Err(keyword) => return self.r(R::BadDsnParam, &[keyword]),
        };
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
            // Sender-specified routing in the local part (`user%host@`, `host!user@`)
            // is relaying to Postfix (allow_untrusted_routing = no): smtp-address-syntax.txt.
            let routed = addr.rsplit_once('@').is_some_and(|(local, _)| local.contains(['%', '!']));
            let lookup = if routed { Lookup::Foreign } else { self.cfg.directory.lookup(&addr) };
            match lookup {
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
            let from = self.transaction().map(|t| t.from.mailbox.as_str()).unwrap_or("");
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
        if let State::Mail(tx) = &mut self.state {
            tx.rcpts.push(addr);
            tx.rcpt_dsn.push(rcpt_dsn);
        }
        reply
    }

    /// Checks shared by DATA and BDAT: a transaction with recipients.
    fn need_recipients(&self) -> Option<Reply> {
        match self.transaction() {
            None => Some(self.r(R::NeedRcpt, &[])),
            Some(tx) if tx.rcpts.is_empty() => Some(self.r(R::NoValidRecipients, &[])),
            Some(_) => None,
        }
    }

    /// DATA (RFC 5321 §4.1.1.4): 354, then message text up to a lone dot.
    pub(super) fn data(&mut self, args: &str) -> Reply {
        // Postfix checks the state before the syntax (smtp-check-order.txt).
        if let Some(r) = self.need_recipients() {
            return r;
        }
        if !args.is_empty() {
            return self.r(R::Syntax, &["DATA"]);
        }
        if self.transaction().is_some_and(|tx| tx.chunked) {
            return self.r(R::DataAfterBdat, &[]);
        }
        self.move_to_data();
        self.r(R::StartData, &[])
    }

    /// A line of message text (RFC 5321 §4.5.2): a lone dot ends it.
    pub(super) fn data_line(&mut self, line: Line, out: &mut Ctx<'_>) {
        let limit = self.cfg.limits.message_size;
        let State::Data { tx, line_start } = &mut self.state else { return };
        let complete = line.is_complete();
        if *line_start && complete && line.bytes == b"." {
            let Some(tx) = self.move_to_idle() else { return };
            if self.cfg.lmtp {
                return self.finish_lmtp(tx, out);
            }
            let reply = self.finish_message(tx, out);
            return self.send(reply, out);
        }
        // Undo dot-stuffing (RFC 5321 §4.5.2).
        let bytes = if *line_start && line.bytes.first() == Some(&b'.') { &line.bytes[1..] } else { &line.bytes[..] };
        tx.append(bytes, limit);
        if complete {
            tx.append(b"\r\n", limit);
        }
        *line_start = complete;
    }

    /// Ends the transaction: queues the message or refuses it as too big.
    fn finish_message(&mut self, tx: Transaction, out: &mut Ctx<'_>) -> Reply {
        if tx.size > self.cfg.limits.message_size {
            return self.r(R::MessageTooBig, &[]);
        }
        let queue_id = self.cfg.personality.message_id(&mut self.rng, self.now);
        let envelope = self.envelope(tx, queue_id.clone());
        if let Some(f) = out.env.check_message(&envelope) {
            return self.refusal(&f);
        }
        out.events.push(Event::MessageQueued(Box::new(envelope)));
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
            dsn: tx.dsn,
            rcpt_dsn: tx.rcpt_dsn,
            data: tx.data,
            tls: self.tls,
            auth_user: self.auth_user.clone(),
            client: self.peer.clone(),
            received_at: self.now,
        }
    }

    /// LMTP's end of data (RFC 2033 §4.2): one reply per accepted recipient,
    /// each from the delivery to that recipient's mailbox.
    fn finish_lmtp(&mut self, tx: Transaction, out: &mut Ctx<'_>) {
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
    pub(super) fn bdat(&mut self, args: &str, out: &mut Ctx<'_>) -> Option<Reply> {
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
            // Postfix cannot tell where the chunk ends: it says so and hangs up.
            out.replies.push(self.r(R::BdatSyntax, &[]));
            self.close(out);
            return None;
        };
        // The chunk is read even when refused (RFC 3030 §2). After a refused
        // chunk Postfix discards the rest of that message's chunks, up to LAST.
        let refused = if self.bdat_failed {
            self.bdat_failed = !last;
            Some(self.r(R::ChunkDiscarded, &[&size.to_string()]))
        } else {
            let refused = self.need_recipients();
            self.bdat_failed = refused.is_some() && !last;
            refused
        };
        self.move_to_chunk(size, last, refused);
        if size == 0 {
            self.end_chunk(out);
        }
        None
    }

    /// Octets of the chunk being read: kept unless the chunk was refused.
    pub(super) fn take_chunk_bytes(&mut self, chunk: &[u8]) {
        let limit = self.cfg.limits.message_size;
        if let State::Chunk { target: ChunkTarget::Message(tx), .. } = &mut self.state {
            tx.append(chunk, limit);
        }
    }

    /// The chunk has arrived: its reply, and the message queued after `BDAT n LAST`.
    pub(super) fn end_chunk(&mut self, out: &mut Ctx<'_>) {
        let State::Chunk { last, target, .. } = std::mem::replace(&mut self.state, State::Idle) else {
            return;
        };
        let reply = match (target, last) {
            (ChunkTarget::Refused { tx, reply }, _) => {
                if let Some(tx) = tx {
                    self.state = State::Mail(tx);
                }
                reply
            }
            (ChunkTarget::Message(tx), false) => {
                let size = tx.size;
                self.state = State::Mail(tx);
                self.r(R::ChunkOk, &[&size.to_string()])
            }
            (ChunkTarget::Message(tx), true) => {
                let size = tx.size;
                let queued = out.events.len();
                let r = self.finish_message(tx, out);
                match out.events.get(queued) {
                    Some(Event::MessageQueued(env)) => self.r(R::ChunkQueued, &[&size.to_string(), &env.queue_id]),
                    _ => r,
                }
            }
        };
        self.send(reply, out);
    }
}
