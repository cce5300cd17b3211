//! Pulling everything back through `GET /api/v1/sync/pull` in the app's pages (5,000 events, the
//! 90-day window) as an admin (every site) and as a supervisor of the site (a scoped read), the
//! way a fresh device does: the server side of the device bench's pull, without a browser.

use siteline_model::sync::{PullResponse, MAX_PULL};
use std::time::{Duration, Instant};

/// One full pull: the time, the events and the bytes received (brotli when `brotli`).
pub struct Pulled {
    pub took: Duration,
    pub events: usize,
    pub bytes: usize,
}

/// Pulls from cursor 0 until the server says nothing more follows; every page is decoded and
/// its events counted after the clock stopped (the server's answer is what is timed).
pub async fn pull_all(http: &reqwest::Client, base: &str, token: &str, brotli: bool) -> Pulled {
    let mut cursor = 0u64;
    let mut pages = Vec::new();
    let start = Instant::now();
    loop {
        let mut req = http
            .get(format!(
                "{base}/api/v1/sync/pull?after={cursor}&limit={MAX_PULL}&window_days=90"
            ))
            .bearer_auth(token);
        if brotli {
            req = req.header("accept-encoding", "br");
        }
        let res = req.send().await.expect("pull");
        let status = res.status();
        let bytes = res.bytes().await.expect("pull answer");
        assert!(status.is_success(), "pull: {status} {bytes:?}");
        let page: PullHead = serde_json::from_slice(&if brotli {
            unbrotli(&bytes)
        } else {
            bytes.to_vec()
        })
        .expect("pull head");
        cursor = page.next_cursor;
        let more = page.has_more;
        pages.push(bytes);
        if !more {
            break;
        }
    }
    let took = start.elapsed();
    let mut events = 0;
    let mut wire = 0;
    for bytes in &pages {
        wire += bytes.len();
        let body = if brotli {
            unbrotli(bytes)
        } else {
            bytes.to_vec()
        };
        let page: PullResponse = serde_json::from_slice(&body).expect("pull response");
        events += page.events.len();
    }
    Pulled {
        took,
        events,
        bytes: wire,
    }
}

/// What the loop needs of a page before it asks for the next.
#[derive(serde::Deserialize)]
struct PullHead {
    next_cursor: u64,
    has_more: bool,
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut std::io::Cursor::new(bytes), &mut out).expect("brotli");
    out
}
