//! The SMTP command-line and path parsers on any text: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mailsim::smtp::parser::{parse_command, parse_helo_name, parse_path_args};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(cmd) = parse_command(&text) {
        let _ = parse_path_args(&cmd.args, "FROM:");
        let _ = parse_path_args(&cmd.args, "TO:");
        let _ = parse_helo_name(&cmd.args);
    }
});
