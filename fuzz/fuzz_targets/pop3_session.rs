//! Any bytes, in any split, to the POP3 service of the default world: no
//! panic, and the session's output stays bounded by its input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mailsim::world::World;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let split = usize::from(data[0]).max(1);
    let mut world = World::new(1);
    let Ok((mut conn, _)) = world.connect("mail.example.com", 110) else { return };
    let mut lines = 0usize;
    for chunk in data[1..].chunks(split) {
        let answer = world.send(&mut conn, chunk);
        lines += answer.lines.len();
        // RETR of a seeded message is the longest answer (~40 lines).
        assert!(lines <= data.len() * 64 + 64, "reply flood");
        if answer.closed {
            break;
        }
    }
});
