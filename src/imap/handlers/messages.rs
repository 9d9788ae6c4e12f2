//! Commands on the messages of the selected mailbox: FETCH (RFC 3501
//! §6.4.5), STORE (§6.4.6), SEARCH (§6.4.4) with ESEARCH's RETURN (RFC 4731),
//! SORT (RFC 5256), and their UID forms (§6.4.8).

use super::super::command::StoreOp;
use super::super::fetch::{self, Item};
use super::super::parser::{Fail, SeqSet};
use super::super::search::{self, Candidate, Key, Return};
use super::super::session::Event;
use super::super::sort::{self, SortKey};
use super::super::sync::{sync, sync_keywords, Selected};
use super::copy::uid_set;
use super::{Ctx, Done};
use crate::store::{Flag, Flags, Message};
use std::collections::BTreeSet;

/// FETCH: the items of each message; a body section read sets `\Seen`
/// in a read-write mailbox and shows the new flags.
pub(in crate::imap) fn fetch(sel: &mut Selected, ctx: &mut Ctx, set: &SeqSet, items: &[Item], uid: bool) -> Done {
    let nums = sel.resolve(set, uid)?;
    let sets_seen = !sel.read_only && items.iter().any(Item::sets_seen);
    let reads_body = items.iter().any(|i| matches!(i, Item::Section(_)));
    let asked_flags = items.contains(&Item::Flags);
    for n in nums {
        let Some((muid, _, _)) = sel.msgs.get(n - 1).cloned() else { continue };
        let Some(msg) = ctx.store.get(ctx.user, &sel.name, muid).cloned() else { continue };
        let mut shown = items.to_vec();
        let (mut flags, kws) = (msg.flags, msg.keywords.clone());
        if sets_seen && !flags.contains(Flag::Seen) {
            flags.insert(Flag::Seen);
            ctx.store.update_flags(ctx.user, &sel.name, muid, flags, kws.clone()).map_err(Fail::Store)?;
            if !asked_flags {
                shown.insert(usize::from(uid), Item::Flags);
            }
        }
        if let Some(m) = sel.msgs.get_mut(n - 1) {
            if shown.contains(&Item::Flags) {
                *m = (muid, flags, kws.clone());
            }
        }
        let text = sel.flags_text(muid, flags, &kws);
        ctx.out.push(fetch::render(&shown, &msg, &fetch::Context { seq: n as u32, flags: &text }));
        if reads_body {
            ctx.out.events.push(Event::Retrieved { user: ctx.user.to_string(), folder: sel.name.clone(), uid: muid });
        }
    }
    sync(sel, ctx.user, ctx.store, ctx.out, uid);
    ctx.ok("Fetch completed");
    Ok(())
}

/// What STORE asks for.
pub(in crate::imap) struct Change<'a> {
    pub op: StoreOp,
    pub silent: bool,
    pub flags: Flags,
    pub keywords: &'a [String],
}

/// STORE: changes the flags, shows each message's new ones unless SILENT;
/// keywords new to the folder are announced first.
pub(in crate::imap) fn store(sel: &mut Selected, ctx: &mut Ctx, set: &SeqSet, change: Change, uid: bool) -> Done {
    let Change { op, silent, flags, keywords: kws } = change;
    let nums = sel.resolve(set, uid)?;
    if sel.read_only {
        ctx.ok("Store ignored with read-only mailbox");
        return Ok(());
    }
    if op != StoreOp::Remove && !kws.is_empty() {
        ctx.store.define_keywords(ctx.user, &sel.name, kws).map_err(Fail::Store)?;
    }
    sync_keywords(sel, ctx.store, ctx.user, ctx.out);
    for n in nums {
        let Some((muid, _, _)) = sel.msgs.get(n - 1).cloned() else { continue };
        let Some(msg) = ctx.store.get(ctx.user, &sel.name, muid) else { continue };
        let (old_f, old_k) = (msg.flags, msg.keywords.clone());
        let (new_f, new_k): (Flags, BTreeSet<String>) = match op {
            StoreOp::Replace => (flags, kws.iter().cloned().collect()),
            StoreOp::Add => (
                Flag::ALL.into_iter().filter(|f| old_f.contains(*f) || flags.contains(*f)).collect(),
                old_k.iter().chain(kws.iter()).cloned().collect(),
            ),
            StoreOp::Remove => (
                Flag::ALL.into_iter().filter(|f| old_f.contains(*f) && !flags.contains(*f)).collect(),
                old_k.iter().filter(|k| !kws.iter().any(|x| x.eq_ignore_ascii_case(k))).cloned().collect(),
            ),
        };
        if (new_f, &new_k) == (old_f, &old_k) {
            continue;
        }
        ctx.store.update_flags(ctx.user, &sel.name, muid, new_f, new_k.clone()).map_err(Fail::Store)?;
        if let Some(m) = sel.msgs.get_mut(n - 1) {
            *m = (muid, new_f, new_k.clone());
        }
        if !silent {
            let text = sel.flags_text(muid, new_f, &new_k);
            let uid_part = if uid { format!("UID {muid} ") } else { String::new() };
            ctx.out.push(format!("* {n} FETCH ({uid_part}FLAGS ({text}))"));
        }
    }
    sync(sel, ctx.user, ctx.store, ctx.out, uid);
    ctx.ok("Store completed");
    Ok(())
}

