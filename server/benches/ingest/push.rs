//! Pushing the benchmark's batches through `POST /api/v1/sync/push`: an admin's session, bodies
//! serialised beforehand, every event checked accepted afterwards.

use siteline_model::sync::{PushRequest, PushResponse, PushResult, SCHEMA_VERSION};
use siteline_model::Event;
use std::time::{Duration, Instant};

pub const ADMIN_PW: &str = "bench-admin-password";

/// The request bodies of `events` in batches of `batch`.
pub fn bodies(events: &[Event], batch: usize) -> Vec<Vec<u8>> {
    events
        .chunks(batch)
        .map(|chunk| {
            let req = PushRequest {
                schema_version: SCHEMA_VERSION,
                events: chunk.to_vec(),
            };
            serde_json::to_vec(&req).expect("json")
        })
        .collect()
}

/// An admin's bearer token from the server at `base`.
pub async fn admin_token(http: &reqwest::Client, base: &str) -> String {
    login(http, base, "admin", ADMIN_PW).await
}

/// A bearer token of `username` from the server at `base`.
async fn login(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    login["token"].as_str().expect("token").to_string()
}

/// Sends `bodies` one after another; answers the time spent and how many events were accepted
/// (a rejection fails the benchmark).
pub async fn push_all(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    bodies: Vec<Vec<u8>>,
) -> (Duration, usize) {
    let url = format!("{base}/api/v1/sync/push");
    let mut answers = Vec::with_capacity(bodies.len());
    let start = Instant::now();
    for body in bodies {
        let res = http
            .post(&url)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("push");
        let status = res.status();
        let bytes = res.bytes().await.expect("push answer");
        assert!(status.is_success(), "push: {status} {bytes:?}");
        answers.push(bytes);
    }
    let took = start.elapsed();
    let mut accepted = 0;
    for bytes in &answers {
        let r: PushResponse = serde_json::from_slice(bytes).expect("push response");
        for o in r.results {
            match o.result {
                PushResult::Accepted { .. } => accepted += 1,
                PushResult::Rejected { code, message } => {
                    panic!("event {} rejected: {code}: {message}", o.id)
                }
            }
        }
    }
    (took, accepted)
}

/// A supervisor of the default site (`SL`), created by the admin; answers their token.
pub async fn supervisor_token(http: &reqwest::Client, base: &str, admin: &str) -> String {
    const PW: &str = "bench-supervisor-password";
    let res = http
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(admin)
        .json(&serde_json::json!({
            "username": "bench_supervisor",
            "password": PW,
            "role": "supervisor",
            "sites": ["SL"],
        }))
        .send()
        .await
        .expect("create supervisor");
    assert!(
        res.status().is_success(),
        "create supervisor: {}",
        res.status()
    );
    login(http, base, "bench_supervisor", PW).await
}
