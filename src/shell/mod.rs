//! The learner's simulated shell: a prompt, a few commands, and `telnet` into
//! the world's services. Sans-IO like the protocol sessions: the UI (or a test)
//! hands it a typed line and renders the lines it returns.
//!
//! `telnet` prints what netkit telnet prints on Debian, so that what a learner
//! sees here is what they will see on a real machine.

pub mod args;
pub mod dnsutils;
pub mod openssl;
pub mod swaks;

use crate::explain::{Explainer, Reading};
use crate::protocol::Protocol;
use crate::world::hosts::port_from_str;
use crate::world::{Answer, ConnectError, Connection, World};
use serde::{Deserialize, Serialize};

/// What a terminal line is, for colouring and for screen readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    /// A command typed at the shell prompt, echoed with its prompt.
    Command,
    /// A line the learner sent over a connection.
    Client,
    /// A line a server sent.
    Server,
    /// What a local program printed (telnet's messages, help text).
    Output,
    /// An error from a local program.
    Error,
}

/// One line of terminal output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermLine {
    pub kind: LineKind,
    pub text: String,
    /// A server line read by its protocol's grammar: its tone, where its
    /// code is, what it means. The UI renders this and parses nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
}

impl TermLine {
    fn new(kind: LineKind, text: impl Into<String>) -> Self {
        Self { kind, text: text.into(), reading: None }
    }

    fn server(text: String, reading: Reading) -> Self {
        Self { kind: LineKind::Server, text, reading: Some(reading) }
    }
}

/// Explanations of multi-line replies on every line of them ([`crate::explain::backfill`]).
fn backfill(lines: &mut [TermLine]) {
    crate::explain::backfill(lines.iter_mut().map(|l| &mut l.reading));
}

/// What the shell did with one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellOutput {
    pub lines: Vec<TermLine>,
    /// The screen should be cleared first (`clear`).
    pub clear: bool,
}

#[derive(Debug, Clone)]
struct Session {
    host: String,
    conn: Connection,
    /// In telnet's command mode, after the escape character `^]`.
    escaped: bool,
    /// Reads the server's lines (none behind implicit TLS: nothing readable comes).
    explainer: Option<Explainer>,
    /// An `openssl s_client` session, not telnet: `Some(letters)`, where
    /// `letters` means a line starting with Q or R is s_client's command.
    s_client: Option<bool>,
}

/// Linux's canonical-mode line limit (`N_TTY_BUF_SIZE` less one): a terminal
/// takes no more characters on one line.
pub const MAX_LINE: usize = 4095;

/// The protocol a connection speaks, for its explainer.
fn protocol_of(conn: &Connection) -> Option<Protocol> {
    match conn {
        Connection::Smtp(s) if s.config().lmtp => Some(Protocol::Lmtp),
        Connection::Smtp(_) => Some(Protocol::Smtp),
        Connection::Pop3 { .. } => Some(Protocol::Pop3),
        Connection::Imap { .. } => Some(Protocol::Imap),
        Connection::ImplicitTls { .. } => None,
    }
}

/// The shell prompt of the learner's machine.
pub const PROMPT: &str = "learner@client:~$ ";

/// Shell commands and what they do, for `help`.
const HELP: &[(&str, &str)] = &[
    ("telnet HOST [PORT]", "open a TCP connection and type a protocol by hand (port 25: SMTP, 110: POP3, 143: IMAP)"),
    (
        "openssl s_client -connect HOST:PORT",
        "talk through TLS (465, 993, 995); -starttls smtp|pop3|imap starts TLS on a plain port",
    ),
    ("hosts", "list the machines of this world and their open ports"),
    ("dig [TYPE] NAME", "ask the DNS (dig MX example.org, dig +short A mail.example.com, dig -x 192.0.2.25)"),
    ("host [-t TYPE] NAME", "the same, briefly (host -t mx example.org)"),
    ("nslookup [-type=T] NAME", "the same, in nslookup's words"),
    ("swaks --to ADDR [...]", "send a test message and watch the SMTP dialogue (swaks --help)"),
    ("mailq", "the mail queues of the world's servers, as Postfix's mailq prints them"),
    ("sleep SECONDS", "let simulated time pass (queued mail is retried when due)"),
    ("clear", "clear the screen (also Ctrl+L)"),
    ("help", "show this list"),
];

/// The learner's shell, owning its world.
#[derive(Debug, Clone)]
pub struct Shell {
    world: World,
    session: Option<Session>,
    /// Everything shown, for lesson goals: the newest lines, bounded.
    log: Vec<TermLine>,
    /// How many older lines were dropped from `log`.
    log_dropped: usize,
}

