//! The wording of the file-safety [`Question`]s: each becomes a [`Modal::Choice`] whose keys
//! answer with a [`Decision`].

use super::Modal;
use crate::app::safety::{Decision, Question};

/// One answer of a [`Modal::Choice`]: its key and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    pub key: char,
    pub label: String,
    pub decision: Decision,
}

impl ChoiceOption {
    pub fn new(key: char, label: &str, decision: Decision) -> Self {
        Self {
            key,
            label: label.to_owned(),
            decision,
        }
    }
}

/// The modal that asks `question`.
pub fn ask(question: Question) -> Modal {
    match question {
        Question::LockHeld { path, holder } => {
            let who = holder.as_ref().map_or_else(
                || "another Alliance Desk (its record could not be read)".to_owned(),
                |h| format!("process {} on {}, since {}", h.pid, h.host, h.since),
            );
            Modal::Choice {
                title: "Already open elsewhere".to_owned(),
                lines: vec![
                    format!("{} is being edited by {who}.", path.display()),
                    String::new(),
                    "Only one instance may write to it. You can open it read-only: you may \
                     look and try edits, and saving offers another file."
                        .to_owned(),
                ],
                options: vec![
                    ChoiceOption::new('r', "open read-only", Decision::OpenReadOnly),
                    ChoiceOption::new('q', "quit", Decision::Quit),
                ],
                cancel: Some(Decision::OpenReadOnly),
            }
        }
        Question::Recovery { when, differences } => {
            let mut lines = vec![
                format!(
                    "Unsaved edits from {when} were recovered (the program did not quit cleanly)."
                ),
                "Restore them (one undoable edit), discard them, or see what differs first."
                    .to_owned(),
            ];
            if let Some(diff) = differences {
                lines.push(String::new());
                lines.push("Recovered edits vs the file:".to_owned());
                lines.extend(diff);
            }
            Modal::Choice {
                title: "Recover unsaved edits?".to_owned(),
                lines,
                options: vec![
                    ChoiceOption::new('r', "restore", Decision::RestoreRecovery),
                    ChoiceOption::new('d', "discard", Decision::DiscardRecovery),
                    ChoiceOption::new('v', "view differences", Decision::ShowRecoveryDiff),
                ],
                cancel: None,
            }
        }
        Question::ChangedOnDisk { path } => Modal::Choice {
            title: "Changed on disk".to_owned(),
            lines: vec![
                format!("{} was changed by another program.", path.display()),
                "You have no unsaved edits here. Reload it to see the new version?".to_owned(),
            ],
            options: vec![
                ChoiceOption::new('r', "reload", Decision::Reload),
                ChoiceOption::new('k', "keep what is on screen", Decision::IgnoreDiskChange),
            ],
            cancel: Some(Decision::IgnoreDiskChange),
        },
        Question::SaveConflict { path } => Modal::Choice {
            title: "Save stopped: file changed on disk".to_owned(),
            lines: vec![
                format!(
                    "{} was changed by another program since it was loaded.",
                    path.display()
                ),
                "Saving now would overwrite those changes.".to_owned(),
            ],
            options: vec![
                ChoiceOption::new('r', "reload (asks first)", Decision::Reload),
                ChoiceOption::new('o', "overwrite", Decision::Overwrite),
                ChoiceOption::new('a', "save as…", Decision::SaveAs),
            ],
            cancel: Some(Decision::Cancel),
        },
        Question::Overwrite { path } => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            Modal::Choice {
                title: format!("Overwrite {name}?"),
                lines: vec![
                    format!("{} already exists.", path.display()),
                    "Writing here replaces what it holds.".to_owned(),
                ],
                options: vec![
                    ChoiceOption::new('o', "overwrite", Decision::OverwriteFile),
                    ChoiceOption::new('a', "another name…", Decision::ChooseAnotherPath),
                    ChoiceOption::new('c', "cancel", Decision::Cancel),
                ],
                cancel: Some(Decision::Cancel),
            }
        }
        Question::HardLinked { path, notice } => Modal::Choice {
            title: "A file with several names".to_owned(),
            lines: vec![
                notice,
                String::new(),
                format!(
                    "{} is open read-only: you may look and try edits; saving offers another file.",
                    path.display()
                ),
            ],
            options: vec![
                ChoiceOption::new('a', "save as…", Decision::SaveAs),
                ChoiceOption::new('r', "stay read-only", Decision::OpenReadOnly),
            ],
            cancel: Some(Decision::OpenReadOnly),
        },
        Question::ConfirmReload => Modal::Choice {
            title: "Reload from disk?".to_owned(),
            lines: vec![
                "Reloading replaces your unsaved edits with the file on disk.".to_owned(),
                "(Undo right after brings them back.)".to_owned(),
            ],
            options: vec![
                ChoiceOption::new('y', "reload", Decision::ReloadConfirmed),
                ChoiceOption::new('n', "cancel", Decision::Cancel),
            ],
            cancel: Some(Decision::Cancel),
        },
    }
}
