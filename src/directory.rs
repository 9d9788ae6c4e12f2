//! Who receives mail where: the local domains of a mail host, their users and
//! aliases. SMTP uses it to accept or refuse recipients (RFC 5321 §3.3); POP3
//! and IMAP will use it to log users in.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The answer to "may I deliver to this address here?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A local address; the mailboxes (user names) it delivers to.
    Local(Vec<String>),
    /// The domain is ours, the user is not.
    UnknownUser,
    /// The domain is not ours: delivering there means relaying.
    Foreign,
}

/// A user with a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub password: String,
}

/// Local domains, users and aliases of one mail host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    /// Domains this host receives mail for, lower case.
    pub domains: Vec<String>,
    /// Users, by lower-case name.
    pub users: BTreeMap<String, User>,
    /// Aliases (lower-case local part) to user names.
    pub aliases: BTreeMap<String, Vec<String>>,
}

impl Directory {
    /// Adds a user with a mailbox.
    pub fn add_user(&mut self, name: &str, password: &str) {
        self.users
            .insert(name.to_ascii_lowercase(), User { name: name.to_ascii_lowercase(), password: password.into() });
    }

    /// Adds an alias delivering to the given users.
    pub fn add_alias(&mut self, name: &str, targets: &[&str]) {
        self.aliases.insert(name.to_ascii_lowercase(), targets.iter().map(|t| t.to_ascii_lowercase()).collect());
    }

    /// True when `domain` is one of ours (case-insensitive).
    pub fn is_local_domain(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }

    /// Looks up a mailbox `local@domain`, or a bare `local` part, which
    /// RFC 5321 §4.5.1 allows for `postmaster` and Postfix allows for any local user.
    pub fn lookup(&self, address: &str) -> Lookup {
        let (local, domain) = match address.rsplit_once('@') {
            Some((l, d)) => (l, Some(d)),
            None => (address, None),
        };
        if let Some(d) = domain {
            // A fully qualified name's final dot names the same domain.
            if !self.is_local_domain(d.strip_suffix('.').unwrap_or(d)) {
                return Lookup::Foreign;
            }
        }
        let find = |key: &str| {
            if let Some(u) = self.users.get(key) {
                return Some(Lookup::Local(vec![u.name.clone()]));
            }
            self.aliases.get(key).map(|targets| Lookup::Local(targets.clone()))
        };
        let key = local.to_ascii_lowercase();
        // Debian's Postfix sets recipient_delimiter = +: alice+tag is alice.
        let base = key.split_once('+').map(|(b, _)| b);
        find(&key).or_else(|| base.and_then(find)).unwrap_or(Lookup::UnknownUser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Directory {
        let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
        d.add_user("alice", "alicepw");
        d.add_alias("postmaster", &["alice"]);
        d
    }

    #[test]
    fn lookups() {
        let d = example();
        assert_eq!(d.lookup("Alice@EXAMPLE.com"), Lookup::Local(vec!["alice".into()]));
        assert_eq!(d.lookup("postmaster"), Lookup::Local(vec!["alice".into()]));
        assert_eq!(d.lookup("nobody@example.com"), Lookup::UnknownUser);
        assert_eq!(d.lookup("bob@example.org"), Lookup::Foreign);
        assert_eq!(d.lookup("bob@[192.0.2.25]"), Lookup::Foreign);
    }
}
