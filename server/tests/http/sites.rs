//! Sites: deadlines on the working calendar, and what admins change: policy, own days, categories.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::time::days_from_civil;
use siteline_model::timelimit::Policy;
use siteline_model::{ComplaintPatch, EventKind, Timestamp};

const MIN: i64 = 60_000;

/// A wall-clock time in China (+08:00).
fn china(y: i32, m: u32, d: u32, h: i64, min: i64) -> Timestamp {
    Timestamp(days_from_civil(y, m, d) * 86_400_000 + ((h - 8) * 60 + min) * MIN)
}

fn deadline<'a>(body: &'a Value, kind: &str) -> &'a Value {
    body["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} deadline in {body}"))
}

#[tokio::test]
async fn detail_deadlines_follow_the_working_calendar() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    // Friday 2026-02-13 16:00, by phone; Saturday 02-14 is a 调休 working day.
    let t0 = china(2026, 2, 13, 16, 0);
    let c = created("zhang", d, "电梯异响", t0);
    s.state.clock.set_now(Timestamp(t0.millis() + 30 * MIN));
    s.push(&staff, std::slice::from_ref(&c)).await;
    let body = s.detail(&staff, c.complaint_id).await;
    assert_eq!(body["captured_at"], t0.millis());
    assert_eq!(
        body["received_at"].as_i64().map(|r| r > t0.millis()),
        Some(true)
    );
    assert_eq!(body["attachments"], json!([]));
    let dispatch_due = deadline(&body, "dispatch");
    assert_eq!(dispatch_due["due_at"], t0.millis() + 10 * MIN);
    assert_eq!(
        dispatch_due["state"], "overdue",
        "20 minutes late, not dispatched"
    );
    let reply = deadline(&body, "reply");
    assert_eq!(reply["due_at"], china(2026, 2, 14, 16, 0).millis());
    assert_eq!(reply["state"], "ok");
    assert_eq!(reply["done_at"], Value::Null);
    assert_eq!(body["deadlines"].as_array().map(Vec::len), Some(2));

    s.push(
        &staff,
        &[then(&c, d, "zhang", 3, 5, dispatch("engineering"))],
    )
    .await;
    let body = s.detail(&staff, c.complaint_id).await;
    let dispatch_due = deadline(&body, "dispatch");
    assert_eq!(
        dispatch_due["state"], "met",
        "dispatched 5 minutes after capture"
    );
    assert_eq!(dispatch_due["done_at"], t0.millis() + 5 * MIN);
    s.state.clock.set_now(china(2026, 2, 14, 15, 30));
    let body = s.detail(&staff, c.complaint_id).await;
    assert_eq!(deadline(&body, "reply")["state"], "due_soon");
}

