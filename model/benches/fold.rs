//! Criterion benchmarks: fold throughput (events/s) and time-limit work (deadlines, report facts) per complaint.
//!
//! `cargo bench -p siteline-model --bench fold` prints, per benchmark, `time: [low mid high]`
//! (per iteration: one fold of the set, one complaint's deadlines or facts) and for the folds
//! `thrpt: [.. elem/s]` = events/s.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use siteline_model::report::ReportFacts;
use siteline_model::time::days_from_civil;
use siteline_model::timelimit::Clock;
use siteline_model::{
    fold, fold_one, Channel, Complainant, Complaint, ComplaintId, DeviceId, Event, EventId,
    EventKind, NewComplaint, Satisfaction, Severity, Timestamp,
};

const MIN: i64 = 60_000;

/// China time 2026-`m`-`d` `h`:00 as a timestamp.
fn at(m: u32, d: u32, h: i64) -> Timestamp {
    Timestamp(days_from_civil(2026, m, d) * 86_400_000 + (h - 8) * 3_600_000)
}

struct Gen {
    n: u64,
    device: DeviceId,
}

impl Gen {
    fn new() -> Gen {
        let device = DeviceId::new_v7(at(1, 1, 9).millis(), [7; 10]);
        Gen { n: 0, device }
    }

    fn rnd(&mut self) -> [u8; 10] {
        self.n += 1;
        let mut r = [0u8; 10];
        r[2..].copy_from_slice(&self.n.to_be_bytes());
        r
    }

    fn created(&mut self, t0: Timestamp, i: usize, severity: Severity) -> Event {
        let cid = ComplaintId::new_v7(t0.millis(), self.rnd());
        Event {
            id: EventId::new_v7(t0.millis(), self.rnd()),
            complaint_id: cid,
            device_id: self.device,
            author: "zhang".into(),
            captured_at: t0,
            lamport: 1,
            kind: EventKind::Created(Box::new(NewComplaint {
                provisional_number: format!("P-{}-{:04}", self.device.short(), i % 10_000),
                description: format!("电梯异响，第 {i} 次"),
                location: format!("{}栋 › {}F 电梯厅", i % 20 + 1, i % 30 + 1),
                category: "facility.lift".into(),
                severity,
                channel: Channel::Phone,
                complainant: Complainant {
                    name: Some("王女士".into()),
                    phone: Some(format!("138{:08}", i)),
                    ..Default::default()
                },
                ..Default::default()
            })),
        }
    }

    /// An event on the complaint of `first`, `minutes` after it.
    fn then(&mut self, first: &Event, lamport: u64, minutes: i64, kind: EventKind) -> Event {
        let t = Timestamp(first.captured_at.millis() + minutes * MIN);
        Event {
            id: EventId::new_v7(t.millis(), self.rnd()),
            complaint_id: first.complaint_id,
            device_id: self.device,
            author: "wang".into(),
            captured_at: t,
            lamport,
            kind,
        }
    }

    /// created, numbered, dispatched, accepted, started, handled.
    fn six(&mut self, t0: Timestamp, i: usize) -> Vec<Event> {
        let c = self.created(t0, i, Severity::Important);
        let number = EventKind::NumberAssigned {
            number: format!("SL-2026-{:06}", i + 1),
        };
        let dispatched = EventKind::Dispatched {
            department: "engineering".into(),
            instructions: "尽快处理".into(),
        };
        let handled = EventKind::Handled {
            remedial: "更换导轮".into(),
            corrective: "加入月度保养清单".into(),
        };
        let rest = vec![
            self.then(&c, 2, 1, number),
            self.then(&c, 3, 5, dispatched),
            self.then(&c, 4, 8, EventKind::Accepted),
            self.then(&c, 5, 20, EventKind::Started),
            self.then(&c, 6, 90, handled),
        ];
        std::iter::once(c).chain(rest).collect()
    }

    /// A long life: the six, eight notes, reply, an unsatisfied follow-up (back to the
    /// department), accepted, handled again, replied, closed — 20 events.
    fn twenty(&mut self, t0: Timestamp, severity: Severity) -> Vec<Event> {
        let mut evs = self.six(t0, 0);
        if let EventKind::Created(new) = &mut evs[0].kind {
            new.severity = severity;
        }
        let c = evs[0].clone();
        let mut lamport = 7;
        let mut push = |g: &mut Gen, minutes: i64, kind: EventKind| {
            evs.push(g.then(&c, lamport, minutes, kind));
            lamport += 1;
        };
        for k in 0..8 {
            let text = format!("第 {k} 次跟进：已联系厂家");
            push(self, 100 + k, EventKind::NoteAdded { text });
        }
        let reply = |s: &str| EventKind::Replied { content: s.into() };
        let follow = |s| EventKind::FollowedUp {
            satisfaction: s,
            note: String::new(),
        };
        push(self, 200, reply("已更换导轮"));
        push(self, 300, follow(Satisfaction::Unsatisfied));
        let handled = EventKind::Handled {
            remedial: "更换曳引机".into(),
            corrective: "更换供应商".into(),
        };
        push(self, 350, EventKind::Accepted);
        push(self, 400, handled);
        push(self, 500, reply("已更换曳引机"));
        let closed = EventKind::Closed {
            summary: "完结".into(),
        };
        push(self, 700, closed);
        evs
    }
}

