//! The header: navigation, online/offline state, unsynced count (all users on this device, with
//! who waits to log in again in the tooltip), "sync now", status page, language, logout.

use crate::auth;
use crate::ctx::{now, use_ctx, Conn};
use crate::i18n::{self, Lang, K};
use crate::logic::progress::{self, Phase};
use crate::logic::record;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let ctx = use_ctx();
    // `None` while this device's records are still being read: never "0 unsynced" before the
    // count is known (a user would think everything had reached the server).
    let pending = Memo::new(move |_| {
        ctx.replica
            .with(|r| r.as_ref().map(|r| r.pending_records()))
    });
    let by_author = Memo::new(move |_| {
        ctx.replica.with(|r| {
            r.as_ref()
                .map(record::pending_by_author)
                .unwrap_or_default()
        })
    });
    // "张三 的 3 条记录等待其重新登录", one line per user whose token is unusable.
    let waiting = Memo::new(move |_| {
        let lang = ctx.lang.get();
        by_author.with(|p| {
            ctx.keyring.with(|k| {
                k.waiting(p, now())
                    .into_iter()
                    .map(|w| i18n::waiting_line(&w.display_name, w.records, lang))
                    .collect::<Vec<_>>()
            })
        })
    });
    let conn_text = move || match ctx.conn.get() {
        Conn::Online => ctx.t(K::Online),
        Conn::Offline => ctx.t(K::Offline),
        Conn::Syncing => ctx.t(K::Syncing),
    };
    let conn_class = move || match ctx.conn.get() {
        Conn::Online => "conn online",
        Conn::Offline => "conn offline",
        Conn::Syncing => "conn syncing",
    };
    let phase = move || match ctx.conn.get() {
        Conn::Online => Phase::Online,
        Conn::Offline => Phase::Offline,
        Conn::Syncing => Phase::Syncing,
    };
    let sent = Memo::new(move |_| {
        let started = ctx.sync_started_with.get();
        pending
            .get()
            .and_then(|now| progress::progress(started, now))
            .filter(|_| ctx.conn.get() == Conn::Syncing)
    });
    let photos = Memo::new(move |_| ctx.uploads.with(|u| progress::photos(u.values())));
    let words = move || {
        progress::sync_words(
            phase(),
            pending.get(),
            sent.get(),
            photos.get(),
            ctx.lang.get(),
        )
    };
    // Bytes of the photos being uploaded, while a sync runs.
    let photo_bar = move || {
        let p = photos.get();
        (ctx.conn.get() == Conn::Syncing && p.files > 0).then_some(p)
    };
    let navigate = use_navigate();
    let logout = move |_| {
        // Only the session goes: unsynced records stay on the device and still upload.
        auth::log_out(ctx);
        navigate("/login", Default::default());
    };
    let is_admin = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.user.role == siteline_model::Role::Admin)
        })
    };
    let sees_board = move || {
        ctx.session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role.sees_board()))
    };
    let reads_reports = move || {
        ctx.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                matches!(
                    s.user.role,
                    siteline_model::Role::Supervisor | siteline_model::Role::Admin
                )
            })
        })
    };
    // Handlers (班组) do not take complaints; they work on what is dispatched to them.
    let takes_complaints = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.user.role != siteline_model::Role::Handler)
        })
    };
    let offline_login = move || ctx.session.with(|s| s.as_ref().is_some_and(|s| s.offline));
    let toggle_lang = move |_| {
        ctx.set_lang(if ctx.lang.get() == Lang::Zh {
            Lang::En
        } else {
            Lang::Zh
        })
    };
    let user = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .map(|s| s.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    let pending_title = move || {
        let mut lines = vec![ctx.t(K::Pending).to_string()];
        lines.extend(waiting.get());
        lines.join("\n")
    };
    view! {
        <header class="top">
            <nav>
                <A href="/" exact=true>{move || if takes_complaints() { ctx.t(K::MyComplaints) } else { ctx.t(K::DeptWork) }}</A>
                <Show when=takes_complaints>
                    <A href="/new">{move || ctx.t(K::NewComplaint)}</A>
                </Show>
                <Show when=sees_board>
                    <A href="/board">{move || ctx.t(K::Board)}</A>
                </Show>
                <Show when=reads_reports>
                    <A href="/reports" attr:data-testid="open-reports">{move || ctx.t(K::Reports)}</A>
                    <A href="/fleet" attr:data-testid="open-fleet">{move || ctx.t(K::Fleet)}</A>
                    <A href="/replies" attr:data-testid="open-replies">{move || ctx.t(K::Replies)}</A>
                </Show>
                <A href="/status" attr:data-testid="open-status">{move || ctx.t(K::DeviceStatus)}</A>
                <Show when=is_admin>
                    <A href="/admin" attr:data-testid="open-admin">{move || ctx.t(K::Admin)}</A>
                </Show>
            </nav>
            <div class="status">
                <span class=conn_class data-testid="connection-status">{conn_text}</span>
                <span class="pending" class:waiting=move || !waiting.with(Vec::is_empty) title=pending_title
                    data-testid="pending">
                    {move || ctx.t(K::Pending)} " "
                    <b data-testid="pending-count">{move || pending.get().map_or_else(|| "…".to_string(), |n| n.to_string())}</b>
                    <Show when=move || !waiting.with(Vec::is_empty)>" ⚠"</Show>
                </span>
                <button type="button" data-testid="sync-now" on:click=move |_| ctx.poke_sync()>
                    {move || ctx.t(K::SyncNow)}
                </button>
                <span class="user">{user}</span>
                <Show when=offline_login>
                    <span class="mark offline-login" data-testid="offline-login" title=move || ctx.t(K::OfflineLoginNote)>
                        {move || ctx.t(K::OfflineLogin)}
                    </span>
                </Show>
                <button type="button" class="link" data-testid="lang-toggle" on:click=toggle_lang>{move || ctx.t(K::Language)}</button>
                <button type="button" class="link" data-testid="logout" on:click=logout>{move || ctx.t(K::Logout)}</button>
            </div>
            <div class="sync-line" role="status" aria-live="polite" data-testid="sync-words">
                <span>{words}</span>
                {move || sent.get().map(|(done, of)| view! {
                    <progress data-testid="sync-progress" max=of.to_string() value=done.to_string()
                        aria-label=move || ctx.t(K::Syncing)></progress>
                })}
                {move || photo_bar().map(|p| view! {
                    <progress data-testid="photo-progress" max=p.total.to_string() value=p.sent.to_string()
                        aria-label=move || ctx.t(K::PhotosProgress)></progress>
                })}
            </div>
        </header>
    }
}
