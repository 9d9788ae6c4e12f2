//! A stored message as a mail client shows it: the main header fields, the
//! text parts decoded (base64, quoted-printable) and the attachments listed —
//! all as plain text, never HTML — plus the `Received:` chain for following
//! the path back (RFC 5321 §4.4, seed topic T09).

use crate::encoding;
use crate::mime::{self, Part};

/// One part of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartView {
    /// A text part, decoded (an HTML part is shown as its source text).
    Text(String),
    /// A message inside the message (message/rfc822: a bounce's returned
    /// message, a forwarded one), shown as a message.
    Message(Box<MessageView>),
    /// Anything else: its name and type.
    Attachment { name: String, kind: String, bytes: usize },
}

/// What the mailbox view shows of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageView {
    /// From, To, Cc, Subject, Date, in that order, those present.
    pub headers: Vec<(String, String)>,
    pub parts: Vec<PartView>,
}

fn unfold(v: &[u8]) -> String {
    String::from_utf8_lossy(v).replace("\r\n", "").replace('\n', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The decoded bytes of a part's body.
fn decoded(raw: &[u8], p: &Part) -> Vec<u8> {
    let header = &raw[p.header.0..p.header.1];
    let body = &raw[p.body.0..p.body.1];
    let cte =
        mime::value(header, "Content-Transfer-Encoding").map(|v| unfold(&v).to_ascii_lowercase()).unwrap_or_default();
    match cte.as_str() {
        "base64" => {
            let compact: String = String::from_utf8_lossy(body).chars().filter(|c| !c.is_whitespace()).collect();
            encoding::base64_decode(&compact).unwrap_or_else(|| body.to_vec())
        }
        "quoted-printable" => encoding::quoted_printable_decode(body),
        _ => body.to_vec(),
    }
}

fn walk(raw: &[u8], p: &Part, out: &mut Vec<PartView>, depth: usize) {
    if depth > 20 || out.len() > 100 {
        return;
    }
    if let Some(inner) = &p.message {
        out.push(PartView::Message(Box::new(view_of(raw, inner, depth + 1))));
        return;
    }
    if !p.children.is_empty() {
        for c in &p.children {
            walk(raw, c, out, depth + 1);
        }
        return;
    }
    let header = &raw[p.header.0..p.header.1];
    let disposition = mime::value(header, "Content-Disposition").map(|v| mime::parse_params(&v)).unwrap_or_default();
    let name =
        disposition.1.iter().chain(&p.params).find(|(k, _)| k == "filename" || k == "name").map(|(_, v)| v.clone());
    let kind = format!("{}/{}", p.kind, p.subtype).to_ascii_lowercase();
    // A DSN's machine-readable part is text too (RFC 3464 §2), shown as clients show it.
    let textual = kind.starts_with("text/") || kind == "message/delivery-status";
    if textual && !disposition.0.eq_ignore_ascii_case("attachment") {
        out.push(PartView::Text(String::from_utf8_lossy(&decoded(raw, p)).replace("\r\n", "\n")));
    } else {
        out.push(PartView::Attachment {
            name: name.unwrap_or_else(|| "(unnamed)".into()),
            kind,
            bytes: decoded(raw, p).len(),
        });
    }
}

/// Reads a message for display.
pub fn view(raw: &[u8]) -> MessageView {
    view_of(raw, &mime::parse(raw), 0)
}

/// Reads the message that `part` is (the whole message, or one inside it).
fn view_of(raw: &[u8], part: &Part, depth: usize) -> MessageView {
    let header = &raw[part.header.0..part.header.1];
    let headers = ["From", "To", "Cc", "Subject", "Date"]
        .iter()
        .filter_map(|name| mime::value(header, name).map(|v| (name.to_string(), unfold(&v))))
        .collect();
    let mut parts = Vec::new();
    walk(raw, part, &mut parts, depth);
    MessageView { headers, parts }
}

/// The `Received:` lines of a message, unfolded, newest (the last hop) first.
pub fn received_chain(raw: &[u8]) -> Vec<String> {
    let (header, _) = mime::split(raw);
    mime::fields(header)
        .into_iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("received"))
        .map(|(_, field)| unfold(field.splitn(2, |&b| b == b':').nth(1).unwrap_or_default()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_message_with_an_attachment() {
        let raw = b"From: A <a@x>\r\nTo: b@y\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHello =3D there=\r\n!\r\n--B\r\nContent-Type: text/plain; name=note.txt\r\nContent-Disposition: attachment; filename=note.txt\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8g\r\nYXR0YWNobWVudA==\r\n--B--\r\n";
        let v = view(raw);
        assert_eq!(v.headers[0], ("From".into(), "A <a@x>".into()));
        assert_eq!(v.headers[2], ("Subject".into(), "Report".into()));
        // RFC 2046 §5.1.1: the CRLF before a boundary belongs to the boundary.
        assert_eq!(v.parts[0], PartView::Text("Hello = there!".into()));
        assert_eq!(v.parts[1], PartView::Attachment { name: "note.txt".into(), kind: "text/plain".into(), bytes: 16 });
    }

    #[test]
    fn a_returned_message_is_shown_as_a_message() {
        let raw = b"From: MAILER-DAEMON@x\r\nSubject: Undelivered\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--B\r\nContent-Type: message/rfc822\r\n\r\nFrom: alice@example.com\r\nSubject: Hello Carol\r\n\r\nHow are you?\r\n--B--\r\n";
        let v = view(raw);
        assert_eq!(v.parts[0], PartView::Text("Sorry.".into()));
        let PartView::Message(inner) = &v.parts[1] else { panic!("not a message: {:?}", v.parts[1]) };
        assert_eq!(
            inner.headers,
            [("From".into(), "alice@example.com".into()), ("Subject".into(), "Hello Carol".into())]
        );
        assert_eq!(inner.parts, [PartView::Text("How are you?".into())]);
    }

    #[test]
    fn received_lines_are_unfolded_newest_first() {
        let raw = b"Received: from b\r\n\tby c; date2\r\nReceived: from a\r\n by b; date1\r\nSubject: x\r\n\r\nReceived: in the body\r\n";
        assert_eq!(received_chain(raw), ["from b by c; date2", "from a by b; date1"]);
    }

    #[test]
    fn garbage_is_shown_not_refused() {
        let v = view(b"\xff\xfe no header at all");
        assert!(v.headers.is_empty());
        assert_eq!(v.parts.len(), 1);
        assert_eq!(crate::encoding::quoted_printable_decode(b"=ZZ="), b"=ZZ=");
    }
}
