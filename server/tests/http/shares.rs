//! Shared report links: created by supervisors within their sites, listed and revoked by their
//! creator; the public data and page need no login, show aggregates only, cannot be widened by
//! the request, answer 410 once expired or revoked and 404 when unknown; tokens are stored hashed.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::api::{ShareCreated, SharedReport};
use siteline_model::EventKind;

async fn share(s: &TestServer, token: &str, body: Value) -> (StatusCode, Value) {
    s.send(Method::POST, token, "/api/v1/shares", Some(&body))
        .await
}

async fn public(s: &TestServer, path: &str) -> (StatusCode, String) {
    let res = s.http.get(s.url(path)).send().await.expect("get");
    (res.status(), res.text().await.unwrap_or_default())
}

/// A site `B` with a complaint of its own beside `SL`'s, and a supervisor of each.
async fn two_sites() -> (TestServer, String, String) {
    let s = start().await;
    let admin = s.admin().await;
    s.site("B", "二期").await;
    let staff_sl = s.user_at("staff_sl", "staff", None, &["SL"]).await;
    let staff_b = s.user_at("staff_b", "staff", None, &["B"]).await;
    let sup = s.user_at("sup_sl", "supervisor", None, &["SL"]).await;
    let d = device();
    let mut a = created("staff_sl", d, "一期电梯 13800000001 张先生", t2026());
    if let EventKind::Created(n) = &mut a.kind {
        n.complainant.name = Some("张先生".into());
        n.complainant.phone = Some("13800000001".into());
        n.complainant.unit = Some("1-1201".into());
    }
    assert!(rejection(&s.push(&staff_sl, &[a]).await.results[0].result).is_none());
    let mut b = created("staff_b", device(), "二期漏水", t2026());
    if let EventKind::Created(n) = &mut b.kind {
        n.site = "B".into();
    }
    assert!(rejection(&s.push(&staff_b, &[b]).await.results[0].result).is_none());
    (s, sup, admin)
}

