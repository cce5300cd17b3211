//! Supervisor board: every complaint on this device (synced from the server), in columns by status.

use crate::components::badges::{NumberBadge, SeverityBadge};
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use leptos::prelude::*;
use leptos_router::components::A;
use siteline_model::{Complaint, Status};

#[component]
pub fn BoardPage() -> impl IntoView {
    let ctx = use_ctx();
    let all = Memo::new(move |_| {
        ctx.replica.with(|r| {
            let mut v: Vec<Complaint> = r
                .as_ref()
                .map(|r| r.complaints().values().cloned().collect())
                .unwrap_or_default();
            v.sort_by(|a, b| {
                a.severity
                    .cmp(&b.severity)
                    .then(b.captured_at.cmp(&a.captured_at))
            });
            v
        })
    });
    let columns = Status::ALL.map(|status| {
        let cards = move || all.with(|v| v.iter().filter(|c| c.status == status).cloned().collect::<Vec<_>>());
        let count = move || all.with(|v| v.iter().filter(|c| c.status == status).count());
        view! {
            <section class="column" data-status=status.code()>
                <h3>{move || i18n::status(status, ctx.lang.get())} " " <span class="count">{count}</span></h3>
                <For
                    each=cards
                    key=|c| (c.id, c.event_count, c.number.clone())
                    children=move |c| {
                        let cat = c.category.clone();
                        let id = c.id.to_string();
                        let href = format!("/complaints/{id}");
                        view! {
                            <article class="card" data-testid="complaint-card" data-id=id>
                                <A href=href>
                                    <div class="row-head">
                                        <NumberBadge complaint=c.clone()/>
                                        <SeverityBadge severity=c.severity/>
                                    </div>
                                    <b>{c.location.clone()}</b>
                                    <div class="muted">{move || i18n::category_name(&cat, ctx.lang.get())}</div>
                                    <p>{c.description.clone()}</p>
                                    <small class="muted">{c.captured_at.to_string()} " · " {c.created_by.clone()}</small>
                                </A>
                            </article>
                        }
                    }
                />
            </section>
        }
    });
    view! {
        <div class="toolbar"><h2>{move || ctx.t(K::Board)}</h2></div>
        <div class="board">{columns.into_iter().collect_view()}</div>
    }
}
