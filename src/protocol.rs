//! The mail protocols by name, for the layers that speak of more than one
//! (the event stream, the explainer, transcripts).

use serde::{Deserialize, Serialize};

/// A mail protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    /// RFC 5321, between MTAs and from clients.
    Smtp,
    /// RFC 2033, from the MTA to the MDA.
    Lmtp,
    /// RFC 1939.
    Pop3,
    /// RFC 3501 (IMAP4rev1) and RFC 9051 (IMAP4rev2).
    Imap,
}

impl Protocol {
    /// The protocol's name as written (`SMTP`, `POP3`).
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Lmtp => "LMTP",
            Protocol::Pop3 => "POP3",
            Protocol::Imap => "IMAP",
        }
    }

    /// Parses a name, case-insensitively.
    pub fn from_name(name: &str) -> Option<Self> {
        [Protocol::Smtp, Protocol::Lmtp, Protocol::Pop3, Protocol::Imap]
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
