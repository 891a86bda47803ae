//! The I/O half of the workspace's revenue import (SPEC §9): read the export the user named and
//! plan it against the open portfolio, on a worker thread so that a million-row export never
//! keeps a key waiting (issue 14). Nothing changes until the user applies the plan.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use super::super::App;
use crate::app::EffectResult;
use crate::import::revenue::{self, Plan, Problems, Progress, ReportColumns};
use crate::model::Portfolio;

/// How often the loop looks at a read in progress: often enough for a live row count.
pub(super) const POLL_EVERY: Duration = Duration::from_millis(100);

/// A revenue export being read on a worker thread.
pub struct RevenueJob {
    path: PathBuf,
    rows: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
    done: Receiver<Result<Plan, Problems>>,
    /// The progress last reported, so only news is.
    shown: Progress,
}

impl std::fmt::Debug for RevenueJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevenueJob")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What a look at the job found.
pub(super) enum Polled {
    Running(Option<EffectResult>),
    Finished(EffectResult),
}

impl RevenueJob {
    /// Start reading `path` as a Shopify orders export, or as an attribution report with
    /// `columns`, against a copy of `portfolio` as it is now (the plan is previewed against
    /// the same state, and applying re-reads nothing).
    pub(super) fn start(
        portfolio: &Portfolio,
        path: PathBuf,
        columns: Option<ReportColumns>,
    ) -> std::io::Result<Self> {
        let rows = Arc::new(AtomicU64::new(0));
        let bytes = Arc::new(AtomicU64::new(0));
        let (send, done) = mpsc::channel();
        let portfolio = portfolio.clone();
        let job_path = path.clone();
        let (job_rows, job_bytes) = (Arc::clone(&rows), Arc::clone(&bytes));
        std::thread::Builder::new()
            .name("revenue-import".to_owned())
            .spawn(move || {
                let mut progress = |p: Progress| {
                    job_rows.store(p.rows, Ordering::Relaxed);
                    job_bytes.store(p.bytes, Ordering::Relaxed);
                };
                // The receiver is gone only when the workspace quit meanwhile.
                let _ = send.send(plan(&portfolio, &job_path, columns.as_ref(), &mut progress));
            })?;
        Ok(Self {
            path,
            rows,
            bytes,
            done,
            shown: Progress::default(),
        })
    }

    /// The plan if the read finished, else news of its progress.
    pub(super) fn poll(&mut self) -> Polled {
        match self.done.try_recv() {
            Ok(plan) => Polled::Finished(EffectResult::RevenueRead {
                path: self.path.clone(),
                plan: Box::new(plan),
            }),
            Err(TryRecvError::Disconnected) => Polled::Finished(EffectResult::RevenueRead {
                path: self.path.clone(),
                plan: Box::new(Err(Problems {
                    lines: vec![format!(
                        "{}: the import stopped unexpectedly; nothing changed",
                        revenue::visible(&self.path.display().to_string())
                    )],
                    more: 0,
                })),
            }),
            Err(TryRecvError::Empty) => {
                let now = Progress {
                    rows: self.rows.load(Ordering::Relaxed),
                    bytes: self.bytes.load(Ordering::Relaxed),
                };
                let news = (now != self.shown).then(|| {
                    self.shown = now;
                    EffectResult::RevenueProgress {
                        path: self.path.clone(),
                        progress: now,
                    }
                });
                Polled::Running(news)
            }
        }
    }

    /// Wait for the read to finish (tests, which drive the loop by hand).
    #[cfg(test)]
    pub(super) fn wait(self) -> EffectResult {
        let plan = self.done.recv().unwrap_or_else(|_| {
            Err(Problems {
                lines: vec!["the import stopped unexpectedly".to_owned()],
                more: 0,
            })
        });
        EffectResult::RevenueRead {
            path: self.path,
            plan: Box::new(plan),
        }
    }
}

/// Start reading the export at `path`; a thread that cannot start is reported as the read's
/// outcome.
pub(super) fn read(
    app: &mut App,
    path: PathBuf,
    columns: Option<ReportColumns>,
) -> Option<EffectResult> {
    match RevenueJob::start(&app.doc.portfolio, path.clone(), columns) {
        Ok(job) => {
            app.revenue_job = Some(job);
            None
        }
        Err(e) => Some(EffectResult::RevenueRead {
            path,
            plan: Box::new(Err(Problems {
                lines: vec![format!("cannot start reading the export: {e}")],
                more: 0,
            })),
        }),
    }
}

