//! Every capability advertised works (issue 11 §1). The lists are read from
//! live sessions of the default world: IMAP's greeting, CAPABILITY before
//! and after login; POP3's CAPA before and after login. Each keyword is
//! looked up in a table (keyword → the state to start from → the commands of
//! its simplest use → a predicate on the answer), and the commands are sent
//! on a fresh session. A keyword fails when it has no entry (so a new
//! advertisement cannot slip in untested), when an answer is IMAP's
//! `BAD Error in IMAP command` (an unknown command or bad syntax) or POP3's
//! `-ERR Unknown command`, or when the predicate does not hold (a silent
//! no-op). An entry for a keyword no longer advertised fails too, so the
//! table stays the list. src/imap/CAPABILITIES.md is the IMAP table in prose.
#![cfg(not(target_arch = "wasm32"))]

use mailsim::world::{Connection, World};
use std::collections::BTreeSet;

/// Where a probe starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    /// A fresh connection (Not Authenticated; POP3 AUTHORIZATION).
    Connect,
    /// Logged in as alice (Authenticated; POP3 TRANSACTION).
    Login,
    /// IMAP: logged in, INBOX selected (three seeded messages).
    Selected,
}

/// One keyword's simplest use. A command may hold `\r\n` (a literal, a
/// SASL line); each is sent as one write, CRLF added.
struct Probe {
    keyword: &'static str,
    from: From,
    send: &'static [&'static str],
    /// Holds for the lines answered to `send`.
    ok: fn(&[String]) -> bool,
}

fn has(lines: &[String], l: &str) -> bool {
    lines.iter().any(|x| x == l)
}

fn starts(lines: &[String], p: &str) -> bool {
    lines.iter().any(|x| x.starts_with(p))
}

const T: &str = " (0.001 + 0.000 secs).";

