//! Siteline front end: Leptos CSR app, offline-first (IndexedDB replica, outbox sync, service worker).

pub mod api;
pub mod components;
pub mod ctx;
pub mod i18n;
pub mod logic;
pub mod pages;
pub mod store;
pub mod sync;

use components::guard::Guard;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::{
    board::BoardPage, detail::DetailPage, list::ListPage, login::LoginPage, new::NewPage,
    notice::NoticePage,
};

/// Entry point called from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    register_service_worker();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = ctx::AppCtx::provide();
    ctx.open_local_store();
    sync::start(ctx);
    view! {
        <Router>
            <Routes fallback=|| view! { <pages::NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/") view=|| view! { <Guard><ListPage/></Guard> }/>
                <Route path=path!("/new") view=|| view! { <Guard><NewPage/></Guard> }/>
                <Route path=path!("/board") view=|| view! { <Guard><BoardPage/></Guard> }/>
                <Route path=path!("/complaints/:id") view=|| view! { <Guard><DetailPage/></Guard> }/>
                <Route path=path!("/complaints/:id/notice") view=|| view! { <Guard><NoticePage/></Guard> }/>
            </Routes>
        </Router>
    }
}

/// Registers `/sw.js`, which caches the app shell so the app opens with no connection.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let sw = window.navigator().service_worker();
    // A failure (e.g. unsupported browser) only means no offline start; the app still works.
    let _ = sw.register("/sw.js");
}
