//! Small labels: complaint number (provisional or canonical), severity, status, sync state.

use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use leptos::prelude::*;
use siteline_model::replica::RecordSync;
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

#[component]
pub fn SyncBadge(state: RecordSync) -> impl IntoView {
    let ctx = use_ctx();
    let (class, key) = match state {
        RecordSync::Pending => ("sync pending", K::SyncSaved),
        RecordSync::Synced => ("sync synced", K::SyncSynced),
        RecordSync::Rejected => ("sync rejected", K::SyncRejected),
    };
    view! { <span class=class data-sync=class>{move || ctx.t(key)}</span> }
}
