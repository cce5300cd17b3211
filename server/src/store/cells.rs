//! Reports from roll-up cells, shared by both backends: the cells' sums by breakdown, site and
//! month, plus one `late` for each open complaint past a limit at the report's "now"
//! (`Tally::add`'s only dependence on it), assembled into a `Report`.

use super::rows::sorted_buckets;
use super::ReportQuery;
use siteline_model::report::{roll_up, Durations, Recurring, Report, Tally};
use std::collections::HashMap;

/// Sums of the cell counters, in `Tally` field order (13 columns).
pub(crate) const SUMS: &str =
    "SUM(count), SUM(effective), SUM(closed), SUM(withdrawn_or_merged), SUM(on_time),
    SUM(late), SUM(followed_up), SUM(satisfied), SUM(repeat), SUM(major), SUM(reply_minutes),
    SUM(replied), SUM(close_minutes)";

/// A tally from 13 sums in `Tally` field order (a missing or negative sum is 0).
pub(crate) fn tally(sums: [Option<i64>; 13]) -> Tally {
    let u = |i: usize| u64::try_from(sums[i].unwrap_or(0)).unwrap_or(0);
    Tally {
        count: u(0),
        effective: u(1),
        closed: u(2),
        withdrawn_or_merged: u(3),
        on_time: u(4),
        late: u(5),
        followed_up: u(6),
        satisfied: u(7),
        repeat: u(8),
        major: u(9),
        reply_minutes: u(10),
        replied: u(11),
        close_minutes: u(12),
    }
}

/// An open complaint of the range whose running limit passed the report's "now": the keys of
/// its cells (both backends select these columns under these names).
#[derive(sqlx::FromRow)]
pub(crate) struct Overdue {
    site_code: String,
    month: i64,
    category_top: String,
    department: String,
    severity: String,
    channel: String,
    status: String,
}

/// The columns of [`Overdue`], as both backends select them from `complaints`.
pub(crate) const OVERDUE_COLUMNS: &str = "site_code, CAST(month AS BIGINT) AS month, \
    category_top, coalesce(department, '') AS department, severity, channel, status";

/// The tallies of a report before its durations and recurring places.
pub(crate) struct Tallies {
    by: HashMap<String, HashMap<String, Tally>>,
    sites: HashMap<String, Tally>,
    months: HashMap<u32, Tally>,
    pub total: Tally,
}

/// Sums by breakdown (`(dim, key, tally)` without `all`), by site and by month, plus the
/// overdue complaints, into tallies.
pub(crate) fn tallies(
    by_dim: Vec<(String, String, Tally)>,
    by_site: Vec<(String, Tally)>,
    by_month: Vec<(u32, Tally)>,
    overdue: Vec<Overdue>,
) -> Tallies {
    let mut by: HashMap<String, HashMap<String, Tally>> = HashMap::new();
    for (dim, key, t) in by_dim {
        by.entry(dim).or_default().insert(key, t);
    }
    let mut sites: HashMap<String, Tally> = by_site.into_iter().collect();
    let mut months: HashMap<u32, Tally> = by_month.into_iter().collect();
    for o in overdue {
        sites.entry(o.site_code).or_default().late += 1;
        months
            .entry(u32::try_from(o.month).unwrap_or(0))
            .or_default()
            .late += 1;
        for (dim, key) in [
            ("category", o.category_top),
            ("department", o.department),
            ("severity", o.severity),
            ("channel", o.channel),
            ("status", o.status),
        ] {
            by.entry(dim.into())
                .or_default()
                .entry(key)
                .or_default()
                .late += 1;
        }
    }
    let mut total = Tally::default();
    for t in sites.values() {
        total.merge(t);
    }
    Tallies {
        by,
        sites,
        months,
        total,
    }
}

/// The report of `rq` from its tallies, recurring places and durations.
pub(crate) fn report(
    rq: &ReportQuery,
    mut t: Tallies,
    recurring: Vec<Recurring>,
    durations: Option<Durations>,
) -> Report {
    let months: Vec<(u32, Tally)> = t.months.into_iter().collect();
    let mut take = |dim: &str| sorted_buckets(t.by.remove(dim).unwrap_or_default());
    Report {
        from: rq.from,
        to: rq.to,
        site: rq.site.clone(),
        period: rq.period,
        generated_at: rq.now,
        by_category: take("category"),
        by_department: take("department"),
        by_severity: take("severity"),
        by_channel: take("channel"),
        by_status: take("status"),
        by_site: sorted_buckets(t.sites),
        by_period: roll_up(&months, rq.period),
        recurring,
        durations,
        total: t.total,
    }
}

/// One complaint's minutes to reply (clock, working) and to close (clock, working); clock
/// minutes are NULL while it has not replied or closed.
#[derive(sqlx::FromRow)]
pub(crate) struct DurationRow(Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// Medians and averages of the rows' times (medians need the values, not only their sums).
pub(crate) fn durations(rows: Vec<DurationRow>) -> Durations {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let (mut reply, mut close) = (Vec::new(), Vec::new());
    for DurationRow(rc, rw, cc, cw) in rows {
        if let Some(rc) = rc {
            reply.push((n(rc), rw.map_or(0, n)));
        }
        if let Some(cc) = cc {
            close.push((n(cc), cw.map_or(0, n)));
        }
    }
    Durations::of(&reply, &close)
}
