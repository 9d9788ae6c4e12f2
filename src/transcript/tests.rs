//! Each format, read from real output recorded against the peers
//! (tests/transcripts/formats/RECORDED.md says how each was made).

use super::*;
use crate::explain::Tone;
use crate::lang::Lang;

fn read(text: &str) -> Transcript {
    match parse(text.as_bytes(), None) {
        Ok(t) => t,
        Err(e) => panic!("{e}: {text:.200}"),
    }
}

fn clients(t: &Transcript) -> Vec<&str> {
    t.lines.iter().filter(|s| s.side == Side::Client).map(|s| s.text.as_str()).collect()
}

fn servers(t: &Transcript) -> Vec<&str> {
    t.lines.iter().filter(|s| s.side == Side::Server).map(|s| s.text.as_str()).collect()
}

#[test]
fn swaks_with_starttls_and_auth() {
    let t = read(include_str!("../../tests/transcripts/formats/swaks-auth-tls.txt"));
    assert_eq!((t.format, t.protocol), (Format::Swaks, Protocol::Smtp));
    assert_eq!(servers(&t)[0], "220 mail.example.com ESMTP Postfix");
    let auth = t.lines.iter().find(|s| s.text.starts_with("AUTH PLAIN")).expect("AUTH");
    assert!(auth.tls, "after STARTTLS swaks marks lines ~>");
    let a = analyse(t);
    assert!(
        a.problems.iter().all(|p| !p.text.en.contains("password")),
        "AUTH inside TLS is no problem: {:?}",
        a.problems
    );
    assert!(a.summary.en.contains("carol@example.org") && a.summary.en.contains("queued as"), "{}", a.summary.en);
}

#[test]
fn swaks_in_the_clear() {
    let t = read(include_str!("../../tests/transcripts/formats/swaks-smtp.txt"));
    assert_eq!(t.format, Format::Swaks);
    let a = analyse(t);
    // The greeting, EHLO, MAIL, RCPT, DATA, the end of data, QUIT.
    assert_eq!(a.steps.len(), 7, "{:#?}", a.steps.iter().map(|s| &s.client).collect::<Vec<_>>());
    let data = &a.steps[4];
    assert_eq!(data.client.as_deref(), Some("DATA"));
    assert!(data.data.iter().any(|l| l.starts_with("Subject:")), "message text folded into DATA: {:?}", data.data);
    assert_eq!(a.steps[5].client.as_deref(), Some("."));
    assert!(a.steps.iter().all(|s| s.server.is_empty() || !s.explanations.is_empty()), "every reply explained");
}

#[test]
fn curl_for_each_protocol() {
    let smtp = read(include_str!("../../tests/transcripts/formats/curl-smtp.txt"));
    assert_eq!((smtp.format, smtp.protocol), (Format::Curl, Protocol::Smtp));
    assert!(clients(&smtp).contains(&"RCPT TO:<alice@example.com>"));
    let pop3 = read(include_str!("../../tests/transcripts/formats/curl-pop3.txt"));
    assert_eq!(pop3.protocol, Protocol::Pop3);
    let a = analyse(pop3);
    assert!(a.problems.iter().any(|p| p.text.en.contains("\"alicepw\"")), "AUTH PLAIN decoded: {:?}", a.problems);
    let imap = read(include_str!("../../tests/transcripts/formats/curl-imap.txt"));
    assert_eq!(imap.protocol, Protocol::Imap);
    let a = analyse(imap);
    let tagged = a.steps.iter().flat_map(|s| &s.explanations).filter(|e| e.badge == "OK").count();
    assert!(tagged >= 3, "tagged OKs tied to their commands");
}

