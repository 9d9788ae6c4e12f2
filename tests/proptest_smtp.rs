//! A seeded random SMTP client: proptest builds sequences of commands,
//! valid and not (HELO/EHLO, MAIL, RCPT, DATA with a body, BDAT, RSET, NOOP,
//! VRFY, AUTH in its forms, STARTTLS, QUIT, garbage, over-long lines, bare LF,
//! NUL, raw bytes) and feeds them, one step per `feed`, to the SMTP server of
//! mail.example.com on port 25 and on the submission port 587. After every
//! step it checks what anyone outside the session can see:
//! - every reply is a well-formed RFC 5321 reply (§4.2): three digits, the
//!   first 2 to 5, the second 0 to 5; `-` continues a reply with the same
//!   code, a space ends it; no line over 512 octets (§4.5.3.1.5); no control
//!   characters; an enhanced status code (RFC 3463), when present, is of the
//!   basic code's class;
//! - the session never panics, and its output is bounded: no more replies
//!   than line feeds sent, and a bounded number of lines per reply;
//! - after QUIT's 221 or a 421 the session is closed, the closing reply is the
//!   last, and further input yields nothing;
//! - the reply to the end of DATA is 250 exactly when one message was queued;
//!   a BDAT step queues at most one message;
//! - a message is never queued without an accepted MAIL and an accepted RCPT
//!   since, and its envelope is theirs; a DATA body comes out as sent, with
//!   dot-stuffing undone.
//!
//! Failing cases are kept in proptest-regressions/proptest_smtp.txt
//! (committed, as quinn-proto keeps its own) and replayed first.
#![cfg(not(target_arch = "wasm32"))]

use mailsim::sim::SimRng;
use mailsim::smtp::{self, Envelope, Event};
use mailsim::world::{Service, World};
#[path = "common/props.rs"]
mod props;

use proptest::prelude::*;

