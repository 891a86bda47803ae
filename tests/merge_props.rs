//! Property test of the three-way merge (SPEC §10): random edit sequences on two branches from
//! one base, merged — no edit from either side is lost where the two did not touch the same
//! field, a field both changed differently is a conflict that keeps ours, and the result always
//! validates. And edit sequences saved over a commented file keep its comments.

use alliance_desk::generate::generate;
use alliance_desk::history::{Change, alliance_changes};
use alliance_desk::merge::merge;
use alliance_desk::model::{Commitment, Party, Portfolio};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Edit {
    Notes(usize, u8),
    Partner(usize, u8),
    Done(usize, usize, u8),
    Action(usize, usize, u8),
    Revenue(usize, u8, u16),
    Health(usize, u8),
    AddCommitment(usize),
    RemoveHealth(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..4usize, 0..3u8).prop_map(|(a, v)| Edit::Notes(a, v)),
        (0..4usize, 0..3u8).prop_map(|(a, v)| Edit::Partner(a, v)),
        (0..4usize, 0..30usize, 1..28u8).prop_map(|(a, c, d)| Edit::Done(a, c, d)),
        (0..4usize, 0..30usize, 0..3u8).prop_map(|(a, c, v)| Edit::Action(a, c, v)),
        (0..4usize, 1..12u8, 0..500u16).prop_map(|(a, m, v)| Edit::Revenue(a, m, v)),
        (0..4usize, 1..6u8).prop_map(|(a, v)| Edit::Health(a, v)),
        (0..4usize).prop_map(Edit::AddCommitment),
        (0..4usize).prop_map(Edit::RemoveHealth),
    ]
}

fn apply(portfolio: &mut Portfolio, edit: &Edit, side: &str, seq: usize) {
    let alliance = match edit {
        Edit::Notes(index, _)
        | Edit::Partner(index, _)
        | Edit::Done(index, ..)
        | Edit::Action(index, ..)
        | Edit::Revenue(index, ..)
        | Edit::Health(index, _)
        | Edit::AddCommitment(index)
        | Edit::RemoveHealth(index) => &mut portfolio.alliances[*index % 4],
    };
    match edit {
        Edit::Notes(_, v) => alliance.notes = format!("{side} note {v}"),
        Edit::Partner(_, v) => alliance.partner = format!("{side} partner {v}"),
        Edit::Done(_, which, day) => {
            let len = alliance.commitments.len();
            if len > 0 {
                alliance.commitments[which % len].done =
                    Some(format!("2027-01-{day:02}").parse().unwrap());
            }
        }
        Edit::Action(_, which, v) => {
            let len = alliance.commitments.len();
            if len > 0 {
                alliance.commitments[which % len].action = format!("{side} action {v}");
            }
        }
        Edit::Revenue(_, month, v) => {
            alliance
                .revenue
                .insert(format!("2027-{month:02}").parse().unwrap(), f64::from(*v));
        }
        Edit::Health(_, v) => {
            if let Some(h) = alliance.health.last_mut() {
                h.strategic_alignment = *v;
            }
        }
        Edit::AddCommitment(_) => {
            let id = alliance.next_commitment_id();
            alliance.commitments.push(Commitment {
                id,
                party: Party::Us,
                action: format!("{side} added {seq}"),
                due: "2027-02-01".parse().unwrap(),
                done: None,
            });
        }
        Edit::RemoveHealth(_) => {
            alliance.health.pop();
        }
    }
}

/// Whether two change paths touch the same thing (equal, or one inside the other).
fn overlaps(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b} › ")) || b.starts_with(&format!("{a} › "))
}

