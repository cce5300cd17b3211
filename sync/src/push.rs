//! Push: every author's outbox with that author's token, in batches that grow.

use crate::{batch, Failure, Local, SyncError, Transport};
use siteline_model::sync::{MAX_PUSH, PUSH_BATCH};

/// What pushing every outbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pushed {
    /// Events the server answered (accepted or refused).
    pub settled: usize,
    /// The server answered at least once.
    pub reached: bool,
    /// Authors whose token the server refused (their records wait for their next login).
    pub refused: Vec<String>,
}

/// Pushes each author's pending events with their own token. An author without a token waits;
/// a refused token is reported to [`Local::token_refused`] and the others go on; any other
/// failure stops the run.
pub async fn push_all<L: Local, T: Transport>(
    local: &L,
    net: &T,
) -> Result<Pushed, SyncError<T::Error, L::Error>> {
    let authors = local.read(batch::pending_authors).unwrap_or_default();
    let mut out = Pushed::default();
    for author in authors {
        let Some(token) = local.token_of(&author) else {
            continue;
        };
        match push_author(local, net, &author, &token).await {
            Ok(n) => {
                out.reached = true;
                out.settled += n;
            }
            Err(SyncError::Transport(e)) if T::failure(&e) == Failure::Unauthorized => {
                out.reached = true;
                local.token_refused(&author);
                out.refused.push(author);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Pushes `author`'s pending events in batches: the first small (the first records show as sent
/// quickly, and a tab closed early loses little work), then doubling up to what the server takes
/// in one request. Each answer is committed before the next batch is read, so a cut request
/// leaves its events pending (pushed again; the server is idempotent by event id). Answers how
/// many events the server settled.
pub async fn push_author<L: Local, T: Transport>(
    local: &L,
    net: &T,
    author: &str,
    token: &str,
) -> Result<usize, SyncError<T::Error, L::Error>> {
    let mut size = PUSH_BATCH;
    let mut settled = 0;
    loop {
        let batch = local
            .read(|r| batch::push_batch(r, author, size))
            .unwrap_or_default();
        if batch.is_empty() {
            return Ok(settled);
        }
        local.sending(batch.iter().map(|e| e.complaint_id).collect());
        let answer = net.push(token, batch).await.map_err(SyncError::Transport)?;
        let Some(change) = local.read(|r| r.ack(&answer.results)) else {
            return Ok(settled);
        };
        if change.events.is_empty() {
            return Err(SyncError::NoProgress);
        }
        settled += change.events.len();
        local.commit(change).await.map_err(SyncError::Local)?;
        size = (size * 2).min(MAX_PUSH);
    }
}
