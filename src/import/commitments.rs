//! `import-commitments`: commitments for one alliance from a CSV file (columns
//! `party,action,due,done`, any order, `done` optional). A row equal to a commitment the
//! alliance already has (same party, action and due) is skipped, so importing twice adds
//! nothing (SPEC §6).

use std::fmt::Write as _;
use std::path::Path;

use super::{ImportError, Report, parse_date, plural};
use crate::model::{Commitment, Party, Portfolio};

/// One row of the commitments CSV that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line number in the CSV file.
    pub line: u64,
    pub reason: String,
}

/// The 1-based line a CSV record starts on. The csv crate's own line count is taken before it
/// skips blank lines, so a row after a blank line would be reported one line early; counting
/// from the byte offset and stepping over the blank lines gives the line a person sees.
#[expect(
    clippy::naive_bytecount,
    reason = "a hand-kept CSV is small; not worth the bytecount dependency"
)]
fn record_line(text: &str, position: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let at = usize::try_from(position.byte()).map_or(bytes.len(), |b| b.min(bytes.len()));
    let mut line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
    for b in &bytes[at..] {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Parse the commitments CSV (header `party,action,due,done`, in any order; `done` optional).
/// Returns every bad row, or the commitments (ids left 0 for the caller to assign).
pub fn parse_commitments_csv(text: &str) -> Result<Vec<Commitment>, Vec<BadRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![BadRow {
                line: 1,
                reason: format!("cannot read the header: {e}"),
            }]);
        }
    };
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(party_col), Some(action_col), Some(due_col)) =
        (col("party"), col("action"), col("due"))
    else {
        return Err(vec![BadRow {
            line: 1,
            reason: format!(
                "the header must name the columns party,action,due,done (found: {})",
                headers.iter().collect::<Vec<_>>().join(",")
            ),
        }]);
    };
    let done_col = col("done");
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| record_line(text, p));
                bad.push(BadRow {
                    line,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| record_line(text, p));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("");
        let mut reasons = Vec::new();
        let party = match field(party_col).to_ascii_lowercase().as_str() {
            "us" => Some(Party::Us),
            "partner" => Some(Party::Partner),
            other => {
                reasons.push(format!("party {other:?} is not \"us\" or \"partner\""));
                None
            }
        };
        let action = field(action_col);
        if action.is_empty() {
            reasons.push("action is empty".to_owned());
        }
        let due = match field(due_col) {
            "" => {
                reasons.push("due is empty".to_owned());
                None
            }
            d => parse_date(d)
                .map_err(|e| reasons.push(format!("due: {e}")))
                .ok(),
        };
        let done = match done_col.map_or("", field) {
            "" => None,
            d => parse_date(d)
                .map_err(|e| reasons.push(format!("done: {e}")))
                .ok(),
        };
        match (party, due) {
            (Some(party), Some(due)) if reasons.is_empty() => good.push(Commitment {
                id: 0,
                party,
                // Spreadsheets write CRLF inside quoted cells; the model keeps plain newlines.
                action: action.replace("\r\n", "\n"),
                due,
                done,
            }),
            _ => bad.push(BadRow {
                line,
                reason: reasons.join("; "),
            }),
        }
    }
    if bad.is_empty() { Ok(good) } else { Err(bad) }
}

