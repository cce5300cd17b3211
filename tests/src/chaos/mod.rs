//! Chaos suite (issue 5): devices work offline-first while the server is SIGKILLed and restarted.

mod adversary;
mod client;
mod cluster;
pub mod config;
mod device;
mod killer;
mod outbox;
mod proxy;
mod report;
mod rng;
mod server;
mod sync;
#[cfg(test)]
mod tests;
mod verify;

pub use config::ChaosConfig;
pub use killer::Kill;
pub use report::ChaosReport;

use adversary::Adversary;
use client::{Api, Traffic};
use cluster::Cluster;
use device::{users_for, Device, User};
use rng::Rng;
use serde_json::{json, Value};
use siteline_model::api::LoginResponse;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use sync::{lock, LoopStats, LoopTiming, SharedDevice};

/// Runs the chaos scenario of `config` against a fresh server (a fresh data dir), or against
/// several processes on a fresh PostgreSQL database behind a round-robin proxy.
///
/// Phases: (1) start the server command, create each device's users; (2) every device runs an
/// operation task (creations and legal actions, `ops` of them, paced) and a sync task (push per
/// author, pull, with offline spells) while the killer SIGKILLs the server mid-push or mid-pull
/// and restarts it; (3) with the server up, every device syncs until nothing moves; (4) the
/// checks of `verify`. The seed fixes every random choice; the interleaving is up to timing.
///
/// `Err` means the harness itself could not run (e.g. the server would not start); a run whose
/// checks fail is an `Ok` report that has not [`passed`](ChaosReport::passed).
pub async fn run(config: &ChaosConfig) -> Result<ChaosReport, String> {
    let started = Instant::now();
    let mut cluster = Cluster::new(config).await?;
    let traffic = Arc::new(Traffic::default());
    // After the first start: a process whose picked port was taken meanwhile has moved.
    let result = match cluster.start_all().await {
        Ok(_) => match Api::new(&cluster.base_url(), traffic, !cluster.proxied()) {
            Ok(api) => run_on(config, &mut cluster, &api, started).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(mut report) => {
            if !report.passed() {
                let tail = cluster.log_tail(20);
                let places = cluster.keep();
                report.kept = Some(format!("{places}; log tail:\n{tail}"));
            }
            Ok(report)
        }
        Err(e) => {
            let places = cluster.keep();
            Err(format!("{e}\n(seed {}; kept: {places})", config.seed))
        }
    }
}

async fn run_on(
    config: &ChaosConfig,
    cluster: &mut Cluster,
    api: &Api,
    started: Instant,
) -> Result<ChaosReport, String> {
    let admin_password = cluster.admin_password().to_string();
    let admin = login(api, "admin", &admin_password).await?;
    let mut shared: Vec<SharedDevice> = Vec::new();
    let mut user_count = 0;
    for i in 0..config.devices {
        let mut users = users_for(i);
        for u in &mut users {
            create_user(api, &admin, u).await?;
            u.token = login(api, &u.name, &u.password).await?;
        }
        user_count += users.len();
        shared.push(Arc::new(Mutex::new(Device::new(i, config.seed, users))));
    }
    let adversary = adversaries(api, &admin, config.seed).await?;

    // Phase 2: work, sync and kills at once.
    let ops_done = Arc::new(AtomicUsize::new(0));
    let workers_done = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let loops = Arc::new(LoopStats::default());
    let timing = LoopTiming {
        pause_ms: config.sync_pause_ms,
        offline_per_mille: config.offline_per_mille,
        offline_ms: config.offline_ms,
    };
    let mut workers = Vec::new();
    let mut syncers = Vec::new();
    for (i, dev) in shared.iter().enumerate() {
        workers.push(tokio::spawn(operate(
            dev.clone(),
            config.ops,
            config.op_pause_ms,
            ops_done.clone(),
        )));
        syncers.push(tokio::spawn(sync::sync_loop(
            dev.clone(),
            api.clone(),
            Rng::new(config.seed, 10_000 + i as u64),
            timing,
            stop.clone(),
            loops.clone(),
        )));
    }
    let aim = killer::Aim {
        kills: config.kills,
        total_ops: config.ops * config.devices,
        ops_done: ops_done.clone(),
        workers_done: workers_done.clone(),
        downtime_ms: config.downtime_ms,
        aim_timeout: config.aim_timeout,
    };
    let attacker = tokio::spawn(adversary.run(shared.clone(), api.clone(), stop.clone()));
    let phase = Instant::now();
    let work = async {
        for w in workers {
            if let Err(e) = w.await {
                return Err(format!("a device's operation task failed: {e}"));
            }
        }
        workers_done.store(true, SeqCst);
        Ok(())
    };
    let (kills, worked) = tokio::join!(
        killer::run(cluster, api, &aim, Rng::new(config.seed, 0)),
        work
    );
    stop.store(true, SeqCst);
    for s in syncers {
        s.await
            .map_err(|e| format!("a device's sync task failed: {e}"))?;
    }
    let mut adversary = attacker
        .await
        .map_err(|e| format!("the adversaries' task failed: {e}"))?;
    let kills = kills?;
    worked?;
    let ops_phase = phase.elapsed();

    // Phase 3: the server stays up; every forgery is tried once more; everyone syncs until
    // nothing moves.
    let phase = Instant::now();
    if !cluster.is_running() {
        cluster.start_all().await?;
    }
    let untried = adversary.final_round(&shared, api).await;
    let rounds = settle(&shared, api, config.settle_timeout).await?;
    adversary.check_void(&shared);
    let settle_phase = phase.elapsed();

    // Phase 4: checks.
    let phase = Instant::now();
    let devices: Vec<Device> = shared
        .into_iter()
        .map(|d| {
            Arc::try_unwrap(d)
                .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
                .map_err(|_| "a device is still shared after its tasks ended".to_string())
        })
        .collect::<Result<_, _>>()?;
    let refs: Vec<&Device> = devices.iter().collect();
    let kill_times = api
        .traffic
        .kill_times
        .lock()
        .map(|v| v.clone())
        .unwrap_or_default();
    let forged = adversary.log.void.iter().map(|(e, _)| *e).collect();
    let verdict = verify::verify(api, &admin, &refs, &kill_times, &forged).await?;
    let verify_phase = phase.elapsed();

    let t = &api.traffic;
    let mut written = std::collections::BTreeMap::new();
    for d in &devices {
        for (k, n) in &d.kinds {
            *written.entry(*k).or_insert(0) += n;
        }
    }
    let mut problems = verdict.problems;
    if verdict.unlisted_problems > 0 {
        problems.push(format!("… and {} more", verdict.unlisted_problems));
    }
    let log = adversary.log;
    problems.extend(log.breaches.iter().cloned());
    problems.extend(log.leaks.iter().cloned());
    for attack in adversary::ATTACKS.iter().filter(|a| !untried.contains(a)) {
        if log.answered.get(attack).is_none_or(|(r, _)| *r == 0) {
            problems.push(format!("the forgery {attack} was never answered"));
        }
    }
    let bad = t.bad_answers.load(SeqCst);
    if bad > 0 {
        problems.push(format!("{bad} error answers from the server (see notes)"));
    }
    Ok(ChaosReport {
        seed: config.seed,
        processes: cluster.servers.len(),
        postgres: config.postgres,
        server_command: cluster.command_line(),
        devices: config.devices,
        users: user_count,
        ops_per_device: config.ops,
        ops_done: ops_done.load(SeqCst),
        written,
        server_events: verdict.server_events,
        numbers: verdict.numbers,
        escalations: verdict.escalations,
        complaints: verdict.complaints,
        states_compared: verdict.states_compared,
        conflicts: verdict.conflicts,
        cut_push_events: verdict.cut_push_events,
        stored_before_kill: verdict.stored_before_kill,
        kills,
        kills_planned: config.kills,
        server_starts: cluster.starts(),
        pushes: t.pushes.load(SeqCst),
        pulls: t.pulls.load(SeqCst),
        cut_push: t.cut_push.load(SeqCst),
        cut_pull: t.cut_pull.load(SeqCst),
        cut_other: t.cut_other.load(SeqCst),
        refused: t.refused.load(SeqCst),
        stale: t.stale.load(SeqCst),
        broken: t.broken.load(SeqCst),
        bad_answers: bad,
        sync_runs: loops.runs.load(SeqCst),
        failed_sync_runs: loops.failed_runs.load(SeqCst),
        offline_spells: loops.offline_spells.load(SeqCst),
        offline_time: Duration::from_millis(loops.offline_ms.load(SeqCst)),
        rightful_rejections: verdict.rightful_rejections,
        forgeries: log.answered,
        forgeries_unanswered: log.unanswered,
        outsider_probes: log.probes,
        forgeries_untried: untried,
        settle_rounds: rounds,
        ops_phase,
        settle_phase,
        verify_phase,
        duration: started.elapsed(),
        problems,
        notes: t.kept_messages(),
        kept: None,
    })
}

/// A device's operation task: `ops` local operations, paced.
async fn operate(dev: SharedDevice, ops: usize, pause: (u64, u64), done: Arc<AtomicUsize>) {
    for _ in 0..ops {
        let ms = lock(&dev).pause_ms(pause);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        lock(&dev).step(device::now());
        done.fetch_add(1, SeqCst);
    }
}

/// Rounds of "every device syncs" until a round in which nobody pushed anything and nothing is
/// pending: then every device has pulled the same, final, server log. Answers the rounds run.
async fn settle(devices: &[SharedDevice], api: &Api, limit: Duration) -> Result<usize, String> {
    let deadline = Instant::now() + limit;
    for round in 1..=50 {
        let mut tasks = Vec::new();
        for dev in devices {
            let (dev, api) = (dev.clone(), api.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    match sync::sync_once(&dev, &api).await {
                        Ok(moved) => return Ok(moved.pushed),
                        Err(e) if Instant::now() > deadline => {
                            return Err(format!("final sync: {e}"))
                        }
                        // Not expected with the server up; counted in the traffic figures.
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
            }));
        }
        let mut pushed = 0;
        for t in tasks {
            pushed += t.await.map_err(|e| format!("final sync task: {e}"))??;
        }
        let pending: usize = devices.iter().map(|d| lock(d).pending_count()).sum();
        if pushed == 0 && pending == 0 {
            return Ok(round);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "final sync did not settle: {pending} events pending"
            ));
        }
    }
    Err("final sync did not settle in 50 rounds".into())
}

