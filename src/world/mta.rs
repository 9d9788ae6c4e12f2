//! The MTA's work (seed topic T14): a message a server accepted goes into its
//! host's queue with a `Received:` line; the queue manager routes each
//! recipient — local ones over LMTP to the host's MDA (RFC 2033), remote
//! ones to the lowest-preference MX that answers (RFC 5321 §5.1) over SMTP
//! port 25 — defers on 4xx, fails on 5xx, and bounces failures to the sender
//! with a DSN (RFC 3464). Every hop is a dialogue between two engines,
//! recorded as an event.

use super::bounce::{dsn, Bounce, Failure, Kind, Notice, Remote};
use super::dns::RrType;
use super::events::{Event, Protocol, RecipientResult};
use super::headers::{complete_submission, hop_count, received_postfix};
use super::queue::Entry;
use super::{ConnectError, World};
use crate::directory::Lookup;
use crate::reply::Reply;
use crate::smtp::client::{ClientConfig, DsnRequest, Outcome, Outgoing, Stage};
use crate::smtp::dsn::{Orcpt, RcptDsn};
use crate::smtp::{Envelope, Peer};

/// The smart host of the `smart_host` switch, and the MTA that uses it.
const SMART_HOST: &str = "relay.example.net";
const SMART_HOST_CLIENT: &str = "mail.example.com";

/// Postfix's `hopcount_limit`: more Received lines than this is a mail loop.
const HOP_LIMIT: usize = 50;
/// At most this many queue runs per call, so nothing can spin forever.
const MAX_RUNS: usize = 10_000;

/// Postfix's `lmtp_assume_final` (default `no`, as on shared/peers): a
/// success over LMTP to a server without DSN is reported as `relayed`, not
/// `delivered` (tests/fixtures/dsn/success-lmtp.eml).
const LMTP_ASSUME_FINAL: bool = false;

/// Where the MTA reaches its MDA: Postfix's `virtual_transport =
/// lmtp:inet:127.0.0.1:24`, so DSNs name it `127.0.0.1[127.0.0.1]`.
fn mda() -> Remote {
    Remote { name: "127.0.0.1".into(), ip: "127.0.0.1".into(), port: 24 }
}

/// Per recipient of a hop: the reply that accepted it, or the refusal
/// (code, reply text, stage).
type HopResults = Vec<Result<String, (u16, String, Stage)>>;

/// What became of one recipient in one attempt.
enum Verdict {
    /// Delivered or handed on, with the success notice to send if the
    /// sender asked for one; `None` when the next hop offered DSN and so
    /// takes that over (RFC 3461 §5.2.2, Postfix's smtp_rcpt_done).
    Done(Option<Notice>),
    /// A temporary failure: the reason for the event, the notice for a delay DSN.
    Defer(String, Notice),
    Fail(Failure),
}

/// What an MTA passes on of a recipient's DSN request: its NOTIFY, and its
/// ORCPT or, without one, the recipient as it arrived (Postfix sends
/// `ORCPT=rfc822;addr` either way: tests/fixtures/dsn/relay-dsn.sink.txt).
fn passed_on(env: &Envelope, rcpt: &str) -> RcptDsn {
    let d = env.dsn_of(rcpt);
    RcptDsn { notify: d.notify, orcpt: Some(d.orcpt.unwrap_or_else(|| Orcpt::rfc822(rcpt))) }
}

/// True when virtual alias expansion changes `rcpt` (more than one
/// address, or another one), as Postfix's cleanup tests it.
fn alias_expanded(dir: &crate::directory::Directory, rcpt: &str) -> bool {
    let domain = dir.domains.first().map_or("", String::as_str);
    match dir.lookup(rcpt) {
        Lookup::Local(users) => users.len() > 1 || users.iter().any(|u| format!("{u}@{domain}") != rcpt),
        _ => false,
    }
}

/// A recipient's DSN request after alias expansion: Postfix's cleanup takes
/// SUCCESS off an expanded alias's addresses (NEVER if it was all there was)
/// and reports `expanded` for the alias itself (cleanup_out_recipient's
/// option (b) of RFC 3461 §6.2.7; tests/fixtures/dsn/success-alias.eml).
fn effective_dsn(env: &Envelope, dir: &crate::directory::Directory, rcpt: &str) -> RcptDsn {
    let mut d = env.dsn_of(rcpt);
    if let Some(n) = d.notify.as_mut().filter(|n| n.success && alias_expanded(dir, rcpt)) {
        n.success = false;
        n.never = !(n.failure || n.delay);
    }
    d
}

