//! Where the server binary, the built front end and the browser binaries are (env overrides).

use std::path::PathBuf;

/// The workspace root (parent of this crate).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// `CARGO_TARGET_DIR` or `<repo>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

fn from_env(var: &str, default: PathBuf) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or(default)
}

fn must_exist(path: PathBuf, var: &str, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} not found at {} — set {var}, or run the suite through `cargo xtask test`",
        path.display()
    );
    path
}

/// `SITELINE_SERVER_BIN`, default `<target>/debug/siteline-server`.
pub fn server_bin() -> PathBuf {
    let default = target_dir()
        .join("debug")
        .join(format!("siteline-server{}", std::env::consts::EXE_SUFFIX));
    must_exist(
        from_env("SITELINE_SERVER_BIN", default),
        "SITELINE_SERVER_BIN",
        "server binary",
    )
}

/// `SITELINE_DIST`, default `<repo>/dist` (must hold `index.html`).
pub fn dist_dir() -> PathBuf {
    let dist = from_env("SITELINE_DIST", repo_root().join("dist"));
    must_exist(
        dist.join("index.html"),
        "SITELINE_DIST",
        "built front end (dist/index.html)",
    );
    dist
}

/// `CHROMEDRIVER`, default `/usr/bin/chromedriver`.
pub fn chromedriver_bin() -> PathBuf {
    let path = from_env("CHROMEDRIVER", PathBuf::from("/usr/bin/chromedriver"));
    must_exist(path, "CHROMEDRIVER", "chromedriver")
}

/// `CHROMIUM`, default `/usr/bin/chromium`.
pub fn chromium_bin() -> PathBuf {
    let path = from_env("CHROMIUM", PathBuf::from("/usr/bin/chromium"));
    must_exist(path, "CHROMIUM", "chromium")
}

/// axe-core's `axe.min.js`: `SITELINE_AXE_JS`, default `<repo>/.tools/npm/node_modules/axe-core/`
/// (installed by `cargo xtask setup`); the accessibility checks fail without it.
pub fn axe_js() -> PathBuf {
    must_exist(
        from_env(
            "SITELINE_AXE_JS",
            repo_root().join(".tools/npm/node_modules/axe-core/axe.min.js"),
        ),
        "SITELINE_AXE_JS",
        "axe-core (cargo xtask setup)",
    )
}
