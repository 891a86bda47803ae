//! Write a generated, valid portfolio to stdout:
//! `cargo run --release --example generate_portfolio -- N [SEED] > file.ron`.
//! The same N and SEED always give the same file (see `alliance_desk::generate`).

use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [n] => n.parse().ok().map(|n| (n, 1)),
        [n, seed] => n.parse().ok().zip(seed.parse().ok()),
        _ => None,
    };
    let Some((n, seed)) = parsed else {
        eprintln!("usage: generate_portfolio N [SEED]   (N alliances, SEED a number, default 1)");
        return ExitCode::from(2);
    };
    let text = alliance_desk::store::to_canonical_ron(&alliance_desk::generate::generate(n, seed));
    if let Err(e) = std::io::stdout().lock().write_all(text.as_bytes()) {
        eprintln!("generate_portfolio: cannot write: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