/// The adversarial devices' accounts: an insider (staff of the honest sites) and an outsider
/// (staff of a site of its own, created here, after the honest users got theirs).
async fn adversaries(api: &Api, admin: &str, seed: u64) -> Result<Adversary, String> {
    let sites: Vec<siteline_model::api::SiteInfo> = api
        .get(admin, "/api/v1/sites")
        .await
        .map_err(|e| format!("list sites: {e}"))?;
    let honest = sites
        .first()
        .map(|s| s.code.clone())
        .ok_or("the server has no site")?;
    let body = json!({ "code": "CHAOSX", "name": "外场" });
    let _: Value = api
        .post(Some(admin), "/api/v1/sites", &body)
        .await
        .map_err(|e| format!("create the outsider's site: {e}"))?;
    let mut users = Vec::new();
    for (name, site) in [("x-insider", honest.as_str()), ("x-outsider", "CHAOSX")] {
        let mut u = User {
            name: name.into(),
            password: format!("{name}-chaos-pass"),
            role: siteline_model::Role::Staff,
            department: None,
            token: String::new(),
        };
        create_user_at(api, admin, &u, &[site]).await?;
        u.token = login(api, &u.name, &u.password).await?;
        users.push(u);
    }
    let outsider = users.pop().ok_or("no outsider")?;
    let insider = users.pop().ok_or("no insider")?;
    Ok(Adversary::new(insider, outsider, honest, seed))
}

