//! Siteline server.
fn main() {}
