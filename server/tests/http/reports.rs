//! Reports: the SQL aggregates equal the model's row-by-row definition; breakdowns, recurring, access.

use crate::common::*;
use reqwest::StatusCode;
use siteline_model::report::{Report, ReportFacts, Tally};
use siteline_model::timelimit::Clock;
use siteline_model::{Channel, Complaint, EventKind, Nature, Severity, Timestamp};

#[tokio::test]
async fn report_counts_rates_and_recurring_problems_match_the_model() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let d = device();
    // Two lift complaints at the same place (a recurring problem; the second is a 二次投诉).
    let lift1 = created("zhang", d, "电梯异响", t2026());
    let lift2 = created(
        "zhang",
        d,
        "电梯又响",
        Timestamp(t2026().millis() + 86_400_000),
    );
    // An enquiry answered at the desk within the hour and closed: on time.
    let desk = created_with("zhang", d, t2026(), |n| {
        n.nature = Nature::Enquiry;
        n.severity = Severity::Minor;
        n.channel = Channel::Visit;
        n.category = "service.cleaning".into();
        n.location = "2栋 大堂".into();
        n.complainant.phone = Some("13900000009".into());
    });
    let replied = then(
        &desk,
        d,
        "zhang",
        2,
        30,
        EventKind::Replied {
            content: "已答复".into(),
        },
    );
    let closed = then(
        &desk,
        d,
        "zhang",
        3,
        60,
        EventKind::Closed {
            summary: "完结".into(),
        },
    );
    let r = s
        .push(
            &staff,
            &[lift1.clone(), lift2.clone(), desk.clone(), replied, closed],
        )
        .await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );

    let (status, body) = s
        .get(
            &sup,
            "/api/v1/reports/summary?from=2026-01&to=2027-01&period=half&site=SL",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: Report = serde_json::from_value(body.clone()).expect("a report");

    // The same figures, row by row, with the model's definition.
    let mut want = Tally::default();
    for id in [lift1.complaint_id, lift2.complaint_id, desk.complaint_id] {
        let detail = s.detail(&sup, id).await;
        let state: Complaint = serde_json::from_value(detail["state"].clone()).expect("state");
        want.add(
            &state,
            &ReportFacts::of(&state, &Clock::china()),
            report.generated_at,
        );
    }
    // Storage also knows repeats that needed no escalation (lift2 was already 重要).
    assert_eq!(
        Tally {
            repeat: want.repeat,
            ..report.total.clone()
        },
        want
    );
    assert_eq!(report.total.count, 3);
    assert_eq!(report.total.closed, 1);
    assert_eq!(report.total.on_time, 1, "the desk enquiry");
    assert_eq!(
        report.total.late, 2,
        "the lift complaints were never dispatched"
    );
    assert_eq!(report.total.repeat, 1);
    assert_eq!(report.total.avg_reply_minutes(), Some(30.0));
    assert_eq!(report.total.avg_close_minutes(), Some(60.0));
    assert_eq!(report.total.closure_rate(), Some(1.0 / 3.0));

    let keys = |b: &[siteline_model::report::Bucket]| -> Vec<(String, u64)> {
        b.iter().map(|b| (b.key.clone(), b.tally.count)).collect()
    };
    assert_eq!(
        keys(&report.by_category),
        vec![("facility".into(), 2), ("service".into(), 1)]
    );
    assert_eq!(keys(&report.by_period), vec![("2026-H1".into(), 3)]);
    assert_eq!(keys(&report.by_site), vec![("SL".into(), 3)]);
    assert_eq!(report.recurring.len(), 1);
    assert_eq!(report.recurring[0].count, 2);
    assert_eq!(report.recurring[0].category, "facility.lift");
    // Shareable outside the team: no complainant names or phone numbers anywhere.
    let text = body.to_string();
    assert!(
        !text.contains("王女士") && !text.contains("138001"),
        "{text}"
    );

    // Another range holds nothing; one site narrows; a month breakdown is the default.
    let (_, empty) = s
        .get(
            &sup,
            "/api/v1/reports/summary?from=2025-01-01&to=2025-02-01",
        )
        .await;
    assert_eq!(empty["total"]["count"], 0);
    let (status, one) = s
        .get(
            &sup,
            "/api/v1/reports/summary?from=2026-03-01&to=2026-04-01&site=SL",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["by_period"][0]["key"], "2026-03");

    // Over all sites: the same totals; recurring problems are listed per site only.
    let (_, all) = s
        .get(&sup, "/api/v1/reports/summary?from=2026-01&to=2027-01")
        .await;
    assert_eq!(all["total"], body["total"]);
    assert_eq!(all["recurring"], serde_json::json!([]));

    // A later dispatch moves the complaint to its department's line; nothing is counted twice.
    let r = s
        .push(
            &staff,
            &[then(&lift1, d, "zhang", 2, 5, dispatch("engineering"))],
        )
        .await;
    assert!(rejection(&r.results[0].result).is_none(), "{r:?}");
    let (_, moved) = s
        .get(&sup, "/api/v1/reports/summary?from=2026-01&to=2027-01")
        .await;
    let report: Report = serde_json::from_value(moved).expect("a report");
    assert_eq!(
        keys(&report.by_department),
        vec![("".into(), 2), ("engineering".into(), 1)]
    );
    assert_eq!(report.total.count, 3);
}

