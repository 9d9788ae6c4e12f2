//! `mailsim trace`: sends one message through the world and prints what
//! happened, hop by hop, with each hop's dialogue (or the event stream as
//! JSON). For teachers, scripts, and testing the world without a browser.

use clap::{Args, ValueEnum};
use mailsim::sim::rfc5322_date;
use mailsim::smtp::client::{ClientConfig, Outgoing};
use mailsim::world::report::render;
use std::process::ExitCode;

/// A policy or fault to switch on (see the world's faults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fault {
    /// mail.example.org greylists first attempts (450 4.7.1, retry after 5 min).
    Greylisting,
    /// mail.example.org checks SPF of the sender domain.
    Spf,
    /// The learner's address is on a DNS blocklist.
    Dnsbl,
    /// mail.example.org refuses spam-looking messages.
    SpamFilter,
    /// carol@example.org's mailbox is full.
    MailboxFull,
    /// mail.example.org is down.
    RemoteDown,
    /// The learner's ISP blocks outbound port 25.
    Block25,
    /// mail.example.com relays for anyone.
    OpenRelay,
    /// mail.example.org checks HELO names (FQDN, resolvable).
    HeloCheck,
    /// mail.example.com sends everything through the smart host relay.example.net.
    SmartHost,
}

/// How the learner's client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Via {
    /// Submission to the provider's MSA, mail.example.com:587, with AUTH (the right way).
    Submission,
    /// Straight to the recipient domain's MX on port 25, without AUTH.
    Mx,
}

#[derive(Args, Debug)]
pub struct TraceArgs {
    /// The sender (envelope and From:).
    #[arg(long, default_value = "alice@example.com")]
    from: String,
    /// A recipient (repeat for more).
    #[arg(long, default_values_t = ["carol@example.org".to_string()])]
    to: Vec<String>,
    #[arg(long, default_value = "Hello")]
    subject: String,
    #[arg(long, default_value = "Hello from mailsim.")]
    body: String,
    /// Send this RFC 5322 file instead of --subject/--body.
    #[arg(long)]
    eml: Option<std::path::PathBuf>,
    /// How the client sends.
    #[arg(long, value_enum, default_value_t = Via::Submission)]
    via: Via,
    /// The AUTH login for --via submission.
    #[arg(long, default_value = "alice")]
    login: String,
    #[arg(long, default_value = "alicepw")]
    password: String,
    /// Switch on a policy or fault (repeat for more).
    #[arg(long, value_enum)]
    fault: Vec<Fault>,
    /// Follow retries on the simulated clock for this many seconds.
    #[arg(long, default_value_t = 86_400)]
    follow: i64,
    /// Print the event stream as JSON instead of the log.
    #[arg(long)]
    json: bool,
    /// Leave out each hop's dialogue.
    #[arg(long)]
    brief: bool,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Set the world up as this scenario file says (docs/scenarios.md).
    #[arg(long)]
    scenario: Option<std::path::PathBuf>,
}

pub fn run(a: TraceArgs) -> ExitCode {
    let mut world = match crate::cli::world(a.seed, a.scenario.as_deref()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("mailsim trace: {e}");
            return ExitCode::from(2);
        }
    };
    for fault in &a.fault {
        // The value names are the world's switch names (mailsim::world::faults::NAMES).
        if let Some(v) = fault.to_possible_value() {
            if let Err(e) = world.faults_mut().switch_on(v.get_name()) {
                eprintln!("mailsim trace: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let data = match &a.eml {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => crlf(&bytes),
            Err(e) => {
                eprintln!("mailsim trace: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\n\r\n{}\r\n",
            a.from,
            a.to.join(", "),
            a.subject,
            rfc5322_date(world.now()),
            a.body
        )
        .into_bytes(),
    };
    let msg = Outgoing { mail_from: a.from.clone(), mail_params: vec![], rcpt_to: a.to.clone(), data };
    let (host, port, cfg) = match a.via {
        Via::Submission => {
            let mut cfg = ClientConfig::smtp("client.example.net");
            cfg.auth = Some((a.login.clone(), a.password.clone()));
            ("mail.example.com".to_string(), 587, cfg)
        }
        Via::Mx => {
            let domain = a.to.first().and_then(|t| t.rsplit_once('@')).map(|(_, d)| d.to_string()).unwrap_or_default();
            let Some((_, mx)) = world.dns().mx(&domain).into_iter().next() else {
                eprintln!("mailsim trace: {domain} has no MX and no address");
                return ExitCode::from(2);
            };
            (mx, 25, ClientConfig::smtp("client.example.net"))
        }
    };
    world.send_from_client(&host, port, cfg, msg);
    let start = world.now();
    world.run_until_idle(start + a.follow.max(0));
    if a.json {
        match serde_json::to_string_pretty(world.events()) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("mailsim trace: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for line in render(world.events(), !a.brief) {
            println!("{line}");
        }
        let waiting = world.queue().entries().len();
        if waiting > 0 {
            println!("({waiting} message(s) still queued after {} s of simulated time)", a.follow);
        }
    }
    ExitCode::SUCCESS
}

/// Bare LF line ends to CRLF (an .eml file written on Unix).
fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut prev = 0u8;
    for &b in bytes {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}
