//! Split invariance: TCP delivers a byte stream, not lines, so an engine fed
//! the same bytes in any chunks must send the same bytes, report the same
//! events, close at the same point and leave the mailboxes the same as when
//! fed everything at once. Checked for the SMTP, POP3 and IMAP server
//! sessions through their public `feed`, on two kinds of input:
//! - the client side of every recorded transcript (tests/transcripts/), as
//!   one stream, cut at points proptest chooses;
//! - streams proptest builds from protocol fragments (commands, line ends
//!   alone, bare LF, NUL, literals, BDAT sizes, dots), cut the same way.
//!
//! The engines are set up as the world sets them up (the host's service
//! configuration and mail store, from `World::new`), so the whole test
//! uses nothing but public API. Failing cases are kept in
//! proptest-regressions/split_invariance.txt (committed) and replayed
//! first.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/transcript.rs"]
mod transcript;

use mailsim::sim::{SimRng, Timestamp};
use mailsim::smtp::Peer;
use mailsim::store::MailStore;
use mailsim::world::{Service, World};
use mailsim::{imap, pop3, smtp};
#[path = "common/props.rs"]
mod props;

use proptest::prelude::*;
use proptest::sample::Index;
use std::fs;
use std::sync::OnceLock;

/// A server session of one of the three protocols, with the store it reads.
#[allow(clippy::large_enum_variant, reason = "one engine per test case")]
enum Engine {
    Smtp(smtp::Server),
    Pop3(pop3::Server, MailStore),
    Imap(Box<imap::Server>, MailStore),
}

/// What a session sent and did, over one or more feeds.
#[derive(Debug, Default, PartialEq)]
struct Seen {
    wire: Vec<u8>,
    events: Vec<String>,
    closed: bool,
    /// After the last feed.
    store: Option<MailStore>,
}

impl Engine {
    /// The session `host:port` of a fresh default world would open for `client`.
    fn open(world: &World, host: &str, port: u16, client: Peer) -> Engine {
        let h = world.resolve(host).unwrap_or_else(|| panic!("no host {host}"));
        let store = world.store(&h.name).cloned().unwrap_or_default();
        let (now, rng) = (world.now(), SimRng::new(11));
        match h.service(port) {
            Some(Service::Smtp(cfg)) => Engine::Smtp(smtp::Server::new(cfg.clone(), client, now, rng).0),
            Some(Service::Pop3(cfg)) => Engine::Pop3(pop3::Server::new(cfg.clone(), now, rng).0, store),
            Some(Service::Imap(cfg)) => Engine::Imap(Box::new(imap::Server::new(cfg.clone(), now, rng).0), store),
            _ => panic!("no SMTP, POP3 or IMAP service on {host}:{port}"),
        }
    }

    fn feed(&mut self, bytes: &[u8], seen: &mut Seen) {
        let dbg = |e: &dyn std::fmt::Debug| format!("{e:?}");
        let closed = match self {
            Engine::Smtp(s) => {
                let out = s.feed(bytes);
                seen.wire.extend(out.to_wire());
                seen.events.extend(out.events.iter().map(|e| dbg(e)));
                out.closed
            }
            Engine::Pop3(s, store) => {
                let out = s.feed(bytes, store);
                seen.wire.extend(out.to_wire());
                seen.events.extend(out.events.iter().map(|e| dbg(e)));
                out.closed
            }
            Engine::Imap(s, store) => {
                let out = s.feed(bytes, store);
                seen.wire.extend(&out.wire);
                seen.events.extend(out.events.iter().map(|e| dbg(e)));
                out.closed
            }
        };
        seen.closed = closed;
    }

    fn finish(self, mut seen: Seen) -> Seen {
        seen.store = match self {
            Engine::Smtp(_) => None,
            Engine::Pop3(_, store) | Engine::Imap(_, store) => Some(store),
        };
        seen
    }
}

/// A session's input: where to connect, from where, and the bytes.
#[derive(Debug, Clone)]
struct Input {
    name: String,
    host: String,
    port: u16,
    client: Peer,
    clock: Option<Timestamp>,
    bytes: Vec<u8>,
}

