use super::*;
use crate::store::parse;

fn sample() -> Portfolio {
    parse(crate::sample::NORTHWIND, "sample").unwrap().portfolio
}

#[test]
fn edits_to_different_things_combine() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.alliances[0].partner = "Glow Ltd".to_owned();
    ours.alliances[0].commitments[5].done = Some("2026-11-14".parse().unwrap());
    theirs.alliances[1].notes = "renegotiate".to_owned();
    theirs.alliances[0].commitments[9].done = Some("2026-11-20".parse().unwrap());
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let mut expected = ours.clone();
    expected.alliances[1].notes = "renegotiate".to_owned();
    expected.alliances[0].commitments[9].done = theirs.alliances[0].commitments[9].done;
    assert_eq!(m.portfolio, expected);
}

#[test]
fn both_adding_the_same_commitment_id_renumbers_theirs() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let id = base.alliances[0].next_commitment_id();
    let mut c = base.alliances[0].commitments[0].clone();
    c.id = id;
    c.action = "ours".to_owned();
    ours.alliances[0].commitments.push(c.clone());
    c.action = "theirs".to_owned();
    theirs.alliances[0].commitments.push(c);
    let m = merge(&base, &ours, &theirs).unwrap();
    assert!(m.conflicts.is_empty());
    let got = &m.portfolio.alliances[0].commitments;
    assert_eq!(got[got.len() - 2].action, "ours");
    assert_eq!(got[got.len() - 2].id, id);
    assert_eq!(got[got.len() - 1].action, "theirs");
    assert_eq!(got[got.len() - 1].id, id + 1);
    assert_eq!(m.renumbered, vec![("glow".to_owned(), id, id + 1)]);
}

#[test]
fn the_same_field_changed_differently_keeps_ours_and_can_be_resolved() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.alliances[0].partner = "Ours\u{1b}[31m".to_owned();
    theirs.alliances[0].partner = "Theirs".to_owned();
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.portfolio, ours);
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(c.alliance.as_deref(), Some("glow"));
    let shown = c.to_string();
    assert!(!shown.contains('\u{1b}'), "{shown}");
    assert!(shown.starts_with("glow › partner: ours \"Ours"), "{shown}");
    assert!(
        shown.ends_with("| theirs \"Theirs\" | base \"Glow & Co\""),
        "{shown}"
    );
    let file = ConflictsFile {
        portfolio: "p.ron".to_owned(),
        conflicts: m.conflicts.clone(),
    };
    let again = parse_conflicts(&conflicts_text(&file).unwrap()).unwrap();
    assert_eq!(again, file);
    let settled = resolve(&m.portfolio, &again.conflicts[0], Choice::Theirs).unwrap();
    assert_eq!(settled, theirs);
    assert_eq!(resolve(&m.portfolio, c, Choice::Ours).unwrap(), ours);
}

#[test]
fn removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.alliances.remove(1);
    theirs.alliances[1].notes = "still here".to_owned();
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.portfolio, ours);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].ours, None);
    let settled = resolve(&m.portfolio, &m.conflicts[0], Choice::Theirs).unwrap();
    assert_eq!(settled.alliances.len(), base.alliances.len());
    assert!(settled.alliance(&base.alliances[1].id).is_some());
}
