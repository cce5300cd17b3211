//! Admin commands on the server binary: `user add|list|disable|passwd`, `site add|list`, run
//! against the data directory (for the first admin, locked-out accounts, scripted set-ups).

use crate::http::users::validate_password;
use crate::http::users::{parse_department, parse_role, parse_sites, valid_username};
use crate::store::{NewUser, Store, UserUpdate};
use crate::{now, secrets};

pub const USAGE: &str = "\
Admin commands (on the data directory of SITELINE_DATA / --data):
  siteline-server user add NAME --role ROLE [--department DEPT] [--sites A,B] [--display-name N]
  siteline-server user list
  siteline-server user disable NAME
  siteline-server user enable NAME
  siteline-server user passwd NAME
  siteline-server site add CODE NAME
  siteline-server site list
  siteline-server migrate --from DATA_DIR --to postgres://USER@HOST:PORT/DB
A new password comes from SITELINE_NEW_PASSWORD, or is generated and printed once. With
SITELINE_DATABASE_URL set, the user and site commands act on that PostgreSQL database.";

/// Whether the arguments are an admin command (`user …` or `site …`).
pub fn is_command(args: &[String]) -> bool {
    matches!(args.first().map(String::as_str), Some("user" | "site"))
}

/// The value after `--flag` (or in `--flag=value`).
fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(&format!("{name}=")).map(String::from)
        }
    })
}

fn positional(args: &[String], n: usize) -> Result<&str, String> {
    args.get(n)
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .ok_or_else(|| format!("missing argument\n\n{USAGE}"))
}

/// The password to set: `SITELINE_NEW_PASSWORD`, or a generated one (answered to print once).
fn new_password(given: Option<String>) -> Result<(String, Option<String>), String> {
    match given {
        Some(p) => {
            validate_password(&p).map_err(|e| e.to_string())?;
            Ok((p, None))
        }
        None => {
            let p = secrets::random_password();
            Ok((p.clone(), Some(p)))
        }
    }
}

/// Runs one admin command; answers what to print. `password`: `SITELINE_NEW_PASSWORD`.
pub async fn run(
    store: &dyn Store,
    args: &[String],
    password: Option<String>,
) -> Result<String, String> {
    fn e(e: impl std::fmt::Display) -> String {
        e.to_string()
    }
    let word = |n: usize| args.get(n).map(String::as_str).unwrap_or("");
    match (word(0), word(1)) {
        ("user", "add") => {
            let username = positional(args, 2)?.to_string();
            if !valid_username(&username) {
                return Err("username must be 2-32 characters of a-z, 0-9, _ . -".into());
            }
            let role = parse_role(&flag(args, "--role").ok_or("--role is required")?).map_err(e)?;
            let department = parse_department(flag(args, "--department").as_deref()).map_err(e)?;
            if role == siteline_model::Role::Handler && department.is_none() {
                return Err("a handler needs --department".into());
            }
            let sites: Vec<String> = flag(args, "--sites")
                .map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
                .unwrap_or_default();
            let sites = parse_sites(role, Some(&sites)).map_err(e)?;
            let (pw, shown) = new_password(password)?;
            let user = NewUser {
                display_name: flag(args, "--display-name").unwrap_or_else(|| username.clone()),
                username,
                role,
                department,
                password_hash: secrets::hash_password_blocking(pw).await.map_err(e)?,
                sites,
            };
            let made = store.create_user(user, now()).await.map_err(e)?;
            Ok(match shown {
                Some(p) => format!("created user {} with password: {p}", made.info.username),
                None => format!("created user {}", made.info.username),
            })
        }
        ("user", "list") => {
            let mut out = String::new();
            for u in store.list_users().await.map_err(e)? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}{}\n",
                    u.username,
                    u.display_name,
                    u.role.code(),
                    u.department.as_deref().unwrap_or("-"),
                    if u.sites.is_empty() {
                        "*".to_string()
                    } else {
                        u.sites.join(",")
                    },
                    if u.disabled { "\tdisabled" } else { "" }
                ));
            }
            Ok(out.trim_end().to_string())
        }
        ("user", verb @ ("disable" | "enable" | "passwd")) => {
            let username = positional(args, 2)?;
            let mut up = UserUpdate::default();
            let mut shown = None;
            match verb {
                "disable" => up.disabled = Some(true),
                "enable" => up.disabled = Some(false),
                _ => {
                    let (pw, s) = new_password(password)?;
                    up.password_hash = Some(secrets::hash_password_blocking(pw).await.map_err(e)?);
                    shown = s;
                }
            }
            store
                .update_user(username, &up, None)
                .await
                .map_err(e)?
                .ok_or_else(|| format!("no user {username}"))?;
            Ok(match (verb, shown) {
                ("disable", _) => format!("disabled {username}; their sessions ended"),
                ("enable", _) => format!("enabled {username}"),
                (_, Some(p)) => format!("new password of {username}: {p} (their sessions ended)"),
                _ => format!("password of {username} changed (their sessions ended)"),
            })
        }
        ("site", "add") => {
            let code = positional(args, 2)?;
            let name = positional(args, 3)?;
            crate::config::validate_site_code(code)?;
            if store.get_site(code).await.map_err(e)?.is_some() {
                return Err(format!("site {code} already exists"));
            }
            store
                .create_site(code, name, false, &[], now())
                .await
                .map_err(e)?;
            Ok(format!("created site {code} {name}"))
        }
        ("site", "list") => Ok(store
            .list_sites()
            .await
            .map_err(e)?
            .iter()
            .map(|s| format!("{}\t{}\t{} locations", s.code, s.name, s.locations.len()))
            .collect::<Vec<_>>()
            .join("\n")),
        _ => Err(format!("unknown command\n\n{USAGE}")),
    }
}
