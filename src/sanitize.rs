//! Untrusted text on its way out (SPEC §8): everything printed from user data goes through
//! [`terminal`] (or [`terminal_line`]), and every Markdown export writes user text through
//! [`markdown`] or [`markdown_block`].
//!
//! A portfolio file, an imported CSV or a partner's name can carry terminal escape sequences
//! (retitle the window, clear the screen, fake a prompt) and bidirectional controls that reorder
//! what is shown. Those are shown as visible escapes (`\u{1b}`), never sent raw.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must never reach a terminal raw: C0 and C1 controls, DEL, and the bidirectional
/// embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), plus the line and
/// paragraph separators a terminal may treat as line breaks.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}' | '\u{2029}')
}

fn escape_into(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

fn escaped(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal where a newline is meant (a multi-line message, a note): newline and tab
/// are kept, every other control and bidirectional control is shown as `\u{…}`.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escaped(s, |c| c == '\n' || c == '\t')
}

/// Text for one line of a terminal (a table cell, a name, an excerpt): every control, newline
/// and tab included, is shown as `\u{…}`.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    escaped(s, |_| false)
}

/// User text inside one Markdown line (a heading, a list item, a table cell's line): Markdown
/// and HTML are escaped so it never starts a heading, a list, a quote, a link, an image or a
/// tag, a newline becomes a space (so a name cannot start a block of its own), and controls are
/// shown as visible escapes.
pub fn markdown(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    markdown_line(one_line.trim(), true)
}

/// User text in a Markdown table cell: escaped as by [`markdown`] (a cell never starts a
/// block, so a leading `-` or `#` is left alone), the line breaks written as `<br>`.
pub fn markdown_cell(s: &str) -> String {
    s.lines()
        .map(|l| markdown_line(l, false))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Multi-line user text (notes, a review's prose) for a Markdown paragraph: each line escaped
/// as by [`markdown`], the line breaks kept.
pub fn markdown_block(s: &str) -> String {
    s.lines()
        .map(|l| markdown_line(l.trim_end(), true))
        .collect::<Vec<_>>()
        .join("\n")
}

fn markdown_line(line: &str, at_line_start: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let leading = line.len() - line.trim_start().len();
    out.push_str(&line[..leading]);
    let body = &line[leading..];
    // What makes a block at the start of a line: `#` heading, `>` quote, `-`/`+`/`*` list or
    // rule, `=` setext underline, `1.`/`1)` ordered list, ``` fence, `|` table.
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let mut chars = body.char_indices().peekable();
    if !at_line_start {
    } else if digits > 0 && matches!(body.as_bytes().get(digits), Some(b'.' | b')')) {
        out.push_str(&body[..digits]);
        out.push('\\');
        chars = body[digits..].char_indices().peekable();
    } else if let Some(first) = body.chars().next()
        && matches!(first, '#' | '-' | '+' | '=')
    {
        out.push('\\');
    }
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            // Only where it could open a tag or an autolink: "SAS 5.0 < 6" stays.
            '<' if chars
                .peek()
                .is_none_or(|&(_, n)| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;");
            }
            '>' if out.trim_start().is_empty() || out.ends_with("&lt;") => out.push_str("&gt;"),
            // Only where it could start an entity (`&lt;`, `&#60;`): "Glow & Co" stays.
            '&' if chars
                .peek()
                .is_some_and(|&(_, n)| n.is_ascii_alphanumeric() || n == '#') =>
            {
                out.push_str("&amp;");
            }
            c if is_unsafe(c) => escape_into(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_csi_osc_c1_and_bidi() {
        let hostile = "Glow\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}olleh\u{2066}";
        let shown = terminal(hostile);
        assert_eq!(
            shown,
            "Glow\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{9b}31m\\u{202e}olleh\\u{2066}"
        );
        assert!(!shown.chars().any(is_unsafe));
        assert_eq!(terminal("a\n\tb"), "a\n\tb");
        assert_eq!(terminal_line("a\nb\r"), "a\\u{a}b\\u{d}");
        assert!(matches!(terminal("plain ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_never_starts_a_block_a_link_or_a_tag() {
        assert_eq!(markdown("# Owned"), "\\# Owned");
        assert_eq!(markdown("Glow\n# Owned"), "Glow # Owned");
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)>"
        );
        assert_eq!(
            markdown("[link](javascript:alert(1))"),
            "\\[link\\](javascript:alert(1))"
        );
        assert_eq!(
            markdown("![x](http://t/p.png)"),
            "\\!\\[x\\](http://t/p.png)"
        );
        assert_eq!(markdown("1. one"), "1\\. one");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("> quote"), "&gt; quote");
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("Glow & Co"), "Glow & Co");
        assert_eq!(markdown("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
        assert_eq!(markdown("x\u{1b}[2J"), "x\\u{1b}\\[2J");
        assert_eq!(markdown_block("line\n# two"), "line\n\\# two");
        assert_eq!(markdown_cell("-5|<b>\n2"), "-5\\|&lt;b><br>2");
        assert_eq!(markdown("SAS 5.0 < 6 > 5"), "SAS 5.0 < 6 > 5");
        assert_eq!(markdown("</script>"), "&lt;/script>");
    }
}
