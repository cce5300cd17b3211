//! Small labels: complaint number (provisional or canonical), severity, status, sync state.

use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::record::RecordState;
use leptos::prelude::*;
use siteline_model::{Complaint, Severity, Status};

#[component]
pub fn NumberBadge(#[prop(into)] complaint: Complaint) -> impl IntoView {
    let ctx = use_ctx();
    match complaint.number {
        Some(n) => view! { <span class="number">{n}</span> }.into_any(),
        None => view! {
            <span class="number provisional" title=move || ctx.t(K::Provisional)>
                {complaint.provisional_number} <small>" (" {move || ctx.t(K::Provisional)} ")"</small>
            </span>
        }
        .into_any(),
    }
}

#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    let ctx = use_ctx();
    view! { <span class=format!("sev sev-{}", severity.code())>{move || i18n::severity(severity, ctx.lang.get())}</span> }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let ctx = use_ctx();
    view! { <span class=format!("st st-{}", status.code())>{move || i18n::status(status, ctx.lang.get())}</span> }
}

/// The label of a record's sync state.
pub fn sync_key(state: RecordState) -> K {
    match state {
        RecordState::Saved => K::SyncSaved,
        RecordState::Sending => K::SyncSending,
        RecordState::Synced => K::SyncSynced,
        RecordState::Rejected => K::SyncRejected,
    }
}

#[component]
pub fn SyncBadge(state: RecordState) -> impl IntoView {
    let ctx = use_ctx();
    let key = sync_key(state);
    view! {
        <span class=format!("sync {}", state.code()) data-sync=state.code() data-sync-state=state.code()>
            {move || ctx.t(key)}
        </span>
    }
}
