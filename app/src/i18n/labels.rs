//! Labels for model enums and codes (status, severity, deadlines, actions, error codes), category
//! and department names, and the timeline line of every event kind.

use super::{Lang, K};
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
    let z = lang == Lang::Zh;
    let l = |zh: &str, en: &str| if z { zh.to_string() } else { en.to_string() };
    match kind {
        EventKind::Created(_) => l("受理登记", "Recorded"),
        EventKind::Edited(_) => l("修改登记内容", "Edited"),
        EventKind::StatusChanged { to, .. } => format!(
            "{} {}",
            l("状态变更为", "Status changed to"),
            status(*to, lang)
        ),
        EventKind::NoteAdded { text } => format!("{}: {text}", l("备注", "Note")),
        EventKind::NumberAssigned { number } => {
            format!("{}: {number}", l("分配编号", "Number assigned"))
        }
        EventKind::Dispatched {
            department,
            instructions,
        } => {
            format!(
                "{} {} {instructions}",
                l("派单至", "Dispatched to"),
                department_name(department, lang)
            )
        }
        EventKind::Accepted => l("部门签收", "Signed for"),
        EventKind::Started => l("开始处理", "Work started"),
        EventKind::Handled {
            remedial,
            corrective,
        } => format!(
            "{}: {remedial} · {}: {corrective}",
            l("补救措施", "Remedial"),
            l("纠正措施", "Corrective")
        ),
        EventKind::Replied { content } => format!("{}: {content}", l("答复投诉人", "Replied")),
        EventKind::FollowedUp {
            satisfaction: s,
            note,
        } => format!(
            "{}: {} {note}",
            l("回访", "Follow-up"),
            satisfaction(*s, lang)
        ),
        EventKind::Closed { summary } => format!("{} {summary}", l("已完结", "Closed")),
        EventKind::Transferred { department, reason } => {
            format!(
                "{} {} ({reason})",
                l("转派至", "Transferred to"),
                department_name(department, lang)
            )
        }
        EventKind::Returned { reason } => format!("{}: {reason}", l("退单", "Returned")),
        EventKind::Withdrawn { reason, voluntary } => format!(
            "{}: {reason}{}",
            l("撤诉", "Withdrawn"),
            if *voluntary {
                l("（已核实自愿）", " (checked voluntary)")
            } else {
                String::new()
            }
        ),
        EventKind::Merged { into } => format!("{} {into}", l("合并到", "Merged into")),
        EventKind::Escalated { to, rule, .. } => {
            let why = match rule.as_str() {
                "unresolved_month" => l("一个月未解决", "unresolved for a month"),
                "repeat_complaint" => l("30 天内二次投诉", "complained again within 30 days"),
                other => other.to_string(),
            };
            if z {
                format!("自动升级为{} — {why}", severity(*to, lang))
            } else {
                format!("raised to {} — {why}", severity(*to, lang).to_lowercase())
            }
        }
        EventKind::AttachmentsAdded { attachments } => {
            format!("{} {}", l("添加照片", "Photos added"), attachments.len())
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
    match lang {
        Lang::Zh => format!("登录失败次数过多，请 {secs} 秒后再试"),
        Lang::En => format!("Too many failed attempts: try again in {secs} seconds"),
    }
}

/// "本机时间比服务器快 3 分钟" — the tablet's clock against the server's.
pub fn clock_offset_text(offset_ms: i64, lang: Lang) -> String {
    let minutes = (offset_ms.unsigned_abs() + 30_000) / 60_000;
    let ahead = offset_ms > 0;
    match lang {
        Lang::Zh => format!(
            "本机时间比服务器{} {minutes} 分钟：请校正平板时间，否则受理时间不准",
            if ahead { "快" } else { "慢" }
        ),
        Lang::En => format!(
            "This tablet's clock is {minutes} min {} the server's: set it right, or capture times will be wrong",
            if ahead { "ahead of" } else { "behind" }
        ),
    }
}

/// "张三 的 3 条记录等待其重新登录"
pub fn waiting_line(name: &str, records: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name} 的 {records} 条记录等待其重新登录"),
        Lang::En => format!("{records} record(s) of {name} wait for them to log in again"),
    }
}

/// One line of the readiness result.
pub fn problem(p: &crate::logic::readiness::Problem, lang: Lang) -> String {
    use crate::logic::readiness::Problem as P;
    let z = lang == Lang::Zh;
    match p {
        P::SyncFailed => pick(
            lang,
            "同步未成功：请连接网络后重试",
            "Sync failed: connect and try again",
        )
        .into(),
        P::UpdateRequired => K::UpdateRequired.get(lang).into(),
        P::PendingRecords(n) if z => format!("{n} 条记录尚未上传"),
        P::PendingRecords(n) => format!("{n} record(s) not uploaded"),
        P::RejectedRecords(n) if z => format!("{n} 条记录被服务器拒绝，需要处理"),
        P::RejectedRecords(n) => format!("{n} record(s) refused by the server need attention"),
        P::WaitingLogin(who) if z => format!("{who} 需要重新登录才能上传记录"),
        P::WaitingLogin(who) => format!("{who} must log in again to upload records"),
        P::SiteDataStale => pick(
            lang,
            "项目资料超过 24 小时未更新",
            "Site data older than 24 hours",
        )
        .into(),
        P::PhotosPending(n) if z => format!("{n} 张照片尚未上传"),
        P::PhotosPending(n) => format!("{n} photo(s) not uploaded"),
        P::PhotosRejected(n) if z => format!("{n} 张照片被服务器拒绝"),
        P::PhotosRejected(n) => format!("{n} photo(s) refused by the server"),
        P::NotPersisted => pick(lang, "未开启持久存储", "Persistent storage is off").into(),
        P::LowSpace => pick(lang, "存储空间不足", "Storage space is low").into(),
        P::NoEstimate => pick(lang, "无法读取存储空间", "Storage space unknown").into(),
    }
}
