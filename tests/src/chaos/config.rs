//! Chaos run configuration: sizes, seed, pacing, the server command template; CLI parsing.

use std::path::PathBuf;
use std::time::Duration;

/// The default server command: the built `siteline-server` with flags for address and data dir.
pub const DEFAULT_SERVER_CMD: &str = "{bin} --addr {addr} --data {data}";

pub const USAGE: &str = "\
usage: chaos [--big] [--postgres] [--processes N] [--devices N] [--ops N] [--kills N] [--seed N]
             [--server-cmd CMD]

  --big            20 devices x 500 operations, 10 kills (default: 5 x 60, 3 kills)
  --devices N      simulated devices
  --ops N          local operations (creations and actions) per device
  --kills N        times the server is SIGKILLed and restarted during the run
  --postgres       3 server processes on one new PostgreSQL database (SITELINE_TEST_POSTGRES,
                   default postgres://postgres@127.0.0.1:5432/test) and one attachment store,
                   behind a round-robin proxy; each kill hits one process
  --processes N    server processes with --postgres (default 3)
  --seed N         seed of every random choice (printed by each run, for replays)
  --server-cmd CMD how to start a server; placeholders {bin} {addr} {port} {data} {dist};
                   leading KEY=VALUE words are environment variables
                   (default: \"{bin} --addr {addr} --data {data}\"; {bin} is
                   $SITELINE_SERVER_BIN, else target/release, else target/debug siteline-server)
";

/// What a chaos run does. Durations are ranges `(min, max)` drawn from the seeded generator.
#[derive(Clone, Debug)]
pub struct ChaosConfig {
    pub devices: usize,
    /// Local operations per device.
    pub ops: usize,
    pub kills: usize,
    pub seed: u64,
    /// Server processes on one PostgreSQL database (with `postgres`), else 1 on SQLite.
    pub processes: usize,
    pub postgres: bool,
    /// Template of the server command line (see [`ServerCommand`]).
    pub server_cmd: String,
    /// Pause between two local operations on a device.
    pub op_pause_ms: (u64, u64),
    /// Pause between two sync runs of a device.
    pub sync_pause_ms: (u64, u64),
    /// Chance (per mille) that a device goes offline before a sync run, and for how long.
    pub offline_per_mille: u32,
    pub offline_ms: (u64, u64),
    /// How long the server stays dead after a kill.
    pub downtime_ms: (u64, u64),
    /// Longest wait for a request to be in flight before a kill.
    pub aim_timeout: Duration,
    /// Limit for the final phase (everyone syncs to the end).
    pub settle_timeout: Duration,
}

impl ChaosConfig {
    /// The small run of the test suite: 5 devices x 60 operations, 3 kills.
    pub fn small(seed: u64) -> ChaosConfig {
        ChaosConfig {
            devices: 5,
            ops: 60,
            kills: 3,
            seed,
            processes: 1,
            postgres: false,
            server_cmd: DEFAULT_SERVER_CMD.into(),
            op_pause_ms: (10, 90),
            sync_pause_ms: (30, 250),
            offline_per_mille: 120,
            offline_ms: (300, 1500),
            downtime_ms: (50, 600),
            aim_timeout: Duration::from_secs(3),
            settle_timeout: Duration::from_secs(60),
        }
    }

    /// `--big`: 20 devices x 500 operations, 10 kills.
    pub fn big(seed: u64) -> ChaosConfig {
        ChaosConfig {
            devices: 20,
            ops: 500,
            kills: 10,
            offline_ms: (500, 4000),
            downtime_ms: (100, 1500),
            settle_timeout: Duration::from_secs(300),
            ..ChaosConfig::small(seed)
        }
    }

    /// The scale-out run: `processes` servers on PostgreSQL behind the proxy.
    pub fn on_postgres(self, processes: usize) -> ChaosConfig {
        ChaosConfig {
            processes,
            postgres: true,
            ..self
        }
    }

    /// Parses the command line (without the program name). `--big` is applied first, the
    /// other flags override it whatever their order. Without `--seed` the seed comes from the clock.
    pub fn from_args(args: &[String]) -> Result<ChaosConfig, String> {
        let mut c = if args.iter().any(|a| a == "--big") {
            ChaosConfig::big(clock_seed())
        } else {
            ChaosConfig::small(clock_seed())
        };
        let mut processes = None;
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
            };
            match flag {
                "--big" => {}
                "--postgres" => c.postgres = true,
                "--processes" => processes = Some(number(flag, &value()?)?),
                "--devices" => c.devices = number(flag, &value()?)?,
                "--ops" => c.ops = number(flag, &value()?)?,
                "--kills" => c.kills = number(flag, &value()?)?,
                "--seed" => c.seed = number(flag, &value()?)?,
                "--server-cmd" => c.server_cmd = value()?,
                "--help" | "-h" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument: {other}\n\n{USAGE}")),
            }
        }
        if c.postgres {
            c.processes = processes.unwrap_or(3);
        } else if processes.is_some_and(|n| n > 1) {
            return Err("--processes needs --postgres (SQLite serves one process)".into());
        }
        if c.processes == 0 {
            return Err("--processes must be at least 1".into());
        }
        if c.devices == 0 {
            return Err("--devices must be at least 1".into());
        }
        ServerCommand::parse(&c.server_cmd)?;
        Ok(c)
    }
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("{flag}: not a number: {v}"))
}

