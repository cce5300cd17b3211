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
            /// Every key (both catalogs have exactly these: one `keys!` line holds both texts).
            pub const ALL: &'static [K] = &[$(K::$k),*];

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
    UsualCategories => "常用", "Usual";
    Close => "关闭", "Close";
    SystemAuthor => "系统", "System";
    DeviceWord => "设备", "device";
    SyncReading => "正在读取本机记录…", "Reading this device's records…";
    SyncSendingOf => "正在发送 {sent}/{of} 条记录", "Sending records: {sent} of {of}";
    SyncReceiving => "正在接收更新…", "Receiving updates…";
    SyncOfflineNone => "离线：记录会存在本机", "Offline: records are kept on this device";
    SyncOfflineSome => "离线：{n} 条记录已存本机，有网后自动发送", "Offline: {n} records on this device, sent when back online";
    SyncAllDone => "已全部同步", "Everything is synced";
    SyncWaiting => "{n} 条记录待发送", "{n} records waiting to be sent";
    PhotosUploading => "正在上传照片：{n} 张，{sent}/{total} MB", "Uploading photos: {n}, {sent}/{total} MB";
    PhotosWaiting => "{n} 张照片待上传", "{n} photos waiting to upload";
    PhotosProgress => "照片上传进度", "Photo upload progress";
    SavedOnDevice => "已保存在本机，待同步", "Saved on this device, waiting to sync";
    TellReplyBy => "请告知投诉人答复时间：", "Tell the complainant the reply time: ";
    DisplaySettings => "显示设置", "Display";
    Theme => "主题", "Theme";
    ThemeStandard => "标准", "Standard";
    ThemeContrast => "高对比（强光下）", "High contrast (bright light)";
    ThemeDark => "夜间", "Night";
    LargeText => "大字", "Large text";
    RecentPlaces => "最近地点", "Recent places";
    SiteTree => "项目位置", "Site locations";
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
    FetchingHistory => "本机未保存该投诉（已结案超过 90 天），正在从服务器读取…", "Not kept on this tablet (finished over 90 days ago): fetching it from the server…";
    HistoryOffline => "本机只保存未结投诉和近 90 天结案的投诉。该投诉需联网后查看。", "This tablet keeps open complaints and those finished in the last 90 days. Connect to see this one.";
    HistoryFailed => "未能从服务器读取该投诉", "Could not fetch this complaint from the server";
    FromServer => "来自服务器的历史记录（未长期保存在本机）", "History from the server (not kept on this tablet for long)";
    FindOlder => "查找更早的投诉（服务器）", "Find older complaints (server)";
    History => "查找历史投诉", "Find past complaints";
    HistoryHint => "本机只保存未结投诉和近 90 天结案的投诉；更早的在服务器上查找。打开一条即保存到本机供本次使用。", "This tablet keeps open complaints and those finished in the last 90 days; find older ones on the server. Opening one keeps it here for this session.";
    HistorySearch => "在服务器上查找", "Search the server";
    HistoryPlaceholder => "编号、描述或地点", "Number, description or place";
    HistorySearchOffline => "离线时无法查找服务器上的历史投诉。", "Past complaints on the server cannot be searched offline.";
    HistorySearching => "正在查找…", "Searching…";
    HistoryNone => "服务器上没有相符的投诉", "No matching complaint on the server";
    HistoryHeld => "本机已有", "on this tablet";
    HistoryTooLong => "查找内容过长（最多 100 字）", "Search text too long (at most 100 characters)";
    Back => "返回", "Back";
    Language => "English", "中文";
    Loading => "正在打开本机数据…", "Opening local data…";
    PageLoading => "正在打开页面…", "Opening the page…";
    PageLoadFailed => "此页面未能载入（本机未缓存且无网络）。其他页面照常可用。", "This page could not be loaded (not cached on this device and no connection). Other pages still work.";
    PageRetry => "重试", "Try again";
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
    Reports => "投诉分析", "Reports";
    RepAllSites => "全部项目", "All my sites";
    RepGenerated => "生成于", "generated";
    RepThisMonth => "本月", "This month";
    RepLastMonth => "上月", "Last month";
    RepThisQuarter => "本季度", "This quarter";
    RepFirstHalf => "上半年", "First half";
    RepSecondHalf => "下半年", "Second half";
    RepThisYear => "本年", "This year";
    RepLastYear => "去年", "Last year";
    RepByMonth => "按月", "By month";
    RepByQuarter => "按季度", "By quarter";
    RepByHalf => "按半年", "By half-year";
    RepByYear => "按年", "By year";
    RepNotDispatched => "未派单", "Not dispatched";
    RepPeriod => "期间", "Period";
    RepFrom => "起始月", "From";
    RepTo => "截止月", "To";
    RepBreakdown => "汇总粒度", "Break down";
    RepPreparing => "正在导出…", "Exporting…";
    RepReportCsv => "报表 CSV", "Report CSV";
    RepReportXlsx => "报表 Excel", "Report Excel";
    RepRegisterXlsx => "投诉登记 Excel", "Register Excel";
    RepMajorsXlsx => "重大投诉周报 Excel", "Weekly major report Excel";
    RepMajorsCsv => "重大投诉周报 CSV", "Weekly major report CSV";
    RepPrint => "打印", "Print";
    RepComplaints => "投诉数", "Complaints";
    RepMajor => "重大", "Major";
    RepClosureRate => "关闭率", "Closure rate";
    RepOnTimeRate => "及时率", "On-time rate";
    RepFollowUpRate => "回访率", "Follow-up rate";
    RepSatisfactionRate => "满意率", "Satisfaction";
    RepRepeatRate => "重复投诉率", "Repeat rate";
    RepAvgReply => "平均答复（小时）", "Avg. reply (hours)";
    RepAvgClose => "平均结案（小时）", "Avg. close (hours)";
    RepOverview => "总览", "Overview";
    RepDurationsTooWide => "范围内投诉超过 20 万件：用时中位数与工作小时平均值请按项目查看", "More than 200,000 complaints in range: see medians and working-hour averages per site";
    RepMedianReply => "答复用时中位数（小时）", "Median reply (hours)";
    RepMedianClose => "结案用时中位数（小时）", "Median close (hours)";
    RepAvgReplyWork => "平均答复（工作小时）", "Avg. reply (working hours)";
    RepAvgCloseWork => "平均结案（工作小时）", "Avg. close (working hours)";
    RepTrend => "趋势", "Trend";
    RepByCategory => "按类别", "By category";
    RepByDepartment => "按部门", "By department";
    RepBySeverity => "按级别", "By severity";
    RepByChannel => "按渠道", "By channel";
    RepByStatus => "按状态", "By status";
    RepBySite => "按项目", "By site";
    RepClosed => "已完结", "Closed";
    RepOpen => "未完结", "Open";
    RepRecurring => "反复出现的问题", "Recurring problems";
    RepPlace => "位置", "Place";
    RepNoneRecurring => "本期没有反复出现的问题（同一位置同一类别两次及以上）", "No recurring problems in this period (the same place and category twice or more)";
    RepCategory => "类别", "Category";
    RepTimes => "次数", "Times";
    RepShare => "分享只读链接", "Share a read-only link";
    RepShareLabel => "标题", "Title";
    RepShareDays => "有效天数（1-365）", "Valid for days (1-365)";
    RepShareCreate => "生成链接", "Create link";
    RepShareMade => "链接已生成（仅显示一次）：", "Link created (shown once):";
    RepShareUntil => "有效至", "Valid until";
    RepShareOpened => "打开次数", "Opened";
    RepShareRevoke => "撤销", "Revoke";
    RepShareRevoked => "已撤销", "Revoked";
    RepBadDays => "有效天数须为 1-365 的整数", "Days valid must be a whole number 1-365";
    RepWeeklyMajors => "重大投诉周报", "Weekly report of major complaints";
    RepOpenMajors => "件未结重大投诉（本机数据）", "open major complaints (data on this device)";
    RepNumber => "编号", "Number";
    RepAgeDays => "已历天数", "Days open";
    RepNextDue => "下一时限", "Next limit";
    RepLastAction => "最近处理", "Last action";
    RepOverdueMark => "已超时", "overdue";
    Fleet => "平板同步状况", "Tablets";
    FleetSilentRule => "持有未同步记录且超过", "Highlighted: unsynced records and no sync for more than";
    FleetHours => "小时未同步的平板排在最前", "hours (listed first)";
    FleetRefresh => "刷新", "Refresh";
    FleetUser => "使用人", "User";
    FleetLastSync => "最近同步", "Last sync";
    FleetUnsynced => "未同步记录", "Unsynced records";
    FleetOldest => "最早一条已等待", "Oldest waiting for";
    FleetStorage => "存储（已用/可用）", "Storage (used / quota)";
    FleetPersisted => "持久存储", "Persistent";
    FleetVersion => "版本", "Version";
    FleetSilent => "长时间未同步", "silent";
    Building => "楼栋", "Building";
    AllBuildings => "全部楼栋", "All buildings";
    AllCategories => "全部类别", "All categories";
    AllChannels => "全部渠道", "All channels";
    DataAsOf => "离线：数据更新于", "Offline: data as of";
    Ago => "前", "ago";
    NeverSynced => "离线：本机尚未同步过", "Offline: this device never synced";
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
    WindowTitle => "本机保留已完结投诉", "Finished complaints kept on this tablet";
    WindowDaysN => "最近 {n} 天", "Last {n} days";
    WindowHint => "未完结和未同步的投诉始终保留。放宽后，下次同步取回更早的投诉；收窄后，下次同步从本机移除更早的（服务器上仍可查询历史）。", "Open and unsent complaints always stay. Wider: the next sync brings older ones; narrower: the next sync removes older ones from this tablet (history stays searchable on the server).";
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
    ExportReading => "正在打包照片 {done}/{of}", "Packing photos: {done} of {of}";
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
    Replies => "常用答复", "Reply templates";
    RepliesIntro => "答复和回访的常用话术：在投诉详情里点一下即可填入，再按需修改。可用占位符：{编号} {位置} {类别}（或 {number} {location} {category}）。", "Ready-made wording for replies and follow-ups: one tap on a complaint fills it in, then edit as needed. Placeholders: {number} {location} {category} (or {编号} {位置} {类别}).";
    ReplyStepReply => "答复", "Reply";
    ReplyStepFollowUp => "回访", "Follow-up";
    ReplyTitle => "按钮文字（可不填）", "Button label (optional)";
    ReplyText => "内容", "Text";
    ReplyAdd => "添加常用答复", "Add template";
    ReplyEdit => "修改", "Edit";
    ReplyDelete => "删除", "Delete";
    ReplyDeleteWarning => "删除后各平板在下次同步时不再显示这条。", "Tablets stop offering it at their next sync.";
    ReplyDeleteConfirm => "确定删除", "Yes, delete";
    ReplyNone => "还没有常用答复。", "No templates yet.";
    RepliesOffline => "需要联网才能修改常用答复（平板离线时仍可使用已有的）。", "Changing templates needs a connection (tablets offline still use the ones they have).";
    RepliesFull => "本项目的常用答复已达上限，请先删除不用的。", "This site has the most templates it may have: delete unused ones first.";
    RepliesGone => "这条已被他人删除，列表已刷新。", "Someone else deleted it; the list is refreshed.";
    RepliesForbidden => "只有该项目的主管或管理员可以修改常用答复。", "Only the site's supervisors and admins change its templates.";
    ReplyTextRequired => "请填写内容", "Enter the text";
    ReplyTextTooLong => "内容最多 500 字", "The text has at most 500 characters";
    ReplyTitleTooLong => "按钮文字最多 16 字", "The label has at most 16 characters";
    ReplyTitleInvalid => "按钮文字只能一行", "The label must be one line";
    ReplyChips => "常用答复（点一下填入）", "Templates (tap to insert)";
    ReplyManage => "管理常用答复", "Manage templates";
    ReplyFor => "用于", "Used on";
    SetupTitle => "首次设置", "First-run setup";
    SetupStepSite => "项目", "Site";
    SetupStepPeople => "人员", "People";
    SetupStepDone => "完成", "Done";
    SetupSiteHint => "先给项目起个名字，并列出它的楼栋、楼层和区域。平板登记时会以大按钮显示这些位置。", "Name the site and list its buildings, floors and areas. Tablets show these places as big buttons at intake.";
    SetupSiteCode => "编号前缀（由服务器配置 SITELINE_SITE_CODE 决定）：", "Number prefix (the server's SITELINE_SITE_CODE):";
    SetupPlaces => "位置", "Places";
    SetupPlaceHint => "每行一个位置，层级用 › 或 > 分开。", "One place per line, levels separated by › or >.";
    SetupPlaceCount => "位置数：", "Places: ";
    SetupNeedsPlaces => "请至少填写一个位置", "Enter at least one place";
    SetupNext => "下一步", "Next";
    SetupPeopleHint => "为客服、主管和各部门班组建立账号。每人用自己的账号登录；平板离线时也能用。", "Create accounts for desk staff, supervisors and department handlers. Everyone logs in with their own; it works on tablets offline too.";
    SetupDoneText => "设置完成。员工在平板上登录一次后，即可离线登记投诉。以后可在“系统管理”里增加项目、人员和时限设置。", "Setup is done. Once staff have logged in on a tablet, they can record complaints offline. Add sites, people and time limits later under Admin.";
    SetupLater => "稍后再说", "Later";
    SetupNeedsNetwork => "需要联网才能完成设置", "Setup needs a connection";
    SetupOpen => "首次设置向导", "First-run setup";
    // Timeline lines ({…} are filled in by `fill`)
    TlRecorded => "受理登记", "Recorded";
    TlEdited => "修改登记内容", "Edited";
    TlStatus => "状态变更为 {status}", "Status changed to {status}";
    TlNote => "备注：{text}", "Note: {text}";
    TlNumber => "分配编号：{number}", "Number assigned: {number}";
    TlDispatched => "派单至 {dept} {text}", "Dispatched to {dept} {text}";
    TlAccepted => "部门签收", "Signed for";
    TlStarted => "开始处理", "Work started";
    TlHandled => "补救措施：{remedial} · 纠正措施：{corrective}", "Remedial: {remedial} · Corrective: {corrective}";
    TlReplied => "答复投诉人：{text}", "Replied: {text}";
    TlFollowedUp => "回访：{satisfaction} {text}", "Follow-up: {satisfaction} {text}";
    TlClosed => "已完结 {text}", "Closed {text}";
    TlTransferred => "转派至 {dept}（{text}）", "Transferred to {dept} ({text})";
    TlReturned => "退单：{text}", "Returned: {text}";
    TlWithdrawn => "撤诉：{text}", "Withdrawn: {text}";
    TlWithdrawnVoluntary => "撤诉：{text}（已核实自愿）", "Withdrawn: {text} (checked voluntary)";
    TlMerged => "合并到 {number}", "Merged into {number}";
    TlEscalated => "自动升级为{severity} — {why}", "raised to {severity} — {why}";
    TlWhyMonth => "一个月未解决", "unresolved for a month";
    TlWhyRepeat => "30 天内二次投诉", "complained again within 30 days";
    TlPhotos => "添加照片 {n}", "Photos added: {n}";
    // Lines with numbers
    Throttled => "登录失败次数过多，请 {secs} 秒后再试", "Too many failed attempts: try again in {secs} seconds";
    ClockAhead => "本机时间比服务器快 {minutes} 分钟：请校正平板时间，否则受理时间不准", "This tablet's clock is {minutes} min ahead of the server's: set it right, or capture times will be wrong";
    ClockBehind => "本机时间比服务器慢 {minutes} 分钟：请校正平板时间，否则受理时间不准", "This tablet's clock is {minutes} min behind the server's: set it right, or capture times will be wrong";
    WaitingLine => "{name} 的 {n} 条记录等待其重新登录", "{n} record(s) of {name} wait for them to log in again";
    PbSyncFailed => "同步未成功：请连接网络后重试", "Sync failed: connect and try again";
    PbPending => "{n} 条记录尚未上传", "{n} record(s) not uploaded";
    PbRejected => "{n} 条记录被服务器拒绝，需要处理", "{n} record(s) refused by the server need attention";
    PbWaitingLogin => "{name} 需要重新登录才能上传记录", "{name} must log in again to upload records";
    PbSiteStale => "项目资料超过 24 小时未更新", "Site data older than 24 hours";
    PbPhotosPending => "{n} 张照片尚未上传", "{n} photo(s) not uploaded";
    PbPhotosRejected => "{n} 张照片被服务器拒绝", "{n} photo(s) refused by the server";
    PbNotPersisted => "未开启持久存储", "Persistent storage is off";
    PbLowSpace => "存储空间不足", "Storage space is low";
    PbNoEstimate => "无法读取存储空间", "Storage space unknown";
    // Durations and countdowns
    DurLessThanMinute => "不到1分", "<1m";
    DurMinutes => "{m}分", "{m}m";
    DurHours => "{h}小时{m}分", "{h}h {m}m";
    DurDays => "{d}天{h}小时", "{d}d {h}h";
    CdLeft => "剩余 {t}", "{t} left";
    CdOverdue => "已超时 {t}", "overdue by {t}";
    CdMet => "已按时完成", "met in time";
    CdDoneLate => "超时完成（超时 {t}）", "done late (by {t})";
}

/// A catalog text with its `{name}` slots filled in one pass, so a value that itself holds braces
/// (a note typed as "{text}") is never filled again; slots not given stay as they are.
pub fn fill(key: K, lang: Lang, slots: &[(&str, &str)]) -> String {
    let template = key.get(lang);
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let slot = after
            .find('}')
            .and_then(|close| Some((slots.iter().find(|(n, _)| *n == &after[..close])?, close)));
        match slot {
            Some(((_, value), close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
