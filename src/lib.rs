//! mailsim: an interactive simulator of the mail protocols SMTP, POP3 and IMAP.
//!
//! Layers, each knowing only the ones below it:
//! - [`codec`], [`reply`], [`directory`], [`sim`], [`lang`], [`located`]: line
//!   framing with bounds, reply types, users and domains, simulated time and
//!   seeded randomness, the interface languages and their texts, errors at a
//!   line of a file a person wrote;
//! - [`store`]: users' folders and messages, shared by delivery, POP3 and IMAP;
//! - [`sasl`]: SASL PLAIN, LOGIN, CRAM-MD5 and APOP, shared by the three protocols;
//! - [`smtp`]: the sans-IO SMTP server session (feed bytes, get replies and events);
//! - [`pop3`]: the sans-IO POP3 server session, reading the store;
//! - [`imap`]: the sans-IO IMAP4rev1 server session on the same store;
//! - [`world`]: hosts, ports and services, the mail they accept;
//! - [`shell`]: the learner's simulated shell with `telnet`;
//! - `ui` (wasm32 only): the Yew browser app; the `mailsim` binary (native only).

pub mod codec;
pub mod directory;
pub mod embed;
pub mod encoding;
pub mod explain;
pub mod imap;
pub mod lang;
pub mod lessons;
pub mod link;
pub mod located;
pub mod mime;
pub mod pop3;
pub mod protocol;
pub mod reference;
pub mod reply;
pub mod sasl;
pub mod shell;
pub mod sim;
pub mod smtp;
pub mod store;
pub mod transcript;
pub mod world;

/// The browser app: its Yew components are wasm32 only (see `ui`), its plain logic is not.
pub mod ui;
