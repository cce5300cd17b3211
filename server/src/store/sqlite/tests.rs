//! Upgrading a v1 database: users rebuilt with ids and sessions kept, foreign keys intact, re-fold.

use super::SqliteStore;
use crate::store::{ComplaintStore, NewUser, UserStore};
use siteline_model::{
    ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Role, Timestamp,
};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::SqlitePool;

const V1: &str = include_str!("../../../migrations/sqlite/0001_init.sql");

async fn v1_database(dir: &std::path::Path) -> (std::path::PathBuf, ComplaintId) {
    let migrations = dir.join("v1");
    std::fs::create_dir_all(&migrations).expect("dir");
    std::fs::write(migrations.join("0001_init.sql"), V1).expect("write");
    let db = dir.join("siteline.db");
    let options = SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(options).await.expect("open");
    sqlx::migrate::Migrator::new(migrations)
        .await
        .expect("migrator")
        .run(&pool)
        .await
        .expect("v1");
    sqlx::raw_sql(
        "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES
           (5, 'admin', '管理员', 'admin', 'h1', 1), (9, 'zhang', '张三', 'staff', 'h2', 2);
         INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES
           ('t5', 5, 1, 9999999999999), ('t9', 9, 1, 9999999999999);
         INSERT INTO sites (code, name, is_default, created_at) VALUES ('SL', '默认项目', 1, 1);",
    )
    .execute(&pool)
    .await
    .expect("v1 rows");
    // A complaint whose projection a v1 server wrote (its state no longer parses).
    let cid = ComplaintId::new_v7(1_700_000_000_000, [3; 10]);
    let ev = Event {
        id: EventId::new_v7(1_700_000_000_000, [4; 10]),
        complaint_id: cid,
        device_id: DeviceId::new_v7(1_700_000_000_000, [5; 10]),
        author: "zhang".into(),
        captured_at: Timestamp(1_700_000_000_000),
        lamport: 1,
        kind: EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-0505-0001".into(),
            description: "电梯异响".into(),
            location: "1栋".into(),
            category: "facility.lift".into(),
            ..Default::default()
        })),
    };
    sqlx::query(
        "INSERT INTO events (id, complaint_id, kind, author, device_id, lamport, captured_at,
           received_at, body) VALUES (?, ?, 'created', 'zhang', ?, 1, 1, 2, ?)",
    )
    .bind(ev.id.to_string())
    .bind(cid.to_string())
    .bind(ev.device_id.to_string())
    .bind(serde_json::to_string(&ev).expect("json"))
    .execute(&pool)
    .await
    .expect("event");
    sqlx::query(
        "INSERT INTO complaints (id, site_code, provisional_number, status, severity, category,
           channel, location, description, created_by, captured_at, received_at, updated_at,
           state_json) VALUES (?, 'SL', 'P-0505-0001', 'received', 'minor', 'facility.lift',
           'visit', '1栋', '电梯异响', 'zhang', 1, 2, 1, '{\"old\": true}')",
    )
    .bind(cid.to_string())
    .execute(&pool)
    .await
    .expect("projection");
    pool.close().await;
    (db, cid)
}

#[tokio::test]
async fn upgrade_keeps_users_sessions_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("tmp");
    let (db, cid) = v1_database(dir.path()).await;
    let store = SqliteStore::open(&db).await.expect("upgrades");

    let admin = store.find_user("admin").await.expect("q").expect("admin");
    assert_eq!((admin.id, admin.info.department), (5, None));
    let session = store.find_session("t9").await.expect("q").expect("kept");
    assert_eq!(session.user.id, 9);
    assert_eq!(session.user.info.username, "zhang");

    let handler = NewUser {
        username: "wang".into(),
        display_name: "王工".into(),
        role: Role::Handler,
        department: Some("engineering".into()),
        password_hash: "h3".into(),
        sites: Vec::new(),
    };
    let created = store
        .create_user(handler, Timestamp(3))
        .await
        .expect("handler");
    assert_eq!(created.info.department.as_deref(), Some("engineering"));
    let info = store
        .find_user("wang")
        .await
        .expect("q")
        .expect("wang")
        .info;
    assert_eq!(
        (info.role, info.department.as_deref()),
        (Role::Handler, Some("engineering"))
    );

    let pool = store.pool();
    let no_dept = sqlx::query(
        "INSERT INTO users (username, display_name, role, password_hash, created_at)
         VALUES ('li', '李', 'handler', 'h', 1)",
    )
    .execute(pool)
    .await;
    assert!(no_dept.is_err(), "a handler row needs a department");
    let orphan = sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('x', 999, 1, 2)",
    )
    .execute(pool)
    .await;
    assert!(orphan.is_err(), "sessions still reference users");
    sqlx::query("DELETE FROM users WHERE id = 9")
        .execute(pool)
        .await
        .expect("delete");
    assert!(
        store.find_session("t9").await.expect("q").is_none(),
        "cascade"
    );
    assert!(store.find_session("t5").await.expect("q").is_some());
    let problems: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(pool)
        .await
        .expect("check");
    assert!(problems.is_empty(), "{problems:?}");

    // The v1 projection row was re-folded from its events.
    let detail = store
        .get_complaint(cid)
        .await
        .expect("q")
        .expect("complaint");
    assert_eq!(detail.row.state.description, "电梯异响");
    assert_eq!(detail.row.site_code, "SL");
    let version: i64 = sqlx::query_scalar("SELECT fold_version FROM complaints")
        .fetch_one(pool)
        .await
        .expect("version");
    assert_eq!(version, crate::store::FOLD_VERSION);
}

async fn fold_version_of(pool: &SqlitePool, cid: ComplaintId) -> i64 {
    sqlx::query_scalar("SELECT fold_version FROM complaints WHERE id = ?")
        .bind(cid.to_string())
        .fetch_one(pool)
        .await
        .expect("version")
}

#[tokio::test]
async fn the_stale_projection_scan_runs_only_until_the_meta_says_current() {
    let dir = tempfile::tempdir().expect("tmp");
    let (db, cid) = v1_database(dir.path()).await;
    let store = SqliteStore::open(&db).await.expect("upgrades");
    let pool = store.pool().clone();
    assert_eq!(
        fold_version_of(&pool, cid).await,
        crate::store::FOLD_VERSION
    );
    let meta: i64 = sqlx::query_scalar("SELECT fold_version FROM projection_meta")
        .fetch_one(&pool)
        .await
        .expect("meta");
    assert_eq!(meta, crate::store::FOLD_VERSION);

    // A stale row behind a current meta is not looked for on the next start…
    sqlx::query("UPDATE complaints SET fold_version = 0 WHERE id = ?")
        .bind(cid.to_string())
        .execute(&pool)
        .await
        .expect("mark stale");
    pool.close().await;
    let store = SqliteStore::open(&db).await.expect("reopens");
    let pool = store.pool().clone();
    assert_eq!(fold_version_of(&pool, cid).await, 0, "no scan");

    // …and is re-folded once the meta is behind (as after a server with a newer fold).
    sqlx::query("UPDATE projection_meta SET fold_version = 0")
        .execute(&pool)
        .await
        .expect("meta behind");
    pool.close().await;
    let store = SqliteStore::open(&db).await.expect("reopens");
    assert_eq!(
        fold_version_of(store.pool(), cid).await,
        crate::store::FOLD_VERSION
    );
}
