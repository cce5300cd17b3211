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
        &[older.clone(), newer.clone(), note(&older, "已派工程部")],
    )
    .await;
    // Setting a status directly is for admins (who may relay others' events).
    let r = s.push(&token, std::slice::from_ref(&closed)).await;
    assert_eq!(rejection(&r.results[0].result), Some("forbidden"));
    s.push(&s.admin().await, &[closed]).await;

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

#[tokio::test]
async fn filters_by_status_department_text_time_and_overdue() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    let place = |desc: &str, loc: &str, cat: &str, phone: &str| {
        let (desc, loc, cat, phone) = (
            desc.to_string(),
            loc.to_string(),
            cat.to_string(),
            phone.to_string(),
        );
        move |n: &mut siteline_model::NewComplaint| {
            n.description = desc;
            n.location = loc;
            n.category = cat;
            n.complainant.phone = Some(phone);
        }
    };
    let just_now = Timestamp(s.state.clock.now().millis() - 60_000);
    let fresh = created_with(
        "zhang",
        d,
        just_now,
        place(
            "电梯异响",
            "1栋 › 3F 电梯厅",
            "facility.lift",
            "13900000001",
        ),
    );
    let lamp = created_with(
        "zhang",
        d,
        t2026(),
        place(
            "楼道灯不亮",
            "2栋 › 1F 大堂",
            "facility.lighting",
            "13900000002",
        ),
    );
    let guard = created_with(
        "zhang",
        d,
        Timestamp(t2026().millis() + 3_600_000),
        place("保安态度差", "南门岗", "service.attitude", "13900000003"),
    );
    s.push(
        &staff,
        &[
            fresh.clone(),
            lamp.clone(),
            guard.clone(),
            then(&lamp, d, "zhang", 3, 5, dispatch("engineering")),
            then(&guard, d, "zhang", 3, 5, dispatch("security")),
        ],
    )
    .await;
    let id = |e: &siteline_model::Event| e.complaint_id.to_string();
    let (f, l, g) = (id(&fresh), id(&lamp), id(&guard));
    let ids = |q: &'static str| s.list_ids(&staff, q);
    assert_eq!(ids("").await, vec![f.clone(), g.clone(), l.clone()]);
    assert_eq!(ids("status=dispatched").await, vec![g.clone(), l.clone()]);
    assert_eq!(ids("status=received").await, vec![f.clone()]);
    let all = vec![f.clone(), g.clone(), l.clone()];
    assert_eq!(ids("status=received,dispatched").await, all);
    assert_eq!(ids("status=received&status=dispatched").await, all);
    assert_eq!(ids("department=engineering").await, vec![l.clone()]);
    assert_eq!(ids("q=电梯").await, vec![f.clone()]);
    assert_eq!(ids("q=南门").await, vec![g.clone()]);
    assert_eq!(ids("q=sl-2026").await, all, "numbers, case-insensitive");
    let number = s.detail(&staff, lamp.complaint_id).await["number"]
        .as_str()
        .expect("number")
        .to_string();
    assert_eq!(
        s.list_ids(&staff, &format!("q={number}")).await,
        vec![l.clone()]
    );
    assert_eq!(ids("category=facility").await, vec![f.clone(), l.clone()]);
    let window = format!(
        "from={}&to={}",
        t2026().millis(),
        t2026().millis() + 3_600_000
    );
    assert_eq!(
        s.list_ids(&staff, &window).await,
        vec![l.clone()],
        "to is exclusive"
    );
    assert_eq!(ids("overdue=true").await, vec![g.clone(), l.clone()]);
    assert_eq!(ids("overdue=true&limit=1&offset=1").await, vec![l.clone()]);
    assert_eq!(ids("limit=2&offset=1").await, vec![g.clone(), l.clone()]);

    let (_, list) = s.get(&staff, "/api/v1/complaints").await;
    assert_eq!(
        list[0]["deadline_state"], "due_soon",
        "dispatch due in 9 minutes"
    );
    assert_eq!(list[0]["department"], Value::Null);
    assert_eq!(list[2]["deadline_state"], "overdue");
    assert_eq!(list[2]["department"], "engineering");
    for bad in [
        "overdue=maybe",
        "department=plumbing",
        "from=yesterday",
        "limit=0",
    ] {
        let (status, body) = s.get(&staff, &format!("/api/v1/complaints?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_code(&body), "bad_request");
    }
}

/// The list's `deadline_state` and `overdue=true` are `model::overdue` of the detail's own
/// deadlines — the same function the tablet's list and board call.
#[tokio::test]
async fn the_list_and_the_model_agree_on_worst_state_and_overdue_now() {
    use siteline_model::overdue::summarize;
    use siteline_model::timelimit::Deadline;
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    let now = s.state.clock.now().millis();
    let day = 86_400_000;
    // Long overdue and open; replied late (nothing running); fresh and fine.
    let old = created("zhang", d, "旧投诉", Timestamp(now - 5 * day));
    let late = created_with("zhang", d, Timestamp(now - 6 * day), |n| {
        n.nature = siteline_model::Nature::Enquiry;
    });
    let replied = then(
        &late,
        d,
        "zhang",
        2,
        3 * 24 * 60,
        EventKind::Replied {
            content: "已答复".into(),
        },
    );
    let closed = then(
        &late,
        d,
        "zhang",
        3,
        3 * 24 * 60 + 1,
        EventKind::Closed {
            summary: "完结".into(),
        },
    );
    let fresh = created("zhang", d, "新投诉", Timestamp(now - 60_000));
    let r = s
        .push(
            &staff,
            &[old.clone(), late.clone(), replied, closed, fresh.clone()],
        )
        .await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    let (_, list) = s.get(&staff, "/api/v1/complaints").await;
    let overdue = s.list_ids(&staff, "overdue=true").await;
    let t = s.state.clock.now();
    let mut overdue_want = Vec::new();
    for ev in [&old, &late, &fresh] {
        let detail = s.detail(&staff, ev.complaint_id).await;
        let state: siteline_model::Complaint =
            serde_json::from_value(detail["state"].clone()).expect("state");
        let deadlines: Vec<Deadline> =
            serde_json::from_value(detail["deadlines"].clone()).expect("deadlines");
        let want = summarize(&state, &deadlines, t);
        let row = list
            .as_array()
            .and_then(|l| l.iter().find(|x| x["id"] == ev.complaint_id.to_string()))
            .expect("listed");
        assert_eq!(
            row["deadline_state"],
            serde_json::to_value(want.worst).expect("json"),
            "{}",
            ev.complaint_id
        );
        if want.overdue_now {
            overdue_want.push(ev.complaint_id.to_string());
        }
    }
    assert_eq!(
        overdue,
        vec![old.complaint_id.to_string()],
        "only the open one past due"
    );
    assert_eq!(overdue_want, overdue);
}
