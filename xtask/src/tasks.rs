//! The `run` and `test` tasks: front-end build, server start, the CI test sequence.

use crate::proc::{fmt_duration, Ctx, Tally};
use crate::tools::{self, WASM_TARGET};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// `cargo xtask run`: build everything in release and start the server in demo mode.
pub fn run(ctx: &Ctx) -> Result<(), String> {
    tools::ensure_build_tools(ctx)?;
    build_front_end(ctx)?;

    let addr = env_or("SITELINE_ADDR", DEFAULT_ADDR);
    let data = match std::env::var_os("SITELINE_DATA").filter(|v| !v.is_empty()) {
        Some(dir) => absolute(Path::new(&dir)),
        None => ctx.root.join("data"),
    };
    let mut cmd = ctx.cargo();
    cmd.args(["run", "--release", "-p", "siteline-server", "--", "--demo"])
        .env("SITELINE_DIST", ctx.root.join("dist"))
        .env("SITELINE_ADDR", &addr)
        .env("SITELINE_DATA", &data);

    println!();
    println!(
        "Siteline will listen on {} (data in {}).",
        display_url(&addr),
        data.display()
    );
    if std::env::var_os("SITELINE_ADMIN_PASSWORD").is_some() {
        println!("The admin password comes from SITELINE_ADMIN_PASSWORD; the demo accounts staff, supervisor and engineer (工程部) get passwords printed below on first start.");
    } else {
        println!("Passwords for admin and the demo accounts staff, supervisor and engineer (工程部) are printed below on first start.");
    }
    println!();
    exec(cmd)
}

/// Replaces xtask with the server process, so signals (Ctrl-C) reach it directly.
#[cfg(unix)]
fn exec(mut cmd: Command) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let err = cmd.exec();
    Err(format!(
        "could not start `{}`: {err}",
        crate::proc::show(&cmd)
    ))
}

#[cfg(not(unix))]
fn exec(mut cmd: Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("could not start the server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server exited with {status}"))
    }
}

