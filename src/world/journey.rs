//! A message's journey as a diagram: the agents it passed (MUA, MSA, MTA,
//! DNS, MDA, mailbox — seed topic T14) and the steps between them, computed
//! from the event stream. The browser draws and animates it; it is plain
//! data here so it can be tested natively.

use super::events::Event;
use super::report::role;
use super::World;
use crate::lang::Lang;
use serde::Serialize;

/// What an agent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    /// The learner's mail client.
    Mua,
    /// The submission server (port 587/465).
    Msa,
    /// A transfer agent (port 25) and its queue.
    Mta,
    Dns,
    /// The delivery agent behind LMTP.
    Mda,
    /// A user's mailbox.
    Mailbox,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Mua => "MUA",
            Role::Msa => "MSA",
            Role::Mta => "MTA",
            Role::Dns => "DNS",
            Role::Mda => "MDA",
            Role::Mailbox => "Mailbox",
        }
    }
}

/// One agent in the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub role: Role,
    /// The host (or the mailbox address).
    pub name: String,
}

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Ok,
    /// A temporary failure (4xx): the message waits in the queue.
    Deferred,
    /// A permanent failure (5xx) or a refused connection.
    Failed,
    /// A lookup or a note: the message does not move.
    Info,
}

/// One step: the message (or a question) goes from one node to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The event it shows, an index into the world's events.
    pub event: usize,
    pub from: usize,
    pub to: usize,
    /// The protocol and port on the edge (`SMTP/587`, `LMTP`, `DNS`).
    pub label: String,
    pub status: Status,
    /// One line for the timeline, in English and in Russian.
    pub caption: String,
    pub caption_ru: String,
    /// True when the message itself moves (false for lookups and notes).
    pub moves: bool,
}

impl Step {
    /// The timeline's line in `lang` (English where no translation is kept).
    pub fn caption_in(&self, lang: Lang) -> &str {
        lang.pick(&self.caption, &self.caption_ru)
    }
}

/// The diagram of one journey.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Journey {
    pub nodes: Vec<Node>,
    pub steps: Vec<Step>,
}

impl Journey {
    fn node(&mut self, role: Role, name: &str) -> usize {
        if let Some(i) = self.nodes.iter().position(|n| n.role == role && n.name.eq_ignore_ascii_case(name)) {
            return i;
        }
        self.nodes.push(Node { role, name: name.to_string() });
        self.nodes.len() - 1
    }

    #[expect(clippy::too_many_arguments, reason = "one argument per column of a Step row, named at each call")]
    fn step(
        &mut self,
        event: usize,
        from: usize,
        to: usize,
        label: &str,
        status: Status,
        (caption, caption_ru): (String, String),
        moves: bool,
    ) {
        self.steps.push(Step { event, from, to, label: label.to_string(), status, caption, caption_ru, moves });
    }
}

fn role_of_port(port: u16) -> Role {
    match role(port) {
        "MSA" => Role::Msa,
        "MDA" => Role::Mda,
        _ => Role::Mta,
    }
}

/// Where the latest journey begins: the last event the learner's machine
/// started (a message submitted or typed into a server).
pub fn latest_start(events: &[Event]) -> usize {
    let learner = World::learner();
    let name = learner.name.unwrap_or_default();
    events
        .iter()
        .rposition(|e| match e {
            Event::Hop { from, .. } => *from == name,
            Event::Accepted { client, .. } => client.starts_with(&name),
            Event::ConnectFailed { from, .. } => *from == name,
            _ => false,
        })
        .map(|i| {
            // A hop from the client is followed by its acceptance: start at the hop.
            if i > 0 && matches!(&events[i - 1], Event::Hop { from, .. } if *from == name) {
                i - 1
            } else {
                i
            }
        })
        .unwrap_or(0)
}

