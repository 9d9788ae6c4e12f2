//! Runs every transcript under tests/transcripts/ against the engine.
//!
//! A transcript is the format of `shared/peers/transcripts`: `S: ` lines are
//! what the server sent, `C: ` lines what the client sent. Client lines are
//! sent in batches (everything up to the next `S:` line, which is how
//! pipelined commands were recorded), and the replies must equal the `S:`
//! lines that follow, except for queue ids, which change from run to run.
//! A `C:` line that ends in a `\n` escape is sent as raw bytes (`\r`, `\n`,
//! `\xHH` decoded), without an added line end. Header comments:
//! `# connect: HOST PORT` chooses the service; `# client: NAME IP` is who
//! connects (`unknown` for an address without reverse DNS; the learner's
//! machine by default); `# set: KEY` reproduces a setting of the recorded
//! server that differs from the default world (see `apply_setting`);
//! `# greeting: unrecorded` for a source that does not show the server's
//! greeting; `# pending: why` marks a recording the engine cannot replay yet
//! (listed in the output, never counted as passing).
//!
//! POP3 recordings show mail the peers delivered on another machine, on
//! another day. `# vary: WORD...` lists what may differ, and nothing else
//! may; each word names one narrow rule, applied to both sides:
//! - `sizes`: the octet count in `+OK n size` (STAT, LIST n), `n size`
//!   (the lines of LIST's scan listing only) and `+OK size octets` (RETR): our trace headers name our
//!   hosts (`mail`, not the recording machine's `vm`), so sizes differ by a
//!   few octets. Unit tests check sizes against what is sent.
//! - `uidvalidity`: the last 8 of the 16 hex digits of a UIDL unique-id
//!   (`%08Xu%08Xv`: UID, then UIDVALIDITY, which is the mailbox creation time).
//! - `trace`: the values of `Received:` (with its continuation lines),
//!   `Date:` and `Message-Id:` header lines in the header of a message being
//!   sent (RETR, TOP, an IMAP literal; not in a body), and the swaks PID in
//!   `_MIME_BOUNDARY_000_PID`: hosts, ids and times of the delivery. Header
//!   names, order and line structure are still compared. In IMAP, also
//!   the date and Message-ID of an ENVELOPE and an INTERNALDATE.
//! - `timing`: Dovecot's `(0.001 + 0.000 secs).` after a tagged IMAP reply
//!   (the figures are real times on the recording machine).
//! - `sizes` in IMAP: `RFC822.SIZE n` and the `{n}` of a literal that ends a
//!   line (a fetched message or header, which holds the trace headers).
//! - `uidvalidity` in IMAP: the number after `UIDVALIDITY`, `[COPYUID` and
//!   `[APPENDUID` (the folder's creation time).
//!
//! - `capabilities` in IMAP: the keywords of `mailsim::imap::NOT_ADVERTISED`
//!   are removed from capability lists (the greeting's, LOGIN's, CAPABILITY's).
//!   Dovecot advertises extensions mailsim does not do; mailsim does not
//!   advertise them (src/imap/CAPABILITIES.md). Only the keywords of that
//!   list are excused: any other difference in a list still fails.
//!
//! `# world: mail ADDRESS` (IMAP) stands where the recording had a message
//! delivered to ADDRESS by SMTP meanwhile: the harness sends one through the
//! world's port 25, then lets the IMAP connection report it (`World::poll`).

#[path = "common/transcript.rs"]
mod transcript;

use mailsim::imap::NOT_ADVERTISED;
use mailsim::reply::Enhanced;
use mailsim::smtp::catalogue::explain;
use mailsim::world::World;
use std::fs;
use std::path::Path;
use transcript::{client_bytes, client_line, send, Cutter, Header};

/// Replaces what changes from run to run (queue ids) by a placeholder:
/// Postfix's `queued as ID`, and the `250 [2.0.0] ID message accepted for
/// delivery` of Sendmail and CommuniGate Pro.
fn normalise(line: &str) -> String {
    if let Some(i) = line.find("queued as ") {
        return format!("{}queued as <ID>", &line[..i]);
    }
    let lower = line.to_ascii_lowercase();
    if line.starts_with("250 ") && lower.ends_with(" message accepted for delivery") {
        let words: Vec<&str> = line.split(' ').collect();
        let id_at = words.len() - 5;
        return words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == id_at { "<ID>" } else { w })
            .collect::<Vec<_>>()
            .join(" ");
    }
    line.to_string()
}

