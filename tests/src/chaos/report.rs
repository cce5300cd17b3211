//! The chaos report: what ran, what the kills hit, what the checks found; `Display` for humans.

use super::killer::Kill;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

#[derive(Clone, Debug, Default)]
pub struct ChaosReport {
    pub seed: u64,
    /// Server processes, and whether on PostgreSQL (behind the proxy).
    pub processes: usize,
    pub postgres: bool,
    pub server_command: String,
    pub devices: usize,
    pub users: usize,
    pub ops_per_device: usize,
    pub ops_done: usize,
    /// Events the devices wrote, by kind code.
    pub written: BTreeMap<&'static str, usize>,
    pub server_events: usize,
    pub numbers: usize,
    pub escalations: usize,
    pub complaints: usize,
    pub states_compared: usize,
    pub conflicts: usize,
    /// Events in pushes cut by a kill; of those, stored before the kill (answer lost, re-pushed).
    pub cut_push_events: usize,
    pub stored_before_kill: usize,
    pub kills: Vec<Kill>,
    pub kills_planned: usize,
    pub server_starts: usize,
    pub pushes: u64,
    pub pulls: u64,
    pub cut_push: u64,
    pub cut_pull: u64,
    pub cut_other: u64,
    pub refused: u64,
    pub stale: u64,
    pub broken: u64,
    pub bad_answers: u64,
    pub sync_runs: u64,
    pub failed_sync_runs: u64,
    pub offline_spells: u64,
    pub offline_time: Duration,
    pub rightful_rejections: usize,
    /// Forged events of the adversarial devices answered, by attack: (refused or void, taken).
    pub forgeries: BTreeMap<&'static str, (usize, usize)>,
    pub forgeries_unanswered: usize,
    /// Forgeries without a target at the end (e.g. no complaint was closed yet).
    pub forgeries_untried: Vec<&'static str>,
    /// The outsider's pulls and detail requests that answered (and showed nothing).
    pub outsider_probes: usize,
    pub settle_rounds: usize,
    pub ops_phase: Duration,
    pub settle_phase: Duration,
    pub verify_phase: Duration,
    pub duration: Duration,
    pub problems: Vec<String>,
    /// Unusual but harmless things seen (e.g. connections that broke with no kill in between).
    pub notes: Vec<String>,
    /// Where the data and the server log were kept (failed runs only).
    pub kept: Option<String>,
}

impl ChaosReport {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }

    /// The checks every suite run makes of its report (panics with the report when one fails):
    /// passed, every planned kill landed and one with a request in flight, every operation
    /// done, one number per complaint, and each kind of action written.
    pub fn assert_complete(&self, devices: usize, ops: usize) {
        assert!(self.passed(), "chaos run failed:\n{self}");
        assert_eq!(self.kills.len(), self.kills_planned, "{self}");
        assert!(
            self.kills
                .iter()
                .any(|k| k.pushes_in_flight > 0 || k.pulls_in_flight > 0),
            "no kill landed with a request in flight:\n{self}"
        );
        assert_eq!(self.ops_done, devices * ops, "{self}");
        assert!(
            self.complaints > 0 && self.numbers == self.complaints,
            "{self}"
        );
        for kind in ["created", "dispatched", "accepted", "handled", "replied"] {
            assert!(
                self.written.get(kind).copied().unwrap_or(0) > 0,
                "no {kind} events were written:\n{self}"
            );
        }
    }

    pub fn events_written(&self) -> usize {
        self.written.values().sum()
    }

    pub fn cut(&self) -> u64 {
        self.cut_push + self.cut_pull + self.cut_other
    }

    /// A row for BENCHMARKS.md: date | run | events | kills | cut requests | duration | result.
    pub fn benchmark_row(&self) -> String {
        let today = super::device::now().format_local(siteline_model::time::CHINA_OFFSET_MINUTES);
        let date = today.split(' ').next().unwrap_or_default().to_string();
        format!(
            "| {date} | {} devices x {} ops, seed {} | {} written, {} on the server, {} complaints | {} ({} mid-push, {} mid-pull) | {} (push {}, pull {}); {} refused | {} | {} |",
            self.devices,
            self.ops_per_device,
            self.seed,
            self.events_written(),
            self.server_events,
            self.complaints,
            self.kills.len(),
            self.kills.iter().filter(|k| k.pushes_in_flight > 0).count(),
            self.kills.iter().filter(|k| k.pulls_in_flight > 0).count(),
            self.cut(),
            self.cut_push,
            self.cut_pull,
            self.refused,
            secs(self.duration),
            if self.passed() { "pass" } else { "FAIL" },
        )
    }

    /// The flags that replay this run's choices.
    pub fn replay_args(&self) -> String {
        let scale_out = if self.postgres {
            format!(" --postgres --processes {}", self.processes)
        } else {
            String::new()
        };
        format!(
            "--seed {} --devices {} --ops {} --kills {}{scale_out}",
            self.seed, self.devices, self.ops_per_device, self.kills_planned
        )
    }
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{:.2}s", d.as_secs_f64())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

