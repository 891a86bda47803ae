//! Share mode (SPEC §7): the screen shows one alliance — the shared one, followed by its id —
//! and only what a partner may see of it.
//!
//! [`partner_view`] is what share mode draws from: a copy of the document in which nothing a
//! partner may not see is left to draw. The alliances stay at their indices (the views keep
//! lists of indices), but every other alliance is nameless, and no alliance keeps its internal
//! notes, health scores, week-1 audit or a review's stored health figure; the brand's total
//! revenue, the pipeline and the portfolio-wide figures are gone; the flags are those
//! [`crate::score::partner_visible_flags`] lets through, the rule the exports use too.

use crate::app::document::Document;
use crate::score::{self, AuditResult, AuditState, FlagCounts};

/// What another alliance's name becomes in the partner's view.
pub const NOT_SHARED: &str = "(not shared)";

/// Where the alliance shared as `id` is now, if it is still in the document.
pub fn locate(doc: &Document, id: &str) -> Option<usize> {
    doc.portfolio.alliance_index(id)
}

/// The document as the partner of the alliance at `shared` may see it.
pub fn partner_view(doc: &Document, shared: usize) -> Document {
    let mut portfolio = doc.portfolio.clone();
    let mut scores = doc.scores.clone();
    portfolio.revenue.clear();
    portfolio.pipeline.clear();
    for (i, a) in portfolio.alliances.iter_mut().enumerate() {
        if i != shared {
            NOT_SHARED.clone_into(&mut a.partner);
        }
        a.notes.clear();
        a.health.clear();
        a.audit = None;
        for review in &mut a.reviews {
            if let Some(mut figures) = review.figures().cloned() {
                figures.health = None;
                review.set_figures(Some(figures));
            }
        }
    }
    for (i, s) in scores.alliances.iter_mut().enumerate() {
        if i != shared {
            NOT_SHARED.clone_into(&mut s.partner);
        }
        s.health = None;
        s.audit = AuditResult {
            answers_yes: 0,
            state: AuditState::Alive,
            goal: false,
            written_agreement: false,
            structured_review: false,
            number: false,
        };
        s.flags.retain(|f| score::partner_may_see(f.code));
    }
    scores.portfolio.alliance_share = None;
    scores.portfolio.goal_attainment = None;
    scores.portfolio.flag_counts = FlagCounts {
        warn: 0,
        critical: 0,
    };
    doc.view_with(portfolio, scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::document::Source;
    use crate::sample;

    #[test]
    fn the_partner_view_keeps_places_and_drops_what_is_ours() {
        let p = crate::store::parse(sample::NORTHWIND, sample::NORTHWIND_NAME)
            .unwrap()
            .portfolio;
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
        let doc = Document::new(p, as_of, Source::Demo);
        let shared = 1;
        let view = partner_view(&doc, shared);
        assert_eq!(
            view.portfolio.alliances.len(),
            doc.portfolio.alliances.len()
        );
        assert_eq!(view.current, doc.current);
        for (i, (a, s)) in view
            .portfolio
            .alliances
            .iter()
            .zip(&view.scores.alliances)
            .enumerate()
        {
            assert_eq!(a.id, doc.portfolio.alliances[i].id, "same places");
            if i == shared {
                assert_eq!(a.partner, doc.portfolio.alliances[i].partner);
            } else {
                assert_eq!(a.partner, NOT_SHARED);
                assert_eq!(s.partner, NOT_SHARED);
            }
            assert!(a.notes.is_empty() && a.health.is_empty() && a.audit.is_none());
            assert!(s.health.is_none());
            assert!(s.flags.iter().all(|f| score::partner_may_see(f.code)));
            assert!(
                a.reviews
                    .iter()
                    .all(|r| r.figures().is_none_or(|f| f.health.is_none()))
            );
        }
        assert!(view.portfolio.revenue.is_empty() && view.portfolio.pipeline.is_empty());
        assert!(view.scores.portfolio.alliance_share.is_none());
    }
}
