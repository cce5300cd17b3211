//! Running subprocesses with the project's tool PATH, rooted at the workspace.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where things are and which PATH subprocesses see.
pub struct Ctx {
    pub root: PathBuf,
    /// `.tools/npm/node_modules/.bin`, first on PATH (wasm-opt from npm binaryen).
    pub npm_bin: PathBuf,
    path: OsString,
}

impl Ctx {
    pub fn new(root: PathBuf) -> Result<Ctx, String> {
        let npm_bin = root.join(".tools/npm/node_modules/.bin");
        let existing = std::env::var_os("PATH").unwrap_or_default();
        let entries = tool_path(&npm_bin, cargo_bin_dir().as_deref(), &existing);
        let path = std::env::join_paths(entries).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Ctx {
            root,
            npm_bin,
            path,
        })
    }

    /// A command run from the workspace root with the tool PATH.
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        cmd
    }

    /// A `cargo` command (the same cargo that runs xtask, when known).
    pub fn cargo(&self) -> Command {
        self.cmd(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    /// The cargo target directory (honours `CARGO_TARGET_DIR`).
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => self.root.join(dir),
            _ => self.root.join("target"),
        }
    }

    /// Runs `cmd` to completion with inherited stdio; Err names `what` on failure.
    pub fn run(&self, cmd: &mut Command, what: &str) -> Result<(), String> {
        let status = cmd
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("{what}: could not start `{}`: {e}", show(cmd)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what}: `{}` failed ({status})", show(cmd)))
        }
    }

    /// Runs a test command, echoing its stdout while counting the runners' `test result:` lines.
    pub fn run_tests(
        &self,
        cmd: &mut Command,
        what: &str,
        tally: &mut Tally,
    ) -> Result<(), String> {
        use std::io::{BufRead, BufReader, Write};
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{what}: could not start `{}`: {e}", show(cmd)))?;
        if let Some(out) = child.stdout.take() {
            let stdout = std::io::stdout();
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                tally.add_line(&line);
                let mut lock = stdout.lock();
                let _ = writeln!(lock, "{line}");
            }
        }
        let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{what}: `{}` failed ({status})", show(cmd)))
        }
    }

    /// Output (stdout, then stderr) of `program args…` if it ran and succeeded.
    pub fn probe(&self, program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
        let out = self
            .cmd(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        Some(text.trim().to_string())
    }
}

/// Passed and failed test counts summed over every runner's `test result:` line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// Reads `test result: ok. 12 passed; 0 failed; …` (cargo test and wasm-bindgen-test-runner).
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(n), Some(kind)) = (words.next(), words.next()) {
                match (n.parse::<u64>(), kind) {
                    (Ok(n), "passed") => self.passed += n,
                    (Ok(n), "failed") => self.failed += n,
                    _ => {}
                }
            }
        }
    }
}

/// `~/.cargo/bin` (or `$CARGO_HOME/bin`).
fn cargo_bin_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home).join("bin"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"))
}

/// PATH entries: npm tools first, then cargo's bin dir, then the rest (without duplicates).
pub fn tool_path(npm_bin: &Path, cargo_bin: Option<&Path>, existing: &OsStr) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = vec![npm_bin.to_path_buf()];
    out.extend(cargo_bin.map(Path::to_path_buf));
    for entry in std::env::split_paths(existing) {
        if !entry.as_os_str().is_empty() && !out.contains(&entry) {
            out.push(entry);
        }
    }
    out
}

/// A readable rendering of a command line for messages.
pub fn show(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// `1m 05s` / `12.3s`.
pub fn fmt_duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn tool_path_orders_npm_then_cargo_then_rest_without_duplicates() {
        let existing = OsString::from("/usr/bin:/root/.cargo/bin::/bin");
        let got = tool_path(
            Path::new("/repo/.tools/npm/node_modules/.bin"),
            Some(Path::new("/root/.cargo/bin")),
            &existing,
        );
        let want: Vec<PathBuf> = [
            "/repo/.tools/npm/node_modules/.bin",
            "/root/.cargo/bin",
            "/usr/bin",
            "/bin",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn tally_sums_cargo_and_wasm_runner_summaries() {
        let mut t = Tally::default();
        t.add_line("test result: ok. 16 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s");
        t.add_line(
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.05s",
        );
        t.add_line("test result: FAILED. 3 passed; 1 failed; 0 ignored");
        t.add_line("running 3 tests");
        t.add_line("test foo ... ok");
        assert_eq!(
            t,
            Tally {
                passed: 21,
                failed: 1
            }
        );
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(fmt_duration(Duration::from_millis(12_340)), "12.3s");
        assert_eq!(fmt_duration(Duration::from_secs(65)), "1m 05s");
    }
}
