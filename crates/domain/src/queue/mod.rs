//! The kiosk's record queue: every record is saved before the resident sees success, kept
//! until the server's answer for it is saved, and numbered 1, 2, 3 … without reuse.
//!
//! Pure logic over a small key-value store (`KeyValue`): the kiosk backs it with the
//! browser's localStorage, tests with `MemoryStore`. One record is one key, so appending costs
//! the same with 0 or 50,000 records queued (no growing array is rewritten).

mod memory;
mod store;
mod stored;

pub use memory::{BROWSER_QUOTA, MemoryStore};
pub use store::{KeyValue, StoreError};

use serde::{Deserialize, Serialize};

use crate::sync::{Action, KioskRecord, Outcome, RecordResult};
use stored::Stored;

const META: &str = "jy/queue";
const RECORD_PREFIX: &str = "jy/r/";
const ANSWER_PREFIX: &str = "jy/a/";
const ASIDE_PREFIX: &str = "jy/aside/";

fn record_key(seq: u64) -> String {
    format!("{RECORD_PREFIX}{seq}")
}

/// What survives in the store besides the records themselves.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
struct Meta {
    /// Random, made once per kiosk install: with a record's number, it makes the record's id.
    install: String,
    /// The number the next record gets.
    next: u64,
    /// Every record up to this number has its answer saved and may be gone.
    answered: u64,
}

/// Why a record could not be saved: the resident must not be told it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The store is full even after removing what the server already has.
    Full,
    Unavailable(String),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Full => write!(f, "the kiosk's storage is full"),
            SaveError::Unavailable(why) => write!(f, "the kiosk's storage cannot be used: {why}"),
        }
    }
}

impl std::error::Error for SaveError {}

impl From<StoreError> for SaveError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::QuotaFull => SaveError::Full,
            StoreError::Unavailable(why) => SaveError::Unavailable(why),
        }
    }
}

/// What opening the queue found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Entries that could not be read, moved aside under `jy/aside/` for staff to see.
    pub moved_aside: Vec<String>,
}

/// The answer the kiosk keeps for a record (the server's, from a push).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub applied_at: i64,
    pub outcome: Outcome,
}

pub struct RecordQueue<S: KeyValue> {
    store: S,
    meta: Meta,
}

impl<S: KeyValue> RecordQueue<S> {
    /// Opens the queue, repairing what an interrupted write can leave behind: numbering resumes
    /// after the highest record present, and unreadable entries are moved aside, not crashed
    /// on. `new_install_id` is called once, on a kiosk's very first start.
    pub fn open(mut store: S, new_install_id: impl FnOnce() -> String) -> Result<(Self, OpenReport), StoreError> {
        let mut report = OpenReport::default();
        let saved = match store.get(META)? {
            None => None,
            Some(text) => match serde_json::from_str::<Meta>(&text) {
                Ok(meta) if !meta.install.is_empty() => Some(meta),
                _ => {
                    move_aside(&mut store, META, &text)?;
                    report.moved_aside.push(META.to_owned());
                    None
                }
            },
        };
        let mut meta = saved.unwrap_or_else(|| Meta { install: new_install_id(), next: 1, answered: 0 });
        for key in store.keys_with_prefix(RECORD_PREFIX)? {
            let Some(text) = store.get(&key)? else { continue };
            let seq = key[RECORD_PREFIX.len()..].parse::<u64>().ok().filter(|seq| *seq > 0);
            match (seq, serde_json::from_str::<Stored>(&text)) {
                (Some(seq), Ok(_)) => meta.next = meta.next.max(seq + 1),
                _ => {
                    move_aside(&mut store, &key, &text)?;
                    report.moved_aside.push(key);
                }
            }
        }
        meta.next = meta.next.max(meta.answered + 1);
        let mut queue = RecordQueue { store, meta };
        queue.save_meta()?;
        Ok((queue, report))
    }

