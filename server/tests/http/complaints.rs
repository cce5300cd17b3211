//! Complaint register API: listing with numbers and filters, one complaint with state and events.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;
use siteline_model::{EventKind, Status, Timestamp};

#[tokio::test]
async fn lists_and_shows_pushed_complaints() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let older = created("zhang", d, "电梯异响", t2026());
    let newer = created(
        "zhang",
        d,
        "楼道灯不亮",
        Timestamp(t2026().millis() + 3_600_000),
    );
    let mut closed = note(&older, "x");
    closed.kind = EventKind::StatusChanged {
        to: Status::Closed,
        reason: None,
    };
    s.push(
        &token,
        &[
            older.clone(),
            newer.clone(),
            note(&older, "已派工程部"),
            closed,
        ],
    )
    .await;

    let (status, list) = s.get(&token, "/api/v1/complaints").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().expect("array").clone();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0]["id"],
        newer.complaint_id.to_string(),
        "newest capture first"
    );
    assert_eq!(list[1]["description"], "电梯异响");
    assert_eq!(list[1]["status"], "closed");
    assert_eq!(list[1]["severity"], "important");
    assert_eq!(list[1]["category"], "facility.lift");
    assert_eq!(list[1]["channel"], "phone");
    assert_eq!(list[1]["location"], "1栋 › 3F 电梯厅");
    assert_eq!(list[1]["created_by"], "zhang");
    assert_eq!(list[1]["created_at"], t2026().millis());
    assert!(list[1]["received_at"].as_i64().expect("received_at") > 0);
    let numbers: Vec<&str> = list.iter().filter_map(|c| c["number"].as_str()).collect();
    assert_eq!(numbers, vec!["SL-2026-000002", "SL-2026-000001"]);
    assert!(list[0]["provisional_number"]
        .as_str()
        .expect("prov")
        .starts_with("P-"));

    let (_, open) = s.get(&token, "/api/v1/complaints?status=received").await;
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    let (_, lifts) = s
        .get(&token, "/api/v1/complaints?category=facility&limit=1")
        .await;
    assert_eq!(lifts.as_array().map(Vec::len), Some(1));
    let (status, body) = s.get(&token, "/api/v1/complaints?status=bogus").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_request");

    let (status, one) = s
        .get(
            &token,
            &format!("/api/v1/complaints/{}", older.complaint_id),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["number"], "SL-2026-000001");
    assert_eq!(one["state"]["number"], "SL-2026-000001");
    assert_eq!(one["state"]["status"], "closed");
    assert_eq!(one["state"]["notes"][0]["text"], "已派工程部");
    let events = one["events"].as_array().expect("events");
    assert_eq!(events.len(), 4, "created, note, status, number");
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert!(events
        .iter()
        .any(|e| e["event"]["type"] == "number_assigned"));
}

#[tokio::test]
async fn unknown_and_malformed_ids() {
    let s = start().await;
    let token = s.admin().await;
    let (status, body) = s
        .get(
            &token,
            "/api/v1/complaints/0190a0b0-0000-7000-8000-000000000000",
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    let (status, body) = s.get(&token, "/api/v1/complaints/not-a-uuid").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_request");
    let (status, body): (StatusCode, Value) = s.get(&token, "/api/v1/complaints").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Array(vec![]));
}
