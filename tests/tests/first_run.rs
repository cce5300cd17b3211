//! First run of a new server in the browser (zh-CN): the admin is taken to `/setup` after logging
//! in, names the site and types its places, creates the first staff account and finishes; the
//! server agrees, and the new staff member sees the places as chips on the intake form.

use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_is_guided_through_site_and_people() {
    let server = TestServer::launch().await;
    server.create_user("boss", "boss-e2e-pass", "admin").await;
    let token = server.login("boss", "boss-e2e-pass").await;
    let base = server.base_url().to_string();
    let t = Browser::launch("first-run").await;
    t.goto(&format!("{base}/")).await;
    t.wait_path("/login", T).await;
    t.fill("username", "boss").await;
    t.fill("password", "boss-e2e-pass").await;
    t.click("button[type=\"submit\"]").await;
    t.wait_path("/setup", T).await;

    // ① The site: a name and its places; an empty list is refused on the page.
    t.wait_present("[data-testid=\"setup-site\"]", T).await;
    t.fill("site_name", "阳光花园").await;
    t.click("[data-testid=\"setup-next\"]").await;
    t.wait_text("#site_places-error", "请至少填写一个位置", T)
        .await;
    t.fill("site_places", "1栋 › 大堂\n1栋 > B2 停车场\n2栋")
        .await;
    t.click("[data-testid=\"setup-next\"]").await;

    // ② People: the site is ticked already.
    t.wait_present("[data-testid=\"new-user\"]", T).await;
    t.save_screen("setup-people").await;
    t.fill("new_username", "zhangsan").await;
    t.fill("new_display_name", "张三").await;
    t.fill("new_password_user", "zhangsan-e2e-pass").await;
    t.click("[data-testid=\"new-user\"] button[type=\"submit\"]")
        .await;
    t.wait_for(
        || async {
            let list = t.try_text("[data-testid=\"setup-users\"]").await?;
            if list.contains("张三") {
                Ok(())
            } else {
                Err(list)
            }
        },
        T,
        "the new user listed",
    )
    .await;
    t.click("[data-testid=\"setup-finish\"]").await;
    t.wait_present("[data-testid=\"setup-done\"]", T).await;
    let done = t.text("[data-testid=\"setup-done\"]").await;
    assert!(done.contains("阳光花园"), "{done}");

    // The server agrees.
    let sites = server.get_json("/api/v1/sites", &token).await;
    assert_eq!(sites[0]["name"], "阳光花园", "{sites}");
    let places = sites[0]["locations"].to_string();
    assert!(
        places.contains("1栋 › B2 停车场") && places.contains("2栋"),
        "{places}"
    );
    let users = server.get_json("/api/v1/users", &token).await;
    let zhang = users
        .as_array()
        .and_then(|u| u.iter().find(|u| u["username"] == "zhangsan"))
        .unwrap_or_else(|| panic!("no zhangsan in {users}"));
    assert_eq!(zhang["role"], "staff");
    assert_eq!(zhang["sites"], serde_json::json!(["SL"]), "{zhang}");
    let setup = server.get_json("/api/v1/setup", &token).await;
    assert_eq!(setup["needed"], false, "{setup}");

    // The new staff member finds the places on the intake form.
    let s = Browser::launch("first-run-staff").await;
    s.log_in(&base, "zhangsan", "zhangsan-e2e-pass").await;
    s.goto(&format!("{base}/new")).await;
    s.wait_for(
        || async {
            let form = s.try_text("form").await?;
            if form.contains("1栋") && form.contains("2栋") {
                Ok(())
            } else {
                Err(form)
            }
        },
        T,
        "the site's places on the intake form",
    )
    .await;
}
