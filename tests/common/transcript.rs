//! Reading the recorded transcripts under tests/transcripts/ (the format is
//! described in tests/transcripts.rs), and cutting client input into chunks
//! the way TCP may deliver it. Shared by tests/transcripts.rs and
//! tests/split_invariance.rs; included with `#[path]`, so the other tests'
//! `mod common` does not carry it.
#![allow(dead_code)]

use mailsim::smtp::Peer;
use mailsim::world::{Answer, Connection, World};
use std::fs;
use std::path::{Path, PathBuf};

/// tests/transcripts/.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        // formats/ holds other tools' raw output, the inputs of `mailsim explain`, not replays.
        if p.is_dir() && p.file_name().is_some_and(|n| n != "formats") {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

/// Every transcript file under `dir`, sorted.
pub fn all(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    files(dir, &mut out);
    out.sort();
    out
}

/// The bytes a `C:` line stands for. A line ending in a `\n` escape was sent
/// raw by record.py's `!raw`: `\r`, `\n` and `\xHH` escapes are decoded and
/// no line end is added.
pub fn client_bytes(line: &str) -> Vec<u8> {
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

/// The `C: ` line's text, if `l` is one (`C:` alone is an empty line).
pub fn client_line(l: &str) -> Option<&str> {
    l.strip_prefix("C: ").or_else(|| (l == "C:").then_some(""))
}

/// What a transcript's `# ` header lines say.
#[derive(Debug, Clone)]
pub struct Header {
    pub host: String,
    pub port: u16,
    /// Who connects (`# client:`); the learner's machine by default.
    pub client: Peer,
    /// `# set:` lines, in order.
    pub settings: Vec<String>,
    /// `# vary:` words.
    pub vary: Vec<String>,
    /// `# pending: why`.
    pub pending: Option<String>,
    /// `# greeting: unrecorded`.
    pub greeting_unrecorded: bool,
}

impl Header {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut h = Header {
            host: "mail.example.com".to_string(),
            port: 25,
            client: World::learner(),
            settings: Vec::new(),
            vary: Vec::new(),
            pending: None,
            greeting_unrecorded: false,
        };
        for l in text.lines() {
            if let Some(rest) = l.strip_prefix("# vary: ") {
                h.vary.extend(rest.split_whitespace().map(String::from));
            } else if let Some(rest) = l.strip_prefix("# connect: ") {
                let mut w = rest.split_whitespace();
                h.host = w.next().unwrap_or("").to_string();
                h.port = w.next().and_then(|p| p.parse().ok()).ok_or("bad # connect: line")?;
            } else if let Some(rest) = l.strip_prefix("# client: ") {
                let mut w = rest.split_whitespace();
                let (Some(name), Some(ip)) = (w.next(), w.next()) else { return Err("bad # client: line".into()) };
                h.client = Peer::new((name != "unknown").then_some(name), ip);
            } else if let Some(rest) = l.strip_prefix("# set: ") {
                h.settings.push(rest.trim().to_string());
            } else if let Some(why) = l.strip_prefix("# pending: ") {
                h.pending = Some(why.to_string());
            } else if l == "# greeting: unrecorded" {
                h.greeting_unrecorded = true;
            }
        }
        Ok(h)
    }

    /// The default world (seed 7, as the replay uses) with this transcript's settings.
    pub fn world(&self) -> Result<World, String> {
        let mut world = World::new(7);
        for s in &self.settings {
            apply_setting(&mut world, &self.host, self.port, s)?;
        }
        Ok(world)
    }
}

/// Settings of a recorded server that differ from the default world.
pub fn apply_setting(world: &mut World, host: &str, port: u16, setting: &str) -> Result<(), String> {
    if let Some(t) = setting.strip_prefix("clock=") {
        // The simulated time of the recording (banners with dates).
        world.set_now(t.parse().map_err(|_| format!("bad clock {t}"))?);
        return Ok(());
    }
    world.smtp_config_mut(host, port).ok_or(format!("no SMTP service on {host}:{port}"))?;
    // No setting is needed today: `no-relay-after-auth` modelled an old
    // set-up of the peers that refused relaying after AUTH, which stock
    // Postfix (and the corrected peers) allow; its transcripts were re-recorded.
    Err(format!("unknown # set: {setting}"))
}

/// Everything the client sends in a transcript, in order, as one stream
/// (`# world:` steps are left out).
pub fn client_stream(text: &str) -> Vec<u8> {
    text.lines().filter_map(client_line).flat_map(client_bytes).collect()
}

/// A small seeded generator (SplitMix64): the same seed cuts the same way on
/// every machine, without a dependency.
#[derive(Debug, Clone)]
pub struct Cutter(u64);

impl Cutter {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Cuts `bytes` into chunks: single octets (a CR apart from its LF), a
    /// few octets, a line's worth, or everything left, in a seeded mix.
    pub fn cut<'a>(&mut self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let len = rest.len() as u64;
            let n = match self.below(4) {
                0 => 1,
                1 => 2 + self.below(7),
                2 => 9 + self.below(56),
                _ => 1 + self.below(len),
            }
            .min(len) as usize;
            let (a, b) = rest.split_at(n);
            out.push(a);
            rest = b;
        }
        out
    }
}

/// Sends `bytes` over `conn`, whole (`cutter` is `None`) or cut into chunks,
/// and joins the answers: the lines in order, closed if any chunk closed it.
pub fn send(world: &mut World, conn: &mut Connection, bytes: &[u8], cutter: Option<&mut Cutter>) -> Answer {
    let Some(cutter) = cutter else { return world.send(conn, bytes) };
    let mut all = Answer::default();
    for chunk in cutter.cut(bytes) {
        let a = world.send(conn, chunk);
        all.lines.extend(a.lines);
        all.closed |= a.closed;
    }
    all
}
