//! SQLite push: a batch in one transaction, with batch-wide lookups as single queries.

use super::shared::{number_event, resolve_site, BatchStates};
use super::sqlite_sync::{internal, parse_event, refresh_projection, to_u64};
use super::sqlite_sync::{write_projection, Projection};
use super::{sqlite_attach, sqlite_escalate, ImportInfo, PushGate};
use crate::error::{Error, Result};
use siteline_model::api::SiteInfo;
use siteline_model::numbering::canonical;
use siteline_model::sync::PushResult;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::timelimit::Clock;
use siteline_model::{ComplaintId, Event, EventId, EventKind, Timestamp};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use std::collections::{HashMap, HashSet};

/// The answer for an event whose id is already stored: as the first time, or `id_conflict`.
fn answer_stored(same: bool, seq: i64, received_at: Timestamp) -> PushResult {
    if same {
        PushResult::Accepted {
            seq: to_u64(seq),
            received_at,
        }
    } else {
        PushResult::Rejected {
            code: "id_conflict".into(),
            message: "another event with this id and different content is already stored".into(),
        }
    }
}

/// A JSON array of ids, bound as one parameter and read back with `json_each`: one statement
/// (and one cached prepared statement) whatever the batch size.
fn id_list<T: ToString>(ids: impl IntoIterator<Item = T>) -> Result<String> {
    let ids: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    serde_json::to_string(&ids).map_err(|e| internal("ids do not serialize", e))
}

type StoredRow = (i64, i64, String);

/// The stored rows (seq, received_at, body) of those of `events` whose id is stored, by id.
async fn stored_rows(
    conn: &mut SqliteConnection,
    events: &[Event],
) -> Result<HashMap<String, StoredRow>> {
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT id, seq, received_at, body FROM events
         WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(id_list(events.iter().map(|e| e.id))?)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, seq, at, body)| (id, (seq, at, body)))
        .collect())
}

/// What is stored of one complaint: its events in seq order, and the receipt of its `Created`.
#[derive(Default)]
struct Loaded {
    events: Vec<Event>,
    created_received_at: Option<Timestamp>,
}

/// The stored events of `ids`, in one query.
async fn load_complaints(
    conn: &mut SqliteConnection,
    ids: &[ComplaintId],
) -> Result<HashMap<ComplaintId, Loaded>> {
    let mut out: HashMap<ComplaintId, Loaded> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT complaint_id, received_at, body FROM events
         WHERE complaint_id IN (SELECT value FROM json_each(?)) ORDER BY complaint_id, seq",
    )
    .bind(id_list(ids)?)
    .fetch_all(&mut *conn)
    .await?;
    for (cid, received_at, body) in rows {
        let cid: ComplaintId = cid
            .parse()
            .map_err(|e| internal("stored complaint id", e))?;
        let ev = parse_event(&body)?;
        let l = out.entry(cid).or_default();
        if l.created_received_at.is_none() && matches!(ev.kind, EventKind::Created(_)) {
            l.created_received_at = Some(Timestamp(received_at));
        }
        l.events.push(ev);
    }
    Ok(out)
}

/// One event's answer: known now, or that of the `i`-th stored event (its seq, once inserted).
enum Answer {
    Now(PushResult),
    Stored(usize),
}

