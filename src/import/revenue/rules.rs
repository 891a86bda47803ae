//! Attribution rules (SPEC §9): which alliance an order's codes, tags or source point to, and
//! which rules two alliances share (an order matching both would count for neither).

use std::collections::{BTreeMap, HashMap};

use crate::model::{Attribution, Portfolio};

/// One of the three kinds of rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    Code,
    Tag,
    Source,
}

impl RuleKind {
    /// The field of `Attribution` holding this kind.
    pub fn field(self) -> &'static str {
        match self {
            Self::Code => "codes",
            Self::Tag => "tags",
            Self::Source => "sources",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Tag => "tag",
            Self::Source => "source",
        }
    }

    fn of(self, a: &Attribution) -> &[String] {
        match self {
            Self::Code => &a.codes,
            Self::Tag => &a.tags,
            Self::Source => &a.sources,
        }
    }
}

/// How rules and order values are compared: trimmed, case-insensitive.
pub fn normalise(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The same rule on two or more alliances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    pub kind: RuleKind,
    /// The rule as the first alliance wrote it.
    pub value: String,
    /// The alliances that have it, in file order.
    pub alliances: Vec<String>,
}

impl Overlap {
    /// `code "GLOW15" is a rule of glow and peak: an order it matches counts for neither`.
    pub fn message(&self) -> String {
        format!(
            "{} {:?} is a rule of {}: an order it matches counts for none of them",
            self.kind.word(),
            self.value,
            self.alliances.join(" and ")
        )
    }
}

/// Every rule that two or more alliances share (whatever their status: a `Proposed` alliance
/// will take part once it starts), by kind, then value.
pub fn overlaps(portfolio: &Portfolio) -> Vec<Overlap> {
    let mut seen: BTreeMap<(RuleKind, String), Overlap> = BTreeMap::new();
    for kind in [RuleKind::Code, RuleKind::Tag, RuleKind::Source] {
        for a in &portfolio.alliances {
            for rule in kind.of(&a.attribution) {
                let key = normalise(rule);
                if key.is_empty() {
                    continue;
                }
                let entry = seen.entry((kind, key)).or_insert_with(|| Overlap {
                    kind,
                    value: rule.trim().to_owned(),
                    alliances: Vec::new(),
                });
                if !entry.alliances.contains(&a.id) {
                    entry.alliances.push(a.id.clone());
                }
            }
        }
    }
    seen.into_values()
        .filter(|o| o.alliances.len() > 1)
        .collect()
}

/// The rules of the alliances taking part, indexed for matching. Participant `i` is the `i`th
/// entry of the `participants` list it was built from.
#[derive(Debug, Default)]
pub struct Matcher {
    index: HashMap<(RuleKind, String), Vec<usize>>,
    buf: String,
}

impl Matcher {
    pub fn new(portfolio: &Portfolio, participants: &[usize], kinds: &[RuleKind]) -> Self {
        let mut index: HashMap<(RuleKind, String), Vec<usize>> = HashMap::new();
        for (p, &i) in participants.iter().enumerate() {
            for &kind in kinds {
                for rule in kind.of(&portfolio.alliances[i].attribution) {
                    let key = normalise(rule);
                    if key.is_empty() {
                        continue;
                    }
                    let list = index.entry((kind, key)).or_default();
                    if !list.contains(&p) {
                        list.push(p);
                    }
                }
            }
        }
        Self {
            index,
            buf: String::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Add to `hits` the participants whose `kind` rules include `value`.
    pub fn collect(&mut self, kind: RuleKind, value: &str, hits: &mut Vec<usize>) {
        let value = value.trim();
        if value.is_empty() || self.index.is_empty() {
            return;
        }
        self.buf.clear();
        self.buf.extend(value.chars().flat_map(char::to_lowercase));
        // The key is built in place to avoid an allocation per lookup.
        let key = (kind, std::mem::take(&mut self.buf));
        if let Some(list) = self.index.get(&key) {
            for &p in list {
                if !hits.contains(&p) {
                    hits.push(p);
                }
            }
        }
        self.buf = key.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alliance, AllianceKind};

    fn with_rules(id: &str, codes: &[&str], tags: &[&str]) -> Alliance {
        let mut a = Alliance::new(
            id,
            id,
            AllianceKind::CoMarketing,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        a.attribution.codes = codes.iter().map(|s| (*s).to_owned()).collect();
        a.attribution.tags = tags.iter().map(|s| (*s).to_owned()).collect();
        a
    }

    #[test]
    fn overlaps_are_case_and_space_insensitive_and_per_kind() {
        let mut p = Portfolio::empty("B");
        p.alliances
            .push(with_rules("glow", &["GLOW15", "shared"], &["vip"]));
        p.alliances
            .push(with_rules("peak", &[" glow15 "], &["shared"]));
        p.alliances.push(with_rules("fern", &["Glow15"], &[]));
        let o = overlaps(&p);
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].kind, RuleKind::Code);
        assert_eq!(o[0].alliances, ["glow", "peak", "fern"]);
        assert!(o[0].message().contains("\"GLOW15\""));
    }

    #[test]
    fn no_overlap_without_shared_rules() {
        let mut p = Portfolio::empty("B");
        p.alliances.push(with_rules("glow", &["GLOW15"], &[]));
        p.alliances
            .push(with_rules("peak", &["PEAK10"], &["glow15"]));
        assert!(overlaps(&p).is_empty());
    }
}
