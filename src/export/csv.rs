//! The CSV export: one RFC 4180 row per alliance with its metrics, safe to open in a spreadsheet.
//!
//! Percentages are fractions, as in JSON; a missing value is an empty cell, never 0. A text cell
//! that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a
//! leading apostrophe — plain numbers such as `-1.5` are left alone.

use crate::score::{AllianceScores, Scores, Severity};

/// The header row, in column order.
pub const HEADER: [&str; 22] = [
    "id",
    "partner",
    "kind",
    "status",
    "health_total",
    "health_date",
    "audit_state",
    "arcr_latest",
    "arcr_month",
    "cfr_30d_us",
    "cfr_30d_partner",
    "cfr_30d_all",
    "execution_speed_days",
    "sas_us",
    "sas_partner",
    "sas_combined",
    "next_monthly",
    "next_quarterly",
    "next_ninety_day",
    "flags",
    "critical_count",
    "warn_count",
];

/// Neutralize a cell a spreadsheet would evaluate as a formula.
pub fn guard(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn row(a: &AllianceScores) -> Vec<String> {
    let next = a.next_reviews.as_ref();
    let count = |sev| a.flags.iter().filter(|f| f.severity == sev).count();
    vec![
        a.id.clone(),
        a.partner.clone(),
        a.kind.name().to_owned(),
        a.status.name().to_owned(),
        opt(a.health.as_ref().map(|h| h.total)),
        opt(a.health.as_ref().map(|h| h.date)),
        serde_json::to_value(a.audit.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        opt(a.arcr.latest),
        opt(a.arcr.month),
        opt(a.cfr.trailing_30d.us),
        opt(a.cfr.trailing_30d.partner),
        opt(a.cfr.trailing_30d.all),
        opt(a.execution_speed_days),
        opt(a.sas.as_ref().map(|s| s.us)),
        opt(a.sas.as_ref().and_then(|s| s.partner)),
        opt(a.sas.as_ref().map(|s| s.combined)),
        opt(next.and_then(|n| n.monthly)),
        opt(next.and_then(|n| n.quarterly)),
        opt(next.and_then(|n| n.ninety_day)),
        a.flags
            .iter()
            .map(|f| f.code.code())
            .collect::<Vec<_>>()
            .join(";"),
        count(Severity::Critical).to_string(),
        count(Severity::Warn).to_string(),
    ]
}

/// One header row and one row per alliance (only `alliance` when given).
pub fn to_csv(scores: &Scores, alliance: Option<&str>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = w.write_record(HEADER);
    for a in scores
        .alliances
        .iter()
        .filter(|a| alliance.is_none_or(|id| a.id == id))
    {
        let _ = w.write_record(row(a).iter().map(|c| guard(c)));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata;

    #[test]
    fn guard_blocks_formulas_but_not_numbers() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("+1 555"), "'+1 555");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("-cmd"), "'-cmd");
        assert_eq!(guard("-1.5"), "-1.5");
        assert_eq!(guard("0.75"), "0.75");
        assert_eq!(guard("Glow & Co"), "Glow & Co");
    }

    #[test]
    fn rows_have_metrics_fractions_and_empty_cells() {
        let (_, scores) = testdata::portfolio_and_scores();
        let text = to_csv(&scores, None);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, HEADER);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), scores.alliances.len());
        let col = |name| HEADER.iter().position(|h| *h == name).unwrap();
        let glow = &rows[0];
        assert_eq!(&glow[col("id")], "glow");
        assert_eq!(&glow[col("partner")], "Glow & Co");
        assert_eq!(&glow[col("cfr_30d_all")], "0.75");
        assert_eq!(&glow[col("cfr_30d_partner")], "0.5");
        assert_eq!(&glow[col("execution_speed_days")], "-1.5");
        assert_eq!(&glow[col("flags")], "cfr_red;sas_exit");
        assert_eq!(&glow[col("critical_count")], "1");
        assert_eq!(&glow[col("warn_count")], "1");
        let quiet = &rows[1];
        assert_eq!(&quiet[col("partner")], "'=Quiet | Ltd");
        assert_eq!(&quiet[col("health_total")], "");
        assert_eq!(&quiet[col("arcr_latest")], "");
        assert_eq!(&quiet[col("flags")], "");
        assert!(text.contains("\r\n"));
    }

    #[test]
    fn one_alliance_only() {
        let (_, scores) = testdata::portfolio_and_scores();
        let text = to_csv(&scores, Some("quiet"));
        assert_eq!(text.lines().count(), 2);
        assert!(!text.contains("Glow"));
        assert!(text.contains("Quiet"));
    }
}