/// The client side of every transcript of one protocol (`smtp` includes the
/// article seeds), as one stream each.
fn recorded(protocol: &str) -> &'static [Input] {
    static ALL: OnceLock<Vec<Input>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let root = transcript::root();
        transcript::all(&root)
            .iter()
            .filter_map(|path| {
                let text = fs::read_to_string(path).expect("transcript");
                let h = transcript::Header::parse(&text).expect("transcript header");
                // Only what the default world serves (a seed may show a foreign host).
                let world = h.world().ok()?;
                let service = world.resolve(&h.host)?.service(h.port)?;
                if !matches!(service, Service::Smtp(_) | Service::Pop3(_) | Service::Imap(_)) {
                    return None;
                }
                let clock = Some(world.now());
                Some(Input {
                    name: path.strip_prefix(&root).unwrap_or(path).display().to_string(),
                    host: h.host,
                    port: h.port,
                    client: h.client,
                    clock,
                    bytes: transcript::client_stream(&text),
                })
            })
            .collect()
    });
    let want = |i: &Input| match protocol {
        "smtp" => i.name.starts_with("smtp/") || i.name.starts_with("seeds/"),
        p => i.name.starts_with(p),
    };
    let first = all.iter().position(want).expect("transcripts of the protocol");
    let n = all[first..].iter().take_while(|i| want(i)).count();
    &all[first..first + n]
}

/// Feeds `input` whole, then cut at `cuts`; the two must be observably the same.
fn check(input: &Input, cuts: &[Index]) -> Result<(), TestCaseError> {
    let mut world = World::new(7);
    if let Some(t) = input.clock {
        world.set_now(t);
    }
    let bytes = &input.bytes;
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.extend([0, bytes.len()]);
    at.sort_unstable();
    at.dedup();

    let mut whole = Engine::open(&world, &input.host, input.port, input.client.clone());
    let mut seen_whole = Seen::default();
    whole.feed(bytes, &mut seen_whole);
    let seen_whole = whole.finish(seen_whole);

    let mut cut = Engine::open(&world, &input.host, input.port, input.client.clone());
    let mut seen_cut = Seen::default();
    for w in at.windows(2) {
        cut.feed(&bytes[w[0]..w[1]], &mut seen_cut);
    }
    let seen_cut = cut.finish(seen_cut);

    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    prop_assert_eq!(text(&seen_cut.wire), text(&seen_whole.wire), "{}: output, cut at {:?}", input.name, at);
    prop_assert_eq!(&seen_cut.events, &seen_whole.events, "{}: events, cut at {:?}", input.name, at);
    prop_assert_eq!(seen_cut.closed, seen_whole.closed, "{}: closed, cut at {:?}", input.name, at);
    prop_assert!(seen_cut.store == seen_whole.store, "{}: the mail store differs, cut at {:?}", input.name, at);
    Ok(())
}

/// Cut points: up to 40, anywhere in the input (a cut may fall inside a
/// CRLF, a literal, a BDAT chunk, a base64 line).
fn cuts() -> impl Strategy<Value = Vec<Index>> {
    prop::collection::vec(any::<Index>(), 0..40)
}

/// One transcript of the protocol, chosen by proptest.
fn transcript(protocol: &'static str) -> impl Strategy<Value = Input> {
    let all = recorded(protocol);
    (0..all.len()).prop_map(move |i| all[i].clone())
}

