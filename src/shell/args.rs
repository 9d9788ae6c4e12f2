//! The shell's word splitting: what `bash` does to a command line before a
//! program sees its arguments (quotes and backslashes; no expansion).

/// Splits a command line into words as a shell does: spaces separate,
/// double or single quotes group, a backslash escapes the next character.
pub fn split_args(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, quote) {
            ('\\', _) => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                    any = true;
                }
            }
            ('"' | '\'', None) => {
                quote = Some(c);
                any = true;
            }
            (q, Some(open)) if q == open => quote = None,
            (c, None) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (c, _) => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_args(r#"swaks --header "Subject: Hi there" --body 'a b' x\ y"#),
            s(&["swaks", "--header", "Subject: Hi there", "--body", "a b", "x y"])
        );
        assert_eq!(split_args("  a   b "), s(&["a", "b"]));
        assert_eq!(split_args(r#"a "" b"#), s(&["a", "", "b"]));
        assert_eq!(split_args(r#"unclosed "quote here"#), s(&["unclosed", "quote here"]));
    }
}
