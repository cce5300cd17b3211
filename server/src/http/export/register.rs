//! The complaint register as CSV or XLSX (`GET /api/v1/complaints.csv|.xlsx`), with the list's
//! filters and scope, streamed: rows are read in keyset pages, so a million complaints never
//! sit in memory (CSV goes out page by page; XLSX is written in constant-memory mode to a
//! temporary file, then streamed).

use super::csv::{record, BOM};
use super::report::{excel_time, key_name};
use super::{streamed, CSV_TYPE, XLSX_TYPE};
use crate::error::{Error, Result};
use crate::http::complaints::{category_children, clocks_of, deadlines_of, parse_params};
use crate::store::{ComplaintFilter, ComplaintRow, Store};
use crate::visibility;
use axum::body::Body;
use axum::response::Response;
use rust_xlsxwriter::{Format as CellFormat, Workbook};
use siteline_model::api::UserInfo;
use siteline_model::overdue;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::timelimit::Clock;
use siteline_model::{names, Complaint, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;

/// The register's file types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Csv,
    Xlsx,
}

/// Rows of one Excel sheet (header included).
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

/// Rows read per page.
pub const PAGE: u32 = 1000;

/// The register's columns.
pub const COLUMNS: [&str; 19] = [
    "编号",
    "临时编号",
    "受理时间",
    "项目",
    "位置",
    "类别",
    "级别",
    "渠道",
    "状态",
    "部门",
    "投诉内容",
    "投诉人",
    "电话",
    "房号",
    "受理人",
    "答复时间",
    "结案时间",
    "回访满意度",
    "已超时",
];

/// What a row shows, as text (CSV) — XLSX writes the times as dates.
fn texts(c: &Complaint, overdue: bool) -> [String; 19] {
    let t =
        |t: Option<Timestamp>| t.map_or(String::new(), |t| t.format_local(CHINA_OFFSET_MINUTES));
    [
        c.number.clone().unwrap_or_default(),
        c.provisional_number.clone(),
        t(Some(c.captured_at)),
        c.site.clone(),
        c.location.clone(),
        key_name("category", &c.category),
        names::severity(c.severity).0.into(),
        names::channel(c.channel).0.into(),
        names::status(c.status).0.into(),
        c.department
            .as_deref()
            .map_or(String::new(), |d| key_name("department", d)),
        c.description.clone(),
        c.complainant.name.clone().unwrap_or_default(),
        c.complainant.phone.clone().unwrap_or_default(),
        c.complainant.unit.clone().unwrap_or_default(),
        c.created_by.clone(),
        t(c.replied_at),
        t(c.closed_at),
        c.satisfaction
            .map_or(String::new(), |s| names::satisfaction(s).0.into()),
        if overdue { "是" } else { "" }.into(),
    ]
}

/// One export's reading: filter, scope, clocks, the overdue choice.
pub struct Reader {
    store: Arc<dyn Store>,
    user: UserInfo,
    filter: ComplaintFilter,
    overdue: bool,
    clocks: HashMap<String, Clock>,
    now: Timestamp,
    /// Rows still to give (`limit` when asked for, else all).
    left: u64,
}

impl Reader {
    /// The next page of (redacted complaint, overdue now), `None` at the end.
    async fn next(&mut self) -> Result<Option<Vec<(Complaint, bool)>>> {
        while self.left > 0 {
            let rows = self.store.list_complaints(&self.filter).await?;
            let Some(last) = rows.last() else {
                return Ok(None);
            };
            self.filter.before = Some((last.state.captured_at, last.state.id));
            let mut out = Vec::new();
            for row in rows {
                if self.left == 0 {
                    break;
                }
                if let Some(item) = self.item(row) {
                    out.push(item);
                    self.left -= 1;
                }
            }
            if !out.is_empty() {
                return Ok(Some(out));
            }
        }
        Ok(None)
    }

    fn item(&self, row: ComplaintRow) -> Option<(Complaint, bool)> {
        if !visibility::may_see(&self.user, &row) {
            return None;
        }
        let deadlines = deadlines_of(&row, &self.clocks, self.now);
        let overdue = overdue::summarize(&row.state, &deadlines, self.now).overdue_now;
        if self.overdue && !overdue {
            return None;
        }
        Some((visibility::redacted(&self.user, row.state), overdue))
    }
}

