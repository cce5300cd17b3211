//! UI strings in zh-CN (first) and English, as typed keys. Labels for model enums, error codes and
//! timeline lines are in `labels` (re-exported here).

mod labels;

pub use labels::*;

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
    LoginOffline => "无法连接服务器，且该用户未曾在本机登录过，无法离线登录", "Cannot reach the server, and this user never logged in on this device: no offline login";
    SessionExpired => "登录已过期：请重新登录。本机未同步的记录会保留。", "Your session expired: log in again. Unsynced records stay on this device.";
    Online => "在线", "Online";
    Offline => "离线", "Offline";
    Syncing => "同步中…", "Syncing…";
    Pending => "待同步", "Unsynced";
    SyncNow => "立即同步", "Sync now";
    MyComplaints => "我的投诉", "My complaints";
    DeptWork => "本部门工单", "My department's work";
    NoDeptWork => "暂无派给本部门的投诉", "Nothing dispatched to your department";
    NoDeptSet => "您的账号未设置部门，请联系管理员。", "Your account has no department; ask an administrator.";
    OpenBoard => "打开看板", "Open the board";
    AllComplaints => "全部投诉", "All complaints";
    NewComplaint => "登记投诉", "New complaint";
    Board => "看板", "Board";
    NoComplaints => "暂无投诉记录", "No complaints yet";
    ShowMore => "显示更多", "Show more";
    Description => "事件经过", "What happened";
    Location => "地点", "Location";
    LocationHint => "可选项目位置或最近地点，也可直接输入", "Pick a site location or a recent one, or type freely";
    Category => "类别", "Category";
    SubCategory => "子类别", "Sub-category";
    Severity => "级别", "Severity";
    Channel => "渠道", "Channel";
    Complainant => "投诉人", "Complainant";
    ComplainantName => "投诉人姓名", "Complainant name";
    ComplainantPhone => "联系电话", "Phone";
    ComplainantUnit => "房号", "Unit / room";
    CustomerType => "客户类型", "Customer type";
    Anonymous => "匿名", "Anonymous";
    AnonymousHint => "匿名：不记录姓名和电话", "Anonymous: name and phone are not recorded";
    Wants => "业主要求", "What the complainant wants";
    Against => "被投诉部门/人", "Department or person complained about";
    Nature => "投诉性质", "Nature";
    PromisedReplyAt => "承诺答复时间", "Reply promised by";
    ChinaTime => "北京时间", "China time (UTC+8)";
    Site => "项目", "Site";
    Save => "保存", "Save";
    Saving => "正在保存…", "Saving…";
    FixErrors => "请修正标出的内容后再保存，已填写的内容不会丢失。", "Please fix the marked fields; nothing you typed is lost.";
    SaveFailed => "保存到本机失败，内容仍在表单中：", "Could not save on this device; your text is still in the form: ";
    ChooseCategory => "请选择类别", "Choose a category";
    DuplicateTitle => "可能重复：同一地点、同一类别已有未结束的投诉", "Possible duplicate: open complaints at the same place and category";
    DuplicateHint => "如为同一事件，可保存后在详情页“合并到…”。", "If it is the same matter, save and merge it from the detail page.";
    Number => "编号", "Number";
    Provisional => "临时编号", "provisional";
    ProvisionalMark => "临时", "provisional";
    Status => "状态", "Status";
    CapturedAt => "受理时间", "Received";
    ReceivedAt => "服务器接收", "On server";
    NotOnServer => "尚未上传", "not yet on the server";
    CreatedBy => "受理人", "Taken by";
    SyncSaved => "已存本机", "Saved on device";
    SyncSynced => "已上传", "On server";
    SyncRejected => "被服务器拒绝", "Rejected by server";
    Timeline => "处理记录", "Timeline";
    AddNote => "添加备注", "Add note";
    NotePlaceholder => "处理进展…", "Progress…";
    NotFound => "未找到该投诉（可能尚未同步到本机）", "Complaint not found (it may not be on this device yet)";
    PageNotFound => "页面不存在", "Page not found";
    Back => "返回", "Back";
    Language => "English", "中文";
    Loading => "正在打开本机数据…", "Opening local data…";
    StorageFailed => "无法打开本机存储（IndexedDB）。请勿使用无痕模式。", "Cannot open local storage (IndexedDB). Do not use private browsing.";
    OfflineHint => "离线时记录保存在本机，恢复网络后自动上传。", "Offline, records are kept on this device and uploaded when back online.";
    ErrRequired => "必填", "Required";
    ErrTooLong => "内容过长", "Too long";
    ErrPhone => "电话号码格式不正确（手机 11 位或座机区号-号码）", "Invalid phone (11-digit mobile or area code + number)";
    ErrCategory => "未知类别", "Unknown category";
    ErrTime => "时间格式不正确", "Invalid date and time";
    ErrDepartment => "请选择有效的部门", "Choose a valid department";
    ErrIllegal => "当前状态下不能执行此操作", "Not possible in the current status";
    ErrClosed => "该投诉已结束", "This complaint is already closed";
    ErrSameDept => "不能转派给当前部门", "Cannot transfer to the same department";
    ErrSelfMerge => "不能合并到自身", "A complaint cannot be merged into itself";
    ErrServerOnly => "只能由服务器记录", "Only the server records this";
    ErrForbidden => "您的角色无权执行此操作", "Your role may not do this";
    ErrTargetNotFound => "本机找不到该编号的投诉（可能尚未同步）", "No complaint with that number on this device (maybe not synced yet)";
    ErrOther => "内容无效", "Invalid";
    // Detail page
    Department => "责任部门", "Department";
    Instructions => "处理要求", "Instructions";
    Remedial => "补救措施", "Remedial action";
    RemedialHint => "本次如何解决", "How this case was fixed";
    Corrective => "纠正措施", "Corrective action";
    CorrectiveHint => "如何防止再次发生", "How to stop it recurring";
    ReplyContent => "答复内容", "Reply";
    Satisfaction => "满意度", "Satisfaction";
    FollowUpNote => "回访意见", "Follow-up note";
    Summary => "完结总结", "Closing summary";
    Reason => "原因", "Reason";
    Voluntary => "已核实为投诉人自愿撤诉", "Checked that the withdrawal is voluntary";
    MergeInto => "合并到（目标投诉编号）", "Merge into (target complaint number)";
    MergeHint => "正式编号或临时编号，如 DEMO-2026-000001", "Canonical or provisional number, e.g. DEMO-2026-000001";
    Submit => "提交", "Submit";
    Cancel => "取消", "Cancel";
    Actions => "可执行操作", "Actions";
    NoActions => "当前没有您可执行的操作", "Nothing for you to do now";
    ActionFailed => "无法提交：", "Cannot submit: ";
    Deadlines => "处理时限", "Time limits";
    DueAt => "期限", "Due";
    NoDeadlines => "无时限", "No time limits";
    ConflictNote => "冲突：未生效", "Conflict: not applied";
    Device => "设备", "Device";
    ServerDevice => "服务器", "server";
    PrintNotice => "打印通知单", "Print notice";
    Escalated => "已升级", "Escalated";
    Reopened => "重开", "Reopened";
    MergedInto => "已合并到", "Merged into";
    Yes => "是", "Yes";
    No => "否", "No";
    Register => "登记内容", "Register";
    Handling => "处理情况", "Handling";
    // Board
    Ended => "已结束", "Ended";
    AllSeverities => "全部级别", "All severities";
    AllDepartments => "全部部门", "All departments";
    NoDepartment => "未派单", "Not dispatched";
    OverdueOnly => "只看超时", "Overdue only";
    // Notice
    NoticeTitle => "投诉处理通知单", "Complaint handling notice";
    Print => "打印", "Print";
    Dispatch => "派单", "Dispatch";
    DispatchedAt => "派单时间", "Dispatched";
    HandledAt => "完成时间", "Handled";
    RepliedAt => "答复时间", "Replied";
    FollowUp => "回访", "Follow-up";
    Dispatcher => "派单人", "Dispatched by";
    Receiver => "签收人", "Signed for by";
    HandlerSign => "处理人", "Handled by";
    Visitor => "回访人", "Followed up by";
    Signature => "签名", "Signature";
    Date => "日期", "Date";
    Recorded => "系统记录", "Recorded";
    // Photos
    Photos => "照片", "Photos";
    AddPhotos => "添加照片", "Add photos";
    TakePhoto => "拍照或选择照片", "Take or choose photos";
    PhotoProcessing => "正在处理照片…", "Processing photos…";
    PhotoUnreadable => "无法读取该图片：", "Cannot read this picture: ";
    PhotoRemove => "移除", "Remove";
    PhotoNotLocal => "照片尚未下载到本机", "Photo not on this device yet";
    PhotosTooMany => "最多 20 张照片", "At most 20 photos";
    PhotoRejected => "照片未被服务器接收：", "Photo refused by the server: ";
    PhotoUploading => "照片待上传", "Photos waiting to upload";
    ClosePhoto => "关闭", "Close";
    ErrPhotoTooLarge => "照片太大（超过 10 MB）", "Photo too large (over 10 MB)";
    ErrPhotoType => "不支持的图片格式", "Unsupported picture format";
    ErrPhotoHash => "照片校验失败（内容与记录不一致）", "Photo check failed (content does not match)";
    ErrPhotoMissing => "本机已找不到该照片", "The photo is no longer on this device";
    DeviceFull => "本机存储空间已满，未能保存。已填写的内容仍在表单中，请清理空间后再保存。", "This device's storage is full: nothing was saved. What you typed is still in the form; free some space and save again.";
    // Sync state of a record
    SyncSending => "正在上传", "Sending";
    Captured => "受理", "Captured";
    SafeOnServer => "服务器已回执：记录安全", "The server has it: the record is safe";
    NotSafeYet => "尚无服务器回执：记录只在本机", "No receipt yet: the record is only on this device";
    RejectedTitle => "服务器拒绝了此记录：", "The server refused this record: ";
    FixRecord => "修改后重新提交", "Fix and resubmit";
    DiscardRecord => "放弃此记录", "Discard this record";
    ConfirmDiscardText => "确定放弃？被拒绝的内容将从本机删除，无法恢复。", "Discard it? The refused data is deleted from this device and cannot be recovered.";
    ConfirmDiscard => "确定放弃", "Yes, discard";
    FixingRecord => "正在修改被拒绝的记录：保存后作为新记录提交，原记录将被删除。", "Fixing a refused record: saving submits it as a new record and deletes the refused one.";
    RejValidation => "内容不符合要求", "The content is not valid";
    RejAuthor => "记录人与登录用户不一致", "The author does not match the login";
    RejForbidden => "您的角色无权执行此操作", "Your role may not do this";
    RejCategory => "服务器上没有该类别", "The server does not know this category";
    RejConflict => "记录编号冲突", "The record id is already used";
    Admin => "系统管理", "Administration";
    Saved => "已保存", "Saved";
    AdminOnly => "仅管理员可用", "For administrators only";
    AdminUsers => "用户", "Users";
    AdminNewUser => "新建用户", "New user";
    AdminName => "名称", "Name";
    AdminRole => "角色", "Role";
    AdminDepartment => "部门", "Department";
    AdminSites => "项目", "Sites";
    AdminDisable => "停用", "Disable";
    AdminEnable => "启用", "Enable";
    AdminResetPassword => "重置密码", "Reset password";
    AdminCreate => "创建", "Create";
    AdminNewSite => "新建项目", "New site";
    AdminSiteCode => "项目编码（A-Z、0-9）", "Site code (A-Z, 0-9)";
    AdminLocations => "个位置", "locations";
    AdminLocationLines => "位置（每行一个，如 1栋 › 3F › 电梯厅）", "Locations (one a line, e.g. 1栋 › 3F › 电梯厅)";
    AdminBadUsername => "用户名须为 2-32 位小写字母、数字或 _ . -", "Usernames are 2-32 of a-z, 0-9, _ . -";
    AdminBadPassword => "密码至少 8 位", "Passwords have at least 8 characters";
    AdminNeedsSite => "请至少选择一个项目", "Choose at least one site";
    AdminNeedsDepartment => "班组人员须选择部门", "A handler needs a department";
    AdminBadSiteCode => "项目编码须为 1-16 位大写字母或数字", "Site codes are 1-16 of A-Z, 0-9";
    AdminNeedsName => "请填写名称", "Enter a name";
    AdminSiteSettings => "项目设置", "Site settings";
    AdminPolicy => "处理时限", "Time limits";
    PolNotice => "通知单下达（分钟）", "Notice to the department (minutes)";
    PolReplyVerbal => "来电/来访答复（工作日）", "Reply to a call or visit (working days)";
    PolReplyMax => "答复最长（工作日）", "Reply at the latest (working days)";
    PolMajorRespond => "重大：首次响应（小时）", "Major: first response (hours)";
    PolMajorAnswer => "重大：明确答复（工作日）", "Major: clear answer (working days)";
    PolMajorClose => "重大：结案（工作日）", "Major: closed (working days)";
    PolEscalate => "未解决自动升级为重大（天）", "Unresolved becomes major after (days)";
    PolRepeat => "二次投诉判定期（天）", "Repeat-complaint window (days)";
    PolDueSoonPercent => "临期提醒：时限已用（%）", "Due soon: share of the limit used (%)";
    PolDueSoonMinutes => "临期提醒：剩余（分钟）", "Due soon: minutes left";
    AdminHours => "工作时间", "Working hours";
    AdminHoursStart => "上班", "From";
    AdminHoursEnd => "下班", "To";
    AdminSave => "保存", "Save";
    AdminDays => "节假日与调休", "Holidays and make-up working days";
    AdminDate => "日期", "Date";
    AdminDayOff => "休息日", "Day off";
    AdminDayWork => "工作日（调休）", "Working day (make-up)";
    AdminAdd => "添加", "Add";
    AdminRemove => "删除", "Remove";
    AdminCategories => "本项目类别", "Site categories";
    AdminCategoryParent => "上级类别", "Under";
    AdminCategorySlug => "编码（a-z、0-9、_）", "Code (a-z, 0-9, _)";
    AdminCategoryZh => "中文名称", "Chinese name";
    AdminCategoryEn => "英文名称", "English name";
    AdminBadPolicy => "请填写范围内的整数：", "Enter a whole number in range: ";
    AdminBadHours => "时间格式为 HH:MM，且下班晚于上班", "Times are HH:MM, the end after the start";
    AdminBadDate => "日期格式为 YYYY-MM-DD", "Dates are YYYY-MM-DD";
    AdminBadSlug => "编码须为 1-32 位小写字母、数字或 _", "Codes are 1-32 of a-z, 0-9, _";
    AdminBadParent => "请选择上级类别", "Choose the category it belongs under";
    AdminNeedsZh => "请填写中文名称（最多 50 字）", "Enter the Chinese name (at most 50 characters)";
    RejDuplicate => "该投诉已经登记过", "This complaint was already recorded";
    RejUnknownComplaint => "服务器上没有这条投诉（可能已无权查看）", "The server has no such complaint (or you may no longer see it)";
    RejMergeTarget => "要合并到的投诉不存在或无权查看", "The complaint to merge into does not exist or is not yours to see";
    RejClock => "平板时间不对：受理时间超出允许范围，请校正时间后修改", "The tablet's clock is off: the capture time is out of range; set the clock and fix the record";
    // Status page
    DeviceStatus => "本机状态", "Device status";
    StoragePersisted => "持久存储", "Persistent storage";
    PersistOn => "已开启", "On";
    PersistOff => "未开启", "Off";
    PersistHint => "未开启时，浏览器在空间不足时可能清除本机数据。请把本站加入主屏幕或书签后重试。", "When off, the browser may clear this site's data when space runs low. Add the site to the home screen or bookmarks and try again.";
    AskPersist => "申请开启", "Ask again";
    StorageSpace => "存储空间", "Storage";
    Used => "已用", "used";
    Free => "可用", "free";
    Unknown => "未知", "unknown";
    UnsyncedByUser => "各用户未同步记录", "Unsynced records by user";
    NoUnsynced => "没有未同步的记录", "No unsynced records";
    LastSync => "上次成功同步", "Last successful sync";
    Never => "从未", "never";
    StorageLow => "本机存储空间不足：请尽快同步，并清理设备空间。", "Storage on this device is running out: sync soon and free some space.";
    ExportUnsynced => "导出未同步记录", "Export unsynced records";
    ExportHint => "无法同步时，导出为 ZIP 文件交主管导入服务器。", "When syncing is impossible, export a ZIP for a supervisor to import.";
    ExportDone => "已导出事件数：", "Events exported: ";
    ExportFailed => "导出失败：", "Export failed: ";
    CheckReadiness => "班前检查", "Pre-shift check";
    Checking => "正在检查…", "Checking…";
    ReadyOk => "可以离线工作", "Ready to work offline";
    NotReady => "尚未就绪：", "Not ready:";
    UpdateRequired => "请更新应用：服务器已不再接受此版本。本机记录都会保留。", "Please update the app: the server no longer accepts this version. Records on this device are kept.";
    Reload => "重新加载", "Reload";
    UpdateAvailable => "新版本可用", "A new version is available";
    UpdateNow => "更新", "Update";
    UpdateAfterSave => "登记表中有未保存的内容：保存后将自动更新。", "The intake form has unsaved input: the update happens after you save.";
    OfflineLogin => "离线登录", "Offline login";
    OfflineLoginNote => "无法连接服务器：已用本机保存的凭据离线登录。记录会在联网后上传。", "Server unreachable: logged in offline with the credentials kept on this device. Records upload once online.";
    LoginOfflineHint => "无法连接服务器：离线登录，密码在本机核对（仅限曾在本机登录过的用户）。", "Server unreachable: offline login, the password is checked on this device (only for users who logged in here before).";
}
