//! The layering of ARCHITECTURE.md, checked: only the terminal UI (`src/ui/`) and the binary
//! that joins it to the command line (`src/main.rs`) may name ratatui, crossterm or the UI
//! module. The core and the headless application layer stay free of the terminal.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of `text` that name the terminal or the UI (comments included: a doc link to the UI
/// is still a dependency in the reader's mind, so it names the layer in words instead).
fn offending_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.contains("ratatui") || line.contains("crossterm") || line.contains("crate::ui")
        })
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .collect()
}

#[test]
fn only_the_terminal_ui_names_ratatui_crossterm_or_the_ui_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 10,
        "expected the crate's sources under {src:?}"
    );
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        if rel.starts_with("ui") || rel == Path::new("main.rs") {
            continue;
        }
        let text = fs::read_to_string(file).expect("source is UTF-8");
        for (line, content) in offending_lines(&text) {
            problems.push(format!("src/{}:{line}: {content}", rel.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "outside src/ui only main.rs may name the terminal or the UI:\n{}",
        problems.join("\n")
    );
}

/// The core: what the application layer, the command line and the UI are built on.
const CORE: [&str; 12] = [
    "model.rs",
    "model",
    "validate.rs",
    "validate",
    "score",
    "export",
    "store.rs",
    "store",
    "import",
    "charter.rs",
    "charter",
    "edit",
];

#[test]
fn the_core_names_neither_the_application_layer_nor_the_command_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().and_then(|c| c.as_os_str().to_str());
        if !first.is_some_and(|f| CORE.contains(&f)) {
            continue;
        }
        let text = fs::read_to_string(file).expect("source is UTF-8");
        for (i, line) in text.lines().enumerate() {
            if line.contains("crate::app") || line.contains("crate::cli") {
                problems.push(format!("src/{}:{}: {}", rel.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the core must not depend on the layers above it:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_catches_each_forbidden_name() {
    let text = "use ratatui::layout::Rect;\nuse crate::model;\nuse crossterm::event;\n\
                use crate::ui::shell::App;\n";
    let lines: Vec<usize> = offending_lines(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, vec![1, 3, 4]);
}
