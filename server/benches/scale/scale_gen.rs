//! Generates the scale data set through the server's own push path: N complaints over S sites and Y years.

use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, Nature, NewComplaint,
    Satisfaction, Severity, Timestamp, CATEGORIES,
};
use siteline_server::http::auth::AuthUser;
use siteline_server::http::sync::{push_events, Source};
use siteline_server::store::LocationNode;
use siteline_server::{build, Config};
use std::path::Path;
use std::time::Instant;

pub const ADMIN_PW: &str = "bench-admin-password-1";
const DAY: i64 = 86_400_000;
/// Bump when the generated data changes shape: a cached data set of another version is rebuilt.
pub const GEN_VERSION: u32 = 2;

/// xorshift64*: deterministic, good enough for spreading data.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn bytes(&mut self) -> [u8; 10] {
        let a = self.next().to_le_bytes();
        let b = self.next().to_le_bytes();
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }
}

pub fn site_code(i: usize) -> String {
    format!("S{:02}", i + 1)
}

pub struct Spec {
    pub complaints: u64,
    pub sites: usize,
    pub years: i64,
    pub now: Timestamp,
}

fn event(
    rng: &mut Rng,
    c: ComplaintId,
    d: DeviceId,
    at: i64,
    lamport: u64,
    kind: EventKind,
) -> Event {
    Event {
        id: EventId::new_v7(at, rng.bytes()),
        complaint_id: c,
        device_id: d,
        author: "admin".into(),
        captured_at: Timestamp(at),
        lamport,
        kind,
    }
}

