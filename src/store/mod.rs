//! The mailbox store: what a mail host keeps for each user once a message is
//! delivered. SMTP delivery writes into it; POP3 (RFC 1939) and, later, IMAP
//! (RFC 3501) read and change it.
//!
//! Per user, folders (`INBOX`, `Sent`, `Drafts`, `Trash` by default), each
//! with the IMAP bookkeeping of RFC 3501 §2.3.1.1: a UIDVALIDITY, the next UID
//! and strictly ascending UIDs, plus a change counter that grows with every
//! change so that a session can notice new and expunged messages. Messages
//! are raw RFC 5322 bytes with CRLF line ends.
//!
//! Nothing here panics on any input: an unknown user or folder is an error.

pub mod seed;
pub mod view;

use crate::sim::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The system flags of RFC 3501 §2.3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    Deleted,
    Draft,
}

impl Flag {
    /// All system flags, in the order IMAP lists them.
    pub const ALL: [Flag; 5] = [Flag::Seen, Flag::Answered, Flag::Flagged, Flag::Deleted, Flag::Draft];

    /// The flag as IMAP writes it (`\Seen`).
    pub fn name(self) -> &'static str {
        match self {
            Flag::Seen => "\\Seen",
            Flag::Answered => "\\Answered",
            Flag::Flagged => "\\Flagged",
            Flag::Deleted => "\\Deleted",
            Flag::Draft => "\\Draft",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of system flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags(u8);

impl Flags {
    pub fn contains(self, f: Flag) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn insert(&mut self, f: Flag) {
        self.0 |= f.bit();
    }

    pub fn remove(&mut self, f: Flag) {
        self.0 &= !f.bit();
    }

    /// The flags in the set, in [`Flag::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Self {
        let mut s = Flags::default();
        for f in iter {
            s.insert(f);
        }
        s
    }
}

/// How [`MailStore::set_flags`] combines the given flags with a message's
/// (IMAP STORE `FLAGS`, `+FLAGS`, `-FLAGS`, RFC 3501 §6.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagOp {
    Replace,
    Add,
    Remove,
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Unique within its folder and UIDVALIDITY, ascending (RFC 3501 §2.3.1.1).
    pub uid: u32,
    pub flags: Flags,
    /// Keywords (user-defined flags, RFC 3501 §2.3.2), as given.
    pub keywords: BTreeSet<String>,
    /// When the message arrived (RFC 3501 §2.3.3), on the simulated clock.
    pub internal_date: Timestamp,
    /// The RFC 5322 message, lines ended by CRLF.
    pub raw: Vec<u8>,
}

impl Message {
    /// The size in octets, CRLF counted as two (RFC 1939 §5 LIST, RFC 3501 RFC822.SIZE).
    pub fn size(&self) -> usize {
        self.raw.len()
    }
}

/// A folder (an IMAP mailbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    pub name: String,
    /// RFC 3501 §2.3.1.1; Dovecot uses the creation time, and so do we.
    pub uid_validity: u32,
    /// The UID the next delivered message gets.
    pub uid_next: u32,
    pub subscribed: bool,
    /// Grows by one with every delivery, flag change or expunge.
    pub changes: u64,
    /// The first UID no IMAP session has yet seen as `\Recent` (RFC 3501
    /// §2.3.2: a message is recent in one session only, the first to select it).
    #[serde(default)]
    pub recent_from: u32,
    /// Keywords defined in the folder, in order of first use (IMAP `* FLAGS`).
    #[serde(default)]
    pub keywords: Vec<String>,
    messages: Vec<Message>,
}

impl Folder {
    fn new(name: &str, uid_validity: u32) -> Self {
        Self {
            name: name.into(),
            uid_validity,
            uid_next: 1,
            subscribed: true,
            changes: 0,
            recent_from: 1,
            keywords: Vec::new(),
            messages: Vec::new(),
        }
    }

    /// The UIDs still `\Recent` for the next session that selects the folder.
    pub fn recent_uids(&self) -> impl Iterator<Item = u32> + '_ {
        self.messages.iter().map(|m| m.uid).filter(move |&u| u >= self.recent_from)
    }

    /// The messages, in UID order.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The message with this UID.
    pub fn get(&self, uid: u32) -> Option<&Message> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok().and_then(|i| self.messages.get(i))
    }
}

/// Why a store operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreError {
    NoSuchUser,
    NoSuchFolder,
    FolderExists,
    /// UIDs are 32-bit (RFC 3501 §2.3.1.1); the folder has used them all.
    UidsExhausted,
}

