//! The chaos suite scaled out: the small run against 3 server processes on one PostgreSQL
//! database (a new one on `SITELINE_TEST_POSTGRES`, default the machine's 127.0.0.1:5432; no
//! server, no pass) and one attachment store, behind a round-robin proxy that sends every
//! request to the next process. Each kill SIGKILLs one process mid-push or mid-pull while the
//! others keep serving. Afterwards: every event once, numbers unique, every device folds every
//! complaint to the server's state (so no pull skipped an event), forgeries refused.
//! `CHAOS_SEED=n` replays a run.

use siteline_e2e::chaos::{self, ChaosConfig};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_on_postgres_agree_after_kills_of_single_processes() {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(chaos::config::clock_seed);
    let config = ChaosConfig::small(seed).on_postgres(3);
    println!("chaos seed {seed} (replay with CHAOS_SEED={seed})");
    let report = chaos::run(&config).await.expect("the chaos run completes");
    println!("{report}");
    report.assert_complete(config.devices, config.ops);
    let victims: BTreeSet<usize> = report.kills.iter().map(|k| k.process).collect();
    assert_eq!(
        victims,
        BTreeSet::from([0, 1, 2]),
        "each process killed once"
    );
    assert!(
        report.server_command.contains("3 processes on PostgreSQL"),
        "{}",
        report.server_command
    );
}
