use super::*;

fn texts(out: &ShellOutput) -> Vec<&str> {
    out.lines.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn telnet_prints_what_netkit_telnet_prints() {
    let mut sh = Shell::new(World::new(1));
    let out = sh.input("telnet mail.example.com 25");
    assert_eq!(
        texts(&out),
        vec![
            "learner@client:~$ telnet mail.example.com 25",
            "Trying 192.0.2.25...",
            "Connected to mail.example.com.",
            "Escape character is '^]'.",
            "220 mail.example.com ESMTP Postfix",
        ]
    );
    assert_eq!(sh.prompt(), "");
    let out = sh.input("QUIT");
    assert_eq!(texts(&out), vec!["QUIT", "221 2.0.0 Bye", "Connection closed by foreign host."]);
    assert_eq!(sh.prompt(), PROMPT);
}

#[test]
fn telnet_to_pop3_reads_the_seeded_mailbox() {
    let mut sh = Shell::new(World::new(1));
    let out = sh.input("telnet mail.example.com pop3");
    assert_eq!(
        texts(&out)[1..],
        [
            "Trying 192.0.2.25...",
            "Connected to mail.example.com.",
            "Escape character is '^]'.",
            "+OK Dovecot (Debian) ready."
        ]
    );
    assert_eq!(texts(&sh.input("USER bob")), ["USER bob", "+OK"]);
    let pass = texts(&sh.input("PASS bobpw")).iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!((pass[0].as_str(), pass[2].as_str()), ("PASS bobpw", "+OK Logged in."));
    assert!(pass[1].contains("\"bobpw\" just crossed the network in clear text"), "{pass:?}");
    assert_eq!(texts(&sh.input("LIST"))[1], "+OK 3 messages:");
    assert_eq!(texts(&sh.input("QUIT"))[1..], ["+OK Logging out.", "Connection closed by foreign host."]);
}

#[test]
fn telnet_to_465_explains_implicit_tls() {
    let mut sh = Shell::new(World::new(1));
    let t = texts(&sh.input("telnet mail.example.com 465")).iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(t[4].contains("SMTP submission over implicit TLS") && t[4].contains("mail.example.com:465"), "{t:?}");
    let out = sh.input("EHLO x");
    assert_eq!(
        texts(&out)[2],
        "Connection closed by foreign host.",
        "nothing readable comes back; the server gives up"
    );
}

#[test]
fn telnet_to_pop3s_explains_implicit_tls() {
    let mut sh = Shell::new(World::new(1));
    let out = sh.input("telnet mail.example.com 995");
    let t = texts(&out);
    assert_eq!(t[1..4], ["Trying 192.0.2.25...", "Connected to mail.example.com.", "Escape character is '^]'."]);
    assert!(t[4].contains("implicit TLS") && t[4].contains("openssl s_client -connect mail.example.com:995"), "{t:?}");
    assert_eq!(sh.connected_to(), Some("mail.example.com"));
    let out = sh.input("USER bob");
    assert!(texts(&out)[1].contains("expects a TLS handshake"), "{:?}", texts(&out));
    assert_eq!(sh.connected_to(), None, "the server gave up on the non-handshake");
}

#[test]
fn closed_ports_and_unknown_hosts() {
    let mut sh = Shell::new(World::new(1));
    let out = sh.input("telnet mail.example.com 26");
    assert_eq!(
        texts(&out)[1..],
        ["Trying 192.0.2.25...", "telnet: Unable to connect to remote host: Connection refused"]
    );
    let out = sh.input("telnet nosuch.example 25");
    assert_eq!(texts(&out)[1], "telnet: could not resolve nosuch.example/25: Name or service not known");
    let out = sh.input("telnet mail.example.com");
    assert!(texts(&out).contains(&"telnet: Unable to connect to remote host: Connection refused"));
    assert_eq!(sh.prompt(), PROMPT);
}

#[test]
fn service_names_and_addresses_work_as_ports_and_hosts() {
    let mut sh = Shell::new(World::new(1));
    let out = sh.input("telnet 192.0.2.25 smtp");
    assert!(texts(&out).contains(&"Connected to 192.0.2.25."));
}

#[test]
fn escape_then_quit_closes_the_connection() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 25");
    sh.escape();
    assert_eq!(sh.prompt(), "telnet> ");
    let out = sh.input("quit");
    assert_eq!(texts(&out), vec!["telnet> quit", "Connection closed."]);
    assert_eq!(sh.prompt(), PROMPT);
}

