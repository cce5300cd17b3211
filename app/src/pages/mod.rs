//! The app's pages (one module each) and the not-found page.

pub mod admin;
pub mod board;
pub mod detail;
pub mod fleet;
pub mod history;
pub mod lazy;
pub mod list;
pub mod login;
pub mod new;
pub mod notice;
pub mod replies;
pub mod reports;
pub mod setup;
pub mod status;

use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <main>
            <p>{move || ctx.t(K::PageNotFound)}</p>
            <A href="/">{move || ctx.t(K::Back)}</A>
        </main>
    }
}
