//! Imports into a portfolio: revenue from Shopify orders and attribution reports (SPEC §9).

pub mod revenue;
