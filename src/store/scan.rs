//! A lexical pre-scan of portfolio text, run before deserializing.
//!
//! ron stops at the first error, but a user who typed three impossible dates wants to hear about
//! all three at once (SPEC §2.1). This scanner walks the text once, skipping comments and
//! tracking string literals, and reports every string whose whole content is shaped like a date
//! (`\d{4}-\d{1,2}-\d{1,2}`) or a month (`\d{4}-\d{1,2}`) but is not a valid one, with its line,
//! column, the field it belongs to and the enclosing alliance id. It also notices comments (a
//! save drops them) and the top-level `version` number (a future version is refused up front,
//! before its unknown fields produce confusing messages).

use chrono::NaiveDate;

use crate::model::Month;

/// Fields whose values are free text: a date-shaped string there is the user's business.
const TEXT_FIELDS: &[&str] = &[
    "brand",
    "currency",
    "id",
    "partner",
    "notes",
    "codes",
    "tags",
    "sources",
    "metric",
    "unit",
    "dashboard",
    "weekly_channel",
    "name",
    "role",
    "email",
    "authority",
    "triggers",
    "original_goal",
    "action",
    "kpis",
    "blockers",
    "next_month",
    "escalations",
    "still_aligned",
    "environment",
    "opportunities",
    "issue",
    "resources",
    "rationale",
];

/// A 1-based line and column (in characters, as ron counts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A date- or month-shaped string literal that is not a valid date or month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLiteral {
    pub pos: Pos,
    pub message: String,
    /// Byte range of the literal's content (between the quotes) in the scanned text.
    pub content: std::ops::Range<usize>,
}

/// What the pre-scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub has_comments: bool,
    pub bad_literals: Vec<BadLiteral>,
    /// The raw token after the top-level `version:` and where it is.
    pub version: Option<(String, Pos)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Prev<'a> {
    Ident(&'a str),
    Colon,
    Other,
}

/// Walks the text byte by byte (every token boundary RON has is ASCII); tokens are slices of
/// it, and a column is only counted in characters when something is reported. The scan runs
/// on every load before the first frame, so it must cost little next to ron itself.
struct Cursor<'a> {
    text: &'a str,
    idx: usize,
    line: usize,
    line_start: usize,
}

