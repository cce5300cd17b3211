//! `/reports` (supervisors and admins; online): the 半年/年度分析 of the period and scope held in
//! the URL — figures, SVG charts beside their tables, recurring problems — with CSV/Excel
//! downloads, read-only links to share it, and the weekly 重大 report from this device.

mod majors;
mod shares;

use crate::api::Api;
use crate::ctx::{now, use_ctx, AppCtx};
use crate::i18n::{self, Lang, K};
use crate::logic::report_choice::{month_text, parse_month, Preset, ReportChoice, PRESETS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use siteline_model::report::{Bucket, Period, Report, Tally};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{names, Channel, Severity, Status};

fn preset_label(p: Preset) -> K {
    match p {
        Preset::ThisMonth => K::RepThisMonth,
        Preset::LastMonth => K::RepLastMonth,
        Preset::ThisQuarter => K::RepThisQuarter,
        Preset::FirstHalf => K::RepFirstHalf,
        Preset::SecondHalf => K::RepSecondHalf,
        Preset::ThisYear => K::RepThisYear,
        Preset::LastYear => K::RepLastYear,
    }
}

fn period_label(p: Period) -> K {
    match p {
        Period::Month => K::RepByMonth,
        Period::Quarter => K::RepByQuarter,
        Period::Half => K::RepByHalf,
        Period::Year => K::RepByYear,
    }
}

/// This month in China time.
fn this_month() -> (i32, u32) {
    let (y, m, ..) = now().civil(CHINA_OFFSET_MINUTES);
    (y, m)
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn hours(m: Option<f64>) -> String {
    m.map_or("—".into(), |m| format!("{:.1}", m / 60.0))
}

/// A breakdown key as people read it.
fn key_name(ctx: AppCtx, dim: &str, key: &str) -> String {
    let lang = ctx.lang.get();
    let pick = |(zh, en): (&'static str, &'static str)| if lang == Lang::Zh { zh } else { en };
    match dim {
        "category" => i18n::category_name(key, lang),
        "department" if key.is_empty() => ctx.t(K::RepNotDispatched).to_string(),
        "department" => i18n::department_name(key, lang),
        "severity" => Severity::parse(key).map_or(key.into(), |s| pick(names::severity(s)).into()),
        "channel" => Channel::parse(key).map_or(key.into(), |c| pick(names::channel(c)).into()),
        "status" => Status::parse(key).map_or(key.into(), |s| pick(names::status(s)).into()),
        _ => key.to_string(),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let ctx = use_ctx();
    let query = use_query_map();
    let today = this_month();
    let choice = Memo::new(move |_| query.with(|q| ReportChoice::from_query(|k| q.get(k), today)));
    let report = RwSignal::new(None::<Report>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let q = choice.get().query();
        let token = ctx.token();
        spawn_local(async move {
            match Api::new(token).report(&q).await {
                Ok(r) => {
                    error.set(None);
                    report.set(Some(r));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    let navigate = use_navigate();
    let go =
        move |c: ReportChoice| navigate(&format!("/reports?{}", c.query()), Default::default());
    view! {
        <section class="reports-page" data-testid="reports-page">
            <header class="report-head">
                <h2>{move || ctx.t(K::Reports)}</h2>
                <p class="report-meta" data-testid="report-meta">{move || {
                    let c = choice.get();
                    let scope = c.site.clone().unwrap_or_else(|| ctx.t(K::RepAllSites).to_string());
                    let generated = report.with(|r| r.as_ref().map(|r| r.generated_at.format_local(CHINA_OFFSET_MINUTES)));
                    format!("{scope} · {} – {} · {} {}", month_text(c.from), month_text(c.last()),
                        ctx.t(K::RepGenerated), generated.unwrap_or_default())
                }}</p>
            </header>
            <Controls choice go=go.clone()/>
            <p class="form-msg" role="alert">{move || error.get()}</p>
            <Downloads choice/>
            {move || report.get().map(|r| view! { <ReportBody r/> })}
            <shares::Shares choice/>
            <majors::Majors/>
        </section>
    }
}

#[component]
fn Controls(
    choice: Memo<ReportChoice>,
    go: impl Fn(ReportChoice) + Clone + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let today = this_month();
    let sites = move || ctx.sites.get();
    let go_preset = go.clone();
    let go_from = go.clone();
    let go_to = go.clone();
    let go_period = go.clone();
    let go_site = go;
    view! {
        <div class="report-controls no-print">
            <div class="chips" role="group" aria-label=move || ctx.t(K::RepPeriod)>
                {PRESETS.iter().map(|p| {
                    let p = *p;
                    let go = go_preset.clone();
                    view! {
                        <button type="button" class="chip" data-testid="report-preset"
                            on:click=move |_| go(ReportChoice::preset(p, today, choice.get_untracked().site))>
                            {move || ctx.t(preset_label(p))}
                        </button>
                    }
                }).collect_view()}
            </div>
            <label>{move || ctx.t(K::RepFrom)}
                <input type="month" name="report_from" prop:value=move || month_text(choice.get().from)
                    on:change=move |ev| if let Some(m) = parse_month(&event_target_value(&ev)) {
                        let mut c = choice.get_untracked();
                        if m < c.to { c.from = m; go_from(c); }
                    }/></label>
            <label>{move || ctx.t(K::RepTo)}
                <input type="month" name="report_to" prop:value=move || month_text(choice.get().last())
                    on:change=move |ev| if let Some(m) = parse_month(&event_target_value(&ev)) {
                        let mut c = choice.get_untracked();
                        let to = crate::logic::report_choice::add_months(m, 1);
                        if c.from < to { c.to = to; go_to(c); }
                    }/></label>
            <label>{move || ctx.t(K::RepBreakdown)}
                <select name="report_period" prop:value=move || choice.get().period.code()
                    on:change=move |ev| if let Some(p) = Period::parse(&event_target_value(&ev)) {
                        let mut c = choice.get_untracked();
                        c.period = p;
                        go_period(c);
                    }>
                    {[Period::Month, Period::Quarter, Period::Half, Period::Year].into_iter().map(|p| view! {
                        <option value=p.code()>{move || ctx.t(period_label(p))}</option>
                    }).collect_view()}
                </select></label>
            <label>{move || ctx.t(K::AdminSites)}
                <select name="report_site" prop:value=move || choice.get().site.unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let mut c = choice.get_untracked();
                        c.site = (!v.is_empty()).then_some(v);
                        go_site(c);
                    }>
                    <option value="">{move || ctx.t(K::RepAllSites)}</option>
                    <For each=sites key=|s| s.code.clone() let:s>
                        <option value=s.code.clone()>{format!("{} {}", s.code, s.name)}</option>
                    </For>
                </select></label>
        </div>
    }
}

#[component]
fn Downloads(choice: Memo<ReportChoice>) -> impl IntoView {
    let ctx = use_ctx();
    let busy = RwSignal::new(None::<String>);
    let fetch = move |path: String, name: String, mime: &'static str| {
        busy.set(Some(ctx.t(K::RepPreparing).to_string()));
        spawn_local(async move {
            let progress = move |bytes: u64| {
                busy.set(Some(format!(
                    "{} {:.1} MB",
                    ctx.t(K::RepPreparing),
                    bytes as f64 / 1e6
                )))
            };
            let r = Api::new(ctx.token()).download(&path, progress).await;
            match r {
                Ok(bytes) => {
                    let _ = crate::web::download::save(&bytes, &name, mime);
                    busy.set(None);
                }
                Err(e) => busy.set(Some(e.to_string())),
            }
        });
    };
    const CSV: &str = "text/csv";
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let button = move |k: K, path: fn(&str) -> String, name: &'static str, mime: &'static str| {
        view! {
            <button type="button" data-testid=format!("download-{name}")
                on:click=move |_| fetch(path(&choice.get_untracked().query()), name.to_string(), mime)>
                {move || ctx.t(k)}
            </button>
        }
    };
    view! {
        <div class="report-downloads no-print">
            {button(K::RepReportCsv, |q| format!("/api/v1/reports/summary.csv?{q}"), "report.csv", CSV)}
            {button(K::RepReportXlsx, |q| format!("/api/v1/reports/summary.xlsx?{q}"), "report.xlsx", XLSX)}
            {button(K::RepRegisterXlsx, register_path, "complaints.xlsx", XLSX)}
            {button(K::RepMajorsCsv, |q| majors_path(q, "csv"), "majors.csv", CSV)}
            {button(K::RepMajorsXlsx, |q| majors_path(q, "xlsx"), "majors.xlsx", XLSX)}
            <button type="button" on:click=move |_| { let _ = web_sys::window().map(|w| w.print()); }>
                {move || ctx.t(K::RepPrint)}</button>
            <span role="status">{move || busy.get()}</span>
        </div>
    }
}

/// The weekly 重大 report of the report's scope (it has no period: open complaints now).
fn majors_path(q: &str, ext: &str) -> String {
    let site = q
        .split('&')
        .find_map(|kv| kv.strip_prefix("site="))
        .map(|v| format!("?site={v}"))
        .unwrap_or_default();
    format!("/api/v1/reports/majors.{ext}{site}")
}

/// The register of the report's scope and months (capture time in China).
fn register_path(q: &str) -> String {
    let mut site = String::new();
    let (mut from, mut to) = (None, None);
    for kv in q.split('&') {
        match kv.split_once('=') {
            Some(("site", v)) => site = format!("&site={v}"),
            Some(("from", v)) => from = parse_month(v),
            Some(("to", v)) => to = parse_month(v),
            _ => {}
        }
    }
    let ms = |m: Option<(i32, u32)>| {
        m.map(|(y, mo)| crate::logic::time::local_midnight(y, mo, 1, CHINA_OFFSET_MINUTES).millis())
            .unwrap_or(0)
    };
    format!(
        "/api/v1/complaints.xlsx?from={}&to={}{site}",
        ms(from),
        ms(to)
    )
}

#[component]
fn ReportBody(r: Report) -> impl IntoView {
    let ctx = use_ctx();
    let t = r.total.clone();
    let d = r.durations.clone().unwrap_or_default();
    let too_wide = r.durations.is_none();
    let kpis = move || {
        let (t, d) = (&t, &d);
        [
            (K::RepComplaints, t.count.to_string()),
            (K::RepMajor, t.major.to_string()),
            (K::RepClosureRate, pct(t.closure_rate())),
            (K::RepOnTimeRate, pct(t.on_time_rate())),
            (K::RepFollowUpRate, pct(t.follow_up_rate())),
            (K::RepSatisfactionRate, pct(t.satisfaction_rate())),
            (K::RepRepeatRate, pct(t.repeat_rate())),
            (K::RepAvgReply, hours(t.avg_reply_minutes())),
            (K::RepAvgClose, hours(t.avg_close_minutes())),
            (K::RepMedianReply, hours(d.reply_median_minutes)),
            (K::RepMedianClose, hours(d.close_median_minutes)),
            (K::RepAvgReplyWork, hours(d.reply_avg_work_minutes)),
            (K::RepAvgCloseWork, hours(d.close_avg_work_minutes)),
        ]
        .into_iter()
        .map(|(k, v)| view! { <div class="kpi" data-testid="kpi"><span>{ctx.t(k)}</span><b>{v}</b></div> })
        .collect_view()
    };
    // Every period of the range, the quiet ones too.
    let period_rows = siteline_model::report::every_period(&r);
    let trend: Vec<(String, u64)> = period_rows
        .iter()
        .map(|b| (b.key.clone(), b.tally.count))
        .collect();
    let sections = [
        (K::RepByCategory, "category", r.by_category.clone(), "bars"),
        (
            K::RepByDepartment,
            "department",
            r.by_department.clone(),
            "bars",
        ),
        (K::RepBySeverity, "severity", r.by_severity.clone(), "donut"),
        (K::RepByChannel, "channel", r.by_channel.clone(), "bars"),
        (K::RepByStatus, "status", r.by_status.clone(), "bars"),
        (K::RepBySite, "site", r.by_site.clone(), "stacked"),
    ];
    let recurring = r.recurring.clone();
    view! {
        <section class="report-section report-overview">
            <h3>{move || ctx.t(K::RepOverview)}</h3>
            <div class="kpis">{kpis}</div>
            {too_wide.then(|| view! { <p class="hint">{move || ctx.t(K::RepDurationsTooWide)}</p> })}
        </section>
        <section class="report-section">
            <h3>{move || ctx.t(K::RepTrend)}</h3>
            <div class="chart-and-table">
                <div inner_html=move || siteline_charts::line(ctx.t(K::RepTrend), &trend)></div>
                <BucketTable dim="period" rows=period_rows.clone()/>
            </div>
        </section>
        {sections.into_iter().filter(|(_, _, rows, _)| !rows.is_empty()).map(|(k, dim, rows, kind)| {
            let chart_rows = rows.clone();
            let svg = move || {
                let title = ctx.t(k);
                let named: Vec<(String, u64)> = chart_rows.iter().map(|b| (key_name(ctx, dim, &b.key), b.tally.count)).collect();
                match kind {
                    "donut" => siteline_charts::donut(title, &named),
                    "stacked" => {
                        let parts = [ctx.t(K::RepClosed), ctx.t(K::RepOpen)];
                        let split: Vec<(String, Vec<u64>)> = chart_rows.iter().map(|b| {
                            let t = &b.tally;
                            (key_name(ctx, dim, &b.key), vec![t.closed, t.count.saturating_sub(t.closed)])
                        }).collect();
                        siteline_charts::stacked(title, &parts, &split)
                    }
                    _ => siteline_charts::bars(title, &named),
                }
            };
            view! {
                <section class="report-section" data-testid=format!("report-{dim}")>
                    <h3>{move || ctx.t(k)}</h3>
                    <div class="chart-and-table">
                        <div inner_html=svg></div>
                        <BucketTable dim rows/>
                    </div>
                </section>
            }
        }).collect_view()}
        <section class="report-section" data-testid="report-recurring">
            <h3>{move || ctx.t(K::RepRecurring)}</h3>
            <table class="report-table">
                <thead><tr>
                    <th>{move || ctx.t(K::RepPlace)}</th><th>{move || ctx.t(K::RepCategory)}</th>
                    <th>{move || ctx.t(K::RepTimes)}</th>
                </tr></thead>
                <tbody>
                    {recurring.is_empty().then(|| view! {
                        <tr><td colspan="3">{move || ctx.t(K::RepNoneRecurring)}</td></tr>
                    })}
                    {recurring.into_iter().map(|p| view! {
                        <tr><td>{p.location.clone()}</td>
                            <td>{move || key_name(ctx, "category", &p.category)}</td>
                            <td>{p.count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn BucketTable(dim: &'static str, rows: Vec<Bucket>) -> impl IntoView {
    let ctx = use_ctx();
    let line = move |b: Bucket| {
        let t: Tally = b.tally;
        view! {
            <tr>
                <td>{move || key_name(ctx, dim, &b.key)}</td>
                <td>{t.count}</td><td>{t.closed}</td><td>{pct(t.closure_rate())}</td>
                <td>{pct(t.on_time_rate())}</td><td>{t.major}</td>
            </tr>
        }
    };
    view! {
        <table class="report-table">
            <thead><tr>
                <th></th><th>{move || ctx.t(K::RepComplaints)}</th><th>{move || ctx.t(K::RepClosed)}</th>
                <th>{move || ctx.t(K::RepClosureRate)}</th><th>{move || ctx.t(K::RepOnTimeRate)}</th>
                <th>{move || ctx.t(K::RepMajor)}</th>
            </tr></thead>
            <tbody>{rows.into_iter().map(line).collect_view()}</tbody>
        </table>
    }
}
