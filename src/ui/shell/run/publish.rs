//! Publishing from the workspace (SPEC §11): `P` publishes now, and with the portfolio's
//! `publish_to` set every successful save publishes too. The I/O half: new partner links are
//! recorded through [`App::apply`] and saved before any page names them; the pages are written
//! by the core's [`crate::publish::write_site`].

use chrono::Local;

use super::super::App;
use super::save_checked;
use crate::app::document::Source;
use crate::app::{EffectResult, Target};
use crate::publish;

/// `P`: publish to `chosen` (a folder the user just typed, which becomes the `publish_to`
/// setting) or to the setting; ask for a folder when neither is given.
pub(super) fn publish_now(app: &mut App, chosen: Option<String>) -> EffectResult {
    if app.doc.source == Source::Demo {
        return EffectResult::PublishFailed {
            message: "Not published: the partner links are kept in the portfolio file, and the \
                      sample has none. Save it as a file first (S)."
                .to_owned(),
        };
    }
    let chosen = chosen
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if let Some(folder) = chosen.clone() {
        app.apply(EffectResult::PublishFolderChosen { folder });
    }
    if app.doc.portfolio.publish_to.is_none() {
        return EffectResult::PathNeeded {
            input: "site".to_owned(),
            reason: Some(
                "No publish folder is set. A relative folder is taken from the portfolio's \
                 folder; it is kept in the portfolio and published to on every save."
                    .to_owned(),
            ),
            target: Target::PublishFolder,
        };
    }
    let before = app.doc.revision;
    if let Err(result) = give_links(app) {
        return result;
    }
    if app.doc.revision != before {
        // The links must be on disk before any page names them.
        let saved = save_checked(app, None, false);
        if !matches!(saved, EffectResult::Saved { .. }) {
            return saved;
        }
        app.apply(saved);
        return write_pages(app, true);
    }
    write_pages(app, false)
}

/// Carry out `save`; when it succeeded and the portfolio names a publish folder, publish too.
/// Published alliances without a link get one first, so the save keeps it.
pub(super) fn with_publish(
    app: &mut App,
    save: impl FnOnce(&mut App) -> EffectResult,
) -> EffectResult {
    let publishing = app.doc.portfolio.publish_to.is_some();
    if publishing && let Err(result) = give_links(app) {
        return result;
    }
    let result = save(app);
    if !publishing || !matches!(result, EffectResult::Saved { .. }) {
        return result;
    }
    app.apply(result);
    write_pages(app, true)
}

/// Give every published alliance without a partner link one, as one edit.
fn give_links(app: &mut App) -> Result<(), EffectResult> {
    let mut portfolio = app.doc.portfolio.clone();
    match publish::assign_tokens(&mut portfolio, None) {
        Ok(changes) if changes.any() => {
            app.apply(EffectResult::LinksAssigned {
                portfolio: Box::new(portfolio),
                created: changes.created,
            });
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(e) => Err(EffectResult::PublishFailed {
            message: format!("Not published: {e}"),
        }),
    }
}

/// Write the pages of what is on screen to the `publish_to` folder.
fn write_pages(app: &App, after_save: bool) -> EffectResult {
    let (Some(setting), Some(path)) = (&app.doc.portfolio.publish_to, app.doc.path()) else {
        return EffectResult::PublishFailed {
            message: "Not published: no publish folder is set".to_owned(),
        };
    };
    let folder = publish::publish_dir(path, setting);
    match publish::write_site(&app.doc.portfolio, &app.doc.scores, &folder) {
        Ok(done) => EffectResult::Published {
            folder,
            pages: done.pages.len(),
            removed: done.removed.len(),
            warnings: done.warnings,
            at: Local::now().format("%H:%M").to_string(),
            after_save,
        },
        Err(e) => EffectResult::PublishFailed {
            message: format!("Not published: {e}"),
        },
    }
}
