//! Import of an "unsynced records" export: same rules as a push, idempotent, supervisors only.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::sync::{PushResult, SCHEMA_VERSION};
use siteline_model::{DeviceId, Event, EventKind};
use std::collections::HashSet;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn export(
    device: DeviceId,
    schema_version: u32,
    events: &[Event],
    files: &[(String, Vec<u8>)],
) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let manifest = json!({
        "schema_version": schema_version,
        "device_id": device,
        "exported_at": t2026().millis() + 86_400_000,
        "events": events,
    });
    w.start_file("events.json", opts).expect("start");
    w.write_all(manifest.to_string().as_bytes()).expect("write");
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts).expect("start");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

async fn import(s: &TestServer, token: &str, archive: Vec<u8>) -> (StatusCode, Value) {
    let r = s
        .raw(
            Method::POST,
            token,
            "/api/v1/import",
            Some("application/zip"),
            archive,
        )
        .await;
    (r.status, r.json())
}

#[tokio::test]
async fn a_supervisor_imports_a_staff_export_once_however_often_sent() {
    let s = start().await;
    s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    let photo = jpeg(20, 6000);
    let aref = attachment_ref(&photo, "image/jpeg");
    let a = created_with("zhang", d, t2026(), |n| n.attachments = vec![aref.clone()]);
    let b = created("zhang", d, "楼道灯不亮", t2026());
    // Checked as zhang's own push would be: staff may not record 处理中.
    let started = then(&b, d, "zhang", 2, 5, EventKind::Started);
    let stranger = created("nobody", d, "谁写的", t2026());
    let events = vec![
        a.clone(),
        note(&a, "已通知工程部"),
        b.clone(),
        started,
        stranger,
    ];
    let text = b"not a photo".to_vec();
    let files = vec![
        (format!("attachments/{}", aref.sha256), photo.clone()),
        (format!("attachments/{}", sha256_hex(&text)), text),
        ("attachments/IMG_0001.JPG".to_string(), jpeg(21, 10)),
    ];
    let archive = export(d, SCHEMA_VERSION, &events, &files);

    let (status, first) = import(&s, &sup, archive.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let results: Vec<siteline_model::sync::PushOutcome> =
        serde_json::from_value(first["events"]["results"].clone()).expect("push-like results");
    assert_eq!(results.len(), 5);
    let codes: Vec<Option<&str>> = results.iter().map(|r| rejection(&r.result)).collect();
    assert_eq!(
        codes,
        vec![None, None, None, Some("forbidden"), Some("author_mismatch")]
    );
    assert_eq!(first["attachments"]["stored"], 1);
    assert_eq!(first["attachments"]["already"], 0);
    let mut rejected = first["attachments"]["rejected"]
        .as_array()
        .expect("list")
        .clone();
    rejected.sort_by_key(|r| r["code"].as_str().unwrap_or("").to_string());
    assert_eq!(
        rejected,
        vec![
            json!({ "sha256": "IMG_0001.JPG", "code": "bad_name" }),
            json!({ "sha256": sha256_hex(b"not a photo"), "code": "unsupported_type" }),
        ]
    );

    // They keep their author; the photo is served.
    let detail = s.detail(&sup, a.complaint_id).await;
    assert_eq!(detail["created_by"], "zhang");
    assert_eq!(detail["missing_attachments"], json!([]));
    assert_eq!(s.get_attachment(&sup, &aref.sha256).await.bytes, photo);
    let before = s.pull_all(&sup, 100).await;
    assert_eq!(before.len(), 3 + 2, "3 events and 2 numbers");

    let (status, second) = import(&s, &sup, archive).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["events"], first["events"], "the same answers");
    assert_eq!(second["attachments"]["stored"], 0);
    assert_eq!(second["attachments"]["already"], 1);
    let after = s.pull_all(&sup, 100).await;
    assert_eq!(after, before, "nothing stored twice");
    let ids: HashSet<_> = after.iter().map(|e| e.event.id).collect();
    assert_eq!(ids.len(), after.len());
    assert_eq!(s.stored_files().len(), 1, "the photo stored once");
    let (_, list) = s.get(&sup, "/api/v1/complaints").await;
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    // Who imported what is recorded.
    let rows: Vec<Vec<String>> = s
        .db_strings("SELECT event_id, imported_by, device_id FROM event_imports ORDER BY event_id")
        .await;
    let mut expected: Vec<String> = [&a, &events[1], &b]
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    expected.sort();
    assert_eq!(
        rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        expected
    );
    assert!(rows.iter().all(|r| r[1] == "li" && r[2] == d.to_string()));
    assert!(
        after
            .iter()
            .all(|e| e.event.author == "zhang" || e.event.author == "system"),
        "events keep their authors"
    );
    assert!(matches!(results[0].result, PushResult::Accepted { .. }));
}

#[tokio::test]
async fn only_supervisors_and_admins_import_and_garbage_is_refused() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    let archive = export(d, SCHEMA_VERSION, &[created("zhang", d, "x", t2026())], &[]);
    let (status, body) = import(&s, &staff, archive.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), "forbidden");
    assert!(s.pull_all(&sup, 10).await.is_empty());

    let (status, body) = import(&s, &sup, b"PK\x03\x04 but not really a zip".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), "bad_archive");
    let (status, body) = import(&s, &sup, Vec::new()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_archive");

    let old = export(d, 0, &[created("zhang", d, "x", t2026())], &[]);
    let (status, body) = import(&s, &sup, old).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED, "{body}");
    assert_eq!(error_code(&body), "update_required");

    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("events.json", SimpleFileOptions::default())
        .expect("start");
    w.write_all(b"{\"events\": 3}").expect("write");
    let (status, body) = import(&s, &sup, w.finish().expect("zip").into_inner()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_archive");
    assert!(
        s.pull_all(&sup, 10).await.is_empty(),
        "nothing from refused imports"
    );

    let admin = s.admin().await;
    let (status, body) = import(&s, &admin, archive).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn an_archive_over_the_limit_is_too_large() {
    let s = start_with(|c| c.max_import_bytes = 100).await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    let archive = export(
        d,
        SCHEMA_VERSION,
        &[],
        &[("attachments/x".into(), jpeg(1, 5000))],
    );
    assert!(archive.len() > 100);
    let (status, body) = import(&s, &sup, archive).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(error_code(&body), "too_large");
}
