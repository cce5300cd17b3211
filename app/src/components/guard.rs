//! Shows a page only to a logged-in user (with the header), else redirects to `/login`.

use crate::components::banners::Banners;
use crate::components::header::Header;
use crate::components::photos::PhotoViewer;
use crate::components::toast::ToastHost;
use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Guard(children: ChildrenFn) -> impl IntoView {
    let ctx = use_ctx();
    // Memos, so that a sync (which updates the replica) never re-mounts the page and loses its state.
    let logged_in = Memo::new(move |_| ctx.session.with(Option::is_some));
    let loaded = Memo::new(move |_| ctx.replica.with(Option::is_some));
    move || {
        if !logged_in.get() {
            return view! { <Redirect path="/login"/> }.into_any();
        }
        let body = if let Some(err) = ctx.store_error.get() {
            view! { <p class="error" role="alert">{ctx.t(K::StorageFailed)} " (" {err} ")"</p> }
                .into_any()
        } else if !loaded.get() {
            view! { <p class="muted">{ctx.t(K::Loading)}</p> }.into_any()
        } else {
            children().into_any()
        };
        view! {
            <Header/>
            <Banners/>
            <main>{body}</main>
            <ToastHost/>
            <PhotoViewer/>
        }
        .into_any()
    }
}
