//! The performance report: `cargo run --release --example perf_report` (builds the release
//! binary first). For 100 / 1,000 / 10,000 generated alliances it measures, on the real binary in
//! a pseudo-terminal: the first full frame from process start, keystroke-to-frame latency (median
//! of 50 `j` moves and of 50 status edits, each re-scoring), and peak memory (`VmHWM`); and in
//! process: `score()` and one full `ui::render` at 120×40 after an edit. Prints a Markdown table
//! (the one in PERFORMANCE.md). Linux only (`/proc`).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use alliance_desk::app::document::{Document, Source};
use alliance_desk::app::keymap::Keymap;
use alliance_desk::generate::generate;
use alliance_desk::model::Status;
use alliance_desk::score;
use alliance_desk::ui::shell::App;
use alliance_desk::ui::theme::Theme;
use chrono::NaiveDate;
use support::{Session, keys};

const SIZES: [usize; 3] = [100, 1_000, 10_000];
const PRESSES: usize = 50;
const WAIT: Duration = Duration::from_secs(30);

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).expect("a real date")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The release binary beside this example (`target/release/examples/perf_report`), built first.
fn binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = std::process::Command::new(cargo)
        .args(["build", "--release", "--bin", "alliance-desk"])
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build --release failed");
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(Path::parent).expect("target/release");
    dir.join("alliance-desk")
}

/// Send `key` and time until the screen differs from before.
fn keystroke(s: &mut Session, key: &str) -> Duration {
    let before = s.screen();
    let t = Instant::now();
    s.send(key);
    loop {
        if s.screen() != before {
            return t.elapsed();
        }
        assert!(t.elapsed() < WAIT, "no frame after a key");
        std::thread::sleep(Duration::from_micros(50));
    }
}

fn vm_hwm_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

struct Row {
    n: usize,
    file_kib: u64,
    first_frame: Duration,
    move_latency: Duration,
    edit_latency: Duration,
    peak_mib: f64,
    score: Duration,
    render: Duration,
    edit_in_process: Duration,
}

fn measure(bin: &Path, n: usize) -> Row {
    let home = support::temp_home();
    let portfolio = generate(n, 1);
    let path = support::write_portfolio(home.path(), "perf.ron", &portfolio);
    let file_kib = std::fs::metadata(&path).map_or(0, |m| m.len() / 1024);

    // First frame: from spawn until the header (brand) and the footer (keys) are both drawn.
    let mut s = Session::spawn(
        bin,
        &[path.to_str().expect("utf-8 path")],
        home.path(),
        120,
        40,
    );
    let brand = portfolio.brand.clone();
    s.wait_until(WAIT, |sc| sc.contains(&brand) && sc.contains("quit"))
        .unwrap_or_else(|sc| panic!("no first frame:\n{sc}"));
    let first_frame = s.started().elapsed();
    std::thread::sleep(Duration::from_millis(200));

    let moves: Vec<Duration> = (0..PRESSES).map(|_| keystroke(&mut s, "j")).collect();
    // Quick edit: Enter, then → steps the current alliance's status: an edit that re-scores.
    s.send(keys::ENTER);
    std::thread::sleep(Duration::from_millis(200));
    let edits: Vec<Duration> = (0..PRESSES)
        .map(|_| keystroke(&mut s, keys::RIGHT))
        .collect();
    let peak_mib = vm_hwm_kib(s.pid()) as f64 / 1024.0;
    s.send(keys::ESC);
    std::thread::sleep(Duration::from_millis(100));
    s.send("q");
    std::thread::sleep(Duration::from_millis(200));
    s.send("n");
    let _ = s.wait_exit(WAIT);

    // In process.
    let runs = if n >= 10_000 { 5 } else { 21 };
    let score_time = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(score::score(&portfolio, as_of()));
                t.elapsed()
            })
            .collect(),
    );
    let doc = Document::new(portfolio, as_of(), Source::Demo);
    let (theme, _) = Theme::load("dark", None);
    let mut app = App::new(doc, theme, Keymap::default());
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("backend");
    let mut edit_times = Vec::new();
    let mut render_times = Vec::new();
    for i in 0..runs {
        let t = Instant::now();
        app.doc.edit_current(format!("status {i}"), |a| {
            a.status = if a.status == Status::Active {
                Status::WindingDown
            } else {
                Status::Active
            };
        });
        edit_times.push(t.elapsed());
        // What the app does after every event.
        let t = Instant::now();
        app.views.portfolio.sync(&app.doc, app.share);
        terminal
            .draw(|f| alliance_desk::ui::render(&app, f))
            .expect("draw");
        render_times.push(t.elapsed());
    }
    Row {
        n,
        file_kib,
        first_frame,
        move_latency: median(moves),
        edit_latency: median(edits),
        peak_mib,
        score: score_time,
        render: median(render_times),
        edit_in_process: median(edit_times),
    }
}

fn main() {
    let bin = binary();
    let rows: Vec<Row> = SIZES.iter().map(|&n| measure(&bin, n)).collect();
    println!(
        "| alliances | file | first frame | `j` → frame (median of {PRESSES}) | edit → frame \
         (median of {PRESSES}) | peak memory (VmHWM) | `score()` | edit + re-score (in process) \
         | sync + render 120×40 (in process) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} KiB | {} | {} | {} | {:.1} MiB | {} | {} | {} |",
            r.n,
            r.file_kib,
            ms(r.first_frame),
            ms(r.move_latency),
            ms(r.edit_latency),
            r.peak_mib,
            ms(r.score),
            ms(r.edit_in_process),
            ms(r.render),
        );
    }
    println!(
        "\nfirst frame of the embedded sample (`--demo`): {}",
        ms(demo_first_frame(&bin))
    );
}

fn demo_first_frame(bin: &Path) -> Duration {
    let home = support::temp_home();
    let times: Vec<Duration> = (0..5)
        .map(|_| {
            let mut s = Session::spawn(bin, &["--demo"], home.path(), 120, 40);
            // The sample has comments, so a notice may be drawn over the workspace.
            s.wait_until(WAIT, |sc| {
                sc.contains("Northwind") && (sc.contains("Enter: close") || sc.contains("quit"))
            })
            .unwrap_or_else(|sc| panic!("no demo frame:\n{sc}"));
            let t = s.started().elapsed();
            s.send(keys::ESC);
            std::thread::sleep(Duration::from_millis(100));
            s.send("q");
            let _ = s.wait_exit(WAIT);
            t
        })
        .collect();
    median(times)
}
