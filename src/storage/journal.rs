//! The kiosk's journal in IndexedDB: one committed, flushed transaction per record before the
//! resident is told it is saved; the rules (numbering, what to send, what to forget, moving
//! the old localStorage queue in) are the domain's (`jiayuan_domain::journal`).
//!
//! Two stores: `records` (number → entry text) and `meta` (one JSON value: install id, where
//! numbering and answers stand, staff's tallies). The kiosk is the only writer; it keeps the
//! meta in memory and writes it with the answers, so saving a record is a single `put`.

use std::cell::RefCell;

use jiayuan_domain::journal::{self, JournalMeta, Migration};
use jiayuan_domain::sync::{Action, KioskRecord, RecordResult};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbKeyRange};

use super::idb::{self, Durability};
use super::{StorageError, key_value};

const DATABASE: &str = "jiayuan";
const RECORDS: &str = "records";
const META: &str = "meta";
const STORES: &[&str] = &[RECORDS, META];
const META_KEY: &str = "journal";
/// Entries read at a time when looking for what may be forgotten.
const FORGET_CHUNK: u32 = 500;

pub struct Journal {
    db: IdbDatabase,
    meta: RefCell<JournalMeta>,
}

/// What opening found, for staff.
pub struct Opened {
    /// Records moved in from the old localStorage queue on this start.
    pub moved_in: usize,
}

fn key(seq: u64) -> JsValue {
    // Record numbers stay far below 2^53 in practice; IndexedDB keys are doubles.
    JsValue::from_f64(seq as f64)
}

fn seq_of(key: &JsValue) -> Option<u64> {
    key.as_f64().filter(|k| *k >= 1.0 && k.fract() == 0.0).map(|k| k as u64)
}

impl Journal {
    /// Opens the journal; on a kiosk's first start with it, moves the old localStorage queue in
    /// (exactly once: the move and the journal's first meta commit together).
    pub async fn open() -> Result<(Journal, Opened), StorageError> {
        let db = idb::open(DATABASE, STORES).await?;
        let mut opened = Opened { moved_in: 0 };
        let meta = match read_meta(&db).await? {
            Some(meta) => meta,
            None => {
                let legacy = key_value::entries_with_prefix("jy/");
                let migration = journal::migrate_local_storage(&legacy, random_install_id)
                    .unwrap_or_else(|| Migration { meta: JournalMeta::new(random_install_id()), records: Vec::new() });
                opened.moved_in = migration.records.len();
                match first_write(&db, &migration).await {
                    Ok(()) => migration.meta,
                    // Another page of this kiosk made the journal first: use what it wrote.
                    Err(_) => read_meta(&db)
                        .await?
                        .ok_or_else(|| StorageError::Unavailable("the journal could not be started".into()))?,
                }
            }
        };
        // The old queue's keys go only once the journal holds their records.
        key_value::remove_matching(journal::is_legacy_key);
        let highest = highest_held(&db).await?;
        let journal = Journal { db, meta: RefCell::new(meta.resumed(highest)) };
        Ok((journal, opened))
    }

    /// Saves a record. Returns only once the browser says it is on the disk: then, and only
    /// then, may the resident be told.
    pub async fn append(&self, happened_at: i64, action: Action) -> Result<KioskRecord, StorageError> {
        let Some(seq) = self.meta.borrow_mut().take_number() else {
            return Err(StorageError::Unavailable("record numbers are used up".into()));
        };
        let entry = journal::encode(happened_at, &action);
        let mut written = self.put(seq, &entry).await;
        if written == Err(StorageError::Full) {
            // Make room with what the server already has, then try once more.
            self.forget_answered(0).await;
            written = self.put(seq, &entry).await;
        }
        if let Err(error) = written {
            self.meta.borrow_mut().give_back(seq);
            return Err(error);
        }
        let id = self.meta.borrow().record_id(seq);
        Ok(KioskRecord { seq, id, happened_at, action })
    }

    async fn put(&self, seq: u64, entry: &str) -> Result<(), StorageError> {
        let tx = idb::transaction(&self.db, &[RECORDS], true, Durability::Flushed)?;
        let store = tx.object_store(RECORDS).map_err(|e| StorageError::from_js("saving a record", &e))?;
        store
            .put_with_key(&JsValue::from_str(entry), &key(seq))
            .map_err(|e| StorageError::from_js("saving a record", &e))?;
        idb::committed(&tx).await
    }

    /// Up to `limit` records to send from number `from`, one per number (see `journal::outbox`).
    pub async fn outbox(&self, from: u64, limit: usize, now: i64) -> Result<Vec<KioskRecord>, StorageError> {
        let next = self.meta.borrow().next;
        if from >= next {
            return Ok(Vec::new());
        }
        let count = u32::try_from(limit.min((next - from) as usize)).unwrap_or(u32::MAX);
        let held = self.read_from(from, count).await?;
        Ok(journal::outbox(&self.meta.borrow(), from, &held, limit, now))
    }