/// Where a token starts: enough to compute its [`Pos`] if it needs reporting.
#[derive(Clone, Copy)]
struct Mark {
    idx: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.idx).copied()
    }

    fn slice(&self, from: usize) -> &'a str {
        // Token boundaries are ASCII bytes, so these are always char boundaries.
        self.text.get(from..self.idx).unwrap_or_default()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.idx += 1;
        if b == b'\n' {
            self.line += 1;
            self.line_start = self.idx;
        }
        Some(b)
    }

    fn mark(&self) -> Mark {
        Mark {
            idx: self.idx,
            line: self.line,
            line_start: self.line_start,
        }
    }

    /// The 1-based line and character column of a mark, as ron counts them.
    fn pos(&self, mark: Mark) -> Pos {
        let col = self
            .text
            .get(mark.line_start..mark.idx)
            .map_or(0, |t| t.chars().count());
        Pos {
            line: mark.line,
            col: col + 1,
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Scan `text` once. Never fails: anything it does not understand is left to ron.
pub fn scan(text: &str) -> Scan {
    let mut cur = Cursor {
        text,
        idx: 0,
        line: 1,
        line_start: 0,
    };
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut prev = Prev::Other;
    let mut field: Option<&str> = None;
    let mut alliance: Option<&str> = None;
    // The nesting depth inside the current `Alliance(…)`: leaving it ends the alliance.
    let mut alliance_depth = usize::MAX;

    while let Some(b) = cur.peek() {
        let start = cur.mark();
        match b {
            b'/' => {
                cur.bump();
                match cur.peek() {
                    Some(b'/') => {
                        out.has_comments = true;
                        while cur.peek().is_some_and(|b| b != b'\n') {
                            cur.bump();
                        }
                    }
                    Some(b'*') => {
                        out.has_comments = true;
                        cur.bump();
                        skip_block_comment(&mut cur);
                    }
                    _ => prev = Prev::Other,
                }
            }
            b'"' => {
                cur.bump();
                let content = read_string(&mut cur, 0);
                if prev == Prev::Colon && field == Some("id") && depth == 3 {
                    alliance_depth = depth;
                }
                on_string(content, &cur, start, field, &prev, &mut alliance, &mut out);
                prev = Prev::Other;
            }
            b'\'' => {
                cur.bump();
                while let Some(b) = cur.bump() {
                    match b {
                        b'\\' => {
                            cur.bump();
                        }
                        b'\'' | b'\n' => break,
                        _ => {}
                    }
                }
                prev = Prev::Other;
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                let from = cur.idx;
                while cur.peek().is_some_and(|b| {
                    is_ident_byte(b) || b == b'#' && is_raw_prefix(cur.slice(from))
                }) {
                    // `r#ident` raw identifiers and `r#"…"#` raw strings both start like this.
                    cur.bump();
                    let ident = cur.slice(from);
                    if (ident == "r" || ident == "b" || ident == "br") && cur.peek() == Some(b'"') {
                        break;
                    }
                }
                let ident = cur.slice(from);
                let raw_hashes = ident
                    .strip_prefix('r')
                    .filter(|h| h.bytes().all(|b| b == b'#'));
                if let (Some(hashes), Some(b'"')) = (raw_hashes, cur.peek()) {
                    let hashes = hashes.len();
                    cur.bump();
                    let content = read_string(&mut cur, hashes + 1);
                    on_string(content, &cur, start, field, &prev, &mut alliance, &mut out);
                    prev = Prev::Other;
                } else if ident == "b" && cur.peek() == Some(b'"') {
                    cur.bump();
                    read_string(&mut cur, 0);
                    prev = Prev::Other;
                } else {
                    if ident == "pipeline" || ident == "Intake" {
                        alliance = None;
                    }
                    prev = Prev::Ident(ident);
                }
            }
            b':' => {
                cur.bump();
                if let Prev::Ident(name) = prev {
                    field = Some(name);
                    prev = Prev::Colon;
                } else {
                    prev = Prev::Other;
                }
            }
            b'(' | b'[' | b'{' => {
                cur.bump();
                depth += 1;
                prev = Prev::Other;
            }
            b')' | b']' | b'}' => {
                cur.bump();
                depth = depth.saturating_sub(1);
                if depth < alliance_depth {
                    alliance = None;
                    alliance_depth = usize::MAX;
                }
                prev = Prev::Other;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                cur.bump();
            }
            b if b.is_ascii_digit() || b == b'-' || b == b'+' => {
                let from = cur.idx;
                while cur
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
                {
                    cur.bump();
                }
                if depth == 1
                    && prev == Prev::Colon
                    && field == Some("version")
                    && out.version.is_none()
                {
                    out.version = Some((cur.slice(from).to_owned(), cur.pos(start)));
                }
                prev = Prev::Other;
            }
            _ => {
                cur.bump();
                prev = Prev::Other;
            }
        }
    }
    out
}

/// `r`, `r#`, `r##` …: what a raw string or raw identifier starts with.
fn is_raw_prefix(ident: &str) -> bool {
    ident
        .strip_prefix('r')
        .is_some_and(|h| h.bytes().all(|b| b == b'#'))
}

/// Skip a (possibly nested) block comment whose `/*` was already consumed.
fn skip_block_comment(cur: &mut Cursor<'_>) {
    let mut nesting = 1usize;
    while let Some(b) = cur.bump() {
        match (b, cur.peek()) {
            (b'*', Some(b'/')) => {
                cur.bump();
                nesting -= 1;
                if nesting == 0 {
                    return;
                }
            }
            (b'/', Some(b'*')) => {
                cur.bump();
                nesting += 1;
            }
            _ => {}
        }
    }
}

/// Read a string body after its opening quote. `raw_hashes` is 0 for an escaped string, else
/// one more than the number of `#` of a raw string. Returns the content as written (escapes are
/// kept as-is: a string with escapes is never date-shaped anyway).
fn read_string<'a>(cur: &mut Cursor<'a>, raw_hashes: usize) -> &'a str {
    let from = cur.idx;
    loop {
        let before_quote = cur.idx;
        let Some(b) = cur.bump() else {
            return cur.slice(from);
        };
        if raw_hashes == 0 && b == b'\\' {
            cur.bump();
            continue;
        }
        if b == b'"' {
            let wanted = raw_hashes.saturating_sub(1);
            let mut seen = 0;
            while seen < wanted && cur.peek() == Some(b'#') {
                cur.bump();
                seen += 1;
            }
            if seen == wanted {
                return cur.text.get(from..before_quote).unwrap_or_default();
            }
        }
    }
}

