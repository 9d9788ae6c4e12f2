//! Mailbox commands of the Authenticated state (RFC 3501 §6.3): CREATE,
//! DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB and STATUS, with
//! Dovecot 2.3's texts and response codes (tests/transcripts/imap/folders.txt).

use super::super::listext::{ListOptions, STATUS_ITEMS};
use super::super::parser::mailbox_name;
use super::Ctx;
use crate::store::{same_folder, Flag, Folder};

/// CREATE (RFC 3501 §6.3.3); a trailing separator is dropped.
/// Dovecot's Maildir++ cannot hold `/` in a name: CREATE, DELETE and RENAME
/// refuse it before anything else (tests/transcripts/imap/hierarchy.txt).
fn slash_refused(ctx: &mut Ctx, names: &[&str]) -> bool {
    let slash = names.iter().any(|n| n.contains('/'));
    if slash {
        ctx.no("[CANNOT] Invalid mailbox name: Name must not have '/' characters");
    }
    slash
}

pub(in crate::imap) fn create(ctx: &mut Ctx, name: &str) {
    if slash_refused(ctx, &[name]) {
        return;
    }
    // `CREATE ""` (imap/syntax-more.txt).
    if name.is_empty() {
        ctx.no("[CANNOT] Invalid mailbox name: Name is empty");
        return;
    }
    let name = name.trim_end_matches('.');
    match ctx.store.create_folder(ctx.user, name, ctx.now) {
        Ok(()) => ctx.ok("Create completed"),
        Err(_) => ctx.no("[ALREADYEXISTS] Mailbox already exists"),
    }
}

/// DELETE (RFC 3501 §6.3.4).
pub(in crate::imap) fn delete(ctx: &mut Ctx, name: &str) {
    if slash_refused(ctx, &[name]) {
        return;
    }
    if name == "INBOX" {
        ctx.no("INBOX can't be deleted");
        return;
    }
    match ctx.store.delete_folder(ctx.user, name) {
        Ok(()) => ctx.ok("Delete completed"),
        Err(_) => ctx.no(&format!("[NONEXISTENT] Mailbox doesn't exist: {name}")),
    }
}

/// RENAME (RFC 3501 §6.3.5); Dovecot does not rename INBOX.
/// Renaming a mailbox to its own name is refused before Dovecot looks
/// whether it exists, INBOX included (`RENAME Nowhere Nowhere`,
/// `RENAME INBOX inbox`: tests/transcripts/imap/mailbox-names.txt); other
/// names are case-sensitive, so `RENAME Work work` renames.
pub(in crate::imap) fn rename(ctx: &mut Ctx, from: &str, to: &str) {
    if slash_refused(ctx, &[from, to]) {
        return;
    }
    if same_folder(from, to) {
        ctx.no("[ALREADYEXISTS] Can't rename mailbox to itself");
        return;
    }
    if from == "INBOX" {
        ctx.no("[CANNOT] Renaming INBOX isn't supported");
        return;
    }
    match ctx.store.rename_folder(ctx.user, from, to) {
        Ok(()) => ctx.ok("Rename completed"),
        // Dovecot 2.3's Maildir++ says the source is missing when the target
        // exists (hierarchy.txt: RENAME Sent Trash), not ALREADYEXISTS.
        Err(_) => ctx.no(&format!("[NONEXISTENT] Mailbox doesn't exist: {from}")),
    }
}

/// SUBSCRIBE, UNSUBSCRIBE (RFC 3501 §6.3.6, §6.3.7).
pub(in crate::imap) fn subscribe(ctx: &mut Ctx, name: &str, on: bool) {
    match (ctx.store.set_subscribed(ctx.user, name, on), on) {
        (Ok(()), true) => ctx.ok("Subscribe completed"),
        (Err(_), true) => ctx.no(&format!("Mailbox doesn't exist: {name}")),
        (_, false) => ctx.ok("Unsubscribe completed"),
    }
}

