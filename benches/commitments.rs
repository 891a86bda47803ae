//! Commitments tab benchmarks on 10,000 generated alliances in "all alliances" mode at 120×40:
//! one frame, and one "mark done" keystroke (re-score, rebuild the filtered and sorted list,
//! redraw). Run: `cargo bench --bench commitments`.

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

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::from(code)));
}

fn commitments(c: &mut Criterion) {
    let mut group = c.benchmark_group("commitments");
    group.sample_size(20);
    let n = 10_000;
    let portfolio = generate(n, 1);
    let as_of = portfolio.as_of.unwrap_or_default();
    let mut app = App::new(
        Document::new(portfolio, as_of, Source::Demo),
        Theme::default(),
        Keymap::default(),
    );
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('A'));
    let rows = app.views.commitments.rows().len();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    group.bench_function(format!("frame, all {rows} commitments"), |b| {
        b.iter(|| {
            terminal
                .draw(|f| alliance_desk::ui::render(black_box(&app), f))
                .map(|_| ())
        });
    });
    group.bench_function(format!("mark done + frame, all {rows} commitments"), |b| {
        b.iter(|| {
            press(&mut app, KeyCode::Char('x'));
            terminal
                .draw(|f| alliance_desk::ui::render(&app, f))
                .map(|_| ())
        });
    });
    group.finish();
}

criterion_group!(benches, commitments);
criterion_main!(benches);