/// The events of complaint `i`: older ones mostly went the whole way; recent ones are under way.
fn complaint_events(rng: &mut Rng, spec: &Spec, i: u64, device: DeviceId) -> Vec<Event> {
    let span = spec.years * 365 * DAY;
    let start = spec.now.0 - span;
    let at = start + (span as u128 * u128::from(i) / u128::from(spec.complaints)) as i64;
    // Nothing after the bench's "now": the server refuses capture times ahead of its clock.
    let at = (at + rng.below(3_600_000) as i64).min(spec.now.0);
    let cid = ComplaintId::new_v7(at, rng.bytes());
    let subs: Vec<&str> = CATEGORIES
        .iter()
        .filter(|c| c.code.contains('.'))
        .map(|c| c.code)
        .collect();
    let site = rng.below(spec.sites as u64) as usize;
    let severity = match rng.below(100) {
        0..=4 => Severity::Major,
        5..=29 => Severity::Important,
        _ => Severity::Minor,
    };
    let channel = [
        Channel::Phone,
        Channel::Visit,
        Channel::Online,
        Channel::Patrol,
    ][rng.below(4) as usize];
    let desk = rng.below(100) < 55;
    // Common areas of 12 buildings: the places complaints keep coming from.
    const AREAS: [&str; 6] = ["大堂", "电梯厅", "地下车库", "楼梯间", "屋面", "单元门"];
    let location = format!(
        "{}栋 › {}",
        1 + rng.below(12),
        AREAS[rng.below(AREAS.len() as u64) as usize]
    );
    let created = NewComplaint {
        provisional_number: format!("P-{}-{i}", device.short()),
        description: format!("第{i}号投诉：设施问题描述"),
        location,
        category: subs[rng.below(subs.len() as u64) as usize].into(),
        channel,
        severity,
        nature: if desk {
            Nature::Enquiry
        } else {
            Nature::Effective
        },
        site: site_code(site),
        complainant: Complainant {
            name: Some("业主".into()),
            phone: Some(format!("139{:08}", rng.below(40_000))),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut lamport = 1;
    let mut out = vec![event(
        rng,
        cid,
        device,
        at,
        lamport,
        EventKind::Created(Box::new(created)),
    )];
    let age = spec.now.0 - at;
    // How far it got: everything older than a month is finished.
    let steps: u64 = if age > 30 * DAY { 99 } else { rng.below(8) };
    let mut t = at;
    let mut step = |rng: &mut Rng, out: &mut Vec<Event>, minutes: u64, kind: EventKind| {
        t = (t + (1 + rng.below(minutes)) as i64 * 60_000).min(spec.now.0);
        lamport += 1;
        out.push(event(rng, cid, device, t, lamport, kind));
    };
    let flow: Vec<(u64, EventKind)> = if desk {
        vec![
            (
                240,
                EventKind::Replied {
                    content: "已答复".into(),
                },
            ),
            (
                600,
                EventKind::Closed {
                    summary: "完结".into(),
                },
            ),
        ]
    } else {
        let sat = [
            Satisfaction::Satisfied,
            Satisfaction::Basic,
            Satisfaction::Satisfied,
        ][rng.below(3) as usize];
        vec![
            (
                15,
                EventKind::Dispatched {
                    department: "engineering".into(),
                    instructions: String::new(),
                },
            ),
            (60, EventKind::Accepted),
            (120, EventKind::Started),
            (
                1440,
                EventKind::Handled {
                    remedial: "已修复".into(),
                    corrective: "加强巡检".into(),
                },
            ),
            (
                600,
                EventKind::Replied {
                    content: "已答复".into(),
                },
            ),
            (
                2880,
                EventKind::FollowedUp {
                    satisfaction: sat,
                    note: String::new(),
                },
            ),
            (
                600,
                EventKind::Closed {
                    summary: "完结".into(),
                },
            ),
        ]
    };
    for (n, (minutes, kind)) in flow.into_iter().enumerate() {
        if n as u64 >= steps {
            break;
        }
        step(rng, &mut out, minutes, kind);
    }
    out
}

/// Builds the data set in `dir` (a fresh directory) through `push_events`, in batches.
pub async fn generate(dir: &Path, spec: &Spec) -> Result<(), String> {
    let mut cfg = Config::new(dir.to_path_buf());
    cfg.admin_password = Some(ADMIN_PW.into());
    cfg.site_code = site_code(0);
    // The data set spans years of capture times, pushed now.
    cfg.max_capture_age_days = 36_500;
    let built = build(cfg).await.map_err(|e| format!("server build: {e}"))?;
    let st = built.state;
    let t0 = Instant::now();
    for s in 1..spec.sites {
        let floors = vec![LocationNode::leaf("1F"), LocationNode::leaf("2F")];
        st.store
            .create_site(
                &site_code(s),
                &format!("项目{}", s + 1),
                false,
                &[LocationNode::branch("1栋", floors)],
                spec.now,
            )
            .await
            .map_err(|e| format!("site: {e}"))?;
    }
    let admin = st
        .store
        .find_user("admin")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no admin user")?;
    let user = AuthUser {
        id: admin.id,
        info: admin.info,
        token_hash: String::new(),
    };
    let mut rng = Rng::new(0x5173_e11e);
    let device = DeviceId::new_v7(spec.now.0, rng.bytes());
    let mut batch: Vec<Event> = Vec::with_capacity(1100);
    let mut events = 0u64;
    for i in 0..spec.complaints {
        batch.extend(complaint_events(&mut rng, spec, i, device));
        if batch.len() >= 1000 || i + 1 == spec.complaints {
            let outcomes = push_events(&st, &user, &batch, Source::Push)
                .await
                .map_err(|e| format!("push: {e}"))?;
            if let Some(bad) = outcomes
                .iter()
                .find(|o| !matches!(o.result, siteline_model::sync::PushResult::Accepted { .. }))
            {
                return Err(format!("generated event refused: {bad:?}"));
            }
            events += batch.len() as u64;
            batch.clear();
        }
        if (i + 1) % 100_000 == 0 {
            eprintln!(
                "  generated {} complaints, {events} events, {:.0} s",
                i + 1,
                t0.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "  generated {} complaints / {events} events in {:.0} s",
        spec.complaints,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
