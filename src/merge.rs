//! The three-way merge of portfolios by identity, for `alliance-desk merge` as a git merge
//! driver (SPEC §10), and the conflicts file it leaves for the workspace.
//!
//! The merge works on the canonical trees of the three portfolios, so it follows every field
//! the model has: structs field by field, maps by key, lists of records by identity (alliances
//! by id, commitments by id, reviews by kind and date, health scores by date, escalations by
//! raised date and issue, intakes by partner and submitted date; see
//! [`crate::store::format::identity`]). A list of plain values (triggers, quarter months) is one
//! value. When both sides changed the same thing differently, ours is kept and a [`Conflict`]
//! names it.

mod driver;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use driver::{DRIVER, DriverError, git_setup, run_merge};

use crate::model::Portfolio;
use crate::store::format::{
    Item, Key, Kind, Node, identity, identity_keys, parse_tree, render, render_inline, same,
    tree_of,
};

/// One step from the portfolio to a conflicting value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// A struct field by name.
    Field(String),
    /// A list element by identity (e.g. `Commitment 3`).
    Item(String),
    /// A map entry by key as written (e.g. `"2026-09"`).
    Entry(String),
}

/// The same thing changed differently on both sides. Values are RON text; `None` means the
/// record is absent on that side (added or removed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The alliance's id, or `None` for portfolio-wide fields and the pipeline.
    pub alliance: Option<String>,
    /// Where it is, for people: `partner`, `commitments › Commitment 3 › done`.
    pub field: String,
    /// Where it is, for [`resolve`].
    pub path: Vec<Step>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
    pub base: Option<String>,
}

/// The content of `NAME.conflicts.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictsFile {
    /// The portfolio the conflicts belong to, as git named it.
    pub portfolio: String,
    pub conflicts: Vec<Conflict>,
}

/// Which side a resolution keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Ours,
    Theirs,
}

/// The merged portfolio and what could not be merged.
#[derive(Debug)]
pub struct Merged {
    pub portfolio: Portfolio,
    pub conflicts: Vec<Conflict>,
    /// Commitments of theirs given a new id because ours added the same id: (alliance, old
    /// id, new id).
    pub renumbered: Vec<(String, u32, u32)>,
}

/// Why a merge or a resolution could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("the portfolio could not be written as RON: {0}")]
    Serialize(#[from] ron::Error),
    #[error("the merged portfolio does not read back: {0}")]
    Unreadable(String),
    #[error("the conflict at {0} no longer matches the portfolio")]
    Stale(String),
}

/// `NAME.conflicts.ron`, beside the portfolio `NAME`.
pub fn conflicts_path(portfolio: &Path) -> PathBuf {
    let mut name = portfolio.as_os_str().to_owned();
    name.push(".conflicts.ron");
    PathBuf::from(name)
}

/// Control characters in `s` shown as escapes, so a conflict printed to a terminal cannot
/// move the cursor or change colours.
pub fn sanitise(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side =
            |v: &Option<String>| v.as_deref().map_or_else(|| "(absent)".to_owned(), sanitise);
        write!(
            f,
            "{} › {}: ours {} | theirs {} | base {}",
            sanitise(self.alliance.as_deref().unwrap_or("portfolio")),
            sanitise(&self.field),
            side(&self.ours),
            side(&self.theirs),
            side(&self.base)
        )
    }
}

struct Merger {
    conflicts: Vec<Conflict>,
    renumbered: Vec<(String, u32, u32)>,
}

/// Where the merge walk is.
#[derive(Clone, Default)]
struct Place {
    alliance: Option<String>,
    field: Vec<String>,
    path: Vec<Step>,
}

impl Place {
    fn with(&self, step: Step, label: String) -> Self {
        let mut next = self.clone();
        next.path.push(step);
        next.field.push(label);
        next
    }
}