/// The messages of the view that match `key`: (message number, UID).
fn matching(sel: &Selected, ctx: &Ctx, key: &Key) -> Vec<(u32, u32)> {
    let max_seq = sel.msgs.len() as u32;
    let max_uid = sel.max_uid();
    let mut hits = Vec::new();
    for (i, (muid, _, _)) in sel.msgs.iter().enumerate() {
        let Some(msg) = ctx.store.get(ctx.user, &sel.name, *muid) else { continue };
        let seq = i as u32 + 1;
        let cand = Candidate { seq, msg, recent: sel.recent.contains(muid), max_seq, max_uid, now: ctx.now };
        if search::matches(key, &cand) {
            hits.push((seq, *muid));
        }
    }
    hits
}

/// What SEARCH and SORT do after answering: keywords searched for become
/// the folder's (as in Dovecot), and the view catches up.
fn after_search(sel: &mut Selected, ctx: &mut Ctx, key: &Key, uid: bool) -> Done {
    let mut named = Vec::new();
    search::keywords(key, &mut named);
    if !named.is_empty() && !sel.read_only {
        ctx.store.define_keywords(ctx.user, &sel.name, &named).map_err(Fail::Store)?;
    }
    sync(sel, ctx.user, ctx.store, ctx.out, uid);
    Ok(())
}

/// SEARCH: message numbers or UIDs of the matches, or with `RETURN (...)`
/// the ESEARCH response (RFC 4731).
pub(in crate::imap) fn search(
    sel: &mut Selected,
    ctx: &mut Ctx,
    key: Option<&Key>,
    uid: bool,
    ret: Option<Return>,
) -> Done {
    let Some(key) = key else {
        ctx.no("[BADCHARSET] Unknown charset");
        return Ok(());
    };
    let hits: Vec<u32> = matching(sel, ctx, key).into_iter().map(|(seq, muid)| if uid { muid } else { seq }).collect();
    match ret {
        Some(r) => ctx.out.push(search::esearch(ctx.tag, uid, r, &hits, uid_set)),
        None => ctx.out.push(numbers("* SEARCH", &hits)),
    }
    after_search(sel, ctx, key, uid)?;
    ctx.ok("Search completed");
    Ok(())
}

/// SORT (RFC 5256 §3): the matches in the program's order.
pub(in crate::imap) fn sort(
    sel: &mut Selected,
    ctx: &mut Ctx,
    program: &[SortKey],
    key: Option<&Key>,
    uid: bool,
) -> Done {
    let Some(key) = key else {
        ctx.no("[BADCHARSET] Unknown charset");
        return Ok(());
    };
    let hits = matching(sel, ctx, key);
    let msgs: Vec<(u32, Message)> =
        hits.iter().filter_map(|&(seq, muid)| Some((seq, ctx.store.get(ctx.user, &sel.name, muid)?.clone()))).collect();
    let mut refs: Vec<(u32, &Message)> = msgs.iter().map(|(n, m)| (*n, m)).collect();
    sort::sort(program, &mut refs);
    let order: Vec<u32> = refs.iter().map(|(n, m)| if uid { m.uid } else { *n }).collect();
    ctx.out.push(numbers("* SORT", &order));
    after_search(sel, ctx, key, uid)?;
    ctx.ok("Sort completed");
    Ok(())
}

/// `head` and the numbers, space-separated.
fn numbers(head: &str, ns: &[u32]) -> String {
    let mut line = String::from(head);
    for n in ns {
        line.push_str(&format!(" {n}"));
    }
    line
}
