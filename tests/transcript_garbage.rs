//! Whatever a user pastes, the transcript reader and the explainer give an
//! answer or a clear error, never a panic: arbitrary bytes, and lines built
//! from the pieces the parsers look for (prefixes, reply codes, literals,
//! timestamps) in any order.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/props.rs"]
mod props;

use mailsim::explain::Explainer;
use mailsim::lang::Lang;
use mailsim::protocol::Protocol;
use mailsim::transcript::check::{check, Against};
use mailsim::transcript::{analyse, parse, parse_rawlog, Format};
use mailsim::transcript::{export, Export};
use proptest::prelude::*;

/// Pieces of lines that steer the parsers down their different paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("C: ".to_string()),
        Just("S: ".to_string()),
        Just(" -> ".to_string()),
        Just("<~  ".to_string()),
        Just("> ".to_string()),
        Just("< ".to_string()),
        Just("send: b'".to_string()),
        Just("reply: b'\\x".to_string()),
        Just("postfix/smtpd[1]: < h[1.2.3.4]: ".to_string()),
        Just("1796019850.135615 ".to_string()),
        Just("250-".to_string()),
        Just("354 ".to_string()),
        Just("+OK ".to_string()),
        Just("-ERR [IN-USE".to_string()),
        Just("* 1 FETCH {99999999999999999999}".to_string()),
        Just("a1 OK [".to_string()),
        Just("+ ".to_string()),
        Just("AUTH PLAIN ".to_string()),
        Just("AGFsaWNlAGFsaWNlcHc=".to_string()),
        Just(".".to_string()),
        Just("ж".to_string()),
        // mailsim's own exports, read back in.
        Just("{\"lines\": [{\"side\": \"server\", \"text\": \"".to_string()),
        Just("{\"version\": 2, \"width\": 80}".to_string()),
        Just("[0.5, \"o\", \"\\u001b[31m".to_string()),
        Just("# tls".to_string()),
        // What the comparison masks: zones, dates, timings, host names, with characters of several bytes.
        Just(" Tue, 1 Dec 2026 10:00:00 +1é€".to_string()),
        Just(" Tue, 1 Dec 2026 10:00:00 -0700 (UTC)".to_string()),
        Just(" (0.001 + 0.000 secs).".to_string()),
        Just(" mail.exämple.com".to_string()),
        Just(" 250-€".to_string()),
        "[ -~]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    props::lines_of(piece())
}

proptest! {
    #![proptest_config(props::config("transcript_garbage"))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        for format in [None, Some(Format::Telnet), Some(Format::Python), Some(Format::DovecotRawlog)] {
            if let Ok(t) = parse(&bytes, format) {
                let a = analyse(t);
                let _ = a.to_json(Lang::Ru).to_string();
                prop_assert!(!a.to_text(Lang::En).is_empty());
            }
        }
        let _ = parse_rawlog(&bytes, &bytes);
    }

    #[test]
    fn line_shaped_garbage_is_read_or_refused_clearly(t in text()) {
        for format in [None, Some(Format::Cs), Some(Format::Telnet), Some(Format::Swaks), Some(Format::Openssl),
                       Some(Format::Curl), Some(Format::Python), Some(Format::PostfixLog), Some(Format::DovecotRawlog),
                       Some(Format::Json), Some(Format::Asciicast)] {
            match parse(t.as_bytes(), format) {
                Ok(tr) => {
                    let n = tr.lines.len();
                    // Every export, redacted or not, reads back; the comparison with mailsim runs.
                    for what in Export::ALL {
                        for keep in [false, true] {
                            let text = export(&tr, what, keep);
                            let again = parse(text.as_bytes(), None);
                            // Plain text has no marks: a garbage line such as `C: ` can make it read as
                            // another format, or as none (a clear error, checked by the match below).
                            prop_assert!(again.is_ok() || what == Export::Text || tr.lines.iter().all(|l| l.text.trim().is_empty()),
                                "an export of a transcript is a transcript: {text:?}");
                        }
                    }
                    let c = check(&tr, Against::default());
                    prop_assert!(!c.summary.en.is_empty());
                    let a = analyse(tr);
                    prop_assert!(a.problems.iter().all(|p| p.line <= n.max(1)), "a problem points past the end");
                    prop_assert!(a.to_json(Lang::En)["protocol"].is_string());
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
        for p in [Protocol::Smtp, Protocol::Lmtp, Protocol::Pop3, Protocol::Imap] {
            let mut x = Explainer::new(p);
            for (i, l) in t.lines().enumerate() {
                if i % 2 == 0 { x.client(l) } else {
                    let r = x.server(l);
                    if let Some((a, b)) = r.badge {
                        prop_assert!(a <= b && b <= l.len() && l.is_char_boundary(a) && l.is_char_boundary(b),
                            "the badge range must cut the line at characters: {l:?} {a}..{b}");
                    }
                }
            }
        }
    }
}