#[tokio::test]
async fn reports_are_for_supervisors_and_bad_queries_are_explained() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let q = "/api/v1/reports/summary?from=2026-01-01&to=2027-01-01";
    let (status, body) = s.get(&staff, q).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for bad in [
        "?from=2026-01-01",
        "?from=2026-02-15&to=2026-03-01",
        "?from=2026-01-01&to=2026-01-01",
    ] {
        let (status, body) = s.get(&sup, &format!("/api/v1/reports/summary{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(error_code(&body), "bad_request");
    }
    let (status, body) = s.get(&sup, &format!("{q}&site=NOPE")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

/// Medians and working-hour averages on a hand-made set, with a 调休 Saturday, and an empty period.
#[tokio::test]
async fn medians_and_working_hour_averages_follow_the_site_calendar() {
    use reqwest::Method;
    let s = start().await;
    let admin = s.admin().await;
    // 2026-11-07 is a Saturday the site works (a made-up day), before anything is captured.
    let (st, body) = s
        .send(
            Method::PUT,
            &admin,
            "/api/v1/sites/SL/days/2026-11-07",
            Some(&serde_json::json!({"kind": "work"})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let china = |m: u32, d: u32, h: i64, mi: i64| {
        let days = siteline_model::time::days_from_civil(2026, m, d);
        Timestamp(((days * 24 + h) * 60 + mi - 8 * 60) * 60_000)
    };
    let dev = device();
    let mut events = Vec::new();
    // (captured, replied, closed): Fri 17:00 → Mon 09:30 (clock 3870 min; working 30 + 540 + 60);
    // Mon 09:00 → 10:00 (60; 60); Tue 09:00 → 09:30, closed 09:45 (30; 30 and 45; 45).
    let cases = [
        (china(11, 6, 17, 0), china(11, 9, 9, 30), None),
        (china(11, 9, 9, 0), china(11, 9, 10, 0), None),
        (
            china(11, 10, 9, 0),
            china(11, 10, 9, 30),
            Some(china(11, 10, 9, 45)),
        ),
    ];
    for (at, replied, closed) in cases {
        let c = created_with("zhang", dev, at, |n| n.nature = Nature::Enquiry);
        let minutes = |t: Timestamp| (t.millis() - at.millis()) / 60_000;
        events.push(then(
            &c,
            dev,
            "zhang",
            2,
            minutes(replied),
            EventKind::Replied {
                content: "已答复".into(),
            },
        ));
        if let Some(done) = closed {
            events.push(then(
                &c,
                dev,
                "zhang",
                3,
                minutes(done),
                EventKind::Closed {
                    summary: "完结".into(),
                },
            ));
        }
        events.insert(0, c);
    }
    let r = s.push(&staff, &events).await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    let (st, body) = s
        .get(
            &sup,
            "/api/v1/reports/summary?from=2026-11&to=2026-12&site=SL",
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let report: Report = serde_json::from_value(body).expect("report");
    let d = report
        .durations
        .as_ref()
        .expect("durations of a small report");
    assert_eq!(d.replied, 3);
    assert_eq!(d.reply_median_minutes, Some(60.0));
    assert_eq!(d.reply_median_work_minutes, Some(60.0));
    assert_eq!(d.reply_avg_work_minutes, Some((630.0 + 60.0 + 30.0) / 3.0));
    assert_eq!(
        (d.closed, d.close_median_minutes, d.close_avg_work_minutes),
        (1, Some(45.0), Some(45.0))
    );
    assert_eq!(
        report.total.avg_reply_minutes(),
        Some((3870.0 + 60.0 + 30.0) / 3.0)
    );
    // Counts by status, from the same cells as every other breakdown.
    let by_status: Vec<(&str, u64)> = report
        .by_status
        .iter()
        .map(|b| (b.key.as_str(), b.tally.count))
        .collect();
    assert_eq!(by_status, [("replied", 2), ("closed", 1)]);
    // An empty period: no medians, no averages, no zeros.
    let (_, body) = s
        .get(
            &sup,
            "/api/v1/reports/summary?from=2026-06&to=2026-07&site=SL",
        )
        .await;
    let empty: Report = serde_json::from_value(body).expect("report");
    assert_eq!(
        empty.durations,
        Some(siteline_model::report::Durations::default())
    );
    assert_eq!(empty.total.closure_rate(), None);
}
