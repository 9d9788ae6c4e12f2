//! The mail world end to end (seed topic T14): MUA → MSA → MTA → DNS MX →
//! MTA → LMTP → MDA → mailbox, and what goes wrong on the way. Each test
//! asserts the event sequence and the final mailbox contents.

use mailsim::smtp::client::{ClientConfig, Outgoing};
use mailsim::world::events::Event;
use mailsim::world::headers::{header_value, hop_count};
use mailsim::world::queue::RetryPolicy;
use mailsim::world::World;

fn message(subject: &str) -> Vec<u8> {
    format!("From: Alice <alice@example.com>\r\nTo: Carol <carol@example.org>\r\nSubject: {subject}\r\n\r\nHello Carol.\r\n").into_bytes()
}

/// The learner's mail client submits as alice on port 587 (STARTTLS, AUTH).
fn submit(w: &mut World, to: &[&str], subject: &str) {
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.auth = Some(("alice".into(), "alicepw".into()));
    let msg = Outgoing {
        mail_from: "alice@example.com".into(),
        mail_params: vec![],
        rcpt_to: to.iter().map(|s| s.to_string()).collect(),
        data: message(subject),
    };
    w.transfer(World::learner(), "mail.example.com", 587, cfg, msg).expect("587 is open");
}

/// A compact view of the event stream: kind and the hosts involved.
fn story(w: &World) -> Vec<String> {
    w.events()
        .iter()
        .map(|e| match e {
            Event::Accepted { host, port, .. } => format!("accepted {host}:{port}"),
            Event::DnsLookup { name, qtype, answers, .. } => format!("dns {qtype} {name} -> {}", answers.join(",")),
            Event::Hop { from, to, port, protocol, results, .. } => {
                let codes: Vec<String> = results.iter().map(|r| r.code.to_string()).collect();
                format!("{protocol} {from} -> {to}:{port} [{}]", codes.join(","))
            }
            Event::ConnectFailed { to, port, .. } => format!("refused {to}:{port}"),
            Event::Delivered { mailbox, .. } => format!("delivered {mailbox}"),
            Event::Deferred { recipient, .. } => format!("deferred {recipient}"),
            Event::Failed { recipient, status, .. } => format!("failed {recipient} {status}"),
            Event::BounceQueued { to, .. } => format!("bounce to {to}"),
            Event::Removed { host, .. } => format!("removed {host}"),
            Event::Retrieved { mailbox, protocol, .. } => format!("{protocol} read by {mailbox}"),
        })
        .collect()
}

fn inbox(w: &World, host: &str, user: &str) -> Vec<Vec<u8>> {
    w.store(host)
        .and_then(|s| s.list(user, "INBOX").ok())
        .map(|m| m.iter().map(|x| x.raw.clone()).collect())
        .unwrap_or_default()
}

#[test]
fn a_message_travels_from_alice_to_carol() {
    let mut w = World::new(11);
    submit(&mut w, &["carol@example.org"], "Hello");
    assert_eq!(
        story(&w),
        [
            "accepted mail.example.com:587",
            "dns MX example.org -> 10 mail.example.org.,20 mx2.example.org.",
            "SMTP mail.example.com -> mail.example.org:25 [250]",
            "accepted mail.example.org:25",
            "removed mail.example.com",
            "LMTP mail.example.org -> mail.example.org:24 [250]",
            "delivered carol@example.org",
            "removed mail.example.org",
        ]
    );
    let got = inbox(&w, "mail.example.org", "carol");
    assert_eq!(got.len(), 1);
    let m = &got[0];
    // RFC 5321 §4.4: each MTA added a Received line; the MDA its own (3 in all).
    assert_eq!(hop_count(m), 3);
    let text = String::from_utf8_lossy(m);
    assert!(text.starts_with("Return-Path: <alice@example.com>\r\nDelivered-To: carol@example.org\r\nReceived: from mail.example.org ([127.0.0.1])\r\n\tby mail with LMTP"), "{text}");
    assert!(text.contains("Received: from mail.example.com (mail.example.com [192.0.2.25])\r\n\tby mail.example.org (Postfix) with ESMTPS id "), "{text}");
    assert!(text.contains("Received: from client.example.net (client.example.net [203.0.113.10])\r\n\tby mail.example.com (Postfix) with ESMTPSA id "), "{text}");
    // RFC 6409 §8: the MSA added the Date and Message-ID the MUA left out.
    assert!(header_value(m, "Date").is_some() && header_value(m, "Message-Id").is_some(), "{text}");
    assert_eq!(header_value(m, "Subject").as_deref(), Some("Hello"));
    // The recipient's client reads it: the last hop of the journey (seed topic T14).
    let lines = telnet(&mut w, "mail.example.org", 110, &["USER carol", "PASS carolpw", "RETR 1"]);
    assert!(lines.iter().any(|l| l == "Subject: Hello"));
    assert_eq!(story(&w).last().map(String::as_str), Some("POP3 read by carol@example.org"));
    let j = mailsim::world::journey::journey(w.events(), mailsim::world::journey::latest_start(w.events()));
    assert_eq!(j.steps.last().map(|s| s.label.as_str()), Some("POP3/110"));
}

