//! Attachments: stored once by hash, `check`, refusals (hash, type, size), GET only by reference.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::{EventKind, Timestamp};

#[tokio::test]
async fn same_bytes_twice_are_stored_once_with_the_same_answer() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(1, 5000);
    let sha = sha256_hex(&photo);
    let first = s.put_attachment(&token, &sha, &photo).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json());
    let expected = json!({ "sha256": sha, "size": photo.len(), "content_type": "image/jpeg" });
    assert_eq!(first.json(), expected);
    let second = s.put_attachment(&token, &sha, &photo).await;
    assert_eq!(second.status, StatusCode::OK, "already stored: 200");
    assert_eq!(second.json(), expected, "same answer");
    // Another user sending the same photo: still one object.
    let other = s.user("li", "supervisor").await;
    assert_eq!(
        s.put_attachment(&other, &sha, &photo).await.status,
        StatusCode::OK
    );
    let files = s.stored_files();
    assert_eq!(files.len(), 1, "stored once: {files:?}");
    assert_eq!(std::fs::read(&files[0]).expect("read"), photo);

    // The type is sniffed from the bytes, whatever the client guessed.
    let p = png(2, 100);
    let r = s.put_attachment(&token, &sha256_hex(&p), &p).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["content_type"], "image/png");

    let missing = sha256_hex(b"never sent");
    let (status, body) = s
        .send(
            Method::POST,
            &token,
            "/api/v1/attachments/check",
            Some(&json!({ "hashes": [sha, missing, sha] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // No complaint the caller may read references the photo yet: whether it is stored is not
    // theirs to learn (sending it again stores nothing twice).
    assert_eq!(body, json!({ "have": [], "missing": [sha, missing] }));
    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![attachment_ref(&photo, "image/jpeg")]
    });
    s.push(&token, std::slice::from_ref(&c)).await;
    let (status, body) = s
        .send(
            Method::POST,
            &token,
            "/api/v1/attachments/check",
            Some(&json!({ "hashes": [sha, missing, sha] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "have": [sha], "missing": [missing] }));
    let (status, body) = s
        .send(
            Method::POST,
            &token,
            "/api/v1/attachments/check",
            Some(&json!({ "hashes": [sha.to_uppercase()] })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_request");
    let res = s
        .http
        .post(s.url("/api/v1/attachments/check"))
        .json(&json!({ "hashes": [] }))
        .send()
        .await
        .expect("check");
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "signed-in users only"
    );
}

#[tokio::test]
async fn wrong_hash_wrong_type_and_too_large_are_refused() {
    let s = start_with(|c| c.max_attachment_bytes = 4096).await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(3, 1000);
    let other_sha = sha256_hex(&jpeg(4, 1000));
    let r = s.put_attachment(&token, &other_sha, &photo).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&r.json()), "hash_mismatch");

    // A text file named photo.jpg and sent as image/jpeg is still text.
    let text = b"this is not a photo, whatever its name says".to_vec();
    let res = s
        .http
        .put(s.url(&format!("/api/v1/attachments/{}", sha256_hex(&text))))
        .bearer_auth(&token)
        .header("content-type", "image/jpeg")
        .header("content-disposition", "attachment; filename=\"photo.jpg\"")
        .body(text)
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        error_code(&res.json().await.expect("json")),
        "unsupported_type"
    );

    let big = jpeg(5, 5000);
    let r = s.put_attachment(&token, &sha256_hex(&big), &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&r.json()), "too_large");
    let (status, body) = s
        .send(
            Method::POST,
            &token,
            &format!("/api/v1/attachments/{}/upload", sha256_hex(&big)),
            Some(&json!({ "size": big.len() })),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    let r = s.put_attachment(&token, "not-a-hash", &photo).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(s.stored_files().is_empty(), "nothing refused was stored");
    // The limit is inclusive.
    let exact = jpeg(6, 4096 - 4);
    let r = s.put_attachment(&token, &sha256_hex(&exact), &exact).await;
    assert_eq!(r.status, StatusCode::CREATED);
}

