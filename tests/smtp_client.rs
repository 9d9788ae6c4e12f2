//! The SMTP/LMTP client engine talking to the server engine through the
//! world: the dialogue of one hop. Expected sequences follow RFC 5321 §3.3
//! (a transaction), §4.1.4 (EHLO refused → HELO), RFC 3207 §4.2 (EHLO again
//! after STARTTLS) and RFC 4954 (AUTH before MAIL).

use mailsim::smtp::client::{ClientConfig, Outcome, Outgoing, Said, Stage};
use mailsim::smtp::Peer;
use mailsim::world::World;

fn msg(from: &str, to: &[&str]) -> Outgoing {
    Outgoing {
        mail_from: from.into(),
        mail_params: vec![],
        rcpt_to: to.iter().map(|s| s.to_string()).collect(),
        data: b"Subject: relayed\r\n\r\n.hidden dot\r\nbody\r\n".to_vec(),
    }
}

fn client_lines(t: &[Said]) -> Vec<String> {
    t.iter()
        .filter_map(|s| match s {
            Said::Client(l) => Some(l.split(' ').next().unwrap_or("").to_string()),
            Said::Server(_) => None,
        })
        .collect()
}

fn mx_of_example_org() -> Peer {
    Peer::new(Some("mail.example.org"), "198.51.100.25")
}

#[test]
fn relay_to_the_recipients_mx_with_starttls() {
    let mut w = World::new(5);
    let t = w
        .transfer(
            mx_of_example_org(),
            "mail.example.com",
            25,
            ClientConfig::smtp("mail.example.org"),
            msg("carol@example.org", &["alice@example.com", "nobody@example.com", "bob@example.com"]),
        )
        .expect("port 25 is open");
    assert_eq!(
        client_lines(&t.transcript),
        [
            "EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "RCPT", "RCPT", "DATA", "Subject:", "", "..hidden", "body",
            ".", "QUIT"
        ]
    );
    let Some(Outcome::Done { recipients, .. }) = t.outcome else { panic!("{:?}", t.outcome) };
    let codes: Vec<(&str, u16)> = recipients.iter().map(|(r, reply)| (r.as_str(), reply.code)).collect();
    assert_eq!(codes, [("nobody@example.com", 550), ("alice@example.com", 250), ("bob@example.com", 250)]);
    // The server received the message once, dot-stuffing undone, over TLS.
    assert_eq!(w.accepted.len(), 1);
    // The MTA prepended its Received line (RFC 5321 §4.4) to what the client sent.
    let data = String::from_utf8_lossy(&w.accepted[0].data).into_owned();
    assert!(data.starts_with("Received: from mail.example.org (mail.example.org [198.51.100.25])\r\n\tby mail.example.com (Postfix) with ESMTPS id "), "{data}");
    assert!(data.ends_with("\r\nSubject: relayed\r\n\r\n.hidden dot\r\nbody\r\n"), "{data}");
    assert!(w.accepted[0].tls);
    assert_eq!(w.accepted[0].rcpt_to, ["alice@example.com", "bob@example.com"]);
    assert_eq!(w.accepted[0].client.to_string(), "mail.example.org[198.51.100.25]");
}

#[test]
fn a_helo_only_server_gets_helo_after_its_502() {
    let mut w = World::new(5);
    w.smtp_config_mut("mail.example.com", 25).expect("25").ehlo = false;
    let t = w
        .transfer(
            mx_of_example_org(),
            "mail.example.com",
            25,
            ClientConfig::smtp("mail.example.org"),
            msg("carol@example.org", &["bob@example.com"]),
        )
        .expect("open");
    assert_eq!(
        client_lines(&t.transcript),
        ["EHLO", "HELO", "MAIL", "RCPT", "DATA", "Subject:", "", "..hidden", "body", ".", "QUIT"]
    );
    assert!(t.transcript.contains(&Said::Server("502 Command not implemented".into())));
    assert!(matches!(t.outcome, Some(Outcome::Done { .. })));
}