#[test]
fn an_unknown_remote_user_bounces_back_to_the_sender() {
    let mut w = World::new(11);
    submit(&mut w, &["nobody@example.org", "carol@example.org"], "Two");
    let s = story(&w);
    assert!(s.contains(&"SMTP mail.example.com -> mail.example.org:25 [550,250]".to_string()), "{s:#?}");
    assert!(s.contains(&"failed nobody@example.org 5.1.1".to_string()), "{s:#?}");
    assert!(s.contains(&"bounce to alice@example.com".to_string()), "{s:#?}");
    assert!(s.contains(&"delivered carol@example.org".to_string()));
    // The DSN came back through LMTP to alice's INBOX (after her 3 seeded messages).
    let mail = inbox(&w, "mail.example.com", "alice");
    let dsn = mail.last().expect("a bounce");
    let text = String::from_utf8_lossy(dsn);
    assert!(text.starts_with("Return-Path: <>\r\n"), "RFC 5321 §4.5.5 null sender: {text}");
    // As Postfix 3.7 writes it (tests/fixtures/dsn/failure-full.eml): MAILER-DAEMON@$myorigin.
    assert_eq!(header_value(dsn, "From").as_deref(), Some("Mail Delivery System <MAILER-DAEMON@example.com>"));
    for field in [
        "Final-Recipient: rfc822; nobody@example.org",
        "Action: failed",
        "Status: 5.1.1",
        "Remote-MTA: dns; mail.example.org",
    ] {
        assert!(text.contains(field), "missing {field}: {text}");
    }
    assert!(text.contains("Subject: Two"), "the returned message is attached");
}

#[test]
fn greylisting_defers_then_the_retry_is_accepted() {
    let mut w = World::new(11);
    w.faults_mut().greylisting = true;
    submit(&mut w, &["carol@example.org"], "Grey");
    let start = w.now();
    let s = story(&w);
    assert!(s.contains(&"SMTP mail.example.com -> mail.example.org:25 [450]".to_string()), "{s:#?}");
    assert!(s.contains(&"deferred carol@example.org".to_string()));
    let Some(Event::Deferred { retry_at, reason, .. }) =
        w.events().iter().find(|e| matches!(e, Event::Deferred { .. }))
    else {
        panic!()
    };
    assert_eq!(*retry_at, start + 300, "Postfix's minimal_backoff_time");
    assert!(reason.contains("450 4.7.1 <carol@example.org>: Recipient address rejected: Greylisted"), "{reason}");
    assert!(inbox(&w, "mail.example.org", "carol").is_empty());
    w.run_until_idle(start + 3600);
    assert_eq!(w.now(), start + 300);
    assert_eq!(inbox(&w, "mail.example.org", "carol").len(), 1);
    assert!(w.queue().is_empty());
}

#[test]
fn a_down_remote_host_is_retried_then_given_up_with_a_bounce() {
    let mut w = World::new(11);
    w.retry = RetryPolicy { min_backoff: 300, max_backoff: 4000, lifetime: 3 * 3600 };
    w.faults_mut().remote_down = true;
    submit(&mut w, &["carol@example.org"], "Down");
    let start = w.now();
    assert!(story(&w).contains(&"refused mail.example.org:25".to_string()));
    w.run_until_idle(start + 86_400);
    let s = story(&w);
    let deferrals = s.iter().filter(|l| *l == "deferred carol@example.org").count();
    // Attempts at 0, 300, 900, 2100, 4500, 8500; the one at 12500 s is past the 3 h lifetime.
    assert_eq!(deferrals, 6, "{s:#?}");
    assert!(s.contains(&"failed carol@example.org 4.4.7".to_string()), "{s:#?}");
    let dsn = inbox(&w, "mail.example.com", "alice").pop().expect("bounce");
    let text = String::from_utf8_lossy(&dsn).replace("\r\n    ", " ");
    assert!(text.contains("connect to mail.example.org[198.51.100.25]:25: Connection refused"), "{text}");
}