#[tokio::test]
async fn a_link_reaches_its_own_report_only_and_nothing_personal() {
    let (s, sup, _) = two_sites().await;
    let (st, body) = share(
        &s,
        &sup,
        json!({"from": "2026-01", "to": "2027-01", "period": "quarter", "label": "业委会季度报告"}),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let created: ShareCreated = serde_json::from_value(body).expect("share answer");
    assert_eq!(created.token.len(), 64, "256 random bits as hex");
    assert!(
        created.url.ends_with(&format!("/r/{}", created.token)),
        "{}",
        created.url
    );
    let day = 86_400_000;
    let now = s.state.clock.now().millis();
    assert!(
        (created.expires_at.millis() - now - 30 * day).abs() < 5_000,
        "30 days by default"
    );

    let (st, text) = public(&s, &format!("/api/v1/shared/{}", created.token)).await;
    assert_eq!(st, StatusCode::OK, "{text}");
    let shared: SharedReport = serde_json::from_str(&text).expect("shared report");
    assert_eq!(shared.label, "业委会季度报告");
    assert_eq!(shared.report.total.count, 1, "only the creator's site SL");
    assert_eq!(shared.report.by_site.len(), 1);
    assert!(shared.report.by_period.iter().all(|b| b.key.contains("-Q")));
    for secret in ["张先生", "13800000001", "1-1201", "一期电梯", "二期漏水"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    // Query parameters cannot widen it: other site, other months, other period.
    let (_, wide) = public(
        &s,
        &format!(
            "/api/v1/shared/{}?site=B&from=2000-01&to=2099-01&period=year",
            created.token
        ),
    )
    .await;
    let wide: SharedReport = serde_json::from_str(&wide).expect("shared report");
    assert_eq!(wide.report.total.count, 1);
    assert_eq!(wide.report.from, shared.report.from);

    // The page: no login, the report's numbers, nothing personal, its own strict policy.
    let res = s
        .http
        .get(s.url(&format!("/r/{}", created.token)))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("业委会季度报告") && page.contains("<svg"),
        "{page}"
    );
    for secret in ["张先生", "13800000001", "1-1201", "一期电梯"] {
        assert!(!page.contains(secret), "{secret} on the page");
    }
    let (st, en) = public(&s, &format!("/r/{}?lang=en", created.token)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(en.contains("Closure rate") && en.contains("lang=\"en\""));

    // Opening is counted.
    let (_, list) = s.get(&sup, "/api/v1/shares").await;
    assert_eq!(list[0]["open_count"], 4, "{list}");
    assert!(list[0]["last_opened_at"].is_number());
    assert!(
        list[0].get("token").is_none(),
        "the token is shown once only"
    );
}

#[tokio::test]
async fn links_are_scoped_hashed_expire_and_can_be_revoked() {
    let (s, sup, admin) = two_sites().await;
    // Another site's report is not the supervisor's to share.
    let (st, body) = share(
        &s,
        &sup,
        json!({"site": "B", "from": "2026-01", "to": "2026-07", "period": "month"}),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    let staff = s.login("staff_sl", STAFF_PW).await;
    let (st, _) = share(
        &s,
        &staff,
        json!({"from": "2026-01", "to": "2026-07", "period": "month"}),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    for bad in [
        json!({"from": "2026-07", "to": "2026-01", "period": "month"}),
        json!({"from": "2026-1-5", "to": "2026-07", "period": "month"}),
    ] {
        let (st, body) = share(&s, &sup, bad).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    }
    for days in [0, 366] {
        let (st, body) = share(
            &s,
            &sup,
            json!({"from": "2026-01", "to": "2026-07", "period": "month", "expires_in_days": days}),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (st, body) = share(&s, &sup, json!({"site": "SL", "from": "2026-01", "to": "2026-07", "period": "month", "expires_in_days": 2})).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let link: ShareCreated = serde_json::from_value(body).expect("share");

    // Stored hashed: the database never holds the token (SQLite: not a byte of its files).
    let token = link.token.as_bytes();
    let stored = s
        .db_strings("SELECT id, token_hash, label FROM shares")
        .await
        .concat()
        .join("|");
    assert!(stored.contains(&link.id), "the link is stored");
    assert!(!stored.contains(&link.token), "token stored in clear");
    if s.state.config.database_url.is_none() {
        let db = std::fs::read(s.dir.path().join("data").join("siteline.db")).unwrap_or_default();
        let wal =
            std::fs::read(s.dir.path().join("data").join("siteline.db-wal")).unwrap_or_default();
        for bytes in [&db, &wal] {
            assert!(
                !bytes.windows(token.len()).any(|w| w == token),
                "token stored in clear"
            );
        }
        assert!(!db.is_empty() || !wal.is_empty(), "the database was read");
    }

    // Unknown and malformed tokens: 404, as JSON on the API and as a page.
    let (st, _) = public(&s, &format!("/api/v1/shared/{}", "0".repeat(64))).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = public(&s, "/api/v1/shared/nope.csv").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, page) = public(&s, "/r/nope").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(page.contains("No such report link"));

    // Expiry: 410 with a page in both languages.
    s.state.clock.advance(3 * 86_400_000);
    let (st, text) = public(&s, &format!("/api/v1/shared/{}", link.token)).await;
    assert_eq!(st, StatusCode::GONE, "{text}");
    let (st, page) = public(&s, &format!("/r/{}", link.token)).await;
    assert_eq!(st, StatusCode::GONE);
    assert!(page.contains("已失效") && page.contains("no longer valid"));

    // Revocation: by the creator (someone else's is not found), then 410.
    let (_, body) = share(
        &s,
        &sup,
        json!({"from": "2026-01", "to": "2026-07", "period": "month"}),
    )
    .await;
    let live: ShareCreated = serde_json::from_value(body).expect("share");
    let other = s.user_at("sup_other", "supervisor", None, &["SL"]).await;
    let path = format!("/api/v1/shares/{}", live.id);
    let (st, _) = s.send(Method::DELETE, &other, &path, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = s.send(Method::DELETE, &sup, &path, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = public(&s, &format!("/api/v1/shared/{}.xlsx", live.token)).await;
    assert_eq!(st, StatusCode::GONE);
    let (_, list) = s.get(&sup, "/api/v1/shares").await;
    assert!(list.as_array().is_some_and(|l| l
        .iter()
        .any(|x| x["id"] == live.id.as_str() && x["revoked_at"].is_number())));

    // A link of a supervisor who is disabled stops working.
    let (_, body) = share(
        &s,
        &sup,
        json!({"from": "2026-01", "to": "2026-07", "period": "month"}),
    )
    .await;
    let third: ShareCreated = serde_json::from_value(body).expect("share");
    let (st, _) = public(&s, &format!("/api/v1/shared/{}", third.token)).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s
        .send(
            Method::PATCH,
            &admin,
            "/api/v1/users/sup_sl",
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = public(&s, &format!("/api/v1/shared/{}", third.token)).await;
    assert_eq!(st, StatusCode::GONE);
}
