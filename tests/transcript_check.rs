//! `transcript::check`: a transcript's client lines replayed against
//! mailsim's own server, step by step.

use mailsim::transcript::check::Personality;
use mailsim::transcript::{analyse, check, parse, parse_rawlog, Against, Comparison, Verdict};
use std::fs;

fn checked(text: &str, with: Against) -> Comparison {
    let t = parse(text.as_bytes(), None).expect("a transcript");
    check(&t, with)
}

fn file(name: &str) -> String {
    fs::read_to_string(format!("tests/transcripts/formats/{name}")).expect("a recorded transcript")
}

#[test]
fn real_postfix_and_dovecot_recordings_mostly_agree() {
    // Each file has client lines; the rest (s_client's) are checked below.
    for name in [
        "swaks-smtp.txt",
        "swaks-auth-tls.txt",
        "curl-smtp.txt",
        "curl-pop3.txt",
        "curl-imap.txt",
        "python-smtplib-1.txt",
        "python-smtplib-2.txt",
        "python-poplib.txt",
        "python-imaplib.txt",
        "postfix-verbose-smtpd.log",
    ] {
        let text = file(name);
        let t = parse(text.as_bytes(), None).expect("parses");
        let c = check(&t, Against::default());
        // Aligned with analyse's steps, so a UI shows them side by side.
        assert_eq!(c.steps.len(), analyse(t.clone()).steps.len(), "{name}");
        let [same, code, differs] = c.counts();
        // Most steps: what differs is the mailboxes' content and Dovecot's extensions, not the codes.
        assert!(
            (same + code) * 4 >= c.steps.len() * 3,
            "{name}: {same} same, {code} same code, {differs} differ\n{c:#?}"
        );
        assert!(same > 0, "{name}");
        let smtp = t.protocol == mailsim::protocol::Protocol::Smtp;
        assert_eq!(c.against.0, if smtp { "postfix" } else { "dovecot" }, "{name}");
    }
}

#[test]
fn the_swaks_submission_is_replayed_on_587_through_starttls() {
    let c = checked(&file("swaks-auth-tls.txt"), Against::default());
    assert_eq!(c.against, ("postfix".into(), "mail.example.com".into(), 587));
    assert!(c.steps.iter().all(|s| s.verdict == Verdict::Same), "{c:#?}");
    // The queue ids differ; the mask hides that, but the lines are kept as they were.
    let dot = c.steps.iter().find(|s| s.client.as_deref() == Some(".")).expect("the end of the text");
    assert!(dot.real[0].contains("37D68D853B") && !dot.ours[0].contains("37D68D853B"), "{dot:?}");
}

#[test]
fn a_real_server_that_took_an_unknown_user_differs_at_that_step() {
    let text = "S: 220 mx.example.com ESMTP Postfix\n\
                C: EHLO client.example.net\n\
                S: 250-mx.example.com\nS: 250 PIPELINING\n\
                C: MAIL FROM:<learner@example.net>\nS: 250 2.1.0 Ok\n\
                C: RCPT TO:<nobody@example.com>\nS: 250 2.1.5 Ok\n\
                C: RCPT TO:<alice@example.com>\nS: 250 2.1.5 Sure\n\
                C: QUIT\nS: 221 2.0.0 Bye\n";
    let c = checked(text, Against::default());
    let verdicts: Vec<_> = c.steps.iter().map(|s| (s.client.as_deref().unwrap_or(""), s.verdict)).collect();
    assert_eq!(
        verdicts,
        [
            // Another host's name in the greeting is no difference.
            ("", Verdict::Same),
            // The host name is masked; the extension list is not.
            ("EHLO client.example.net", Verdict::SameCode),
            ("MAIL FROM:<learner@example.net>", Verdict::Same),
            ("RCPT TO:<nobody@example.com>", Verdict::Differs),
            ("RCPT TO:<alice@example.com>", Verdict::SameCode),
            ("QUIT", Verdict::Same),
        ]
    );
    let rcpt = &c.steps[3];
    assert!(rcpt.ours[0].starts_with("550 5.1.1 <nobody@example.com>"), "{rcpt:?}");
    assert!(c.summary.en.contains("step 4") && c.summary.ru.contains("шаге 4"), "{:?}", c.summary);
}

#[test]
fn a_sendmail_greeting_is_checked_against_the_sendmail_host() {
    // The article's listing (tests/transcripts/seeds/), another date in the banner.
    let text = "220 shadrach.smallorg.org ESMTP Sendmail 8.9.3/8.9.3; Wed, 25 Aug 1999 18:35:33 -0500\n\
                HELO client.example.net\n\
                250 shadrach.smallorg.org Hello client.example.net [203.0.113.10], pleased to meet you\n\
                MAIL FROM:<x@example.net>\n\
                250 <x@example.net>... Sender ok\n\
                QUIT\n\
                221 shadrach.smallorg.org closing connection\n";
    let c = checked(text, Against::default());
    assert_eq!(c.against, ("sendmail".into(), "shadrach.smallorg.org".into(), 25));
    assert!(c.steps.iter().all(|s| s.verdict == Verdict::Same), "{c:#?}");
    // The same against Postfix differs in text, and in code nowhere here.
    let p = checked(text, Against { personality: Some(Personality::Postfix), port: None });
    assert_eq!(p.against.0, "postfix");
    assert!(p.steps.iter().any(|s| s.verdict != Verdict::Same), "{p:#?}");
}

