//! Who may read what: a user's sites, role and department decide which complaints they see and
//! which personal details (name, phone) of a complainant are shown to them. Server and app agree.

use crate::api::{Person, UserInfo};
use crate::complaint::{Complainant, Complaint, Role};
use crate::event::{Event, EventKind};

/// Whether `user` may read a complaint held under `site` (its resolved site code).
/// Admins read everything; staff and supervisors the complaints of their sites; a handler those
/// of their sites that are, or once were, dispatched to their department.
pub fn may_read(user: &UserInfo, site: &str, c: &Complaint) -> bool {
    if user.disabled {
        return false;
    }
    match user.role {
        Role::Admin => true,
        Role::Supervisor | Role::Staff => belongs_to(user, site),
        Role::Handler => belongs_to(user, site) && handles(user, c),
    }
}

/// Whether the user works at `site` (admins work everywhere).
pub fn belongs_to(user: &UserInfo, site: &str) -> bool {
    user.role == Role::Admin || user.sites.iter().any(|s| s == site)
}

/// The people a site's devices name: everyone who works there (disabled users too, so their
/// past entries keep their names), by login name. Only names: no role, department or sites.
pub fn people_of(users: &[UserInfo], site: &str) -> Vec<Person> {
    let mut people: Vec<Person> = users
        .iter()
        .filter(|u| belongs_to(u, site))
        .map(|u| Person {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
        })
        .collect();
    people.sort_by(|a, b| a.username.cmp(&b.username));
    people
}

/// Whether a handler's department ever had the complaint.
fn handles(user: &UserInfo, c: &Complaint) -> bool {
    user.department
        .as_deref()
        .is_some_and(|d| c.departments.iter().any(|x| x == d))
}

/// Which personal details of a complainant a reader may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Personal {
    pub name: bool,
    pub phone: bool,
}

impl Personal {
    pub const ALL: Personal = Personal {
        name: true,
        phone: true,
    };
    pub const NONE: Personal = Personal {
        name: false,
        phone: false,
    };
    pub fn is_all(self) -> bool {
        self.name && self.phone
    }
}

/// What `user` may see of the complainant of `c`: an anonymous (匿名) complainant's name and
/// phone only by the staff who took it, supervisors and admins; a handler sees a phone only
/// while the complaint is with their department.
pub fn personal(user: &UserInfo, c: &Complaint) -> Personal {
    let anonymous = c.complainant.anonymous;
    match user.role {
        Role::Admin | Role::Supervisor => Personal::ALL,
        Role::Staff => {
            let shown = !anonymous || c.created_by == user.username;
            Personal {
                name: shown,
                phone: shown,
            }
        }
        Role::Handler => Personal {
            name: !anonymous,
            phone: !anonymous
                && user.department.is_some()
                && c.department.as_deref() == user.department.as_deref(),
        },
    }
}

/// Blanks what may not be seen.
pub fn redact_complainant(p: Personal, who: &mut Complainant) {
    if !p.name {
        who.name = None;
    }
    if !p.phone {
        who.phone = None;
    }
}

/// The complaint as `user` may see it (personal details blanked as [`personal`] says).
pub fn redact_complaint(user: &UserInfo, c: &mut Complaint) {
    let p = personal(user, c);
    if !p.is_all() {
        redact_complainant(p, &mut c.complainant);
    }
}

/// An event of complaint `c` as `user` may see it: the complainant fields of `created` and of
/// edits blanked as [`personal`] says for the complaint's current state.
pub fn redact_event(user: &UserInfo, c: &Complaint, ev: &mut Event) {
    redact_event_as(personal(user, c), ev);
}

/// Blanks the complainant fields of `created` and of edits that `p` does not allow.
pub fn redact_event_as(p: Personal, ev: &mut Event) {
    if p.is_all() {
        return;
    }
    match &mut ev.kind {
        EventKind::Created(new) => redact_complainant(p, &mut new.complainant),
        EventKind::Edited(patch) => {
            if let Some(who) = &mut patch.complainant {
                redact_complainant(p, who);
            }
        }
        _ => {}
    }
}

