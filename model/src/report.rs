//! Complaint analysis reports (半年/年度分析): per-complaint facts, the report shape and its rates.
//!
//! Storage keeps `ReportFacts` beside each complaint's projection and aggregates them; the
//! figures every reader sees (rates, averages, periods) are computed here, once.

use crate::complaint::{Complaint, Satisfaction, Severity, Status};
use crate::time::{Timestamp, CHINA_OFFSET_MINUTES};
use crate::timelimit::Clock;
use serde::{Deserialize, Serialize};

/// Escalation rule code of a 二次投诉 (written by the server).
pub const RULE_REPEAT: &str = "repeat_complaint";

/// What a report needs to know about one complaint, independent of when the report is made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFacts {
    /// Top-level category code (`facility` for `facility.lift`).
    pub category_top: String,
    /// Month of capture in China time, as `yyyymm`.
    pub month: u32,
    /// Some time limit was met only after it ran out.
    pub late: bool,
    /// The earliest due time of limits not met yet (late once the report's "now" passes it).
    pub open_due_at: Option<Timestamp>,
    /// Escalated as a 二次投诉. Storage also counts repeats it found that needed no escalation
    /// (already 重要 or 重大), which the complaint's own events do not show.
    pub repeat: bool,
    /// Working minutes (the site's calendar and hours) from capture to the first reply, and to
    /// the closure of a closed complaint.
    #[serde(default)]
    pub reply_work_minutes: Option<u64>,
    #[serde(default)]
    pub close_work_minutes: Option<u64>,
}

impl ReportFacts {
    /// The facts of a folded complaint under its site's clock (deadlines come from the clock).
    pub fn of(c: &Complaint, clock: &Clock) -> ReportFacts {
        // `now` only decides ok/due_soon/overdue of limits not done yet, which facts don't keep.
        let deadlines = clock.deadlines(c, c.updated_at);
        let late = deadlines
            .iter()
            .any(|d| matches!(d.done_at, Some(done) if done > d.due_at));
        let open_due_at = crate::overdue::next_due(c, &deadlines);
        let work = |to: Timestamp| {
            let m = crate::calendar::working_minutes_between(
                &clock.calendar,
                &clock.hours,
                c.captured_at,
                to,
            );
            u64::try_from(m).unwrap_or(0)
        };
        let closed_at = c.closed_at.filter(|_| c.status == Status::Closed);
        ReportFacts {
            reply_work_minutes: c.replied_at.map(work),
            close_work_minutes: closed_at.map(work),
            category_top: top_category(&c.category).to_string(),
            month: month_of(c.captured_at),
            late,
            open_due_at,
            repeat: c.escalations.iter().any(|e| e.rule == RULE_REPEAT),
        }
    }
}

/// `facility.lift` → `facility`; a custom `custom.x` keeps its code (its parent is site data).
pub fn top_category(code: &str) -> &str {
    if code.starts_with("custom.") {
        return code;
    }
    code.split('.').next().unwrap_or(code)
}

/// `yyyymm` of a time in China.
pub fn month_of(t: Timestamp) -> u32 {
    let (y, m, ..) = t.civil(CHINA_OFFSET_MINUTES);
    u32::try_from(y).unwrap_or(0) * 100 + m
}

/// Granularity of the period breakdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Half,
    Year,
}

impl Period {
    pub fn parse(code: &str) -> Option<Period> {
        match code {
            "month" => Some(Period::Month),
            "quarter" => Some(Period::Quarter),
            "half" => Some(Period::Half),
            "year" => Some(Period::Year),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Half => "half",
            Period::Year => "year",
        }
    }

    /// The label of the period holding month `yyyymm`: `2026-03`, `2026-Q1`, `2026-H1`, `2026`.
    pub fn label(self, month: u32) -> String {
        let (y, m) = (month / 100, month % 100);
        match self {
            Period::Month => format!("{y}-{m:02}"),
            Period::Quarter => format!("{y}-Q{}", m.div_ceil(3)),
            Period::Half => format!("{y}-H{}", if m <= 6 { 1 } else { 2 }),
            Period::Year => format!("{y}"),
        }
    }
}

