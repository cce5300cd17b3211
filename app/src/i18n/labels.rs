//! Labels for model enums and codes (status, severity, deadlines, actions, error codes), category
//! and department names, and the timeline line of every event kind.

use super::{fill, Lang, K};
use siteline_model::api::CustomCategory;
use siteline_model::timelimit::{DeadlineKind, DeadlineState};
use siteline_model::{
    category, department, Channel, CustomerType, EventKind, Nature, Role, Satisfaction, Severity,
    Status,
};

pub fn status(s: Status, lang: Lang) -> &'static str {
    let (zh, en) = siteline_model::names::status(s);
    pick(lang, zh, en)
}

pub fn severity(s: Severity, lang: Lang) -> &'static str {
    let (zh, en) = siteline_model::names::severity(s);
    pick(lang, zh, en)
}

pub fn channel(c: Channel, lang: Lang) -> &'static str {
    let (zh, en) = siteline_model::names::channel(c);
    pick(lang, zh, en)
}

pub fn role(r: Role, lang: Lang) -> &'static str {
    let (zh, en) = match r {
        Role::Admin => ("管理员", "Admin"),
        Role::Supervisor => ("主管", "Supervisor"),
        Role::Staff => ("客服", "Staff"),
        Role::Handler => ("班组", "Department handler"),
    };
    pick(lang, zh, en)
}

/// A category's name, with its parent for sub-categories (`设备设施 › 电梯`); unknown codes as is.
pub fn category_name(code: &str, lang: Lang) -> String {
    category_name_with(code, lang, &[])
}

/// Like `category_name`, also knowing the site's own categories (`custom.*`).
pub fn category_name_with(code: &str, lang: Lang, custom: &[CustomCategory]) -> String {
    let name = |c: &category::Category| pick(lang, c.zh, c.en);
    if let Some(c) = custom.iter().find(|c| c.code == code) {
        let own = if lang == Lang::Zh { &c.zh } else { &c.en };
        return match category::find(&c.parent) {
            Some(p) => format!("{} › {own}", name(p)),
            None => own.clone(),
        };
    }
    match category::find(code) {
        Some(c) => match c.parent.and_then(category::find) {
            Some(p) => format!("{} › {}", name(p), name(c)),
            None => name(c).to_string(),
        },
        None => code.to_string(),
    }
}

/// Message for a validation or workflow error code from the model (or the app's own checks).
pub fn validation(code: &str) -> K {
    match code {
        "required" => K::ErrRequired,
        "too_long" => K::ErrTooLong,
        "invalid_phone" => K::ErrPhone,
        "unknown_category" => K::ErrCategory,
        "invalid_time" => K::ErrTime,
        "unknown_department" => K::ErrDepartment,
        "illegal_transition" => K::ErrIllegal,
        "already_closed" => K::ErrClosed,
        "same_department" => K::ErrSameDept,
        "self_merge" => K::ErrSelfMerge,
        "server_only" => K::ErrServerOnly,
        "forbidden" => K::ErrForbidden,
        "target_not_found" => K::ErrTargetNotFound,
        _ => K::ErrOther,
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn nature(n: Nature, lang: Lang) -> &'static str {
    let (zh, en) = match n {
        Nature::Effective => ("有效投诉", "Effective"),
        Nature::Help => ("求助型", "Asking for help"),
        Nature::Enquiry => ("咨询型", "Enquiry"),
        Nature::Venting => ("发泄型", "Venting"),
    };
    pick(lang, zh, en)
}

pub fn customer_type(t: CustomerType, lang: Lang) -> &'static str {
    let (zh, en) = match t {
        CustomerType::Owner => ("业主", "Owner"),
        CustomerType::Tenant => ("租户", "Tenant"),
        CustomerType::Visitor => ("访客", "Visitor"),
        CustomerType::Other => ("其他", "Other"),
    };
    pick(lang, zh, en)
}

