//! Revenue import benchmarks (SPEC §9, issue 16 targets): a 1,000,000-row Shopify export
//! (about 300 MB, generated once to a temporary file and read from disk as the CLI does), and
//! a 10,000-order month read from memory. Run: `cargo bench --bench import_revenue`.
//! Targets: 1M rows ≤ 3 s with peak memory ≤ 64 MiB; a 10,000-order month ≤ 50 ms.

use std::hint::black_box;
use std::time::Duration;

use alliance_desk::import::revenue::generate::{ShopifyOptions, sample_portfolio, shopify_orders};
use alliance_desk::import::revenue::plan_shopify;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn import_revenue(c: &mut Criterion) {
    let portfolio = sample_portfolio();
    let mut group = c.benchmark_group("import_revenue");
    group.sample_size(10);

    let mut month = Vec::new();
    shopify_orders(
        &ShopifyOptions {
            orders: 10_000,
            first_day: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
            days: 31,
            ..ShopifyOptions::default()
        },
        &mut month,
    )
    .expect("generate in memory");
    group.bench_function("10,000-order month (in memory)", |b| {
        b.iter(|| {
            plan_shopify(
                &portfolio,
                black_box(month.as_slice()),
                "o.csv",
                &mut |_| {},
            )
        });
    });

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("orders_export_1.csv");
    let expected = shopify_orders(
        &ShopifyOptions {
            orders: 455_000,
            days: 365,
            ..ShopifyOptions::default()
        },
        std::fs::File::create(&path).expect("temp file"),
    )
    .expect("generate to disk");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    group.measurement_time(Duration::from_secs(30));
    group.bench_function(
        format!(
            "{} rows, {} MB (from disk)",
            expected.rows,
            size / 1_000_000
        ),
        |b| {
            b.iter(|| {
                let file = std::fs::File::open(&path).expect("open");
                plan_shopify(&portfolio, file, "o.csv", &mut |_| {})
            });
        },
    );
    group.finish();
}

criterion_group!(benches, import_revenue);
criterion_main!(benches);
