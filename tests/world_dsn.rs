//! Delivery status notifications through the world (RFC 3461, RFC 3464), as
//! Postfix 3.7 sends them: the recorded DSNs in tests/fixtures/dsn/ (made by
//! the scripts next to them, against shared/peers) are the expected output.
//! Volatile values — queue ids, dates, Dovecot's LMTP ids, Message-Ids — are
//! masked, nothing else; the peers' LMTP port 2424 stands for the world's 24.

mod common;

use common::{fixture, inbox, play_lines, play_script};
use mailsim::smtp::Peer;
use mailsim::world::events::Event;
use mailsim::world::World;

/// The peers were played from 127.0.0.1 without reverse DNS; so is the world here,
/// so that the returned Received line reads the same.
fn peers_client() -> Peer {
    Peer::new(None, "127.0.0.1")
}

/// Masks what changes from run to run, narrowly: Postfix queue ids (10 hex
/// digits), dates, the boundary's and Message-Id's time stamps, Dovecot's
/// 22-character LMTP ids, and the LMTP port.
fn masked(dsn: &str) -> String {
    let mut out = String::new();
    for line in dsn.split("\r\n") {
        let mut words: Vec<String> = Vec::new();
        for w in line.split(' ') {
            words.push(mask_word(w));
        }
        let mut l = words.join(" ");
        // Dates: `Tue,  1 Dec 2026 22:49:12 +0000` and Dovecot's `Tue, 01 Dec 2026 …`.
        l = mask_dates(&l);
        out.push_str(&l.replace(":2424:", ":24:"));
        out.push_str("\r\n");
    }
    out
}

fn is_qid(w: &str) -> bool {
    w.len() == 10 && w.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

fn mask_word(word: &str) -> String {
    let w = word.trim_start_matches('\t');
    let lead = &word[..word.len() - w.len()];
    format!("{lead}{}", mask_bare(w))
}

fn mask_bare(w: &str) -> String {
    let trimmed = w.trim_end_matches([';', ')', ':']);
    let tail = &w[trimmed.len()..];
    if is_qid(trimmed) {
        return format!("QID{tail}");
    }
    // Dovecot's LMTP session ids (`oCCZKLtOD2vqLQAAg+zDdQ`).
    if trimmed.len() == 22 && trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/') {
        return format!("LMTPID{tail}");
    }
    // boundary="QID.1796165307/mail.example.com"
    if let Some(rest) = w.strip_prefix("boundary=\"") {
        if let Some((qid, after)) = rest.split_once('.') {
            if let Some((_, host)) = after.split_once('/') {
                if is_qid(qid) {
                    return format!("boundary=\"QID.T/{host}");
                }
            }
        }
    }
    // --QID.1796165307/mail.example.com(--)
    if let Some(rest) = w.strip_prefix("--") {
        if let Some((qid, after)) = rest.split_once('.') {
            if let Some((_, host)) = after.split_once('/') {
                if is_qid(qid) {
                    return format!("--QID.T/{host}");
                }
            }
        }
    }
    // Message-Id: <20261201224827.A50D7BC8FD@mail.example.com>
    if let Some(rest) = w.strip_prefix('<') {
        if let Some((stamp, after)) = rest.split_once('.') {
            if stamp.len() == 14 && stamp.bytes().all(|b| b.is_ascii_digit()) {
                if let Some((qid, host)) = after.split_once('@') {
                    if is_qid(qid) {
                        return format!("<STAMP.QID@{host}");
                    }
                }
            }
        }
    }
    w.to_string()
}

fn mask_dates(line: &str) -> String {
    const DAYS: [&str; 7] = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"];
    let mut l = line.to_string();
    for d in DAYS {
        while let Some(i) = l.find(d) {
            // `Tue,  1 Dec 2026 22:49:12 +0000` or `Tue, 01 Dec 2026 22:49:12 +0000`: up to the zone.
            let Some(z) = l[i..].find(" +0000").map(|z| i + z + " +0000".len()) else { break };
            l.replace_range(i..z, "DATE");
        }
    }
    l
}

