//! SMTP (RFC 5321 and its extensions): command syntax, server configuration
//! and the sans-IO server session.

mod auth;
pub mod catalogue;
pub mod client;
pub mod config;
pub mod dsn;
pub mod envelope;
pub mod parser;
pub mod personality;
pub mod session;
mod transaction;

pub use client::{Client, ClientConfig, Outcome, Outgoing, Said};
pub use config::{Extension, Limits, Peer, ServerConfig};
pub use envelope::{Envelope, NoEnv, RcptCheck, Refusal, ServerEnv};
pub use personality::Personality;
pub use session::{Event, Output, Server};
