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
    // A read-only file refuses the save: no links are made that could not be kept.
    if publishing
        && app.doc.read_only.is_none()
        && let Err(result) = give_links(app)
    {
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use super::super::{Flow, run_effect};
    use crate::app::Effect;
    use crate::model::Status;
    use crate::ui::shell::{App, Modal};
    use crate::{sample, store};

    fn sample_file(dir: &Path) -> PathBuf {
        let path = dir.join("p.ron");
        let loaded = store::parse(sample::NORTHWIND, "s").unwrap();
        store::save(&path, &loaded.portfolio).unwrap();
        path
    }

    fn open(path: &Path) -> App {
        crate::ui::shell::tests::file_app(path)
    }

    fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
        let effects = app.handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
        for e in effects {
            assert_eq!(run_effect(app, e), Flow::Continue);
        }
    }

    fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn published_ids(portfolio: &crate::model::Portfolio) -> Vec<&str> {
        portfolio
            .alliances
            .iter()
            .filter(|a| matches!(a.status, Status::Active | Status::WindingDown))
            .map(|a| a.id.as_str())
            .collect()
    }

    #[test]
    fn p_asks_for_a_folder_saves_the_new_links_publishes_and_shows_the_time() {
        let dir = tempfile::tempdir().unwrap();
        let file = sample_file(dir.path());
        let mut app = open(&file);
        press(&mut app, KeyCode::Char('P'), KeyModifiers::NONE);
        let Some(Modal::SaveAs { input, .. }) = &app.modal else {
            panic!("asks for a folder: {:?}", app.modal);
        };
        assert_eq!(input.text(), "site");
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(app.modal.is_none(), "{:?}", app.modal);
        let site = dir.path().join("site");
        assert!(site.join("index.html").is_file());
        let saved = store::load(&file).unwrap().portfolio;
        let ids = published_ids(&saved);
        assert!(!ids.is_empty());
        for id in ids {
            let token = saved.alliance(id).unwrap().share_token.clone();
            let token = token.unwrap_or_else(|| panic!("{id}'s link is saved"));
            assert!(site.join(&token).join("index.html").is_file(), "{id}");
        }
        assert_eq!(app.doc.portfolio.publish_to.as_deref(), Some("site"));
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("Published"), "{status}");
        assert!(app.published_at.is_some());
        let screen = crate::ui::shell::tests::screen(&mut app, 120, 40);
        assert!(
            screen.lines().next().unwrap().contains("published "),
            "{screen}"
        );
        // The folder setting is an edit to save; Ctrl-s saves it and publishes again.
        std::fs::remove_file(site.join("index.html")).unwrap();
        press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert!(site.join("index.html").is_file(), "the save published");
        assert_eq!(
            store::load(&file).unwrap().portfolio.publish_to.as_deref(),
            Some("site")
        );
        assert!(!app.doc.is_dirty());
    }

    #[test]
    fn with_publish_to_set_every_save_publishes_after_writing_new_links() {
        let dir = tempfile::tempdir().unwrap();
        let file = sample_file(dir.path());
        let mut app = open(&file);
        let mut p = app.doc.portfolio.clone();
        p.publish_to = Some("out/pages".to_owned());
        app.doc.replace_portfolio(p, "set publish folder");
        press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let site = dir.path().join("out/pages");
        assert!(site.join("index.html").is_file());
        let saved = store::load(&file).unwrap().portfolio;
        for id in published_ids(&saved) {
            let token = saved.alliance(id).unwrap().share_token.clone().unwrap();
            assert!(site.join(token).join("index.html").is_file(), "{id}");
        }
        let status = app.status.clone().unwrap_or_default();
        assert!(status.starts_with("Saved"), "{status}");
        assert!(status.contains("Published"), "{status}");
        assert!(!app.doc.is_dirty(), "the links were saved with the edit");
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = sample_file(dir.path());
        std::fs::write(dir.path().join("blocker"), "a file, not a folder").unwrap();
        let mut app = open(&file);
        let mut p = app.doc.portfolio.clone();
        p.publish_to = Some("blocker".to_owned());
        app.doc.replace_portfolio(p, "set publish folder");
        press(&mut app, KeyCode::Char('P'), KeyModifiers::NONE);
        let Some(Modal::Notice { title, lines }) = &app.modal else {
            panic!("a notice: {:?}", app.modal);
        };
        assert_eq!(title, "Not published");
        assert!(lines.join(" ").contains("blocker"), "{lines:?}");
    }

    #[test]
    fn share_mode_refuses_p_and_the_sample_must_be_saved_first() {
        let dir = tempfile::tempdir().unwrap();
        let file = sample_file(dir.path());
        let mut app = open(&file);
        typed(&mut app, "s");
        let effects = app.handle_event(&Event::Key(KeyEvent::from(KeyCode::Char('P'))));
        assert!(effects.is_empty());
        assert!(
            app.status
                .as_deref()
                .is_some_and(|s| s.contains("off while sharing")),
            "{:?}",
            app.status
        );
        assert!(!dir.path().join("site").exists());

        let mut demo = crate::ui::shell::tests::demo_app();
        let effects = demo.handle_event(&Event::Key(KeyEvent::from(KeyCode::Char('P'))));
        assert_eq!(effects, vec![Effect::Publish]);
        assert_eq!(run_effect(&mut demo, Effect::Publish), Flow::Continue);
        let Some(Modal::Notice { lines, .. }) = &demo.modal else {
            panic!("a notice: {:?}", demo.modal);
        };
        assert!(
            lines.join(" ").contains("Save it as a file first"),
            "{lines:?}"
        );
    }
}
