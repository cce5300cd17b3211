//! Photos on screen: thumbnails read from IndexedDB (object URLs, cached for the page's life),
//! a strip of them, the full-screen viewer, and the upload refusals of a record's photos.

use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::upload::UploadState;
use crate::store::StoreError;
use crate::web::image::{self, ImageError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::AttachmentRef;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;

/// Why a picked file did not become a photo.
#[derive(Clone, Debug, PartialEq)]
pub enum PickError {
    NotImage(String),
    Full,
    Failed(String),
}

impl PickError {
    /// The message shown under the photo control.
    pub fn text(&self, ctx: AppCtx) -> String {
        match self {
            PickError::NotImage(d) => format!("{}{d}", ctx.t(K::PhotoUnreadable)),
            PickError::Full => ctx.t(K::DeviceFull).to_string(),
            PickError::Failed(d) => format!("{}{d}", ctx.t(K::SaveFailed)),
        }
    }
}

/// The files chosen in an `<input type=file>` (its value is cleared so the same file can be
/// chosen again).
pub fn picked_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return vec![];
    };
    let files = input.files();
    let out = files
        .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default();
    input.set_value("");
    out
}

/// Downscales, hashes and stores each file (photo and thumbnail) in IndexedDB; answers the
/// references of those stored and the first error, if any.
pub async fn store_picked(
    ctx: AppCtx,
    files: Vec<web_sys::File>,
) -> (Vec<AttachmentRef>, Option<PickError>) {
    let mut refs = vec![];
    let mut error = None;
    let store = match ctx.local_store() {
        Ok(s) => s,
        Err(e) => return (refs, Some(PickError::Failed(e.to_string()))),
    };
    for f in files {
        let p = match image::process(&f).await {
            Ok(p) => p,
            Err(ImageError::NotImage(d)) => {
                error.get_or_insert(PickError::NotImage(format!("{} ({d})", f.name())));
                continue;
            }
            Err(ImageError::Failed(d)) => {
                error.get_or_insert(PickError::Failed(d));
                continue;
            }
        };
        match store
            .put_photo(&p.attachment.sha256, &p.full, Some(&p.thumb))
            .await
        {
            Ok(()) => {
                if !refs.contains(&p.attachment) {
                    refs.push(p.attachment);
                }
            }
            Err(StoreError::Full(_)) => {
                error = Some(PickError::Full);
                break;
            }
            Err(e) => {
                error.get_or_insert(PickError::Failed(e.to_string()));
            }
        }
    }
    if !refs.is_empty() {
        ctx.blob_epoch.update(|n| *n += 1);
    }
    (refs, error)
}

thread_local! {
    /// Thumbnail object URLs by hash (thumbnails are small; kept while the page lives).
    static THUMB_URLS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

fn cached(sha: &str) -> Option<String> {
    THUMB_URLS.with(|m| m.borrow().get(sha).cloned())
}

/// The thumbnail (or, lacking one, the photo) of `sha` as an object URL, if on this device.
async fn thumb_url(ctx: AppCtx, sha: &str) -> Option<String> {
    if let Some(u) = cached(sha) {
        return Some(u);
    }
    let store = ctx.local_store().ok()?;
    let blob = match store.get_thumb(sha).await.ok().flatten() {
        Some(b) => b,
        None => store.get_blob(sha).await.ok().flatten()?,
    };
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    THUMB_URLS.with(|m| m.borrow_mut().insert(sha.to_string(), url.clone()));
    Some(url)
}

/// A thumbnail; tapping it opens the full view (and does not follow an enclosing link).
#[component]
pub fn Thumb(#[prop(into)] sha: String) -> impl IntoView {
    let ctx = use_ctx();
    let url = RwSignal::new(cached(&sha));
    let key = sha.clone();
    Effect::new(move |_| {
        ctx.blob_epoch.track();
        if url.with_untracked(Option::is_some) {
            return;
        }
        let key = key.clone();
        spawn_local(async move {
            if let Some(u) = thumb_url(ctx, &key).await {
                url.try_set(Some(u));
            }
        });
    });
    let open = {
        let sha = sha.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            ev.stop_propagation();
            ctx.photo_full.set(Some(sha.clone()));
        }
    };
    view! {
        <img class="thumb" data-testid="thumb" data-sha256=sha alt=move || ctx.t(K::Photos)
            data-loaded=move || url.with(Option::is_some).to_string()
            title=move || if url.with(Option::is_some) { "" } else { ctx.t(K::PhotoNotLocal) }
            src=move || url.get() on:click=open/>
    }
}

