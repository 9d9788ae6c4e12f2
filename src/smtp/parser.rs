//! SMTP command syntax (RFC 5321 §4.1), parsed with nom.
//!
//! Parsing is split in two, as real servers do it: the verb is read first
//! (case-insensitive, §2.4), and the arguments are parsed only after the state
//! checks, so `RCPT` with no argument before `MAIL` is "need MAIL command", as on
//! Postfix, not a syntax error. The path parser is as tolerant as Postfix:
//! missing angle brackets, spaces after the colon and a stray `>` are accepted;
//! an opening `<` without its `>` is not (tests/transcripts/smtp/smtp-paths.txt).

use nom::bytes::complete::{tag_no_case, take_till, take_while};
use nom::character::complete::space0;
use nom::{IResult, Parser};
use serde::{Deserialize, Serialize};

/// The command verbs of RFC 5321 §4.1, the RFC 821 table and the extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verb {
    Helo,
    Ehlo,
    /// RFC 2033 §4.1: LMTP's greeting command.
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    /// RFC 821 SEND, SOML, SAML: obsolete.
    Send,
    Soml,
    Saml,
    /// RFC 821 TURN: obsolete and insecure (RFC 2821 §4.1.1 removed it).
    Turn,
    /// RFC 1985.
    Etrn,
    /// RFC 3207.
    StartTls,
    /// RFC 4954.
    Auth,
    /// RFC 3030.
    Bdat,
    /// Postfix's commands for trusted proxies and content filters
    /// (XCLIENT_README, XFORWARD_README); not an RFC.
    Xclient,
    Xforward,
    /// Anything else, as typed (upper-cased).
    Unknown(String),
}

impl Verb {
    fn from_word(w: &str) -> Verb {
        match w.to_ascii_uppercase().as_str() {
            "HELO" => Verb::Helo,
            "EHLO" => Verb::Ehlo,
            "LHLO" => Verb::Lhlo,
            "MAIL" => Verb::Mail,
            "RCPT" => Verb::Rcpt,
            "DATA" => Verb::Data,
            "RSET" => Verb::Rset,
            "NOOP" => Verb::Noop,
            "QUIT" => Verb::Quit,
            "VRFY" => Verb::Vrfy,
            "EXPN" => Verb::Expn,
            "HELP" => Verb::Help,
            "SEND" => Verb::Send,
            "SOML" => Verb::Soml,
            "SAML" => Verb::Saml,
            "TURN" => Verb::Turn,
            "ETRN" => Verb::Etrn,
            "STARTTLS" => Verb::StartTls,
            "AUTH" => Verb::Auth,
            "BDAT" => Verb::Bdat,
            "XCLIENT" => Verb::Xclient,
            "XFORWARD" => Verb::Xforward,
            other => Verb::Unknown(other.to_string()),
        }
    }
}

/// A command line split into its verb and the (unparsed) rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub verb: Verb,
    /// The arguments with leading and trailing white space removed.
    pub args: String,
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn verb_and_rest(input: &str) -> IResult<&str, &str> {
    let (rest, (_, verb, _)) = (space0, take_till(is_space), space0).parse(input)?;
    Ok((rest, verb))
}

/// Splits a command line into verb and arguments. `None` for an empty line.
pub fn parse_command(line: &str) -> Option<CommandLine> {
    let (rest, verb) = verb_and_rest(line).ok()?;
    if verb.is_empty() {
        return None;
    }
    Some(CommandLine { verb: Verb::from_word(verb), args: rest.trim_matches(is_space).to_string() })
}

/// An ESMTP parameter of MAIL or RCPT (`SIZE=1000`, `SMTPUTF8`), RFC 5321 §4.1.2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// The keyword, upper-cased.
    pub keyword: String,
    pub value: Option<String>,
    /// The parameter as the client typed it (replies quote it so).
    #[serde(default)]
    pub raw: String,
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            _ if !self.raw.is_empty() => f.write_str(&self.raw),
            Some(v) => write!(f, "{}={}", self.keyword, v),
            None => f.write_str(&self.keyword),
        }
    }
}

