//! `swaks`, the Swiss Army Knife for SMTP, on the learner's machine: it sends
//! one message with the world's SMTP client engine and prints the dialogue as
//! swaks does (`<-` server, ` ->` client, `~>`/`<~` once TLS is on). Then the
//! world's queues run, so the message goes on its way.

use crate::explain::{Explainer, Reading};
use crate::smtp::client::{ClientConfig, Outgoing, Said};
use crate::world::events::Event;
use crate::world::World;

/// Reads one line of swaks' output: a server line (`<-  `, `<~  `) is read as
/// SMTP with its code's place shifted past the arrow; a client line (` -> `,
/// ` ~> `) is told to the explainer. Other lines are swaks' own.
pub fn read_line(x: &mut Explainer, line: &str) -> Option<Reading> {
    if let Some(rest) = line.strip_prefix("<-  ").or_else(|| line.strip_prefix("<~  ")) {
        let mut r = x.server(rest);
        r.badge = r.badge.map(|(a, b)| (a + 4, b + 4));
        return Some(r);
    }
    if let Some(rest) = line.strip_prefix(" -> ").or_else(|| line.strip_prefix(" ~> ")) {
        x.client(rest);
    }
    None
}

/// What `swaks` printed: lines and whether each is an error.
pub type Printed = Vec<(String, bool)>;

