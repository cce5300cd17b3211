//! Several servers on one PostgreSQL database: started together on an empty database they
//! bootstrap once; pushes to either are pulled from the other; numbers stay unique while both
//! take complaints at once; sessions and the sign-in limit hold on both.

use crate::common::*;
use siteline_model::sync::PushResult;
use siteline_model::{EventKind, Timestamp};
use siteline_server::store::postgres::scratch;
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_share_one_database() {
    let url = scratch::scratch_database(&scratch::test_server_url(), "siteline_s")
        .await
        .expect("PostgreSQL for the scale-out test");
    let (u1, u2) = (url.clone(), url.clone());
    let (a, b) = tokio::join!(
        start_with(move |c| c.database_url = Some(u1)),
        start_with(move |c| c.database_url = Some(u2)),
    );
    let first_starts = a.created_users.len() + b.created_users.len();
    assert_eq!(
        first_starts, 1,
        "one first start creates the admin, the other finds it"
    );
    let staff_a = a.user("zhang", "staff").await;
    let staff_b = b.login("zhang", STAFF_PW).await;
    let sup_b = b.user("li", "supervisor").await;

    // Both servers take complaints at once.
    let d = device();
    let batch = |k: i64| -> Vec<_> {
        (0..10)
            .map(|i| {
                created(
                    "zhang",
                    d,
                    "同时受理",
                    Timestamp(t2026().millis() + (k * 100 + i) * 1000),
                )
            })
            .collect()
    };
    let (ra, rb) = tokio::join!(
        async {
            let mut out = Vec::new();
            for k in 0..5 {
                out.push(a.push(&staff_a, &batch(k)).await);
            }
            out
        },
        async {
            let mut out = Vec::new();
            for k in 5..10 {
                out.push(b.push(&staff_b, &batch(k)).await);
            }
            out
        },
    );
    for r in ra.iter().chain(&rb) {
        assert!(r
            .results
            .iter()
            .all(|o| matches!(o.result, PushResult::Accepted { .. })));
    }
    // Server B pulls everything server A took, once, and every number is unique.
    let events = b.pull_all(&sup_b, 37).await;
    let ids: HashSet<_> = events.iter().map(|e| e.event.id).collect();
    assert_eq!(ids.len(), events.len(), "no event twice");
    let numbers: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.event.kind {
            EventKind::NumberAssigned { number } => Some(number.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(numbers.len(), 100);
    assert_eq!(
        numbers.iter().collect::<HashSet<_>>().len(),
        100,
        "numbers unique"
    );
    assert_eq!(events.len(), 200);
    // A session made on one server is good on the other.
    let (st, _) = a.get(&staff_b, "/api/v1/complaints").await;
    assert_eq!(st, 200);
    // Wrong passwords on one server count on the other: the limit is the database's.
    for _ in 0..5 {
        let (st, _) = a.login_raw("zhang", "wrong-password").await;
        assert_eq!(st, 401);
    }
    let (st, _) = b.login_raw("zhang", STAFF_PW).await;
    assert_eq!(st, 429, "throttled on the other server too");
}

/// The chunks of one upload reach different servers (as behind a round-robin balancer); the
/// photo lands once in the S3 store both use and is served by either.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_upload_whose_chunks_reach_different_servers_completes() {
    use crate::uploads::{send_chunk, start_upload};
    use reqwest::StatusCode;
    let url = scratch::scratch_database(&scratch::test_server_url(), "siteline_s")
        .await
        .expect("PostgreSQL for the scale-out test");
    let s3 = crate::s3::S3StandIn::start().await;
    let (objects, opts) = s3.config("photos");
    let (u1, u2, o1, o2, p1, p2) = (
        url.clone(),
        url,
        objects.clone(),
        objects,
        opts.clone(),
        opts,
    );
    let a = start_with(move |c| {
        c.database_url = Some(u1);
        c.object_store_url = Some(o1);
        c.object_store_options = p1;
    })
    .await;
    let b = start_with(move |c| {
        c.database_url = Some(u2);
        c.object_store_url = Some(o2);
        c.object_store_options = p2;
    })
    .await;
    let staff_a = a.user("zhang", "staff").await;
    let staff_b = b.login("zhang", STAFF_PW).await;
    let photo = jpeg(11, 250_000);
    let sha = sha256_hex(&photo);

    let (st, up) = start_upload(&a, &staff_a, &sha, photo.len()).await;
    assert_eq!(st, StatusCode::CREATED, "{up}");
    let id = up["upload_id"].as_str().expect("upload id").to_string();
    // Resuming on the other server finds the same upload.
    let (st, again) = start_upload(&b, &staff_b, &sha, photo.len()).await;
    assert_eq!(
        (st, &again["upload_id"]),
        (StatusCode::OK, &up["upload_id"])
    );

    let parts: Vec<&[u8]> = photo.chunks(100_000).collect();
    let servers = [(&a, &staff_a), (&b, &staff_b), (&a, &staff_a)];
    let mut offset = 0;
    for (i, ((s, token), part)) in servers.iter().zip(&parts).enumerate() {
        // A retry of the chunk at its old offset, to the other server, is refused there with
        // where the upload stands (only its first 1,000 bytes are sent: the server answers
        // before reading a refused chunk, and a client still writing 100 KB would see the
        // connection close instead of the answer).
        let r = send_chunk(s, token, &sha, &id, offset, part).await;
        let last = i + 1 == parts.len();
        let expected = if last {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        assert_eq!(r.status, expected, "chunk {i}: {}", r.json());
        offset += part.len();
        if !last {
            assert_eq!(r.json()["received"], offset);
            let other = if i % 2 == 0 {
                (&b, &staff_b)
            } else {
                (&a, &staff_a)
            };
            let retry = &part[..1000];
            let r = send_chunk(other.0, other.1, &sha, &id, offset - part.len(), retry).await;
            assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json());
            assert_eq!(r.json()["error"]["received"], offset);
        }
    }
    // The last chunk again (its start), on the other server: the upload is done, the file is
    // stored, and that is the answer.
    let last = &parts[2][..1000];
    let r = send_chunk(&b, &staff_b, &sha, &id, offset - parts[2].len(), last).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(r.json()["sha256"], sha.as_str());

    // Referenced by a complaint taken on A, the photo is served by B.
    let aref = attachment_ref(&photo, "image/jpeg");
    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![aref.clone()]
    });
    a.push(&staff_a, std::slice::from_ref(&c)).await;
    let got = b.get_attachment(&staff_b, &sha).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, photo, "identical bytes from the other server");
    assert_eq!(s3.keys().await.len(), 1, "stored once");
}
