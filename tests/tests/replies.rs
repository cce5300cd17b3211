//! `/replies` in the browser: a supervisor adds a 答复 and a 回访 template, edits one and deletes
//! the other (after the in-page confirm), a bad one is refused on the page; the server agrees at
//! each step, and the page is in English too.

use serde_json::Value;
use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);
const SUP: (&str, &str) = ("sup1", "sup1-e2e-pass");

/// Waits until the server's templates of site SL satisfy `check`.
async fn server_has(
    t: &Browser,
    server: &TestServer,
    token: &str,
    what: &str,
    check: fn(&Value) -> bool,
) {
    t.wait_for(
        || async {
            let list = server.get_json("/api/v1/sites/SL/replies", token).await;
            if check(&list) {
                Ok(())
            } else {
                Err(format!("templates are {list}"))
            }
        },
        T,
        what,
    )
    .await
}

async fn rows(t: &Browser) -> usize {
    t.attrs("[data-testid=\"template-row\"]", "data-testid")
        .await
        .map_or(0, |v| v.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_manages_the_sites_reply_templates() {
    let server = TestServer::launch().await;
    server.create_user(SUP.0, SUP.1, "supervisor").await;
    let token = server.login(SUP.0, SUP.1).await;
    let base = server.base_url().to_string();
    let t = Browser::launch("replies").await;
    t.log_in(&base, SUP.0, SUP.1).await;
    t.wait_present("[data-testid=\"open-replies\"]", T).await;
    t.click("[data-testid=\"open-replies\"]").await;
    t.wait_present("[data-testid=\"template-add\"]", T).await;

    // A text that is only spaces is refused on the page, tied to the field.
    t.fill("text", "   ").await;
    t.click("[data-testid=\"template-add\"] button[type=submit]")
        .await;
    t.wait_text("#template-error", "请填写内容", T).await;

    t.fill("title", "已派维修").await;
    t.fill("text", "您好，{位置}的问题已安排维修师傅处理。")
        .await;
    t.click("[data-testid=\"template-add\"] button[type=submit]")
        .await;
    server_has(&t, &server, &token, "the reply template", |l| {
        l[0]["title"] == "已派维修" && l[0]["step"] == "reply"
    })
    .await;
    t.click("[data-testid=\"template-add\"] [data-step=\"follow_up\"]")
        .await;
    t.fill("text", "回访：业主表示满意").await;
    t.click("[data-testid=\"template-add\"] button[type=submit]")
        .await;
    server_has(&t, &server, &token, "the follow-up template", |l| {
        l[1]["step"] == "follow_up" && l[1]["title"] == "回访：业主表示满意"
    })
    .await;
    t.wait_for(
        || async {
            if rows(&t).await == 2 {
                Ok(())
            } else {
                Err("rows".to_string())
            }
        },
        T,
        "two rows on the page",
    )
    .await;
    let followups = t.text("ul[data-step=\"follow_up\"]").await;
    assert!(followups.contains("业主表示满意"), "{followups}");

    // Edit the first, delete the second.
    t.click("[data-testid=\"template-edit\"]").await;
    t.wait_present("[data-testid=\"template-editor\"]", T).await;
    t.fill("title", "已修好").await;
    t.click("[data-testid=\"template-editor\"] button[type=submit]")
        .await;
    server_has(&t, &server, &token, "the edit", |l| {
        l[0]["title"] == "已修好"
    })
    .await;
    t.click("ul[data-step=\"follow_up\"] [data-testid=\"template-delete\"]")
        .await;
    t.wait_present("[data-testid=\"confirm-discard\"]", T).await;
    t.click("[data-testid=\"confirm-discard\"]").await;
    server_has(&t, &server, &token, "the deletion", |l| {
        l.as_array().map(Vec::len) == Some(1)
    })
    .await;
    t.wait_for(
        || async {
            let text = t.try_text("ul[data-step=\"reply\"]").await?;
            if text.contains("已修好") && rows(&t).await == 1 {
                Ok(())
            } else {
                Err(text)
            }
        },
        T,
        "the page shows the edit and the deletion",
    )
    .await;

    t.set_window(1280, 800).await;
    t.save_screen("replies-zh").await;

    // The same page in English.
    t.click("[data-testid=\"lang-toggle\"]").await;
    t.wait_text("[data-testid=\"replies-page\"] h2", "Reply templates", T)
        .await;
    let page = t.text("[data-testid=\"replies-page\"]").await;
    assert!(
        page.contains("Follow-up") && page.contains("No templates yet"),
        "{page}"
    );
    t.save_screen("replies-en").await;
}
