//! Reading CSV for the importers: records with the line they start on, the header, and the
//! strict parsing of amounts and dates.

use std::io::{self, Read};

use chrono::NaiveDate;

use super::{Problems, Progress, UNIT, visible};
use crate::model::Month;

/// The input, counting bytes (for progress) and ending with a newline even when the file does
/// not, so every record's start line can be told from the reader's line count.
pub struct Source<R> {
    inner: R,
    pub bytes: u64,
    last: u8,
    closed: bool,
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if !self.closed && self.bytes > 0 && self.last != b'\n' {
                self.closed = true;
                buf[0] = b'\n';
                return Ok(1);
            }
            return Ok(0);
        }
        self.bytes += n as u64;
        self.last = buf[n - 1];
        Ok(n)
    }
}

/// A CSV reader over `input`, and the state to number its records.
pub struct Records<R> {
    reader: csv::Reader<Source<R>>,
    pub record: csv::ByteRecord,
    /// The 1-based line the current record starts on.
    pub line: u64,
    pub rows: u64,
    name: String,
}

impl<R: Read> Records<R> {
    /// `comments`: skip lines starting with `#` (GA4 puts its title lines there).
    pub fn new(input: R, name: &str, comments: bool) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            // Records end at `\n` only: a CRLF file leaves a `\r` on the last field, which
            // trimming removes; the reader's line count then gives every record's start line.
            .terminator(csv::Terminator::Any(b'\n'))
            .comment(comments.then_some(b'#'))
            .buffer_capacity(1 << 16)
            .from_reader(Source {
                inner: input,
                bytes: 0,
                last: b'\n',
                closed: false,
            });
        Self {
            reader,
            record: csv::ByteRecord::new(),
            line: 0,
            rows: 0,
            name: name.to_owned(),
        }
    }

    /// Read the next record that is not blank; `Ok(false)` at the end.
    pub fn next(&mut self) -> Result<bool, String> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return Ok(false),
                Err(e) => return Err(format!("{}: cannot read: {e}", self.name)),
            }
            let newlines = memchr_count(self.record.as_slice());
            self.line = self.reader.position().line().saturating_sub(1 + newlines);
            if self.record.iter().all(|f| trim_bytes(f).is_empty()) {
                continue;
            }
            self.rows += 1;
            return Ok(true);
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            rows: self.rows,
            bytes: self.reader.get_ref().bytes,
        }
    }

    /// `FILE:LINE: message` for the current record.
    pub fn at(&self, message: &str) -> String {
        format!("{}:{}: {message}", self.name, self.line)
    }

    /// Field `col` of the current record, trimmed; `Err` when it is not UTF-8.
    pub fn field(&self, col: usize) -> Result<&str, ()> {
        let raw = trim_bytes(self.record.get(col).unwrap_or(b""));
        std::str::from_utf8(raw).map_err(|_| ())
    }

    /// Read the header: the first record that is not blank. The names are trimmed, without a
    /// byte-order mark. Problems: an empty file, binary content.
    pub fn header(&mut self) -> Result<Vec<String>, Problems> {
        let mut problems = Problems::default();
        match self.next() {
            Err(e) => problems.push(e),
            Ok(false) => problems.push(format!(
                "{}:1: the file is empty: expected a CSV header row",
                self.name
            )),
            Ok(true) => {
                let bytes = self.record.as_slice();
                if bytes.contains(&0) || std::str::from_utf8(bytes).is_err() {
                    problems.push(self.at(
                        "this is not a CSV text file (binary content, or not UTF-8): \
                         export the data as CSV (UTF-8)",
                    ));
                } else {
                    return Ok(self
                        .record
                        .iter()
                        .map(|f| {
                            let s = std::str::from_utf8(trim_bytes(f)).unwrap_or_default();
                            s.trim_start_matches('\u{feff}').trim().to_owned()
                        })
                        .collect());
                }
            }
        }
        Err(problems)
    }
}

#[expect(
    clippy::naive_bytecount,
    reason = "records are short; not worth the bytecount dependency"
)]
fn memchr_count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

