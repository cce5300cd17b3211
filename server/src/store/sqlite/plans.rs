//! Plan checks: the batched 二次投诉 query keeps each new complaint's lookup to the phone and
//! place indexes (a scan of the site's window would grow with the site).

use super::steps::REPEAT_CANDIDATES;
use super::SqliteStore;

#[tokio::test]
async fn repeat_candidates_are_ranges_of_the_phone_and_place_indexes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("plans.db"))
        .await
        .expect("store opens");
    let queries = serde_json::json!([
        [
            "SL",
            "13800000005",
            "1栋 › B2",
            "facility.lift",
            0,
            1_770_000_000_000_i64,
            "new1"
        ],
        [
            "SL",
            null,
            "",
            "facility.lift",
            0,
            1_770_000_000_000_i64,
            "new2"
        ]
    ]);
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {REPEAT_CANDIDATES}"))
            .bind(queries.to_string())
            .fetch_all(store.pool())
            .await
            .expect("explain");
    let plan: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    let plan = plan.join("\n");
    assert!(
        plan.contains("SEARCH c USING INDEX complaints_site_phone"),
        "{plan}"
    );
    assert!(
        plan.contains("SEARCH c USING INDEX complaints_site_place"),
        "{plan}"
    );
    assert!(!plan.contains("SCAN c"), "{plan}");
    assert!(!plan.contains("complaints_site_age"), "{plan}");
}
