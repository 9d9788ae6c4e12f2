//! Exports read back in: every recorded format (tests/transcripts/formats/,
//! real output of the tools) exported as C:/S:, plain text, JSON and
//! asciicast, then parsed again, gives the same steps; credentials are
//! redacted unless kept.

use mailsim::protocol::Protocol;
use mailsim::transcript::export::{asciicast, export, redact, Cast, Export, REDACTED};
use mailsim::transcript::{analyse, parse, parse_rawlog, Format, Side, Step, Transcript};
use std::path::Path;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/formats")
}

/// Every recorded transcript, read.
fn recordings() -> Vec<(String, Transcript)> {
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("formats dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "RECORDED.md" && !n.ends_with(".out") || n.starts_with("openssl"))
        .collect();
    names.sort();
    for name in names {
        let path = dir().join(&name);
        let t = if let Some(stem) = name.strip_suffix(".in") {
            let outs = std::fs::read(dir().join(format!("{stem}.out"))).expect("rawlog twin");
            parse_rawlog(&std::fs::read(&path).expect("read"), &outs)
        } else {
            parse(&std::fs::read(&path).expect("read"), None)
        };
        out.push((name.clone(), t.unwrap_or_else(|e| panic!("{name}: {e}"))));
    }
    assert!(out.len() >= 14, "{} recordings", out.len());
    out
}

/// What a step is, without its explanations (read again, they are the same
/// by construction) and, where the format cannot carry it, the TLS mark.
/// A step's client line, server lines, message text, SASL responses and TLS mark.
type Shape = (Option<String>, Vec<String>, Vec<String>, Vec<String>, bool);

fn shape(steps: &[Step], tls: bool) -> Vec<Shape> {
    steps.iter().map(|s| (s.client.clone(), s.server.clone(), s.data.clone(), s.sasl.clone(), tls && s.tls)).collect()
}

#[test]
fn every_export_reads_back_to_the_same_steps() {
    for (name, t) in recordings() {
        let want = analyse(t.clone());
        for what in Export::ALL {
            let text = export(&t, what, true);
            let again =
                parse(text.as_bytes(), None).unwrap_or_else(|e| panic!("{name} as {}: {e}\n{text}", what.name()));
            let expected_format = match what {
                Export::Cs => Format::Cs,
                Export::Text => Format::Telnet,
                Export::Json => Format::Json,
                Export::Asciicast => Format::Asciicast,
            };
            assert_eq!(again.format, expected_format, "{name} as {}", what.name());
            assert_eq!(again.protocol, t.protocol, "{name} as {}", what.name());
            // C:/S: (with its TLS mark) and JSON carry TLS; a screen does not.
            let tls = matches!(what, Export::Cs | Export::Json);
            let got = analyse(again);
            assert_eq!(
                shape(&got.steps, tls),
                shape(&want.steps, tls),
                "{name} exported as {} reads back otherwise:\n{text}",
                what.name()
            );
        }
    }
}

#[test]
fn explain_json_output_reads_back_too() {
    // `mailsim explain --json` has steps but no lines: they are rebuilt.
    for (name, t) in recordings() {
        let want = analyse(t);
        let json = want.to_json(mailsim::lang::Lang::En).to_string();
        let again = parse(json.as_bytes(), None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(shape(&analyse(again).steps, true), shape(&want.steps, true), "{name}");
    }
}

#[test]
fn credentials_are_redacted_unless_kept() {
    let cases: &[(&str, &str, &[&str])] = &[
        // AUTH PLAIN with an initial response (alice / alicepw).
        (
            "S: 220 mail.example.com ESMTP Postfix\nC: EHLO x\nS: 250 AUTH PLAIN LOGIN\nC: AUTH PLAIN AGFsaWNlAGFsaWNlcHc=\nS: 235 2.7.0 Authentication successful\n",
            "AGFsaWNlAGFsaWNlcHc=",
            &["AUTH PLAIN [redacted]"],
        ),
        // AUTH LOGIN: both responses.
        (
            "S: 220 mail.example.com ESMTP Postfix\nC: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: YWxpY2U=\nS: 334 UGFzc3dvcmQ6\nC: YWxpY2Vwdw==\nS: 235 2.7.0 Authentication successful\nC: QUIT\n",
            "YWxpY2Vwdw==",
            &["[redacted]", "[redacted]", "QUIT"],
        ),
        // POP3 PASS and APOP.
        (
            "S: +OK Dovecot ready.\nC: USER alice\nS: +OK\nC: PASS alicepw\nS: +OK Logged in.\nC: APOP bob c4c9334bac560ecc979e58001b3e22fb\nS: -ERR\n",
            "alicepw",
            &["USER alice", "PASS [redacted]", "APOP bob [redacted]"],
        ),
        // IMAP LOGIN and AUTHENTICATE.
        (
            "S: * OK Dovecot ready.\nC: a1 LOGIN alice alicepw\nS: a1 OK Logged in\nC: a2 AUTHENTICATE PLAIN\nS: +\nC: AGFsaWNlAGFsaWNlcHc=\nS: a2 OK\n",
            "alicepw",
            &["a1 LOGIN alice [redacted]", "a2 AUTHENTICATE PLAIN", "[redacted]"],
        ),
    ];
    for (text, secret, clients) in cases {
        let t = parse(text.as_bytes(), None).expect("parse");
        for what in Export::ALL {
            // An asciicast types a line key by key: look at what it shows.
            let shown = |text: String| match what {
                Export::Asciicast => mailsim::transcript::export::to_text(&parse(text.as_bytes(), None).expect("cast")),
                _ => text,
            };
            let redacted = shown(export(&t, what, false));
            assert!(!redacted.contains(secret), "{} keeps {secret}:\n{redacted}", what.name());
            assert!(redacted.contains(REDACTED), "{}", what.name());
            let kept = shown(export(&t, what, true));
            assert!(kept.contains(secret), "{} with secrets kept:\n{kept}", what.name());
        }
        let (lines, n) = redact(&t.lines, t.protocol);
        let got: Vec<&str> = lines.iter().filter(|s| s.side == Side::Client).map(|s| s.text.as_str()).collect();
        for c in *clients {
            assert!(got.contains(c), "{c:?} not in {got:?}");
        }
        assert!(n >= 1);
    }
}

#[test]
fn asciicast_is_v2_with_timed_output_events() {
    let cast = asciicast(
        "demo",
        [
            Cast::Typed { prompt: "learner@client:~$ ", text: "telnet mail.example.com 25" },
            Cast::Printed("220 mail.example.com ESMTP Postfix"),
        ],
    );
    let mut lines = cast.lines();
    let header: serde_json::Value = serde_json::from_str(lines.next().expect("header")).expect("json");
    assert_eq!(header["version"], 2);
    assert!(header["width"].as_u64().is_some() && header["height"].as_u64().is_some());
    let events: Vec<serde_json::Value> = lines.map(|l| serde_json::from_str(l).expect("event")).collect();
    // The prompt, 26 typed characters, the line end, the reply.
    assert_eq!(events.len(), 1 + 26 + 1 + 1);
    let times: Vec<f64> = events.iter().map(|e| e[0].as_f64().expect("time")).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "times increase: {times:?}");
    assert!(events.iter().all(|e| e[1] == "o"));
    assert_eq!(events.last().expect("reply")[2], "220 mail.example.com ESMTP Postfix\r\n");
    // Read back: the shell's prompt line is not part of the dialogue.
    let t = parse(cast.as_bytes(), None).expect("parse");
    assert_eq!((t.format, t.protocol), (Format::Asciicast, Protocol::Smtp));
    assert_eq!(t.lines.len(), 1, "{:?}", t.lines);
}

#[test]
fn hostile_exports_are_refused_or_read_safely() {
    for text in [
        "{\"lines\": 5}",
        "{\"lines\": [{\"side\": \"server\"}]}",
        "{\"version\": 2, \"width\": 80}\n[1, \"o\"]\n[\"x\"]\nnot json",
        "{\"version\": 2, \"width\": 80}\n[0.1, \"o\", \"\\u001b[31m220 hi\\u001b[0m\\r\\n\"]",
        "{\"steps\": [{\"client\": null, \"server\": [\"* OK <script>alert(1)</script>\"]}]}",
    ] {
        // Any outcome but a panic; a read transcript keeps markup as text.
        if let Ok(t) = parse(text.as_bytes(), None) {
            let a = analyse(t);
            for s in &a.steps {
                for l in &s.server {
                    assert!(!l.contains('\u{1b}'), "escapes removed: {l:?}");
                }
            }
        }
    }
}
