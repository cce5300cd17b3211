//! Plan checks on a new database filling fast (no statistics yet): the ingest's queries keep to
//! the indexes meant for them, and an ingest transaction plans for its parameters.

use super::scratch;
use super::steps::{PgTx, REPEAT_CANDIDATES};
use super::PgStore;

/// A new store with `n` complaints at one site, a minute apart, each its own phone and place,
/// and no statistics gathered (as when a new database takes its first pushes).
async fn filled(n: i64) -> PgStore {
    let url = scratch::scratch_database(&scratch::test_server_url(), "siteline_p")
        .await
        .unwrap_or_else(|e| panic!("the plan checks need PostgreSQL: {e}"));
    let store = PgStore::open(&url, 2).await.expect("open postgres");
    sqlx::query(
        "INSERT INTO complaints (id, site_code, provisional_number, status, severity, category,
             channel, location, description, created_by, captured_at, received_at, updated_at,
             state_json, phone, location_key)
         SELECT 'c' || i, 'SL', 'P-' || i, 'received', 'minor', 'facility.lift', 'visit',
             'place ' || i, 'd', 'staff', 1770000000000 + i * 60000, 0, 0, '{}',
             '138' || lpad(i::text, 8, '0'), 'place ' || i
         FROM generate_series(1, $1) AS i",
    )
    .bind(n)
    .execute(store.pool())
    .await
    .expect("rows inserted");
    store
}

#[tokio::test]
async fn repeat_candidates_use_the_phone_and_place_indexes_without_statistics() {
    let store = filled(4000).await;
    let window = 30 * 86_400_000_i64;
    let until = 1_770_000_000_000_i64 + 4000 * 60_000;
    let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {REPEAT_CANDIDATES}"))
        .bind(vec![0_i32, 1])
        .bind(vec!["SL", "SL"])
        .bind(vec![Some("13800000005"), None])
        .bind(vec!["place 5", "place 6"])
        .bind(vec!["facility.lift", "facility.lift"])
        .bind(vec![until - window, until - window])
        .bind(vec![until, until])
        .bind(vec!["new1", "new2"])
        .fetch_all(store.pool())
        .await
        .expect("explain");
    let plan = plan.join("\n");
    assert!(plan.contains("complaints_site_phone"), "{plan}");
    assert!(plan.contains("complaints_site_place"), "{plan}");
    assert!(!plan.contains("complaints_site_age"), "{plan}");
    assert!(!plan.contains("Seq Scan on complaints"), "{plan}");
}

#[tokio::test]
async fn an_ingest_transaction_plans_for_its_parameters() {
    let store = filled(1).await;
    let mut tx = store.pool().begin().await.expect("begin");
    PgTx(&mut tx).lock().await.expect("lock");
    let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
        .fetch_one(&mut *tx)
        .await
        .expect("show");
    assert_eq!(mode, "force_custom_plan");
    tx.rollback().await.expect("rollback");
    // Only that transaction: the pool's connections keep the server's default.
    let after: String = sqlx::query_scalar("SHOW plan_cache_mode")
        .fetch_one(store.pool())
        .await
        .expect("show");
    assert_eq!(after, "auto");
}
