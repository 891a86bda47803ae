//! Workspace benchmarks: one full frame, and one edit keystroke (re-score + redraw), on
//! generated portfolios of 1,000 and 10,000 alliances at 120×40.
//! Run: `cargo bench --bench workspace`.

use std::hint::black_box;

use alliance_desk::app::document::{Document, Source};
use alliance_desk::app::keymap::Keymap;
use alliance_desk::generate::generate;
use alliance_desk::ui::shell::App;
use alliance_desk::ui::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app(n: usize) -> App {
    let portfolio = generate(n, 1);
    let as_of = portfolio.as_of.unwrap_or_default();
    App::new(
        Document::new(portfolio, as_of, Source::Demo),
        Theme::default(),
        Keymap::default(),
    )
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::from(code)));
}

fn workspace(c: &mut Criterion) {
    let mut group = c.benchmark_group("workspace");
    for n in [1_000, 10_000] {
        let mut app = app(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
        group.bench_function(format!("frame, {n} alliances"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| alliance_desk::ui::render(black_box(&app), f))
                    .map(|_| ())
            });
        });
        // Middle of the table, so sorting and scrolling are exercised, then the health popup.
        for _ in 0..n / 2 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Down);
        let mut up = true;
        group.bench_function(format!("edit keystroke + frame, {n} alliances"), |b| {
            b.iter(|| {
                press(&mut app, if up { KeyCode::Right } else { KeyCode::Left });
                up = !up;
                terminal
                    .draw(|f| alliance_desk::ui::render(&app, f))
                    .map(|_| ())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, workspace);
criterion_main!(benches);
