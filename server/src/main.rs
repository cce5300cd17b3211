//! `siteline-server`: reads config, sets up logging, bootstraps the database, serves until ctrl-c/SIGTERM.

use siteline_server::cli;
use siteline_server::config::{Config, USAGE};
use std::io::Write;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}\n\n{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    if cli::is_command(&args) {
        return admin_command(args).await;
    }
    if args.first().map(String::as_str) == Some("migrate") {
        return migrate_command(&args[1..]).await;
    }
    let config = match Config::from_env_and_args(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("siteline-server: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("siteline_server=info,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("siteline-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `siteline-server user …` / `site …`: one admin command on the data directory, then exit.
async fn admin_command(args: Vec<String>) -> ExitCode {
    let data = args
        .iter()
        .position(|a| a == "--data")
        .and_then(|i| args.get(i + 1))
        .map(|d| vec!["--data".to_string(), d.clone()])
        .unwrap_or_default();
    let config = match Config::from_env_and_args(data) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("siteline-server: {e}");
            return ExitCode::from(2);
        }
    };
    let built = match siteline_server::build(config).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("siteline-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    for u in built
        .created_users
        .iter()
        .filter(|u| u.generated_password.is_some())
    {
        println!(
            "First start: created user \"{}\" with password: {}",
            u.username,
            u.generated_password.as_deref().unwrap_or("")
        );
    }
    let password = std::env::var("SITELINE_NEW_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    match cli::run(built.state.store.as_ref(), &args, password).await {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("siteline-server: {e}");
            ExitCode::from(2)
        }
    }
}

/// `siteline-server migrate --from DIR --to postgres://…`: the SQLite data directory's database
/// copied into PostgreSQL (idempotent; counts checked).
async fn migrate_command(args: &[String]) -> ExitCode {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(from), Some(to)) = (value("--from"), value("--to")) else {
        eprintln!("usage: siteline-server migrate --from DATA_DIR --to postgres://USER@HOST/DB");
        return ExitCode::from(2);
    };
    match siteline_server::migrate::migrate(std::path::Path::new(&from), &to).await {
        Ok(counts) => {
            for (table, rows, written) in counts {
                println!("{table}: {rows} rows ({written} copied now)");
            }
            println!("done: run the server with --data {from} --database-url <the same URL>");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("siteline-server migrate: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let addr = config.addr;
    let built = siteline_server::build(config).await?;
    let mut out = std::io::stdout().lock();
    for u in &built.created_users {
        match &u.generated_password {
            Some(p) => writeln!(
                out,
                "First start: created user \"{}\" with password: {p}",
                u.username
            )?,
            None => writeln!(
                out,
                "First start: created user \"{}\" with the password from SITELINE_ADMIN_PASSWORD",
                u.username
            )?,
        }
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    writeln!(out, "Siteline listening on http://{local}")?;
    out.flush()?;
    drop(out);
    tracing::info!(
        data = %built.state.config.data_dir.display(),
        dist = %built.state.config.dist_dir.display(),
        site = %built.state.site_code,
        "started"
    );
    let offset = built.state.config.now_offset_secs;
    if offset != 0 {
        tracing::warn!(
            seconds = offset,
            "SITELINE_NOW_OFFSET_SECS shifts the workflow clock"
        );
    }
    if let Some(every) = siteline_server::escalation::interval(&built.state.config) {
        siteline_server::escalation::spawn(built.state.clone(), every);
    }
    axum::serve(
        listener,
        built
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on ctrl-c or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
