use super::*;
use crate::lessons::{check, parse, Lesson};
use crate::smtp::client::{ClientConfig, Outgoing};

/// Types `lines` into a fresh shell, recording each.
fn record(lines: &[&str]) -> Recorder {
    let mut shell = Shell::new(World::new(1));
    let mut r = Recorder::new();
    for l in lines {
        let out = shell.input(l);
        r.input(l, &out);
    }
    r
}

/// The recorder's proposal in `lang`, which must parse and pass the checker.
fn proposed_in(r: &Recorder, lang: Lang) -> (String, Lesson) {
    let text = r.propose("recorded", "Recorded", lang).unwrap_or_else(|e| panic!("{e}"));
    let lesson = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let failures = check(&lesson);
    assert!(failures.is_empty(), "{}\n{text}", failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    (text, lesson)
}

fn proposed(lines: &[&str]) -> (String, Lesson) {
    proposed_in(&record(lines), Lang::En)
}

/// Each step's (title, goal lines, solution).
fn steps(l: &Lesson) -> Vec<(String, Vec<String>, Vec<String>)> {
    l.steps
        .iter()
        .map(|s| (s.title.clone(), s.goals.iter().map(Goal::to_string).collect(), s.solution.clone()))
        .collect()
}

fn goals(l: &Lesson) -> Vec<Vec<String>> {
    steps(l).into_iter().map(|s| s.1).collect()
}

const SMTP: &[&str] = &[
    "telnet mail.example.com 25",
    "EHLO client.example.net",
    "MAIL FROM:<alice@example.com>",
    "RCPT TO:<bob@example.com>",
    "DATA",
    "Subject: Hello Bob",
    "",
    "Hi Bob.",
    ".",
    "QUIT",
];

#[test]
fn an_smtp_transaction_becomes_one_step_per_command_with_the_message_in_data() {
    let (text, l) = proposed(SMTP);
    assert!(text.starts_with("---\nid: recorded\ntitle: Recorded\nlevel: 1\ncovers:\n---\n"), "{text}");
    let s = steps(&l);
    let titles: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        titles,
        ["Connect to mail.example.com port 25", "Send EHLO", "Send MAIL", "Send RCPT", "Send DATA", "Send QUIT"]
    );
    assert_eq!(s[4].2, ["DATA", "Subject: Hello Bob", "", "Hi Bob.", "."], "the text folds into DATA");
    assert_eq!(
        goals(&l),
        [
            vec!["reply 220 mail.example.com"],
            vec!["reply 250"],
            vec!["reply 250 2.1.0"],
            vec!["reply 250 2.1.5"],
            vec!["reply 250 2.0.0", "delivered bob@example.com Hello Bob"],
            vec!["reply 221 2.0.0"],
        ]
    );
    assert!(l.steps.iter().all(|s| s.hints.len() == 1 && !s.text.is_empty()));
}

#[test]
fn a_pop3_session() {
    let (_, l) = proposed(&["telnet mail.example.com 110", "USER alice", "PASS alicepw", "STAT", "RETR 1", "QUIT"]);
    let g = goals(&l);
    assert_eq!(g.len(), 6, "{g:?}");
    assert_eq!(g[0], ["reply +OK"]);
    assert!(g[1..].iter().all(|x| x == &["reply +OK"]), "{g:?}");
    assert_eq!(l.steps[4].title, "Send RETR");
}

#[test]
fn an_imap_session_keeps_the_tags() {
    let (_, l) = proposed(&[
        "telnet mail.example.com 143",
        "a1 LOGIN alice alicepw",
        "a2 SELECT INBOX",
        "a3 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])",
        "a4 LOGOUT",
    ]);
    assert_eq!(
        goals(&l),
        [vec!["reply * OK"], vec!["reply a1 OK"], vec!["reply a2 OK"], vec!["reply a3 OK"], vec!["reply a4 OK"]]
    );
    assert_eq!(l.steps[2].title, "Send SELECT");
}

