//! `cargo xtask chaos [--big] [flags…]`: builds the server in release, then runs the chaos
//! harness (`siteline-e2e`'s `chaos` binary) against it, passing the flags through.

use crate::proc::Ctx;

/// Builds `siteline-server` (release) and runs `chaos` with `args` (the words after `chaos`).
/// Fails when the build fails or the run does not pass.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<(), String> {
    println!("building the server: cargo build --release -p siteline-server");
    ctx.run(
        ctx.cargo()
            .args(["build", "--release", "-p", "siteline-server"]),
        "cargo build (server)",
    )?;
    let server_bin = ctx
        .target_dir()
        .join("release")
        .join(format!("siteline-server{}", std::env::consts::EXE_SUFFIX));
    if !server_bin.is_file() {
        return Err(format!(
            "the server build finished but {} is missing",
            server_bin.display()
        ));
    }
    // The harness itself is built in the dev profile: the workspace's release profile (LTO,
    // one codegen unit) would take minutes for no gain; the server is what runs hot.
    let mut cmd = ctx.cargo();
    cmd.args(["run", "-p", "siteline-e2e", "--bin", "chaos", "--"])
        .args(args)
        .env("SITELINE_SERVER_BIN", &server_bin);
    ctx.run(&mut cmd, "chaos run")
}
