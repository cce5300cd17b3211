//! The device window this tablet keeps (`model::window`): read from and stored with the replica's
//! pull cursor.

use super::AppCtx;
use crate::store::StoreError;
use leptos::prelude::*;
use siteline_model::window::WindowDays;

impl AppCtx {
    /// Keeps `days` of finished complaints on this device from the next sync on (stored with
    /// the pull cursor: a wider window pulls again from the start).
    pub async fn set_window(&self, days: WindowDays) -> Result<(), StoreError> {
        let change = self
            .replica
            .with_untracked(|r| r.as_ref().map(|r| r.rewindowed(days)))
            .ok_or_else(|| StoreError::Unavailable("not open yet".into()))?;
        if let Some(change) = change {
            self.commit(change).await?;
            self.poke_sync();
        }
        Ok(())
    }

    /// After a pull under `pulled` while the setting changed to a wider window: the cursor the
    /// pull advanced goes back to the start again.
    pub async fn rewindow_after_pull(&self, pulled: WindowDays) -> Result<(), StoreError> {
        let change = self.replica.with_untracked(|r| {
            r.as_ref()
                .filter(|r| r.meta().window() > pulled && r.meta().cursor > 0)
                .map(|r| r.from_start())
        });
        if let Some(change) = change {
            self.commit(change).await?;
            self.poke_sync();
        }
        Ok(())
    }

    /// The device window this tablet keeps (the default until the replica is read).
    pub fn window(&self) -> WindowDays {
        self.replica
            .with_untracked(|r| r.as_ref().map(|r| r.meta().window()))
            .unwrap_or_default()
    }
}