#[test]
fn dns_lookups_expect_their_answer() {
    let (_, l) = proposed(&[
        "dig MX example.org",
        "host -t mx example.org",
        "nslookup -type=mx example.org",
        "dig +short A mail.example.com",
        "dig A nosuch.example.org",
    ]);
    let g = goals(&l);
    assert_eq!(g.len(), 5, "{g:?}");
    for x in &g[..3] {
        assert_eq!(x.len(), 1);
        assert!(x[0].starts_with("output ") && x[0].contains("mail.example.org"), "{g:?}");
    }
    assert_eq!(g[3], ["output 192.0.2.25"]);
    assert_eq!(g[4], ["output status: NXDOMAIN"]);
    assert_eq!(l.steps[0].title, "Run `dig MX example.org`");
}

#[test]
fn a_corrected_mistake_and_noise_are_left_out_an_error_left_standing_is_kept() {
    let (_, l) = proposed(&[
        "",
        "help",
        "clear",
        "telnet mail.example.com 2525",
        "telnet mail.example.com 25",
        "EHOL client.example.net",
        "EHLO client.example.net",
        "EHLO client.example.net",
        "MAIL FROM:<alice@example.com>",
        "RCPT TO:<nobody@example.com>",
        "RCPT TO:<bob@example.com>",
        "RCPT TO:<carol@example.org>",
        "QUIT",
        "dgi MX example.org",
    ]);
    let solutions: Vec<String> = l.steps.iter().flat_map(|s| s.solution.clone()).collect();
    assert_eq!(
        solutions,
        [
            "telnet mail.example.com 25",
            "EHLO client.example.net",
            "MAIL FROM:<alice@example.com>",
            "RCPT TO:<bob@example.com>",
            "RCPT TO:<carol@example.org>",
            "QUIT"
        ]
    );
    assert!(goals(&l)[4][0].starts_with("reply 554 5.7.1"), "relaying denied stays: {:?}", goals(&l));
}

#[test]
fn auth_login_is_one_step_up_to_its_final_reply() {
    let (_, l) = proposed(&[
        "telnet mail.example.com 587",
        "EHLO client.example.net",
        "AUTH LOGIN",
        "YWxpY2U=",
        "YWxpY2Vwdw==",
        "QUIT",
    ]);
    assert_eq!(l.steps[2].solution, ["AUTH LOGIN", "YWxpY2U=", "YWxpY2Vwdw=="]);
    assert_eq!(goals(&l)[2], ["reply 235 2.7.0"]);
}

#[test]
fn a_connection_left_with_telnets_escape_is_closed_in_the_solution() {
    let mut shell = Shell::new(World::new(1));
    let mut r = Recorder::new();
    for l in ["telnet mail.example.com 25", "EHLO client.example.net"] {
        let out = shell.input(l);
        r.input(l, &out);
    }
    shell.escape();
    let out = shell.input("quit");
    r.input("quit", &out);
    let out = shell.input("dig MX example.org");
    r.input("dig MX example.org", &out);
    let (_, l) = proposed_in(&r, Lang::En);
    assert_eq!(l.steps.len(), 3);
    assert_eq!(l.steps[2].solution, ["QUIT", "dig MX example.org"]);
}

#[test]
fn the_mail_clients_message_is_sent_with_swaks_in_the_solution() {
    let mut shell = Shell::new(World::new(1));
    let mut r = Recorder::new();
    let before = shell.world().events().len();
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.auth = Some(("alice".into(), "alicepw".into()));
    let data = b"From: alice@example.com\r\nTo: bob@example.com\r\nSubject: Lunch today\r\n\r\nAt noon?\r\n".to_vec();
    let msg = Outgoing {
        mail_from: "alice@example.com".into(),
        mail_params: vec![],
        rcpt_to: vec!["bob@example.com".into()],
        data,
    };
    assert!(shell.world_mut().send_from_client("mail.example.com", 587, cfg, msg));
    r.client_events(&shell.world().events()[before..], shell.world());
    let (_, l) = proposed_in(&r, Lang::En);
    assert_eq!(l.steps.len(), 1);
    assert_eq!(l.steps[0].title, "Send a message to bob@example.com from the mail client");
    assert_eq!(
        l.steps[0].solution,
        ["swaks --to bob@example.com --from alice@example.com --header \"Subject: Lunch today\""]
    );
    assert_eq!(goals(&l)[0], ["delivered bob@example.com Lunch today"]);
}

