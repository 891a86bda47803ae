//! The `?` overlay, generated from the live keymap so it never disagrees with the keys: the
//! start-up notices, a glossary (each metric with its threshold, each flag with its rule in
//! words), every key, and a section per tab that `?` opens at.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::app::action::Action;
use crate::model::{HEALTH_THRESHOLD, SAS_EXIT_THRESHOLD};
use crate::score::{FlagCode, Severity};
use crate::ui::shell::App;
use crate::ui::tabs::Tab;

/// Each metric in one line: what it is and the threshold that matters.
const GLOSSARY: &[(&str, &str)] = &[
    (
        "ARCR",
        "Alliance Revenue Contribution Rate: alliance revenue ÷ brand revenue in a month; low below 2% after 6 months",
    ),
    (
        "Share",
        "Portfolio alliance share: all alliances' revenue ÷ brand revenue, latest month; target 15–25%",
    ),
    (
        "CFR",
        "Commitment Fulfillment Rate: commitments done ÷ due; red below 70% two months running, critical below 50% for a quarter",
    ),
    (
        "Speed",
        "Execution speed: median days from due to done over 90 days (negative = early)",
    ),
    (
        "SAS",
        "Strategic Alignment Score: mean of three 1–10 answers per party each quarter; below 6 means an exit talk",
    ),
    (
        "Health",
        "Four dimensions scored 1–5, total of 20; below 12 means an honest conversation (pipeline: 12+ pursue)",
    ),
    (
        "Audit",
        "Goal, written agreement, review and a number in the last 90 days: one missing = at risk, no review and no number = dead",
    ),
    (
        "MBR/QSR",
        "Monthly business review (due every 35 days) / quarterly strategic review (every 100 days)",
    ),
];