const IMAP: &[Probe] = &[
    Probe {
        keyword: "IMAP4rev1",
        from: From::Connect,
        send: &["c CAPABILITY"],
        ok: |l| starts(l, "* CAPABILITY IMAP4rev1 ") && starts(l, "c OK "),
    },
    Probe {
        keyword: "SASL-IR",
        from: From::Connect,
        send: &["a AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlcHc="],
        ok: |l| l.len() == 1 && l[0].starts_with("a OK [CAPABILITY ") && l[0].ends_with("] Logged in"),
    },
    Probe {
        // RFC 2221: a server may answer LOGIN with a [REFERRAL]; every user
        // lives here, so none is ever sent, and LOGIN just works.
        keyword: "LOGIN-REFERRALS",
        from: From::Connect,
        send: &["l LOGIN alice alicepw"],
        ok: |l| l.len() == 1 && l[0].ends_with("] Logged in") && !l[0].contains("[REFERRAL "),
    },
    Probe {
        keyword: "ID",
        from: From::Login,
        send: &["i ID (\"name\" \"capabilities.rs\")"],
        ok: |l| has(l, "* ID (\"name\" \"Dovecot\")") && has(l, &format!("i OK ID completed{T}")),
    },
    Probe {
        // Nothing mailsim advertises can be enabled (CONDSTORE and QRESYNC
        // are not advertised): ENABLE answers as Dovecot does for extensions
        // it does not know, and must not claim to enable one.
        keyword: "ENABLE",
        from: From::Login,
        send: &["e ENABLE CONDSTORE"],
        ok: |l| l == [format!("e OK Enabled{T}")],
    },
    Probe {
        keyword: "IDLE",
        from: From::Selected,
        send: &["i IDLE", "DONE"],
        ok: |l| l == ["+ idling".to_string(), format!("i OK Idle completed{T}")],
    },
    Probe {
        keyword: "SORT",
        from: From::Selected,
        send: &["s SORT (SUBJECT) UTF-8 ALL", "r UID SORT (REVERSE FROM) UTF-8 ALL"],
        ok: |l| has(l, "* SORT 2 3 1") && has(l, "* SORT 1 3 2") && has(l, &format!("r OK Sort completed{T}")),
    },
    Probe {
        keyword: "SORT=DISPLAY",
        from: From::Selected,
        send: &["s SORT (DISPLAYFROM) UTF-8 ALL"],
        ok: |l| has(l, "* SORT 2 3 1"),
    },
    Probe {
        keyword: "UNSELECT",
        from: From::Selected,
        send: &["u UNSELECT", "f FETCH 1 FLAGS"],
        ok: |l| l == [format!("u OK Unselect completed{T}"), format!("f BAD No mailbox selected{T}")],
    },
    Probe {
        keyword: "CHILDREN",
        from: From::Login,
        send: &["c CREATE Lists.Rust", "l LIST \"\" \"Lists*\""],
        ok: |l| {
            has(l, "* LIST (\\Noselect \\HasChildren) \".\" Lists")
                && has(l, "* LIST (\\HasNoChildren) \".\" Lists.Rust")
        },
    },
    Probe {
        keyword: "NAMESPACE",
        from: From::Login,
        send: &["n NAMESPACE"],
        ok: |l| l == ["* NAMESPACE ((\"\" \".\")) NIL NIL".to_string(), format!("n OK Namespace completed{T}")],
    },
    Probe {
        keyword: "UIDPLUS",
        from: From::Selected,
        send: &[
            "c UID COPY 2 Trash",
            "a APPEND Drafts {5+}\r\nhello",
            "d STORE 1 +FLAGS.SILENT (\\Deleted)",
            "x UID EXPUNGE 1",
        ],
        ok: |l| {
            starts(l, "c OK [COPYUID ")
                && l.iter().any(|x| x.starts_with("c OK [COPYUID ") && x.contains(" 2 1]"))
                && l.iter().any(|x| x.starts_with("a OK [APPENDUID ") && x.contains(" 1] Append completed"))
                && has(l, "* 1 EXPUNGE")
        },
    },
    Probe {
        keyword: "LIST-EXTENDED",
        from: From::Login,
        send: &["l LIST (SUBSCRIBED) \"\" (\"Sent\" \"INBOX\") RETURN (CHILDREN)"],
        ok: |l| {
            l == ["* LIST (\\Subscribed \\HasNoChildren) \".\" Sent".to_string(), format!("l OK List completed{T}")]
        },
    },
    Probe {
        keyword: "ESEARCH",
        from: From::Selected,
        send: &["s SEARCH RETURN (MIN MAX COUNT ALL) ALL", "u UID SEARCH RETURN (COUNT) FROM carol"],
        ok: |l| {
            has(l, "* ESEARCH (TAG \"s\") MIN 1 MAX 3 ALL 1:3 COUNT 3") && has(l, "* ESEARCH (TAG \"u\") UID COUNT 1")
        },
    },
    Probe {
        keyword: "WITHIN",
        from: From::Selected,
        send: &["y SEARCH YOUNGER 3600", "o SEARCH OLDER 3600"],
        ok: |l| has(l, "* SEARCH 1 2 3") && has(l, "* SEARCH") && has(l, &format!("o OK Search completed{T}")),
    },
    Probe {
        keyword: "LIST-STATUS",
        from: From::Login,
        send: &["l LIST \"\" \"INBOX\" RETURN (STATUS (MESSAGES UNSEEN))"],
        ok: |l| l[..2] == ["* LIST () \".\" INBOX", "* STATUS INBOX (MESSAGES 3 UNSEEN 3)"],
    },
    Probe {
        keyword: "MOVE",
        from: From::Selected,
        send: &["m MOVE 1 Trash", "s STATUS Trash (MESSAGES)"],
        ok: |l| starts(l, "* OK [COPYUID ") && has(l, "* 1 EXPUNGE") && has(l, "* STATUS Trash (MESSAGES 1)"),
    },
    Probe {
        keyword: "STATUS=SIZE",
        from: From::Login,
        send: &["s STATUS Sent (MESSAGES SIZE)", "t STATUS INBOX (SIZE)"],
        ok: |l| {
            has(l, "* STATUS Sent (MESSAGES 0 SIZE 0)")
                && l.iter().any(|x| x.strip_prefix("* STATUS INBOX (SIZE ").is_some_and(|n| n != "0)"))
        },
    },
    Probe {
        // RFC 7888: a `{n+}` literal needs no continuation.
        keyword: "LITERAL+",
        from: From::Login,
        send: &["s SELECT {5+}\r\nINBOX"],
        ok: |l| !starts(l, "+ ") && has(l, &format!("s OK [READ-WRITE] Select completed{T}")),
    },
    Probe {
        keyword: "SPECIAL-USE",
        from: From::Login,
        send: &["l LIST (SPECIAL-USE) \"\" \"*\""],
        ok: |l| {
            l == [
                "* LIST (\\Drafts) \".\" Drafts".to_string(),
                "* LIST (\\Sent) \".\" Sent".to_string(),
                "* LIST (\\Trash) \".\" Trash".to_string(),
                format!("l OK List completed{T}"),
            ]
        },
    },
    Probe {
        keyword: "STARTTLS",
        from: From::Connect,
        send: &["t STARTTLS", "c CAPABILITY"],
        ok: |l| has(l, "t OK Begin TLS negotiation now.") && !l.iter().any(|x| x.contains(" STARTTLS")),
    },
    Probe {
        keyword: "AUTH=PLAIN",
        from: From::Connect,
        send: &["a AUTHENTICATE PLAIN", "AGFsaWNlAGFsaWNlcHc="],
        ok: |l| l.len() == 2 && l[0] == "+ " && l[1].ends_with("] Logged in"),
    },
    Probe {
        keyword: "AUTH=LOGIN",
        from: From::Connect,
        send: &["a AUTHENTICATE LOGIN", "YWxpY2U=", "YWxpY2Vwdw=="],
        ok: |l| l.len() == 3 && l[0] == "+ VXNlcm5hbWU6" && l[1] == "+ UGFzc3dvcmQ6" && l[2].ends_with("] Logged in"),
    },
];

