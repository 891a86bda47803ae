//! The people-readable `score` output: a table of alliances, the portfolio line and the flag
//! messages grouped by alliance.

use std::fmt::Write as _;

use super::{MISSING, pct};
use crate::score::Scores;

/// Pad `s` with spaces to `width` characters (counted as chars: no width crate).
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// The people-readable `score` output: table, portfolio line, flag messages.
pub fn score_table(scores: &Scores) -> String {
    let mut headers = [""; 9];
    headers[..8].copy_from_slice(&super::SUMMARY_HEADERS);
    headers[8] = "Flags";
    let rows: Vec<[String; 9]> = scores
        .alliances
        .iter()
        .map(|a| {
            let [partner, kind, status, health, arcr, cfr, sas, next] =
                super::summary_cells(a, scores.as_of);
            let flags = if a.flags.is_empty() {
                MISSING.to_owned()
            } else {
                a.flags
                    .iter()
                    .map(|f| format!("{}{}", f.severity.symbol(), f.code.code()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let partner = crate::sanitize::terminal_line(&partner).into_owned();
            [partner, kind, status, health, arcr, cfr, sas, next, flags]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — as of {}",
        crate::sanitize::terminal_line(&scores.brand),
        scores.as_of
    );
    let _ = writeln!(s);
    let line = |cells: &[String]| {
        let last = cells.len() - 1;
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == last {
                l.push_str(cell);
            } else {
                l.push_str(&pad(cell, widths[i]));
                l.push_str("  ");
            }
        }
        l.trim_end().to_owned()
    };
    let _ = writeln!(s, "{}", line(&headers.map(str::to_owned)));
    let _ = writeln!(s, "{}", line(&widths.map(|w| "─".repeat(w))));
    if rows.is_empty() {
        let _ = writeln!(s, "(no alliances)");
    }
    for row in &rows {
        let _ = writeln!(s, "{}", line(row));
    }
    let p = &scores.portfolio;
    let share = match p.alliance_share {
        Some(v) => format!(
            "{} of {} revenue ({})",
            pct(Some(v), 1),
            p.latest_month
                .map_or_else(|| MISSING.to_owned(), |m| m.to_string()),
            super::band_word(v)
        ),
        None => format!("{MISSING} (target 15–25%)"),
    };
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Portfolio: alliance share {share} · {} active · goal attainment {} · flags: {} {} critical, {} {} warn",
        p.active,
        pct(p.goal_attainment, 0),
        crate::score::Severity::Critical.symbol(),
        p.flag_counts.critical,
        crate::score::Severity::Warn.symbol(),
        p.flag_counts.warn,
    );
    let flagged: Vec<_> = scores
        .alliances
        .iter()
        .filter(|a| !a.flags.is_empty())
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(s, "Flags");
        for a in flagged {
            let _ = writeln!(
                s,
                "  {} ({})",
                crate::sanitize::terminal_line(&a.partner),
                a.id
            );
            for f in &a.flags {
                let _ = writeln!(
                    s,
                    "    {} {} {}: {}",
                    f.severity.symbol(),
                    f.severity.label(),
                    f.code.code(),
                    crate::sanitize::terminal_line(&f.message)
                );
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_table_aligns_columns_and_groups_flag_messages() {
        let (_, scores) = crate::export::testdata::portfolio_and_scores();
        let t = score_table(&scores);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Northwind Goods — as of 2026-11-15");
        let header = lines[2];
        let glow = lines.iter().find(|l| l.starts_with("Glow & Co")).unwrap();
        let quiet = lines.iter().find(|l| l.starts_with("=Quiet")).unwrap();
        let col = |line: &str, word: &str| {
            line.char_indices()
                .position(|(i, _)| line[i..].starts_with(word))
                .unwrap()
        };
        // Columns line up by characters, whatever the bytes.
        assert_eq!(col(header, "Health"), col(glow, "13/20"));
        assert_eq!(col(header, "ARCR"), col(glow, "1.9%"));
        assert_eq!(col(header, "CFR 30d"), col(glow, "75%"));
        assert_eq!(col(header, "SAS"), col(glow, "6.0"));
        assert_eq!(col(header, "Next review"), col(glow, "2026-11-15"));
        assert_eq!(col(header, "Flags"), col(glow, "▲cfr_red ■sas_exit"));
        assert_eq!(col(header, "Health"), col(quiet, "—"));
        assert!(!quiet.contains('0'), "missing values are dashes: {quiet}");
        assert!(t.contains("alliance share 2.2% of 2026-10 revenue (below the 15–25% band)"));
        assert!(t.contains("1 active · goal attainment 100%"));
        assert!(t.contains("  Glow & Co (glow)\n    ▲ warn cfr_red: CFR 62%"));
        assert!(t.contains("    ■ critical sas_exit: partner SAS 5.0 < 6"));
    }
}
