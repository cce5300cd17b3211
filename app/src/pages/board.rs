//! Supervisor board: every complaint on this device (synced from the server), in columns by status
//! (closed, withdrawn and merged together as 已结束), with severity, department, the worst deadline
//! state (live on the site clock) and escalation marks; filter by severity, department, overdue.

use crate::components::badges::{NumberBadge, SeverityBadge, SyncBadge};
use crate::components::photos::PhotoStrip;
use crate::components::tick::use_now;
use crate::ctx::use_ctx;
use crate::ctx::Conn;
use crate::i18n::{self, K};
use crate::logic::board::{self, Card, Column, Filter};
use crate::logic::board_filter;
use crate::logic::record::{record_state, RecordState};
use crate::logic::time::deadline_state_code;
use crate::logic::time::duration_text;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use siteline_model::department::DEPARTMENTS;
use siteline_model::{Channel, Severity};
use std::time::Duration;

#[component]
pub fn BoardPage() -> impl IntoView {
    let ctx = use_ctx();
    let now = use_now(Duration::from_secs(30));
    // The filter lives in the URL: a filtered board can be bookmarked and shared.
    let query = use_query_map();
    let filter = RwSignal::new(query.with_untracked(|q| Filter::from_query(|k| q.get(k))));
    let navigate = use_navigate();
    Effect::new(move |prev: Option<String>| {
        let q = filter.with(Filter::query);
        if prev.as_ref().is_some_and(|p| *p != q) {
            let url = if q.is_empty() {
                "/board".to_string()
            } else {
                format!("/board?{q}")
            };
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
        q
    });
    let cards = Memo::new(move |_| {
        let t = now.get();
        ctx.replica.with(|r| {
            r.as_ref()
                .map(|r| {
                    ctx.in_flight.with(|flying| {
                        ctx.clock
                            .with(|k| board::cards(r.complaints(), k, t))
                            .into_iter()
                            .map(|c| {
                                let s = record_state(r, &c.complaint.id, flying);
                                (c, s)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .unwrap_or_default()
        })
    });
    let shown = Memo::new(move |_| {
        filter.with(|f| {
            cards.with(|v| {
                v.iter()
                    .filter(|(c, _)| f.matches(c))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let columns = board::columns().into_iter().map(|col| {
        let in_col = move || {
            shown.with(|v| {
                v.iter()
                    .filter(|(c, _)| board::column_of(c.complaint.status) == col)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        };
        let count = move || shown.with(|v| v.iter().filter(|(c, _)| board::column_of(c.complaint.status) == col).count());
        let title = move || match col {
            Column::Open(s) => i18n::status(s, ctx.lang.get()),
            Column::Ended => ctx.t(K::Ended),
        };
        view! {
            <section class="column" data-status=col.code()>
                <h3>{title} " " <span class="count">{count}</span></h3>
                <For
                    each=in_col
                    key=|(c, s)| (c.complaint.id, c.complaint.event_count, c.complaint.number.clone(), c.worst, c.overdue_now, *s)
                    children=move |(c, s)| view! { <BoardCard card=c sync=s ended=col == Column::Ended/> }
                />
            </section>
        }
    }).collect_view();
    view! {
        <div class="toolbar"><h2>{move || ctx.t(K::Board)}</h2>
            <div class="toolbar-buttons"><A href="/history" attr:class="button">{move || ctx.t(K::FindOlder)}</A></div>
        </div>
        <DataAge/>
        <FilterBar filter=filter buildings=Signal::derive(move || {
            let mut b: Vec<String> = cards.with(|v| {
                v.iter().map(|(c, _)| board_filter::building_of(&c.complaint).to_string())
                    .filter(|b| !b.is_empty()).collect()
            });
            b.sort();
            b.dedup();
            b
        })/>
        <div class="board">{columns}</div>
    }
}

/// Offline, how old the board's data is (数据更新于 N 分钟前).
#[component]
fn DataAge() -> impl IntoView {
    let ctx = use_ctx();
    let now = use_now(Duration::from_secs(30));
    let text = move || {
        let offline = ctx.conn.get() == Conn::Offline;
        let last = ctx.last_sync.get();
        offline.then(|| match last {
            Some(t) => format!(
                "{} {} {}",
                ctx.t(K::DataAsOf),
                duration_text((now.get().millis() - t.millis()).max(0), ctx.lang.get()),
                ctx.t(K::Ago)
            ),
            None => ctx.t(K::NeverSynced).to_string(),
        })
    };
    view! { <p class="data-age" role="status" data-testid="data-age">{text}</p> }
}

#[component]
fn FilterBar(filter: RwSignal<Filter>, buildings: Signal<Vec<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    view! {
        <div class="filter-bar" role="search">
            <select name="filter_site" aria-label=move || ctx.t(K::AdminSites) prop:value=move || filter.with(|f| f.site.clone())
                on:change=move |ev| filter.update(|f| f.site = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::RepAllSites)}</option>
                <For each=move || ctx.sites.get() key=|s| s.code.clone() let:s>
                    <option value=s.code.clone()>{format!("{} {}", s.code, s.name)}</option>
                </For>
            </select>
            <select name="filter_building" aria-label=move || ctx.t(K::Building) prop:value=move || filter.with(|f| f.building.clone())
                on:change=move |ev| filter.update(|f| f.building = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::AllBuildings)}</option>
                <For each=move || buildings.get() key=|b| b.clone() let:b>
                    <option value=b.clone()>{b.clone()}</option>
                </For>
            </select>
            <select name="filter_category" aria-label=move || ctx.t(K::RepCategory) prop:value=move || filter.with(|f| f.category.clone())
                on:change=move |ev| filter.update(|f| f.category = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::AllCategories)}</option>
                {siteline_model::category::top_level().map(|c| view! {
                    <option value=c.code>{move || i18n::category_name(c.code, lang())}</option>
                }).collect_view()}
            </select>
            <select name="filter_channel" aria-label=move || ctx.t(K::Channel) prop:value=move || filter.with(|f| f.channel.clone())
                on:change=move |ev| filter.update(|f| f.channel = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::AllChannels)}</option>
                {Channel::ALL.map(|c| view! { <option value=c.code()>{move || i18n::channel(c, lang())}</option> }).collect_view()}
            </select>
            <label>{move || ctx.t(K::RepFrom)}
                <input type="date" name="filter_from" prop:value=move || filter.with(|f| f.from.clone())
                    on:change=move |ev| filter.update(|f| f.from = event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::RepTo)}
                <input type="date" name="filter_to" prop:value=move || filter.with(|f| f.to.clone())
                    on:change=move |ev| filter.update(|f| f.to = event_target_value(&ev))/></label>
            <select name="filter_severity" aria-label=move || ctx.t(K::Severity) prop:value=move || filter.with(|f| f.severity.clone())
                on:change=move |ev| filter.update(|f| f.severity = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::AllSeverities)}</option>
                {Severity::ALL.map(|s| view! { <option value=s.code()>{move || i18n::severity(s, ctx.lang.get())}</option> }).collect_view()}
            </select>
            <select name="filter_department" aria-label=move || ctx.t(K::AdminDepartment) prop:value=move || filter.with(|f| f.department.clone())
                on:change=move |ev| filter.update(|f| f.department = event_target_value(&ev))>
                <option value="">{move || ctx.t(K::AllDepartments)}</option>
                <option value="none">{move || ctx.t(K::NoDepartment)}</option>
                {DEPARTMENTS.iter().map(|d| {
                    let code = d.code;
                    view! { <option value=code>{move || i18n::department_name(code, ctx.lang.get())}</option> }
                }).collect_view()}
            </select>
            <label class="check">
                <input type="checkbox" name="overdue_only" prop:checked=move || filter.with(|f| f.overdue_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); filter.update(|f| f.overdue_only = on) }/>
                {move || ctx.t(K::OverdueOnly)}
            </label>
        </div>
    }
}

#[component]
fn BoardCard(card: Card, sync: RecordState, ended: bool) -> impl IntoView {
    let ctx = use_ctx();
    let c = card.complaint;
    let id = c.id.to_string();
    let href = format!("/complaints/{id}");
    let cat = c.category.clone();
    let dept = c.department.clone();
    let state = card.worst.map(deadline_state_code);
    let worst = card.worst;
    let (esc, reopen, conflicts) = (c.escalations.len(), c.reopen_count, c.conflicts.len());
    let status = c.status;
    let sev = c.severity.code();
    view! {
        <article class=format!("card dl-{}", state.unwrap_or("none")) data-testid="complaint-card" data-id=id
            data-deadline-state=state.unwrap_or("none") data-severity=sev data-sync-state=sync.code()>
            <A href=href>
                <div class="row-head">
                    <NumberBadge complaint=c.clone()/>
                    <SeverityBadge severity=c.severity/>
                    {(sync != RecordState::Synced).then(|| view! { <SyncBadge state=sync/> })}
                    {ended.then(|| view! { <span class=format!("st st-{}", status.code())>{move || i18n::status(status, ctx.lang.get())}</span> })}
                </div>
                <div class="card-marks">
                    {dept.map(|d| view! { <span class="dept">{move || i18n::department_name(&d, ctx.lang.get())}</span> })}
                    {worst.map(|w| view! { <span class=format!("dl-chip dl-{}", deadline_state_code(w))>{move || i18n::deadline_state(w, ctx.lang.get())}</span> })}
                    {(esc > 0).then(|| view! { <span class="mark escalated" title=move || ctx.t(K::Escalated)>"↑ " {move || ctx.t(K::Escalated)}</span> })}
                    {(reopen > 0).then(|| view! { <span class="mark reopened">{move || ctx.t(K::Reopened)} " ×" {reopen}</span> })}
                    {(conflicts > 0).then(|| view! { <span class="mark conflict">"⚠ " {conflicts}</span> })}
                </div>
                <b>{c.location.clone()}</b>
                <div class="muted">{move || ctx.custom_categories.with(|cc| i18n::category_name_with(&cat, ctx.lang.get(), cc))}</div>
                <p>{c.description.clone()}</p>
                <PhotoStrip photos=c.attachments.clone()/>
                <small class="muted">{c.captured_at.to_string()} " · " {let by = c.created_by.clone(); move || ctx.who(&by)}</small>
            </A>
        </article>
    }
}