const POP3: &[Probe] = &[
    Probe {
        keyword: "CAPA",
        from: From::Connect,
        send: &["CAPA"],
        ok: |l| l.first().is_some_and(|x| x == "+OK") && starts(l, "."),
    },
    Probe {
        keyword: "TOP",
        from: From::Login,
        send: &["TOP 1 0"],
        ok: |l| {
            l[0] == "+OK"
                && starts(l, "Subject: Welcome, alice")
                && !starts(l, "First message")
                && l.last().is_some_and(|x| x == ".")
        },
    },
    Probe {
        keyword: "UIDL",
        from: From::Login,
        send: &["UIDL 2"],
        ok: |l| l.len() == 1 && l[0].starts_with("+OK 2 ") && l[0].len() == "+OK 2 ".len() + 16,
    },
    Probe {
        // RFC 2449 §6.4: a bracket after -ERR opens a response code.
        keyword: "RESP-CODES",
        from: From::Connect,
        send: &["AUTH CRAM-SHA1"],
        ok: |l| l == ["-ERR [AUTH] Unsupported authentication mechanism."],
    },
    Probe {
        // RFC 2449 §6.6: the answers come in order, one per command.
        keyword: "PIPELINING",
        from: From::Connect,
        send: &["USER alice\r\nPASS alicepw\r\nSTAT"],
        ok: |l| l.len() == 3 && l[0] == "+OK" && l[1] == "+OK Logged in." && l[2].starts_with("+OK 3 "),
    },
    Probe {
        // RFC 3206 §4: a failed login says [AUTH].
        keyword: "AUTH-RESP-CODE",
        from: From::Connect,
        send: &["USER alice", "PASS wrong"],
        ok: |l| l == ["+OK", "-ERR [AUTH] Authentication failed."],
    },
    Probe {
        keyword: "STLS",
        from: From::Connect,
        send: &["STLS", "CAPA"],
        ok: |l| l[0] == "+OK Begin TLS negotiation now." && !has(l, "STLS"),
    },
    Probe {
        keyword: "USER",
        from: From::Connect,
        send: &["USER alice", "PASS alicepw"],
        ok: |l| l == ["+OK", "+OK Logged in."],
    },
    Probe {
        keyword: "SASL PLAIN",
        from: From::Connect,
        send: &["AUTH PLAIN AGFsaWNlAGFsaWNlcHc="],
        ok: |l| l == ["+OK Logged in."],
    },
    Probe {
        keyword: "SASL LOGIN",
        from: From::Connect,
        send: &["AUTH LOGIN", "YWxpY2U=", "YWxpY2Vwdw=="],
        ok: |l| l == ["+ VXNlcm5hbWU6", "+ UGFzc3dvcmQ6", "+OK Logged in."],
    },
];

fn send(w: &mut World, c: &mut Connection, line: &str) -> Vec<String> {
    w.send(c, format!("{line}\r\n").as_bytes()).lines
}

/// The capability words of an IMAP list (`* CAPABILITY ...` or `[CAPABILITY ...]`).
fn imap_words(line: &str) -> Vec<String> {
    let Some(i) = line.find("CAPABILITY ") else { return Vec::new() };
    let rest = &line[i + "CAPABILITY ".len()..];
    rest.split(']').next().unwrap_or("").split(' ').map(String::from).collect()
}

/// What the IMAP service advertises: greeting, CAPABILITY before login, the
/// LOGIN reply's list and CAPABILITY after login.
fn imap_advertised() -> BTreeSet<String> {
    let mut w = World::new(7);
    let (mut c, greeting) = w.connect("mail.example.com", 143).expect("IMAP on 143");
    let mut all: BTreeSet<String> = greeting.lines.iter().flat_map(|l| imap_words(l)).collect();
    for cmd in ["c CAPABILITY", "l LOGIN alice alicepw", "d CAPABILITY"] {
        all.extend(send(&mut w, &mut c, cmd).iter().flat_map(|l| imap_words(l)));
    }
    assert!(all.contains("IMAP4rev1") && all.contains("MOVE"), "{all:?}");
    all
}

