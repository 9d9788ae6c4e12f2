//! Command framing (RFC 3501 §2.2, §4.3; RFC 7888 LITERAL+): the bytes of
//! the connection become whole commands, literals inside, before any command
//! is read. A fragmentizer, apart from the handlers.
//!
//! The framer does not look for literals itself: the parser says when the
//! command so far ends with one whose octets are still to come
//! ([`Fail::NeedLiteral`](super::parser::Fail)), so that a command refused
//! before its literal (a bad flag, an unknown mailbox) never gets a `+ OK`,
//! as in Dovecot. The framer then takes the octets, line breaks included.
//! A line longer than the limit is refused whole and the rest of it skipped.

use crate::codec::{Line, LineCodec, LineEnd};

/// What the framer hands to the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Frame {
    /// A complete command: its lines and literals in wire form, without the final CRLF.
    Command(Vec<u8>),
    /// A line over the limit was dropped (Dovecot goes on with the next one).
    TooLong,
}

/// A literal announced larger than the limit; the command is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooLarge;

/// Line and literal assembly for one connection.
#[derive(Debug, Clone)]
pub(super) struct Framer {
    codec: LineCodec,
    /// The command assembled so far (lines and literals, wire form).
    buf: Vec<u8>,
    /// Octets of a literal still to come.
    literal: Option<u64>,
    /// A line too long: the rest of it is skipped.
    skipping: bool,
    /// Longest command line, literals excluded.
    max_line: usize,
}

impl Framer {
    pub(super) fn new(max_line: usize) -> Self {
        Self { codec: LineCodec::new(max_line + 2), buf: Vec::new(), literal: None, skipping: false, max_line }
    }

    /// Splits input into pieces (lines, or parts of an over-long one); each
    /// goes to [`Framer::piece`] in order. Pieces do not depend on how the
    /// input was chunked.
    pub(super) fn split(&mut self, input: &[u8]) -> Vec<Line> {
        self.codec.feed(input)
    }

    /// Takes one piece: literal octets first, then (part of) a command line.
    /// A piece ends at most one line, so it completes at most one frame.
    pub(super) fn piece(&mut self, line: Line) -> Option<Frame> {
        let mut whole = line.bytes;
        match line.end {
            LineEnd::CrLf => whole.extend_from_slice(b"\r\n"),
            LineEnd::Lf => whole.push(b'\n'),
            LineEnd::Continued => {}
        }
        let mut rest: &[u8] = &whole;
        while let Some(need) = self.literal {
            let take = usize::try_from(need).unwrap_or(usize::MAX).min(rest.len());
            self.buf.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            let left = need - take as u64;
            self.literal = (left > 0).then_some(left);
            if rest.is_empty() {
                return None;
            }
        }
        let (text, complete) = match rest.strip_suffix(b"\r\n").or_else(|| rest.strip_suffix(b"\n")) {
            Some(t) => (t, true),
            None => (rest, false),
        };
        if self.skipping {
            self.skipping = !complete;
            self.buf.clear();
            return None;
        }
        if self.buf.len() + text.len() > self.max_line {
            // Dovecot: the line is refused whole; the session goes on.
            self.buf.clear();
            self.skipping = !complete;
            return Some(Frame::TooLong);
        }
        self.buf.extend_from_slice(text);
        complete.then(|| Frame::Command(std::mem::take(&mut self.buf)))
    }

    /// The command so far (`cmd`) ends with a literal of `size` octets
    /// (`plus`: non-synchronising, RFC 7888): its octets and the rest of the
    /// command are awaited. Returns the continuation to send, `+ OK` for a
    /// synchronising literal (RFC 3501 §7.5), or [`TooLarge`] over `max`.
    pub(super) fn await_literal(
        &mut self,
        cmd: Vec<u8>,
        size: u64,
        plus: bool,
        max: u64,
    ) -> Result<Option<&'static str>, TooLarge> {
        if size > max {
            return Err(TooLarge);
        }
        self.buf = cmd;
        self.buf.extend_from_slice(b"\r\n");
        self.literal = (size > 0).then_some(size);
        Ok((!plus).then_some("+ OK"))
    }

    /// A refused command's non-synchronising literal of `size` octets is on its way (RFC 7888
    /// §4): its octets and the rest of its line are dropped, not read as commands
    /// (imap/append-store-more.txt: `APPEND Nowhere (\Seen) {3+}`).
    pub(super) fn skip_literal(&mut self, size: u64) {
        self.buf.clear();
        self.literal = (size > 0).then_some(size);
        self.skipping = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imap::parser::trailing_literal;

    /// Runs the framer the way the session does, with a stand-in parser that
    /// asks for a literal whenever a command ends with one.
    fn run(chunks: &[&[u8]], max_line: usize) -> Vec<String> {
        let mut f = Framer::new(max_line);
        let mut got = Vec::new();
        for chunk in chunks {
            for piece in f.split(chunk) {
                match f.piece(piece) {
                    Some(Frame::Command(cmd)) => match trailing_literal(&cmd) {
                        Some((size, plus)) => match f.await_literal(cmd, size, plus, 100) {
                            Ok(Some(cont)) => got.push(cont.to_string()),
                            Ok(None) => {}
                            Err(TooLarge) => got.push("too large".into()),
                        },
                        None => got.push(String::from_utf8_lossy(&cmd).into_owned()),
                    },
                    Some(Frame::TooLong) => got.push("too long".into()),
                    None => {}
                }
            }
        }
        got
    }

    const INPUT: &[u8] = b"a LOGIN {5}\r\nalice pw\r\nb APPEND INBOX {7+}\r\na\r\nb\r\nc\r\nc NOOP\n\
        d X {0}\r\n\r\ne X {999}\r\nf NOOP\r\ng SELECT {5}\r\nINBOX {3}\r\nx\ny\r\n";

    #[test]
    fn literals_lines_and_refusals() {
        let got = run(&[INPUT], 64);
        assert_eq!(
            got,
            [
                "+ OK",
                "a LOGIN {5}\r\nalice pw",
                "b APPEND INBOX {7+}\r\na\r\nb\r\nc",
                "c NOOP",
                "+ OK",
                "d X {0}\r\n",
                "too large",
                "f NOOP",
                "+ OK",
                "+ OK",
                "g SELECT {5}\r\nINBOX {3}\r\nx\ny",
            ]
        );
        let long = [&b"x NOOP "[..], &[b'a'; 100], b"\r\ny NOOP\r\n"].concat();
        assert_eq!(run(&[&long], 64), ["too long", "y NOOP"]);
    }

    #[test]
    fn byte_by_byte_gives_the_same_frames_as_all_at_once() {
        let long = [&b"x NOOP "[..], &[b'a'; 200], b"\r\n", INPUT, &[b'b'; 70], b"\nz NOOP\r\n"].concat();
        for input in [INPUT, &long] {
            let whole = run(&[input], 64);
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            assert_eq!(run(&bytes, 64), whole);
            let threes: Vec<&[u8]> = input.chunks(3).collect();
            assert_eq!(run(&threes, 64), whole);
        }
    }
}
