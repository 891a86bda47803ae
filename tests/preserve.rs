//! Format-preserving saves (SPEC §2, §10) on the sample and the generator's portfolios with
//! comments added: a save with no edit changes nothing; an edit of one field changes exactly the
//! line of that record (one line out, one line in) and keeps every comment.

use alliance_desk::generate::generate;
use alliance_desk::model::Portfolio;
use alliance_desk::store::format::render_preserving;
use alliance_desk::store::{parse, to_canonical_ron};

/// `text` with a comment line above every alliance, a trailing comment on every fifth line that
/// ends in a comma, and a blank line before the pipeline.
fn with_comments(text: &str) -> String {
    let mut out = String::from("// Portfolio of the alliance team /* nested */\n");
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with("Alliance(") {
            out.push_str(indent);
            out.push_str("/* one alliance */ // and why it matters\n");
        }
        if trimmed.starts_with("pipeline:") {
            out.push('\n');
        }
        out.push_str(line);
        if i % 5 == 0 && line.ends_with(',') {
            out.push_str(" // checked");
        }
        out.push('\n');
    }
    out
}

/// (lines only in `before`, lines only in `after`), by longest common subsequence.
fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    let mut lcs = vec![vec![0u32; a.len() + 1]; b.len() + 1];
    for i in (0..b.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if b[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut gone, mut came) = (Vec::new(), Vec::new());
    while i < b.len() || j < a.len() {
        if i < b.len() && j < a.len() && b[i] == a[j] {
            i += 1;
            j += 1;
        } else if j < a.len() && (i == b.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            came.push(a[j].to_owned());
            j += 1;
        } else {
            gone.push(b[i].to_owned());
            i += 1;
        }
    }
    (gone, came)
}

type Edit = (&'static str, fn(&mut Portfolio) -> bool);

/// One-field edits, each naming text the changed line must hold afterwards.
fn edits() -> Vec<Edit> {
    vec![
        ("done: Some(\"2031-01-02\")", |p| {
            let Some(c) = p
                .alliances
                .iter_mut()
                .flat_map(|a| &mut a.commitments)
                .nth(3)
            else {
                return false;
            };
            c.done = Some("2031-01-02".parse().unwrap());
            true
        }),
        ("partner: \"Renamed Partner\"", |p| {
            "Renamed Partner".clone_into(&mut p.alliances.last_mut().unwrap().partner);
            true
        }),
        ("relationship_health: 1", |p| {
            let Some(h) = p.alliances.iter_mut().flat_map(|a| &mut a.health).next() else {
                return false;
            };
            h.relationship_health = if h.relationship_health == 1 { 2 } else { 1 };
            true
        }),
        ("12345.5", |p| {
            let Some(v) = p
                .alliances
                .iter_mut()
                .flat_map(|a| a.revenue.values_mut())
                .nth(2)
            else {
                return false;
            };
            *v = 12345.5;
            true
        }),
        ("54321.5", |p| {
            let Some(v) = p
                .alliances
                .iter_mut()
                .filter_map(|a| a.charter.as_mut())
                .flat_map(|c| &mut c.win_conditions)
                .flat_map(|w| w.actuals.values_mut())
                .next()
            else {
                return false;
            };
            *v = 54321.5;
            true
        }),
        ("resolved: Some(\"2031-02-03\")", |p| {
            let Some(e) = p
                .alliances
                .iter_mut()
                .flat_map(|a| &mut a.escalations)
                .next()
            else {
                return false;
            };
            e.resolved = Some("2031-02-03".parse().unwrap());
            true
        }),
        ("email: \"new@example.com\"", |p| {
            let Some(c) = p
                .alliances
                .iter_mut()
                .filter_map(|a| a.charter.as_mut())
                .flat_map(|c| &mut c.escalation.contacts)
                .next()
            else {
                return false;
            };
            "new@example.com".clone_into(&mut c.email);
            true
        }),
    ]
}

fn portfolios() -> Vec<(String, String)> {
    let mut out = vec![(
        "sample".to_owned(),
        with_comments(alliance_desk::sample::NORTHWIND),
    )];
    for seed in [1, 7, 42] {
        out.push((
            format!("generated seed {seed}"),
            with_comments(&to_canonical_ron(&generate(6, seed))),
        ));
    }
    out
}

#[test]
fn a_save_without_edits_changes_nothing() {
    for (name, text) in portfolios() {
        let p = parse(&text, &name).unwrap().portfolio;
        assert_eq!(render_preserving(&text, &p, &p), text, "{name}");
    }
}

#[test]
fn an_edit_of_one_field_changes_exactly_the_line_of_its_record() {
    for (name, text) in portfolios() {
        let original = parse(&text, &name).unwrap().portfolio;
        let mut applied = 0;
        for (needle, edit) in edits() {
            let mut edited = original.clone();
            if !edit(&mut edited) || edited == original {
                continue;
            }
            let out = render_preserving(&text, &original, &edited);
            assert_eq!(
                parse(&out, &name).unwrap().portfolio,
                edited,
                "{name}: {needle}"
            );
            let (gone, came) = line_diff(&text, &out);
            assert_eq!(
                (gone.len(), came.len()),
                (1, 1),
                "{name}: {needle}\n{gone:?}\n{came:?}"
            );
            assert!(came[0].contains(needle), "{name}: {needle}: {came:?}");
            let comments = |t: &str| t.matches("//").count();
            assert_eq!(comments(&out), comments(&text), "{name}: {needle}");
            applied += 1;
        }
        assert!(applied >= 5, "{name}: only {applied} edits applied");
    }
}

#[test]
fn the_canonical_text_is_a_fixed_point_for_the_generator() {
    let p = generate(6, 3);
    let text = to_canonical_ron(&p);
    let again = parse(&text, "gen").unwrap().portfolio;
    assert_eq!(again, p);
    assert_eq!(to_canonical_ron(&again), text);
}