fn trim_bytes(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// The positions of `wanted` columns in `header` (case-insensitive); the missing ones by name.
pub fn find_columns<const N: usize>(
    header: &[String],
    wanted: [&str; N],
) -> Result<[usize; N], Vec<String>> {
    let mut found = [0; N];
    let mut missing = Vec::new();
    for (slot, name) in found.iter_mut().zip(wanted) {
        match header.iter().position(|h| h.eq_ignore_ascii_case(name)) {
            Some(i) => *slot = i,
            None => missing.push(name.to_owned()),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}

/// An amount as a spreadsheet writes it: `1234.5`, `-3.20`, `1,234.50` (commas only as
/// thousands separators: `1234,56` is refused rather than read a hundred times too large).
/// Empty is 0. More than four decimals are rounded to four.
pub fn parse_amount(s: &str) -> Result<i64, String> {
    let bad = || format!("\"{}\" is not a number (expected e.g. 1234.50)", visible(s));
    if s.is_empty() {
        return Ok(0);
    }
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let digits: String = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let ok = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        int.to_owned()
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let mut units: i64 = 0;
    for b in digits.bytes() {
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| format!("\"{}\" is too large", visible(s)))?;
    }
    units = units
        .checked_mul(UNIT)
        .ok_or_else(|| format!("\"{}\" is too large", visible(s)))?;
    let mut scale = UNIT / 10;
    let mut rest = frac.bytes();
    for b in rest.by_ref().take(4) {
        units += i64::from(b - b'0') * scale;
        scale /= 10;
    }
    if rest.next().is_some_and(|b| b >= b'5') {
        units += 1;
    }
    Ok(if negative { -units } else { units })
}

fn digits(s: &[u8]) -> Option<u32> {
    s.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// The date part of a timestamp: `2026-10-03 14:22:10 -0400`, `2026-10-03T14:22:10Z` or
/// `2026-10-03` → 2026-10-03. The wall-clock date as written, no time-zone shift.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b.len() == 10 || matches!(b[10], b' ' | b'T'))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(
        digits(&b[..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// A report's date: a day as [`parse_day`] reads it, `20261003` (GA4) or a month `2026-10`.
/// The day is `None` when only the month is given.
pub fn parse_report_date(s: &str) -> Option<(Month, Option<NaiveDate>)> {
    if let Some(d) = parse_day(s) {
        return Some((Month::of(d), Some(d)));
    }
    let b = s.as_bytes();
    if b.len() == 8 {
        let d =
            NaiveDate::from_ymd_opt(digits(&b[..4])? as i32, digits(&b[4..6])?, digits(&b[6..])?)?;
        return Some((Month::of(d), Some(d)));
    }
    s.parse::<Month>().ok().map(|m| (m, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("").unwrap(), 0);
        assert_eq!(parse_amount("12.5").unwrap(), 125_000);
        assert_eq!(parse_amount("-3.20").unwrap(), -32_000);
        assert_eq!(parse_amount("1,234.56").unwrap(), 12_345_600);
        assert_eq!(parse_amount(".5").unwrap(), 5_000);
        assert_eq!(parse_amount("0.123456").unwrap(), 1_235);
        for bad in [
            "1234,56", "12,34", "abc", "1e3", "NaN", "inf", "$12", "1.2.3", "-", ".",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_and_report_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_day("2026-10-03 14:22:10 -0400"), Some(d(2026, 10, 3)));
        assert_eq!(
            parse_day("2026-10-31T23:59:59-04:00"),
            Some(d(2026, 10, 31))
        );
        assert_eq!(parse_day("2026-10-03"), Some(d(2026, 10, 3)));
        for bad in [
            "2026-02-30 10:00",
            "10/3/2026 14:22",
            "2026-10-3",
            "2026-10-03x",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(
            parse_report_date("20261003"),
            Some((Month::new(2026, 10).unwrap(), Some(d(2026, 10, 3))))
        );
        assert_eq!(
            parse_report_date("2026-10"),
            Some((Month::new(2026, 10).unwrap(), None))
        );
        assert_eq!(parse_report_date("Grand total"), None);
    }
}