/// One step of the client: the bytes of one `feed`.
#[derive(Debug, Clone)]
enum Step {
    Helo(&'static str),
    Ehlo(&'static str),
    Mail(&'static str),
    Rcpt(&'static str),
    /// DATA, then these body lines as on the wire (dot-stuffed or not), then the lone dot.
    Data(Vec<String>),
    /// BDAT with a size and LAST or not, then exactly that many octets.
    Bdat(Vec<u8>, bool),
    /// A BDAT line alone (bad syntax, or a size with no octets following yet).
    BdatLine(&'static str),
    Rset,
    Noop,
    Vrfy(&'static str),
    /// AUTH and its continuation lines, as the client would type them.
    Auth(&'static str),
    StartTls,
    Quit,
    /// Printable garbage as a command line.
    Garbage(String),
    /// A command line of this many octets (beyond Postfix's 2048, often).
    Long(usize),
    /// A command ended by a bare LF.
    BareLf(&'static str),
    /// A command with a NUL inside.
    Nul,
    /// Any octets at all (may leave half a line for the next step).
    Raw(Vec<u8>),
}

impl Step {
    fn bytes(&self) -> Vec<u8> {
        let line = |s: &str| format!("{s}\r\n").into_bytes();
        match self {
            Step::Helo(n) => line(&format!("HELO {n}")),
            Step::Ehlo(n) => line(&format!("EHLO {n}")),
            Step::Mail(a) => line(&format!("MAIL {a}")),
            Step::Rcpt(a) => line(&format!("RCPT {a}")),
            Step::Data(body) => {
                let mut b = line("DATA");
                for l in body {
                    b.extend(line(l));
                }
                b.extend(line("."));
                b
            }
            Step::Bdat(chunk, last) => {
                let mut b = line(&format!("BDAT {}{}", chunk.len(), if *last { " LAST" } else { "" }));
                b.extend(chunk);
                b
            }
            Step::BdatLine(l) => line(l),
            Step::Rset => line("RSET"),
            Step::Noop => line("NOOP"),
            Step::Vrfy(a) => line(&format!("VRFY {a}")),
            Step::Auth(s) => s.as_bytes().to_vec(),
            Step::StartTls => line("STARTTLS"),
            Step::Quit => line("QUIT"),
            Step::Garbage(g) => line(g),
            Step::Long(n) => line(&format!("NOOP {}", "x".repeat(*n))),
            Step::BareLf(c) => format!("{c}\n").into_bytes(),
            Step::Nul => b"NO\0OP\r\n".to_vec(),
            Step::Raw(b) => b.clone(),
        }
    }
}

/// A body line: never a lone dot (that would end the data early).
fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Subject: hello".to_string()),
        Just("..".to_string()),
        Just("..leading dot".to_string()),
        Just(".x".to_string()),
        Just(" .".to_string()),
        "[ -~]{0,60}".prop_filter("not a lone dot", |s| s != "."),
        (1000usize..2600).prop_map(|n| "y".repeat(n)),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    use prop::sample::select;
    prop_oneof![
        1 => select(&["client.example.net", "", "x", "[203.0.113.10]", "bad name!"][..]).prop_map(Step::Helo),
        1 => select(&["client.example.net", "", "[203.0.113.10]"][..]).prop_map(Step::Ehlo),
        4 => select(
            &[
                "FROM:<learner@example.net>",
                "FROM:<>",
                "FROM:<bob@example.com> SIZE=100",
                "FROM:<a@example.net> SIZE=99999999999",
                "FROM:<a@example.net> SIZE=x",
                "FROM:<a@example.net> BODY=8BITMIME",
                "FROM:<a@example.net> BODY=BINARYMIME",
                "FROM:<a@example.net> FOO=1",
                "FROM:<a@example.net> SMTPUTF8",
                "FROM:<a@example.net> RET=FULL ENVID=x",
                "FROM:learner@example.net",
                "FROM:<a@@b>",
                "FROM:",
                "TO:<a@b>",
            ][..]
        )
        .prop_map(Step::Mail),
        4 => select(
            &[
                "TO:<alice@example.com>",
                "TO:<bob@example.com>",
                "TO:<team@example.com>",
                "TO:<postmaster>",
                "TO:<nobody@example.com>",
                "TO:<carol@example.org>",
                "TO:<>",
                "TO:alice@example.com",
                "TO:<alice@example.com> NOTIFY=SUCCESS,FAILURE",
                "TO:<alice@example.com> NOTIFY=BOGUS",
                "TO:<alice@example.com> FOO",
                "FROM:<alice@example.com>",
            ][..]
        )
        .prop_map(Step::Rcpt),
        4 => prop::collection::vec(body_line(), 0..6).prop_map(Step::Data),
        2 => (prop::collection::vec(prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n'), Just(b'.')], 0..80), any::<bool>())
            .prop_map(|(c, last)| Step::Bdat(c, last)),
        1 => select(&["BDAT", "BDAT x", "BDAT 1 LAST extra", "BDAT 3 MORE", "BDAT 0"][..]).prop_map(Step::BdatLine),
        1 => Just(Step::Rset),
        1 => Just(Step::Noop),
        1 => select(&["bob", "<alice@example.com>", "nobody@example.com", "carol@example.org", ""][..]).prop_map(Step::Vrfy),
        3 => select(
            &[
                "AUTH PLAIN AGJvYgBib2Jwdw==\r\n",
                "AUTH PLAIN AGJvYkBleGFtcGxlLmNvbQBib2Jwdw==\r\n",
                "AUTH PLAIN YWxpY2UAYWxpY2UAYWxpY2Vwdw==\r\n",
                "AUTH PLAIN AGJvYgB3cm9uZw==\r\n",
                "AUTH PLAIN =\r\n",
                "AUTH PLAIN !!!\r\n",
                "AUTH PLAIN\r\nAGJvYgBib2Jwdw==\r\n",
                "AUTH PLAIN\r\n*\r\n",
                "AUTH LOGIN\r\nYWxpY2U=\r\nYWxpY2Vwdw==\r\n",
                "AUTH LOGIN\r\nYm9iQGV4YW1wbGUuY29t\r\nd3Jvbmc=\r\n",
                "AUTH LOGIN Ym9i\r\nYm9icHc=\r\n",
                "AUTH LOGIN\r\n*\r\n",
                "AUTH LOGIN\r\n",
                "AUTH CRAM-MD5\r\n",
                "AUTH\r\n",
                "AUTH PLAIN a b\r\n",
            ][..]
        )
        .prop_map(Step::Auth),
        1 => Just(Step::StartTls),
        1 => Just(Step::Quit),
        1 => "[ -~]{0,40}".prop_map(Step::Garbage),
        1 => (1500usize..5000).prop_map(Step::Long),
        1 => select(&["NOOP", "HELO a", "MAIL FROM:<x@example.net>", "RSET", "QUIT"][..]).prop_map(Step::BareLf),
        1 => Just(Step::Nul),
        1 => prop::collection::vec(prop_oneof![any::<u8>(), Just(b'\r'), Just(b'\n')], 0..40).prop_map(Step::Raw),
    ]
}

/// A transaction as a well-behaved client sends it, one command per step
/// (after logging in, which the submission port needs), so that sessions
/// reach the end of data often; the random steps around it break it up.
fn transaction() -> impl Strategy<Value = Vec<Step>> {
    use prop::sample::select;
    let rcpts = select(&["TO:<alice@example.com>", "TO:<bob@example.com>", "TO:<team@example.com>"][..]);
    (
        any::<bool>(),
        prop_oneof![Just(None), Just(Some("AUTH PLAIN AGJvYgBib2Jwdw==\r\n"))],
        select(&["FROM:<learner@example.net>", "FROM:<>", "FROM:<bob@example.com> SIZE=100"][..]),
        prop::collection::vec(rcpts, 1..3),
        prop_oneof![
            3 => prop::collection::vec(body_line(), 0..6).prop_map(Step::Data),
            1 => (prop::collection::vec(any::<u8>(), 0..40), Just(true)).prop_map(|(c, l)| Step::Bdat(c, l)),
        ],
    )
        .prop_map(|(ehlo, auth, from, rcpts, data)| {
            let mut steps =
                vec![if ehlo { Step::Ehlo("client.example.net") } else { Step::Helo("client.example.net") }];
            steps.extend(auth.map(Step::Auth));
            steps.push(Step::Mail(from));
            steps.extend(rcpts.into_iter().map(Step::Rcpt));
            steps.push(data);
            steps
        })
}

/// A session: random steps and whole transactions, in any order.
fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(prop_oneof![4 => step().prop_map(|s| vec![s]), 1 => transaction()], 1..30)
        .prop_map(|v| v.concat())
}

/// A reply line of the wire: code, whether it continues, and its text.
fn parse_line(line: &str) -> Result<(u16, bool, &str), String> {
    let b = line.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) {
        return Err(format!("no three-digit code: {line:?}"));
    }
    if !(b'2'..=b'5').contains(&b[0]) || !(b'0'..=b'5').contains(&b[1]) {
        return Err(format!("code outside 2yz-5yz, x0z-x5z: {line:?}"));
    }
    let code = line[..3].parse().map_err(|_| format!("bad code {line:?}"))?;
    match b.get(3) {
        None => Ok((code, false, "")),
        Some(b' ') => Ok((code, false, &line[4..])),
        Some(b'-') => Ok((code, true, &line[4..])),
        Some(_) => Err(format!("code not followed by space or hyphen: {line:?}")),
    }
}

/// The enhanced status code's class, if the text starts with one (RFC 3463 §2).
fn enhanced_class(text: &str) -> Option<u8> {
    let word = text.split(' ').next()?;
    let parts: Vec<&str> = word.split('.').collect();
    let digits = |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    (parts.len() == 3 && digits(parts[0], 1) && digits(parts[1], 3) && digits(parts[2], 3))
        .then(|| parts[0].as_bytes()[0] - b'0')
}

/// Splits the wire into replies (code, lines) and checks their form.
fn replies(wire: &[u8]) -> Result<Vec<(u16, Vec<String>)>, String> {
    if wire.is_empty() {
        return Ok(Vec::new());
    }
    let text = std::str::from_utf8(wire).map_err(|e| format!("output is not UTF-8: {e}"))?;
    let body = text.strip_suffix("\r\n").ok_or_else(|| format!("output does not end with CRLF: {text:?}"))?;
    let mut out: Vec<(u16, Vec<String>)> = Vec::new();
    let mut open: Option<u16> = None;
    for line in body.split("\r\n") {
        if line.len() + 2 > 512 {
            return Err(format!("reply line of {} octets, over 512: {}...", line.len() + 2, &line[..60]));
        }
        if line.chars().any(|c| c.is_control()) {
            return Err(format!("control character in a reply line: {line:?}"));
        }
        let (code, more, rest) = parse_line(line)?;
        if let Some(class) = enhanced_class(rest) {
            if u16::from(class) != code / 100 {
                return Err(format!("enhanced code of another class than {code}: {line:?}"));
            }
        }
        match open {
            Some(c) if c != code => return Err(format!("continuation with code {code} in a {c} reply: {line:?}")),
            Some(_) => out.last_mut().expect("open reply").1.push(line.to_string()),
            None => out.push((code, vec![line.to_string()])),
        }
        open = more.then_some(code);
    }
    if let Some(c) = open {
        return Err(format!("{c} reply ends on a continuation line"));
    }
    Ok(out)
}

/// The message a DATA body stands for: dot-stuffing undone, lines ended by CRLF.
fn unstuffed(body: &[String]) -> Vec<u8> {
    body.iter().flat_map(|l| l.strip_prefix('.').unwrap_or(l).bytes().chain(*b"\r\n")).collect()
}

/// Runs one client session of `steps` against port `port`; checks every step.
fn session(port: u16, steps: &[Step]) -> Result<(), TestCaseError> {
    let world = World::new(3);
    let host = world.resolve("mail.example.com").expect("mail.example.com");
    let Some(Service::Smtp(cfg)) = host.service(port) else { panic!("no SMTP on port {port}") };
    let (mut server, greeting) = smtp::Server::new(cfg.clone(), World::learner(), world.now(), SimRng::new(5));
    let g = replies(&greeting.to_wire()).map_err(TestCaseError::fail)?;
    prop_assert!(g.len() == 1 && g[0].0 == 220, "greeting {:?}", g);

    let (mut line_feeds, mut replied) = (0usize, 0usize);
    let mut closed = false;
    // What the events say of the transaction: its sender and accepted recipients.
    let mut tx: Option<(String, Vec<String>)> = None;
    // The next reply ends a DATA (a 354 came before it).
    let mut after_354 = false;
    // The previous step ended its last line (no half line waits in the server).
    let mut clean = true;
    // A BDAT chunk (not the last) was accepted in the transaction now open.
    let mut chunked = false;
    for (i, step) in steps.iter().enumerate() {
        let bytes = step.bytes();
        let out = server.feed(&bytes);
        let at = format!("step {i} {step:?}");
        let first = out.replies.first().map(|r| r.code);
        // RFC 3030 §2 (the bug this test found, now fixed): DATA after BDAT is 503.
        prop_assert!(!(chunked && matches!(step, Step::Data(_)) && first == Some(354)), "{}: DATA after BDAT", at);
        chunked = match (step, first) {
            (Step::Bdat(_, false), Some(250)) => clean || chunked,
            (Step::Bdat(_, true), Some(_)) => false,
            (Step::Rset | Step::Helo(_) | Step::Ehlo(_) | Step::StartTls, Some(250 | 220)) => false,
            _ => chunked,
        };
        if closed {
            prop_assert!(out.replies.is_empty() && out.events.is_empty() && out.closed, "{}: output after close", at);
            continue;
        }
        let wire = out.to_wire();
        let rs = replies(&wire).map_err(|e| TestCaseError::fail(format!("{at}: {e}")))?;

        // Bounded output: a reply needs a line end, and no reply is huge.
        line_feeds += bytes.iter().filter(|&&b| b == b'\n').count();
        replied += rs.len();
        prop_assert!(replied <= line_feeds, "{}: {} replies to {} line feeds", at, replied, line_feeds);
        prop_assert!(rs.iter().all(|r| r.1.len() <= 32), "{}: a reply of more than 32 lines", at);

        // Closing: 221 or 421 closes, and is the last reply; so does Postfix's
        // 521 to an unreadable BDAT (tests/transcripts/smtp/smtp-bdat-syntax.txt).
        let closing = rs.iter().position(|r| r.0 == 221 || r.0 == 421 || r.0 == 521);
        if let Some(k) = closing {
            prop_assert!(out.closed, "{}: {} but the session stays open", at, rs[k].0);
            prop_assert_eq!(k + 1, rs.len(), "{}: replies after the closing one", at);
        }
        if out.closed {
            prop_assert!(closing.is_some(), "{}: closed without a 221, 421 or 521: {:?}", at, rs);
            prop_assert!(server.is_closed(), "{}: output says closed, the session does not", at);
        }
        closed = out.closed;

        // End of DATA: 250 exactly when a message was queued.
        let mut data_ok = 0;
        let mut data_end = None;
        for (k, r) in rs.iter().enumerate() {
            if after_354 {
                data_end = Some(k);
                data_ok += usize::from(r.0 == 250);
            }
            after_354 = r.0 == 354;
        }
        let queued: Vec<&Envelope> = out
            .events
            .iter()
            .filter_map(|e| if let Event::MessageQueued(env) = e { Some(&**env) } else { None })
            .collect();
        let bdats = bytes.windows(4).filter(|w| w.eq_ignore_ascii_case(b"BDAT")).count();
        if bdats == 0 {
            prop_assert_eq!(queued.len(), data_ok, "{}: queued messages vs 250 to end of DATA {:?}", at, rs);
        } else {
            prop_assert!(queued.len() >= data_ok && queued.len() <= data_ok + bdats, "{}: {:?}", at, rs);
        }

        // Never queued without an accepted MAIL and RCPT; the envelope is theirs.
        for e in &out.events {
            match e {
                Event::TransactionStarted { reverse_path } => {
                    tx = Some((reverse_path.clone(), Vec::new()));
                    chunked = false;
                }
                Event::RecipientAccepted { forward_path } => match &mut tx {
                    Some((_, rcpts)) => rcpts.push(forward_path.clone()),
                    None => prop_assert!(false, "{}: a recipient accepted outside a transaction", at),
                },
                Event::MessageQueued(env) => {
                    let Some((from, rcpts)) = tx.take() else {
                        return Err(TestCaseError::fail(format!("{at}: queued without an accepted MAIL")));
                    };
                    prop_assert!(!rcpts.is_empty(), "{}: queued without an accepted RCPT", at);
                    prop_assert_eq!(&env.mail_from, &from, "{}: envelope sender", at);
                    prop_assert_eq!(&env.rcpt_to, &rcpts, "{}: envelope recipients", at);
                }
                _ => {}
            }
        }

        // A DATA body sent on a clean line start comes out as sent.
        if let (Step::Data(body), true, Some(1), [first, ..]) = (step, clean, data_end, rs.as_slice()) {
            if first.0 == 354 && data_ok == 1 {
                prop_assert_eq!(&queued[0].data, &unstuffed(body), "{}: message text", at);
            }
        }
        if let Some(&b) = bytes.last() {
            clean = b == b'\n';
        }
    }
    // Once closed, more input still yields nothing.
    if closed {
        let out = server.feed(b"NOOP\r\nQUIT\r\n");
        prop_assert!(out.replies.is_empty() && out.events.is_empty() && out.closed, "output after close");
    }
    Ok(())
}

proptest! {
    #![proptest_config(props::config("proptest_smtp"))]

    #[test]
    fn a_random_smtp_client_sees_only_well_formed_replies(
        port in prop::sample::select(&[25u16, 587][..]),
        steps in steps(),
    ) {
        session(port, &steps)?;
    }

}

/// RFC 3030 §2: "If a DATA statement is issued after a BDAT for the current
/// transaction, a 503 \"Bad sequence of commands\" MUST be issued." The
/// engine answered 354 and queued the chunk's octets and the DATA text as one
/// message. Found by the random client (the minimal case it shrank to);
/// Postfix answers `503 5.5.1 Error: DATA after BDAT` (smtp-bdat-data.txt).
#[test]
fn data_after_bdat_is_refused() {
    let world = World::new(3);
    let host = world.resolve("mail.example.com").expect("mail.example.com");
    let Some(Service::Smtp(cfg)) = host.service(25) else { panic!("no SMTP on port 25") };
    let (mut server, _) = smtp::Server::new(cfg.clone(), World::learner(), world.now(), SimRng::new(5));
    let out = server.feed(b"EHLO client.example.net\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<alice@example.com>\r\n");
    assert_eq!(out.replies.iter().map(|r| r.code).collect::<Vec<_>>(), [250, 250, 250]);
    assert_eq!(out.replies[2].code, 250);
    let chunk = server.feed(b"BDAT 1\r\nx");
    assert_eq!(chunk.replies[0].code, 250, "{:?}", chunk.replies);
    let data = server.feed(b"DATA\r\n");
    assert_eq!(data.replies[0].code, 503, "DATA after BDAT: {:?}", data.replies);
}
