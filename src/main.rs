//! The `alliance-desk` binary: everything lives in [`alliance_desk::cli`].
fn main() -> std::process::ExitCode {
    alliance_desk::cli::main()
}
