//! SQLite: the tablets' sync-health reports (rows mapped by name).

use crate::error::Result;
use siteline_model::fleet::DeviceReport;
use siteline_model::{DeviceId, Timestamp};
use sqlx::SqlitePool;

/// A stored report with its user.
#[derive(Clone, Debug)]
pub struct FleetRow {
    pub report: DeviceReport,
    pub username: String,
    pub display_name: String,
    pub last_seen: Timestamp,
}

#[derive(sqlx::FromRow)]
struct Row {
    device_id: String,
    username: String,
    display_name: String,
    app_version: String,
    last_seen: i64,
    pending_records: i64,
    oldest_pending_at: Option<i64>,
    storage_used: Option<i64>,
    storage_quota: Option<i64>,
    persisted: Option<bool>,
}

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
    let rows: Vec<Row> = q.build_query_as().fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let device_id: DeviceId = r.device_id.parse().ok()?;
            let small = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
            Some(FleetRow {
                report: DeviceReport {
                    device_id,
                    app_version: r.app_version,
                    pending_records: u32::try_from(r.pending_records).unwrap_or(u32::MAX),
                    oldest_pending_at: r.oldest_pending_at.map(Timestamp),
                    storage_used: small(r.storage_used),
                    storage_quota: small(r.storage_quota),
                    persisted: r.persisted,
                },
                username: r.username,
                display_name: r.display_name,
                last_seen: Timestamp(r.last_seen),
            })
        })
        .collect())
}
