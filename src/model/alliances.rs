//! The portfolio's alliances, each held behind an [`Arc`], so that a copy of the portfolio
//! shares them and costs a list of pointers (issue 14: the crash-recovery writer serialises a
//! snapshot of the portfolio on another thread; a full copy was the model twice in memory).
//!
//! Reading looks like a `Vec<Alliance>`: indexing, `iter`, `get`, `len` give `&Alliance`.
//! Changing an alliance (`alliances[i].notes = …`, `iter_mut`, `get_mut`) copies it first
//! when a snapshot still shares it (`Arc::make_mut`), so a snapshot never sees a later edit.
//! In the file it is the plain list of alliances.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Alliance;

/// The alliances of a portfolio, in file order; cheap to clone (see the module header).
#[derive(Clone, Default, PartialEq)]
pub struct Alliances(Vec<Arc<Alliance>>);

impl Alliances {
    /// No alliances.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// No alliances, with room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The alliances in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    /// The alliances in order, each one changeable (copied first if a snapshot shares it).
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.0.iter_mut())
    }

    pub fn get(&self, index: usize) -> Option<&Alliance> {
        self.0.get(index).map(|a| &**a)
    }

    /// The alliance at `index`, changeable (copied first if a snapshot shares it).
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Alliance> {
        self.0.get_mut(index).map(Arc::make_mut)
    }

    pub fn first(&self) -> Option<&Alliance> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&Alliance> {
        self.0.last().map(|a| &**a)
    }

    pub fn first_mut(&mut self) -> Option<&mut Alliance> {
        self.0.first_mut().map(Arc::make_mut)
    }

    pub fn last_mut(&mut self) -> Option<&mut Alliance> {
        self.0.last_mut().map(Arc::make_mut)
    }

    /// The shared alliance at `index`: keeping it (the undo history does) costs no copy.
    pub fn shared(&self, index: usize) -> Option<&Arc<Alliance>> {
        self.0.get(index)
    }

    /// The shared alliance at `index`; panics when out of range, as indexing does.
    pub fn shared_at(&self, index: usize) -> &Arc<Alliance> {
        &self.0[index]
    }

    /// Put a shared alliance at `index` in place of the one there.
    pub fn set_shared(&mut self, index: usize, alliance: Arc<Alliance>) {
        self.0[index] = alliance;
    }

    /// Insert a shared alliance at `index`.
    pub fn insert_shared(&mut self, index: usize, alliance: Arc<Alliance>) {
        self.0.insert(index, alliance);
    }

    /// Put `alliance` at `index` in place of the one there (never copying the one replaced).
    pub fn set(&mut self, index: usize, alliance: Alliance) {
        self.0[index] = Arc::new(alliance);
    }

    pub fn push(&mut self, alliance: Alliance) {
        self.0.push(Arc::new(alliance));
    }

    pub fn insert(&mut self, index: usize, alliance: Alliance) {
        self.0.insert(index, Arc::new(alliance));
    }

    /// Take out the alliance at `index` (a copy of it if a snapshot still shares it).
    pub fn remove(&mut self, index: usize) -> Alliance {
        Arc::unwrap_or_clone(self.0.remove(index))
    }

    pub fn pop(&mut self) -> Option<Alliance> {
        self.0.pop().map(Arc::unwrap_or_clone)
    }

    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn reverse(&mut self) {
        self.0.reverse();
    }

    pub fn swap(&mut self, a: usize, b: usize) {
        self.0.swap(a, b);
    }

    /// The alliances in runs of `size` (the last may be shorter), to share out among threads.
    pub fn chunks(&self, size: usize) -> impl Iterator<Item = Iter<'_>> {
        self.0.chunks(size).map(|part| Iter(part.iter()))
    }

    /// Keep the alliances for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Alliance) -> bool) {
        self.0.retain(|a| keep(a));
    }

    pub fn contains(&self, alliance: &Alliance) -> bool {
        self.iter().any(|a| a == alliance)
    }
}

impl fmt::Debug for Alliances {
    /// As a list of alliances, like the `Vec` it stands for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Index<usize> for Alliances {
    type Output = Alliance;

    fn index(&self, index: usize) -> &Alliance {
        &self.0[index]
    }
}

impl IndexMut<usize> for Alliances {
    fn index_mut(&mut self, index: usize) -> &mut Alliance {
        Arc::make_mut(&mut self.0[index])
    }
}

