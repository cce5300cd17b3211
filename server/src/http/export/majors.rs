//! The weekly 重大 report as CSV and as XLSX (one sheet, dates as dates, frozen header).

use super::csv::{record, BOM};
use super::report::{excel_time, key_name};
use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, Workbook};
use siteline_model::majors::{MajorLine, MajorReport};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::timelimit::DeadlineState;
use siteline_model::{names, Timestamp};

const COLUMNS: [&str; 12] = [
    "编号",
    "项目",
    "位置",
    "类别",
    "部门",
    "受理时间",
    "已受理天数",
    "下一时限",
    "已超时",
    "时限状态",
    "最后动作",
    "最后动作时间",
];

/// Columns holding a time (XLSX writes them as dates).
fn time_of(l: &MajorLine, col: usize) -> Option<Timestamp> {
    match col {
        5 => Some(l.captured_at),
        7 => l.next_due,
        11 => l.last_action_at,
        _ => None,
    }
}

fn state_name(s: Option<DeadlineState>) -> &'static str {
    match s {
        None => "",
        Some(DeadlineState::Ok) => "正常",
        Some(DeadlineState::DueSoon) => "即将到期",
        Some(DeadlineState::Overdue) => "已超时",
        Some(DeadlineState::Met) => "按时完成",
    }
}

fn texts(l: &MajorLine) -> [String; 12] {
    let t =
        |t: Option<Timestamp>| t.map_or(String::new(), |t| t.format_local(CHINA_OFFSET_MINUTES));
    [
        l.number.clone(),
        l.site.clone(),
        l.location.clone(),
        key_name("category", &l.category),
        l.department
            .as_deref()
            .map_or("未派单".to_string(), |d| key_name("department", d)),
        t(Some(l.captured_at)),
        l.age_days.to_string(),
        t(l.next_due),
        if l.overdue_now { "是" } else { "" }.into(),
        state_name(l.worst).into(),
        l.last_action.as_deref().map_or(String::new(), |k| {
            names::event_code(k).map_or(k.to_string(), |n| n.0.to_string())
        }),
        t(l.last_action_at),
    ]
}

/// The report as one CSV table.
pub fn csv(r: &MajorReport) -> String {
    let mut out = String::from(BOM);
    record(&mut out, &COLUMNS);
    for l in &r.rows {
        record(&mut out, &texts(l));
    }
    out
}

/// The report as a workbook of one sheet.
pub fn xlsx(r: &MajorReport) -> Result<Vec<u8>> {
    let x = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name("重大投诉周报").map_err(x)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(x)?;
    }
    ws.set_freeze_panes(1, 0).map_err(x)?;
    for (i, l) in r.rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, text) in texts(l).iter().enumerate() {
            if let Some(t) = time_of(l, col) {
                ws.write_datetime_with_format(row, col as u16, excel_time(t).map_err(x)?, &date)
                    .map_err(x)?;
            } else if col == 6 {
                ws.write_number(row, col as u16, l.age_days as f64)
                    .map_err(x)?;
            } else if !text.is_empty() {
                ws.write_string(row, col as u16, text).map_err(x)?;
            }
        }
    }
    ws.autofit();
    wb.save_to_buffer().map_err(x)
}
