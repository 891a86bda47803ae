//! Fuzzing the loader and validator with proptest: arbitrary bytes, arbitrary text, and the
//! sample file mutated by random byte/char insertions, deletions and replacements. Whatever the
//! input, `store::parse` (and `store::load` for raw bytes) returns `Ok` or a report — never a
//! panic. `PROPTEST_CASES` scales it (CI keeps proptest's default of 256 per target; the long run
//! is `PROPTEST_CASES=200000 cargo test --release --test fuzz_store`).

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
];

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

/// Parse, and when it loads, make sure the result can be scored and written again.
fn exercise(text: &str) {
    if let Ok(loaded) = store::parse(text, "fuzz.ron") {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        let _ = alliance_desk::score::score(&loaded.portfolio, as_of);
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
    ] {
        exercise(text);
    }
}