async fn login(api: &Api, username: &str, password: &str) -> Result<String, String> {
    let body = json!({ "username": username, "password": password });
    let answer: LoginResponse = api
        .post(None, "/api/v1/auth/login", &body)
        .await
        .map_err(|e| format!("login as {username}: {e}"))?;
    Ok(answer.token)
}

async fn create_user(api: &Api, admin: &str, u: &User) -> Result<(), String> {
    // Every simulated user works at every site the server has.
    let sites: Vec<siteline_model::api::SiteInfo> = api
        .get(admin, "/api/v1/sites")
        .await
        .map_err(|e| format!("list sites: {e}"))?;
    let codes: Vec<&str> = sites.iter().map(|s| s.code.as_str()).collect();
    create_user_at(api, admin, u, &codes).await
}

async fn create_user_at(api: &Api, admin: &str, u: &User, codes: &[&str]) -> Result<(), String> {
    let body = json!({
        "sites": codes,
        "username": u.name,
        "password": u.password,
        "role": u.role.code(),
        "display_name": format!("{} (chaos)", u.name),
        "department": u.department,
    });
    let _: Value = api
        .post(Some(admin), "/api/v1/users", &body)
        .await
        .map_err(|e| format!("create user {}: {e}", u.name))?;
    Ok(())
}