#[test]
fn the_texts_follow_the_language() {
    let (text, l) = proposed_in(&record(SMTP), Lang::Ru);
    assert!(text.contains("Здесь введение") && text.contains("Подсказка"), "{text}");
    assert_eq!(l.steps[0].title, "Подключитесь к mail.example.com, порт 25");
    assert_eq!(l.steps[1].title, "Отправьте EHLO");
    let (en, _) = proposed(SMTP);
    assert_eq!(goals(&parse(&en).expect("parses")), goals(&l), "the same goals in every language");
}

#[test]
fn nothing_meaningful_is_a_typed_error() {
    assert_eq!(Recorder::new().propose("x", "X", Lang::En), Err(BuildError::NothingRecorded));
    let noise = record(&["", "clear", "help", "nosuchcommand", "   "]);
    assert_eq!(noise.propose("x", "X", Lang::Ru), Err(BuildError::NothingRecorded));
    // Protocol lines recorded without their connection cannot be replayed.
    let mut r = Recorder::new();
    let mut shell = Shell::new(World::new(1));
    shell.input("telnet mail.example.com 25");
    let out = shell.input("EHLO x");
    r.input("EHLO x", &out);
    assert_eq!(r.propose("x", "X", Lang::En), Err(BuildError::NothingRecorded));
}

#[test]
fn an_empty_id_or_title_gets_a_default() {
    let text = record(&["dig MX example.org"]).propose(" \n", "", Lang::En).expect("a lesson");
    let l = parse(&text).expect("parses");
    assert_eq!((l.id.as_str(), l.title.as_str()), ("recorded-lesson", "A recorded lesson"));
}