#[tokio::test]
async fn a_site_day_off_moves_the_reply_deadline() {
    let s = start().await;
    let admin = s.admin().await;
    let staff = s.user("zhang", "staff").await;
    // Monday 2026-03-02 10:00: reply due Tuesday 10:00.
    let c = created("zhang", device(), "楼道灯不亮", china(2026, 3, 2, 10, 0));
    s.push(&staff, std::slice::from_ref(&c)).await;
    let reply_due = |body: Value| deadline(&body, "reply")["due_at"].clone();
    let tuesday = json!(china(2026, 3, 3, 10, 0).millis());
    assert_eq!(reply_due(s.detail(&staff, c.complaint_id).await), tuesday);

    let day = "/api/v1/sites/SL/days/2026-03-03";
    let off = json!({ "kind": "off" });
    let (status, body) = s.send(Method::PUT, &staff, day, Some(&off)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let (status, body) = s.send(Method::PUT, &admin, day, Some(&off)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["days"],
        json!([{ "date": "2026-03-03", "kind": "off" }])
    );
    assert_eq!(
        reply_due(s.detail(&staff, c.complaint_id).await),
        json!(china(2026, 3, 4, 10, 0).millis()),
        "Tuesday is off at this site"
    );
    let (_, sites) = s.get(&staff, "/api/v1/sites").await;
    assert_eq!(sites[0]["days"][0]["kind"], "off");

    let (status, _) = s.send(Method::DELETE, &admin, day, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(reply_due(s.detail(&staff, c.complaint_id).await), tuesday);
    let (status, body) = s.send(Method::DELETE, &admin, day, None).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );

    for (path, body, want) in [
        (
            "/api/v1/sites/SL/days/2026-3-3",
            off.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/sites/SL/days/2026-02-30",
            off.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/sites/NOPE/days/2026-03-03",
            off.clone(),
            StatusCode::NOT_FOUND,
        ),
        (day, json!({ "kind": "holiday" }), StatusCode::BAD_REQUEST),
    ] {
        let (status, answer) = s.send(Method::PUT, &admin, path, Some(&body)).await;
        assert_eq!(status, want, "{path} {body}: {answer}");
        error_code(&answer);
    }
}

#[tokio::test]
async fn a_site_policy_changes_the_limits() {
    let s = start().await;
    let admin = s.admin().await;
    let staff = s.user("zhang", "staff").await;
    let t0 = china(2026, 3, 2, 10, 0);
    let c = created("zhang", device(), "门禁坏了", t0);
    s.push(&staff, std::slice::from_ref(&c)).await;
    let policy = Policy {
        notice_minutes: 30,
        ..Policy::default()
    };
    let path = "/api/v1/sites/SL/policy";
    let body = json!({ "policy": policy });
    let (status, _) = s.send(Method::PUT, &staff, path, Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, site) = s.send(Method::PUT, &admin, path, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{site}");
    assert_eq!(site["policy"]["notice_minutes"], 30);
    assert_eq!(site["hours"]["start_min"], 510, "hours untouched");
    let detail = s.detail(&staff, c.complaint_id).await;
    assert_eq!(
        deadline(&detail, "dispatch")["due_at"],
        t0.millis() + 30 * MIN
    );

    let hours = json!({ "hours": { "start_min": 540, "end_min": 1080, "offset_min": 480 } });
    let (status, site) = s.send(Method::PUT, &admin, path, Some(&hours)).await;
    assert_eq!(status, StatusCode::OK, "{site}");
    assert_eq!(site["hours"]["end_min"], 1080);
    assert_eq!(site["policy"]["notice_minutes"], 30, "policy untouched");

    let zero = json!({ "policy": Policy { repeat_window_days: 0, ..Policy::default() } });
    for (path, body, want) in [
        (path, zero, StatusCode::UNPROCESSABLE_ENTITY),
        (
            path,
            json!({ "hours": { "start_min": 600, "end_min": 600, "offset_min": 480 } }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            path,
            json!({ "hours": { "start_min": 600, "end_min": 1441, "offset_min": 480 } }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/sites/NOPE/policy",
            json!({}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, answer) = s.send(Method::PUT, &admin, path, Some(&body)).await;
        assert_eq!(status, want, "{body}: {answer}");
        error_code(&answer);
    }
}

#[tokio::test]
async fn custom_categories_are_accepted_once_the_site_has_them() {
    let s = start().await;
    let admin = s.admin().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    let c = created_with("zhang", d, t2026(), |n| {
        n.category = "custom.water_tank".into()
    });
    let r = s.push(&staff, std::slice::from_ref(&c)).await;
    assert_eq!(rejection(&r.results[0].result), Some("unknown_category"));

    let path = "/api/v1/sites/SL/categories";
    let tank = json!({ "code": "custom.water_tank", "parent": "facility", "zh": "水箱", "en": "Water tank" });
    let (status, _) = s.send(Method::POST, &staff, path, Some(&tank)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for bad in [
        json!({ "code": "water_tank", "parent": "facility", "zh": "水箱", "en": "" }),
        json!({ "code": "custom.Tank", "parent": "facility", "zh": "水箱", "en": "" }),
        json!({ "code": "custom.tank", "parent": "facility.lift", "zh": "水箱", "en": "" }),
        json!({ "code": "custom.tank", "parent": "facility", "zh": " ", "en": "" }),
    ] {
        let (status, body) = s.send(Method::POST, &admin, path, Some(&bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_code(&body), "validation");
    }
    let (status, body) = s
        .send(
            Method::POST,
            &admin,
            "/api/v1/sites/NOPE/categories",
            Some(&tank),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, body) = s.send(Method::POST, &admin, path, Some(&tank)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, tank);
    let (status, body) = s.send(Method::POST, &admin, path, Some(&tank)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::CONFLICT, "conflict")
    );
    let (_, sites) = s.get(&staff, "/api/v1/sites").await;
    assert_eq!(sites[0]["categories"], json!([tank]));

    // The same event, retried from the tablet, now goes through.
    let r = s.push(&staff, std::slice::from_ref(&c)).await;
    assert_eq!(rejection(&r.results[0].result), None);
    let edit = |category: &str, lamport| {
        let patch = ComplaintPatch {
            category: Some(category.into()),
            ..Default::default()
        };
        then(
            &c,
            d,
            "zhang",
            lamport,
            5,
            EventKind::Edited(Box::new(patch)),
        )
    };
    let r = s
        .push(
            &staff,
            &[edit("custom.nope", 3), edit("custom.water_tank", 4)],
        )
        .await;
    assert_eq!(rejection(&r.results[0].result), Some("unknown_category"));
    assert_eq!(rejection(&r.results[1].result), None);
    // A top-level filter includes the site's categories under it.
    let ids = s.list_ids(&staff, "category=facility").await;
    assert_eq!(ids, vec![c.complaint_id.to_string()]);
    assert!(s.list_ids(&staff, "category=service").await.is_empty());
}

#[tokio::test]
async fn a_site_lists_its_people_by_display_name_and_nobody_elses() {
    let s = start().await;
    s.site("B2", "二期").await;
    let staff = s.user("zhang", "staff").await;
    let other = s.user_at("li", "staff", None, &["B2"]).await;
    let (status, sites) = s.get(&staff, "/api/v1/sites").await;
    assert_eq!(status, StatusCode::OK, "{sites}");
    let sites = sites.as_array().expect("sites");
    assert_eq!(sites.len(), 1, "{sites:?}");
    let people: Vec<(&str, &str)> = sites[0]["people"]
        .as_array()
        .expect("people")
        .iter()
        .map(|p| {
            let name = |k: &str| p[k].as_str().unwrap_or_default();
            (name("username"), name("display_name"))
        })
        .collect();
    assert!(people.contains(&("zhang", "张三")), "{people:?}");
    assert!(people.iter().any(|(u, _)| *u == "admin"), "{people:?}");
    assert!(
        !people.iter().any(|(u, _)| *u == "li"),
        "li works at B2 only: {people:?}"
    );
    // Names only: nothing of roles, departments or sites.
    for p in sites[0]["people"].as_array().expect("people") {
        let keys: Vec<&String> = p.as_object().expect("object").keys().collect();
        assert_eq!(keys, vec!["display_name", "username"], "{p}");
    }
    let (_, theirs) = s.get(&other, "/api/v1/sites").await;
    let names: Vec<&str> = theirs[0]["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["username"].as_str())
        .collect();
    assert!(
        names.contains(&"li") && !names.contains(&"zhang"),
        "{names:?}"
    );
}