/// True when `name` matches a LIST pattern (RFC 3501 §6.3.8: `*` anything,
/// `%` anything but the hierarchy separator `.`). Dynamic programming:
/// O(pattern × name), whatever the wildcards.
pub fn pattern_matches(p: &[u8], n: &[u8]) -> bool {
    // ok[j]: the pattern read so far matches the first j bytes of the name.
    let mut ok = vec![false; n.len() + 1];
    ok[0] = true;
    for &pc in p {
        let mut next = vec![false; n.len() + 1];
        match pc {
            b'*' | b'%' => {
                for j in 0..=n.len() {
                    next[j] = ok[j] || (j > 0 && next[j - 1] && (pc == b'*' || n[j - 1] != b'.'));
                }
            }
            c => {
                for j in 1..=n.len() {
                    next[j] = ok[j - 1] && n[j - 1] == c;
                }
            }
        }
        ok = next;
    }
    ok[n.len()]
}

/// LIST, LSUB (RFC 3501 §6.3.8, §6.3.9), with Dovecot's CHILDREN and
/// SPECIAL-USE attributes. Order: folders made by the user (a parent
/// implied by `a.b` first, `\Noselect`), then Drafts, Sent, Trash, INBOX.
/// An extended LIST (RFC 5258, `extended`) shows the attributes its options
/// ask for, `\NonExistent` parents, and with RETURN (STATUS ...) a STATUS
/// response after each mailbox that exists (RFC 5819).
pub(in crate::imap) fn list(
    ctx: &mut Ctx,
    reference: &[u8],
    patterns: &[Vec<u8>],
    lsub: bool,
    extended: Option<&ListOptions>,
) {
    let verb = if lsub { "LSUB" } else { "LIST" };
    if extended.is_none() && !lsub && patterns.iter().all(Vec::is_empty) {
        ctx.out.push("* LIST (\\Noselect) \".\" \"\"");
        ctx.ok("List completed");
        return;
    }
    let fulls: Vec<Vec<u8>> = patterns.iter().map(|p| [reference, p.as_slice()].concat()).collect();
    let folders = ctx.store.folders(ctx.user).map(|f| f.to_vec()).unwrap_or_default();
    let special = |n: &str| match n {
        "Drafts" => Some("\\Drafts"),
        "Sent" => Some("\\Sent"),
        "Trash" => Some("\\Trash"),
        _ => None,
    };
    let mut names: Vec<(String, bool)> = Vec::new(); // (name, exists)
    let is_default = |n: &str| crate::store::DEFAULT_FOLDERS.contains(&n);
    for f in folders.iter().filter(|f| !is_default(&f.name)) {
        let parts: Vec<&str> = f.name.split('.').collect();
        for k in 1..parts.len() {
            let parent = parts[..k].join(".");
            if !folders.iter().any(|x| x.name == parent) && !names.iter().any(|(n, _)| *n == parent) {
                names.push((parent, false));
            }
        }
        names.push((f.name.clone(), true));
    }
    for d in ["Drafts", "Sent", "Trash", "INBOX"] {
        if folders.iter().any(|f| f.name == d) {
            names.push((d.to_string(), true));
        }
    }
    for (n, exists) in names {
        let matches = |full: &Vec<u8>| {
            (n == "INBOX" && pattern_matches(&full.to_ascii_uppercase(), b"INBOX"))
                || pattern_matches(full, n.as_bytes())
        };
        if !fulls.iter().any(matches) {
            continue;
        }
        let prefix = format!("{n}.");
        let children = folders.iter().any(|f| f.name.starts_with(&prefix));
        let subscribed = folders.iter().any(|f| f.name == n && f.subscribed);
        let mut attrs: Vec<&str> = Vec::new();
        match extended {
            _ if lsub => {
                if !subscribed {
                    continue;
                }
                attrs.extend(special(&n));
            }
            None => {
                if !exists {
                    attrs.push("\\Noselect");
                }
                attrs.push(if children { "\\HasChildren" } else { "\\HasNoChildren" });
                attrs.extend(special(&n));
            }
            Some(o) => {
                if (o.subscribed && !subscribed) || (o.special_use && special(&n).is_none()) {
                    continue;
                }
                if !exists {
                    attrs.push("\\NonExistent");
                }
                if subscribed && (o.subscribed || o.ret_subscribed) {
                    attrs.push("\\Subscribed");
                }
                if o.children {
                    attrs.push(if children { "\\HasChildren" } else { "\\HasNoChildren" });
                }
                if o.special_use || o.ret_special_use {
                    attrs.extend(special(&n));
                }
            }
        }
        ctx.out.push(format!("* {verb} ({}) \".\" {}", attrs.join(" "), mailbox_name(&n)));
        if let (Some(items), true) = (extended.and_then(|o| o.status.as_ref()), exists) {
            if let Ok(f) = ctx.store.folder(ctx.user, &n) {
                let line = status_line(&f.name, f, items);
                ctx.out.push(line);
            }
        }
    }
    ctx.ok(if lsub { "Lsub completed" } else { "List completed" });
}

