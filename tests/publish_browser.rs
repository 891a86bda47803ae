//! Every published page of the sample, rendered in a real browser (headless Chromium): to a PNG
//! at phone and desktop widths (kept in `target/publish-screenshots/` to look at) and to its
//! DOM, which is checked for what a partner may see (SPEC §7, §11).
//!
//! "No request leaves the page" is checked, not assumed: Chromium runs with every request sent
//! through a proxy this test listens on, and a control page with two remote images proves the
//! listener sees what a page requests. Chromium's own background calls to Google services are
//! told apart by host. Chromium is required: without it the test fails and says how to install
//! it (`.ci/run` does).

use std::fs;
use std::io::Read as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use alliance_desk::model::{Portfolio, Status};

const BIN: &str = env!("CARGO_BIN_EXE_alliance-desk");

/// Where the screenshots go (not committed: `target/` is ignored).
fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/publish-screenshots");
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn chromium() -> PathBuf {
    let candidates = [PathBuf::from("/usr/bin/chromium")];
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("chromium"));
    candidates
        .into_iter()
        .chain(on_path)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "headless Chromium is needed for this test and was not found (/usr/bin/chromium \
                 or `chromium` on PATH). Install it: `apt-get update && apt-get install -y \
                 chromium` (.ci/run does this when it is missing)."
            )
        })
}

/// A listener standing in for the whole network: Chromium sends every request to it as its
/// proxy, and it records each request's first line.
struct Network {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Network {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&seen), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            loop {
                match listener.accept() {
                    Ok((mut conn, _)) => {
                        conn.set_nonblocking(false).ok();
                        conn.set_read_timeout(Some(Duration::from_secs(2))).ok();
                        let mut buf = [0u8; 512];
                        let n = conn.read(&mut buf).unwrap_or(0);
                        let text = String::from_utf8_lossy(&buf[..n]);
                        let line = text
                            .lines()
                            .next()
                            .unwrap_or("(no request line)")
                            .to_owned();
                        s.lock().unwrap().push(line);
                    }
                    // Pending connections are accepted before `WouldBlock`, so stopping here
                    // loses none that were made before `stop`.
                    Err(_) if st.load(Ordering::SeqCst) => break,
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            port,
            seen,
            stop,
            thread: Some(thread),
        }
    }

    /// Every request line seen so far, emptied.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The host a proxied request line asks for (`GET http://h/…` or `CONNECT h:443 …`).
fn host(line: &str) -> String {
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let target = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
        .unwrap_or(target);
    let host = target.split(['/', '?']).next().unwrap_or("");
    host.rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase()
}

/// Chromium's own calls home (component updates, clock, account checks), which no page makes.
/// Fonts and static files from Google are not in this list: a page loading them would fail.
fn is_browser_background(host: &str) -> bool {
    let google = [".google.com", ".googleapis.com", ".gvt1.com"]
        .iter()
        .any(|d| host.ends_with(d));
    google && !host.starts_with("fonts.") && !host.contains("gstatic")
}

/// Render `page` at `width`: the PNG goes to `png`, the DOM is returned, and so is every
/// request the page made.
fn render(net: &Network, page: &Path, width: u32, png: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let _ = net.take();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--no-pings",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--proxy-server=http://127.0.0.1:{}", net.port))
        // Even loopback addresses go through the proxy: nothing reaches a network unseen.
        .arg("--proxy-bypass-list=<-loopback>")
        .arg(format!("--window-size={width},2400"))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut dom = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut dom)
        .unwrap();
    // A guard against a hung browser, not a speed check.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not exit rendering {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let requests = net
        .take()
        .into_iter()
        .filter(|l| !is_browser_background(&host(l)))
        .collect();
    assert!(png.is_file(), "no screenshot of {}", page.display());
    (dom, requests)
}

/// Print `page` to a PDF with Chromium and return the PDF's bytes.
fn print_pdf(page: &Path, pdf: &Path) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("chromium starts");
    assert!(
        status.success(),
        "chromium could not print {}",
        page.display()
    );
    fs::read(pdf).unwrap()
}