/// `cargo xtask test`: the whole CI sequence, stopping at the first failing step.
pub fn test(ctx: &Ctx) -> Result<(), String> {
    let mut steps = Steps::new(7);
    let mut tally = Tally::default();
    let mut browser = None;
    let mut s3_standin = None;
    steps.step("check tools", || {
        tools::ensure_build_tools(ctx)?;
        browser = Some(tools::ensure_browser(ctx)?);
        tools::ensure_axe(ctx)?;
        s3_standin = Some(crate::standin::ensure_s3_standin(ctx)?);
        Ok(())
    })?;
    let browser = browser.expect("set by the tools step");
    let s3_standin = s3_standin.expect("set by the tools step");

    steps.step(
        "style (cargo fmt --check, cargo clippy -D warnings)",
        || {
            ctx.run(
                ctx.cargo().args(["fmt", "--all", "--check"]),
                "cargo fmt --check",
            )?;
            ctx.run(
                ctx.cargo()
                    .args(["clippy", "--all-targets", "--", "-D", "warnings"]),
                "cargo clippy",
            )?;
            // The app is not a default member (it builds for wasm): its own pass.
            ctx.run(
                ctx.cargo().args([
                    "clippy",
                    "-p",
                    "siteline-app",
                    "--target",
                    WASM_TARGET,
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]),
                "cargo clippy (app, wasm)",
            )
        },
    )?;

    steps.step("build front end (release, split at lazy pages)", || {
        build_front_end(ctx)
    })?;

    steps.step("native tests (model, server, xtask, app logic)", || {
        let mut cmd = ctx.cargo();
        cmd.args([
            "test",
            "-p",
            "siteline-model",
            "-p",
            "siteline-server",
            "-p",
            "xtask",
        ])
        .env("SITELINE_S3_STANDIN_PYTHONPATH", &s3_standin);
        ctx.run_tests(&mut cmd, "cargo test", &mut tally)?;
        // The app's logic natively too: its plain `#[test]`s do not run under the wasm runner
        // (only `#[wasm_bindgen_test]`s do), so this is where they run.
        let mut app = ctx.cargo();
        app.args(["test", "-p", "siteline-app", "--lib"]);
        ctx.run_tests(&mut app, "cargo test (app logic, native)", &mut tally)
    })?;

    steps.step("server HTTP suite on PostgreSQL", || {
        // The same 71 tests against PostgreSQL (SITELINE_TEST_POSTGRES, default the machine's
        // 127.0.0.1:5432 `test` database; a database per server). No server: the step fails.
        let mut cmd = ctx.cargo();
        cmd.args(["test", "-p", "siteline-server", "--test", "http"])
            .env("SITELINE_TEST_BACKEND", "postgres")
            .env("SITELINE_S3_STANDIN_PYTHONPATH", &s3_standin);
        ctx.run_tests(&mut cmd, "cargo test (http, postgres)", &mut tally)
    })?;

    steps.step("app tests in headless Chromium (wasm)", || {
        let mut cmd = ctx.cargo();
        // `--tests`: unit and integration tests; doctests do not run under the wasm runner.
        cmd.args([
            "test",
            "-p",
            "siteline-app",
            "--target",
            WASM_TARGET,
            "--tests",
        ])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env_remove("GECKODRIVER")
        .env_remove("SAFARIDRIVER");
        ctx.run_tests(&mut cmd, "cargo test (wasm)", &mut tally)
    })?;

    steps.step("end-to-end browser tests", || {
        ctx.run(
            ctx.cargo().args(["build", "-p", "siteline-server"]),
            "cargo build (server)",
        )?;
        let server_bin = ctx.target_dir().join("debug").join(exe("siteline-server"));
        let mut cmd = ctx.cargo();
        cmd.args(["test", "-p", "siteline-e2e"])
            .env("SITELINE_SERVER_BIN", &server_bin)
            .env("SITELINE_DIST", ctx.root.join("dist"))
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium);
        ctx.run_tests(&mut cmd, "cargo test (e2e)", &mut tally)
    })?;

    steps.finish();
    // A plain closing line that any CI log reader understands.
    println!("total: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// The release front end into `dist/` (see `front`), using the project's tool PATH.
fn build_front_end(ctx: &Ctx) -> Result<(), String> {
    let built = crate::front::build(ctx)?;
    println!(
        "front end: {} first-load files, {} loaded on demand",
        built.first_load.len(),
        built.on_demand.len()
    );
    Ok(())
}

/// Numbered step headers, timings and a summary.
struct Steps {
    total: usize,
    started: Instant,
    done: Vec<(String, Duration)>,
}

impl Steps {
    fn new(total: usize) -> Steps {
        Steps {
            total,
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    fn step(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        let n = self.done.len() + 1;
        println!("\n==> [{n}/{}] {name}", self.total);
        let t = Instant::now();
        if let Err(e) = f() {
            return Err(format!(
                "step {n}/{} \"{name}\" failed after {}: {e}\n(total time {})",
                self.total,
                fmt_duration(t.elapsed()),
                fmt_duration(self.started.elapsed())
            ));
        }
        println!(
            "<== [{n}/{}] {name}: ok ({})",
            self.total,
            fmt_duration(t.elapsed())
        );
        self.done.push((name.to_string(), t.elapsed()));
        Ok(())
    }

    fn finish(&self) {
        println!("\nall {} steps passed:", self.done.len());
        for (name, took) in &self.done {
            println!("  {:>8}  {name}", fmt_duration(*took));
        }
        println!("total time {}", fmt_duration(self.started.elapsed()));
    }
}

fn env_or(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return p.to_path_buf();
    }
    std::env::current_dir()
        .map(|cwd| cwd.join(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// The URL to open for a listen address (`0.0.0.0` / `[::]` shown as localhost).
pub fn display_url(addr: &str) -> String {
    let local = match addr.rsplit_once(':') {
        Some(("0.0.0.0", port)) => format!("127.0.0.1:{port}"),
        Some(("[::]", port)) => format!("localhost:{port}"),
        _ => addr.to_string(),
    };
    format!("http://{local}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_url_for_listen_addresses() {
        assert_eq!(display_url("127.0.0.1:8080"), "http://127.0.0.1:8080/");
        assert_eq!(display_url("0.0.0.0:9000"), "http://127.0.0.1:9000/");
        assert_eq!(display_url("[::]:80"), "http://localhost:80/");
    }

    #[test]
    fn failing_step_names_itself_and_stops() {
        let mut steps = Steps::new(2);
        assert!(steps.step("first", || Ok(())).is_ok());
        let err = steps.step("second", || Err("boom".into())).unwrap_err();
        assert!(err.starts_with("step 2/2 \"second\" failed"), "{err}");
        assert!(err.contains("boom"), "{err}");
        assert_eq!(steps.done.len(), 1);
    }
}
