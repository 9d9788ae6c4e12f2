//! Opening and closing the selected mailbox (RFC 3501 §6.3.1, §6.3.2,
//! §6.4.2, RFC 3691 UNSELECT), and APPEND (§6.3.11, UIDPLUS RFC 4315 §3),
//! which works in both states.

use super::super::command::Append;
use super::super::parser::Fail;
use super::super::session::Event;
use super::super::sync::{sync, Selected};
use super::{Ctx, Done};
use crate::store::Flag;
use std::collections::BTreeSet;

/// SELECT and EXAMINE: reports the mailbox and returns its view, or `None`
/// (answered NO) when it does not exist.
pub(in crate::imap) fn select(ctx: &mut Ctx, name: &str, read_only: bool) -> Option<Selected> {
    let Ok(folder) = ctx.store.folder(ctx.user, name) else {
        ctx.no(&format!("Mailbox doesn't exist: {name}"));
        return None;
    };
    let (real, uid_validity, uid_next) = (folder.name.clone(), folder.uid_validity, folder.uid_next);
    let from = if read_only { folder.recent_from } else { ctx.store.claim_recent(ctx.user, &real).unwrap_or(u32::MAX) };
    let folder = ctx.store.folder(ctx.user, &real).ok()?;
    let msgs: Vec<_> = folder.messages().iter().map(|m| (m.uid, m.flags, m.keywords.clone())).collect();
    let recent: BTreeSet<u32> = msgs.iter().map(|m| m.0).filter(|&u| u >= from).collect();
    let sel = Selected { name: real, read_only, msgs, recent, keywords: folder.keywords.clone() };
    ctx.out.push(format!("* FLAGS ({})", sel.flag_list()));
    if read_only {
        ctx.out.push("* OK [PERMANENTFLAGS ()] Read-only mailbox.");
    } else {
        ctx.out.push(format!("* OK [PERMANENTFLAGS ({} \\*)] Flags permitted.", sel.flag_list()));
    }
    ctx.out.push(format!("* {} EXISTS", sel.msgs.len()));
    ctx.out.push(format!("* {} RECENT", sel.recent.len()));
    if let Some(i) = sel.msgs.iter().position(|m| !m.1.contains(Flag::Seen)) {
        ctx.out.push(format!("* OK [UNSEEN {}] First unseen.", i + 1));
    }
    ctx.out.push(format!("* OK [UIDVALIDITY {uid_validity}] UIDs valid"));
    ctx.out.push(format!("* OK [UIDNEXT {uid_next}] Predicted next UID"));
    ctx.ok(if read_only { "[READ-ONLY] Examine completed" } else { "[READ-WRITE] Select completed" });
    Some(sel)
}

/// CLOSE (expunging `\Deleted` messages of a read-write mailbox) or
/// UNSELECT (not expunging), after the view was let go.
pub(in crate::imap) fn close(ctx: &mut Ctx, sel: Option<Selected>, expunge: bool) {
    if let Some(sel) = sel.filter(|s| expunge && !s.read_only) {
        let gone: Vec<u32> = ctx
            .store
            .list(ctx.user, &sel.name)
            .map(|ms| ms.iter().filter(|m| m.flags.contains(Flag::Deleted)).map(|m| m.uid).collect())
            .unwrap_or_default();
        if let Ok(g) = ctx.store.expunge(ctx.user, &sel.name, &gone) {
            if !g.is_empty() {
                ctx.out.events.push(Event::Expunged { folder: sel.name.clone(), uids: g });
            }
        }
    }
    ctx.ok(if expunge { "Close completed" } else { "Unselect completed" });
}

/// APPEND: the mailbox must exist before the rest counts (append.txt: no
/// `+ OK` for a message to a missing mailbox).
pub(in crate::imap) fn append(
    ctx: &mut Ctx,
    sel: Option<&mut Selected>,
    name: &str,
    message: Result<Append, Fail>,
) -> Done {
    let Ok(folder) = ctx.store.folder(ctx.user, name) else {
        ctx.no(&format!("[TRYCREATE] Mailbox doesn't exist: {name}"));
        return Ok(());
    };
    let real = folder.name.clone();
    let Append { flags, keywords, date, data } = message?;
    if data.is_empty() {
        // imap/append-store-more.txt: `APPEND INBOX {0+}`.
        ctx.no("Can't save a zero byte message");
        return Ok(());
    }
    let validity = ctx.store.folder(ctx.user, &real).map(|f| f.uid_validity).unwrap_or(0);
    match ctx.store.append(ctx.user, &real, &data, date.unwrap_or(ctx.now), flags, keywords) {
        Ok(uid) => {
            if let Some(sel) = sel {
                sync(sel, ctx.user, ctx.store, ctx.out, true);
            }
            ctx.ok(&format!("[APPENDUID {validity} {uid}] Append completed"));
        }
        Err(_) => ctx.no("[SERVERBUG] Append failed"),
    }
    Ok(())
}
