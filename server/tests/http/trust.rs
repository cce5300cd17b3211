//! The trust boundary beyond the matrix: sessions ended by disabling and password changes,
//! throttled logins, bounded capture times, history that cannot be rewritten, scoped pulls that
//! still deliver what becomes readable, personal data, security headers.

use crate::common::*;
use reqwest::Method;
use serde_json::json;
use siteline_model::sync::PushResult;
use siteline_model::{EventKind, Timestamp};

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_at_once() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    assert_eq!(s.get(&token, "/api/v1/auth/me").await.0, 200);
    let admin = s.admin().await;
    let (status, body) = s
        .send(
            Method::PATCH,
            &admin,
            "/api/v1/users/zhang",
            Some(&json!({ "disabled": true })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["disabled"], true);
    let (status, body) = s.get(&token, "/api/v1/sync/pull").await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&body), "unauthorized");
    let res = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({ "username": "zhang", "password": STAFF_PW }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 401, "a disabled user cannot sign in");
    let (status, _) = s
        .send(
            Method::PATCH,
            &admin,
            "/api/v1/users/nobody",
            Some(&json!({ "disabled": true })),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_only() {
    let s = start().await;
    let here = s.user("zhang", "staff").await;
    let there = s.login("zhang", STAFF_PW).await;
    let body = json!({ "current": "wrong-password", "new": "a-new-password" });
    let (status, _) = s
        .send(Method::POST, &here, "/api/v1/auth/password", Some(&body))
        .await;
    assert_eq!(status, 422);
    let body = json!({ "current": STAFF_PW, "new": "a-new-password" });
    let (status, _) = s
        .send(Method::POST, &here, "/api/v1/auth/password", Some(&body))
        .await;
    assert_eq!(status, 204);
    assert_eq!(s.get(&here, "/api/v1/auth/me").await.0, 200);
    assert_eq!(s.get(&there, "/api/v1/auth/me").await.0, 401);
    s.login("zhang", "a-new-password").await;
}

#[tokio::test]
async fn failed_logins_are_throttled_with_retry_after() {
    let s = start().await;
    s.user("zhang", "staff").await;
    let attempt = |pw: &'static str| {
        s.http
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({ "username": "zhang", "password": pw }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-one").await.expect("login").status(), 401);
    }
    let res = attempt(STAFF_PW).await.expect("login");
    assert_eq!(res.status(), 429, "even the right password waits");
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(error_code(&body), "rate_limited");
    let big = "x".repeat(5000);
    let res = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({ "username": "zhang", "password": big }))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 413, "login bodies are at most 4 KiB");
}

#[tokio::test]
async fn capture_times_out_of_range_are_refused() {
    let s = start_with(|c| c.max_capture_age_days = 60).await;
    let token = s.user("zhang", "staff").await;
    let now = s.state.clock.now();
    let at = |ms: i64| Timestamp(now.millis() + ms);
    let ok = created("zhang", device(), "现在", at(0));
    let ahead = created("zhang", device(), "未来", at(10 * 60_000));
    let old = created("zhang", device(), "太久", at(-61 * 86_400_000));
    let r = s.push(&token, &[ok, ahead, old]).await;
    let codes: Vec<_> = r.results.iter().map(|o| rejection(&o.result)).collect();
    assert_eq!(
        codes,
        vec![None, Some("clock_out_of_range"), Some("clock_out_of_range")]
    );
}

#[tokio::test]
async fn history_cannot_be_rewritten_by_a_chosen_clock_or_a_second_created() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    let c = created("zhang", d, "漏水", t2026());
    let steps = [
        then(
            &c,
            d,
            "zhang",
            3,
            1,
            EventKind::Replied {
                content: "已答复".into(),
            },
        ),
        then(
            &c,
            d,
            "zhang",
            4,
            2,
            EventKind::Closed {
                summary: String::new(),
            },
        ),
    ];
    // A communication complaint may be answered at the desk.
    let mut c2 = c.clone();
    if let EventKind::Created(n) = &mut c2.kind {
        n.nature = siteline_model::Nature::Enquiry;
    }
    let r = s
        .push(&staff, &[c2.clone(), steps[0].clone(), steps[1].clone()])
        .await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    assert_eq!(
        s.detail(&staff, c.complaint_id).await["state"]["status"],
        "closed"
    );
    // A withdrawal stamped with logical clock 0 after the closure changes nothing.
    let late = then(
        &c,
        d,
        "zhang",
        0,
        3,
        EventKind::Withdrawn {
            reason: "不投诉了".into(),
            voluntary: true,
        },
    );
    let r = s.push(&staff, std::slice::from_ref(&late)).await;
    assert_eq!(rejection(&r.results[0].result), None, "kept, as a conflict");
    let body = s.detail(&staff, c.complaint_id).await;
    assert_eq!(body["state"]["status"], "closed");
    assert_eq!(
        body["state"]["conflicts"][0]["event_id"],
        late.id.to_string()
    );
    // A second `created` for the same complaint, any id or clock, is refused.
    let mut again = created("zhang", d, "改写", t2026());
    again.complaint_id = c.complaint_id;
    again.lamport = 0;
    let r = s
        .push(
            &sup,
            std::slice::from_ref(&{
                let mut e = again.clone();
                e.author = "li".into();
                e
            }),
        )
        .await;
    assert_eq!(rejection(&r.results[0].result), Some("duplicate_created"));
    let body = s.detail(&staff, c.complaint_id).await;
    assert_eq!(body["state"]["description"], "漏水");
}

