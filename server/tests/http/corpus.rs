//! The bad-input corpus: well over 100 hostile or broken requests, each answered with the right
//! 4xx and the JSON error shape, the server healthy after every one; and hostile events inside
//! a valid push, each refused with its code while the honest ones are stored.

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};
use siteline_model::{ComplaintId, EventId, Timestamp};

/// One request of the corpus and the answer it must get.
struct Case {
    what: String,
    method: Method,
    path: String,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
}

fn case(
    what: &str,
    method: Method,
    path: &str,
    ctype: &'static str,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        what: what.into(),
        method,
        path: path.into(),
        content_type: ctype,
        body,
        status,
        code,
    }
}

const JSON: &str = "application/json";

/// The JSON endpoints and a valid-shaped body for each (so the broken variants differ only in
/// what is broken).
fn json_endpoints() -> Vec<(Method, &'static str)> {
    vec![
        (Method::POST, "/api/v1/auth/login"),
        (Method::POST, "/api/v1/auth/password"),
        (Method::POST, "/api/v1/users"),
        (Method::PATCH, "/api/v1/users/staff1"),
        (Method::POST, "/api/v1/sites"),
        (Method::POST, "/api/v1/sync/push"),
        (Method::POST, "/api/v1/attachments/check"),
        (Method::PUT, "/api/v1/sites/SL/policy"),
        (Method::POST, "/api/v1/sites/SL/categories"),
        (
            Method::POST,
            "/api/v1/attachments/0000000000000000000000000000000000000000000000000000000000000000/upload",
        ),
    ]
}

