//! Which tab is showing: the workspace's screens by name and order (the views live in
//! the UI layer, `ui/tabs`).

/// The tabs, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tab {
    Portfolio,
    Charter,
    Commitments,
    Reviews,
    Pipeline,
}

impl Tab {
    pub const ALL: [Self; 5] = [
        Self::Portfolio,
        Self::Charter,
        Self::Commitments,
        Self::Reviews,
        Self::Pipeline,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Portfolio => "Portfolio",
            Self::Charter => "Charter",
            Self::Commitments => "Commitments",
            Self::Reviews => "Reviews",
            Self::Pipeline => "Pipeline",
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Self {
        Self::ALL[i % Self::ALL.len()]
    }

    /// The tab after this one, wrapping round.
    #[must_use]
    pub fn next(self) -> Self {
        Self::from_index(self.index() + 1)
    }

    /// The tab before this one, wrapping round.
    #[must_use]
    pub fn prev(self) -> Self {
        Self::from_index(self.index() + Self::ALL.len() - 1)
    }
}