/// STATUS (RFC 3501 §6.3.10). On the selected mailbox (`selected`) Dovecot
/// answers, and tags its OK `[CLIENTBUG]` (status-selected.txt). The
/// response names the mailbox as the client spelled it (`STATUS inbox` gives
/// `* STATUS inbox (...)`: tests/transcripts/imap/mailbox-names.txt).
pub(in crate::imap) fn status(ctx: &mut Ctx, name: &str, shown: &str, items: &[String], selected: Option<&str>) {
    let Ok(f) = ctx.store.folder(ctx.user, name) else {
        ctx.no(&format!("Mailbox doesn't exist: {name}"));
        return;
    };
    let line = status_line(shown, f, items);
    let on_selected = selected == Some(f.name.as_str());
    ctx.out.push(line);
    ctx.ok(if on_selected { "[CLIENTBUG] Status on selected mailbox completed" } else { "Status completed" });
}

/// The STATUS response of a folder, items in Dovecot's order, whatever the
/// request's (copy-move.txt), under the name `shown`.
fn status_line(shown: &str, f: &Folder, items: &[String]) -> String {
    let mut items = items.to_vec();
    items.sort_by_key(|i| STATUS_ITEMS.iter().position(|o| o == i));
    items.dedup();
    let values: Vec<String> = items
        .iter()
        .map(|i| {
            let v = match i.as_str() {
                "MESSAGES" => f.messages().len() as u64,
                "RECENT" => f.recent_uids().count() as u64,
                "UIDNEXT" => u64::from(f.uid_next),
                "UIDVALIDITY" => u64::from(f.uid_validity),
                "UNSEEN" => f.messages().iter().filter(|m| !m.flags.contains(Flag::Seen)).count() as u64,
                _ => f.messages().iter().map(|m| m.size() as u64).sum(),
            };
            format!("{i} {v}")
        })
        .collect();
    format!("* STATUS {} ({})", mailbox_name(shown), values.join(" "))
}

#[cfg(test)]
mod tests {
    use super::pattern_matches;

    #[test]
    fn list_patterns() {
        assert!(
            pattern_matches(b"*", b"Lists.Rust")
                && pattern_matches(b"%", b"Lists")
                && !pattern_matches(b"%", b"Lists.Rust")
        );
        assert!(
            pattern_matches(b"Lists.%", b"Lists.Rust")
                && pattern_matches(b"L*", b"Lists.Rust")
                && !pattern_matches(b"S*", b"INBOX")
        );
        assert!(pattern_matches(b"", b"") && !pattern_matches(b"", b"x"));
        // Hostile patterns stay fast.
        let p = "*a".repeat(2000);
        assert!(!pattern_matches(p.as_bytes(), "a".repeat(1999).as_bytes()));
    }
}
