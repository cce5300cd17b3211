//! The weekly 重大 report: open major complaints of the reader's sites only, oldest first, with
//! their last action; the same lines as CSV (parsed back) and XLSX (dates as dates).

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use siteline_model::majors::MajorReport;
use siteline_model::{EventKind, Severity, Timestamp};
use std::io::Cursor;

async fn body(s: &TestServer, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let res = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = res.status();
    (
        status,
        res.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

#[tokio::test]
async fn open_majors_of_my_sites_as_json_csv_and_xlsx() {
    let s = start().await;
    s.site("B", "二期").await;
    let staff = s.user_at("zhang", "staff", None, &["SL", "B"]).await;
    let sup = s.user_at("li", "supervisor", None, &["SL"]).await;
    let admin = s.admin().await;
    let d = device();
    let major = |minutes: i64, site: &str| {
        let at = Timestamp(t2026().millis() + minutes * 60_000);
        let site = site.to_string();
        created_with("zhang", d, at, move |n| {
            n.severity = Severity::Major;
            n.site = site;
        })
    };
    let old = major(0, "SL");
    let young = major(60, "SL");
    let other_site = major(30, "B");
    let minor = created_with("zhang", d, t2026(), |n| n.severity = Severity::Minor);
    let noted = then(
        &old,
        d,
        "zhang",
        2,
        120,
        EventKind::NoteAdded {
            text: "已联系维保".into(),
        },
    );
    let r = s
        .push(
            &staff,
            &[young.clone(), old.clone(), other_site.clone(), minor, noted],
        )
        .await;
    assert!(
        r.results.iter().all(|o| rejection(&o.result).is_none()),
        "{r:?}"
    );

    let (st, json) = body(&s, &sup, "/api/v1/reports/majors").await;
    assert_eq!(st, StatusCode::OK);
    let report: MajorReport = serde_json::from_slice(&json).expect("the report");
    let ids: Vec<_> = report.rows.iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        [old.complaint_id, young.complaint_id],
        "my site's open majors, oldest first"
    );
    assert_eq!(report.rows[0].last_action.as_deref(), Some("note_added"));
    assert_eq!(report.rows[1].last_action.as_deref(), Some("created"));
    assert_eq!(
        report.rows[0].last_action_at,
        Some(Timestamp(old.captured_at.millis() + 120 * 60_000))
    );
    assert!(!report.truncated);
    for secret in ["王女士", "13800138000", "测试投诉", "已联系维保"] {
        assert!(
            !String::from_utf8_lossy(&json).contains(secret),
            "{secret} in the report"
        );
    }

    let (_, json) = body(&s, &admin, "/api/v1/reports/majors").await;
    let all: MajorReport = serde_json::from_slice(&json).expect("the report");
    assert_eq!(all.rows.len(), 3, "an admin sees every site");
    let (_, json) = body(&s, &admin, "/api/v1/reports/majors?site=B").await;
    let b: MajorReport = serde_json::from_slice(&json).expect("the report");
    assert_eq!(
        b.rows.iter().map(|l| l.id).collect::<Vec<_>>(),
        [other_site.complaint_id]
    );

    // CSV: BOM, a header, the same lines in the same order.
    let (st, csv) = body(&s, &sup, "/api/v1/reports/majors.csv").await;
    assert_eq!(st, StatusCode::OK);
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv[3..])
        .records()
        .map(|r| r.expect("a record").iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][0], "编号");
    assert_eq!(rows[1][0], report.rows[0].number);
    assert_eq!(rows[1][10], "备注", "the last action");
    assert_eq!(rows[1][6], report.rows[0].age_days.to_string());

    // XLSX: one sheet, the capture time a date, the age a number.
    let (st, xlsx) = body(&s, &sup, "/api/v1/reports/majors.xlsx").await;
    assert_eq!(st, StatusCode::OK);
    let mut book = Xlsx::new(Cursor::new(xlsx)).expect("an xlsx");
    let sheet = book.worksheet_range("重大投诉周报").expect("the sheet");
    assert_eq!(sheet.height(), 3);
    assert!(matches!(sheet.get_value((1, 5)), Some(Data::DateTime(_))));
    assert_eq!(
        sheet.get_value((1, 6)),
        Some(&Data::Float(report.rows[0].age_days as f64))
    );

    // Staff have no reports; another site's report is not found.
    assert_eq!(
        body(&s, &staff, "/api/v1/reports/majors").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        body(&s, &sup, "/api/v1/reports/majors.csv?site=B").await.0,
        StatusCode::NOT_FOUND
    );
}
