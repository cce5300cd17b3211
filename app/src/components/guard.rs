//! Shows a page only to a logged-in user (with the header), else redirects to `/login`.

use crate::components::header::Header;
use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Guard(children: ChildrenFn) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        if ctx.session.with(Option::is_none) {
            return view! { <Redirect path="/login"/> }.into_any();
        }
        let body = if let Some(err) = ctx.store_error.get() {
            view! { <p class="error" role="alert">{ctx.t(K::StorageFailed)} " (" {err} ")"</p> }.into_any()
        } else if ctx.replica.with(Option::is_none) {
            view! { <p class="muted">{ctx.t(K::Loading)}</p> }.into_any()
        } else {
            children().into_any()
        };
        view! {
            <Header/>
            <main>{body}</main>
        }
        .into_any()
    }
}