#[test]
fn escape_then_empty_line_returns_to_the_session() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 25");
    sh.escape();
    sh.input("");
    assert_eq!(texts(&sh.input("NOOP")), vec!["NOOP", "250 2.0.0 Ok"]);
}

#[test]
fn dns_tools_answer_from_the_world() {
    let mut sh = Shell::new(World::new(1));
    assert_eq!(texts(&sh.input("dig +short MX example.org"))[1..], ["10 mail.example.org.", "20 mx2.example.org."]);
    assert_eq!(
        texts(&sh.input("host -t mx example.com"))[1..],
        ["example.com mail is handled by 10 mail.example.com."]
    );
    assert_eq!(
        texts(&sh.input("host 192.0.2.25"))[1..],
        ["25.2.0.192.in-addr.arpa domain name pointer mail.example.com."]
    );
    assert!(texts(&sh.input("nslookup -type=txt _dmarc.example.com")).iter().any(|l| l.contains("v=DMARC1")));
    let out = sh.input("dig MX example.org");
    assert!(texts(&out).iter().any(|l| l.starts_with(";; ->>HEADER<<- opcode: QUERY, status: NOERROR")));
}

#[test]
fn swaks_mailq_and_sleep_show_a_retry() {
    let mut sh = Shell::new(World::new(1));
    sh.world_mut().faults_mut().greylisting = true;
    let out = sh.input("swaks --to carol@example.org --from alice@example.com --server mail.example.com:587 --auth-user alice --auth-password alicepw --tls --header \"Subject: Grey\"");
    assert!(texts(&out).contains(&"<~  250 2.0.0 Ok: queued as 25CD15DDD7"), "{:#?}", texts(&out));
    let q = sh.input("mailq");
    let q = texts(&q);
    assert_eq!(q[1], "mail.example.com:");
    assert_eq!(q[2], "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------");
    assert!(q[3].starts_with("25CD15DDD7") && q[3].ends_with("Mon Nov 16 09:00:00  alice@example.com"), "{q:#?}");
    assert!(q.iter().any(|l| l.contains("said: 450 4.7.1")), "{q:#?}");
    assert_eq!(q.last().copied(), Some("-- 1 Kbytes in 1 Request."));
    sh.input("sleep 300");
    assert_eq!(texts(&sh.input("mailq"))[1], "Mail queue is empty");
    assert_eq!(texts(&sh.input("sleep x"))[1], "sleep: usage: sleep SECONDS (at most 30 days)");
}

#[test]
fn help_unknown_and_clear() {
    let mut sh = Shell::new(World::new(1));
    assert!(texts(&sh.input("help"))
        .iter()
        .any(|l| l.contains("telnet HOST [PORT]") && l.contains("110: POP3") && l.contains("143: IMAP")));
    assert_eq!(texts(&sh.input("foo bar"))[1], "foo: command not found (type `help`)");
    assert!(sh.input("clear").clear);
    assert_eq!(sh.input("   ").lines.len(), 1);
}

#[test]
fn every_server_line_is_read_by_its_protocol() {
    use crate::explain::Tone;
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 110");
    sh.input("USER alice");
    sh.input("PASS alicepw");
    let out = sh.input("LIST");
    let server: Vec<&TermLine> = out.lines.iter().filter(|l| l.kind == LineKind::Server).collect();
    let tones: Vec<Tone> = server.iter().map(|l| l.reading.as_ref().unwrap().tone).collect();
    assert_eq!(tones, [Tone::Success, Tone::Data, Tone::Data, Tone::Data, Tone::Info], "{server:#?}");
    assert!(server[1].reading.as_ref().unwrap().badge.is_none(), "a listing line has no code to click");
    sh.input("QUIT");
    // SMTP: every line of the EHLO reply carries the reply's explanation.
    sh.input("telnet mail.example.com 25");
    let ehlo = sh.input("EHLO client.example.net");
    let lines: Vec<&TermLine> = ehlo.lines.iter().filter(|l| l.kind == LineKind::Server).collect();
    assert!(lines.len() > 3);
    assert!(lines.iter().all(|l| l.reading.as_ref().unwrap().explanation.as_ref().unwrap().rfc.contains("4.1.1.1")));
    sh.input("QUIT");
    // swaks: `<-` lines are read as SMTP, the code just after the arrow.
    let out = sh.input("swaks --to carol@example.org --server mail.example.com");
    let greeting = out.lines.iter().find(|l| l.text.starts_with("<-  220")).unwrap();
    let r = greeting.reading.as_ref().unwrap();
    assert_eq!((&greeting.text[r.badge.unwrap().0..r.badge.unwrap().1], r.tone), ("220", Tone::Success));
    assert!(out.lines.iter().filter(|l| l.text.starts_with(" -> ")).all(|l| l.reading.is_none()));
}

