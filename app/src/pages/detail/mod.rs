//! Complaint detail: number and status, the register fields, deadlines (live, offline too), the
//! lifecycle actions allowed now, a note, and the timeline of every event with its sync state.
//! The page re-renders only when the complaint shown changes; everything inside updates in place,
//! so a sync never wipes what the user is typing.

mod action_form;
mod actions;
mod deadlines;
mod fields;
mod note;
mod timeline;

use crate::components::badges::{SeverityBadge, SyncBadge};
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use siteline_model::{Complaint, ComplaintId};

/// The complaint named by the route's `:id`, from the local replica (reactive).
pub fn use_complaint() -> (Memo<Option<ComplaintId>>, Memo<Option<Complaint>>) {
    let ctx = use_ctx();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<ComplaintId>().ok()))
    });
    let complaint = Memo::new(move |_| {
        let id = id.get()?;
        ctx.replica
            .with(|r| r.as_ref().and_then(|r| r.complaint(&id).cloned()))
    });
    (id, complaint)
}

#[component]
pub fn DetailPage() -> impl IntoView {
    let ctx = use_ctx();
    let (_, complaint) = use_complaint();
    let shown = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.id)));
    move || match shown.get() {
        None => {
            view! { <p class="muted" data-testid="not-found">{ctx.t(K::NotFound)}</p> }.into_any()
        }
        Some(cid) => view! {
            <article class="detail" data-testid="complaint-detail" data-id=cid.to_string()>
                <Head id=cid complaint=complaint/>
                <div class="detail-grid">
                    <section class="register">
                        <fields::RegisterFields id=cid complaint=complaint/>
                    </section>
                    <aside class="side">
                        <deadlines::Deadlines complaint=complaint/>
                        <actions::Actions id=cid complaint=complaint/>
                        <note::NoteForm id=cid/>
                    </aside>
                </div>
                <h3>{move || ctx.t(K::Timeline)}</h3>
                <timeline::Timeline id=cid complaint=complaint/>
            </article>
        }
        .into_any(),
    }
}

/// Number (canonical or provisional), status, severity, sync state, marks, and the notice link.
#[component]
fn Head(id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let get = move |f: fn(&Complaint) -> String| {
        move || complaint.with(|c| c.as_ref().map(f).unwrap_or_default())
    };
    let provisional =
        Memo::new(move |_| complaint.with(|c| c.as_ref().is_some_and(|c| c.number.is_none())));
    let status = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.status)));
    let severity = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.severity)));
    let sync = Memo::new(move |_| ctx.replica.with(|r| r.as_ref().map(|r| r.record_sync(&id))));
    let marks = Memo::new(move |_| {
        complaint.with(|c| {
            c.as_ref()
                .map_or((0, 0), |c| (c.escalations.len(), c.reopen_count))
        })
    });
    view! {
        <div class="row-head detail-head">
            <span class="number big" class:provisional=move || provisional.get() data-testid="number"
                data-provisional=move || provisional.get().to_string()>{get(|c| c.display_number().to_string())}</span>
            <Show when=move || provisional.get()>
                <small class="provisional-mark">"(" {move || ctx.t(K::Provisional)} ")"</small>
            </Show>
            {move || status.get().map(|s| view! {
                <span class=format!("st st-{}", s.code()) data-testid="status" data-status=s.code()>
                    {move || i18n::status(s, ctx.lang.get())}
                </span>
            })}
            {move || severity.get().map(|s| view! { <SeverityBadge severity=s/> })}
            {move || sync.get().map(|s| view! { <SyncBadge state=s/> })}
            {move || {
                let (esc, reopen) = marks.get();
                view! {
                    <Show when=move || { esc > 0 }>
                        <span class="mark escalated" data-testid="escalated">"↑ " {move || ctx.t(K::Escalated)}</span>
                    </Show>
                    <Show when=move || { reopen > 0 }>
                        <span class="mark reopened">{move || ctx.t(K::Reopened)} " ×" {reopen}</span>
                    </Show>
                }
            }}
            <a class="button print-link" data-testid="print-notice" href=format!("/complaints/{id}/notice")>
                {move || ctx.t(K::PrintNotice)}
            </a>
        </div>
    }
}
