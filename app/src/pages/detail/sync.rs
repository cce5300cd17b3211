//! Where the record stands with the server: 受理 T0 · 服务器接收 T1 (safe only with a receipt), and
//! for a refused record the server's reason with "fix and resubmit" and "discard" (confirmed).

use crate::components::confirm::ConfirmButton;
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::record;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use siteline_model::{Complaint, ComplaintId};

/// 受理 T0 · 服务器接收 T1
#[component]
pub fn Receipt(id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let captured = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.captured_at)));
    let received = Memo::new(move |_| {
        ctx.replica
            .with(|r| r.as_ref().and_then(|r| r.received_at(&id)))
    });
    view! {
        <p class="receipt" data-testid="receipt" data-safe=move || received.with(Option::is_some).to_string()>
            {move || ctx.t(K::Captured)} " " {move || captured.get().map(|t| t.to_string())}
            " · " {move || ctx.t(K::ReceivedAt)} " "
            {move || received.get().map_or_else(|| "—".to_string(), |t| t.to_string())}
            <br/>
            <small class=move || if received.with(Option::is_some) { "ok" } else { "muted" }>
                {move || if received.with(Option::is_some) { ctx.t(K::SafeOnServer) } else { ctx.t(K::NotSafeYet) }}
            </small>
        </p>
    }
}

/// The server's refusal, with what can be done about it.
#[component]
pub fn Rejected(id: ComplaintId) -> impl IntoView {
    let ctx = use_ctx();
    let why = Memo::new(move |_| {
        ctx.replica
            .with(|r| r.as_ref().and_then(|r| record::rejection(r, &id)))
    });
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let discard = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            match ctx.discard_rejected(id).await {
                Ok(()) => {
                    let gone = ctx
                        .replica
                        .with_untracked(|r| r.as_ref().is_none_or(|r| r.complaint(&id).is_none()));
                    if gone {
                        navigate("/", Default::default());
                    }
                }
                Err(e) => {
                    error.try_set(Some(ctx.save_error_text(&e)));
                }
            }
        }
    });
    move || {
        why.get().map(|w| {
            let text = {
                let w = w.clone();
                move || {
                    let known = i18n::rejection(&w.code).map(|k| ctx.t(k));
                    match known {
                        Some(k) => format!("{k} ({}: {})", w.code, w.message),
                        None => format!("{}: {}", w.code, w.message),
                    }
                }
            };
            view! {
                <div class="rejected-box" role="alert">
                    <p>
                        <b>{move || ctx.t(K::RejectedTitle)}</b>
                        <span data-testid="rejected-reason" data-code=w.code.clone()>{text}</span>
                    </p>
                    <div class="actions-row">
                        {w.whole_record.then(|| view! {
                            <a class="button primary" data-testid="fix-record" href=format!("/new?fix={id}")>
                                {move || ctx.t(K::FixRecord)}
                            </a>
                        })}
                        <ConfirmButton label=K::DiscardRecord testid="discard-record" warning=K::ConfirmDiscardText
                            confirm=K::ConfirmDiscard on_confirm=move |_| { discard.dispatch_local(()); }
                            disabled=Signal::derive(move || discard.pending().get())/>
                    </div>
                    <Show when=move || error.get().is_some()>
                        <p class="error">{move || error.get()}</p>
                    </Show>
                </div>
            }
        })
    }
}
