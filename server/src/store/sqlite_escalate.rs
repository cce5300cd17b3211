//! SQLite escalation: 二次投诉 on first receipt (→ 重要), effective complaints unresolved a month (→ 重大).

use super::shared::{escalation_event, RULE_REPEAT, RULE_UNRESOLVED};
use super::sqlite_sites;
use super::sqlite_sync::{insert_event, internal, refresh_projection, to_u64};
use crate::error::{Error, Result};
use siteline_model::timelimit::Clock;
use siteline_model::{Complaint, ComplaintId, Severity, Status, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn parse_state(json: &str) -> Result<Complaint> {
    serde_json::from_str(json).map_err(|e| internal("stored state does not parse", e))
}

/// Appends the server's `Escalated` event, unless `rule` already fired for this complaint.
/// Its lamport is one more than the greatest stored for the complaint. Answers whether it wrote.
async fn write_escalation(
    conn: &mut SqliteConnection,
    cid: ComplaintId,
    to: Severity,
    rule: &str,
    related: Option<ComplaintId>,
    now: Timestamp,
) -> Result<bool> {
    let max: Option<i64> =
        sqlx::query_scalar("SELECT MAX(lamport) FROM events WHERE complaint_id = ?")
            .bind(cid.to_string())
            .fetch_one(&mut *conn)
            .await?;
    let ev = escalation_event(cid, to_u64(max.unwrap_or(0)), to, rule, related, now);
    let claimed: Option<i64> = sqlx::query_scalar(
        "INSERT INTO complaint_escalations (complaint_id, rule, event_id, created_at)
         VALUES (?, ?, ?, ?) ON CONFLICT (complaint_id, rule) DO NOTHING RETURNING 1",
    )
    .bind(cid.to_string())
    .bind(rule)
    .bind(ev.id.to_string())
    .bind(now.millis())
    .fetch_optional(&mut *conn)
    .await?;
    if claimed.is_none() {
        return Ok(false);
    }
    if insert_event(conn, &ev, now).await?.is_none() {
        return Err(Error::Internal("server event id collided".into()));
    }
    Ok(true)
}

/// On first receipt of a complaint: if it repeats an earlier one of its site (same phone, or same
/// place and category, within the site's window), marks it a repeat for reports and, if it is
/// 轻微 and open, escalates it to 重要. Answers whether it escalated.
/// `state` is the complaint as just projected for `site`. Candidates come from the projection
/// through its (site, phone) and (site, place, category) indexes, bounded by capture time, in one
/// statement.
pub(super) async fn escalate_repeat(
    conn: &mut SqliteConnection,
    state: &Complaint,
    site: &str,
    clocks: &HashMap<String, Clock>,
    now: Timestamp,
) -> Result<bool> {
    let cid = state.id;
    let default_clock;
    let clock = match clocks.get(site) {
        Some(c) => c,
        None => {
            default_clock = Clock::china();
            &default_clock
        }
    };
    let until = state.captured_at.millis();
    let since = until.saturating_sub(clock.policy.repeat_window_days.saturating_mul(DAY_MS));
    let phone = state.complainant.phone.as_deref().filter(|p| !p.is_empty());
    let place = state.location.trim();
    // An absent phone matches nothing (`phone = NULL`); an empty place is no match either.
    let found: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, state_json FROM complaints
         WHERE site_code = ?1 AND phone = ?2 AND captured_at BETWEEN ?3 AND ?4 AND id <> ?5
         UNION
         SELECT id, state_json FROM complaints
         WHERE ?6 <> '' AND site_code = ?1 AND location_key = ?6 AND category = ?7
           AND captured_at BETWEEN ?3 AND ?4 AND id <> ?5
         ORDER BY 1",
    )
    .bind(site)
    .bind(phone)
    .bind(since)
    .bind(until)
    .bind(cid.to_string())
    .bind(place)
    .bind(&state.category)
    .fetch_all(&mut *conn)
    .await?;
    let candidates = found
        .iter()
        .map(|(_, j)| parse_state(j))
        .collect::<Result<Vec<_>>>()?;
    let Some(earlier) = clock.repeat_of(state, &candidates) else {
        return Ok(false);
    };
    // Every 二次投诉 counts in reports (重复投诉率); only a minor open one is raised to 重要.
    sqlx::query("UPDATE complaints SET is_repeat = 1 WHERE id = ?")
        .bind(cid.to_string())
        .execute(&mut *conn)
        .await?;
    if state.severity != Severity::Minor || !state.status.is_open() {
        return Ok(false);
    }
    write_escalation(
        conn,
        cid,
        Severity::Important,
        RULE_REPEAT,
        Some(earlier),
        now,
    )
    .await
}

/// Every open effective complaint unresolved for its site's window becomes 重大, once.
pub(super) async fn escalate_unresolved(pool: &SqlitePool, now: Timestamp) -> Result<u64> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let clocks = sqlite_sites::clocks(&mut tx).await?;
    let sites: Vec<String> = clocks.keys().cloned().collect();
    let fallback = Clock::china();
    // Only rows old enough for the shortest window of any site are candidates.
    let shortest = clocks
        .values()
        .map(|c| c.policy.escalate_unresolved_days)
        .chain([fallback.policy.escalate_unresolved_days])
        .min()
        .unwrap_or(30)
        .max(0);
    let cutoff = now.millis().saturating_sub(shortest.saturating_mul(DAY_MS));
    let closed: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|s| !s.is_open())
        .map(Status::code)
        .collect();
    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT id, site_code, state_json FROM complaints
         WHERE nature = 'effective' AND severity <> ",
    );
    q.push_bind(Severity::Major.code())
        .push(" AND captured_at <= ")
        .push_bind(cutoff)
        .push(" AND status NOT IN (");
    let mut list = q.separated(", ");
    for code in &closed {
        list.push_bind(*code);
    }
    q.push(")");
    let rows: Vec<(String, String, String)> = q.build_query_as().fetch_all(&mut *tx).await?;
    let mut n = 0;
    for (id, site, json) in rows {
        let state = parse_state(&json)?;
        let clock = clocks.get(&site).unwrap_or(&fallback);
        if !clock.unresolved_escalation_due(&state, now) {
            continue;
        }
        let cid: ComplaintId = id.parse().map_err(|e| internal("stored complaint id", e))?;
        if write_escalation(&mut tx, cid, Severity::Major, RULE_UNRESOLVED, None, now).await? {
            refresh_projection(&mut tx, cid, &sites, &site, &clocks).await?;
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}
