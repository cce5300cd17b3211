//! 常用答复 over HTTP: a supervisor adds, edits and deletes a site's templates; devices get them
//! with `GET /api/v1/sites`; bad templates, full lists and other sites are refused.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use siteline_model::replies::{MAX_TEMPLATES, MAX_TEXT};

fn site_replies<'a>(sites: &'a Value, code: &str) -> &'a Value {
    let site = sites
        .as_array()
        .and_then(|a| a.iter().find(|s| s["code"] == code))
        .unwrap_or_else(|| panic!("no site {code} in {sites}"));
    &site["replies"]
}

#[tokio::test]
async fn a_supervisor_manages_templates_and_devices_receive_them() {
    let s = start().await;
    let sup = s.user("li", "supervisor").await;
    let staff = s.user("zhang", "staff").await;
    let url = "/api/v1/sites/SL/replies";
    let body = json!({ "step": "reply", "title": "已派维修",
                       "text": "您好，您反映的{位置}问题已安排维修师傅处理。" });
    let (status, added) = s.send(Method::POST, &sup, url, Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let id = added["id"].as_str().expect("id").to_string();
    assert_eq!(added["step"], "reply");
    assert_eq!(added["title"], "已派维修");
    let follow = json!({ "step": "follow_up", "title": "", "text": "  业主表示满意。 " });
    let (status, second) = s.send(Method::POST, &sup, url, Some(&follow)).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(
        second["title"], "业主表示满意。",
        "untitled: the text's start"
    );
    assert_eq!(second["text"], "业主表示满意。", "trimmed");

    // Staff read them (with the site, for offline use, and on their own) but may not change them.
    let (_, sites) = s.get(&staff, "/api/v1/sites").await;
    let listed = site_replies(&sites, "SL");
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    assert_eq!(listed[0]["id"], id.as_str());
    let (status, own) = s.get(&staff, url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&own, listed);
    let (status, err) = s.send(Method::POST, &staff, url, Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert_eq!(err["error"]["code"], "forbidden");

    let edited = json!({ "step": "reply", "title": "已修好", "text": "维修已完成，请您查看。" });
    let one = format!("{url}/{id}");
    let (status, changed) = s.send(Method::PUT, &sup, &one, Some(&edited)).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["id"], id.as_str());
    let (_, own) = s.get(&staff, url).await;
    assert_eq!(own[0]["title"], "已修好", "edited in its place");
    let (status, _) = s.send(Method::DELETE, &sup, &one, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, err) = s.send(Method::DELETE, &sup, &one, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    let (status, err) = s.send(Method::PUT, &sup, &one, Some(&edited)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    let (_, own) = s.get(&staff, url).await;
    assert_eq!(own.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn bad_templates_full_lists_and_other_sites_are_refused() {
    let s = start().await;
    s.site("B", "二期").await;
    let sup = s.user("li", "supervisor").await;
    let admin = s.admin().await;
    let url = "/api/v1/sites/SL/replies";
    let bad = [
        json!({ "step": "reply", "title": "x", "text": "  " }),
        json!({ "step": "reply", "title": "x", "text": "长".repeat(MAX_TEXT + 1) }),
        json!({ "step": "reply", "title": "太长的标题太长的标题太长的标题太长", "text": "x" }),
    ];
    for body in &bad {
        let (status, err) = s.send(Method::POST, &sup, url, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        assert_eq!(err["error"]["code"], "validation", "{err}");
    }
    let (status, err) = s
        .send(
            Method::POST,
            &sup,
            url,
            Some(&json!({ "step": "close", "text": "x" })),
        )
        .await;
    assert!(status.is_client_error(), "unknown step: {status} {err}");
    assert!(err["error"]["code"].is_string(), "{err}");

    // Another site is not found for its supervisor; an unknown site for anyone.
    let body = json!({ "step": "reply", "title": "", "text": "已处理" });
    for (token, path) in [
        (&sup, "/api/v1/sites/B/replies"),
        (&admin, "/api/v1/sites/NOPE/replies"),
    ] {
        let (status, err) = s.send(Method::POST, token, path, Some(&body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {err}");
        let (status, _) = s.get(token, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = s
        .send(Method::POST, &admin, "/api/v1/sites/B/replies", Some(&body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "admins manage every site");

    for i in 0..MAX_TEMPLATES {
        let (status, err) = s.send(Method::POST, &sup, url, Some(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "template {i}: {err}");
    }
    let (status, err) = s.send(Method::POST, &sup, url, Some(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&MAX_TEMPLATES.to_string())),
        "{err}"
    );
}
