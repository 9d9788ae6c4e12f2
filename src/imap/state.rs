//! The session's state (RFC 3501 §3), with what each state owns, so that a
//! mailbox without a user, IDLE before login or a SASL exchange after it
//! cannot be written down. The state changes only through the `move_to_*`
//! methods, each of which checks that the move is one §3 (figure in §3.5)
//! allows and otherwise leaves the state as it is.

use super::sync::Selected;
use crate::sasl::Exchange;

/// Where the session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum State {
    /// RFC 3501 §3.1: before LOGIN or AUTHENTICATE succeeds.
    NotAuthenticated(PreAuth),
    /// RFC 3501 §6.2.2: AUTHENTICATE waits for the client's next SASL line
    /// (after a `+ ` continuation); the session is still Not Authenticated.
    Authenticating { pre: PreAuth, tag: String, step: Exchange },
    /// RFC 3501 §3.2: logged in, no mailbox selected.
    Authenticated { user: String },
    /// RFC 3501 §3.3: a mailbox selected (SELECT or EXAMINE).
    Selected { user: String, mailbox: Selected },
    /// RFC 2177: IDLE runs until DONE, from Authenticated (`mailbox` `None`)
    /// or Selected; `tag` is the IDLE command's.
    Idle { user: String, mailbox: Option<Selected>, tag: String },
    /// RFC 3501 §3.4: the connection is closing; nothing more is read. The
    /// user, if any, is kept for [`Server::user`](super::Server::user).
    Logout { user: Option<String> },
}

/// What the Not Authenticated state counts (Dovecot).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PreAuth {
    /// Invalid commands so far; at `login_bad_commands` the server hangs up.
    pub bad_commands: u32,
    /// CAPABILITY was asked: the login reply lists the new ones untagged.
    pub capability_asked: bool,
}

/// A move §3 does not allow from the current state (the state is unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct IllegalMove;

type Moved = Result<(), IllegalMove>;

/// A move the dispatch knows to be legal. An illegal one is a bug in the
/// dispatch: debug builds (tests, fuzzing) stop on it; in release the state
/// stays as it was, which the session survives.
pub(super) fn legal(moved: Moved) {
    debug_assert!(moved.is_ok(), "an illegal IMAP state move");
}

impl State {
    /// The logged-in user, in every state after login.
    pub(super) fn user(&self) -> Option<&str> {
        match self {
            State::Authenticated { user } | State::Selected { user, .. } | State::Idle { user, .. } => Some(user),
            State::Logout { user } => user.as_deref(),
            State::NotAuthenticated(_) | State::Authenticating { .. } => None,
        }
    }

    /// The user and the selected view, if any, after login (not in Logout).
    pub(super) fn session_mut(&mut self) -> Option<(&str, Option<&mut Selected>)> {
        match self {
            State::Authenticated { user } => Some((user, None)),
            State::Selected { user, mailbox } => Some((user, Some(mailbox))),
            State::Idle { user, mailbox, .. } => Some((user, mailbox.as_mut())),
            _ => None,
        }
    }

    /// The Not Authenticated counters, before login.
    pub(super) fn pre_auth_mut(&mut self) -> Option<&mut PreAuth> {
        match self {
            State::NotAuthenticated(pre) | State::Authenticating { pre, .. } => Some(pre),
            _ => None,
        }
    }

    pub(super) fn is_idle(&self) -> bool {
        matches!(self, State::Idle { .. })
    }

    pub(super) fn is_logout(&self) -> bool {
        matches!(self, State::Logout { .. })
    }

    /// Not Authenticated → Authenticating: AUTHENTICATE sent a challenge.
    pub(super) fn move_to_authenticating(&mut self, tag: String, step: Exchange) -> Moved {
        let State::NotAuthenticated(pre) = self else { return Err(IllegalMove) };
        *self = State::Authenticating { pre: std::mem::take(pre), tag, step };
        Ok(())
    }

    /// Authenticating → Not Authenticated, with the exchange's tag and step,
    /// to be answered with the client's line.
    pub(super) fn move_out_of_authenticating(&mut self) -> Option<(String, Exchange)> {
        let State::Authenticating { pre, tag, step } = self else { return None };
        let (tag, step) = (std::mem::take(tag), std::mem::replace(step, Exchange::Plain));
        *self = State::NotAuthenticated(std::mem::take(pre));
        Some((tag, step))
    }

