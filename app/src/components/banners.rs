//! App-wide banners under the header: session expired, update required (426), a new version
//! waiting (applied only when no form has unsaved input), the tablet's clock off the server's
//! by more than two minutes, and low storage space.

use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{clock_offset_text, K};
use crate::logic::readiness::bytes_text;
use crate::store::prefs;
use crate::web::sw;
use leptos::prelude::*;
use leptos_router::components::A;
use siteline_model::sync::clock_off;

/// Whether something typed is not saved yet (the intake draft, or a form on screen).
pub fn has_unsaved_input(ctx: AppCtx) -> bool {
    prefs::load_draft().has_input() || ctx.typing.with_untracked(|t| !t.is_empty())
}

/// Applies a waiting update now, or once the typing is saved.
pub fn request_update(ctx: AppCtx) {
    if has_unsaved_input(ctx) {
        ctx.update_after_save.set(true);
    } else if !sw::apply_update() {
        // Nothing waiting after all (another tab applied it): a reload picks up the new version.
        reload();
    }
}

/// Called after a save: applies an update the user asked for once nothing is unsaved.
pub fn after_save(ctx: AppCtx) {
    if ctx.update_after_save.get_untracked() && !has_unsaved_input(ctx) {
        ctx.update_after_save.set(false);
        if !sw::apply_update() {
            reload();
        }
    }
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

#[component]
pub fn Banners() -> impl IntoView {
    let ctx = use_ctx();
    let low = Memo::new(move |_| ctx.estimate.get().filter(|e| e.is_low()));
    view! {
        <Show when=move || ctx.session_expired.get()>
            <p class="banner error" role="alert" data-testid="session-expired">
                {move || ctx.t(K::SessionExpired)} " " <A href="/login">{move || ctx.t(K::Login)}</A>
            </p>
        </Show>
        <Show when=move || ctx.update_required.get()>
            <p class="banner error" role="alert" data-testid="update-required">
                {move || ctx.t(K::UpdateRequired)} " "
                <button type="button" on:click=move |_| reload()>{move || ctx.t(K::Reload)}</button>
            </p>
        </Show>
        <Show when=move || ctx.update_available.get()>
            <p class="banner info" role="status" data-testid="update-available">
                {move || ctx.t(K::UpdateAvailable)} " · "
                <Show when=move || ctx.update_after_save.get()
                    fallback=move || view! {
                        <button type="button" data-testid="apply-update" on:click=move |_| request_update(ctx)>
                            {move || ctx.t(K::UpdateNow)}
                        </button>
                    }>
                    <span data-testid="update-after-save">{move || ctx.t(K::UpdateAfterSave)}</span>
                </Show>
            </p>
        </Show>
        <Show when=move || clock_off(ctx.clock_offset.get())>
            <p class="banner warn" role="alert" data-testid="clock-warning">
                {move || ctx.clock_offset.get().map(|o| clock_offset_text(o, ctx.lang.get()))}
            </p>
        </Show>
        <Show when=move || low.with(Option::is_some)>
            <p class="banner warn" role="alert" data-testid="storage-warning">
                {move || ctx.t(K::StorageLow)} " ("
                {move || low.get().map(|e| format!("{} {}", bytes_text(e.free()), ctx.t(K::Free)))} ")"
            </p>
        </Show>
    }
}
