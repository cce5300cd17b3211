//! The admin commands of the server binary: users and sites from the command line.

use crate::common::*;
use std::process::Command;

fn cli(data: &std::path::Path, args: &[&str], password: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_siteline-server"));
    cmd.args(args)
        .env("SITELINE_DATA", data)
        .env("SITELINE_ADMIN_PASSWORD", ADMIN_PW)
        .env_remove("SITELINE_NEW_PASSWORD");
    if let Some(p) = password {
        cmd.env("SITELINE_NEW_PASSWORD", p);
    }
    let out = cmd.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn users_and_sites_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let (ok, out) = cli(&data, &["site", "add", "B2", "二期"], None);
    assert!(ok, "{out}");
    let (ok, out) = cli(&data, &["site", "list"], None);
    assert!(
        ok && out.contains("SL\t") && out.contains("B2\t二期"),
        "{out}"
    );
    let (ok, out) = cli(
        &data,
        &[
            "user",
            "add",
            "wang",
            "--role",
            "handler",
            "--department",
            "engineering",
            "--sites",
            "B2",
        ],
        Some("wang-password-1"),
    );
    assert!(ok, "{out}");
    let (ok, out) = cli(&data, &["user", "add", "zhao", "--role", "staff"], None);
    assert!(!ok && out.contains("at least one site"), "{out}");
    let (ok, out) = cli(
        &data,
        &["user", "add", "zhao", "--role", "staff", "--sites", "SL"],
        None,
    );
    assert!(
        ok && out.contains("with password: "),
        "a generated password is printed once: {out}"
    );
    let (ok, out) = cli(&data, &["user", "disable", "wang"], None);
    assert!(ok, "{out}");
    let (ok, out) = cli(&data, &["user", "list"], None);
    assert!(ok, "{out}");
    let wang = out
        .lines()
        .find(|l| l.starts_with("wang\t"))
        .expect("listed");
    assert!(
        wang.contains("handler\tengineering\tB2\tdisabled"),
        "{wang}"
    );
    let (ok, out) = cli(&data, &["user", "passwd", "nobody"], Some("long-enough-1"));
    assert!(!ok && out.contains("no user nobody"), "{out}");
    let (ok, out) = cli(&data, &["user", "teleport"], None);
    assert!(!ok && out.contains("unknown command"), "{out}");
}
