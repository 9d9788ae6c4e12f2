//! `openssl s_client` on the learner's machine: what a learner uses in real
//! life to talk to a TLS port (465, 993, 995) or to start TLS on a plain one
//! (`-starttls smtp|pop3|imap`). The TLS layer is modelled (no cryptography):
//! the handshake succeeds where a real one would and fails, with OpenSSL
//! 3.0's error, where a real one would — a TLS client on a plain port.
//!
//! The printed handshake follows OpenSSL 3.0.19 on Debian 12 talking to the
//! peers (`tests/transcripts/formats/openssl-starttls-smtp.out`), with the
//! certificate's base64 and the session ticket left out. What s_client
//! prints after the handshake is what it read last during its own STARTTLS
//! exchange (the last EHLO line, the POP3 greeting, its `. OK` to CAPABILITY).

use crate::world::{Answer, Connection, Service, World};

/// The options s_client was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub starttls: Option<StartTls>,
    /// `-quiet`: no handshake details, and `Q`/`R` at a line start are sent, not commands.
    pub quiet: bool,
}

/// The protocols `-starttls` speaks here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTls {
    Smtp,
    Pop3,
    Imap,
}

/// Reads s_client's options; `Err` holds what openssl prints.
pub fn parse(args: &[&str]) -> Result<Options, Vec<String>> {
    let usage = |what: String| Err(vec![what, "s_client: Use -help for summary.".to_string()]);
    let mut connect = None;
    let (mut starttls, mut quiet) = (None, false);
    let mut it = args.iter();
    while let Some(&a) = it.next() {
        match a {
            "-connect" => connect = it.next().copied(),
            "-starttls" => {
                starttls = match it.next().map(|p| p.to_ascii_lowercase()).as_deref() {
                    Some("smtp") => Some(StartTls::Smtp),
                    Some("pop3") => Some(StartTls::Pop3),
                    Some("imap") => Some(StartTls::Imap),
                    Some(other) => return usage(format!("s_client: Value must be a protocol name: {other}")),
                    None => return usage("s_client: Option -starttls needs a value".into()),
                }
            }
            "-quiet" => quiet = true,
            // Accepted and without effect here: lines already end in CRLF.
            "-crlf" | "-brief" | "-ign_eof" => {}
            "-servername" | "-name" => {
                it.next();
            }
            other => return usage(format!("s_client: Unknown option: {other}")),
        }
    }
    let Some(target) = connect else {
        return usage("s_client: mailsim's s_client needs -connect host:port".into());
    };
    let Some((host, port)) = target.rsplit_once(':').and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?))) else {
        return usage(format!("s_client: Invalid -connect value: {target}"));
    };
    Ok(Options { host: host.to_string(), port, starttls, quiet })
}

/// What opening the connection gave: lines to print, and the session to keep.
pub struct Opened {
    pub printed: Vec<String>,
    /// Server lines read during the handshake that s_client shows after it.
    pub shown: Vec<String>,
    pub conn: Option<Connection>,
    pub closed: bool,
}

const WRONG_VERSION: &str =
    "40F7C1F0F27F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:";

/// Connects, runs the STARTTLS exchange if asked, and "handshakes".
pub fn open(world: &mut World, o: &Options) -> Opened {
    let fail = |printed: Vec<String>| Opened { printed, shown: Vec::new(), conn: None, closed: true };
    let tls_port = world.resolve(&o.host).and_then(|h| h.service(o.port)).is_some_and(|s| match s {
        Service::Smtp(cfg) => cfg.implicit_tls,
        Service::ImplicitTls { .. } => true,
        _ => false,
    });
    let opened = if o.starttls.is_some() || !tls_port {
        world.connect(&o.host, o.port)
    } else {
        world.connect_over_tls(&o.host, o.port)
    };
    let Ok((mut conn, greeting)) = opened else {
        return fail(vec![
            "40F7C1F0F27F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:114:calling connect()".into(),
            "connect:errno=111".into(),
        ]);
    };
    let mut printed = vec!["CONNECTED(00000003)".to_string()];
    let mut shown = greeting.lines.clone();
    if let Some(proto) = o.starttls {
        match starttls(world, &mut conn, proto, &greeting) {
            Ok(last) => shown = last,
            Err(e) => {
                printed.extend(e);
                return fail(printed);
            }
        }
    } else if !tls_port {
        // The server's greeting is no TLS record.
        printed.push(WRONG_VERSION.into());
        printed.push("---".into());
        printed.push("no peer certificate available".into());
        return fail(printed);
    }
    printed.extend(handshake(&o.host, o.quiet));
    Opened { printed, shown, conn: Some(conn), closed: false }
}

