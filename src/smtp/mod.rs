//! SMTP (RFC 5321 and its extensions): command syntax, server configuration
//! and the sans-IO server session.

pub mod config;
pub mod parser;
pub mod session;

pub use config::{Extension, Limits, ServerConfig};
pub use session::{Envelope, Event, Output, Server};
