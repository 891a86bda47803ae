//! The embedded sample portfolio (`--demo`, and the default portfolio's first content).

/// The Northwind Goods sample, pinned to an as-of date under which every flag fires.
pub const NORTHWIND: &str = include_str!("../sample_portfolio/northwind.ron");

/// The name shown for the embedded sample where a path would be.
pub const NORTHWIND_NAME: &str = "sample_portfolio/northwind.ron";
