//! The timeline: every event of the complaint in logical order, with who, when (device capture
//! time), which device and its sync state; an event the fold could not apply is marked as a conflict.

use crate::ctx::use_ctx;
use crate::i18n::{self, Lang, K};
use crate::logic::people;
use leptos::prelude::*;
use siteline_model::replica::{StoredEvent, SyncState};
use siteline_model::{Complaint, ComplaintId, EventKind};

#[derive(Clone, Debug, PartialEq)]
struct Row {
    stored: StoredEvent,
    /// Conflict code when the fold did not apply this event.
    conflict: Option<String>,
    /// For a merge: the target's number, if it is on this device.
    target: Option<String>,
}

#[component]
pub fn Timeline(id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let rows = Memo::new(move |_| {
        let conflicts =
            complaint.with(|c| c.as_ref().map(|c| c.conflicts.clone()).unwrap_or_default());
        ctx.replica.with(|r| {
            let Some(r) = r else { return vec![] };
            r.events_of(&id)
                .into_iter()
                .map(|s| Row {
                    conflict: conflicts
                        .iter()
                        .find(|x| x.event_id == s.event.id)
                        .map(|x| x.code.clone()),
                    target: match &s.event.kind {
                        EventKind::Merged { into } => {
                            r.complaint(into).map(|c| c.display_number().to_string())
                        }
                        _ => None,
                    },
                    stored: s.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ol class="timeline">
            <For each=move || rows.get()
                key=|r| (r.stored.event.id, format!("{:?}", r.stored.sync), r.conflict.clone(), r.target.clone())
                children=move |row| view! { <Item row=row/> }/>
        </ol>
    }
}

fn sync_text(s: &SyncState, lang: Lang) -> String {
    match s {
        SyncState::Pending => K::SyncSaved.get(lang).to_string(),
        SyncState::Synced { received_at, .. } => {
            format!("{} {received_at}", K::SyncSynced.get(lang))
        }
        SyncState::Rejected { code, .. } => format!("{} ({code})", K::SyncRejected.get(lang)),
    }
}

#[component]
fn Item(row: Row) -> impl IntoView {
    let ctx = use_ctx();
    let e = row.stored.event;
    let sync = row.stored.sync;
    let sync_class = match &sync {
        SyncState::Pending => "sync pending",
        SyncState::Synced { .. } => "sync synced",
        SyncState::Rejected { .. } => "sync rejected",
    };
    let device_id = e.device_id;
    let author = e.author.clone();
    let target = row.target;
    let kind = e.kind.clone();
    let what = move || {
        let lang = ctx.lang.get();
        match (&kind, &target) {
            (EventKind::Merged { .. }, Some(n)) => format!("{} {n}", K::MergedInto.get(lang)),
            _ => i18n::event_line(&kind, lang),
        }
    };
    let conflict = row.conflict;
    let conflict_note = conflict.clone().map(|code| {
        view! {
            <span class="conflict-note" role="note">
                {move || ctx.t(K::ConflictNote)} " (" {move || ctx.t(i18n::validation(&code))} ")"
            </span>
        }
    });
    let is_conflict = conflict_note.is_some();
    view! {
        <li data-testid="timeline-item" data-kind=e.kind.code() data-conflict=conflict
            class:conflict=is_conflict>
            <span class="when">{e.captured_at.to_string()}</span>
            <span class="who" data-author=e.author.clone()>{move || ctx.who(&author)}</span>
            {move || people::device_label(&device_id, ctx.lang.get()).map(|d| view! {
                <span class="device" title=move || ctx.t(K::Device)>{d}</span>
            })}
            <span class=sync_class>{move || sync_text(&sync, ctx.lang.get())}</span>
            <span class="what">{what}</span>
            {conflict_note}
        </li>
    }
}
