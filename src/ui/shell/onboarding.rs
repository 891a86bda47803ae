//! First run (SPEC §5, §6): `alliance-desk` with no FILE and no default portfolio asks the
//! brand's name and currency, writes an empty portfolio at the default path and opens it. The
//! sample is never the default portfolio; it is only `--demo`.
//!
//! The questions are plain prompts on the terminal before the workspace starts, not a screen of
//! the workspace: two answers do not need a form, the prompts work with any terminal, screen
//! reader or paste, and what they print (the path written, the `--demo` hint) stays in the
//! terminal's scrollback after the workspace closes — a full-screen form would erase it.

use std::io::{BufRead, Write};
use std::path::Path;

use super::App;
use crate::app::action::Action;
use crate::app::options::WorkspaceOptions;
use crate::edit::settings;
use crate::model::Portfolio;
use crate::sanitize;
use crate::store;

/// Before the workspace starts: when the default portfolio is wanted (no FILE, no `--demo`)
/// and does not exist, ask for it on a terminal. `Ok(Some(lines))`: it was just created, and
/// these lines welcome the user in the workspace. `Ok(None)`: nothing to do (the file exists,
/// or there is no terminal to ask on — the start then says how to create one).
pub fn before_start(options: &WorkspaceOptions) -> Result<Option<Vec<String>>, String> {
    if options.file.is_some() || options.demo {
        return Ok(None);
    }
    let Some(path) = super::startup::default_portfolio_path() else {
        return Ok(None);
    };
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if path.exists() || !terminal {
        return Ok(None);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = std::io::stdout();
    first_run(&path, &mut input, &mut output).map(Some)
}

/// Greet after a first run on the status line, naming the keys of the live keymap; the whole
/// welcome is listed with the start-up notices in help. Never a dialog: the first key acts
/// (issue 12: no modal at start unless it asks a real question).
pub fn welcome(app: &mut App, mut lines: Vec<String>) {
    let key = |action| app.keymap.describe(action);
    let keys = format!(
        "{} adds an alliance · {} changes the brand, currency and as-of date · {} lists every key",
        key(Action::Add),
        key(Action::Settings),
        key(Action::Help)
    );
    lines.insert(1, keys.clone());
    app.status = Some(format!("Welcome! {keys}"));
    app.notices.splice(0..0, lines);
}

/// Ask the brand's name and currency on `input`/`output`, write an empty portfolio at `path`
/// and return the welcome lines for the workspace. A blank name or a bad currency code is asked
/// again with the reason; the end of input writes nothing.
pub fn first_run(
    path: &Path,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> Result<Vec<String>, String> {
    let shown = sanitize::terminal(&path.display().to_string()).into_owned();
    let say = |output: &mut dyn Write, text: &str| {
        output
            .write_all(text.as_bytes())
            .and_then(|()| output.flush())
            .map_err(|e| format!("cannot write to the terminal: {e}"))
    };
    say(
        output,
        &format!(
            "Welcome to Alliance Desk.\n\
             No portfolio yet: this creates an empty one at\n  {shown}\n\
             (To look around a worked example first: alliance-desk --demo — it writes nothing.)\n\n"
        ),
    )?;
    let brand = ask(input, output, "Brand name: ", settings::parse_brand)?;
    let currency = ask(input, output, "Currency [USD]: ", settings::parse_currency)?;
    let mut portfolio = Portfolio::empty(&brand);
    portfolio.currency.clone_from(&currency);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "cannot create {}: {e}",
                sanitize::terminal(&dir.display().to_string())
            )
        })?;
    }
    store::save(path, &portfolio).map_err(|e| e.to_string())?;
    let brand_shown = sanitize::terminal_line(&brand);
    say(
        output,
        &format!(
            "\nWrote an empty portfolio for {brand_shown} ({currency}) to\n  {shown}\nOpening it…\n"
        ),
    )?;
    Ok(vec![
        format!("Your portfolio for {brand_shown} ({currency}) is at {shown}"),
        "alliance-desk --demo opens a worked example (the Northwind sample) without touching it"
            .to_owned(),
    ])
}

/// Ask one question until `read` accepts the answer; the end of input is an error.
fn ask<T>(
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    prompt: &str,
    read: impl Fn(&str) -> Result<T, settings::SettingError>,
) -> Result<T, String> {
    loop {
        output
            .write_all(prompt.as_bytes())
            .and_then(|()| output.flush())
            .map_err(|e| format!("cannot write to the terminal: {e}"))?;
        let mut line = String::new();
        let n = input
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the answer: {e}"))?;
        if n == 0 {
            return Err(
                "no portfolio created (input ended); run alliance-desk again to create \
                        one, or alliance-desk --demo for a worked example"
                    .to_owned(),
            );
        }
        match read(line.trim_end_matches(['\r', '\n'])) {
            Ok(value) => return Ok(value),
            Err(e) => {
                let message = format!("  {}\n", sanitize::terminal_line(&e.to_string()));
                output
                    .write_all(message.as_bytes())
                    .map_err(|e| format!("cannot write to the terminal: {e}"))?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_run_asks_again_until_the_answers_read_then_writes_an_empty_portfolio() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join("data")
            .join("alliance-desk")
            .join("portfolio.ron");
        let mut input: &[u8] = b"  \nAcme Goods\neuro\neur\n";
        let mut output = Vec::new();
        let lines = first_run(&path, &mut input, &mut output).unwrap();
        let printed = String::from_utf8(output).unwrap();
        assert!(
            printed.contains("Brand: enter the brand's name"),
            "{printed}"
        );
        assert!(
            printed.contains("Currency: \"euro\" is not a currency code"),
            "{printed}"
        );
        assert!(printed.contains("alliance-desk --demo"), "{printed}");
        assert!(printed.contains(&path.display().to_string()), "{printed}");
        let loaded = store::load(&path).unwrap().portfolio;
        assert_eq!(loaded.brand, "Acme Goods");
        assert_eq!(loaded.currency, "EUR");
        assert!(loaded.alliances.is_empty(), "never the sample");
        assert!(lines[0].contains("Acme Goods (EUR)"));
    }

    #[test]
    fn input_ending_before_the_answers_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portfolio.ron");
        let mut input: &[u8] = b"Acme\n";
        let e = first_run(&path, &mut input, &mut Vec::new()).unwrap_err();
        assert!(e.starts_with("no portfolio created"), "{e}");
        assert!(!path.exists());
    }
}
