//! Bad input: malformed JSON, content type, sizes, schema versions, invalid and foreign events, routes.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use siteline_model::sync::{PushResult, MAX_PUSH};
use siteline_model::EventKind;

async fn post_raw(
    s: &TestServer,
    token: &str,
    path: &str,
    ctype: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = s
        .http
        .post(s.url(path))
        .bearer_auth(token)
        .header("content-type", ctype)
        .body(body)
        .send()
        .await
        .expect("post");
    let status = res.status();
    (status, res.json().await.expect("json error body"))
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let s = start().await;
    let token = s.admin().await;
    let (status, body) = post_raw(
        &s,
        &token,
        "/api/v1/sync/push",
        "application/json",
        b"{not json".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_json");
    let (status, body) = post_raw(
        &s,
        &token,
        "/api/v1/sync/push",
        "application/json",
        br#"{"events":[]}"#.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "missing field");
    assert_eq!(error_code(&body), "bad_json");
    let (status, body) = post_raw(
        &s,
        &token,
        "/api/v1/sync/push",
        "text/plain",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_code(&body), "unsupported_media_type");
    let (status, body) = post_raw(
        &s,
        &token,
        "/api/v1/auth/login",
        "application/json",
        b"[]".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_json");
    let (status, body) = s.get(&token, "/api/v1/sync/pull?after=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_request");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let s = start().await;
    let token = s.admin().await;
    for path in ["/api/v1/nope", "/api/nope", "/api"] {
        let (status, body) = s.get(&token, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_code(&body), "not_found");
    }
    let (status, body) = s.get(&token, "/api/v1/sync/push").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(&body), "method_not_allowed");
    let res = s
        .http
        .get(s.url("/api/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.expect("json");
    assert_eq!(
        body,
        json!({ "status": "ok", "schema_version": siteline_model::sync::SCHEMA_VERSION })
    );
}

#[tokio::test]
async fn push_limits_and_versions() {
    let s = start().await;
    let token = s.admin().await;
    let d = device();
    let one = serde_json::to_value(created("admin", d, "x", t2026())).expect("json");
    let (status, body) = s
        .push_raw(
            &token,
            &json!({ "schema_version": siteline_model::sync::SCHEMA_VERSION + 1, "events": [one.clone()] }),
        )
        .await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(error_code(&body), "update_required");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("update the server")),
        "{body}"
    );
    let (status, body) = s
        .push_raw(&token, &json!({ "schema_version": 0, "events": [] }))
        .await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(error_code(&body), "update_required");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("update the app")),
        "{body}"
    );
    let many: Vec<Value> = (0..=MAX_PUSH)
        .map(|i| serde_json::to_value(created("admin", d, &format!("{i}"), t2026())).expect("json"))
        .collect();
    let (status, body) = s
        .push_raw(&token, &json!({ "schema_version": 1, "events": many }))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&body), "too_large");
    assert!(
        s.pull_all(&token, 500).await.is_empty(),
        "nothing stored from refused pushes"
    );
    // Older versions the server knows are still accepted.
    let (status, _) = s
        .push_raw(
            &token,
            &json!({ "schema_version": siteline_model::sync::MIN_SCHEMA_VERSION, "events": [one] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn body_over_the_limit_is_too_large() {
    let s = start().await;
    let token = s.admin().await;
    let big = vec![b' '; 17 * 1024 * 1024];
    let (status, body) = post_raw(&s, &token, "/api/v1/sync/push", "application/json", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&body), "too_large");
}

#[tokio::test]
async fn invalid_and_foreign_events_are_rejected_one_by_one() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let good = created("zhang", d, "好的", t2026());
    let empty = created("zhang", d, "  ", t2026());
    let foreign = created("li", d, "别人的", t2026());
    let mut numbered = note(&good, "x");
    numbered.kind = EventKind::NumberAssigned {
        number: "SL-2026-999999".into(),
    };
    let r = s
        .push(
            &token,
            &[
                empty.clone(),
                good.clone(),
                foreign.clone(),
                numbered.clone(),
            ],
        )
        .await;
    let codes: Vec<&str> = r
        .results
        .iter()
        .map(|o| match &o.result {
            PushResult::Accepted { .. } => "accepted",
            PushResult::Rejected { code, message } => {
                assert!(!message.is_empty());
                code
            }
        })
        .collect();
    assert_eq!(
        codes,
        vec!["validation", "accepted", "author_mismatch", "validation"]
    );
    let ids: Vec<_> = r.results.iter().map(|o| o.id).collect();
    assert_eq!(ids, vec![empty.id, good.id, foreign.id, numbered.id]);
    let stored = s.pull_all(&token, 500).await;
    assert_eq!(stored.len(), 2, "the good event and its number");
    // Admins may relay anyone's events.
    let admin = s.admin().await;
    let r = s.push(&admin, &[foreign]).await;
    assert!(matches!(r.results[0].result, PushResult::Accepted { .. }));
}
