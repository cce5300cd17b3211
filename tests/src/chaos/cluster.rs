//! The servers of a run: one process on SQLite (the default), or several processes on one
//! PostgreSQL database and one object store behind the round-robin proxy. A kill hits one
//! process; the others keep serving.

use super::config::ChaosConfig;
use super::proxy::Proxy;
use super::server::ChaosServer;
use crate::procs::random_secret;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// The PostgreSQL server the scale-out runs use (a new database per run).
pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct Cluster {
    pub servers: Vec<ChaosServer>,
    proxy: Option<Proxy>,
    /// The run's database (`postgres://…/name`), dropped after a passing run.
    database: Option<Database>,
    _objects: Option<TempDir>,
}

struct Database {
    admin_url: String,
    name: String,
    keep: bool,
}

impl Drop for Database {
    fn drop(&mut self) {
        if !self.keep {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            let _ = psql(&self.admin_url, &sql);
        }
    }
}

fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .map_err(|e| format!("psql (PostgreSQL's client) is needed for --postgres: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> Result<String, String> {
    let mut u = url::Url::parse(url).map_err(|e| format!("{url}: {e}"))?;
    u.set_path(&format!("/{name}"));
    Ok(u.to_string())
}

impl Cluster {
    /// Prepares the processes of `config` (not started): with `config.postgres`, a new database
    /// on `SITELINE_TEST_POSTGRES` (default [`DEFAULT_POSTGRES`]; without a server the run fails),
    /// a shared attachment directory and the proxy.
    pub async fn new(config: &ChaosConfig) -> Result<Cluster, String> {
        let admin_password = random_secret();
        if !config.postgres {
            let server = ChaosServer::new(&config.server_cmd, &admin_password, Vec::new())?;
            return Ok(Cluster {
                servers: vec![server],
                proxy: None,
                database: None,
                _objects: None,
            });
        }
        let admin_url = std::env::var("SITELINE_TEST_POSTGRES")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_POSTGRES.to_string());
        let name = format!(
            "siteline_chaos_{}_{}",
            std::process::id(),
            config.seed % 1_000_000
        );
        psql(
            &admin_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )?;
        psql(&admin_url, &format!("CREATE DATABASE {name}"))?;
        let url = with_database(&admin_url, &name)?;
        let database = Database {
            admin_url,
            name,
            keep: false,
        };
        let objects = tempfile::Builder::new()
            .prefix("siteline-chaos-objects-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let env = vec![
            ("SITELINE_DATABASE_URL".to_string(), url),
            ("SITELINE_DATABASE_POOL".to_string(), "5".to_string()),
            (
                "SITELINE_OBJECT_STORE_URL".to_string(),
                format!("file://{}", objects.path().display()),
            ),
        ];
        let servers = (0..config.processes.max(1))
            .map(|_| ChaosServer::new(&config.server_cmd, &admin_password, env.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let proxy = Proxy::start(servers.iter().map(|s| s.port).collect()).await?;
        Ok(Cluster {
            servers,
            proxy: Some(proxy),
            database: Some(database),
            _objects: Some(objects),
        })
    }

    /// Where the devices send their requests: the proxy, or the one server.
    pub fn base_url(&self) -> String {
        match &self.proxy {
            Some(p) => format!("http://127.0.0.1:{}", p.port),
            None => self.servers[0].base_url(),
        }
    }

    /// Whether requests go through the proxy (then every request opens its own connection,
    /// so consecutive requests of one device reach different processes).
    pub fn proxied(&self) -> bool {
        self.proxy.is_some()
    }

    pub fn admin_password(&self) -> &str {
        &self.servers[0].admin_password
    }

    /// Starts every process that is not running (the first alone, so one bootstraps the
    /// database, then the others at once).
    pub async fn start_all(&mut self) -> Result<Duration, String> {
        let mut took = Duration::ZERO;
        for i in 0..self.servers.len() {
            if !self.servers[i].is_running() {
                took += self.start(i).await?;
            }
        }
        Ok(took)
    }

    pub fn kill(&mut self, i: usize) {
        self.servers[i].kill();
    }

    pub async fn start(&mut self, i: usize) -> Result<Duration, String> {
        let took = self.servers[i].start().await?;
        if let Some(p) = &self.proxy {
            p.set_backend(i, self.servers[i].port);
        }
        Ok(took)
    }

    /// Connections open to process `i` (through the proxy; the one server: always busy).
    pub fn active(&self, i: usize) -> usize {
        self.proxy.as_ref().map_or(usize::MAX, |p| p.active(i))
    }

    pub fn is_running(&mut self) -> bool {
        self.servers.iter_mut().all(|s| s.is_running())
    }

    pub fn starts(&self) -> usize {
        self.servers.iter().map(|s| s.starts).sum()
    }

    /// The command line as run, and how many processes on which database.
    pub fn command_line(&self) -> String {
        let one = self.servers[0].command_line();
        match &self.database {
            Some(db) => format!(
                "{} processes on PostgreSQL database {} behind a round-robin proxy: {one}",
                self.servers.len(),
                db.name
            ),
            None => one,
        }
    }

    pub fn log_tail(&self, lines: usize) -> String {
        let mut out = String::new();
        for (i, s) in self.servers.iter().enumerate() {
            if self.servers.len() > 1 {
                out.push_str(&format!("--- process {i} ---\n"));
            }
            out.push_str(&s.log_tail(lines));
            out.push('\n');
        }
        out
    }

    /// Keeps data, logs and the database after a failed run; answers where they are.
    pub fn keep(&mut self) -> String {
        let mut places: Vec<String> = Vec::new();
        for s in &mut self.servers {
            let (data, logs): (PathBuf, PathBuf) = s.keep_dirs();
            places.push(format!(
                "data {} · log {}/server.log",
                data.display(),
                logs.display()
            ));
        }
        if let Some(db) = &mut self.database {
            db.keep = true;
            places.push(format!("database {}", db.name));
        }
        if let Some(o) = &mut self._objects {
            o.disable_cleanup(true);
        }
        places.join("; ")
    }
}
