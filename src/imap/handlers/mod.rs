//! The command handlers of the Authenticated and Selected states (RFC 3501
//! §6.3, §6.4), on typed [`Command`](super::command::Command) arguments.
//! They reply through [`Ctx`] and change the selected view they are given;
//! changes of state are the session's (`session.rs`).

pub(super) mod copy;
pub(super) mod mailbox;
pub(super) mod messages;
pub(super) mod select;

use super::parser::Fail;
use super::session::{Output, TIMING};
use crate::sim::Timestamp;
use crate::store::MailStore;

/// The result of a handler: done (the tagged reply sent), or a BAD text,
/// or a literal still to come.
pub(super) type Done = Result<(), Fail>;

/// What a command handler needs besides the selected view.
pub(super) struct Ctx<'a> {
    pub tag: &'a str,
    pub user: &'a str,
    pub now: Timestamp,
    pub store: &'a mut MailStore,
    pub out: &'a mut Output,
}

impl Ctx<'_> {
    /// The tagged OK, with Dovecot's timing figures.
    pub(super) fn ok(&mut self, text: &str) {
        self.out.push(format!("{} OK {text} {TIMING}", self.tag));
    }

    /// The tagged NO, with Dovecot's timing figures.
    pub(super) fn no(&mut self, text: &str) {
        self.out.push(format!("{} NO {text} {TIMING}", self.tag));
    }
}
