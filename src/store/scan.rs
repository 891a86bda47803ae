//! A lexical pre-scan of portfolio text, run before deserializing.
//!
//! ron stops at the first error, but a user who typed three impossible dates wants to hear about
//! all three at once (SPEC §2.1). This scanner walks the text once, skipping comments and
//! tracking string literals, and reports every string whose whole content is shaped like a date
//! (`\d{4}-\d{1,2}-\d{1,2}`) or a month (`\d{4}-\d{1,2}`) but is not a valid one, with its line,
//! column, the field it belongs to and the enclosing alliance id. It also notices comments (a
//! save drops them) and the top-level `version` number (a future version is refused up front,
//! before its unknown fields produce confusing messages).

use std::borrow::Cow;

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

/// A literal the loader refuses (SPEC §2.1, §8): a date- or month-shaped string that is not a
/// valid date or month (or is outside the years 1–9999), a duplicate map key, a number that is
/// not finite, negative revenue, a text over [`MAX_TEXT_BYTES`], a commitment id at the top of
/// its range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLiteral {
    pub pos: Pos,
    pub message: String,
    /// Byte range of the literal's content (between the quotes) in the scanned text.
    pub content: std::ops::Range<usize>,
    /// What to put in its place so the rest of the file can still be checked (a bad date gets
    /// a valid one); `None` leaves the text as it is.
    pub stand_in: Option<&'static str>,
}

/// The longest text field the loader accepts: 64 KiB (SPEC §8). Notes longer than that are a
/// pasted file, and would make every frame slow.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// One open bracket: for a `{` map, the keys seen so far and whether a key comes next.
struct Frame<'a> {
    /// The field this bracket is the value of (`revenue` for `revenue: { … }`).
    field: Option<&'a str>,
    map: Option<MapFrame<'a>>,
}

/// Keys borrow the text (they are copied only when they hold escapes): the scan runs on
/// every load.
struct MapFrame<'a> {
    keys: std::collections::HashSet<Cow<'a, str>>,
    expect_key: bool,
    /// The key whose value comes next, to name it in a message.
    last_key: Option<Cow<'a, str>>,
}

