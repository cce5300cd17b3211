//! PostgreSQL sites: creation with the location tree, listing with policy, hours, own days and
//! categories (four queries whatever the number of sites), edits.

use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::rows::{internal, SiteRows};
use crate::store::shared::edited_replies;
use crate::store::{LocationNode, SiteStore};
use async_trait::async_trait;
use siteline_model::api::{CustomCategory, SiteDay, SiteInfo};
use siteline_model::calendar::{DayKind, WorkingHours};
use siteline_model::replies::{ReplyEdit, ReplyTemplate};
use siteline_model::timelimit::Policy;
use siteline_model::Timestamp;
use sqlx::PgConnection;

fn no_site(code: &str) -> StoreError {
    StoreError::NotFound(format!("no site {code}"))
}

fn kind_code(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Off => "off",
        DayKind::Work => "work",
    }
}

/// Every site (or only `only`), default first.
async fn list(conn: &mut PgConnection, only: Option<&str>) -> Result<Vec<SiteInfo>> {
    let sites = sqlx::query_as(
        "SELECT code, name, policy_json, hours_json, replies_json FROM sites
         WHERE $1::text IS NULL OR code = $1 ORDER BY is_default DESC, code",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let locations = sqlx::query_as(
        "SELECT site_code, id, parent_id, name FROM locations
         WHERE $1::text IS NULL OR site_code = $1 ORDER BY site_code, sort, id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let days = sqlx::query_as(
        "SELECT site_code, date, kind FROM site_days
         WHERE $1::text IS NULL OR site_code = $1 ORDER BY site_code, date",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let categories = sqlx::query_as(
        "SELECT site_code, code, parent, zh, en FROM site_categories
         WHERE $1::text IS NULL OR site_code = $1 ORDER BY site_code, ord",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    SiteRows {
        sites,
        locations,
        days,
        categories,
    }
    .into_sites()
}

async fn require_site(conn: &mut PgConnection, code: &str) -> Result<()> {
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM sites WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| no_site(code))
}

#[async_trait]
impl SiteStore for PgStore {
    async fn count_sites(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn create_site(
        &self,
        code: &str,
        name: &str,
        is_default: bool,
        locations: &[LocationNode],
        now: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sites (code, name, is_default, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(code)
        .bind(name)
        .bind(is_default)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        // Depth-first, keeping sibling order in `sort`.
        let mut stack: Vec<(Option<i64>, i32, &LocationNode)> = locations
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (None, i32::try_from(i).unwrap_or(i32::MAX), n))
            .collect();
        while let Some((parent, sort, node)) = stack.pop() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO locations (site_code, parent_id, name, sort) VALUES ($1, $2, $3, $4)
                 RETURNING id",
            )
            .bind(code)
            .bind(parent)
            .bind(&node.name)
            .bind(sort)
            .fetch_one(&mut *tx)
            .await?;
            for (i, child) in node.children.iter().enumerate().rev() {
                stack.push((Some(id), i32::try_from(i).unwrap_or(i32::MAX), child));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn default_site_code(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code FROM sites ORDER BY is_default DESC, created_at, code LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_sites(&self) -> Result<Vec<SiteInfo>> {
        let mut conn = self.pool.acquire().await?;
        list(&mut conn, None).await
    }

    async fn get_site(&self, code: &str) -> Result<Option<SiteInfo>> {
        let mut conn = self.pool.acquire().await?;
        Ok(list(&mut conn, Some(code)).await?.into_iter().next())
    }

    async fn set_site_policy(
        &self,
        code: &str,
        policy: Option<&Policy>,
        hours: Option<&WorkingHours>,
    ) -> Result<()> {
        let policy = policy
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| internal("policy does not serialize", e))?;
        let hours = hours
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| internal("hours do not serialize", e))?;
        let done = sqlx::query(
            "UPDATE sites SET policy_json = coalesce($1, policy_json),
               hours_json = coalesce($2, hours_json) WHERE code = $3",
        )
        .bind(policy)
        .bind(hours)
        .bind(code)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(no_site(code));
        }
        Ok(())
    }

    async fn set_site_day(&self, code: &str, day: &SiteDay) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        require_site(&mut tx, code).await?;
        sqlx::query(
            "INSERT INTO site_days (site_code, date, kind) VALUES ($1, $2, $3)
             ON CONFLICT (site_code, date) DO UPDATE SET kind = EXCLUDED.kind",
        )
        .bind(code)
        .bind(&day.date)
        .bind(kind_code(day.kind))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_site_day(&self, code: &str, date: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        require_site(&mut tx, code).await?;
        let done = sqlx::query("DELETE FROM site_days WHERE site_code = $1 AND date = $2")
            .bind(code)
            .bind(date)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!(
                "site {code} has no own day {date}"
            )));
        }
        Ok(())
    }

    async fn add_site_category(&self, code: &str, c: &CustomCategory) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        require_site(&mut tx, code).await?;
        let res = sqlx::query(
            "INSERT INTO site_categories (site_code, code, parent, zh, en)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(code)
        .bind(&c.code)
        .bind(&c.parent)
        .bind(&c.zh)
        .bind(&c.en)
        .execute(&mut *tx)
        .await;
        match res {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(StoreError::Conflict(format!(
                    "site {code} already has category {}",
                    c.code
                )))
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_site(
        &self,
        code: &str,
        name: Option<&str>,
        add: &[LocationNode],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        require_site(&mut tx, code).await?;
        if let Some(name) = name {
            sqlx::query("UPDATE sites SET name = $1 WHERE code = $2")
                .bind(name)
                .bind(code)
                .execute(&mut *tx)
                .await?;
        }
        // One writer at a time per site, so two merges cannot both insert a node.
        sqlx::query("SELECT 1 FROM sites WHERE code = $1 FOR UPDATE")
            .bind(code)
            .execute(&mut *tx)
            .await?;
        let mut stack: Vec<(Option<i64>, &LocationNode)> =
            add.iter().rev().map(|n| (None, n)).collect();
        while let Some((parent, node)) = stack.pop() {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM locations
                 WHERE site_code = $1 AND parent_id IS NOT DISTINCT FROM $2 AND name = $3",
            )
            .bind(code)
            .bind(parent)
            .bind(&node.name)
            .fetch_optional(&mut *tx)
            .await?;
            let id = match found {
                Some(id) => id,
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO locations (site_code, parent_id, name, sort)
                         VALUES ($1, $2, $3, (SELECT coalesce(max(sort) + 1, 0) FROM locations
                                  WHERE site_code = $1 AND parent_id IS NOT DISTINCT FROM $2))
                         RETURNING id",
                    )
                    .bind(code)
                    .bind(parent)
                    .bind(&node.name)
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            stack.extend(node.children.iter().rev().map(|c| (Some(id), c)));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn edit_site_replies(&self, code: &str, edit: &ReplyEdit) -> Result<Vec<ReplyTemplate>> {
        edit_replies(self, code, edit).await
    }
}

/// Read-modify-write of a site's reply templates under the site row's lock.
pub(super) async fn edit_replies(
    store: &PgStore,
    code: &str,
    edit: &ReplyEdit,
) -> Result<Vec<ReplyTemplate>> {
    let mut tx = store.pool.begin().await?;
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT replies_json FROM sites WHERE code = $1 FOR UPDATE")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(stored) = stored else {
        return Err(no_site(code));
    };
    let (json, list) = edited_replies(code, stored.as_deref(), edit)?;
    sqlx::query("UPDATE sites SET replies_json = $1 WHERE code = $2")
        .bind(json)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(list)
}