/// The derived event reader (with `flatten`), for comparison.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Flattened {
    id: EventId,
    complaint_id: ComplaintId,
    device_id: DeviceId,
    author: String,
    captured_at: Timestamp,
    lamport: u64,
    #[serde(flatten)]
    kind: EventKind,
}

fn bench_fold(c: &mut Criterion) {
    let mut g = Gen::new();
    let t0 = at(3, 2, 9);
    let many: Vec<Event> = (0..10_000)
        .flat_map(|i| g.six(Timestamp(t0.millis() + i as i64 * MIN), i))
        .collect();
    assert_eq!(fold(&many).len(), 10_000);
    let mut group = c.benchmark_group("fold");
    group.sample_size(20);
    group.throughput(Throughput::Elements(many.len() as u64));
    group.bench_function("fold_10000x6", |b| b.iter(|| fold(black_box(&many))));
    group.bench_function("fold_one_each_10000x6", |b| {
        b.iter(|| {
            black_box(&many)
                .chunks(6)
                .filter_map(fold_one)
                .map(|c| c.event_count)
                .sum::<u32>()
        })
    });
    // Decoding the same events from JSON: the hand-written `Event` reader against the derived
    // `#[serde(flatten)]` form it replaced (which buffers every field).
    let json = serde_json::to_string(&many).expect("events serialize");
    group.bench_function("decode_json_10000x6", |b| {
        b.iter(|| serde_json::from_str::<Vec<Event>>(black_box(&json)).map(|v| v.len()))
    });
    group.bench_function("decode_json_10000x6_derived_flatten", |b| {
        b.iter(|| serde_json::from_str::<Vec<Flattened>>(black_box(&json)).map(|v| v.len()))
    });
    let one = g.twenty(t0, Severity::Important);
    assert_eq!(one.len(), 20);
    assert!(fold_one(&one).is_some_and(|c| c.closed_at.is_some() && c.conflicts.is_empty()));
    group.throughput(Throughput::Elements(one.len() as u64));
    group.bench_function("fold_one_20", |b| b.iter(|| fold_one(black_box(&one))));
    // Arrival order never matters: the fold sorts. Reversed input costs the sort.
    group.bench_function("fold_one_20_reversed", |b| {
        b.iter_batched(
            || one.iter().rev().collect::<Vec<_>>(),
            fold_one,
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// A folded complaint from a generated life.
fn folded(events: &[Event]) -> Complaint {
    fold_one(events).expect("created")
}

fn bench_limits(c: &mut Criterion) {
    let clock = Clock::china();
    let mut g = Gen::new();
    // Normal: a 重要 phone complaint on a working Monday, handled the same day, still open.
    let normal = folded(&g.six(at(3, 2, 9), 1));
    // 重大, captured the Friday before the Spring Festival: its working-day limits cross
    // 2026-02-15..23 off and the 02-14 / 02-28 make-up Saturdays; closed after the holiday.
    let major = folded(&g.twenty(at(2, 13, 16), Severity::Major));
    let now = at(3, 10, 12);
    assert_eq!(clock.deadlines(&normal, now).len(), 2);
    let major_limits = clock.deadlines(&major, now);
    assert_eq!(major_limits.len(), 5);
    let close = major_limits.last().expect("major_close");
    assert!(
        close.due_at > at(2, 24, 0),
        "the window crosses the holiday"
    );
    let mut group = c.benchmark_group("timelimit");
    group.throughput(Throughput::Elements(1));
    group.bench_function("deadlines_normal", |b| {
        b.iter(|| clock.deadlines(black_box(&normal), black_box(now)))
    });
    group.bench_function("deadlines_major_holiday", |b| {
        b.iter(|| clock.deadlines(black_box(&major), black_box(now)))
    });
    group.bench_function("report_facts_normal", |b| {
        b.iter(|| ReportFacts::of(black_box(&normal), black_box(&clock)))
    });
    group.bench_function("report_facts_major_holiday", |b| {
        b.iter(|| ReportFacts::of(black_box(&major), black_box(&clock)))
    });
    group.finish();
}

criterion_group!(benches, bench_fold, bench_limits);
criterion_main!(benches);