impl From<Vec<Alliance>> for Alliances {
    fn from(alliances: Vec<Alliance>) -> Self {
        alliances.into_iter().collect()
    }
}

impl<const N: usize> From<[Alliance; N]> for Alliances {
    fn from(alliances: [Alliance; N]) -> Self {
        alliances.into_iter().collect()
    }
}

impl FromIterator<Alliance> for Alliances {
    fn from_iter<I: IntoIterator<Item = Alliance>>(iter: I) -> Self {
        Self(iter.into_iter().map(Arc::new).collect())
    }
}

impl Extend<Alliance> for Alliances {
    fn extend<I: IntoIterator<Item = Alliance>>(&mut self, iter: I) {
        self.0.extend(iter.into_iter().map(Arc::new));
    }
}

impl<'a> IntoIterator for &'a Alliances {
    type Item = &'a Alliance;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Alliances {
    type Item = &'a mut Alliance;
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Alliances {
    type Item = Alliance;
    type IntoIter =
        std::iter::Map<std::vec::IntoIter<Arc<Alliance>>, fn(Arc<Alliance>) -> Alliance>;

    fn into_iter(self) -> Self::IntoIter {
        self.0
            .into_iter()
            .map(Arc::unwrap_or_clone as fn(Arc<Alliance>) -> Alliance)
    }
}

/// The alliances in order, as `&Alliance`.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, Arc<Alliance>>);

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Alliance;

    fn next(&mut self) -> Option<&'a Alliance> {
        self.0.next().map(|a| &**a)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<&'a Alliance> {
        self.0.nth(n).map(|a| &**a)
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|a| &**a)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl std::iter::FusedIterator for Iter<'_> {}

/// The alliances in order, as `&mut Alliance` (each copied first if a snapshot shares it).
#[derive(Debug)]
pub struct IterMut<'a>(std::slice::IterMut<'a, Arc<Alliance>>);

impl<'a> Iterator for IterMut<'a> {
    type Item = &'a mut Alliance;

    fn next(&mut self) -> Option<&'a mut Alliance> {
        self.0.next().map(Arc::make_mut)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(Arc::make_mut)
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl std::iter::FusedIterator for IterMut<'_> {}

impl Serialize for Alliances {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Alliances {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(AlliancesVisitor)
    }
}

/// Reads the list straight into shared alliances (no list of plain alliances in between).
struct AlliancesVisitor;

impl<'de> Visitor<'de> for AlliancesVisitor {
    type Value = Alliances;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of alliances")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Alliances, A::Error> {
        // Never trust a length the input claims for more than a modest head start.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(alliance) = seq.next_element::<Alliance>()? {
            out.push(Arc::new(alliance));
        }
        Ok(Alliances(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AllianceKind;

    fn alliance(id: &str) -> Alliance {
        Alliance::new(
            id,
            "Partner",
            AllianceKind::Wholesale,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
    }

    #[test]
    fn a_copy_shares_the_alliances_and_never_sees_a_later_edit() {
        let mut live: Alliances = vec![alliance("a"), alliance("b")].into();
        let snapshot = live.clone();
        assert!(
            Arc::ptr_eq(&live.0[0], &snapshot.0[0]),
            "shared, not copied"
        );
        live[0].notes = "edited".to_owned();
        live.get_mut(1).unwrap().partner = "Other".to_owned();
        assert_eq!(snapshot[0].notes, "", "the snapshot keeps what it had");
        assert_eq!(snapshot[1].partner, "Partner");
        assert_eq!(live[0].notes, "edited");
        assert_eq!(live[1].partner, "Other");
        let untouched: Alliances = vec![alliance("c")].into();
        let copy = untouched.clone();
        assert!(Arc::ptr_eq(&untouched.0[0], &copy.0[0]));
    }

    #[test]
    fn it_reads_and_writes_as_a_plain_list() {
        let list = vec![alliance("a"), alliance("b")];
        let wrapped: Alliances = list.clone().into();
        let options = ron::Options::default();
        assert_eq!(
            options.to_string(&wrapped).unwrap(),
            options.to_string(&list).unwrap()
        );
        let back: Alliances = options
            .from_str(&options.to_string(&list).unwrap())
            .unwrap();
        assert_eq!(back, wrapped);
        assert_eq!(format!("{wrapped:?}"), format!("{list:?}"));
        assert_eq!(wrapped.into_iter().collect::<Vec<_>>(), list);
    }
}
