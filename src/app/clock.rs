//! Time for timers (the charter's 20:00, the MBR's 45:00), injectable so tests never sleep.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Monotonic time since the workspace started.
#[derive(Debug)]
pub enum Clock {
    Real(Instant),
    /// A clock that moves only when a test says so.
    Manual(Cell<Duration>),
}

impl Default for Clock {
    fn default() -> Self {
        Self::Real(Instant::now())
    }
}

impl Clock {
    pub fn manual() -> Self {
        Self::Manual(Cell::new(Duration::ZERO))
    }

    /// Time since start.
    pub fn now(&self) -> Duration {
        match self {
            Self::Real(start) => start.elapsed(),
            Self::Manual(t) => t.get(),
        }
    }

    /// Move a manual clock forward; a real clock ignores it.
    pub fn advance(&self, by: Duration) {
        if let Self::Manual(t) = self {
            t.set(t.get() + by);
        }
    }
}

/// `mm:ss` (or `h:mm:ss` past an hour).
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = Clock::manual();
        assert_eq!(c.now(), Duration::ZERO);
        c.advance(Duration::from_secs(61));
        assert_eq!(format_duration(c.now()), "01:01");
        assert_eq!(format_duration(Duration::from_secs(3725)), "1:02:05");
    }
}
