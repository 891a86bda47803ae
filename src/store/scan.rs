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
enum Prev {
    Ident(String),
    Colon,
    Other,
}

struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    pos: Pos,
}

impl Cursor<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }
}

/// Scan `text` once. Never fails: anything it does not understand is left to ron.
pub fn scan(text: &str) -> Scan {
    let mut cur = Cursor {
        chars: text.chars().peekable(),
        pos: Pos { line: 1, col: 1 },
    };
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut prev = Prev::Other;
    let mut field: Option<String> = None;
    let mut alliance: Option<String> = None;

    while let Some(c) = cur.peek() {
        let start = cur.pos;
        match c {
            '/' => {
                cur.bump();
                match cur.peek() {
                    Some('/') => {
                        out.has_comments = true;
                        while cur.peek().is_some_and(|c| c != '\n') {
                            cur.bump();
                        }
                    }
                    Some('*') => {
                        out.has_comments = true;
                        cur.bump();
                        skip_block_comment(&mut cur);
                    }
                    _ => prev = Prev::Other,
                }
            }
            '"' => {
                cur.bump();
                let content = read_string(&mut cur, 0);
                on_string(
                    &content,
                    start,
                    field.as_deref(),
                    &prev,
                    &mut alliance,
                    &mut out,
                );
                prev = Prev::Other;
            }
            '\'' => {
                cur.bump();
                while let Some(c) = cur.bump() {
                    match c {
                        '\\' => {
                            cur.bump();
                        }
                        '\'' | '\n' => break,
                        _ => {}
                    }
                }
                prev = Prev::Other;
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut ident = String::new();
                while cur.peek().is_some_and(|c| {
                    c.is_alphanumeric() || c == '_' || c == '#' && is_raw_prefix(&ident)
                }) {
                    // `r#ident` raw identifiers and `r#"…"#` raw strings both start like this.
                    if let Some(c) = cur.bump() {
                        ident.push(c);
                    }
                    if (ident == "r" || ident == "b" || ident == "br") && cur.peek() == Some('"') {
                        break;
                    }
                }
                let raw_hashes = ident
                    .strip_prefix('r')
                    .filter(|h| h.chars().all(|c| c == '#'));
                if let (Some(hashes), Some('"')) = (raw_hashes, cur.peek()) {
                    let hashes = hashes.len();
                    cur.bump();
                    let content = read_string(&mut cur, hashes + 1);
                    on_string(
                        &content,
                        start,
                        field.as_deref(),
                        &prev,
                        &mut alliance,
                        &mut out,
                    );
                    prev = Prev::Other;
                } else if ident == "b" && cur.peek() == Some('"') {
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
            ':' => {
                cur.bump();
                if let Prev::Ident(name) = &prev {
                    field = Some(name.clone());
                    prev = Prev::Colon;
                } else {
                    prev = Prev::Other;
                }
            }
            '(' | '[' | '{' => {
                cur.bump();
                depth += 1;
                prev = Prev::Other;
            }
            ')' | ']' | '}' => {
                cur.bump();
                depth = depth.saturating_sub(1);
                prev = Prev::Other;
            }
            c if c.is_whitespace() => {
                cur.bump();
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                let mut number = String::new();
                while cur
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
                {
                    if let Some(c) = cur.bump() {
                        number.push(c);
                    }
                }
                if depth == 1
                    && prev == Prev::Colon
                    && field.as_deref() == Some("version")
                    && out.version.is_none()
                {
                    out.version = Some((number, start));
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
        .is_some_and(|h| h.chars().all(|c| c == '#'))
}

/// Skip a (possibly nested) block comment whose `/*` was already consumed.
fn skip_block_comment(cur: &mut Cursor<'_>) {
    let mut nesting = 1usize;
    while let Some(c) = cur.bump() {
        match (c, cur.peek()) {
            ('*', Some('/')) => {
                cur.bump();
                nesting -= 1;
                if nesting == 0 {
                    return;
                }
            }
            ('/', Some('*')) => {
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
fn read_string(cur: &mut Cursor<'_>, raw_hashes: usize) -> String {
    let mut content = String::new();
    while let Some(c) = cur.bump() {
        if raw_hashes == 0 && c == '\\' {
            content.push(c);
            if let Some(e) = cur.bump() {
                content.push(e);
            }
            continue;
        }
        if c == '"' {
            let wanted = raw_hashes.saturating_sub(1);
            let mut seen = 0;
            while seen < wanted && cur.peek() == Some('#') {
                cur.bump();
                seen += 1;
            }
            if seen == wanted {
                return content;
            }
            content.push('"');
            content.extend(std::iter::repeat_n('#', seen));
            continue;
        }
        content.push(c);
    }
    content
}

fn on_string(
    content: &str,
    pos: Pos,
    field: Option<&str>,
    prev: &Prev,
    alliance: &mut Option<String>,
    out: &mut Scan,
) {
    if *prev == Prev::Colon && field == Some("id") {
        *alliance = Some(content.to_owned());
        return;
    }
    if field.is_some_and(|f| TEXT_FIELDS.contains(&f)) {
        return;
    }
    let Some(problem) = date_or_month_problem(content) else {
        return;
    };
    let mut message = problem;
    let context = match (alliance.as_deref(), field) {
        (Some(a), Some(f)) => format!(" (alliance {a:?}, field {f})"),
        (Some(a), None) => format!(" (alliance {a:?})"),
        (None, Some(f)) => format!(" (field {f})"),
        (None, None) => String::new(),
    };
    message.push_str(&context);
    out.bad_literals.push(BadLiteral { pos, message });
}

/// Why a date- or month-shaped string is not a valid date or month; `None` when it is valid or
/// not shaped like one at all.
pub fn date_or_month_problem(s: &str) -> Option<String> {
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
            } else if NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
