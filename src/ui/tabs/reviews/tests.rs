//! Tests of the Reviews tab.
