//! "My complaints": what this user captured, newest first, with sync state per record.

use crate::components::badges::{NumberBadge, SeverityBadge, StatusBadge, SyncBadge};
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use leptos::prelude::*;
use leptos_router::components::A;
use siteline_model::replica::RecordSync;
use siteline_model::Complaint;

#[component]
pub fn ListPage() -> impl IntoView {
    let ctx = use_ctx();
    let rows = Memo::new(move |_| {
        let me = ctx.username().unwrap_or_default();
        ctx.replica.with(|r| {
            let Some(r) = r else { return vec![] };
            let mut v: Vec<(Complaint, RecordSync)> = r
                .complaints()
                .values()
                .filter(|c| c.created_by == me)
                .map(|c| (c.clone(), r.record_sync(&c.id)))
                .collect();
            v.sort_by(|a, b| {
                b.0.captured_at
                    .cmp(&a.0.captured_at)
                    .then(b.0.id.cmp(&a.0.id))
            });
            v
        })
    });
    view! {
        <section>
            <div class="toolbar">
                <h2>{move || ctx.t(K::MyComplaints)}</h2>
                <A href="/new" attr:class="button primary">{move || ctx.t(K::NewComplaint)}</A>
            </div>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted">{move || ctx.t(K::NoComplaints)}</p>
                <p class="muted">{move || ctx.t(K::OfflineHint)}</p>
            </Show>
            <ul class="rows">
                <For
                    each=move || rows.get()
                    key=|(c, s)| (c.id, c.event_count, c.number.clone(), *s)
                    children=move |(c, s)| {
                        let href = format!("/complaints/{}", c.id);
                        let cat = c.category.clone();
                        let id = c.id.to_string();
                        view! {
                            <li class="row" data-testid="complaint-row" data-id=id>
                                <A href=href>
                                    <div class="row-head">
                                        <NumberBadge complaint=c.clone()/>
                                        <StatusBadge status=c.status/>
                                        <SeverityBadge severity=c.severity/>
                                        <SyncBadge state=s/>
                                    </div>
                                    <div class="row-body">
                                        <b>{c.location.clone()}</b>
                                        " · " {move || i18n::category_name(&cat, ctx.lang.get())}
                                        <p>{c.description.clone()}</p>
                                    </div>
                                    <small class="muted">{c.captured_at.to_string()}</small>
                                </A>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