/// The last message in bob's INBOX on mail.example.com, as text.
fn last_for_bob(w: &World) -> String {
    String::from_utf8_lossy(inbox(w, "mail.example.com", "bob").last().expect("a message for bob")).into_owned()
}

/// The DSN part of a delivered message: from Postfix's own Received line on
/// (the lines above are the delivering MDA's).
fn postfix_part(message: &str) -> &str {
    postfix_part_of(message, "mail.example.com")
}

/// The same, for a DSN made by `host`.
fn postfix_part_of<'a>(message: &'a str, host: &str) -> &'a str {
    message.find(&format!("Received: by {host} (Postfix)")).map_or(message, |i| &message[i..])
}

fn assert_same_dsn(got: &str, recorded: &str) {
    let (g, r) = (masked(postfix_part(got)), masked(postfix_part(recorded)));
    for (i, (a, b)) in g.lines().zip(r.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs:\n--- ours (masked)\n{g}\n--- recorded (masked)\n{r}", i + 1);
    }
    assert_eq!(g, r);
}

#[test]
fn a_success_dsn_over_lmtp_is_the_recorded_one() {
    let mut w = World::new(11);
    let before = inbox(&w, "mail.example.com", "bob").len();
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/success-lmtp.txt");
    assert_eq!(inbox(&w, "mail.example.com", "bob").len(), before + 1, "one success notice for bob");
    assert_same_dsn(&last_for_bob(&w), &fixture("dsn/success-lmtp.eml"));
}

/// The peers' set-up for a failure after acceptance (tests/fixtures/dsn/README.md):
/// ghost@example.com is in the MTA's mailbox map, but the MDA (LMTP) has no such
/// user, so LMTP refuses it with Dovecot's 550 5.1.1.
fn with_ghost(w: &mut World) {
    for port in [25, 587] {
        w.smtp_config_mut("mail.example.com", port).expect("Postfix").directory.add_user("ghost", "ghostpw");
    }
}