#[test]
fn no_mx_and_no_address_fails_at_once() {
    let mut w = World::new(11);
    submit(&mut w, &["someone@nowhere.example"], "Lost");
    let s = story(&w);
    assert!(s.contains(&"dns MX nowhere.example -> ".to_string()), "{s:#?}");
    assert!(s.contains(&"failed someone@nowhere.example 5.4.4".to_string()), "{s:#?}");
    let dsn = inbox(&w, "mail.example.com", "alice").pop().expect("bounce");
    assert!(String::from_utf8_lossy(&dsn).contains("Host or domain name not found"));
}

#[test]
fn a_full_mailbox_bounces_with_5_2_2() {
    let mut w = World::new(11);
    w.faults_mut().mailbox_full = Some("carol@example.org".into());
    submit(&mut w, &["carol@example.org"], "Full");
    let s = story(&w);
    assert!(s.contains(&"LMTP mail.example.org -> mail.example.org:24 [552]".to_string()), "{s:#?}");
    assert!(s.contains(&"failed carol@example.org 5.2.2".to_string()), "{s:#?}");
    // The bounce is made by mail.example.org and travels back to example.com.
    assert!(s.iter().any(|l| l == "SMTP mail.example.org -> mail.example.com:25 [250]"), "{s:#?}");
    assert!(String::from_utf8_lossy(&inbox(&w, "mail.example.com", "alice").pop().expect("bounce"))
        .contains("Status: 5.2.2"));
}

#[test]
fn the_spam_filter_refuses_at_end_of_data() {
    let mut w = World::new(11);
    w.faults_mut().spam_filter = true;
    submit(&mut w, &["carol@example.org"], "You have won the lottery");
    let s = story(&w);
    assert!(s.contains(&"failed carol@example.org 5.7.1".to_string()), "{s:#?}");
    let dsn = inbox(&w, "mail.example.com", "alice").pop().expect("bounce");
    let text = String::from_utf8_lossy(&dsn).replace("\r\n    ", " ");
    assert!(text.contains("said: 550 5.7.1 Spam message rejected (in reply to end of DATA command)"), "{text}");
}

fn telnet(w: &mut World, host: &str, port: u16, lines: &[&str]) -> Vec<String> {
    let (mut c, _) = match w.connect(host, port) {
        Ok(v) => v,
        Err(e) => return vec![format!("{e:?}")],
    };
    lines.iter().flat_map(|l| w.send(&mut c, format!("{l}\r\n").as_bytes()).lines).collect()
}

#[test]
fn spf_refuses_a_sender_domain_the_client_may_not_send_for() {
    let mut w = World::new(11);
    w.faults_mut().spf = true;
    let r = telnet(
        &mut w,
        "mail.example.org",
        25,
        &["EHLO client.example.net", "MAIL FROM:<alice@example.com>", "RCPT TO:<carol@example.org>"],
    );
    let last = r.last().cloned().unwrap_or_default();
    assert!(
        last.starts_with(
            "550 5.7.23 <carol@example.org>: Recipient address rejected: Message rejected due to: SPF fail"
        ),
        "{last}"
    );
}

#[test]
fn a_blocklisted_client_is_refused_on_25_but_can_submit() {
    let mut w = World::new(11);
    w.faults_mut().dnsbl = true;
    let r =
        telnet(&mut w, "mail.example.org", 25, &["EHLO x", "MAIL FROM:<a@example.net>", "RCPT TO:<carol@example.org>"]);
    assert_eq!(
        r.last().map(String::as_str),
        Some("554 5.7.1 Service unavailable; Client host [203.0.113.10] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.10")
    );
    submit(&mut w, &["carol@example.org"], "Via the MSA");
    assert_eq!(inbox(&w, "mail.example.org", "carol").len(), 1, "mail via the provider's MSA is not affected");
}

#[test]
fn an_isp_that_blocks_port_25_leaves_only_submission() {
    let mut w = World::new(11);
    w.faults_mut().block_outbound_25 = true;
    assert_eq!(telnet(&mut w, "mail.example.org", 25, &["QUIT"]), ["Refused"]);
    assert_eq!(telnet(&mut w, "mail.example.com", 587, &["QUIT"]), ["221 2.0.0 Bye"]);
}

