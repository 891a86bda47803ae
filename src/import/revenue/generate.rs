//! Seeded Shopify-style order exports for tests and benchmarks: the real column set in the
//! admin export's order, one row per line item, with refunds, cancellations, voided orders,
//! mixed-case and comma-separated discount codes, tags, sources, quoted fields holding commas
//! and newlines, optionally a UTF-8 BOM, CRLF line ends and orders in another currency.
//!
//! The same options always give the same bytes. The generator also returns what a correct
//! import must find (per month: the brand total and the totals of the two partners of
//! [`sample_rules`]), computed as it writes, independently of the importer.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{Days, NaiveDate};

use crate::generate::Rng;
use crate::model::{Alliance, AllianceKind, Attribution, Month, Portfolio, Status};

/// The columns of Shopify's orders export, in its order.
pub const COLUMNS: [&str; 79] = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
];

/// What to generate.
#[derive(Clone, Debug)]
pub struct ShopifyOptions {
    pub seed: u64,
    /// Orders to write (about 2.5 rows each).
    pub orders: u64,
    /// The first order's day; orders are spread evenly over `days` days from it.
    pub first_day: NaiveDate,
    pub days: u64,
    /// The shop's currency.
    pub currency: String,
    /// Put about one order in 50 in another currency (an import must refuse the file).
    pub other_currencies: bool,
    pub bom: bool,
    pub crlf: bool,
}

impl Default for ShopifyOptions {
    fn default() -> Self {
        Self {
            seed: 1,
            orders: 1000,
            first_day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
            days: 61,
            currency: "USD".to_owned(),
            other_currencies: false,
            bom: true,
            crlf: true,
        }
    }
}

/// What a correct import of the generated file finds, in ten-thousandths of the currency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expected {
    pub rows: u64,
    pub orders: u64,
    pub cancelled: u64,
    pub voided: u64,
    pub ambiguous: u64,
    /// Counted orders' revenue per month.
    pub brand: BTreeMap<Month, i64>,
    /// Revenue per month of the alliances of [`sample_rules`], in that order.
    pub partners: [BTreeMap<Month, i64>; 2],
}

