//! Scenarios (docs/scenarios.md) load and change the world as written: a
//! user added logs in, an alias delivers, a switch takes effect, a seeded
//! message is in its mailbox, the clock starts where said; and every
//! problem of a file is reported with its line.
#![cfg(not(target_arch = "wasm32"))]

use mailsim::world::scenario::{builtin_text, Problem, Scenario};
use mailsim::world::World;

mod common;
use common::send;

/// The default world set up as `text` says.
fn world(text: &str) -> World {
    let mut w = World::new(1);
    let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{e}"));
    s.apply(&mut w).unwrap_or_else(|e| panic!("{e}"));
    w
}

fn inbox_subjects(w: &World, host: &str, user: &str) -> Vec<String> {
    let store = w.store(host).expect("a mail host");
    let list = store.list(user, "INBOX").unwrap_or_default();
    list.iter()
        .filter_map(|m| {
            let raw = String::from_utf8_lossy(&m.raw).into_owned();
            raw.lines().find_map(|l| l.strip_prefix("Subject: ").map(str::to_string))
        })
        .collect()
}

#[test]
fn a_user_added_logs_in_over_pop3_and_imap() {
    let mut w = world("user: eve@example.com evepw\nuser: zoe@example.org zoepw\n");
    let (mut p, _) = w.connect("mail.example.com", 110).expect("POP3");
    send(&mut w, &mut p, "USER eve");
    assert_eq!(send(&mut w, &mut p, "PASS evepw"), ["+OK Logged in."]);
    let (mut i, _) = w.connect("mail.example.org", 143).expect("IMAP");
    let ok = send(&mut w, &mut i, "a1 LOGIN zoe zoepw");
    assert!(ok.last().is_some_and(|l| l.starts_with("a1 OK")), "{ok:?}");
    // Without the scenario there is no eve.
    let mut plain = World::new(1);
    let (mut p, _) = plain.connect("mail.example.com", 110).expect("POP3");
    send(&mut plain, &mut p, "USER eve");
    assert!(send(&mut plain, &mut p, "PASS evepw")[0].starts_with("-ERR"));
}

#[test]
fn an_alias_delivers_to_its_users() {
    let mut w = world("user: eve@example.com evepw\nalias: staff@example.com bob, eve@example.com\n");
    common::smtp_to(&mut w, "staff@example.com", "Meeting", "at ten");
    w.run_until_idle(w.now() + 60);
    assert_eq!(inbox_subjects(&w, "mail.example.com", "eve"), ["Meeting"]);
    assert!(inbox_subjects(&w, "mail.example.com", "bob").contains(&"Meeting".to_string()));
    assert!(!inbox_subjects(&w, "mail.example.com", "alice").contains(&"Meeting".to_string()));
}

#[test]
fn fault_switches_take_effect() {
    let w = world("fault: greylisting\nfault: mailbox-full dave@example.org\nfault: hourly-limit 2\nsmart-host: on\n");
    let f = w.faults();
    assert!(f.greylisting && f.smart_host);
    assert_eq!((f.mailbox_full.as_deref(), f.hourly_limit), (Some("dave@example.org"), Some(2)));
    // Greylisting answers a first attempt with 450 4.7.1.
    let mut w = world("fault: greylisting\n");
    let (mut c, _) = w.connect("mail.example.org", 25).expect("SMTP");
    send(&mut w, &mut c, "HELO client.example.net");
    send(&mut w, &mut c, "MAIL FROM:<learner@example.net>");
    let r = send(&mut w, &mut c, "RCPT TO:<carol@example.org>");
    assert!(r[0].starts_with("450 4.7.1"), "{r:?}");
    assert!(!world("smart-host: off\n").faults().smart_host);
}

