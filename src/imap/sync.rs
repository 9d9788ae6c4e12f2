//! The selected mailbox as a session sees it, and how it catches up with the
//! store (RFC 3501 §5.2, §7.3.1, §7.4.1).
//!
//! The view holds message numbers, flags and `\Recent` as this session last
//! reported them. After a command, and on a poll while idling, [`sync`]
//! compares it with the store and reports the differences as EXPUNGE,
//! FETCH FLAGS, EXISTS and RECENT, so that two sessions on one mailbox see
//! each other's changes, in Dovecot's order.

use super::parser::{bad, Parsed, SeqSet, Syntax};
use super::session::Output;
use crate::store::{Flag, Flags, MailStore};
use std::collections::BTreeSet;

/// The system flags in the order Dovecot lists them.
const FLAG_ORDER: [Flag; 5] = [Flag::Answered, Flag::Flagged, Flag::Deleted, Flag::Seen, Flag::Draft];

/// One message as last reported: UID, flags, keywords.
pub(super) type Seen = (u32, Flags, BTreeSet<String>);

/// The selected mailbox as this session knows it (RFC 3501 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Selected {
    /// The folder's name in the store.
    pub name: String,
    /// EXAMINE (RFC 3501 §6.3.2).
    pub read_only: bool,
    /// Message number i+1, with its flags as last reported.
    pub msgs: Vec<Seen>,
    /// UIDs this session reports as `\Recent` (§2.3.2).
    pub recent: BTreeSet<u32>,
    /// The folder's keywords as last announced in `* FLAGS`.
    pub keywords: Vec<String>,
}

impl Selected {
    /// A message's flags as a FETCH shows them.
    pub(super) fn flags_text(&self, uid: u32, flags: Flags, kws: &BTreeSet<String>) -> String {
        flags_text(&self.keywords, &self.recent, &(uid, flags, kws.clone()))
    }

    /// The flags of `* FLAGS` and PERMANENTFLAGS: system flags, then keywords.
    pub(super) fn flag_list(&self) -> String {
        let mut v: Vec<&str> = FLAG_ORDER.iter().map(|f| f.name()).collect();
        v.extend(self.keywords.iter().map(String::as_str));
        v.join(" ")
    }

    /// The largest UID in the view, the value of `*` in a UID set.
    pub(super) fn max_uid(&self) -> u32 {
        self.msgs.last().map_or(0, |m| m.0)
    }

    /// The message numbers (1-based) a set names; UID sets skip missing
    /// UIDs, number sets beyond the mailbox are an error (as in Dovecot).
    pub(super) fn resolve(&self, set: &SeqSet, uid: bool) -> Parsed<Vec<usize>> {
        let n = self.msgs.len() as u32;
        if uid {
            let max_uid = self.max_uid();
            return Ok(self
                .msgs
                .iter()
                .enumerate()
                .filter(|(_, m)| set.contains(m.0, max_uid))
                .map(|(i, _)| i + 1)
                .collect());
        }
        if set.max_number() > n || (n == 0 && !set.0.is_empty()) {
            return bad(Syntax::InvalidMessageset);
        }
        Ok((1..=n).filter(|&i| set.contains(i, n)).map(|i| i as usize).collect())
    }
}

/// Flags as a FETCH shows them: system flags, `\Recent`, then keywords in
/// the folder's order, unknown ones last.
fn flags_text(keywords: &[String], recent: &BTreeSet<u32>, m: &Seen) -> String {
    let (uid, flags, kws) = m;
    let mut v: Vec<String> = FLAG_ORDER.iter().filter(|f| flags.contains(**f)).map(|f| f.name().to_string()).collect();
    if recent.contains(uid) {
        v.push("\\Recent".into());
    }
    let mut ordered: Vec<&String> = keywords.iter().filter(|k| kws.contains(*k)).collect();
    ordered.extend(kws.iter().filter(|k| !keywords.contains(k)));
    v.extend(ordered.into_iter().cloned());
    v.join(" ")
}

/// Brings the view up to date with the store and reports the differences
/// (RFC 3501 §7.4.1, §7.3.1, §7.3.2). Expunges are held back after FETCH,
/// STORE and SEARCH (`expunges` false), as §7.4.1 requires.
pub(super) fn sync(sel: &mut Selected, user: &str, store: &mut MailStore, out: &mut Output, expunges: bool) {
    let Ok(folder) = store.folder(user, &sel.name) else { return };
    let live: Vec<Seen> = folder.messages().iter().map(|m| (m.uid, m.flags, m.keywords.clone())).collect();
    let recent_before = sel.recent.len();
    sync_keywords(sel, store, user, out);
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
                let text = flags_text(&sel.keywords, &sel.recent, m);
                out.push(format!("* {} FETCH (FLAGS ({text}))", i + 1));
            }
        }
    }
    let last = sel.max_uid();
    let new: Vec<_> = live.iter().filter(|m| m.0 > last).cloned().collect();
    let had_new = !new.is_empty();
    if had_new {
        let from =
            if sel.read_only { folder.recent_from } else { store.claim_recent(user, &sel.name).unwrap_or(u32::MAX) };
        sel.recent.extend(new.iter().map(|m| m.0).filter(|&u| u >= from));
        sel.msgs.extend(new);
        out.push(format!("* {} EXISTS", sel.msgs.len()));
    }
    if sel.recent.len() != recent_before || had_new {
        out.push(format!("* {} RECENT", sel.recent.len()));
    }
}

/// Announces keywords new to the folder: `* FLAGS` and, read-write, PERMANENTFLAGS.
pub(super) fn sync_keywords(sel: &mut Selected, store: &MailStore, user: &str, out: &mut Output) {
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
