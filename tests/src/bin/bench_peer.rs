//! Peer comparison of issue 14: PouchDB replicating to pouchdb-server (see `siteline_e2e::peerbench`).

use siteline_e2e::peerbench::{run, Options};
use std::process::ExitCode;

fn main() -> ExitCode {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let report = match rt.block_on(run(&opts)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench_peer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = serde_json::to_string_pretty(&report.to_json()).expect("json");
    match &opts.out {
        Some(path) => {
            if let Err(e) = std::fs::write(path, format!("{json}\n")) {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("summary written to {}", path.display());
        }
        None => println!("{json}"),
    }
    ExitCode::SUCCESS
}
