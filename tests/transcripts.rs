//! Runs every transcript under tests/transcripts/ against the engine.
//!
//! A transcript is the format of `shared/peers/transcripts`: `S: ` lines are
//! what the server sent, `C: ` lines what the client sent. Client lines are
//! sent in batches (everything up to the next `S:` line, which is how
//! pipelined commands were recorded), and the replies must equal the `S:`
//! lines that follow, except for queue ids, which change from run to run.
//! A `C:` line with `\r\n` escapes is sent as those raw bytes, without an
//! added line end. Header comments: `# connect: HOST PORT` chooses the
//! service; `# pending: why` marks a recording the engine cannot replay yet
//! (listed in the output, never counted as passing).

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

/// Replaces what changes from run to run (queue ids) by a placeholder.
fn normalise(line: &str) -> String {
    match line.find("queued as ") {
        Some(i) => format!("{}queued as <ID>", &line[..i]),
        None => line.to_string(),
    }
}

fn client_bytes(line: &str) -> Vec<u8> {
    if line.contains("\\r\\n") {
        line.replace("\\r", "\r").replace("\\n", "\n").into_bytes()
    } else {
        format!("{line}\r\n").into_bytes()
    }
}

/// Replays one transcript; returns an error message on the first difference.
fn replay(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut host = "mail.example.com".to_string();
    let mut port = 25u16;
    for l in text.lines() {
        if let Some(rest) = l.strip_prefix("# connect: ") {
            let mut w = rest.split_whitespace();
            host = w.next().unwrap_or("").to_string();
            port = w.next().and_then(|p| p.parse().ok()).ok_or("bad # connect: line")?;
        }
    }
    let mut world = World::new(7);
    let (mut conn, greeting) = world.connect(&host, port).map_err(|e| format!("connect {host}:{port}: {e:?}"))?;
    let mut got: Vec<String> = greeting.lines;
    let mut expected: Vec<String> = Vec::new();
    let mut batch: Vec<u8> = Vec::new();
    let mut sent: Vec<String> = Vec::new();
    let check = |got: &[String], expected: &[String], sent: &[String]| -> Result<(), String> {
        let g: Vec<String> = got.iter().map(|l| normalise(l)).collect();
        let e: Vec<String> = expected.iter().map(|l| normalise(l)).collect();
        if g != e {
            return Err(format!("after sending {sent:?}\n  expected: {e:#?}\n  got:      {g:#?}"));
        }
        Ok(())
    };
    for l in text.lines() {
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
