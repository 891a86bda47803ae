//! The Pipeline tab: the intake form and pursue/decline scoring. Not built yet: the tab says so plainly and takes no keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::{Cx, Outcome, TabView, ViewCtx};
use crate::app::action::Action;

#[derive(Debug, Default)]
pub struct PipelineTab;

impl TabView for PipelineTab {
    fn on_action(&mut self, _action: Action, _cx: &mut Cx) -> Outcome {
        Outcome::Ignored
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &ViewCtx) {
        let text = vec![
            Line::styled("Pipeline — not built yet", cx.theme.title),
            Line::raw(""),
            Line::styled(
                "This tab will hold the intake form and pursue/decline scoring.",
                cx.theme.muted,
            ),
            Line::styled(
                "Everything else in the workspace works; its keys are listed under ?.",
                cx.theme.muted,
            ),
        ];
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().border_style(cx.theme.border))
            .render(area, buf);
    }

    fn hints(&self) -> Vec<(Action, &'static str)> {
        Vec::new()
    }
}
