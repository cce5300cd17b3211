//! Resumable chunked uploads: resume after a cut, offsets, finalising, expiry, ownership.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(crate) async fn start_upload(
    s: &TestServer,
    token: &str,
    sha: &str,
    size: usize,
) -> (StatusCode, Value) {
    s.send(
        Method::POST,
        token,
        &format!("/api/v1/attachments/{sha}/upload"),
        Some(&json!({ "size": size })),
    )
    .await
}

pub(crate) async fn send_chunk(
    s: &TestServer,
    token: &str,
    sha: &str,
    id: &str,
    offset: usize,
    chunk: &[u8],
) -> RawResponse {
    let path = format!("/api/v1/attachments/{sha}/upload/{id}?offset={offset}");
    s.raw(
        Method::PUT,
        token,
        &path,
        Some("application/octet-stream"),
        chunk.to_vec(),
    )
    .await
}

/// Sends a chunk's headers and only part of its body, then hangs up (a connection cut mid-chunk);
/// waits until the server has answered or closed, so it is done with the request.
async fn cut_chunk(s: &TestServer, token: &str, path: &str, declared: usize, sent: &[u8]) {
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.expect("head");
    tcp.write_all(sent).await.expect("part");
    tcp.shutdown().await.expect("half close");
    let mut rest = Vec::new();
    let _ = tcp.read_to_end(&mut rest).await;
}

#[tokio::test]
async fn a_cut_upload_resumes_where_it_stood_and_finalises() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(9, 300_000);
    let sha = sha256_hex(&photo);
    let half = photo.len() / 2;

    let (status, body) = start_upload(&s, &token, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["received"], 0);
    assert_eq!(body["size"], photo.len());
    let id = body["upload_id"].as_str().expect("upload_id").to_string();

    let r = send_chunk(&s, &token, &sha, &id, 0, &photo[..half]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(r.json()["received"], half);

    // The next chunk is cut mid-way: none of it counts.
    let path = format!("/api/v1/attachments/{sha}/upload/{id}?offset={half}");
    cut_chunk(
        &s,
        &token,
        &path,
        photo.len() - half,
        &photo[half..half + 1000],
    )
    .await;

    // The app restarts the upload call: same upload, received = half.
    let (status, body) = start_upload(&s, &token, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["upload_id"], json!(id));
    assert_eq!(body["received"], half);

    // A wrong offset says where to resume (a short chunk: the server answers before reading a
    // refused one, and a client still writing a long body may see the connection close first).
    let r = send_chunk(&s, &token, &sha, &id, 0, &photo[half..half + 1000]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(error_code(&r.json()), "offset_mismatch");
    assert_eq!(r.json()["error"]["received"], half);
    assert!(
        s.stored_files().is_empty(),
        "nothing final before the last byte"
    );

    let r = send_chunk(&s, &token, &sha, &id, half, &photo[half..]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    assert_eq!(
        r.json(),
        json!({ "sha256": sha, "size": photo.len(), "content_type": "image/jpeg" })
    );
    // The answer was lost and the last chunk comes again: answered as then.
    let again = send_chunk(&s, &token, &sha, &id, half, &photo[half..]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), r.json());
    // Starting again before any complaint references it: the server does not say it has it.
    let (status, body) = start_upload(&s, &token, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["received"], 0);

    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![attachment_ref(&photo, "image/jpeg")]
    });
    s.push(&token, std::slice::from_ref(&c)).await;
    // Once the caller may read it: nothing to send.
    let (status, body) = start_upload(&s, &token, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["upload_id"], Value::Null);
    assert_eq!(body["received"], photo.len());
    assert_eq!(body["attachment"]["sha256"], json!(sha));
    let got = s.get_attachment(&token, &sha).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), "image/jpeg");
    assert!(got.bytes == photo, "identical bytes");
    assert_eq!(s.stored_files().len(), 1);
}

#[tokio::test]
async fn completed_uploads_are_verified_like_a_whole_file() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(10, 1000);
    let wrong_sha = sha256_hex(&jpeg(11, 1000));
    let (_, body) = start_upload(&s, &token, &wrong_sha, photo.len()).await;
    let id = body["upload_id"].as_str().expect("id").to_string();
    let r = send_chunk(&s, &token, &wrong_sha, &id, 0, &photo).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&r.json()), "hash_mismatch");
    // Wrong bytes are dropped: the upload starts over.
    let (status, body) = start_upload(&s, &token, &wrong_sha, photo.len()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["received"], 0);

    let text = vec![b'x'; 500];
    let sha = sha256_hex(&text);
    let (_, body) = start_upload(&s, &token, &sha, text.len()).await;
    let id = body["upload_id"].as_str().expect("id").to_string();
    let r = send_chunk(&s, &token, &sha, &id, 0, &text[..200]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send_chunk(&s, &token, &sha, &id, 200, &text[200..]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_code(&r.json()), "unsupported_type");
    // Past the declared size.
    let (_, body) = start_upload(&s, &token, &sha, 10).await;
    let id = body["upload_id"].as_str().expect("id").to_string();
    let r = send_chunk(&s, &token, &sha, &id, 0, &text[..11]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(s.stored_files().is_empty());
}

#[tokio::test]
async fn uploads_belong_to_their_user_and_expire_after_a_day() {
    let s = start().await;
    let zhang = s.user("zhang", "staff").await;
    let wang = s.user("wang", "staff").await;
    let photo = jpeg(12, 4000);
    let sha = sha256_hex(&photo);
    let (_, body) = start_upload(&s, &zhang, &sha, photo.len()).await;
    let id = body["upload_id"].as_str().expect("id").to_string();
    let r = send_chunk(&s, &wang, &sha, &id, 0, &photo[..100]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not wang's upload");
    let r = send_chunk(&s, &zhang, &sha, "not-an-id", 0, &photo[..100]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send_chunk(&s, &zhang, &sha, &id, 0, &photo[..100]).await;
    assert_eq!(r.json()["received"], 100);
    // Wang's own upload of the same file is separate.
    let (status, body) = start_upload(&s, &wang, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(body["upload_id"], json!(id));

    // The chunk is staged in the database (any server process can take the next one).
    let staged = format!("SELECT upload_id FROM upload_chunks WHERE upload_id = '{id}'");
    assert_eq!(s.db_strings(&staged).await, [[id.clone()]]);
    s.state.clock.advance(25 * 3_600_000);
    // Any start removes abandoned uploads.
    let other = jpeg(13, 10);
    start_upload(&s, &wang, &sha256_hex(&other), other.len()).await;
    assert!(
        s.db_strings(&staged).await.is_empty(),
        "abandoned bytes removed"
    );
    let r = send_chunk(&s, &zhang, &sha, &id, 100, &photo[100..]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "expired");
    let (status, body) = start_upload(&s, &zhang, &sha, photo.len()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["received"], 0);
}

#[tokio::test]
async fn staging_is_bounded_per_user() {
    use siteline_server::http::uploads::MAX_UPLOADS_PER_USER;
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    for i in 0..MAX_UPLOADS_PER_USER {
        let sha = sha256_hex(format!("photo {i}").as_bytes());
        let (status, body) = start_upload(&s, &token, &sha, 1000).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let sha = sha256_hex(b"one too many");
    let (status, body) = start_upload(&s, &token, &sha, 1000).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_code(&body), "quota_exceeded");
    // Another user is not held up by it.
    let other = s.user("li", "staff").await;
    let (status, _) = start_upload(&s, &other, &sha, 1000).await;
    assert_eq!(status, StatusCode::CREATED);
}
