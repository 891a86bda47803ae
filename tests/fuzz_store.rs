//! Fuzzing the loader and validator with proptest: arbitrary bytes, arbitrary text, and the
//! sample file mutated by random byte/char insertions, deletions and replacements. Whatever the
//! input, `store::parse` (and `store::load` for raw bytes) returns `Ok` or a report — never a
//! panic. `PROPTEST_CASES` scales it (CI keeps proptest's default of 256 per target; the long run
//! is `PROPTEST_CASES=200000 cargo test --release --test fuzz_store`).
//!
//! `mutation_loop` is the high-volume run (SPEC §8: duplicate keys, huge numbers and dates, long
//! strings, ids at the top of their range): a seeded loop without proptest's overhead, over a
//! small portfolio and the sample. CI runs `FUZZ_ITERATIONS` (default 3000); the long run is
//! `FUZZ_ITERATIONS=1000000 FUZZ_SEED=1 cargo test --test fuzz_store mutation_loop -- --nocapture`.

use alliance_desk::sample::NORTHWIND;
use alliance_desk::store;
use proptest::prelude::*;

/// One edit of the text: at a position (a fraction of the length), insert, delete or replace.
#[derive(Clone, Debug)]
enum Mutation {
    InsertChar(f64, char),
    InsertToken(f64, &'static str),
    Delete(f64, usize),
    Replace(f64, char),
    Duplicate(f64, usize),
}

/// Pieces of RON and of the model that make mutations reach deep into the parser.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "Some(",
    "None",
    "//",
    "/*",
    "*/",
    "r#\"",
    "\"2026-02-30\"",
    "\"2026-13\"",
    "\"9999-99-99\"",
    "-1.0",
    "1e400",
    "NaN",
    "inf",
    "18446744073709551616",
    "-0",
    "0x1F",
    "Active",
    "Alliance(",
    "Portfolio(",
    "version: 2",
    "\u{0}",
    "\u{feff}",
    "é",
    "\\u{10FFFF}",
    "\\",
    "b\"x\"",
    "'c'",
    "#![enable(implicit_some)]",
    "\"2026-09\": 21000.0, \"2026-09\": 1.0, ",
    "\"2026-09\": 1.0, ",
    "\"+262142-12-31\"",
    "as_of: \"+262142-12-31\", ",
    "\"-0001-01-01\"",
    "\"0000-01\"",
    "\"10000-01-01\"",
    "\"9999-12-31\"",
    "\"0001-01-01\"",
    "4294967295",
    "4294967294",
    "-1e308",
    "1.7976931348623157e308",
    "-inf",
    "1_000",
    "\\u{1b}[2J",
    "\u{202e}",
    "Commitment(id: 4294967294, party: Us, action: \"x\", due: \"9999-12-31\"), ",
    "revenue: { \"9999-12\": 1.0 }, ",
    "as_of: \"9999-12-31\", ",
];

/// A small portfolio for the high-volume loop: every kind of field the limits look at.
const SMALL: &str = r##"Portfolio(
    version: 1,
    brand: "B",
    as_of: Some("2026-11-15"),
    revenue: { "2026-09": 405000.0, "2026-10": 418000.0 },
    alliances: [
        Alliance(
            id: "glow",
            partner: "Glow & Co",
            kind: CoMarketing,
            status: Active,
            started: "2025-11-01",
            charter: Some(Charter(
                win_conditions: [WinCondition(metric: "Referral revenue", target: Some(50000.0), unit: "USD/month", by: "2026-06-30", owner: Partner, actuals: { "2026-05": 41000.0, "2026-06": 52500.0 })],
                cadence: Cadence(weekly_channel: "#g", monthly_review_day: 15, quarterly_review_months: [1, 4, 7, 10]),
                review_date: "2026-02-01",
                signed: Some("2025-11-03"),
            )),
            health: [HealthScore(date: "2025-11-20", strategic_alignment: 4, execution_reliability: 3, revenue_contribution: 2, relationship_health: 4)],
            revenue: { "2026-09": 8200.0, "2026-10": 7900.0 },
            commitments: [Commitment(id: 1, party: Partner, action: "Email blast", due: "2026-10-05", done: Some("2026-10-04")), Commitment(id: 2, party: Us, action: "Bundle", due: "2026-12-01")],
            reviews: [Monthly(date: "2026-10-15", kpis: "k", summary_sent: Some("2026-10-15"))],
            escalations: [EscalationItem(raised: "2026-10-01", issue: "Shelf space")],
            notes: "",
        ),
    ],
)
"##;

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), any::<char>()).prop_map(|(a, c)| Mutation::InsertChar(a, c)),
        (at.clone(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::InsertToken(a, t)),
        (at.clone(), 1..40usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (at.clone(), any::<char>()).prop_map(|(a, c)| Mutation::Replace(a, c)),
        (at, 1..200usize).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
    ]
}