/// Stores a batch in one transaction: each event answered as before if its id is stored, else
/// gated against its complaint's state (stored events plus those accepted earlier in the batch)
/// and stored; then numbers for new complaints, projection rows, 二次投诉 escalation.
/// Batch-wide lookups are single queries; the projection is written from the in-memory fold.
pub(super) async fn push(
    pool: &SqlitePool,
    events: &[Event],
    site_list: &[SiteInfo],
    default_site: &str,
    gate: &dyn PushGate,
    import: Option<&ImportInfo>,
    now: Timestamp,
) -> Result<Vec<PushResult>> {
    // IMMEDIATE takes the write lock up front: concurrent pushes serialize (busy_timeout waits)
    // instead of failing to upgrade a read transaction. The gate sees the state as of this lock.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // The sites the gate was built from (read just before; sites are added, never removed).
    let clocks: HashMap<String, Clock> = site_list
        .iter()
        .map(|s| (s.code.clone(), Clock::for_site(s)))
        .collect();
    let mut sites: Vec<String> = clocks.keys().cloned().collect();
    sites.sort();
    let stored = stored_rows(&mut tx, events).await?;
    // Every complaint this batch may add to, loaded once, in one query.
    let mut wanted: Vec<ComplaintId> = Vec::new();
    let mut seen: HashSet<ComplaintId> = HashSet::new();
    for ev in events {
        if !stored.contains_key(&ev.id.to_string()) && seen.insert(ev.complaint_id) {
            wanted.push(ev.complaint_id);
        }
        // A merge target: the gate checks it exists and the author may see it.
        if let EventKind::Merged { into } = &ev.kind {
            if seen.insert(*into) {
                wanted.push(*into);
            }
        }
    }
    let mut loaded = load_complaints(&mut tx, &wanted).await?;
    let mut states = BatchStates::default();
    // Complaints with no stored event before this push: no number, projection or attachments.
    let mut fresh: HashSet<ComplaintId> = HashSet::new();
    let mut first_received: HashMap<ComplaintId, Timestamp> = HashMap::new();
    for cid in &wanted {
        let l = loaded.remove(cid).unwrap_or_default();
        if l.events.is_empty() {
            fresh.insert(*cid);
        }
        if let Some(at) = l.created_received_at {
            first_received.insert(*cid, at);
        }
        states.load(*cid, l.events);
    }
    // Gated in memory first; the accepted events are then stored with multi-row statements.
    let mut accepted: HashMap<EventId, usize> = HashMap::new();
    let mut to_store: Vec<&Event> = Vec::new();
    let mut answers: Vec<Option<Answer>> = events.iter().map(|_| None).collect();
    let mut touched: Vec<ComplaintId> = Vec::new();
    seen.clear();
    let mut created: Vec<&Event> = Vec::new();
    // `created` events first (in batch order), then the rest: an update sent in the same batch
    // before its complaint's `created` still finds the complaint. Answers keep the batch order.
    let is_created = |e: &Event| matches!(e.kind, EventKind::Created(_));
    let order = (0..events.len())
        .filter(|&i| is_created(&events[i]))
        .chain((0..events.len()).filter(|&i| !is_created(&events[i])));
    for i in order {
        let ev = &events[i];
        let answer = &mut answers[i];
        if let Some((seq, at, body)) = stored.get(&ev.id.to_string()) {
            *answer = Some(Answer::Now(answer_stored(
                parse_event(body)? == *ev,
                *seq,
                Timestamp(*at),
            )));
            continue;
        }
        if let Some(&first) = accepted.get(&ev.id) {
            // The same id twice in one batch: the first is stored, the second answered like it.
            *answer = Some(if to_store[first] == ev {
                Answer::Stored(first)
            } else {
                Answer::Now(answer_stored(false, 0, now))
            });
            continue;
        }
        let cid = ev.complaint_id;
        if let Some(rejected) = gate.check(ev, &states) {
            *answer = Some(Answer::Now(rejected));
            continue;
        }
        states.accept(ev);
        accepted.insert(ev.id, to_store.len());
        *answer = Some(Answer::Stored(to_store.len()));
        to_store.push(ev);
        if seen.insert(cid) {
            touched.push(cid);
        }
        if matches!(ev.kind, EventKind::Created(_)) {
            created.push(ev);
            first_received.entry(cid).or_insert(now);
        }
    }
    // Every event is stored with its complaint's site (the scoped pull reads by it).
    let site_of: HashMap<ComplaintId, String> = touched
        .iter()
        .filter_map(|id| {
            let state = states.state(*id)?;
            Some((
                *id,
                resolve_site(&state.site, &sites, default_site).to_string(),
            ))
        })
        .collect();
    let seqs = insert_events(&mut tx, &to_store, now, &site_of).await?;
    if seqs.len() != to_store.len() {
        return Err(Error::Internal("an event appeared during the push".into()));
    }
    if let Some(import) = import {
        for ev in &to_store {
            sqlite_attach::record_import(&mut tx, ev.id, import, now).await?;
        }
    }
    let results = answers
        .into_iter()
        .map(
            |a| match a.ok_or_else(|| Error::Internal("event left unanswered".into()))? {
                Answer::Now(answer) => Ok(answer),
                Answer::Stored(i) => {
                    let seq = to_store
                        .get(i)
                        .and_then(|ev| seqs.get(&ev.id))
                        .ok_or_else(|| Error::Internal("stored event has no seq".into()))?;
                    Ok(PushResult::Accepted {
                        seq: to_u64(*seq),
                        received_at: now,
                    })
                }
            },
        )
        .collect::<Result<Vec<_>>>()?;
    let numbered = assign_numbers(
        &mut tx,
        &created,
        &sites,
        default_site,
        &fresh,
        now,
        &site_of,
    );
    for ev in numbered.await? {
        states.accept(&ev);
    }
    // The batch's states are the folds of every stored event of their complaints.
    for id in &touched {
        if let Some(state) = states.state(*id) {
            let received_at = first_received.get(id).copied().unwrap_or(Timestamp(0));
            let had_rows = !fresh.contains(id);
            let p = Projection {
                sites: &sites,
                default_site,
                clocks: &clocks,
            };
            write_projection(&mut tx, state, received_at, had_rows, &p).await?;
        }
    }
    // 二次投诉, once per new complaint, against the projection just written.
    seen.clear();
    for ev in &created {
        let cid = ev.complaint_id;
        let Some(state) = states.state(cid).filter(|_| seen.insert(cid)) else {
            continue;
        };
        let site = resolve_site(&state.site, &sites, default_site);
        if sqlite_escalate::escalate_repeat(&mut tx, state, site, &clocks, now).await? {
            refresh_projection(&mut tx, cid, &sites, default_site, &clocks).await?;
        }
    }
    tx.commit().await?;
    Ok(results)
}

