//! `siteline-server migrate --from DIR --to postgres://…`: copies a SQLite data directory's
//! database into PostgreSQL, table by table in key order, keeping every id and seq (devices'
//! cursors stay valid). Idempotent: rows already there are kept, so an interrupted run is
//! simply run again. At the end every table's row count is compared and a difference is an
//! error. Attachment files stay in the data directory (keep serving it with `--data`).

use crate::error::{Error, Result};
use crate::store::{PgStore, SqliteStore};
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, QueryBuilder, Row};
use std::path::Path;

/// How a column is read from SQLite and written to PostgreSQL.
#[derive(Clone, Copy)]
enum Ty {
    Text,
    OptText,
    Int,
    OptInt,
    /// An INTEGER column PostgreSQL keeps as `integer`.
    Int32,
    /// SQLite's 0/1 as a boolean.
    Bool,
    OptBool,
}

use Ty::*;

/// A table to copy: its name, its columns with their types, its conflict target.
type Table = (&'static str, &'static [(&'static str, Ty)], &'static str);

/// The tables in foreign-key order.
const TABLES: &[Table] = &[
    (
        "users",
        &[
            ("id", Int),
            ("username", Text),
            ("display_name", Text),
            ("role", Text),
            ("department", OptText),
            ("password_hash", Text),
            ("created_at", Int),
            ("disabled", Bool),
        ],
        "id",
    ),
    (
        "sites",
        &[
            ("code", Text),
            ("name", Text),
            ("is_default", Bool),
            ("created_at", Int),
            ("policy_json", OptText),
            ("hours_json", OptText),
        ],
        "code",
    ),
    (
        "locations",
        &[
            ("id", Int),
            ("site_code", Text),
            ("parent_id", OptInt),
            ("name", Text),
            ("sort", Int32),
        ],
        "id",
    ),
    (
        "site_days",
        &[("site_code", Text), ("date", Text), ("kind", Text)],
        "site_code, date",
    ),
    (
        "site_categories",
        &[
            ("site_code", Text),
            ("code", Text),
            ("parent", Text),
            ("zh", Text),
            ("en", Text),
        ],
        "site_code, code",
    ),
    (
        "user_sites",
        &[("user_id", Int), ("site_code", Text)],
        "user_id, site_code",
    ),
    (
        "sessions",
        &[
            ("token_hash", Text),
            ("user_id", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        "token_hash",
    ),
    (
        "device_keys",
        &[
            ("key_hash", Text),
            ("user_id", Int),
            ("device_id", Text),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        "key_hash",
    ),
    (
        "events",
        &[
            ("seq", Int),
            ("id", Text),
            ("complaint_id", Text),
            ("kind", Text),
            ("author", Text),
            ("device_id", Text),
            ("lamport", Int),
            ("captured_at", Int),
            ("received_at", Int),
            ("body", Text),
            ("site_code", OptText),
        ],
        "seq",
    ),
    (
        "number_counters",
        &[("site_code", Text), ("year", Int32), ("last_seq", Int)],
        "site_code, year",
    ),
    (
        "complaint_numbers",
        &[
            ("complaint_id", Text),
            ("site_code", Text),
            ("year", Int32),
            ("seq", Int),
            ("number", Text),
        ],
        "complaint_id",
    ),
    (
        "complaints",
        &[
            ("id", Text),
            ("site_code", Text),
            ("number", OptText),
            ("provisional_number", Text),
            ("status", Text),
            ("severity", Text),
            ("category", Text),
            ("channel", Text),
            ("location", Text),
            ("description", Text),
            ("created_by", Text),
            ("captured_at", Int),
            ("received_at", Int),
            ("updated_at", Int),
            ("state_json", Text),
            ("department", OptText),
            ("nature", Text),
            ("phone", OptText),
            ("location_key", Text),
            ("fold_version", Int),
            ("category_top", Text),
            ("month", Int32),
            ("replied_at", OptInt),
            ("closed_at", OptInt),
            ("satisfaction", OptText),
            ("late", Bool),
            ("open_due_at", OptInt),
            ("is_repeat", Bool),
            ("reply_work_min", OptInt),
            ("close_work_min", OptInt),
        ],
        "id",
    ),
    (
        "complaint_escalations",
        &[
            ("complaint_id", Text),
            ("rule", Text),
            ("event_id", Text),
            ("created_at", Int),
        ],
        "complaint_id, rule",
    ),
    (
        "complaint_departments",
        &[
            ("complaint_id", Text),
            ("department", Text),
            ("site_code", Text),
            ("since_seq", Int),
        ],
        "complaint_id, department",
    ),
    (
        "attachments",
        &[
            ("sha256", Text),
            ("size", Int),
            ("content_type", Text),
            ("stored_at", Int),
            ("stored_by", Text),
        ],
        "sha256",
    ),
    (
        "complaint_attachments",
        &[("complaint_id", Text), ("sha256", Text)],
        "complaint_id, sha256",
    ),
    (
        "uploads",
        &[
            ("id", Text),
            ("user_id", Int),
            ("sha256", Text),
            ("size", Int),
            ("created_at", Int),
        ],
        "id",
    ),
    (
        "event_imports",
        &[
            ("event_id", Text),
            ("imported_by", Text),
            ("device_id", Text),
            ("exported_at", Int),
            ("imported_at", Int),
        ],
        "event_id",
    ),
    (
        "shares",
        &[
            ("id", Text),
            ("token_hash", Text),
            ("created_by", Int),
            ("site_code", OptText),
            ("scope_sites", OptText),
            ("from_month", Int32),
            ("to_month", Int32),
            ("period", Text),
            ("label", Text),
            ("created_at", Int),
            ("expires_at", Int),
            ("revoked_at", OptInt),
            ("open_count", Int),
            ("last_opened_at", OptInt),
        ],
        "id",
    ),
    (
        "device_reports",
        &[
            ("device_id", Text),
            ("user_id", Int),
            ("app_version", Text),
            ("last_seen", Int),
            ("pending_records", Int),
            ("oldest_pending_at", OptInt),
            ("storage_used", OptInt),
            ("storage_quota", OptInt),
            ("persisted", OptBool),
        ],
        "device_id, user_id",
    ),
];

/// Rows read and written at a time.
const CHUNK: i64 = 500;

enum Val {
    Text(Option<String>),
    Int(Option<i64>),
    Int32(Option<i32>),
    Bool(Option<bool>),
}

fn read(row: &SqliteRow, i: usize, ty: Ty) -> Result<Val> {
    Ok(match ty {
        Text => Val::Text(Some(row.try_get(i)?)),
        OptText => Val::Text(row.try_get(i)?),
        Int => Val::Int(Some(row.try_get(i)?)),
        OptInt => Val::Int(row.try_get(i)?),
        Int32 => {
            let v: i64 = row.try_get(i)?;
            Val::Int32(Some(i32::try_from(v).map_err(|_| {
                Error::Internal(format!("column {i}: {v} does not fit PostgreSQL's integer"))
            })?))
        }
        Bool => Val::Bool(Some(row.try_get::<i64, _>(i)? != 0)),
        OptBool => Val::Bool(row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)),
    })
}

/// What one run did, table by table: (table, rows in SQLite, rows newly written).
pub type Counts = Vec<(String, u64, u64)>;

/// Copies `from/siteline.db` into the PostgreSQL database at `to` (created tables included).
pub async fn migrate(from: &Path, to: &str) -> Result<Counts> {
    let db = from.join("siteline.db");
    if !db.exists() {
        return Err(Error::BadRequest(format!(
            "no database at {}",
            db.display()
        )));
    }
    let lite = SqliteStore::open(&db).await?;
    let pg = PgStore::open(to, 4).await?;
    let mut counts = Vec::new();
    for (table, cols, key) in TABLES {
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let list = names.join(", ");
        let mut written = 0u64;
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT rowid, {list} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
            ))
            .bind(after)
            .bind(CHUNK)
            .fetch_all(lite.pool())
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            let mut vals = Vec::with_capacity(rows.len());
            for row in &rows {
                let mut v = Vec::with_capacity(cols.len());
                for (i, (_, ty)) in cols.iter().enumerate() {
                    v.push(read(row, i + 1, *ty)?);
                }
                vals.push(v);
            }
            let overriding = if *table == "events" {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            };
            let mut q: QueryBuilder<Postgres> =
                QueryBuilder::new(format!("INSERT INTO {table} ({list}){overriding} "));
            q.push_values(vals, |mut b, row| {
                for v in row {
                    match v {
                        Val::Text(x) => b.push_bind(x),
                        Val::Int(x) => b.push_bind(x),
                        Val::Int32(x) => b.push_bind(x),
                        Val::Bool(x) => b.push_bind(x),
                    };
                }
            });
            q.push(format!(" ON CONFLICT ({key}) DO NOTHING"));
            written += q.build().execute(pg.pool()).await?.rows_affected();
        }
        let source: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(lite.pool())
            .await?;
        let target: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pg.pool())
            .await?;
        if source != target {
            return Err(Error::Internal(format!(
                "{table}: {source} rows in SQLite but {target} in PostgreSQL"
            )));
        }
        counts.push((table.to_string(), source.max(0) as u64, written));
    }
    // Keys made later continue after the copied ones.
    for (table, col) in [("users", "id"), ("locations", "id"), ("events", "seq")] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{col}'),
                           (SELECT coalesce(max({col}), 0) + 1 FROM {table}), false)"
        ))
        .execute(pg.pool())
        .await?;
    }
    sqlx::query(
        "UPDATE projection_meta SET fold_version = GREATEST(fold_version, $1) WHERE id = 1",
    )
    .bind(crate::store::FOLD_VERSION)
    .execute(pg.pool())
    .await?;
    // After a bulk load: planner statistics, and the visibility map that lets reports read
    // their covering indexes without visiting each row (autovacuum would get there later).
    sqlx::query("VACUUM (ANALYZE)").execute(pg.pool()).await?;
    Ok(counts)
}
