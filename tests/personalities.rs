//! Every keyword a personality lists in its EHLO (LHLO) reply is answered:
//! each is sent in its simplest form on a fresh session, and no reply may be
//! `500` or "unrecognized". The table below says, for each keyword, what its
//! simplest form is and which reply classes the RFC (or the server's source)
//! allows; a keyword missing from the table fails the test, so a new keyword
//! needs a probe. Sources of the replies: PERSONALITIES.md.

use mailsim::directory::Directory;
use mailsim::reply::Reply;
use mailsim::sim::SimRng;
use mailsim::smtp::{Peer, Personality, Server, ServerConfig};

/// How a keyword is tried.
enum Probe {
    /// These lines (each sent with CRLF, one feed each) after a fresh EHLO;
    /// the last reply must be of one of the classes.
    Send(&'static [&'static str], &'static [u16]),
    /// No command to try yet: a known gap, with the reason (listed in
    /// PERSONALITIES.md). The test pins the list of gaps.
    Gap(&'static str),
}

/// The keyword's first word → its simplest form.
fn probe(keyword: &str) -> Option<Probe> {
    use Probe::*;
    Some(match keyword {
        // RFC 2920: two commands in one write, both answered.
        "PIPELINING" => Send(&["NOOP\r\nNOOP"], &[2]),
        "SIZE" => Send(&["MAIL FROM:<a@example.net> SIZE=100"], &[2]),
        "8BITMIME" => Send(&["MAIL FROM:<a@example.net> BODY=8BITMIME"], &[2]),
        "DSN" => Send(&["MAIL FROM:<a@example.net> RET=HDRS"], &[2]),
        "SMTPUTF8" => Send(&["MAIL FROM:<a@example.net> SMTPUTF8"], &[2]),
        "ENHANCEDSTATUSCODES" => Send(&["NOOP"], &[2]),
        // RFC 3030 §2 (the probe's CRLF ends the 4 octets). On 587 the
        // recipient is refused before AUTH, and BDAT says so (554).
        "CHUNKING" => Send(&["MAIL FROM:<a@example.net>", "RCPT TO:<user@example.com>", "BDAT 4 LAST\r\nHi"], &[2, 5]),
        "STARTTLS" => Send(&["STARTTLS"], &[2]),
        // RFC 4954 §4: the first mechanism listed, answered by a challenge.
        "AUTH" => Send(&["AUTH LOGIN"], &[3]),
        "VRFY" => Send(&["VRFY user"], &[2]),
        "EXPN" => Send(&["EXPN user"], &[2]),
        // RFC 1985 §5: 250 (queue started) or 458/459 (not for this node).
        "ETRN" => Send(&["ETRN example.com"], &[2, 4]),
        "HELP" => Send(&["HELP"], &[2]),
        // Sendmail's own commands (srvrsmtp.c 8.9: 250).
        "VERB" | "ONEX" | "XUSR" => Send(&[], &[2]),
        // RFC 821 §4.3: TURN's refusal is 502; RFC 2645 §4: ATRN wants AUTH first (530).
        "TURN" => Send(&["TURN"], &[5]),
        "ATRN" => Send(&["ATRN"], &[5]),
        // CommuniGate lists EHLO itself (the source articles' list).
        "EHLO" => Send(&["EHLO client.example.net"], &[2]),
        "NO-SOLICITING" => Gap("RFC 3865 SOLICIT= on MAIL is not modelled: the engine answers 555"),
        _ => return None,
    })
}

fn directory() -> Directory {
    let mut d = Directory { domains: vec!["example.com".into()], ..Default::default() };
    d.add_user("user", "userpw");
    d
}

/// Each personality as the world runs it, AUTH offered where it is.
fn servers() -> Vec<(Personality, ServerConfig)> {
    vec![
        (Personality::Postfix, ServerConfig::postfix("mx.example.com", directory())),
        (Personality::Postfix, ServerConfig::postfix_submission("mx.example.com", directory())),
        (Personality::Sendmail, ServerConfig::sendmail("mx.example.com", directory())),
        (Personality::CommuniGate, ServerConfig::communigate("mx.example.com", directory())),
        (Personality::DovecotLmtp, ServerConfig::dovecot_lmtp("mx.example.com", directory())),
    ]
}

fn open(cfg: &ServerConfig) -> (Server, Vec<String>) {
    let peer = Peer::new(Some("client.example.net"), "192.0.2.1");
    let (mut s, _) = Server::new(cfg.clone(), peer, 0, SimRng::new(7));
    let hello = if cfg.lmtp { "LHLO client.example.net\r\n" } else { "EHLO client.example.net\r\n" };
    let out = s.feed(hello.as_bytes());
    let lines = out.replies.first().map(|r| r.lines.clone()).unwrap_or_default();
    (s, lines)
}

fn is_unrecognized(r: &Reply) -> bool {
    r.code == 500 || r.lines.iter().any(|l| l.to_ascii_lowercase().contains("unrecognized"))
}

#[test]
fn every_ehlo_keyword_is_answered_as_that_server_answers_it() {
    let mut failures = Vec::new();
    let mut gaps = Vec::new();
    for (personality, cfg) in servers() {
        let (_, ehlo) = open(&cfg);
        assert!(ehlo.len() > 1, "{personality:?}: no keywords in {ehlo:?}");
        for line in &ehlo[1..] {
            let keyword = line.split_ascii_whitespace().next().unwrap_or("");
            let Some(p) = probe(keyword) else {
                failures.push(format!("{personality:?}: no probe for EHLO keyword {keyword:?}"));
                continue;
            };
            let (lines, classes) = match p {
                Probe::Gap(why) => {
                    gaps.push(format!("{personality:?} {keyword}: {why}"));
                    continue;
                }
                Probe::Send([], classes) => (vec![keyword.to_string()], classes),
                Probe::Send(lines, classes) => (lines.iter().map(|l| l.to_string()).collect(), classes),
            };
            let (mut s, _) = open(&cfg);
            let mut replies = Vec::new();
            for l in &lines {
                replies.extend(s.feed(format!("{l}\r\n").as_bytes()).replies);
            }
            let said = replies.iter().map(|r| r.to_string()).collect::<Vec<_>>();
            if let Some(bad) = replies.iter().find(|r| is_unrecognized(r)) {
                failures.push(format!("{personality:?} {keyword}: {lines:?} got {bad} ({said:?})"));
            } else if !replies.last().is_some_and(|r| classes.contains(&(r.code / 100))) {
                failures.push(format!("{personality:?} {keyword}: {lines:?} wanted class {classes:?}, got {said:?}"));
            }
            if keyword == "PIPELINING" && replies.len() != 2 {
                failures.push(format!("{personality:?} PIPELINING: two NOOPs in one write, got {said:?}"));
            }
            if keyword == "ENHANCEDSTATUSCODES" && replies.last().and_then(|r| r.enhanced).is_none() {
                failures.push(format!("{personality:?} ENHANCEDSTATUSCODES: no enhanced code in {said:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(gaps, ["CommuniGate NO-SOLICITING: RFC 3865 SOLICIT= on MAIL is not modelled: the engine answers 555"]);
}

/// The probe table itself can fail: an unknown keyword has no probe.
#[test]
fn a_keyword_without_a_probe_is_caught() {
    assert!(probe("XYZZY").is_none());
    assert!(probe("VERB").is_some());
}

fn session(cfg: ServerConfig, lines: &[&str]) -> Vec<String> {
    let peer = Peer::new(Some("localhost"), "127.0.0.1");
    let (mut s, _) = Server::new(cfg, peer, 0, SimRng::new(7));
    lines.iter().flat_map(|l| s.feed(format!("{l}\r\n").as_bytes()).replies).map(|r| r.to_string()).collect()
}

/// Sendmail 8.9 had no CMDUNIMPL: SEND, SOML, SAML and TURN are not in its
/// command table and get the unknown command's 500 (srvrsmtp.c 8.181,
/// CmdTab and `case CMDERROR`); 8.10.0 introduced 502 for them
/// (RELEASE_NOTES: "Differentiate between command not implemented and
/// command unrecognized"). CommuniGate lists TURN and answers 502.
#[test]
fn sendmail_8_9_does_not_know_the_rfc_821_leftovers_communigate_refuses_turn() {
    let sendmail = ServerConfig::sendmail("mx.example.com", directory());
    for verb in ["SEND FROM:<a@example.net>", "SOML FROM:<a@example.net>", "SAML FROM:<a@example.net>", "TURN"] {
        assert_eq!(
            session(sendmail.clone(), &["HELO localhost", verb])[1..],
            [format!("500 Command unrecognized: \"{verb}\"")]
        );
    }
    let cgp = ServerConfig::communigate("mx.example.com", directory());
    assert_eq!(session(cgp, &["TURN"]), ["502 Command not implemented"]);
}

/// XCLIENT and XFORWARD are Postfix's own (XCLIENT_README, XFORWARD_README):
/// Postfix refuses them to an untrusted host (smtp-xclient-xforward.txt);
/// Sendmail 8.9.3 and CommuniGate do not know them.
#[test]
fn only_postfix_knows_xclient_and_xforward() {
    let sendmail = ServerConfig::sendmail("mx.example.com", directory());
    for verb in ["XCLIENT ADDR=192.0.2.1", "XFORWARD NAME=x"] {
        assert_eq!(
            session(sendmail.clone(), &["HELO localhost", verb])[1..],
            [format!("500 Command unrecognized: \"{verb}\"")]
        );
    }
    let cgp = ServerConfig::communigate("mx.example.com", directory());
    assert!(session(cgp, &["XCLIENT ADDR=192.0.2.1"])[0].starts_with("500 "));
}

#[test]
fn sendmail_help_follows_its_help_file() {
    let sendmail = ServerConfig::sendmail("mx.example.com", directory());
    let got = session(sendmail.clone(), &["HELP RSET"]);
    assert_eq!(got, ["214-RSET\r\n214-\tResets the system.\r\n214 End of HELP info"]);
    // The topic is lower-cased and cut to 10 characters in the refusal.
    assert_eq!(session(sendmail.clone(), &["HELP NoSuchTopicAtAll"]), ["504 HELP topic \"nosuchtopi\" unknown"]);
    // A prefix matches every topic that starts with it, as strncmp does.
    let s = session(sendmail.clone(), &["HELP s"]).join("\r\n");
    for t in ["Topics:", "SEND FROM:", "SOML FROM:", "SAML FROM:"] {
        assert!(s.contains(t), "{t} in {s}");
    }
    let plain = session(sendmail, &["HELP"]).join("\r\n");
    assert!(plain.starts_with("214-This is Sendmail version 8.9.3\r\n214-Topics:\r\n"), "{plain}");
    assert!(plain.ends_with("214-For local information send email to Postmaster at your site.\r\n214 End of HELP info"));
    // Postfix has no HELP.
    let postfix = ServerConfig::postfix("mx.example.com", directory());
    assert_eq!(session(postfix, &["HELP"]), ["500 5.5.2 Error: command not recognized"]);
}

/// A gap pinned: CommuniGate lists DIGEST-MD5, GSSAPI, MSN and NTLM (the
/// source articles' list) but the engine has no such SASL mechanisms.
#[test]
fn communigate_refuses_the_mechanisms_it_lists_but_the_engine_lacks() {
    let cgp = ServerConfig::communigate("mx.example.com", directory());
    for mech in ["DIGEST-MD5", "GSSAPI", "MSN", "NTLM"] {
        assert_eq!(
            session(cgp.clone(), &["EHLO client.example.net", &format!("AUTH {mech}")])[1..],
            ["535 Error: authentication failed: Invalid authentication mechanism"]
        );
    }
}