fn same_opt(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Whether the three are groups of one shape that can be merged part by part.
fn mergeable(base: &Node, ours: &Node, theirs: &Node) -> bool {
    let shape = |n: &Node| match &n.kind {
        Kind::Group { name, open, .. } => Some((name.clone(), *open)),
        Kind::Atom(_) => None,
    };
    let s = shape(ours);
    s.is_some() && s == shape(theirs) && s == shape(base)
}

fn is_record_list(n: &Node) -> bool {
    matches!(&n.kind, Kind::Group { open: b'[', .. })
        && n.items()
            .iter()
            .all(|i| matches!(i.node.kind, Kind::Group { .. }))
}

impl Merger {
    fn merge(
        &mut self,
        base: Option<&Node>,
        ours: Option<&Node>,
        theirs: Option<&Node>,
        place: &Place,
    ) -> Option<Node> {
        if same_opt(ours, theirs) || same_opt(base, theirs) {
            return ours.cloned();
        }
        if same_opt(base, ours) {
            return theirs.cloned();
        }
        if let (Some(b), Some(o), Some(t)) = (base, ours, theirs)
            && mergeable(b, o, t)
        {
            match &o.kind {
                Kind::Group { open: b'{', .. } => return Some(self.merge_map(b, o, t, place)),
                Kind::Group { open: b'[', .. }
                    if is_record_list(b) && is_record_list(o) && is_record_list(t) =>
                {
                    return Some(self.merge_list(b, o, t, place));
                }
                Kind::Group { open: b'(', .. }
                    if o.items().len() == t.items().len() && o.items().len() == b.items().len() =>
                {
                    return Some(self.merge_fields(b, o, t, place));
                }
                _ => {}
            }
        }
        self.conflicts.push(Conflict {
            alliance: place.alliance.clone(),
            field: if place.field.is_empty() {
                "(whole)".to_owned()
            } else {
                place.field.join(" › ")
            },
            path: place.path.clone(),
            ours: ours.map(render_inline),
            theirs: theirs.map(render_inline),
            base: base.map(render_inline),
        });
        ours.cloned()
    }

    /// Structs and `Some(…)`: element by element (the same type has the same fields).
    fn merge_fields(&mut self, base: &Node, ours: &Node, theirs: &Node, place: &Place) -> Node {
        let mut out = ours.clone();
        let items = base
            .items()
            .iter()
            .zip(ours.items())
            .zip(theirs.items())
            .map(|((b, o), t)| {
                let next = match &o.key {
                    Key::Field(f) => place.with(Step::Field(f.clone()), f.clone()),
                    _ => place.clone(),
                };
                let node = self
                    .merge(Some(&b.node), Some(&o.node), Some(&t.node), &next)
                    .unwrap_or_else(|| o.node.clone());
                Item { node, ..o.clone() }
            })
            .collect();
        if let Some(slot) = out.items_mut() {
            *slot = items;
        }
        out
    }

    fn merge_map(&mut self, base: &Node, ours: &Node, theirs: &Node, place: &Place) -> Node {
        let find = |n: &Node, k: &str| n.items().iter().find(|i| i.key.text() == k).cloned();
        let mut keys: Vec<String> = ours.items().iter().map(|i| i.key.text()).collect();
        for t in theirs.items() {
            let k = t.key.text();
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for b in base.items() {
            let k = b.key.text();
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut items = Vec::new();
        for k in keys {
            let (b, o, t) = (find(base, &k), find(ours, &k), find(theirs, &k));
            let key = o
                .as_ref()
                .or(t.as_ref())
                .or(b.as_ref())
                .map(|i| i.key.clone());
            let next = place.with(Step::Entry(k.clone()), k.clone());
            if let (Some(node), Some(key)) = (
                self.merge(
                    b.as_ref().map(|i| &i.node),
                    o.as_ref().map(|i| &i.node),
                    t.as_ref().map(|i| &i.node),
                    &next,
                ),
                key,
            ) {
                items.push(Item {
                    key,
                    node,
                    start: 0,
                    comma: None,
                });
            }
        }
        let mut out = ours.clone();
        if let Some(slot) = out.items_mut() {
            *slot = items;
        }
        out
    }

    fn merge_list(&mut self, base: &Node, ours: &Node, theirs: &Node, place: &Place) -> Node {
        let (bk, ok, tk) = (
            identity_keys(base),
            identity_keys(ours),
            identity_keys(theirs),
        );
        let at = |keys: &[String], n: &Node, k: &str| {
            keys.iter()
                .position(|x| x == k)
                .and_then(|i| n.items().get(i))
                .map(|i| i.node.clone())
        };
        let mut order: Vec<String> = ok.clone();
        for k in tk.iter().chain(&bk) {
            if !order.contains(k) {
                order.push(k.clone());
            }
        }
        let mut items: Vec<Node> = Vec::new();
        let mut renumber: Vec<Node> = Vec::new();
        for k in &order {
            let (b, o, t) = (at(&bk, base, k), at(&ok, ours, k), at(&tk, theirs, k));
            // Both added a commitment with the same new id: not a conflict, theirs moves.
            if b.is_none()
                && let (Some(o), Some(t)) = (&o, &t)
                && o.name() == Some("Commitment")
                && !same(o, t)
            {
                items.push(o.clone());
                renumber.push(t.clone());
                continue;
            }
            let mut next = place.with(Step::Item(k.clone()), k.clone());
            if place.path == [Step::Field("alliances".to_owned())] {
                let id = o
                    .as_ref()
                    .or(t.as_ref())
                    .or(b.as_ref())
                    .and_then(|n| n.field("id"));
                next.alliance = id.map(|n| unquote(&render_inline(n)));
                next.field.clear();
            }
            if let Some(n) = self.merge(b.as_ref(), o.as_ref(), t.as_ref(), &next) {
                items.push(n);
            }
        }
        if !renumber.is_empty() {
            let id_of = |n: &Node| {
                n.field("id")
                    .and_then(|v| render_inline(v).parse::<u32>().ok())
            };
            let first = items.iter().filter_map(id_of).max().unwrap_or(0) + 1;
            for (next_id, mut t) in (first..).zip(renumber) {
                let old = id_of(&t).unwrap_or(0);
                if let Some(slot) = t.items_mut().and_then(|items| {
                    items
                        .iter_mut()
                        .find(|i| matches!(&i.key, Key::Field(f) if f == "id"))
                }) {
                    slot.node = Node::atom(&next_id.to_string());
                }
                self.renumbered
                    .push((place.alliance.clone().unwrap_or_default(), old, next_id));
                items.push(t);
            }
        }
        let mut out = ours.clone();
        if let Some(slot) = out.items_mut() {
            *slot = items
                .into_iter()
                .map(|node| Item {
                    key: Key::None,
                    node,
                    start: 0,
                    comma: None,
                })
                .collect();
        }
        out
    }
}

/// `"glow"` → `glow` (an id as written → the id).
fn unquote(s: &str) -> String {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_owned()
}

fn read_back(tree: &Node) -> Result<Portfolio, MergeError> {
    let text = render(tree, "");
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Portfolio>(&text)
        .map_err(|e| MergeError::Unreadable(e.to_string()))
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn merge(base: &Portfolio, ours: &Portfolio, theirs: &Portfolio) -> Result<Merged, MergeError> {
    let (b, o, t) = (tree_of(base)?, tree_of(ours)?, tree_of(theirs)?);
    let mut merger = Merger {
        conflicts: Vec::new(),
        renumbered: Vec::new(),
    };
    let merged = merger
        .merge(Some(&b), Some(&o), Some(&t), &Place::default())
        .unwrap_or(o);
    Ok(Merged {
        portfolio: read_back(&merged)?,
        conflicts: merger.conflicts,
        renumbered: merger.renumbered,
    })
}

/// `portfolio` with `conflict` settled as `choice` says.
pub fn resolve(
    portfolio: &Portfolio,
    conflict: &Conflict,
    choice: Choice,
) -> Result<Portfolio, MergeError> {
    let stale = || MergeError::Stale(conflict.to_string());
    let value = match choice {
        Choice::Ours => &conflict.ours,
        Choice::Theirs => &conflict.theirs,
    };
    let value = match value {
        Some(text) => Some(parse_tree(text).map_err(|_| stale())?),
        None => None,
    };
    let mut tree = tree_of(portfolio)?;
    set_at(&mut tree, &conflict.path, value).ok_or_else(stale)?;
    read_back(&tree)
}

/// Put `value` at `path` (remove it for `None`); `None` if the path does not lead anywhere.
fn set_at(node: &mut Node, path: &[Step], value: Option<Node>) -> Option<()> {
    let (step, rest) = path.split_first()?;
    let items = node.items_mut()?;
    let index = match step {
        Step::Field(f) => items
            .iter()
            .position(|i| matches!(&i.key, Key::Field(k) if k == f)),
        Step::Entry(k) => items.iter().position(|i| &i.key.text() == k),
        Step::Item(k) => {
            let holder = Node {
                span: 0..0,
                kind: Kind::Group {
                    name: None,
                    open: b'[',
                    open_at: 0,
                    items: items.clone(),
                },
            };
            identity_keys(&holder).iter().position(|x| x == k)
        }
    };
    if !rest.is_empty() {
        return set_at(&mut items.get_mut(index?)?.node, rest, value);
    }
    match (index, value) {
        (Some(i), Some(v)) => items.get_mut(i)?.node = v,
        (Some(i), None) => {
            items.remove(i);
        }
        (None, Some(v)) => {
            let key = match step {
                Step::Entry(k) => Key::Map(Box::new(parse_tree(k).ok()?)),
                Step::Item(k) if identity(&v) == *k => Key::None,
                _ => return None,
            };
            items.push(Item {
                key,
                node: v,
                start: 0,
                comma: None,
            });
        }
        (None, None) => {}
    }
    Some(())
}

/// Read a conflicts file's text.
pub fn parse_conflicts(text: &str) -> Result<ConflictsFile, ron::error::SpannedError> {
    ron::from_str(text)
}

/// Load `NAME.conflicts.ron` beside `portfolio`; `Ok(None)` when there is none.
pub fn load_conflicts(portfolio: &Path) -> Result<Option<ConflictsFile>, String> {
    let path = conflicts_path(portfolio);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_conflicts(&text)
            .map(Some)
            .map_err(|e| format!("{}:{e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Remove the conflicts file beside `portfolio` once every conflict is settled. Missing is
/// fine.
pub fn remove_conflicts(portfolio: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(conflicts_path(portfolio)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The text of a conflicts file.
pub fn conflicts_text(file: &ConflictsFile) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .depth_limit(2);
    let mut text = ron::ser::to_string_pretty(file, config)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests;
