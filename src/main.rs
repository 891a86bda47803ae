//! The `alliance-desk` binary: the command line lives in [`alliance_desk::cli`], the terminal
//! workspace in [`alliance_desk::ui::shell`]; only here are the two joined.
fn main() -> std::process::ExitCode {
    alliance_desk::cli::main(alliance_desk::ui::shell::run::run)
}
