//! What both backends share above their SQL: rows mapped by name into store types (the column
//! types decode in SQLite and PostgreSQL alike), the assembly of a site, the paging of a pull,
//! the order of report buckets.

use super::{ComplaintRow, FleetRow, ShareRecord, UploadRecord};
use crate::store::error::{Result, StoreError};
use siteline_model::api::{CustomCategory, SiteDay, SiteInfo};
use siteline_model::calendar::DayKind;
use siteline_model::calendar::WorkingHours;
use siteline_model::fleet::DeviceReport;
use siteline_model::report::{Bucket, Period, Tally};
use siteline_model::timelimit::Policy;
use siteline_model::{DeviceId, Timestamp};
use std::collections::HashMap;

/// An internal error about stored data (`what` went wrong, and why).
pub(crate) fn internal(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("{what}: {e}"))
}

/// A stored event's JSON body.
pub(crate) fn parse_event(body: &str) -> Result<siteline_model::Event> {
    serde_json::from_str(body).map_err(|e| internal("stored event does not parse", e))
}

/// A projection row's state JSON.
pub(crate) fn parse_state(json: &str) -> Result<siteline_model::Complaint> {
    serde_json::from_str(json).map_err(|e| internal("stored state does not parse", e))
}

/// The 二次投诉 candidates of several queries from `(query index, state JSON)` rows: one list a
/// query (`n` of them), each in the rows' order.
pub(crate) fn candidates_by_query(
    n: usize,
    found: impl IntoIterator<Item = (i64, String)>,
) -> Result<Vec<Vec<siteline_model::Complaint>>> {
    let mut out = vec![Vec::new(); n];
    for (i, json) in found {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            slot.push(parse_state(&json)?);
        }
    }
    Ok(out)
}

/// A stored integer as a count or seq (negative: 0).
pub(crate) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A count or seq as a stored integer (saturating).
pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// An event as pulls and complaint histories select it (`seq, received_at, body`).
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub received_at: i64,
    pub body: String,
}

/// A user's staged uploads: how many, and their declared bytes.
#[derive(sqlx::FromRow)]
pub(crate) struct UploadTotals {
    pub n: i64,
    pub bytes: i64,
}

/// A shared link as both backends select it (`COLUMNS`, months as 64-bit integers).
#[derive(sqlx::FromRow)]
pub(crate) struct ShareRow {
    id: String,
    created_by: i64,
    created_by_name: String,
    site_code: Option<String>,
    scope_sites: Option<String>,
    from_month: i64,
    to_month: i64,
    period: String,
    label: String,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
    open_count: i64,
    last_opened_at: Option<i64>,
}

impl TryFrom<ShareRow> for ShareRecord {
    type Error = StoreError;
    fn try_from(r: ShareRow) -> Result<ShareRecord> {
        let scope_sites = r
            .scope_sites
            .map(|j| serde_json::from_str::<Vec<String>>(&j))
            .transpose()
            .map_err(|e| StoreError::Internal(format!("share {}: scope_sites: {e}", r.id)))?;
        let period = Period::parse(&r.period)
            .ok_or_else(|| StoreError::Internal(format!("share {}: period {}", r.id, r.period)))?;
        let month = |m: i64| u32::try_from(m).map_err(|_| StoreError::Internal("bad month".into()));
        Ok(ShareRecord {
            from_month: month(r.from_month)?,
            to_month: month(r.to_month)?,
            id: r.id,
            created_by: r.created_by,
            created_by_name: r.created_by_name,
            site: r.site_code,
            scope_sites,
            period,
            label: r.label,
            created_at: Timestamp(r.created_at),
            expires_at: Timestamp(r.expires_at),
            revoked_at: r.revoked_at.map(Timestamp),
            open_count: u64::try_from(r.open_count).unwrap_or(0),
            last_opened_at: r.last_opened_at.map(Timestamp),
        })
    }
}