/// Runs `swaks ARGS…` in `world`.
pub fn swaks(world: &mut World, args: &[String]) -> Printed {
    let mut to: Vec<String> = Vec::new();
    let mut from = "learner@client.example.net".to_string();
    let mut server: Option<String> = None;
    let mut port: Option<u16> = None;
    let (mut user, mut password) = (None, None);
    let (mut tls, mut tls_on_connect) = (false, false);
    let mut headers: Vec<String> = Vec::new();
    let mut body = "This is a test mailing".to_string();
    let mut it = args.iter();
    let err = |m: String| vec![(m, true)];
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned();
        match a.as_str() {
            "-t" | "--to" => match value() {
                Some(v) => to.extend(v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
                None => return err("*** Option --to requires an argument".into()),
            },
            "-f" | "--from" => from = value().unwrap_or_default(),
            "-s" | "--server" => server = value(),
            "-p" | "--port" => port = value().and_then(|p| p.parse().ok()),
            "-au" | "--auth-user" => user = value(),
            "-ap" | "--auth-password" => password = value(),
            "-a" | "--auth" => {}
            "-tls" | "--tls" => tls = true,
            "-tlsc" | "--tls-on-connect" => tls_on_connect = true,
            "--header" | "--add-header" | "-ah" => headers.extend(value()),
            "--body" => body = value().unwrap_or_default(),
            h if h.starts_with("--h-") || h.starts_with("--header-") => {
                let name = h.trim_start_matches("--header-").trim_start_matches("--h-").to_string();
                headers.push(format!("{name}: {}", value().unwrap_or_default()));
            }
            "--help" | "-h" => {
                return vec![
                    ("Usage: swaks --to ADDR [--from ADDR] [--server HOST[:PORT]] [--port N]".into(), false),
                    ("             [--auth-user USER --auth-password PASS] [--tls | --tls-on-connect]".into(), false),
                    ("             [--header 'Subject: …'] [--body TEXT]".into(), false),
                ]
            }
            other => return err(format!("*** unknown option {other} (try swaks --help)")),
        }
    }
    if to.is_empty() {
        return err("*** --to is required".into());
    }
    // The server: as given, or the first recipient domain's MX (swaks's default).
    let (host, given_port) = match server
        .as_deref()
        .map(|s| s.rsplit_once(':').map_or((s.to_string(), None), |(h, p)| (h.to_string(), p.parse().ok())))
    {
        Some((h, p)) => (h, p),
        None => {
            let domain = to[0].rsplit_once('@').map(|(_, d)| d).unwrap_or("");
            match world.dns().mx(domain).into_iter().next() {
                Some((_, mx)) => (mx, None),
                None => return err(format!("*** Error: could not find MX or A for domain {domain}")),
            }
        }
    };
    let port = port.or(given_port).unwrap_or(if tls_on_connect { 465 } else { 25 });
    let mut data = String::new();
    let has = |name: &str| {
        headers.iter().any(|h| h.to_ascii_lowercase().starts_with(&format!("{}:", name.to_ascii_lowercase())))
    };
    if !has("Date") {
        data.push_str(&format!("Date: {}\r\n", crate::sim::rfc5322_date(world.now())));
    }
    if !has("To") {
        data.push_str(&format!("To: {}\r\n", to.join(", ")));
    }
    if !has("From") {
        data.push_str(&format!("From: {from}\r\n"));
    }
    if !has("Subject") {
        data.push_str(&format!("Subject: test {}\r\n", crate::sim::rfc5322_date(world.now())));
    }
    for h in &headers {
        data.push_str(h);
        data.push_str("\r\n");
    }
    data.push_str("\r\n");
    data.push_str(&body.replace("\\n", "\r\n"));
    data.push_str("\r\n");
    let mut cfg = ClientConfig::smtp("client.example.net");
    cfg.starttls = tls;
    cfg.implicit_tls = tls_on_connect;
    if let Some(u) = user {
        cfg.auth = Some((u, password.unwrap_or_default()));
    }
    let msg = Outgoing { mail_from: from, mail_params: vec![], rcpt_to: to, data: data.into_bytes() };
    let first_event = world.events().len();
    let mut out: Printed = vec![(format!("=== Trying {host}:{port}..."), false)];
    if !world.send_from_client(&host, port, cfg, msg) {
        out.push((format!("*** Error connecting to {host}:{port}:"), true));
        out.push(("***\tIO::Socket::INET: connect: Connection refused".into(), true));
        return out;
    }
    out.push((format!("=== Connected to {host}."), false));
    let transcript = world.events()[first_event..].iter().find_map(|e| match e {
        Event::Hop { transcript, .. } => Some(transcript.clone()),
        _ => None,
    });
    let mut in_tls = tls_on_connect;
    if tls_on_connect {
        out.push(("=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256 (modelled: no real encryption in the simulator)".into(), false));
    }
    for s in transcript.unwrap_or_default() {
        match s {
            Said::Server(l) => {
                out.push((
                    format!("{}  {l}", if in_tls { "<~" } else { "<-" }),
                    l.starts_with('4') || l.starts_with('5'),
                ));
                if l.starts_with("220 2.0.0") && !in_tls && tls {
                    in_tls = true;
                    out.push(("=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256 (modelled: no real encryption in the simulator)".into(), false));
                }
            }
            Said::Client(l) => out.push((format!(" {} {l}", if in_tls { "~>" } else { "->" }), false)),
        }
    }
    out.push(("=== Connection closed with remote host.".into(), false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn swaks_submits_with_auth_and_prints_the_dialogue() {
        let mut w = World::new(2);
        let out = swaks(
            &mut w,
            &s(&[
                "--to",
                "carol@example.org",
                "--server",
                "mail.example.com:587",
                "--auth-user",
                "alice",
                "--auth-password",
                "alicepw",
                "--tls",
                "--from",
                "alice@example.com",
            ]),
        );
        let lines: Vec<&str> = out.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(lines[0], "=== Trying mail.example.com:587...");
        assert!(lines.contains(&"<-  220 mail.example.com ESMTP Postfix"), "{lines:#?}");
        assert!(lines.contains(&" -> STARTTLS"));
        assert!(
            lines.contains(&" ~> AUTH PLAIN AGFsaWNlAGFsaWNlcHc="),
            "after STARTTLS the client lines are ~>: {lines:#?}"
        );
        assert!(lines.contains(&"<~  235 2.7.0 Authentication successful"));
        assert_eq!(lines.last(), Some(&"=== Connection closed with remote host."));
        assert_eq!(w.store("mail.example.org").and_then(|s| s.list("carol", "INBOX").ok()).map(|m| m.len()), Some(1));
    }

    #[test]
    fn swaks_to_the_mx_by_default_and_errors() {
        let mut w = World::new(2);
        let out = swaks(&mut w, &s(&["--to", "bob@example.com"]));
        assert_eq!(out[0].0, "=== Trying mail.example.com:25...");
        assert_eq!(swaks(&mut w, &s(&[]))[0].0, "*** --to is required");
        assert_eq!(
            swaks(&mut w, &s(&["--to", "x@nowhere.example"]))[0].0,
            "*** Error: could not find MX or A for domain nowhere.example"
        );
        assert!(swaks(&mut w, &s(&["--bogus"]))[0].1);
        let refused = swaks(&mut w, &s(&["--to", "a@example.com", "--server", "mail.example.com:2525"]));
        assert_eq!(refused[1].0, "*** Error connecting to mail.example.com:2525:");
    }
}
