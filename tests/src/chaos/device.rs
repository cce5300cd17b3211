//! A simulated device: a `model::Replica` and its users, taking legal actions drawn by a PRNG.

use super::outbox::Rejection;
use super::rng::Rng;
use siteline_model::event::ComplaintPatch;
use siteline_model::replica::{Replica, ReplicaMeta};
use siteline_model::workflow::available_actions;
use siteline_model::{
    Channel, Complainant, Complaint, ComplaintId, DeviceId, Event, EventId, EventKind, Nature,
    NewComplaint, Role, Satisfaction, Severity, Timestamp,
};
use std::collections::{BTreeMap, BTreeSet};

/// Departments that have a handler somewhere (dispatches go to these, so handlers get work).
pub const HANDLER_DEPARTMENTS: [&str; 4] =
    ["engineering", "cleaning", "security", "customer_service"];

const CATEGORIES: [&str; 8] = [
    "facility.lighting",
    "facility.water",
    "facility.lift",
    "facility.parking",
    "service.cleaning",
    "service.noise",
    "service.security",
    "charge.shared",
];

/// Relative weights of the lifecycle actions (by event code), and of notes, edits and merges.
const WEIGHTS: [(&str, u32); 13] = [
    ("dispatched", 20),
    ("accepted", 20),
    ("started", 15),
    ("handled", 20),
    ("replied", 20),
    ("followed_up", 20),
    ("closed", 20),
    ("transferred", 2),
    ("returned", 1),
    ("withdrawn", 1),
    ("note", 4),
    ("edit", 2),
    ("merged", 1),
];

/// A user of a device, signed in with their own token.
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub password: String,
    pub role: Role,
    pub department: Option<String>,
    pub token: String,
}

/// The users of device `i`: staff and a handler on every device, a supervisor on every other.
pub fn users_for(i: usize) -> Vec<User> {
    let user = |suffix: &str, role: Role, department: Option<&str>| User {
        name: format!("d{i:02}-{suffix}"),
        password: format!("chaos-{i}-{suffix}-pass"),
        role,
        department: department.map(str::to_string),
        token: String::new(),
    };
    let dept = HANDLER_DEPARTMENTS[i % HANDLER_DEPARTMENTS.len()];
    let mut users = vec![
        user("staff", Role::Staff, None),
        user("handler", Role::Handler, Some(dept)),
    ];
    if i.is_multiple_of(2) {
        users.push(user("supervisor", Role::Supervisor, None));
    }
    users
}

pub struct Device {
    pub index: usize,
    pub replica: Replica,
    pub users: Vec<User>,
    rng: Rng,
    /// Every event this device wrote.
    pub written: BTreeMap<EventId, Event>,
    pub rejections: Vec<Rejection>,
    /// Events removed from the device (refused ones, as a user discards them).
    pub discarded: BTreeSet<EventId>,
    /// Pushes cut by a kill: the kill (epoch) and the events they carried.
    pub cut_pushes: Vec<(u64, Vec<EventId>)>,
    /// Every complaint the device holds events of.
    pub(super) known: BTreeSet<ComplaintId>,
    /// Where and what its own complaints were about (some new ones repeat them: 二次投诉).
    places: Vec<(String, String)>,
    /// Events written, by kind code.
    pub kinds: BTreeMap<&'static str, usize>,
    /// When the last push was sent (refusals record it: the server decided after it).
    pub(super) push_sent: Timestamp,
    /// Authors whose token the server refused (none expected).
    pub tokens_refused: Vec<String>,
}

impl Device {
    pub fn new(index: usize, seed: u64, users: Vec<User>) -> Device {
        let mut rng = Rng::new(seed, index as u64 + 1);
        let device_id = DeviceId::new_v7(now().0, rng.bytes10());
        Device {
            index,
            replica: Replica::load(ReplicaMeta::new(device_id), vec![]),
            users,
            rng,
            written: BTreeMap::new(),
            rejections: Vec::new(),
            discarded: BTreeSet::new(),
            cut_pushes: Vec::new(),
            known: BTreeSet::new(),
            places: Vec::new(),
            kinds: BTreeMap::new(),
            push_sent: Timestamp(0),
            tokens_refused: Vec::new(),
        }
    }