/// Counters over a set of complaints; rates are derived, never stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub count: u64,
    /// 有效投诉 (the rest are communication/other).
    pub effective: u64,
    /// Closed (已完结).
    pub closed: u64,
    /// Withdrawn (撤诉) or merged into another complaint: not counted in the closure rate base.
    pub withdrawn_or_merged: u64,
    /// Every limit met so far and none outstanding.
    pub on_time: u64,
    /// Some limit missed (met late, or open past due at report time).
    pub late: u64,
    /// A follow-up (回访) is recorded.
    pub followed_up: u64,
    /// Of those, satisfied or basically satisfied.
    pub satisfied: u64,
    pub repeat: u64,
    pub major: u64,
    /// Sum of capture → reply minutes over `replied`.
    pub reply_minutes: u64,
    pub replied: u64,
    /// Sum of capture → close minutes over `closed`.
    pub close_minutes: u64,
}

/// A rate as a fraction 0..=1, or `None` when its base is empty.
fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Tally {
    /// 处理率/关闭率: closed over complaints not withdrawn or merged.
    pub fn closure_rate(&self) -> Option<f64> {
        rate(
            self.closed,
            self.count - self.withdrawn_or_merged.min(self.count),
        )
    }
    /// 及时率: on time over those decided (on time or late).
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.on_time + self.late)
    }
    /// 回访率: followed up over closed.
    pub fn follow_up_rate(&self) -> Option<f64> {
        rate(self.followed_up, self.closed.max(self.followed_up))
    }
    /// 满意率: satisfied over followed up.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied, self.followed_up)
    }
    /// 重复投诉率.
    pub fn repeat_rate(&self) -> Option<f64> {
        rate(self.repeat, self.count)
    }
    pub fn avg_reply_minutes(&self) -> Option<f64> {
        (self.replied > 0).then(|| self.reply_minutes as f64 / self.replied as f64)
    }
    pub fn avg_close_minutes(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.close_minutes as f64 / self.closed as f64)
    }

    /// Adds one complaint as of `now` (the row-by-row definition storage aggregates must match).
    pub fn add(&mut self, c: &Complaint, facts: &ReportFacts, now: Timestamp) {
        self.count += 1;
        self.effective += u64::from(c.nature == crate::complaint::Nature::Effective);
        self.closed += u64::from(c.status == Status::Closed);
        self.withdrawn_or_merged +=
            u64::from(matches!(c.status, Status::Withdrawn | Status::Merged));
        let late = facts.late || facts.open_due_at.is_some_and(|due| due < now);
        self.late += u64::from(late);
        self.on_time += u64::from(!late && facts.open_due_at.is_none());
        self.followed_up += u64::from(c.satisfaction.is_some());
        self.satisfied += u64::from(matches!(
            c.satisfaction,
            Some(Satisfaction::Satisfied | Satisfaction::Basic)
        ));
        self.repeat += u64::from(facts.repeat);
        self.major += u64::from(c.severity == Severity::Major);
        if let Some(r) = c.replied_at {
            self.replied += 1;
            self.reply_minutes += minutes_between(c.captured_at, r);
        }
        if let (Status::Closed, Some(closed)) = (c.status, c.closed_at) {
            self.close_minutes += minutes_between(c.captured_at, closed);
        }
    }

    /// Sums another tally into this one.
    pub fn merge(&mut self, o: &Tally) {
        self.count += o.count;
        self.effective += o.effective;
        self.closed += o.closed;
        self.withdrawn_or_merged += o.withdrawn_or_merged;
        self.on_time += o.on_time;
        self.late += o.late;
        self.followed_up += o.followed_up;
        self.satisfied += o.satisfied;
        self.repeat += o.repeat;
        self.major += o.major;
        self.reply_minutes += o.reply_minutes;
        self.replied += o.replied;
        self.close_minutes += o.close_minutes;
    }
}

/// Whole minutes from `a` to `b` (0 if `b` is earlier: device clocks may disagree).
pub fn minutes_between(a: Timestamp, b: Timestamp) -> u64 {
    u64::try_from((b.0 - a.0).max(0) / 60_000).unwrap_or(0)
}

/// The median of some values: the middle one, or for an even count the mean of the two middle
/// ones; `None` for none. (Sorts a copy.)
pub fn median(values: &[u64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0),
    }
}

