//! Auth: login, bearer tokens (missing, wrong, expired, revoked), user administration, first start.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn login_raw(s: &TestServer, username: &str, password: &str) -> (StatusCode, Value) {
    let res = s
        .http
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login");
    let status = res.status();
    (status, res.json().await.expect("json"))
}

#[tokio::test]
async fn login_me_logout() {
    let s = start().await;
    let (status, body) = login_raw(&s, "admin", ADMIN_PW).await;
    assert_eq!(status, StatusCode::OK);
    let token = body["token"].as_str().expect("token");
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(body["user"]["username"], "admin");
    assert_eq!(body["user"]["role"], "admin");
    assert!(body["expires_at"].as_i64().expect("expires_at") > 0);

    let (status, me) = s.get(token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "admin");

    let res = s
        .http
        .post(s.url("/api/v1/auth/logout"))
        .bearer_auth(token)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (status, body) = s.get(token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), "unauthorized");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let s = start().await;
    let (s1, b1) = login_raw(&s, "admin", "wrong-password").await;
    let (s2, b2) = login_raw(&s, "nobody", "wrong-password").await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!(s2, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&b1), "invalid_credentials");
    assert_eq!(b1, b2);
    // Capitalised by the tablet keyboard: still the same user.
    let (status, _) = login_raw(&s, "Admin", ADMIN_PW).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn missing_or_bad_token_is_unauthorized() {
    let s = start().await;
    let res = s
        .http
        .get(s.url("/api/v1/auth/me"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.expect("json");
    assert_eq!(error_code(&body), "unauthorized");
    let (status, body) = s.get("0".repeat(64).as_str(), "/api/v1/sync/pull").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), "unauthorized");
    let res = s
        .http
        .get(s.url("/api/v1/complaints"))
        .header("authorization", "Basic YWRtaW46eA==")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_token_says_so() {
    let s = start_with(|c| c.token_ttl_secs = 0).await;
    let token = s.admin().await;
    let (status, body) = s.get(&token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), "token_expired");
}

#[tokio::test]
async fn only_admins_manage_users() {
    let s = start().await;
    let admin = s.admin().await;
    let create = |token: String, body: Value| {
        let req = s
            .http
            .post(s.url("/api/v1/users"))
            .bearer_auth(token)
            .json(&body);
        async move {
            let res = req.send().await.expect("create");
            let status = res.status();
            (status, res.json::<Value>().await.expect("json"))
        }
    };
    let li = json!({ "username": "li", "password": "long-enough", "role": "supervisor", "display_name": "李主管", "sites": ["SL"] });
    let (status, body) = create(admin.clone(), li.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body,
        json!({ "username": "li", "display_name": "李主管", "role": "supervisor", "department": null,
                "sites": ["SL"], "disabled": false })
    );
    let (status, body) = create(admin.clone(), li).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "conflict");
    for bad in [
        json!({ "username": "A", "password": "long-enough", "role": "staff" }),
        json!({ "username": "wang", "password": "short", "role": "staff" }),
        json!({ "username": "wang", "password": "long-enough", "role": "boss" }),
        json!({ "username": "wang", "password": "long-enough", "role": "handler" }),
        json!({ "username": "wang", "password": "long-enough", "role": "handler", "department": "plumbing" }),
        json!({ "username": "wang", "password": "long-enough", "role": "staff", "department": "nope" }),
    ] {
        let (status, body) = create(admin.clone(), bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_code(&body), "validation");
    }
    let (status, body) = create(
        admin.clone(),
        json!({ "username": "wang", "password": "long-enough", "role": "handler", "department": "engineering", "display_name": "王工", "sites": ["SL"] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["department"], "engineering");
    let wang = s.login("wang", "long-enough").await;
    let (_, me) = s.get(&wang, "/api/v1/auth/me").await;
    assert_eq!(me["role"], "handler");
    assert_eq!(me["department"], "engineering");
    let li_token = s.login("li", "long-enough").await;
    let (status, body) = create(
        li_token.clone(),
        json!({ "username": "x1", "password": "long-enough", "role": "staff" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "forbidden");
    let (status, _) = s.get(&li_token, "/api/v1/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = s.get(&admin, "/api/v1/users").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names, vec!["admin", "li", "wang"]);
    assert_eq!(list[2]["department"], "engineering");
    assert_eq!(list[1]["department"], Value::Null);
}

#[tokio::test]
async fn first_start_generates_a_password_once() {
    let s = start_with(|c| c.admin_password = None).await;
    assert_eq!(s.created_users.len(), 1);
    let admin = &s.created_users[0];
    assert_eq!(admin.username, "admin");
    let pw = admin.generated_password.clone().expect("generated");
    assert_eq!(pw.chars().count(), 16);
    s.login("admin", &pw).await;
    let (status, _) = login_raw(&s, "admin", ADMIN_PW).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "no fixed default password"
    );
}

#[tokio::test]
async fn demo_start_seeds_site_locations_and_users() {
    let s = start_with(|c| c.demo = true).await;
    let users: Vec<&str> = s
        .created_users
        .iter()
        .map(|u| u.username.as_str())
        .collect();
    assert_eq!(users, vec!["admin", "staff", "supervisor", "engineer"]);
    let staff_pw = s.created_users[1]
        .generated_password
        .clone()
        .expect("generated");
    let token = s.login("staff", &staff_pw).await;
    let (status, me) = s.get(&token, "/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        me,
        json!({ "username": "staff", "display_name": "张三", "role": "staff", "department": null,
                "sites": ["DEMO"], "disabled": false })
    );
    let engineer_pw = s.created_users[3]
        .generated_password
        .clone()
        .expect("generated");
    let engineer = s.login("engineer", &engineer_pw).await;
    let (_, me) = s.get(&engineer, "/api/v1/auth/me").await;
    assert_eq!(
        me,
        json!({ "username": "engineer", "display_name": "王工", "role": "handler",
                "department": "engineering", "sites": ["DEMO"], "disabled": false })
    );
    let (status, sites) = s.get(&token, "/api/v1/sites").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sites[0]["code"], "DEMO");
    assert_eq!(sites[0]["name"], "示例花园");
    let locs: Vec<&str> = sites[0]["locations"]
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(locs.contains(&"1栋 › 3F 电梯厅"), "{locs:?}");
    assert!(locs.contains(&"B2 停车场"), "{locs:?}");
    s.push(&token, &[created("staff", device(), "车位被占", t2026())])
        .await;
    let (_, list) = s.get(&token, "/api/v1/complaints").await;
    assert_eq!(list[0]["number"], "DEMO-2026-000001");
}
