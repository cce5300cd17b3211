//! Server configuration: `SITELINE_*` environment variables, overridden by command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Default token lifetime: 7 days.
pub const DEFAULT_TOKEN_TTL_SECS: u64 = 7 * 24 * 3600;
/// Default pause between automatic escalation passes: 5 minutes.
pub const DEFAULT_ESCALATION_INTERVAL_SECS: u64 = 300;
/// Default largest attachment (one photo): 10 MiB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// Default largest import archive (compressed): 200 MiB.
pub const DEFAULT_MAX_IMPORT_BYTES: u64 = 200 * 1024 * 1024;

/// Default oldest capture time accepted: 60 days before receipt.
pub const DEFAULT_MAX_CAPTURE_AGE_DAYS: u64 = 60;

/// Everything the server needs to start. Tests build it directly with [`Config::new`].
#[derive(Clone, Debug)]
pub struct Config {
    /// `SITELINE_ADDR` / `--addr`.
    pub addr: SocketAddr,
    /// `SITELINE_DATA` / `--data`: holds `siteline.db` and `attachments/`.
    pub data_dir: PathBuf,
    /// `SITELINE_DIST` / `--dist`: the built front end.
    pub dist_dir: PathBuf,
    /// `SITELINE_ADMIN_PASSWORD`: password of the first `admin` user (random if unset).
    pub admin_password: Option<String>,
    /// `SITELINE_TOKEN_TTL_SECS`: bearer token lifetime (0 = tokens expire at once).
    pub token_ttl_secs: u64,
    /// `SITELINE_SITE_CODE`: code of the default site created on a new database.
    pub site_code: String,
    /// `--demo`: seed demo data on a new database.
    pub demo: bool,
    /// `SITELINE_ESCALATION_INTERVAL_SECS`: how often the server escalates unresolved
    /// complaints (0 = never on its own; `POST /api/v1/admin/escalate` still works).
    pub escalation_interval_secs: u64,
    /// `SITELINE_NOW_OFFSET_SECS`: shifts the workflow clock forward (tests, demos).
    pub now_offset_secs: i64,
    /// `SITELINE_MAX_ATTACHMENT_BYTES`: largest attachment accepted (413 `too_large` above).
    pub max_attachment_bytes: u64,
    /// `SITELINE_MAX_IMPORT_BYTES`: largest import archive accepted (413 `too_large` above).
    pub max_import_bytes: u64,
    /// `SITELINE_MAX_CAPTURE_AGE_DAYS`: events captured longer ago than this (by the device's
    /// clock, against the server's receipt) are refused as `clock_out_of_range`.
    pub max_capture_age_days: u64,
    /// `SITELINE_FLEET_SILENT_HOURS`: a tablet holding unsynced records that has not synced
    /// for longer is flagged on the fleet page (default a shift, 12).
    pub fleet_silent_hours: u64,
    /// `SITELINE_DATABASE_URL` / `--database-url`: a `postgres://…` database instead of the
    /// data directory's SQLite file (several servers may share it).
    pub database_url: Option<String>,
    /// `SITELINE_DATABASE_POOL`: this process's PostgreSQL connections (default 10).
    pub database_pool: u32,
    /// `SITELINE_OBJECT_STORE_URL`: where attachment bytes go instead of `DATA/attachments`
    /// (`file:///path`, `s3://bucket/prefix`, `memory://`).
    pub object_store_url: Option<String>,
    /// The object store's settings: the environment's `AWS_*` variables, keys lowercased
    /// (`aws_access_key_id`, `aws_secret_access_key`, `aws_region`, `aws_endpoint`, …).
    pub object_store_options: Vec<(String, String)>,
}

