//! The chaos suite, small: 5 devices (running the app's own sync driver, `siteline-sync`) x 60
//! operations and two adversarial devices (an insider forging events, an outsider of another
//! site) while the server is SIGKILLed 3 times mid-push and mid-pull; afterwards every event is
//! on the server once, numbers are unique, every device folds every complaint to the server's
//! state, every forgery was refused (or kept void) and the outsider read nothing.
//! `CHAOS_SEED=n` replays a run.

use siteline_e2e::chaos::{self, ChaosConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn devices_and_server_agree_after_kills_mid_push_and_mid_pull() {
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(chaos::config::clock_seed);
    let config = ChaosConfig::small(seed);
    println!("chaos seed {seed} (replay with CHAOS_SEED={seed})");
    let report = chaos::run(&config).await.expect("the chaos run completes");
    println!("{report}");
    report.assert_complete(config.devices, config.ops);
    let forged: usize = report.forgeries.values().map(|(r, _)| r).sum();
    assert!(forged > 0 && report.outsider_probes > 0, "{report}");
}
