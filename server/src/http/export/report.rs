//! The report as CSV (one table: every breakdown's rows, then the recurring problems) and as
//! XLSX (a sheet per breakdown, numbers as numbers, rates as percentages, dates as dates).

use super::csv::{record, BOM};
use crate::error::{Error, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use siteline_model::report::{Bucket, Report, Tally};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{category, department, names, Channel, Severity, Status, Timestamp};

/// The breakdowns in the order they are shown: (sheet name, its rows).
fn breakdowns(r: &Report) -> [(&'static str, &'static str, &[Bucket]); 7] {
    [
        ("类别", "category", &r.by_category),
        ("部门", "department", &r.by_department),
        ("项目", "site", &r.by_site),
        ("级别", "severity", &r.by_severity),
        ("渠道", "channel", &r.by_channel),
        ("状态", "status", &r.by_status),
        ("期间", "period", &r.by_period),
    ]
}

/// The readable name of a breakdown key (codes stay in their own column).
pub fn key_name(dim: &str, key: &str) -> String {
    match dim {
        "category" => category::find(key).map_or(key.to_string(), |c| c.zh.to_string()),
        "department" if key.is_empty() => "未派单".to_string(),
        "department" => department::find(key).map_or(key.to_string(), |d| d.zh.to_string()),
        "severity" => Severity::parse(key).map_or(key.to_string(), |s| names::severity(s).0.into()),
        "channel" => Channel::parse(key).map_or(key.to_string(), |c| names::channel(c).0.into()),
        "status" => Status::parse(key).map_or(key.to_string(), |s| names::status(s).0.into()),
        _ => key.to_string(),
    }
}

const COUNTS: [&str; 10] = [
    "投诉数",
    "有效投诉",
    "已完结",
    "撤诉或合并",
    "按时",
    "超时",
    "已回访",
    "满意",
    "重复投诉",
    "重大",
];
const RATES: [&str; 5] = ["关闭率", "及时率", "回访率", "满意率", "重复投诉率"];
const HOURS: [&str; 2] = ["平均答复时长(小时)", "平均结案时长(小时)"];

fn counts(t: &Tally) -> [u64; 10] {
    [
        t.count,
        t.effective,
        t.closed,
        t.withdrawn_or_merged,
        t.on_time,
        t.late,
        t.followed_up,
        t.satisfied,
        t.repeat,
        t.major,
    ]
}

fn rates(t: &Tally) -> [Option<f64>; 5] {
    [
        t.closure_rate(),
        t.on_time_rate(),
        t.follow_up_rate(),
        t.satisfaction_rate(),
        t.repeat_rate(),
    ]
}

fn hours(t: &Tally) -> [Option<f64>; 2] {
    [
        t.avg_reply_minutes().map(|m| m / 60.0),
        t.avg_close_minutes().map(|m| m / 60.0),
    ]
}

/// `yyyy-mm-dd hh:mm` in China time.
fn local(t: Timestamp) -> String {
    t.format_local(CHINA_OFFSET_MINUTES)
}

fn tally_fields(t: &Tally) -> Vec<String> {
    let mut out: Vec<String> = counts(t).iter().map(u64::to_string).collect();
    out.extend(
        rates(t)
            .iter()
            .map(|r| r.map_or(String::new(), |r| format!("{:.1}", r * 100.0))),
    );
    out.extend(
        hours(t)
            .iter()
            .map(|h| h.map_or(String::new(), |h| format!("{h:.1}"))),
    );
    out
}

/// The report as one CSV table: 合计, each breakdown, then 反复出现的问题 (place, category, count).
pub fn report_csv(r: &Report) -> String {
    let mut out = String::from(BOM);
    let mut header = vec!["维度".to_string(), "项目".into(), "编码".into()];
    header.extend(COUNTS.iter().map(|s| s.to_string()));
    header.extend(RATES.iter().map(|s| format!("{s}(%)")));
    header.extend(HOURS.iter().map(|s| s.to_string()));
    record(&mut out, &header);
    let mut row = |dim: &str, name: String, code: &str, t: &Tally| {
        let mut f = vec![dim.to_string(), name, code.to_string()];
        f.extend(tally_fields(t));
        record(&mut out, &f);
    };
    row("合计", String::new(), "", &r.total);
    for (title, dim, buckets) in breakdowns(r) {
        for b in buckets {
            row(title, key_name(dim, &b.key), &b.key, &b.tally);
        }
    }
    for p in &r.recurring {
        let name = format!("{} · {}", p.location, key_name("category", &p.category));
        record(
            &mut out,
            &[
                "反复出现的问题".to_string(),
                name,
                p.category.clone(),
                p.count.to_string(),
            ],
        );
    }
    let d = r.durations.clone().unwrap_or_default();
    let h = |m: Option<f64>| m.map_or(String::new(), |m| format!("{:.1}", m / 60.0));
    for (name, v) in [
        ("答复用时中位数(小时)", h(d.reply_median_minutes)),
        ("答复用时中位数(工作小时)", h(d.reply_median_work_minutes)),
        ("平均答复(工作小时)", h(d.reply_avg_work_minutes)),
        ("结案用时中位数(小时)", h(d.close_median_minutes)),
        ("结案用时中位数(工作小时)", h(d.close_median_work_minutes)),
        ("平均结案(工作小时)", h(d.close_avg_work_minutes)),
    ] {
        record(
            &mut out,
            &["时长".to_string(), name.to_string(), String::new(), v],
        );
    }
    record(
        &mut out,
        &["生成时间".to_string(), local(r.generated_at), String::new()],
    );
    out
}

fn xlsx_err(e: XlsxError) -> Error {
    Error::Internal(format!("xlsx: {e}"))
}

/// Excel's date of a timestamp, in China time.
pub fn excel_time(t: Timestamp) -> std::result::Result<ExcelDateTime, XlsxError> {
    let local_secs = t.millis() / 1000 + i64::from(CHINA_OFFSET_MINUTES) * 60;
    ExcelDateTime::from_timestamp(local_secs)
}

fn tally_sheet(
    ws: &mut Worksheet,
    dim: &str,
    rows: &[(String, String, &Tally)],
) -> std::result::Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let one = Format::new().set_num_format("0.0");
    let mut header = vec!["项目", "编码"];
    header.extend(COUNTS);
    header.extend(RATES);
    header.extend(HOURS);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, (name, code, t)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, name)?;
        ws.write_string(r, 1, code)?;
        let mut c = 2u16;
        for n in counts(t) {
            ws.write_number(r, c, n as f64)?;
            c += 1;
        }
        for v in rates(t) {
            if let Some(v) = v {
                ws.write_number_with_format(r, c, v, &pct)?;
            }
            c += 1;
        }
        for v in hours(t) {
            if let Some(v) = v {
                ws.write_number_with_format(r, c, v, &one)?;
            }
            c += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_column_width(0, if dim == "category" { 18 } else { 14 })?;
    Ok(())
}

