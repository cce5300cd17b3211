//! Reusable view pieces: the login guard, the header, complaint badges.

pub mod badges;
pub mod guard;
pub mod header;
