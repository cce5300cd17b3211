//! `/r/{token}`: the public page of a shared report link — plain server-rendered HTML with
//! inline SVG charts, no login, no script, no service worker, readable on a phone and in print.
//! It shows aggregates and recurring places only. `?lang=en` shows it in English (zh-CN first);
//! an expired or revoked link gets a clear 410 page in both languages, an unknown one 404.

use super::export::report::key_name;
use super::security::base64;
use super::shares;
use crate::error::Error;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use siteline_charts::{self as chart, esc};
use siteline_model::api::SharedReport;
use siteline_model::report::{Bucket, Tally};
use siteline_model::time::CHINA_OFFSET_MINUTES;

pub fn router() -> Router<AppState> {
    Router::new().route("/r/{token}", get(page))
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0 auto;\
max-width:960px;padding:16px;color:#111;line-height:1.5}h1{font-size:1.4em;margin:.2em 0}\
h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #999}table{border-collapse:collapse;\
width:100%;font-size:.92em}th,td{border:1px solid #bbb;padding:4px 6px;text-align:right}\
th:first-child,td:first-child{text-align:left}.meta{color:#333}.grid{display:grid;\
grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:12px}.kpi{border:1px solid #999;\
padding:8px}.kpi b{display:block;font-size:1.5em}.chart{max-width:520px}nav a{margin-right:12px}\
section{break-inside:avoid}@media print{nav{display:none}@page{size:A4;margin:14mm}}";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Zh,
    En,
}

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

fn csp() -> String {
    let hash = base64(&Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' data:; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

fn html(status: StatusCode, lang: Lang, title: &str, body: &str) -> Response {
    let doc = format!(
        "<!doctype html><html lang=\"{l}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        l = if lang == Lang::Zh { "zh-CN" } else { "en" },
        title = esc(title)
    );
    (
        status,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (CONTENT_SECURITY_POLICY, csp()),
            (CACHE_CONTROL, "no-store".to_string()),
        ],
        doc,
    )
        .into_response()
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn hours(m: Option<f64>) -> String {
    m.map_or("—".into(), |m| format!("{:.1}", m / 60.0))
}

fn table(lang: Lang, dim: &str, buckets: &[Bucket]) -> String {
    let mut s = format!(
        "<table><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        t(lang, "投诉数", "Complaints"),
        t(lang, "已完结", "Closed"),
        t(lang, "关闭率", "Closure rate"),
        t(lang, "及时率", "On time"),
        t(lang, "重大", "Major"),
    );
    for b in buckets {
        let tl = &b.tally;
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&name(lang, dim, &b.key)),
            tl.count,
            tl.closed,
            pct(tl.closure_rate()),
            pct(tl.on_time_rate()),
            tl.major
        ));
    }
    s.push_str("</table>");
    s
}

fn name(lang: Lang, dim: &str, key: &str) -> String {
    if lang == Lang::En {
        return match dim {
            "category" => siteline_model::category::find(key).map_or(key.into(), |c| c.en.into()),
            "department" if key.is_empty() => "Not dispatched".into(),
            "department" => {
                siteline_model::department::find(key).map_or(key.into(), |d| d.en.into())
            }
            "severity" => siteline_model::Severity::parse(key)
                .map_or(key.into(), |s| siteline_model::names::severity(s).1.into()),
            "channel" => siteline_model::Channel::parse(key)
                .map_or(key.into(), |c| siteline_model::names::channel(c).1.into()),
            "status" => siteline_model::Status::parse(key)
                .map_or(key.into(), |s| siteline_model::names::status(s).1.into()),
            _ => key.into(),
        };
    }
    key_name(dim, key)
}

fn kpis(lang: Lang, tl: &Tally, d: &siteline_model::report::Durations) -> String {
    let items = [
        (t(lang, "投诉总数", "Complaints"), tl.count.to_string()),
        (t(lang, "重大投诉", "Major"), tl.major.to_string()),
        (t(lang, "关闭率", "Closure rate"), pct(tl.closure_rate())),
        (t(lang, "及时率", "On-time rate"), pct(tl.on_time_rate())),
        (
            t(lang, "回访率", "Follow-up rate"),
            pct(tl.follow_up_rate()),
        ),
        (
            t(lang, "满意率", "Satisfaction"),
            pct(tl.satisfaction_rate()),
        ),
        (t(lang, "重复投诉率", "Repeat rate"), pct(tl.repeat_rate())),
        (
            t(lang, "平均答复（小时）", "Avg. reply (hours)"),
            hours(tl.avg_reply_minutes()),
        ),
        (
            t(lang, "平均结案（小时）", "Avg. close (hours)"),
            hours(tl.avg_close_minutes()),
        ),
        (
            t(lang, "答复用时中位数（小时）", "Median reply (hours)"),
            hours(d.reply_median_minutes),
        ),
        (
            t(lang, "平均答复（工作小时）", "Avg. reply (working hours)"),
            hours(d.reply_avg_work_minutes),
        ),
    ];
    let mut s = String::from("<div class=\"grid\">");
    for (k, v) in items {
        s.push_str(&format!("<div class=\"kpi\">{k}<b>{v}</b></div>"));
    }
    s.push_str("</div>");
    s
}

