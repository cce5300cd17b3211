//! The record's photos: thumbnails (tap for full view), refusals by the server, and "add photos"
//! after capture (an `AttachmentsAdded` event, committed with the photos' upload state).

use crate::components::photos::{picked_files, store_picked, PhotoErrors, PhotoStrip};
use crate::ctx::use_ctx;
use crate::i18n::K;
use crate::logic::upload::UploadRecord;
use leptos::prelude::*;
use siteline_model::validation::MAX_ATTACHMENTS;
use siteline_model::{Complaint, ComplaintId, EventKind};

/// Photos the server refused, and how many still wait to upload (shown at the top of the record).
#[component]
pub fn PhotoProblems(complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let photos = Memo::new(move |_| {
        complaint.with(|c| {
            c.as_ref()
                .map(|c| c.attachments.clone())
                .unwrap_or_default()
        })
    });
    view! { <div class="photo-problems"><PhotoErrors photos=photos/></div> }
}

#[component]
pub fn Photos(
    id: ComplaintId,
    complaint: Memo<Option<Complaint>>,
    can_add: Signal<bool>,
) -> impl IntoView {
    let ctx = use_ctx();
    let photos = Memo::new(move |_| {
        complaint.with(|c| {
            c.as_ref()
                .map(|c| c.attachments.clone())
                .unwrap_or_default()
        })
    });
    let error = RwSignal::new(None::<String>);
    let add = Action::new_local(move |files: &Vec<web_sys::File>| {
        let files = files.clone();
        async move {
            let room = MAX_ATTACHMENTS.saturating_sub(photos.get_untracked().len());
            if files.len() > room {
                error.try_set(Some(ctx.t(K::PhotosTooMany).to_string()));
            }
            let files: Vec<_> = files.into_iter().take(room).collect();
            if files.is_empty() {
                return;
            }
            let (refs, problem) = store_picked(ctx, files).await;
            let have = photos.get_untracked();
            let refs: Vec<_> = refs.into_iter().filter(|r| !have.contains(r)).collect();
            error.try_set(problem.map(|p| p.text(ctx)));
            if refs.is_empty() {
                return;
            }
            let author = ctx.username().unwrap_or_default();
            let uploads = refs.iter().map(|a| UploadRecord::new(a, &author)).collect();
            let kind = EventKind::AttachmentsAdded { attachments: refs };
            if let Err(e) = ctx.record_with(id, kind, uploads).await {
                error.try_set(Some(ctx.save_error_text(&e)));
                ctx.forget_unused_photos().await;
            }
        }
    });
    view! {
        <section class="photos" data-testid="photos">
            <h3>{move || ctx.t(K::Photos)}</h3>
            {move || view! { <PhotoStrip photos=photos.get()/> }}
            <Show when=move || can_add.get()>
                <label class="photo-add">
                    {move || if add.pending().get() { ctx.t(K::PhotoProcessing) } else { ctx.t(K::AddPhotos) }}
                    <input type="file" accept="image/*" capture="environment" multiple data-testid="photo-input-event"
                        disabled=move || add.pending().get()
                        on:change=move |ev| { let files = picked_files(&ev); if !files.is_empty() { add.dispatch_local(files); } }/>
                </label>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </section>
    }
}