#[tokio::test]
async fn photos_are_served_only_once_a_complaint_references_them() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let photo = jpeg(7, 3000);
    let aref = attachment_ref(&photo, "image/jpeg");
    assert_eq!(
        s.put_attachment(&staff, &aref.sha256, &photo).await.status,
        StatusCode::CREATED
    );
    let r = s.get_attachment(&staff, &aref.sha256).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "unreferenced: not served");
    assert_eq!(error_code(&r.json()), "not_found");

    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![aref.clone()]
    });
    s.push(&staff, std::slice::from_ref(&c)).await;
    for token in [&staff, &sup] {
        let r = s.get_attachment(token, &aref.sha256).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.bytes, photo, "identical bytes");
        assert_eq!(r.header("content-type"), "image/jpeg");
        assert_eq!(
            r.header("cache-control"),
            "private, max-age=31536000, immutable"
        );
        assert_eq!(r.header("etag"), format!("\"{}\"", aref.sha256));
    }
    let res = s
        .http
        .get(s.url(&format!("/api/v1/attachments/{}", aref.sha256)))
        .bearer_auth(&staff)
        .header("if-none-match", format!("\"{}\"", aref.sha256))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    // A later photo whose event arrives before its bytes: accepted, listed as missing, 404.
    let later = png(8, 2000);
    let later_ref = attachment_ref(&later, "image/png");
    let added = then(
        &c,
        c.device_id,
        "zhang",
        2,
        30,
        EventKind::AttachmentsAdded {
            attachments: vec![later_ref.clone()],
        },
    );
    let r = s.push(&staff, std::slice::from_ref(&added)).await;
    assert_eq!(rejection(&r.results[0].result), None);
    let detail = s.detail(&sup, c.complaint_id).await;
    let expected = json!([
        { "sha256": aref.sha256, "size": 3004, "content_type": "image/jpeg" },
        { "sha256": later_ref.sha256, "size": 2008, "content_type": "image/png" },
    ]);
    assert_eq!(detail["attachments"], expected);
    assert_eq!(detail["state"]["attachments"], expected);
    assert_eq!(detail["missing_attachments"], json!([later_ref.sha256]));
    assert_eq!(
        s.get_attachment(&sup, &later_ref.sha256).await.status,
        StatusCode::NOT_FOUND,
        "referenced but not uploaded yet"
    );
    let (_, list) = s.get(&sup, "/api/v1/complaints").await;
    assert_eq!(list[0]["attachment_count"], 2);
    assert_eq!(list[0]["thumbnail"], json!(aref.sha256));

    assert_eq!(
        s.put_attachment(&staff, &later_ref.sha256, &later)
            .await
            .status,
        StatusCode::CREATED
    );
    let r = s.get_attachment(&sup, &later_ref.sha256).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, later);
    assert_eq!(r.header("content-type"), "image/png");
    let detail = s.detail(&sup, c.complaint_id).await;
    assert_eq!(detail["missing_attachments"], json!([]));
}

#[tokio::test]
async fn a_complaint_without_photos_lists_none() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let c = created("zhang", device(), "无照片", Timestamp(t2026().millis()));
    s.push(&staff, std::slice::from_ref(&c)).await;
    let detail = s.detail(&staff, c.complaint_id).await;
    assert_eq!(detail["attachments"], json!([]));
    assert_eq!(detail["missing_attachments"], json!([]));
    let (_, list) = s.get(&staff, "/api/v1/complaints").await;
    assert_eq!(list[0]["attachment_count"], 0);
    assert_eq!(list[0]["thumbnail"], Value::Null);
}

#[tokio::test]
async fn an_object_store_url_keeps_the_bytes_outside_the_data_directory() {
    let s = start_with(|c| c.object_store_url = Some("memory:///siteline/photos".into())).await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(3, 4000);
    let sha = sha256_hex(&photo);
    assert_eq!(
        s.put_attachment(&token, &sha, &photo).await.status,
        StatusCode::CREATED
    );
    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![attachment_ref(&photo, "image/jpeg")]
    });
    s.push(&token, std::slice::from_ref(&c)).await;
    let r = s.get_attachment(&token, &sha).await;
    assert_eq!(r.bytes, photo, "served from the object store");
    assert!(
        s.stored_files().is_empty(),
        "nothing under DATA/attachments"
    );
    assert_eq!(
        s.put_attachment(&token, &sha, &photo).await.status,
        StatusCode::OK,
        "the store knows it has it"
    );
}