/// A reverse- or forward-path as given (RFC 5321 §4.1.2), and the mailbox in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    /// The mailbox `local@domain` (local part unquoted), or empty for `<>`.
    pub mailbox: String,
}

impl Path {
    /// True for the null reverse-path `<>` used by bounces (RFC 5321 §4.5.5).
    pub fn is_null(&self) -> bool {
        self.mailbox.is_empty()
    }

    /// The domain part, if any.
    pub fn domain(&self) -> Option<&str> {
        self.mailbox.rsplit_once('@').map(|(_, d)| d)
    }
}

/// Why the argument of MAIL or RCPT could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// `FROM:` / `TO:` missing: the command's syntax is wrong.
    Syntax,
    /// The keyword was there but the address is unreadable.
    BadAddress,
}

/// Takes an address token: `<...>` (quotes respected) or a bare word.
fn address_token(input: &str) -> IResult<&str, &str> {
    if let Some(body) = input.strip_prefix('<') {
        let mut in_quotes = false;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_quotes = !in_quotes,
                '>' if !in_quotes => return Ok((&body[i + 1..], &body[..i])),
                _ => {}
            }
        }
        // No closing bracket: Postfix refuses the address (501 5.1.7 / 5.1.3).
        Err(nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Char)))
    } else {
        let (rest, tok) = take_till(is_space).parse(input)?;
        Ok((rest, tok.strip_suffix('>').unwrap_or(tok)))
    }
}

fn param(input: &str) -> Param {
    let raw = input.to_string();
    match input.split_once('=') {
        Some((k, v)) => Param { keyword: k.to_ascii_uppercase(), value: Some(v.to_string()), raw },
        None => Param { keyword: input.to_ascii_uppercase(), value: None, raw },
    }
}

/// Removes a source route (`@a,@b:`, RFC 5321 §4.1.2 and Appendix C: accepted
/// and ignored) and the quotes around a quoted local part.
fn normalise_mailbox(raw: &str) -> String {
    let raw = match (raw.starts_with('@'), raw.find(':')) {
        (true, Some(i)) => &raw[i + 1..],
        _ => raw,
    };
    if !raw.starts_with('"') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().skip(1);
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '"' => {
                out.extend(chars);
                break;
            }
            _ => out.push(c),
        }
    }
    out
}

