//! `cargo xtask bench`: every benchmark in one run, figures printed and merged into
//! target/bench/results.json (`--postgres`: ingest and scale on PostgreSQL, results_postgres.json).

use crate::proc::Ctx;
use crate::tools;
use serde_json::{json, Map, Value};
use std::path::Path;
use std::time::Instant;

const PARTS: [&str; 7] = [
    "model",
    "ingest",
    "scale",
    "size",
    "device",
    "peer",
    "lighthouse",
];

struct Opts {
    quick: bool,
    only: Option<String>,
    /// Ingest and scale on PostgreSQL (the machine's 127.0.0.1:5432, or
    /// `SITELINE_TEST_POSTGRES`) instead of SQLite; with no `--only`, just those two parts.
    postgres: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        quick: false,
        only: None,
        postgres: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--postgres" => o.postgres = true,
            "--only" => {
                let part = it.next().ok_or("--only needs a part")?;
                if !PARTS.contains(&part.as_str()) {
                    return Err(format!("--only one of {}, not {part}", PARTS.join(", ")));
                }
                o.only = Some(part.clone());
            }
            other => return Err(format!("unknown bench flag {other}")),
        }
    }
    Ok(o)
}

pub(crate) fn read_json(path: &Path) -> Value {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

pub fn run(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let out = ctx.target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let wants = |part: &str| match o.only.as_deref() {
        Some(p) => p == part,
        None => !o.postgres || matches!(part, "ingest" | "scale"),
    };
    let suffix = if o.postgres { "_postgres" } else { "" };
    let mut results = Map::new();
    let started = Instant::now();

    if wants("model") {
        println!("\n== model: fold and time limits (criterion) ==");
        let mut cmd = ctx.cargo();
        cmd.args(["bench", "-p", "siteline-model", "--bench", "fold"]);
        if o.quick {
            cmd.args(["--", "--quick"]);
        }
        ctx.run(&mut cmd, "model bench")?;
        results.insert("model".into(), json!("see the criterion output above"));
    }
    if wants("ingest") {
        let raw = if o.postgres { "PostgreSQL" } else { "SQLite" };
        println!("\n== server ingest: HTTP push vs raw {raw} ==");
        let file = out.join(format!("ingest{suffix}.json"));
        if o.postgres {
            // The 1-vs-2-processes part runs the release binary.
            ctx.run(
                ctx.cargo()
                    .args(["build", "--release", "-p", "siteline-server"]),
                "cargo build --release (server)",
            )?;
        }
        let mut cmd = ctx.cargo();
        cmd.args(["bench", "-p", "siteline-server", "--bench", "ingest", "--"])
            .env("SITELINE_BENCH_JSON", &file);
        if o.quick {
            cmd.args(["--events", "4000"]);
        }
        if o.postgres {
            cmd.arg("--postgres");
        }
        ctx.run(&mut cmd, "ingest bench")?;
        results.insert(format!("ingest{suffix}"), read_json(&file));
    }
    if wants("scale") || wants("device") || wants("peer") || wants("lighthouse") {
        ctx.run(
            ctx.cargo()
                .args(["build", "--release", "-p", "siteline-server"]),
            "cargo build --release (server)",
        )?;
    }
    if wants("scale") {
        println!("\n== server queries at scale ==");
        let file = out.join(format!("scale{suffix}.json"));
        let mut cmd = ctx.cargo();
        cmd.args(["bench", "-p", "siteline-server", "--bench", "scale", "--"])
            .env("SITELINE_BENCH_JSON", &file);
        if o.quick {
            cmd.args(["--complaints", "20000", "--sites", "5", "--rounds", "10"]);
        }
        if o.postgres {
            cmd.arg("--postgres");
        }
        ctx.run(&mut cmd, "scale bench")?;
        results.insert(format!("scale{suffix}"), read_json(&file));
    }
    let mut built = None;
    if wants("size") || wants("device") || wants("peer") || wants("lighthouse") {
        tools::ensure_build_tools(ctx)?;
        built = Some(crate::front::build(ctx)?);
    }
    if let (true, Some(b)) = (wants("size"), &built) {
        println!("\n== front-end size (release, brotli -q 11) ==");
        let size = front_end_size(&ctx.root.join("dist"), b)?;
        results.insert("size".into(), size);
    }
    if wants("device") {
        println!(
            "\n== device: push, pull, IndexedDB save, offline open, memory (headless Chromium) =="
        );
        let browser = tools::ensure_browser(ctx)?;
        let file = out.join("device.json");
        let server = ctx.target_dir().join("release/siteline-server");
        let mut cmd = ctx.cargo();
        cmd.args([
            "run",
            "--release",
            "-p",
            "siteline-e2e",
            "--bin",
            "bench_device",
            "--",
        ])
        .arg("--out")
        .arg(&file)
        .arg("--server-bin")
        .arg(&server)
        .arg("--dist")
        .arg(ctx.root.join("dist"))
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium);
        if o.quick {
            cmd.args(["--complaints", "1000", "--pull-events", "10000"]);
        }
        ctx.run(&mut cmd, "device bench")?;
        results.insert("device".into(), read_json(&file));
    }
    if wants("peer") {
        println!("\n== peer: Siteline beside PouchDB + pouchdb-server (headless Chromium) ==");
        let browser = tools::ensure_browser(ctx)?;
        let inputs = crate::peer::Inputs {
            browser: &browser,
            server_bin: &ctx.target_dir().join("release/siteline-server"),
            dist: &ctx.root.join("dist"),
            device: results.get("device"),
        };
        let peer = crate::peer::run(ctx, o.quick, &out, &inputs)?;
        results.insert("peer".into(), peer);
    }
    if wants("lighthouse") {
        println!("\n== Lighthouse: accessibility and best practices of the main pages ==");
        let file = out.join("lighthouse.json");
        results.insert("lighthouse".into(), lighthouse(ctx, &file)?);
    }
    let summary = json!({
        "unix_time": std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        "quick": o.quick,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "seconds": started.elapsed().as_secs(),
        "results": Value::Object(results),
    });
    let path = out.join(format!("results{suffix}.json"));
    let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "\nbench: figures in {} ({} s)",
        path.display(),
        started.elapsed().as_secs()
    );
    Ok(())
}

