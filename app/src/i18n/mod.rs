//! UI strings in zh-CN (first) and English, as typed keys; labels for model enums and error codes.

use siteline_model::{
    category, department, Channel, EventKind, Role, Satisfaction, Severity, Status,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

macro_rules! keys {
    ($($k:ident => $zh:literal, $en:literal;)*) => {
        /// A UI string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum K { $($k),* }
        impl K {
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((K::$k, Lang::Zh) => $zh, (K::$k, Lang::En) => $en,)*
                }
            }
        }
    };
}

keys! {
    AppName => "Siteline 投诉登记", "Siteline complaints";
    Login => "登录", "Log in";
    Logout => "退出登录", "Log out";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    LoginFailed => "用户名或密码错误", "Wrong username or password";
    LoginOffline => "无法连接服务器，登录需要网络", "Cannot reach the server; logging in needs a connection";
    SessionExpired => "登录已过期：请重新登录。本机未同步的记录会保留。", "Your session expired: log in again. Unsynced records stay on this device.";
    Online => "在线", "Online";
    Offline => "离线", "Offline";
    Syncing => "同步中…", "Syncing…";
    Pending => "待同步", "Unsynced";
    SyncNow => "立即同步", "Sync now";
    MyComplaints => "我的投诉", "My complaints";
    AllComplaints => "全部投诉", "All complaints";
    NewComplaint => "登记投诉", "New complaint";
    Board => "看板", "Board";
    NoComplaints => "暂无投诉记录", "No complaints yet";
    Description => "事件经过", "What happened";
    Location => "地点", "Location";
    Category => "类别", "Category";
    Severity => "级别", "Severity";
    Channel => "渠道", "Channel";
    ComplainantName => "投诉人姓名", "Complainant name";
    ComplainantPhone => "联系电话", "Phone";
    Anonymous => "匿名", "Anonymous";
    Save => "保存", "Save";
    Saving => "正在保存…", "Saving…";
    FixErrors => "请修正标出的内容后再保存，已填写的内容不会丢失。", "Please fix the marked fields; nothing you typed is lost.";
    SaveFailed => "保存到本机失败，内容仍在表单中：", "Could not save on this device; your text is still in the form: ";
    ChooseCategory => "请选择类别", "Choose a category";
    Number => "编号", "Number";
    Provisional => "临时编号", "provisional";
    Status => "状态", "Status";
    CapturedAt => "受理时间", "Received";
    ReceivedAt => "服务器接收", "On server";
    CreatedBy => "受理人", "Taken by";
    SyncSaved => "已存本机", "Saved on device";
    SyncSynced => "已上传", "On server";
    SyncRejected => "被服务器拒绝", "Rejected by server";
    Timeline => "处理记录", "Timeline";
    AddNote => "添加备注", "Add note";
    NotePlaceholder => "处理进展…", "Progress…";
    ChangeStatus => "变更状态", "Change status";
    Apply => "确定", "Apply";
    NotFound => "未找到该投诉（可能尚未同步到本机）", "Complaint not found (it may not be on this device yet)";
    PageNotFound => "页面不存在", "Page not found";
    Back => "返回", "Back";
    Language => "English", "中文";
    EvCreated => "受理登记", "Recorded";
    EvEdited => "修改", "Edited";
    EvStatus => "状态变更为", "Status changed to";
    EvNote => "备注", "Note";
    EvNumber => "分配编号", "Number assigned";
    Loading => "正在打开本机数据…", "Opening local data…";
    StorageFailed => "无法打开本机存储（IndexedDB）。请勿使用无痕模式。", "Cannot open local storage (IndexedDB). Do not use private browsing.";
    OfflineHint => "离线时记录保存在本机，恢复网络后自动上传。", "Offline, records are kept on this device and uploaded when back online.";
    ErrRequired => "必填", "Required";
    ErrTooLong => "内容过长", "Too long";
    ErrPhone => "电话号码格式不正确（手机 11 位或座机区号-号码）", "Invalid phone (11-digit mobile or area code + number)";
    ErrCategory => "未知类别", "Unknown category";
    ErrOther => "内容无效", "Invalid";
}

pub fn status(s: Status, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        Status::Received => ("已受理", "Received"),
        Status::Dispatched => ("已派单", "Dispatched"),
        Status::Accepted => ("已签收", "Signed for"),
        Status::InProgress => ("处理中", "In progress"),
        Status::Handled => ("已处理", "Handled"),
        Status::Replied => ("已答复", "Replied"),
        Status::FollowedUp => ("已回访", "Followed up"),
        Status::Closed => ("已完结", "Closed"),
        Status::Withdrawn => ("已撤诉", "Withdrawn"),
        Status::Merged => ("已合并", "Merged"),
    };
    pick(lang, zh, en)
}

pub fn severity(s: Severity, lang: Lang) -> &'static str {
    let (zh, en) = match s {
        Severity::Major => ("重大", "Major"),
        Severity::Important => ("重要", "Important"),
        Severity::Minor => ("轻微", "Minor"),
    };
    pick(lang, zh, en)
}

pub fn channel(c: Channel, lang: Lang) -> &'static str {
    let (zh, en) = match c {
        Channel::Phone => ("来电", "Phone"),
        Channel::Visit => ("来访", "Visit"),
        Channel::Letter => ("来函", "Letter"),
        Channel::Fax => ("传真", "Fax"),
        Channel::CommentBox => ("意见箱", "Comment box"),
        Channel::Online => ("网上", "Online"),
        Channel::Patrol => ("巡查", "Patrol"),
        Channel::Other => ("其他", "Other"),
    };
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
    let name = |c: &category::Category| pick(lang, c.zh, c.en);
    match category::find(code) {
        Some(c) => match c.parent.and_then(category::find) {
            Some(p) => format!("{} › {}", name(p), name(c)),
            None => name(c).to_string(),
        },
        None => code.to_string(),
    }
}

/// Message for a validation error code from the model.
pub fn validation(code: &str) -> K {
    match code {
        "required" => K::ErrRequired,
        "too_long" => K::ErrTooLong,
        "invalid_phone" => K::ErrPhone,
        "unknown_category" => K::ErrCategory,
        _ => K::ErrOther,
    }
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
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
                "unresolved_month" => l(
                    "有效投诉一个月未解决",
                    "effective complaint unresolved for a month",
                ),
                "repeat_complaint" => l("30天内二次投诉", "repeat complaint within 30 days"),
                other => other.to_string(),
            };
            format!(
                "{} {} ({why})",
                l("自动升级为", "Escalated to"),
                severity(*to, lang)
            )
        }
        EventKind::AttachmentsAdded { attachments } => {
            format!("{} {}", l("添加照片", "Photos added"), attachments.len())
        }
    }
}
