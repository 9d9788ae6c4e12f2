//! AUTH on the submission services (RFC 4954, RFC 6409, RFC 8314) of the
//! default world, beyond what the Postfix recordings cover. Expected replies
//! come from the recordings (texts) and the RFCs (codes, the SASL exchanges).

use mailsim::sasl;
use mailsim::smtp::catalogue::{explain, CATALOGUE};
use mailsim::world::{Connection, World};

fn open(port: u16) -> (World, Connection, Vec<String>) {
    let mut w = World::new(3);
    let (c, g) = w.connect_over_tls("mail.example.com", port).expect("service");
    (w, c, g.lines)
}

fn say(w: &mut World, c: &mut Connection, line: &str) -> Vec<String> {
    w.send(c, format!("{line}\r\n").as_bytes()).lines
}

#[test]
fn submission_refuses_recipients_until_login_then_relays() {
    let (mut w, mut c, _) = open(587);
    let ehlo = say(&mut w, &mut c, "EHLO client.example.net");
    assert!(ehlo.contains(&"250-AUTH PLAIN LOGIN".to_string()), "{ehlo:?}");
    say(&mut w, &mut c, "MAIL FROM:<alice@example.com>");
    assert_eq!(
        say(&mut w, &mut c, "RCPT TO:<bob@example.com>"),
        ["554 5.7.1 <client.example.net[203.0.113.10]>: Client host rejected: Access denied"]
    );
    say(&mut w, &mut c, "RSET");
    let plain = sasl::encode(b"\0alice\0alicepw");
    assert_eq!(say(&mut w, &mut c, &format!("AUTH PLAIN {plain}")), ["235 2.7.0 Authentication successful"]);
    say(&mut w, &mut c, "MAIL FROM:<alice@example.com>");
    // RFC 6409 §4.3: a submission server relays for its authenticated users.
    assert_eq!(say(&mut w, &mut c, "RCPT TO:<carol@example.org>"), ["250 2.1.5 Ok"]);
    say(&mut w, &mut c, "DATA");
    say(&mut w, &mut c, "Subject: hi");
    assert!(say(&mut w, &mut c, ".")[0].starts_with("250 2.0.0 Ok: queued as "));
    assert_eq!(w.accepted[0].auth_user.as_deref(), Some("alice"));
}