#[test]
fn python_smtplib_poplib_imaplib() {
    for (text, level) in [
        (include_str!("../../tests/transcripts/formats/python-smtplib-1.txt"), 1),
        (include_str!("../../tests/transcripts/formats/python-smtplib-2.txt"), 2),
    ] {
        let t = read(text);
        assert_eq!((t.format, t.protocol), (Format::Python, Protocol::Smtp), "level {level}");
        assert!(clients(&t).contains(&"rcpt TO:<nobody@example.com>"), "level {level}: {:?}", clients(&t));
        let a = analyse(t);
        assert!(a.summary.en.contains("Refused <nobody@example.com>"), "level {level}: {}", a.summary.en);
    }
    let pop3 = read(include_str!("../../tests/transcripts/formats/python-poplib.txt"));
    assert_eq!((pop3.format, pop3.protocol), (Format::Python, Protocol::Pop3));
    let a = analyse(pop3);
    assert!(a.summary.en.contains("as alice") && a.summary.en.contains("1 message(s) retrieved"), "{}", a.summary.en);
    let imap = read(include_str!("../../tests/transcripts/formats/python-imaplib.txt"));
    assert_eq!((imap.format, imap.protocol), (Format::Python, Protocol::Imap));
    assert!(clients(&imap).iter().any(|c| c.ends_with("SELECT INBOX")));
}

#[test]
fn openssl_s_client_skips_the_handshake_report() {
    let t = read(include_str!("../../tests/transcripts/formats/openssl-starttls-smtp.out"));
    assert_eq!((t.format, t.protocol), (Format::Openssl, Protocol::Smtp));
    assert!(t.lines.iter().all(|s| s.tls), "after the handshake everything is inside TLS");
    assert!(!t.lines.iter().any(|s| s.text.contains("BEGIN CERTIFICATE") || s.text.starts_with("SSL-Session")));
    assert!(servers(&t).contains(&"250 CHUNKING"));
}

#[test]
fn cs_and_raw_telnet_tell_sides_apart() {
    let cs = "S: 220 mail.example.com ESMTP Postfix\nC: EHLO x\nS: 250-mail.example.com\nS: 250 SMTPUTF8\nC: MAIL FROM:me@example.net\nS: 250 2.1.0 Ok\n";
    let t = read(cs);
    assert_eq!(t.format, Format::Cs);
    let a = analyse(t);
    assert!(a.problems.iter().any(|p| p.text.en.contains("angle brackets")), "{:?}", a.problems);
    assert!(!a.problems.iter().any(|p| p.text.en.contains("PIPELINING")));
    let telnet = "Trying 192.0.2.25...\nConnected to mail.example.com.\nEscape character is '^]'.\n220 mail.example.com ESMTP Postfix\nHELO x\n250 mail.example.com\nMAIL FROM:<a@b>\n250 2.1.0 Ok\nRCPT TO:<c@d>\n250 2.1.5 Ok\nDATA\n354 End data with <CR><LF>.<CR><LF>\n250 looks like a reply but is message text\n.\n250 2.0.0 Ok: queued as ABC\nQUIT\n221 2.0.0 Bye\nConnection closed by foreign host.\n";
    let t = read(telnet);
    assert_eq!((t.format, t.protocol), (Format::Telnet, Protocol::Smtp));
    assert!(clients(&t).contains(&"250 looks like a reply but is message text"));
    assert!(analyse(t).summary.en.contains("queued as ABC"));
    let pop3 = "+OK ready\nUSER alice\n+OK\nPASS alicepw\n+OK Logged in.\nLIST\n+OK 2 messages:\n1 598\n2 1096\n.\nQUIT\n+OK Logging out.\n";
    let t = read(pop3);
    assert_eq!(t.protocol, Protocol::Pop3);
    assert_eq!(clients(&t), ["USER alice", "PASS alicepw", "LIST", "QUIT"]);
    let a = analyse(t);
    let listing = &a.steps[3];
    assert_eq!(listing.server.len(), 4);
    assert_eq!(listing.explanations.len(), 1, "the listing is one reply");
    assert!(a.problems.iter().any(|p| p.text.en.contains("\"alicepw\"")));
    let _ = Tone::Data;
}

