//! The complaint's time limits on the site's clock, recomputed every 30 s on the device (so a
//! basement with no signal still shows "overdue"), each with its state and a countdown.

use crate::components::tick::use_now;
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::time::{countdown, countdown_text, deadline_kind_code, deadline_state_code};
use leptos::prelude::*;
use siteline_model::Complaint;
use std::time::Duration;

#[component]
pub fn Deadlines(complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let now = use_now(Duration::from_secs(30));
    let list = move || {
        let t = now.get();
        let lang = ctx.lang.get();
        let ds = complaint.with(|c| {
            c.as_ref()
                .map(|c| ctx.clock.with(|k| k.deadlines(c, t)))
                .unwrap_or_default()
        });
        if ds.is_empty() {
            return view! { <p class="muted">{ctx.t(K::NoDeadlines)}</p> }.into_any();
        }
        ds.into_iter()
            .map(|d| {
                let state = deadline_state_code(d.state);
                let text = countdown_text(countdown(&d, t), lang);
                view! {
                    <li class=format!("deadline dl-{state}") data-testid="deadline"
                        data-kind=deadline_kind_code(d.kind) data-state=state>
                        <span class="dl-name">{i18n::deadline_kind(d.kind, lang)}</span>
                        <span class="dl-left">{text}</span>
                        <small class="muted">{K::DueAt.get(lang)} " " {d.due_at.to_string()}</small>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="deadlines">
            <h3>{move || ctx.t(K::Deadlines)}</h3>
            <ul class="deadline-list">{list}</ul>
        </section>
    }
}
