//! The reference report on PostgreSQL (tests): every complaint of the range read once, in a
//! stream, and counted with the model's own `Tally::add`; the conformance suite holds both
//! backends' roll-up reports to it.

use super::report::range;
use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::rows::sorted_buckets;
use crate::store::ReportQuery;
use futures_util::TryStreamExt;
use siteline_model::report::{
    minutes_between, roll_up, Durations, Report, ReportFacts, Tally, DURATIONS_LIMIT,
};
use siteline_model::{Complaint, Status, Timestamp};
use sqlx::{FromRow, Postgres, QueryBuilder};
use std::collections::HashMap;

#[derive(FromRow)]
struct FactRow {
    site_code: String,
    month: i32,
    category_top: String,
    department: Option<String>,
    state_json: String,
    late: bool,
    open_due_at: Option<i64>,
    is_repeat: bool,
    reply_work_min: Option<i64>,
    close_work_min: Option<i64>,
}

impl PgStore {
    /// The report counted complaint by complaint with `Tally::add` (the reference for the
    /// roll-ups; not used to answer requests).
    pub(crate) async fn report_by_rows(&self, rq: &ReportQuery) -> Result<Report> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT site_code, month, category_top, department, state_json, late, open_due_at,
                    is_repeat, reply_work_min, close_work_min FROM complaints",
        );
        range(&mut q, rq);
        let mut by: HashMap<&'static str, HashMap<String, Tally>> = HashMap::new();
        let (mut sites, mut months) = (HashMap::new(), HashMap::<u32, Tally>::new());
        let (mut reply, mut close) = (Vec::new(), Vec::new());
        let mut total = Tally::default();
        let mut rows = q.build_query_as::<FactRow>().fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let c: Complaint = serde_json::from_str(&r.state_json)
                .map_err(|e| StoreError::Internal(format!("stored state does not parse: {e}")))?;
            let month = u32::try_from(r.month).unwrap_or(0);
            let facts = ReportFacts {
                category_top: r.category_top.clone(),
                month,
                late: r.late,
                open_due_at: r.open_due_at.map(Timestamp),
                repeat: r.is_repeat,
                reply_work_minutes: r.reply_work_min.and_then(|m| u64::try_from(m).ok()),
                close_work_minutes: r.close_work_min.and_then(|m| u64::try_from(m).ok()),
            };
            let mut one = Tally::default();
            one.add(&c, &facts, rq.now);
            total.merge(&one);
            let keys = [
                ("category", r.category_top),
                ("department", r.department.unwrap_or_default()),
                ("severity", c.severity.code().to_string()),
                ("channel", c.channel.code().to_string()),
                ("status", c.status.code().to_string()),
            ];
            for (dim, key) in keys {
                by.entry(dim)
                    .or_default()
                    .entry(key)
                    .or_default()
                    .merge(&one);
            }
            sites
                .entry(r.site_code)
                .or_insert_with(Tally::default)
                .merge(&one);
            months.entry(month).or_default().merge(&one);
            if total.count <= DURATIONS_LIMIT {
                if let Some(at) = c.replied_at {
                    let work = facts.reply_work_minutes.unwrap_or(0);
                    reply.push((minutes_between(c.captured_at, at), work));
                }
                if let (Status::Closed, Some(at)) = (c.status, c.closed_at) {
                    let work = facts.close_work_minutes.unwrap_or(0);
                    close.push((minutes_between(c.captured_at, at), work));
                }
            }
        }
        let recurring = match &rq.site {
            Some(site) => self.recurring(rq, site).await?,
            None => Vec::new(),
        };
        let months: Vec<(u32, Tally)> = months.into_iter().collect();
        let mut take = |dim: &str| sorted_buckets(by.remove(dim).unwrap_or_default());
        Ok(Report {
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
            by_site: sorted_buckets(sites),
            by_period: roll_up(&months, rq.period),
            recurring,
            durations: (total.count <= DURATIONS_LIMIT).then(|| Durations::of(&reply, &close)),
            total,
        })
    }
}
