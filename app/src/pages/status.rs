//! `/status`: is this tablet safe to work offline? Storage persistence and space, unsynced
//! records per user (and who must log in again), the last successful sync, "export unsynced
//! records" as a ZIP, and the pre-shift readiness check.

use crate::ctx::{now, use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::keyring::TokenState;
use crate::logic::readiness::{self, bytes_text, Facts};
use crate::logic::upload::UploadState;
use crate::logic::{export, record};
use crate::web::{await_promise, download, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn StatusPage() -> impl IntoView {
    let ctx = use_ctx();
    spawn_local(async move {
        ctx.persisted.set(storage::persisted().await);
        ctx.estimate.set(storage::estimate().await);
    });
    view! {
        <section class="status-page">
            <h2>{move || ctx.t(K::DeviceStatus)}</h2>
            <Readiness/>
            <crate::components::display_settings::DisplaySettings/>
            <crate::components::device_window::DeviceWindow/>
            <StorageFacts/>
            <Unsynced/>
            <Export/>
        </section>
    }
}

#[component]
fn StorageFacts() -> impl IntoView {
    let ctx = use_ctx();
    let persisted = move || ctx.persisted.get() == Some(true);
    let ask = move |_| {
        spawn_local(async move {
            let granted = storage::persist().await;
            ctx.persisted.set(granted);
        })
    };
    let estimate = move || match ctx.estimate.get() {
        Some(e) => format!(
            "{} {} · {} {}",
            ctx.t(K::Used),
            bytes_text(e.usage),
            ctx.t(K::Free),
            bytes_text(e.free())
        ),
        None => ctx.t(K::Unknown).to_string(),
    };
    let last_sync = move || {
        ctx.last_sync
            .get()
            .map_or_else(|| ctx.t(K::Never).to_string(), |t| t.to_string())
    };
    view! {
        <dl class="fields">
            <dt>{move || ctx.t(K::StoragePersisted)}</dt>
            <dd>
                <b data-testid="storage-persisted" data-persisted=move || persisted().to_string()
                    class:ok=persisted class:bad=move || !persisted()>
                    {move || if persisted() { ctx.t(K::PersistOn) } else { ctx.t(K::PersistOff) }}
                </b>
                <Show when=move || !persisted()>
                    " " <button type="button" class="link" on:click=ask>{move || ctx.t(K::AskPersist)}</button>
                    <br/><small class="muted">{move || ctx.t(K::PersistHint)}</small>
                </Show>
            </dd>
            <dt>{move || ctx.t(K::StorageSpace)}</dt>
            <dd data-testid="storage-estimate" data-low=move || ctx.estimate.get().is_some_and(|e| e.is_low()).to_string()>
                {estimate}
            </dd>
            <dt>{move || ctx.t(K::LastSync)}</dt>
            <dd data-testid="last-sync">{last_sync}</dd>
        </dl>
    }
}

/// Unsynced records per user, and who waits to log in again.
#[component]
fn Unsynced() -> impl IntoView {
    let ctx = use_ctx();
    let rows = Memo::new(move |_| {
        let pending = ctx.replica.with(|r| {
            r.as_ref()
                .map(record::pending_by_author)
                .unwrap_or_default()
        });
        let lang = ctx.lang.get();
        ctx.keyring.with(|k| {
            pending
                .into_iter()
                .map(|(user, n)| {
                    let name = k
                        .get(&user)
                        .map(|e| e.display_name.clone())
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| user.clone());
                    let state = k.token_state(&user, now());
                    let waiting =
                        (state != TokenState::Valid).then(|| i18n::waiting_line(&name, n, lang));
                    (user, name, n, waiting)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h3>{move || ctx.t(K::UnsyncedByUser)}</h3>
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="muted">{move || ctx.t(K::NoUnsynced)}</p>
        </Show>
        <ul class="plain">
            <For each=move || rows.get() key=|r| r.clone() children=move |(user, name, n, waiting)| view! {
                <li data-testid="unsynced-user" data-username=user data-count=n.to_string()>
                    <b>{name}</b> " · " {n}
                    {waiting.map(|w| view! { <span class="error" data-testid="waiting-login">" · " {w}</span> })}
                </li>
            }/>
        </ul>
    }
}

#[component]
fn Export() -> impl IntoView {
    let ctx = use_ctx();
    let result = RwSignal::new(None::<Result<usize, String>>);
    // Photos read of those to pack, while the export runs.
    let step = RwSignal::new(None::<(usize, usize)>);
    let run = Action::new_local(move |_: &()| async move {
        result.set(None);
        result.set(Some(export_unsynced(ctx, step).await));
        step.set(None);
    });
    view! {
        <h3>{move || ctx.t(K::ExportUnsynced)}</h3>
        <p class="muted">{move || ctx.t(K::ExportHint)}</p>
        <button type="button" data-testid="export-unsynced" disabled=move || run.pending().get()
            on:click=move |_| { run.dispatch_local(()); }>{move || ctx.t(K::ExportUnsynced)}</button>
        {move || step.get().map(|(done, of)| view! {
            <p class="muted" role="status" data-testid="export-progress">
                {ctx.t(K::ExportReading).replace("{done}", &done.to_string()).replace("{of}", &of.to_string())}
                " " <progress max=of.max(1).to_string() value=done.to_string() aria-label=move || ctx.t(K::ExportUnsynced)></progress>
            </p>
        })}
        {move || result.get().map(|r| match r {
            Ok(n) => view! { <p class="muted" data-testid="export-result">{ctx.t(K::ExportDone)} {n}</p> }.into_any(),
            Err(e) => view! { <p class="error" role="alert" data-testid="export-result">{ctx.t(K::ExportFailed)} {e}</p> }.into_any(),
        })}
    }
}

/// Builds the ZIP from what storage holds (not only what is on screen) and downloads it.
/// `step` follows the photos read (`(done, of)`) until the archive is made.
async fn export_unsynced(
    ctx: AppCtx,
    step: RwSignal<Option<(usize, usize)>>,
) -> Result<usize, String> {
    let store = ctx.local_store().map_err(|e| e.to_string())?;
    let device = ctx
        .replica
        .with_untracked(|r| r.as_ref().map(|r| r.meta().device_id))
        .ok_or("not open yet")?;
    let (meta, stored) = store.load(|| device).await.map_err(|e| e.to_string())?;
    let events = export::unsynced(&stored);
    let mut photos = vec![];
    let hashes = export::photo_hashes(&events);
    let of = hashes.len();
    step.set(Some((0, of)));
    for (i, sha) in hashes.into_iter().enumerate() {
        if let Some(blob) = store.get_blob(&sha).await.map_err(|e| e.to_string())? {
            let buf = await_promise(blob.array_buffer()).await?;
            photos.push((sha, js_sys::Uint8Array::new(&buf).to_vec()));
        }
        step.set(Some((i + 1, of)));
    }
    let at = now();
    let n = events.len();
    let bytes = export::archive(meta.device_id, at, events, &photos).map_err(|e| e.to_string())?;
    download::save(
        &bytes,
        &export::file_name(&meta.device_id, at),
        "application/zip",
    )?;
    Ok(n)
}

/// The pre-shift check: sync now, then list everything that is not ready.
#[component]
fn Readiness() -> impl IntoView {
    let ctx = use_ctx();
    let result = RwSignal::new(None::<Vec<readiness::Problem>>);
    let check = Action::new_local(move |_: &()| async move {
        let sync_ok = crate::sync::sync_and_wait(ctx, 60_000).await;
        let facts = gather(ctx, sync_ok).await;
        result.set(Some(readiness::check(&facts)));
    });
    view! {
        <div class="readiness">
            <button type="button" class="primary" data-testid="check-readiness" disabled=move || check.pending().get()
                on:click=move |_| { check.dispatch_local(()); }>
                {move || if check.pending().get() { ctx.t(K::Checking) } else { ctx.t(K::CheckReadiness) }}
            </button>
            {move || result.get().map(|problems| {
                let ready = problems.is_empty();
                let lang = ctx.lang.get();
                view! {
                    <div class="readiness-result" class:ok=ready class:bad=!ready data-testid="readiness"
                        data-ready=ready.to_string() role="status">
                        {if ready {
                            view! { <b>"✓ " {ctx.t(K::ReadyOk)}</b> }.into_any()
                        } else {
                            view! {
                                <b>{ctx.t(K::NotReady)}</b>
                                <ul>{problems.iter().map(|p| view! { <li data-testid="readiness-problem">{i18n::problem(p, lang)}</li> }).collect_view()}</ul>
                            }.into_any()
                        }}
                    </div>
                }
            })}
        </div>
    }
}

async fn gather(ctx: AppCtx, sync_ok: bool) -> Facts {
    let persisted = storage::persisted().await;
    let estimate = storage::estimate().await;
    ctx.persisted.set(persisted);
    ctx.estimate.set(estimate);
    let t = now();
    let (pending, rejected, by_author) = ctx.replica.with_untracked(|r| {
        r.as_ref().map_or((0, 0, Default::default()), |r| {
            (
                r.pending_records(),
                record::rejected_records(r),
                record::pending_by_author(r),
            )
        })
    });
    let waiting_users = ctx.keyring.with_untracked(|k| {
        k.waiting(&by_author, t)
            .into_iter()
            .map(|w| w.display_name)
            .collect()
    });
    let (photos_pending, photos_rejected) = ctx.uploads.with_untracked(|m| {
        (
            m.values().filter(|u| u.is_pending()).count(),
            m.values()
                .filter(|u| matches!(u.state, UploadState::Rejected { .. }))
                .count(),
        )
    });
    Facts {
        sync_ok,
        update_required: ctx.update_required.get_untracked(),
        pending_records: pending,
        rejected_records: rejected,
        waiting_users,
        sites_fetched_at: ctx.sites_fetched_at.get_value(),
        now: t,
        photos_pending,
        photos_rejected,
        persisted,
        estimate,
    }
}