/// Brotli bytes (quality 11, window 22: what the build precompresses) of a buffer.
fn brotli_len(bytes: &[u8]) -> Result<usize, String> {
    crate::front::brotli_q11(bytes).map(|b| b.len())
}

/// Raw and brotli bytes of what the build wrote, the first load (what a staff member's tablet
/// needs before the app is interactive) and what is loaded on demand counted apart.
pub fn front_end_size(dist: &Path, built: &crate::front::Built) -> Result<Value, String> {
    let mut rows = Vec::new();
    let mut totals = [(0usize, 0usize); 2];
    println!("{:<52} {:>10} {:>10}", "file", "raw B", "brotli B");
    for (part, files) in [
        ("first load", &built.first_load),
        ("on demand", &built.on_demand),
    ] {
        let first = part == "first load";
        for name in files {
            let f = dist.join(name);
            let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let br = brotli_len(&bytes)?;
            println!("{name:<52} {:>10} {br:>10}  {part}", bytes.len());
            let t = &mut totals[usize::from(!first)];
            t.0 += bytes.len();
            t.1 += br;
            rows.push(json!({"file": name, "raw": bytes.len(), "brotli": br, "first_load": first}));
        }
    }
    let [(first_raw, first_br), (lazy_raw, lazy_br)] = totals;
    println!(
        "{:<52} {first_raw:>10} {first_br:>10}  (target ≤ 250 KB brotli)",
        "first load"
    );
    println!("{:<52} {lazy_raw:>10} {lazy_br:>10}", "on demand");
    println!(
        "{:<52} {:>10} {:>10}",
        "total",
        first_raw + lazy_raw,
        first_br + lazy_br
    );
    Ok(json!({
        "files": rows,
        "first_load_raw": first_raw,
        "first_load_brotli": first_br,
        "raw_total": first_raw + lazy_raw,
        "brotli_total": first_br + lazy_br,
    }))
}

/// Lighthouse on login, list, intake, detail, board, reports and status of the release server in
/// demo mode (a fresh data directory), signed in as admin; answers the scores.
fn lighthouse(ctx: &Ctx, file: &Path) -> Result<Value, String> {
    const PASSWORD: &str = "lighthouse-admin-pass";
    let browser = tools::ensure_browser(ctx)?;
    tools::ensure_lighthouse(ctx)?;
    let npm = ctx.root.join(".tools/npm");
    // Run from .tools/npm, where its imports resolve.
    let script = npm.join("lighthouse.mjs");
    std::fs::copy(ctx.root.join("xtask/assets/lighthouse.mjs"), &script)
        .map_err(|e| format!("{}: {e}", script.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let data = std::env::temp_dir().join(format!("siteline-lighthouse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let mut server = ctx
        .cmd(ctx.target_dir().join("release/siteline-server"))
        .arg("--demo")
        .env("SITELINE_DIST", ctx.root.join("dist"))
        .env("SITELINE_ADDR", format!("127.0.0.1:{port}"))
        .env("SITELINE_DATA", &data)
        .env("SITELINE_ADMIN_PASSWORD", PASSWORD)
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let mut cmd = ctx.cmd("node");
    cmd.current_dir(&npm)
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}"))
        .args(["admin", PASSWORD])
        .arg(&browser.chromium)
        .arg(file);
    let ran = ctx.run(&mut cmd, "lighthouse");
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
    ran?;
    let v = read_json(file);
    println!(
        "{:<8} {:>13} {:>15}",
        "page", "accessibility", "best practices"
    );
    for p in v["pages"].as_array().into_iter().flatten() {
        println!(
            "{:<8} {:>13} {:>15}",
            p["page"].as_str().unwrap_or("?"),
            p["accessibility"].as_i64().unwrap_or(-1),
            p["best_practices"].as_i64().unwrap_or(-1)
        );
    }
    Ok(v)
}