/// Text as the DOM serialiser writes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// Every `name="value"` attribute value in `dom`.
fn attributes<'a>(dom: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    dom.match_indices(&key)
        .filter_map(|(i, _)| {
            let rest = &dom[i + key.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Every `<svg …>…</svg>` block.
fn svgs(dom: &str) -> Vec<&str> {
    dom.match_indices("<svg")
        .filter_map(|(i, _)| dom[i..].find("</svg>").map(|end| &dom[i..i + end]))
        .collect()
}

fn check_self_contained(dom: &str, allowed_links: &[String], name: &str) {
    assert!(!dom.contains("<script"), "{name}: a script");
    assert!(
        !dom.contains("<link"),
        "{name}: a <link> (stylesheet, icon, prefetch)"
    );
    assert!(!dom.contains("url("), "{name}: a CSS url()");
    assert!(!dom.contains("@import"), "{name}: a CSS @import");
    assert!(
        attributes(dom, "src").is_empty(),
        "{name}: something with src="
    );
    for href in attributes(dom, "href") {
        let remote = href.contains("://") || href.starts_with("//");
        assert!(
            !remote || allowed_links.iter().any(|a| a == href),
            "{name}: a link to {href} that the user did not enter"
        );
    }
}

fn check_charts(dom: &str, name: &str) {
    let charts = svgs(dom);
    assert!(!charts.is_empty(), "{name}: no chart");
    for svg in &charts {
        let values: Vec<_> = svg.match_indices("class=\"value\"").collect();
        assert!(
            !values.is_empty(),
            "{name}: a chart without its values as text"
        );
    }
    assert_eq!(
        dom.matches("<figcaption>").count(),
        charts.len(),
        "{name}: every chart has a caption with its values"
    );
}

fn health_total(dom: &str) -> bool {
    (4..=20).any(|n| dom.contains(&format!("{n}/20")))
}

#[test]
fn every_sample_page_renders_in_chromium_and_shows_only_what_it_may() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("northwind.ron");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_portfolio/northwind.ron"),
        &file,
    )
    .unwrap();
    let out = dir.path().join("site");
    let status = Command::new(BIN)
        .arg("publish")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let p: Portfolio = alliance_desk::store::load(&file).unwrap().portfolio;
    let shots = shots_dir();
    let net = Network::start();

    // The detector works: a page that loads two remote images is caught.
    let control = dir.path().join("control.html");
    fs::write(
        &control,
        "<p>control</p><img src=\"http://example.com/a.png\"><img src=\"https://example.org/b.png\">",
    )
    .unwrap();
    let (_, requests) = render(&net, &control, 390, &dir.path().join("control.png"));
    let hosts: Vec<String> = requests.iter().map(|l| host(l)).collect();
    assert!(
        hosts.contains(&"example.com".to_owned()) && hosts.contains(&"example.org".to_owned()),
        "the request detector missed the control page's images: {requests:?}"
    );

    let dashboards: Vec<String> = p
        .alliances
        .iter()
        .filter_map(|a| a.charter.as_ref().map(|c| c.dashboard.trim().to_owned()))
        .filter(|d| !d.is_empty())
        .collect();

    // The internal page.
    let internal = out.join("index.html");
    for (width, label) in [(390, "phone"), (1280, "desktop")] {
        let png = shots.join(format!("internal-{label}.png"));
        let (dom, requests) = render(&net, &internal, width, &png);
        assert!(
            requests.is_empty(),
            "internal page made requests: {requests:?}"
        );
        check_self_contained(&dom, &dashboards, "internal page");
        check_charts(&dom, "internal page");
        for id in ["weekly", "monthly", "quarterly", "outcomes"] {
            assert!(dom.contains(&format!("id=\"{id}\"")), "internal page: {id}");
        }
        for a in &p.alliances {
            assert!(
                dom.contains(&esc(&a.partner)),
                "internal page lists {}",
                a.partner
            );
        }
    }

    // Every partner page.
    let published: Vec<_> = p
        .alliances
        .iter()
        .filter(|a| matches!(a.status, Status::Active | Status::WindingDown))
        .collect();
    assert!(published.len() >= 2);
    for a in &published {
        let token = a
            .share_token
            .as_deref()
            .expect("published alliances have tokens");
        let page = out.join(token).join("index.html");
        let name = format!("{}'s page", a.id);
        for (width, label) in [(390, "phone"), (1280, "desktop")] {
            let png = shots.join(format!("partner-{}-{label}.png", a.id));
            let (dom, requests) = render(&net, &page, width, &png);
            assert!(requests.is_empty(), "{name} made requests: {requests:?}");
            let own = esc(&a.partner);
            assert!(dom.contains(&own), "{name} lacks its partner's name");
            let rest = dom.replace(&own, "");
            for other in p.alliances.iter().filter(|o| o.id != a.id) {
                assert!(
                    !rest.contains(&esc(&other.partner)),
                    "{name} names {}",
                    other.partner
                );
            }
            for intake in &p.pipeline {
                assert!(
                    !rest.contains(&esc(&intake.partner)),
                    "{name} shows the pipeline"
                );
            }
            for any in &p.alliances {
                let note = any.notes.trim();
                assert!(
                    note.is_empty() || !dom.contains(&esc(note)),
                    "{name}: notes of {}",
                    any.id
                );
            }
            assert!(!health_total(&dom), "{name} shows a health score");
            assert!(
                !dom.to_lowercase().contains("health"),
                "{name} mentions health"
            );
            assert!(
                !dom.to_lowercase().contains("audit"),
                "{name} mentions the audit"
            );
            assert!(
                !dom.contains("Alliance share"),
                "{name} shows the portfolio share"
            );
            for total in p.revenue.values() {
                let plain = format!("{total:.0}");
                let grouped = format!("{},{:03}", (*total as u64) / 1000, (*total as u64) % 1000);
                assert!(
                    !dom.contains(&plain) && !dom.contains(&grouped),
                    "{name} shows the brand total {total}"
                );
            }
            for id in ["weekly", "monthly", "quarterly"] {
                assert!(dom.contains(&format!("id=\"{id}\"")), "{name}: view {id}");
            }
            check_self_contained(&dom, &dashboards, &name);
            check_charts(&dom, &name);
        }
    }

    // Printing: the pages ask for A4 (595 × 842 points), and Chromium's print honours it.
    for (page, label) in [
        (internal, "internal".to_owned()),
        (
            out.join(published[0].share_token.as_deref().unwrap())
                .join("index.html"),
            format!("partner-{}", published[0].id),
        ),
    ] {
        let pdf = print_pdf(&page, &shots.join(format!("{label}.pdf")));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/MediaBox [0 0 594.9") && text.contains("841.9"),
            "{label}: not printed on A4"
        );
    }
}
