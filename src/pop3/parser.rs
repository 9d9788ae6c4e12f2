//! POP3 command syntax (RFC 1939 §3): a keyword, then arguments separated by
//! single spaces. Parsed the way Dovecot 2.3 parses it, so that every error
//! text is the one a learner meets on a real server:
//! - the line ends at a NUL byte (Dovecot handles lines as C strings);
//! - the keyword is case-insensitive and spaces before the arguments are skipped;
//! - a message number is a run of digits read as a 64-bit number, then
//!   checked against 32 bits; what follows it must be nothing (or a space,
//!   for `TOP`), else it is "noise".

/// Why a POP3 command was refused: each variant's text is Dovecot 2.3's,
/// sent after `-ERR ` (RFC 1939 §3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Pop3Error {
    #[error("Invalid message number: {0}")]
    InvalidMessageNumber(String),
    #[error("Message number too large: {0}")]
    MessageNumberTooLarge(String),
    #[error("Noise after message number: {0}")]
    NoiseAfterMessageNumber(String),
    #[error("Invalid size: {0}")]
    InvalidSize(String),
    #[error("Size too large: {0}")]
    SizeTooLarge(String),
    #[error("Noise after size: {0}")]
    NoiseAfterSize(String),
    #[error("There's no message {0}.")]
    NoSuchMessage(u64),
    #[error("Message is deleted.")]
    MessageDeleted,
    /// An empty command line.
    #[error("Unknown command.")]
    EmptyCommand,
    #[error("Unknown command: {0}")]
    UnknownCommand(String),
}

/// A command line split into its upper-cased keyword and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub verb: String,
    pub args: String,
}

/// Splits a command line. Invalid UTF-8 is replaced (U+FFFD), never a panic.
pub fn parse_command(line: &[u8]) -> Command {
    let line = line.split(|&b| b == 0).next().unwrap_or_default();
    let text = String::from_utf8_lossy(line);
    let (verb, args) = text.split_once(' ').unwrap_or((&text, ""));
    Command { verb: verb.to_ascii_uppercase(), args: args.trim_start_matches(' ').to_string() }
}

/// Splits off the leading ASCII digits of `s`.
fn digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// Reads a message number (RFC 1939 §3: "msg"). `then_space` is set for
/// `TOP`, whose number must be followed by a space and more. On success,
/// returns the number and the rest after the spaces that follow it; on
/// failure, the `-ERR` text.
pub fn message_number(args: &str, then_space: bool) -> Result<(u64, &str), Pop3Error> {
    let (num, rest) = digits(args);
    if num.is_empty() {
        return Err(Pop3Error::InvalidMessageNumber(args.into()));
    }
    let Ok(n) = num.parse::<u64>() else {
        return Err(Pop3Error::MessageNumberTooLarge(args.into()));
    };
    if n > u64::from(u32::MAX) {
        return Err(Pop3Error::MessageNumberTooLarge(rest.into()));
    }
    let noisy = if then_space { !rest.starts_with(' ') } else { !rest.is_empty() };
    if noisy {
        return Err(Pop3Error::NoiseAfterMessageNumber(rest.into()));
    }
    Ok((n, rest.trim_start_matches(' ')))
}

/// Reads the line count of `TOP msg n` (RFC 1939 §7).
pub fn line_count(args: &str) -> Result<u64, Pop3Error> {
    let (num, rest) = digits(args);
    if num.is_empty() {
        return Err(Pop3Error::InvalidSize(args.into()));
    }
    let Ok(n) = num.parse::<u64>() else {
        return Err(Pop3Error::SizeTooLarge(args.into()));
    };
    if !rest.is_empty() {
        return Err(Pop3Error::NoiseAfterSize(rest.into()));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_split_like_dovecot() {
        assert_eq!(parse_command(b"list  1"), Command { verb: "LIST".into(), args: "1".into() });
        assert_eq!(parse_command(b"USER bob extra"), Command { verb: "USER".into(), args: "bob extra".into() });
        // weird-input.txt: `LI\0ST` is `LI`, `RETR 1\0` is `RETR 1`.
        assert_eq!(parse_command(b"LI\0ST").verb, "LI");
        assert_eq!(parse_command(b"RETR 1\0").args, "1");
        assert_eq!(parse_command(b"").verb, "");
        assert_eq!(parse_command(b"LIST \xff").args, "\u{fffd}");
    }

    /// The results as the session sends them (the error's text).
    fn msg(args: &str, then_space: bool) -> Result<(u64, &str), String> {
        message_number(args, then_space).map_err(|e| e.to_string())
    }

    fn lines(args: &str) -> Result<u64, String> {
        line_count(args).map_err(|e| e.to_string())
    }

    // Expected texts: tests/transcripts/pop3/{wrong-state,args,args2,args3}.txt.
    #[test]
    fn message_numbers_and_their_errors() {
        assert_eq!(msg("2", false), Ok((2, "")));
        assert_eq!(msg("abc", false), Err("Invalid message number: abc".to_string()));
        assert_eq!(msg("", false), Err("Invalid message number: ".to_string()));
        assert_eq!(msg("-1", false), Err("Invalid message number: -1".to_string()));
        assert_eq!(
            msg("99999999999999999999", false),
            Err("Message number too large: 99999999999999999999".to_string())
        );
        assert_eq!(msg("18446744073709551615", false), Err("Message number too large: ".to_string()));
        assert_eq!(msg("4294967296x", false), Err("Message number too large: x".to_string()));
        assert_eq!(msg("1 2", false), Err("Noise after message number:  2".to_string()));
        assert_eq!(msg("1x", false), Err("Noise after message number: x".to_string()));
        assert_eq!(msg("1", true), Err("Noise after message number: ".to_string()));
        assert_eq!(msg("1  0", true), Ok((1, "0")));
        assert_eq!(msg("0", false), Ok((0, "")), "range is checked by the session");
    }

    #[test]
    fn line_counts_and_their_errors() {
        assert_eq!(lines("0"), Ok(0));
        assert_eq!(lines("-1"), Err("Invalid size: -1".to_string()));
        assert_eq!(lines("x y"), Err("Invalid size: x y".to_string()));
        assert_eq!(lines("99999999999999999999"), Err("Size too large: 99999999999999999999".to_string()));
        assert_eq!(lines("0 x"), Err("Noise after size:  x".to_string()));
        assert_eq!(lines("18446744073709551615"), Ok(u64::MAX));
    }
}
