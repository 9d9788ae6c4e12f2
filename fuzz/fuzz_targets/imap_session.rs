//! Any bytes, in any split, to the IMAP service of the default world (143),
//! logged in and with INBOX selected or not: no panic, and IDLE polls and a
//! second session on the same mailbox survive whatever the first one did.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mailsim::world::World;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    // The first byte chooses the starting state, the second where to split the input.
    let prelude: &[u8] = match data[0] % 3 {
        0 => b"",
        1 => b"a LOGIN alice alicepw\r\n",
        _ => b"a LOGIN alice alicepw\r\nb SELECT INBOX\r\n",
    };
    let split = usize::from(data[1]).max(1);
    let mut world = World::new(1);
    let Ok((mut conn, _)) = world.connect("mail.example.com", 143) else { return };
    let Ok((mut other, _)) = world.connect("mail.example.com", 143) else { return };
    world.send(&mut other, b"o LOGIN alice alicepw\r\np SELECT INBOX\r\nq IDLE\r\n");
    world.send(&mut conn, prelude);
    for chunk in data[2..].chunks(split) {
        let answer = world.send(&mut conn, chunk);
        world.poll(&mut conn);
        world.poll(&mut other);
        if answer.closed {
            break;
        }
    }
    world.send(&mut other, b"DONE\r\nr FETCH 1:* (FLAGS BODYSTRUCTURE)\r\n");
});
