//! Home (`/`), by role: a handler's work list is what was dispatched to their department; everyone
//! else sees what they captured. Open ones first, with sync state and the worst deadline state.

use crate::components::badges::{NumberBadge, SeverityBadge, StatusBadge, SyncBadge};
use crate::components::photos::PhotoStrip;
use crate::components::tick::use_now;
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::board::{work_list, work_list_kind, WorkList};
use crate::logic::record::{record_state, RecordState};
use crate::logic::time::deadline_state_code;
use leptos::prelude::*;
use leptos_router::components::A;
use siteline_model::overdue;
use siteline_model::timelimit::DeadlineState;
use siteline_model::{Complaint, Role};
use std::time::Duration;

/// Rows shown at first, and added by each press of "show more".
const ROWS_STEP: usize = 100;

#[component]
pub fn ListPage() -> impl IntoView {
    let ctx = use_ctx();
    let now = use_now(Duration::from_secs(30));
    let user = Memo::new(move |_| ctx.user());
    let kind = Memo::new(move |_| user.with(|u| u.as_ref().map(work_list_kind)));
    let role = Memo::new(move |_| user.with(|u| u.as_ref().map(|u| u.role)));
    let dept = Memo::new(move |_| user.with(|u| u.as_ref().and_then(|u| u.department.clone())));
    // A device may hold tens of thousands of records: only the first `limit` rows are built and
    // rendered (more on request), so opening the app and each sync stay fast.
    let limit = RwSignal::new(ROWS_STEP);
    let listed = Memo::new(move |_| {
        let t = now.get();
        let limit = limit.get();
        user.with(|u| {
            let Some(u) = u else { return (0, vec![]) };
            ctx.replica.with(|r| {
                let Some(r) = r else { return (0, vec![]) };
                ctx.in_flight.with(|flying| {
                    ctx.clock.with(|clock| {
                        let all = work_list(u, r.complaints());
                        let rows = all
                            .iter()
                            .take(limit)
                            .map(|c| {
                                let worst = overdue::summarize(c, &clock.deadlines(c, t), t).worst;
                                ((*c).clone(), record_state(r, &c.id, flying), worst)
                            })
                            .collect::<Vec<(Complaint, RecordState, Option<DeadlineState>)>>();
                        (all.len(), rows)
                    })
                })
            })
        })
    });
    let total = Memo::new(move |_| listed.with(|l| l.0));
    let rows = Memo::new(move |_| listed.with(|l| l.1.clone()));
    let title = move || match kind.get() {
        Some(WorkList::Department) => {
            let d = dept
                .get()
                .map(|d| i18n::department_name(&d, ctx.lang.get()));
            format!(
                "{} {}",
                ctx.t(K::DeptWork),
                d.map(|d| format!("· {d}")).unwrap_or_default()
            )
        }
        _ => ctx.t(K::MyComplaints).to_string(),
    };
    let is_handler = move || role.get() == Some(Role::Handler);
    let sees_board = move || role.get().is_some_and(Role::sees_board);
    view! {
        <section>
            <div class="toolbar">
                <h2 data-testid="work-list-title" data-kind=move || match kind.get() { Some(WorkList::Department) => "department", _ => "own" }>{title}</h2>
                <div class="toolbar-buttons">
                    <Show when=sees_board>
                        <A href="/board" attr:class="button" attr:data-testid="open-board">{move || ctx.t(K::OpenBoard)}</A>
                    </Show>
                    <Show when=move || !is_handler()>
                        <A href="/new" attr:class="button primary">{move || ctx.t(K::NewComplaint)}</A>
                    </Show>
                </div>
            </div>
            <Show when=move || is_handler() && dept.with(Option::is_none)>
                <p class="error" role="alert">{move || ctx.t(K::NoDeptSet)}</p>
            </Show>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted">{move || if is_handler() { ctx.t(K::NoDeptWork) } else { ctx.t(K::NoComplaints) }}</p>
                <p class="muted">{move || ctx.t(K::OfflineHint)}</p>
            </Show>
            <ul class="rows">
                <For
                    each=move || rows.get()
                    key=|(c, s, w)| (c.id, c.event_count, c.number.clone(), *s, *w)
                    children=move |(c, s, worst)| {
                        let href = format!("/complaints/{}", c.id);
                        let cat = c.category.clone();
                        let id = c.id.to_string();
                        let state = worst.map(deadline_state_code).unwrap_or("none");
                        view! {
                            <li class=format!("row dl-{state}") data-testid="complaint-row" data-id=id data-deadline-state=state
                                data-sync-state=s.code()>
                                <A href=href>
                                    <div class="row-head">
                                        <NumberBadge complaint=c.clone()/>
                                        <StatusBadge status=c.status/>
                                        <SeverityBadge severity=c.severity/>
                                        <SyncBadge state=s/>
                                        {worst.map(|w| view! { <span class=format!("dl-chip dl-{}", deadline_state_code(w))>{move || i18n::deadline_state(w, ctx.lang.get())}</span> })}
                                    </div>
                                    <div class="row-body">
                                        <b>{c.location.clone()}</b>
                                        " · " {move || ctx.custom_categories.with(|cc| i18n::category_name_with(&cat, ctx.lang.get(), cc))}
                                        <p>{c.description.clone()}</p>
                                        <PhotoStrip photos=c.attachments.clone()/>
                                    </div>
                                    <small class="muted">{c.captured_at.to_string()}</small>
                                </A>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || { total.get() > rows.with(Vec::len) }>
                <button type="button" data-testid="more-rows" on:click=move |_| limit.update(|n| *n += ROWS_STEP)>
                    {move || ctx.t(K::ShowMore)} " (" {move || rows.with(Vec::len)} " / " {move || total.get()} ")"
                </button>
            </Show>
            <p class="muted"><A href="/history" attr:data-testid="open-history">{move || ctx.t(K::FindOlder)}</A></p>
        </section>
    }
}