/// The hierarchy separator of folder names (Dovecot's Maildir++ layout: `Archive.2026`).
pub const SEPARATOR: char = '.';

/// The folders created with every account (Dovecot's `auto = subscribe` in shared/peers).
pub const DEFAULT_FOLDERS: [&str; 4] = ["INBOX", "Drafts", "Sent", "Trash"];

/// Every user's folders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailStore {
    /// By lower-case user name; folders in creation order.
    users: BTreeMap<String, Vec<Folder>>,
}

/// A UIDVALIDITY from a time: the seconds, as Dovecot does; never 0.
fn uid_validity_at(now: Timestamp) -> u32 {
    u32::try_from(now).unwrap_or(1).max(1)
}

/// Bare LF and lone CR become CRLF, as an MDA stores text (RFC 5322 §2.3).
fn to_crlf(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if raw.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

impl MailStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an account with the default folders; an existing one is kept.
    pub fn create_user(&mut self, user: &str, now: Timestamp) {
        let v = uid_validity_at(now);
        // Dovecot subscribes the special folders (`auto = subscribe`), not INBOX.
        self.users.entry(user.to_ascii_lowercase()).or_insert_with(|| {
            DEFAULT_FOLDERS.iter().map(|n| Folder { subscribed: *n != "INBOX", ..Folder::new(n, v) }).collect()
        });
    }

    /// True when the user has an account here.
    /// The users with an account, in order.
    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.users.keys().map(String::as_str)
    }

    pub fn has_user(&self, user: &str) -> bool {
        self.users.contains_key(&user.to_ascii_lowercase())
    }

    /// The user's folders, in creation order.
    pub fn folders(&self, user: &str) -> Result<&[Folder], StoreError> {
        self.users.get(&user.to_ascii_lowercase()).map(Vec::as_slice).ok_or(StoreError::NoSuchUser)
    }

    /// Creates a folder (IMAP CREATE); `INBOX` is case-insensitive (RFC 3501 §5.1).
    pub fn create_folder(&mut self, user: &str, name: &str, now: Timestamp) -> Result<(), StoreError> {
        let folders = self.users.get_mut(&user.to_ascii_lowercase()).ok_or(StoreError::NoSuchUser)?;
        if folders.iter().any(|f| same_folder(&f.name, name)) {
            return Err(StoreError::FolderExists);
        }
        let mut f = Folder::new(name, uid_validity_at(now));
        f.subscribed = false;
        folders.push(f);
        Ok(())
    }

    /// A folder of a user.
    pub fn folder(&self, user: &str, name: &str) -> Result<&Folder, StoreError> {
        self.folders(user)?.iter().find(|f| same_folder(&f.name, name)).ok_or(StoreError::NoSuchFolder)
    }

    fn folder_mut(&mut self, user: &str, name: &str) -> Result<&mut Folder, StoreError> {
        let folders = self.users.get_mut(&user.to_ascii_lowercase()).ok_or(StoreError::NoSuchUser)?;
        folders.iter_mut().find(|f| same_folder(&f.name, name)).ok_or(StoreError::NoSuchFolder)
    }

    /// The messages of a folder, in UID order.
    pub fn list(&self, user: &str, folder: &str) -> Result<&[Message], StoreError> {
        Ok(self.folder(user, folder)?.messages())
    }

    /// One message by UID.
    pub fn get(&self, user: &str, folder: &str, uid: u32) -> Option<&Message> {
        self.folder(user, folder).ok()?.get(uid)
    }

    /// The folder's change counter (see [`Folder::changes`]).
    pub fn changes(&self, user: &str, folder: &str) -> Result<u64, StoreError> {
        Ok(self.folder(user, folder)?.changes)
    }

    /// Stores a message (line ends made CRLF) and returns its UID.
    pub fn deliver(&mut self, user: &str, folder: &str, raw: &[u8], now: Timestamp) -> Result<u32, StoreError> {
        self.append(user, folder, raw, now, Flags::default(), BTreeSet::new())
    }

    /// Stores a message with flags and keywords (IMAP APPEND, COPY); returns its UID.
    pub fn append(
        &mut self,
        user: &str,
        folder: &str,
        raw: &[u8],
        date: Timestamp,
        flags: Flags,
        keywords: BTreeSet<String>,
    ) -> Result<u32, StoreError> {
        let f = self.folder_mut(user, folder)?;
        let uid = f.uid_next;
        f.uid_next = uid.checked_add(1).ok_or(StoreError::UidsExhausted)?;
        add_keywords(f, keywords.iter());
        f.messages.push(Message { uid, flags, keywords, internal_date: date, raw: to_crlf(raw) });
        f.changes += 1;
        Ok(uid)
    }

    /// Sets one message's flags and keywords; true if it exists. New keywords
    /// join the folder's list.
    pub fn update_flags(
        &mut self,
        user: &str,
        folder: &str,
        uid: u32,
        flags: Flags,
        keywords: BTreeSet<String>,
    ) -> Result<bool, StoreError> {
        let f = self.folder_mut(user, folder)?;
        add_keywords(f, keywords.iter());
        let Ok(i) = f.messages.binary_search_by_key(&uid, |m| m.uid) else { return Ok(false) };
        let m = &mut f.messages[i];
        if m.flags != flags || m.keywords != keywords {
            m.flags = flags;
            m.keywords = keywords;
            f.changes += 1;
        }
        Ok(true)
    }

    /// Adds keywords to a folder's list (Dovecot does so when a keyword is named).
    pub fn define_keywords(&mut self, user: &str, folder: &str, keywords: &[String]) -> Result<(), StoreError> {
        let f = self.folder_mut(user, folder)?;
        add_keywords(f, keywords.iter());
        Ok(())
    }

    /// Claims the folder's recent messages for one IMAP session (SELECT):
    /// returns the first UID that is recent for it; later sessions see none of them.
    pub fn claim_recent(&mut self, user: &str, folder: &str) -> Result<u32, StoreError> {
        let f = self.folder_mut(user, folder)?;
        let from = f.recent_from;
        f.recent_from = f.uid_next;
        Ok(from)
    }

    /// Removes a folder (IMAP DELETE); INBOX cannot be removed.
    pub fn delete_folder(&mut self, user: &str, name: &str) -> Result<(), StoreError> {
        let folders = self.users.get_mut(&user.to_ascii_lowercase()).ok_or(StoreError::NoSuchUser)?;
        let i = folders
            .iter()
            .position(|f| same_folder(&f.name, name) && !f.name.eq_ignore_ascii_case("INBOX"))
            .ok_or(StoreError::NoSuchFolder)?;
        folders.remove(i);
        Ok(())
    }

    /// Renames a folder (IMAP RENAME); a new UIDVALIDITY is not needed, the
    /// messages keep their UIDs (RFC 3501 §6.3.5).
    pub fn rename_folder(&mut self, user: &str, from: &str, to: &str) -> Result<(), StoreError> {
        let folders = self.users.get_mut(&user.to_ascii_lowercase()).ok_or(StoreError::NoSuchUser)?;
        // The folder and its inferiors (`from.x`, RFC 3501 §6.3.5), with `.`
        // as the hierarchy separator (Dovecot's Maildir++). A parent that is
        // only a name for its children (\Noselect) renames its children.
        let prefix = format!("{from}{SEPARATOR}");
        let moved: Vec<usize> = folders
            .iter()
            .enumerate()
            .filter(|(_, f)| same_folder(&f.name, from) || f.name.starts_with(&prefix))
            .map(|(i, _)| i)
            .collect();
        if moved.is_empty() {
            return Err(StoreError::NoSuchFolder);
        }
        let renamed = |name: &str| format!("{to}{}", &name[from.len()..]);
        let taken = moved.iter().any(|&i| {
            let target = renamed(&folders[i].name);
            folders.iter().any(|f| same_folder(&f.name, &target))
        });
        if taken {
            return Err(StoreError::FolderExists);
        }
        for i in moved {
            folders[i].name = renamed(&folders[i].name);
        }
        Ok(())
    }

    /// Subscribes to or unsubscribes from a folder (IMAP SUBSCRIBE, UNSUBSCRIBE).
    pub fn set_subscribed(&mut self, user: &str, name: &str, on: bool) -> Result<(), StoreError> {
        self.folder_mut(user, name)?.subscribed = on;
        Ok(())
    }

    /// Changes the flags of the messages with the given UIDs; unknown UIDs
    /// are skipped. Returns how many messages were found.
    pub fn set_flags(
        &mut self,
        user: &str,
        folder: &str,
        uids: &[u32],
        op: FlagOp,
        flags: Flags,
    ) -> Result<usize, StoreError> {
        let f = self.folder_mut(user, folder)?;
        let mut found = 0;
        for m in f.messages.iter_mut().filter(|m| uids.contains(&m.uid)) {
            found += 1;
            m.flags = match op {
                FlagOp::Replace => flags,
                FlagOp::Add => Flags(m.flags.0 | flags.0),
                FlagOp::Remove => Flags(m.flags.0 & !flags.0),
            };
        }
        if found > 0 {
            f.changes += 1;
        }
        Ok(found)
    }

    /// Removes the messages with the given UIDs; returns the UIDs removed.
    pub fn expunge(&mut self, user: &str, folder: &str, uids: &[u32]) -> Result<Vec<u32>, StoreError> {
        let f = self.folder_mut(user, folder)?;
        let gone: Vec<u32> = f.messages.iter().map(|m| m.uid).filter(|u| uids.contains(u)).collect();
        f.messages.retain(|m| !gone.contains(&m.uid));
        if !gone.is_empty() {
            f.changes += 1;
        }
        Ok(gone)
    }
}

