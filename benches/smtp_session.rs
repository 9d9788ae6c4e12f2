//! A whole SMTP transaction with ten recipients through the server session:
//! EHLO, MAIL, 10 × RCPT, DATA, a 2 KB message, QUIT (15 commands).
//! `cargo bench --bench smtp_session`; divide the time by 15 for ns/command.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use mailsim::sim::SimRng;
use mailsim::smtp::{Peer, Server, ServerConfig};
use mailsim::world::World;

fn transaction() -> Vec<u8> {
    let mut s = String::from("EHLO client.example.net\r\nMAIL FROM:<sender@example.net>\r\n");
    for i in 0..10 {
        let user = if i % 2 == 0 { "alice" } else { "bob" };
        s.push_str(&format!("RCPT TO:<{user}@example.com>\r\n"));
    }
    s.push_str("DATA\r\nSubject: bench\r\n\r\n");
    for i in 0..32 {
        s.push_str(&format!("line {i:02} of the body, about sixty characters long, ok.\r\n"));
    }
    s.push_str(".\r\nQUIT\r\n");
    s.into_bytes()
}

fn config() -> ServerConfig {
    let mut world = World::new(1);
    world.smtp_config_mut("mail.example.com", 25).cloned().expect("port 25")
}

fn bench(c: &mut Criterion) {
    let input = transaction();
    let cfg = config();
    let peer = Peer::new(Some("client.example.net"), "203.0.113.10");
    let mut g = c.benchmark_group("smtp_session");
    g.throughput(Throughput::Elements(15));
    g.bench_function("10-recipient transaction, one feed", |b| {
        b.iter(|| {
            let (mut s, _) = Server::new(cfg.clone(), peer.clone(), 0, SimRng::new(1));
            black_box(s.feed(black_box(&input)))
        })
    });
    g.bench_function("10-recipient transaction, line by line", |b| {
        b.iter(|| {
            let (mut s, _) = Server::new(cfg.clone(), peer.clone(), 0, SimRng::new(1));
            for line in input.split_inclusive(|&x| x == b'\n') {
                black_box(s.feed(line));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
