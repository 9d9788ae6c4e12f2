use super::*;

fn read(p: Protocol, dialogue: &[(&str, &str)]) -> Vec<Reading> {
    let mut x = Explainer::new(p);
    let mut out = Vec::new();
    for (who, line) in dialogue {
        if *who == "C" {
            x.client(line);
        } else {
            out.push(x.server(line));
        }
    }
    out
}

#[test]
fn smtp_multi_line_reply_is_explained_on_its_last_line() {
    let r = read(
        Protocol::Smtp,
        &[
            ("S", "220 mail.example.com ESMTP Postfix"),
            ("C", "EHLO client.example.net"),
            ("S", "250-mail.example.com"),
            ("S", "250-PIPELINING"),
            ("S", "250 SMTPUTF8"),
            ("C", "RCPT TO:<nobody@example.com>"),
            ("S", "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table"),
        ],
    );
    assert_eq!(r[0].tone, Tone::Success);
    assert!(r[0].explanation.as_ref().unwrap().meaning.en.contains("ready"));
    assert_eq!((r[1].badge, r[1].explanation.is_none()), (Some((0, 3)), true));
    let ehlo = r[3].explanation.as_ref().unwrap();
    assert_eq!(ehlo.rfc, "RFC 5321 §4.1.1.1");
    let unknown = r[4].explanation.as_ref().unwrap();
    assert_eq!((unknown.tone, unknown.enhanced.as_deref()), (Tone::Permanent, Some("5.1.1")));
    assert!(unknown.meaning.en.to_lowercase().contains("no such"), "{}", unknown.meaning.en);
    assert!(!unknown.meaning.ru.is_empty());
}

#[test]
fn smtp_lines_that_are_not_replies_are_not_coloured_as_codes() {
    let r = read(Protocol::Smtp, &[("S", "2 1096"), ("S", "250x"), ("S", "999 nine")]);
    assert!(r.iter().all(|x| x.tone == Tone::Info && x.badge.is_none()));
}

#[test]
fn pop3_listing_lines_are_data_tied_to_their_command() {
    let r = read(
        Protocol::Pop3,
        &[
            ("S", "+OK Dovecot (Debian) ready."),
            ("C", "USER alice"),
            ("S", "+OK"),
            ("C", "PASS alicepw"),
            ("S", "+OK Logged in."),
            ("C", "LIST"),
            ("S", "+OK 3 messages:"),
            ("S", "1 598"),
            ("S", "2 1096"),
            ("S", "."),
            ("C", "LIST 9"),
            ("S", "-ERR There's no message 9."),
        ],
    );
    assert!(r[0].explanation.as_ref().unwrap().meaning.en.contains("greeting"));
    assert!(r[1].explanation.as_ref().unwrap().meaning.en.contains("PASS"));
    assert!(r[2].explanation.as_ref().unwrap().meaning.en.contains("TRANSACTION"));
    assert!(r[3].explanation.as_ref().unwrap().meaning.en.contains("scan listing"));
    for data in &r[4..6] {
        assert_eq!((data.tone, data.badge), (Tone::Data, None), "2 1096 is data, not a 2xx code");
        assert!(data.explanation.as_ref().unwrap().meaning.en.contains("size in octets"));
    }
    assert_eq!(r[6].tone, Tone::Info);
    assert_eq!((r[7].tone, r[7].badge), (Tone::Permanent, Some((0, 4))));
    assert!(r[7].explanation.as_ref().unwrap().meaning.en.starts_with("LIST failed"));
}

#[test]
fn pop3_response_codes_and_sasl() {
    let r = read(
        Protocol::Pop3,
        &[
            ("S", "+OK ready."),
            ("C", "AUTH PLAIN"),
            ("S", "+ "),
            ("C", "AGFsaWNlAGFsaWNlcHc="),
            ("S", "+OK Logged in."),
            ("C", "RETR 1"),
            ("S", "-ERR [IN-USE] Mailbox is locked"),
        ],
    );
    assert_eq!(r[1].tone, Tone::Intermediate);
    let login = r[2].explanation.as_ref().unwrap();
    assert!(login.meaning.en.contains("Logged in"), "AUTH's end is a login, not a mechanism list");
    let (code, meaning) = r[3].explanation.as_ref().unwrap().code.clone().unwrap();
    assert_eq!(code, "[IN-USE]");
    assert!(meaning.en.contains("locked"));
}