/// Gives each newly created complaint its canonical number, once, and appends the server events
/// (answered, to advance the batch's states). One counter update per site and year, numbers in
/// the order of the batch.
async fn assign_numbers(
    conn: &mut SqliteConnection,
    created: &[&Event],
    sites: &[String],
    default_site: &str,
    fresh: &HashSet<ComplaintId>,
    now: Timestamp,
    site_of: &HashMap<ComplaintId, String>,
) -> Result<Vec<Event>> {
    let mut need: Vec<(&Event, &str, i32)> = Vec::new();
    let mut once: HashSet<ComplaintId> = HashSet::new();
    for ev in created {
        let cid = ev.complaint_id;
        if !once.insert(cid) {
            continue;
        }
        // A complaint with earlier stored events may have been numbered already.
        if !fresh.contains(&cid) {
            let has: Option<String> =
                sqlx::query_scalar("SELECT number FROM complaint_numbers WHERE complaint_id = ?")
                    .bind(cid.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            if has.is_some() {
                continue;
            }
        }
        let named = match &ev.kind {
            EventKind::Created(new) => new.site.as_str(),
            _ => "",
        };
        let site = resolve_site(named, sites, default_site);
        need.push((ev, site, ev.captured_at.year(CHINA_OFFSET_MINUTES)));
    }
    let mut counters: Vec<((&str, i32), i64)> = Vec::new();
    for (_, site, year) in &need {
        match counters.iter_mut().find(|(k, _)| *k == (*site, *year)) {
            Some((_, n)) => *n += 1,
            None => counters.push(((*site, *year), 1)),
        }
    }
    let mut next: HashMap<(&str, i32), i64> = HashMap::new();
    for ((site, year), n) in counters {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO number_counters (site_code, year, last_seq) VALUES (?, ?, ?)
             ON CONFLICT (site_code, year) DO UPDATE SET last_seq = last_seq + excluded.last_seq
             RETURNING last_seq",
        )
        .bind(site)
        .bind(year)
        .bind(n)
        .fetch_one(&mut *conn)
        .await?;
        next.insert((site, year), last - n + 1);
    }
    let mut rows: Vec<(ComplaintId, &str, i32, i64, String)> = Vec::with_capacity(need.len());
    let mut out = Vec::with_capacity(need.len());
    for (created, site, year) in need {
        let slot = next.entry((site, year)).or_default();
        let seq = *slot;
        *slot += 1;
        let number = canonical(site, year, to_u64(seq));
        out.push(number_event(created, number.clone(), now));
        rows.push((created.complaint_id, site, year, seq, number));
    }
    for part in rows.chunks(ROWS_PER_INSERT) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO complaint_numbers (complaint_id, site_code, year, seq, number) ",
        );
        q.push_values(part, |mut b, (cid, site, year, seq, number)| {
            b.push_bind(cid.to_string())
                .push_bind(*site)
                .push_bind(*year)
                .push_bind(*seq)
                .push_bind(number.as_str());
        });
        q.build().execute(&mut *conn).await?;
    }
    let server_events: Vec<&Event> = out.iter().collect();
    if insert_events(conn, &server_events, now, site_of)
        .await?
        .len()
        != out.len()
    {
        return Err(Error::Internal("server event id collided".into()));
    }
    Ok(out)
}

/// Rows per multi-row INSERT (10 parameters an event: far below SQLite's limit).
const ROWS_PER_INSERT: usize = 100;

/// Stores new events (ids not stored), a multi-row statement per `ROWS_PER_INSERT`, in the
/// given order (so their seqs ascend in it); answers the seq of each stored one by id.
async fn insert_events(
    conn: &mut SqliteConnection,
    events: &[&Event],
    now: Timestamp,
    site_of: &HashMap<ComplaintId, String>,
) -> Result<HashMap<EventId, i64>> {
    let mut seqs = HashMap::with_capacity(events.len());
    for part in events.chunks(ROWS_PER_INSERT) {
        let bodies = part
            .iter()
            .map(serde_json::to_string)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| internal("event does not serialize", e))?;
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events
               (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at, body,
                site_code) ",
        );
        q.push_values(part.iter().zip(bodies), |mut b, (ev, body)| {
            b.push_bind(ev.id.to_string())
                .push_bind(ev.complaint_id.to_string())
                .push_bind(ev.kind.code())
                .push_bind(ev.author.as_str())
                .push_bind(ev.device_id.to_string())
                .push_bind(i64::try_from(ev.lamport).unwrap_or(i64::MAX))
                .push_bind(ev.captured_at.millis())
                .push_bind(now.millis())
                .push_bind(body)
                .push_bind(site_of.get(&ev.complaint_id).map(String::as_str));
        });
        q.push(" ON CONFLICT (id) DO NOTHING RETURNING id, seq");
        let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
        for (id, seq) in rows {
            let id: EventId = id.parse().map_err(|e| internal("stored event id", e))?;
            seqs.insert(id, seq);
        }
    }
    Ok(seqs)
}
