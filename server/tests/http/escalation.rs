//! Server-written escalations: 二次投诉 on receipt (→ 重要), unresolved a month (→ 重大), each once.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::sync::SyncedEvent;
use siteline_model::{ComplaintId, DeviceId, EventKind, Nature, Severity, Status, Timestamp};

const DAY: i64 = 86_400_000;

fn escalations(all: &[SyncedEvent], of: ComplaintId) -> Vec<&SyncedEvent> {
    all.iter()
        .filter(|e| {
            e.event.complaint_id == of && matches!(e.event.kind, EventKind::Escalated { .. })
        })
        .collect()
}

fn at(days: i64) -> Timestamp {
    Timestamp(t2026().millis() + days * DAY)
}

#[tokio::test]
async fn a_repeat_complaint_is_escalated_to_important_on_receipt() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    let minor = |days: i64, phone: Option<&str>, place: &str, category: &str| {
        let (phone, place, category) = (
            phone.map(String::from),
            place.to_string(),
            category.to_string(),
        );
        created_with("zhang", d, at(days), move |n| {
            n.severity = Severity::Minor;
            n.complainant.phone = phone;
            n.location = place;
            n.category = category;
        })
    };
    let first = minor(0, Some("13900139000"), "2栋 › 1F 大堂", "facility.lighting");
    let again = minor(3, Some("13900139000"), "3栋 › 屋面", "service.noise");
    let elsewhere = minor(
        4,
        Some("13700137000"),
        "B2 停车场 › A区",
        "facility.parking",
    );
    let same_place = minor(5, None, "B2 停车场 › A区", "facility.parking");
    let much_later = minor(40, Some("13900139000"), "1栋 › 屋面", "facility.water");
    // Already 重要: nothing to raise.
    let important = created_with("zhang", d, at(6), |n| {
        n.severity = Severity::Important;
        n.complainant.phone = Some("13900139000".into());
    });
    s.push(&staff, std::slice::from_ref(&first)).await;
    s.push(&staff, &[again.clone(), elsewhere.clone()]).await;
    s.push(
        &staff,
        &[same_place.clone(), much_later.clone(), important.clone()],
    )
    .await;

    let all = s.pull_all(&staff, 500).await;
    let esc = escalations(&all, again.complaint_id);
    assert_eq!(esc.len(), 1, "same phone within 30 days");
    let e = &esc[0].event;
    assert_eq!(
        e.kind,
        EventKind::Escalated {
            to: Severity::Important,
            rule: "repeat_complaint".into(),
            related: Some(first.complaint_id),
        }
    );
    assert_eq!(
        (e.author.as_str(), e.device_id),
        ("system", DeviceId::SERVER)
    );
    assert_eq!(e.lamport, 3, "after the creation (1) and its number (2)");
    let esc = escalations(&all, same_place.complaint_id);
    assert_eq!(esc.len(), 1, "same place and category within 30 days");
    assert!(matches!(&esc[0].event.kind,
        EventKind::Escalated { related: Some(r), .. } if *r == elsewhere.complaint_id));
    for quiet in [&first, &elsewhere, &much_later, &important] {
        assert!(
            escalations(&all, quiet.complaint_id).is_empty(),
            "{}",
            quiet.complaint_id
        );
    }

    let body = s.detail(&staff, again.complaint_id).await;
    assert_eq!(body["severity"], "important");
    assert_eq!(body["state"]["escalations"][0]["rule"], "repeat_complaint");
    assert!(body["events"]
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["event"]["type"] == "escalated"));
    assert_eq!(
        s.detail(&staff, elsewhere.complaint_id).await["severity"],
        "minor"
    );
    // Pushing it again changes nothing.
    s.push(&staff, std::slice::from_ref(&again)).await;
    assert_eq!(
        escalations(&s.pull_all(&staff, 500).await, again.complaint_id).len(),
        1
    );
}

async fn escalate(s: &TestServer, token: &str) -> (StatusCode, Value) {
    s.send(Method::POST, token, "/api/v1/admin/escalate", None)
        .await
}

#[tokio::test]
async fn an_effective_complaint_unresolved_for_a_month_becomes_major_once() {
    let s = start().await;
    let admin = s.admin().await;
    let staff = s.user("zhang", "staff").await;
    let d = device();
    let yesterday = Timestamp(s.state.clock.now().millis() - DAY);
    let kind = |n: u32, nature: Nature| {
        created_with("zhang", d, yesterday, move |c| {
            c.nature = nature;
            c.complainant.phone = Some(format!("1390000000{n}"));
            c.location = format!("{n}栋");
        })
    };
    let open = kind(1, Nature::Effective);
    let enquiry = kind(2, Nature::Enquiry);
    let closed = kind(3, Nature::Effective);
    s.push(&staff, &[open.clone(), enquiry.clone(), closed.clone()])
        .await;
    let close = EventKind::StatusChanged {
        to: Status::Closed,
        reason: Some("已解决".into()),
    };
    s.push(&admin, &[then(&closed, d, "zhang", 3, 10, close)])
        .await;

    let (status, body) = escalate(&s, &staff).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "forbidden");
    assert_eq!(
        escalate(&s, &admin).await,
        (StatusCode::OK, json!({ "escalated": 0 }))
    );
    s.state.clock.advance(31 * DAY);
    assert_eq!(
        escalate(&s, &admin).await,
        (StatusCode::OK, json!({ "escalated": 1 }))
    );
    assert_eq!(
        escalate(&s, &admin).await,
        (StatusCode::OK, json!({ "escalated": 0 }))
    );

    let body = s.detail(&admin, open.complaint_id).await;
    assert_eq!(body["severity"], "major");
    assert_eq!(body["state"]["escalations"][0]["rule"], "unresolved_month");
    assert_eq!(body["state"]["escalations"][0]["to"], "major");
    let kinds: Vec<&str> = body["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"major_close"), "{kinds:?}");
    assert_eq!(
        s.detail(&admin, enquiry.complaint_id).await["severity"],
        "important"
    );
    assert_eq!(
        s.detail(&admin, closed.complaint_id).await["severity"],
        "important"
    );

    // Lowered by hand afterwards: the rule has fired for this complaint and never fires again.
    let lower = EventKind::Edited(Box::new(siteline_model::ComplaintPatch {
        severity: Some(Severity::Important),
        ..Default::default()
    }));
    s.push(&admin, &[then(&open, d, "zhang", 10, 20, lower)])
        .await;
    assert_eq!(
        s.detail(&admin, open.complaint_id).await["severity"],
        "important"
    );
    assert_eq!(
        escalate(&s, &admin).await,
        (StatusCode::OK, json!({ "escalated": 0 }))
    );
    let all = s.pull_all(&admin, 500).await;
    assert_eq!(escalations(&all, open.complaint_id).len(), 1);
    assert!(escalations(&all, enquiry.complaint_id).is_empty());
    assert!(escalations(&all, closed.complaint_id).is_empty());
}
