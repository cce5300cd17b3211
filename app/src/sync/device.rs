//! The app's side of the shared sync driver: the server over `Api` (fetch) and the device over
//! the replica signal and IndexedDB, with the keyring's per-author tokens.

use crate::api::{Api, ApiError};
use crate::ctx::{now, AppCtx};
use crate::store::StoreError;
use leptos::prelude::*;
use siteline_model::replica::{Change, Replica};
use siteline_model::sync::{PullResponse, PushResponse};
use siteline_model::window::WindowDays;
use siteline_model::{ComplaintId, Event, EventId, Timestamp};
use siteline_sync::{Failure, Local, Transport};
use std::collections::BTreeSet;

/// The server, reached with a token per request; pulls ask for the device window this tablet
/// keeps (`model::window`) and note where the server's clock put its start.
pub struct Net {
    pub window: WindowDays,
    /// The window start of the last page pulled (the server's `window_since`).
    pub since: std::cell::Cell<Option<Timestamp>>,
}

impl Net {
    pub fn new(window: WindowDays) -> Net {
        Net {
            window,
            since: std::cell::Cell::new(None),
        }
    }
}

impl Transport for Net {
    type Error = ApiError;

    fn failure(e: &ApiError) -> Failure {
        match e {
            ApiError::Unauthorized(_) => Failure::Unauthorized,
            ApiError::Network(_) => Failure::Unreachable,
            _ => Failure::Other,
        }
    }

    async fn push(&self, token: &str, events: Vec<Event>) -> Result<PushResponse, ApiError> {
        Api::new(Some(token.to_string())).push(events).await
    }

    async fn pull(&self, token: &str, cursor: u64, limit: u32) -> Result<PullResponse, ApiError> {
        let page = Api::new(Some(token.to_string()))
            .pull(cursor, limit, self.window)
            .await?;
        if page.window_since.is_some() {
            self.since.set(page.window_since);
        }
        Ok(page)
    }
}

/// This tablet: the replica in memory, IndexedDB under it, the keyring.
pub struct Device(pub AppCtx);

impl Local for Device {
    type Error = StoreError;

    fn read<R>(&self, f: impl FnOnce(&Replica) -> R) -> Option<R> {
        self.0.replica.with_untracked(|r| r.as_ref().map(f))
    }

    async fn commit(&self, change: Change) -> Result<(), StoreError> {
        self.0.commit(change).await
    }

    async fn remove(
        &self,
        change: Change,
        gone: &[(ComplaintId, EventId)],
    ) -> Result<(), StoreError> {
        self.0.commit_with(change, Vec::new(), gone).await
    }

    fn token_of(&self, author: &str) -> Option<String> {
        token_of(self.0, author)
    }

    fn token_refused(&self, author: &str) {
        token_refused(self.0, author);
    }

    fn sending(&self, complaints: BTreeSet<ComplaintId>) {
        // Stays set until the acknowledgement is applied (one re-render per batch, not two);
        // the run clears it when it ends, also on failure.
        self.0.in_flight.set(complaints);
    }
}

/// The token to send `author`'s records (and photos) with.
pub fn token_of(ctx: AppCtx, author: &str) -> Option<String> {
    let in_keyring = ctx.keyring.with_untracked(|k| k.get(author).is_some());
    if in_keyring {
        ctx.keyring.with_untracked(|k| k.token_for(author, now()))
    } else if ctx.username().as_deref() == Some(author) {
        ctx.token()
    } else {
        None
    }
}

/// The server refused `user`'s token: keep their records, mark the token, ask them to log in.
pub fn token_refused(ctx: AppCtx, user: &str) {
    ctx.update_keyring(|k| k.mark_invalid(user));
    if ctx.username().as_deref() == Some(user) {
        ctx.session_expired.set(true);
    }
}
