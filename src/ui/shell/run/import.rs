//! The I/O half of the workspace's revenue import (SPEC §9): read the export the user named and
//! plan it against the open portfolio. Nothing changes until the user applies the plan.

use std::path::PathBuf;

use super::super::App;
use crate::app::EffectResult;
use crate::import::revenue;

/// Read `path` as a Shopify orders export and plan its import.
pub(super) fn read(app: &App, path: PathBuf) -> EffectResult {
    // The export streams from disk; the workspace shows the result, not a progress bar.
    let plan = revenue::plan_shopify_file(&app.doc.portfolio, &path, &mut |_| {});
    EffectResult::RevenueRead {
        path,
        plan: Box::new(plan),
    }
}
