//! Any bytes, in any split, to the SMTP services of the default world (25, 587,
//! 465): no panic, bounded output, and the session either answers or waits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mailsim::world::World;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let port = [25u16, 587, 465][usize::from(data[0]) % 3];
    // The second byte chooses where to split the input into feeds.
    let split = usize::from(data[1]).max(1);
    let mut world = World::new(1);
    let Ok((mut conn, _)) = world.connect("mail.example.com", port) else { return };
    let mut replies = 0usize;
    for chunk in data[2..].chunks(split) {
        let answer = world.send(&mut conn, chunk);
        replies += answer.lines.len();
        // Every reply answers input: never more reply lines than input bytes plus an EHLO list.
        assert!(replies <= data.len() * 16 + 64, "reply flood");
        if answer.closed {
            break;
        }
    }
});