/// s_client's own STARTTLS exchange; returns the lines it shows afterwards.
fn starttls(
    world: &mut World,
    conn: &mut Connection,
    proto: StartTls,
    greeting: &Answer,
) -> Result<Vec<String>, Vec<String>> {
    let mut send = |line: &str| world.send(conn, format!("{line}\r\n").as_bytes()).lines;
    let last = |lines: &[String]| lines.last().cloned().into_iter().collect::<Vec<_>>();
    let (shown, reply) = match proto {
        StartTls::Smtp => {
            // OpenSSL's -name defaults to mail.example.com.
            let ehlo = send("EHLO mail.example.com");
            let mut pre = Vec::new();
            if !ehlo.iter().any(|l| l.get(4..).is_some_and(|k| k.eq_ignore_ascii_case("STARTTLS"))) {
                pre.push("Didn't find STARTTLS in server response, trying anyway...".to_string());
            }
            let reply = send("STARTTLS");
            let ok = reply.first().is_some_and(|l| l.starts_with("220"));
            (if ok { last(&ehlo) } else { pre }, ok)
        }
        StartTls::Pop3 => {
            let reply = send("STLS");
            (last(&greeting.lines), reply.first().is_some_and(|l| l.starts_with("+OK")))
        }
        StartTls::Imap => {
            let caps = send(". CAPABILITY");
            let reply = send(". STARTTLS");
            (last(&caps), reply.last().is_some_and(|l| l.starts_with(". OK")))
        }
    };
    if reply {
        Ok(shown)
    } else {
        Err(vec![WRONG_VERSION.into(), "---".into(), "no peer certificate available".into()])
    }
}

/// What s_client prints of a successful handshake.
fn handshake(host: &str, quiet: bool) -> Vec<String> {
    let mut v = vec![format!("depth=0 CN = {host}"), "verify return:1".to_string()];
    if quiet {
        return v;
    }
    v.extend(
        [
            "---",
            "Certificate chain",
            &format!(" 0 s:CN = {host}"),
            &format!("   i:CN = {host}"),
            "   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256",
            "---",
            "Server certificate",
            "-----BEGIN CERTIFICATE-----",
            "(mailsim: the certificate's base64 is left out)",
            "-----END CERTIFICATE-----",
            &format!("subject=CN = {host}"),
            &format!("issuer=CN = {host}"),
            "---",
            "No client certificate CA names sent",
            "Peer signing digest: SHA256",
            "Peer signature type: RSA-PSS",
            "Server Temp Key: X25519, 253 bits",
            "---",
            "SSL handshake has read 1553 bytes and written 435 bytes",
            "Verification: OK",
            "---",
            "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
            "Server public key is 2048 bit",
            "Secure Renegotiation IS NOT supported",
            "Compression: NONE",
            "Expansion: NONE",
            "No ALPN negotiated",
            "Early data was not sent",
            "Verify return code: 0 (ok)",
            "---",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_their_errors() {
        let o = parse(&["-connect", "mail.example.com:465", "-quiet"]).unwrap();
        assert_eq!((o.host.as_str(), o.port, o.quiet, o.starttls), ("mail.example.com", 465, true, None));
        let o = parse(&["-starttls", "smtp", "-crlf", "-connect", "mail.example.com:587"]).unwrap();
        assert_eq!(o.starttls, Some(StartTls::Smtp));
        assert_eq!(parse(&["-frob"]).unwrap_err()[0], "s_client: Unknown option: -frob");
        assert!(parse(&["-connect", "nohost"]).is_err());
        assert!(parse(&["-starttls", "xmpp", "-connect", "a:1"]).is_err());
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn tls_on_a_plain_port_fails_as_openssl_does() {
        let mut w = World::new(1);
        let o = parse(&["-connect", "mail.example.com:25"]).unwrap();
        let r = open(&mut w, &o);
        assert!(r.closed && r.conn.is_none());
        assert!(r.printed.iter().any(|l| l.contains("wrong version number")), "{:?}", r.printed);
    }

    #[test]
    fn implicit_tls_ports_show_the_protocol_inside() {
        let mut w = World::new(1);
        for (port, greeting) in [(465, "220 mail.example.com ESMTP Postfix"), (995, "+OK Dovecot (Debian) ready.")] {
            let o = parse(&["-connect", &format!("mail.example.com:{port}"), "-quiet"]).unwrap();
            let r = open(&mut w, &o);
            assert_eq!(r.shown, [greeting], "port {port}");
            assert!(r.conn.is_some());
        }
        let r = open(&mut w, &parse(&["-connect", "mail.example.com:993"]).unwrap());
        assert!(r.shown[0].starts_with("* OK [CAPABILITY IMAP4rev1"), "{:?}", r.shown);
        assert!(!r.shown[0].contains("STARTTLS"), "no STARTTLS offered inside TLS: {:?}", r.shown);
    }

    #[test]
    fn starttls_shows_what_s_client_read_last() {
        let mut w = World::new(1);
        let r = open(&mut w, &parse(&["-starttls", "smtp", "-connect", "mail.example.com:587"]).unwrap());
        assert_eq!(r.shown.len(), 1);
        assert!(r.shown[0].starts_with("250 "), "the last EHLO line: {:?}", r.shown);
        assert!(r.printed.contains(&"Verify return code: 0 (ok)".to_string()));
        let r = open(&mut w, &parse(&["-starttls", "imap", "-connect", "mail.example.com:143"]).unwrap());
        assert!(r.shown[0].starts_with(". OK Pre-login capabilities listed"), "{:?}", r.shown);
    }
}
