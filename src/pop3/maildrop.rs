//! The maildrop of a POP3 session in the TRANSACTION state (RFC 1939 §5):
//! a snapshot of the INBOX taken at login, so message numbers stay fixed;
//! DELE only marks, and the UPDATE state at QUIT (§6) applies the marks.

use super::parser::{line_count, message_number, Pop3Error};
use super::session::{Event, Output};
use crate::store::{Flag, FlagOp, Flags, MailStore};

/// The maildrop as it was at login (RFC 1939 §5: numbers are fixed).
#[derive(Debug, Clone)]
pub(super) struct Maildrop {
    pub(super) user: String,
    pub(super) uid_validity: u32,
    /// UID and size of message number i+1.
    pub(super) messages: Vec<(u32, usize)>,
    pub(super) deleted: Vec<bool>,
    pub(super) retrieved: Vec<bool>,
}

impl Maildrop {
    /// A TRANSACTION command other than CAPA and QUIT: the reply's lines, or
    /// the error to send after `-ERR `.
    pub(super) fn command(
        &mut self,
        verb: &str,
        args: &str,
        store: &mut MailStore,
        out: &mut Output,
    ) -> Result<Vec<String>, Pop3Error> {
        match verb {
            "STAT" => {
                let (n, size) = self.live().fold((0, 0), |(n, s), (_, _, size)| (n + 1, s + size));
                Ok(vec![format!("+OK {n} {size}")])
            }
            "LIST" if args.is_empty() => {
                let mut v = vec![format!("+OK {} messages:", self.live().count())];
                v.extend(self.live().map(|(i, _, size)| format!("{} {size}", i + 1)));
                v.push(".".into());
                Ok(v)
            }
            "LIST" => self.number(args).map(|i| vec![format!("+OK {} {}", i + 1, self.messages[i].1)]),
            "UIDL" if args.is_empty() => {
                let mut v = vec!["+OK".to_string()];
                v.extend(self.live().map(|(i, uid, _)| format!("{} {}", i + 1, self.unique_id(uid))));
                v.push(".".into());
                Ok(v)
            }
            "UIDL" => self.number(args).map(|i| vec![format!("+OK {} {}", i + 1, self.unique_id(self.messages[i].0))]),
            "RETR" => self.number(args).and_then(|i| {
                let raw = self.raw(i, store)?;
                self.retrieved[i] = true;
                out.events.push(Event::Retrieved { user: self.user.clone(), uid: self.messages[i].0 });
                Ok(multiline(format!("+OK {} octets", raw.len()), &raw, None))
            }),
            "TOP" => self.top(args, store),
            "DELE" => self.number(args).map(|i| {
                self.deleted[i] = true;
                vec!["+OK Marked to be deleted.".to_string()]
            }),
            "RSET" => {
                self.deleted.iter_mut().for_each(|d| *d = false);
                Ok(vec!["+OK".into()])
            }
            "NOOP" => Ok(vec!["+OK".into()]),
            "" => Err(Pop3Error::EmptyCommand),
            _ => Err(Pop3Error::UnknownCommand(verb.to_string())),
        }
    }

    /// The UPDATE state (RFC 1939 §6): removes the messages marked by DELE
    /// and marks retrieved ones `\Seen`, as Dovecot does. Returns the reply.
    /// A store failure is reported, never ignored: RFC 1939 §6 wants `-ERR`
    /// when deleted messages were not removed; the text is Dovecot's for an
    /// internal storage error.
    pub(super) fn update(&self, store: &mut MailStore, out: &mut Output) -> String {
        const FAILED: &str = "-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.";
        let pick = |marks: &[bool]| -> Vec<u32> {
            self.messages.iter().zip(marks).filter(|(_, &b)| b).map(|((uid, _), _)| *uid).collect()
        };
        let seen: Flags = [Flag::Seen].into_iter().collect();
        if store.set_flags(&self.user, "INBOX", &pick(&self.retrieved), FlagOp::Add, seen).is_err() {
            return FAILED.into();
        }
        let doomed = pick(&self.deleted);
        if doomed.is_empty() {
            return "+OK Logging out.".into();
        }
        match store.expunge(&self.user, "INBOX", &doomed) {
            Ok(uids) => {
                out.events.push(Event::Expunged { user: self.user.clone(), uids });
                "+OK Logging out, messages deleted.".into()
            }
            Err(_) => FAILED.into(),
        }
    }

    /// TOP msg n (RFC 1939 §7): the header, the blank line and n body lines.
    /// Dovecot treats the largest 64-bit count as "all" and answers as RETR does.
    fn top(&self, args: &str, store: &MailStore) -> Result<Vec<String>, Pop3Error> {
        let (num, rest) = message_number(args, true)?;
        let i = self.index(num)?;
        let n = line_count(rest)?;
        let raw = self.raw(i, store)?;
        if n == u64::MAX {
            return Ok(multiline(format!("+OK {} octets", raw.len()), &raw, None));
        }
        Ok(multiline("+OK".into(), &raw, Some(n)))
    }
}

/// A multi-line reply (RFC 1939 §3): status line, the message's lines
/// byte-stuffed, then a lone dot. With `body_lines`, only the header and
/// that many body lines.
fn multiline(status: String, raw: &[u8], body_lines: Option<u64>) -> Vec<String> {
    let mut v = vec![status];
    let text = raw.strip_suffix(b"\r\n").unwrap_or(raw);
    let mut in_body = false;
    let mut left = body_lines.unwrap_or(u64::MAX);
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if in_body {
            if left == 0 {
                break;
            }
            left -= 1;
        }
        in_body |= line.is_empty();
        let s = String::from_utf8_lossy(line);
        v.push(if s.starts_with('.') { format!(".{s}") } else { s.into_owned() });
    }
    v.push(".".into());
    v
}

impl Maildrop {
    /// Messages not marked deleted: (index, UID, size).
    fn live(&self) -> impl Iterator<Item = (usize, u32, usize)> + '_ {
        self.messages
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.deleted.get(*i).copied().unwrap_or(true))
            .map(|(i, &(u, s))| (i, u, s))
    }

    /// The index of message number `num`, if it exists and is not deleted.
    fn index(&self, num: u64) -> Result<usize, Pop3Error> {
        let i = usize::try_from(num).ok().and_then(|n| n.checked_sub(1)).filter(|&i| i < self.messages.len());
        match i {
            None => Err(Pop3Error::NoSuchMessage(num)),
            Some(i) if self.deleted[i] => Err(Pop3Error::MessageDeleted),
            Some(i) => Ok(i),
        }
    }

    /// Parses a lone message-number argument (LIST n, UIDL n, RETR, DELE).
    fn number(&self, args: &str) -> Result<usize, Pop3Error> {
        let (num, _) = message_number(args, false)?;
        self.index(num)
    }

    /// The unique-id listing of UIDL (RFC 1939 §7), in Dovecot's
    /// `pop3_uidl_format = %08Xu%08Xv` as the peers configure it.
    fn unique_id(&self, uid: u32) -> String {
        format!("{uid:08x}{:08x}", self.uid_validity)
    }

    /// The bytes of message index `i`, read from the store now.
    fn raw(&self, i: usize, store: &MailStore) -> Result<Vec<u8>, Pop3Error> {
        let uid = self.messages.get(i).ok_or(Pop3Error::MessageDeleted)?.0;
        // Gone from the store (another session expunged it): Dovecot says the same.
        store.get(&self.user, "INBOX", uid).map(|msg| msg.raw.clone()).ok_or(Pop3Error::MessageDeleted)
    }
}