impl fmt::Display for ChaosReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.passed() { "PASS" } else { "FAIL" };
        writeln!(f, "chaos run: {verdict} (replay: {})", self.replay_args())?;
        writeln!(f, "  server:     {}", self.server_command)?;
        writeln!(
            f,
            "  devices:    {} devices ({} users), {} operations each, {} done",
            self.devices, self.users, self.ops_per_device, self.ops_done
        )?;
        writeln!(
            f,
            "  events:     {} written by devices; {} on the server ({} numbers, {} escalations); {} complaints",
            self.events_written(),
            self.server_events,
            self.numbers,
            self.escalations,
            self.complaints
        )?;
        let kinds: Vec<String> = self
            .written
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(f, "  actions:    {}", kinds.join(", "))?;
        let mid_push = self.kills.iter().filter(|k| k.pushes_in_flight > 0).count();
        let mid_pull = self.kills.iter().filter(|k| k.pulls_in_flight > 0).count();
        let max_restart = self
            .kills
            .iter()
            .map(|k| k.restart)
            .max()
            .unwrap_or_default();
        writeln!(
            f,
            "  kills:      {} of {} SIGKILLs ({} with a push in flight, {} with a pull); {} starts; slowest restart {}",
            self.kills.len(),
            self.kills_planned,
            mid_push,
            mid_pull,
            self.server_starts,
            secs(max_restart)
        )?;
        writeln!(
            f,
            "  traffic:    {} pushes, {} pulls; cut by kills: {} (push {}, pull {}, other {}); refused while down: {}",
            self.pushes, self.pulls, self.cut(), self.cut_push, self.cut_pull, self.cut_other, self.refused
        )?;
        writeln!(
            f,
            "              stale connections after a kill: {}; broken without a kill: {}; error answers: {}; sync runs {} ({} failed)",
            self.stale, self.broken, self.bad_answers, self.sync_runs, self.failed_sync_runs
        )?;
        writeln!(
            f,
            "  cut pushes: carried {} events; {} of them were committed before the kill (answer lost, pushed again: same receipt, stored once)",
            self.cut_push_events, self.stored_before_kill
        )?;
        writeln!(
            f,
            "  offline:    {} spells, {} in all",
            self.offline_spells,
            secs(self.offline_time)
        )?;
        writeln!(
            f,
            "  outcome:    {} states compared; {} conflicts kept by the fold; {} refusals, each one the rules call for",
            self.states_compared, self.conflicts, self.rightful_rejections
        )?;
        let refused: usize = self.forgeries.values().map(|(r, _)| r).sum();
        let accepted: usize = self.forgeries.values().map(|(_, a)| a).sum();
        let kinds: Vec<String> = self
            .forgeries
            .iter()
            .map(|(k, (r, _))| format!("{k} {r}"))
            .collect();
        writeln!(
            f,
            "  adversary:  {refused} forged events refused or void, {accepted} taken, {} unanswered ({}); outsider: {} probes, nothing read",
            self.forgeries_unanswered,
            kinds.join(", "),
            self.outsider_probes
        )?;
        if !self.forgeries_untried.is_empty() {
            writeln!(
                f,
                "              no target for: {}",
                self.forgeries_untried.join(", ")
            )?;
        }
        writeln!(
            f,
            "  duration:   {} (operations {}, final sync {} in {} rounds, checks {})",
            secs(self.duration),
            secs(self.ops_phase),
            secs(self.settle_phase),
            self.settle_rounds,
            secs(self.verify_phase)
        )?;
        if !self.problems.is_empty() {
            writeln!(f, "  problems ({}):", self.problems.len())?;
            for p in &self.problems {
                writeln!(f, "    - {p}")?;
            }
        }
        if !self.notes.is_empty() {
            writeln!(f, "  notes:")?;
            for n in &self.notes {
                writeln!(f, "    - {n}")?;
            }
        }
        if let Some(k) = &self.kept {
            writeln!(f, "  kept:       {k}")?;
        }
        Ok(())
    }
}