/// The import as a change to `portfolio`: read `csv_path`, add its rows to `alliance_id`,
/// skipping those it already has. Every bad row is reported and then nothing changes.
pub fn import(
    portfolio: &mut Portfolio,
    alliance_id: &str,
    csv_path: &Path,
) -> Result<Report, ImportError> {
    let Some(alliance) = portfolio.alliances.iter_mut().find(|a| a.id == alliance_id) else {
        return Err(ImportError::failed(format!("no alliance {alliance_id:?}")));
    };
    let text = std::fs::read_to_string(csv_path)
        .map_err(|e| ImportError::failed(format!("cannot read {}: {e}", csv_path.display())))?;
    let rows = parse_commitments_csv(&text).map_err(|bad| {
        let mut msg = String::new();
        for row in &bad {
            let _ = writeln!(msg, "{}:{}: {}", csv_path.display(), row.line, row.reason);
        }
        let _ = write!(
            msg,
            "{} bad {}; nothing imported",
            bad.len(),
            plural(bad.len(), "row", "rows")
        );
        ImportError::failed(msg)
    })?;
    if rows.is_empty() {
        // A header-only file is not an error, but there is nothing to write either.
        return Ok(Report {
            summary: format!("no commitments in {}; nothing imported", csv_path.display()),
            lines: Vec::new(),
            changed: false,
        });
    }
    let mut lines = Vec::new();
    let mut skipped = 0;
    for mut c in rows {
        if alliance
            .commitments
            .iter()
            .any(|old| same_commitment(old, &c))
        {
            skipped += 1;
            continue;
        }
        // Asked each time: the store's allocator never wraps at the top of the id range.
        c.id = alliance.next_commitment_id();
        lines.push(format!(
            "  #{} {} — {} (due {}{})",
            c.id,
            c.party.label(),
            crate::sanitize::terminal_line(&c.action),
            c.due,
            c.done.map(|d| format!(", done {d}")).unwrap_or_default()
        ));
        alliance.commitments.push(c);
    }
    let added = lines.len();
    Ok(Report {
        summary: format!(
            "imported {added} {} into {alliance_id:?}: {added} added, {skipped} skipped",
            plural(added, "commitment", "commitments")
        ),
        lines,
        changed: added > 0,
    })
}

/// The same commitment for an import: same party, action and due (SPEC §6).
fn same_commitment(a: &Commitment, b: &Commitment) -> bool {
    a.party == b.party && a.action == b.action && a.due == b.due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_import_reports_every_bad_row_with_its_line() {
        let text = "party,action,due,done\nus,Send assets,2026-10-01,\npartner,,2026-10-02,\nthem,Blast,2026-13-01,\nPartner,Post,2026-10-05,2026-10-04\n";
        let bad = parse_commitments_csv(text).unwrap_err();
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 3);
        assert!(bad[0].reason.contains("action is empty"));
        assert_eq!(bad[1].line, 4);
        assert!(bad[1].reason.contains("party"));
        assert!(bad[1].reason.contains("due"));
    }

    #[test]
    fn csv_import_reads_good_rows() {
        let text = "party,action,due,done\nus,\"Send assets, v2\",2026-10-01,\nPartner,Post,2026-10-05,2026-10-04\n";
        let good = parse_commitments_csv(text).unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].action, "Send assets, v2");
        assert_eq!(good[1].party, Party::Partner);
        assert!(good[1].done.is_some());
    }

    #[test]
    fn csv_import_counts_lines_of_quoted_multi_line_fields_and_skips_blank_lines() {
        let text = "due,party,action\n2026-10-01,us,\"two\nlines\"\n\n2026-10-02,partner,\n,,\n2026-10-40,Us,Ok\n";
        let bad = parse_commitments_csv(text).unwrap_err();
        let lines: Vec<u64> = bad.iter().map(|b| b.line).collect();
        // Row 1 spans lines 2-3; line 4 is blank; line 6 is all-empty and skipped.
        assert_eq!(lines, [5, 7], "{bad:?}");
        assert!(bad[1].reason.contains("due"));
    }

    #[test]
    fn csv_import_reads_reordered_columns_without_done() {
        let good = parse_commitments_csv("Action,DUE,Party\nPost,2026-10-05, PARTNER \n").unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].party, Party::Partner);
        assert_eq!(good[0].done, None);
    }

    #[test]
    fn csv_import_needs_the_header() {
        let bad = parse_commitments_csv("us,x,2026-10-01,\n").unwrap_err();
        assert_eq!(bad[0].line, 1);
    }
}