    /// Every record the journal still keeps (a week of them), readable ones only, oldest
    /// first: what the kiosk did lately, for what it must remember (`state::visit_notes`).
    pub async fn kept(&self) -> Result<Vec<KioskRecord>, StorageError> {
        let held = self.read_from(1, u32::MAX).await?;
        let meta = self.meta.borrow();
        Ok(held
            .iter()
            .filter_map(|(seq, text)| {
                let (happened_at, action) = journal::decode(text)?;
                Some(KioskRecord { seq: *seq, id: meta.record_id(*seq), happened_at, action })
            })
            .collect())
    }

    /// Entries from number `from` on, at most `count`, in order.
    async fn read_from(&self, from: u64, count: u32) -> Result<Vec<(u64, String)>, StorageError> {
        let tx = idb::transaction(&self.db, &[RECORDS], false, Durability::Relaxed)?;
        let store = tx.object_store(RECORDS).map_err(|e| StorageError::from_js("reading records", &e))?;
        let range = IdbKeyRange::lower_bound(&key(from)).map_err(|e| StorageError::from_js("reading records", &e))?;
        let keys = store
            .get_all_keys_with_key_and_limit(&range, count)
            .map_err(|e| StorageError::from_js("reading records", &e))?;
        let values = store
            .get_all_with_key_and_limit(&range, count)
            .map_err(|e| StorageError::from_js("reading records", &e))?;
        let keys: js_sys::Array = idb::result(keys).await?.unchecked_into();
        let values: js_sys::Array = idb::result(values).await?.unchecked_into();
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(key, value)| Some((seq_of(&key)?, value.as_string().unwrap_or_default())))
            .collect())
    }

    /// Keeps the server's answers to `sent`: the answered mark and staff's tallies, in one
    /// transaction. The records stay a week (a restored server may ask for them again).
    pub async fn save_answers(&self, sent: &[KioskRecord], results: &[RecordResult]) -> Result<(), StorageError> {
        let mut meta = self.meta.borrow().clone();
        meta.take_answers(sent, results);
        write_meta(&self.db, &meta, Durability::Relaxed).await?;
        let mut kept = self.meta.borrow_mut();
        kept.answered = kept.answered.max(meta.answered);
        kept.given_up = meta.given_up;
        kept.refused = meta.refused;
        Ok(())
    }

    /// Forgets answered records older than `keep_ms` (a week, or 0 when room is needed),
    /// oldest first. Failing to forget costs only room, so failures are logged, not returned.
    pub async fn forget_answered(&self, keep_ms: i64) {
        let now = js_sys::Date::now() as i64;
        loop {
            let (answered, next) = {
                let meta = self.meta.borrow();
                (meta.answered, meta.next)
            };
            let Ok(oldest) = self.read_from(1, FORGET_CHUNK).await else { return };
            let dated: Vec<(u64, Option<i64>)> =
                oldest.iter().map(|(seq, text)| (*seq, journal::decode(text).map(|(at, _)| at))).collect();
            let Some(through) = journal::forget_through(answered, &dated, now, keep_ms) else { return };
            let Some(first) = dated.first().map(|(seq, _)| *seq) else { return };
            if let Err(error) = self.delete_through(first, through, next).await {
                web_sys::console::warn_1(&format!("could not forget old records: {error}").into());
                return;
            }
            if dated.len() < FORGET_CHUNK as usize || dated.last().map(|(seq, _)| *seq) != Some(through) {
                return;
            }
        }
    }

    async fn delete_through(&self, first: u64, through: u64, next: u64) -> Result<(), StorageError> {
        let tx = idb::transaction(&self.db, &[RECORDS, META], true, Durability::Relaxed)?;
        let failed = |e: JsValue| StorageError::from_js("forgetting records", &e);
        let range = IdbKeyRange::bound(&key(first), &key(through)).map_err(failed)?;
        tx.object_store(RECORDS).map_err(failed)?.delete(&range).map_err(failed)?;
        // With its records gone, the meta alone says where numbering stands.
        let meta = JournalMeta { next, ..self.meta.borrow().clone() };
        put_meta(&tx, &meta)?;
        idb::committed(&tx).await
    }

    /// Closes the database (tests delete it afterwards; a kiosk keeps it open while it runs).
    pub fn close(self) {
        self.db.close();
    }

    /// A copy of where the journal stands.
    pub fn meta(&self) -> JournalMeta {
        self.meta.borrow().clone()
    }

    /// The number the server should see first from a newly paired kiosk.
    pub fn first_unanswered(&self) -> u64 {
        self.meta.borrow().answered.saturating_add(1)
    }

    /// Keeps `text` under `key` beside the journal's own meta, flushed to the disk before it
    /// returns, as a record is: what the kiosk must not lose to a power cut (its pairing).
    pub async fn keep(&self, key: &str, text: &str) -> Result<(), StorageError> {
        let failed = |e: JsValue| StorageError::from_js("saving the kiosk's pairing", &e);
        let tx = idb::transaction(&self.db, &[META], true, Durability::Flushed)?;
        tx.object_store(META)
            .map_err(failed)?
            .put_with_key(&JsValue::from_str(text), &JsValue::from_str(key))
            .map_err(failed)?;
        idb::committed(&tx).await
    }

    /// What `keep` kept under `key`.
    pub async fn kept_text(&self, key: &str) -> Result<Option<String>, StorageError> {
        let tx = idb::transaction(&self.db, &[META], false, Durability::Relaxed)?;
        let store = tx.object_store(META).map_err(|e| StorageError::from_js("reading the kiosk's pairing", &e))?;
        let request =
            store.get(&JsValue::from_str(key)).map_err(|e| StorageError::from_js("reading the kiosk's pairing", &e))?;
        Ok(idb::result(request).await?.as_string())
    }

    /// Keeps the numbering where it is, so the next start resumes after the newest record even
    /// if every record is forgotten by then.
    pub async fn save_meta(&self) -> Result<(), StorageError> {
        let meta = self.meta();
        write_meta(&self.db, &meta, Durability::Relaxed).await
    }
}

