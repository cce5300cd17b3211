//! Server control: start the server command on a fixed port and data dir, SIGKILL it, restart it.

use super::client::{Api, Traffic};
use super::config::{default_server_bin, Placeholders, ServerCommand};
use crate::procs::log_tail;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const START_TIMEOUT: Duration = Duration::from_secs(60);
const START_ATTEMPTS: usize = 3;
const POLL: Duration = Duration::from_millis(20);

/// One server process (a process group, so wrapper scripts die with it) and its state on disk.
pub struct ChaosServer {
    cmd: ServerCommand,
    vars: Placeholders,
    pub port: u16,
    pub admin_password: String,
    /// More environment for the process (the cluster's database and object store).
    env: Vec<(String, String)>,
    /// Asks this process (not the proxy) whether it is up.
    health: Api,
    data: TempDir,
    _dist: TempDir,
    logs: TempDir,
    child: Option<Child>,
    /// Successful starts so far (1 + restarts).
    pub starts: usize,
}

impl ChaosServer {
    /// Prepares a port and fresh directories for `template` (not started yet).
    pub fn new(
        template: &str,
        admin_password: &str,
        env: Vec<(String, String)>,
    ) -> Result<ChaosServer, String> {
        let cmd = ServerCommand::parse(template)?;
        let bin = if cmd.needs_bin() {
            default_server_bin()?
        } else {
            PathBuf::new()
        };
        let tmp = |prefix: &str| {
            tempfile::Builder::new()
                .prefix(prefix)
                .tempdir()
                .map_err(|e| format!("temp dir: {e}"))
        };
        let data = tmp("siteline-chaos-data-")?;
        // The API works without a front end; an empty dist keeps the server from serving one.
        let dist = tmp("siteline-chaos-dist-")?;
        let logs = tmp("siteline-chaos-logs-")?;
        let port = crate::free_port();
        let vars = Placeholders {
            bin: bin.display().to_string(),
            addr: format!("127.0.0.1:{port}"),
            port,
            data: data.path().display().to_string(),
            dist: dist.path().display().to_string(),
        };
        let health = Api::new(
            &format!("http://127.0.0.1:{port}"),
            Arc::new(Traffic::default()),
            true,
        )?;
        Ok(ChaosServer {
            cmd,
            vars,
            port,
            admin_password: admin_password.to_string(),
            env,
            health,
            data,
            _dist: dist,
            logs,
            child: None,
            starts: 0,
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log_path(&self) -> PathBuf {
        self.logs.path().join("server.log")
    }

    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_path(), lines)
    }

    /// The command line as run (for the report).
    pub fn command_line(&self) -> String {
        let r = self.cmd.render(&self.vars);
        let mut words: Vec<String> = r.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        words.push(r.program);
        words.extend(r.args);
        words.join(" ")
    }

    /// Keeps the data and log directories after the run (for a failed run's post-mortem).
    pub fn keep_dirs(&mut self) -> (PathBuf, PathBuf) {
        self.kill();
        self.data.disable_cleanup(true);
        self.logs.disable_cleanup(true);
        (
            self.data.path().to_path_buf(),
            self.logs.path().to_path_buf(),
        )
    }

    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(c) => c.try_wait().ok().flatten().is_none(),
            None => false,
        }
    }

    /// Starts the server and waits for `GET /api/health`; retries a start that exits at once
    /// (e.g. the port not yet released after a kill).
    pub async fn start(&mut self) -> Result<Duration, String> {
        let t0 = Instant::now();
        let mut last = String::new();
        for attempt in 1..=START_ATTEMPTS {
            match self.start_once().await {
                Ok(()) => {
                    self.starts += 1;
                    return Ok(t0.elapsed());
                }
                Err(e) => {
                    last = format!("attempt {attempt}: {e}");
                    if let Some(mut c) = self.child.take() {
                        kill_group(&mut c);
                    }
                    // The port was free when picked but another test took it before this
                    // first start: move (a restart after a kill keeps its port).
                    if self.starts == 0 && self.log_tail(5).contains("Address already in use") {
                        self.move_to(crate::free_port())?;
                    }
                }
            }
        }
        Err(format!(
            "the server did not start ({last}); log {}:\n{}",
            self.log_path().display(),
            self.log_tail(40)
        ))
    }

    fn move_to(&mut self, port: u16) -> Result<(), String> {
        self.port = port;
        self.vars.port = port;
        self.vars.addr = format!("127.0.0.1:{port}");
        self.health = Api::new(
            &format!("http://127.0.0.1:{port}"),
            Arc::new(Traffic::default()),
            true,
        )?;
        Ok(())
    }

    async fn start_once(&mut self) -> Result<(), String> {
        if self.is_running() {
            return Err("already running".into());
        }
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|e| format!("server log: {e}"))?;
        let line = self.command_line();
        writeln!(log, "===== chaos: start #{}: {line} =====", self.starts + 1).ok();
        let err_log = log.try_clone().map_err(|e| format!("server log: {e}"))?;
        let r = self.cmd.render(&self.vars);
        let child = Command::new(&r.program)
            .args(&r.args)
            .env("SITELINE_ADDR", &self.vars.addr)
            .env("SITELINE_DATA", &self.vars.data)
            .env("SITELINE_DIST", &self.vars.dist)
            .env("SITELINE_ADMIN_PASSWORD", &self.admin_password)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(r.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start `{line}`: {e}"))?;
        self.child = Some(child);
        let t0 = Instant::now();
        loop {
            if let Some(c) = self.child.as_mut() {
                if let Ok(Some(status)) = c.try_wait() {
                    return Err(format!("exited during start-up ({status})"));
                }
            }
            if self.health.healthy().await {
                return Ok(());
            }
            if t0.elapsed() > START_TIMEOUT {
                return Err(format!("not healthy after {}s", START_TIMEOUT.as_secs()));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// SIGKILL to the server's process group, then reap it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            kill_group(&mut c);
        }
    }
}

fn kill_group(child: &mut Child) {
    // SAFETY: kill(2) has no memory-safety preconditions; the group id is our child's pid
    // (started with `process_group(0)`).
    unsafe {
        libc::kill(-(child.id() as i32), libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for ChaosServer {
    fn drop(&mut self) {
        self.kill();
    }
}
