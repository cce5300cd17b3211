//! Reports agree with the model on both backends: the same generated complaints (sites,
//! severities, channels, repeats, every workflow stage, withdrawals, late and on-time replies,
//! pushed in batches so rows are updated after they are inserted) give, on SQLite and on
//! PostgreSQL, the report that counting every complaint with the model's own `Tally::add`
//! gives (`report_by_rows`) — so both backends' trigger-kept roll-ups equal the model, for
//! every breakdown, period, scope, median and recurring place.

use super::{postgres, sqlite};
use crate::http::reports::month_start;
use crate::store::{BatchStates, ComplaintStore, PushGate, ReportQuery, SyncStore};
use siteline_model::api::SiteInfo;
use siteline_model::report::Period;
use siteline_model::sync::PushResult;
use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint,
    Satisfaction, Severity, Timestamp,
};

struct Open;

impl PushGate for Open {
    fn check(&self, _: &Event, _: &BatchStates) -> Option<PushResult> {
        None
    }
}

/// xorshift64*: the same complaints for a seed on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const HOUR: i64 = 3_600_000;

fn sites() -> Vec<SiteInfo> {
    ["SL", "B"]
        .iter()
        .map(|c| SiteInfo {
            code: c.to_string(),
            name: c.to_string(),
            locations: Vec::new(),
            policy: Default::default(),
            hours: Default::default(),
            days: Vec::new(),
            categories: Vec::new(),
            people: Vec::new(),
            replies: Vec::new(),
        })
        .collect()
}

/// `n` complaints of 2026, each with a random stretch of its workflow.
fn complaints(seed: u64, n: usize) -> Vec<Event> {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let device = DeviceId::new_v7(1, [9; 10]);
    let start = month_start(202601).millis();
    let mut out = Vec::new();
    for i in 0..n {
        let at = start + r.below(360 * 24) as i64 * HOUR;
        let (hi, lo) = ((i >> 8) as u8, i as u8);
        // The id's variable bits are bytes 3.. of the ten (the first carry version bits).
        let cid = ComplaintId::new_v7(at, [0, 0, 0, hi, lo, 0, 1, 2, 3, 4]);
        let mut lamport = 1;
        let mut t = at;
        let ev = |kind: EventKind, t: i64, lamport: u64| Event {
            id: EventId::new_v7(t, [0, 0, 0, hi, lo, lamport as u8, 9, 9, 9, 9]),
            complaint_id: cid,
            device_id: device,
            author: "zhang".into(),
            captured_at: Timestamp(t),
            lamport,
            kind,
        };
        out.push(ev(
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: format!("P-{i}"),
                description: "投诉".into(),
                location: r
                    .pick(&["1栋 › 大堂", "地下车库", "2栋 › 电梯", ""])
                    .to_string(),
                category: r
                    .pick(&[
                        "facility.lift",
                        "environment.noise",
                        "security.parking",
                        "service",
                    ])
                    .to_string(),
                site: r.pick(&["SL", "B"]).to_string(),
                severity: *r.pick(&[
                    Severity::Minor,
                    Severity::Minor,
                    Severity::Important,
                    Severity::Major,
                ]),
                channel: *r.pick(&[
                    Channel::Phone,
                    Channel::Visit,
                    Channel::Online,
                    Channel::Letter,
                ]),
                complainant: Complainant {
                    phone: r
                        .pick(&[None, Some("13800000001"), Some("13800000002")])
                        .map(String::from),
                    ..Default::default()
                },
                ..Default::default()
            })),
            t,
            lamport,
        ));
        if r.below(8) == 0 {
            lamport += 1;
            t += r.below(48) as i64 * HOUR;
            out.push(ev(
                EventKind::Withdrawn {
                    reason: "已协商".into(),
                    voluntary: true,
                },
                t,
                lamport,
            ));
            continue;
        }
        let satisfaction = *r.pick(&[
            Satisfaction::Satisfied,
            Satisfaction::Basic,
            Satisfaction::Unsatisfied,
        ]);
        let department = r.pick(&["engineering", "security", "cleaning"]).to_string();
        let chain = [
            EventKind::Dispatched {
                department,
                instructions: String::new(),
            },
            EventKind::Accepted,
            EventKind::Started,
            EventKind::Handled {
                remedial: "已修".into(),
                corrective: "巡检".into(),
            },
            EventKind::Replied {
                content: "已答复".into(),
            },
            EventKind::FollowedUp {
                satisfaction,
                note: String::new(),
            },
            EventKind::Closed {
                summary: String::new(),
            },
        ];
        let steps = r.below(chain.len() as u64 + 1) as usize;
        for kind in chain.into_iter().take(steps) {
            lamport += 1;
            // Some quickly, some days later: on-time and late limits both occur.
            t += (1 + r.below(6 * 24)) as i64 * HOUR / 4;
            out.push(ev(kind, t, lamport));
        }
    }
    out
}

