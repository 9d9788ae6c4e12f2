//! An MTA's mail queue on the simulated clock: what is waiting, for whom, and
//! when the next attempt is due. Retry timing follows Postfix's defaults
//! (RFC 5321 §4.5.4.1 asks for at least 30 minutes between retries of a
//! host; Postfix's `minimal_backoff_time` 300 s doubling up to
//! `maximal_backoff_time` 4000 s, and gives up after
//! `maximal_queue_lifetime`, 5 days).

use crate::sim::Timestamp;
use crate::smtp::Envelope;
use serde::{Deserialize, Serialize};

/// How long to wait and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub min_backoff: i64,
    pub max_backoff: i64,
    pub lifetime: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { min_backoff: 300, max_backoff: 4000, lifetime: 5 * 86_400 }
    }
}

impl RetryPolicy {
    /// The wait after the `attempts`-th failed attempt (1, 2, …): 300, 600,
    /// 1200, 2400, 4000, 4000, … seconds.
    pub fn backoff(&self, attempts: u32) -> i64 {
        let doubled = self.min_backoff.saturating_mul(1_i64 << attempts.saturating_sub(1).min(30));
        doubled.min(self.max_backoff).max(1)
    }
}

/// A message in a host's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The host whose queue holds it.
    pub host: String,
    /// The message as the host accepted it (its Received line prepended);
    /// `envelope.queue_id` names it.
    pub envelope: Envelope,
    /// Recipients not yet delivered or given up on.
    pub pending: Vec<String>,
    pub attempts: u32,
    pub arrived: Timestamp,
    pub next_attempt: Timestamp,
    /// Why the last attempt failed, per recipient, for the bounce if it expires.
    pub last_error: Vec<(String, String)>,
    /// When a delay notice is due if the message is still queued (Postfix's
    /// cleanup sets it at arrival when `delay_warning_time` > 0; qmgr sends
    /// the notice once, then clears it).
    #[serde(default)]
    pub warn_at: Option<Timestamp>,
}

/// All queued messages of the world, every host's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    entries: Vec<Entry>,
}

impl Queue {
    pub fn push(&mut self, e: Entry) {
        self.entries.push(e);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Takes the entry due soonest, if it is due at `now` (oldest first among equals).
    pub fn take_due(&mut self, now: Timestamp) -> Option<Entry> {
        let i = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.next_attempt <= now)
            .min_by_key(|(i, e)| (e.next_attempt, *i))
            .map(|(i, _)| i)?;
        Some(self.entries.remove(i))
    }

    /// When the next attempt of any entry is due.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.entries.iter().map(|e| e.next_attempt).min()
    }

    /// The entries of one host (`mailq`).
    pub fn of_host<'a>(&'a self, host: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.host.eq_ignore_ascii_case(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let p = RetryPolicy::default();
        let waits: Vec<i64> = (1..=7).map(|a| p.backoff(a)).collect();
        assert_eq!(waits, [300, 600, 1200, 2400, 4000, 4000, 4000]);
        assert_eq!(p.backoff(u32::MAX), 4000);
        assert_eq!(
            RetryPolicy { min_backoff: 0, max_backoff: 0, lifetime: 0 }.backoff(1),
            1,
            "never zero: no busy loop"
        );
    }
}