/// How long replies and closures took in a report: medians in clock minutes, averages and
/// medians in working minutes (the site's calendar and hours: 调休 days count, holidays and
/// nights do not). Clock averages are [`Tally::avg_reply_minutes`] / `avg_close_minutes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Durations {
    pub replied: u64,
    pub reply_median_minutes: Option<f64>,
    pub reply_avg_work_minutes: Option<f64>,
    pub reply_median_work_minutes: Option<f64>,
    pub closed: u64,
    pub close_median_minutes: Option<f64>,
    pub close_avg_work_minutes: Option<f64>,
    pub close_median_work_minutes: Option<f64>,
}

impl Durations {
    /// From each complaint's (clock minutes, working minutes) to reply and to close.
    pub fn of(reply: &[(u64, u64)], close: &[(u64, u64)]) -> Durations {
        let avg =
            |v: &[u64]| (!v.is_empty()).then(|| v.iter().sum::<u64>() as f64 / v.len() as f64);
        let split = |v: &[(u64, u64)]| -> (Vec<u64>, Vec<u64>) { v.iter().copied().unzip() };
        let (rc, rw) = split(reply);
        let (cc, cw) = split(close);
        Durations {
            replied: reply.len() as u64,
            reply_median_minutes: median(&rc),
            reply_avg_work_minutes: avg(&rw),
            reply_median_work_minutes: median(&rw),
            closed: close.len() as u64,
            close_median_minutes: median(&cc),
            close_avg_work_minutes: avg(&cw),
            close_median_work_minutes: median(&cw),
        }
    }
}

/// One line of a breakdown: a key (category, department, site, severity, channel or period).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub key: String,
    pub tally: Tally,
}

/// A place and category that keeps coming back (反复出现的问题).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recurring {
    pub site: String,
    pub location: String,
    pub category: String,
    pub count: u64,
}

/// `GET /api/v1/reports/summary`: complaints captured in the whole months `[from, to)` (China
/// time), optionally of one site.
/// Never names a complainant or shows a phone number: it can be shared outside the team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from: Timestamp,
    pub to: Timestamp,
    pub site: Option<String>,
    pub period: Period,
    /// The time open complaints' limits were judged against.
    pub generated_at: Timestamp,
    pub total: Tally,
    pub by_category: Vec<Bucket>,
    pub by_department: Vec<Bucket>,
    pub by_site: Vec<Bucket>,
    pub by_severity: Vec<Bucket>,
    pub by_channel: Vec<Bucket>,
    /// By status now (已受理 … 已完结, 已撤诉, 已合并).
    #[serde(default)]
    pub by_status: Vec<Bucket>,
    pub by_period: Vec<Bucket>,
    /// Places with at least two complaints of one category in the range, most first (in a report
    /// of one site; a report over all sites leaves it empty).
    pub recurring: Vec<Recurring>,
    /// Medians and working-hour averages of the time to reply and to close; `None` when the
    /// report covers more than [`DURATIONS_LIMIT`] complaints (medians need every value: narrow
    /// the report, e.g. to one site).
    #[serde(default)]
    pub durations: Option<Durations>,
}

/// The most complaints a report computes medians and working-hour averages over.
pub const DURATIONS_LIMIT: u64 = 200_000;

/// Every period of the report's range in time order, with the report's bucket where it has one
/// and an empty tally where it has none (a trend shows the quiet months too).
pub fn every_period(r: &Report) -> Vec<Bucket> {
    let (mut month, end) = (month_of(r.from), month_of(r.to));
    let mut out: Vec<Bucket> = Vec::new();
    // At most 1200 months: a bad range cannot loop for long.
    for _ in 0..1200 {
        if month >= end {
            break;
        }
        let key = r.period.label(month);
        if out.last().is_none_or(|b| b.key != key) {
            let tally = r
                .by_period
                .iter()
                .find(|b| b.key == key)
                .map(|b| b.tally.clone())
                .unwrap_or_default();
            out.push(Bucket { key, tally });
        }
        month = if month % 100 == 12 {
            (month / 100 + 1) * 100 + 1
        } else {
            month + 1
        };
    }
    out
}

/// Folds monthly buckets (`yyyymm` keys) into the report's period, in time order.
pub fn roll_up(months: &[(u32, Tally)], period: Period) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::new();
    let mut sorted: Vec<&(u32, Tally)> = months.iter().collect();
    sorted.sort_by_key(|(m, _)| *m);
    for (month, tally) in sorted {
        let key = period.label(*month);
        match out.last_mut() {
            Some(last) if last.key == key => last.tally.merge(tally),
            _ => out.push(Bucket {
                key,
                tally: tally.clone(),
            }),
        }
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
