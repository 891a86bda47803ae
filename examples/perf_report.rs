//! The performance report, measured like an outsider (issue 14):
//! `cargo run --release --example perf_report -- [--bin PATH] [--sizes 1000,10000]
//! [--edits N] [--spacing-ms MS]`.
//!
//! It builds the release binary (unless `--bin` names one, e.g. an older build to compare
//! with), writes generated portfolios (`alliance_desk::generate::generate(n, 1)`, the text
//! `examples/generate_portfolio.rs` writes) and drives the binary in a pseudo-terminal at
//! 120×40, reading the screen through a VT parser:
//!
//! - **first frame**: process start → header and footer both on screen (median of 3);
//! - **`j` → screen**: 50 presses, key written → screen changed (p50 / p90 / max);
//! - **edit → screen**: N status edits (Portfolio quick edit, `→`) spaced `--spacing-ms` apart
//!   (default 1,100 ms, so each key arrives while the recovery write of the edit before it —
//!   due 1 s after an edit — is running), p50 / p90 / max;
//! - **peak memory**: `VmHWM` of the process after the edits;
//! - **idle CPU**: clock ticks the process used over 3 s with nothing to do after the edits;
//! - **reference**: a fixed CPU workload (integer hashing, no allocation) timed in the same run,
//!   before and after, so figures from different days and loads compare as ratios.
//!
//! Prints Markdown (the tables in PERFORMANCE.md). Linux only (`/proc`).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::{Session, keys};

const MOVES: usize = 50;
const WAIT: Duration = Duration::from_secs(60);

struct Options {
    bin: Option<PathBuf>,
    sizes: Vec<usize>,
    edits: usize,
    spacing: Duration,
}

fn options() -> Options {
    let mut o = Options {
        bin: None,
        sizes: vec![1_000, 10_000],
        edits: 100,
        spacing: Duration::from_millis(1_100),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--bin" => o.bin = Some(PathBuf::from(value)),
            "--sizes" => {
                o.sizes = value
                    .split(',')
                    .map(|n| n.parse().expect("--sizes: numbers"))
                    .collect();
            }
            "--edits" => o.edits = value.parse().expect("--edits: a number"),
            "--spacing-ms" => {
                o.spacing = Duration::from_millis(value.parse().expect("--spacing-ms: a number"));
            }
            _ => panic!("unknown option {flag}"),
        }
    }
    o
}

