//! The event stream as a hop-by-hop log for people (`mailsim trace`, and the
//! browser's timeline): times, agents, protocols and ports, each hop's
//! dialogue, and what became of each recipient.

use super::events::Event;
use crate::sim::Timestamp;
use crate::smtp::client::Said;

/// `09:00:00`, the time of day on the simulated clock (UTC), with the day
/// added when it is not the first one.
fn clock(t: Timestamp, start: Timestamp) -> String {
    let day = t.div_euclid(86_400) - start.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    let hms = format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
    if day > 0 {
        format!("+{day}d {hms}")
    } else {
        hms
    }
}

/// The role a host's service plays on a port (seed topic T14).
pub fn role(port: u16) -> &'static str {
    match port {
        587 | 465 => "MSA",
        24 => "MDA",
        _ => "MTA",
    }
}

/// Renders events as lines; `transcripts` includes each hop's dialogue.
pub fn render(events: &[Event], transcripts: bool) -> Vec<String> {
    let start = events.first().map_or(0, Event::at);
    let mut out = Vec::new();
    for e in events {
        let t = clock(e.at(), start);
        match e {
            Event::Accepted { host, port, queue_id, from, to, client, .. } => {
                let from = if from.is_empty() { "<>" } else { from };
                out.push(format!("{t}  {host} ({} on port {port}) accepted mail from {from} for {} from {client}, queue id {queue_id}", role(*port), to.join(", ")));
            }
            Event::DnsLookup { host, name, qtype, answers, .. } => {
                let ans = if answers.is_empty() { "no answer".to_string() } else { answers.join(", ") };
                out.push(format!("{t}  {host} asks DNS: {qtype} {name}? → {ans}"));
            }
            Event::Hop { from, to, port, protocol, transcript, results, .. } => {
                out.push(format!("{t}  {protocol} {from} → {to}:{port} ({})", role(*port)));
                if transcripts {
                    for s in transcript {
                        out.push(match s {
                            Said::Client(l) => format!("            C: {l}"),
                            Said::Server(l) => format!("            S: {l}"),
                        });
                    }
                }
                for r in results {
                    out.push(format!(
                        "            {}: {}",
                        r.recipient,
                        if r.code == 250 { "accepted".to_string() } else { r.reply.clone() }
                    ));
                }
            }
            Event::ConnectFailed { from, to, port, reason, .. } => {
                out.push(format!("{t}  {from} → {to}:{port}: {reason}"))
            }
            Event::Delivered { host, mailbox, folder, uid, .. } => {
                out.push(format!("{t}  {host} (MDA) stored the message in {mailbox}'s {folder} (UID {uid})"));
            }
            Event::Deferred { host, queue_id, recipient, reason, retry_at, .. } => {
                out.push(format!(
                    "{t}  {host} deferred {queue_id} for {recipient}: {reason}; next try at {}",
                    clock(*retry_at, start)
                ));
            }
            Event::Failed { host, queue_id, recipient, status, reason, .. } => {
                out.push(format!("{t}  {host} gave up on {recipient} ({queue_id}): {status} {reason}"));
            }
            Event::BounceQueued { host, to, bounce_id, kind, .. } => {
                let what = match kind {
                    crate::smtp::dsn::Kind::Failure => "a bounce",
                    crate::smtp::dsn::Kind::Success => "a success notice",
                    crate::smtp::dsn::Kind::Delay => "a delay warning",
                };
                out.push(format!("{t}  {host} queued {what} (DSN) {bounce_id} for {to} from MAILER-DAEMON"));
            }
            Event::Removed { host, queue_id, .. } => out.push(format!("{t}  {host} removed {queue_id} from its queue")),
            Event::Retrieved { host, mailbox, protocol, port, uid, .. } => {
                out.push(format!("{t}  {mailbox}'s mail client read UID {uid} from {host} over {protocol}/{port}"));
            }
        }
    }
    out
}

/// The queues as Postfix's `mailq` prints them, one block per server.
pub fn mailq(world: &super::World) -> Vec<String> {
    let entries = world.queue().entries();
    if entries.is_empty() {
        return vec!["Mail queue is empty".into()];
    }
    let mut hosts: Vec<&str> = entries.iter().map(|e| e.host.as_str()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    let mut out = Vec::new();
    for host in hosts {
        out.push(format!("{host}:"));
        out.push("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------".into());
        let mine: Vec<_> = world.queue().of_host(host).collect();
        let mut bytes = 0;
        for e in &mine {
            let size = e.envelope.data.len();
            bytes += size;
            let date = crate::sim::rfc5322_date(e.arrived);
            // "Mon, 16 Nov 2026 09:00:00 +0000" → "Mon Nov 16 09:00:00"
            let p: Vec<&str> = date.split(' ').collect();
            let when = match p.as_slice() {
                [wd, d, m, _, t, _] => format!("{} {m} {d} {t}", wd.trim_end_matches(',')),
                _ => date.clone(),
            };
            let from = if e.envelope.mail_from.is_empty() { "MAILER-DAEMON" } else { &e.envelope.mail_from };
            out.push(format!("{:<10}  {size:>8} {when}  {from}", e.envelope.queue_id));
            for r in &e.pending {
                if let Some((_, why)) = e.last_error.iter().find(|(x, _)| x == r) {
                    out.push(format!("{:>31}({why})", ""));
                }
                out.push(format!("{:>41}{r}", ""));
            }
            out.push(String::new());
        }
        out.push(format!(
            "-- {} Kbytes in {} Request{}.",
            bytes.div_ceil(1024),
            mine.len(),
            if mine.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_days_after_the_first() {
        assert_eq!(clock(1_794_819_600, 1_794_819_600), "09:00:00");
        assert_eq!(clock(1_794_819_600 + 86_400 + 61, 1_794_819_600), "+1d 09:01:01");
    }
}