fn is_num(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Replaces the number after each `key` in `l` by `<what>`.
fn mask_number_after(l: &str, key: &str, what: &str) -> String {
    let mut out = String::new();
    let mut rest = l;
    while let Some(i) = rest.find(key) {
        let (head, tail) = rest.split_at(i + key.len());
        out.push_str(head);
        let n = tail.bytes().take_while(u8::is_ascii_digit).count();
        if n > 0 {
            out.push_str(what);
        }
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

/// Replaces the quoted string that starts right after `key` by `"<TRACE>"`.
fn mask_quoted_after(l: &str, key: &str) -> String {
    let Some(i) = l.find(key) else { return l.to_string() };
    let start = i + key.len();
    match l[start..].find('"') {
        Some(end) => format!("{}<TRACE>{}", &l[..start], &l[start + end..]),
        None => l.to_string(),
    }
}

/// Removes the keywords mailsim does not advertise ([`NOT_ADVERTISED`]) from
/// a capability list (`* CAPABILITY ...`, or `[CAPABILITY ...]` in a greeting
/// or a LOGIN reply); everything else in the list is still compared.
fn drop_not_advertised(l: &str) -> String {
    let Some(i) = l.find("CAPABILITY ") else { return l.to_string() };
    let start = i + "CAPABILITY ".len();
    let end = l[start..].find(']').map_or(l.len(), |e| start + e);
    let kept: Vec<&str> = l[start..end].split(' ').filter(|w| !NOT_ADVERTISED.contains(w)).collect();
    format!("{}{}{}", &l[..start], kept.join(" "), &l[end..])
}

/// The IMAP parts of the `# vary:` rules.
fn normalise_imap(mut l: String, has: &dyn Fn(&str) -> bool) -> String {
    if has("capabilities") {
        l = drop_not_advertised(&l);
    }
    if has("timing") && l.ends_with(" secs).") {
        if let Some(i) = l.rfind(" (") {
            if l[i + 2..l.len() - 7].bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b' ' || b == b'+') {
                l = format!("{} (<TIMING>).", &l[..i]);
            }
        }
    }
    if has("uidvalidity") {
        for key in ["UIDVALIDITY ", "[COPYUID ", "[APPENDUID "] {
            l = mask_number_after(&l, key, "<UIDVALIDITY>");
        }
    }
    if has("sizes") {
        l = mask_number_after(&l, "RFC822.SIZE ", "<SIZE>");
        if l.ends_with('}') {
            if let Some(i) = l.rfind('{') {
                if l[i + 1..l.len() - 1].bytes().all(|b| b.is_ascii_digit()) {
                    l = format!("{}{{<SIZE>}}", &l[..i]);
                }
            }
        }
    }
    if has("trace") {
        l = mask_quoted_after(&l, "ENVELOPE (\"");
        l = mask_quoted_after(&l, "INTERNALDATE \"");
        if l.contains("ENVELOPE (") {
            if let (Some(a), Some(b)) = (l.rfind(" \"<"), l.rfind(">\"")) {
                if a < b {
                    l = format!("{} \"<TRACE>{}", &l[..a], &l[b + 1..]);
                }
            }
        }
    }
    l
}

/// Applies the `# vary:` rules (see the header comment) to a run of lines.
/// Each rule masks only where its field can be: sizes in a scan listing or a
/// status line, trace fields in the header of a retrieved message.
fn normalise_vary(lines: &[String], vary: &[String]) -> Vec<String> {
    let has = |w: &str| vary.iter().any(|v| v == w);
    let mut in_received = false;
    // Inside LIST's scan listing (after `+OK N messages:`, up to the dot).
    let mut in_listing = false;
    // Inside the header of a message being sent (RETR, TOP, an IMAP literal), up to its blank line.
    let mut in_header = false;
    lines
        .iter()
        .map(|line| {
            let starts_message = |l: &str| {
                let w: Vec<&str> = l.split(' ').collect();
                matches!(w[..], ["+OK", n, "octets"] if is_num(n)) || l == "+OK" || is_literal_start(l)
            };
            let mut l = normalise_imap(normalise(line), &has);
            let header_line = in_header;
            if in_header && line.is_empty() {
                in_header = false;
            }
            if has("trace") && header_line {
                if l.starts_with('\t') && in_received {
                    return "\t<TRACE>".to_string();
                }
                in_received = l.starts_with("Received: ");
                for h in ["Received: ", "Date: ", "Message-Id: "] {
                    if l.starts_with(h) {
                        return format!("{h}<TRACE>");
                    }
                }
            }
            if has("trace") {
                if let Some(i) = l.find("_MIME_BOUNDARY_000_") {
                    let start = i + "_MIME_BOUNDARY_000_".len();
                    let end = start + l[start..].bytes().take_while(u8::is_ascii_digit).count();
                    l = format!("{}<PID>{}", &l[..start], &l[end..]);
                }
            }
            if starts_message(line) {
                in_header = true;
            }
            let listing = in_listing;
            if line == "." {
                in_listing = false;
            }
            if line.starts_with("+OK ") && line.ends_with(" messages:") {
                in_listing = true;
            }
            let words: Vec<&str> = l.split(' ').collect();
            let prefix = if words.first() == Some(&"+OK") { "+OK " } else { "" };
            let w = if prefix.is_empty() { &words[..] } else { &words[1..] };
            match w {
                // `+OK n size` (STAT, LIST n) and the scan listing's `n size` lines.
                [n, size] if has("sizes") && (listing || !prefix.is_empty()) && is_num(n) && is_num(size) => {
                    format!("{prefix}{n} <SIZE>")
                }
                [size, "octets"] if has("sizes") && prefix == "+OK " && is_num(size) => "+OK <SIZE> octets".to_string(),
                [n, id]
                    if has("uidvalidity")
                        && is_num(n)
                        && id.len() == 16
                        && id.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    format!("{prefix}{n} {}<UIDVALIDITY>", &id[..8])
                }
                _ => l,
            }
        })
        .collect()
}

/// A line that ends with an IMAP literal's `{n}`: a message or header follows.
fn is_literal_start(l: &str) -> bool {
    l.strip_suffix('}')
        .and_then(|x| x.rfind('{').map(|i| &x[i + 1..]))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An SMTP reply line's code and enhanced code (`550 5.1.1 ...`), if it is one.
fn smtp_codes(line: &str) -> Option<(u16, Option<Enhanced>)> {
    let code: u16 = line.get(..3)?.parse().ok()?;
    let rest = line.get(4..).unwrap_or("");
    let enh = rest.split(' ').next().and_then(|e| {
        let p: Vec<u16> = e.split('.').map(|x| x.parse().ok()).collect::<Option<_>>()?;
        (p.len() == 3).then(|| Enhanced(p[0] as u8, p[1], p[2]))
    });
    Some((code, enh))
}

/// What one replay saw: every line the server sent (greeting included, raw),
/// the world's state after it (events, accepted envelopes, mailboxes, as
/// JSON), and the comparison with the recording (the first difference).
#[derive(Debug)]
struct Run {
    output: Vec<String>,
    closed: bool,
    world: String,
    verdict: Result<(), String>,
}

/// Replays one transcript: client input batch by batch, each batch sent whole
/// (`cutter` is `None`) or cut into chunks as TCP may deliver it.
fn replay(path: &Path, cutter: Option<u64>) -> Run {
    let failed = |e: String| Run { output: Vec::new(), closed: false, world: String::new(), verdict: Err(e) };
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return failed(e.to_string()),
    };
    let h = match Header::parse(&text) {
        Ok(h) => h,
        Err(e) => return failed(e),
    };
    let mut world = match h.world() {
        Ok(w) => w,
        Err(e) => return failed(e),
    };
    let mut cutter = cutter.map(Cutter::new);
    let (host, port) = (h.host.as_str(), h.port);
    let (mut conn, greeting) = match world.connect_from(h.client.clone(), host, port) {
        Ok(c) => c,
        Err(e) => return failed(format!("connect {host}:{port}: {e:?}")),
    };
    // `# greeting: unrecorded`: the source shows no greeting; don't compare it.
    let got = if h.greeting_unrecorded { Vec::new() } else { greeting.lines.clone() };
    let mut seen = Seen { output: greeting.lines, got, closed: false };
    let mut verdict = Ok(());
    let mut expected: Vec<String> = Vec::new();
    let mut batch: Vec<u8> = Vec::new();
    let mut sent: Vec<String> = Vec::new();
    let vary = &h.vary;
    let check = |got: &[String], expected: &[String], sent: &[String]| -> Result<(), String> {
        let g = normalise_vary(got, vary);
        let e = normalise_vary(expected, vary);
        if g != e {
            return Err(format!("after sending {sent:?}\n  expected: {e:#?}\n  got:      {g:#?}"));
        }
        // Every reply the engine sent is explained by the reply catalogue.
        for line in got {
            if let Some((code, enh)) = smtp_codes(line) {
                if explain(code, enh).is_empty() {
                    return Err(format!("no catalogue entry explains {line:?}"));
                }
            }
        }
        Ok(())
    };
    for l in text.lines() {
        if let Some(to) = l.strip_prefix("# world: mail ") {
            if !batch.is_empty() {
                seen.add(send(&mut world, &mut conn, &std::mem::take(&mut batch), cutter.as_mut()));
            }
            if let Err(e) = deliver(&mut world, to.trim()) {
                return failed(e);
            }
            seen.add(world.poll(&mut conn));
            continue;
        }
        if let Some(c) = client_line(l) {
            if !expected.is_empty() {
                if verdict.is_ok() {
                    verdict = check(&seen.got, &expected, &sent);
                }
                seen.got.clear();
                expected.clear();
                sent.clear();
            }
            batch.extend(client_bytes(c));
            sent.push(c.chars().take(60).collect());
        } else if let Some(s) = l.strip_prefix("S: ") {
            if !batch.is_empty() {
                seen.add(send(&mut world, &mut conn, &std::mem::take(&mut batch), cutter.as_mut()));
            }
            expected.push(s.to_string());
        }
    }
    if !batch.is_empty() {
        seen.add(send(&mut world, &mut conn, &batch, cutter.as_mut()));
    }
    if verdict.is_ok() {
        verdict = check(&seen.got, &expected, &sent);
    }
    let stores: Vec<_> = world.mail_hosts().map(|host| (host, world.store(host))).collect();
    let state = serde_json::json!({ "events": world.events(), "accepted": world.accepted, "stores": stores });
    Run { output: seen.output, closed: seen.closed, world: state.to_string(), verdict }
}

/// What the server sent: all of it, and what is still to compare with the recording.
struct Seen {
    output: Vec<String>,
    got: Vec<String>,
    closed: bool,
}

impl Seen {
    fn add(&mut self, answer: mailsim::world::Answer) {
        self.output.extend(answer.lines.iter().cloned());
        self.got.extend(answer.lines);
        self.closed |= answer.closed;
    }
}

/// Sends one short message to `to` through the world's SMTP on mail.example.com:25.
fn deliver(world: &mut World, to: &str) -> Result<(), String> {
    let (mut smtp, _) = world.connect("mail.example.com", 25).map_err(|e| format!("smtp: {e:?}"))?;
    let dialogue = format!(
        "EHLO client.example.net\r\nMAIL FROM:<carol@example.net>\r\nRCPT TO:<{to}>\r\nDATA\r\n\
         Subject: While you were idling\r\n\r\nNew mail.\r\n.\r\nQUIT\r\n"
    );
    let answer = world.send(&mut smtp, dialogue.as_bytes());
    if !answer.lines.iter().any(|l| l.contains("queued as")) {
        return Err(format!("delivery to {to} failed: {:?}", answer.lines));
    }
    Ok(())
}

#[test]
fn transcripts_replay() {
    let root = transcript::root();
    let all = transcript::all(&root);
    assert!(all.len() >= 12, "expected the recorded transcripts under {root:?}");
    let (mut passed, mut failures, mut pending) = (0, Vec::new(), Vec::new());
    for path in &all {
        let text = fs::read_to_string(path).unwrap_or_default();
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        if let Some(why) = text.lines().find_map(|l| l.strip_prefix("# pending: ")) {
            pending.push(format!("{name}: {why}"));
            continue;
        }
        match replay(path, None).verdict {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("transcripts: {passed} replayed, {} pending", pending.len());
    for p in &pending {
        println!("  pending {p}");
    }
    assert!(failures.is_empty(), "{} transcript(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Seeds per transcript for [`transcripts_replay_cut_anywhere`].
const CUT_SEEDS: u64 = 6;

/// Real clients pipeline, and TCP cuts lines anywhere: every transcript's
/// client input, cut into seeded random chunks (single octets, a CR apart
/// from its LF, a few octets, several lines), gets the very output of the
/// uncut replay, leaves the world in the same state, and so still matches
/// the recording. Pending transcripts are cut too: their output must not
/// depend on the cuts either.
#[test]
fn transcripts_replay_cut_anywhere() {
    let root = transcript::root();
    let all = transcript::all(&root);
    assert!(all.len() >= 12, "expected the recorded transcripts under {root:?}");
    let mut failures = Vec::new();
    for path in &all {
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        let whole = replay(path, None);
        for seed in 1..=CUT_SEEDS {
            let cut = replay(path, Some(seed));
            let problem = if cut.output != whole.output {
                let at = cut.output.iter().zip(&whole.output).position(|(a, b)| a != b).unwrap_or(0);
                let (c, w) = (cut.output.get(at..at + 3), whole.output.get(at..at + 3));
                Some(format!("output differs from line {at}: cut {c:?}, whole {w:?}"))
            } else if cut.closed != whole.closed {
                Some(format!("closed: cut {}, whole {}", cut.closed, whole.closed))
            } else if cut.world != whole.world {
                Some("the world's events, envelopes or mailboxes differ".to_string())
            } else if whole.verdict.is_ok() && cut.verdict.is_err() {
                cut.verdict.err()
            } else {
                None
            };
            if let Some(p) = problem {
                failures.push(format!("{name} (cut seed {seed}): {p}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} cut replay(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// The excuse rules mask only the field they name, where it can be.
#[test]
fn vary_rules_are_narrow() {
    let v = |lines: &[&str], vary: &str| {
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        normalise_vary(&lines, &[vary.to_string()])
    };
    // sizes: in a scan listing and a status line, not in a message body.
    assert_eq!(
        v(&["+OK 2 messages:", "1 598", "2 1096", "."], "sizes"),
        ["+OK 2 messages:", "1 <SIZE>", "2 <SIZE>", "."]
    );
    assert_eq!(v(&["+OK 3 2345"], "sizes"), ["+OK 3 <SIZE>"]);
    assert_eq!(v(&["+OK 12 octets", "Subject: x", "", "2 1096", "."], "sizes")[3], "2 1096");
    // trace: in the header of a sent message, not in its body.
    assert_eq!(
        v(&["+OK 99 octets", "Received: from a", "\tby b", "Date: Mon", "", "Date: in the body", "."], "trace"),
        ["+OK 99 octets", "Received: <TRACE>", "\t<TRACE>", "Date: <TRACE>", "", "Date: in the body", "."]
    );
    assert_eq!(
        v(&["* 1 FETCH (BODY[] {40}", "Message-Id: <x@y>", "", "Message-Id: kept"], "trace")[3],
        "Message-Id: kept"
    );
    assert_eq!(v(&["Date: outside any message"], "trace"), ["Date: outside any message"]);
}

/// The `capabilities` rule removes the keywords of `NOT_ADVERTISED` and
/// nothing else: a keyword missing from or added to a list still differs.
#[test]
fn the_capabilities_rule_excuses_only_what_is_not_advertised() {
    assert_eq!(drop_not_advertised("* CAPABILITY IMAP4rev1 CONDSTORE MOVE"), "* CAPABILITY IMAP4rev1 MOVE");
    assert_eq!(
        drop_not_advertised("a OK [CAPABILITY IMAP4rev1 NOTIFY SORT] Logged in"),
        "a OK [CAPABILITY IMAP4rev1 SORT] Logged in"
    );
    assert_ne!(
        drop_not_advertised("* CAPABILITY IMAP4rev1 SORT MOVE"),
        drop_not_advertised("* CAPABILITY IMAP4rev1 MOVE")
    );
    assert_eq!(drop_not_advertised("* OK Dovecot ready."), "* OK Dovecot ready.");
}
