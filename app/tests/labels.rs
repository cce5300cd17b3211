//! Tests of the catalog's filled lines: timeline lines of every event kind, readiness problems,
//! and `fill` (one pass, typed braces kept), in both languages.

use siteline_app::i18n::{event_line, fill, problem, Lang, K};
use siteline_app::logic::readiness::Problem;
use siteline_model::{EventKind, Satisfaction, Severity, Status};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn fill_is_one_pass_and_keeps_unknown_and_typed_braces() {
    // A note typed as "{text} {n}" is shown as typed, not filled again.
    assert_eq!(
        fill(K::TlNote, Lang::Zh, &[("text", "{text} {n}")]),
        "备注：{text} {n}"
    );
    assert_eq!(fill(K::TlNote, Lang::En, &[]), "Note: {text}");
    assert_eq!(
        fill(
            K::TlHandled,
            Lang::En,
            &[("remedial", "a"), ("corrective", "b")]
        ),
        "Remedial: a · Corrective: b"
    );
}

#[wasm_bindgen_test]
fn every_event_kind_reads_as_a_sentence_in_both_languages() {
    let cases: Vec<(EventKind, &str, &str)> = vec![
        (
            EventKind::Escalated {
                to: Severity::Major,
                rule: "unresolved_month".into(),
                related: None,
            },
            "自动升级为重大 — 一个月未解决",
            "raised to major — unresolved for a month",
        ),
        (
            EventKind::Escalated {
                to: Severity::Important,
                rule: "repeat_complaint".into(),
                related: None,
            },
            "30 天内二次投诉",
            "complained again within 30 days",
        ),
        (
            EventKind::Dispatched {
                department: "engineering".into(),
                instructions: "今天修好".into(),
            },
            "派单至 工程部 今天修好",
            "Dispatched to Engineering 今天修好",
        ),
        (
            EventKind::Transferred {
                department: "cleaning".into(),
                reason: "不是工程问题".into(),
            },
            "转派至 保洁部（不是工程问题）",
            "Transferred to Cleaning (不是工程问题)",
        ),
        (
            EventKind::FollowedUp {
                satisfaction: Satisfaction::Satisfied,
                note: "好".into(),
            },
            "回访：满意 好",
            "Follow-up: Satisfied 好",
        ),
        (
            EventKind::Withdrawn {
                reason: "已解决".into(),
                voluntary: true,
            },
            "撤诉：已解决（已核实自愿）",
            "Withdrawn: 已解决 (checked voluntary)",
        ),
        (
            EventKind::StatusChanged {
                to: Status::Closed,
                reason: None,
            },
            "状态变更为 ",
            "Status changed to ",
        ),
        (
            EventKind::NumberAssigned {
                number: "SL-2026-0001".into(),
            },
            "分配编号：SL-2026-0001",
            "Number assigned: SL-2026-0001",
        ),
        (
            EventKind::AttachmentsAdded {
                attachments: vec![],
            },
            "添加照片 0",
            "Photos added: 0",
        ),
        (EventKind::Accepted, "部门签收", "Signed for"),
    ];
    for (kind, zh, en) in cases {
        let (z, e) = (event_line(&kind, Lang::Zh), event_line(&kind, Lang::En));
        assert!(z.contains(zh), "{z:?} should contain {zh:?}");
        assert!(e.contains(en), "{e:?} should contain {en:?}");
        assert!(
            !z.contains('{') && !e.contains('{'),
            "unfilled slot in {z:?} / {e:?}"
        );
    }
}

#[wasm_bindgen_test]
fn readiness_problems_carry_their_counts_and_names() {
    assert_eq!(
        problem(&Problem::PendingRecords(3), Lang::Zh),
        "3 条记录尚未上传"
    );
    assert_eq!(
        problem(&Problem::PhotosRejected(2), Lang::En),
        "2 photo(s) refused by the server"
    );
    assert_eq!(
        problem(&Problem::WaitingLogin("张三".into()), Lang::Zh),
        "张三 需要重新登录才能上传记录"
    );
}
