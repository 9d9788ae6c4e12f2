//! The `mailsim` binary: `--help`, `smtp --stdio` and `pop3 --stdio` speaking SMTP and POP3 on
//! standard input and output (LF or CRLF in, CRLF out), as `sendmail -bs` does.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &[u8]) -> (String, String, bool) {
    let (out, err, code) = run_code(args, input);
    (out, err, code == Some(0))
}

/// Runs the binary; its output, errors and exit status.
fn run_code(args: &[&str], input: &[u8]) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailsim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mailsim binary runs");
    // A command that refuses its arguments exits before reading its input: a
    // broken pipe here is no failure (what it printed is what the test checks).
    if let Err(e) = child.stdin.take().expect("stdin").write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write: {e}");
    }
    let out = child.wait_with_output().expect("wait");
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into(), out.status.code())
}

/// A file under target/ for this test, with `text` in it.
fn temp_file(name: &str, text: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a temporary file");
    path.display().to_string()
}

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn lesson_check_passes_a_builtin_lesson() {
    let file = format!("{ROOT}/lessons/en/03-first-transaction.md");
    let (out, err, code) = run_code(&["lesson", "check", &file], b"");
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out, format!("OK {file}: 7 steps\n"));
}

#[test]
fn lesson_check_reports_syntax_errors_with_their_lines() {
    let bad = temp_file("syntax.md", "---\nid: x\ntitle: T\nfaults: meteor\n---\n## Go\n```goal\nfly away\n```\n");
    let good = format!("{ROOT}/lessons/en/01-telnet-session.md");
    let (out, err, code) = run_code(&["lesson", "check", &good, &bad], b"");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.starts_with(&format!("OK {good}: 4 steps\nFAIL {bad}: 3 problems\n")), "{out}");
    assert!(out.contains("  line 4: unknown fault 'meteor'"), "{out}");
    assert!(out.contains("  line 6: step 'Go' has no ```solution block"), "{out}");
    assert!(out.contains("  line 8: unknown goal 'fly'"), "{out}");
}

#[test]
fn lesson_check_reports_a_solution_that_misses_its_goal() {
    let lesson = "---\nid: hello\ntitle: Hello\n---\n## Connect\n```goal\nreply 220\n```\n```solution\ntelnet mail.example.com 25\n```\n\
                  ## Say EHLO\n```goal\nreply 250-PIPELINING\n```\n```solution\nHELO client.example.net\n```\n";
    let file = temp_file("miss.md", lesson);
    let (out, err, code) = run_code(&["lesson", "check", &file], b"");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        out.starts_with(&format!("FAIL {file}:\n  step 2 'Say EHLO': its solution does not reach its goal\n")),
        "{out}"
    );
    assert!(out.contains("    not met: reply 250-PIPELINING\n"), "{out}");
    assert!(out.contains("    after the solution's last line: HELO client.example.net\n"), "{out}");
    assert!(out.contains("    | 250 mail.example.com\n"), "what the terminal showed last: {out}");
    // The same id twice is an error of the second file.
    let (out, _, code) = run_code(&["lesson", "check", &file, &file], b"");
    assert_eq!(code, Some(1));
    assert!(out.contains("id 'hello' is the id of"), "{out}");
}

#[test]
fn lesson_record_proposes_a_lesson_that_lesson_check_passes() {
    let session = "telnet mail.example.com 25\nEHLO client.example.net\nMAIL FROM:<alice@example.com>\n\
                   RCPT TO:<nobody@example.com>\nRCPT TO:<bob@example.com>\nDATA\nSubject: Hi\n\nHello.\n.\nQUIT\n\
                   dig MX example.org\n";
    for lang in ["en", "ru"] {
        let (lesson, err, code) = run_code(
            &["lesson", "record", "--id", "hello", "--title", "Say hello", "--lang", lang],
            session.as_bytes(),
        );
        assert_eq!(code, Some(0), "{err}");
        assert!(lesson.starts_with("---\nid: hello\ntitle: Say hello\n"), "{lesson}");
        assert!(!lesson.contains("nobody@"), "the corrected RCPT is left out: {lesson}");
        let file = temp_file(&format!("recorded-{lang}.md"), &lesson);
        let (out, err, code) = run_code(&["lesson", "check", &file], b"");
        assert_eq!((out.trim(), code), (format!("OK {file}: 7 steps").as_str(), Some(0)), "{err}\n{lesson}");
    }
    let (out, err, code) = run_code(&["lesson", "record", "--id", "x", "--title", "X"], b"\nhelp\nclear\n");
    assert_eq!((out.as_str(), code), ("", Some(1)));
    assert!(err.contains("nothing to build a lesson from"), "{err}");
    let (_, err, code) = run_code(&["lesson", "record", "--lang", "xx"], b"");
    assert_eq!(code, Some(2), "clap's usage error");
    assert!(err.contains("one of en, ru"), "{err}");
}

