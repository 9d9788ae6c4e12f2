//! Command-line interface (native only).

use clap::{Parser, Subcommand};
use mailsim::world::scenario::Scenario;
use mailsim::world::World;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mailsim: a simulator of the mail protocols SMTP, POP3 and IMAP.
///
/// The same sans-IO engine as the browser app, driven from the command line.
#[derive(Parser, Debug)]
#[command(name = "mailsim", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How to reach a server of the default world over standard input and output.
#[derive(clap::Args, Debug)]
struct Stdio {
    /// Talk over standard input and output (the only transport so far).
    #[arg(long)]
    stdio: bool,
    /// The host whose server answers.
    #[arg(long, default_value = "mail.example.com")]
    host: String,
    /// The port of that host (default: the protocol's usual port).
    #[arg(long)]
    port: Option<u16>,
    /// Seed for queue ids and challenges: the same seed gives the same run.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Set the world up as this scenario file says (docs/scenarios.md).
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Speak SMTP as a server of the default world (like `sendmail -bs`).
    ///
    /// Reads commands on standard input (CRLF or LF line ends), writes replies
    /// with CRLF on standard output, and exits after QUIT or at end of input.
    Smtp(Stdio),
    /// Speak POP3 as a server of the default world (port 110, Dovecot's texts).
    ///
    /// Reads commands on standard input (CRLF or LF line ends), writes replies
    /// with CRLF on standard output, and exits after QUIT or at end of input.
    /// alice/alicepw and bob/bobpw have three messages each.
    Pop3(Stdio),
    /// Send a message through the simulated world and print each hop.
    ///
    /// By default alice submits to her provider's MSA (mail.example.com:587,
    /// AUTH) for carol@example.org; the log shows DNS lookups, every SMTP and
    /// LMTP dialogue, deferrals, retries and bounces on the simulated clock.
    Trace(crate::trace_cmd::TraceArgs),
    /// Speak IMAP as a server of the default world (port 143, Dovecot's texts).
    ///
    /// Reads commands on standard input (CRLF or LF line ends), writes
    /// responses with CRLF on standard output, and exits after LOGOUT or at end
    /// of input. alice/alicepw and bob/bobpw have three messages each.
    Imap(Stdio),
    /// Explain a mail transcript: every reply, the problems, a summary.
    ///
    /// Reads mailsim's C:/S: lines, a raw telnet capture, swaks, openssl
    /// s_client, curl -v or Python smtplib/poplib/imaplib debug output (the
    /// format is detected), and prints each step with what it means. Exit
    /// status 2 when the input is no transcript.
    Explain(crate::explain_cmd::ExplainArgs),
    /// Work with lesson files (for teachers): `mailsim lesson check FILE…`, `mailsim lesson record`.
    Lesson {
        #[command(subcommand)]
        command: crate::lesson_cmd::LessonCommand,
    },
}

/// The longest lesson or scenario file read (a file is a few kilobytes).
const MAX_TEXT: u64 = 1 << 20;

/// Reads a teacher's text file (UTF-8, at most a mebibyte); the error names the file.
pub fn read_text(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_TEXT + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_TEXT {
        return Err(format!("{}: longer than {MAX_TEXT} bytes", path.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))
}

/// The default world with `seed`, set up as the scenario file says, if one is given.
pub fn world(seed: u64, scenario: Option<&Path>) -> Result<World, String> {
    let mut world = World::new(seed);
    if let Some(path) = scenario {
        let text = read_text(path)?;
        let indent = |e: String| format!("{}:\n  {}", path.display(), e.replace('\n', "\n  "));
        let s = Scenario::parse(&text).map_err(|e| indent(e.to_string()))?;
        s.apply(&mut world).map_err(|e| indent(e.to_string()))?;
    }
    Ok(world)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (name, default_port, args) = match cli.command {
        Command::Smtp(a) => ("smtp", 25, a),
        Command::Pop3(a) => ("pop3", 110, a),
        Command::Trace(a) => return crate::trace_cmd::run(a),
        Command::Imap(a) => ("imap", 143, a),
        Command::Explain(a) => return crate::explain_cmd::run(a),
        Command::Lesson { command } => return crate::lesson_cmd::run(command),
    };
    if !args.stdio {
        eprintln!("mailsim {name}: only --stdio is available so far");
        return ExitCode::from(2);
    }
    let world = match world(args.seed, args.scenario.as_deref()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("mailsim {name}: {e}");
            return ExitCode::from(2);
        }
    };
    match serve_stdio(world, &args.host, args.port.unwrap_or(default_port)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mailsim {name}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Turns bare LF line ends into CRLF, remembering whether the previous chunk
/// ended with CR.
fn crlf(chunk: &[u8], last_cr: &mut bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(chunk.len() + 16);
    for &b in chunk {
        if b == b'\n' && !*last_cr {
            out.push(b'\r');
        }
        out.push(b);
        *last_cr = b == b'\r';
    }
    out
}

fn serve_stdio(mut world: World, host: &str, port: u16) -> io::Result<()> {
    // Standard input stands for the client's side of the connection; on an
    // implicit-TLS port it is what arrives after the handshake.
    let (mut conn, greeting) = match world.connect_over_tls(host, port) {
        Ok(v) => v,
        Err(e) => return Err(io::Error::other(format!("cannot connect to {host}:{port}: {e:?}"))),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let write_lines = |out: &mut io::StdoutLock, lines: &[String]| -> io::Result<()> {
        for l in lines {
            out.write_all(l.as_bytes())?;
            out.write_all(b"\r\n")?;
        }
        out.flush()
    };
    write_lines(&mut out, &greeting.lines)?;
    let mut stdin = io::stdin().lock();
    let mut buf = [0u8; 8192];
    let mut last_cr = false;
    loop {
        let n = stdin.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let answer = world.send(&mut conn, &crlf(&buf[..n], &mut last_cr));
        write_lines(&mut out, &answer.lines)?;
        if answer.closed {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::crlf;

    #[test]
    fn bare_lf_becomes_crlf_across_chunks() {
        let mut cr = false;
        assert_eq!(crlf(b"a\nb\r", &mut cr), b"a\r\nb\r");
        assert_eq!(crlf(b"\nc\n", &mut cr), b"\nc\r\n");
    }
}
