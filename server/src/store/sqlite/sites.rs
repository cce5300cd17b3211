//! SQLite sites: creation with the location tree, listing with policy/hours/days/categories, edits.

use crate::store::error::{Result, StoreError};
use crate::store::rows::{internal, SiteRows};
use crate::store::shared::edited_replies;
use crate::store::LocationNode;
use siteline_model::api::{CustomCategory, SiteDay, SiteInfo};
use siteline_model::calendar::{DayKind, WorkingHours};
use siteline_model::replies::{ReplyEdit, ReplyTemplate};
use siteline_model::timelimit::{Clock, Policy};
use siteline_model::Timestamp;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

fn no_site(code: &str) -> StoreError {
    StoreError::NotFound(format!("no site {code}"))
}

pub(super) async fn create_site(
    pool: &SqlitePool,
    code: &str,
    name: &str,
    is_default: bool,
    locations: &[LocationNode],
    now: Timestamp,
) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query("INSERT INTO sites (code, name, is_default, created_at) VALUES (?, ?, ?, ?)")
        .bind(code)
        .bind(name)
        .bind(i64::from(is_default))
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
    // Depth-first, keeping sibling order in `sort`.
    let mut stack: Vec<(Option<i64>, i64, &LocationNode)> = locations
        .iter()
        .enumerate()
        .rev()
        .map(|(i, n)| (None, i as i64, n))
        .collect();
    while let Some((parent, sort, node)) = stack.pop() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO locations (site_code, parent_id, name, sort) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(code)
        .bind(parent)
        .bind(&node.name)
        .bind(sort)
        .fetch_one(&mut *tx)
        .await?;
        for (i, child) in node.children.iter().enumerate().rev() {
            stack.push((Some(id), i as i64, child));
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Codes of every site.
pub(super) async fn known_sites(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT code FROM sites ORDER BY code")
        .fetch_all(&mut *conn)
        .await?)
}

/// Every site (or only `only`), default first, with everything a device needs offline.
/// Four queries whatever the number of sites (a push reads this for its gate and clocks).
pub(super) async fn list_sites(
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> Result<Vec<SiteInfo>> {
    let sites = sqlx::query_as(
        "SELECT code, name, policy_json, hours_json, replies_json FROM sites
         WHERE ?1 IS NULL OR code = ?1 ORDER BY is_default DESC, code",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let locations = sqlx::query_as(
        "SELECT site_code, id, parent_id, name FROM locations
         WHERE ?1 IS NULL OR site_code = ?1 ORDER BY site_code, sort, id",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let days = sqlx::query_as(
        "SELECT site_code, date, kind FROM site_days
         WHERE ?1 IS NULL OR site_code = ?1 ORDER BY site_code, date",
    )
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let categories = sqlx::query_as(
        "SELECT site_code, code, parent, zh, en FROM site_categories
         WHERE ?1 IS NULL OR site_code = ?1 ORDER BY site_code, rowid",
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

/// Clocks (policy, calendar with own days, hours) of every site, by code.
pub(super) async fn clocks(conn: &mut SqliteConnection) -> Result<HashMap<String, Clock>> {
    Ok(list_sites(conn, None)
        .await?
        .iter()
        .map(|s| (s.code.clone(), Clock::for_site(s)))
        .collect())
}

async fn require_site(conn: &mut SqliteConnection, code: &str) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sites WHERE code = ?")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| no_site(code))
}

pub(super) async fn set_policy(
    pool: &SqlitePool,
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
        "UPDATE sites SET policy_json = coalesce(?, policy_json), hours_json = coalesce(?, hours_json)
         WHERE code = ?",
    )
    .bind(policy)
    .bind(hours)
    .bind(code)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(no_site(code));
    }
    Ok(())
}

fn kind_code(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Off => "off",
        DayKind::Work => "work",
    }
}

pub(super) async fn set_day(pool: &SqlitePool, code: &str, day: &SiteDay) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    require_site(&mut tx, code).await?;
    sqlx::query(
        "INSERT INTO site_days (site_code, date, kind) VALUES (?, ?, ?)
         ON CONFLICT (site_code, date) DO UPDATE SET kind = excluded.kind",
    )
    .bind(code)
    .bind(&day.date)
    .bind(kind_code(day.kind))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn delete_day(pool: &SqlitePool, code: &str, date: &str) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    require_site(&mut tx, code).await?;
    let done = sqlx::query("DELETE FROM site_days WHERE site_code = ? AND date = ?")
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

pub(super) async fn add_category(pool: &SqlitePool, code: &str, c: &CustomCategory) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    require_site(&mut tx, code).await?;
    let res = sqlx::query(
        "INSERT INTO site_categories (site_code, code, parent, zh, en) VALUES (?, ?, ?, ?, ?)",
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

/// Read-modify-write of a site's reply templates under the write lock.
pub(super) async fn edit_replies(
    pool: &SqlitePool,
    code: &str,
    edit: &ReplyEdit,
) -> Result<Vec<ReplyTemplate>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT replies_json FROM sites WHERE code = ?")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(stored) = stored else {
        return Err(StoreError::NotFound(format!("no site {code}")));
    };
    let (json, list) = edited_replies(code, stored.as_deref(), edit)?;
    sqlx::query("UPDATE sites SET replies_json = ? WHERE code = ?")
        .bind(json)
        .bind(code)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(list)
}

/// Renames a site and merges `add` into its tree (find-or-insert per node, depth first).
pub(super) async fn update_site(
    pool: &SqlitePool,
    code: &str,
    name: Option<&str>,
    add: &[LocationNode],
) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    require_site(&mut tx, code).await?;
    if let Some(name) = name {
        sqlx::query("UPDATE sites SET name = ? WHERE code = ?")
            .bind(name)
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    let mut stack: Vec<(Option<i64>, &LocationNode)> =
        add.iter().rev().map(|n| (None, n)).collect();
    while let Some((parent, node)) = stack.pop() {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM locations WHERE site_code = ? AND parent_id IS ? AND name = ?",
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
                     VALUES (?1, ?2, ?3, (SELECT coalesce(max(sort) + 1, 0) FROM locations
                                          WHERE site_code = ?1 AND parent_id IS ?2))
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

#[cfg(test)]
mod tests {
    use crate::store::shared::location_labels;

    #[test]
    fn labels_follow_the_tree() {
        let rows = vec![
            (1, None, "1栋".to_string()),
            (2, Some(1), "1F 大堂".to_string()),
            (3, Some(1), "3F 电梯厅".to_string()),
            (4, None, "B2 停车场".to_string()),
        ];
        assert_eq!(
            location_labels(&rows),
            vec!["1栋", "1栋 › 1F 大堂", "1栋 › 3F 电梯厅", "B2 停车场"]
        );
    }
}