#[tokio::test]
async fn staff_cannot_undo_an_escalation_or_withdraw_a_major_complaint() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    let c = created_with("zhang", d, t2026(), |n| {
        n.severity = siteline_model::Severity::Major
    });
    s.push(&staff, std::slice::from_ref(&c)).await;
    let withdraw = then(
        &c,
        d,
        "zhang",
        3,
        1,
        EventKind::Withdrawn {
            reason: "x".into(),
            voluntary: true,
        },
    );
    let r = s.push(&staff, std::slice::from_ref(&withdraw)).await;
    assert_eq!(rejection(&r.results[0].result), Some("forbidden"));
    let mut by_sup = then(
        &c,
        device(),
        "li",
        3,
        1,
        EventKind::Withdrawn {
            reason: "核实撤诉".into(),
            voluntary: true,
        },
    );
    by_sup.author = "li".into();
    let r = s.push(&sup, std::slice::from_ref(&by_sup)).await;
    assert_eq!(rejection(&r.results[0].result), None);
}

#[tokio::test]
async fn a_handler_receives_a_complaints_history_when_it_is_dispatched_to_them() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let eng = s.user_in("wang", "handler", Some("engineering")).await;
    let d = device();
    let c = created_with("zhang", d, t2026(), |n| {
        n.complainant.anonymous = true;
    });
    let n1 = note(&c, "先记一笔");
    s.push(&staff, &[c.clone(), n1]).await;
    // Not theirs yet: nothing to pull; the cursor they hold is past the complaint's events.
    let page = s.pull(&eng, 0, 100).await;
    assert!(page.events.is_empty());
    let cursor = page.next_cursor;
    let other = created("zhang", d, "别的", t2026());
    s.push(&staff, std::slice::from_ref(&other)).await;
    let page = s.pull(&eng, cursor, 100).await;
    assert!(page.events.is_empty(), "not dispatched: not readable");
    let cursor = page.next_cursor;
    let dispatch = then(&c, d, "zhang", 5, 5, dispatch("engineering"));
    s.push(&staff, std::slice::from_ref(&dispatch)).await;
    // Its whole history arrives after the cursor they already had.
    let got = s.pull_all_after(&eng, cursor, 100).await;
    let kinds: Vec<&str> = got
        .iter()
        .filter(|e| e.event.complaint_id == c.complaint_id)
        .map(|e| e.event.kind.code())
        .collect();
    assert!(
        kinds.contains(&"created")
            && kinds.contains(&"note_added")
            && kinds.contains(&"dispatched"),
        "{kinds:?}"
    );
    // The anonymous complainant's name and phone are not the handler's to see.
    let created_ev = got
        .iter()
        .find(|e| matches!(e.event.kind, EventKind::Created(_)))
        .expect("created");
    let EventKind::Created(new) = &created_ev.event.kind else {
        unreachable!()
    };
    assert_eq!(
        (
            new.complainant.name.as_deref(),
            new.complainant.phone.as_deref()
        ),
        (None, None)
    );
    let detail = s.detail(&eng, c.complaint_id).await;
    assert_eq!(
        detail["state"]["complainant"]["phone"],
        serde_json::Value::Null
    );
    let detail = s.detail(&staff, c.complaint_id).await;
    assert_eq!(detail["state"]["complainant"]["phone"], "13800138000");
    assert!(!matches!(
        s.push(
            &eng,
            &[then(&c, device(), "wang", 9, 9, EventKind::Accepted)]
        )
        .await
        .results[0]
            .result,
        PushResult::Rejected { .. }
    ));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let s = start().await;
    let token = s.user("zhang", "staff").await;
    for path in ["/api/v1/auth/me", "/api/v1/nope", "/"] {
        let res = s
            .http
            .get(s.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        let csp = h["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn a_device_key_gets_a_new_session_on_its_device_only_until_revoked() {
    let s = start().await;
    s.user("zhang", "staff").await;
    let tablet = device();
    let login = |pw: &'static str| {
        s.http
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({ "username": "zhang", "password": pw, "device_id": tablet }))
            .send()
    };
    let body: serde_json::Value = login(STAFF_PW)
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let key = body["device_key"]
        .as_str()
        .expect("a device key")
        .to_string();
    assert_eq!(key.len(), 64);
    let by_key = |device: siteline_model::DeviceId, key: String| {
        s.http
            .post(s.url("/api/v1/auth/device"))
            .json(&json!({ "username": "zhang", "device_id": device, "device_key": key }))
            .send()
    };
    let res = by_key(tablet, key.clone()).await.expect("device login");
    assert_eq!(res.status(), 200);
    let fresh: serde_json::Value = res.json().await.expect("json");
    let token = fresh["token"].as_str().expect("token").to_string();
    assert_eq!(s.get(&token, "/api/v1/auth/me").await.0, 200);
    assert!(fresh.get("device_key").is_none(), "no new key from a key");
    // Another device cannot use it, nor a wrong key.
    assert_eq!(
        by_key(device(), key.clone()).await.expect("x").status(),
        401
    );
    assert_eq!(
        by_key(tablet, "0".repeat(64)).await.expect("x").status(),
        401
    );
    // A password change (or disabling) revokes it.
    let body = json!({ "current": STAFF_PW, "new": "another-password" });
    let (status, _) = s
        .send(Method::POST, &token, "/api/v1/auth/password", Some(&body))
        .await;
    assert_eq!(status, 204);
    assert_eq!(by_key(tablet, key).await.expect("x").status(), 401);
    // A plain login without a device id gets no key.
    let res = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({ "username": "zhang", "password": "another-password" }))
        .send()
        .await
        .expect("login");
    let body: serde_json::Value = res.json().await.expect("json");
    assert!(body.get("device_key").is_none());
}
