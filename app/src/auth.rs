//! Logging in and out on a shared tablet. Online login stores the token, a PBKDF2 verifier and
//! the device key (wrapped under the password) in the keyring, and asks for persistent storage
//! the first time; with the server unreachable, a user who logged in here before logs in against
//! the verifier, and the unwrapped device key — kept for this tab only — gets a new session
//! once the server is back. No password is kept anywhere. Logout never touches the
//! outbox: the token stays (for syncing only) while that user has pending records.

use crate::api::{Api, ApiError};
use crate::ctx::{now, AppCtx};
use crate::logic::keyring::{Logout, TokenState};
use crate::logic::record;
use crate::store::prefs::{self, PersistAnswer, Session};
use crate::web::{crypto, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::LoginResponse;
use siteline_model::Timestamp;

/// How a login succeeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoggedIn {
    Online,
    /// Checked on this device; the server was unreachable.
    Offline,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong username or password (checked by the server, or on this device when `offline`).
    Wrong {
        offline: bool,
    },
    /// The server is unreachable and this user never logged in on this device.
    Unreachable,
    /// Too many failed attempts: try again after this many seconds.
    Throttled(u64),
    Failed(String),
}

/// After an offline login without a usable token: that user and their unwrapped device key,
/// for a new session once the server is reachable (this tab only: sessionStorage, gone with the
/// tab; the key works on this device only and is revoked with a new password or disabling).
fn pending_relogin() -> Option<(String, String)> {
    prefs::load_device_relogin().map(|r| (r.username, r.device_key))
}

fn set_relogin(v: Option<(String, String)>) {
    match v {
        Some((username, device_key)) => prefs::save_device_relogin(&prefs::DeviceRelogin {
            username,
            device_key,
        }),
        None => prefs::clear_device_relogin(),
    }
}

/// Whether a new session for `user` waits for the server (after their offline login).
pub fn relogin_pending(user: &str) -> bool {
    prefs::load_device_relogin().is_some_and(|r| r.username == user)
}

fn device_id(ctx: AppCtx) -> Option<siteline_model::DeviceId> {
    ctx.replica
        .with_untracked(|r| r.as_ref().map(|r| r.meta().device_id))
}