    /// The id of record `seq`: unique across kiosks through the random install id.
    pub fn record_id(&self, seq: u64) -> String {
        format!("{}-{seq}", self.meta.install)
    }

    /// Saves a new record and returns it; only after this returns Ok may the resident be told.
    pub fn append(&mut self, happened_at: i64, action: Action) -> Result<KioskRecord, SaveError> {
        let seq = self.meta.next;
        let text = serde_json::to_string(&Stored::new(happened_at, &action))
            .map_err(|e| SaveError::Unavailable(e.to_string()))?;
        let key = record_key(seq);
        match self.store.set(&key, &text) {
            Ok(()) => {}
            Err(StoreError::QuotaFull) => {
                // Make room with what the server already has, then try once more.
                self.prune_answers()?;
                self.store.set(&key, &text)?;
            }
            Err(error) => return Err(error.into()),
        }
        self.meta.next += 1;
        // Should this write fail, the record is still saved and `open` numbers on after it.
        let _ = self.save_meta();
        Ok(KioskRecord { seq, id: self.record_id(seq), happened_at, action })
    }

    /// Up to `limit` records waiting for an answer, in order.
    pub fn pending(&self, limit: usize) -> Result<Vec<KioskRecord>, StoreError> {
        let mut records = Vec::new();
        let mut seq = self.meta.answered + 1;
        while seq < self.meta.next && records.len() < limit {
            if let Some(text) = self.store.get(&record_key(seq))? {
                if let Ok(stored) = serde_json::from_str::<Stored>(&text) {
                    let happened_at = stored.happened_at();
                    records.push(KioskRecord { seq, id: self.record_id(seq), happened_at, action: stored.action() });
                }
            }
            seq += 1;
        }
        Ok(records)
    }

    /// The number the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.meta.next
    }

    /// Records saved but not yet answered by the server.
    pub fn pending_count(&self) -> u64 {
        self.meta.next - 1 - self.meta.answered
    }

    /// Keeps the server's answers. Each answer is saved before its record is removed, so a cut
    /// anywhere leaves the record (sent again, answered the same) or its answer, never neither.
    pub fn save_answers(&mut self, results: &[RecordResult]) -> Result<(), StoreError> {
        for result in results {
            let answer = SavedAnswer { applied_at: result.applied_at, outcome: result.outcome.clone() };
            let text = serde_json::to_string(&answer).map_err(|e| StoreError::Unavailable(e.to_string()))?;
            let key = format!("{ANSWER_PREFIX}{}", result.seq);
            if let Err(StoreError::QuotaFull) = self.store.set(&key, &text) {
                self.prune_answers()?;
                self.store.set(&key, &text)?;
            }
            if result.seq == self.meta.answered + 1 {
                self.meta.answered = result.seq;
                self.save_meta()?;
            }
            self.store.remove(&record_key(result.seq))?;
        }
        Ok(())
    }

    /// The server's answer for record `seq`, once it has come (and until pruned).
    pub fn answer(&self, seq: u64) -> Result<Option<SavedAnswer>, StoreError> {
        Ok(self.store.get(&format!("{ANSWER_PREFIX}{seq}"))?.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Removes saved answers: the server has them, and pulls bring its decisions back.
    pub fn prune_answers(&mut self) -> Result<usize, StoreError> {
        let keys = self.store.keys_with_prefix(ANSWER_PREFIX)?;
        for key in &keys {
            self.store.remove(key)?;
        }
        Ok(keys.len())
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    fn save_meta(&mut self) -> Result<(), StoreError> {
        let text = serde_json::to_string(&self.meta).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        self.store.set(META, &text)
    }
}

fn move_aside<S: KeyValue>(store: &mut S, key: &str, text: &str) -> Result<(), StoreError> {
    store.set(&format!("{ASIDE_PREFIX}{key}"), text)?;
    store.remove(key)
}

#[cfg(test)]
mod tests;
