//! The header: navigation, online/offline state, unsynced count, "sync now", language, logout.

use crate::ctx::{use_ctx, Conn};
use crate::i18n::{Lang, K};
use crate::store::prefs;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Header() -> impl IntoView {
    let ctx = use_ctx();
    let pending = Memo::new(move |_| {
        ctx.replica
            .with(|r| r.as_ref().map_or(0, |r| r.pending_records()))
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
    let navigate = use_navigate();
    let logout = move |_| {
        // Only the session goes: unsynced records stay on the device for the next login.
        prefs::clear_session();
        ctx.session.set(None);
        ctx.session_expired.set(false);
        navigate("/login", Default::default());
    };
    let sees_board = move || {
        ctx.session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role.sees_board()))
    };
    // Handlers (班组) do not take complaints; they work on what is dispatched to them.
    let takes_complaints = move || {
        ctx.session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.user.role != siteline_model::Role::Handler)
        })
    };
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
            </nav>
            <div class="status">
                <span class=conn_class data-testid="connection-status">{conn_text}</span>
                <span class="pending" title=move || ctx.t(K::Pending)>
                    {move || ctx.t(K::Pending)} " "
                    <b data-testid="pending-count">{move || pending.get()}</b>
                </span>
                <button type="button" data-testid="sync-now" on:click=move |_| ctx.poke_sync()>
                    {move || ctx.t(K::SyncNow)}
                </button>
                <span class="user">{user}</span>
                <button type="button" class="link" on:click=toggle_lang>{move || ctx.t(K::Language)}</button>
                <button type="button" class="link" on:click=logout>{move || ctx.t(K::Logout)}</button>
            </div>
        </header>
        <Show when=move || ctx.session_expired.get()>
            <p class="banner error" role="alert">
                {move || ctx.t(K::SessionExpired)} " " <A href="/login">{move || ctx.t(K::Login)}</A>
            </p>
        </Show>
    }
}