/// `revenue["2026-09"] = ` for a value in a map, else nothing.
fn map_entry(frames: &[Frame<'_>]) -> String {
    frames
        .last()
        .and_then(|f| Some((f.field?, f.map.as_ref()?.last_key.as_ref()?)))
        .map(|(field, key)| format!("{field}[{key:?}] = "))
        .unwrap_or_default()
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
    let mut frames: Vec<Frame<'_>> = Vec::new();

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
                check_key(content, &cur, start, alliance, &mut frames, &mut out);
                check_length(content, true, &cur, start, field, alliance, &mut out);
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
                    check_key(content, &cur, start, alliance, &mut frames, &mut out);
                    check_length(content, false, &cur, start, field, alliance, &mut out);
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
                    if ["inf", "infinity", "nan"]
                        .iter()
                        .any(|n| ident.eq_ignore_ascii_case(n))
                    {
                        let entry = map_entry(&frames);
                        push(
                            &mut out,
                            &cur,
                            start,
                            alliance,
                            field,
                            format!(
                                "{entry}{ident} is not a finite number; write a number such as 0.0"
                            ),
                        );
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
                let owner = if prev == Prev::Colon { field } else { None };
                frames.push(Frame {
                    field: owner,
                    map: (b == b'{').then(|| MapFrame {
                        keys: std::collections::HashSet::new(),
                        expect_key: true,
                        last_key: None,
                    }),
                });
                prev = Prev::Other;
            }
            b',' => {
                cur.bump();
                if let Some(map) = frames.last_mut().and_then(|f| f.map.as_mut()) {
                    map.expect_key = true;
                }
                prev = Prev::Other;
            }
            b')' | b']' | b'}' => {
                cur.bump();
                frames.pop();
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
                let token = cur.slice(from);
                if depth == 1
                    && prev == Prev::Colon
                    && field == Some("version")
                    && out.version.is_none()
                {
                    out.version = Some((token.to_owned(), cur.pos(start)));
                }
                let in_map_of = frames
                    .last()
                    .filter(|f| f.map.is_some())
                    .and_then(|f| f.field);
                let entry = map_entry(&frames);
                check_number(
                    token, &entry, &cur, start, field, &prev, in_map_of, alliance, &mut out,
                );
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
    message.push_str(&context(*alliance, field));
    let stand_in = if content.trim_start_matches(['+', '-']).matches('-').count() == 2 {
        "2000-01-01"
    } else {
        "2000-01"
    };
    // `content` is a slice of the scanned text, so its offset is a plain pointer difference.
    let from = content.as_ptr() as usize - cur.text.as_ptr() as usize;
    out.bad_literals.push(BadLiteral {
        pos: cur.pos(start),
        message,
        content: from..from + content.len(),
        stand_in: Some(stand_in),
    });
}

/// Record a problem at `start`, naming the alliance and field when known.
fn push(
    out: &mut Scan,
    cur: &Cursor<'_>,
    start: Mark,
    alliance: Option<&str>,
    field: Option<&str>,
    mut message: String,
) {
    message.push_str(&context(alliance, field));
    out.bad_literals.push(BadLiteral {
        pos: cur.pos(start),
        message,
        content: start.idx..start.idx,
        stand_in: None,
    });
}

fn context(alliance: Option<&str>, field: Option<&str>) -> String {
    match (alliance, field) {
        (Some(a), Some(f)) => format!(" (alliance {a:?}, field {f})"),
        (Some(a), None) => format!(" (alliance {a:?})"),
        (None, Some(f)) => format!(" (field {f})"),
        (None, None) => String::new(),
    }
}

/// A map key: refuse one already given in this map (the last would silently win). Returns
/// whether the string was a key.
fn check_key<'a>(
    content: &'a str,
    cur: &Cursor<'_>,
    start: Mark,
    alliance: Option<&str>,
    frames: &mut [Frame<'a>],
    out: &mut Scan,
) -> bool {
    let Some(frame) = frames.last_mut() else {
        return false;
    };
    let field = frame.field;
    let Some(map) = frame.map.as_mut().filter(|m| m.expect_key) else {
        return false;
    };
    map.expect_key = false;
    let key = unescaped(content);
    map.last_key = Some(key.clone());
    if !map.keys.insert(key.clone()) {
        push(
            out,
            cur,
            start,
            alliance,
            field,
            format!("key {key:?} is given twice in this map; keep one of them"),
        );
    }
    true
}

/// A string's content with its escapes undone (best effort: as written when it is not valid).
fn unescaped(content: &str) -> Cow<'_, str> {
    if content.contains('\\') {
        Cow::Owned(
            ron::from_str::<String>(&format!("\"{content}\""))
                .unwrap_or_else(|_| content.to_owned()),
        )
    } else {
        Cow::Borrowed(content)
    }
}

/// Refuse a text over [`MAX_TEXT_BYTES`] (counted after escapes are undone).
fn check_length(
    content: &str,
    escaped: bool,
    cur: &Cursor<'_>,
    start: Mark,
    field: Option<&str>,
    alliance: Option<&str>,
    out: &mut Scan,
) {
    if content.len() <= MAX_TEXT_BYTES {
        return;
    }
    let len = if escaped {
        unescaped(content).len()
    } else {
        content.len()
    };
    if len > MAX_TEXT_BYTES {
        push(
            out,
            cur,
            start,
            alliance,
            field,
            format!(
                "this text is {} KiB; a text field may be at most {} KiB",
                len.div_ceil(1024),
                MAX_TEXT_BYTES / 1024
            ),
        );
    }
}

/// Numbers: not finite (`1e400`, `-inf`), negative revenue, a commitment id at the top of its
/// range.
#[allow(clippy::too_many_arguments)]
fn check_number(
    token: &str,
    entry: &str,
    cur: &Cursor<'_>,
    start: Mark,
    field: Option<&str>,
    prev: &Prev<'_>,
    in_map_of: Option<&str>,
    alliance: Option<&str>,
    out: &mut Scan,
) {
    if *prev == Prev::Colon && field == Some("id") {
        if token.bytes().all(|b| b.is_ascii_digit())
            && token
                .parse::<u64>()
                .map_or(true, |id| id > u64::from(crate::model::MAX_COMMITMENT_ID))
        {
            push(
                out,
                cur,
                start,
                alliance,
                field,
                format!(
                    "commitment id {token} is at the top of its range; ids may be at most {}",
                    crate::model::MAX_COMMITMENT_ID
                ),
            );
        }
        return;
    }
    let Ok(value) = token.replace('_', "").parse::<f64>() else {
        return;
    };
    if !value.is_finite() {
        push(
            out,
            cur,
            start,
            alliance,
            field,
            format!("{entry}{token} is not a finite number"),
        );
    } else if value < 0.0 && in_map_of == Some("revenue") {
        push(
            out,
            cur,
            start,
            alliance,
            in_map_of,
            format!("{entry}{token} is negative: revenue may not be negative"),
        );
    }
}

/// Why a date- or month-shaped string is not a valid date or month; `None` when it is valid or
/// not shaped like one at all.
pub fn date_or_month_problem(s: &str) -> Option<String> {
    if let Some(problem) = year_out_of_range(s) {
        return Some(problem);
    }
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

/// A date or month with a signed year, a year of more than four digits, or year 0: chrono
/// reads `"+262142-12-31"`, but every month after it would be out of range (SPEC §8).
fn year_out_of_range(s: &str) -> Option<String> {
    if s.len() > 24 {
        return None;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let parts: Vec<&str> = unsigned.split('-').collect();
    let shaped = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() <= 2);
    let year = parts[0];
    let outside = unsigned.len() != s.len()
        || year.len() > 4
        || (year.len() == 4 && year.bytes().all(|b| b == b'0'));
    (shaped && outside)
        .then(|| format!("{s:?} is outside the years 1-9999 that dates and months may use"))
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
