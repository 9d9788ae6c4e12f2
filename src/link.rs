//! mailsim's links: one format, in the URL's fragment (`#key=value&…`, so
//! nothing of it goes to any server), for deep links to the app's state —
//! a lesson and step, the language, a tab, a host and port to connect to,
//! fault switches — and for a transcript shared by link (compressed).
//!
//! | key | value | what it does |
//! |---|---|---|
//! | `lesson` | a lesson's `id` | opens that lesson |
//! | `step` | 1, 2, … | at that step (with `lesson`) |
//! | `lang` | `en`, `ru` | the interface and course language |
//! | `tab` | `lessons`, `help`, `reference`, `transcripts` | the side panel's tab |
//! | `host`, `port` | `mail.example.com`, `587` | connects the terminal there |
//! | `faults` | `greylisting,spam-filter` | switches faults on |
//! | `seed` | a number | the world's seed |
//! | `lesson-url` | an `http(s)://` or relative URL | opens the lesson file there |
//! | `scenario` | a scenario's text (docs/scenarios.md), packed as `t` is | sets the world up |
//! | `l` | a lesson file's text, packed as `t` is | opens that lesson (a teacher's own, shared) |
//! | `t` | a transcript, deflated and base64url-encoded | opens it in the explorer |
//! | `play` | `1` | with `t`: replays its client lines in the terminal instead |
//!
//! Parsing never fails as a whole: what is good is kept, each bad part is
//! reported ([`LinkError`]), unknown keys too (a newer link in an older app).

use crate::lang::Lang;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The longest fragment mailsim writes or reads: a link still fits in an
/// email or a chat message. Past it, share the file instead.
pub const MAX_FRAGMENT: usize = 8000;
/// The most a link's transcript may inflate to (a bound against zip bombs).
pub const MAX_TRANSCRIPT: usize = 2 << 20;

/// The side panel's tabs a link may name.
pub const TABS: [&str; 4] = ["lessons", "help", "reference", "transcripts"];

/// What a link says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub lesson: Option<String>,
    /// A lesson file to fetch and open (a teacher's own).
    pub lesson_url: Option<String>,
    /// 1-based.
    pub step: Option<usize>,
    pub lang: Option<Lang>,
    pub tab: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub faults: Vec<String>,
    pub seed: Option<u64>,
    /// A scenario's text (a world set-up).
    pub scenario: Option<String>,
    /// A lesson file's text.
    pub lesson_text: Option<String>,
    /// A transcript's text.
    pub transcript: Option<String>,
    /// Replay the transcript in the terminal rather than explore it.
    pub play: bool,
}

/// What could not be read of a link, or made into one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is {0} characters long; mailsim reads links up to {MAX_FRAGMENT}: share the file instead")]
    TooLong(usize),
    #[error("the link's {key} is not valid: {value:?}")]
    BadValue { key: String, value: String },
    #[error("the link's part {0:?} is unknown to this version of mailsim")]
    UnknownKey(String),
    #[error("the link's transcript cannot be read: it is damaged or cut short")]
    BadTranscript,
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `,`.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as forms write it); `None` for
/// a broken escape or text that is not UTF-8.
fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = value.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// A transcript's text for a link: raw DEFLATE (RFC 1951), then base64url
/// without padding (RFC 4648 §5).
pub fn pack(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The text of a packed transcript, bounded by [`MAX_TRANSCRIPT`].
pub fn unpack(packed: &str) -> Result<String, LinkError> {
    let deflated = URL_SAFE_NO_PAD.decode(packed.trim_end_matches('=')).map_err(|_| LinkError::BadTranscript)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_TRANSCRIPT)
        .map_err(|_| LinkError::BadTranscript)?;
    String::from_utf8(bytes).map_err(|_| LinkError::BadTranscript)
}

