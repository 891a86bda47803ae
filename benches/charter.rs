//! Charter benchmark: one keystroke in a charter text field (model edit, re-score, redraw) on a
//! generated 1,000-alliance portfolio at 120×40. The target is under 5 ms.
//! Run: `cargo bench --bench charter`.

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

fn charter(c: &mut Criterion) {
    let mut group = c.benchmark_group("charter");
    for n in [1_000, 10_000] {
        let portfolio = generate(n, 1);
        let as_of = portfolio.as_of.unwrap_or_default();
        let mut app = App::new(
            Document::new(portfolio, as_of, Source::Demo),
            Theme::default(),
            Keymap::default(),
        );
        // The middle alliance, its win-conditions step, editing the first metric.
        for _ in 0..n / 2 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Enter);
        if !app.views.charter.is_editing() {
            // A generated alliance without win conditions: edit the partner instead.
            press(&mut app, KeyCode::Left);
            press(&mut app, KeyCode::Enter);
        }
        assert!(app.views.charter.is_editing(), "a charter field has focus");
        let before = app.doc.revision;
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Backspace);
        assert_eq!(
            app.doc.revision,
            before + 2,
            "each keystroke is a model edit"
        );
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
        let mut typed = false;
        group.bench_function(format!("keystroke + frame, {n} alliances"), |b| {
            b.iter(|| {
                // Type a letter, then delete it: every iteration is one real model edit.
                press(
                    &mut app,
                    if typed {
                        KeyCode::Backspace
                    } else {
                        KeyCode::Char('x')
                    },
                );
                typed = !typed;
                terminal
                    .draw(|f| alliance_desk::ui::render(&app, f))
                    .map(|_| ())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, charter);
criterion_main!(benches);
