//! The authorisation matrix: every endpoint × every role × own site / other site / other
//! department, each cell's expected answer asserted and the whole table printed.

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};
use siteline_model::sync::PushResult;
use siteline_model::{Event, EventKind};

/// The callers: (name, role, department, sites).
const USERS: [(&str, &str, Option<&str>, &[&str]); 7] = [
    ("admin", "admin", None, &[]),
    ("staff_a", "staff", None, &["SL"]),
    ("staff_b", "staff", None, &["B"]),
    ("sup_a", "supervisor", None, &["SL"]),
    ("sup_ab", "supervisor", None, &["SL", "B"]),
    ("eng_a", "handler", Some("engineering"), &["SL"]),
    ("sec_a", "handler", Some("security"), &["SL"]),
];

struct World {
    s: TestServer,
    tokens: Vec<String>,
    /// Site SL, dispatched to engineering; site B, not dispatched.
    a: Event,
    b: Event,
}

async fn world() -> World {
    let s = start().await;
    let admin = s.admin().await;
    let (status, body) = s
        .send(
            Method::POST,
            &admin,
            "/api/v1/sites",
            Some(&json!({ "code": "B", "name": "二期", "locations": ["1栋 › 大堂"] })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let mut tokens = vec![admin.clone()];
    for (name, role, dept, sites) in &USERS[1..] {
        tokens.push(s.user_at(name, role, *dept, sites).await);
    }
    let a = created_with("staff_a", device(), t2026(), |n| n.site = "SL".into());
    let dispatch = then(&a, a.device_id, "staff_a", 3, 5, dispatch("engineering"));
    let r = s.push(&tokens[1], &[a.clone(), dispatch]).await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    let b = created_with("staff_b", device(), t2026(), |n| n.site = "B".into());
    let r = s.push(&tokens[2], std::slice::from_ref(&b)).await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );
    World { s, tokens, a, b }
}

/// One cell's answer as a short label: the status, or for reads what came back.
async fn cell(w: &World, row: &str, u: usize) -> String {
    let (s, t) = (&w.s, &w.tokens[u]);
    let status = |st: reqwest::StatusCode| st.as_u16().to_string();
    let push = |ev: Event| async move {
        let r = s.push(t, &[ev]).await;
        match &r.results[0].result {
            PushResult::Accepted { .. } => "ok".to_string(),
            PushResult::Rejected { code, .. } => code.clone(),
        }
    };
    let seen = |body: &Value, key: &str| {
        let has = |e: &Event| {
            let id = e.complaint_id.to_string();
            body.as_array().is_some_and(|a| {
                a.iter()
                    .any(|x| x[key].as_str() == Some(id.as_str()) || x["event"][key] == id)
            })
        };
        match (has(&w.a), has(&w.b)) {
            (true, true) => "A+B",
            (true, false) => "A",
            (false, true) => "B",
            (false, false) => "-",
        }
        .to_string()
    };
    match row {
        "GET complaints/{A}" => status(
            s.get(t, &format!("/api/v1/complaints/{}", w.a.complaint_id))
                .await
                .0,
        ),
        "GET complaints/{B}" => status(
            s.get(t, &format!("/api/v1/complaints/{}", w.b.complaint_id))
                .await
                .0,
        ),
        "GET complaints (list)" => seen(&s.get(t, "/api/v1/complaints").await.1, "id"),
        "GET sync/pull" => {
            let (st, body) = s.get(t, "/api/v1/sync/pull?after=0").await;
            assert_eq!(st, 200);
            seen(&body["events"], "complaint_id")
        }
        "GET sites" => {
            let (_, body) = s.get(t, "/api/v1/sites").await;
            let codes: Vec<&str> = body
                .as_array()
                .map(|a| a.iter().filter_map(|x| x["code"].as_str()).collect())
                .unwrap_or_default();
            codes.join("+")
        }
        "GET reports (site B)" => {
            let q = "/api/v1/reports/summary?site=B&from=2026-01&to=2027-01";
            status(s.get(t, q).await.0)
        }
        "GET reports.csv (B)" => {
            let q = "/api/v1/reports/summary.csv?site=B&from=2026-01&to=2027-01";
            status(s.get(t, q).await.0)
        }
        "GET majors (B)" => status(s.get(t, "/api/v1/reports/majors?site=B").await.0),
        "GET majors.xlsx" => {
            let res = s
                .http
                .get(s.url("/api/v1/reports/majors.xlsx"))
                .bearer_auth(t)
                .send()
                .await
                .expect("export");
            status(res.status())
        }
        "GET complaints.csv" => {
            let res = s
                .http
                .get(s.url("/api/v1/complaints.csv"))
                .bearer_auth(t)
                .send()
                .await
                .expect("export");
            let text = res.text().await.unwrap_or_default();
            // The site column of each row.
            let sites: Vec<&str> = text
                .lines()
                .skip(1)
                .filter_map(|l| l.split(',').nth(3))
                .collect();
            match (sites.contains(&"SL"), sites.contains(&"B")) {
                (true, true) => "A+B",
                (true, false) => "A",
                (false, true) => "B",
                (false, false) => "-",
            }
            .to_string()
        }
        "POST shares (B)" => {
            let body =
                json!({ "site": "B", "from": "2026-01", "to": "2027-01", "period": "month" });
            status(
                s.send(Method::POST, t, "/api/v1/shares", Some(&body))
                    .await
                    .0,
            )
        }
        "GET shares" => status(s.get(t, "/api/v1/shares").await.0),
        "GET replies (A)" => status(s.get(t, "/api/v1/sites/SL/replies").await.0),
        "POST replies (A)" | "POST replies (B)" => {
            let site = if row.ends_with("(A)") { "SL" } else { "B" };
            let body = json!({ "step": "reply", "title": "", "text": "已处理" });
            let path = format!("/api/v1/sites/{site}/replies");
            status(s.send(Method::POST, t, &path, Some(&body)).await.0)
        }
        "DELETE replies/none (B)" => {
            let path = "/api/v1/sites/B/replies/none";
            status(s.send(Method::DELETE, t, path, None).await.0)
        }
        "GET fleet" => status(s.get(t, "/api/v1/fleet").await.0),
        "POST devices/report" => {
            let body =
                json!({ "device_id": device(), "app_version": "0.1.0", "pending_records": 0 });
            status(
                s.send(Method::POST, t, "/api/v1/devices/report", Some(&body))
                    .await
                    .0,
            )
        }
        "GET users" => status(s.get(t, "/api/v1/users").await.0),
        "GET setup" => status(s.get(t, "/api/v1/setup").await.0),
        "PATCH sites/B" => {
            let body = json!({ "add_locations": ["2栋 › 大堂"] });
            status(
                s.send(Method::PATCH, t, "/api/v1/sites/B", Some(&body))
                    .await
                    .0,
            )
        }
        "POST sites" => {
            let code = format!("N{u}");
            let body = json!({ "code": code, "name": "新项目" });
            status(
                s.send(Method::POST, t, "/api/v1/sites", Some(&body))
                    .await
                    .0,
            )
        }
        "POST users" => {
            let body = json!({ "username": format!("new{u}"), "password": "long-enough",
                               "role": "staff", "sites": ["SL"] });
            status(
                s.send(Method::POST, t, "/api/v1/users", Some(&body))
                    .await
                    .0,
            )
        }
        "PATCH users/staff_b" => {
            let body = json!({ "display_name": "改名" });
            status(
                s.send(Method::PATCH, t, "/api/v1/users/staff_b", Some(&body))
                    .await
                    .0,
            )
        }
        "push note on A" => push(then(&w.a, device(), USERS[u].0, 9, 9, note_kind())).await,
        "push note on B" => push(then(&w.b, device(), USERS[u].0, 9, 9, note_kind())).await,
        "push created at B" => {
            push(created_with(USERS[u].0, device(), t2026(), |n| {
                n.site = "B".into()
            }))
            .await
        }
        other => panic!("no row {other}"),
    }
}

fn note_kind() -> EventKind {
    EventKind::NoteAdded {
        text: "跟进".into(),
    }
}

#[tokio::test]
async fn every_endpoint_by_every_role_and_site() {
    // Columns follow USERS: admin staff_a staff_b sup_a sup_ab eng_a sec_a.
    let rows: &[(&str, [&str; 7])] = &[
        (
            "GET complaints/{A}",
            ["200", "200", "404", "200", "200", "200", "404"],
        ),
        (
            "GET complaints/{B}",
            ["200", "404", "200", "404", "200", "404", "404"],
        ),
        (
            "GET complaints (list)",
            ["A+B", "A", "B", "A", "A+B", "A", "-"],
        ),
        ("GET sync/pull", ["A+B", "A", "B", "A", "A+B", "A", "-"]),
        ("GET sites", ["SL+B", "SL", "B", "SL", "SL+B", "SL", "SL"]),
        (
            "GET reports (site B)",
            ["200", "403", "403", "404", "200", "403", "403"],
        ),
        (
            "GET reports.csv (B)",
            ["200", "403", "403", "404", "200", "403", "403"],
        ),
        (
            "GET majors (B)",
            ["200", "403", "403", "404", "200", "403", "403"],
        ),
        (
            "GET majors.xlsx",
            ["200", "403", "403", "200", "200", "403", "403"],
        ),
        (
            "GET complaints.csv",
            ["A+B", "A", "B", "A", "A+B", "A", "-"],
        ),
        (
            "POST shares (B)",
            ["201", "403", "403", "404", "201", "403", "403"],
        ),
        (
            "GET shares",
            ["200", "403", "403", "200", "200", "403", "403"],
        ),
        (
            "GET replies (A)",
            ["200", "200", "404", "200", "200", "200", "200"],
        ),
        (
            "POST replies (A)",
            ["201", "403", "403", "201", "201", "403", "403"],
        ),
        (
            "POST replies (B)",
            ["201", "403", "403", "404", "201", "403", "403"],
        ),
        (
            "DELETE replies/none (B)",
            ["404", "403", "403", "404", "404", "403", "403"],
        ),
        (
            "GET fleet",
            ["200", "403", "403", "200", "200", "403", "403"],
        ),
        (
            "POST devices/report",
            ["204", "204", "204", "204", "204", "204", "204"],
        ),
        (
            "GET users",
            ["200", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "GET setup",
            ["200", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "PATCH sites/B",
            ["200", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "POST sites",
            ["201", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "POST users",
            ["201", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "PATCH users/staff_b",
            ["200", "403", "403", "403", "403", "403", "403"],
        ),
        (
            "push note on A",
            ["ok", "ok", "forbidden", "ok", "ok", "ok", "forbidden"],
        ),
        (
            "push note on B",
            [
                "ok",
                "forbidden",
                "ok",
                "forbidden",
                "ok",
                "forbidden",
                "forbidden",
            ],
        ),
        (
            "push created at B",
            [
                "ok",
                "forbidden",
                "ok",
                "forbidden",
                "ok",
                "forbidden",
                "forbidden",
            ],
        ),
    ];
    let w = world().await;
    let mut table = format!("{:<24}", "endpoint \\ caller");
    for (name, ..) in USERS {
        table.push_str(&format!("{name:>10}"));
    }
    let mut wrong = Vec::new();
    for (row, expected) in rows {
        table.push_str(&format!("\n{row:<24}"));
        for (u, want) in expected.iter().enumerate() {
            let got = cell(&w, row, u).await;
            let mark = if got == *want { " " } else { "!" };
            table.push_str(&format!("{:>9}{mark}", got));
            if got != *want {
                wrong.push(format!("{row} as {}: got {got}, want {want}", USERS[u].0));
            }
        }
    }
    println!("{table}");
    assert!(
        wrong.is_empty(),
        "{table}\n\nwrong cells:\n{}",
        wrong.join("\n")
    );
}
