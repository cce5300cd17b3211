//! Complaint detail: the register fields, sync receipt, timeline of events, add note, change status.

use crate::components::badges::{NumberBadge, SeverityBadge, StatusBadge, SyncBadge};
use crate::ctx::{now, random10, use_ctx, AppCtx};
use crate::i18n::{self, K};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use siteline_model::replica::StoredEvent;
use siteline_model::validation::validate_note;
use siteline_model::{Complaint, ComplaintId, EventKind, Status};

#[component]
pub fn DetailPage() -> impl IntoView {
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
    // Re-render the page only when the complaint (not its content) changes; fields update in place,
    // so a sync never wipes what the user is typing.
    let shown = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.id)));
    move || match shown.get() {
        None => {
            view! { <p class="muted" data-testid="not-found">{ctx.t(K::NotFound)}</p> }.into_any()
        }
        Some(cid) => {
            let sync = Memo::new(move |_| {
                ctx.replica.with(|r| {
                    r.as_ref()
                        .map(|r| (r.record_sync(&cid), r.received_at(&cid)))
                })
            });
            let f = move |get: fn(&Complaint) -> String| {
                move || complaint.with(|c| c.as_ref().map(get).unwrap_or_default())
            };
            let lang = ctx.lang;
            let head = move || {
                complaint.get().map(|c| {
                    view! {
                        <NumberBadge complaint=c.clone()/>
                        <StatusBadge status=c.status/>
                        <SeverityBadge severity=c.severity/>
                    }
                })
            };
            view! {
                <article class="detail" data-testid="complaint-detail" data-id=cid.to_string()>
                    <div class="row-head">
                        {head}
                        {move || sync.get().map(|(s, _)| view! { <SyncBadge state=s/> })}
                    </div>
                    <dl class="fields">
                        <dt>{move || ctx.t(K::Location)}</dt><dd>{f(|c| c.location.clone())}</dd>
                        <dt>{move || ctx.t(K::Category)}</dt>
                        <dd>{move || complaint.with(|c| c.as_ref().map(|c| i18n::category_name(&c.category, lang.get())))}</dd>
                        <dt>{move || ctx.t(K::Channel)}</dt>
                        <dd>{move || complaint.with(|c| c.as_ref().map(|c| i18n::channel(c.channel, lang.get())))}</dd>
                        <dt>{move || ctx.t(K::Description)}</dt><dd class="pre">{f(|c| c.description.clone())}</dd>
                        <dt>{move || ctx.t(K::ComplainantName)}</dt>
                        <dd>{move || complaint.with(|c| c.as_ref().and_then(|c| c.complainant.name.clone())).unwrap_or_else(|| ctx.t(K::Anonymous).to_string())}</dd>
                        <dt>{move || ctx.t(K::ComplainantPhone)}</dt><dd>{f(|c| c.complainant.phone.clone().unwrap_or_default())}</dd>
                        <dt>{move || ctx.t(K::CreatedBy)}</dt><dd>{f(|c| c.created_by.clone())}</dd>
                        <dt>{move || ctx.t(K::CapturedAt)}</dt><dd>{f(|c| c.captured_at.to_string())}</dd>
                        <dt>{move || ctx.t(K::ReceivedAt)}</dt>
                        <dd data-testid="received-at">{move || sync.get().and_then(|(_, r)| r).map(|t| t.to_string()).unwrap_or_else(|| "—".into())}</dd>
                    </dl>
                    <Actions ctx=ctx id=cid complaint=complaint/>
                    <h3>{move || ctx.t(K::Timeline)}</h3>
                    <Timeline id=cid/>
                </article>
            }
            .into_any()
        }
    }
}

#[component]
fn Actions(ctx: AppCtx, id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let current = move || complaint.with(|c| c.as_ref().map(|c| c.status));
    let note = RwSignal::new(String::new());
    let next = RwSignal::new(current().unwrap_or(Status::Received).code().to_string());
    let error = RwSignal::new(None::<String>);
    let record = Action::new_local(move |kind: &EventKind| {
        let kind = kind.clone();
        async move {
            let author = ctx.username().unwrap_or_default();
            let change = ctx.replica.with_untracked(|r| {
                r.as_ref()
                    .map(|r| r.prepare(id, kind, &author, now(), random10()))
            });
            let Some(change) = change else { return false };
            match ctx.commit(change).await {
                Ok(()) => {
                    ctx.poke_sync();
                    true
                }
                Err(e) => {
                    error.set(Some(format!("{}{e}", ctx.t(K::SaveFailed))));
                    false
                }
            }
        }
    });
    // Clear the note box only once the note is safely stored.
    Effect::new(move |_| {
        if record.value().get() == Some(true) {
            note.set(String::new());
        }
    });
    let add_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked().trim().to_string();
        match validate_note(&text) {
            Ok(()) => {
                error.set(None);
                record.dispatch_local(EventKind::NoteAdded { text });
            }
            Err(e) => error.set(
                e.0.first()
                    .map(|e| ctx.t(i18n::validation(e.code)).to_string()),
            ),
        }
    };
    let change_status = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(to) = Status::parse(&next.get_untracked())
            .filter(|s| Some(*s) != complaint.with_untracked(|c| c.as_ref().map(|c| c.status)))
        {
            record.dispatch_local(EventKind::StatusChanged { to, reason: None });
        }
    };
    view! {
        <Show when=move || error.get().is_some()>
            <p class="error" role="alert">{move || error.get()}</p>
        </Show>
        <div class="actions-row">
            <form class="inline" on:submit=add_note>
                <input name="note" placeholder=move || ctx.t(K::NotePlaceholder) prop:value=note
                    on:input=move |ev| note.set(event_target_value(&ev))/>
                <button type="submit" data-testid="add-note">{move || ctx.t(K::AddNote)}</button>
            </form>
            <form class="inline" on:submit=change_status>
                <select name="status" prop:value=next on:change=move |ev| next.set(event_target_value(&ev))>
                    {Status::ALL.map(|s| view! { <option value=s.code()>{move || i18n::status(s, ctx.lang.get())}</option> }).collect_view()}
                </select>
                <button type="submit" data-testid="change-status">{move || ctx.t(K::ChangeStatus)}</button>
            </form>
        </div>
    }
}

#[component]
fn Timeline(id: ComplaintId) -> impl IntoView {
    let ctx = use_ctx();
    let events = Memo::new(move |_| {
        ctx.replica.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.events_of(&id)
                        .into_iter()
                        .cloned()
                        .collect::<Vec<StoredEvent>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <ol class="timeline">
            <For each=move || events.get() key=|s| (s.event.id, format!("{:?}", s.sync)) children=move |s| {
                let e = s.event;
                let kind_code = e.kind.code();
                let (when, who) = (e.captured_at.to_string(), e.author.clone());
                let what = move || i18n::event_line(&e.kind, ctx.lang.get());
                view! {
                    <li data-kind=kind_code>
                        <span class="when">{when}</span>
                        <span class="who">{who}</span>
                        <span class="what">{what}</span>
                    </li>
                }
            }/>
        </ol>
    }
}
