//! The learner's simulated shell: a prompt, a few commands, and `telnet` into
//! the world's services. Sans-IO like the protocol sessions: the UI (or a test)
//! hands it a typed line and renders the lines it returns.
//!
//! `telnet` prints what netkit telnet prints on Debian, so that what a learner
//! sees here is what they will see on a real machine.

pub mod args;
pub mod dnsutils;
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
}

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
        let out = self.run(line);
        self.remember(&out);
        out
    }

    fn run(&mut self, line: &str) -> ShellOutput {
        match self.session.as_mut() {
            Some(s) if s.escaped => self.telnet_command(line),
            Some(s) => {
                let mut out = ShellOutput::default();
                out.lines.push(TermLine::new(LineKind::Client, line));
                if let Some(x) = s.explainer.as_mut() {
                    x.client(line);
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
            self.session = None;
            out.lines.push(TermLine::new(LineKind::Output, "Connection closed by foreign host."));
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
            "swaks" => {
                let words = args::split_args(line);
                let start = out.lines.len();
                let mut x = Explainer::new(Protocol::Smtp);
                for (l, error) in swaks::swaks(&mut self.world, &words[1..]) {
                    let mut t = TermLine::new(if error { LineKind::Error } else { LineKind::Output }, l);
                    t.reading = swaks::read_line(&mut x, &t.text);
                    out.lines.push(t);
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
                self.session = Some(Session { host: host.to_string(), conn, escaped: false, explainer });
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
mod tests {
    use super::*;

    fn texts(out: &ShellOutput) -> Vec<&str> {
        out.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn telnet_prints_what_netkit_telnet_prints() {
        let mut sh = Shell::new(World::new(1));
        let out = sh.input("telnet mail.example.com 25");
        assert_eq!(
            texts(&out),
            vec![
                "learner@client:~$ telnet mail.example.com 25",
                "Trying 192.0.2.25...",
                "Connected to mail.example.com.",
                "Escape character is '^]'.",
                "220 mail.example.com ESMTP Postfix",
            ]
        );
        assert_eq!(sh.prompt(), "");
        let out = sh.input("QUIT");
        assert_eq!(texts(&out), vec!["QUIT", "221 2.0.0 Bye", "Connection closed by foreign host."]);
        assert_eq!(sh.prompt(), PROMPT);
    }

    #[test]
    fn telnet_to_pop3_reads_the_seeded_mailbox() {
        let mut sh = Shell::new(World::new(1));
        let out = sh.input("telnet mail.example.com pop3");
        assert_eq!(
            texts(&out)[1..],
            [
                "Trying 192.0.2.25...",
                "Connected to mail.example.com.",
                "Escape character is '^]'.",
                "+OK Dovecot (Debian) ready."
            ]
        );
        assert_eq!(texts(&sh.input("USER bob")), ["USER bob", "+OK"]);
        assert_eq!(texts(&sh.input("PASS bobpw")), ["PASS bobpw", "+OK Logged in."]);
        assert_eq!(texts(&sh.input("LIST"))[1], "+OK 3 messages:");
        assert_eq!(texts(&sh.input("QUIT"))[1..], ["+OK Logging out.", "Connection closed by foreign host."]);
    }

    #[test]
    fn telnet_to_465_explains_implicit_tls() {
        let mut sh = Shell::new(World::new(1));
        let t = texts(&sh.input("telnet mail.example.com 465")).iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(t[4].contains("SMTP submission over implicit TLS") && t[4].contains("mail.example.com:465"), "{t:?}");
        assert_eq!(texts(&sh.input("EHLO x")), ["EHLO x"], "nothing readable comes back");
    }

    #[test]
    fn telnet_to_pop3s_explains_implicit_tls() {
        let mut sh = Shell::new(World::new(1));
        let out = sh.input("telnet mail.example.com 995");
        let t = texts(&out);
        assert_eq!(t[1..4], ["Trying 192.0.2.25...", "Connected to mail.example.com.", "Escape character is '^]'."]);
        assert!(
            t[4].contains("implicit TLS") && t[4].contains("openssl s_client -connect mail.example.com:995"),
            "{t:?}"
        );
        assert_eq!(texts(&sh.input("USER bob")), ["USER bob"], "nothing readable comes back");
        assert_eq!(sh.connected_to(), Some("mail.example.com"));
    }

    #[test]
    fn closed_ports_and_unknown_hosts() {
        let mut sh = Shell::new(World::new(1));
        let out = sh.input("telnet mail.example.com 26");
        assert_eq!(
            texts(&out)[1..],
            ["Trying 192.0.2.25...", "telnet: Unable to connect to remote host: Connection refused"]
        );
        let out = sh.input("telnet nosuch.example 25");
        assert_eq!(texts(&out)[1], "telnet: could not resolve nosuch.example/25: Name or service not known");
        let out = sh.input("telnet mail.example.com");
        assert!(texts(&out).contains(&"telnet: Unable to connect to remote host: Connection refused"));
        assert_eq!(sh.prompt(), PROMPT);
    }

    #[test]
    fn service_names_and_addresses_work_as_ports_and_hosts() {
        let mut sh = Shell::new(World::new(1));
        let out = sh.input("telnet 192.0.2.25 smtp");
        assert!(texts(&out).contains(&"Connected to 192.0.2.25."));
    }

    #[test]
    fn escape_then_quit_closes_the_connection() {
        let mut sh = Shell::new(World::new(1));
        sh.input("telnet mail.example.com 25");
        sh.escape();
        assert_eq!(sh.prompt(), "telnet> ");
        let out = sh.input("quit");
        assert_eq!(texts(&out), vec!["telnet> quit", "Connection closed."]);
        assert_eq!(sh.prompt(), PROMPT);
    }

    #[test]
    fn escape_then_empty_line_returns_to_the_session() {
        let mut sh = Shell::new(World::new(1));
        sh.input("telnet mail.example.com 25");
        sh.escape();
        sh.input("");
        assert_eq!(texts(&sh.input("NOOP")), vec!["NOOP", "250 2.0.0 Ok"]);
    }

    #[test]
    fn dns_tools_answer_from_the_world() {
        let mut sh = Shell::new(World::new(1));
        assert_eq!(texts(&sh.input("dig +short MX example.org"))[1..], ["10 mail.example.org.", "20 mx2.example.org."]);
        assert_eq!(
            texts(&sh.input("host -t mx example.com"))[1..],
            ["example.com mail is handled by 10 mail.example.com."]
        );
        assert_eq!(
            texts(&sh.input("host 192.0.2.25"))[1..],
            ["25.2.0.192.in-addr.arpa domain name pointer mail.example.com."]
        );
        assert!(texts(&sh.input("nslookup -type=txt _dmarc.example.com")).iter().any(|l| l.contains("v=DMARC1")));
        let out = sh.input("dig MX example.org");
        assert!(texts(&out).iter().any(|l| l.starts_with(";; ->>HEADER<<- opcode: QUERY, status: NOERROR")));
    }

    #[test]
    fn swaks_mailq_and_sleep_show_a_retry() {
        let mut sh = Shell::new(World::new(1));
        sh.world_mut().faults_mut().greylisting = true;
        let out = sh.input("swaks --to carol@example.org --from alice@example.com --server mail.example.com:587 --auth-user alice --auth-password alicepw --tls --header \"Subject: Grey\"");
        assert!(texts(&out).contains(&"<~  250 2.0.0 Ok: queued as 25CD15DDD7"), "{:#?}", texts(&out));
        let q = sh.input("mailq");
        let q = texts(&q);
        assert_eq!(q[1], "mail.example.com:");
        assert_eq!(q[2], "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------");
        assert!(q[3].starts_with("25CD15DDD7") && q[3].ends_with("Mon Nov 16 09:00:00  alice@example.com"), "{q:#?}");
        assert!(q.iter().any(|l| l.contains("said: 450 4.7.1")), "{q:#?}");
        assert_eq!(q.last().copied(), Some("-- 1 Kbytes in 1 Request."));
        sh.input("sleep 300");
        assert_eq!(texts(&sh.input("mailq"))[1], "Mail queue is empty");
        assert_eq!(texts(&sh.input("sleep x"))[1], "sleep: usage: sleep SECONDS (at most 30 days)");
    }

    #[test]
    fn help_unknown_and_clear() {
        let mut sh = Shell::new(World::new(1));
        assert!(texts(&sh.input("help"))
            .iter()
            .any(|l| l.contains("telnet HOST [PORT]") && l.contains("110: POP3") && l.contains("143: IMAP")));
        assert_eq!(texts(&sh.input("foo bar"))[1], "foo: command not found (type `help`)");
        assert!(sh.input("clear").clear);
        assert_eq!(sh.input("   ").lines.len(), 1);
    }

    #[test]
    fn every_server_line_is_read_by_its_protocol() {
        use crate::explain::Tone;
        let mut sh = Shell::new(World::new(1));
        sh.input("telnet mail.example.com 110");
        sh.input("USER alice");
        sh.input("PASS alicepw");
        let out = sh.input("LIST");
        let server: Vec<&TermLine> = out.lines.iter().filter(|l| l.kind == LineKind::Server).collect();
        let tones: Vec<Tone> = server.iter().map(|l| l.reading.as_ref().unwrap().tone).collect();
        assert_eq!(tones, [Tone::Success, Tone::Data, Tone::Data, Tone::Data, Tone::Info], "{server:#?}");
        assert!(server[1].reading.as_ref().unwrap().badge.is_none(), "a listing line has no code to click");
        sh.input("QUIT");
        // SMTP: every line of the EHLO reply carries the reply's explanation.
        sh.input("telnet mail.example.com 25");
        let ehlo = sh.input("EHLO client.example.net");
        let lines: Vec<&TermLine> = ehlo.lines.iter().filter(|l| l.kind == LineKind::Server).collect();
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| l
            .reading
            .as_ref()
            .unwrap()
            .explanation
            .as_ref()
            .unwrap()
            .rfc
            .contains("4.1.1.1")));
        sh.input("QUIT");
        // swaks: `<-` lines are read as SMTP, the code just after the arrow.
        let out = sh.input("swaks --to carol@example.org --server mail.example.com");
        let greeting = out.lines.iter().find(|l| l.text.starts_with("<-  220")).unwrap();
        let r = greeting.reading.as_ref().unwrap();
        assert_eq!((&greeting.text[r.badge.unwrap().0..r.badge.unwrap().1], r.tone), ("220", Tone::Success));
        assert!(out.lines.iter().filter(|l| l.text.starts_with(" -> ")).all(|l| l.reading.is_none()));
    }
}
