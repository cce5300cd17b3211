//! Pages loaded on demand: each is a wasm-split point, cut into its own module by the xtask build,
//! so the first load holds only login, list, intake and sync. A failed load shows a retry instead
//! of breaking the app (the loader does not remember failures), and the rest are fetched once the
//! app is idle so a later visit costs nothing.

use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

/// A page that lives in its own wasm module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Board,
    Status,
    Admin,
    Reports,
    Fleet,
    Setup,
    Replies,
    Detail,
    Notice,
    History,
}

impl Page {
    pub const ALL: [Page; 10] = [
        Page::Detail,
        Page::Board,
        Page::Status,
        Page::Notice,
        Page::Reports,
        Page::Replies,
        Page::Fleet,
        Page::Admin,
        Page::Setup,
        Page::History,
    ];
}

type Loaded = Result<AnyView, SplitLoaderError>;

macro_rules! split_pages {
    ($($module:ident: $page:ident => $view:path, $preload:ident;)*) => {
        $(
            #[wasm_split($module, fallible, preload($preload))]
            fn $module() -> Loaded {
                Ok(view! { <$view/> }.into_any())
            }
        )*

        /// The page's view, its module loaded first.
        async fn load(page: Page) -> Loaded {
            match page {
                $(Page::$page => $module().await,)*
            }
        }

        /// Fetches and instantiates the page's module without showing it.
        async fn preload(page: Page) -> Result<(), SplitLoaderError> {
            match page {
                $(Page::$page => $preload().await,)*
            }
        }
    };
}

split_pages! {
    board: Board => super::board::BoardPage, preload_board;
    status: Status => super::status::StatusPage, preload_status;
    admin: Admin => super::admin::AdminPage, preload_admin;
    reports: Reports => super::reports::ReportsPage, preload_reports;
    fleet: Fleet => super::fleet::FleetPage, preload_fleet;
    setup: Setup => super::setup::SetupPage, preload_setup;
    replies: Replies => super::replies::RepliesPage, preload_replies;
    detail: Detail => super::detail::DetailPage, preload_detail;
    notice: Notice => super::notice::NoticePage, preload_notice;
    history: History => super::history::HistoryPage, preload_history;
}

/// Shows `page` once its module is in; on a failed load, a message and a retry button.
#[component]
pub fn Lazy(page: Page) -> impl IntoView {
    let ctx = use_ctx();
    let attempt = RwSignal::new(0u32);
    let body = move || {
        attempt.track();
        Suspend::new(async move {
            match load(page).await {
                Ok(v) => v,
                Err(_) => view! {
                    <div class="error" role="alert" data-testid="page-load-failed">
                        <p>{ctx.t(K::PageLoadFailed)}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {ctx.t(K::PageRetry)}
                        </button>
                    </div>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Suspense fallback=move || view! { <p class="muted" data-testid="page-loading">{ctx.t(K::PageLoading)}</p> }>
            {body}
        </Suspense>
    }
}

/// Loads every page's module in the background, one after another (a failure is left for the
/// page itself to retry when opened).
pub fn preload_all() {
    leptos::task::spawn_local(async {
        for page in Page::ALL {
            let _ = preload(page).await;
        }
    });
}
