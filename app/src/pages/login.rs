//! Login page: exchanges username and password for a bearer token kept in localStorage.

use crate::api::{Api, ApiError};
use crate::ctx::use_ctx;
use crate::i18n::{Lang, K};
use crate::store::prefs::{self, Session};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let ctx = use_ctx();
    let username = RwSignal::new(
        ctx.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.username.clone()))
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<K>);
    let navigate = use_navigate();
    let login = Action::new_local(move |(u, p): &(String, String)| {
        let (u, p) = (u.clone(), p.clone());
        let navigate = navigate.clone();
        async move {
            match Api::default().login(u.trim(), &p).await {
                Ok(r) => {
                    let s = Session {
                        token: r.token,
                        expires_at: r.expires_at,
                        user: r.user,
                    };
                    prefs::save_session(&s);
                    ctx.session.set(Some(s));
                    ctx.session_expired.set(false);
                    error.set(None);
                    // Fetch the sites on the first sync after login.
                    ctx.sites_fetched_at.set_value(siteline_model::Timestamp(0));
                    ctx.poke_sync();
                    navigate("/", Default::default());
                }
                Err(ApiError::Network(_)) => error.set(Some(K::LoginOffline)),
                Err(ApiError::Server { status, .. }) if status >= 500 => {
                    error.set(Some(K::LoginOffline))
                }
                Err(_) => error.set(Some(K::LoginFailed)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch_local((username.get_untracked(), password.get_untracked()));
    };
    let toggle_lang = move |_| {
        ctx.set_lang(if ctx.lang.get() == Lang::Zh {
            Lang::En
        } else {
            Lang::Zh
        })
    };
    view! {
        <main class="login">
            <h1>{move || ctx.t(K::AppName)}</h1>
            <form on:submit=submit>
                <label>
                    {move || ctx.t(K::Username)}
                    <input name="username" autocomplete="username" required
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                </label>
                <label>
                    {move || ctx.t(K::Password)}
                    <input name="password" type="password" autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="login-error">{move || error.get().map(|k| ctx.t(k))}</p>
                </Show>
                <button type="submit" disabled=move || login.pending().get()>{move || ctx.t(K::Login)}</button>
            </form>
            <button type="button" class="link" on:click=toggle_lang>{move || ctx.t(K::Language)}</button>
        </main>
    }
}