/// Most lines the shell remembers for lesson checks.
const LOG_LIMIT: usize = 4000;

impl Shell {
    pub fn new(world: World) -> Self {
        Self { world, session: None, log: Vec::new(), log_dropped: 0 }
    }

    /// Puts the shell in a fresh world (a lesson's start): any open
    /// connection is dropped; what was shown stays in the log.
    pub fn reset_world(&mut self, world: World) {
        self.world = world;
        self.session = None;
    }

    /// The number of lines shown so far (a position for [`Shell::log_since`]).
    pub fn log_position(&self) -> usize {
        self.log_dropped + self.log.len()
    }

    /// The lines shown since a position (those still remembered).
    pub fn log_since(&self, position: usize) -> &[TermLine] {
        let start = position.saturating_sub(self.log_dropped).min(self.log.len());
        &self.log[start..]
    }

    fn remember(&mut self, out: &ShellOutput) {
        self.log.extend(out.lines.iter().cloned());
        if self.log.len() > LOG_LIMIT {
            let drop = self.log.len() - LOG_LIMIT;
            self.log.drain(..drop);
            self.log_dropped += drop;
        }
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }

    /// The lines shown when the terminal opens.
    pub fn welcome() -> Vec<TermLine> {
        vec![
            TermLine::new(LineKind::Output, "mailsim: a simulated network with real mail servers."),
            TermLine::new(LineKind::Output, "Type `help` for commands. Try: telnet mail.example.com 25"),
        ]
    }