#[test]
fn bad_input_is_a_clear_error_never_a_panic() {
    assert_eq!(parse(b"", None), Err(TranscriptError::Empty));
    assert_eq!(parse(b"hello\nworld\n", None), Err(TranscriptError::NoProtocol(2)));
    assert!(matches!(parse(&[0u8, 1, 2, 3, 4, 5, 6, 7], None), Err(TranscriptError::Binary(_))));
    let huge = format!("220 x\n{}\n", "A".repeat(1_000_000));
    let t = parse(huge.as_bytes(), None).unwrap();
    assert!(t.notes.iter().any(|n| n.contains("cut")));
    assert!(t.lines.iter().all(|l| l.text.chars().count() <= MAX_LINE));
    let many = "250 x\n".repeat(MAX_LINES + 10);
    assert!(parse(many.as_bytes(), None).unwrap().notes.iter().any(|n| n.contains("lines")));
    let invalid = b"220 x\xff\xfe\nEHLO \xc3\n";
    assert_eq!(parse(invalid, None).unwrap().protocol, Protocol::Smtp);
    let hostile = "S: 220 <script>alert(1)</script>\nC: EHLO <img src=x onerror=alert(1)>\n";
    let a = analyse(parse(hostile.as_bytes(), None).unwrap());
    assert_eq!(a.steps[1].client.as_deref(), Some("EHLO <img src=x onerror=alert(1)>"), "kept as text");
}

#[test]
fn json_has_the_documented_shape() {
    let a = analyse(read(include_str!("../../tests/transcripts/formats/swaks-smtp.txt")));
    let j = a.to_json(Lang::En);
    assert_eq!(j["protocol"], "smtp");
    assert_eq!(j["format"], "swaks");
    assert!(j["steps"][0]["client"].is_null(), "the greeting has no client line");
    for s in j["steps"].as_array().unwrap() {
        let n = s["server"].as_array().unwrap().len();
        let e = s["explanations"].as_array().unwrap();
        assert!(n == 0 || !e.is_empty(), "{s}");
        assert!(e.iter().all(|x| !x.as_str().unwrap().is_empty()));
    }
    assert!(j["summary"].as_str().unwrap().contains("alice@example.com"));
}

#[test]
fn postfix_verbose_log_and_dovecot_rawlog() {
    let t = read(include_str!("../../tests/transcripts/formats/postfix-verbose-smtpd.log"));
    assert_eq!((t.format, t.protocol), (Format::PostfixLog, Protocol::Smtp));
    assert_eq!(
        clients(&t),
        ["EHLO client.example.net", "MAIL FROM:<learner@example.net>", "RCPT TO:<alice@example.com>", "DATA", "QUIT"]
    );
    let a = analyse(t);
    assert!(a.summary.en.contains("queued as"), "the reply after 354 ends the text: {}", a.summary.en);
    assert_eq!(a.steps.last().unwrap().client.as_deref(), Some("QUIT"), "QUIT is a command, not message text");
    assert!(!a.problems.iter().any(|p| p.text.en.contains("never ended")));
    let imap = parse_rawlog(
        include_bytes!("../../tests/transcripts/formats/dovecot-rawlog-imap.in"),
        include_bytes!("../../tests/transcripts/formats/dovecot-rawlog-imap.out"),
    )
    .unwrap();
    assert_eq!((imap.format, imap.protocol), (Format::DovecotRawlog, Protocol::Imap));
    let a = analyse(imap);
    let select = a.steps.iter().find(|s| s.client.as_deref().is_some_and(|c| c.ends_with("SELECT INBOX"))).unwrap();
    assert!(select.server.iter().any(|l| l.ends_with("EXISTS")), "replies merged after their command: {select:?}");
    let pop3 = parse_rawlog(
        include_bytes!("../../tests/transcripts/formats/dovecot-rawlog-pop3.in"),
        include_bytes!("../../tests/transcripts/formats/dovecot-rawlog-pop3.out"),
    )
    .unwrap();
    assert_eq!(pop3.protocol, Protocol::Pop3);
    assert_eq!(clients(&pop3), ["STAT", "LIST", "RETR 1", "QUIT"]);
    // One file of the pair pasted alone is still read (its side guessed by the reply grammar).
    let out = read(include_str!("../../tests/transcripts/formats/dovecot-rawlog-pop3.out"));
    assert_eq!(out.format, Format::DovecotRawlog);
}

/// The states the session goes through, in English.
fn states(a: &Analysis) -> Vec<String> {
    a.steps.iter().filter_map(|s| s.state.as_ref().map(|t| t.get(Lang::En).to_string())).collect()
}

