//! The second half of the update step: what an effect came to ([`EffectResult`]) becomes the
//! document's new state, a status line or a modal. Only the update step writes those.

use super::questions;
use super::{App, Modal};
use crate::app::EffectResult;
use crate::app::document::Source;
use crate::app::safety::{Decision, Question};

impl App {
    /// Take in what the runner did with an effect.
    pub fn apply(&mut self, result: EffectResult) {
        match result {
            EffectResult::Saved { path, kept_backup } => {
                self.doc.read_only = None;
                self.doc.mark_saved();
                self.doc.source = Source::File(path.clone());
                self.status = Some(format!(
                    "Saved {}{}",
                    path.display(),
                    if kept_backup {
                        " (previous version kept as .bak)"
                    } else {
                        ""
                    }
                ));
                self.conflicts_after_save(&path);
            }
            EffectResult::SaveRefused { problems } => {
                let mut lines =
                    vec!["Not saved: the file would not load again. Fix these first:".to_owned()];
                lines.extend(problems);
                self.modal = Some(Modal::Notice {
                    title: "Not saved".to_owned(),
                    lines,
                });
            }
            EffectResult::SaveFailed { reason } => self.ask_save_as(Some(reason)),
            EffectResult::SaveAsNeeded { reason } => self.ask_save_as(reason),
            EffectResult::PathNeeded {
                input,
                reason,
                target,
            } => self.ask_path(&input, reason, target),
            EffectResult::Ask(question) => self.modal = Some(questions::ask(question)),
            EffectResult::ChangedOnDisk { path } => {
                self.modal = Some(questions::ask(Question::ChangedOnDisk { path }));
            }
            EffectResult::Written { status } => self.status = Some(status),
            EffectResult::WriteFailed { path, error } => {
                self.status = Some(format!("Could not write {}: {error}", path.display()));
            }
            EffectResult::NotWritten { path } => {
                self.status = Some(format!(
                    "Not written: {} is the open portfolio",
                    path.display()
                ));
            }
            EffectResult::Reloaded {
                path,
                portfolio,
                conflicts,
            } => {
                self.doc
                    .replace_portfolio(*portfolio, format!("reload {}", path.display()));
                self.doc.mark_saved();
                self.status = Some(format!("Reloaded {} (u undoes the reload)", path.display()));
                if let Some(file) = conflicts {
                    self.offer_conflicts(&path, file);
                }
            }
            EffectResult::ReloadFailed { message } => {
                self.modal = Some(Modal::Notice {
                    title: "Cannot reload".to_owned(),
                    lines: message.lines().map(str::to_owned).collect(),
                });
            }
            EffectResult::RecoveryFailed { error } => {
                self.status = Some(format!(
                    "Unsaved edits are not protected: the recovery write failed ({error}); it is \
                     retried at the next edit. Save with Ctrl-s."
                ));
                self.safety.recovery_failing = Some(error);
            }
            EffectResult::RecoveryWritten => {
                self.safety.recovery_failing = None;
                self.status =
                    Some("Unsaved edits are protected again (recovery file written).".to_owned());
            }
            EffectResult::Decided(decision) => self.decided(decision),
            EffectResult::ConflictsRemoved { path } => self.conflicts_removed(&path),
            EffectResult::ConflictsRemoveFailed { path, error } => {
                self.status = Some(format!(
                    "Could not remove {}: {error}; every conflict is settled, so it can be deleted",
                    crate::merge::conflicts_path(&path).display()
                ));
            }
            EffectResult::History {
                alliance,
                since,
                before,
            } => self.views.reviews.changes.store(alliance, since, before),
            EffectResult::RevenueProgress { path, progress } => {
                self.views.portfolio.revenue_progress(&path, progress);
            }
            EffectResult::RevenueRead { path, plan } => {
                self.views.portfolio.revenue_read(&path, *plan);
            }
            EffectResult::LinksAssigned { portfolio, created } => {
                self.doc.replace_portfolio(
                    *portfolio,
                    format!("new partner links for {}", created.join(", ")),
                );
            }
            EffectResult::PublishFolderChosen { folder } => {
                let mut portfolio = self.doc.portfolio.clone();
                portfolio.publish_to = Some(folder.clone());
                self.doc
                    .replace_portfolio(portfolio, format!("publish to {folder} on every save"));
            }
            EffectResult::Published {
                folder,
                pages,
                removed,
                warnings,
                at,
                after_save,
            } => {
                let line = format!(
                    "Published {pages} {} to {}{}{}{}",
                    if pages == 1 { "page" } else { "pages" },
                    folder.display(),
                    if removed > 0 {
                        format!(" ({removed} old removed)")
                    } else {
                        String::new()
                    },
                    warnings
                        .first()
                        .map_or(String::new(), |w| format!("; warning: {w}")),
                    if self.doc.is_dirty() && !after_save {
                        " · edits not saved yet: Ctrl-s saves"
                    } else {
                        ""
                    }
                );
                self.status = Some(match (&self.status, after_save) {
                    (Some(saved), true) => format!("{saved} · {line}"),
                    _ => line,
                });
                self.published_at = Some(at);
            }
            EffectResult::PublishFailed { message } => {
                self.modal = Some(Modal::Notice {
                    title: "Not published".to_owned(),
                    lines: message.lines().map(str::to_owned).collect(),
                });
            }
            // The loop ends; nothing is left to show.
            EffectResult::Quit => {}
        }
    }

    /// Say what an answered file question did, and carry out the answers that need no I/O.
    fn decided(&mut self, decision: Decision) {
        match decision {
            Decision::RestoreRecovery => {
                if let Some(p) = self.safety.pending_recovery.take() {
                    self.doc
                        .replace_portfolio(p, "restore unsaved edits from recovery");
                    self.status = Some(
                        "Restored your unsaved edits (u undoes the restore); Ctrl-s saves them"
                            .to_owned(),
                    );
                }
            }
            Decision::DiscardRecovery => {
                self.status = Some("Discarded the recovered edits".to_owned());
            }
            Decision::IgnoreDiskChange => {
                self.status = Some(
                    "Kept what is on screen; saving will ask before overwriting the file"
                        .to_owned(),
                );
            }
            Decision::SaveAs => self.ask_save_as(None),
            Decision::ChooseAnotherPath => {
                if let Some((path, target)) = self.safety.pending_write.take() {
                    self.ask_path(&path.display().to_string(), None, target);
                }
            }
            Decision::OpenReadOnly => {
                self.status = Some("Opened read-only: saving offers another file".to_owned());
            }
            Decision::Cancel => {
                self.safety.pending_write = None;
                self.status = Some("Cancelled".to_owned());
            }
            // The runner turns these into other results; they never arrive here.
            Decision::ShowRecoveryDiff
            | Decision::Reload
            | Decision::ReloadConfirmed
            | Decision::Overwrite
            | Decision::OverwriteFile
            | Decision::Quit => {}
        }
    }

    /// Open the next queued question or notice when nothing else is open; whether one opened.
    pub fn show_queued(&mut self) -> bool {
        if self.modal.is_some() {
            return false;
        }
        self.modal = self.queued.pop_front();
        self.modal.is_some()
    }
}