fn render(lang: Lang, token: &str, shared: &SharedReport) -> Response {
    let r = &shared.report;
    let local = |ts: siteline_model::Timestamp| ts.format_local(CHINA_OFFSET_MINUTES);
    let day = |ts: siteline_model::Timestamp| local(ts).chars().take(10).collect::<String>();
    let last = siteline_model::Timestamp(r.to.millis() - 1);
    let scope = shared
        .site_name
        .clone()
        .unwrap_or_else(|| t(lang, "全部项目", "All sites").to_string());
    let title = if shared.label.is_empty() {
        t(lang, "投诉分析报表", "Complaint report").to_string()
    } else {
        shared.label.clone()
    };
    let other = if lang == Lang::Zh {
        format!("<a href=\"/r/{token}?lang=en\">English</a>")
    } else {
        format!("<a href=\"/r/{token}\">中文</a>")
    };
    let mut body = format!(
        "<nav>{other}<a href=\"/api/v1/shared/{token}.csv\">{csv}</a>\
         <a href=\"/api/v1/shared/{token}.xlsx\">{xlsx}</a></nav>\
         <h1>{title}</h1><p class=\"meta\">{scope} · {from} – {to} · {gen} {at} · {exp} {until}</p>",
        csv = t(lang, "下载 CSV", "Download CSV"),
        xlsx = t(lang, "下载 Excel", "Download Excel"),
        title = esc(&title),
        scope = esc(&scope),
        from = day(r.from),
        to = day(last),
        gen = t(lang, "生成于", "generated"),
        at = local(r.generated_at),
        exp = t(lang, "链接有效至", "link valid until"),
        until = day(shared.expires_at),
    );
    body.push_str(&format!(
        "<section><h2>{}</h2>",
        t(lang, "总览", "Overview")
    ));
    body.push_str(&kpis(
        lang,
        &r.total,
        &r.durations.clone().unwrap_or_default(),
    ));
    body.push_str("</section>");
    let periods = siteline_model::report::every_period(r);
    let trend: Vec<(String, u64)> = periods
        .iter()
        .map(|b| (b.key.clone(), b.tally.count))
        .collect();
    body.push_str(&format!(
        "<section><h2>{h}</h2>{c}{tb}</section>",
        h = t(lang, "趋势", "Trend"),
        c = chart::line(t(lang, "每期投诉数", "Complaints per period"), &trend),
        tb = table(lang, "period", &periods)
    ));
    let sections = [
        (t(lang, "按类别", "By category"), "category", &r.by_category),
        (
            t(lang, "按部门", "By department"),
            "department",
            &r.by_department,
        ),
        (t(lang, "按级别", "By severity"), "severity", &r.by_severity),
        (t(lang, "按渠道", "By channel"), "channel", &r.by_channel),
        (t(lang, "按状态", "By status"), "status", &r.by_status),
        (t(lang, "按项目", "By site"), "site", &r.by_site),
    ];
    for (h, dim, buckets) in sections {
        if buckets.is_empty() {
            continue;
        }
        let rows: Vec<(String, u64)> = buckets
            .iter()
            .map(|b| (name(lang, dim, &b.key), b.tally.count))
            .collect();
        body.push_str(&format!(
            "<section><h2>{h}</h2>{}{}</section>",
            chart::bars(h, &rows),
            table(lang, dim, buckets)
        ));
    }
    if !r.recurring.is_empty() {
        body.push_str(&format!(
            "<section><h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            t(lang, "反复出现的问题", "Recurring problems"),
            t(lang, "位置", "Place"),
            t(lang, "类别", "Category"),
            t(lang, "次数", "Times"),
        ));
        for p in &r.recurring {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.location),
                esc(&name(lang, "category", &p.category)),
                p.count
            ));
        }
        body.push_str("</table></section>");
    }
    html(StatusCode::OK, lang, &title, &body)
}

async fn page(
    State(st): State<AppState>,
    Path(token): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let lang = match raw.as_deref() {
        Some(q) if form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "lang" && v == "en") => {
            Lang::En
        }
        _ => Lang::Zh,
    };
    match shares::open(&st, &token).await {
        Ok(shared) => render(lang, &token, &shared),
        Err(Error::Gone(_)) => html(
            StatusCode::GONE,
            lang,
            "链接已失效 · Link no longer valid",
            "<h1>此报表链接已失效</h1><p>链接已过期或已被撤销。如需查看，请联系发送链接的主管。</p>\
             <h1>This report link is no longer valid</h1>\
             <p>It has expired or was revoked. Ask the supervisor who sent it for a new one.</p>",
        ),
        Err(Error::NotFound(_)) => html(
            StatusCode::NOT_FOUND,
            lang,
            "没有此链接 · No such link",
            "<h1>没有此报表链接</h1><p>请检查链接是否完整。</p>\
             <h1>No such report link</h1><p>Check that the link is complete.</p>",
        ),
        Err(e) => {
            tracing::error!("shared report page: {e}");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                "出错了 · Error",
                "<h1>暂时无法显示报表</h1><h1>The report cannot be shown right now</h1>",
            )
        }
    }
}
