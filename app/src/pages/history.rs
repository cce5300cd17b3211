//! `/history` (every role; online): finding a complaint the tablet does not keep — finished
//! before the device window — in the server's register by number, description or place. Each
//! answer opens its page, which fetches and caches it (`detail::fetch`).

use crate::api::Api;
use crate::components::badges::StatusBadge;
use crate::ctx::{use_ctx, Conn};
use crate::i18n::K;
use crate::logic::history::{mark_held, search_query, QueryError, MAX_QUERY_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::ComplaintSummary;
use siteline_model::time::CHINA_OFFSET_MINUTES;

/// Where a search stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Search {
    Idle,
    Asking,
    Found(Vec<(ComplaintSummary, bool)>),
    Failed(String),
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let ctx = use_ctx();
    let text = RwSignal::new(String::new());
    let state = RwSignal::new(Search::Idle);
    let offline = move || ctx.conn.get() == Conn::Offline;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let query = match search_query(&text.get_untracked()) {
            Ok(q) => q,
            Err(QueryError::Empty) => return state.set(Search::Idle),
            Err(QueryError::TooLong) => {
                return state.set(Search::Failed(ctx.t(K::HistoryTooLong).to_string()))
            }
        };
        state.set(Search::Asking);
        spawn_local(async move {
            let got = Api::new(ctx.token()).search_history(&query).await;
            state.set(match got {
                Ok(found) => Search::Found(ctx.replica.with_untracked(|r| {
                    mark_held(found, |id| r.as_ref().is_some_and(|r| r.holds(id)))
                })),
                Err(e) => Search::Failed(e.to_string()),
            });
        });
    };
    view! {
        <section class="history-page" data-testid="history-page">
            <h2>{move || ctx.t(K::History)}</h2>
            <p class="hint">{move || ctx.t(K::HistoryHint)}</p>
            <form class="history-search" role="search" on:submit=submit>
                <input type="search" name="history_q" maxlength=MAX_QUERY_CHARS.to_string()
                    aria-label=move || ctx.t(K::HistorySearch)
                    placeholder=move || ctx.t(K::HistoryPlaceholder)
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" disabled=offline>{move || ctx.t(K::HistorySearch)}</button>
            </form>
            <Show when=offline>
                <p class="muted" data-testid="history-search-offline">{move || ctx.t(K::HistorySearchOffline)}</p>
            </Show>
            {move || match state.get() {
                Search::Idle => ().into_any(),
                Search::Asking => view! { <p class="muted">{ctx.t(K::HistorySearching)}</p> }.into_any(),
                Search::Failed(why) => view! {
                    <p class="error" role="alert" data-testid="history-search-failed">{why}</p>
                }.into_any(),
                Search::Found(rows) if rows.is_empty() => view! {
                    <p class="muted" data-testid="history-none">{ctx.t(K::HistoryNone)}</p>
                }.into_any(),
                Search::Found(rows) => view! {
                    <ul class="rows">
                        {rows.into_iter().map(|(c, held)| result_row(c, held)).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// One answer: its number, status and when it was taken, what happened and where; a link.
fn result_row(c: ComplaintSummary, held: bool) -> impl IntoView {
    let ctx = use_ctx();
    let number = if c.number.is_empty() {
        c.provisional_number.clone()
    } else {
        c.number.clone()
    };
    let status = c.status;
    view! {
        <li class="row" data-testid="history-result" data-id=c.id.to_string()>
            <a href=format!("/complaints/{}", c.id)>
                <div class="row-head">
                    <b class="number">{number}</b>
                    <StatusBadge status=status/>
                    {held.then(|| view! { <small class="muted">{move || ctx.t(K::HistoryHeld)}</small> })}
                </div>
                <div class="row-body">
                    <b>{c.location.clone()}</b>
                    <p>{c.description.clone()}</p>
                </div>
                <small class="muted">{c.created_at.format_local(CHINA_OFFSET_MINUTES)}</small>
            </a>
        </li>
    }
}
