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
//!   (LIST lines) and `+OK size octets` (RETR): our trace headers name our
//!   hosts (`mail`, not the recording machine's `vm`), so sizes differ by a
//!   few octets. Unit tests check sizes against what is sent.
//! - `uidvalidity`: the last 8 of the 16 hex digits of a UIDL unique-id
//!   (`%08Xu%08Xv`: UID, then UIDVALIDITY, which is the mailbox creation time).
//! - `trace`: the values of `Received:` (with its continuation lines),
//!   `Date:` and `Message-Id:` header lines and the swaks PID in
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
//! `# world: mail ADDRESS` (IMAP) stands where the recording had a message
//! delivered to ADDRESS by SMTP meanwhile: the harness sends one through the
//! world's port 25, then lets the IMAP connection report it (`World::poll`).

use mailsim::reply::Enhanced;
use mailsim::smtp::catalogue::explain;
use mailsim::smtp::Peer;
use mailsim::world::World;
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

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

/// The IMAP parts of the `# vary:` rules.
fn normalise_imap(mut l: String, has: &dyn Fn(&str) -> bool) -> String {
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
fn normalise_vary(lines: &[String], vary: &[String]) -> Vec<String> {
    let has = |w: &str| vary.iter().any(|v| v == w);
    let mut in_received = false;
    lines
        .iter()
        .map(|line| {
            let mut l = normalise_imap(normalise(line), &has);
            if has("trace") {
                if l.starts_with('\t') && in_received {
                    return "\t<TRACE>".to_string();
                }
                in_received = l.starts_with("Received: ");
                for h in ["Received: ", "Date: ", "Message-Id: "] {
                    if l.starts_with(h) {
                        return format!("{h}<TRACE>");
                    }
                }
                if let Some(i) = l.find("_MIME_BOUNDARY_000_") {
                    let start = i + "_MIME_BOUNDARY_000_".len();
                    let end = start + l[start..].bytes().take_while(u8::is_ascii_digit).count();
                    l = format!("{}<PID>{}", &l[..start], &l[end..]);
                }
            }
            let words: Vec<&str> = l.split(' ').collect();
            let prefix = if words.first() == Some(&"+OK") { "+OK " } else { "" };
            let w = if prefix.is_empty() { &words[..] } else { &words[1..] };
            match w {
                [n, size] if has("sizes") && is_num(n) && is_num(size) => format!("{prefix}{n} <SIZE>"),
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

/// The bytes a `C:` line stands for. A line ending in a `\n` escape was sent
/// raw by record.py's `!raw`: `\r`, `\n` and `\xHH` escapes are decoded and
/// no line end is added.
fn client_bytes(line: &str) -> Vec<u8> {
    if !line.ends_with("\\n") {
        return format!("{line}\r\n").into_bytes();
    }
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'\\', Some(b'r')) => (out.push(b'\r'), i += 2).1,
            (b'\\', Some(b'n')) => (out.push(b'\n'), i += 2).1,
            (b'\\', Some(b'x')) if i + 4 <= b.len() => {
                let hex = std::str::from_utf8(&b[i + 2..i + 4]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => (out.push(v), i += 4).1,
                    None => (out.push(b[i]), i += 1).1,
                }
            }
            (c, _) => (out.push(c), i += 1).1,
        }
    }
    out
}

/// Settings of a recorded server that differ from the default world.
fn apply_setting(world: &mut World, host: &str, port: u16, setting: &str) -> Result<(), String> {
    if let Some(t) = setting.strip_prefix("clock=") {
        // The simulated time of the recording (banners with dates).
        world.set_now(t.parse().map_err(|_| format!("bad clock {t}"))?);
        return Ok(());
    }
    let cfg = world.smtp_config_mut(host, port).ok_or(format!("no SMTP service on {host}:{port}"))?;
    match setting {
        // shared/peers sets smtpd_recipient_restrictions = reject_unauth_destination
        // for every service, so its submission port refuses to relay even after
        // AUTH. Real submission services relay for logged-in users (RFC 6409).
        "no-relay-after-auth" => cfg.relay_after_auth = false,
        other => return Err(format!("unknown # set: {other}")),
    }
    Ok(())
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

/// Replays one transcript; returns an error message on the first difference.
fn replay(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut host = "mail.example.com".to_string();
    let mut port = 25u16;
    let mut client = World::learner();
    let mut settings = Vec::new();
    let mut vary: Vec<String> = Vec::new();
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("# vary: ") {
            vary.extend(rest.split_whitespace().map(String::from));
        }
        if let Some(rest) = l.strip_prefix("# connect: ") {
            let mut w = rest.split_whitespace();
            host = w.next().unwrap_or("").to_string();
            port = w.next().and_then(|p| p.parse().ok()).ok_or("bad # connect: line")?;
        } else if let Some(rest) = l.strip_prefix("# client: ") {
            let mut w = rest.split_whitespace();
            let (Some(name), Some(ip)) = (w.next(), w.next()) else { return Err("bad # client: line".into()) };
            client = Peer::new((name != "unknown").then_some(name), ip);
        } else if let Some(rest) = l.strip_prefix("# set: ") {
            settings.push(rest.trim().to_string());
        }
    }
    let mut world = World::new(7);
    for s in &settings {
        apply_setting(&mut world, &host, port, s)?;
    }
    let (mut conn, greeting) =
        world.connect_from(client, &host, port).map_err(|e| format!("connect {host}:{port}: {e:?}"))?;
    // `# greeting: unrecorded`: the source shows no greeting; don't compare it.
    let skip_greeting = text.lines().any(|l| l == "# greeting: unrecorded");
    let mut got: Vec<String> = if skip_greeting { Vec::new() } else { greeting.lines };
    let mut expected: Vec<String> = Vec::new();
    let mut batch: Vec<u8> = Vec::new();
    let mut sent: Vec<String> = Vec::new();
    let check = |got: &[String], expected: &[String], sent: &[String]| -> Result<(), String> {
        let g = normalise_vary(got, &vary);
        let e = normalise_vary(expected, &vary);
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
                got.extend(world.send(&mut conn, &std::mem::take(&mut batch)).lines);
            }
            deliver(&mut world, to.trim())?;
            got.extend(world.poll(&mut conn).lines);
            continue;
        }
        if let Some(c) = l.strip_prefix("C: ").or_else(|| (l == "C:").then_some("")) {
            if !expected.is_empty() {
                check(&got, &expected, &sent)?;
                got.clear();
                expected.clear();
                sent.clear();
            }
            batch.extend(client_bytes(c));
            sent.push(c.chars().take(60).collect());
        } else if let Some(s) = l.strip_prefix("S: ") {
            if !batch.is_empty() {
                let answer = world.send(&mut conn, &std::mem::take(&mut batch));
                got.extend(answer.lines);
            }
            expected.push(s.to_string());
        }
    }
    if !batch.is_empty() {
        got.extend(world.send(&mut conn, &batch).lines);
    }
    check(&got, &expected, &sent)
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    assert!(all.len() >= 12, "expected the recorded transcripts under {root:?}");
    let (mut passed, mut failures, mut pending) = (0, Vec::new(), Vec::new());
    for path in &all {
        let text = fs::read_to_string(path).unwrap_or_default();
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        if let Some(why) = text.lines().find_map(|l| l.strip_prefix("# pending: ")) {
            pending.push(format!("{name}: {why}"));
            continue;
        }
        match replay(path) {
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
