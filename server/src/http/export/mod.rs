//! Exports for people who live in Excel: the report (`summary.csv|.xlsx`, shared links) and the
//! complaint register (`complaints.csv|.xlsx`, streamed). CSV is UTF-8 with a BOM (Excel opens
//! Chinese) and RFC 4180 quoting; XLSX has a sheet per breakdown, typed cells, dates as dates
//! and a frozen header.

pub mod csv;
pub mod majors;
pub mod register;
pub mod report;

pub use report::{report_csv, report_xlsx};

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

pub const CSV_TYPE: &str = "text/csv; charset=utf-8";
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(name: &str, ext: &str) -> String {
    format!("attachment; filename=\"siteline-{name}.{ext}\"")
}

/// A whole CSV file as a download.
pub fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, CSV_TYPE.to_string()),
            (CONTENT_DISPOSITION, attachment(name, "csv")),
        ],
        body,
    )
        .into_response()
}

/// A whole XLSX file as a download.
pub fn xlsx_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, XLSX_TYPE.to_string()),
            (CONTENT_DISPOSITION, attachment(name, "xlsx")),
        ],
        body,
    )
        .into_response()
}

/// A streamed download.
pub fn streamed(name: &str, ext: &str, content_type: &str, body: Body) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, attachment(name, ext)),
        ],
        body,
    )
        .into_response()
}