#[test]
fn lesson_check_of_an_unreadable_file_is_status_2() {
    let (_, err, code) = run_code(&["lesson", "check", "/no/such/lesson.md"], b"");
    assert_eq!(code, Some(2));
    assert!(err.contains("/no/such/lesson.md"), "{err}");
    let binary = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli/binary.md");
    std::fs::create_dir_all(binary.parent().expect("a parent")).expect("a folder");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
    let (_, err, code) = run_code(&["lesson", "check", &binary.display().to_string()], b"");
    assert_eq!(code, Some(2));
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn stdio_servers_and_trace_take_a_scenario() {
    let scenario = format!("{ROOT}/scenarios/new-colleague.txt");
    // eve is a user of the scenario, with its welcome message.
    let (out, err, ok) = run(&["pop3", "--stdio", "--scenario", &scenario], b"USER eve\nPASS evepw\nSTAT\nQUIT\n");
    assert!(ok, "{err}");
    assert!(out.contains("+OK Logged in.\r\n+OK 1 "), "{out}");
    // The alias staff delivers to alice, bob and eve; the clock starts at 14:30.
    let (out, err, ok) = run(&["trace", "--brief", "--scenario", &scenario, "--to", "staff@example.com"], b"");
    assert!(ok, "{err}");
    assert!(out.starts_with("14:30:00"), "{out}");
    assert!(out.contains("stored the message in eve@example.com's INBOX"), "{out}");
    // A broken scenario is status 2, with its line.
    let bad = temp_file("bad.scenario", "user: eve@example.com evepw\nfault: meteor\n");
    let (_, err, code) = run_code(&["smtp", "--stdio", "--scenario", &bad], b"QUIT\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("line 2: unknown fault 'meteor'"), "{err}");
}

#[test]
fn help_lists_the_smtp_subcommand() {
    let (out, _, ok) = run(&["--help"], b"");
    assert!(ok);
    assert!(out.contains("smtp"), "{out}");
    assert!(out.contains("Usage: mailsim"), "{out}");
}

#[test]
fn smtp_stdio_takes_lf_and_answers_with_crlf() {
    let input = b"HELO client.example.net\nMAIL FROM:<a@example.net>\r\nRCPT TO:<bob@example.com>\nDATA\nSubject: x\n\nhello\n.\nQUIT\n";
    let (out, err, ok) = run(&["smtp", "--stdio"], input);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(lines[0], "220 mail.example.com ESMTP Postfix");
    assert_eq!(lines[1], "250 mail.example.com");
    assert_eq!(lines[2], "250 2.1.0 Ok");
    assert_eq!(lines[3], "250 2.1.5 Ok");
    assert_eq!(lines[4], "354 End data with <CR><LF>.<CR><LF>");
    assert!(lines[5].starts_with("250 2.0.0 Ok: queued as "), "{out}");
    assert_eq!(lines[6], "221 2.0.0 Bye");
    assert_eq!(lines[7], "", "the output ends with CRLF");
    assert!(!out.replace("\r\n", "").contains('\n'), "no bare LF in the output");
}

#[test]
fn smtp_stdio_ends_quietly_at_end_of_input() {
    let (out, _, ok) = run(&["smtp", "--stdio"], b"NOOP\n");
    assert!(ok);
    assert_eq!(out, "220 mail.example.com ESMTP Postfix\r\n250 2.0.0 Ok\r\n");
}

#[test]
fn smtp_without_stdio_explains_itself() {
    let (_, err, ok) = run(&["smtp"], b"");
    assert!(!ok);
    assert!(err.contains("--stdio"), "{err}");
}

#[test]
fn a_closed_port_is_an_error() {
    let (_, err, ok) = run(&["smtp", "--stdio", "--port", "26"], b"");
    assert!(!ok);
    assert!(err.contains("mail.example.com:26"), "{err}");
}

#[test]
fn pop3_stdio_reads_the_seeded_mailbox_with_lf_in_and_crlf_out() {
    let (out, err, ok) = run(&["pop3", "--stdio"], b"USER bob\nPASS bobpw\r\nLIST 2\nTOP 2 0\nQUIT\n");
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(lines[..3], ["+OK Dovecot (Debian) ready.", "+OK", "+OK Logged in."]);
    assert!(lines[3].starts_with("+OK 2 "), "{out}");
    assert_eq!(lines[4], "+OK");
    assert!(lines.contains(&"Subject: Report with attachment"), "{out}");
    assert_eq!(lines[lines.len() - 2], "+OK Logging out.");
    assert_eq!(lines[lines.len() - 1], "", "the output ends with CRLF");
    assert!(!out.replace("\r\n", "").contains('\n'), "no bare LF in the output");
}

#[test]
fn pop3_without_stdio_explains_itself() {
    let (_, err, ok) = run(&["pop3"], b"");
    assert!(!ok);
    assert!(err.contains("mailsim pop3") && err.contains("--stdio"), "{err}");
}

#[test]
fn trace_follows_a_message_hop_by_hop() {
    let (out, err, ok) = run(
        &["trace", "--to", "carol@example.org", "--to", "nobody@example.org", "--fault", "greylisting", "--brief"],
        b"",
    );
    assert!(ok, "{err}");
    let want = [
        "09:00:00  SMTP client.example.net → mail.example.com:587 (MSA)",
        "09:00:00  mail.example.com asks DNS: MX example.org? → 10 mail.example.org., 20 mx2.example.org.",
        "09:00:00  SMTP mail.example.com → mail.example.org:25 (MTA)",
        "            nobody@example.org: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
        "09:05:00  LMTP mail.example.org → mail.example.org:24 (MDA)",
    ];
    for w in want {
        assert!(out.lines().any(|l| l == w), "missing {w:?} in:\n{out}");
    }
    assert!(out.contains("queued a bounce (DSN)"), "{out}");
    assert!(out.contains("stored the message in carol@example.org's INBOX"), "{out}");
}

#[test]
fn trace_json_is_the_event_stream() {
    let (out, err, ok) = run(&["trace", "--json"], b"");
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let types: Vec<&str> = v.as_array().expect("an array").iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(types, ["hop", "accepted", "dns_lookup", "hop", "accepted", "removed", "hop", "delivered", "removed"]);
}

#[test]
fn trace_reads_an_eml_file_and_reports_a_missing_one() {
    let (_, err, ok) = run(&["trace", "--eml", "/nonexistent/x.eml"], b"");
    assert!(!ok);
    assert!(err.contains("cannot read /nonexistent/x.eml"), "{err}");
}

#[test]
fn imap_stdio_reads_the_seeded_mailbox() {
    let (out, err, ok) =
        run(&["imap", "--stdio"], b"a LOGIN bob bobpw\nb SELECT INBOX\nc FETCH 2 (ENVELOPE)\r\nd LOGOUT\n");
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert!(lines[0].ends_with("] Dovecot (Debian) ready."), "{out}");
    assert!(lines[1].starts_with("a OK [CAPABILITY IMAP4rev1 "), "{out}");
    assert!(lines.contains(&"* 3 EXISTS"), "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with("* 2 FETCH (ENVELOPE (") && l.contains("\"Report with attachment\"")),
        "{out}"
    );
    assert_eq!(lines[lines.len() - 3..], ["* BYE Logging out", "d OK Logout completed (0.001 + 0.000 secs).", ""]);
}

#[test]
fn explain_annotates_a_transcript_from_a_file_or_stdin() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts/formats/swaks-smtp.txt");
    let (out, err, ok) = run(&["explain", file], b"");
    assert!(ok, "{err}");
    assert!(out.starts_with("SMTP transcript (swaks):"), "{out}");
    assert!(out.contains("= The server is ready"), "every reply explained: {out}");
    // The same from standard input, as JSON, in Russian.
    let input = std::fs::read(file).unwrap();
    let (out, err, ok) = run(&["explain", "--json", "--lang", "ru", "-"], &input);
    assert!(ok, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!((j["protocol"].as_str(), j["format"].as_str()), (Some("smtp"), Some("swaks")));
    assert!(j["steps"][0]["explanations"][0].as_str().unwrap().contains("Сервер готов"), "{out}");
    // A forced format, and a clear error with status 2 for what is no transcript.
    let (_, err, ok) = run(&["explain", "--format", "curl", "-"], b"hello\n");
    assert!(!ok && err.contains("no mail protocol found"), "{err}");
    let (_, err, ok) = run(&["explain", "--format", "pdf", "-"], b"220 x\n");
    assert!(!ok && err.contains("unknown format"), "{err}");
    // A Dovecot rawlog is read with its twin file.
    let rawlog = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts/formats/dovecot-rawlog-pop3.in");
    let (out, err, ok) = run(&["explain", rawlog], b"");
    assert!(
        ok && out.starts_with("POP3 transcript (dovecot-rawlog)") && out.contains("S: +OK 4 messages:"),
        "{out}{err}"
    );
    let (_, err, ok) = run(&["explain", "/no/such/file"], b"");
    assert!(!ok && err.contains("/no/such/file"), "{err}");
}

#[test]
fn explain_exports_and_makes_a_share_link() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts/formats/swaks-auth-tls.txt");
    // The C:/S: export: TLS marked, AUTH PLAIN's response redacted.
    let (out, err, ok) = run(&["explain", "--export", "cs", file], b"");
    assert!(ok, "{err}");
    assert!(out.contains("# tls:") && out.contains("C: AUTH PLAIN [redacted]"), "{out}");
    let (kept, _, _) = run(&["explain", "--export", "cs", "--keep-secrets", file], b"");
    assert!(!kept.contains("[redacted]"), "{kept}");
    // Read back in: an export is a transcript too.
    let (again, err, ok) = run(&["explain", "-"], out.as_bytes());
    assert!(ok && again.starts_with("SMTP transcript (cs):"), "{again}{err}");
    let (cast, _, ok) = run(&["explain", "--export", "asciicast", file], b"");
    assert!(ok && cast.lines().next().is_some_and(|h| h.contains("\"version\":2")), "{cast}");
    let (link, err, ok) = run(&["explain", "--link", file], b"");
    assert!(ok && link.starts_with("#t=") && link.trim_end().len() < mailsim::link::MAX_FRAGMENT, "{link}{err}");
    let (l, errors) = mailsim::link::Link::parse(link.trim_end());
    assert_eq!(errors, []);
    assert!(l.transcript.expect("a transcript").contains("C: AUTH PLAIN [redacted]"));
    let (_, err, ok) = run(&["explain", "--export", "pdf", file], b"");
    assert!(!ok && err.contains("unknown export"), "{err}");
}

#[test]
fn explain_check_compares_with_mailsims_server() {
    let input = b"S: 220 mx.example.com ESMTP Postfix\nC: EHLO client.example.net\nS: 250 mx.example.com\n\
                  C: RCPT TO:<nobody@example.com>\nS: 250 2.1.5 Ok\nC: QUIT\nS: 221 2.0.0 Bye\n";
    let (out, err, ok) = run(&["explain", "--check", "-"], input);
    assert!(ok, "{err}");
    assert!(out.starts_with("Replayed against mailsim's postfix (mail.example.com:25)"), "{out}");
    // The differing step: the client line, the real reply, mailsim's.
    assert!(out.contains("(differs): C: RCPT TO:<nobody@example.com>"), "{out}");
    assert!(out.contains("real:   250 2.1.5 Ok") && out.contains("mailsim: 503 5.5.1"), "{out}");
    let (json, err, ok) = run(&["explain", "--check", "--json", "--lang", "ru", "-"], input);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("one JSON object");
    let c = &v["check"];
    assert_eq!(c["against"], serde_json::json!({"personality": "postfix", "host": "mail.example.com", "port": 25}));
    assert_eq!(c["steps"].as_array().map(Vec::len), v["steps"].as_array().map(Vec::len), "aligned with the steps");
    assert_eq!(c["steps"][2]["verdict"], "differs");
    assert_eq!(c["counts"]["differs"], 1, "{c}");
    assert!(c["summary"].as_str().is_some_and(|s| s.contains("Повтор")), "{c}");
    // Without --check, no "check" object.
    let (json, _, _) = run(&["explain", "--json", "-"], input);
    assert!(!json.contains("\"check\""));
    let (_, err, ok) = run(&["explain", "--check", "--against", "exim", "-"], input);
    assert!(!ok && err.contains("unknown server \"exim\""), "{err}");
    let (_, err, ok) = run(&["explain", "--check", "--against", "dovecot", "-"], input);
    assert!(!ok && err.contains("does not speak"), "{err}");
    let (out, err, ok) = run(&["explain", "--check", "--against", "sendmail", "-"], input);
    assert!(ok && out.contains("mailsim's sendmail (shadrach.smallorg.org:25)"), "{out}{err}");
}