pub fn deadline_kind(k: DeadlineKind, lang: Lang) -> &'static str {
    let (zh, en) = match k {
        DeadlineKind::Dispatch => ("派单（10分钟内）", "Dispatch (10 minutes)"),
        DeadlineKind::Reply => ("答复投诉人", "Reply to complainant"),
        DeadlineKind::Promised => ("承诺答复时间", "Promised reply"),
        DeadlineKind::MajorRespond => ("重大：响应", "Major: respond"),
        DeadlineKind::MajorAnswer => ("重大：明确答复", "Major: clear answer"),
        DeadlineKind::MajorClose => ("重大：结案", "Major: close"),
    };
    pick(lang, zh, en)
}

pub fn deadline_state(s: DeadlineState, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        DeadlineState::Ok => ("正常", "On track"),
        DeadlineState::DueSoon => ("即将到期", "Due soon"),
        DeadlineState::Overdue => ("已超时", "Overdue"),
        DeadlineState::Met => ("已按时完成", "Met in time"),
    };
    pick(lang, zh, en)
}

/// The button label of a lifecycle action (by event code).
pub fn action(code: &str, lang: Lang) -> &'static str {
    let (zh, en) = match code {
        "dispatched" => ("派单", "Dispatch"),
        "accepted" => ("签收", "Sign for"),
        "started" => ("开始处理", "Start work"),
        "handled" => ("处理完成", "Mark handled"),
        "replied" => ("答复投诉人", "Reply"),
        "followed_up" => ("回访", "Follow up"),
        "closed" => ("完结", "Close"),
        "transferred" => ("转派", "Transfer"),
        "returned" => ("退单", "Return"),
        "withdrawn" => ("撤诉", "Withdraw"),
        "merged" => ("合并到…", "Merge into…"),
        _ => ("操作", "Action"),
    };
    pick(lang, zh, en)
}
pub fn department_name(code: &str, lang: Lang) -> String {
    department::find(code)
        .map(|d| pick(lang, d.zh, d.en).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn satisfaction(s: Satisfaction, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        Satisfaction::Satisfied => ("满意", "Satisfied"),
        Satisfaction::Basic => ("基本满意", "Basically satisfied"),
        Satisfaction::Unsatisfied => ("不满意", "Unsatisfied"),
    };
    pick(lang, zh, en)
}

/// One line of the timeline for an event.
pub fn event_line(kind: &EventKind, lang: Lang) -> String {
    let f = |key: K, slots: &[(&str, &str)]| fill(key, lang, slots);
    match kind {
        EventKind::Created(_) => f(K::TlRecorded, &[]),
        EventKind::Edited(_) => f(K::TlEdited, &[]),
        EventKind::StatusChanged { to, .. } => f(K::TlStatus, &[("status", status(*to, lang))]),
        EventKind::NoteAdded { text } => f(K::TlNote, &[("text", text)]),
        EventKind::NumberAssigned { number } => f(K::TlNumber, &[("number", number)]),
        EventKind::Dispatched {
            department,
            instructions,
        } => f(
            K::TlDispatched,
            &[
                ("dept", &department_name(department, lang)),
                ("text", instructions),
            ],
        ),
        EventKind::Accepted => f(K::TlAccepted, &[]),
        EventKind::Started => f(K::TlStarted, &[]),
        EventKind::Handled {
            remedial,
            corrective,
        } => f(
            K::TlHandled,
            &[("remedial", remedial), ("corrective", corrective)],
        ),
        EventKind::Replied { content } => f(K::TlReplied, &[("text", content)]),
        EventKind::FollowedUp {
            satisfaction: s,
            note,
        } => f(
            K::TlFollowedUp,
            &[("satisfaction", satisfaction(*s, lang)), ("text", note)],
        ),
        EventKind::Closed { summary } => f(K::TlClosed, &[("text", summary)]),
        EventKind::Transferred { department, reason } => f(
            K::TlTransferred,
            &[
                ("dept", &department_name(department, lang)),
                ("text", reason),
            ],
        ),
        EventKind::Returned { reason } => f(K::TlReturned, &[("text", reason)]),
        EventKind::Withdrawn { reason, voluntary } => {
            let key = if *voluntary {
                K::TlWithdrawnVoluntary
            } else {
                K::TlWithdrawn
            };
            f(key, &[("text", reason)])
        }
        EventKind::Merged { into } => f(K::TlMerged, &[("number", &into.to_string())]),
        EventKind::Escalated { to, rule, .. } => {
            let why = match rule.as_str() {
                "unresolved_month" => K::TlWhyMonth.get(lang),
                "repeat_complaint" => K::TlWhyRepeat.get(lang),
                other => other,
            };
            let level = match lang {
                Lang::Zh => severity(*to, lang).to_string(),
                Lang::En => severity(*to, lang).to_lowercase(),
            };
            f(K::TlEscalated, &[("severity", &level), ("why", why)])
        }
        EventKind::AttachmentsAdded { attachments } => {
            f(K::TlPhotos, &[("n", &attachments.len().to_string())])
        }
    }
}

/// Message for a push rejection code from the server (`None`: show the server's own message).
pub fn rejection(code: &str) -> Option<K> {
    match code {
        "validation" => Some(K::RejValidation),
        "author_mismatch" => Some(K::RejAuthor),
        "forbidden" => Some(K::RejForbidden),
        "unknown_category" => Some(K::RejCategory),
        "id_conflict" => Some(K::RejConflict),
        "duplicate_created" => Some(K::RejDuplicate),
        "unknown_complaint" => Some(K::RejUnknownComplaint),
        "unknown_merge_target" => Some(K::RejMergeTarget),
        "clock_out_of_range" => Some(K::RejClock),
        _ => None,
    }
}

/// Message for an upload refusal code.
pub fn upload_error(code: &str) -> Option<K> {
    match code {
        "too_large" => Some(K::ErrPhotoTooLarge),
        "unsupported_type" => Some(K::ErrPhotoType),
        "hash_mismatch" => Some(K::ErrPhotoHash),
        "missing_on_device" => Some(K::ErrPhotoMissing),
        _ => None,
    }
}

/// "登录失败次数过多，请 42 秒后再试"
pub fn throttled_text(secs: u64, lang: Lang) -> String {
    fill(K::Throttled, lang, &[("secs", &secs.to_string())])
}

/// "本机时间比服务器快 3 分钟" — the tablet's clock against the server's.
pub fn clock_offset_text(offset_ms: i64, lang: Lang) -> String {
    let minutes = ((offset_ms.unsigned_abs() + 30_000) / 60_000).to_string();
    let key = if offset_ms > 0 {
        K::ClockAhead
    } else {
        K::ClockBehind
    };
    fill(key, lang, &[("minutes", &minutes)])
}

/// "张三 的 3 条记录等待其重新登录"
pub fn waiting_line(name: &str, records: usize, lang: Lang) -> String {
    fill(
        K::WaitingLine,
        lang,
        &[("name", name), ("n", &records.to_string())],
    )
}

/// One line of the readiness result.
pub fn problem(p: &crate::logic::readiness::Problem, lang: Lang) -> String {
    use crate::logic::readiness::Problem as P;
    let count = |key: K, n: &usize| fill(key, lang, &[("n", &n.to_string())]);
    match p {
        P::SyncFailed => K::PbSyncFailed.get(lang).into(),
        P::UpdateRequired => K::UpdateRequired.get(lang).into(),
        P::PendingRecords(n) => count(K::PbPending, n),
        P::RejectedRecords(n) => count(K::PbRejected, n),
        P::WaitingLogin(who) => fill(K::PbWaitingLogin, lang, &[("name", who)]),
        P::SiteDataStale => K::PbSiteStale.get(lang).into(),
        P::PhotosPending(n) => count(K::PbPhotosPending, n),
        P::PhotosRejected(n) => count(K::PbPhotosRejected, n),
        P::NotPersisted => K::PbNotPersisted.get(lang).into(),
        P::LowSpace => K::PbLowSpace.get(lang).into(),
        P::NoEstimate => K::PbNoEstimate.get(lang).into(),
    }
}
