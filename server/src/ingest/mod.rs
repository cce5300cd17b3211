//! The ingest core: how a pushed batch becomes stored events, canonical numbers, projections
//! and 二次投诉 escalations, and how unresolved complaints become 重大 — written once, over the
//! narrow transaction steps of [`IngestTx`] that each storage backend implements in SQL.

mod escalate;
mod numbers;
mod projection;
mod push;
mod tx;

pub use escalate::{repeats as escalate_repeats, unresolved as escalate_unresolved};
pub use projection::{refresh, upsert_sql, with_notes, ProjectionRow, References, Sites};
pub use push::push;
pub use tx::{IngestTx, NumberRow, RepeatQuery, StoredEvent};