impl Config {
    /// Defaults with the given data directory (no environment read).
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            dist_dir: PathBuf::from("./dist"),
            admin_password: None,
            token_ttl_secs: DEFAULT_TOKEN_TTL_SECS,
            site_code: "SL".into(),
            demo: false,
            escalation_interval_secs: DEFAULT_ESCALATION_INTERVAL_SECS,
            now_offset_secs: 0,
            max_attachment_bytes: DEFAULT_MAX_ATTACHMENT_BYTES,
            max_import_bytes: DEFAULT_MAX_IMPORT_BYTES,
            max_capture_age_days: DEFAULT_MAX_CAPTURE_AGE_DAYS,
            fleet_silent_hours: siteline_model::fleet::DEFAULT_SILENT_HOURS,
            database_url: None,
            database_pool: 10,
            object_store_url: None,
            object_store_options: Vec::new(),
        }
    }

    /// Reads the environment, then applies flags (`--demo`, `--addr A`, `--data D`, `--dist D`).
    pub fn from_env_and_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut c = Config::new("./data");
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        if let Some(v) = env("SITELINE_ADDR") {
            c.addr = parse_addr(&v)?;
        }
        if let Some(v) = env("SITELINE_DATA") {
            c.data_dir = v.into();
        }
        if let Some(v) = env("SITELINE_DIST") {
            c.dist_dir = v.into();
        }
        c.admin_password = env("SITELINE_ADMIN_PASSWORD");
        c.database_url = env("SITELINE_DATABASE_URL");
        c.object_store_url = env("SITELINE_OBJECT_STORE_URL");
        c.object_store_options = std::env::vars()
            .filter(|(k, _)| k.starts_with("AWS_"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        if let Some(v) = env("SITELINE_DATABASE_POOL") {
            c.database_pool = v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                format!("SITELINE_DATABASE_POOL: not a number of connections: {v}")
            })?;
        }
        if let Some(v) = env("SITELINE_TOKEN_TTL_SECS") {
            c.token_ttl_secs = v
                .trim()
                .parse()
                .map_err(|_| format!("SITELINE_TOKEN_TTL_SECS: not a number of seconds: {v}"))?;
        }
        if let Some(v) = env("SITELINE_ESCALATION_INTERVAL_SECS") {
            c.escalation_interval_secs = v.trim().parse().map_err(|_| {
                format!("SITELINE_ESCALATION_INTERVAL_SECS: not a number of seconds: {v}")
            })?;
        }
        if let Some(v) = env("SITELINE_NOW_OFFSET_SECS") {
            c.now_offset_secs = v
                .trim()
                .parse()
                .map_err(|_| format!("SITELINE_NOW_OFFSET_SECS: not a number of seconds: {v}"))?;
        }
        for (key, field) in [
            ("SITELINE_MAX_ATTACHMENT_BYTES", &mut c.max_attachment_bytes),
            ("SITELINE_MAX_IMPORT_BYTES", &mut c.max_import_bytes),
        ] {
            if let Some(v) = env(key) {
                *field =
                    parse_bytes(&v).ok_or_else(|| format!("{key}: not a size in bytes: {v}"))?;
            }
        }
        if let Some(v) = env("SITELINE_MAX_CAPTURE_AGE_DAYS") {
            c.max_capture_age_days = v
                .trim()
                .parse()
                .map_err(|_| format!("SITELINE_MAX_CAPTURE_AGE_DAYS: not a number of days: {v}"))?;
        }
        if let Some(v) = env("SITELINE_FLEET_SILENT_HOURS") {
            c.fleet_silent_hours = v
                .trim()
                .parse()
                .map_err(|_| format!("SITELINE_FLEET_SILENT_HOURS: not a number of hours: {v}"))?;
        }
        if let Some(v) = env("SITELINE_SITE_CODE") {
            c.site_code = v.trim().to_string();
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag.as_str() {
                "--demo" => c.demo = true,
                "--addr" => c.addr = parse_addr(&value("--addr")?)?,
                "--data" => c.data_dir = value("--data")?.into(),
                "--dist" => c.dist_dir = value("--dist")?.into(),
                "--database-url" => c.database_url = Some(value("--database-url")?),
                other => return Err(format!("unknown argument: {other}\n\n{USAGE}")),
            }
        }
        validate_site_code(&c.site_code)?;
        Ok(c)
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("siteline.db")
    }

    pub fn attachments_dir(&self) -> PathBuf {
        self.data_dir.join("attachments")
    }

    /// Staging files of resumable uploads and imports under way (never served).
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }
}

