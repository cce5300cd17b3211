//! The tablet in the car park (1280×800, offline): a typical complaint in at most 8 taps, the
//! next one at the same place in 5, a toast with the reply time to tell the owner; the same
//! screens in English; portrait, and a 390 px phone, with no horizontal scrolling. Screenshots
//! of each screen go to `target/e2e-screens/`, with the supervisor's board and reports at the same size.

use serde_json::json;
use siteline_e2e::{Browser, TestServer, DETAIL};
use std::cell::Cell;
use std::time::Duration;

const STAFF: (&str, &str) = ("staff1", "staff1-e2e-pass");
const SUPERVISOR: (&str, &str) = ("sup1", "sup1-e2e-pass");
const T: Duration = Duration::from_secs(45);

/// Taps (clicks and field focus) as the user makes them, counted.
struct Taps<'a> {
    b: &'a Browser,
    n: Cell<usize>,
}

impl Taps<'_> {
    async fn tap(&self, css: &str) {
        self.n.set(self.n.get() + 1);
        self.b.click(css).await;
    }

    /// One tap into a field, then typing (or dictating) its text.
    async fn type_into(&self, name: &str, text: &str) {
        self.tap(&format!("[name=\"{name}\"]")).await;
        self.b.fill(name, text).await;
    }

    fn take(&self) -> usize {
        self.n.replace(0)
    }
}

async fn shot(b: &Browser, name: &str) {
    b.save_screen(name).await
}

/// The page is no wider than the window (no horizontal scrolling).
async fn fits(b: &Browser, what: &str) {
    let v = b
        .js(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("measuring {what}: {e}"));
    let (scroll, inner) = (v[0].as_i64().unwrap_or(-1), v[1].as_i64().unwrap_or(0));
    assert!(
        scroll <= inner,
        "{what}: {scroll} px wide in a {inner} px window"
    );
}

