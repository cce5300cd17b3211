//! End-to-end test harness: a real `siteline-server` process and headless Chromium over WebDriver.

mod app;
mod browser;
pub mod chaos;
mod config;
pub mod devbench;
pub mod inject;
pub mod peerbench;
pub mod png;
mod procs;
mod server;
mod wait;

pub use app::{NewComplaint, CARD, CONNECTION, DETAIL, FORM_ERROR, PENDING};
pub use browser::Browser;
pub use config::{
    axe_js, chromedriver_bin, chromium_bin, dist_dir, repo_root, server_bin, target_dir,
};
pub use procs::free_port;
pub use server::TestServer;
pub use wait::{try_wait_for, wait_for, WaitTimeout, POLL_INTERVAL};

/// A probe result for `wait_for`: done, or the value seen so far (for the timeout message).
pub fn expect_eq(seen: impl Into<String>, want: &str) -> Result<(), String> {
    let seen = seen.into();
    if seen == want {
        Ok(())
    } else {
        Err(format!("{seen:?} (want {want:?})"))
    }
}