fn add_keywords<'a>(f: &mut Folder, kws: impl Iterator<Item = &'a String>) {
    for k in kws {
        if !f.keywords.iter().any(|x| x.eq_ignore_ascii_case(k)) {
            f.keywords.push(k.clone());
        }
    }
}

/// Folder names compare exactly, except INBOX, which is case-insensitive
/// (RFC 3501 §5.1).
pub(crate) fn same_folder(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("INBOX") && b.eq_ignore_ascii_case("INBOX"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> MailStore {
        let mut s = MailStore::new();
        s.create_user("Bob", 1000);
        s
    }

    #[test]
    fn accounts_start_with_the_default_folders() {
        let s = store();
        let names: Vec<&str> = s.folders("bob").unwrap().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, DEFAULT_FOLDERS);
        let inbox = s.folder("bob", "inbox").unwrap();
        // imap/mailboxes.txt: LSUB lists Drafts, Sent and Trash, not INBOX.
        assert_eq!((inbox.uid_validity, inbox.uid_next, inbox.subscribed), (1000, 1, false));
        assert!(s.folder("bob", "Trash").unwrap().subscribed);
        assert_eq!(s.folders("carol"), Err(StoreError::NoSuchUser));
        assert_eq!(s.folder("bob", "Nope").err(), Some(StoreError::NoSuchFolder));
        assert_eq!(s.folder("bob", "sent").err(), Some(StoreError::NoSuchFolder), "only INBOX ignores case");
    }

    #[test]
    fn delivery_gives_ascending_uids_crlf_and_counts_changes() {
        let mut s = store();
        assert_eq!(s.deliver("bob", "INBOX", b"Subject: a\n\nx\n", 5), Ok(1));
        assert_eq!(s.deliver("BOB", "INBOX", b"Subject: b\r\n\r\ny\r", 6), Ok(2));
        let m = s.get("bob", "INBOX", 1).unwrap();
        assert_eq!(m.raw, b"Subject: a\r\n\r\nx\r\n");
        assert_eq!(m.size(), 17);
        assert_eq!(m.internal_date, 5);
        assert_eq!(s.get("bob", "INBOX", 2).unwrap().raw, b"Subject: b\r\n\r\ny\r\n");
        assert_eq!(s.changes("bob", "INBOX"), Ok(2));
        assert_eq!(s.deliver("carol", "INBOX", b"x", 0), Err(StoreError::NoSuchUser));
        assert_eq!(s.deliver("bob", "Nope", b"x", 0), Err(StoreError::NoSuchFolder));
    }

    #[test]
    fn uids_are_not_reused_after_expunge() {
        let mut s = store();
        for _ in 0..3 {
            s.deliver("bob", "INBOX", b"x\r\n", 0).unwrap();
        }
        assert_eq!(s.expunge("bob", "INBOX", &[2, 9]), Ok(vec![2]));
        assert_eq!(s.deliver("bob", "INBOX", b"y\r\n", 0), Ok(4));
        let uids: Vec<u32> = s.list("bob", "INBOX").unwrap().iter().map(|m| m.uid).collect();
        assert_eq!(uids, [1, 3, 4]);
        let before = s.changes("bob", "INBOX").unwrap();
        assert_eq!(s.expunge("bob", "INBOX", &[2]), Ok(vec![]));
        assert_eq!(s.changes("bob", "INBOX").unwrap(), before, "nothing happened, nothing changed");
    }

    #[test]
    fn flags_replace_add_remove() {
        let mut s = store();
        s.deliver("bob", "INBOX", b"x\r\n", 0).unwrap();
        let seen: Flags = [Flag::Seen].into_iter().collect();
        let del_flag: Flags = [Flag::Deleted, Flag::Flagged].into_iter().collect();
        assert_eq!(s.set_flags("bob", "INBOX", &[1], FlagOp::Add, seen), Ok(1));
        assert_eq!(s.set_flags("bob", "INBOX", &[1], FlagOp::Add, del_flag), Ok(1));
        let f = s.get("bob", "INBOX", 1).unwrap().flags;
        assert_eq!(f.iter().map(Flag::name).collect::<Vec<_>>(), ["\\Seen", "\\Flagged", "\\Deleted"]);
        s.set_flags("bob", "INBOX", &[1], FlagOp::Remove, seen).unwrap();
        assert!(!s.get("bob", "INBOX", 1).unwrap().flags.contains(Flag::Seen));
        s.set_flags("bob", "INBOX", &[1], FlagOp::Replace, Flags::default()).unwrap();
        assert_eq!(s.get("bob", "INBOX", 1).unwrap().flags, Flags::default());
        assert_eq!(s.set_flags("bob", "INBOX", &[7], FlagOp::Add, seen), Ok(0));
    }

    #[test]
    fn user_folders_and_uid_exhaustion() {
        let mut s = store();
        assert_eq!(s.create_folder("bob", "Projects", 2000), Ok(()));
        assert_eq!(s.create_folder("bob", "Projects", 2000), Err(StoreError::FolderExists));
        assert_eq!(s.create_folder("bob", "inbox", 2000), Err(StoreError::FolderExists));
        let p = s.folder("bob", "Projects").unwrap();
        assert_eq!((p.uid_validity, p.subscribed), (2000, false));
        if let Ok(f) = s.folder_mut("bob", "Projects") {
            f.uid_next = u32::MAX;
        }
        assert_eq!(s.deliver("bob", "Projects", b"x", 0), Err(StoreError::UidsExhausted));
    }

    #[test]
    fn recent_is_claimed_once_and_folders_rename_and_delete() {
        let mut s = store();
        s.deliver("bob", "INBOX", b"x\r\n", 0).unwrap();
        assert_eq!(s.folder("bob", "INBOX").unwrap().recent_uids().count(), 1);
        assert_eq!(s.claim_recent("bob", "INBOX"), Ok(1));
        assert_eq!(s.folder("bob", "INBOX").unwrap().recent_uids().count(), 0);
        assert_eq!(s.claim_recent("bob", "INBOX"), Ok(2));
        let kw: BTreeSet<String> = ["$Forwarded".to_string()].into_iter().collect();
        assert_eq!(s.update_flags("bob", "INBOX", 1, Flags::default(), kw), Ok(true));
        assert_eq!(s.folder("bob", "INBOX").unwrap().keywords, ["$Forwarded"]);
        s.create_folder("bob", "A", 0).unwrap();
        assert_eq!(s.rename_folder("bob", "A", "Trash"), Err(StoreError::FolderExists));
        assert_eq!(s.rename_folder("bob", "A", "B"), Ok(()));
        assert_eq!(s.delete_folder("bob", "A"), Err(StoreError::NoSuchFolder));
        assert_eq!(s.delete_folder("bob", "inbox"), Err(StoreError::NoSuchFolder));
        assert_eq!(s.delete_folder("bob", "B"), Ok(()));
    }

    #[test]
    fn serde_round_trip_gives_the_same_store() {
        // A store with something in every field: a message with flags and a
        // keyword, a folder of the user's own, an unsubscribed default folder.
        let mut s = store();
        let mut flags = Flags::default();
        flags.insert(Flag::Seen);
        flags.insert(Flag::Flagged);
        let kw: BTreeSet<String> = ["$Important".to_string()].into();
        s.append("bob", "INBOX", b"Subject: hi\r\n\r\nbody\r\n", 1234, flags, kw).unwrap();
        s.deliver("bob", "INBOX", b"Subject: two\n\nbare LF\n", 1300).unwrap();
        s.create_folder("bob", "Projects", 1400).unwrap();
        s.set_subscribed("bob", "Trash", false).unwrap();
        s.claim_recent("bob", "INBOX").unwrap();
        let json = serde_json::to_string(&s).unwrap();
        let back: MailStore = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
