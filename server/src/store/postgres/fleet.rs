//! PostgreSQL: the tablets' sync-health reports (rows mapped by name).

use super::PgStore;
use crate::store::error::Result;
use crate::store::rows::DeviceReportRow;
use crate::store::{FleetRow, FleetStore};
use async_trait::async_trait;
use siteline_model::fleet::DeviceReport;
use siteline_model::Timestamp;

#[async_trait]
impl FleetStore for PgStore {
    async fn record_device_report(
        &self,
        user_id: i64,
        r: &DeviceReport,
        now: Timestamp,
    ) -> Result<()> {
        let big = |v: Option<u64>| v.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        sqlx::query(
            "INSERT INTO device_reports (device_id, user_id, app_version, last_seen,
                 pending_records, oldest_pending_at, storage_used, storage_quota, persisted)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (device_id, user_id) DO UPDATE SET
                 app_version = EXCLUDED.app_version, last_seen = EXCLUDED.last_seen,
                 pending_records = EXCLUDED.pending_records,
                 oldest_pending_at = EXCLUDED.oldest_pending_at,
                 storage_used = EXCLUDED.storage_used, storage_quota = EXCLUDED.storage_quota,
                 persisted = EXCLUDED.persisted",
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
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn fleet(&self, sites: Option<&[String]>, limit: u32) -> Result<Vec<FleetRow>> {
        let rows: Vec<DeviceReportRow> = sqlx::query_as(
            "SELECT d.device_id, u.username, u.display_name, d.app_version, d.last_seen,
                    d.pending_records, d.oldest_pending_at, d.storage_used, d.storage_quota,
                    d.persisted
             FROM device_reports d JOIN users u ON u.id = d.user_id
             WHERE $1::text[] IS NULL OR EXISTS (
                 SELECT 1 FROM user_sites s WHERE s.user_id = u.id AND s.site_code = ANY($1))
             ORDER BY d.last_seen DESC LIMIT $2",
        )
        .bind(sites.map(<[String]>::to_vec))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(DeviceReportRow::fleet_row)
            .collect())
    }
}
