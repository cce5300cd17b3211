//! Login page: online login (token into the session and the device keyring), or, with the server
//! unreachable, an offline login for users who logged in on this device before.

use crate::api::Api;
use crate::auth::{self, LoggedIn, LoginError};
use crate::ctx::{navigator_online, use_ctx};
use crate::i18n::{throttled_text, Lang, K};
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
    let error = RwSignal::new(None::<String>);
    // The server looked unreachable (browser offline, or the last attempt could not reach it).
    let unreachable = RwSignal::new(!navigator_online());
    let navigate = use_navigate();
    let login = Action::new_local(move |(u, p): &(String, String)| {
        let (u, p) = (u.trim().to_string(), p.clone());
        let navigate = navigate.clone();
        async move {
            match auth::log_in(ctx, &u, &p).await {
                Ok(how) => {
                    error.set(None);
                    unreachable.set(how == LoggedIn::Offline);
                    // A new server's admin is guided through its setup first.
                    let setup = how == LoggedIn::Online
                        && ctx.role() == Some(siteline_model::Role::Admin)
                        && Api::new(ctx.token())
                            .setup_status()
                            .await
                            .is_ok_and(|s| s.needed);
                    navigate(if setup { "/setup" } else { "/" }, Default::default());
                }
                Err(LoginError::Wrong { offline }) => {
                    unreachable.set(offline);
                    error.set(Some(ctx.t(K::LoginFailed).to_string()));
                }
                Err(LoginError::Unreachable) => {
                    unreachable.set(true);
                    error.set(Some(ctx.t(K::LoginOffline).to_string()));
                }
                Err(LoginError::Throttled(secs)) => {
                    error.set(Some(throttled_text(secs, ctx.lang.get_untracked())));
                }
                Err(LoginError::Failed(e)) => error.set(Some(e)),
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
    // Users who logged in on this tablet before (quick pick on a shared device).
    let known = move || {
        ctx.keyring.with(|k| {
            k.users
                .iter()
                .map(|u| view! { <option value=u.username.clone()>{u.display_name.clone()}</option> })
                .collect_view()
        })
    };
    view! {
        <main class="login">
            <h1>{move || ctx.t(K::AppName)}</h1>
            <form on:submit=submit>
                <label>
                    {move || ctx.t(K::Username)}
                    <input name="username" autocomplete="username" required list="known-users"
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                    <datalist id="known-users">{known}</datalist>
                </label>
                <label>
                    {move || ctx.t(K::Password)}
                    <input name="password" type="password" autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <Show when=move || unreachable.get()>
                    <p class="muted" data-testid="offline-login-note">{move || ctx.t(K::LoginOfflineHint)}</p>
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="login-error">{move || error.get()}</p>
                </Show>
                <button type="submit" disabled=move || login.pending().get()>{move || ctx.t(K::Login)}</button>
            </form>
            <button type="button" class="link" on:click=toggle_lang>{move || ctx.t(K::Language)}</button>
        </main>
    }
}
