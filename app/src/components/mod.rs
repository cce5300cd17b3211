//! Reusable view pieces: the login guard, the header, complaint badges, a ticking clock.

pub mod badges;
pub mod guard;
pub mod header;
pub mod tick;
