//! An in-page confirm step before anything that discards local data (never `window.confirm`).

use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;

/// A button that first asks; `on_confirm` runs only after the second, explicit click.
#[component]
pub fn ConfirmButton(
    /// The first button's text and test id.
    label: K,
    testid: &'static str,
    /// What will be lost.
    warning: K,
    confirm: K,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let asking = RwSignal::new(false);
    view! {
        <Show when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="danger" data-testid=testid disabled=move || disabled.get()
                    on:click=move |_| asking.set(true)>{move || ctx.t(label)}</button>
            }>
            <div class="confirm" role="alertdialog" data-testid="confirm-step">
                <p>{move || ctx.t(warning)}</p>
                <button type="button" class="danger" data-testid="confirm-discard" disabled=move || disabled.get()
                    on:click=move |_| { asking.set(false); on_confirm.run(()) }>{move || ctx.t(confirm)}</button>
                <button type="button" data-testid="cancel-discard" on:click=move |_| asking.set(false)>
                    {move || ctx.t(K::Cancel)}
                </button>
            </div>
        </Show>
    }
}
