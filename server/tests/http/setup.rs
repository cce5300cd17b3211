//! First run over HTTP: a new server says setup is needed; the admin names the default site,
//! adds its places (merged, never removed) and a first user; then it is not needed any more.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_new_server_is_set_up_by_its_admin() {
    let s = start().await;
    let admin = s.admin().await;
    let (status, first) = s.get(&admin, "/api/v1/setup").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["needed"], true, "{first}");
    assert_eq!(first["site"], "SL");
    assert_eq!(first["users"], 1);

    let body =
        json!({ "name": " 阳光花园 ", "add_locations": ["1栋 › 大堂", "1栋 › B2 停车场", "2栋"] });
    let (status, site) = s
        .send(Method::PATCH, &admin, "/api/v1/sites/SL", Some(&body))
        .await;
    assert_eq!(status, StatusCode::OK, "{site}");
    assert_eq!(site["name"], "阳光花园", "trimmed");
    assert!(
        site["locations"]
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x == "1栋 › B2 停车场")),
        "{site}"
    );
    let (_, status_now) = s.get(&admin, "/api/v1/setup").await;
    assert_eq!(status_now["needed"], false, "places exist: {status_now}");

    // Adding the same places again changes nothing; a bad name or unknown site is refused.
    let (_, again) = s
        .send(Method::PATCH, &admin, "/api/v1/sites/SL", Some(&body))
        .await;
    assert_eq!(again["locations"], site["locations"]);
    for (path, body, want) in [
        (
            "/api/v1/sites/SL",
            json!({ "name": "  " }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/sites/SL",
            json!({ "add_locations": ["a › "] }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/sites/SL",
            json!({ "nmae": "typo" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/sites/NOPE",
            json!({ "name": "x" }),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, err) = s.send(Method::PATCH, &admin, path, Some(&body)).await;
        assert_eq!(status, want, "{path} {body}: {err}");
        assert!(err["error"]["code"].is_string(), "{err}");
    }

    // Staff may neither ask nor change.
    let staff = s.user("zhang", "staff").await;
    let (status, _) = s.get(&staff, "/api/v1/setup").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s
        .send(
            Method::PATCH,
            &staff,
            "/api/v1/sites/SL",
            Some(&json!({ "name": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_first_user_also_ends_the_setup() {
    let s = start().await;
    let admin = s.admin().await;
    s.user("zhang", "staff").await;
    let (_, status) = s.get(&admin, "/api/v1/setup").await;
    assert_eq!(status["needed"], false, "{status}");
    assert_eq!(status["users"], 2);
}