fn changes(base: &Portfolio, other: &Portfolio) -> Vec<(String, Change)> {
    base.alliances
        .iter()
        .flat_map(|a| {
            alliance_changes(Some(a), other.alliance(&a.id))
                .into_iter()
                .map(|c| (a.id.clone(), c))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_edit_is_lost_where_the_sides_did_not_touch_the_same_field(
        seed in 0u64..1000,
        ours_edits in proptest::collection::vec(edit(), 0..6),
        theirs_edits in proptest::collection::vec(edit(), 0..6),
    ) {
        let base = generate(4, seed);
        let mut ours = base.clone();
        let mut theirs = base.clone();
        for (n, e) in ours_edits.iter().enumerate() {
            apply(&mut ours, e, "ours", n);
        }
        for (n, e) in theirs_edits.iter().enumerate() {
            apply(&mut theirs, e, "theirs", n);
        }
        let merged = merge(&base, &ours, &theirs).unwrap();
        let problems: Vec<_> = alliance_desk::validate::validate(&merged.portfolio)
            .into_iter()
            .filter(alliance_desk::validate::Diagnostic::is_error)
            .collect();
        prop_assert!(problems.is_empty(), "{problems:?}");
        let (ours_changes, theirs_changes) = (changes(&base, &ours), changes(&base, &theirs));
        let merged_changes = changes(&base, &merged.portfolio);
        let added = |p: &Portfolio, id: &str, action: &str| {
            p.alliance(id).is_some_and(|a| a.commitments.iter().any(|c| c.action == action))
        };
        for (mine, other) in [(&ours_changes, &theirs_changes), (&theirs_changes, &ours_changes)] {
            for (id, change) in mine {
                let touched = other
                    .iter()
                    .any(|(oid, oc)| oid == id && overlaps(&oc.field, &change.field));
                if touched {
                    continue;
                }
                if change.before.is_none()
                    && let Some(after) = &change.after
                    && after.starts_with("Commitment(")
                {
                    // An added commitment may have been renumbered: find it by its action.
                    let action = after.split("action: \"").nth(1).and_then(|s| s.split('"').next());
                    prop_assert!(added(&merged.portfolio, id, action.unwrap_or_default()), "{id}: {change}");
                    continue;
                }
                prop_assert!(
                    merged_changes.iter().any(|(mid, mc)| mid == id && mc == change),
                    "{id}: {change} lost; merged has {merged_changes:?}"
                );
            }
        }
        // Where both changed one field differently, ours is kept and a conflict names it.
        for (id, change) in &ours_changes {
            let clash = theirs_changes.iter().any(|(tid, tc)| {
                tid == id && tc.field == change.field && tc.after != change.after
            });
            // Both adding a commitment with one id is not a conflict: theirs is renumbered.
            let both_added = change.before.is_none()
                && change.after.as_deref().is_some_and(|a| a.starts_with("Commitment("));
            if clash && !both_added && change.field != "(alliance)" {
                prop_assert!(
                    merged.conflicts.iter().any(|c| c.alliance.as_deref() == Some(id)),
                    "{id}: {change} not reported"
                );
            }
        }
    }
}

/// The generator's canonical text with a comment above every alliance and a header comment.
fn commented(p: &Portfolio) -> String {
    let mut out = String::from("// header comment\n");
    for line in alliance_desk::store::to_canonical_ron(p).lines() {
        if line.trim_start().starts_with("Alliance(") {
            out.push_str("        // about this alliance\n");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any sequence of edits saved over a commented file keeps every comment (no alliance is
    /// removed here) and reads back as the edited portfolio.
    #[test]
    fn saves_over_a_commented_file_keep_its_comments(
        seed in 0u64..1000,
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        let base = generate(4, seed);
        let text = commented(&base);
        let mut edited = base.clone();
        for (n, e) in edits.iter().enumerate() {
            apply(&mut edited, e, "edit", n);
        }
        let out = alliance_desk::store::format::render_preserving(&text, &base, &edited);
        prop_assert_eq!(&alliance_desk::store::parse(&out, "out").unwrap().portfolio, &edited);
        prop_assert!(out.starts_with("// header comment\n"));
        prop_assert_eq!(out.matches("// about this alliance").count(), 4);
    }
}
