//! The MTA's work (seed topic T14): a message a server accepted goes into its
//! host's queue with a `Received:` line; the queue manager routes each
//! recipient — local ones over LMTP to the host's MDA (RFC 2033), remote
//! ones to the lowest-preference MX that answers (RFC 5321 §5.1) over SMTP
//! port 25 — defers on 4xx, fails on 5xx, and bounces failures to the sender
//! with a DSN (RFC 3464). Every hop is a dialogue between two engines,
//! recorded as an event.

use super::bounce::{dsn, Bounce, Failure};
use super::dns::RrType;
use super::events::{Event, Protocol, RecipientResult};
use super::headers::{complete_submission, hop_count, received_postfix};
use super::queue::Entry;
use super::{ConnectError, World};
use crate::directory::Lookup;
use crate::reply::Reply;
use crate::smtp::client::{ClientConfig, Outcome, Outgoing, Stage};
use crate::smtp::{Envelope, Peer};

/// The smart host of the `smart_host` switch, and the MTA that uses it.
const SMART_HOST: &str = "relay.example.net";
const SMART_HOST_CLIENT: &str = "mail.example.com";

/// Postfix's `hopcount_limit`: more Received lines than this is a mail loop.
const HOP_LIMIT: usize = 50;
/// At most this many queue runs per call, so nothing can spin forever.
const MAX_RUNS: usize = 10_000;

