//! Push enforcement of the procedures: roles, handler departments, server-only events, conflicts.

use crate::common::*;
use siteline_model::{Channel, EventKind, Nature, Severity};

#[tokio::test]
async fn staff_dispatch_and_handlers_accept_only_for_their_department() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let eng = s.user_in("wang", "handler", Some("engineering")).await;
    let (d, hd) = (device(), device());
    let lift = created("zhang", d, "电梯异响", t2026());
    let gate = created_with("zhang", d, t2026(), |n| {
        n.location = "南门岗".into();
        n.category = "facility.access".into();
        n.complainant.phone = Some("13900139000".into());
    });
    let r = s
        .push(
            &staff,
            &[
                lift.clone(),
                gate.clone(),
                then(&lift, d, "zhang", 3, 5, dispatch("engineering")),
                then(&gate, d, "zhang", 3, 5, dispatch("security")),
            ],
        )
        .await;
    let codes: Vec<_> = r.results.iter().map(|o| rejection(&o.result)).collect();
    assert_eq!(codes, vec![None; 4], "staff create and dispatch");

    let r = s
        .push(
            &staff,
            &[then(&lift, d, "zhang", 4, 6, EventKind::Accepted)],
        )
        .await;
    assert_eq!(
        rejection(&r.results[0].result),
        Some("forbidden"),
        "staff may not sign for a notice"
    );

    let r = s
        .push(
            &eng,
            &[
                then(&lift, hd, "wang", 4, 7, EventKind::Accepted),
                then(&gate, hd, "wang", 4, 7, EventKind::Accepted),
                then(
                    &gate,
                    hd,
                    "wang",
                    5,
                    8,
                    EventKind::NoteAdded {
                        text: "不归我们管".into(),
                    },
                ),
                then(&lift, hd, "wang", 5, 9, EventKind::Started),
            ],
        )
        .await;
    let codes: Vec<_> = r.results.iter().map(|o| rejection(&o.result)).collect();
    assert_eq!(
        codes,
        vec![None, Some("forbidden"), Some("forbidden"), None],
        "engineering acts only on what it was given: another department's complaint is not \
         even readable to it"
    );
    let lift_state = s.detail(&eng, lift.complaint_id).await;
    assert_eq!(lift_state["state"]["status"], "in_progress");
    let (status, _) = s
        .get(&eng, &format!("/api/v1/complaints/{}", gate.complaint_id))
        .await;
    assert_eq!(
        status, 404,
        "security's complaint is not engineering's to read"
    );
    let gate_state = s.detail(&staff, gate.complaint_id).await;
    assert_eq!(gate_state["state"]["status"], "dispatched");
    assert_eq!(gate_state["state"]["department"], "security");
    assert_eq!(
        gate_state["state"]["notes"].as_array().map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn staff_cannot_close_a_major_complaint_but_a_supervisor_can() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let (d, sd) = (device(), device());
    // An enquiry may be answered at the desk: received → replied → closed.
    let desk = |sev: Severity, phone: &str| {
        let phone = phone.to_string();
        created_with("zhang", d, t2026(), move |n| {
            n.severity = sev;
            n.nature = Nature::Enquiry;
            n.channel = Channel::Phone;
            n.location = format!("{phone} 室");
            n.complainant.phone = Some(phone);
        })
    };
    let major = desk(Severity::Major, "13900000001");
    let minor = desk(Severity::Minor, "13900000002");
    let reply = |c| {
        then(
            c,
            d,
            "zhang",
            3,
            30,
            EventKind::Replied {
                content: "已答复".into(),
            },
        )
    };
    let close = |c, dev, who: &str| {
        then(
            c,
            dev,
            who,
            4,
            60,
            EventKind::Closed {
                summary: "完结".into(),
            },
        )
    };
    s.push(
        &staff,
        &[major.clone(), minor.clone(), reply(&major), reply(&minor)],
    )
    .await;
    let r = s
        .push(
            &staff,
            &[close(&major, d, "zhang"), close(&minor, d, "zhang")],
        )
        .await;
    assert_eq!(rejection(&r.results[0].result), Some("forbidden"));
    assert_eq!(rejection(&r.results[1].result), None);
    let r = s.push(&sup, &[close(&major, sd, "li")]).await;
    assert_eq!(rejection(&r.results[0].result), None);
    for c in [&major, &minor] {
        assert_eq!(
            s.detail(&staff, c.complaint_id).await["state"]["status"],
            "closed"
        );
    }
}

#[tokio::test]
async fn nobody_pushes_server_events_or_direct_status_changes() {
    let s = start().await;
    let admin = s.admin().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let c = created("zhang", device(), "漏水", t2026());
    s.push(&staff, std::slice::from_ref(&c)).await;
    let escalated = EventKind::Escalated {
        to: Severity::Major,
        rule: "unresolved_month".into(),
        related: None,
    };
    let numbered = EventKind::NumberAssigned {
        number: "SL-2026-999999".into(),
    };
    for (token, who) in [(&admin, "admin"), (&sup, "li"), (&staff, "zhang")] {
        let evs = [
            then(&c, device(), who, 5, 1, escalated.clone()),
            then(&c, device(), who, 5, 1, numbered.clone()),
        ];
        let r = s.push(token, &evs).await;
        for o in &r.results {
            assert!(rejection(&o.result).is_some(), "{who}: {o:?}");
        }
    }
    let status = EventKind::StatusChanged {
        to: siteline_model::Status::Closed,
        reason: None,
    };
    let r = s
        .push(&sup, &[then(&c, device(), "li", 5, 1, status)])
        .await;
    assert_eq!(rejection(&r.results[0].result), Some("forbidden"));
    let stored = s.pull_all(&admin, 100).await;
    assert_eq!(stored.len(), 2, "only the complaint and its number");
}

#[tokio::test]
async fn conflicting_offline_dispatches_are_both_kept_and_the_later_is_a_conflict() {
    let s = start().await;
    let zhang = s.user("zhang", "staff").await;
    let liu = s.user("liu", "staff").await;
    let (d1, d2) = (device(), device());
    let c = created("zhang", d1, "电梯困人", t2026());
    s.push(&zhang, std::slice::from_ref(&c)).await;
    // Both tablets saw the number (lamport 2) and dispatched offline at lamport 3.
    let first = then(&c, d1, "zhang", 3, 5, dispatch("engineering"));
    let second = then(&c, d2, "liu", 3, 6, dispatch("security"));
    assert!(first.id < second.id, "same lamport: the id decides");
    // The server's commit order is the order of record: the one that arrives first wins,
    // whatever clock either tablet chose; the other stays in the timeline as a conflict.
    let r = s.push(&liu, std::slice::from_ref(&second)).await;
    assert_eq!(rejection(&r.results[0].result), None);
    let r = s.push(&zhang, std::slice::from_ref(&first)).await;
    assert_eq!(
        rejection(&r.results[0].result),
        None,
        "an illegal transition is a conflict, not a rejection"
    );
    let body = s.detail(&zhang, c.complaint_id).await;
    assert_eq!(body["state"]["department"], "security");
    let conflicts = body["state"]["conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["event_id"], first.id.to_string());
    assert_eq!(conflicts[0]["code"], "illegal_transition");
    let ids: Vec<&str> = body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["event"]["id"].as_str())
        .collect();
    assert!(ids.contains(&first.id.to_string().as_str()));
    assert!(ids.contains(&second.id.to_string().as_str()));
}