/// The thumbnails of a record's photos (nothing when it has none).
#[component]
pub fn PhotoStrip(photos: Vec<AttachmentRef>) -> impl IntoView {
    (!photos.is_empty()).then(|| {
        view! {
            <span class="photo-strip">
                {photos.into_iter().map(|p| view! { <Thumb sha=p.sha256/> }).collect_view()}
            </span>
        }
    })
}

/// The photo being viewed, full screen; a tap anywhere closes it.
#[component]
pub fn PhotoViewer() -> impl IntoView {
    let ctx = use_ctx();
    let url = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(sha) = ctx.photo_full.get() else {
            if let Some(old) = url.get_untracked() {
                let _ = web_sys::Url::revoke_object_url(&old);
                url.set(None);
            }
            return;
        };
        spawn_local(async move {
            let Ok(store) = ctx.local_store() else { return };
            let blob = store.get_blob(&sha).await.ok().flatten();
            let u = blob.and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok());
            url.try_set(u);
        });
    });
    let close = move |_| ctx.photo_full.set(None);
    view! {
        <Show when=move || ctx.photo_full.with(Option::is_some)>
            <div class="photo-full" data-testid="photo-full" role="dialog" on:click=close
                data-sha256=move || ctx.photo_full.get().unwrap_or_default()>
                {move || match url.get() {
                    Some(u) => view! { <img src=u alt=move || ctx.t(K::Photos)/> }.into_any(),
                    None => view! { <p class="muted">{move || ctx.t(K::PhotoNotLocal)}</p> }.into_any(),
                }}
                <button type="button" class="close">{move || ctx.t(K::ClosePhoto)}</button>
            </div>
        </Show>
    }
}

/// The server's refusals of this record's photos (each refused photo on its own line).
#[component]
pub fn PhotoErrors(photos: Memo<Vec<AttachmentRef>>) -> impl IntoView {
    let ctx = use_ctx();
    let refused = Memo::new(move |_| {
        photos.with(|ps| {
            ctx.uploads.with(|m| {
                ps.iter()
                    .filter_map(|p| match m.get(&p.sha256).map(|u| &u.state) {
                        Some(UploadState::Rejected { code, message }) => {
                            Some((p.sha256.clone(), code.clone(), message.clone()))
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let waiting = Memo::new(move |_| {
        photos.with(|ps| {
            ctx.uploads.with(|m| {
                ps.iter()
                    .filter(|p| m.get(&p.sha256).is_some_and(|u| u.is_pending()))
                    .count()
            })
        })
    });
    view! {
        <For each=move || refused.get() key=|r| r.clone() children=move |(sha, code, message)| {
            let known = i18n::upload_error(&code);
            let code_attr = code.clone();
            view! {
                <p class="error" role="alert" data-testid="attachment-error" data-sha256=sha data-code=code_attr>
                    {move || ctx.t(K::PhotoRejected)}
                    {move || known.map(|k| ctx.t(k).to_string()).unwrap_or_else(|| format!("{code}: {message}"))}
                </p>
            }
        }/>
        <Show when=move || { waiting.get() > 0 }>
            <small class="muted" data-testid="photos-waiting">{move || ctx.t(K::PhotoUploading)} " " {move || waiting.get()}</small>
        </Show>
    }
}