/// A seed from the clock (when none is given).
pub fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

/// `$SITELINE_SERVER_BIN`, else the release build, else the debug build of `siteline-server`.
pub fn default_server_bin() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("SITELINE_SERVER_BIN").filter(|v| !v.is_empty()) {
        let bin = PathBuf::from(bin);
        return if bin.exists() {
            Ok(bin)
        } else {
            Err(format!(
                "SITELINE_SERVER_BIN={} does not exist",
                bin.display()
            ))
        };
    }
    let name = format!("siteline-server{}", std::env::consts::EXE_SUFFIX);
    let target = crate::target_dir();
    let candidates = [
        target.join("release").join(&name),
        target.join("debug").join(&name),
    ];
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .ok_or_else(|| {
            format!(
                "no server binary: build it (`cargo build --release -p siteline-server`) or set \
             SITELINE_SERVER_BIN (looked for {} and {})",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// Values substituted into a server command.
#[derive(Clone, Debug)]
pub struct Placeholders {
    pub bin: String,
    pub addr: String,
    pub port: u16,
    pub data: String,
    pub dist: String,
}

/// A parsed server command template: `KEY=VALUE` words first (environment), then the program
/// and its arguments. Words split on whitespace; `{bin} {addr} {port} {data} {dist}` are
/// replaced inside each word after splitting, so paths with spaces stay one argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerCommand {
    pub env: Vec<(String, String)>,
    pub program: String,
    pub args: Vec<String>,
}

impl ServerCommand {
    pub fn parse(template: &str) -> Result<ServerCommand, String> {
        let mut words = template.split_whitespace().peekable();
        let mut env = Vec::new();
        while let Some(w) = words.peek() {
            match w.split_once('=') {
                Some((k, v)) if is_env_name(k) => {
                    env.push((k.to_string(), v.to_string()));
                    words.next();
                }
                _ => break,
            }
        }
        let program = words
            .next()
            .ok_or_else(|| format!("server command has no program: {template:?}"))?
            .to_string();
        Ok(ServerCommand {
            env,
            program,
            args: words.map(str::to_string).collect(),
        })
    }

    /// Whether the template names the default binary (then it must be found).
    pub fn needs_bin(&self) -> bool {
        self.program.contains("{bin}") || self.args.iter().any(|a| a.contains("{bin}"))
    }

    /// The command with placeholders filled in.
    pub fn render(&self, p: &Placeholders) -> ServerCommand {
        let fill = |s: &str| {
            s.replace("{bin}", &p.bin)
                .replace("{addr}", &p.addr)
                .replace("{port}", &p.port.to_string())
                .replace("{data}", &p.data)
                .replace("{dist}", &p.dist)
        };
        ServerCommand {
            env: self.env.iter().map(|(k, v)| (k.clone(), fill(v))).collect(),
            program: fill(&self.program),
            args: self.args.iter().map(|a| fill(a)).collect(),
        }
    }
}

fn is_env_name(k: &str) -> bool {
    !k.is_empty()
        && !k.starts_with(|c: char| c.is_ascii_digit())
        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn big_then_overrides_in_any_order() {
        let c = ChaosConfig::from_args(&args("--kills 2 --big --seed=7")).expect("parses");
        assert_eq!((c.devices, c.ops, c.kills, c.seed), (20, 500, 2, 7));
        let c = ChaosConfig::from_args(&args("--devices 3 --ops 10")).expect("parses");
        assert_eq!((c.devices, c.ops, c.kills), (3, 10, 3));
        assert!(ChaosConfig::from_args(&args("--ops x")).is_err());
        assert!(ChaosConfig::from_args(&args("--what")).is_err());
        assert!(ChaosConfig::from_args(&args("--devices 0")).is_err());
        let c = ChaosConfig::from_args(&args("--big --postgres")).expect("parses");
        assert_eq!((c.processes, c.postgres, c.devices), (3, true, 20));
        let c = ChaosConfig::from_args(&args("--processes 2 --postgres")).expect("parses");
        assert_eq!((c.processes, c.postgres), (2, true));
        assert!(ChaosConfig::from_args(&args("--processes 2")).is_err());
        assert_eq!(ChaosConfig::from_args(&[]).expect("parses").processes, 1);
    }

    #[test]
    fn server_command_env_words_and_placeholders() {
        let cmd =
            ServerCommand::parse("RUST_LOG=warn X_1={port} {bin} --addr {addr} --data {data}")
                .expect("parses");
        assert!(cmd.needs_bin());
        let p = Placeholders {
            bin: "/b/server".into(),
            addr: "127.0.0.1:9".into(),
            port: 9,
            data: "/tmp/my data".into(),
            dist: "/d".into(),
        };
        let r = cmd.render(&p);
        assert_eq!(
            r.env,
            vec![
                ("RUST_LOG".into(), "warn".into()),
                ("X_1".into(), "9".into())
            ]
        );
        assert_eq!(r.program, "/b/server");
        assert_eq!(
            r.args,
            vec!["--addr", "127.0.0.1:9", "--data", "/tmp/my data"]
        );
        assert!(ServerCommand::parse("A=1").is_err());
        assert!(!ServerCommand::parse("other-server {port}")
            .expect("parses")
            .needs_bin());
    }
}