/// The release binary beside this example (`target/release/examples/perf_report`), built first.
fn build() -> PathBuf {
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

/// The fixed reference workload: 200 million rounds of an integer hash, no memory traffic.
fn reference() -> Duration {
    let t = Instant::now();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..200_000_000u64 {
        x ^= i;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 31;
    }
    std::hint::black_box(x);
    t.elapsed()
}

fn median_reference() -> Duration {
    let mut v: Vec<Duration> = (0..3).map(|_| reference()).collect();
    v.sort();
    v[1]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// p50 / p90 / max.
fn spread(mut v: Vec<Duration>) -> [Duration; 3] {
    v.sort();
    [
        percentile(&v, 0.5),
        percentile(&v, 0.9),
        *v.last().expect("samples"),
    ]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
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

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// utime + stime of the process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = after.split_whitespace().collect();
            // Fields 14 and 15 of stat; `after` starts at field 3.
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

struct Row {
    n: usize,
    file_kib: u64,
    first_frame: Duration,
    moves: [Duration; 3],
    edits: [Duration; 3],
    edits_done: usize,
    peak_mib: f64,
    idle_ticks: u64,
}

fn first_frame(bin: &Path, path: &Path, home: &Path, brand: &str) -> Duration {
    let mut s = Session::spawn(bin, &[path.to_str().expect("utf-8 path")], home, 120, 40);
    s.wait_until(WAIT, |sc| sc.contains(brand) && sc.contains("quit"))
        .unwrap_or_else(|sc| panic!("no first frame:\n{sc}"));
    let t = s.started().elapsed();
    s.send("q");
    let _ = s.wait_exit(WAIT);
    t
}

fn measure(bin: &Path, n: usize, o: &Options) -> Row {
    let home = support::temp_home();
    let portfolio = alliance_desk::generate::generate(n, 1);
    let path = home.path().join("perf.ron");
    std::fs::write(&path, alliance_desk::store::to_canonical_ron(&portfolio)).expect("write");
    let file_kib = std::fs::metadata(&path).map_or(0, |m| m.len() / 1024);
    let brand = portfolio.brand.clone();
    drop(portfolio);

    let mut frames: Vec<Duration> = (0..3)
        .map(|_| first_frame(bin, &path, home.path(), &brand))
        .collect();
    frames.sort();

    let mut s = Session::spawn(
        bin,
        &[path.to_str().expect("utf-8 path")],
        home.path(),
        120,
        40,
    );
    s.wait_until(WAIT, |sc| sc.contains(&brand) && sc.contains("quit"))
        .unwrap_or_else(|sc| panic!("no first frame:\n{sc}"));
    std::thread::sleep(Duration::from_millis(300));
    let moves: Vec<Duration> = (0..MOVES).map(|_| keystroke(&mut s, "j")).collect();
    // Quick edit: Enter, then → steps the current alliance's status: an edit that re-scores
    // and, 1 s later, writes the recovery file.
    s.send(keys::ENTER);
    std::thread::sleep(Duration::from_millis(300));
    let mut edits = Vec::with_capacity(o.edits);
    for _ in 0..o.edits {
        let t = Instant::now();
        edits.push(keystroke(&mut s, keys::RIGHT));
        std::thread::sleep(o.spacing.saturating_sub(t.elapsed()));
    }
    // Let the last recovery write finish, then look at the high-water mark and idle CPU.
    std::thread::sleep(Duration::from_secs(2));
    let peak_mib = proc_status_kib(s.pid(), "VmHWM:") as f64 / 1024.0;
    let before = cpu_ticks(s.pid());
    std::thread::sleep(Duration::from_secs(3));
    let idle_ticks = cpu_ticks(s.pid()) - before;
    s.send(keys::ESC);
    std::thread::sleep(Duration::from_millis(100));
    s.send("q");
    std::thread::sleep(Duration::from_millis(300));
    s.send("n");
    let _ = s.wait_exit(WAIT);
    Row {
        n,
        file_kib,
        first_frame: frames[1],
        moves: spread(moves),
        edits_done: edits.len(),
        edits: spread(edits),
        peak_mib,
        idle_ticks,
    }
}

fn demo_first_frame(bin: &Path) -> Duration {
    let home = support::temp_home();
    let mut times: Vec<Duration> = (0..5)
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
    times.sort();
    times[2]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn main() {
    let o = options();
    let bin = o.bin.clone().unwrap_or_else(build);
    let ref_before = median_reference();
    let load_before = load_average();
    let demo = demo_first_frame(&bin);
    let rows: Vec<Row> = o.sizes.iter().map(|&n| measure(&bin, n, &o)).collect();
    let ref_after = median_reference();
    let reference = (ref_before + ref_after) / 2;
    let r = |d: Duration| format!("{:.3}", d.as_secs_f64() / reference.as_secs_f64());
    println!("binary: {}", bin.display());
    println!(
        "reference workload: {} ms before, {} ms after (ratio column = figure ÷ their mean, {} ms)",
        ms(ref_before),
        ms(ref_after),
        ms(reference)
    );
    println!(
        "load average: {load_before} before, {} after",
        load_average()
    );
    println!(
        "sample (`--demo`) first frame: {} ms (× ref {})\n",
        ms(demo),
        r(demo)
    );
    println!(
        "| alliances | file | first frame ms (× ref) | `j` → screen ms p50 / p90 / max | edit → \
         screen ms p50 / p90 / max (edits, spacing) | max edit × ref | peak memory | idle CPU ticks / 3 s |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!(
            "| {} | {} KiB | {} ({}) | {} / {} / {} | {} / {} / {} ({}, {} ms) | {} | {:.1} MiB | {} |",
            row.n,
            row.file_kib,
            ms(row.first_frame),
            r(row.first_frame),
            ms(row.moves[0]),
            ms(row.moves[1]),
            ms(row.moves[2]),
            ms(row.edits[0]),
            ms(row.edits[1]),
            ms(row.edits[2]),
            row.edits_done,
            o.spacing.as_millis(),
            r(row.edits[2]),
            row.peak_mib,
            row.idle_ticks,
        );
    }
}
