//! The headless application layer: the open [`document::Document`] (undo, re-scoring), the
//! [`action::Action`]s keys map to, the [`Effect`]s the update step asks for and the
//! [`EffectResult`]s the runner reports back, the [`keymap`], the [`clock`] and the file-safety
//! state ([`safety`]). Nothing here knows the terminal: the shell that draws and reads keys
//! lives in the UI layer (`ui/shell`).

pub mod action;
pub mod clock;
pub mod document;
pub mod keymap;
pub mod options;
pub mod safety;
pub mod tab;

use std::path::PathBuf;

use self::safety::Decision;
use self::tab::Tab;

/// Work for the main loop: everything that touches the disk or ends the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Save,
    /// Write `target` to a path the user typed in the path prompt: save as (the path becomes
    /// the document's file) or an exported text file. Asks before overwriting another file.
    WriteTo {
        path: PathBuf,
        target: Target,
    },
    Quit,
    /// Write a text file (an exported summary or charter), then say `done`. For the sample,
    /// which has no folder, the user is asked where first; an existing file is not replaced
    /// without asking.
    WriteFile {
        path: PathBuf,
        contents: String,
        done: String,
    },
    /// Switch to a tab (e.g. "recommit" opens the charter).
    SwitchTab(Tab),
    /// The answer to a question about the file (recovery, changes on disk, the lock).
    Decide(Decision),
}

/// What the path prompt writes once the user names a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The portfolio (save as).
    Portfolio,
    /// A text file; `done` is the status once written, naming the path `named`.
    Text {
        contents: String,
        done: String,
        named: PathBuf,
    },
}