#[test]
fn all_recipients_refused_means_no_data() {
    let mut w = World::new(5);
    let t = w
        .transfer(
            mx_of_example_org(),
            "mail.example.com",
            25,
            ClientConfig::smtp("x"),
            msg("a@example.org", &["friend@example.net"]),
        )
        .expect("open");
    assert_eq!(client_lines(&t.transcript), ["EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "QUIT"]);
    let Some(Outcome::Done { recipients, .. }) = t.outcome else { panic!() };
    assert_eq!(recipients[0].1.code, 554, "relay access denied");
    assert!(w.accepted.is_empty());
}

#[test]
fn submission_with_auth_relays_and_wrong_password_fails_at_auth() {
    let mut w = World::new(5);
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.auth = Some(("alice".into(), "alicepw".into()));
    let t = w
        .transfer(
            World::learner(),
            "mail.example.com",
            587,
            cfg.clone(),
            msg("alice@example.com", &["carol@example.org"]),
        )
        .expect("587");
    assert_eq!(
        client_lines(&t.transcript),
        ["EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "Subject:", "", "..hidden", "body", ".", "QUIT"]
    );
    assert!(matches!(t.outcome, Some(Outcome::Done { ref recipients, .. }) if recipients[0].1.code == 250));
    cfg.auth = Some(("alice".into(), "nope".into()));
    let t = w
        .transfer(World::learner(), "mail.example.com", 587, cfg, msg("alice@example.com", &["carol@example.org"]))
        .expect("587");
    let Some(Outcome::Failed { stage, reply }) = t.outcome else { panic!("{:?}", t.outcome) };
    assert_eq!((stage, reply.code), (Stage::Auth, 535));
    assert_eq!(client_lines(&t.transcript).last().map(String::as_str), Some("QUIT"));
}

#[test]
fn closed_port_is_a_connect_error() {
    let mut w = World::new(5);
    assert!(w
        .transfer(World::learner(), "mail.example.com", 2525, ClientConfig::smtp("x"), msg("a@b", &["c@d"]))
        .is_err());
}

#[test]
fn a_server_that_talks_nonsense_ends_with_a_protocol_error() {
    let mut c = mailsim::smtp::Client::new(ClientConfig::smtp("x"), msg("a@b", &["c@d"]));
    let out = c.feed(b"HTTP/1.1 400 Bad Request\r\n");
    assert!(matches!(out.outcome, Some(Outcome::ProtocolError(_))));
    assert!(c.is_done());
    assert_eq!(c.feed(b"220 late\r\n"), Default::default(), "nothing after the end");
}

#[test]
fn lmtp_gets_one_reply_per_recipient_after_data() {
    // RFC 2033 §4.2, driven by hand: the server side of LMTP comes with the MDA.
    let mut c = mailsim::smtp::Client::new(
        ClientConfig::lmtp("mail.example.com"),
        msg("a@example.org", &["alice@example.com", "bob@example.com"]),
    );
    let mut step = |input: &str| c.feed(input.as_bytes());
    assert_eq!(step("220 mda LMTP ready\r\n").send, b"LHLO mail.example.com\r\n");
    assert_eq!(step("250-mda\r\n250 PIPELINING\r\n").send, b"MAIL FROM:<a@example.org>\r\n");
    step("250 2.1.0 Ok\r\n");
    step("250 2.1.5 Ok\r\n");
    assert_eq!(step("250 2.1.5 Ok\r\n").send, b"DATA\r\n");
    assert!(step("354 go\r\n").send.ends_with(b"\r\n.\r\n"));
    assert!(step("250 2.0.0 <alice@example.com> saved\r\n").send.is_empty(), "waits for the second recipient's reply");
    assert_eq!(step("452 4.2.2 <bob@example.com> Mailbox full\r\n").send, b"QUIT\r\n");
    let out = step("221 2.0.0 Bye\r\n");
    let Some(Outcome::Done { recipients, .. }) = out.outcome else { panic!() };
    assert_eq!(recipients.iter().map(|(_, r)| r.code).collect::<Vec<_>>(), [250, 452]);
}

/// An MDA for tests: stores per recipient, and reports `bob` as over quota.
struct TestMda {
    stored: Vec<(String, Vec<u8>)>,
}

impl mailsim::smtp::ServerEnv for TestMda {
    fn deliver(&mut self, rcpt: &str, env: &mailsim::smtp::Envelope) -> Result<String, mailsim::smtp::Refusal> {
        if rcpt.starts_with("bob@") {
            return Err(mailsim::smtp::Refusal::new(mailsim::smtp::catalogue::ReplyId::MailboxFullTemp, &[rcpt]));
        }
        self.stored.push((rcpt.to_string(), env.data.clone()));
        Ok(format!("id{}", self.stored.len()))
    }
}

#[test]
fn lmtp_client_and_server_engines_deliver_per_recipient() {
    use mailsim::directory::Directory;
    use mailsim::smtp::{Client, Server, ServerConfig};
    let mut dir = Directory { domains: vec!["example.com".into()], ..Default::default() };
    dir.add_user("alice", "a");
    dir.add_user("bob", "b");
    let cfg = ServerConfig::dovecot_lmtp("mail.example.com", dir);
    let (mut server, greeting) =
        Server::new(cfg, Peer::new(Some("localhost"), "127.0.0.1"), 0, mailsim::sim::SimRng::new(1));
    let mut mda = TestMda { stored: vec![] };
    let mut client = Client::new(
        ClientConfig::lmtp("mail.example.com"),
        msg("carol@example.org", &["alice@example.com", "bob@example.com", "zed@example.com"]),
    );
    let mut incoming = greeting.to_wire();
    let mut transcript = vec![];
    let outcome = loop {
        let out = client.feed(&incoming);
        transcript.extend(out.said);
        if let Some(o) = out.outcome {
            break o;
        }
        incoming = server.feed_with(&out.send, &mut mda).to_wire();
    };
    assert_eq!(
        client_lines(&transcript),
        ["LHLO", "MAIL", "RCPT", "RCPT", "RCPT", "DATA", "Subject:", "", "..hidden", "body", ".", "QUIT"]
    );
    assert!(
        transcript.contains(&Said::Server("550 5.1.1 <zed@example.com> User doesn't exist: zed@example.com".into()))
    );
    let Outcome::Done { recipients, .. } = outcome else { panic!("{outcome:?}") };
    let codes: Vec<(&str, u16)> = recipients.iter().map(|(r, reply)| (r.as_str(), reply.code)).collect();
    assert_eq!(codes, [("zed@example.com", 550), ("alice@example.com", 250), ("bob@example.com", 452)]);
    assert_eq!(
        mda.stored,
        [("alice@example.com".to_string(), b"Subject: relayed\r\n\r\n.hidden dot\r\nbody\r\n".to_vec())]
    );
    assert!(transcript.contains(&Said::Server("250 2.0.0 <alice@example.com> id1 Saved".into())));
}

#[test]
fn lmtp_refuses_smtp_greetings_and_smtp_refuses_lhlo() {
    let mut w = World::new(1);
    let (mut c, _) = w.connect("mail.example.com", 25).expect("25");
    assert_eq!(w.send(&mut c, b"LHLO x\r\n").lines, ["500 5.5.2 Error: command not recognized"]);
}