fn on_string<'a>(
    content: &'a str,
    cur: &Cursor<'a>,
    start: Mark,
    field: Option<&str>,
    prev: &Prev,
    alliance: &mut Option<&'a str>,
    out: &mut Scan,
) {
    if *prev == Prev::Colon && field == Some("id") {
        *alliance = Some(content);
        return;
    }
    if field.is_some_and(|f| TEXT_FIELDS.contains(&f)) {
        return;
    }
    let Some(problem) = date_or_month_problem(content) else {
        return;
    };
    let mut message = problem;
    let context = match (*alliance, field) {
        (Some(a), Some(f)) => format!(" (alliance {a:?}, field {f})"),
        (Some(a), None) => format!(" (alliance {a:?})"),
        (None, Some(f)) => format!(" (field {f})"),
        (None, None) => String::new(),
    };
    message.push_str(&context);
    // `content` is a slice of the scanned text, so its offset is a plain pointer difference.
    let from = content.as_ptr() as usize - cur.text.as_ptr() as usize;
    out.bad_literals.push(BadLiteral {
        pos: cur.pos(start),
        message,
        content: from..from + content.len(),
    });
}

/// Why a date- or month-shaped string is not a valid date or month; `None` when it is valid or
/// not shaped like one at all.
pub fn date_or_month_problem(s: &str) -> Option<String> {
    // Most strings are names and prose: reject them before any splitting.
    if !(6..=10).contains(&s.len()) || !s.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    match parts.as_slice() {
        [y, m, d] if digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2) => {
            if m.len() != 2 || d.len() != 2 {
                Some(format!(
                    "{s:?} is not a date: write it as \"YYYY-MM-DD\" with two-digit month and day"
                ))
            } else if valid_date(y, m, d).is_none() {
                Some(format!("{s:?} is an impossible date"))
            } else {
                None
            }
        }
        [y, m] if digits(y, 4, 4) && digits(m, 1, 2) => s
            .parse::<Month>()
            .err()
            .map(|_| format!("{s:?} is not a month: write it as \"YYYY-MM\" with a month 01-12")),
        _ => None,
    }
}

fn valid_date(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_month_after_the_alliances_is_not_blamed_on_the_last_one() {
        let text = "Portfolio(version: 1, brand: \"B\", alliances: [Alliance(id: \"a\", \
                    started: \"2026-01-01\")], revenue: {\"2026-13\": 5.0})";
        let s = scan(text);
        assert_eq!(s.bad_literals.len(), 1);
        assert!(
            s.bad_literals[0].message.ends_with("(field revenue)"),
            "{:?}",
            s.bad_literals
        );
    }

    #[test]
    fn finds_every_bad_date_with_place_and_alliance() {
        let text = "Portfolio(version: 1, brand: \"2026-02-30\",\n revenue: {\"2026-13\": 1.0},\n alliances: [Alliance(id: \"glow\", started: \"2026-02-30\",\n revenue: {\"2026-1\": 2.0})])";
        let s = scan(text);
        assert_eq!(s.bad_literals.len(), 3, "{:?}", s.bad_literals);
        assert_eq!(s.bad_literals[0].pos, Pos { line: 2, col: 12 });
        assert!(s.bad_literals[0].message.contains("2026-13"));
        assert!(
            s.bad_literals[1]
                .message
                .contains("alliance \"glow\", field started")
        );
        assert!(
            s.bad_literals[2]
                .message
                .contains("\"2026-1\" is not a month")
        );
        assert_eq!(s.version.map(|v| v.0).as_deref(), Some("1"));
        assert!(!s.has_comments);
    }

    #[test]
    fn comments_and_raw_strings_are_skipped() {
        let text = "// \"2026-02-30\"\nX(a: r#\"say \"2026-02-30\"\"#, /* \"2026-13\" /* nested */ */ b: \"//\")";
        let s = scan(text);
        assert!(s.has_comments);
        assert!(s.bad_literals.is_empty(), "{:?}", s.bad_literals);
        let s = scan("X(notes: \"a // b /* c\")");
        assert!(!s.has_comments);
    }

    #[test]
    fn date_shapes() {
        assert_eq!(date_or_month_problem("2026-02-28"), None);
        assert_eq!(date_or_month_problem("2026-02"), None);
        assert_eq!(date_or_month_problem("hello"), None);
        assert!(date_or_month_problem("2026-2-3").is_some());
        assert!(date_or_month_problem("2026-00").is_some());
        assert!(date_or_month_problem("2025-02-29").is_some());
    }
}