impl Link {
    /// Reads a fragment (with or without its `#`).
    pub fn parse(fragment: &str) -> (Link, Vec<LinkError>) {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut link = Link::default();
        let mut errors = Vec::new();
        if fragment.len() > MAX_FRAGMENT {
            errors.push(LinkError::TooLong(fragment.len()));
            return (link, errors);
        }
        for part in fragment.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = part.split_once('=').unwrap_or((part, ""));
            let Some(value) = decode(raw) else {
                errors.push(LinkError::BadValue { key: key.into(), value: raw.into() });
                continue;
            };
            if let Err(e) = link.set(key, &value) {
                errors.push(e);
            }
        }
        (link, errors)
    }

    /// Takes one key's (decoded) value, as [`Link::parse`] does for each
    /// part. A bad value changes nothing.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), LinkError> {
        let slot = match key {
            "scenario" => &mut self.scenario,
            "l" => &mut self.lesson_text,
            "t" => &mut self.transcript,
            _ => return self.set_plain(key, value),
        };
        *slot = Some(unpack(value)?);
        Ok(())
    }

    /// [`Link::set`] for the keys whose values are plain text (all but the
    /// packed `scenario`, `l` and `t`): the embedding options share it, and a
    /// build that needs no packed text carries no inflate.
    pub fn set_plain(&mut self, key: &str, value: &str) -> Result<(), LinkError> {
        let link = self;
        let value = value.to_string();
        let bad = || LinkError::BadValue { key: key.into(), value: value.clone() };
        let ok = match key {
            "lesson" => ok_if(&mut link.lesson, Some(value.clone()).filter(|v| is_name(v))),
            "lesson-url" => ok_if(&mut link.lesson_url, Some(value.clone()).filter(|v| is_fetchable(v))),
            "step" => ok_if(&mut link.step, value.parse().ok().filter(|n| *n >= 1)),
            "lang" => ok_if(&mut link.lang, Lang::from_code(&value).filter(|l| l.code() == value)),
            "tab" => ok_if(&mut link.tab, TABS.contains(&value.as_str()).then(|| value.clone())),
            "host" => ok_if(&mut link.host, Some(value.to_ascii_lowercase()).filter(|v| is_host(v))),
            "port" => ok_if(&mut link.port, value.parse().ok().filter(|p| *p > 0)),
            "seed" => ok_if(&mut link.seed, value.parse().ok()),
            "faults" => {
                let names: Vec<String> = value.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect();
                let good = names.iter().all(|n| is_name(n));
                if good {
                    link.faults = names;
                }
                good
            }
            "play" => {
                link.play = value == "1";
                matches!(value.as_str(), "0" | "1")
            }
            _ => return Err(LinkError::UnknownKey(key.into())),
        };
        if ok {
            Ok(())
        } else {
            Err(bad())
        }
    }

    /// The fragment (without `#`), keys in a fixed order; [`LinkError::TooLong`]
    /// past [`MAX_FRAGMENT`].
    pub fn to_fragment(&self) -> Result<String, LinkError> {
        let mut parts: Vec<String> = Vec::new();
        let mut put = |k: &str, v: &str| parts.push(format!("{k}={}", encode(v)));
        if let Some(l) = &self.lesson {
            put("lesson", l);
        }
        if let Some(u) = &self.lesson_url {
            put("lesson-url", u);
        }
        if let Some(s) = self.step {
            put("step", &s.to_string());
        }
        if let Some(l) = self.lang {
            put("lang", l.code());
        }
        if let Some(t) = &self.tab {
            put("tab", t);
        }
        if let Some(h) = &self.host {
            put("host", h);
        }
        if let Some(p) = self.port {
            put("port", &p.to_string());
        }
        if !self.faults.is_empty() {
            put("faults", &self.faults.join(","));
        }
        if let Some(s) = self.seed {
            put("seed", &s.to_string());
        }
        if self.play {
            put("play", "1");
        }
        if let Some(sc) = &self.scenario {
            parts.push(format!("scenario={}", pack(sc)));
        }
        if let Some(l) = &self.lesson_text {
            parts.push(format!("l={}", pack(l)));
        }
        if let Some(t) = &self.transcript {
            // base64url needs no escaping.
            parts.push(format!("t={}", pack(t)));
        }
        let fragment = parts.join("&");
        if fragment.len() > MAX_FRAGMENT {
            return Err(LinkError::TooLong(fragment.len()));
        }
        Ok(fragment)
    }
}

/// Sets `slot` when `value` is `Some`; says whether it was.
fn ok_if<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let ok = value.is_some();
    if ok {
        *slot = value;
    }
    ok
}

