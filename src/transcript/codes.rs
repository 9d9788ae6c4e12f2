//! Which replies each SMTP command may get: RFC 5321 §4.3.2's list, with
//! the extensions' own (RFC 3207 §4 STARTTLS, RFC 4954 §4/§6 AUTH, RFC 3030
//! §2 BDAT, RFC 1985 §5 ETRN). 500, 501 and 421 may answer any command
//! (§4.3.1, §3.8), and 530 any command a server wants authenticated for
//! (RFC 4954 §6).

/// The codes RFC 5321 §4.3.2 (or the extension's RFC) lists for a command's
/// final reply, and where; `None` for a command with no list (unknown verbs).
pub(super) fn listed(verb: &str) -> Option<(&'static [u16], &'static str)> {
    Some(match verb {
        "EHLO" | "HELO" | "LHLO" => (&[250, 504, 550, 502], "RFC 5321 §4.3.2"),
        "MAIL" => (&[250, 552, 451, 452, 550, 553, 503, 455, 555], "RFC 5321 §4.3.2"),
        "RCPT" => (&[250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555], "RFC 5321 §4.3.2"),
        "DATA" => (&[354, 503, 554], "RFC 5321 §4.3.2"),
        // The reply to the message text, after the final dot.
        "." => (&[250, 552, 554, 451, 452, 450, 550], "RFC 5321 §4.3.2"),
        "RSET" | "NOOP" => (&[250], "RFC 5321 §4.3.2"),
        "VRFY" => (&[250, 251, 252, 550, 551, 553, 502, 504], "RFC 5321 §4.3.2"),
        "EXPN" => (&[250, 252, 550, 500, 502, 504], "RFC 5321 §4.3.2"),
        "HELP" => (&[211, 214, 502, 504], "RFC 5321 §4.3.2"),
        "QUIT" => (&[221], "RFC 5321 §4.3.2"),
        "STARTTLS" => (&[220, 454, 501], "RFC 3207 §4"),
        "AUTH" => (&[235, 334, 432, 454, 503, 504, 534, 535, 538], "RFC 4954 §4, §6"),
        "BDAT" => (&[250, 552, 554, 451, 452, 450, 550, 503], "RFC 3030 §2"),
        "ETRN" => (&[250, 251, 252, 253, 458, 459], "RFC 1985 §5"),
        _ => return None,
    })
}

/// Codes any command may get.
const ANY: [u16; 4] = [500, 501, 421, 530];

/// The list a final reply `code` to `verb` is missing from, if it is.
pub(super) fn off_list(verb: &str, code: u16) -> Option<(&'static [u16], &'static str)> {
    let (list, rfc) = listed(verb)?;
    (!list.contains(&code) && !ANY.contains(&code)).then_some((list, rfc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_lists_hold() {
        assert_eq!(off_list("RCPT", 250), None);
        assert_eq!(off_list("RCPT", 500), None, "500 may answer anything (§4.3.1)");
        // Postfix refuses relaying at RCPT with 554: not on §4.3.2's list for RCPT.
        assert_eq!(off_list("RCPT", 554).map(|(_, rfc)| rfc), Some("RFC 5321 §4.3.2"));
        assert_eq!(off_list("DATA", 250).map(|(l, _)| l.len()), Some(3), "250 comes after the dot, not to DATA");
        assert_eq!(off_list(".", 250), None);
        assert_eq!(off_list("QUIT", 221), None);
        assert_eq!(off_list("XYZZY", 250), None, "no list for an unknown verb");
    }
}
