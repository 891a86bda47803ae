use crossterm::event::{Event, KeyCode, KeyEvent};
fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let opts = alliance_desk::app::options::WorkspaceOptions {
        file: Some(path),
        ..Default::default()
    };
    let mut app = alliance_desk::ui::shell::startup::prepare(&opts, None).unwrap();
    app.modal = None;
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut term = ratatui::Terminal::new(backend).unwrap();
    term.draw(|f| alliance_desk::ui::render(&app, f)).unwrap();
    let key = |c| Event::Key(KeyEvent::from(c));
    app.handle_event(&key(KeyCode::Enter));
    for pause in [0u64, 1100] {
        let (mut handle, mut draw) = (vec![], vec![]);
        for _ in 0..10 {
            std::thread::sleep(std::time::Duration::from_millis(pause));
            let t = std::time::Instant::now();
            app.handle_event(&key(KeyCode::Right));
            handle.push(t.elapsed());
            let t = std::time::Instant::now();
            term.draw(|f| alliance_desk::ui::render(&app, f)).unwrap();
            draw.push(t.elapsed());
        }
        handle.sort();
        draw.sort();
        println!(
            "pause {pause} ms: handle median {:?} draw median {:?}",
            handle[5], draw[5]
        );
    }
}