/// Builds the reader of `GET /api/v1/complaints.csv|.xlsx?…` (the list's parameters).
pub async fn reader(
    store: Arc<dyn Store>,
    user: &UserInfo,
    raw: Option<&str>,
    now: Timestamp,
) -> Result<Reader> {
    let p = parse_params(raw)?;
    let asked_limit = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .any(|(k, v)| k == "limit" && !v.trim().is_empty());
    let sites = store.list_sites().await?;
    let category_children = category_children(&sites, p.filter.category.as_deref());
    let clocks = clocks_of(&sites);
    let filter = ComplaintFilter {
        scope: visibility::scope_of(user),
        category_children,
        limit: Some(PAGE),
        offset: 0,
        overdue_at: p.overdue.then_some(now),
        before: None,
        ..p.filter
    };
    if p.offset > 0 {
        return Err(Error::BadRequest(
            "exports start at the first row: use from/to to narrow them, not offset".into(),
        ));
    }
    Ok(Reader {
        store,
        user: user.clone(),
        filter,
        overdue: p.overdue,
        clocks,
        now,
        left: if asked_limit {
            u64::from(p.limit)
        } else {
            u64::MAX
        },
    })
}

/// The register as CSV, page by page.
pub fn csv(mut reader: Reader) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<std::result::Result<String, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut head = String::from(BOM);
        record(&mut head, &COLUMNS);
        if tx.send(Ok(head)).await.is_err() {
            return;
        }
        loop {
            let chunk = match reader.next().await {
                Ok(Some(page)) => {
                    let mut out = String::new();
                    for (c, overdue) in &page {
                        record(&mut out, &texts(c, *overdue));
                    }
                    Ok(out)
                }
                Ok(None) => return,
                Err(e) => {
                    tracing::error!("complaint export: {e}");
                    Err(std::io::Error::other(e.to_string()))
                }
            };
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    streamed("complaints", "csv", CSV_TYPE, Body::from_stream(stream))
}

/// The register as XLSX: written row by row in constant memory to a temporary file, then sent.
pub async fn xlsx(mut reader: Reader) -> Result<Response> {
    let file = tempfile::NamedTempFile::new().map_err(|e| Error::Internal(e.to_string()))?;
    let path = file.path().to_path_buf();
    let handle = tokio::runtime::Handle::current();
    let written = tokio::task::spawn_blocking(move || -> Result<()> {
        let x = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("xlsx: {e}"));
        let mut wb = Workbook::new();
        let bold = CellFormat::new().set_bold();
        let date = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm");
        let ws = wb.add_worksheet_with_constant_memory().map_err(x)?;
        ws.set_name("投诉登记").map_err(x)?;
        for (c, h) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(x)?;
        }
        ws.set_freeze_panes(1, 0).map_err(x)?;
        let mut row = 1u32;
        while let Some(page) = handle.block_on(reader.next())? {
            for (c, overdue) in &page {
                if row >= XLSX_MAX_ROWS {
                    return Err(Error::BadRequest(format!(
                        "the register has more rows than one Excel sheet holds ({XLSX_MAX_ROWS} \
                         with the header): export it as CSV, or narrow it with from/to"
                    )));
                }
                for (col, text) in texts(c, *overdue).iter().enumerate() {
                    let col = col as u16;
                    let time = match col {
                        2 => Some(c.captured_at),
                        15 => c.replied_at,
                        16 => c.closed_at,
                        _ => None,
                    };
                    match time {
                        Some(t) => {
                            ws.write_datetime_with_format(
                                row,
                                col,
                                excel_time(t).map_err(x)?,
                                &date,
                            )
                            .map_err(x)?;
                        }
                        None if !text.is_empty() => {
                            ws.write_string(row, col, text).map_err(x)?;
                        }
                        None => {}
                    }
                }
                row += 1;
            }
        }
        wb.save(&path).map_err(x)?;
        Ok(())
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?;
    written?;
    let f = tokio::fs::File::open(file.path())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    // The open handle keeps the data readable; the name goes now.
    drop(file);
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(f));
    Ok(streamed("complaints", "xlsx", XLSX_TYPE, body))
}