fn query(
    from: u32,
    to: u32,
    site: Option<&str>,
    scope: Option<&[&str]>,
    period: Period,
) -> ReportQuery {
    ReportQuery {
        from: month_start(from),
        to: month_start(to),
        from_month: from,
        to_month: to,
        site: site.map(String::from),
        scope_sites: scope.map(|s| s.iter().map(|x| x.to_string()).collect()),
        period,
        now: Timestamp(month_start(202701).millis() + 5 * 24 * HOUR),
        recurring_limit: 20,
    }
}

/// Pushes every complaint's `Created` first and the rest after, so every complaint with more
/// than one event has its projection row inserted and then updated (the roll-ups follow both).
async fn fill<S: SyncStore>(s: &S, events: &[Event]) {
    let now = Timestamp(month_start(202701).millis());
    let (created, rest): (Vec<Event>, Vec<Event>) = events
        .iter()
        .cloned()
        .partition(|e| matches!(e.kind, EventKind::Created(_)));
    let ordered: Vec<Event> = created.into_iter().chain(rest).collect();
    for batch in ordered.chunks(200) {
        let results = s
            .push(batch, &sites(), "SL", &Open, None, now)
            .await
            .expect("push");
        let refused: Vec<_> = results
            .iter()
            .filter(|r| !matches!(r, PushResult::Accepted { .. }))
            .collect();
        assert!(refused.is_empty(), "{refused:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn both_backends_roll_ups_equal_the_model() {
    for seed in [1, 2, 3] {
        let events = complaints(seed, 400);
        let (_dir, lite) = sqlite().await;
        let pg = postgres().await;
        fill(&*lite, &events).await;
        fill(&*pg, &events).await;
        let queries = [
            query(202601, 202701, None, None, Period::Month),
            query(202601, 202701, Some("SL"), None, Period::Quarter),
            query(202604, 202610, Some("B"), Some(&["B"]), Period::Half),
            query(202601, 202701, None, Some(&["SL"]), Period::Year),
            query(202612, 202701, None, None, Period::Month),
        ];
        for q in &queries {
            let model = pg.report_by_rows(q).await.expect("model report");
            let a = lite.report(q).await.expect("sqlite report");
            let b = pg.report(q).await.expect("postgres report");
            assert!(
                a.total.count > 0 || q.from_month == 202612,
                "seed {seed}: data in {q:?}"
            );
            assert_eq!(a, model, "sqlite, seed {seed}, {q:?}");
            assert_eq!(b, model, "postgres, seed {seed}, {q:?}");
        }
        let full = lite.report(&queries[1]).await.expect("report");
        assert!(
            full.total.late > 0 && full.total.on_time > 0,
            "both kinds of limits: {:?}",
            full.total
        );
        assert!(
            full.total.repeat > 0 && full.total.closed > 0 && full.total.withdrawn_or_merged > 0
        );
        assert!(!full.recurring.is_empty() && full.durations.is_some());
    }
}
