//! Pull: pages by the server's cursor, the cursor committed with its page; a changed reader
//! scope restarts at 0 and ends with dropping what the server no longer sends.

use crate::{Local, SyncError, Transport};
use siteline_model::replica::Change;
use siteline_model::sync::MAX_PULL;
use siteline_model::{ComplaintId, Timestamp};
use std::collections::BTreeSet;

/// What a pull did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pulled {
    pub events: usize,
    pub pages: usize,
    /// The reader scope changed: the device pulled again from 0.
    pub rescoped: bool,
    /// Events dropped afterwards (complaints no longer readable, nothing unsent among them).
    pub dropped: usize,
}

/// Pulls everything new with `token`, in the largest pages the server gives. The next page is
/// fetched while the current one is being committed; it is applied only after that commit
/// succeeded, so the stored cursor never runs ahead of the stored events.
pub async fn pull<L: Local, T: Transport>(
    local: &L,
    net: &T,
    token: &str,
) -> Result<Pulled, SyncError<T::Error, L::Error>> {
    let mut out = Pulled::default();
    let cursor = local.read(|r| r.meta().cursor).unwrap_or(0);
    let mut page = net
        .pull(token, cursor, MAX_PULL)
        .await
        .map_err(SyncError::Transport)?;
    // While pulling again after the reader scope changed: the complaints the server sends.
    let mut rescoped: Option<BTreeSet<ComplaintId>> = None;
    loop {
        out.pages += 1;
        if local.read(|r| r.scope_changed(&page)).unwrap_or(false) {
            // What this user may read changed: the change resets the cursor; start again at 0.
            let Some(change) = local.read(|r| r.pulled_page(page)) else {
                break;
            };
            out.events += change.events.len();
            local.commit(change).await.map_err(SyncError::Local)?;
            rescoped = Some(BTreeSet::new());
            out.rescoped = true;
            page = net
                .pull(token, 0, MAX_PULL)
                .await
                .map_err(SyncError::Transport)?;
            continue;
        }
        if let Some(seen) = rescoped.as_mut() {
            seen.extend(page.events.iter().map(|e| e.event.complaint_id));
        }
        let more = page.has_more && !page.events.is_empty();
        let next_cursor = page.next_cursor;
        let Some(change) = local.read(|r| r.pulled_page(page)) else {
            break;
        };
        out.events += change.events.len();
        if !more {
            // Nothing new (the periodic sync): no write, and no re-render.
            let same = local
                .read(|r| change.events.is_empty() && *r.meta() == change.meta)
                .unwrap_or(false);
            if !same {
                local.commit(change).await.map_err(SyncError::Local)?;
            }
            break;
        }
        let (committed, next) =
            futures::join!(local.commit(change), net.pull(token, next_cursor, MAX_PULL));
        committed.map_err(SyncError::Local)?;
        page = next.map_err(SyncError::Transport)?;
    }
    if let Some(seen) = rescoped {
        out.dropped = prune(local, &seen).await?;
    }
    Ok(out)
}

/// After a full pull under a new scope: drops the complaints the server no longer sends (a
/// site lost), keeping every record with unsent or refused events.
async fn prune<L: Local, E: std::error::Error>(
    local: &L,
    kept: &BTreeSet<ComplaintId>,
) -> Result<usize, SyncError<E, L::Error>> {
    let plan = local.read(|r| (r.prune_plan(kept), r.meta().clone()));
    drop_events(local, plan).await
}

/// Drops what the device window from `since` no longer holds (`Replica::outside_window`),
/// sparing `keep` (complaints fetched on demand this session) and every record with unsent or
/// refused events. Answers how many events went.
pub async fn evict<L: Local, E: std::error::Error>(
    local: &L,
    since: Timestamp,
    keep: &BTreeSet<ComplaintId>,
) -> Result<usize, SyncError<E, L::Error>> {
    let plan = local.read(|r| (r.outside_window(since, keep), r.meta().clone()));
    drop_events(local, plan).await
}

/// Removes `gone` with the meta unchanged; `None` (no replica yet) or nothing to drop writes
/// nothing. Answers how many events went.
async fn drop_events<L: Local, E: std::error::Error>(
    local: &L,
    plan: Option<(
        Vec<(ComplaintId, siteline_model::EventId)>,
        siteline_model::replica::ReplicaMeta,
    )>,
) -> Result<usize, SyncError<E, L::Error>> {
    let Some((gone, meta)) = plan else {
        return Ok(0);
    };
    if gone.is_empty() {
        return Ok(0);
    }
    let change = Change {
        events: Vec::new(),
        meta,
    };
    local
        .remove(change, &gone)
        .await
        .map_err(SyncError::Local)?;
    Ok(gone.len())
}
