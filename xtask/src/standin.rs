//! An S3-compatible stand-in for the object-store tests: moto's server from PyPI, installed
//! once into `.tools/python` (pinned; no Docker, no download at test time).

use crate::proc::Ctx;
use std::path::PathBuf;

/// moto with its S3 service and the Flask server it runs under, pinned.
const PACKAGES: &[&str] = &["moto[s3]==5.2.5", "flask==3.1.3", "flask-cors==6.0.5"];
const MOTO_VERSION: &str = "5.2.5";

/// The `PYTHONPATH` holding moto (`.tools/python`), installed if missing. The server tests read
/// it from `SITELINE_S3_STANDIN_PYTHONPATH` and fail without it.
pub fn ensure_s3_standin(ctx: &Ctx) -> Result<PathBuf, String> {
    let dir = ctx.root.join(".tools/python");
    let check = || {
        let out = ctx
            .cmd("python3")
            .env("PYTHONPATH", &dir)
            .args([
                "-c",
                "import moto, moto.server, flask_cors; print(moto.__version__)",
            ])
            .output()
            .ok()?;
        let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && v == MOTO_VERSION).then_some(v)
    };
    if let Some(v) = check() {
        println!("ok: moto {v} (S3 stand-in, .tools/python)");
        return Ok(dir);
    }
    println!("installing moto {MOTO_VERSION} from PyPI into .tools/python (one-time, ~30 s)…");
    let mut cmd = ctx.cmd("python3");
    cmd.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ])
    .args(["--upgrade", "--target"])
    .arg(&dir)
    .args(PACKAGES);
    ctx.run(&mut cmd, "installing moto")?;
    let v = check().ok_or("moto was installed but does not import from .tools/python")?;
    println!("ok: moto {v} (S3 stand-in, .tools/python)");
    Ok(dir)
}
