//! Write a generated Shopify-style orders export (and, if asked, a portfolio to import it into):
//! `cargo run --release --example generate_shopify_orders -- OUT.csv [ORDERS] [SEED] [PORTFOLIO.ron]`.
//! The same ORDERS and SEED always give the same bytes (see
//! `alliance_desk::import::revenue::generate`); about 2.2 rows and 300 bytes a row per order.

use std::process::ExitCode;

use alliance_desk::import::revenue::generate::{ShopifyOptions, sample_portfolio, shopify_orders};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: generate_shopify_orders OUT.csv [ORDERS] [SEED] [PORTFOLIO.ron]");
        return ExitCode::from(2);
    };
    let orders = args.get(1).map_or(Some(1000), |n| n.parse().ok());
    let seed = args.get(2).map_or(Some(1), |n| n.parse().ok());
    let (Some(orders), Some(seed)) = (orders, seed) else {
        eprintln!("ORDERS and SEED are whole numbers");
        return ExitCode::from(2);
    };
    let opts = ShopifyOptions {
        seed,
        orders,
        days: 61.max(orders / 5000),
        ..ShopifyOptions::default()
    };
    let written = std::fs::File::create(out).and_then(|f| shopify_orders(&opts, f));
    let expected = match written {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "wrote {out}: {} rows, {} orders ({} cancelled, {} voided, {} ambiguous)",
        expected.rows, expected.orders, expected.cancelled, expected.voided, expected.ambiguous
    );
    if let Some(path) = args.get(3) {
        let text = alliance_desk::store::to_canonical_ron(&sample_portfolio());
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {path}: alliances glow and peak with attribution rules");
    }
    ExitCode::SUCCESS
}
