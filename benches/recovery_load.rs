//! Issue 14 benchmarks: loading a portfolio (the fast path's parse + validate, against ron
//! alone), what a recovery write costs the input thread (an edit and its snapshot) against the
//! worker (streaming the snapshot to the recovery file), and an edit's incremental portfolio
//! totals against a full recompute, on generated portfolios of 1,000 and 10,000 alliances.
//! Run: `cargo bench --bench recovery_load`.

use std::hint::black_box;

use alliance_desk::app::document::{Document, Source};
use alliance_desk::generate::generate;
use alliance_desk::model::Status;
use alliance_desk::score;
use criterion::{Criterion, criterion_group, criterion_main};

fn document(n: usize) -> Document {
    let portfolio = generate(n, 1);
    let as_of = portfolio.as_of.unwrap_or_default();
    Document::new(portfolio, as_of, Source::Demo)
}

fn flip(status: Status) -> Status {
    if status == Status::Active {
        Status::WindingDown
    } else {
        Status::Active
    }
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for n in [1_000, 10_000] {
        let text = alliance_desk::store::to_canonical_ron(&generate(n, 1));
        group.bench_function(format!("parse + validate, {n} alliances"), |b| {
            b.iter(|| alliance_desk::store::parse(black_box(&text), "bench.ron").map(drop));
        });
        // The reference: ron alone, what the full path (taken by files with problems to
        // explain) parses with after its pre-scan.
        group.bench_function(format!("ron alone (reference), {n} alliances"), |b| {
            b.iter(|| {
                ron::Options::default()
                    .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
                    .from_str::<alliance_desk::model::Portfolio>(black_box(&text))
                    .map(drop)
            });
        });
    }
    group.finish();
}

fn recovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("recovery");
    group.sample_size(10);
    for n in [1_000, 10_000] {
        let mut doc = document(n);
        // On the input thread: an edit, and the snapshot handed to the worker (a clone, which
        // shares the alliances).
        group.bench_function(format!("edit + snapshot, {n} alliances"), |b| {
            b.iter(|| {
                doc.edit_current("status", |a| a.status = flip(a.status));
                black_box(doc.portfolio.clone())
            });
        });
        // On the worker: the snapshot streamed as the recovery file.
        let dir = std::env::temp_dir().join(format!("ad-bench-recovery-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let path = dir.join("bench.ron");
        group.bench_function(format!("recovery write, {n} alliances"), |b| {
            b.iter(|| {
                alliance_desk::store::write_recovery(&path, black_box(&doc.portfolio))
                    .expect("recovery write");
            });
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
    group.finish();
}

fn totals(c: &mut Criterion) {
    let mut group = c.benchmark_group("totals");
    for n in [1_000, 10_000] {
        let mut doc = document(n);
        let last = doc.portfolio.alliances.len() - 1;
        doc.current = last / 2;
        group.bench_function(
            format!("edit with incremental totals, {n} alliances"),
            |b| {
                b.iter(|| doc.edit_current("status", |a| a.status = flip(a.status)));
            },
        );
        group.bench_function(format!("full portfolio_scores, {n} alliances"), |b| {
            b.iter(|| {
                black_box(score::portfolio_scores(
                    &doc.portfolio,
                    &doc.scores.alliances,
                    doc.as_of,
                ))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, load, recovery, totals);
criterion_main!(benches);