async fn read_meta(db: &IdbDatabase) -> Result<Option<JournalMeta>, StorageError> {
    let tx = idb::transaction(db, &[META], false, Durability::Relaxed)?;
    let store = tx.object_store(META).map_err(|e| StorageError::from_js("reading the journal", &e))?;
    let request =
        store.get(&JsValue::from_str(META_KEY)).map_err(|e| StorageError::from_js("reading the journal", &e))?;
    let value = idb::result(request).await?;
    Ok(value.as_string().and_then(|text| serde_json::from_str(&text).ok()))
}

fn put_meta(tx: &web_sys::IdbTransaction, meta: &JournalMeta) -> Result<(), StorageError> {
    let failed = |e: JsValue| StorageError::from_js("saving the journal", &e);
    let text = serde_json::to_string(meta).map_err(|e| StorageError::Unavailable(e.to_string()))?;
    tx.object_store(META)
        .map_err(failed)?
        .put_with_key(&JsValue::from_str(&text), &JsValue::from_str(META_KEY))
        .map_err(failed)?;
    Ok(())
}

async fn write_meta(db: &IdbDatabase, meta: &JournalMeta, durability: Durability) -> Result<(), StorageError> {
    let tx = idb::transaction(db, &[META], true, durability)?;
    put_meta(&tx, meta)?;
    idb::committed(&tx).await
}

/// The journal's first state, with the old queue's records, in one transaction. `add` fails if
/// a meta is already there, which undoes the whole move: it can happen only once.
async fn first_write(db: &IdbDatabase, migration: &Migration) -> Result<(), StorageError> {
    let tx = idb::transaction(db, &[RECORDS, META], true, Durability::Flushed)?;
    let failed = |e: JsValue| StorageError::from_js("moving records into the journal", &e);
    let text = serde_json::to_string(&migration.meta).map_err(|e| StorageError::Unavailable(e.to_string()))?;
    tx.object_store(META)
        .map_err(failed)?
        .add_with_key(&JsValue::from_str(&text), &JsValue::from_str(META_KEY))
        .map_err(failed)?;
    let records = tx.object_store(RECORDS).map_err(failed)?;
    for (seq, entry) in &migration.records {
        records.put_with_key(&JsValue::from_str(entry), &key(*seq)).map_err(failed)?;
    }
    idb::committed(&tx).await
}

/// The highest record number held, if any.
async fn highest_held(db: &IdbDatabase) -> Result<Option<u64>, StorageError> {
    let tx = idb::transaction(db, &[RECORDS], false, Durability::Relaxed)?;
    let failed = |e: JsValue| StorageError::from_js("reading records", &e);
    let store = tx.object_store(RECORDS).map_err(failed)?;
    let request = store
        .open_key_cursor_with_range_and_direction(&JsValue::NULL, web_sys::IdbCursorDirection::Prev)
        .map_err(failed)?;
    let cursor = idb::result(request).await?;
    Ok(cursor.dyn_into::<web_sys::IdbCursor>().ok().and_then(|cursor| cursor.key().ok()).as_ref().and_then(seq_of))
}

/// 64 random bits from the browser's generator: with a record's number, unique per kiosk.
fn random_install_id() -> String {
    let random = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}", random(), random())
}
