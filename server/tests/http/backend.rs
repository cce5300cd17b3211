//! Which database the HTTP suite runs on (`SITELINE_TEST_BACKEND`), and white-box reads of
//! whichever one a test server uses.

use crate::common::TestServer;

/// `SITELINE_TEST_BACKEND=postgres` runs the suite on PostgreSQL (`SITELINE_TEST_POSTGRES`,
/// default `postgres://postgres@127.0.0.1:5432/test`), a new database per server; otherwise on
/// SQLite in the temp dir. A PostgreSQL run without a server fails.
pub async fn backend_url() -> Option<String> {
    match std::env::var("SITELINE_TEST_BACKEND").as_deref() {
        Ok("postgres") => {}
        Ok("sqlite") | Err(_) => return None,
        Ok(other) => panic!("SITELINE_TEST_BACKEND is sqlite or postgres, not {other}"),
    }
    let base = siteline_server::store::postgres::scratch::test_server_url();
    let url = siteline_server::store::postgres::scratch::scratch_database(&base, "siteline_h")
        .await
        .unwrap_or_else(|e| panic!("SITELINE_TEST_BACKEND=postgres needs PostgreSQL: {e}"));
    Some(url)
}

impl TestServer {
    /// The text columns of a query's rows on the server's own database, whichever backend
    /// (white-box checks of what is stored).
    pub async fn db_strings(&self, sql: &str) -> Vec<Vec<String>> {
        use sqlx::Row;
        fn texts<R: Row>(rows: Vec<R>) -> Vec<Vec<String>>
        where
            for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| r.try_get::<String, _>(i).expect("text"))
                        .collect()
                })
                .collect()
        }
        match &self.state.config.database_url {
            Some(url) => {
                let pool = sqlx::PgPool::connect(url).await.expect("db");
                texts(sqlx::query(sql).fetch_all(&pool).await.expect("query"))
            }
            None => {
                let db = self.dir.path().join("data").join("siteline.db");
                let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
                    .await
                    .expect("db");
                texts(sqlx::query(sql).fetch_all(&pool).await.expect("query"))
            }
        }
    }
}