/// A lesson id or fault name: letters, digits, `-` and `_`, at most 64.
fn is_name(v: &str) -> bool {
    !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A URL the page may fetch a lesson from: `http://`, `https://` or a
/// relative path (no other scheme: not `javascript:`, `data:`, `file:`),
/// without spaces or control characters, at most 2,048 characters.
fn is_fetchable(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/'));
    !v.is_empty()
        && v.len() <= 2048
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(scheme, None | Some("http" | "https"))
}

/// A host name or an IPv4 address (RFC 1123 §2.1 letters, digits, `-`, `.`).
fn is_host(v: &str) -> bool {
    !v.is_empty() && v.len() <= 253 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deep_link_reads_and_writes_back() {
        let (l, errors) = Link::parse("#lesson=retries&step=2&lang=ru&tab=lessons&host=mail.example.com&port=587&faults=greylisting,spam-filter&seed=7");
        assert_eq!(errors, []);
        assert_eq!(l.lesson.as_deref(), Some("retries"));
        assert_eq!((l.step, l.lang, l.port, l.seed), (Some(2), Some(Lang::Ru), Some(587), Some(7)));
        assert_eq!(l.faults, ["greylisting", "spam-filter"]);
        assert_eq!(l.host.as_deref(), Some("mail.example.com"));
        let again = Link::parse(&l.to_fragment().expect("fits")).0;
        assert_eq!(again, l);
    }

    #[test]
    fn a_transcript_travels_compressed() {
        let text = "S: 220 mail.example.com ESMTP Postfix\nC: EHLO x\nS: 250 mail.example.com\n".repeat(20);
        let l = Link {
            transcript: Some(text.clone()),
            scenario: Some("user: eve@example.com evepw\n".into()),
            lesson_text: Some("---\nid: x\n---\n".into()),
            play: true,
            ..Link::default()
        };
        let f = l.to_fragment().expect("fits");
        assert!(f.len() < text.len() / 4, "{} characters for {}", f.len(), text.len());
        assert!(f.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=&".contains(&b)), "{f}");
        let (back, errors) = Link::parse(&f);
        assert_eq!(errors, []);
        assert_eq!(back.transcript.as_deref(), Some(text.as_str()));
        assert_eq!(back.scenario.as_deref(), Some("user: eve@example.com evepw\n"));
        assert_eq!(back.lesson_text.as_deref(), Some("---\nid: x\n---\n"));
        assert!(back.play);
    }

    #[test]
    fn too_long_links_are_refused_with_a_clear_message() {
        // Text that does not compress: a pseudo-random walk.
        let mut x: u32 = 1;
        let noise: String = (0..20_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from(b'!' + ((x >> 16) % 90) as u8)
            })
            .collect();
        let err = Link { transcript: Some(noise), ..Link::default() }.to_fragment().expect_err("too long");
        assert!(matches!(err, LinkError::TooLong(n) if n > MAX_FRAGMENT));
        assert!(err.to_string().contains("share the file instead"), "{err}");
        let (l, errors) = Link::parse(&"a".repeat(MAX_FRAGMENT + 1));
        assert_eq!(l, Link::default());
        assert!(matches!(errors[..], [LinkError::TooLong(_)]));
    }

    #[test]
    fn bad_parts_are_reported_and_the_rest_kept() {
        let (l, errors) =
            Link::parse("lang=xx&step=0&port=99999&tab=%3Cscript%3E&lesson=a%20b&host=<b>&t=!!!&zzz=1&faults=a;b&%ZZ");
        assert_eq!(l, Link::default());
        assert_eq!(errors.len(), 10, "{errors:#?}");
        assert!(errors.contains(&LinkError::UnknownKey("zzz".into())));
        assert!(errors.contains(&LinkError::BadTranscript));
        let (l, errors) = Link::parse("lang=ru&step=x");
        assert_eq!(l.lang, Some(Lang::Ru));
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn lesson_urls_are_http_or_relative_only() {
        for good in ["https://example.org/my-lesson.md", "lessons/extra.md", "/x.md?v=2", "http://127.0.0.1:8080/a.md"]
        {
            let l = Link { lesson_url: Some(good.into()), ..Link::default() };
            let (back, errors) = Link::parse(&l.to_fragment().expect("fits"));
            assert_eq!((back.lesson_url.as_deref(), errors), (Some(good), vec![]), "{good}");
        }
        for bad in
            ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/plain,x", "file:///etc/passwd", "a b.md", ""]
        {
            let (l, errors) = Link::parse(&format!("lesson-url={}", encode(bad)));
            assert_eq!(l.lesson_url, None, "{bad}");
            assert_eq!(errors.len(), 1, "{bad}");
        }
    }

    #[test]
    fn a_deflate_bomb_is_bounded() {
        let bomb = "A".repeat(MAX_TRANSCRIPT + 10);
        let packed = pack(&bomb);
        assert!(packed.len() < MAX_FRAGMENT, "{}", packed.len());
        assert_eq!(unpack(&packed), Err(LinkError::BadTranscript));
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u64 = 42;
        for n in 0..2000 {
            let s: String = (0..(n % 97))
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    b"=&%#t9aZ-_,+lesonstepX"[(x >> 59) as usize % 22] as char
                })
                .collect();
            let _ = Link::parse(&s);
        }
    }
}