/// A stream built from protocol fragments, for a session on `host:port`.
fn fragments(name: &'static str, port: u16, pieces: &'static [&'static str]) -> impl Strategy<Value = Input> {
    prop::collection::vec(prop::sample::select(pieces), 1..40).prop_map(move |parts| Input {
        name: format!("{name} fragments {:?}", parts.concat()),
        host: "mail.example.com".into(),
        port,
        client: World::learner(),
        clock: None,
        bytes: parts.concat().into_bytes(),
    })
}

const SMTP_PIECES: &[&str] = &[
    "EHLO client.example.net\r\n",
    "HELO x\r\n",
    "MAIL FROM:<learner@example.net>\r\n",
    "MAIL FROM:<> SIZE=20\r\n",
    "RCPT TO:<alice@example.com>\r\n",
    "RCPT TO:<nobody@example.com>\r\n",
    "DATA\r\n",
    "BDAT 7\r\n",
    "BDAT 3 LAST\r\n",
    "BDAT 0 LAST\r\n",
    "AUTH PLAIN\r\n",
    "AUTH PLAIN AGJvYgBib2Jwdw==\r\n",
    "AUTH LOGIN\r\n",
    "Ym9i\r\n",
    "*\r\n",
    "STARTTLS\r\n",
    "RSET\r\n",
    "NOOP\r\n",
    "VRFY bob\r\n",
    "QUIT\r\n",
    "Subject: x\r\n",
    ".\r\n",
    "..\r\n",
    ".",
    "\r\n",
    "\r",
    "\n",
    "\0",
    "text",
    "\u{e9}",
];

const POP3_PIECES: &[&str] = &[
    "USER bob\r\n",
    "PASS bobpw\r\n",
    "PASS wrong\r\n",
    "AUTH PLAIN\r\n",
    "AUTH PLAIN AGJvYgBib2Jwdw==\r\n",
    "AGJvYgBib2Jwdw==\r\n",
    "*\r\n",
    "CAPA\r\n",
    "STLS\r\n",
    "STAT\r\n",
    "LIST\r\n",
    "UIDL 1\r\n",
    "RETR 1\r\n",
    "TOP 2 0\r\n",
    "DELE 1\r\n",
    "RSET\r\n",
    "NOOP\r\n",
    "QUIT\r\n",
    "\r\n",
    "\r",
    "\n",
    "\0",
    "xyz",
];

const IMAP_PIECES: &[&str] = &[
    "a LOGIN bob bobpw\r\n",
    "a LOGIN {3}\r\nbob {5}\r\nbobpw\r\n",
    "b LOGIN alice wrong\r\n",
    "c CAPABILITY\r\n",
    "d SELECT INBOX\r\n",
    "e EXAMINE Trash\r\n",
    "f FETCH 1:* (FLAGS UID RFC822.SIZE)\r\n",
    "g FETCH 1 BODY[]\r\n",
    "h STORE 1 +FLAGS (\\Deleted)\r\n",
    "i EXPUNGE\r\n",
    "j APPEND INBOX {11}\r\nSubject: x\n\r\n",
    "k APPEND INBOX {4+}\r\nab\r\n\r\n",
    "l CREATE Box\r\n",
    "m SEARCH ALL\r\n",
    "n IDLE\r\n",
    "DONE\r\n",
    "o NOOP\r\n",
    "p LOGOUT\r\n",
    "q STARTTLS\r\n",
    "r AUTHENTICATE PLAIN\r\n",
    "AGJvYgBib2Jwdw==\r\n",
    "{3}\r\n",
    "\r\n",
    "\r",
    "\n",
    "\0",
    "xyz ",
];

proptest! {
    #![proptest_config(props::config("split_invariance"))]

    #[test]
    fn smtp_recorded_input_cut_anywhere(input in transcript("smtp"), cuts in cuts()) {
        check(&input, &cuts)?;
    }

    #[test]
    fn pop3_recorded_input_cut_anywhere(input in transcript("pop3"), cuts in cuts()) {
        check(&input, &cuts)?;
    }

    #[test]
    fn imap_recorded_input_cut_anywhere(input in transcript("imap"), cuts in cuts()) {
        check(&input, &cuts)?;
    }

    #[test]
    fn smtp_fragments_cut_anywhere(port in prop::sample::select(&[25u16, 587][..]), cuts in cuts(),
                                   input in fragments("smtp", 25, SMTP_PIECES)) {
        check(&Input { port, ..input }, &cuts)?;
    }

    #[test]
    fn pop3_fragments_cut_anywhere(input in fragments("pop3", 110, POP3_PIECES), cuts in cuts()) {
        check(&input, &cuts)?;
    }

    #[test]
    fn imap_fragments_cut_anywhere(input in fragments("imap", 143, IMAP_PIECES), cuts in cuts()) {
        check(&input, &cuts)?;
    }
}