/// Read and plan: the file streams from disk. Messages name the file as the popup's title
/// does: `orders.csv:LINE: …`.
fn plan(
    portfolio: &Portfolio,
    path: &std::path::Path,
    columns: Option<&ReportColumns>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Plan, Problems> {
    let name = revenue::visible(&path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    ));
    match std::fs::File::open(path) {
        Err(e) => Err(Problems {
            lines: vec![format!(
                "{}: cannot read: {e}",
                revenue::visible(&path.display().to_string())
            )],
            more: 0,
        }),
        Ok(file) => match columns {
            None => revenue::plan_shopify(portfolio, file, &name, progress),
            Some(columns) => revenue::plan_report(portfolio, file, &name, columns, progress),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    use super::super::{Flow, run_effect};
    use crate::import::revenue::generate;
    use crate::model::Portfolio;
    use crate::store;
    use crate::ui::shell::App;
    use crate::ui::shell::tests::{file_app, screen};

    fn open(dir: &Path) -> (App, std::path::PathBuf) {
        let file = dir.join("p.ron");
        let mut p = generate::sample_portfolio();
        p.as_of = NaiveDate::from_ymd_opt(2026, 10, 31);
        store::save(&file, &p).unwrap();
        (file_app(&file), file)
    }

    /// A key, and (as the loop would, later) the export read it started.
    fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
        press_only(app, code, modifiers);
        if let Some(job) = app.revenue_job.take() {
            app.apply(job.wait());
        }
    }

    /// A key, leaving a read it started in the background.
    fn press_only(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
        let effects = app.handle_event(&Event::Key(KeyEvent::new(code, modifiers)));
        for e in effects {
            assert_eq!(run_effect(app, e), Flow::Continue);
        }
    }

    /// `i`, the path typed over the prefilled folder, Enter.
    fn import(app: &mut App, path: &Path) {
        press(app, KeyCode::Char('i'), KeyModifiers::NONE);
        press(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        for c in path.display().to_string().chars() {
            press(app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(app, KeyCode::Enter, KeyModifiers::NONE);
    }

    #[test]
    fn the_export_is_read_in_the_background_and_esc_stops_waiting_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = open(dir.path());
        let before: Portfolio = app.doc.portfolio.clone();
        let path = orders(dir.path());

        press(&mut app, KeyCode::Char('i'), KeyModifiers::NONE);
        press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        for c in path.display().to_string().chars() {
            press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press_only(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(app.revenue_job.is_some(), "the read runs on a worker");
        let text = screen(&mut app, 120, 40);
        assert!(text.contains("Reading"), "{text}");
        assert!(
            text.contains("Opening the file") || text.contains("read so far"),
            "the popup says how far the reading got:\n{text}"
        );
        assert!(text.contains("Esc: cancel"), "{text}");

        // The loop's look at the job: progress, then the plan.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while app.revenue_job.is_some() && std::time::Instant::now() < deadline {
            super::super::background(&mut app, std::time::Instant::now());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(app.revenue_job.is_none(), "the read finished");
        let text = screen(&mut app, 120, 40);
        assert!(
            text.contains("Import revenue from orders_export_1.csv"),
            "{text}"
        );
        press(&mut app, KeyCode::Esc, KeyModifiers::NONE);

        // Esc while reading: the popup closes at once, and the late plan is dropped.
        press(&mut app, KeyCode::Char('i'), KeyModifiers::NONE);
        press_only(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(app.revenue_job.is_some());
        press_only(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            app.status.as_deref(),
            Some("Import cancelled: nothing changed")
        );
        let job = app.revenue_job.take().expect("still reading");
        app.apply(job.wait());
        let text = screen(&mut app, 120, 40);
        assert!(!text.contains("Import revenue"), "{text}");
        assert_eq!(app.doc.portfolio, before, "nothing changed");
    }

    fn orders(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("orders_export_1.csv");
        let file = std::fs::File::create(&path).unwrap();
        generate::shopify_orders(
            &generate::ShopifyOptions {
                orders: 200,
                ..generate::ShopifyOptions::default()
            },
            file,
        )
        .unwrap();
        path
    }

    #[test]
    fn the_preview_applies_as_one_undo_step_and_cancel_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, file) = open(dir.path());
        let on_disk = std::fs::read(&file).unwrap();
        let before: Portfolio = app.doc.portfolio.clone();
        let path = orders(dir.path());

        import(&mut app, &path);
        let text = screen(&mut app, 120, 40);
        for expected in [
            "Import revenue from orders_export_1.csv",
            "brand total",
            "— →",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
        press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(app.doc.portfolio, before, "cancel changes nothing");
        assert_eq!(
            app.status.as_deref(),
            Some("Import cancelled: nothing changed")
        );

        import(&mut app, &path);
        insta::assert_snapshot!("import_preview_80x24", screen(&mut app, 80, 24));
        press(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert_ne!(app.doc.portfolio, before);
        assert!(app.doc.scores.alliances[0].arcr.latest.is_some());
        let status = app.status.clone().unwrap_or_default();
        assert!(status.starts_with("Imported "), "{status}");
        assert_eq!(
            std::fs::read(&file).unwrap(),
            on_disk,
            "written only by a save"
        );
        press(&mut app, KeyCode::Char('u'), KeyModifiers::NONE);
        assert_eq!(app.doc.portfolio, before, "one undo step undoes it all");
        assert!(app.doc.scores.alliances[0].arcr.latest.is_none());
    }

    #[test]
    fn a_second_import_of_the_same_export_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = open(dir.path());
        let path = orders(dir.path());
        import(&mut app, &path);
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        let revision = app.doc.revision;
        import(&mut app, &path);
        assert!(screen(&mut app, 120, 40).contains("(unchanged)"));
        press(&mut app, KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(app.doc.revision, revision);
        assert!(
            app.status
                .as_deref()
                .is_some_and(|s| s.starts_with("Nothing to import")),
            "{:?}",
            app.status
        );
    }

    #[test]
    fn bad_input_lists_every_problem_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = open(dir.path());
        let before = app.doc.portfolio.clone();
        let path = dir.path().join("ORDERS.csv");
        std::fs::write(
            &path,
            "Name,Financial Status,Currency,Subtotal,Discount Code,Created at,Cancelled at,\
             Refunded Amount,Tags,Source\n\
             #1,paid,EUR,1.00,,2026-10-01,,,,\n#2,paid,USD,abc,,2026-10-01,,,,\n",
        )
        .unwrap();
        import(&mut app, &path);
        let text = screen(&mut app, 120, 40);
        for expected in [
            "Cannot import ORDERS.csv",
            "ORDERS.csv:2: order #1 is in EUR",
            "ORDERS.csv:3: `Subtotal` \"abc\" is not a number",
            "2 problems; nothing imported",
        ] {
            assert!(text.contains(expected), "{expected:?} in\n{text}");
        }
        // Enter goes back to the path, Esc closes; nothing changed.
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(screen(&mut app, 120, 40).contains("Shopify orders export (Orders"));
        press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(app.doc.portfolio, before);

        let missing = dir.path().join("nope.csv");
        import(&mut app, &missing);
        assert!(screen(&mut app, 120, 40).contains("nope.csv: cannot read"));
    }

    #[test]
    fn an_attribution_report_with_its_columns_sets_alliance_revenue_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = open(dir.path());
        let path = dir.path().join("report.csv");
        std::fs::write(
            &path,
            "Date,Channel,Revenue\n2026-10-01,Glow-Newsletter,1200.50\n2026-10-15,google,9000\n\
             2026-10-20,glow-newsletter,300\n",
        )
        .unwrap();
        press(&mut app, KeyCode::Char('i'), KeyModifiers::NONE);
        press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        for c in path.display().to_string().chars() {
            press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
        press(&mut app, KeyCode::Right, KeyModifiers::NONE);
        assert!(screen(&mut app, 120, 40).contains("Revenue column"));
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
        }
        press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(
            screen(&mut app, 120, 40).contains("needs its date, revenue and key columns"),
            "an empty column is refused before reading"
        );
        for c in "channel".chars() {
            press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        let text = screen(&mut app, 120, 40);
        assert!(text.contains("— → 1,500.50"), "{text}");
        assert!(!text.contains("brand total"), "{text}");
        press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        let october = "2026-10".parse().unwrap();
        let glow = app.doc.portfolio.alliance("glow").unwrap();
        assert_eq!(glow.revenue.get(&october), Some(&1500.5));
        assert!(!app.doc.portfolio.revenue.contains_key(&october));
    }

    #[test]
    fn share_mode_refuses_the_import() {
        let mut app = crate::ui::shell::tests::demo_app();
        app.handle_event(&Event::Key(KeyEvent::from(KeyCode::Char('s'))));
        let effects = app.handle_event(&Event::Key(KeyEvent::from(KeyCode::Char('i'))));
        assert!(effects.is_empty());
        assert!(
            app.status
                .as_deref()
                .is_some_and(|s| s.contains("off while sharing")),
            "{:?}",
            app.status
        );
    }
}
