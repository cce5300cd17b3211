//! Complaint detail: number, status and sync state (with the server's receipt, or its refusal and
//! what to do about it), the register fields, photos, deadlines (live, offline too), the
//! lifecycle actions allowed now, a note, and the timeline of every event with its sync state.
//! The page re-renders only when the complaint shown changes; everything inside updates in place,
//! so a sync never wipes what the user is typing. A complaint the device window left on the
//! server is fetched on demand (`fetch`).

mod action_form;
mod actions;
mod deadlines;
mod fetch;
mod fields;
mod note;
mod photos;
mod sync;
mod timeline;

use crate::components::badges::{SeverityBadge, SyncBadge};
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::record::{record_state, RecordState};
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
    let (id, complaint) = use_complaint();
    let shown = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.id)));
    move || {
        match shown.get() {
        None => view! { <fetch::Elsewhere id=id/> }.into_any(),
        Some(cid) => view! {
            <article class="detail" data-testid="complaint-detail" data-id=cid.to_string()
                data-sync-state=move || state_of(ctx, cid).code()>
                <Head id=cid complaint=complaint/>
                <Show when=move || ctx.fetched.with(|f| f.contains(&cid))>
                    <p class="muted" data-testid="from-server">{move || ctx.t(K::FromServer)}</p>
                </Show>
                <sync::Receipt id=cid complaint=complaint/>
                <sync::Rejected id=cid/>
                <photos::PhotoProblems complaint=complaint/>
                <div class="detail-grid">
                    <section class="register">
                        <fields::RegisterFields id=cid complaint=complaint/>
                        <photos::Photos id=cid complaint=complaint can_add=Signal::derive(move || !refused(ctx, cid))/>
                    </section>
                    <aside class="side">
                        <deadlines::Deadlines complaint=complaint/>
                        <Show when=move || !refused(ctx, cid)>
                            <actions::Actions id=cid complaint=complaint/>
                            <note::NoteForm id=cid/>
                        </Show>
                    </aside>
                </div>
                <h3>{move || ctx.t(K::Timeline)}</h3>
                <timeline::Timeline id=cid complaint=complaint/>
            </article>
        }
        .into_any(),
    }
    }
}

/// Whether the server refused the record's creation (reactive): it can then only be fixed or
/// discarded, so no actions, notes or photos are offered.
fn refused(ctx: crate::ctx::AppCtx, id: ComplaintId) -> bool {
    ctx.replica.with(|r| {
        r.as_ref()
            .and_then(|r| crate::logic::record::rejection(r, &id))
            .is_some_and(|w| w.whole_record)
    })
}

/// The record's sync state (reactive; tracks the replica and the batch in flight).
fn state_of(ctx: crate::ctx::AppCtx, id: ComplaintId) -> RecordState {
    ctx.replica.with(|r| {
        r.as_ref().map_or(RecordState::Saved, |r| {
            ctx.in_flight.with(|f| record_state(r, &id, f))
        })
    })
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
    let sync = Memo::new(move |_| state_of(ctx, id));
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
            {move || view! { <SyncBadge state=sync.get()/> }}
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
