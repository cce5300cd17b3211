//! Photos on the intake form: take or choose (downscaled, hashed and stored on the device at
//! once, so a reload keeps them), previews, and removal before saving.

use super::fields::Form;
use crate::components::photos::{picked_files, store_picked, Thumb};
use crate::ctx::use_ctx;
use crate::i18n::K;
use leptos::prelude::*;
use siteline_model::validation::MAX_ATTACHMENTS;
use siteline_model::AttachmentRef;

#[component]
pub fn IntakePhotos(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |files: &Vec<web_sys::File>| {
        let files = files.clone();
        async move {
            let room =
                MAX_ATTACHMENTS.saturating_sub(form.draft.with_untracked(|d| d.photos.len()));
            let too_many = files.len() > room;
            let files: Vec<_> = files.into_iter().take(room).collect();
            let (refs, problem) = store_picked(ctx, files).await;
            form.draft.try_update(|d| {
                for r in refs {
                    if !d.photos.contains(&r) {
                        d.photos.push(r);
                    }
                }
            });
            let msg = problem
                .map(|p| p.text(ctx))
                .or_else(|| too_many.then(|| ctx.t(K::PhotosTooMany).to_string()));
            error.try_set(msg);
        }
    });
    let remove = move |a: AttachmentRef| {
        form.draft.update(|d| d.photos.retain(|p| p != &a));
        // The photo is deleted from the device once no draft or record refers to it (after the
        // draft effect has stored the draft without it).
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(50).await;
            ctx.forget_unused_photos().await
        });
    };
    view! {
        <div class="field wide photos" data-testid="intake-photos">
            <span class="label">{move || ctx.t(K::Photos)} {form.error("attachments")}</span>
            <div class="photo-previews">
                <For each=move || form.draft.with(|d| d.photos.clone()) key=|a| a.sha256.clone() children=move |a| {
                    let sha = a.sha256.clone();
                    let attr = sha.clone();
                    view! {
                        <span class="preview" data-testid="photo-preview" data-sha256=attr>
                            <Thumb sha=sha/>
                            <button type="button" class="link" data-testid="remove-photo"
                                on:click=move |_| remove(a.clone())>{move || ctx.t(K::PhotoRemove)}</button>
                        </span>
                    }
                }/>
            </div>
            <label class="photo-add">
                {move || if add.pending().get() { ctx.t(K::PhotoProcessing) } else { ctx.t(K::TakePhoto) }}
                <input type="file" accept="image/*" capture="environment" multiple data-testid="photo-input"
                    disabled=move || add.pending().get()
                    on:change=move |ev| { let files = picked_files(&ev); if !files.is_empty() { add.dispatch_local(files); } }/>
            </label>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="photo-error">{move || error.get()}</p>
            </Show>
        </div>
    }
}