#[test]
fn the_session_state_is_followed_step_by_step() {
    let a = analyse(read(include_str!("../../tests/transcripts/formats/swaks-auth-tls.txt")));
    let s = states(&a);
    let at = |prefix: &str| s.iter().position(|x| x.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {s:#?}"));
    // RFC 3207 §4.2: after TLS the client greets again; then AUTH, a transaction, DATA, the end.
    assert!(at("Greeted") < at("TLS started"));
    assert!(at("TLS started") < at("Authenticated as alice"));
    assert!(at("Authenticated as alice") < at("In a transaction: the envelope sender is"));
    assert!(at("In DATA") < at("Message accepted"));
    assert_eq!(s.last().map(String::as_str), Some("Closed."));
    // Every command is tied to its table row, with its RFC section.
    let mail = a.steps.iter().find(|s| s.client.as_deref().is_some_and(|c| c.starts_with("MAIL"))).expect("MAIL");
    assert_eq!(mail.command.map(|c| c.rfc), Some("RFC 5321 §4.1.1.2"));
    assert!(s.iter().all(|x| !x.contains('?')), "every login names its user: {s:#?}");

    let imap = analyse(read(include_str!("../../tests/transcripts/formats/python-imaplib.txt")));
    let s = states(&imap);
    assert!(s.iter().any(|x| x == "Authenticated state as alice."), "{s:#?}");
    assert!(s.iter().any(|x| x.starts_with("Selected state: INBOX is open")), "{s:#?}");

    let pop3 = analyse(read(include_str!("../../tests/transcripts/formats/python-poplib.txt")));
    let s = states(&pop3);
    assert!(s.iter().any(|x| x.starts_with("TRANSACTION state: logged in as alice")), "{s:#?}");
    assert!(s.last().is_some_and(|x| x.starts_with("UPDATE state")), "{s:#?}");
}

#[test]
fn a_refused_step_changes_no_state() {
    let t = read("S: 220 mail.example.com ESMTP Postfix\nC: MAIL FROM:<a@b>\nS: 503 5.5.1 Error: send HELO/EHLO first\nC: EHLO x\nS: 250 mail.example.com\nC: RCPT TO:<bob@example.com>\nS: 503 5.5.1 Error: need MAIL command\nC: QUIT\nS: 221 2.0.0 Bye\n");
    let a = analyse(t);
    assert_eq!(states(&a), ["Greeted: the server knows the client as x; no transaction yet.", "Closed."],);
}

#[test]
fn a_reply_the_rfc_does_not_list_for_its_command_is_named_pipelined_or_not() {
    // Postfix refuses relaying at RCPT with 554 (recorded): RFC 5321 §4.3.2 lists no 554 for RCPT.
    let t = read("S: 220 mail.example.com ESMTP Postfix\nC: EHLO x\nS: 250-mail.example.com\nS: 250 PIPELINING\nC: MAIL FROM:<a@example.net>\nC: RCPT TO:<c@example.org>\nC: DATA\nS: 250 2.1.0 Ok\nS: 554 5.7.1 <c@example.org>: Relay access denied\nS: 554 5.5.1 Error: no valid recipients\nC: QUIT\nS: 221 2.0.0 Bye\n");
    let a = analyse(t);
    let off: Vec<(usize, &str)> = a
        .problems
        .iter()
        .filter(|p| p.text.en.contains("does not list"))
        .map(|p| (p.line, p.text.en.as_str()))
        .collect();
    assert_eq!(off.len(), 1, "only RCPT's 554; MAIL's 250 and DATA's 554 are listed: {off:#?}");
    assert_eq!(off[0].0, 9);
    assert!(off[0].1.starts_with("RFC 5321 §4.3.2 does not list 554 as a reply to RCPT"), "{}", off[0].1);
    // Every recorded Postfix session in the formats folder answers within the lists.
    let clean = analyse(read(include_str!("../../tests/transcripts/formats/swaks-auth-tls.txt")));
    assert!(clean.problems.iter().all(|p| !p.text.en.contains("does not list")), "{:#?}", clean.problems);
}