fn bounces(w: &World) -> Vec<(String, mailsim::smtp::dsn::Kind)> {
    w.events()
        .iter()
        .filter_map(|e| match e {
            Event::BounceQueued { host, kind, .. } => Some((host.clone(), *kind)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_failure_with_ret_hdrs_returns_the_headers_as_recorded() {
    let mut w = World::new(11);
    with_ghost(&mut w);
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/failure-hdrs.txt");
    let got = last_for_bob(&w);
    assert_same_dsn(&got, &fixture("dsn/failure-hdrs.eml"));
    // RFC 3461 §4.4, §4.2: ENVID and ORCPT, xtext decoded.
    assert!(got.contains("\r\nOriginal-Envelope-Id: fail-hdrs-1\r\n"), "{got}");
    assert!(got.contains("\r\nOriginal-Recipient: rfc822;Ghost@example.com\r\n"), "{got}");
    assert!(!got.contains("First line of the body."), "RET=HDRS: no body\n{got}");
}

#[test]
fn a_failure_without_ret_returns_the_whole_message_as_recorded() {
    let mut w = World::new(11);
    with_ghost(&mut w);
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/failure-full.txt");
    let got = last_for_bob(&w);
    assert_same_dsn(&got, &fixture("dsn/failure-full.eml"));
    assert!(got.contains("Content-Type: message/rfc822\r\n"), "{got}");
    assert!(got.contains("\r\nFirst line of the body.\r\nSecond line of the body.\r\n\r\n--"), "{got}");
}

#[test]
fn notify_never_gives_no_bounce() {
    let mut w = World::new(11);
    with_ghost(&mut w);
    let before = inbox(&w, "mail.example.com", "bob").len();
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/failure-never.txt");
    // The recipient still fails (an event), but nobody is told (Postfix logged no notification).
    assert!(w.events().iter().any(|e| matches!(e, Event::Failed { recipient, status, .. }
        if recipient == "ghost@example.com" && status == "5.1.1")));
    assert_eq!(bounces(&w), []);
    assert_eq!(inbox(&w, "mail.example.com", "bob").len(), before);
}

#[test]
fn a_success_notice_returns_headers_only_even_with_ret_full() {
    let mut w = World::new(11);
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/success-lmtp-full.txt");
    let got = last_for_bob(&w);
    assert_same_dsn(&got, &fixture("dsn/success-lmtp-full.eml"));
    assert!(!got.contains("First line of the body."), "{got}");
}

/// The client lines of the hop from `from` to `to:port` that start with MAIL or RCPT.
fn envelope_lines(w: &World, from: &str, to: &str, port: u16) -> Vec<String> {
    let hop = w.events().iter().find_map(|e| match e {
        Event::Hop { from: f, to: t, port: p, transcript, .. } if f == from && t == to && *p == port => {
            Some(transcript)
        }
        _ => None,
    });
    hop.expect("the hop")
        .iter()
        .filter_map(|s| match s {
            mailsim::smtp::client::Said::Client(l) if l.starts_with("MAIL ") || l.starts_with("RCPT ") => {
                Some(l.clone())
            }
            _ => None,
        })
        .collect()
}

/// The MAIL and RCPT lines Postfix's client sent to the sink (tests/fixtures/dsn/*.sink.txt).
fn recorded_envelope_lines(sink: &str) -> Vec<String> {
    fixture(sink)
        .lines()
        .filter_map(|l| l.strip_prefix("C: "))
        .filter(|l| l.starts_with("MAIL ") || l.starts_with("RCPT "))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_dsn_parameters_are_carried_over_a_relay_hop_as_postfix_sends_them() {
    let mut w = World::new(11);
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/relay-dsn.txt");
    // mail.example.org offers DSN: ENVID and RET on MAIL, ORCPT and NOTIFY on RCPT, in
    // Postfix's order and xtext, and ORCPT=rfc822;dave@… although the client gave none.
    assert_eq!(
        envelope_lines(&w, "mail.example.com", "mail.example.org", 25),
        recorded_envelope_lines("dsn/relay-dsn.sink.txt")
    );
    // The next hop took over the success notice (Postfix's smtp_rcpt_done): none from
    // mail.example.com; mail.example.org sends it after its LMTP delivery, with the
    // ENVID and ORCPT that came over the hop.
    assert_eq!(bounces(&w), [("mail.example.org".to_string(), mailsim::smtp::dsn::Kind::Success)]);
    let got = last_for_bob(&w);
    for field in [
        "From: Mail Delivery System <MAILER-DAEMON@example.org>",
        "Subject: Successful Mail Delivery Report",
        "Reporting-MTA: dns; mail.example.org",
        "Original-Envelope-Id: relay=dsn+1",
        "Final-Recipient: rfc822; carol@example.org",
        "Original-Recipient: rfc822;carol+dsn@example.org",
        "Action: relayed",
    ] {
        assert!(got.contains(&format!("\r\n{field}\r\n")), "missing {field}:\n{got}");
    }
    // dave asked for nothing: he is in no notice.
    assert!(!got.contains("dave@example.org"), "{got}");
}

/// Lines joined where Postfix folded them, for comparing texts whose
/// lengths differ between the peers and the world (the wrapping itself is
/// checked byte for byte in world::bounce's tests).
fn unfolded(s: &str) -> String {
    s.replace("\r\n    ", " ")
}

#[test]
fn relaying_to_a_server_without_dsn_gives_a_relayed_notice() {
    let mut w = World::new(11);
    let cfg = w.smtp_config_mut("mail.example.org", 25).expect("Postfix");
    cfg.extensions.retain(|e| *e != mailsim::smtp::Extension::Dsn);
    // The recorded script, to the world's next hop instead of the peers' sink.
    let script = fixture("dsn/scripts/relay-nodsn.txt").replace("someone@example.net", "carol@example.org");
    let lines: Vec<&str> = script.lines().collect();
    play_lines(&mut w, peers_client(), "mail.example.com", 587, &lines);
    // Nothing of the DSN request goes to a server that does not offer DSN.
    let recorded: Vec<String> = recorded_envelope_lines("dsn/relay-nodsn.sink.txt")
        .iter()
        .map(|l| l.replace("someone@example.net", "carol@example.org"))
        .collect();
    assert_eq!(envelope_lines(&w, "mail.example.com", "mail.example.org", 25), recorded);
    assert_eq!(bounces(&w), [("mail.example.com".to_string(), mailsim::smtp::dsn::Kind::Success)]);
    // The recorded notice, with the sink (127.0.0.1:2527, `queued as SINK1`) read as the world's next hop.
    let queued = w
        .events()
        .iter()
        .find_map(|e| match e {
            Event::Accepted { host, queue_id, .. } if host == "mail.example.org" => Some(queue_id.clone()),
            _ => None,
        })
        .expect("accepted by mail.example.org");
    let recorded = fixture("dsn/relay-nodsn.eml")
        .replace("someone@example.net", "carol@example.org")
        .replace("127.0.0.1[127.0.0.1]:2527", "mail.example.org[198.51.100.25]:25")
        .replace("Remote-MTA: dns; 127.0.0.1", "Remote-MTA: dns; mail.example.org")
        .replace("SINK1", &queued);
    assert_same_dsn(&unfolded(&last_for_bob(&w)), &unfolded(&recorded));
}

#[test]
fn lmtp_to_an_mda_that_offers_dsn_carries_the_request_and_sends_no_notice() {
    // Modelled on Postfix's smtp_rcpt_done (the same code for LMTP): a server
    // that announces DSN is assumed to notify itself. Dovecot 2.3 announces no
    // DSN, so this was not recordable; the LMTP side here is the world's own.
    let mut w = World::new(11);
    w.smtp_config_mut("mail.example.com", 24).expect("LMTP").extensions.push(mailsim::smtp::Extension::Dsn);
    let before = inbox(&w, "mail.example.com", "bob").len();
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/success-lmtp.txt");
    assert_eq!(
        envelope_lines(&w, "mail.example.com", "mail.example.com", 24),
        [
            "MAIL FROM:<bob@example.com> ENVID=env+2Bsuccess-1 RET=HDRS",
            "RCPT TO:<alice@example.com> ORCPT=rfc822;Alice@example.com NOTIFY=SUCCESS"
        ]
    );
    assert_eq!(bounces(&w), []);
    assert_eq!(inbox(&w, "mail.example.com", "bob").len(), before);
}

/// Sends bob's message to carol@example.org with these RCPT parameters while
/// example.org is down, and lets the queue retry for an hour.
fn deferred_with(notify: &str, delay_warning_time: i64) -> World {
    let mut w = World::new(11);
    w.delay_warning_time = delay_warning_time;
    w.faults_mut().remote_down = true;
    let script = fixture("dsn/scripts/delay-on.txt")
        .replace("slow@example.com", "carol@example.org")
        .replace(" NOTIFY=DELAY", notify);
    let lines: Vec<&str> = script.lines().collect();
    play_lines(&mut w, peers_client(), "mail.example.com", 587, &lines);
    let start = w.now();
    w.run_until_idle(start + 3600);
    w
}

#[test]
fn a_delay_notice_comes_once_after_delay_warning_time_as_recorded() {
    // The peers ran with delay_warning_time = 10s for the recording.
    let w = deferred_with(" NOTIFY=DELAY", 10);
    let delays: Vec<_> = bounces(&w).into_iter().filter(|(_, k)| *k == mailsim::smtp::dsn::Kind::Delay).collect();
    // example.org's primary is down, so its backup MX holds the mail and warns.
    assert_eq!(
        delays,
        [("mx2.example.org".to_string(), mailsim::smtp::dsn::Kind::Delay)],
        "one notice, not one per retry"
    );
    // The recorded warning, its MTA and deferral read as the world's (mx2 could not
    // reach mail.example.org); compared up to the returned headers, which carry
    // one more Received line here (the hop to mx2).
    let recorded = fixture("dsn/delay-on.eml")
        .replace("MAILER-DAEMON@example.com", "MAILER-DAEMON@mx2.example.org")
        .replace("mail.example.com", "mx2.example.org")
        .replace("slow@example.com", "carol@example.org")
        .replace("127.0.0.1[127.0.0.1]:2999", "mail.example.org[198.51.100.25]:25");
    let upto = |m: &str| {
        let m = unfolded(postfix_part_of(m, "mx2.example.org"));
        let end = m.find("\r\nReturn-Path: <bob@example.com>\r\n").expect("the returned headers");
        m[..end].to_string()
    };
    assert_same_dsn(&upto(&last_for_bob(&w)), &upto(&recorded));
}

#[test]
fn no_delay_notice_with_postfix_defaults_or_without_delay_in_notify() {
    // delay_warning_time = 0h, Postfix's default: none even for NOTIFY=DELAY
    // (the recorded delay-off message got none).
    assert_eq!(bounces(&deferred_with(" NOTIFY=DELAY", 0)), []);
    assert_eq!(bounces(&deferred_with(" NOTIFY=FAILURE", 10)), []);
    // Without NOTIFY, Postfix sends one (the recorded delay-default.eml).
    assert_eq!(bounces(&deferred_with("", 10)), [("mx2.example.org".to_string(), mailsim::smtp::dsn::Kind::Delay)]);
}

#[test]
fn notify_never_is_carried_over_the_relay_hop_so_the_far_end_does_not_bounce() {
    for (notify, bounced) in [(" NOTIFY=NEVER", false), ("", true)] {
        let mut w = World::new(11);
        w.faults_mut().mailbox_full = Some("carol@example.org".into());
        let rcpt = format!("RCPT TO:<carol@example.org>{notify}");
        let lines = ["EHLO client.example.net", "AUTH PLAIN AGJvYgBib2Jwdw==", "MAIL FROM:<bob@example.com>", &rcpt]
            .into_iter()
            .chain(["DATA", "Subject: full", "", "x", ".", "QUIT"])
            .collect::<Vec<_>>();
        play_lines(&mut w, peers_client(), "mail.example.com", 587, &lines);
        let hop = envelope_lines(&w, "mail.example.com", "mail.example.org", 25);
        assert_eq!(hop[1], format!("RCPT TO:<carol@example.org> ORCPT=rfc822;carol@example.org{notify}"));
        // mail.example.org's LMTP refuses (552 5.2.2): it bounces only if NOTIFY allows.
        assert!(w.events().iter().any(|e| matches!(e, Event::Failed { host, status, .. }
            if host == "mail.example.org" && status == "5.2.2")));
        let want: Vec<_> =
            if bounced { vec![("mail.example.org".to_string(), mailsim::smtp::dsn::Kind::Failure)] } else { vec![] };
        assert_eq!(bounces(&w), want, "NOTIFY{notify}");
    }
}

#[test]
fn an_alias_with_notify_success_is_reported_expanded_as_recorded() {
    let mut w = World::new(11);
    play_script(&mut w, peers_client(), "mail.example.com", 587, "tests/fixtures/dsn/scripts/success-alias.txt");
    // One notice, for the alias: its addresses lost SUCCESS (here NEVER), so
    // neither alice's nor bob's delivery is reported, as on the peers.
    assert_eq!(bounces(&w), [("mail.example.com".to_string(), mailsim::smtp::dsn::Kind::Success)]);
    assert_same_dsn(&last_for_bob(&w), &fixture("dsn/success-alias.eml"));
    let lmtp = envelope_lines(&w, "mail.example.com", "mail.example.com", 24);
    assert_eq!(lmtp[1..], ["RCPT TO:<alice@example.com>", "RCPT TO:<bob@example.com>"], "Dovecot offers no DSN");
}
