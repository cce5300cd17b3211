//! The one sync driver of a Siteline device: push each author's outbox in growing batches, apply
//! the answers, pull pages by the server's cursor (committing each page with its cursor before
//! the next is applied), re-pull from 0 when the reader scope changed and then drop what the
//! server no longer sends. It is plain Rust over two traits — [`Transport`] (the server) and
//! [`Local`] (the device's replica and its durable store) — so the app (wasm: fetch, IndexedDB)
//! and the chaos suite (native: reqwest, memory) run the same code.

pub mod batch;
mod pull;
mod push;
#[cfg(test)]
mod tests;

pub use batch::{pending_authors, push_batch};
pub use pull::{evict, pull, Pulled};
pub use push::{push_all, push_author, Pushed};

use siteline_model::replica::{Change, Replica};
use siteline_model::sync::{PullResponse, PushResponse};
use siteline_model::{ComplaintId, Event, EventId};
use std::collections::BTreeSet;

/// How the driver reads a failed request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server refused the token: that author logs in again; their records wait.
    Unauthorized,
    /// No answer (offline, refused, cut, timed out).
    Unreachable,
    /// The server answered, but not with success (e.g. `update_required`, a bad body).
    Other,
}

/// The server, as the driver needs it. Implementations do the HTTP (and may observe it).
// The app runs on one thread and the chaos suite names concrete types, so no `Send` bound is
// needed on these futures.
#[allow(async_fn_in_trait)]
pub trait Transport {
    type Error: std::error::Error;
    /// How to read `e`.
    fn failure(e: &Self::Error) -> Failure;
    /// `POST /api/v1/sync/push` with `token`: one outcome per event.
    async fn push(&self, token: &str, events: Vec<Event>) -> Result<PushResponse, Self::Error>;
    /// `GET /api/v1/sync/pull?after=cursor&limit=limit` with `token`.
    async fn pull(&self, token: &str, cursor: u64, limit: u32)
        -> Result<PullResponse, Self::Error>;
}

/// The device: its replica in memory, its durable store, its users' tokens.
#[allow(async_fn_in_trait)]
pub trait Local {
    type Error: std::error::Error;
    /// Reads the replica; `None` while no store is open.
    fn read<R>(&self, f: impl FnOnce(&Replica) -> R) -> Option<R>;
    /// Stores `change` durably, then applies it to the replica.
    async fn commit(&self, change: Change) -> Result<(), Self::Error>;
    /// Stores `change` and removes the events `gone` in one step, then reloads the replica.
    async fn remove(
        &self,
        change: Change,
        gone: &[(ComplaintId, EventId)],
    ) -> Result<(), Self::Error>;
    /// The token to send `author`'s events with (`None`: they wait for that user's login).
    fn token_of(&self, author: &str) -> Option<String>;
    /// The server refused `author`'s token.
    fn token_refused(&self, author: &str);
    /// These complaints' events are in the request being sent (until the run ends).
    fn sending(&self, _complaints: BTreeSet<ComplaintId>) {}
}

/// Why a sync step stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError<T: std::error::Error, L: std::error::Error> {
    #[error(transparent)]
    Transport(T),
    #[error(transparent)]
    Local(L),
    #[error("the server did not acknowledge pushed events")]
    NoProgress,
}

impl<T: std::error::Error, L: std::error::Error> SyncError<T, L> {
    /// The transport's failure kind, if the transport failed.
    pub fn transport(&self) -> Option<&T> {
        match self {
            SyncError::Transport(e) => Some(e),
            _ => None,
        }
    }
}
