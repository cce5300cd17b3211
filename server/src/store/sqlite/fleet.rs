//! SQLite: the tablets' sync-health reports (rows mapped by name).

use crate::store::error::Result;
use crate::store::rows::DeviceReportRow;
use crate::store::FleetRow;
use siteline_model::fleet::DeviceReport;
use siteline_model::Timestamp;
use sqlx::SqlitePool;

pub(super) async fn record(
    pool: &SqlitePool,
    user_id: i64,
    r: &DeviceReport,
    now: Timestamp,
) -> Result<()> {
    let big = |v: Option<u64>| v.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    sqlx::query(
        "INSERT INTO device_reports (device_id, user_id, app_version, last_seen, pending_records,
             oldest_pending_at, storage_used, storage_quota, persisted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id, user_id) DO UPDATE SET
             app_version = excluded.app_version, last_seen = excluded.last_seen,
             pending_records = excluded.pending_records,
             oldest_pending_at = excluded.oldest_pending_at,
             storage_used = excluded.storage_used, storage_quota = excluded.storage_quota,
             persisted = excluded.persisted",
    )
    .bind(r.device_id.to_string())
    .bind(user_id)
    .bind(&r.app_version)
    .bind(now.millis())
    .bind(i64::from(r.pending_records))
    .bind(r.oldest_pending_at.map(Timestamp::millis))
    .bind(big(r.storage_used))
    .bind(big(r.storage_quota))
    .bind(r.persisted)
    .execute(pool)
    .await?;
    Ok(())
}

/// Reports of users who work at one of `sites` (`None`: every user), newest first, at most `limit`.
pub(super) async fn list(
    pool: &SqlitePool,
    sites: Option<&[String]>,
    limit: u32,
) -> Result<Vec<FleetRow>> {
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT d.device_id, u.username, u.display_name, d.app_version, d.last_seen,
                d.pending_records, d.oldest_pending_at, d.storage_used, d.storage_quota, d.persisted
         FROM device_reports d JOIN users u ON u.id = d.user_id WHERE 1 = 1",
    );
    if let Some(sites) = sites {
        q.push(
            " AND EXISTS (SELECT 1 FROM user_sites s WHERE s.user_id = u.id AND s.site_code IN (",
        );
        let mut list = q.separated(", ");
        for s in sites {
            list.push_bind(s.clone());
        }
        if sites.is_empty() {
            list.push("NULL");
        }
        q.push("))");
    }
    q.push(" ORDER BY d.last_seen DESC LIMIT ")
        .push_bind(i64::from(limit));
    let rows: Vec<DeviceReportRow> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(DeviceReportRow::fleet_row)
        .collect())
}