#[test]
fn mailsim_closing_the_connection_stops_the_replay() {
    let text = "S: 220 mail.example.com ESMTP Postfix\nC: QUIT\nS: 221 2.0.0 Bye\nC: NOOP\nS: 250 2.0.0 Ok\n";
    let c = checked(text, Against::default());
    assert_eq!(c.steps.len(), 3);
    assert!(c.steps[2].ours.is_empty());
    assert_eq!(c.steps[2].verdict, Verdict::Differs);
    assert!(c.summary.en.contains("closed the connection after step 2"), "{}", c.summary.en);
}

#[test]
fn dovecot_figures_and_uidvalidity_are_no_difference() {
    let c = checked(&file("curl-imap.txt"), Against::default());
    let select = c.steps.iter().find(|s| s.client.as_deref() == Some("A003 SELECT INBOX")).expect("SELECT");
    // Another mailbox (5 messages, not 3), the same tagged status.
    assert_eq!(select.verdict, Verdict::SameCode);
    let capability = &c.steps[1];
    assert_eq!(capability.verdict, Verdict::Same, "{capability:?}");
}

#[test]
fn protocols_personalities_and_ports_that_do_not_fit_give_an_empty_comparison() {
    let pop = file("curl-pop3.txt");
    let c = checked(&pop, Against { personality: Some(Personality::Sendmail), port: None });
    assert!(c.steps.is_empty() && c.summary.en.contains("does not speak"), "{c:?}");
    let c = checked(&file("swaks-smtp.txt"), Against { personality: None, port: Some(2525) });
    assert!(c.steps.is_empty() && c.summary.en.contains("port 2525"), "{c:?}");
}

#[test]
fn lmtp_is_replayed_from_the_host_itself() {
    let text = "S: 220 mail.example.com Dovecot (Debian) ready.\nC: LHLO mail.example.com\nS: 250-mail.example.com\nS: 250 PIPELINING\nC: QUIT\nS: 221 2.0.0 Bye\n";
    let c = checked(text, Against::default());
    assert_eq!(c.against, ("dovecot-lmtp".into(), "mail.example.com".into(), 24));
    assert_eq!(c.steps[0].verdict, Verdict::Same, "{c:#?}");
}

#[test]
fn garbage_and_transcripts_without_client_lines_do_not_panic() {
    // s_client shows no client lines: only the greeting step (what -starttls read last, and the rest).
    let c = checked(&file("openssl-starttls-smtp-quiet.txt"), Against::default());
    assert_eq!(c.steps.len(), 1);
    assert!(c.steps[0].client.is_none());
    let c = checked(&file("openssl-starttls-smtp.out"), Against::default());
    assert!(!c.steps.is_empty());
    let c = checked("220 mail.example.com ESMTP Postfix\n", Against::default());
    assert_eq!(c.steps.len(), 1);
    assert_eq!(c.steps[0].verdict, Verdict::Same);
    assert!(c.summary.en.contains("only the greeting"), "{}", c.summary.en);
    // A rawlog pair: it starts after the login, and says so.
    let (i, o) = (file("dovecot-rawlog-imap.in"), file("dovecot-rawlog-imap.out"));
    let t = parse_rawlog(i.as_bytes(), o.as_bytes()).expect("a rawlog");
    assert!(check(&t, Against::default()).summary.en.contains("after the login"));
    // Junk that still parses as a transcript, long lines, NULs, pipelined lines with no replies.
    let mut junk = String::from("220 x\n");
    for k in 0..3000 {
        junk += &format!("{}\u{0}\u{fffd}{}\n", "Z".repeat(k % 700), k);
        if k % 7 == 0 {
            junk += "250 \n";
        }
    }
    for with in [Against::default(), Against { personality: Some(Personality::CommuniGate), port: Some(25) }] {
        if let Ok(t) = parse(junk.as_bytes(), None) {
            let c = check(&t, with);
            assert!(c.steps.len() <= t.lines.len() + 1);
        }
    }
}

/// A reply whose date's zone is cut inside a character of several bytes
/// (`+1é€`): the mask reads it as no zone (it panicked once, found in review).
#[test]
fn a_zone_cut_inside_a_character_is_no_zone() {
    let t = "220 mail.example.com ESMTP Postfix\nEHLO x\n250 mail.example.com Tue, 1 Dec 2026 10:00:00 +1é€\nQUIT\n221 2.0.0 Bye\n";
    let c = checked(t, Against::default());
    assert_eq!(c.steps.len(), 3, "{c:#?}");
}
