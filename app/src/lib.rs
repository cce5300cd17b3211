//! Siteline front end: Leptos CSR app, offline-first (IndexedDB replica, outbox sync, service worker).

pub mod api;
pub mod auth;
pub mod components;
pub mod ctx;
pub mod i18n;
pub mod logic;
pub mod pages;
pub mod store;
pub mod sync;
pub mod web;

// Unit tests of the lib run natively (`#[test]`) and in headless Chromium.
#[cfg(all(test, target_family = "wasm"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use components::guard::Guard;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use pages::lazy::{Lazy, Page};
use pages::{list::ListPage, login::LoginPage, new::NewPage};

/// Entry point called from `main`.
pub fn start() {
    store::perf::mark_start();
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = ctx::AppCtx::provide();
    components::toast::Toasts::provide();
    ctx.open_local_store();
    auth::start(ctx);
    sync::start(ctx);
    web::sw::register(move || ctx.update_available.set(true));
    Effect::new(move |_| web::document::apply(ctx.lang.get(), ctx.display.get()));
    // Once the local data is open, the other pages' modules are fetched in the background.
    let preloaded = StoredValue::new(false);
    Effect::new(move |_| {
        if ctx.replica.with(Option::is_some) && !preloaded.get_value() {
            preloaded.set_value(true);
            // After the first frame that shows the records, not competing with it.
            request_animation_frame(|| {
                set_timeout(pages::lazy::preload_all, std::time::Duration::ZERO)
            });
        }
    });
    view! {
        <Router>
            <Routes fallback=|| view! { <pages::NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/") view=|| view! { <Guard><ListPage/></Guard> }/>
                <Route path=path!("/new") view=|| view! { <Guard><NewPage/></Guard> }/>
                <Route path=path!("/board") view=|| view! { <Guard><Lazy page=Page::Board/></Guard> }/>
                <Route path=path!("/status") view=|| view! { <Guard><Lazy page=Page::Status/></Guard> }/>
                <Route path=path!("/admin") view=|| view! { <Guard><Lazy page=Page::Admin/></Guard> }/>
                <Route path=path!("/reports") view=|| view! { <Guard><Lazy page=Page::Reports/></Guard> }/>
                <Route path=path!("/fleet") view=|| view! { <Guard><Lazy page=Page::Fleet/></Guard> }/>
                <Route path=path!("/setup") view=|| view! { <Guard><Lazy page=Page::Setup/></Guard> }/>
                <Route path=path!("/replies") view=|| view! { <Guard><Lazy page=Page::Replies/></Guard> }/>
                <Route path=path!("/history") view=|| view! { <Guard><Lazy page=Page::History/></Guard> }/>
                <Route path=path!("/complaints/:id") view=|| view! { <Guard><Lazy page=Page::Detail/></Guard> }/>
                <Route path=path!("/complaints/:id/notice") view=|| view! { <Guard><Lazy page=Page::Notice/></Guard> }/>
            </Routes>
        </Router>
    }
}
