//! COPY (RFC 3501 §6.4.7), MOVE (RFC 6851) with COPYUID (RFC 4315 §3),
//! and EXPUNGE (§6.4.3), UID EXPUNGE (RFC 4315 §2.1).

use super::super::parser::SeqSet;
use super::super::session::Event;
use super::super::sync::{sync, Selected};
use super::{Ctx, Done};
use crate::store::Flag;

/// COPY, or MOVE when `remove`: the messages go to `dest`, a MOVE reports
/// their expunge at once.
pub(in crate::imap) fn copy(
    sel: &mut Selected,
    ctx: &mut Ctx,
    set: &SeqSet,
    dest: &str,
    uid: bool,
    remove: bool,
) -> Done {
    let nums = sel.resolve(set, uid)?;
    let Ok(folder) = ctx.store.folder(ctx.user, dest) else {
        ctx.no(&format!("[TRYCREATE] Mailbox doesn't exist: {dest}"));
        return Ok(());
    };
    let (real, validity) = (folder.name.clone(), folder.uid_validity);
    if nums.is_empty() {
        ctx.ok("No messages found");
        return Ok(());
    }
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for n in nums {
        let Some((muid, _, _)) = sel.msgs.get(n - 1) else { continue };
        let Some(m) = ctx.store.get(ctx.user, &sel.name, *muid).cloned() else { continue };
        if let Ok(new) = ctx.store.append(ctx.user, &real, &m.raw, m.internal_date, m.flags, m.keywords.clone()) {
            from.push(*muid);
            to.push(new);
        }
    }
    let code = format!("[COPYUID {validity} {} {}]", uid_set(&from), uid_set(&to));
    if remove {
        ctx.out.push(format!("* OK {code} Moved UIDs."));
        let name = sel.name.clone();
        if let Ok(g) = ctx.store.expunge(ctx.user, &name, &from) {
            ctx.out.events.push(Event::Expunged { folder: name, uids: g });
        }
        sync(sel, ctx.user, ctx.store, ctx.out, true);
        ctx.ok("Move completed");
    } else {
        sync(sel, ctx.user, ctx.store, ctx.out, uid);
        ctx.ok(&format!("{code} Copy completed"));
    }
    Ok(())
}

/// EXPUNGE: removes the `\Deleted` messages (of `uids` only, for UID
/// EXPUNGE) of a read-write mailbox.
pub(in crate::imap) fn expunge(sel: &mut Selected, ctx: &mut Ctx, uids: Option<&SeqSet>) {
    if !sel.read_only {
        let max_uid = sel.max_uid();
        let gone: Vec<u32> = ctx
            .store
            .list(ctx.user, &sel.name)
            .map(|ms| {
                ms.iter()
                    .filter(|m| m.flags.contains(Flag::Deleted) && uids.is_none_or(|s| s.contains(m.uid, max_uid)))
                    .map(|m| m.uid)
                    .collect()
            })
            .unwrap_or_default();
        let name = sel.name.clone();
        if let Ok(g) = ctx.store.expunge(ctx.user, &name, &gone) {
            if !g.is_empty() {
                ctx.out.events.push(Event::Expunged { folder: name, uids: g });
            }
        }
    }
    sync(sel, ctx.user, ctx.store, ctx.out, true);
    ctx.ok("Expunge completed");
}

/// A UID (or message number) list as a compact set: `1:3,5`.
pub(in crate::imap) fn uid_set(uids: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < uids.len() {
        let mut j = i;
        while j + 1 < uids.len() && uids[j + 1] == uids[j].wrapping_add(1) {
            j += 1;
        }
        out.push(if i == j { uids[i].to_string() } else { format!("{}:{}", uids[i], uids[j]) });
        i = j + 1;
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn uid_sets_are_compact() {
        assert_eq!(super::uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(super::uid_set(&[]), "");
    }
}