/// The attribution rules the generated orders are made to match: `glow` and `peak`.
pub fn sample_rules() -> [(&'static str, Attribution); 2] {
    [
        (
            "glow",
            Attribution {
                codes: vec!["GLOW15".into(), "GlowVIP".into()],
                tags: vec!["glow".into()],
                sources: vec!["glow-newsletter".into()],
            },
        ),
        (
            "peak",
            Attribution {
                codes: vec!["PEAK10".into()],
                tags: vec!["peak-partner".into()],
                sources: vec![],
            },
        ),
    ]
}

/// A portfolio whose alliances carry [`sample_rules`], for trying an import of a generated file.
pub fn sample_portfolio() -> Portfolio {
    let mut p = Portfolio::empty("Northwind Goods");
    let started = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap_or_default();
    for ((id, rules), partner) in sample_rules()
        .into_iter()
        .zip(["Glow & Co", "Peak Outfitters"])
    {
        let mut a = Alliance::new(id, partner, AllianceKind::CoMarketing, started);
        a.status = Status::Active;
        a.attribution = rules;
        p.alliances.push(a);
    }
    p
}

const PRODUCTS: &[(&str, i64)] = &[
    ("Linen Throw - Sand", 6400),
    ("Ceramic Mug, 12oz", 2200),
    ("Cedar Candle \"Evening\"", 3400),
    ("Wool Socks - 3 pack", 2800),
    ("Gift Card", 5000),
    ("Organic Tea Sampler", 1900),
];
const NAMES: &[&str] = &[
    "Ana Ruiz",
    "Ben Okafor",
    "Chloé Martin",
    "Dev Patel",
    "Eli Cohen",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Portland", "97205", "OR"),
    ("Austin", "78701", "TX"),
    ("Brooklyn", "11201", "NY"),
    ("Denver", "80202", "CO"),
];

fn set(cell: &mut String, value: &str) {
    cell.clear();
    cell.push_str(value);
}

fn cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Write a Shopify-style orders export to `out`; returns what an import must find.
pub fn shopify_orders(opts: &ShopifyOptions, out: impl Write) -> io::Result<Expected> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    if opts.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(if opts.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    w.write_record(COLUMNS)?;
    let mut rng = Rng::new(opts.seed);
    let mut exp = Expected::default();
    let mut row: Vec<String> = vec![String::new(); COLUMNS.len()];
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
    let c = [
        "Name",
        "Email",
        "Financial Status",
        "Paid at",
        "Fulfillment Status",
        "Fulfilled at",
        "Accepts Marketing",
        "Currency",
        "Subtotal",
        "Shipping",
        "Taxes",
        "Total",
        "Discount Code",
        "Discount Amount",
        "Shipping Method",
        "Created at",
        "Lineitem quantity",
        "Lineitem name",
        "Lineitem price",
        "Lineitem sku",
        "Billing Name",
        "Billing Street",
        "Billing City",
        "Billing Zip",
        "Billing Province",
        "Billing Country",
        "Notes",
        "Cancelled at",
        "Payment Method",
        "Refunded Amount",
        "Vendor",
        "Id",
        "Tags",
        "Source",
        "Lineitem requires shipping",
        "Lineitem taxable",
        "Lineitem fulfillment status",
        "Risk Level",
    ]
    .map(col);
    let [
        c_name,
        c_email,
        c_status,
        c_paid,
        c_fulfil,
        c_fulfilled,
        c_marketing,
        c_currency,
        c_subtotal,
        c_shipping,
        c_taxes,
        c_total,
        c_code,
        c_discount,
        c_method,
        c_created,
        c_qty,
        c_item,
        c_price,
        c_sku,
        c_billname,
        c_street,
        c_city,
        c_zip,
        c_province,
        c_country,
        c_notes,
        c_cancelled,
        c_payment,
        c_refunded,
        c_vendor,
        c_id,
        c_tags,
        c_source,
        c_reqship,
        c_taxable,
        c_itemfulfil,
        c_risk,
    ] = c;
    for n in 0..opts.orders {
        let offset = if opts.orders > 1 {
            n * opts.days.saturating_sub(1) / (opts.orders - 1)
        } else {
            0
        };
        let day = opts
            .first_day
            .checked_add_days(Days::new(offset))
            .unwrap_or(opts.first_day);
        let created = format!(
            "{day} {:02}:{:02}:{:02} -0400",
            rng.range(0, 23),
            rng.range(0, 59),
            rng.range(0, 59)
        );
        let items = match rng.range(0, 9) {
            0..=3 => 1,
            4..=6 => 2,
            7 | 8 => 3,
            _ => 6,
        };
        let lines: Vec<(usize, i64)> = (0..items)
            .map(|_| {
                (
                    rng.range(0, PRODUCTS.len() as u64 - 1) as usize,
                    rng.range(1, 3) as i64,
                )
            })
            .collect();
        let gross: i64 = lines.iter().map(|(p, q)| PRODUCTS[*p].1 * q).sum();
        // Who the order is for: 0 nobody, 1 glow, 2 peak, 3 both (ambiguous).
        let (who, codes, tags, source) = match rng.range(0, 19) {
            0 => (1, " glow15", "vip", "web"),
            1 => (1, "GLOW15", "", "web"),
            2 => (1, "", "VIP, Glow", "web"),
            3 => (1, "", "", "glow-newsletter"),
            4 => (1, "WELCOME5, glowvip", "", "shopify_draft_order"),
            5 => (2, "Peak10", "", "pos"),
            6 => (2, "", "wholesale, peak-partner", "web"),
            7 => (3, "GLOW15, PEAK10", "", "web"),
            8 => (0, "WELCOME5", "newsletter", "web"),
            _ => (0, "", "", "web"),
        };
        let discount = if codes.is_empty() {
            0
        } else {
            gross * 10 / 100
        };
        let subtotal = gross - discount;
        let shipping = if subtotal > 7500 { 0 } else { 695 };
        let taxes = subtotal * 8 / 100;
        let fate = rng.range(0, 99);
        let (status, cancelled_at, refunded) = match fate {
            0..=2 => (
                "refunded",
                format!("{day} 18:00:00 -0400"),
                subtotal + shipping,
            ),
            3 => ("voided", String::new(), 0),
            4..=9 => ("partially_refunded", String::new(), subtotal / 3),
            // A refund larger than the subtotal (shipping refunded too): revenue is 0, not < 0.
            10 => ("refunded", String::new(), subtotal + shipping),
            _ => ("paid", String::new(), 0),
        };
        let currency = if opts.other_currencies && rng.range(0, 49) == 0 {
            "EUR"
        } else {
            opts.currency.as_str()
        };
        let name = format!("#{}", 1001 + n);
        let person = *rng.pick(NAMES);
        let email = format!(
            "{}{}@example.com",
            person.split(' ').next().unwrap_or("x").to_lowercase(),
            n % 997
        );
        let (city, zip, province) = *rng.pick(CITIES);
        exp.orders += 1;
        if !cancelled_at.is_empty() {
            exp.cancelled += 1;
        } else if status == "voided" {
            exp.voided += 1;
        } else {
            let revenue = (subtotal - refunded).max(0) * 100;
            let month = Month::of(day);
            *exp.brand.entry(month).or_default() += revenue;
            for (i, partner) in exp.partners.iter_mut().enumerate() {
                let v = partner.entry(month).or_default();
                if who == i + 1 {
                    *v += revenue;
                }
            }
            if who == 3 {
                exp.ambiguous += 1;
            }
        }
        for (k, (p, q)) in lines.iter().enumerate() {
            for cell in &mut row {
                cell.clear();
            }
            row[c_name].clone_from(&name);
            row[c_email].clone_from(&email);
            row[c_qty] = q.to_string();
            set(&mut row[c_item], PRODUCTS[*p].0);
            row[c_price] = cents(PRODUCTS[*p].1);
            row[c_sku] = format!("SKU-{:04}", p * 37 + 100);
            set(&mut row[c_reqship], "true");
            set(&mut row[c_taxable], "true");
            set(&mut row[c_itemfulfil], "fulfilled");
            set(&mut row[c_vendor], "Northwind Goods");
            if k == 0 {
                set(&mut row[c_status], status);
                row[c_paid] = format!("{day} 12:00:00 -0400");
                set(&mut row[c_fulfil], "fulfilled");
                row[c_fulfilled] = format!("{day} 16:30:00 -0400");
                set(&mut row[c_marketing], if n % 3 == 0 { "yes" } else { "no" });
                set(&mut row[c_currency], currency);
                row[c_subtotal] = cents(subtotal);
                row[c_shipping] = cents(shipping);
                row[c_taxes] = cents(taxes);
                row[c_total] = cents(subtotal + shipping + taxes);
                set(&mut row[c_code], codes);
                row[c_discount] = cents(discount);
                set(&mut row[c_method], "Standard Shipping");
                row[c_created].clone_from(&created);
                set(&mut row[c_billname], person);
                row[c_street] = format!("{} Alder St, Apt {}", 100 + n % 900, n % 40);
                set(&mut row[c_city], city);
                set(&mut row[c_zip], zip);
                set(&mut row[c_province], province);
                set(&mut row[c_country], "US");
                if n % 7 == 0 {
                    set(
                        &mut row[c_notes],
                        "Leave at the side door,\nplease ring twice",
                    );
                }
                row[c_cancelled].clone_from(&cancelled_at);
                set(&mut row[c_payment], "Shopify Payments");
                row[c_refunded] = if refunded == 0 && n % 2 == 0 {
                    String::new()
                } else {
                    cents(refunded)
                };
                row[c_id] = (5_000_000_000 + n).to_string();
                set(&mut row[c_tags], tags);
                set(&mut row[c_source], source);
                set(&mut row[c_risk], "Low");
            } else if n % 2 == 1 {
                // Some exports repeat the date on line-item rows; the first row still decides.
                row[c_created].clone_from(&created);
            }
            w.write_record(&row)?;
            exp.rows += 1;
        }
    }
    w.flush()?;
    Ok(exp)
}
