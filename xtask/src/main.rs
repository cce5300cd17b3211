//! Siteline task runner: `cargo xtask setup | run | test | bench | chaos`.

mod bench;
mod chaos;
mod front;
mod peer;
mod proc;
mod standin;
mod tasks;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup   check and install the build tools (wasm target, wasm-bindgen, wasm-opt)
  run     build the front end (release) and start the server in demo mode
          env: SITELINE_ADDR (default 127.0.0.1:8080), SITELINE_DATA (default ./data),
               SITELINE_ADMIN_PASSWORD (optional, passed through)
  test    everything CI runs: front-end build, native tests, app tests in headless
          Chromium, end-to-end browser suite (with the small chaos run)
  bench   every benchmark (model, server ingest, queries at scale, front-end size, device
          in headless Chromium, PouchDB peer comparison, Lighthouse); prints the figures and
          writes target/bench/results.json
          flags: --quick (small sizes), --only <model|ingest|scale|size|device|peer|lighthouse>,
          --postgres (ingest, 1 vs 2 server processes, and scale on PostgreSQL)
  chaos   the chaos suite against the release server; flags: --big (20 devices x 500
          operations, 10 kills), --postgres (3 processes on PostgreSQL behind a round-robin
          proxy), --processes N, --devices N --ops N --kills N --seed N --server-cmd \"...\"
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = match proc::Ctx::new(repo_root()) {
        Ok(ctx) => ctx,
        Err(e) => return fail(&e),
    };
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::ensure_build_tools(&ctx)
            .and_then(|()| tools::ensure_axe(&ctx))
            .and_then(|()| standin::ensure_s3_standin(&ctx))
            .map(|_| ()),
        Some("run") => tasks::run(&ctx),
        Some("test") => tasks::test(&ctx),
        Some("bench") => bench::run(&ctx, &args[1..]),
        Some("chaos") => chaos::run(&ctx, &args[1..]),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("xtask: error: {message}");
    ExitCode::FAILURE
}

/// The workspace root: the parent of this crate's directory.
fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
