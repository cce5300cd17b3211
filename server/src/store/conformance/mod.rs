//! One conformance suite for storage, run on every backend (SQLite and PostgreSQL), a concern
//! at a time. PostgreSQL runs at `SITELINE_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`), a new database per test; it is never skipped:
//! without a server the PostgreSQL tests fail.

mod accounts;
mod links;
mod reports;
mod sync;
mod uploads;

use super::postgres::scratch;
use super::{PgStore, SqliteStore};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// Unique numbers for names, ids and databases within a run.
static COUNTER: AtomicU64 = AtomicU64::new(1);

pub(super) async fn sqlite() -> (tempfile::TempDir, Arc<SqliteStore>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("t.db"))
        .await
        .expect("open sqlite");
    (dir, Arc::new(store))
}

/// A new database on the test server for one test (never skipped: no server, no pass).
pub(super) async fn postgres() -> Arc<PgStore> {
    let base = scratch::test_server_url();
    let url = scratch::scratch_database(&base, "siteline_t")
        .await
        .unwrap_or_else(|e| panic!("the conformance suite needs PostgreSQL: {e}"));
    Arc::new(PgStore::open(&url, 8).await.expect("open postgres"))
}

/// Conformance tests on each backend: `sqlite_backend::<name>` and `postgres_backend::<name>`
/// run `check` on a fresh store (`&store`, or `arc` for checks that share it across tasks).
macro_rules! on_both {
    ($($name:ident => $check:ident $(($arc:ident))?),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (_dir, s) = $crate::store::conformance::sqlite().await;
                    $crate::store::conformance::on_both!(@call $check s $($arc)?);
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let s = $crate::store::conformance::postgres().await;
                    $crate::store::conformance::on_both!(@call $check s $($arc)?);
                }
            )*
        }
    };
    (@call $check:ident $s:ident arc) => { super::$check($s).await };
    (@call $check:ident $s:ident) => { super::$check(&*$s).await };
}
pub(super) use on_both;
