//! The whole lifecycle of the procedures in the browser, partly offline: 受理 → 派单 → 签收 → 处理中 →
//! 已处理 (offline) → 已答复 → 回访 不满意 (reopens) → … → 回访 满意 → 已完结, then the printable 通知单;
//! the first 答复 and 回访 are written from the site's 常用答复.

use siteline_e2e::{Browser, NewComplaint, TestServer};
use std::time::Duration;

const STAFF: (&str, &str) = ("staff1", "staff1-e2e-pass");
const HANDLER: (&str, &str) = ("eng1", "eng1-e2e-pass");
const T: Duration = Duration::from_secs(45);

/// Clicks an action button, fills its form and submits it.
async fn act(b: &Browser, code: &str, fields: &[(&str, &str)], selects: &[(&str, &str)]) {
    b.wait_present(&format!("[data-testid=\"action-{code}\"]"), T)
        .await;
    b.click(&format!("[data-testid=\"action-{code}\"]")).await;
    for (name, value) in selects {
        b.select(name, value).await;
    }
    for (name, value) in fields {
        b.fill(name, value).await;
    }
    b.click("[data-testid=\"action-submit\"]").await;
}

/// Waits until the detail page shows `status`, pressing "sync now" while waiting.
async fn wait_status(b: &Browser, status: &str) {
    let css = format!("[data-testid=\"status\"][data-status=\"{status}\"]");
    let what = format!("status {status}");
    b.wait_for(
        || async {
            if b.try_text(&css).await.is_ok() {
                return Ok(());
            }
            let _ = b
                .js(
                    "document.querySelector('[data-testid=\"sync-now\"]')?.click()",
                    vec![],
                )
                .await;
            Err(format!(
                "status is {:?}",
                b.attrs("[data-testid=\"status\"]", "data-status").await
            ))
        },
        T,
        &what,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_goes_through_the_whole_lifecycle_partly_offline_and_prints_its_notice() {
    let mut server = TestServer::launch().await;
    server.create_user(STAFF.0, STAFF.1, "staff").await;
    server
        .create_user_in(HANDLER.0, HANDLER.1, "handler", Some("engineering"))
        .await;
    let base = server.base_url().to_string();
    // 常用答复 of the site, made before the staff's tablet fetches its site data.
    let admin = server.admin_token().await;
    for (step, title, text) in [
        ("reply", "已更换", "{位置}的水管已更换，请查看（{编号}）"),
        ("follow_up", "仍有问题", "业主反映仍有渗水"),
    ] {
        let body = serde_json::json!({ "step": step, "title": title, "text": text });
        let t = server
            .post_json("/api/v1/sites/SL/replies", &admin, body)
            .await;
        assert_eq!(t["step"], step, "{t}");
    }

    // 受理: staff records it online and gets the canonical number.
    let staff = Browser::launch("lifecycle-staff").await;
    staff.log_in(&base, STAFF.0, STAFF.1).await;
    let id = staff
        .create_complaint(&base, &NewComplaint::sample(1))
        .await;
    let detail = format!("{base}/complaints/{id}");
    staff
        .wait_present("[data-testid=\"number\"][data-provisional=\"false\"]", T)
        .await;
    let number = staff.text("[data-testid=\"number\"]").await;
    assert!(
        number.contains("-2026-") || number.contains("-20"),
        "canonical number, got {number:?}"
    );

    // 派单 to engineering: the 10-minute dispatch limit is met.
    act(
        &staff,
        "dispatched",
        &[("instructions", "请工程部今天到场")],
        &[("department", "engineering")],
    )
    .await;
    wait_status(&staff, "dispatched").await;
    staff
        .wait_present(
            "[data-testid=\"deadline\"][data-kind=\"dispatch\"][data-state=\"met\"]",
            T,
        )
        .await;

    // The engineering handler sees it, then works offline in the basement.
    let mut handler = Browser::launch("lifecycle-handler").await;
    handler.log_in(&base, HANDLER.0, HANDLER.1).await;
    handler.wait_offline_ready(Duration::from_secs(60)).await;
    handler.goto(&detail).await;
    wait_status(&handler, "dispatched").await;
    server.stop().await;
    act(&handler, "accepted", &[], &[]).await;
    wait_status(&handler, "accepted").await;
    act(&handler, "started", &[], &[]).await;
    wait_status(&handler, "in_progress").await;
    act(
        &handler,
        "handled",
        &[
            ("remedial", "更换破裂水管"),
            ("corrective", "每月检查B2管道"),
        ],
        &[],
    )
    .await;
    wait_status(&handler, "handled").await;
    let pending = handler.text("[data-testid=\"pending-count\"]").await;
    assert_eq!(pending, "1", "three offline events on one record");

    // Back online: the handler's work reaches the desk.
    server.start().await;
    handler.wait_pending(0, Duration::from_secs(90)).await;
    staff.goto(&detail).await;
    wait_status(&staff, "handled").await;

    // 答复 from the site's template (filled for this complaint), then 回访 不满意 (also from a
    // template) reopens it to the department.
    staff
        .wait_present("[data-testid=\"action-replied\"]", T)
        .await;
    staff.click("[data-testid=\"action-replied\"]").await;
    staff
        .wait_present("[data-testid=\"reply-template\"]", T)
        .await;
    assert_eq!(
        staff.text("[data-testid=\"reply-template\"]").await,
        "已更换"
    );
    staff.click("[data-testid=\"reply-template\"]").await;
    staff.save_screen("detail-reply-template").await;
    let filled = staff.value("content").await;
    let place = NewComplaint::sample(1).location;
    assert_eq!(
        filled,
        format!("{place}的水管已更换，请查看（{number}）"),
        "placeholders filled"
    );
    staff.click("[data-testid=\"action-submit\"]").await;
    wait_status(&staff, "replied").await;
    staff
        .wait_present("[data-testid=\"action-followed_up\"]", T)
        .await;
    staff.click("[data-testid=\"action-followed_up\"]").await;
    staff.select("satisfaction", "unsatisfied").await;
    staff.fill("note", "电话回访：").await;
    staff
        .wait_present("[data-testid=\"reply-template\"]", T)
        .await;
    staff.click("[data-testid=\"reply-template\"]").await;
    assert_eq!(
        staff.value("note").await,
        "电话回访：\n业主反映仍有渗水",
        "the template is added to what was typed"
    );
    staff.click("[data-testid=\"action-submit\"]").await;
    wait_status(&staff, "dispatched").await;

    // The department fixes it again.
    handler.goto(&detail).await;
    wait_status(&handler, "dispatched").await;
    act(&handler, "accepted", &[], &[]).await;
    wait_status(&handler, "accepted").await;
    act(
        &handler,
        "handled",
        &[("remedial", "重新密封接口"), ("corrective", "更换供应商")],
        &[],
    )
    .await;
    wait_status(&handler, "handled").await;

    // 答复, 回访 满意, 已完结.
    staff.goto(&detail).await;
    wait_status(&staff, "handled").await;
    act(&staff, "replied", &[("content", "已重新处理")], &[]).await;
    wait_status(&staff, "replied").await;
    act(
        &staff,
        "followed_up",
        &[("note", "业主满意")],
        &[("satisfaction", "satisfied")],
    )
    .await;
    wait_status(&staff, "followed_up").await;
    act(&staff, "closed", &[("summary", "两次处理后解决")], &[]).await;
    wait_status(&staff, "closed").await;
    staff.wait_pending(0, T).await;

    // The timeline shows every step.
    let kinds: Vec<String> = staff
        .attrs("[data-testid=\"timeline-item\"]", "data-kind")
        .await
        .expect("timeline")
        .into_iter()
        .flatten()
        .collect();
    for k in [
        "created",
        "number_assigned",
        "dispatched",
        "accepted",
        "started",
        "handled",
        "replied",
        "followed_up",
        "closed",
    ] {
        assert!(
            kinds.iter().any(|x| x == k),
            "timeline lacks {k}: {kinds:?}"
        );
    }
    assert_eq!(
        kinds.iter().filter(|k| *k == "handled").count(),
        2,
        "{kinds:?}"
    );

    // The server agrees.
    let token = server.login(STAFF.0, STAFF.1).await;
    let d = server
        .get_json(&format!("/api/v1/complaints/{id}"), &token)
        .await;
    assert_eq!(d["status"], "closed", "{d}");
    assert_eq!(d["number"].as_str(), Some(number.as_str()));
    assert_eq!(d["state"]["reopen_count"], 1);
    assert_eq!(d["state"]["remedial"], "重新密封接口");
    let dispatch = d["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|x| x["kind"] == "dispatch")
        .cloned();
    assert_eq!(
        dispatch.map(|x| x["state"].clone()),
        Some(serde_json::json!("met"))
    );

    // The printable 通知单 carries the number, the register fields and signature lines.
    staff.goto(&format!("{detail}/notice")).await;
    staff.wait_present("[data-testid=\"notice\"]", T).await;
    let notice = staff.text("[data-testid=\"notice\"]").await;
    for want in [
        number.as_str(),
        "投诉处理通知单",
        "地下车库B2漏水",
        "更换供应商",
        "签收",
    ] {
        assert!(notice.contains(want), "notice lacks {want:?}:\n{notice}");
    }
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&shots);
    staff
        .screenshot(&shots.join("notice.png"))
        .await
        .expect("screenshot of the notice");
    handler.close_session().await;
}
