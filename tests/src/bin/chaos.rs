//! `chaos`: the chaos run from the command line (`cargo xtask chaos [--big] …`); exit 1 on failure.

use siteline_e2e::chaos::{self, ChaosConfig};
use std::process::ExitCode;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match ChaosConfig::from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "chaos: seed {} · {} devices x {} operations · {} kills · server `{}`",
        config.seed, config.devices, config.ops, config.kills, config.server_cmd
    );
    match chaos::run(&config).await {
        Ok(report) => {
            println!("{report}");
            println!("BENCHMARKS.md row:\n{}", report.benchmark_row());
            if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("chaos: the run could not complete: {e}");
            ExitCode::FAILURE
        }
    }
}