#[test]
fn an_open_relay_relays_for_anyone() {
    let mut w = World::new(11);
    let rcpt = ["EHLO x", "MAIL FROM:<spammer@example.net>", "RCPT TO:<carol@example.org>"];
    assert_eq!(
        telnet(&mut w, "mail.example.com", 25, &rcpt).last().map(String::as_str),
        Some("554 5.7.1 <carol@example.org>: Relay access denied")
    );
    w.faults_mut().open_relay = true;
    let mut all = rcpt.to_vec();
    all.extend(["DATA", "Subject: relayed spam", "", "buy", ".", "QUIT"]);
    telnet(&mut w, "mail.example.com", 25, &all);
    assert_eq!(inbox(&w, "mail.example.org", "carol").len(), 1, "the open relay passed it on");
}

#[test]
fn same_seed_same_events_byte_for_byte() {
    let run = || {
        let mut w = World::new(99);
        w.faults_mut().greylisting = true;
        submit(&mut w, &["carol@example.org", "nobody@example.org"], "Again");
        let t = w.now();
        w.run_until_idle(t + 3600);
        serde_json::to_string(w.events()).expect("events serialise")
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert!(a.contains("\"type\":\"hop\""));
}

fn submit_as(w: &mut World, login: &str, password: &str, from: &str) -> Option<mailsim::smtp::client::Outcome> {
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.auth = Some((login.into(), password.into()));
    let msg = Outgoing {
        mail_from: from.into(),
        mail_params: vec![],
        rcpt_to: vec!["carol@example.org".into()],
        data: message("x"),
    };
    w.submit("mail.example.com", 587, cfg, msg)
}

fn refusal(o: Option<mailsim::smtp::client::Outcome>) -> String {
    match o {
        Some(mailsim::smtp::client::Outcome::Done { recipients, .. }) => recipients[0].1.wire_lines().join(" "),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_provider_refuses_a_from_that_is_not_the_logins() {
    let mut w = World::new(11);
    w.faults_mut().sender_login_match = true;
    assert_eq!(
        refusal(submit_as(&mut w, "alice", "alicepw", "bob@example.com")),
        "553 5.7.1 <bob@example.com>: Sender address rejected: not owned by user alice"
    );
    assert!(refusal(submit_as(&mut w, "alice", "alicepw", "alice@example.com")).starts_with("250 "));
    // Aliases alice receives for are hers too (postmaster → alice).
    assert!(refusal(submit_as(&mut w, "alice", "alicepw", "postmaster@example.com")).starts_with("250 "));
}

#[test]
fn the_hourly_limit_counts_messages_per_user() {
    let mut w = World::new(11);
    w.faults_mut().hourly_limit = Some(2);
    for _ in 0..2 {
        assert!(refusal(submit_as(&mut w, "alice", "alicepw", "alice@example.com")).starts_with("250 "));
        let t = w.now() + 60;
        w.tick(t);
    }
    assert_eq!(
        refusal(submit_as(&mut w, "alice", "alicepw", "alice@example.com")),
        "450 4.7.1 <alice@example.com>: Sender address rejected: Policy Rejection- Quota Exceeded"
    );
    assert!(refusal(submit_as(&mut w, "bob", "bobpw", "bob@example.com")).starts_with("250 "), "the limit is per user");
    let t = w.now() + 3600;
    w.tick(t);
    assert!(
        refusal(submit_as(&mut w, "alice", "alicepw", "alice@example.com")).starts_with("250 "),
        "an hour later alice may send again"
    );
}

/// Learner's finding 6: ten quick sends within one second with a limit of 2 let 7 through.
#[test]
fn the_hourly_limit_counts_sends_in_the_same_second() {
    let mut w = World::new(11);
    w.faults_mut().hourly_limit = Some(2);
    let accepted =
        (0..10).filter(|_| refusal(submit_as(&mut w, "bob", "bobpw", "bob@example.com")).starts_with("250 ")).count();
    assert_eq!(accepted, 2);
}

#[test]
fn tls_mismatches_fail_as_clients_see_them() {
    let mut w = World::new(11);
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.implicit_tls = true;
    let msg = Outgoing {
        mail_from: "a@example.com".into(),
        mail_params: vec![],
        rcpt_to: vec!["bob@example.com".into()],
        data: message("x"),
    };
    assert!(format!("{:?}", w.submit("mail.example.com", 587, cfg, msg.clone())).contains("wrong version number"));
    assert!(format!("{:?}", w.submit("mail.example.com", 465, ClientConfig::smtp("x"), msg))
        .contains("expects a TLS handshake first"));
}

#[test]
fn the_backup_mx_keeps_mail_while_the_primary_is_down() {
    let mut w = World::new(11);
    w.faults_mut().remote_down = true;
    submit(&mut w, &["carol@example.org"], "Via the backup");
    let s = story(&w);
    // RFC 5321 §5.1: the primary (preference 10) refuses, the backup (20) takes it.
    assert!(s.contains(&"refused mail.example.org:25".to_string()), "{s:#?}");
    assert!(s.contains(&"SMTP mail.example.com -> mx2.example.org:25 [250]".to_string()), "{s:#?}");
    assert!(s.contains(&"accepted mx2.example.org:25".to_string()), "{s:#?}");
    assert!(s.contains(&"deferred carol@example.org".to_string()), "the backup queues it: {s:#?}");
    // The primary comes back; the backup's next retry delivers.
    w.faults_mut().remote_down = false;
    let t = w.now();
    w.run_until_idle(t + 3600);
    let got = inbox(&w, "mail.example.org", "carol");
    assert_eq!(got.len(), 1);
    let text = String::from_utf8_lossy(&got[0]);
    assert!(
        text.contains("Received: from mx2.example.org (mx2.example.org [198.51.100.26])\r\n\tby mail.example.org"),
        "{text}"
    );
    assert_eq!(hop_count(&got[0]), 4, "MSA, backup MX, primary MX, MDA");
}

#[test]
fn a_checking_server_refuses_made_up_helo_names() {
    let mut w = World::new(11);
    w.faults_mut().helo_check = true;
    let rcpt = |helo: &str| {
        ["EHLO x"]
            .iter()
            .map(|_| format!("EHLO {helo}"))
            .chain(["MAIL FROM:<a@example.net>".to_string(), "RCPT TO:<carol@example.org>".to_string()])
            .collect::<Vec<_>>()
    };
    let run = |w: &mut World, helo: &str| {
        let lines = rcpt(helo);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        telnet(w, "mail.example.org", 25, &refs).last().cloned().unwrap_or_default()
    };
    assert_eq!(run(&mut w, "myhost"), "504 5.5.2 <myhost>: Helo command rejected: need fully-qualified hostname");
    assert_eq!(run(&mut w, "mail.google.com"), "450 4.7.1 <mail.google.com>: Helo command rejected: Host not found");
    assert_eq!(run(&mut w, "client.example.net"), "250 2.1.5 Ok");
}

#[test]
fn a_smart_host_relays_everything_without_an_mx_lookup() {
    let mut w = World::new(11);
    w.faults_mut().smart_host = true;
    submit(&mut w, &["carol@example.org"], "Via the smart host");
    let s = story(&w);
    let com_lookups =
        w.events().iter().filter(|e| matches!(e, Event::DnsLookup { host, .. } if host == "mail.example.com")).count();
    assert_eq!(com_lookups, 0, "relayhost = [relay.example.net]: no MX lookup at mail.example.com: {s:#?}");
    assert!(s.contains(&"SMTP mail.example.com -> relay.example.net:25 [250]".to_string()), "{s:#?}");
    assert!(s.contains(&"SMTP relay.example.net -> mail.example.org:25 [250]".to_string()), "{s:#?}");
    assert_eq!(inbox(&w, "mail.example.org", "carol").len(), 1);
    // The smart host relays only for its customer's MTA, not for anyone.
    assert_eq!(
        telnet(
            &mut w,
            "relay.example.net",
            25,
            &["EHLO x", "MAIL FROM:<a@example.net>", "RCPT TO:<carol@example.org>"]
        )
        .last()
        .map(String::as_str),
        Some("554 5.7.1 <carol@example.org>: Relay access denied")
    );
}

#[test]
fn the_world_can_be_stepped_one_attempt_at_a_time() {
    let mut w = World::new(11);
    w.faults_mut().greylisting = true;
    submit(&mut w, &["carol@example.org"], "Step");
    // The first attempt already ran (greylisted); one step runs the retry, at its time.
    let t0 = w.now();
    let first = w.step().to_vec();
    assert_eq!(w.now(), t0 + 300);
    assert!(first.iter().any(|e| matches!(e, Event::Hop { to, .. } if to == "mail.example.org")), "{first:#?}");
    assert!(!first.iter().any(|e| matches!(e, Event::Delivered { .. })), "the remote MTA only queued it");
    let second = w.step().to_vec();
    assert!(
        second.iter().any(|e| matches!(e, Event::Delivered { mailbox, .. } if mailbox == "carol@example.org")),
        "{second:#?}"
    );
    assert!(w.step().is_empty(), "nothing left");
}
