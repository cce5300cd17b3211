//! Plain-Rust logic behind the pages (no Leptos): intake, actions, deadlines wording, board,
//! notice, record sync facts, the keyring, uploads, readiness, the sync lease and the ZIP writer.
//! Tested natively where they are pure (`cargo test -p siteline-app --lib`) and in the browser
//! (`app/tests/logic.rs`).

pub mod actions;
pub mod admin;
pub mod board;
pub mod board_filter;
pub mod display;
pub mod export;
pub mod fleet;
pub mod history;
pub mod intake;
pub mod keyring;
pub mod lease;
pub mod majors;
pub mod notice;
pub mod people;
pub mod progress;
pub mod readiness;
pub mod record;
pub mod replies;
pub mod report_choice;
pub mod setup;
pub mod site_settings;
pub mod time;
pub mod upload;
pub mod window;
pub mod zip;