#[test]
fn garbage_never_panics_and_what_is_proposed_passes() {
    // A small deterministic generator (xorshift): lines of protocol words, shell words and junk.
    let words = [
        "telnet",
        "mail.example.com",
        "25",
        "110",
        "143",
        "EHLO",
        "x",
        "DATA",
        ".",
        "QUIT",
        "a1",
        "LOGIN",
        "alice",
        "alicepw",
        "USER",
        "PASS",
        "RETR",
        "1",
        "dig",
        "MX",
        "```",
        "answer:",
        "sleep",
        "60",
        "swaks",
        "--to",
        "bob@example.com",
        "\u{7}",
        "ж",
        "\r",
        "\n",
        "^]",
        "'",
        "\"",
        "STARTTLS",
        "AUTH",
        "PLAIN",
        "+",
        "*",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut proposals = 0;
    for _ in 0..12 {
        let mut shell = Shell::new(World::new(1));
        let mut r = Recorder::new();
        // The world it was recorded in, garbage too: faults the app would never report, and
        // scenarios that do not parse, do not fit, or hold a fence.
        let faults = ["greylisting", "gremlins", "hourly-limit x", "mailbox-full", "spam-filter", "", "block25 now"];
        let scenarios = [
            None,
            Some("fly: away\n"),
            Some("host: mail.school.test 192.0.2.80\ndomain: school.test mail.school.test\n"),
            Some("host: mail.example.com 192.0.2.25\n"),
            Some("user: eve@example.com evepw\nmessage: eve@example.com\nSubject: s\n\n```\n.\n"),
            Some("message: eve@example.com\nSubject: never ended\n"),
        ];
        let pick = (next() % faults.len() as u64) as usize;
        r.world_was(
            faults[pick..].iter().take(2).map(|f| f.to_string()).collect(),
            scenarios[(next() % scenarios.len() as u64) as usize].map(str::to_string),
        );
        for _ in 0..25 {
            let n = next() % 5;
            let line: Vec<&str> = (0..n).map(|_| words[(next() % words.len() as u64) as usize]).collect();
            let line = line.join(if next() % 3 == 0 { "" } else { " " });
            let out = shell.input(&line);
            r.input(&line, &out);
        }
        if let Ok(text) = r.propose("g", "Garbage", Lang::En) {
            let lesson = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let failures = check(&lesson);
            assert!(failures.is_empty(), "{failures:?}\n{text}");
            proposals += 1;
        }
    }
    assert!(proposals > 0, "some garbage sessions hold a command");
}

#[test]
#[ignore = "prints a proposal to read"]
fn show() {
    println!("{}", proposed(SMTP).0);
}

/// Records `lines` in a world set up with `faults` and `scenario`, as the app's sandbox would be.
fn record_in(faults: &[&str], scenario: Option<&str>, lines: &[&str]) -> Recorder {
    let mut world = World::new(1);
    if let Some(text) = scenario {
        crate::world::scenario::Scenario::parse(text).unwrap().apply(&mut world).unwrap();
    }
    for f in faults {
        world.faults_mut().switch_on(f).unwrap();
    }
    let specs = world.faults().specs();
    let mut shell = Shell::new(world);
    let mut r = Recorder::new();
    r.world_was(specs, scenario.map(str::to_string));
    for l in lines {
        let out = shell.input(l);
        r.input(l, &out);
    }
    r
}

#[test]
fn the_faults_that_were_on_are_the_lessons_and_its_replay_meets_them() {
    let lines = [
        "swaks --to carol@example.org --from alice@example.com --server mail.example.com:587 --tls --auth-user alice --auth-password alicepw",
        "mailq",
    ];
    let r = record_in(&["greylisting"], None, &lines);
    let (text, l) = proposed_in(&r, Lang::En);
    assert!(text.contains("\ncovers:\nfaults: greylisting\n---\n"), "{text}");
    assert_eq!(l.faults, ["greylisting"]);
    // The replay ran in the greylisting world: the message waits in the queue, as recorded.
    assert!(text.contains("the terminal showed `-- 1 Kbytes in 1 Request.`"), "{text}");
    // Without the fault the same recording replays to an empty queue: the world matters.
    let plain = record_in(&[], None, &lines);
    let (plain_text, _) = proposed_in(&plain, Lang::En);
    assert!(!plain_text.contains("faults:") && !plain_text.contains("1 Request"), "{plain_text}");
}

#[test]
fn the_scenario_that_was_loaded_is_the_lessons() {
    let scenario = "user: eve@example.com evepw\n";
    let r = record_in(&[], Some(scenario), &["telnet mail.example.com 110", "USER eve", "PASS evepw", "QUIT"]);
    let (text, l) = proposed_in(&r, Lang::En);
    assert!(text.contains("\n```scenario\nuser: eve@example.com evepw\n```\n"), "{text}");
    assert!(l.scenario.is_some(), "{text}");
    assert!(goals(&l)[2].iter().any(|g| g.starts_with("reply +OK")), "{:?}", goals(&l));
    // A scenario line that would end the block is indented, and the lesson still checks.
    let tricky =
        "user: eve@example.com evepw\nmessage: eve@example.com\nFrom: a@example.net\nSubject: fences\n\n```\n.\n";
    let r = record_in(&[], Some(tricky), &["telnet mail.example.com 110", "USER eve", "PASS evepw"]);
    let (text, _) = proposed_in(&r, Lang::En);
    assert!(text.contains("\n ```\n.\n```\n"), "{text}");
}

#[test]
fn a_fault_switched_on_while_recording_counts_and_a_bad_scenario_is_left_out() {
    let mut r = record(&["telnet mail.example.com 25", "QUIT"]);
    r.world_was(vec![], None);
    r.world_was(vec!["spam-filter".into()], None);
    r.world_was(vec!["spam-filter".into(), "hourly-limit 3".into()], Some("fly: away\n".into()));
    let (text, l) = proposed_in(&r, Lang::En);
    assert_eq!(l.faults, ["spam-filter", "hourly-limit 3"], "{text}");
    assert!(!text.contains("```scenario"), "{text}");
}
