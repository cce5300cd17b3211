//! Plain-Rust logic behind the pages (no Leptos): intake, actions, deadlines wording, board, notice.
//! Tested in `app/tests/logic.rs`.

pub mod actions;
pub mod board;
pub mod intake;
pub mod notice;
pub mod time;