/// A fingerprint of what a user may read (role, department, sites): a device that stored
/// another one with its cursor pulls again from the start.
pub fn scope_key(user: &UserInfo) -> String {
    let mut sites: Vec<&str> = user.sites.iter().map(String::as_str).collect();
    sites.sort_unstable();
    sites.dedup();
    let sites = if user.role == Role::Admin {
        "*".to_string()
    } else {
        sites.join(",")
    };
    format!(
        "{}:{}:{}",
        user.role.code(),
        user.department.as_deref().unwrap_or(""),
        sites
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::Complainant;
    use crate::event::NewComplaint;
    use crate::fold::fold_one;
    use crate::ids::{ComplaintId, DeviceId, EventId};
    use crate::time::Timestamp;

    fn user(role: Role, sites: &[&str], dept: Option<&str>) -> UserInfo {
        UserInfo {
            username: format!("{}1", role.code()),
            display_name: String::new(),
            role,
            department: dept.map(String::from),
            sites: sites.iter().map(|s| s.to_string()).collect(),
            disabled: false,
        }
    }

    fn complaint(anonymous: bool, by: &str, dispatched: Option<&str>) -> Complaint {
        let at = Timestamp(1_770_000_000_000);
        let mk = |lamport, kind| Event {
            id: EventId::new_v7(at.millis(), [lamport as u8; 10]),
            complaint_id: ComplaintId::new_v7(at.millis(), [9; 10]),
            device_id: DeviceId::new_v7(at.millis(), [1; 10]),
            author: by.into(),
            captured_at: at,
            lamport,
            kind,
        };
        let mut evs = vec![mk(
            1,
            EventKind::Created(Box::new(NewComplaint {
                description: "漏水".into(),
                location: "1栋".into(),
                category: "facility.lift".into(),
                complainant: Complainant {
                    name: Some("王女士".into()),
                    phone: Some("13800138000".into()),
                    anonymous,
                    ..Default::default()
                },
                ..Default::default()
            })),
        )];
        if let Some(d) = dispatched {
            evs.push(mk(
                2,
                EventKind::Dispatched {
                    department: d.into(),
                    instructions: String::new(),
                },
            ));
        }
        fold_one(&evs).expect("folds")
    }

    #[test]
    fn sites_and_departments_bound_reads() {
        let c = complaint(false, "staff1", Some("engineering"));
        assert!(may_read(&user(Role::Admin, &[], None), "B", &c));
        assert!(may_read(&user(Role::Staff, &["A"], None), "A", &c));
        assert!(!may_read(&user(Role::Staff, &["A"], None), "B", &c));
        assert!(may_read(
            &user(Role::Supervisor, &["A", "B"], None),
            "B",
            &c
        ));
        let eng = user(Role::Handler, &["A"], Some("engineering"));
        assert!(may_read(&eng, "A", &c));
        assert!(!may_read(&eng, "B", &c));
        let cs = user(Role::Handler, &["A"], Some("customer_service"));
        assert!(!may_read(&cs, "A", &c));
        let undispatched = complaint(false, "staff1", None);
        assert!(!may_read(&eng, "A", &undispatched));
        let mut off = user(Role::Staff, &["A"], None);
        off.disabled = true;
        assert!(!may_read(&off, "A", &c));
    }

    #[test]
    fn anonymous_details_only_for_the_taker_and_supervisors() {
        let c = complaint(true, "staff1", Some("engineering"));
        let taker = user(Role::Staff, &["A"], None);
        assert!(personal(&taker, &c).is_all());
        let mut other = taker.clone();
        other.username = "staff2".into();
        let mut seen = c.clone();
        redact_complaint(&other, &mut seen);
        assert_eq!(seen.complainant.name, None);
        assert_eq!(seen.complainant.phone, None);
        assert!(personal(&user(Role::Supervisor, &["A"], None), &c).is_all());
        let eng = user(Role::Handler, &["A"], Some("engineering"));
        assert_eq!(
            personal(&eng, &c),
            Personal {
                name: false,
                phone: false
            }
        );
    }

    #[test]
    fn handlers_see_the_phone_only_while_it_is_theirs() {
        let c = complaint(false, "staff1", Some("engineering"));
        let eng = user(Role::Handler, &["A"], Some("engineering"));
        assert!(personal(&eng, &c).is_all());
        let mut moved = c.clone();
        moved.department = Some("security".into());
        assert_eq!(
            personal(&eng, &moved),
            Personal {
                name: true,
                phone: false
            }
        );
    }

    #[test]
    fn scope_key_ignores_site_order() {
        let a = user(Role::Staff, &["B", "A"], None);
        let b = user(Role::Staff, &["A", "B", "A"], None);
        assert_eq!(scope_key(&a), scope_key(&b));
        assert_ne!(scope_key(&a), scope_key(&user(Role::Staff, &["A"], None)));
    }
}

#[cfg(test)]
mod people_tests {
    use super::*;

    fn user(name: &str, role: Role, sites: &[&str]) -> UserInfo {
        UserInfo {
            username: name.into(),
            display_name: format!("{name}-名"),
            role,
            department: Some("engineering".into()),
            sites: sites.iter().map(|s| s.to_string()).collect(),
            disabled: name.starts_with('x'),
        }
    }

    #[test]
    fn a_site_names_its_own_people_and_the_admins_only() {
        let users = vec![
            user("zhang", Role::Staff, &["A"]),
            user("admin", Role::Admin, &[]),
            user("li", Role::Supervisor, &["B"]),
            user("xgone", Role::Handler, &["A", "B"]),
        ];
        let names = |site| {
            people_of(&users, site)
                .into_iter()
                .map(|p| p.username)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("A"), vec!["admin", "xgone", "zhang"]);
        assert_eq!(names("B"), vec!["admin", "li", "xgone"]);
        assert_eq!(names("C"), vec!["admin"]);
        let a = people_of(&users, "A");
        assert_eq!(a[2].display_name, "zhang-名");
    }
}