#[test]
fn seeded_messages_are_in_their_mailboxes() {
    let text = "message: eve@example.com\nFrom: alice@example.com\nSubject: Welcome\n\nHi.\n..dot\n.\n\
                message: bob@example.com Archive\nFrom: carol@example.org\nSubject: Old news\n\nText.\n.\n\
                user: eve@example.com evepw\n";
    let w = world(text);
    assert_eq!(inbox_subjects(&w, "mail.example.com", "eve"), ["Welcome"]);
    let store = w.store("mail.example.com").expect("store");
    let raw = &store.list("eve", "INBOX").expect("INBOX")[0].raw;
    assert_eq!(raw, b"From: alice@example.com\r\nSubject: Welcome\r\n\r\nHi.\r\n.dot\r\n");
    let archive = store.list("bob", "Archive").expect("the folder is created");
    assert_eq!(archive.len(), 1);
    assert_eq!(inbox_subjects(&w, "mail.example.com", "bob").len(), 3, "bob's INBOX keeps its three");
}

#[test]
fn the_clock_starts_where_said_and_a_personality_changes_the_banner() {
    let mut w = world("clock: 2026-12-24 18:00\npersonality: mail.example.org sendmail-8.9.3\n");
    assert_eq!(w.now(), 1_798_135_200);
    let (_, greeting) = w.connect("mail.example.org", 25).expect("SMTP");
    assert!(greeting.lines[0].contains("Sendmail 8.9.3"), "{greeting:?}");
    assert!(greeting.lines[0].contains("Thu, 24 Dec 2026 18:00:00 +0000"), "{greeting:?}");
    assert_eq!(world("clock: 1794819600\n").now(), mailsim::sim::DEFAULT_EPOCH);
}

#[test]
fn a_domain_added_receives_mail() {
    let mut w = world("domain: school.test mail.example.com\nuser: pupil@school.test pupilpw\n");
    assert_eq!(w.dns().mx("school.test"), [(10, "mail.example.com".to_string())]);
    common::smtp_to(&mut w, "pupil@school.test", "Homework", "due Monday");
    w.run_until_idle(w.now() + 60);
    assert_eq!(inbox_subjects(&w, "mail.example.com", "pupil"), ["Homework"]);
}

#[test]
fn the_example_scenario_sets_up_eve() {
    let w = world(builtin_text("new-colleague").expect("built in"));
    assert_eq!(inbox_subjects(&w, "mail.example.com", "eve"), ["Welcome aboard"]);
    assert!(w.faults().greylisting);
}