    /// The prompt to show before the input: the shell's, `telnet> `, or none
    /// while a connection is open (telnet shows none).
    pub fn prompt(&self) -> &'static str {
        match &self.session {
            None => PROMPT,
            Some(s) if s.escaped => "telnet> ",
            Some(_) => "",
        }
    }

    /// The host of the open connection, if any.
    pub fn connected_to(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.host.as_str())
    }

    /// Handles one typed line (without its line ending).
    pub fn input(&mut self, line: &str) -> ShellOutput {
        let cut = line.char_indices().nth(MAX_LINE).map(|(i, _)| i);
        let mut out = self.run(&line[..cut.unwrap_or(line.len())]);
        if cut.is_some() {
            out.lines.push(TermLine::new(
                LineKind::Error,
                format!("(mailsim: the line was cut at {MAX_LINE} characters, as a terminal's line discipline does)"),
            ));
        }
        self.remember(&out);
        out
    }

    fn run(&mut self, line: &str) -> ShellOutput {
        match self.session.as_mut() {
            Some(s) if s.escaped => self.telnet_command(line),
            Some(s) if s.s_client == Some(true) && line.starts_with(['Q', 'R']) => {
                // s_client's own commands (apps/s_client.c): Q quits, R renegotiates.
                let mut out = ShellOutput::default();
                out.lines.push(TermLine::new(LineKind::Client, line));
                if line.starts_with('Q') {
                    self.session = None;
                    out.lines.push(TermLine::new(LineKind::Output, "DONE"));
                } else {
                    out.lines.push(TermLine::new(LineKind::Output, "RENEGOTIATING"));
                }
                out
            }
            Some(s) => {
                let mut out = ShellOutput::default();
                out.lines.push(TermLine::new(LineKind::Client, line));
                if let Some(x) = s.explainer.as_mut() {
                    x.client(line);
                    if s.s_client.is_none() && !s.conn.is_tls() {
                        if let Some(note) = crate::explain::cleartext_secret(x.protocol(), line) {
                            out.lines.push(TermLine::new(LineKind::Error, format!("(mailsim: {})", note.en)));
                        }
                    }
                }
                if let Connection::ImplicitTls { inner, .. } = &s.conn {
                    // What was typed is no TLS handshake: the server gives up, as Postfix's
                    // wrapper mode and Dovecot's ssl=required do.
                    out.lines.push(TermLine::new(
                        LineKind::Output,
                        format!("(mailsim: {inner} here expects a TLS handshake; what you typed is not one)"),
                    ));
                    self.session = None;
                    out.lines.push(TermLine::new(LineKind::Output, "Connection closed by foreign host."));
                    return out;
                }
                let mut bytes = line.as_bytes().to_vec();
                bytes.extend_from_slice(b"\r\n");
                let answer = self.world.send(&mut s.conn, &bytes);
                self.show_answer(answer, &mut out);
                out
            }
            None => self.shell_command(line),
        }
    }

    /// The telnet escape character (`^]`, Ctrl+]): enters telnet's command mode.
    pub fn escape(&mut self) -> ShellOutput {
        let mut out = ShellOutput::default();
        if let Some(s) = self.session.as_mut() {
            s.escaped = true;
            out.lines.push(TermLine::new(LineKind::Output, "^]"));
        }
        out
    }

    fn show_answer(&mut self, answer: Answer, out: &mut ShellOutput) {
        let start = out.lines.len();
        let explainer = self.session.as_mut().and_then(|s| s.explainer.as_mut());
        match explainer {
            Some(x) => out.lines.extend(answer.lines.into_iter().map(|l| {
                let reading = x.server(&l);
                TermLine::server(l, reading)
            })),
            None => out.lines.extend(answer.lines.into_iter().map(|l| TermLine::new(LineKind::Server, l))),
        }
        backfill(&mut out.lines[start..]);
        if answer.closed {
            let s_client = self.session.take().is_some_and(|s| s.s_client.is_some());
            out.lines.push(TermLine::new(
                LineKind::Output,
                if s_client { "closed" } else { "Connection closed by foreign host." },
            ));
        }
    }

    fn telnet_command(&mut self, line: &str) -> ShellOutput {
        let mut out = ShellOutput::default();
        out.lines.push(TermLine::new(LineKind::Command, format!("telnet> {line}")));
        let word = line.split_whitespace().next().unwrap_or("");
        match word {
            "" => {
                if let Some(s) = self.session.as_mut() {
                    s.escaped = false;
                }
            }
            "quit" | "q" | "close" | "c" => {
                self.session = None;
                out.lines.push(TermLine::new(LineKind::Output, "Connection closed."));
            }
            "?" | "help" | "h" => {
                for l in [
                    "close\tclose current connection",
                    "quit\texit telnet",
                    "?\tprint help information",
                    "(empty line: back to the connection)",
                ] {
                    out.lines.push(TermLine::new(LineKind::Output, l));
                }
            }
            _ => out.lines.push(TermLine::new(LineKind::Error, "?Invalid command")),
        }
        out
    }

    fn shell_command(&mut self, line: &str) -> ShellOutput {
        let mut out = ShellOutput::default();
        out.lines.push(TermLine::new(LineKind::Command, format!("{PROMPT}{line}")));
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&cmd, args)) = words.split_first() else { return out };
        match cmd {
            "help" => {
                out.lines.push(TermLine::new(LineKind::Output, "Commands:"));
                for (c, what) in HELP {
                    out.lines.push(TermLine::new(LineKind::Output, format!("  {c:<24} {what}")));
                }
                out.lines
                    .push(TermLine::new(LineKind::Output, "Keys: Up/Down recall history; Ctrl+] is telnet's escape."));
            }
            "clear" => out.clear = true,
            "hosts" => {
                for h in self.world.hosts() {
                    let ports: Vec<String> = h.open_ports().iter().map(|(p, name)| format!("{p}/{name}")).collect();
                    let ports = if ports.is_empty() { "no open ports".to_string() } else { ports.join(" ") };
                    out.lines.push(TermLine::new(LineKind::Output, format!("{:<20} {:<15} {}", h.name, h.ip, ports)));
                }
            }
            "telnet" => self.telnet(args, &mut out),
            "openssl" => self.openssl(args, &mut out),
            "swaks" => {
                let words = args::split_args(line);
                let start = out.lines.len();
                let mut x = Explainer::new(Protocol::Smtp);
                for (l, error) in swaks::swaks(&mut self.world, &words[1..]) {
                    let mut t = TermLine::new(if error { LineKind::Error } else { LineKind::Output }, l);
                    t.reading = swaks::read_line(&mut x, &t.text);
                    let secret =
                        t.text.strip_prefix(" -> ").and_then(|c| crate::explain::cleartext_secret(Protocol::Smtp, c));
                    out.lines.push(t);
                    if let Some(note) = secret {
                        out.lines.push(TermLine::new(LineKind::Error, format!("(mailsim: {})", note.en)));
                    }
                }
                backfill(&mut out.lines[start..]);
            }
            "sleep" => match args
                .first()
                .and_then(|a| a.trim_end_matches('s').parse::<i64>().ok())
                .filter(|n| (0..=30 * 86_400).contains(n))
            {
                Some(n) => {
                    let t = self.world.now() + n;
                    self.world.run_until_idle(t);
                    self.world.tick(t);
                }
                None => out.lines.push(TermLine::new(LineKind::Error, "sleep: usage: sleep SECONDS (at most 30 days)")),
            },
            "mailq" => out.lines.extend(
                crate::world::report::mailq(&self.world).into_iter().map(|l| TermLine::new(LineKind::Output, l)),
            ),
            "dig" => {
                let (now, id, cookie) = (self.world.now(), self.world.random_u16(), self.world.random_u128());
                let lines =
                    dnsutils::dig(self.world.dns(), &crate::world::dns::Resolver::learner(), args, now, id, cookie);
                out.lines.extend(lines.into_iter().map(|l| TermLine::new(LineKind::Output, l)));
            }
            "host" => {
                let lines = dnsutils::host(self.world.dns(), args);
                out.lines.extend(lines.into_iter().map(|l| TermLine::new(LineKind::Output, l)));
            }
            "nslookup" => {
                let lines = dnsutils::nslookup(self.world.dns(), &crate::world::dns::Resolver::learner(), args);
                out.lines.extend(lines.into_iter().map(|l| TermLine::new(LineKind::Output, l)));
            }
            _ => out.lines.push(TermLine::new(LineKind::Error, format!("{cmd}: command not found (type `help`)"))),
        }
        out
    }

    /// `openssl s_client …` ([`openssl`]): a TLS session the learner types into.
    fn openssl(&mut self, args: &[&str], out: &mut ShellOutput) {
        let say = |out: &mut ShellOutput, kind, lines: Vec<String>| {
            out.lines.extend(lines.into_iter().map(|l| TermLine::new(kind, l)));
        };
        if args.first() != Some(&"s_client") {
            let what = args.first().unwrap_or(&"");
            return say(out, LineKind::Error, vec![format!("Invalid command '{what}'; type \"help\" for a list.")]);
        }
        let o = match openssl::parse(&args[1..]) {
            Ok(o) => o,
            Err(e) => return say(out, LineKind::Error, e),
        };
        let opened = openssl::open(&mut self.world, &o);
        say(out, LineKind::Output, opened.printed);
        let Some(conn) = opened.conn else { return };
        let explainer = protocol_of(&conn).map(Explainer::new);
        let letters = !o.quiet;
        self.session = Some(Session { host: o.host, conn, escaped: false, explainer, s_client: Some(letters) });
        self.show_answer(Answer { lines: opened.shown, closed: opened.closed }, out);
    }

    /// `telnet host [port]`, printing what netkit telnet prints.
    fn telnet(&mut self, args: &[&str], out: &mut ShellOutput) {
        let (host, port_arg) = match args {
            [h] => (*h, "23"),
            [h, p] => (*h, *p),
            _ => {
                out.lines.push(TermLine::new(LineKind::Error, "usage: telnet host [port]"));
                return;
            }
        };
        let Some(port) = port_from_str(port_arg) else {
            out.lines.push(TermLine::new(
                LineKind::Error,
                format!("telnet: could not resolve {host}/{port_arg}: Servname not supported for ai_socktype"),
            ));
            return;
        };
        let Some(ip) = self.world.resolve(host).map(|h| h.ip.clone()) else {
            out.lines.push(TermLine::new(
                LineKind::Error,
                format!("telnet: could not resolve {host}/{port_arg}: Name or service not known"),
            ));
            return;
        };
        out.lines.push(TermLine::new(LineKind::Output, format!("Trying {ip}...")));
        match self.world.connect(host, port) {
            Ok((conn, greeting)) => {
                out.lines.push(TermLine::new(LineKind::Output, format!("Connected to {host}.")));
                out.lines.push(TermLine::new(LineKind::Output, "Escape character is '^]'."));
                if let Connection::ImplicitTls { inner, .. } = &conn {
                    // Not telnet's output: a note from mailsim on why nothing readable comes.
                    out.lines.push(TermLine::new(
                        LineKind::Output,
                        format!(
                            "(mailsim: port {port} is {inner} over implicit TLS (RFC 8314): the server waits for a TLS handshake \
                             and sends nothing readable. A TLS client talks to it: openssl s_client -connect {host}:{port})"
                        ),
                    ));
                }
                let explainer = protocol_of(&conn).map(Explainer::new);
                self.session =
                    Some(Session { host: host.to_string(), conn, escaped: false, explainer, s_client: None });
                self.show_answer(greeting, out);
            }
            Err(ConnectError::Refused) | Err(ConnectError::UnknownHost) => {
                out.lines.push(TermLine::new(
                    LineKind::Error,
                    "telnet: Unable to connect to remote host: Connection refused",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests;