/// A positive number of bytes.
fn parse_bytes(v: &str) -> Option<u64> {
    v.trim().parse().ok().filter(|n| *n > 0)
}

fn parse_addr(v: &str) -> Result<SocketAddr, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("not a socket address (like 127.0.0.1:8080): {v}"))
}

/// Site codes appear in printed numbers: 1-16 uppercase ASCII letters or digits.
pub fn validate_site_code(code: &str) -> Result<(), String> {
    let ok = (1..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a site code (SITELINE_SITE_CODE too) must be 1-16 characters A-Z or 0-9, got {code:?}"
        ))
    }
}

pub const USAGE: &str = "\
Usage: siteline-server [--demo] [--addr HOST:PORT] [--data DIR] [--dist DIR]
                       [--database-url postgres://USER@HOST:PORT/DB]

Environment:
  SITELINE_ADDR            listen address (default 127.0.0.1:8080)
  SITELINE_DATA            data directory with siteline.db and attachments/ (default ./data)
  SITELINE_DIST            built front end to serve (default ./dist)
  SITELINE_ADMIN_PASSWORD  password of the first admin user (random and printed once if unset)
  SITELINE_TOKEN_TTL_SECS  login token lifetime in seconds (default 604800 = 7 days)
  SITELINE_SITE_CODE       code of the default site on a new database (default SL)
  SITELINE_ESCALATION_INTERVAL_SECS
                           seconds between automatic escalation passes (default 300, 0 = off)
  SITELINE_NOW_OFFSET_SECS shift the workflow clock forward by this many seconds (tests; default 0)
  SITELINE_MAX_ATTACHMENT_BYTES
                           largest photo accepted, in bytes (default 10485760 = 10 MiB)
  SITELINE_MAX_IMPORT_BYTES
                           largest import archive accepted, in bytes (default 209715200 = 200 MiB)
  SITELINE_DATABASE_URL    postgres://… to use PostgreSQL instead of DATA/siteline.db
                           (upload chunks are staged in the database; attachments stay in
                           DATA unless SITELINE_OBJECT_STORE_URL says otherwise)
  SITELINE_DATABASE_POOL   PostgreSQL connections of this process (default 10)
  SITELINE_OBJECT_STORE_URL
                           attachment bytes in s3://BUCKET/PREFIX (with the usual AWS_*
                           variables; AWS_ENDPOINT for S3-compatible stores), file:///PATH or
                           memory:// instead of DATA/attachments
  RUST_LOG                 log filter (default siteline_server=info)

Flags:
  --demo   on a new database, seed the demo site 示例花园 (code DEMO) and demo users
           (staff 张三, supervisor 李主管, engineering handler 王工)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_defaults() {
        let args = ["--demo", "--addr=0.0.0.0:9000", "--data", "/tmp/x"].map(String::from);
        let c = Config::from_env_and_args(args).expect("parses");
        assert!(c.demo);
        assert_eq!(c.addr.port(), 9000);
        assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
        assert!(Config::from_env_and_args(["--nope".to_string()]).is_err());
        assert!(Config::from_env_and_args(["--addr".to_string()]).is_err());
    }

    #[test]
    fn site_codes() {
        assert!(validate_site_code("SL").is_ok());
        assert!(validate_site_code("DEMO2").is_ok());
        assert!(validate_site_code("").is_err());
        assert!(validate_site_code("sl").is_err());
        assert!(validate_site_code("A-B").is_err());
    }
}
