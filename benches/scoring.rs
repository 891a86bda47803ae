//! Benchmarks on generated portfolios (`alliance_desk::generate`): scoring 100 / 1,000 /
//! 10,000 alliances, and loading + validating the text of a 1,000-alliance file.
//! Run: `cargo bench --bench scoring`.

use std::hint::black_box;

use alliance_desk::generate::generate;
use alliance_desk::{score, store};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

const SEED: u64 = 1;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or(NaiveDate::MIN)
}

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("score");
    for n in [100, 1_000, 10_000] {
        let portfolio = generate(n, SEED);
        group.bench_function(format!("{n} alliances"), |b| {
            b.iter(|| score::score(black_box(&portfolio), as_of()));
        });
    }
    group.finish();
}

fn loading(c: &mut Criterion) {
    let text = store::to_canonical_ron(&generate(1_000, SEED));
    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    group.bench_function("parse+validate 1,000 alliances", |b| {
        b.iter(|| store::parse(black_box(&text), "bench.ron").map(|l| l.portfolio.alliances.len()));
    });
    group.finish();
}

criterion_group!(benches, scoring, loading);
criterion_main!(benches);
