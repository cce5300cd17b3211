//! PostgreSQL users, sessions and device keys: accounts with their sites, edits that revoke
//! sessions, bearer sessions, device keys.

use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::{NewUser, Session, UserRecord, UserStore, UserUpdate};
use async_trait::async_trait;
use siteline_model::api::UserInfo;
use siteline_model::{DeviceId, Role, Timestamp};
use sqlx::{FromRow, PgConnection};

/// The columns of [`UserRow`], from `users u`; the sites as an array in code order.
const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.department,
    u.password_hash, u.disabled,
    ARRAY(SELECT site_code FROM user_sites WHERE user_id = u.id ORDER BY site_code) AS sites";

#[derive(FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    department: Option<String>,
    password_hash: String,
    disabled: bool,
    sites: Vec<String>,
}

#[derive(FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    expires_at: i64,
}

impl UserRow {
    fn record(self) -> Result<UserRecord> {
        Ok(UserRecord {
            id: self.id,
            info: UserInfo {
                role: crate::store::parse_code("role", &self.role, Role::parse)?,
                username: self.username,
                display_name: self.display_name,
                department: self.department,
                sites: self.sites,
                disabled: self.disabled,
            },
            password_hash: self.password_hash,
        })
    }
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Replaces the user's sites; `StoreError::Invalid` names an unknown site.
async fn set_sites(conn: &mut PgConnection, user_id: i64, sites: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM user_sites WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for site in sites {
        let known: Option<String> = sqlx::query_scalar("SELECT code FROM sites WHERE code = $1")
            .bind(site)
            .fetch_optional(&mut *conn)
            .await?;
        if known.is_none() {
            return Err(StoreError::Invalid(format!("unknown site: {site}")));
        }
        sqlx::query(
            "INSERT INTO user_sites (user_id, site_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(site)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn load(conn: &mut PgConnection, username: &str) -> Result<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"
    ))
    .bind(username)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(UserRow::record).transpose()
}

#[async_trait]
impl UserStore for PgStore {
    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn create_user(&self, user: NewUser, now: Timestamp) -> Result<UserRecord> {
        let mut tx = self.pool.begin().await?;
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (username, display_name, role, department, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
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

    async fn list_users(&self) -> Result<Vec<UserInfo>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| r.record().map(|u| u.info))
            .collect()
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserRecord>> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, username).await
    }

    async fn update_user(
        &self,
        username: &str,
        up: &UserUpdate,
        keep: Option<&str>,
    ) -> Result<Option<UserRecord>> {
        let mut tx = self.pool.begin().await?;
        // Edits of one user serialise (the row lock), as SQLite's single writer does.
        let locked: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE username = $1 FOR UPDATE")
                .bind(username)
                .fetch_optional(&mut *tx)
                .await?;
        if locked.is_none() {
            return Ok(None);
        }
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
            "UPDATE users SET display_name = $1, role = $2, department = $3, disabled = $4,
               password_hash = $5 WHERE id = $6",
        )
        .bind(
            up.display_name
                .as_ref()
                .unwrap_or(&before.info.display_name),
        )
        .bind(role.code())
        .bind(&department)
        .bind(up.disabled.unwrap_or(before.info.disabled))
        .bind(up.password_hash.as_ref().unwrap_or(&before.password_hash))
        .bind(before.id)
        .execute(&mut *tx)
        .await?;
        if let Some(sites) = &up.sites {
            set_sites(&mut tx, before.id, sites).await?;
        }
        if up.disabled == Some(true) || up.password_hash.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(before.id)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            // A device key would get a new session without the new password: gone too.
            sqlx::query("DELETE FROM device_keys WHERE user_id = $1")
                .bind(before.id)
                .execute(&mut *tx)
                .await?;
        }
        let after = load(&mut tx, username).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now.millis())
        .bind(expires_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn find_session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<SessionRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND NOT u.disabled"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: r.user.record()?,
                expires_at: Timestamp(r.expires_at),
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_device_key(
        &self,
        key_hash: &str,
        user_id: i64,
        device_id: DeviceId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        // One key per user and device: a new login replaces the old key; expired ones go.
        sqlx::query(
            "DELETE FROM device_keys WHERE (user_id = $1 AND device_id = $2) OR expires_at < $3",
        )
        .bind(user_id)
        .bind(device_id.to_string())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO device_keys (key_hash, user_id, device_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
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

    async fn find_device_key(
        &self,
        key_hash: &str,
        device_id: DeviceId,
        now: Timestamp,
    ) -> Result<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM device_keys k JOIN users u ON u.id = k.user_id
             WHERE k.key_hash = $1 AND k.device_id = $2 AND k.expires_at > $3 AND NOT u.disabled"
        ))
        .bind(key_hash)
        .bind(device_id.to_string())
        .bind(now.millis())
        .fetch_optional(&self.pool)
        .await?;
        row.map(UserRow::record).transpose()
    }

    async fn purge_sessions(&self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(before.millis())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