/// What POP3 advertises in CAPA, before and after login; a SASL line gives
/// `SASL MECH` per mechanism.
fn pop3_advertised() -> BTreeSet<String> {
    let mut w = World::new(7);
    let (mut c, _) = w.connect("mail.example.com", 110).expect("POP3 on 110");
    let mut lines = send(&mut w, &mut c, "CAPA");
    send(&mut w, &mut c, "USER alice");
    send(&mut w, &mut c, "PASS alicepw");
    lines.extend(send(&mut w, &mut c, "CAPA"));
    let mut all = BTreeSet::new();
    for l in lines.iter().filter(|l| *l != "+OK" && *l != ".") {
        match l.strip_prefix("SASL ") {
            Some(mechs) => all.extend(mechs.split(' ').map(|m| format!("SASL {m}"))),
            None => {
                all.insert(l.clone());
            }
        }
    }
    assert!(all.contains("TOP") && all.contains("SASL PLAIN"), "{all:?}");
    all
}

/// Runs one probe on a fresh world; the problem, if any.
fn run(p: &Probe, port: u16) -> Result<(), String> {
    let mut w = World::new(7);
    let (mut c, _) = w.connect("mail.example.com", port).map_err(|e| format!("connect: {e:?}"))?;
    let setup: &[&str] = match (p.from, port) {
        (From::Connect, _) => &[],
        (From::Login, 143) => &["p0 LOGIN alice alicepw"],
        (From::Selected, 143) => &["p0 LOGIN alice alicepw", "p1 SELECT INBOX"],
        _ => &["USER alice", "PASS alicepw"],
    };
    for s in setup {
        send(&mut w, &mut c, s);
    }
    let mut got = Vec::new();
    for s in p.send {
        got.extend(send(&mut w, &mut c, s));
    }
    if let Some(bad) =
        got.iter().find(|l| l.contains(" BAD Error in IMAP command") || l.starts_with("-ERR Unknown command"))
    {
        return Err(format!("{}: {bad:?} in {got:?}", p.keyword));
    }
    if !(p.ok)(&got) {
        return Err(format!("{}: sent {:?}, the answer does not show it works: {got:?}", p.keyword, p.send));
    }
    Ok(())
}

/// Every advertised keyword has a probe that passes, and every probe is for
/// an advertised keyword.
fn check(advertised: &BTreeSet<String>, table: &[Probe], port: u16) -> Vec<String> {
    let mut problems = Vec::new();
    for k in advertised {
        match table.iter().find(|p| p.keyword == k) {
            None => problems.push(format!("{k}: advertised, but the table has no probe for it")),
            Some(p) => problems.extend(run(p, port).err()),
        }
    }
    for p in table.iter().filter(|p| !advertised.contains(p.keyword)) {
        problems.push(format!("{}: a probe for a keyword not advertised", p.keyword));
    }
    problems
}

#[test]
fn every_imap_capability_advertised_works() {
    let problems = check(&imap_advertised(), IMAP, 143);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_pop3_capability_advertised_works() {
    let problems = check(&pop3_advertised(), POP3, 110);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker can fail: a keyword without a probe, an unknown command, a
/// predicate that does not hold, a probe for what is not advertised.
#[test]
fn the_checker_catches_what_does_not_work() {
    let mut adv = imap_advertised();
    adv.insert("THREAD=REFERENCES".into());
    let problems = check(&adv, IMAP, 143);
    assert_eq!(problems, ["THREAD=REFERENCES: advertised, but the table has no probe for it"]);

    let thread = Probe {
        keyword: "THREAD=REFERENCES",
        from: From::Selected,
        send: &["t THREAD REFERENCES UTF-8 ALL"],
        ok: |_| true,
    };
    assert!(run(&thread, 143).is_err_and(|e| e.contains("Unknown command")));
    let silent = Probe {
        keyword: "ENABLE",
        from: From::Login,
        send: &["e ENABLE CONDSTORE"],
        ok: |l| starts(l, "* ENABLED CONDSTORE"),
    };
    assert!(run(&silent, 143).is_err_and(|e| e.contains("does not show it works")));
    let pop = Probe { keyword: "X", from: From::Login, send: &["XTND"], ok: |_| true };
    assert!(run(&pop, 110).is_err_and(|e| e.contains("-ERR Unknown command")));

    let mut fewer = imap_advertised();
    fewer.remove("SORT");
    assert_eq!(check(&fewer, IMAP, 143), ["SORT: a probe for a keyword not advertised"]);
}