fn build_xlsx(r: &Report) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = Format::new().set_bold();
    {
        let ws = wb.add_worksheet().set_name("说明")?;
        ws.write_string_with_format(0, 0, "投诉分析报表", &bold)?;
        ws.write_string(1, 0, "项目")?;
        ws.write_string(1, 1, r.site.as_deref().unwrap_or("全部项目"))?;
        ws.write_string(2, 0, "起")?;
        ws.write_datetime_with_format(2, 1, excel_time(r.from)?, &date)?;
        ws.write_string(3, 0, "止（不含）")?;
        ws.write_datetime_with_format(3, 1, excel_time(r.to)?, &date)?;
        ws.write_string(4, 0, "生成时间")?;
        ws.write_datetime_with_format(4, 1, excel_time(r.generated_at)?, &date)?;
        let d = r.durations.clone().unwrap_or_default();
        for (i, (name, v)) in [
            ("答复用时中位数（小时）", d.reply_median_minutes),
            ("答复用时中位数（工作小时）", d.reply_median_work_minutes),
            ("平均答复（工作小时）", d.reply_avg_work_minutes),
            ("结案用时中位数（小时）", d.close_median_minutes),
            ("结案用时中位数（工作小时）", d.close_median_work_minutes),
            ("平均结案（工作小时）", d.close_avg_work_minutes),
        ]
        .into_iter()
        .enumerate()
        {
            let row = 6 + i as u32;
            ws.write_string(row, 0, name)?;
            if let Some(m) = v {
                ws.write_number(row, 1, m / 60.0)?;
            }
        }
        ws.set_column_width(0, 12)?;
        ws.set_column_width(1, 18)?;
    }
    let total = [("合计".to_string(), String::new(), &r.total)];
    tally_sheet(wb.add_worksheet().set_name("合计")?, "total", &total)?;
    for (title, dim, buckets) in breakdowns(r) {
        let rows: Vec<(String, String, &Tally)> = buckets
            .iter()
            .map(|b| (key_name(dim, &b.key), b.key.clone(), &b.tally))
            .collect();
        tally_sheet(wb.add_worksheet().set_name(title)?, dim, &rows)?;
    }
    let ws = wb.add_worksheet().set_name("反复出现的问题")?;
    for (c, h) in ["项目", "位置", "类别", "类别编码", "投诉数"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, p) in r.recurring.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &p.site)?;
        ws.write_string(row, 1, &p.location)?;
        ws.write_string(row, 2, key_name("category", &p.category))?;
        ws.write_string(row, 3, &p.category)?;
        ws.write_number(row, 4, p.count as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// The report as an XLSX workbook.
pub fn report_xlsx(r: &Report) -> Result<Vec<u8>> {
    build_xlsx(r).map_err(xlsx_err)
}