/// True when white space appears outside a quoted string (`<a b@x>` is not an address).
fn has_unquoted_space(token: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in token.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            c if is_space(c) && !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The address VRFY asks about, as Postfix reads its argument: the part in
/// angle brackets if there is one (`Alice <alice@example.com>`), else one
/// word; quotes around the local part removed. `None` is a syntax error
/// (`<>`, two words, a bad domain: 501 5.1.3, smtp-vrfy-unusual.txt).
pub fn vrfy_address(args: &str) -> Option<String> {
    let inner = match (args.find('<'), args.rfind('>')) {
        (Some(a), Some(b)) if a < b => &args[a + 1..b],
        _ if has_unquoted_space(args.trim()) => return None,
        _ => args.trim(),
    };
    let mailbox = normalise_mailbox(inner.trim());
    (!mailbox.is_empty() && !has_unquoted_space(inner.trim()) && !bad_domain(&mailbox)).then_some(mailbox)
}

/// A domain Postfix refuses as syntax (501 5.1.3): empty (`a@`) or with an
/// empty label (`a@example..com`, `a@.example.com`); one final dot and an
/// address literal (`[192.0.2.25]`) are fine (smtp-address-syntax.txt).
fn bad_domain(mailbox: &str) -> bool {
    let Some((_, domain)) = mailbox.rsplit_once('@') else { return false };
    if domain.starts_with('[') {
        return false;
    }
    let d = domain.strip_suffix('.').unwrap_or(domain);
    d.is_empty() || d.split('.').any(str::is_empty)
}

/// Parses `FROM:<path> params` (keyword `FROM:`) or `TO:<path> params` (keyword `TO:`).
pub fn parse_path_args(args: &str, keyword: &str) -> Result<(Path, Vec<Param>), PathError> {
    let parsed: IResult<&str, &str> = (tag_no_case(keyword), space0).parse(args).map(|(r, _)| (r, ""));
    let rest = parsed.map_err(|_| PathError::Syntax)?.0;
    let (rest, token) = address_token(rest).map_err(|_| PathError::BadAddress)?;
    if has_unquoted_space(token.trim()) {
        return Err(PathError::BadAddress);
    }
    let mailbox = normalise_mailbox(token.trim());
    if mailbox.chars().any(|c| c.is_control() || c == '<' || c == '>') || bad_domain(&mailbox) {
        return Err(PathError::BadAddress);
    }
    let params = rest.split(is_space).filter(|s| !s.is_empty()).map(param).collect();
    Ok((Path { mailbox }, params))
}

/// The domain argument of HELO/EHLO: one word (RFC 5321 §4.1.1.1). Any word is
/// accepted, as real servers do; `None` when there is none.
pub fn parse_helo_name(args: &str) -> Option<String> {
    let (_, name) = take_while::<_, &str, ()>(|c: char| !is_space(c)).parse(args).ok()?;
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_are_case_insensitive() {
        let c = parse_command("mail from:<a@b>").unwrap();
        assert_eq!(c.verb, Verb::Mail);
        assert_eq!(c.args, "from:<a@b>");
        assert_eq!(parse_command("  eHlO   x.y  ").unwrap(), CommandLine { verb: Verb::Ehlo, args: "x.y".into() });
        assert_eq!(parse_command("FOOBAR 1").unwrap().verb, Verb::Unknown("FOOBAR".into()));
        assert_eq!(parse_command(""), None);
        assert_eq!(parse_command("   "), None);
    }

    #[test]
    fn paths_as_postfix_reads_them() {
        let ok = |s: &str| parse_path_args(s, "FROM:").map(|(p, _)| p.mailbox);
        assert_eq!(ok("FROM:<sender@example.net>"), Ok("sender@example.net".into()));
        assert_eq!(ok("from: sender@example.net"), Ok("sender@example.net".into()));
        assert_eq!(ok("FROM:sender@example.net>"), Ok("sender@example.net".into()));
        assert_eq!(ok("FROM:<>"), Ok("".into()));
        assert_eq!(ok("FROM:<@relay.example:alice@example.com>"), Ok("alice@example.com".into()));
        assert_eq!(ok("FROM:<\"quoted local\"@example.com>"), Ok("quoted local@example.com".into()));
        assert_eq!(ok("TO:<a@b>"), Err(PathError::Syntax));
        assert_eq!(ok(""), Err(PathError::Syntax));
    }

    #[test]
    fn params_are_kept() {
        let (p, params) =
            parse_path_args("TO:<alice@example.com> NOTIFY=SUCCESS,FAILURE  orcpt=rfc822;a@b", "TO:").unwrap();
        assert_eq!(p.mailbox, "alice@example.com");
        assert_eq!(
            params[0],
            Param {
                keyword: "NOTIFY".into(),
                value: Some("SUCCESS,FAILURE".into()),
                raw: "NOTIFY=SUCCESS,FAILURE".into()
            }
        );
        assert_eq!(params[1].to_string(), "orcpt=rfc822;a@b", "quoted as typed");
        assert_eq!(params[1].keyword, "ORCPT");
        assert_eq!(parse_path_args("FROM:<a@b> SMTPUTF8", "FROM:").unwrap().1[0].to_string(), "SMTPUTF8");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for s in ["FROM:<", "FROM:<<>>", "FROM:\u{0}", "FROM:<a\"b>", "FROM:<\"unterminated@x>", "FROM:<é@ü>"] {
            let _ = parse_path_args(s, "FROM:");
        }
        assert_eq!(parse_path_args("FROM:<a\u{1}b@c>", "FROM:"), Err(PathError::BadAddress));
    }

    #[test]
    fn helo_names() {
        assert_eq!(parse_helo_name("client.example.net"), Some("client.example.net".into()));
        assert_eq!(parse_helo_name(""), None);
    }
}