/// The char boundary nearest below `fraction` of `text`'s length.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut i = ((text.len() as f64) * fraction) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &mut String, m: &Mutation) {
    match m {
        Mutation::InsertChar(a, c) => text.insert(boundary(text, *a), *c),
        Mutation::InsertToken(a, t) => text.insert_str(boundary(text, *a), t),
        Mutation::Delete(a, n) => {
            let from = boundary(text, *a);
            let to = boundary(
                text,
                ((from + n) as f64 / text.len().max(1) as f64).min(1.0),
            );
            text.replace_range(from..to.max(from), "");
        }
        Mutation::Replace(a, c) => {
            let from = boundary(text, *a);
            if let Some(old) = text[from..].chars().next() {
                text.replace_range(from..from + old.len_utf8(), &c.to_string());
            }
        }
        Mutation::Duplicate(a, n) => {
            let from = boundary(text, *a);
            let to = boundary(
                text,
                ((from + n) as f64 / text.len().max(1) as f64).min(1.0),
            );
            let piece = text[from..to.max(from)].to_owned();
            text.insert_str(from, &piece);
        }
    }
}

/// Parse, and when it loads, make sure the result can be scored, exported and written again.
fn exercise(text: &str) {
    if let Ok(loaded) = store::parse(text, "fuzz.ron") {
        use alliance_desk::export::{self, ExportOptions, Format};
        let as_of = loaded
            .portfolio
            .as_of
            .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        let scores = alliance_desk::score::score(&loaded.portfolio, as_of);
        let opts = ExportOptions {
            alliance: loaded.portfolio.alliances.first().map(|a| a.id.as_str()),
            review: None,
            dtstamp: as_of.and_hms_opt(0, 0, 0).unwrap(),
        };
        for format in [Format::Csv, Format::Md, Format::Ics, Format::Json] {
            let _ = export::export(format, &loaded.portfolio, &scores, &opts);
        }
        let again = store::to_canonical_ron(&loaded.portfolio);
        // What a save writes must load again.
        assert!(
            store::parse(&again, "again.ron").is_ok(),
            "a loaded portfolio did not survive a save:\n{again}"
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fuzz.ron");
        std::fs::write(&path, &bytes).unwrap();
        let _ = store::load(&path);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            exercise(text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        exercise(&text);
    }

    #[test]
    fn mutated_sample_never_panics(mutations in prop::collection::vec(mutation(), 1..8)) {
        let mut text = NORTHWIND.to_owned();
        for m in &mutations {
            apply(&mut text, m);
        }
        exercise(&text);
    }
}

/// Inputs found by the fuzzer (or worth pinning): each must give a report, not a panic.
#[test]
fn regressions() {
    for text in [
        "",
        "\u{feff}",
        "Portfolio(",
        "Portfolio(version: 1, brand: \"x\", revenue: { \"2026-13\": 1.0 })",
        "Portfolio(version: 18446744073709551616, brand: \"x\")",
        "Portfolio(version: 1, brand: \"x\", alliances: [Alliance(id: \"a\", partner: \"A\", \
         kind: Wholesale, status: Active, started: \"2026-02-30\")])",
        "Portfolio(version: 1, brand: \"x\", revenue: { \"2026-01\": 1e400 })",
        "Portfolio(version: 1, brand: \"x\", revenue: { \"2026-01\": NaN })",
        "Portfolio(version: 1, brand: \"x\", as_of: \"+262142-12-31\")",
        "Portfolio(version: 1, brand: \"x\", as_of: \"9999-12-31\", revenue: { \"9999-12\": 1.0 })",
        "Portfolio(version: 1, brand: \"x\", revenue: { \"2026-09\": 1.0, \"2026-09\": 2.0 })",
    ] {
        exercise(text);
    }
}

/// A tiny deterministic generator (xorshift64*): the loop needs speed and reproducibility, not
/// quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn fraction(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn mutation(&mut self) -> Mutation {
        let at = self.fraction();
        match self.below(5) {
            0 => Mutation::InsertChar(
                at,
                char::from_u32(self.below(0x3000) as u32).unwrap_or('\u{1b}'),
            ),
            1 | 2 => Mutation::InsertToken(at, TOKENS[self.below(TOKENS.len())]),
            3 => Mutation::Delete(at, 1 + self.below(40)),
            _ => Mutation::Duplicate(at, 1 + self.below(200)),
        }
    }
}

#[test]
fn mutation_loop() {
    let iterations: u64 = std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    if let Err(e) = store::parse(SMALL, "small.ron") {
        panic!("the loop's seed must load: {e}");
    }
    let mut rng = Rng(seed.max(1));
    let long = format!("notes: \"{}\", ", "z".repeat(64 * 1024 + 1));
    for i in 0..iterations {
        let mut text = if i % 500 == 499 {
            NORTHWIND.to_owned()
        } else {
            SMALL.to_owned()
        };
        for _ in 0..=rng.below(6) {
            let m = rng.mutation();
            apply(&mut text, &m);
        }
        if i % 2000 == 1999 {
            apply(&mut text, &Mutation::InsertToken(rng.fraction(), "\u{0}"));
            let at = boundary(&text, rng.fraction());
            text.insert_str(at, &long);
        }
        assert!(
            std::panic::catch_unwind(|| exercise(&text)).is_ok(),
            "iteration {i} (seed {seed}) panicked on:\n{text}"
        );
    }
    println!("mutation_loop: {iterations} executions of parse+validate (seed {seed}), no panic");
}
