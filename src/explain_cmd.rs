//! `mailsim explain [FILE|-]`: any mail transcript, annotated — the same
//! engine code as the browser's explorer (`mailsim::transcript`).

use mailsim::lang::Lang;
use mailsim::transcript::check::Personality;
use mailsim::transcript::{analyse, check, parse, parse_rawlog, Against, Export, Format};
use std::io::Read;
use std::process::ExitCode;

/// Options of `mailsim explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The transcript file; `-` or nothing reads standard input.
    pub file: Option<String>,
    /// The format: auto, cs, telnet, swaks, openssl, curl, python, postfix-log, dovecot-rawlog,
    /// json or asciicast (mailsim's own exports).
    /// A Dovecot rawlog file (`….in` or `….out`) is read with its twin.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Print one JSON object: protocol, format, steps (client, server, explanations), problems, summary.
    #[arg(long)]
    pub json: bool,
    /// The language of the explanations: en or ru.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Print the transcript converted instead: cs (C:/S: lines), text, json or asciicast.
    /// Credentials are redacted unless --keep-secrets.
    #[arg(long, value_name = "FORMAT")]
    pub export: Option<String>,
    /// Print a share link's fragment (`#t=…`: the transcript deflated, base64url), for
    /// mailsim's page; redacted unless --keep-secrets.
    #[arg(long)]
    pub link: bool,
    /// Keep passwords and AUTH data in --export and --link.
    #[arg(long)]
    pub keep_secrets: bool,
    /// Replay the client's lines against mailsim's own server (a fresh world) and print, step
    /// by step, where the real server's replies differ; with --json, a "check" object.
    #[arg(long)]
    pub check: bool,
    /// The server --check replays against: postfix, sendmail, communigate (SMTP), dovecot
    /// (POP3, IMAP) or dovecot-lmtp (LMTP); by default what the greeting suggests.
    #[arg(long, value_name = "SERVER", requires = "check")]
    pub against: Option<String>,
    /// The port --check connects to; by default 587 when the client authenticates, else the
    /// protocol's own (465, 993, 995 when the greeting came inside TLS).
    #[arg(long, requires = "check")]
    pub port: Option<u16>,
}

pub fn run(a: ExplainArgs) -> ExitCode {
    let fail = |what: String| {
        eprintln!("mailsim explain: {what}");
        ExitCode::from(2)
    };
    let format = match a.format.as_str() {
        "auto" => None,
        name => match Format::from_name(name) {
            Some(f) => Some(f),
            None => {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                return fail(format!("unknown format {name:?} (auto, {})", names.join(", ")));
            }
        },
    };
    let Some(lang) = Lang::from_code(&a.lang) else {
        return fail(format!("unknown language {:?} (en, ru)", a.lang));
    };
    let export = match a.export.as_deref().map(|e| (e, Export::from_name(e))) {
        None => None,
        Some((_, Some(e))) => Some(e),
        Some((e, None)) => return fail(format!("unknown export {e:?} (cs, text, json, asciicast)")),
    };
    let personality = match a.against.as_deref().map(|n| (n, Personality::from_name(n))) {
        None => None,
        Some((_, Some(p))) => Some(p),
        Some((n, None)) => {
            let names: Vec<&str> = Personality::ALL.iter().map(|p| p.name()).collect();
            return fail(format!("unknown server {n:?} for --against ({})", names.join(", ")));
        }
    };
    let mut input = Vec::new();
    // Read a little past the parser's bound, so that it can say it cut the input.
    let limit = (mailsim::transcript::MAX_BYTES + 1) as u64;
    let read = match a.file.as_deref() {
        None | Some("-") => std::io::stdin().take(limit).read_to_end(&mut input),
        Some(path) => std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut input)),
    };
    if let Err(e) = read {
        return fail(format!("{}: {e}", a.file.as_deref().unwrap_or("standard input")));
    }
    // A Dovecot rawlog is a pair of files: read the twin too.
    let twin = a.file.as_deref().and_then(|f| {
        let (stem, other) = match () {
            _ if f.ends_with(".in") => (&f[..f.len() - 3], ".out"),
            _ if f.ends_with(".out") => (&f[..f.len() - 4], ".in"),
            _ => return None,
        };
        let mut t = Vec::new();
        std::fs::File::open(format!("{stem}{other}")).and_then(|x| x.take(limit).read_to_end(&mut t)).ok()?;
        Some(if other == ".out" { (input.clone(), t) } else { (t, input.clone()) })
    });
    let parsed = match twin {
        Some((ins, outs)) if matches!(format, None | Some(Format::DovecotRawlog)) => parse_rawlog(&ins, &outs),
        _ => parse(&input, format),
    };
    let transcript = match parsed {
        Ok(t) => t,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(what) = export {
        print!("{}", mailsim::transcript::export(&transcript, what, a.keep_secrets));
        return ExitCode::SUCCESS;
    }
    if a.link {
        let text = mailsim::transcript::export(&transcript, Export::Cs, a.keep_secrets);
        let link = mailsim::link::Link { transcript: Some(text), ..Default::default() };
        return match link.to_fragment() {
            Ok(f) => {
                println!("#{f}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.to_string()),
        };
    }
    if let Some(p) = personality.filter(|p| !p.speaks(transcript.protocol)) {
        return fail(format!(
            "--against {}: this transcript is {}, which it does not speak",
            p.name(),
            transcript.protocol.name()
        ));
    }
    let comparison = a.check.then(|| check(&transcript, Against { personality, port: a.port }));
    let analysis = analyse(transcript);
    match (a.json, comparison) {
        (true, c) => {
            let mut json = analysis.to_json(lang);
            if let Some(c) = c {
                json["check"] = c.to_json(lang);
            }
            println!("{json}");
        }
        (false, Some(c)) => print!("{}", c.to_text(lang)),
        (false, None) => print!("{}", analysis.to_text(lang)),
    }
    ExitCode::SUCCESS
}