/// A flag's rule in words, with its numbers.
fn rule(code: FlagCode) -> String {
    match code {
        FlagCode::Wish => "a win condition has no number or no deadline".to_owned(),
        FlagCode::NoCharter => "an active alliance has no signed charter".to_owned(),
        FlagCode::HealthConversation => {
            format!("latest health score below {HEALTH_THRESHOLD} of 20")
        }
        FlagCode::AuditDead => "no number and no structured review in 90 days".to_owned(),
        FlagCode::AuditAtRisk => "a number or a structured review missing in 90 days".to_owned(),
        FlagCode::ArcrLow => "6+ months old and the latest month's ARCR below 2%".to_owned(),
        FlagCode::ArcrDeclining => "ARCR fell three months in a row".to_owned(),
        FlagCode::CfrRed => "CFR below 70% in each of the last two months".to_owned(),
        FlagCode::CfrCritical => "CFR below 50% in each of the last three months".to_owned(),
        FlagCode::SasExit => {
            format!("latest quarterly review: either party's SAS below {SAS_EXIT_THRESHOLD}")
        }
        FlagCode::AlignmentExit => {
            format!("the two latest quarterly reviews' combined SAS below {SAS_EXIT_THRESHOLD}")
        }
        FlagCode::MbrOverdue => "no monthly review in the last 35 days".to_owned(),
        FlagCode::QsrOverdue => {
            "no quarterly review in 100 days, or the charter's review date passed".to_owned()
        }
        FlagCode::SummaryLate => {
            "the latest monthly review's summary went out more than a day late".to_owned()
        }
        FlagCode::EscalationOverdue => {
            "an open escalation older than the charter's resolution days (14)".to_owned()
        }
    }
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

/// A term and its meaning, the meaning wrapped under itself within `width`.
fn entry(lines: &mut Vec<Line<'static>>, term: Span<'static>, meaning: &str, width: usize) {
    let indent = term.content.chars().count();
    let mut rows = wrap(meaning, width.saturating_sub(indent).max(20)).into_iter();
    lines.push(Line::from(vec![
        term,
        Span::raw(rows.next().unwrap_or_default()),
    ]));
    for row in rows {
        lines.push(Line::raw(format!("{}{row}", " ".repeat(indent))));
    }
}

/// The help text for a box `width` columns inside, and the line each tab's section starts at.
fn build(app: &App, width: usize) -> (Vec<Line<'static>>, Vec<(Tab, usize)>) {
    let theme = &app.theme;
    let mut lines = Vec::new();
    if !app.notices.is_empty() {
        lines.push(Line::styled("Notices at start", theme.title));
        for notice in &app.notices {
            for (i, line) in notice.lines().enumerate() {
                let mark = if i == 0 { "  • " } else { "    " };
                lines.push(Line::raw(format!("{mark}{line}")));
            }
        }
        lines.push(Line::raw(""));
    }
    let mut sections = Vec::new();
    for tab in Tab::ALL {
        sections.push((tab, lines.len()));
        lines.push(Line::styled(format!("{} tab", tab.title()), theme.title));
        for (action, label) in app.tab_view(tab).hints() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", app.keymap.describe(action)), theme.key),
                Span::raw(label),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Glossary", theme.title));
    for (term, meaning) in GLOSSARY {
        let term = Span::styled(format!("  {term:<8}"), theme.key);
        entry(&mut lines, term, meaning, width);
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Flags", theme.title));
    for code in FlagCode::ALL {
        let sev = code.severity();
        let term = Span::styled(
            format!("  {} {:<19}", sev.symbol(), code.short_label()),
            theme.flag(sev),
        );
        entry(&mut lines, term, &rule(code), width);
    }
    lines.push(Line::raw(format!(
        "  {} warn   {} critical   ✓ no flags",
        Severity::Warn.symbol(),
        Severity::Critical.symbol()
    )));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Keys (from your keymap)", theme.title));
    for action in Action::ALL {
        let term = Span::styled(format!("  {:<18}", app.keymap.describe(action)), theme.key);
        entry(&mut lines, term, action.description(), width);
    }
    lines.push(Line::raw(
        "  While a text field has focus it takes every printable key.",
    ));
    lines.push(Line::raw(
        "  Mouse: click tabs and rows; the wheel scrolls.",
    ));
    (lines, sections)
}

/// The help text as shown on a screen of `area`.
pub fn lines(app: &App, area: Rect) -> Vec<Line<'static>> {
    build(app, inner_width(area)).0
}

/// The columns inside the help box on a screen of `area`.
fn inner_width(area: Rect) -> usize {
    usize::from(rect(area).width.saturating_sub(2))
}

/// Where help opens from `tab`: at that tab's section, as far as the text scrolls.
pub fn section_scroll(app: &App, tab: Tab, area: Rect) -> u16 {
    let (_, sections) = build(app, inner_width(area));
    let line = sections
        .iter()
        .find(|(t, _)| *t == tab)
        .map_or(0, |(_, line)| *line);
    u16::try_from(line)
        .unwrap_or(u16::MAX)
        .min(max_scroll(app, area))
}

/// The overlay's box on a screen of `area`.
fn rect(area: Rect) -> Rect {
    super::centered(
        area,
        area.width.saturating_sub(4).min(120),
        area.height.saturating_sub(2),
    )
}

/// The furthest the help can scroll on a screen of `area`: its last line at the bottom.
/// Lines are wrapped here, not by the paragraph, so one line is one row.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let rows = usize::from(rect(area).height.saturating_sub(2));
    u16::try_from(lines(app, area).len().saturating_sub(rows)).unwrap_or(u16::MAX)
}

pub fn render(app: &App, scroll: u16, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let rect = rect(area);
    Clear.render(rect, buf);
    // Clamped here too: a larger screen since the last key leaves less to scroll.
    let scroll = scroll.min(max_scroll(app, area));
    Paragraph::new(lines(app, area))
        .scroll((scroll, 0))
        .style(theme.base)
        .block(
            Block::bordered()
                .border_style(theme.border_focus)
                .title(Span::styled(
                    " Help — ↑↓ PgUp PgDn Home End scroll, Esc closes ",
                    theme.title,
                )),
        )
        .render(rect, buf);
}
