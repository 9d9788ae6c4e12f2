//! Line framing shared by every protocol (SMTP now; POP3, IMAP and LMTP reuse it).
//!
//! Mail protocols are line based: RFC 5321 §2.3.8 ends every line with CRLF.
//! Real servers are lenient (Postfix takes a bare LF as a line end), and the
//! browser terminal and `--stdio` mode send LF, so this codec ends a line at
//! LF, strips one CR before it, and says which ending it saw.
//!
//! Memory is bounded: the codec never holds more than `max_line` bytes (plus
//! one CR). A longer line comes out in pieces marked [`LineEnd::Continued`];
//! the protocol decides what to do with them. An SMTP server cuts a long
//! command line and skips the rest (as Postfix does beyond its
//! `line_length_limit` of 2048), but keeps every byte of message text.

/// How a framed piece of input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// The line ended with CRLF, as the RFCs require.
    CrLf,
    /// The line ended with a bare LF (RFC 5321 §2.3.8 does not allow it; many
    /// servers accept it anyway).
    Lf,
    /// The line is longer than the codec's limit: this is a piece of it, and
    /// more of the same line follows.
    Continued,
}

/// One framed piece of input, without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub bytes: Vec<u8>,
    pub end: LineEnd,
}

impl Line {
    /// The line as text; invalid UTF-8 is replaced, never a panic.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// True when this piece ends a line (it is not [`LineEnd::Continued`]).
    pub fn is_complete(&self) -> bool {
        self.end != LineEnd::Continued
    }
}

/// An incremental, bounded line splitter: feed bytes as they arrive, take lines out.
#[derive(Debug, Clone)]
pub struct LineCodec {
    buf: Vec<u8>,
    max_line: usize,
}

impl LineCodec {
    /// A codec that hands out pieces of at most `max_line` bytes (at least 2).
    pub fn new(max_line: usize) -> Self {
        Self { buf: Vec::new(), max_line: max_line.max(2) }
    }

    /// The longest piece handed out, in bytes.
    pub fn max_line(&self) -> usize {
        self.max_line
    }

    /// Bytes of an unfinished line held back, waiting for more input.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Splits `input` into lines. Bytes after the last LF are kept for the
    /// next call; a line that outgrows the limit is handed out in pieces.
    pub fn feed(&mut self, input: &[u8]) -> Vec<Line> {
        let mut lines = Vec::new();
        for &b in input {
            if b == b'\n' {
                let end = if self.buf.last() == Some(&b'\r') {
                    self.buf.pop();
                    LineEnd::CrLf
                } else {
                    LineEnd::Lf
                };
                lines.push(Line { bytes: std::mem::take(&mut self.buf), end });
                continue;
            }
            let room_for_cr = b == b'\r' && self.buf.len() == self.max_line;
            if self.buf.len() >= self.max_line && !room_for_cr {
                // Hand out what we have; a trailing CR stays, in case an LF follows.
                let keep_cr = self.buf.last() == Some(&b'\r');
                if keep_cr {
                    self.buf.pop();
                }
                lines.push(Line { bytes: std::mem::take(&mut self.buf), end: LineEnd::Continued });
                if keep_cr {
                    self.buf.push(b'\r');
                }
            }
            self.buf.push(b);
        }
        lines
    }

    /// Takes whatever partial line is buffered, for input that ends without a
    /// final line ending. It is reported as ending in a bare LF.
    pub fn take_partial(&mut self) -> Option<Line> {
        if self.buf.is_empty() {
            return None;
        }
        Some(Line { bytes: std::mem::take(&mut self.buf), end: LineEnd::Lf })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_crlf_and_lf_and_keeps_partial() {
        let mut c = LineCodec::new(100);
        let lines = c.feed(b"HELO a\r\nNOOP\nQU");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], Line { bytes: b"HELO a".to_vec(), end: LineEnd::CrLf });
        assert_eq!(lines[1], Line { bytes: b"NOOP".to_vec(), end: LineEnd::Lf });
        assert_eq!(c.pending(), 2);
        let lines = c.feed(b"IT\r\n");
        assert_eq!(lines[0].bytes, b"QUIT");
    }

    #[test]
    fn long_lines_come_out_in_bounded_pieces_and_nothing_is_lost() {
        let mut c = LineCodec::new(8);
        let mut input = vec![b'x'; 1000];
        input.extend_from_slice(b"\r\nNOOP\r\n");
        let lines = c.feed(&input);
        assert!(lines.iter().all(|l| l.bytes.len() <= 8));
        let total: usize = lines.iter().take_while(|l| !l.is_complete()).map(|l| l.bytes.len()).sum();
        let last_piece = lines.iter().find(|l| l.is_complete()).map(|l| l.bytes.len()).unwrap_or(0);
        assert_eq!(total + last_piece, 1000);
        assert_eq!(lines.last().map(|l| l.bytes.as_slice()), Some(&b"NOOP"[..]));
        assert_eq!(c.pending(), 0);
    }

    #[test]
    fn crlf_split_at_the_limit_is_still_crlf() {
        let mut c = LineCodec::new(4);
        let lines = c.feed(b"abcd\r\n");
        assert_eq!(lines, vec![Line { bytes: b"abcd".to_vec(), end: LineEnd::CrLf }]);
        let lines = c.feed(b"abcd\rx\r\n");
        assert_eq!(lines[0], Line { bytes: b"abcd".to_vec(), end: LineEnd::Continued });
        assert_eq!(lines[1], Line { bytes: b"\rx".to_vec(), end: LineEnd::CrLf });
    }

    #[test]
    fn cr_inside_a_line_is_kept() {
        let mut c = LineCodec::new(100);
        let lines = c.feed(b"a\rb\r\n");
        assert_eq!(lines[0].bytes, b"a\rb");
    }

    #[test]
    fn partial_line_can_be_taken_at_end_of_input() {
        let mut c = LineCodec::new(100);
        c.feed(b"QUIT");
        assert_eq!(c.take_partial().map(|l| l.bytes), Some(b"QUIT".to_vec()));
        assert_eq!(c.take_partial(), None);
    }
}