/// Learner's finding 4: on a TLS-first port typing anything ends the
/// connection (the server wanted a handshake), and `openssl s_client` is there
/// to speak through TLS, as in real life.
#[test]
fn tls_ports_have_a_way_out_and_s_client_speaks_through_tls() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 465");
    let out = sh.input("QUIT");
    assert!(texts(&out).contains(&"Connection closed by foreign host."), "{:?}", texts(&out));
    assert_eq!(sh.prompt(), PROMPT);
    let out = sh.input("openssl s_client -connect mail.example.com:465 -crlf");
    assert!(texts(&out).contains(&"CONNECTED(00000003)"));
    assert_eq!(texts(&out).last(), Some(&"220 mail.example.com ESMTP Postfix"));
    let ehlo = sh.input("EHLO client.example.net");
    assert!(texts(&ehlo).iter().any(|l| l.starts_with("250-AUTH")), "{:?}", texts(&ehlo));
    // The famous gotcha: a line starting with Q is s_client's quit, not SMTP's QUIT.
    let out = sh.input("QUIT");
    assert_eq!(texts(&out), ["QUIT", "DONE"]);
    assert_eq!(sh.prompt(), PROMPT);
    // -quiet sends Q lines to the server; -starttls pop3 logs in over STLS.
    sh.input("openssl s_client -quiet -starttls pop3 -connect mail.example.com:110");
    sh.input("USER alice");
    assert_eq!(texts(&sh.input("PASS alicepw"))[1], "+OK Logged in.");
    let out = sh.input("QUIT");
    assert!(texts(&out).contains(&"+OK Logging out.") && texts(&out).contains(&"closed"), "{:?}", texts(&out));
    let out = sh.input("openssl s_client -connect mail.example.com:25");
    assert!(texts(&out).iter().any(|l| l.contains("wrong version number")));
    assert_eq!(texts(&sh.input("openssl x509"))[1], "Invalid command 'x509'; type \"help\" for a list.");
}

/// Learner's finding 13: a line is bounded as a terminal bounds it, and says so.
#[test]
fn a_huge_line_is_cut_at_the_terminal_limit() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 25");
    let out = sh.input(&format!("NOOP {}", "x".repeat(1_000_000)));
    assert_eq!(out.lines[0].text.chars().count(), MAX_LINE);
    assert!(out.lines.last().unwrap().text.contains("cut at 4095"));
    assert_eq!(texts(&sh.input("NOOP"))[1], "250 2.0.0 Ok");
}

/// Learner's finding 19: credentials sent without TLS are pointed out.
#[test]
fn cleartext_credentials_are_pointed_out() {
    let mut sh = Shell::new(World::new(1));
    sh.input("telnet mail.example.com 587");
    sh.input("EHLO client.example.net");
    let out = sh.input("AUTH PLAIN AGFsaWNlAGFsaWNlcHc=");
    assert!(texts(&out).iter().any(|l| l.contains("\"alicepw\"")), "{:?}", texts(&out));
    sh.input("QUIT");
    let out = sh.input(
        "swaks --to carol@example.org --server mail.example.com --port 587 --auth-user alice --auth-password alicepw",
    );
    assert!(texts(&out).iter().any(|l| l.starts_with("(mailsim: Not encrypted")), "{:?}", texts(&out));
    let tls = sh.input("swaks --to carol@example.org --server mail.example.com --port 587 --tls --auth-user alice --auth-password alicepw");
    assert!(!texts(&tls).iter().any(|l| l.starts_with("(mailsim:")), "no warning over TLS");
}