    /// Not Authenticated → Authenticated (§3.2): LOGIN or AUTHENTICATE succeeded.
    pub(super) fn move_to_authenticated(&mut self, user: String) -> Moved {
        let State::NotAuthenticated(_) = self else { return Err(IllegalMove) };
        *self = State::Authenticated { user };
        Ok(())
    }

    /// Authenticated → Selected (§3.3): SELECT or EXAMINE succeeded.
    pub(super) fn move_to_selected(&mut self, mailbox: Selected) -> Moved {
        let State::Authenticated { user } = self else { return Err(IllegalMove) };
        *self = State::Selected { user: std::mem::take(user), mailbox };
        Ok(())
    }

    /// Selected → Authenticated (CLOSE, UNSELECT, or a SELECT replacing it),
    /// with the view let go; `None` when no mailbox was selected.
    pub(super) fn move_out_of_selected(&mut self) -> Option<Selected> {
        let State::Selected { user, mailbox } = self else { return None };
        let mailbox = std::mem::replace(mailbox, empty_view());
        *self = State::Authenticated { user: std::mem::take(user) };
        Some(mailbox)
    }

    /// Authenticated or Selected → Idle (RFC 2177).
    pub(super) fn move_to_idle(&mut self, tag: String) -> Moved {
        let (user, mailbox) = match self {
            State::Authenticated { user } => (std::mem::take(user), None),
            State::Selected { user, mailbox } => (std::mem::take(user), Some(std::mem::replace(mailbox, empty_view()))),
            _ => return Err(IllegalMove),
        };
        *self = State::Idle { user, mailbox, tag };
        Ok(())
    }

    /// Idle → the state IDLE started from; returns the IDLE command's tag.
    pub(super) fn move_out_of_idle(&mut self) -> Option<String> {
        let State::Idle { user, mailbox, tag } = self else { return None };
        let (user, tag) = (std::mem::take(user), std::mem::take(tag));
        *self = match mailbox.take() {
            Some(mailbox) => State::Selected { user, mailbox },
            None => State::Authenticated { user },
        };
        Some(tag)
    }

    /// Any state → Logout (§3.4); the user is kept.
    pub(super) fn move_to_logout(&mut self) {
        let user = self.user().map(String::from);
        *self = State::Logout { user };
    }
}

/// A placeholder while a view is moved out of a state being replaced.
fn empty_view() -> Selected {
    Selected {
        name: String::new(),
        read_only: true,
        msgs: Vec::new(),
        recent: Default::default(),
        keywords: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_moves_rfc_3501_allows() {
        let mut s = State::NotAuthenticated(PreAuth::default());
        assert_eq!(s.move_to_selected(empty_view()), Err(IllegalMove), "no mailbox before login");
        assert_eq!(s.move_to_idle("t".into()), Err(IllegalMove), "no IDLE before login");
        assert_eq!(s, State::NotAuthenticated(PreAuth::default()));
        s.move_to_authenticating("a".into(), Exchange::LoginUser).unwrap();
        assert_eq!(s.move_to_authenticated("alice".into()), Err(IllegalMove), "the exchange is answered first");
        assert_eq!(s.move_out_of_authenticating(), Some(("a".into(), Exchange::LoginUser)));
        s.move_to_authenticated("alice".into()).unwrap();
        assert_eq!(s.move_to_authenticating("b".into(), Exchange::Plain), Err(IllegalMove), "no SASL after login");
        assert_eq!(s.move_out_of_selected(), None);
        s.move_to_idle("i".into()).unwrap();
        assert!(s.is_idle() && s.session_mut().is_some_and(|(_, m)| m.is_none()));
        assert_eq!(s.move_out_of_idle(), Some("i".into()));
        s.move_to_selected(empty_view()).unwrap();
        assert_eq!(s.move_to_selected(empty_view()), Err(IllegalMove), "SELECT lets the old one go first");
        s.move_to_idle("j".into()).unwrap();
        assert_eq!(s.move_out_of_idle(), Some("j".into()));
        assert!(matches!(s, State::Selected { .. }));
        s.move_to_logout();
        assert_eq!((s.is_logout(), s.user()), (true, Some("alice")));
        assert_eq!(s.move_to_authenticated("bob".into()), Err(IllegalMove));
    }
}