    pub fn pause_ms(&mut self, range: (u64, u64)) -> u64 {
        self.rng.range(range)
    }

    /// One local operation: a new complaint, or an action a user of this device may take now.
    pub fn step(&mut self, now: Timestamp) {
        let open: Vec<&Complaint> = self
            .replica
            .complaints()
            .filter(|c| c.status.is_open())
            .collect();
        if open.len() >= 3 && !self.rng.chance(150) {
            let me = self.replica.meta().device_id;
            let mine: Vec<ComplaintId> = open
                .iter()
                .filter(|c| c.device_id == me)
                .map(|c| c.id)
                .collect();
            let all: Vec<ComplaintId> = open.iter().map(|c| c.id).collect();
            let pool = if !mine.is_empty() && self.rng.chance(650) {
                mine
            } else {
                all
            };
            let picked = self.rng.pick(&pool).copied();
            if let Some(c) = picked.and_then(|id| self.replica.complaint(&id).cloned()) {
                if self.act(&c, &pool, now) {
                    return;
                }
            }
        }
        self.create(now);
    }

    /// Takes one action on `c` if any user may; answers whether it did. The action is drawn
    /// by its weight, then one of the users who may take it.
    fn act(&mut self, c: &Complaint, open: &[ComplaintId], now: Timestamp) -> bool {
        let mut choices: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
        for (u, user) in self.users.iter().enumerate() {
            let mut actions = available_actions(user.role, c);
            // A handler acts only on what is dispatched to their own department.
            if user.role == Role::Handler && c.department != user.department {
                actions.clear();
            }
            actions.push("note");
            if user.role != Role::Handler {
                actions.push("edit");
                if open.len() > 1 {
                    actions.push("merged");
                }
            }
            for a in actions {
                choices.entry(a).or_default().push(u);
            }
        }
        let choices: Vec<(&'static str, Vec<usize>)> = choices.into_iter().collect();
        let weights: Vec<u32> = choices
            .iter()
            .map(|(a, _)| WEIGHTS.iter().find(|(k, _)| k == a).map_or(1, |(_, w)| *w))
            .collect();
        let Some(i) = self.rng.weighted(&weights) else {
            return false;
        };
        let (action, users) = &choices[i];
        let Some(&u) = self.rng.pick(users) else {
            return false;
        };
        let Some(kind) = self.build(action, c, open) else {
            return false;
        };
        let author = self.users[u].name.clone();
        let change = self
            .replica
            .prepare(c.id, kind, &author, now, self.rng.bytes10());
        self.commit(change);
        true
    }

    fn build(&mut self, action: &str, c: &Complaint, open: &[ComplaintId]) -> Option<EventKind> {
        let n = self.written.len();
        let rng = &mut self.rng;
        let other_dept = |rng: &mut Rng| {
            let others: Vec<&str> = HANDLER_DEPARTMENTS
                .iter()
                .copied()
                .filter(|d| c.department.as_deref() != Some(*d))
                .collect();
            rng.pick(&others).map(|d| d.to_string())
        };
        Some(match action {
            "dispatched" => EventKind::Dispatched {
                department: rng.pick(&HANDLER_DEPARTMENTS)?.to_string(),
                instructions: format!("请尽快处理 #{n}"),
            },
            "accepted" => EventKind::Accepted,
            "started" => EventKind::Started,
            "handled" => EventKind::Handled {
                remedial: format!("已修复 #{n}"),
                corrective: if rng.chance(500) {
                    "加强日常巡查".into()
                } else {
                    String::new()
                },
            },
            "replied" => EventKind::Replied {
                content: format!("已电话答复业主 #{n}"),
            },
            "followed_up" => EventKind::FollowedUp {
                satisfaction: match rng.weighted(&[6, 2, 2]) {
                    Some(0) => Satisfaction::Satisfied,
                    Some(1) => Satisfaction::Basic,
                    _ => Satisfaction::Unsatisfied,
                },
                note: String::new(),
            },
            "closed" => EventKind::Closed {
                summary: format!("完结 #{n}"),
            },
            "transferred" => EventKind::Transferred {
                department: other_dept(rng)?,
                reason: "不属本部门".into(),
            },
            "returned" => EventKind::Returned {
                reason: "信息不全".into(),
            },
            "withdrawn" => EventKind::Withdrawn {
                reason: "业主自行撤诉".into(),
                voluntary: true,
            },
            "note" => EventKind::NoteAdded {
                text: format!("进展记录 #{n}"),
            },
            "edit" => EventKind::Edited(Box::new(ComplaintPatch {
                description: Some(format!("{}的补充说明 #{n}", c.location)),
                wants: rng.chance(500).then(|| format!("尽快解决 #{n}")),
                ..Default::default()
            })),
            "merged" => {
                let others: Vec<ComplaintId> =
                    open.iter().copied().filter(|id| *id != c.id).collect();
                EventKind::Merged {
                    into: *rng.pick(&others)?,
                }
            }
            _ => return None,
        })
    }

    fn create(&mut self, now: Timestamp) {
        let n = self.replica.meta().counter + 1;
        let i = self.index;
        let (location, category) = match self.places.len() {
            len if len > 0 && self.rng.chance(60) => {
                self.places[self.rng.below(len as u64) as usize].clone()
            }
            _ => (
                format!(
                    "D{i} {}栋 {}F {n}号",
                    1 + self.rng.below(9),
                    1 + self.rng.below(30)
                ),
                self.rng
                    .pick(&CATEGORIES)
                    .copied()
                    .unwrap_or("other")
                    .to_string(),
            ),
        };
        self.places.push((location.clone(), category.clone()));
        let severity = match self.rng.weighted(&[70, 20, 10]) {
            Some(0) => Severity::Minor,
            Some(1) => Severity::Important,
            _ => Severity::Major,
        };
        let nature = match self.rng.weighted(&[75, 10, 10, 5]) {
            Some(0) => Nature::Effective,
            Some(1) => Nature::Help,
            Some(2) => Nature::Enquiry,
            _ => Nature::Venting,
        };
        let fields = NewComplaint {
            description: format!("设备{i}的第{n}条投诉"),
            location,
            category,
            severity,
            nature,
            channel: *self.rng.pick(&Channel::ALL).unwrap_or(&Channel::Visit),
            complainant: Complainant {
                name: self.rng.chance(500).then(|| format!("业主{i}-{n}")),
                unit: self.rng.chance(500).then(|| format!("{}-{}", i + 1, n)),
                ..Default::default()
            },
            ..Default::default()
        };
        // Staff take most complaints; a supervisor sometimes does.
        let takers: Vec<usize> = self
            .users
            .iter()
            .enumerate()
            .filter(|(_, u)| u.role != Role::Handler)
            .map(|(k, _)| k)
            .collect();
        let u = self.rng.pick(&takers).copied().unwrap_or(0);
        let author = self.users[u].name.clone();
        let change = self
            .replica
            .prepare_new(fields, &author, now, self.rng.bytes10());
        self.commit(change);
    }

    fn commit(&mut self, change: siteline_model::replica::Change) {
        for s in &change.events {
            self.known.insert(s.event.complaint_id);
            self.written.insert(s.event.id, s.event.clone());
            *self.kinds.entry(s.event.kind.code()).or_default() += 1;
        }
        self.replica.apply(change);
    }
}

/// The wall clock as a model timestamp (capture times are data; ordering never uses them).
pub fn now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    Timestamp(ms)
}
