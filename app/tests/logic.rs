//! Tests of the app's plain logic (intake, actions, deadline wording, board, notice), run in the
//! browser like the store tests.

use siteline_app::i18n::{Lang, K};
use siteline_app::logic::{actions, board, intake, notice, time};
use siteline_app::store::prefs::Draft;
use siteline_model::api::{CustomCategory, UserInfo};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::timelimit::{Clock, Deadline, DeadlineKind, DeadlineState};
use siteline_model::{
    fold_one, Complaint, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Role,
    Severity, Status, Timestamp,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MIN: i64 = 60_000;

/// 2026-03-02 (a Monday) 10:00 China time.
fn t0() -> Timestamp {
    Timestamp(time::local_midnight(2026, 3, 2, CHINA_OFFSET_MINUTES).0 + 10 * 60 * MIN)
}

fn ev(cid: ComplaintId, n: u64, author: &str, kind: EventKind) -> Event {
    Event {
        id: EventId::new_v7(t0().0 + n as i64, [n as u8; 10]),
        complaint_id: cid,
        device_id: DeviceId::new_v7(1, [1; 10]),
        author: author.into(),
        captured_at: Timestamp(t0().0 + n as i64 * MIN),
        lamport: n,
        kind,
    }
}

fn created(cid: ComplaintId, number: &str, location: &str) -> Event {
    ev(
        cid,
        1,
        "staff1",
        EventKind::Created(Box::new(NewComplaint {
            provisional_number: number.into(),
            description: "漏水".into(),
            location: location.into(),
            category: "facility.water".into(),
            ..Default::default()
        })),
    )
}

fn complaint(seed: u8, more: Vec<EventKind>) -> Complaint {
    let cid = ComplaintId::new_v7(t0().0, [seed; 10]);
    let mut evs = vec![created(cid, &format!("P-AAAA-000{seed}"), "B2 车库")];
    for (i, k) in more.into_iter().enumerate() {
        evs.push(ev(cid, i as u64 + 2, "someone", k));
    }
    fold_one(&evs).expect("folds")
}

fn dispatched() -> EventKind {
    EventKind::Dispatched {
        department: "engineering".into(),
        instructions: String::new(),
    }
}

#[wasm_bindgen_test]
fn datetime_local_is_china_time() {
    let t = time::parse_local("2026-03-02T10:00", CHINA_OFFSET_MINUTES).unwrap();
    assert_eq!(t, t0());
    assert_eq!(
        time::to_local_input(t, CHINA_OFFSET_MINUTES),
        "2026-03-02T10:00"
    );
    assert_eq!(
        time::parse_local("2026-03-02T10:00:30", CHINA_OFFSET_MINUTES),
        Some(Timestamp(t0().0 + 30_000))
    );
    for bad in [
        "",
        "2026-02-30T10:00",
        "2026-03-02T24:00",
        "2026-03-02",
        "x",
    ] {
        assert_eq!(time::parse_local(bad, CHINA_OFFSET_MINUTES), None, "{bad}");
    }
}

#[wasm_bindgen_test]
fn countdowns_read_like_people_talk() {
    assert_eq!(time::duration_text(135 * MIN, Lang::Zh), "2小时15分");
    assert_eq!(time::duration_text(30 * MIN + 59_000, Lang::Zh), "30分");
    assert_eq!(time::duration_text(27 * 60 * MIN, Lang::En), "1d 3h");
    assert_eq!(time::duration_text(10_000, Lang::Zh), "不到1分");
    let d = |state, done_at| Deadline {
        kind: DeadlineKind::Reply,
        due_at: t0(),
        state,
        done_at,
    };
    let now = Timestamp(t0().0 - 135 * MIN);
    let left = time::countdown(&d(DeadlineState::Ok, None), now);
    assert_eq!(time::countdown_text(left, Lang::Zh), "剩余 2小时15分");
    let late = time::countdown(
        &d(DeadlineState::Overdue, None),
        Timestamp(t0().0 + 30 * MIN),
    );
    assert_eq!(time::countdown_text(late, Lang::Zh), "已超时 30分");
    assert_eq!(time::countdown_text(late, Lang::En), "overdue by 30m");
    let met = time::countdown(&d(DeadlineState::Met, Some(now)), now);
    assert_eq!(time::countdown_text(met, Lang::Zh), "已按时完成");
    assert_eq!(
        time::deadline_kind_code(DeadlineKind::MajorRespond),
        "major_respond"
    );
    assert_eq!(
        time::deadline_state_code(DeadlineState::DueSoon),
        "due_soon"
    );
}

fn draft() -> Draft {
    Draft {
        description: " 电梯异响 ".into(),
        location: "1栋 › 3F › 电梯厅".into(),
        category: "facility.lift".into(),
        complainant_name: "王女士".into(),
        complainant_phone: "138 0013 8000".into(),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
fn intake_builds_the_full_register_record() {
    let labels = vec!["1栋".to_string(), "1栋 › 3F › 电梯厅".to_string()];
    let mut d = draft();
    d.promised_reply_at = "2026-03-03T09:30".into();
    d.customer_type = "tenant".into();
    d.nature = "help".into();
    d.complainant_unit = "1-302".into();
    let n = intake::to_new(&d, "DEMO", &labels).unwrap();
    assert_eq!(n.description, "电梯异响");
    assert_eq!(n.location_path, vec!["1栋", "3F", "电梯厅"]);
    assert_eq!(n.severity, Severity::Minor, "severity defaults to 轻微");
    assert_eq!(n.complainant.phone.as_deref(), Some("13800138000"));
    assert_eq!(n.complainant.unit.as_deref(), Some("1-302"));
    assert_eq!(
        n.complainant.customer_type.map(|t| t.code()),
        Some("tenant")
    );
    assert_eq!(n.nature.code(), "help");
    assert_eq!(n.site, "DEMO");
    assert_eq!(
        n.promised_reply_at,
        time::parse_local("2026-03-03T09:30", CHINA_OFFSET_MINUTES)
    );

    // Anonymous: name and phone are not recorded, even if typed.
    d.anonymous = true;
    let n = intake::to_new(&d, "", &[]).unwrap();
    assert!(
        n.complainant.anonymous && n.complainant.name.is_none() && n.complainant.phone.is_none()
    );
    assert_eq!(
        n.complainant.customer_type, None,
        "no 客户类型 for an anonymous complainant"
    );
    assert!(n.location_path.is_empty(), "free text has no path");

    // A bad promised time is reported on its field, with the intake rules' own errors.
    d.promised_reply_at = "2026-13-01T10:00".into();
    d.location = " ".into();
    let e = intake::to_new(&d, "", &[]).unwrap_err();
    assert_eq!(e.for_field("promised_reply_at"), Some("invalid_time"));
    assert_eq!(e.for_field("location"), Some("required"));
}

#[wasm_bindgen_test]
fn location_suggestions_and_category_tree() {
    let s = intake::suggestions(
        &["B2 车库".into(), "1栋".into(), "B2 车库".into()],
        &["1栋".into(), "2栋".into()],
        12,
    );
    assert_eq!(s, vec!["B2 车库", "1栋", "2栋"]);
    let custom = vec![CustomCategory {
        code: "custom.bikes".into(),
        parent: "facility".into(),
        zh: "非机动车".into(),
        en: "Bikes".into(),
    }];
    assert_eq!(intake::top_chips().len(), 5);
    let subs = intake::sub_chips("facility", &custom);
    assert_eq!(subs.len(), 8);
    assert_eq!(subs.last().unwrap().code, "custom.bikes");
    assert_eq!(
        intake::top_of("custom.bikes", &custom).as_deref(),
        Some("facility")
    );
    assert_eq!(
        intake::top_of("facility.lift", &[]).as_deref(),
        Some("facility")
    );
    assert_eq!(intake::top_of("charge", &[]).as_deref(), Some("charge"));
    assert_eq!(intake::top_of("nope", &[]), None);
}

#[wasm_bindgen_test]
fn intake_learns_usual_categories_recent_places_and_walks_the_site_tree() {
    let at = |m: i64| Timestamp(t0().0 + m * MIN);
    let cats = vec![
        (at(1), "facility.lift".to_string()),
        (at(2), "service.noise".to_string()),
        (at(3), "facility.lift".to_string()),
        (at(4), "service.cleaning".to_string()),
        (at(5), "".to_string()),
    ];
    // Most used first; ties go to the most recent.
    assert_eq!(
        intake::most_used(cats.clone(), 2),
        vec!["facility.lift", "service.cleaning"]
    );
    assert_eq!(intake::most_used(cats, 9).len(), 3);
    let places = vec![
        (at(1), "B2 车库".to_string()),
        (at(3), " 1栋 › 3F ".to_string()),
        (at(2), "B2 车库".to_string()),
    ];
    assert_eq!(intake::most_recent(places, 5), vec!["1栋 › 3F", "B2 车库"]);
    let tree: Vec<String> = [
        "1栋",
        "1栋 › 1F",
        "1栋 › 1F › 大堂",
        "1栋 › 3F",
        "2栋",
        "B2 车库",
    ]
    .map(String::from)
    .to_vec();
    let parts = |v: Vec<(String, String)>| v.into_iter().map(|(_, p)| p).collect::<Vec<_>>();
    assert_eq!(
        parts(intake::tree_step(&tree, "")),
        vec!["1栋", "2栋", "B2 车库"]
    );
    assert_eq!(parts(intake::tree_step(&tree, "1栋")), vec!["1F", "3F"]);
    assert_eq!(
        intake::tree_step(&tree, "1栋 › 1F"),
        vec![("1栋 › 1F › 大堂".to_string(), "大堂".to_string())]
    );
    assert!(intake::tree_step(&tree, "1栋 › 1F › 大堂").is_empty());
    // Free text is not a node: the walk starts again from the top.
    assert_eq!(intake::tree_step(&tree, "门口").len(), 3);
    assert_eq!(
        intake::tree_path("1栋 › 1F"),
        vec![
            ("1栋".to_string(), "1栋".to_string()),
            ("1栋 › 1F".to_string(), "1F".to_string())
        ]
    );
}

#[wasm_bindgen_test]
fn actions_offered_follow_role_and_status() {
    let c = complaint(1, vec![]);
    assert_eq!(c.status, Status::Received);
    let staff = actions::offered(Role::Staff, &c);
    assert!(
        staff.contains(&"dispatched") && staff.contains(&"merged"),
        "{staff:?}"
    );
    assert!(!staff.contains(&"accepted"));
    assert_eq!(
        actions::offered(Role::Admin, &c),
        actions::offered(Role::Supervisor, &c)
    );
    assert!(actions::offered(Role::Handler, &c).is_empty());
    assert_eq!(actions::default_department("dispatched", &c), "engineering");

    let d = complaint(2, vec![dispatched()]);
    assert_eq!(
        actions::offered(Role::Handler, &d),
        vec!["accepted", "returned"]
    );
    assert_ne!(
        actions::default_department("transferred", &d),
        "engineering"
    );
}

#[wasm_bindgen_test]
fn action_forms_are_checked_before_commit() {
    let received = complaint(1, vec![]);
    let accepted = complaint(2, vec![dispatched(), EventKind::Accepted]);
    let mut i = actions::ActionInput::default();

    // 处理: the remedial action is required; the corrective one is kept separately.
    let e = actions::prepare(Role::Handler, &accepted, "handled", &i, None).unwrap_err();
    assert_eq!((e[0].field, e[0].code), ("remedial", "required"));
    i.remedial = "更换水管".into();
    i.corrective = "每月巡检".into();
    let k = actions::prepare(Role::Handler, &accepted, "handled", &i, None).unwrap();
    assert_eq!(
        k,
        EventKind::Handled {
            remedial: "更换水管".into(),
            corrective: "每月巡检".into()
        }
    );
    // Not in this status, and not for this role.
    let e = actions::prepare(Role::Handler, &received, "handled", &i, None).unwrap_err();
    assert_eq!(e[0].code, "illegal_transition");
    i.content = "已处理".into();
    let e = actions::prepare(Role::Handler, &accepted, "replied", &i, None).unwrap_err();
    assert_eq!(e[0].code, "illegal_transition");

    // 派单 needs a known department; 转派 not to the same one.
    i.department = "nowhere".into();
    let e = actions::prepare(Role::Staff, &received, "dispatched", &i, None).unwrap_err();
    assert_eq!(
        (e[0].field, e[0].code),
        ("department", "unknown_department")
    );
    i.department = "engineering".into();
    i.reason = "不归我们".into();
    let e = actions::prepare(Role::Staff, &accepted, "transferred", &i, None).unwrap_err();
    assert_eq!((e[0].field, e[0].code), ("department", "same_department"));

    // 回访 needs a satisfaction.
    let e = actions::build("followed_up", &actions::ActionInput::default(), None).unwrap_err();
    assert_eq!(e[0].field, "satisfaction");
}

#[wasm_bindgen_test]
fn merge_targets_resolve_by_number_or_id() {
    let a = complaint(1, vec![]);
    let b = complaint(2, vec![]);
    let all = [a.clone(), b.clone()];
    assert_eq!(actions::resolve_target(" p-aaaa-0002 ", &all), Some(b.id));
    assert_eq!(actions::resolve_target(&b.id.to_string(), &all), Some(b.id));
    assert_eq!(actions::resolve_target("DEMO-2026-000009", &all), None);
    let mut i = actions::ActionInput {
        into: "DEMO-2026-000009".into(),
        ..Default::default()
    };
    let e = actions::prepare(Role::Staff, &a, "merged", &i, None).unwrap_err();
    assert_eq!((e[0].field, e[0].code), ("into", "target_not_found"));
    i.into = a.provisional_number.clone();
    let e = actions::prepare(Role::Staff, &a, "merged", &i, Some(a.id)).unwrap_err();
    assert_eq!((e[0].field, e[0].code), ("into", "self_merge"));
    let k = actions::prepare(Role::Staff, &a, "merged", &i, Some(b.id)).unwrap();
    assert_eq!(k, EventKind::Merged { into: b.id });
}

#[wasm_bindgen_test]
fn board_columns_filters_and_work_lists() {
    let cols = board::columns();
    assert_eq!(cols.len(), 8);
    assert_eq!(cols.last(), Some(&board::Column::Ended));
    assert_eq!(board::column_of(Status::Merged), board::Column::Ended);

    let open = complaint(1, vec![]);
    let sent = complaint(2, vec![dispatched()]);
    let clock = Clock::china();
    // An hour after capture the 10-minute dispatch limit has passed for the undispatched one.
    let cards = board::cards([&open, &sent], &clock, Timestamp(t0().0 + 60 * MIN));
    let card = |id| cards.iter().find(|c| c.complaint.id == id).unwrap();
    assert!(card(open.id).overdue_now);
    assert_eq!(card(open.id).worst, Some(DeadlineState::Overdue));
    assert!(!card(sent.id).overdue_now);
    let f = board::Filter {
        overdue_only: true,
        ..Default::default()
    };
    assert!(f.matches(card(open.id)) && !f.matches(card(sent.id)));
    let f = board::Filter {
        department: "none".into(),
        severity: "minor".into(),
        ..Default::default()
    };
    assert!(f.matches(card(open.id)) && !f.matches(card(sent.id)));

    let handler = UserInfo {
        username: "eng1".into(),
        display_name: "工程".into(),
        role: Role::Handler,
        department: Some("engineering".into()),
        sites: vec!["SL".into()],
        disabled: false,
    };
    let ids: Vec<_> = board::work_list(&handler, [&open, &sent])
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, vec![sent.id]);
    let staff = UserInfo {
        username: "staff1".into(),
        role: Role::Staff,
        department: None,
        ..handler
    };
    assert_eq!(board::work_list(&staff, [&open, &sent]).len(), 2);
}

#[wasm_bindgen_test]
fn notice_facts_take_the_latest_round() {
    let cid = ComplaintId::new_v7(t0().0, [9; 10]);
    let evs = vec![
        created(cid, "P-AAAA-0009", "B2"),
        ev(
            cid,
            2,
            "staff1",
            EventKind::Dispatched {
                department: "engineering".into(),
                instructions: "今天到场".into(),
            },
        ),
        ev(cid, 3, "eng1", EventKind::Accepted),
        ev(
            cid,
            4,
            "eng1",
            EventKind::Handled {
                remedial: "a".into(),
                corrective: "b".into(),
            },
        ),
        ev(cid, 5, "staff2", EventKind::Accepted),
    ];
    let c = fold_one(&evs).unwrap();
    assert_eq!(
        c.conflicts.len(),
        1,
        "a second 签收 after 处理 is a conflict"
    );
    let f = notice::facts(&c, &evs);
    assert_eq!(f.instructions, "今天到场");
    assert_eq!(f.dispatched.as_ref().map(|s| s.by.as_str()), Some("staff1"));
    assert_eq!(
        f.accepted.as_ref().map(|s| s.by.as_str()),
        Some("eng1"),
        "the conflict is ignored"
    );
    assert_eq!(f.handled.as_ref().map(|s| s.by.as_str()), Some("eng1"));
    assert!(f.followed_up.is_none());
}

#[wasm_bindgen_test]
fn throttled_logins_and_clock_offsets_are_said_in_both_languages() {
    use siteline_app::i18n::{clock_offset_text, rejection, throttled_text, Lang};
    assert_eq!(
        throttled_text(42, Lang::Zh),
        "登录失败次数过多，请 42 秒后再试"
    );
    assert!(throttled_text(42, Lang::En).contains("42 seconds"));
    assert!(clock_offset_text(180_000, Lang::Zh).contains("快 3 分钟"));
    assert!(clock_offset_text(-150_000, Lang::Zh).contains("慢 3 分钟"));
    assert!(clock_offset_text(-150_000, Lang::En).contains("behind"));
    for code in [
        "duplicate_created",
        "unknown_complaint",
        "unknown_merge_target",
        "clock_out_of_range",
    ] {
        assert!(rejection(code).is_some(), "{code} has a message");
    }
}

#[wasm_bindgen_test]
fn both_catalogs_have_every_key_and_no_empty_text() {
    assert!(K::ALL.len() > 100);
    for k in K::ALL {
        let (zh, en) = (k.get(Lang::Zh), k.get(Lang::En));
        assert!(!zh.trim().is_empty(), "{k:?} has no Chinese text");
        assert!(!en.trim().is_empty(), "{k:?} has no English text");
        // Placeholders ({n}, {sent}, …) are the same in both.
        let holes = |t: &str| {
            let mut v: Vec<String> = t
                .split('{')
                .skip(1)
                .filter_map(|r| r.split_once('}').map(|(h, _)| h.to_string()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(holes(zh), holes(en), "{k:?}: placeholders differ");
    }
}

#[wasm_bindgen_test]
fn the_owner_is_told_the_promised_time_else_the_reply_deadline() {
    let d = |kind, m: i64| Deadline {
        kind,
        due_at: Timestamp(t0().0 + m * MIN),
        state: DeadlineState::Ok,
        done_at: None,
    };
    let reply = d(DeadlineKind::Reply, 60);
    assert_eq!(
        intake::reply_to_tell(&[d(DeadlineKind::Dispatch, 10), reply.clone()]),
        Some(reply.due_at)
    );
    let promised = d(DeadlineKind::Promised, 30);
    assert_eq!(
        intake::reply_to_tell(&[reply, promised.clone()]),
        Some(promised.due_at)
    );
    assert_eq!(intake::reply_to_tell(&[]), None);
}

#[wasm_bindgen_test]
fn the_header_says_in_words_what_sync_is_doing() {
    use siteline_app::logic::progress::{progress, status_line, Phase};
    assert_eq!(progress(Some(40), 28), Some((12, 40)));
    assert_eq!(
        progress(Some(40), 55),
        Some((0, 40)),
        "new records while sending"
    );
    assert_eq!(progress(Some(0), 0), None, "nothing to send: no bar");
    assert_eq!(progress(None, 3), None);
    let zh = |phase, pending, p| status_line(phase, pending, p, Lang::Zh);
    assert_eq!(
        zh(Phase::Syncing, Some(28), Some((12, 40))),
        "正在发送 12/40 条记录"
    );
    assert_eq!(
        zh(Phase::Offline, Some(3), None),
        "离线：3 条记录已存本机，有网后自动发送"
    );
    assert_eq!(zh(Phase::Online, Some(0), None), "已全部同步");
    assert_eq!(
        status_line(Phase::Syncing, Some(1), Some((3, 4)), Lang::En),
        "Sending records: 3 of 4"
    );
    assert!(zh(Phase::Online, None, None).contains("读取"));
}
