//! The `alliance-desk` binary. STUB: the CLI work replaces this.
fn main() {}
