//! Idempotent checks and one-time installs of the build and browser tools.

use crate::proc::Ctx;
use std::path::{Path, PathBuf};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const BINARYEN_VERSION: &str = "132";
/// axe-core, injected by the browser suite to check pages for accessibility (WCAG 2.1 AA).
const AXE_VERSION: &str = "4.11.0";
/// Lighthouse 12 (13 needs Node 22; Debian has 20), for `cargo xtask bench --only lighthouse`.
const LIGHTHOUSE_VERSION: &str = "12.8.2";
/// PouchDB's browser build (`dist/pouchdb.min.js`) and pouchdb-server (CouchDB's replication
/// protocol over PouchDB in Node) for `cargo xtask bench --only peer`.
const POUCHDB_VERSION: &str = "9.0.0";
const POUCHDB_SERVER_VERSION: &str = "4.2.0";

/// Browser binaries for the app and end-to-end tests.
pub struct BrowserTools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Everything needed to build the front end: wasm target, wasm-bindgen, wasm-opt.
pub fn ensure_build_tools(ctx: &Ctx) -> Result<(), String> {
    ensure_wasm_target(ctx)?;
    ensure_wasm_bindgen(ctx)?;
    ensure_wasm_opt(ctx)?;
    Ok(())
}

fn ensure_wasm_target(ctx: &Ctx) -> Result<(), String> {
    let installed = ctx.probe("rustup", &["target", "list", "--installed"]);
    if installed
        .as_deref()
        .is_some_and(|t| t.lines().any(|l| l.trim() == WASM_TARGET))
    {
        println!("ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    println!("installing rust target {WASM_TARGET} (one-time)…");
    ctx.run(
        ctx.cmd("rustup").args(["target", "add", WASM_TARGET]),
        "rustup target add",
    )?;
    println!("ok: rust target {WASM_TARGET}");
    Ok(())
}

fn ensure_wasm_bindgen(ctx: &Ctx) -> Result<(), String> {
    let lock_path = ctx.root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let want = single_lock_version(&lock, "wasm-bindgen")?;
    let check = || {
        ctx.probe("wasm-bindgen", &["--version"])
            .filter(|v| reports_version(v, "wasm-bindgen", &want))
    };
    if let Some(v) = check() {
        println!("ok: {v}");
        return Ok(());
    }
    println!("installing wasm-bindgen-cli {want} to match Cargo.lock (one-time, ~3 min)…");
    // Not `--locked`: the CLI's own lock file does not build with this toolchain.
    ctx.run(
        ctx.cargo()
            .args(["install", "wasm-bindgen-cli", "--version", &want]),
        "installing wasm-bindgen-cli",
    )?;
    let v = check().ok_or_else(|| {
        format!("wasm-bindgen-cli was installed but `wasm-bindgen --version` is not {want}")
    })?;
    println!("ok: {v}");
    Ok(())
}

fn ensure_wasm_opt(ctx: &Ctx) -> Result<(), String> {
    let wasm_opt = ctx.npm_bin.join("wasm-opt");
    let check = || {
        ctx.probe(&wasm_opt, &["--version"])
            .filter(|v| is_binaryen(v))
    };
    if let Some(v) = check() {
        println!("ok: {v} (npm binaryen@{BINARYEN_VERSION})");
        return Ok(());
    }
    println!(
        "installing wasm-opt from npm binaryen@{BINARYEN_VERSION} into .tools/npm (one-time)…"
    );
    npm_install(ctx, "binaryen", BINARYEN_VERSION)?;
    let v = check().ok_or_else(|| {
        format!(
            "{} --version does not report {BINARYEN_VERSION}",
            wasm_opt.display()
        )
    })?;
    println!("ok: {v} (npm binaryen@{BINARYEN_VERSION})");
    Ok(())
}

/// axe-core in `.tools/npm` (the browser suite reads `node_modules/axe-core/axe.min.js`).
pub fn ensure_axe(ctx: &Ctx) -> Result<(), String> {
    ensure_npm_package(ctx, "axe-core", AXE_VERSION)
}

/// Lighthouse in `.tools/npm` (with puppeteer-core and chrome-launcher, its dependencies).
pub fn ensure_lighthouse(ctx: &Ctx) -> Result<(), String> {
    ensure_npm_package(ctx, "lighthouse", LIGHTHOUSE_VERSION)
}

/// PouchDB and pouchdb-server in `.tools/npm` (the peer comparison of `cargo xtask bench`).
pub fn ensure_pouchdb(ctx: &Ctx) -> Result<(), String> {
    ensure_npm_package(ctx, "pouchdb", POUCHDB_VERSION)?;
    ensure_npm_package(ctx, "pouchdb-server", POUCHDB_SERVER_VERSION)
}

/// `npm install name@version` into `.tools/npm` (npm itself from Debian when missing).
fn npm_install(ctx: &Ctx, name: &str, version: &str) -> Result<(), String> {
    if find_on_path("npm").is_none() {
        apt_install(ctx, &["nodejs", "npm"])?;
    }
    let prefix = ctx.root.join(".tools/npm");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let package = format!("{name}@{version}");
    let mut cmd = ctx.cmd("npm");
    cmd.arg("install").arg("--prefix").arg(&prefix);
    cmd.args(["--no-audit", "--no-fund", "--loglevel=error", &package]);
    ctx.run(&mut cmd, &format!("installing {package} from npm"))
}

/// `name@version` installed in `.tools/npm` (checked by its package.json).
fn ensure_npm_package(ctx: &Ctx, name: &str, version: &str) -> Result<(), String> {
    let prefix = ctx.root.join(".tools/npm");
    let manifest = prefix.join("node_modules").join(name).join("package.json");
    let installed = || {
        std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v["version"].as_str().map(str::to_string))
    };
    if installed().as_deref() == Some(version) {
        println!("ok: {name} {version} (.tools/npm)");
        return Ok(());
    }
    npm_install(ctx, name, version)?;
    match installed() {
        Some(v) if v == version => {
            println!("ok: {name} {v} (.tools/npm)");
            Ok(())
        }
        other => Err(format!("{name} {version} not installed (found {other:?})")),
    }
}

/// A file of Debian's `fonts-noto-cjk`.
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Chromium and its matching chromedriver (`CHROMIUM` / `CHROMEDRIVER` win when set).
pub fn ensure_browser(ctx: &Ctx) -> Result<BrowserTools, String> {
    let chromium_env = from_env("CHROMIUM")?;
    let driver_env = from_env("CHROMEDRIVER")?;
    let find = || {
        Some((
            chromium_env.clone().or_else(|| find_on_path("chromium"))?,
            driver_env
                .clone()
                .or_else(|| find_on_path("chromedriver"))?,
        ))
    };
    let (chromium, chromedriver) = match find() {
        Some(found) => found,
        None => {
            apt_install(ctx, &["chromium", "chromium-driver"])?;
            find().ok_or("chromium / chromedriver still not found after apt-get install")?
        }
    };
    // Chinese text in screenshots and printed notices needs a CJK font (else boxes).
    if cfg!(target_os = "linux") && !Path::new(CJK_FONT).exists() {
        apt_install(ctx, &["fonts-noto-cjk"])?;
    }
    for bin in [&chromium, &chromedriver] {
        let v = ctx.probe(bin, &["--version"]).unwrap_or_default();
        // Debian's wrapper script may add noise on stderr; the version is the first line.
        let v = v.lines().next().unwrap_or("version unknown");
        println!("ok: {v} ({})", bin.display());
    }
    Ok(BrowserTools {
        chromium,
        chromedriver,
    })
}

/// A binary named by an environment variable: None when unset, an error when it does not exist.
fn from_env(var: &str) -> Result<Option<PathBuf>, String> {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(p) if PathBuf::from(&p).is_file() => Ok(Some(PathBuf::from(p))),
        Some(p) => Err(format!(
            "{var}={} does not exist",
            PathBuf::from(p).display()
        )),
    }
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// `apt-get update && apt-get install -y …`, non-interactive, via `sudo -n` when not root.
fn apt_install(ctx: &Ctx, packages: &[&str]) -> Result<(), String> {
    println!(
        "installing {} with apt-get (one-time)…",
        packages.join(", ")
    );
    let root = ctx.probe("id", &["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            ctx.cmd("apt-get")
        } else {
            ctx.cmd("sudo")
        };
        if !root {
            cmd.args(["-n", "--preserve-env=DEBIAN_FRONTEND", "apt-get"]);
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    ctx.run(&mut apt(&["update"]), "apt-get update")?;
    let mut install = apt(&["install", "-y", "--no-install-recommends"]);
    install.args(packages);
    ctx.run(&mut install, "apt-get install")
}

/// Versions of package `name` listed in a Cargo.lock text.
pub fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(v) = field("version") {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// The one version of `name` in Cargo.lock; an error when absent or ambiguous.
pub fn single_lock_version(lock: &str, name: &str) -> Result<String, String> {
    match lock_versions(lock, name).as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "package `{name}` is not in Cargo.lock (is the app a workspace member?)"
        )),
        many => Err(format!(
            "Cargo.lock has several `{name}` versions: {}",
            many.join(", ")
        )),
    }
}

/// `wasm-bindgen 0.2.130` reports exactly `want`.
pub fn reports_version(version_output: &str, tool: &str, want: &str) -> bool {
    let mut words = version_output.split_whitespace();
    words.next() == Some(tool) && words.next() == Some(want)
}

/// `wasm-opt version 132 (version_132)` is binaryen 132.
pub fn is_binaryen(version_output: &str) -> bool {
    version_output
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == BINARYEN_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "hashbrown"
version = "0.14.5"

[[package]]
name = "hashbrown"
version = "0.15.2"
"#;

    #[test]
    fn finds_wasm_bindgen_version_in_lock() {
        assert_eq!(
            single_lock_version(LOCK, "wasm-bindgen").unwrap(),
            "0.2.130"
        );
        assert_eq!(lock_versions(LOCK, "wasm-bindgen-macro"), ["0.2.130"]);
    }

    #[test]
    fn missing_or_ambiguous_lock_versions_are_errors() {
        assert!(single_lock_version(LOCK, "leptos")
            .unwrap_err()
            .contains("not in Cargo.lock"));
        let err = single_lock_version(LOCK, "hashbrown").unwrap_err();
        assert!(err.contains("0.14.5") && err.contains("0.15.2"), "{err}");
    }

    #[test]
    fn wasm_bindgen_version_must_match_exactly() {
        assert!(reports_version(
            "wasm-bindgen 0.2.130",
            "wasm-bindgen",
            "0.2.130"
        ));
        assert!(!reports_version(
            "wasm-bindgen 0.2.100",
            "wasm-bindgen",
            "0.2.130"
        ));
        assert!(!reports_version(
            "wasm-bindgen 0.2.1300",
            "wasm-bindgen",
            "0.2.130"
        ));
        assert!(!reports_version("", "wasm-bindgen", "0.2.130"));
    }

    #[test]
    fn binaryen_version_matching() {
        assert!(is_binaryen("wasm-opt version 132 (version_132)"));
        assert!(is_binaryen("wasm-opt version 132"));
        assert!(!is_binaryen("wasm-opt version 111 (version_111)"));
        assert!(!is_binaryen("wasm-opt version 1320"));
    }
}
