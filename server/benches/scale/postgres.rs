//! `--postgres`: the generated SQLite data set copied into PostgreSQL by the server's own
//! `migrate` command, into a database made afresh for each run on `SITELINE_TEST_POSTGRES`
//! (default 127.0.0.1:5432; a run's sign-ins would make a reused copy differ from the SQLite
//! set, which `migrate` refuses), so the same queries are timed on it.

use siteline_server::store::postgres::scratch;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// A new, empty database `name` (dropped first if there); its URL.
async fn database(name: &str) -> Result<String, String> {
    let base = scratch::test_server_url();
    let admin = sqlx::PgPool::connect(&base)
        .await
        .map_err(|e| format!("PostgreSQL at {base}: {e}"))?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(&sql)
            .execute(&admin)
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    admin.close().await;
    let i = base
        .rfind('/')
        .ok_or("SITELINE_TEST_POSTGRES must end in /<database>")?;
    Ok(format!("{}/{name}", &base[..i]))
}

/// Copies the data set in `dir` into a new PostgreSQL database with `bin migrate`; answers the
/// URL and the seconds the copy took.
pub async fn load(bin: &Path, dir: &Path, name: &str) -> Result<(String, f64), String> {
    let url = database(name).await?;
    eprintln!("copying {} into PostgreSQL ({url})", dir.display());
    let t = Instant::now();
    let status = Command::new(bin)
        .arg("migrate")
        .arg("--from")
        .arg(dir)
        .arg("--to")
        .arg(&url)
        .env("RUST_LOG", "warn")
        .status()
        .map_err(|e| format!("{} migrate: {e}", bin.display()))?;
    if !status.success() {
        return Err(format!("{} migrate failed: {status}", bin.display()));
    }
    Ok((url, t.elapsed().as_secs_f64()))
}
