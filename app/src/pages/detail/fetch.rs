//! A complaint this tablet does not hold (the device window left it on the server): fetched
//! when online, cached in the replica — from then on shown like any other — and spared by the
//! window's eviction for the rest of the session.

use crate::api::{Api, ApiError};
use crate::ctx::{use_ctx, AppCtx, Conn};
use crate::i18n::K;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::ComplaintId;

/// Where fetching a complaint from the server stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fetch {
    /// Asked (or about to be); the page shows it once it is cached.
    Asking,
    NotFound,
    /// No connection (or no session to ask with): try again when online.
    Offline,
    Failed(String),
}

/// Shown in place of a complaint the replica does not have: fetches it and says how that goes.
#[component]
pub fn Elsewhere(id: Memo<Option<ComplaintId>>) -> impl IntoView {
    let ctx = use_ctx();
    let state = RwSignal::new(Fetch::Asking);
    let asking = StoredValue::new(false);
    // The complaint last asked for: a definite answer about it is not asked again (a sync run
    // changes the connection state every few seconds).
    let last = StoredValue::new(None::<ComplaintId>);
    Effect::new(move |_| {
        let conn = ctx.conn.get();
        let Some(cid) = id.get() else {
            state.set(Fetch::NotFound);
            return;
        };
        let answered = last.get_value() == Some(cid)
            && matches!(state.get_untracked(), Fetch::NotFound | Fetch::Failed(_));
        if asking.get_value() || answered {
            return;
        }
        if conn == Conn::Offline {
            state.set(Fetch::Offline);
            return;
        }
        last.set_value(Some(cid));
        asking.set_value(true);
        state.set(Fetch::Asking);
        spawn_local(async move {
            let got = fetch(ctx, cid).await;
            asking.set_value(false);
            state.set(got);
        });
    });
    move || match state.get() {
        Fetch::Asking => view! {
            <p class="muted" data-testid="fetching-history">{ctx.t(K::FetchingHistory)}</p>
        }
        .into_any(),
        Fetch::NotFound => {
            view! { <p class="muted" data-testid="not-found">{ctx.t(K::NotFound)}</p> }.into_any()
        }
        Fetch::Offline => view! {
            <p class="muted" data-testid="history-offline">{ctx.t(K::HistoryOffline)}</p>
        }
        .into_any(),
        Fetch::Failed(why) => view! {
            <p class="error" role="alert" data-testid="history-failed">
                {ctx.t(K::HistoryFailed)} ": " {why}
            </p>
        }
        .into_any(),
    }
}

/// Asks the server for the complaint's events and caches them; `Asking` once cached (the page
/// then shows the complaint itself).
async fn fetch(ctx: AppCtx, cid: ComplaintId) -> Fetch {
    let Some(token) = ctx.token() else {
        return Fetch::Offline;
    };
    let events = match Api::new(Some(token)).complaint_events(cid).await {
        Ok(events) if events.is_empty() => return Fetch::NotFound,
        Ok(events) => events,
        Err(ApiError::Network(_)) => return Fetch::Offline,
        Err(ApiError::Server { status: 404, .. }) => return Fetch::NotFound,
        Err(e) => return Fetch::Failed(e.to_string()),
    };
    let Some(change) = ctx
        .replica
        .with_untracked(|r| r.as_ref().map(|r| r.fetched(events)))
    else {
        return Fetch::Failed("local data not open".into());
    };
    ctx.fetched.update(|f| {
        f.insert(cid);
    });
    match ctx.commit(change).await {
        Ok(()) => Fetch::Asking,
        Err(e) => Fetch::Failed(e.to_string()),
    }
}
