//! The replica in IndexedDB from schema 3: one record per complaint (`model::device_record`),
//! its bytes a `Uint8Array` of UTF-8 JSON; every write reads, merges and puts the records it
//! touches inside ONE transaction (all reads issued at once), so two tabs never lose each
//! other's events. An acknowledgement is one receipt record instead (schema 4), applied at
//! load and folded into the records in idle time. Schema 1–2's one-record-per-event store is
//! moved over on first load.

use super::{commit, from_js, perf, LocalStore, StoreError, BLOBS, COMPLAINTS, EVENTS, META};
use super::{to_js, RECEIPTS, UPLOADS};
use crate::logic::upload::UploadRecord;
use idb::{KeyRange, ObjectStore, Query, TransactionMode};
use js_sys::Uint8Array;
use siteline_model::device_record::{by_complaint, from_events, ComplaintRecord};
use siteline_model::device_record::{Receipt, WritePlan};
use siteline_model::replica::{Change, ReplicaMeta, StoredEvent};
use siteline_model::{ComplaintId, EventId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use wasm_bindgen::{JsCast, JsValue};

fn key(id: &ComplaintId) -> JsValue {
    JsValue::from_str(&id.to_string())
}

fn bytes(r: &ComplaintRecord) -> JsValue {
    Uint8Array::from(r.encode().as_slice()).into()
}

fn record(v: &JsValue) -> Result<ComplaintRecord, StoreError> {
    let arr = v
        .dyn_ref::<Uint8Array>()
        .ok_or_else(|| StoreError::Corrupt("a complaint record is not bytes".into()))?;
    ComplaintRecord::decode(&arr.to_vec()).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn receipt(v: &JsValue) -> Result<Receipt, StoreError> {
    let arr = v
        .dyn_ref::<Uint8Array>()
        .ok_or_else(|| StoreError::Corrupt("a receipt is not bytes".into()))?;
    Receipt::decode(&arr.to_vec()).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Meta, complaint records and receipts, as IndexedDB gave them.
type Raw = (Option<JsValue>, Records, Vec<JsValue>);

/// The complaint records of a read: all at hand, or in chunks (promises of arrays, in key
/// order) still arriving.
enum Records {
    Ready(Vec<JsValue>),
    Arriving(Vec<js_sys::Promise>),
}

/// One chunk of [`Records`].
enum Chunk {
    Ready(Vec<JsValue>),
    Arriving(js_sys::Promise),
}

/// Below this many records a write reads each by its key (a save, an acknowledgement's few).
const RANGE_READ_FROM: usize = 16;

/// The stored records of `keys` (ascending, as their key strings sort), in their order. A write
/// of many records (a pulled page) first counts what is stored between its first and last
/// key: when that is few beside the keys — a device filling up, whose pages bring complaints
/// it has never held — the whole range comes in one `getAll` with its keys instead of one
/// request per record (IndexedDB's per-request cost was most of a pulled page's commit).
async fn read_records(
    records: &ObjectStore,
    keys: &[ComplaintId],
) -> Result<Vec<Option<JsValue>>, StoreError> {
    let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
    // The range's ends as IndexedDB orders the keys (as strings).
    if let (true, Some(first), Some(last)) = (
        keys.len() >= RANGE_READ_FROM,
        names.iter().min(),
        names.iter().max(),
    ) {
        let (first, last) = (JsValue::from_str(first), JsValue::from_str(last));
        let range = || KeyRange::bound(&first, &last, None, None).map(Query::KeyRange);
        let held = records.count(Some(range()?))?.await?;
        if range_read_pays(held as usize, keys.len()) {
            let values = records.get_all(Some(range()?), None)?;
            let found = records.get_all_keys(Some(range()?), None)?;
            let (values, found) = (values.await?, found.await?);
            let mut by_key: HashMap<String, JsValue> = found
                .into_iter()
                .map(|k| k.as_string().unwrap_or_default())
                .zip(values)
                .collect();
            return Ok(names.iter().map(|k| by_key.remove(k)).collect());
        }
    }
    let reads: Vec<_> = keys
        .iter()
        .map(|cid| records.get(key(cid)))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(reads.len());
    for req in reads {
        out.push(req.await?);
    }
    Ok(out)
}

/// Whether reading the `held` records of a key range beats `wanted` reads by key.
fn range_read_pays(held: usize, wanted: usize) -> bool {
    held <= wanted.saturating_mul(2)
}

/// What one write does to one complaint's record.
#[derive(Default)]
struct Edit<'a> {
    put: Vec<&'a StoredEvent>,
    gone: BTreeSet<EventId>,
}

impl LocalStore {
    /// The stored meta and every stored complaint record (receipts applied), read in one
    /// transaction (a cursor is never ahead of the events it counts) and handed to `each` one
    /// by one as decoded, so no list of every event is ever built (schema 1–2's events are
    /// moved over first). `each` answers how long it took (ms), which the decode measure leaves out.
    pub(super) async fn read_each(
        &self,
        mut each: impl FnMut(ComplaintRecord) -> f64,
    ) -> Result<Option<JsValue>, StoreError> {
        let started = perf::now();
        let (meta, records, receipts) = match self.preloaded().await {
            Some(read) => read,
            None => {
                self.move_old_events().await?;
                self.read_raw().await?
            }
        };
        let mut waited = perf::now() - started;
        let mut marks = Receipt::default();
        for v in &receipts {
            marks.absorb(receipt(v)?);
        }
        let chunks = match records {
            Records::Ready(all) => vec![Chunk::Ready(all)],
            Records::Arriving(promises) => promises.into_iter().map(Chunk::Arriving).collect(),
        };
        let (mut events, mut elsewhere) = (0, 0.0);
        for chunk in chunks {
            let raw = match chunk {
                Chunk::Ready(all) => all,
                // The next chunk is read while this one is decoded.
                Chunk::Arriving(p) => {
                    let t = perf::now();
                    let v = wasm_bindgen_futures::JsFuture::from(p)
                        .await
                        .map_err(|e| StoreError::Failed(format!("{e:?}")))?;
                    waited += perf::now() - t;
                    js_sys::Array::from(&v).to_vec()
                }
            };
            for v in raw {
                let mut r = record(&v)?;
                drop(v);
                if !marks.is_empty() {
                    r.apply(&marks);
                }
                events += r.events.len();
                elsewhere += each(r);
            }
        }
        perf::measure(perf::STORE_READ, perf::now() - waited, events);
        perf::measure(perf::STORE_LOAD, started + elsewhere, events);
        Ok(meta)
    }

    /// Meta, complaint records and receipts as stored, in one transaction.
    async fn read_raw(&self) -> Result<Raw, StoreError> {
        let tx = self
            .db
            .transaction(&[COMPLAINTS, META, RECEIPTS], TransactionMode::ReadOnly)?;
        let meta = tx
            .object_store(META)?
            .get(JsValue::from_str(super::META_KEY))?
            .await?;
        let raw = tx.object_store(COMPLAINTS)?.get_all(None, None)?.await?;
        // In key order: the order they were written in.
        let receipts = tx.object_store(RECEIPTS)?.get_all(None, None)?.await?;
        tx.await?;
        Ok((meta, Records::Ready(raw), receipts))
    }

    /// What `index.html`'s start script read of this database while the app's code loaded
    /// (`self.sitelinePreload`: the same stores in one transaction, the complaint records in
    /// chunks still arriving), taken once — a later load reads afresh. `None` when it read
    /// nothing usable: another schema version, schema 1–2 events still to move, an error, or a
    /// database of another name (tests).
    async fn preloaded(&self) -> Option<Raw> {
        let global = js_sys::global();
        let name = JsValue::from_str("sitelinePreload");
        let promise = js_sys::Reflect::get(&global, &name).ok()?;
        if promise.is_undefined() || self.db.name() != super::DB_NAME {
            return None;
        }
        let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &name);
        let promise: js_sys::Promise = promise.dyn_into().ok()?;
        let read = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        let get = |k: &str| js_sys::Reflect::get(&read, &JsValue::from_str(k)).ok();
        if read.is_null()
            || get("version")?.as_f64() != Some(f64::from(super::DB_VERSION))
            || get("old")?.as_f64() != Some(0.0)
        {
            return None;
        }
        let meta = get("meta").filter(|m| !m.is_undefined());
        let list = |k: &str| Some(get(k)?.dyn_into::<js_sys::Array>().ok()?.to_vec());
        let chunks = list("chunks")?
            .into_iter()
            .map(|p| p.dyn_into::<js_sys::Promise>().ok())
            .collect::<Option<Vec<_>>>()?;
        Some((meta, Records::Arriving(chunks), list("receipts")?))
    }

    /// Schema 1–2 kept one record per event: they become complaint records, and the old store
    /// is emptied, in one transaction (a reload midway finds them where they were).
    async fn move_old_events(&self) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[EVENTS, COMPLAINTS], TransactionMode::ReadWrite)?;
        let old = tx.object_store(EVENTS)?;
        if old.count(None)?.await? == 0 {
            tx.await?;
            return Ok(());
        }
        let mut events = Vec::new();
        for v in old.get_all(None, None)?.await? {
            events.push(from_js::<StoredEvent>(&v)?);
        }
        let records = tx.object_store(COMPLAINTS)?;
        let moved = from_events(&events);
        let pending: Vec<_> = moved
            .keys()
            .map(|cid| records.get(key(cid)))
            .collect::<Result<_, _>>()?;
        for ((cid, mut r), req) in moved.into_iter().zip(pending) {
            // A record a newer tab wrote meanwhile keeps what it has.
            if let Some(v) = req.await? {
                let mut have = record(&v)?;
                have.merge(r.clone().into_stored().collect::<Vec<_>>().iter());
                r = have;
            }
            records.put(&bytes(&r), Some(&key(&cid)))?;
        }
        old.clear()?;
        commit(tx).await
    }

    /// Commits a change (its events and the meta) atomically. Returns only once durable.
    pub async fn write(&self, change: &Change) -> Result<(), StoreError> {
        self.write_with(change, &[], &[]).await
    }

    /// Commits a change together with the upload records of the photos it references (whose
    /// blobs must already be stored: checked in the same transaction) and the removal of
    /// `discard`ed events (with their complaints) — all or nothing.
    pub async fn write_with(
        &self,
        change: &Change,
        uploads: &[UploadRecord],
        discard: &[(ComplaintId, EventId)],
    ) -> Result<(), StoreError> {
        let plan = WritePlan::all(&change.events);
        self.write_plan(&plan, &change.meta, uploads, discard).await
    }

    /// [`Self::write_with`] of a change sorted by what the device holds: its new events into
    /// their records, its acknowledgements as one receipt.
    pub async fn write_plan(
        &self,
        plan: &WritePlan<'_>,
        meta: &ReplicaMeta,
        uploads: &[UploadRecord],
        discard: &[(ComplaintId, EventId)],
    ) -> Result<(), StoreError> {
        let started = perf::now();
        let tx = self.db.transaction(
            &[COMPLAINTS, META, BLOBS, UPLOADS, RECEIPTS],
            TransactionMode::ReadWrite,
        )?;
        let blobs = tx.object_store(BLOBS)?;
        for u in uploads {
            let n = blobs
                .count(Some(JsValue::from_str(&u.sha256).into()))?
                .await?;
            if n == 0 {
                let _ = tx.abort();
                return Err(StoreError::MissingPhoto(u.sha256.clone()));
            }
        }
        let mut edits: BTreeMap<ComplaintId, Edit> = BTreeMap::new();
        for (cid, evs) in by_complaint(plan.records.iter().copied()) {
            edits.entry(cid).or_default().put = evs;
        }
        for (cid, id) in discard {
            edits.entry(*cid).or_default().gone.insert(*id);
        }
        let records = tx.object_store(COMPLAINTS)?;
        // Every record read first (in this transaction), then each merged and put.
        let keys: Vec<ComplaintId> = edits.keys().copied().collect();
        let stored = read_records(&records, &keys).await?;
        // Time merging and encoding (the rest of the write is IndexedDB's).
        let mut encoding = 0.0;
        for ((cid, edit), found) in edits.iter().zip(stored) {
            let t = perf::now();
            let mut r = match found {
                Some(v) => record(&v)?,
                None => ComplaintRecord::default(),
            };
            r.remove(&edit.gone);
            r.merge(edit.put.iter().copied());
            let value = (!r.events.is_empty()).then(|| bytes(&r));
            encoding += perf::now() - t;
            match value {
                Some(v) => {
                    records.put(&v, Some(&key(cid)))?;
                }
                None => {
                    records.delete(key(cid))?;
                }
            }
        }
        if !plan.receipt.is_empty() {
            let bytes: JsValue = Uint8Array::from(plan.receipt.encode().as_slice()).into();
            tx.object_store(RECEIPTS)?.add(&bytes, None)?;
        }
        let up = tx.object_store(UPLOADS)?;
        for u in uploads {
            up.put(&to_js(u)?, Some(&JsValue::from_str(&u.sha256)))?;
        }
        tx.object_store(META)?
            .put(&to_js(meta)?, Some(&JsValue::from_str(super::META_KEY)))?;
        let result = commit(tx).await;
        let written = plan.records.len() + plan.receipt.marks.len();
        perf::measure(perf::STORE_WRITE, started, written);
        perf::measure(
            perf::STORE_ENCODE,
            perf::now() - encoding,
            plan.records.len(),
        );
        result
    }

    /// Folds the oldest receipt into the records it names and removes it, in one transaction;
    /// answers whether there was one (call again while it answers `true`).
    pub async fn compact_receipt(&self) -> Result<bool, StoreError> {
        let tx = self
            .db
            .transaction(&[COMPLAINTS, RECEIPTS], TransactionMode::ReadWrite)?;
        let receipts = tx.object_store(RECEIPTS)?;
        let Some(first) = receipts
            .get_all_keys(None, Some(1))?
            .await?
            .into_iter()
            .next()
        else {
            tx.await?;
            return Ok(false);
        };
        let Some(v) = receipts.get(first.clone())?.await? else {
            tx.await?;
            return Ok(false);
        };
        let marks = receipt(&v)?;
        let records = tx.object_store(COMPLAINTS)?;
        let reads: Vec<_> = marks
            .complaints
            .iter()
            .map(|cid| records.get(key(cid)))
            .collect::<Result<_, _>>()?;
        for (cid, req) in marks.complaints.iter().zip(reads) {
            // A record removed meanwhile (a discarded refusal) has nothing left to mark.
            if let Some(v) = req.await? {
                let mut r = record(&v)?;
                r.apply(&marks);
                records.put(&bytes(&r), Some(&key(cid)))?;
            }
        }
        receipts.delete(first)?;
        commit(tx).await?;
        Ok(true)
    }
}
