//! Exports parsed back: the report as CSV (BOM, RFC 4180) and XLSX (a sheet per breakdown,
//! numbers as numbers, dates as dates) equals the JSON report; the register as CSV and XLSX
//! walks every page, keeps the list's filters and the reader's scope, and quotes hostile text.

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use siteline_model::report::Report;
use siteline_model::{Event, EventKind, Nature, Timestamp};
use std::io::Cursor;

async fn bytes(s: &TestServer, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (
        status,
        kind,
        res.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

fn csv_rows(body: &[u8]) -> Vec<Vec<String>> {
    assert!(body.starts_with("\u{feff}".as_bytes()), "a BOM first");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&body[3..]);
    r.records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// `n` complaints by `zhang` a minute apart; the first has a hostile description.
fn complaints(n: usize) -> Vec<Event> {
    let d = device();
    (0..n)
        .map(|i| {
            let at = Timestamp(t2026().millis() + i as i64 * 60_000);
            if i == 0 {
                // An enquiry: answered and closed at the desk.
                created_with("zhang", d, at, |c| {
                    c.description = "=HYPERLINK(\"x\"), 漏水\n第二行".into();
                    c.nature = Nature::Enquiry;
                })
            } else {
                created("zhang", d, &format!("投诉 {i}"), at)
            }
        })
        .collect()
}

#[tokio::test]
async fn the_report_as_csv_and_xlsx_equals_the_json_report() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let sup = s.user("li", "supervisor").await;
    let evs = complaints(3);
    let r = s.push(&staff, &evs).await;
    assert!(r.results.iter().all(|o| rejection(&o.result).is_none()));
    let q = "from=2026-01&to=2027-01&period=month&site=SL";
    let (_, body) = s.get(&sup, &format!("/api/v1/reports/summary?{q}")).await;
    let report: Report = serde_json::from_value(body).expect("report");

    let (st, kind, csv) = bytes(&s, &sup, &format!("/api/v1/reports/summary.csv?{q}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let rows = csv_rows(&csv);
    assert_eq!(rows[0][0], "维度");
    assert_eq!(rows[1][0], "合计");
    assert_eq!(rows[1][3], report.total.count.to_string());
    let categories = rows.iter().filter(|r| r[0] == "类别").count();
    assert_eq!(categories, report.by_category.len());

    let (st, kind, xlsx) = bytes(&s, &sup, &format!("/api/v1/reports/summary.xlsx?{q}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).expect("an xlsx file");
    let names = book.sheet_names();
    for want in [
        "说明",
        "合计",
        "类别",
        "部门",
        "项目",
        "级别",
        "渠道",
        "状态",
        "期间",
        "反复出现的问题",
    ] {
        assert!(names.iter().any(|n| n == want), "sheet {want} in {names:?}");
    }
    let total = book.worksheet_range("合计").expect("sheet");
    assert_eq!(
        total.get_value((1, 2)),
        Some(&Data::Float(report.total.count as f64))
    );
    let about = book.worksheet_range("说明").expect("sheet");
    assert!(
        matches!(about.get_value((4, 1)), Some(Data::DateTime(_))),
        "{:?}",
        about.get_value((4, 1))
    );

    // Same access as the JSON report.
    let (st, _, _) = bytes(&s, &staff, &format!("/api/v1/reports/summary.csv?{q}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_register_exports_every_page_with_the_lists_filters_and_scope() {
    let s = start().await;
    let staff = s.user("zhang", "staff").await;
    let n = 1_203; // more than one page of 1,000
    let evs = complaints(n);
    for chunk in evs.chunks(500) {
        let r = s.push(&staff, chunk).await;
        assert!(r.results.iter().all(|o| rejection(&o.result).is_none()));
    }
    let first = &evs[0];
    let reply = EventKind::Replied {
        content: "已答复".into(),
    };
    let close = EventKind::Closed {
        summary: "完结".into(),
    };
    let replied = then(first, first.device_id, "zhang", 2, 5, reply);
    let closed = then(first, first.device_id, "zhang", 3, 9, close);
    let r = s.push(&staff, &[replied, closed]).await;
    assert!(r.results.iter().all(|o| rejection(&o.result).is_none()));

    let (st, kind, body) = bytes(&s, &staff, "/api/v1/complaints.csv").await;
    assert_eq!(st, StatusCode::OK);
    assert!(kind.starts_with("text/csv"));
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), n + 1, "a header and every complaint");
    assert_eq!(rows[0][0], "编号");
    let hostile = rows
        .iter()
        .find(|r| r[10].contains("HYPERLINK"))
        .expect("the hostile row");
    assert_eq!(
        hostile[10], "'=HYPERLINK(\"x\"), 漏水\n第二行",
        "quoted, and text not a formula"
    );
    assert_eq!(hostile[8], "已完结");
    let numbers: std::collections::BTreeSet<&String> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(numbers.len(), n, "each complaint once");

    let (_, _, body) = bytes(&s, &staff, "/api/v1/complaints.csv?status=closed").await;
    assert_eq!(csv_rows(&body).len(), 2);
    let (_, _, body) = bytes(&s, &staff, "/api/v1/complaints.csv?limit=5").await;
    assert_eq!(csv_rows(&body).len(), 6);
    let (st, _, _) = bytes(&s, &staff, "/api/v1/complaints.csv?offset=5").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // Another site's staff exports nothing of SL's.
    s.site("B", "二期").await;
    let other = s.user_at("wang", "staff", None, &["B"]).await;
    let (_, _, body) = bytes(&s, &other, "/api/v1/complaints.csv").await;
    assert_eq!(csv_rows(&body).len(), 1, "the header only");

    let (st, kind, body) = bytes(&s, &staff, "/api/v1/complaints.xlsx?status=closed").await;
    assert_eq!(st, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(kind.contains("spreadsheetml"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(body)).expect("an xlsx file");
    let sheet = book
        .worksheet_range("投诉登记")
        .expect("the register sheet");
    assert_eq!(sheet.height(), 2);
    assert!(
        matches!(sheet.get_value((1, 2)), Some(Data::DateTime(_))),
        "captured at is a date"
    );
    assert!(
        matches!(sheet.get_value((1, 16)), Some(Data::DateTime(_))),
        "closed at is a date"
    );
    assert_eq!(
        sheet.get_value((1, 8)),
        Some(&Data::String("已完结".into()))
    );
}