async fn field(b: &Browser, name: &str) -> String {
    b.text(&format!("dd[data-field=\"{name}\"]")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typical_complaint_offline_on_a_tablet_takes_at_most_eight_taps() {
    let mut server = TestServer::launch().await;
    // A site with its tree: buildings and the car park.
    let admin = server.admin_token().await;
    let tree = json!([
        { "name": "1栋", "children": ["1F 大堂", "3F 电梯厅"] },
        { "name": "B2 停车场", "children": ["A区", "B区", "充电桩"] },
    ]);
    server
        .post_json(
            "/api/v1/sites",
            &admin,
            json!({ "code": "HY", "name": "华苑小区", "locations": tree }),
        )
        .await;
    server
        .create_user_at(STAFF.0, STAFF.1, "staff", &["HY"])
        .await;
    let base = server.base_url().to_string();
    let b = Browser::launch("tablet_intake").await;
    b.set_window(1280, 800).await;
    b.log_in(&base, STAFF.0, STAFF.1).await;
    b.wait_offline_ready(Duration::from_secs(60)).await;
    // The site's tree arrives with the sites; then the car park has no signal.
    b.goto(&format!("{base}/new")).await;
    b.wait_present(
        "[data-testid=\"site-tree\"] [data-location=\"B2 停车场\"]",
        T,
    )
    .await;
    b.goto(&format!("{base}/")).await;
    server.stop().await;
    b.wait_present("[data-testid=\"pending-count\"]", T).await;

    let taps = Taps {
        b: &b,
        n: Cell::new(0),
    };
    // 1. A first complaint: the place from the site's tree, the category from its group.
    taps.tap("header.top a[href=\"/new\"]").await;
    b.wait_path("/new", T).await;
    taps.tap("[data-testid=\"site-tree\"] [data-location=\"B2 停车场\"]")
        .await;
    taps.tap("[data-testid=\"site-tree\"] [data-location=\"B2 停车场 › A区\"]")
        .await;
    taps.tap("[data-field=\"category\"] [data-top=\"facility\"]")
        .await;
    taps.tap("[data-field=\"category\"] .subs [data-code=\"facility.parking\"]")
        .await;
    taps.type_into("description", "A区 23 号车位上方消防管滴水，车顶有水渍")
        .await;
    taps.type_into("complainant_phone", "13800138000").await;
    shot(&b, "intake-zh-tablet").await;
    taps.tap("[data-testid=\"save-complaint\"]").await;
    let first = taps.take();
    assert!(first <= 8, "a typical complaint took {first} taps");
    b.wait_present(DETAIL, T).await;
    assert_eq!(field(&b, "location").await, "B2 停车场 › A区");
    assert_eq!(
        b.text(&format!("{DETAIL} .sev-minor")).await,
        "轻微",
        "severity defaults to 轻微"
    );
    let number = b.text("[data-testid=\"number\"]").await;
    assert!(
        number.ends_with("-0001"),
        "the device's first record is number 1: {number}"
    );
    assert_eq!(
        field(&b, "channel").await,
        "来访",
        "channel defaults to 来访 on a walk"
    );
    let toast = b.text("[data-testid=\"toast\"]").await;
    assert!(
        toast.contains("已保存在本机，待同步") && toast.contains("请告知投诉人答复时间"),
        "toast: {toast:?}"
    );
    shot(&b, "detail-zh-tablet").await;

    // 2. The next one at the same place: recent place and usual category are one tap each.
    taps.tap("header.top a[href=\"/new\"]").await;
    b.wait_path("/new", T).await;
    taps.tap("[data-testid=\"recent-places\"] [data-location=\"B2 停车场 › A区\"]")
        .await;
    taps.tap("[data-testid=\"usual-categories\"] [data-code=\"facility.parking\"]")
        .await;
    taps.type_into("description", "A区出口道闸抬杆慢").await;
    taps.tap("[data-testid=\"save-complaint\"]").await;
    let second = taps.take();
    assert!(second <= 5, "the second complaint took {second} taps");
    b.wait_present(DETAIL, T).await;
    assert_eq!(field(&b, "category").await, "设备设施 › 停车");
    b.wait_pending(2, T).await;
    let words = b.text("[data-testid=\"sync-words\"]").await;
    assert_eq!(words, "离线：2 条记录已存本机，有网后自动发送");

    // 3. The same screens in English.
    b.click("[data-testid=\"lang-toggle\"]").await;
    b.goto(&format!("{base}/new")).await;
    b.wait_for(
        || async {
            let label = b.try_text("#category-label").await?;
            if label.starts_with("Category") {
                Ok(())
            } else {
                Err(format!("category label {label:?}"))
            }
        },
        T,
        "the intake form in English",
    )
    .await;
    shot(&b, "intake-en-tablet").await;
    b.goto(&format!("{base}/")).await;
    b.wait_present("[data-testid=\"pending-count\"]", T).await;
    shot(&b, "list-en-tablet").await;

    // 4. Portrait tablet and a phone: nothing wider than the screen.
    for (w, h, name) in [(800, 1280, "portrait"), (390, 844, "phone")] {
        b.set_window(w, h).await;
        for (path, page) in [("/new", "intake"), ("/", "list"), ("/status", "status")] {
            b.goto(&format!("{base}{path}")).await;
            b.wait_present("[data-testid=\"pending-count\"]", T).await;
            fits(&b, &format!("{page} at {w}×{h}")).await;
            shot(&b, &format!("{page}-en-{name}")).await;
        }
    }

    // 5. The supervisor's screens on the same tablet size, online, with this complaint on them.
    server.start().await;
    b.wait_pending(0, Duration::from_secs(90)).await;
    server
        .create_user_at(SUPERVISOR.0, SUPERVISOR.1, "supervisor", &["HY"])
        .await;
    let sup = Browser::launch("tablet_supervisor").await;
    sup.set_window(1280, 800).await;
    sup.log_in(&base, SUPERVISOR.0, SUPERVISOR.1).await;
    sup.goto(&format!("{base}/board")).await;
    sup.wait_present("[data-testid=\"complaint-card\"]", T)
        .await;
    fits(&sup, "board at 1280×800").await;
    shot(&sup, "board-zh-tablet").await;
    sup.goto(&format!("{base}/reports")).await;
    sup.wait_present("[data-testid=\"kpi\"]", T).await;
    fits(&sup, "reports at 1280×800").await;
    shot(&sup, "reports-zh-tablet").await;
}
