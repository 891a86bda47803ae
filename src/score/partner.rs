//! What may be shown to a partner (SPEC §7) — the one rule share mode, the partner-safe
//! Markdown export (`export --format md --alliance ID`) and the published partner pages share.
//!
//! A partner sees one alliance: partner, type, status, start, the charter, win conditions,
//! ARCR, commitments with CFR and speed, reviews with their summaries and both SAS, escalations,
//! and the flags this module lets through. Never our health scores (a review's stored `health`
//! figure included), the week-1 audit, the flags built on them, the internal notes, the brand's
//! total revenue or the portfolio share — nor another alliance or the pipeline.

use super::{Flag, FlagCode};

/// Whether a flag may be shown to the partner: not those built on our health scores or the
/// week-1 audit, which are ours alone.
pub fn partner_may_see(code: FlagCode) -> bool {
    !matches!(
        code,
        FlagCode::HealthConversation | FlagCode::AuditDead | FlagCode::AuditAtRisk
    )
}

/// The flags of `flags` a partner may see, in their order.
pub fn partner_visible_flags(flags: &[Flag]) -> Vec<&Flag> {
    flags.iter().filter(|f| partner_may_see(f.code)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_and_audit_flags_are_ours_and_every_other_flag_is_shared() {
        let hidden: Vec<FlagCode> = FlagCode::ALL
            .into_iter()
            .filter(|c| !partner_may_see(*c))
            .collect();
        assert_eq!(
            hidden,
            [
                FlagCode::HealthConversation,
                FlagCode::AuditDead,
                FlagCode::AuditAtRisk
            ]
        );
    }
}