#[test]
fn parse_errors_give_their_lines() {
    let text = "# a comment\nclock: someday\nuser: eve\nfault: meteor\nsmart-host: maybe\ncolour: blue\nno colon\n\
                personality: mail.example.org exim\nclock: 2026-01-01\nclock: 2026-01-02\nmessage: eve@example.com\nnot a header\n.\n\
                message: x@example.com\nSubject: never ended\n";
    let e = Scenario::parse(text).expect_err("bad");
    let got: Vec<(usize, String)> = e.0.iter().map(|x| (x.line, x.problem.to_string())).collect();
    let want: &[(usize, &str)] = &[
        (2, "'someday' is not a time"),
        (3, "user needs an address and a password"),
        (4, "unknown fault 'meteor'"),
        (5, "smart-host is on or off, not 'maybe'"),
        (6, "unknown setting 'colour'"),
        (7, "has no ':'"),
        (8, "unknown personality 'exim'"),
        (10, "the clock is set twice (first on line 9)"),
        (11, "a message starts with its header fields"),
        (14, "not ended by a line with a single '.'"),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for ((line, msg), (wl, wm)) in got.iter().zip(want) {
        assert!(line == wl && msg.contains(wm), "line {wl}: {wm}, got line {line}: {msg}");
    }
    assert!(e.to_string().starts_with("line 2: 'someday' is not a time"), "{e}");
}

#[test]
fn what_does_not_fit_the_world_is_reported_with_its_line() {
    let text = "user: x@nowhere.test pw\npersonality: mars.example postfix\nalias: all@example.com alice, nobody\n\
                domain: example.org mail.example.com\ndomain: new.test relay.example.net\nmessage: ghost@example.com\nSubject: x\n\n.\n\
                user: fine@example.com pw\n";
    let s = Scenario::parse(text).expect("the syntax is right");
    let mut w = World::new(1);
    let e = s.apply(&mut w).expect_err("does not fit");
    let got: Vec<(usize, &Problem)> = e.0.iter().map(|x| (x.line, &x.problem)).collect();
    assert_eq!(
        got,
        [
            (1, &Problem::NoHostFor("nowhere.test".into())),
            (2, &Problem::UnknownHost("mars.example".into())),
            (3, &Problem::UnknownUser("nobody@example.com".into())),
            (4, &Problem::DomainTaken { domain: "example.org".into(), host: "mail.example.org".into() }),
            (5, &Problem::NotMailHost("relay.example.net".into())),
            (6, &Problem::UnknownUser("ghost@example.com".into())),
        ]
    );
    // What fits is applied all the same.
    assert!(w.store("mail.example.com").is_some_and(|s| s.has_user("fine")));
}

#[test]
fn a_host_added_is_a_whole_mail_server_that_mail_reaches_by_its_mx() {
    let mut w = world(
        "host: mail.school.test 192.0.2.80\ndomain: school.test mail.school.test\nuser: teacher@school.test teacherpw\n",
    );
    // In the DNS: its A and PTR records, and the MX of the domain it serves.
    assert_eq!(w.dns().mx("school.test"), [(10, "mail.school.test".to_string())]);
    assert_eq!(w.resolve("mail.school.test").map(|h| h.ip.clone()), Some("192.0.2.80".to_string()));
    // Postfix greets with its name on 25; Dovecot answers on 110 and 143.
    let (_, greeting) = w.connect("mail.school.test", 25).expect("SMTP");
    assert_eq!(greeting.lines[0], "220 mail.school.test ESMTP Postfix");
    // alice's message, submitted to her provider, travels to it by its MX and is stored for the teacher.
    let mut shell = mailsim::shell::Shell::new(w);
    let out = shell.input(
        "swaks --to teacher@school.test --from alice@example.com --server mail.example.com:587 --tls \
         --auth-user alice --auth-password alicepw --header \"Subject: Timetable\"",
    );
    assert!(out.lines.iter().any(|l| l.text.contains("250 2.0.0 Ok: queued as")), "{:?}", out.lines);
    let mut w = shell.world().clone();
    w.run_until_idle(w.now() + 60);
    assert_eq!(inbox_subjects(&w, "mail.school.test", "teacher"), ["Timetable"]);
    let hops: Vec<String> = w.events().iter().map(|e| format!("{e:?}")).filter(|e| e.contains("school")).collect();
    assert!(hops.iter().any(|h| h.contains("mail.school.test")), "{hops:#?}");
    let (mut p, _) = w.connect("mail.school.test", 110).expect("POP3");
    send(&mut w, &mut p, "USER teacher");
    assert_eq!(send(&mut w, &mut p, "PASS teacherpw"), ["+OK Logged in."]);
    assert!(send(&mut w, &mut p, "STAT")[0].starts_with("+OK 1 "));
    // The default world has no such host.
    assert!(World::new(1).connect("mail.school.test", 25).is_err());
}

#[test]
fn a_host_needs_a_fresh_name_and_address() {
    let e = Scenario::parse("host: mail.school.test\nhost: -bad-.test 192.0.2.80\nhost: mail.school.test 300.1.1.1\n")
        .expect_err("bad syntax");
    assert_eq!(e.0.len(), 3, "{e}");
    assert!(e.0.iter().all(|x| x.problem.to_string() == "host needs a host name and its IPv4 address"), "{e}");
    let s = Scenario::parse("host: mail.example.com 192.0.2.81\nhost: mail.school.test 192.0.2.25\n")
        .expect("the syntax is right");
    let got: Vec<String> =
        s.apply(&mut World::new(1)).expect_err("taken").0.iter().map(|x| x.problem.to_string()).collect();
    assert_eq!(
        got,
        [
            "a host mail.example.com at 192.0.2.81 cannot be added: mail.example.com is there already",
            "a host mail.school.test at 192.0.2.25 cannot be added: mail.example.com is there already",
        ]
    );
}