/// A tablet's report with its user, as both backends select it.
/// The columns of `uploads`, in the order [`UploadRow`] names them.
pub(crate) const UPLOAD_COLUMNS: &str = "id, user_id, sha256, size, received, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct UploadRow {
    id: String,
    user_id: i64,
    sha256: String,
    size: i64,
    received: i64,
    created_at: i64,
}

impl From<UploadRow> for UploadRecord {
    fn from(r: UploadRow) -> UploadRecord {
        UploadRecord {
            id: r.id,
            user_id: r.user_id,
            sha256: r.sha256,
            size: to_u64(r.size),
            received: to_u64(r.received),
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DeviceReportRow {
    device_id: String,
    username: String,
    display_name: String,
    app_version: String,
    last_seen: i64,
    pending_records: i64,
    oldest_pending_at: Option<i64>,
    storage_used: Option<i64>,
    storage_quota: Option<i64>,
    persisted: Option<bool>,
}

impl DeviceReportRow {
    /// `None` for a row whose device id does not parse (it cannot be shown as a tablet).
    pub(crate) fn fleet_row(self) -> Option<FleetRow> {
        let device_id: DeviceId = self.device_id.parse().ok()?;
        let small = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok());
        Some(FleetRow {
            report: DeviceReport {
                device_id,
                app_version: self.app_version,
                pending_records: u32::try_from(self.pending_records).unwrap_or(u32::MAX),
                oldest_pending_at: self.oldest_pending_at.map(Timestamp),
                storage_used: small(self.storage_used),
                storage_quota: small(self.storage_quota),
                persisted: self.persisted,
            },
            username: self.username,
            display_name: self.display_name,
            last_seen: Timestamp(self.last_seen),
        })
    }
}

/// A projection row as the reads of complaints select it: `site_code, state_json, received_at`.
#[derive(sqlx::FromRow)]
pub(crate) struct ComplaintRecord {
    site_code: String,
    state_json: String,
    received_at: i64,
}

impl ComplaintRecord {
    pub(crate) fn complaint_row(self) -> Result<ComplaintRow> {
        let state = parse_state(&self.state_json)?;
        Ok(ComplaintRow {
            summary: super::shared::summary_of(&state, Timestamp(self.received_at)),
            site_code: self.site_code,
            state,
        })
    }
}

/// The four reads that make the sites (`sites`, `locations`, `site_days`, `site_categories`,
/// each in its order), rows by name.
pub(crate) struct SiteRows {
    pub sites: Vec<SiteRow>,
    pub locations: Vec<LocationRow>,
    pub days: Vec<DayRow>,
    pub categories: Vec<CategoryRow>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SiteRow {
    code: String,
    name: String,
    policy_json: Option<String>,
    hours_json: Option<String>,
    replies_json: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct LocationRow {
    site_code: String,
    id: i64,
    parent_id: Option<i64>,
    name: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct DayRow {
    site_code: String,
    date: String,
    kind: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    site_code: String,
    code: String,
    parent: String,
    zh: String,
    en: String,
}

impl SiteRows {
    /// The sites, in the order of `sites`, each with its tree, days and categories.
    pub(crate) fn into_sites(self) -> Result<Vec<SiteInfo>> {
        let mut locations: HashMap<String, Vec<(i64, Option<i64>, String)>> = HashMap::new();
        for r in self.locations {
            locations
                .entry(r.site_code)
                .or_default()
                .push((r.id, r.parent_id, r.name));
        }
        let mut days: HashMap<String, Vec<SiteDay>> = HashMap::new();
        for r in self.days {
            let kind = match r.kind.as_str() {
                "off" => DayKind::Off,
                "work" => DayKind::Work,
                other => return Err(internal("stored day kind", other)),
            };
            days.entry(r.site_code)
                .or_default()
                .push(SiteDay { date: r.date, kind });
        }
        let mut categories: HashMap<String, Vec<CustomCategory>> = HashMap::new();
        for r in self.categories {
            categories
                .entry(r.site_code)
                .or_default()
                .push(CustomCategory {
                    code: r.code,
                    parent: r.parent,
                    zh: r.zh,
                    en: r.en,
                });
        }
        self.sites
            .into_iter()
            .map(|s| {
                SiteParts {
                    locations: locations.remove(&s.code).unwrap_or_default(),
                    days: days.remove(&s.code).unwrap_or_default(),
                    categories: categories.remove(&s.code).unwrap_or_default(),
                    code: s.code,
                    name: s.name,
                    policy_json: s.policy_json,
                    hours_json: s.hours_json,
                    replies_json: s.replies_json,
                }
                .site()
            })
            .collect()
    }
}

/// A site's row with what was read of its tree, days and categories, as a `SiteInfo`.
pub(crate) struct SiteParts {
    pub code: String,
    pub name: String,
    pub policy_json: Option<String>,
    pub hours_json: Option<String>,
    pub replies_json: Option<String>,
    /// `(id, parent, name)` in sibling order.
    pub locations: Vec<(i64, Option<i64>, String)>,
    pub days: Vec<SiteDay>,
    pub categories: Vec<CustomCategory>,
}

impl SiteParts {
    pub(crate) fn site(self) -> Result<SiteInfo> {
        let bad =
            |what: &str, e: serde_json::Error| StoreError::Internal(format!("stored {what}: {e}"));
        let policy: Policy = match self.policy_json {
            Some(j) => serde_json::from_str(&j).map_err(|e| bad("policy", e))?,
            None => Policy::default(),
        };
        let hours: WorkingHours = match self.hours_json {
            Some(j) => serde_json::from_str(&j).map_err(|e| bad("hours", e))?,
            None => WorkingHours::default(),
        };
        let replies = super::shared::stored_replies(self.replies_json.as_deref())?;
        Ok(SiteInfo {
            replies,
            locations: super::shared::location_labels(&self.locations),
            days: self.days,
            categories: self.categories,
            people: Vec::new(),
            code: self.code,
            name: self.name,
            policy,
            hours,
        })
    }
}

/// One event a pull found, at its pull position (its seq, or the moment its complaint's
/// history reached a department).
pub(crate) struct PullItem {
    pub pos: i64,
    pub seq: i64,
    pub received_at: i64,
    pub body: String,
}

/// The page a pull answers: items in position order, at most `limit` but never splitting the
/// events at one position; whether more follow (also when a query was `capped`); the cursor.
pub(crate) fn pull_page(
    mut all: Vec<PullItem>,
    after: u64,
    limit: u32,
    capped: bool,
) -> Result<(Vec<super::RawEvent>, bool, u64)> {
    all.sort_by_key(|i| (i.pos, i.seq));
    let mut take = all.len().min(limit as usize);
    if let Some(last) = take.checked_sub(1).map(|i| all[i].pos) {
        while take < all.len() && all[take].pos == last {
            take += 1;
        }
    }
    let has_more = capped || take < all.len();
    all.truncate(take);
    let cursor = all
        .last()
        .map_or(after, |i| u64::try_from(i.pos).unwrap_or(0));
    let events = all
        .into_iter()
        .map(|i| super::RawEvent {
            seq: to_u64(i.seq),
            received_at: Timestamp(i.received_at),
            body: i.body,
        })
        .collect();
    Ok((events, has_more, cursor))
}

/// A breakdown's buckets, most complaints first; cells whose complaints all moved elsewhere
/// (zeros) are left out.
pub(crate) fn sorted_buckets(map: HashMap<String, Tally>) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = map
        .into_iter()
        .filter(|(_, t)| t.count > 0)
        .map(|(key, tally)| Bucket { key, tally })
        .collect();
    out.sort_by(|a, b| b.tally.count.cmp(&a.tally.count).then(a.key.cmp(&b.key)));
    out
}