/// A reply that settled a recipient as a notice (status from its text).
fn notice(rcpt: &str, action: &str, remote: Remote, reply: &str, stage: Option<Stage>) -> Notice {
    let default = match action {
        "failed" => "5.0.0",
        "delayed" => "4.0.0",
        _ => "2.0.0",
    };
    Notice {
        recipient: rcpt.into(),
        original: None,
        status: status_of(reply, default),
        action: action.into(),
        remote: Some(remote),
        diagnostic: reply.into(),
        in_reply_to: stage.map(|s| s.command().into()),
    }
}

impl World {
    /// A server of `host` on `port` accepted `env`: complete it if it came
    /// through the MSA (RFC 6409 §8), add the Received line, queue it.
    pub(super) fn accept(&mut self, host: &str, port: u16, mut env: Envelope) {
        if port == 587 || port == 465 {
            env.data = complete_submission(&env.data, &env.queue_id, host, env.received_at);
        }
        let mut data = received_postfix(&env, host).into_bytes();
        data.extend_from_slice(&env.data);
        env.data = data;
        self.events.push(Event::Accepted {
            at: self.now,
            host: host.to_string(),
            port,
            queue_id: env.queue_id.clone(),
            from: env.mail_from.clone(),
            to: env.rcpt_to.clone(),
            client: env.client.to_string(),
        });
        self.accepted.push(env.clone());
        self.queue.push(Entry {
            host: host.to_string(),
            pending: env.rcpt_to.clone(),
            envelope: env,
            attempts: 0,
            arrived: self.now,
            next_attempt: self.now,
            last_error: Vec::new(),
            warn_at: (self.delay_warning_time > 0).then(|| self.now + self.delay_warning_time),
        });
    }

    /// Runs every queue entry that is due now (and what they cause), as
    /// Postfix's queue manager does right after a message arrives.
    pub fn run_due(&mut self) {
        if self.busy {
            return;
        }
        self.busy = true;
        for _ in 0..MAX_RUNS {
            let Some(entry) = self.queue.take_due(self.now) else { break };
            self.attempt(entry);
        }
        self.busy = false;
    }

    /// Runs one queue attempt: the entry due soonest, moving the clock to it
    /// if it lies ahead. Returns the events it caused (empty when the queues
    /// are empty). For stepping through a delivery one hop at a time.
    pub fn step(&mut self) -> &[Event] {
        let before = self.events.len();
        if let Some(t) = self.queue.next_due() {
            self.now = self.now.max(t);
            if let Some(entry) = self.queue.take_due(self.now) {
                self.busy = true;
                self.attempt(entry);
                self.busy = false;
            }
        }
        &self.events[before..]
    }

    /// Moves the clock forward to each next retry and runs it, until the
    /// queues are empty or `until` is reached. Returns the time reached.
    pub fn run_until_idle(&mut self, until: crate::sim::Timestamp) -> crate::sim::Timestamp {
        self.run_due();
        for _ in 0..MAX_RUNS {
            match self.queue.next_due() {
                Some(t) if t <= until => {
                    self.now = self.now.max(t);
                    self.run_due();
                }
                _ => break,
            }
        }
        self.now
    }

    /// The learner's mail client sends a message: a dialogue from
    /// client.example.net to `host:port` (587 with AUTH: the MSA; 25: straight
    /// to an MTA), recorded as the first hop, then the queues run. Returns
    /// whether the connection was made.
    pub fn send_from_client(&mut self, host: &str, port: u16, cfg: ClientConfig, msg: Outgoing) -> bool {
        self.submit(host, port, cfg, msg).is_some()
    }

    /// As [`World::send_from_client`], returning how the client's dialogue
    /// ended (`None`: the connection was refused), for a mail client to
    /// report as real ones do.
    pub fn submit(&mut self, host: &str, port: u16, cfg: ClientConfig, msg: Outgoing) -> Option<Outcome> {
        let learner = World::learner().name.unwrap_or_default();
        self.last_outcome = None;
        let (results, _) = self.hop(&learner, host, port, Protocol::Smtp, cfg, msg);
        self.run_due();
        if results.is_empty() {
            return None;
        }
        self.last_outcome.take()
    }

    /// The host's Peer, as other servers see it.
    fn peer_of(&self, host: &str) -> Peer {
        let ip = self.dns.a(host).unwrap_or_default();
        Peer::new(Some(host), &ip)
    }

