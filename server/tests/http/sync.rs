//! Sync: idempotent push (sequential and racing), paging pull, canonical numbering.

use crate::common::*;
use reqwest::StatusCode;
use siteline_model::sync::{PullResponse, PushResult};
use siteline_model::{EventKind, Timestamp};
use std::collections::{BTreeSet, HashSet};

fn numbers(events: &[siteline_model::sync::SyncedEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.event.kind {
            EventKind::NumberAssigned { number } => Some(number.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn same_push_twice_stores_once_and_answers_identically() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let a = created("zhang", d, "电梯异响", t2026());
    let b = created("zhang", d, "楼道灯不亮", t2026());
    let batch = vec![
        a.clone(),
        note(&a, "已通知工程部"),
        b.clone(),
        note(&b, "已更换灯泡"),
    ];
    let first = s.push(&token, &batch).await;
    assert_eq!(first.results.len(), 4);
    for (r, e) in first.results.iter().zip(&batch) {
        assert_eq!(r.id, e.id);
        assert!(matches!(r.result, PushResult::Accepted { .. }), "{r:?}");
    }
    let second = s.push(&token, &batch).await;
    assert_eq!(first, second, "a re-push answers exactly as the first time");
    let all = s.pull_all(&token, 100).await;
    assert_eq!(all.len(), 4 + 2, "4 pushed + 2 NumberAssigned, each once");
    let ids: HashSet<_> = all.iter().map(|e| e.event.id).collect();
    assert_eq!(ids.len(), all.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_identical_pushes_store_each_event_once() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let mut batch = Vec::new();
    for i in 0..10 {
        let c = created("zhang", d, &format!("投诉 {i}"), t2026());
        batch.push(note(&c, "处理中"));
        batch.push(c);
    }
    let (r1, r2, r3) = tokio::join!(
        s.push(&token, &batch),
        s.push(&token, &batch),
        s.push(&token, &batch)
    );
    assert_eq!(r1, r2);
    assert_eq!(r1, r3);
    let all = s.pull_all(&token, 7).await;
    assert_eq!(all.len(), 20 + 10);
    let ids: HashSet<_> = all.iter().map(|e| e.event.id).collect();
    assert_eq!(ids.len(), 30, "no event stored twice");
    let nums: BTreeSet<_> = numbers(&all).into_iter().collect();
    assert_eq!(nums.len(), 10, "one number per complaint");
}

#[tokio::test]
async fn pull_pages_through_everything_exactly_once() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let mut pushed = Vec::new();
    for round in 0..3 {
        let c = created("zhang", d, &format!("第{round}批"), t2026());
        let batch = vec![c.clone(), note(&c, "a"), note(&c, "b")];
        s.push(&token, &batch).await;
        pushed.extend(batch);
    }
    let mut seqs = Vec::new();
    let mut got = Vec::new();
    let mut after = 0;
    let mut pages = 0;
    loop {
        let page = s.pull(&token, after, 4).await;
        pages += 1;
        assert!(page.events.len() <= 4);
        for e in &page.events {
            seqs.push(e.seq);
            got.push(e.event.clone());
        }
        if let Some(last) = page.events.last() {
            assert_eq!(page.next_cursor, last.seq);
        }
        after = page.next_cursor;
        if !page.has_more {
            break;
        }
        assert!(pages < 20, "paging terminates");
    }
    assert_eq!(got.len(), 9 + 3);
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "strictly increasing seqs: {seqs:?}"
    );
    for e in &pushed {
        assert_eq!(
            got.iter().filter(|g| g.id == e.id).count(),
            1,
            "{} once",
            e.id
        );
    }
    assert_eq!(numbers(&s.pull_all(&token, 500).await).len(), 3);
    let end = s.pull(&token, after, 4).await;
    assert!(end.events.is_empty() && !end.has_more);
    assert_eq!(end.next_cursor, after);
}

#[tokio::test]
async fn complaints_get_distinct_canonical_numbers_once() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let d = device();
    let batch: Vec<_> = (0..3)
        .map(|i| created("zhang", d, &format!("投诉{i}"), t2026()))
        .collect();
    s.push(&token, &batch).await;
    s.push(&token, &batch).await;
    let all = s.pull_all(&token, 500).await;
    let mut nums = numbers(&all);
    nums.sort();
    assert_eq!(
        nums,
        vec!["SL-2026-000001", "SL-2026-000002", "SL-2026-000003"]
    );
    for e in all
        .iter()
        .filter(|e| matches!(e.event.kind, EventKind::NumberAssigned { .. }))
    {
        assert_eq!(e.event.author, "system");
        assert_eq!(e.event.device_id, siteline_model::DeviceId::SERVER);
        assert_eq!(e.event.lamport, 2, "created.lamport + 1");
    }
    // A later year restarts the sequence for that year (the server's clock is there too:
    // capture times ahead of it are refused).
    let next_year = Timestamp(t2026().millis() + 366 * 86_400_000);
    s.state.clock.set_now(next_year);
    s.push(&token, &[created("zhang", d, "新年投诉", next_year)])
        .await;
    assert!(numbers(&s.pull_all(&token, 500).await).contains(&"SL-2027-000001".to_string()));
}

#[tokio::test]
async fn updates_need_their_complaint_and_conflicting_ids_are_rejected() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let c = created("zhang", device(), "漏水", t2026());
    let n = note(&c, "先到的备注");
    // An update of a complaint the server does not know is refused (nothing is stored)...
    let r = s.push(&token, std::slice::from_ref(&n)).await;
    assert_eq!(rejection(&r.results[0].result), Some("unknown_complaint"));
    let (status, _) = s
        .get(&token, &format!("/api/v1/complaints/{}", c.complaint_id))
        .await;
    assert_eq!(status, 404, "no complaint before its Created arrives");
    // ...but in one batch the `created` is taken first, whatever the order sent.
    let r = s.push(&token, &[n.clone(), c.clone()]).await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    let (status, body) = s
        .get(&token, &format!("/api/v1/complaints/{}", c.complaint_id))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"]["notes"][0]["text"], "先到的备注");
    assert_eq!(body["number"], "SL-2026-000001");
    // Same id, different content.
    let mut forged = n.clone();
    forged.kind = EventKind::NoteAdded {
        text: "篡改".into(),
    };
    let r = s.push(&token, &[forged]).await;
    match &r.results[0].result {
        PushResult::Rejected { code, .. } => assert_eq!(code, "id_conflict"),
        other => panic!("expected id_conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn schema_versions_outside_the_known_range_ask_for_an_update() {
    use siteline_model::sync::{MIN_SCHEMA_VERSION, SCHEMA_VERSION};
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let c = serde_json::to_value(created("zhang", device(), "版本", t2026())).expect("json");
    for (version, side) in [
        (0, "update the app"),
        (SCHEMA_VERSION + 1, "update the server"),
    ] {
        let (status, body) = s
            .get(
                &token,
                &format!("/api/v1/sync/pull?after=0&schema_version={version}"),
            )
            .await;
        assert_eq!(status, 426, "pull {version}: {body}");
        assert_eq!(error_code(&body), "update_required");
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(side), "{message}");
        let (status, body) = s
            .push_raw(
                &token,
                &serde_json::json!({ "schema_version": version, "events": [c] }),
            )
            .await;
        assert_eq!(status, 426, "push {version}: {body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains(side));
    }
    assert!(
        s.pull_all(&token, 100).await.is_empty(),
        "refused pushes stored nothing"
    );
    for version in [MIN_SCHEMA_VERSION, SCHEMA_VERSION] {
        let (status, body) = s
            .push_raw(
                &token,
                &serde_json::json!({ "schema_version": version, "events": [c] }),
            )
            .await;
        assert_eq!(status, 200, "push {version}: {body}");
        let (status, body) = s
            .get(
                &token,
                &format!("/api/v1/sync/pull?after=0&schema_version={version}"),
            )
            .await;
        assert_eq!(status, 200, "pull {version}: {body}");
        assert_eq!(body["events"].as_array().map(Vec::len), Some(2));
    }
    // Old apps do not send it on pull.
    let (status, _) = s.get(&token, "/api/v1/sync/pull?after=0").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_same_id_twice_in_one_push_is_stored_once_and_a_changed_copy_refused() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let c = created("zhang", device(), "重复发送", t2026());
    let n = note(&c, "备注");
    let mut forged = n.clone();
    forged.kind = EventKind::NoteAdded {
        text: "篡改".into(),
    };
    let r = s
        .push(&token, &[c.clone(), n.clone(), n.clone(), forged])
        .await;
    let seq = |i: usize| match &r.results[i].result {
        PushResult::Accepted { seq, .. } => *seq,
        other => panic!("event {i}: expected accepted, got {other:?}"),
    };
    assert!(seq(0) < seq(1), "stored in the order of the batch");
    assert_eq!(
        seq(1),
        seq(2),
        "the copy is answered with the first one's receipt"
    );
    match &r.results[3].result {
        PushResult::Rejected { code, .. } => assert_eq!(code, "id_conflict"),
        other => panic!("expected id_conflict, got {other:?}"),
    }
    let ids: Vec<String> = s
        .pull_all(&token, 500)
        .await
        .iter()
        .map(|e| e.event.id.to_string())
        .collect();
    assert_eq!(
        ids.iter().filter(|id| **id == n.id.to_string()).count(),
        1,
        "stored once"
    );
}

#[tokio::test]
async fn the_pull_takes_a_device_window_of_one_day_to_ten_years() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    let c = created("zhang", device(), "窗口", t2026());
    s.push(&token, std::slice::from_ref(&c)).await;
    for bad in ["0", "3651", "-1", "abc"] {
        let (status, body) = s
            .get(
                &token,
                &format!("/api/v1/sync/pull?after=0&window_days={bad}"),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(error_code(&body), "bad_request", "{bad}");
    }
    for good in ["1", "90", "3650"] {
        let (status, body) = s
            .get(
                &token,
                &format!("/api/v1/sync/pull?after=0&window_days={good}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{good}: {body}");
        let page: PullResponse = serde_json::from_value(body).expect("pull response");
        // An open complaint is in every window.
        assert!(page.events.iter().any(|e| e.event.id == c.id), "{good}");
    }
}