#[test]
fn the_mta_port_has_no_auth() {
    let (mut w, mut c, _) = open(25);
    let ehlo = say(&mut w, &mut c, "EHLO client.example.net");
    assert!(!ehlo.iter().any(|l| l.contains("AUTH")), "{ehlo:?}");
    assert_eq!(say(&mut w, &mut c, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc="), ["503 5.5.1 Error: authentication not enabled"]);
}

#[test]
fn auth_login_with_an_initial_response_skips_the_user_prompt() {
    let (mut w, mut c, _) = open(587);
    say(&mut w, &mut c, "EHLO x");
    assert_eq!(say(&mut w, &mut c, &format!("AUTH LOGIN {}", sasl::encode(b"bob"))), ["334 UGFzc3dvcmQ6"]);
    assert_eq!(say(&mut w, &mut c, &sasl::encode(b"bobpw")), ["235 2.7.0 Authentication successful"]);
}

#[test]
fn auth_plain_without_initial_response_gets_an_empty_challenge() {
    let (mut w, mut c, _) = open(587);
    say(&mut w, &mut c, "EHLO x");
    // RFC 4954 §4: "334" followed by a space and an empty challenge.
    assert_eq!(say(&mut w, &mut c, "AUTH PLAIN"), ["334 "]);
    assert_eq!(
        say(&mut w, &mut c, &sasl::encode(b"\0bob@example.com\0wrong")),
        ["535 5.7.8 Error: authentication failed: (reason unavailable)"]
    );
    assert_eq!(say(&mut w, &mut c, "AUTH PLAIN"), ["334 "]);
    assert_eq!(say(&mut w, &mut c, "*"), ["501 5.7.0 Authentication aborted"]);
    assert_eq!(say(&mut w, &mut c, "NOOP"), ["250 2.0.0 Ok"], "back to commands after the cancel");
}

#[test]
fn cram_md5_is_a_real_hmac_over_the_challenge() {
    let mut w = World::new(3);
    let cfg = w.smtp_config_mut("mail.example.com", 587).expect("587");
    cfg.auth.push(sasl::Mechanism::CramMd5);
    let (mut c, _) = w.connect("mail.example.com", 587).expect("587");
    assert!(say(&mut w, &mut c, "EHLO x").contains(&"250-AUTH PLAIN LOGIN CRAM-MD5".to_string()));
    let reply = say(&mut w, &mut c, "AUTH CRAM-MD5");
    let b64 = reply[0].strip_prefix("334 ").expect("a 334 challenge");
    let challenge = String::from_utf8(sasl::decode(b64).expect("base64")).expect("text");
    assert!(challenge.starts_with('<') && challenge.ends_with("@mail.example.com>"), "RFC 2195 form: {challenge}");
    let answer = sasl::encode(format!("alice {}", sasl::cram_md5_digest("alicepw", &challenge)).as_bytes());
    assert_eq!(say(&mut w, &mut c, &answer), ["235 2.7.0 Authentication successful"]);
}

#[test]
fn sequencing_rules_of_auth() {
    let (mut w, mut c, _) = open(587);
    assert_eq!(say(&mut w, &mut c, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc="), ["503 5.5.1 Error: send HELO/EHLO first"]);
    say(&mut w, &mut c, "EHLO x");
    assert_eq!(say(&mut w, &mut c, "AUTH"), ["501 5.5.4 Syntax: AUTH mechanism"]);
    assert_eq!(
        say(&mut w, &mut c, "AUTH GSSAPI"),
        ["535 5.7.8 Error: authentication failed: Invalid authentication mechanism"]
    );
    say(&mut w, &mut c, "MAIL FROM:<a@example.com>");
    assert_eq!(
        say(&mut w, &mut c, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc="),
        ["503 5.5.1 Error: MAIL transaction in progress"]
    );
    say(&mut w, &mut c, "RSET");
    assert_eq!(say(&mut w, &mut c, "AUTH LOGIN"), ["334 VXNlcm5hbWU6"]);
    // The recording shows Postfix's text for bad base64 in an initial response
    // (smtp-auth-edge.txt); the continued-response twin follows it.
    assert_eq!(
        say(&mut w, &mut c, "!!!not base64"),
        ["535 5.7.8 Error: authentication failed: Invalid base64 data in continued response"]
    );
}

#[test]
fn tls_auth_only_refuses_plaintext_passwords_with_538() {
    let mut w = World::new(3);
    w.smtp_config_mut("mail.example.com", 587).expect("587").tls_auth_only = true;
    let (mut c, _) = w.connect("mail.example.com", 587).expect("587");
    say(&mut w, &mut c, "EHLO x");
    assert_eq!(
        say(&mut w, &mut c, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc="),
        ["538 5.7.11 Encryption required for requested authentication mechanism"]
    );
    assert_eq!(say(&mut w, &mut c, "STARTTLS"), ["220 2.0.0 Ready to start TLS"]);
    say(&mut w, &mut c, "EHLO x");
    assert_eq!(say(&mut w, &mut c, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc="), ["235 2.7.0 Authentication successful"]);
}

#[test]
fn port_465_is_tls_from_the_start() {
    let (mut w, mut c, greeting) = open(465);
    assert_eq!(greeting, ["220 mail.example.com ESMTP Postfix"]);
    let ehlo = say(&mut w, &mut c, "EHLO x");
    assert!(!ehlo.iter().any(|l| l.contains("STARTTLS")), "no STARTTLS inside TLS: {ehlo:?}");
    assert_eq!(say(&mut w, &mut c, "STARTTLS"), ["554 5.5.1 Error: TLS already active"]);
}

#[test]
fn every_reply_seen_here_is_in_the_catalogue() {
    // Each line above is explained by an entry with the same code and enhanced code.
    for line in ["554 5.7.1", "235 2.7.0", "503 5.5.1", "501 5.5.4", "535 5.7.8", "501 5.7.0", "538 5.7.11", "334"] {
        let mut w = line.split(' ');
        let code: u16 = w.next().and_then(|c| c.parse().ok()).expect("code");
        let enh = w.next().map(|e| {
            let p: Vec<u16> = e.split('.').map(|x| x.parse().expect("digit")).collect();
            mailsim::reply::Enhanced(p[0] as u8, p[1], p[2])
        });
        assert!(!explain(code, enh).is_empty(), "{line} has no catalogue entry");
    }
    assert!(CATALOGUE.len() >= 40);
}