    /// One delivery attempt of a queue entry.
    fn attempt(&mut self, mut e: Entry) {
        let host = e.host.clone();
        let qid = e.envelope.queue_id.clone();
        let Some(dir) = self.smtp_config_mut(&host, 25).map(|c| c.directory.clone()) else {
            return;
        };
        let mut verdicts: Vec<(String, Verdict)> = Vec::new();
        if hop_count(&e.envelope.data) > HOP_LIMIT {
            for r in &e.pending {
                verdicts.push((r.clone(), Verdict::Fail(Notice::local(r, "5.4.6", "mail forwarding loop"))));
            }
        } else {
            // Local recipients: aliases expanded, over LMTP to this host's MDA.
            let (local, remote): (Vec<String>, Vec<String>) =
                e.pending.iter().cloned().partition(|r| !matches!(dir.lookup(r), Lookup::Foreign));
            if !local.is_empty() {
                verdicts.extend(self.deliver_local(&host, &dir, &e.envelope, &local));
            }
            // Remote recipients, by domain.
            let mut domains: Vec<String> =
                remote.iter().filter_map(|r| r.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())).collect();
            domains.dedup();
            domains.sort();
            domains.dedup();
            for d in domains {
                let rcpts: Vec<String> = remote
                    .iter()
                    .filter(|r| r.rsplit_once('@').is_some_and(|(_, x)| x.eq_ignore_ascii_case(&d)))
                    .cloned()
                    .collect();
                verdicts.extend(self.relay(&host, &d, &e.envelope, &rcpts));
            }
            for r in remote.iter().filter(|r| !r.contains('@')) {
                verdicts.push((r.clone(), Verdict::Fail(Notice::local(r, "5.1.3", "bad address syntax"))));
            }
        }
        e.attempts += 1;
        let expired = self.now - e.arrived >= self.retry.lifetime;
        let mut pending = Vec::new();
        let mut failures: Vec<(String, Notice)> = Vec::new();
        let mut successes = Vec::new();
        let mut delays = Vec::new();
        // Original-Recipient (RFC 3464 §2.3.1): the ORCPT, or the address as it arrived.
        let original = |r: &str| Some(e.envelope.dsn_of(r).orcpt.map_or_else(|| format!("rfc822;{r}"), |o| o.field()));
        let wants = |r: &str, kind| effective_dsn(&e.envelope, &dir, r).wants(kind);
        // The `expanded` notice of an alias, once (Postfix's cleanup writes it at arrival).
        if e.attempts == 1 {
            for r in e.pending.iter().filter(|r| e.envelope.dsn_of(r).wants(Kind::Success) && alias_expanded(&dir, r)) {
                let mut n = Notice::local(r, "2.0.0", "alias expanded");
                n.action = "expanded".into();
                n.original = original(r);
                successes.push(n);
            }
        }
        e.last_error.clear();
        for (rcpt, v) in verdicts {
            match v {
                Verdict::Done(Some(mut n)) if wants(&rcpt, Kind::Success) => {
                    n.original = original(&rcpt);
                    successes.push(n);
                }
                Verdict::Done(_) => {}
                Verdict::Defer(reason, _) if expired => {
                    let mut n = Notice::local(&rcpt, "4.4.7", &format!("delivery temporarily suspended: {reason}"));
                    n.original = original(&rcpt);
                    failures.push((rcpt, n));
                }
                Verdict::Defer(reason, mut n) => {
                    if wants(&rcpt, Kind::Delay) {
                        n.original = original(&rcpt);
                        delays.push(n);
                    }
                    let retry_at = self.now + self.retry.backoff(e.attempts);
                    self.events.push(Event::Deferred {
                        at: self.now,
                        host: host.clone(),
                        queue_id: qid.clone(),
                        recipient: rcpt.clone(),
                        reason: reason.clone(),
                        retry_at,
                    });
                    e.last_error.push((rcpt.clone(), reason));
                    pending.push(rcpt);
                }
                Verdict::Fail(mut n) => {
                    n.original = original(&rcpt);
                    failures.push((rcpt, n));
                }
            }
        }
        for (_, f) in &failures {
            self.events.push(Event::Failed {
                at: self.now,
                host: host.clone(),
                queue_id: qid.clone(),
                recipient: f.recipient.clone(),
                status: f.status.clone(),
                reason: f.diagnostic.clone(),
            });
        }
        // RFC 3461 §4.1: NOTIFY=NEVER (or a list without FAILURE) means no
        // bounce (Postfix sends none: tests/fixtures/dsn/README.md).
        let bounced: Vec<Notice> =
            failures.into_iter().filter(|(r, _)| wants(r, Kind::Failure)).map(|(_, n)| n).collect();
        if !bounced.is_empty() {
            self.notify(Kind::Failure, &host, &e, &bounced);
        }
        if !successes.is_empty() {
            self.notify(Kind::Success, &host, &e, &successes);
        }
        // A delay notice once, at the first attempt after delay_warning_time
        // that still leaves recipients queued, as Postfix's qmgr sends it.
        if !pending.is_empty() && e.warn_at.is_some_and(|t| t <= self.now) {
            e.warn_at = None;
            if !delays.is_empty() {
                self.notify(Kind::Delay, &host, &e, &delays);
            }
        }
        if pending.is_empty() {
            self.events.push(Event::Removed { at: self.now, host, queue_id: qid });
        } else {
            e.pending = pending;
            e.next_attempt = self.now + self.retry.backoff(e.attempts);
            self.queue.push(e);
        }
    }

    /// LMTP from the MTA to its MDA on the same host (port 24).
    fn deliver_local(
        &mut self,
        host: &str,
        dir: &crate::directory::Directory,
        env: &Envelope,
        rcpts: &[String],
    ) -> Vec<(String, Verdict)> {
        // Expand aliases (Postfix's virtual_alias_maps) into the users' addresses.
        let domain = dir.domains.first().cloned().unwrap_or_else(|| host.to_string());
        let mut targets: Vec<(String, String)> = Vec::new(); // (original, expanded)
        let mut out = Vec::new();
        for r in rcpts {
            match dir.lookup(r) {
                Lookup::Local(users) => {
                    for u in users {
                        let addr = format!("{u}@{domain}");
                        if !targets.iter().any(|(_, a)| *a == addr) {
                            targets.push((r.clone(), addr));
                        }
                    }
                }
                _ => out.push((r.clone(), Verdict::Fail(Notice::local(r, "5.1.1", "unknown user")))),
            }
        }
        if targets.is_empty() {
            return out;
        }
        let msg = Outgoing {
            mail_from: env.mail_from.clone(),
            mail_params: vec![],
            rcpt_to: targets.iter().map(|(_, a)| a.clone()).collect(),
            data: env.data.clone(),
        };
        // The DSN request goes on over LMTP too, if the MDA offers DSN (Dovecot 2.3 does not).
        let mut cfg = ClientConfig::lmtp(host);
        cfg.dsn = Some(DsnRequest {
            message: env.dsn.clone(),
            rcpts: targets
                .iter()
                .map(|(orig, _)| RcptDsn { notify: effective_dsn(env, dir, orig).notify, ..passed_on(env, orig) })
                .collect(),
        });
        let (results, dsn_offered) = self.hop(host, host, 24, Protocol::Lmtp, cfg, msg);
        let action = if LMTP_ASSUME_FINAL { "delivered" } else { "relayed" };
        for (i, (orig, addr)) in targets.iter().enumerate() {
            let v = match results.get(i) {
                Some(Ok(reply)) => Verdict::Done((!dsn_offered).then(|| notice(addr, action, mda(), reply, None))),
                Some(Err((code, reply, stage))) if *code >= 500 => {
                    Verdict::Fail(notice(addr, "failed", mda(), reply, Some(*stage)))
                }
                Some(Err((_, reply, stage))) => {
                    Verdict::Defer(reply.clone(), notice(addr, "delayed", mda(), reply, Some(*stage)))
                }
                None => {
                    let why = "lost connection with the MDA";
                    let mut n = Notice::local(addr, "4.4.2", why);
                    n.action = "delayed".into();
                    Verdict::Defer(why.into(), n)
                }
            };
            out.push((orig.clone(), v));
        }
        out
    }

    /// SMTP to the domain's MX hosts in preference order (RFC 5321 §5.1).
    fn relay(&mut self, host: &str, domain: &str, env: &Envelope, rcpts: &[String]) -> Vec<(String, Verdict)> {
        // With a smart host (Postfix relayhost = [relay.example.net]) there is
        // no MX lookup: everything goes to the relay.
        let mx = if self.faults.smart_host && host.eq_ignore_ascii_case(SMART_HOST_CLIENT) {
            vec![(0, SMART_HOST.to_string())]
        } else {
            self.dns.mx(domain)
        };
        if !(self.faults.smart_host && host.eq_ignore_ascii_case(SMART_HOST_CLIENT)) {
            self.events.push(Event::DnsLookup {
                at: self.now,
                host: host.to_string(),
                name: domain.to_string(),
                qtype: RrType::Mx,
                answers: mx.iter().map(|(p, x)| format!("{p} {x}.")).collect(),
            });
        }
        if mx.is_empty() {
            let diag =
                format!("Host or domain name not found. Name service error for name={domain} type=MX: Host not found");
            return rcpts.iter().map(|r| (r.clone(), Verdict::Fail(Notice::local(r, "5.4.4", &diag)))).collect();
        }
        let mut last = String::new();
        for (_, exchanger) in mx {
            if exchanger.eq_ignore_ascii_case(host) {
                // RFC 5321 §5.1: a server listed as an MX tries only the MX hosts
                // preferred to itself; if it is the best one, that is a loop.
                if last.is_empty() {
                    last = format!("mail for {domain} loops back to myself");
                }
                break;
            }
            let msg = Outgoing {
                mail_from: env.mail_from.clone(),
                mail_params: vec![],
                rcpt_to: rcpts.to_vec(),
                data: env.data.clone(),
            };
            // RFC 3461 §5.2: the DSN request goes on to a server that offers DSN.
            let mut cfg = ClientConfig::smtp(host);
            cfg.dsn =
                Some(DsnRequest { message: env.dsn.clone(), rcpts: rcpts.iter().map(|r| passed_on(env, r)).collect() });
            let (results, dsn_offered) = self.hop(host, &exchanger, 25, Protocol::Smtp, cfg, msg);
            if results.is_empty() {
                let ip = self.dns.a(&exchanger).unwrap_or_default();
                last = format!("connect to {exchanger}[{ip}]:25: Connection refused");
                continue;
            }
            let ip = self.dns.a(&exchanger).unwrap_or_default();
            let remote = Remote { name: exchanger.clone(), ip: ip.clone(), port: 25 };
            return rcpts
                .iter()
                .zip(results)
                .map(|(r, res)| {
                    let v = match res {
                        // Without DSN at the next hop, Postfix reports "relayed" itself.
                        Ok(reply) => {
                            Verdict::Done((!dsn_offered).then(|| notice(r, "relayed", remote.clone(), &reply, None)))
                        }
                        Err((code, reply, stage)) if code >= 500 => {
                            Verdict::Fail(notice(r, "failed", remote.clone(), &reply, Some(stage)))
                        }
                        Err((_, reply, stage)) => Verdict::Defer(
                            format!("host {exchanger}[{ip}] said: {reply} (in reply to {} command)", stage.command()),
                            notice(r, "delayed", remote.clone(), &reply, Some(stage)),
                        ),
                    };
                    (r.clone(), v)
                })
                .collect();
        }
        // A connection failure: Postfix's 4.4.1, said by no remote server.
        rcpts
            .iter()
            .map(|r| {
                let mut n = Notice::local(r, "4.4.1", &last);
                n.action = "delayed".into();
                (r.clone(), Verdict::Defer(last.clone(), n))
            })
            .collect()
    }

    /// One dialogue from `from` to `to:port`; per recipient, in the order of
    /// `msg.rcpt_to`: Ok, or the refusal (code, reply text, stage). Empty when
    /// the connection was refused.
    fn hop(
        &mut self,
        from: &str,
        to: &str,
        port: u16,
        protocol: Protocol,
        cfg: ClientConfig,
        msg: Outgoing,
    ) -> (HopResults, bool) {
        let rcpts = msg.rcpt_to.clone();
        let peer = self.peer_of(from);
        // The hop is told before what it caused (the next server's acceptance).
        let slot = self.events.len();
        let transfer = match self.transfer(peer, to, port, cfg, msg) {
            Ok(t) => t,
            Err(e) => {
                let reason = match e {
                    ConnectError::Refused => "Connection refused",
                    ConnectError::UnknownHost => "Host not found",
                };
                self.events.push(Event::ConnectFailed {
                    at: self.now,
                    from: from.into(),
                    to: to.into(),
                    port,
                    reason: reason.into(),
                });
                return (Vec::new(), false);
            }
        };
        self.last_outcome = transfer.outcome.clone();
        let wire = |r: &Reply| r.wire_lines().join(" ");
        let results: HopResults = match &transfer.outcome {
            Some(Outcome::Done { recipients, stages }) => rcpts
                .iter()
                .map(|r| match recipients.iter().position(|(x, _)| x == r) {
                    Some(i) if recipients[i].1.code / 100 == 2 => Ok(wire(&recipients[i].1)),
                    Some(i) => Err((
                        recipients[i].1.code,
                        wire(&recipients[i].1),
                        stages.get(i).copied().unwrap_or(Stage::Rcpt),
                    )),
                    None => Err((451, "451 4.3.0 no reply for this recipient".into(), Stage::Message)),
                })
                .collect(),
            Some(Outcome::Failed { stage, reply }) => {
                rcpts.iter().map(|_| Err((reply.code, wire(reply), *stage))).collect()
            }
            Some(Outcome::ProtocolError(e)) => protocol_error(&rcpts, &e.to_string()),
            Some(Outcome::TlsHandshakeFailed { detail } | Outcome::NoGreeting { detail }) => {
                protocol_error(&rcpts, detail)
            }
            None => {
                rcpts.iter().map(|_| Err((421, "421 4.4.2 lost connection".to_string(), Stage::Greeting))).collect()
            }
        };
        self.events.insert(
            slot,
            Event::Hop {
                at: self.now,
                from: from.into(),
                to: to.into(),
                port,
                protocol,
                transcript: transfer.transcript,
                results: rcpts
                    .iter()
                    .zip(&results)
                    .map(|(r, res)| match res {
                        Ok(_) => RecipientResult { recipient: r.clone(), reply: "250".into(), code: 250 },
                        Err((code, reply, _)) => {
                            RecipientResult { recipient: r.clone(), reply: reply.clone(), code: *code }
                        }
                    })
                    .collect(),
            },
        );
        (results, transfer.dsn_offered)
    }

    /// Queues a DSN of this kind to the sender for these recipients (never
    /// for a DSN: its sender is `<>`, RFC 5321 §4.5.5).
    fn notify(&mut self, kind: Kind, host: &str, e: &Entry, notices: &[Notice]) {
        let sender = e.envelope.mail_from.clone();
        if sender.is_empty() {
            return;
        }
        // MAILER-DAEMON@$myorigin: the host's first mail domain.
        let origin = self
            .smtp_config_mut(host, 25)
            .and_then(|c| c.directory.domains.first().cloned())
            .unwrap_or_else(|| host.to_string());
        let bounce_id = self.rng.queue_id();
        let data = dsn(&Bounce {
            kind,
            host,
            origin: &origin,
            queue_id: &e.envelope.queue_id,
            bounce_id: &bounce_id,
            sender: &sender,
            envid: e.envelope.dsn.envid.as_deref(),
            ret: e.envelope.dsn.ret,
            arrival: e.arrived,
            now: self.now,
            notices,
            original: &e.envelope.data,
            warn_after: self.delay_warning_time,
            lifetime: self.retry.lifetime,
        });
        self.events.push(Event::BounceQueued {
            at: self.now,
            host: host.into(),
            queue_id: e.envelope.queue_id.clone(),
            to: sender.clone(),
            bounce_id: bounce_id.clone(),
            kind,
        });
        let ip = self.dns.a(host).unwrap_or_default();
        let env = Envelope {
            queue_id: bounce_id,
            helo: None,
            mail_from: String::new(),
            mail_params: vec![],
            rcpt_to: vec![sender.clone()],
            dsn: Default::default(),
            rcpt_dsn: Vec::new(),
            data,
            tls: false,
            auth_user: None,
            client: Peer::new(Some(host), &ip),
            received_at: self.now,
        };
        self.queue.push(Entry {
            host: host.into(),
            pending: vec![sender],
            envelope: env,
            attempts: 0,
            arrived: self.now,
            next_attempt: self.now,
            last_error: Vec::new(),
            warn_at: None,
        });
    }
}

/// The enhanced status code in a reply's text (`550 5.1.1 …` → `5.1.1`).
fn status_of(reply: &str, default: &str) -> String {
    reply
        .split(' ')
        .nth(1)
        .filter(|w| {
            w.split('.').count() == 3 && w.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map_or_else(|| default.to_string(), str::to_string)
}

/// Every recipient of a hop whose dialogue broke off, with the reply Postfix logs for it.
fn protocol_error(rcpts: &[String], detail: &str) -> HopResults {
    rcpts.iter().map(|_| Err((421, format!("421 4.4.2 protocol error: {detail}"), Stage::Greeting))).collect()
}
