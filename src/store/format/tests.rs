use super::*;
use crate::store::{parse, to_canonical_ron};

fn sample() -> Portfolio {
    parse(crate::sample::NORTHWIND, "sample").unwrap().portfolio
}

/// Lines of `after` not in `before` and the reverse, as a crude line diff count.
fn changed_lines(before: &str, after: &str) -> (usize, usize) {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    // Longest common subsequence, line by line.
    let mut lcs = vec![vec![0usize; a.len() + 1]; b.len() + 1];
    for i in (0..b.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if b[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let common = lcs[0][0];
    (a.len() - common, b.len() - common)
}

#[test]
fn tree_reads_comments_raw_strings_and_attributes() {
    let text = "#![enable(implicit_some)]\n// c\nA(x: r#\"a\"b\"#, /* /* n */ */ y: [1, 2,], z: {\"k\": 'c'}, w: Some(B()))";
    let t = parse_tree(text).unwrap();
    assert_eq!(t.name(), Some("A"));
    assert_eq!(render_inline(t.field("x").unwrap()), "r#\"a\"b\"#");
    assert_eq!(t.field("y").unwrap().items().len(), 2);
    assert!(parse_tree("A(x: 1").is_err());
    assert!(parse_tree("A(x: 1) trailing").is_err());
}

#[test]
fn canonical_puts_each_record_on_its_own_line() {
    let text = to_canonical_ron(&sample());
    assert!(
        text.contains("\n                    WinCondition(\n"),
        "{text}"
    );
    assert!(text.contains("\n                            \"2026-09\": 21000.0,\n"));
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("Commitment(id: 6,") && l.ends_with("done: None),"))
    );
    assert!(text.contains("\n                        Contact(name: \"Dana Lee\""));
    assert_eq!(parse(&text, "c").unwrap().portfolio, sample());
}

#[test]
fn no_edit_keeps_every_byte() {
    let text = crate::sample::NORTHWIND;
    let p = sample();
    assert_eq!(render_preserving(text, &p, &p), text);
}

#[test]
fn marking_a_commitment_done_changes_one_line() {
    let text = format!("// Our alliances\n{}", crate::sample::NORTHWIND);
    let before = sample();
    let mut after = before.clone();
    after.alliances[0].commitments[5].done = Some("2026-11-15".parse().unwrap());
    let out = render_preserving(&text, &before, &after);
    assert_eq!(changed_lines(&text, &out), (1, 1), "{out}");
    assert!(out.starts_with("// Our alliances\n"));
    assert_eq!(parse(&out, "o").unwrap().portfolio, after);
}

#[test]
fn adding_and_removing_records_touch_only_their_lines() {
    let text = crate::sample::NORTHWIND;
    let before = sample();
    let mut after = before.clone();
    let a = &mut after.alliances[0];
    let mut c = a.commitments[0].clone();
    c.id = a.next_commitment_id();
    c.action = "A new one".to_owned();
    a.commitments.push(c);
    a.health.remove(0);
    a.revenue.insert("2026-11".parse().unwrap(), 1.0);
    let out = render_preserving(text, &before, &after);
    assert_eq!(changed_lines(text, &out), (2, 1), "{out}");
    assert_eq!(parse(&out, "o").unwrap().portfolio, after);
}

#[test]
fn implicit_some_and_missing_fields_are_followed() {
    let text = "Portfolio(version: 1, brand: \"B\", // the brand\n  alliances: [Alliance(id: \"x\", partner: \"X\", kind: Wholesale, status: Active, started: \"2026-01-01\")],\n)\n";
    let before = parse(text, "t").unwrap().portfolio;
    let mut after = before.clone();
    after.alliances[0].notes = "hello".to_owned();
    after.as_of = Some("2026-02-01".parse().unwrap());
    let out = render_preserving(text, &before, &after);
    assert!(out.contains("// the brand"), "{out}");
    assert_eq!(parse(&out, "o").unwrap().portfolio, after);
}

#[test]
fn unreadable_original_falls_back_to_canonical() {
    let p = sample();
    let mut q = p.clone();
    q.brand = "Other".to_owned();
    assert_eq!(render_preserving("not ron (", &p, &q), to_canonical_ron(&q));
}

#[test]
fn a_save_looks_into_the_changed_alliances_only() {
    let mut before = crate::generate::generate(3, 2);
    before.as_of = None;
    let text = crate::store::to_canonical_ron(&before);
    let changed: &dyn Fn(&Node) -> bool =
        &|n: &Node| alliance_id(n) == Some(&*before.alliances[1].id);
    let tree = parse_tree_keeping(&text, Some(changed)).expect("tree");
    let alliances = tree
        .items()
        .iter()
        .find(|i| matches!(&i.key, Key::Field(f) if f == "alliances"))
        .expect("alliances");
    let kept: Vec<bool> = alliances
        .node
        .items()
        .iter()
        .map(|i| matches!(i.node.kind, Kind::Group { .. }))
        .collect();
    assert_eq!(kept, [false, true, false]);
    // Pruned alliances keep their spans: an edit to the kept one splices as before.
    let mut after = before.clone();
    after.alliances[1].notes = "changed".to_owned();
    let saved = try_render_preserving(Some(&text), &before, &after).expect("renders");
    assert_eq!(read(&saved).as_ref(), Some(&after));
    let diff: Vec<_> = text
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(diff.len(), 1, "{diff:?}");
}
