//! SQLite users and sessions: accounts with their sites, edits that revoke sessions, bearer sessions.

use crate::store::error::{Result, StoreError};
use crate::store::{NewUser, Session, UserRecord, UserUpdate};
use siteline_model::api::UserInfo;
use siteline_model::{DeviceId, Role, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};

/// A user row and the session's expiry.
type SessionRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    i64,
);

type UserRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
);

/// The columns of [`UserRow`], from `users u`; the sites as a comma list (codes have no commas).
const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.role, u.department, u.password_hash,
    u.disabled, (SELECT group_concat(site_code, ',') FROM
        (SELECT site_code FROM user_sites WHERE user_id = u.id ORDER BY site_code))";

fn user_from_row(
    (id, username, display_name, role, department, password_hash, disabled, sites): UserRow,
) -> Result<UserRecord> {
    let role = crate::store::parse_code("role", &role, Role::parse)?;
    let sites = sites
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    Ok(UserRecord {
        id,
        info: UserInfo {
            username,
            display_name,
            role,
            department,
            sites,
            disabled: disabled != 0,
        },
        password_hash,
    })
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Replaces the user's sites; `StoreError::Invalid` names an unknown site.
async fn set_sites(conn: &mut SqliteConnection, user_id: i64, sites: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM user_sites WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for site in sites {
        let known: Option<String> = sqlx::query_scalar("SELECT code FROM sites WHERE code = ?")
            .bind(site)
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!("unknown site: {site}")));
        }
        sqlx::query("INSERT OR IGNORE INTO user_sites (user_id, site_code) VALUES (?, ?)")
            .bind(user_id)
            .bind(site)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn load(conn: &mut SqliteConnection, username: &str) -> Result<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.username = ?"
    ))
    .bind(username)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(user_from_row).transpose()
}

pub(super) async fn create_user(
    pool: &SqlitePool,
    user: NewUser,
    now: Timestamp,
) -> Result<UserRecord> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let res = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (username, display_name, role, department, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(user.role.code())
    .bind(&user.department)
    .bind(&user.password_hash)
    .bind(now.millis())
    .fetch_one(&mut *tx)
    .await;
    let id = match res {
        Ok(id) => id,
        Err(e) if unique_violation(&e) => {
            return Err(StoreError::Conflict(format!(
                "user {:?} already exists",
                user.username
            )))
        }
        Err(e) => return Err(e.into()),
    };
    set_sites(&mut tx, id, &user.sites).await?;
    let created = load(&mut tx, &user.username)
        .await?
        .ok_or_else(|| StoreError::Internal("created user vanished".into()))?;
    tx.commit().await?;
    Ok(created)
}

pub(super) async fn list_users(pool: &SqlitePool) -> Result<Vec<UserInfo>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
    ))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| user_from_row(r).map(|u| u.info))
        .collect()
}

pub(super) async fn find_user(pool: &SqlitePool, username: &str) -> Result<Option<UserRecord>> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, username).await
}

/// Applies an edit in one transaction; a new password or disabling revokes every session of
/// the user except `keep` (a token hash). `None` if there is no such user.
pub(super) async fn update_user(
    pool: &SqlitePool,
    username: &str,
    up: &UserUpdate,
    keep: Option<&str>,
) -> Result<Option<UserRecord>> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let Some(before) = load(&mut tx, username).await? else {
        return Ok(None);
    };
    let role = up.role.unwrap_or(before.info.role);
    let department = match &up.department {
        Some(d) => d.clone(),
        None => before.info.department.clone(),
    };
    if role == Role::Handler && department.is_none() {
        return Err(StoreError::Invalid(
            "a handler needs a department (e.g. engineering)".into(),
        ));
    }
    sqlx::query(
        "UPDATE users SET display_name = ?, role = ?, department = ?, disabled = ?,
           password_hash = ? WHERE id = ?",
    )
    .bind(
        up.display_name
            .as_ref()
            .unwrap_or(&before.info.display_name),
    )
    .bind(role.code())
    .bind(&department)
    .bind(i64::from(up.disabled.unwrap_or(before.info.disabled)))
    .bind(up.password_hash.as_ref().unwrap_or(&before.password_hash))
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    if let Some(sites) = &up.sites {
        set_sites(&mut tx, before.id, sites).await?;
    }
    if up.disabled == Some(true) || up.password_hash.is_some() {
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(before.id)
            .bind(keep.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        // A device key would get a new session without the new password: gone too.
        sqlx::query("DELETE FROM device_keys WHERE user_id = ?")
            .bind(before.id)
            .execute(&mut *tx)
            .await?;
    }
    let after = load(&mut tx, username).await?;
    tx.commit().await?;
    Ok(after)
}

/// The session of a token hash (expired or not: the caller decides); none for a disabled user.
pub(super) async fn find_session(pool: &SqlitePool, token_hash: &str) -> Result<Option<Session>> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS}, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND u.disabled = 0"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    row.map(|(id, un, dn, role, dept, ph, dis, sites, exp)| {
        Ok(Session {
            user: user_from_row((id, un, dn, role, dept, ph, dis, sites))?,
            expires_at: Timestamp(exp),
        })
    })
    .transpose()
}

pub(super) async fn create_device_key(
    pool: &SqlitePool,
    key_hash: &str,
    user_id: i64,
    device_id: DeviceId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // One key per user and device: a new login replaces the old key; expired ones are dropped.
    sqlx::query("DELETE FROM device_keys WHERE (user_id = ? AND device_id = ?) OR expires_at < ?")
        .bind(user_id)
        .bind(device_id.to_string())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO device_keys (key_hash, user_id, device_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(key_hash)
    .bind(user_id)
    .bind(device_id.to_string())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn find_device_key(
    pool: &SqlitePool,
    key_hash: &str,
    device_id: DeviceId,
    now: Timestamp,
) -> Result<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM device_keys k JOIN users u ON u.id = k.user_id
         WHERE k.key_hash = ? AND k.device_id = ? AND k.expires_at > ? AND u.disabled = 0"
    ))
    .bind(key_hash)
    .bind(device_id.to_string())
    .bind(now.millis())
    .fetch_optional(pool)
    .await?;
    row.map(user_from_row).transpose()
}