fn corpus() -> Vec<Case> {
    let mut out = Vec::new();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    let mut bad_utf8 = br#"{"username": "a"#.to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, 0x80]);
    bad_utf8.extend_from_slice(br#"", "password": "x"}"#);
    for (m, p) in json_endpoints() {
        let variants: Vec<(&str, &'static str, Vec<u8>, u16, &'static str)> = vec![
            ("truncated JSON", JSON, b"{\"a\": ".to_vec(), 400, "bad_json"),
            ("not JSON", JSON, b"hello".to_vec(), 400, "bad_json"),
            ("an array", JSON, b"[]".to_vec(), 400, "bad_json"),
            ("a string", JSON, b"\"x\"".to_vec(), 400, "bad_json"),
            ("null", JSON, b"null".to_vec(), 400, "bad_json"),
            ("a number", JSON, b"12".to_vec(), 400, "bad_json"),
            ("invalid UTF-8", JSON, bad_utf8.clone(), 400, "bad_json"),
            ("10 000 deep", JSON, deep.clone(), 400, "bad_json"),
            ("text/plain", "text/plain", b"{}".to_vec(), 415, "unsupported_media_type"),
            ("an empty body", JSON, Vec::new(), 400, "bad_json"),
            ("wrong field types", JSON, br#"{"username": 1, "password": [], "code": {}, "name": 2, "events": "x", "schema_version": "2", "hashes": 3, "size": "big", "policy": 5, "parent": 1, "current": 1, "new": 2, "display_name": 3, "role": 4}"#.to_vec(), 400, "bad_json"),
        ];
        // Bodies over a route's limit are refused before they are parsed.
        let small = p.starts_with("/api/v1/auth/");
        for (what, ctype, body, status, code) in variants {
            let (status, code) = if small && body.len() > 4096 {
                (413, "too_large")
            } else {
                (status, code)
            };
            out.push(case(
                &format!("{m} {p}: {what}"),
                m.clone(),
                p,
                ctype,
                body,
                status,
                code,
            ));
        }
    }
    // Huge bodies: the login limit, the API limit.
    out.push(case(
        "login over 4 KiB",
        Method::POST,
        "/api/v1/auth/login",
        JSON,
        format!(r#"{{"username":"a","password":"{}"}}"#, "x".repeat(5000)).into_bytes(),
        413,
        "too_large",
    ));
    out.push(case(
        "push over 16 MiB",
        Method::POST,
        "/api/v1/sync/push",
        JSON,
        format!(
            r#"{{"schema_version":2,"events":["{}"]}}"#,
            "x".repeat(17 << 20)
        )
        .into_bytes(),
        413,
        "too_large",
    ));
    // Shapes that parse but are wrong.
    let push = |events: Value| {
        serde_json::to_vec(&json!({ "schema_version": 2, "events": events })).expect("json")
    };
    out.push(case("unknown event kind", Method::POST, "/api/v1/sync/push", JSON,
        push(json!([{ "id": EventId::new_v7(1, [1; 10]).to_string(), "complaint_id": ComplaintId::new_v7(1, [1; 10]).to_string(),
            "device_id": device().to_string(), "author": "admin", "captured_at": 1, "lamport": 1, "type": "teleported", "data": {} }])), 400, "bad_json"));
    out.push(case("event id not a UUID", Method::POST, "/api/v1/sync/push", JSON,
        push(json!([{ "id": "nope", "complaint_id": "nope", "device_id": "x", "author": "admin", "captured_at": 1, "lamport": 1, "type": "accepted" }])), 400, "bad_json"));
    out.push(case("negative lamport", Method::POST, "/api/v1/sync/push", JSON,
        push(json!([{ "id": EventId::new_v7(1, [2; 10]).to_string(), "complaint_id": ComplaintId::new_v7(1, [2; 10]).to_string(),
            "device_id": device().to_string(), "author": "admin", "captured_at": 1, "lamport": -1, "type": "accepted" }])), 400, "bad_json"));
    out.push(case(
        "schema version 0",
        Method::POST,
        "/api/v1/sync/push",
        JSON,
        serde_json::to_vec(&json!({ "schema_version": 0, "events": [] })).expect("json"),
        426,
        "update_required",
    ));
    out.push(case(
        "too many events",
        Method::POST,
        "/api/v1/sync/push",
        JSON,
        serde_json::to_vec(&json!({ "schema_version": 2, "events": vec![Value::Null; 0] }))
            .expect("json"),
        200,
        "",
    ));
    out.push(case(
        "unknown user field",
        Method::PATCH,
        "/api/v1/users/staff1",
        JSON,
        br#"{"is_admin": true}"#.to_vec(),
        400,
        "bad_json",
    ));
    out.push(case(
        "user without sites",
        Method::POST,
        "/api/v1/users",
        JSON,
        br#"{"username":"nosite","password":"long-enough","role":"staff"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "user of an unknown site",
        Method::POST,
        "/api/v1/users",
        JSON,
        br#"{"username":"farsite","password":"long-enough","role":"staff","sites":["NOPE"]}"#
            .to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "handler without department",
        Method::POST,
        "/api/v1/users",
        JSON,
        br#"{"username":"h1","password":"long-enough","role":"handler","sites":["SL"]}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "site code lowercase",
        Method::POST,
        "/api/v1/sites",
        JSON,
        br#"{"code":"b1","name":"x"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "site without name",
        Method::POST,
        "/api/v1/sites",
        JSON,
        br#"{"code":"B1","name":"  "}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "site taken",
        Method::POST,
        "/api/v1/sites",
        JSON,
        br#"{"code":"SL","name":"again"}"#.to_vec(),
        409,
        "conflict",
    ));
    out.push(case(
        "location too deep",
        Method::POST,
        "/api/v1/sites",
        JSON,
        serde_json::to_vec(&json!({ "code": "D1", "name": "深", "locations": ["a›b›c›d›e›f›g"] }))
            .expect("json"),
        422,
        "validation",
    ));
    out.push(case(
        "empty location level",
        Method::POST,
        "/api/v1/sites",
        JSON,
        serde_json::to_vec(&json!({ "code": "D2", "name": "空", "locations": ["1栋 ›  › 大堂"] }))
            .expect("json"),
        422,
        "validation",
    ));
    out.push(case(
        "patch unknown user",
        Method::PATCH,
        "/api/v1/users/nobody",
        JSON,
        b"{}".to_vec(),
        404,
        "not_found",
    ));
    out.push(case(
        "patch a bad role",
        Method::PATCH,
        "/api/v1/users/staff1",
        JSON,
        br#"{"role":"boss"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "patch an unknown department",
        Method::PATCH,
        "/api/v1/users/staff1",
        JSON,
        br#"{"department":"nope"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "short reset password",
        Method::PATCH,
        "/api/v1/users/staff1",
        JSON,
        br#"{"password":"short"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "admin demotes themself",
        Method::PATCH,
        "/api/v1/users/admin",
        JSON,
        br#"{"role":"staff","sites":["SL"]}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "wrong current password",
        Method::POST,
        "/api/v1/auth/password",
        JSON,
        br#"{"current":"nope-nope","new":"long-enough"}"#.to_vec(),
        422,
        "validation",
    ));
    out.push(case(
        "check with a bad hash",
        Method::POST,
        "/api/v1/attachments/check",
        JSON,
        br#"{"hashes":["xyz"]}"#.to_vec(),
        400,
        "bad_request",
    ));
    out.push(case("upload of size 0", Method::POST,
        "/api/v1/attachments/0000000000000000000000000000000000000000000000000000000000000000/upload", JSON, br#"{"size":0}"#.to_vec(), 400, "bad_request"));
    // Bad paths and queries.
    for (what, path, status, code) in [
        (
            "complaint id not a UUID",
            "/api/v1/complaints/nope",
            400,
            "bad_request",
        ),
        (
            "unknown complaint",
            "/api/v1/complaints/019ca71f-b900-7000-8000-000000000000",
            404,
            "not_found",
        ),
        (
            "unknown status filter",
            "/api/v1/complaints?status=lost",
            400,
            "bad_request",
        ),
        (
            "unknown severity filter",
            "/api/v1/complaints?severity=huge",
            400,
            "bad_request",
        ),
        (
            "unknown department filter",
            "/api/v1/complaints?department=moon",
            400,
            "bad_request",
        ),
        (
            "from not a number",
            "/api/v1/complaints?from=yesterday",
            400,
            "bad_request",
        ),
        ("limit 0", "/api/v1/complaints?limit=0", 400, "bad_request"),
        (
            "overdue maybe",
            "/api/v1/complaints?overdue=maybe",
            400,
            "bad_request",
        ),
        (
            "pull after -1",
            "/api/v1/sync/pull?after=-1",
            400,
            "bad_request",
        ),
        (
            "pull limit 0",
            "/api/v1/sync/pull?limit=0",
            400,
            "bad_request",
        ),
        (
            "pull limit huge",
            "/api/v1/sync/pull?limit=99999999999",
            400,
            "bad_request",
        ),
        (
            "pull schema 99",
            "/api/v1/sync/pull?schema_version=99",
            426,
            "update_required",
        ),
        (
            "report month 13",
            "/api/v1/reports/summary?from=2026-13",
            400,
            "bad_request",
        ),
        (
            "report unknown site",
            "/api/v1/reports/summary?site=NOPE&from=2026-01&to=2026-02",
            404,
            "not_found",
        ),
        (
            "attachment hash short",
            "/api/v1/attachments/abc",
            400,
            "bad_request",
        ),
        (
            "attachment hash uppercase",
            "/api/v1/attachments/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            400,
            "bad_request",
        ),
        (
            "attachment unknown",
            "/api/v1/attachments/1111111111111111111111111111111111111111111111111111111111111111",
            404,
            "not_found",
        ),
        ("unknown API route", "/api/v1/teleport", 404, "not_found"),
        (
            "unknown API version",
            "/api/v9/complaints",
            404,
            "not_found",
        ),
    ] {
        out.push(case(
            what,
            Method::GET,
            path,
            JSON,
            Vec::new(),
            status,
            code,
        ));
    }
    out.push(case(
        "DELETE on complaints",
        Method::DELETE,
        "/api/v1/complaints",
        JSON,
        Vec::new(),
        405,
        "method_not_allowed",
    ));
    // Bad uploads and archives.
    let junk = b"not an image at all".to_vec();
    out.push(case(
        "photo under another hash",
        Method::PUT,
        "/api/v1/attachments/1111111111111111111111111111111111111111111111111111111111111111",
        "image/jpeg",
        junk.clone(),
        422,
        "hash_mismatch",
    ));
    out.push(case(
        "photo that is no image",
        Method::PUT,
        &format!("/api/v1/attachments/{}", sha256_hex(&junk)),
        "image/jpeg",
        junk.clone(),
        415,
        "unsupported_type",
    ));
    out.push(case(
        "import that is no zip",
        Method::POST,
        "/api/v1/import",
        "application/zip",
        junk,
        400,
        "bad_archive",
    ));
    out.push(case(
        "import of an empty body",
        Method::POST,
        "/api/v1/import",
        "application/zip",
        Vec::new(),
        400,
        "bad_archive",
    ));
    out.push(case(
        "import of a truncated zip",
        Method::POST,
        "/api/v1/import",
        "application/zip",
        b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
        400,
        "bad_archive",
    ));
    out
}

#[tokio::test]
async fn every_bad_request_gets_its_4xx_and_the_server_stays_healthy() {
    let s = start().await;
    s.user("staff1", "staff").await;
    let admin = s.admin().await;
    let cases = corpus();
    assert!(
        cases.len() >= 100,
        "the corpus has {} requests",
        cases.len()
    );
    let mut wrong = Vec::new();
    for c in &cases {
        let res = s
            .http
            .request(c.method.clone(), s.url(&c.path))
            .bearer_auth(&admin)
            .header("content-type", c.content_type)
            .body(c.body.clone())
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str().unwrap_or("");
        let message = body["error"]["message"].as_str().unwrap_or("");
        let shaped = c.status == 200 || (!code.is_empty() && !message.is_empty());
        if status != c.status || (c.status != 200 && code != c.code) || !shaped {
            wrong.push(format!(
                "{}: got {status} {body}, want {} {}",
                c.what, c.status, c.code
            ));
        }
        let health = s
            .http
            .get(s.url("/api/health"))
            .send()
            .await
            .expect("health");
        assert_eq!(health.status(), 200, "unhealthy after {}", c.what);
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn hostile_events_in_a_push_are_refused_one_by_one() {
    let s = start().await;
    let token = s.user("staff1", "staff").await;
    let d = device();
    let honest = created("staff1", d, "真实投诉", s.state.clock.now());
    let mut forged = created("staff1", d, "冒名", s.state.clock.now());
    forged.author = "admin".into();
    let mut nil = created("staff1", d, "空id", s.state.clock.now());
    nil.id = EventId(uuid::Uuid::nil());
    let mut server_dev = created("staff1", d, "冒充服务器", s.state.clock.now());
    server_dev.device_id = siteline_model::DeviceId::SERVER;
    let future = created(
        "staff1",
        d,
        "未来",
        Timestamp(s.state.clock.now().millis() + 3_600_000),
    );
    let mut empty = created("staff1", d, "", s.state.clock.now());
    if let siteline_model::EventKind::Created(n) = &mut empty.kind {
        n.description.clear();
    }
    let server_only = then(
        &honest,
        d,
        "staff1",
        5,
        1,
        siteline_model::EventKind::NumberAssigned {
            number: "SL-2026-999999".into(),
        },
    );
    let mut replay_changed = honest.clone();
    replay_changed.kind = siteline_model::EventKind::NoteAdded {
        text: "换了内容".into(),
    };
    let batch = [
        honest.clone(),
        forged,
        nil,
        server_dev,
        future,
        empty,
        server_only,
        replay_changed,
    ];
    let r = s.push(&token, &batch).await;
    let codes: Vec<_> = r.results.iter().map(|o| rejection(&o.result)).collect();
    assert_eq!(
        codes,
        vec![
            None,
            Some("author_mismatch"),
            Some("validation"),
            Some("validation"),
            Some("clock_out_of_range"),
            Some("validation"),
            Some("validation"),
            Some("id_conflict"),
        ]
    );
    // Only the honest complaint exists.
    let ids = s.list_ids(&token, "").await;
    assert_eq!(ids, vec![honest.complaint_id.to_string()]);
}