/// What became of one recipient in one attempt.
enum Verdict {
    Done,
    Defer(String),
    Fail(Failure),
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
        let results = self.hop(&learner, host, port, Protocol::Smtp, cfg, msg);
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
                let f = Failure {
                    recipient: r.clone(),
                    status: "5.4.6".into(),
                    remote: None,
                    diagnostic: "mail forwarding loop".into(),
                    in_reply_to: None,
                };
                verdicts.push((r.clone(), Verdict::Fail(f)));
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
                let f = Failure {
                    recipient: r.clone(),
                    status: "5.1.3".into(),
                    remote: None,
                    diagnostic: "bad address syntax".into(),
                    in_reply_to: None,
                };
                verdicts.push((r.clone(), Verdict::Fail(f)));
            }
        }
        e.attempts += 1;
        let expired = self.now - e.arrived >= self.retry.lifetime;
        let mut pending = Vec::new();
        let mut failures = Vec::new();
        e.last_error.clear();
        for (rcpt, v) in verdicts {
            match v {
                Verdict::Done => {}
                Verdict::Defer(reason) if expired => failures.push(Failure {
                    recipient: rcpt.clone(),
                    status: "4.4.7".into(),
                    remote: None,
                    diagnostic: format!("delivery temporarily suspended: {reason}"),
                    in_reply_to: None,
                }),
                Verdict::Defer(reason) => {
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
                Verdict::Fail(f) => failures.push(f),
            }
        }
        for f in &failures {
            self.events.push(Event::Failed {
                at: self.now,
                host: host.clone(),
                queue_id: qid.clone(),
                recipient: f.recipient.clone(),
                status: f.status.clone(),
                reason: f.diagnostic.clone(),
            });
        }
        if !failures.is_empty() {
            self.bounce(&host, &e, &failures);
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
                _ => out.push((
                    r.clone(),
                    Verdict::Fail(Failure {
                        recipient: r.clone(),
                        status: "5.1.1".into(),
                        remote: None,
                        diagnostic: "unknown user".into(),
                        in_reply_to: None,
                    }),
                )),
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
        let results = self.hop(host, host, 24, Protocol::Lmtp, ClientConfig::lmtp(host), msg);
        for (i, (orig, addr)) in targets.iter().enumerate() {
            let v = match results.get(i) {
                Some(Ok(())) => Verdict::Done,
                Some(Err((code, reply, stage))) if *code >= 500 => Verdict::Fail(Failure {
                    recipient: addr.clone(),
                    status: status_of(reply, "5.0.0"),
                    remote: Some((host.to_string(), "127.0.0.1".into())),
                    diagnostic: reply.clone(),
                    in_reply_to: Some(stage.command().into()),
                }),
                Some(Err((_, reply, _))) => Verdict::Defer(reply.clone()),
                None => Verdict::Defer("lost connection with the MDA".into()),
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
            return rcpts
                .iter()
                .map(|r| {
                    (
                        r.clone(),
                        Verdict::Fail(Failure {
                            recipient: r.clone(),
                            status: "5.4.4".into(),
                            remote: None,
                            diagnostic: diag.clone(),
                            in_reply_to: None,
                        }),
                    )
                })
                .collect();
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
            let results = self.hop(host, &exchanger, 25, Protocol::Smtp, ClientConfig::smtp(host), msg);
            if results.is_empty() {
                let ip = self.dns.a(&exchanger).unwrap_or_default();
                last = format!("connect to {exchanger}[{ip}]:25: Connection refused");
                continue;
            }
            let ip = self.dns.a(&exchanger).unwrap_or_default();
            return rcpts
                .iter()
                .zip(results)
                .map(|(r, res)| {
                    let v = match res {
                        Ok(()) => Verdict::Done,
                        Err((code, reply, stage)) if code >= 500 => Verdict::Fail(Failure {
                            recipient: r.clone(),
                            status: status_of(&reply, "5.0.0"),
                            remote: Some((exchanger.clone(), ip.clone())),
                            diagnostic: reply,
                            in_reply_to: Some(stage.command().into()),
                        }),
                        Err((_, reply, stage)) => Verdict::Defer(format!(
                            "host {exchanger}[{ip}] said: {reply} (in reply to {} command)",
                            stage.command()
                        )),
                    };
                    (r.clone(), v)
                })
                .collect();
        }
        rcpts.iter().map(|r| (r.clone(), Verdict::Defer(last.clone()))).collect()
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
    ) -> Vec<Result<(), (u16, String, Stage)>> {
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
                return Vec::new();
            }
        };
        self.last_outcome = transfer.outcome.clone();
        let wire = |r: &Reply| r.wire_lines().join(" ");
        let results: Vec<Result<(), (u16, String, Stage)>> = match &transfer.outcome {
            Some(Outcome::Done { recipients, stages }) => rcpts
                .iter()
                .map(|r| match recipients.iter().position(|(x, _)| x == r) {
                    Some(i) if recipients[i].1.code / 100 == 2 => Ok(()),
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
                        Ok(()) => RecipientResult { recipient: r.clone(), reply: "250".into(), code: 250 },
                        Err((code, reply, _)) => {
                            RecipientResult { recipient: r.clone(), reply: reply.clone(), code: *code }
                        }
                    })
                    .collect(),
            },
        );
        results
    }

    /// Queues a DSN to the sender for the failed recipients (never for a
    /// bounce: its sender is `<>`, RFC 5321 §4.5.5).
    fn bounce(&mut self, host: &str, e: &Entry, failures: &[Failure]) {
        let sender = e.envelope.mail_from.clone();
        if sender.is_empty() {
            return;
        }
        let bounce_id = self.rng.queue_id();
        let data = dsn(&Bounce {
            host,
            queue_id: &e.envelope.queue_id,
            sender: &sender,
            arrival: e.arrived,
            now: self.now,
            failures,
            original: &e.envelope.data,
        });
        self.events.push(Event::BounceQueued {
            at: self.now,
            host: host.into(),
            queue_id: e.envelope.queue_id.clone(),
            to: sender.clone(),
            bounce_id: bounce_id.clone(),
        });
        let ip = self.dns.a(host).unwrap_or_default();
        let env = Envelope {
            queue_id: bounce_id,
            helo: None,
            mail_from: String::new(),
            mail_params: vec![],
            rcpt_to: vec![sender.clone()],
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
fn protocol_error(rcpts: &[String], detail: &str) -> Vec<Result<(), (u16, String, Stage)>> {
    rcpts.iter().map(|_| Err((421, format!("421 4.4.2 protocol error: {detail}"), Stage::Greeting))).collect()
}