/// This device's id, waiting (up to 5 s) for IndexedDB to be read after the app opened.
async fn device_id_soon(ctx: AppCtx) -> Option<siteline_model::DeviceId> {
    for _ in 0..50 {
        if let Some(d) = device_id(ctx) {
            return Some(d);
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    leptos::logging::warn!("login without a device id: no device key for offline re-login");
    None
}

pub async fn log_in(ctx: AppCtx, username: &str, password: &str) -> Result<LoggedIn, LoginError> {
    let device = device_id_soon(ctx).await;
    match Api::default().login(username, password, device).await {
        Ok(r) => {
            logged_in_online(ctx, r, password).await;
            Ok(LoggedIn::Online)
        }
        Err(ApiError::Network(_) | ApiError::Decode(_)) => offline(ctx, username, password).await,
        Err(ApiError::Server { status, .. }) if status >= 500 => {
            offline(ctx, username, password).await
        }
        Err(ApiError::Unauthorized(_)) => Err(LoginError::Wrong { offline: false }),
        Err(ApiError::RateLimited(secs)) => Err(LoginError::Throttled(secs)),
        Err(ApiError::Server { status, .. }) if (400..500).contains(&status) => {
            Err(LoginError::Wrong { offline: false })
        }
        Err(e) => Err(LoginError::Failed(e.to_string())),
    }
}

/// Keeps a successful online login: keyring (token, fresh verifier), session, persistence.
pub async fn logged_in_online(ctx: AppCtx, r: LoginResponse, password: &str) {
    let verifier = match crypto::make_verifier(password).await {
        Ok(v) => Some(v),
        Err(e) => {
            leptos::logging::warn!("no offline login verifier: {e}");
            None
        }
    };
    let device_key = match &r.device_key {
        Some(key) => match crypto::wrap_device_key(password, key).await {
            Ok(w) => Some(w),
            Err(e) => {
                leptos::logging::warn!("device key not kept: {e}");
                None
            }
        },
        None => None,
    };
    ctx.update_keyring(|k| k.logged_in_with(&r.user, &r.token, r.expires_at, verifier, device_key));
    if relogin_pending(&r.user.username) {
        set_relogin(None);
    }
    // A password kept by an older version of the app for the same purpose goes.
    prefs::clear_relogin();
    let s = Session {
        token: r.token,
        expires_at: r.expires_at,
        user: r.user,
        offline: false,
    };
    prefs::save_session(&s);
    ctx.session.set(Some(s));
    ctx.session_expired.set(false);
    // Fetch the sites on the first sync after login.
    ctx.sites_fetched_at.set_value(Timestamp(0));
    ctx.poke_sync();
    if prefs::load_persist().is_none() {
        spawn_local(async move {
            let granted = storage::persist().await;
            prefs::save_persist(PersistAnswer {
                asked_at: now(),
                granted: granted.unwrap_or(false),
            });
            ctx.persisted.set(granted);
        });
    }
}

async fn offline(ctx: AppCtx, username: &str, password: &str) -> Result<LoggedIn, LoginError> {
    let entry = ctx.keyring.with_untracked(|k| k.get(username).cloned());
    let Some((entry, verifier)) = entry.and_then(|e| e.verifier.clone().map(|v| (e, v))) else {
        return Err(LoginError::Unreachable);
    };
    match crypto::check_verifier(&verifier, password).await {
        Ok(true) => {}
        Ok(false) => return Err(LoginError::Wrong { offline: true }),
        Err(e) => return Err(LoginError::Failed(e)),
    }
    let state = ctx
        .keyring
        .with_untracked(|k| k.token_state(username, now()));
    if state != TokenState::Valid {
        // No usable token: the device key gets a new session once the server is reachable.
        if let Some(w) = &entry.device_key {
            match crypto::unwrap_device_key(w, password).await {
                Ok(key) => set_relogin(Some((username.to_string(), key))),
                Err(e) => leptos::logging::warn!("device key unreadable: {e}"),
            }
        }
    }
    ctx.update_keyring(|k| {
        if let Some(e) = k.users.iter_mut().find(|e| e.username == username) {
            e.signed_out = false;
        }
    });
    let s = Session {
        token: entry.token.clone().unwrap_or_default(),
        expires_at: entry.token_expires_at.unwrap_or(Timestamp(0)),
        user: entry.user(),
        offline: true,
    };
    prefs::save_session(&s);
    ctx.session.set(Some(s));
    ctx.session_expired.set(false);
    ctx.poke_sync();
    Ok(LoggedIn::Offline)
}

/// A session from before the keyring existed gets its keyring entry (without a verifier: offline
/// login becomes possible after the next online login). Also reads the storage facts once.
pub fn start(ctx: AppCtx) {
    // An older version may have left a password in this tab's storage: never keep it.
    prefs::clear_relogin();
    if let Some(s) = ctx.session.get_untracked() {
        if ctx
            .keyring
            .with_untracked(|k| k.get(&s.user.username).is_none())
            && !s.token.is_empty()
        {
            ctx.update_keyring(|k| k.logged_in(&s.user, &s.token, s.expires_at, None));
        }
    }
    spawn_local(async move {
        ctx.persisted.set(storage::persisted().await);
        ctx.estimate.set(storage::estimate().await);
    });
}

/// Ends the UI session. Unsynced records stay; the token stays only while they are pending.
pub fn log_out(ctx: AppCtx) {
    let Some(user) = ctx.username() else { return };
    let pending = ctx.replica.with_untracked(|r| {
        r.as_ref()
            .map(|r| {
                record::pending_by_author(r)
                    .get(&user)
                    .copied()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
    });
    let mut outcome = Logout::KeptForSync;
    ctx.update_keyring(|k| outcome = k.logged_out(&user, pending > 0));
    if let Logout::Dropped(Some(token)) = outcome {
        end_on_server(token);
    }
    if relogin_pending(&user) {
        set_relogin(None);
    }
    prefs::clear_relogin();
    prefs::clear_session();
    ctx.session.set(None);
    ctx.session_expired.set(false);
}

/// Ends a dropped token's session on the server (best effort: offline, it simply expires).
pub fn end_on_server(token: String) {
    spawn_local(async move {
        if let Err(e) = Api::new(Some(token)).logout().await {
            leptos::logging::warn!("server logout: {e}");
        }
    });
}

/// After an offline login without a usable token: gets a new session with the device key held
/// in memory. Answers whether a login happened.
pub async fn relogin(ctx: AppCtx) -> bool {
    // Kept until it worked or was refused, so the app keeps knowing a login is on its way.
    let Some((username, key)) = pending_relogin() else {
        return false;
    };
    if ctx
        .keyring
        .with_untracked(|k| k.token_state(&username, now()))
        == TokenState::Valid
    {
        set_relogin(None);
        return false;
    }
    let Some(device) = device_id(ctx) else {
        return false;
    };
    match Api::default().device_login(&username, device, &key).await {
        Ok(resp) => {
            set_relogin(None);
            let same_user = ctx.username().as_deref() == Some(resp.user.username.as_str());
            ctx.update_keyring(|k| k.logged_in(&resp.user, &resp.token, resp.expires_at, None));
            if same_user {
                let s = Session {
                    token: resp.token,
                    expires_at: resp.expires_at,
                    user: resp.user,
                    offline: false,
                };
                prefs::save_session(&s);
                ctx.session.set(Some(s));
                ctx.session_expired.set(false);
            }
            true
        }
        // Revoked (password changed, user disabled) or expired: this user must log in online.
        Err(ApiError::Unauthorized(_)) => {
            set_relogin(None);
            false
        }
        Err(_) => false,
    }
}
