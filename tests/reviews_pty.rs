//! End to end: the real binary in a pseudo-terminal runs a whole monthly business review on a
//! temporary portfolio, saves and quits; the file on disk has the review and the summary exists.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Wait until the screen shows `needle`, or fail with what it shows.
fn wait_for(parser: &Arc<Mutex<vt100::Parser>>, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let contents = parser.lock().unwrap().screen().contents();
        if contents.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {needle:?}; the screen shows:\n{contents}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_whole_mbr_in_a_terminal_is_stored_and_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portfolio.ron");
    // A canonical copy of the sample (no comments, so no notice at start).
    let loaded =
        alliance_desk::store::parse(alliance_desk::sample::NORTHWIND, "northwind.ron").unwrap();
    alliance_desk::store::save(&path, &loaded.portfolio).unwrap();
    let before = loaded.portfolio.alliance("glow").unwrap().reviews.len();

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_alliance-desk"));
    cmd.arg(&path);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir.path());
    cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
    cmd.env("XDG_DATA_HOME", dir.path().join("data"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(40).unwrap(),
        NonZeroU16::new(120).unwrap(),
        0,
    )));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let sink = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut send = |bytes: &str| {
        writer.write_all(bytes.as_bytes()).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    };
    const DOWN: &str = "\x1b[B";
    const PGDN: &str = "\x1b[6~";

    wait_for(&parser, "Glow & Co");
    send("4");
    wait_for(&parser, "Reviews of Glow & Co");
    send("r");
    wait_for(&parser, "Start a review");
    send(DOWN);
    send(DOWN);
    send("\r");
    wait_for(&parser, "Step 1/4 KPIs vs targets");
    send("Referral revenue ahead");
    wait_for(&parser, "Referral revenue ahead");
    send(PGDN);
    wait_for(&parser, "Step 2/4");
    send(PGDN);
    wait_for(&parser, "Step 3/4");
    // Add a commitment right there: owner (Partner), action, due.
    send("\t");
    send("Send the segmentation results");
    send("\r");
    send("2026-11-20\r");
    wait_for(&parser, "Commitment #11 added");
    send(PGDN);
    wait_for(&parser, "Step 4/4");
    send(PGDN);
    wait_for(&parser, "Summary preview");
    send("x");
    send("\r");
    wait_for(&parser, "MBR stored");
    send("\x13"); // Ctrl-s
    wait_for(&parser, "Saved");
    send("q");
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");

    let saved = alliance_desk::store::load(&path).unwrap().portfolio;
    let glow = saved.alliance("glow").unwrap();
    assert_eq!(glow.reviews.len(), before + 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("New commitments: #11"), "{text}");
    assert!(text.contains("Send the segmentation results"));
    let summary = std::fs::read_to_string(dir.path().join("glow-mbr-2026-11-15.md")).unwrap();
    assert!(
        summary.starts_with("# Monthly business review — Northwind Goods × Glow & Co, 2026-11-15")
    );
    assert!(summary.contains("Referral revenue ahead"));
    assert!(summary.contains("| 11 | Glow & Co | Send the segmentation results | 2026-11-20 |"));
}
