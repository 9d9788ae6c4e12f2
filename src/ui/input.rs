//! The terminal's input logic, free of the DOM so it is tested natively: a
//! paste split into the lines it enters, and the line's bound.

/// Most characters in the input line: Linux's canonical mode holds 4095 and the newline.
pub const MAX_INPUT: usize = 4095;

/// A string split at a position counted in UTF-16 units (the DOM's selection offsets).
fn split_utf16(s: &str, at: u32) -> (&str, &str) {
    let mut units = 0u32;
    for (i, c) in s.char_indices() {
        if units >= at {
            return (&s[..i], &s[i..]);
        }
        units += c.len_utf16() as u32;
    }
    (s, "")
}

/// Cuts a line to [`MAX_INPUT`] characters; `true` when it was cut.
fn bound(line: &mut String) -> bool {
    match line.char_indices().nth(MAX_INPUT) {
        Some((i, _)) => {
            line.truncate(i);
            true
        }
        None => false,
    }
}

/// What a paste of `text` into `value` (selection `start..end`) makes: the
/// complete lines to enter, in order, what stays in the input line, the
/// caret's position there (in UTF-16 units) and whether a line was cut.
pub fn paste(value: &str, start: u32, end: u32, text: &str) -> (Vec<String>, String, u32, bool) {
    let (before, _) = split_utf16(value, start);
    let (_, after) = split_utf16(value, end.max(start));
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut pieces: Vec<String> = text.split('\n').map(str::to_string).collect();
    if let Some(first) = pieces.first_mut() {
        first.insert_str(0, before);
    }
    let mut rest = pieces.pop().unwrap_or_default();
    let caret_text = rest.clone();
    rest.push_str(after);
    let mut cut = false;
    for l in pieces.iter_mut() {
        cut |= bound(l);
    }
    cut |= bound(&mut rest);
    let mut caret = caret_text;
    bound(&mut caret);
    let caret = caret.encode_utf16().count().min(rest.encode_utf16().count()) as u32;
    (pieces, rest, caret, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_of_lines_enters_each_and_keeps_the_last_to_edit() {
        let (lines, rest, caret, cut) = paste("", 0, 0, "HELO x\r\nMAIL FROM:<a@b>\nDATA");
        assert_eq!(lines, ["HELO x", "MAIL FROM:<a@b>"]);
        assert_eq!((rest.as_str(), caret, cut), ("DATA", 4, false));
    }

    #[test]
    fn a_paste_goes_where_the_caret_is_and_replaces_the_selection() {
        // "RCPT TO:<>" with the caret between < and >: the address goes in.
        let (lines, rest, caret, _) = paste("RCPT TO:<>", 9, 9, "bob@example.com");
        assert!(lines.is_empty());
        assert_eq!((rest.as_str(), caret), ("RCPT TO:<bob@example.com>", 24));
        let (lines, rest, _, _) = paste("MAIL FROM:<x>", 11, 12, "a@b>\nRCPT TO:<c@d");
        assert_eq!(lines, ["MAIL FROM:<a@b>"]);
        assert_eq!(rest, "RCPT TO:<c@d>");
        // Offsets are UTF-16 units, as the DOM counts them.
        let (_, rest, caret, _) = paste("é😀x", 3, 3, "y");
        assert_eq!((rest.as_str(), caret), ("é😀yx", 4));
    }

    #[test]
    fn lines_longer_than_canonical_mode_are_cut() {
        let long = "x".repeat(5000);
        let (lines, rest, caret, cut) = paste("", 0, 0, &format!("{long}\n{long}"));
        assert!(cut);
        assert_eq!(lines[0].len(), MAX_INPUT);
        assert_eq!((rest.len(), caret as usize), (MAX_INPUT, MAX_INPUT));
        let (_, _, _, cut) = paste("", 0, 0, &"x".repeat(MAX_INPUT));
        assert!(!cut, "exactly 4095 fits");
    }
}