#[test]
fn imap_tagged_untagged_continuation_and_literals() {
    let r = read(
        Protocol::Imap,
        &[
            ("S", "* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE] Dovecot (Debian) ready."),
            ("C", "a1 LOGIN alice wrong"),
            ("S", "a1 NO [AUTHENTICATIONFAILED] Authentication failed."),
            ("C", "a2 SELECT INBOX"),
            ("S", "* 3 EXISTS"),
            ("S", "* OK [UIDVALIDITY 1700000000] UIDs valid"),
            ("S", "a2 OK [READ-WRITE] Select completed (0.001 + 0.000 secs)."),
            ("C", "a3 FETCH 1 BODY[HEADER.FIELDS (SUBJECT)]"),
            ("S", "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {22}"),
            ("S", "a3 OK looks tagged"),
            ("S", ")"),
            ("S", "a3 OK Fetch completed."),
            ("C", "a4 IDLE"),
            ("S", "+ idling"),
        ],
    );
    assert_eq!(r[0].badge, Some((0, 1)));
    assert_eq!(r[0].explanation.as_ref().unwrap().code.as_ref().unwrap().0, "[CAPABILITY]");
    let no = r[1].explanation.as_ref().unwrap();
    assert_eq!((no.tone, r[1].badge), (Tone::Transient, Some((3, 5))));
    assert!(no.meaning.en.starts_with("LOGIN"), "{}", no.meaning.en);
    assert_eq!(no.code.as_ref().unwrap().0, "[AUTHENTICATIONFAILED]");
    assert!(r[2].explanation.as_ref().unwrap().meaning.en.contains("number of messages"));
    assert_eq!(r[3].explanation.as_ref().unwrap().code.as_ref().unwrap().0, "[UIDVALIDITY]");
    assert!(r[4].explanation.as_ref().unwrap().meaning.en.starts_with("SELECT"));
    // 22 octets of literal: the tagged-looking line inside it is data.
    assert_eq!((r[6].tone, r[6].badge), (Tone::Data, None));
    assert!(r[8].explanation.as_ref().unwrap().meaning.en.starts_with("FETCH"));
    assert!(r[9].explanation.as_ref().unwrap().meaning.en.contains("IDLE"));
}

#[test]
fn bare_codes_from_lesson_texts() {
    let smtp = explain_code("550 5.1.1").unwrap();
    assert_eq!((smtp.protocol, smtp.enhanced.as_deref()), (Protocol::Smtp, Some("5.1.1")));
    assert!(smtp.next.is_some(), "the catalogue's advice");
    assert_eq!(explain_code("+OK").unwrap().protocol, Protocol::Pop3);
    assert_eq!(explain_code("[TRYCREATE]").unwrap().protocol, Protocol::Imap);
    assert_eq!(explain_code("[IN-USE]").unwrap().protocol, Protocol::Pop3);
    assert!(explain_code("hello").is_none());
    assert!(explain_code("[NOSUCHCODE]").is_none());
}

#[test]
fn hostile_input_is_read_without_panic() {
    for p in [Protocol::Smtp, Protocol::Pop3, Protocol::Imap] {
        let mut x = Explainer::new(p);
        for line in
            ["", "+", "*", "* ", "{", "}", "a {99999999999999999999}", "ж{5}", "250-", "\u{0}\u{0}", "+OK [", "[]"]
        {
            x.client(line);
            let _ = x.server(line);
        }
        let long = "ж".repeat(100_000);
        x.client(&long);
        assert!(x.server(&long).badge.is_none());
    }
}
