//! The `mailsim` command: the engine without a browser.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod explain_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod lesson_cmd;
#[cfg(not(target_arch = "wasm32"))]
mod trace_cmd;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