/// The journey of the events from `start` on.
pub fn journey(events: &[Event], start: usize) -> Journey {
    let learner = World::learner().name.unwrap_or_default();
    let mut j = Journey::default();
    for (i, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Hop { from, to, port, protocol, results, .. } => {
                let a = if *from == learner { j.node(Role::Mua, from) } else { j.node(Role::Mta, from) };
                let b = j.node(role_of_port(*port), to);
                let worst = results.iter().map(|r| r.code).max().unwrap_or(250);
                let status = match worst {
                    0..=399 => Status::Ok,
                    400..=499 => Status::Deferred,
                    _ => Status::Failed,
                };
                let label = if *protocol == super::events::Protocol::Lmtp {
                    "LMTP".to_string()
                } else {
                    format!("{protocol}/{port}")
                };
                let outcome: Vec<String> = results.iter().map(|r| format!("{} {}", r.recipient, r.code)).collect();
                // The caption names each recipient's code; the edge's label
                // carries the worst one when the hop failed or was deferred.
                let caption = (
                    format!("{from} → {to} over {label}: {}", outcome.join(", ")),
                    format!("{from} → {to} по {label}: {}", outcome.join(", ")),
                );
                let label = if worst >= 400 { format!("{label} · {worst}") } else { label };
                j.step(i, a, b, &label, status, caption, true);
            }
            Event::Accepted { host, port, client, queue_id, .. } => {
                // Typed by hand (telnet): the client's dialogue was not a hop of its own.
                let typed = client.starts_with(&learner)
                    && !matches!(i.checked_sub(1).and_then(|p| events.get(p)), Some(Event::Hop { .. }));
                let mua = typed.then(|| j.node(Role::Mua, &learner));
                let here = j.node(role_of_port(*port), host);
                if let Some(mua) = mua {
                    j.step(
                        i,
                        mua,
                        here,
                        &format!("SMTP/{port}"),
                        Status::Ok,
                        (
                            format!("you → {host}:{port} (typed by hand): queued as {queue_id}"),
                            format!("вы → {host}:{port} (набрано вручную): в очереди как {queue_id}"),
                        ),
                        true,
                    );
                }
                if matches!(role_of_port(*port), Role::Msa) {
                    // The submission server hands the message to its MTA's queue.
                    let mta = j.node(Role::Mta, host);
                    j.step(
                        i,
                        here,
                        mta,
                        "queue",
                        Status::Ok,
                        (
                            format!("{host}: the MSA passes {queue_id} to the MTA's queue"),
                            format!("{host}: MSA передаёт {queue_id} в очередь MTA"),
                        ),
                        true,
                    );
                }
            }
            Event::DnsLookup { host, name, qtype, answers, .. } => {
                let mta = j.node(Role::Mta, host);
                let dns = j.node(Role::Dns, super::dns::Resolver::learner().ip.as_str());
                let ans = if answers.is_empty() { "no such domain".to_string() } else { answers.join(", ") };
                j.step(
                    i,
                    mta,
                    dns,
                    "DNS",
                    Status::Info,
                    (
                        format!("{host} asks DNS for the {qtype} of {name}: {ans}"),
                        format!("{host} спрашивает у DNS запись {qtype} для {name}: {ans}"),
                    ),
                    false,
                );
            }
            Event::ConnectFailed { from, to, port, reason, .. } => {
                let a = if *from == learner { j.node(Role::Mua, from) } else { j.node(Role::Mta, from) };
                let b = j.node(role_of_port(*port), to);
                j.step(
                    i,
                    a,
                    b,
                    &format!("TCP/{port}"),
                    Status::Failed,
                    (format!("{from} → {to}:{port}: {reason}"), format!("{from} → {to}:{port}: {reason}")),
                    false,
                );
            }
            Event::Delivered { host, mailbox, folder, uid, .. } => {
                let mda = j.node(Role::Mda, host);
                let bx = j.node(Role::Mailbox, mailbox);
                j.step(
                    i,
                    mda,
                    bx,
                    "store",
                    Status::Ok,
                    (
                        format!("{host} stores it in {mailbox}'s {folder} (UID {uid})"),
                        format!("{host} кладёт его в {folder} ящика {mailbox} (UID {uid})"),
                    ),
                    true,
                );
            }
            Event::Deferred { host, recipient, reason, .. } => {
                let mta = j.node(Role::Mta, host);
                j.step(
                    i,
                    mta,
                    mta,
                    "queue",
                    Status::Deferred,
                    (
                        format!("{host} keeps it queued for {recipient}: {reason}"),
                        format!("{host} оставляет его в очереди для {recipient}: {reason}"),
                    ),
                    false,
                );
            }
            Event::Failed { host, recipient, status, .. } => {
                let mta = j.node(Role::Mta, host);
                j.step(
                    i,
                    mta,
                    mta,
                    "bounce",
                    Status::Failed,
                    (
                        format!("{host} gives up on {recipient} ({status})"),
                        format!("{host} отказывается доставить {recipient} ({status})"),
                    ),
                    false,
                );
            }
            Event::BounceQueued { host, to, kind, .. } => {
                let mta = j.node(Role::Mta, host);
                let caption = match kind {
                    crate::smtp::dsn::Kind::Failure => (
                        format!("{host} writes a bounce (DSN) to {to} from MAILER-DAEMON"),
                        format!("{host} пишет отказ о недоставке (DSN) для {to} от MAILER-DAEMON"),
                    ),
                    crate::smtp::dsn::Kind::Success => (
                        format!("{host} writes a success notice (DSN) to {to} from MAILER-DAEMON"),
                        format!("{host} пишет уведомление о доставке (DSN) для {to} от MAILER-DAEMON"),
                    ),
                    crate::smtp::dsn::Kind::Delay => (
                        format!("{host} writes a delay warning (DSN) to {to} from MAILER-DAEMON"),
                        format!("{host} пишет предупреждение о задержке (DSN) для {to} от MAILER-DAEMON"),
                    ),
                };
                j.step(i, mta, mta, "DSN", Status::Info, caption, false);
            }
            Event::Retrieved { mailbox, protocol, port, uid, .. } => {
                let bx = j.node(Role::Mailbox, mailbox);
                let reader = j.node(Role::Mua, &format!("{mailbox}'s client"));
                let label = format!("{protocol}/{port}");
                j.step(
                    i,
                    bx,
                    reader,
                    &label,
                    Status::Ok,
                    (
                        format!("{mailbox}'s mail client reads it over {label} (UID {uid})"),
                        format!("почтовый клиент {mailbox} читает его по {label} (UID {uid})"),
                    ),
                    true,
                );
            }
            Event::Removed { .. } => {}
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::client::{ClientConfig, Outgoing};

    #[test]
    fn the_classic_journey_has_every_agent_of_t14() {
        let mut w = World::new(3);
        let mut cfg = ClientConfig::smtp("client.example.net");
        cfg.auth = Some(("alice".into(), "alicepw".into()));
        let msg = Outgoing {
            mail_from: "alice@example.com".into(),
            mail_params: vec![],
            rcpt_to: vec!["carol@example.org".into()],
            data: b"Subject: hi\r\n\r\nx\r\n".to_vec(),
        };
        assert!(w.send_from_client("mail.example.com", 587, cfg, msg));
        let j = journey(w.events(), latest_start(w.events()));
        let roles: Vec<(Role, &str)> = j.nodes.iter().map(|n| (n.role, n.name.as_str())).collect();
        assert_eq!(
            roles,
            [
                (Role::Mua, "client.example.net"),
                (Role::Msa, "mail.example.com"),
                (Role::Mta, "mail.example.com"),
                (Role::Dns, "192.0.2.53"),
                (Role::Mta, "mail.example.org"),
                (Role::Mda, "mail.example.org"),
                (Role::Mailbox, "carol@example.org"),
            ]
        );
        let labels: Vec<&str> = j.steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["SMTP/587", "queue", "DNS", "SMTP/25", "LMTP", "store"]);
        assert!(j.steps.iter().all(|s| s.status != Status::Failed));
    }

    #[test]
    fn a_telnet_session_starts_a_journey_too() {
        let mut w = World::new(3);
        let (mut c, _) = w.connect("mail.example.com", 25).expect("25");
        for l in [
            "HELO x",
            "MAIL FROM:<a@example.net>",
            "RCPT TO:<nobody@example.com>",
            "RCPT TO:<bob@example.com>",
            "DATA",
            "hi",
            ".",
        ] {
            w.send(&mut c, format!("{l}\r\n").as_bytes());
        }
        let j = journey(w.events(), latest_start(w.events()));
        let labels: Vec<&str> = j.steps.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["SMTP/25", "LMTP", "store"]);
        assert_eq!(j.nodes[0].role, Role::Mua);
    }
}
