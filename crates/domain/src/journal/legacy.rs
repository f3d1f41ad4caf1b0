//! Kiosks in the field before the journal kept their records in localStorage, one key per
//! record (`jy/r/<n>`) beside a counter (`jy/queue`). On the first start of a version with the
//! journal they move into it once: the records not yet answered, with their numbers and the
//! install id unchanged (so their ids are too, and the server recognises any it already
//! applied), and numbering going on after them.

use serde::Deserialize;

use super::JournalMeta;

const META: &str = "jy/queue";
const RECORD: &str = "jy/r/";
const ANSWER: &str = "jy/a/";
/// Where the old queue moved entries it could not read.
const ASIDE: &str = "jy/aside/";

/// The journal's first state, made from the old queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub meta: JournalMeta,
    /// Records not yet answered: number and entry text as the old queue wrote it (the same
    /// compact form the journal keeps). Damaged entries come along and go out as `Void`.
    pub records: Vec<(u64, String)>,
}

#[derive(Deserialize)]
struct OldMeta {
    install: String,
    next: u64,
    answered: u64,
}

/// Whether `key` belongs to the old queue and goes once its records are in the journal.
pub fn is_legacy_key(key: &str) -> bool {
    key == META
        || key.starts_with(RECORD)
        || key.starts_with(ANSWER)
        || key.strip_prefix(ASIDE).is_some_and(|moved| moved == META || moved.starts_with(RECORD))
}

/// The journal's first state from the old queue's localStorage `entries`, or None when this
/// kiosk never had one (a new install).
pub fn migrate_local_storage(entries: &[(String, String)], new_install: impl FnOnce() -> String) -> Option<Migration> {
    let old_meta = entries
        .iter()
        .find(|(key, _)| key == META)
        .and_then(|(_, text)| serde_json::from_str::<OldMeta>(text).ok())
        .filter(|meta| !meta.install.is_empty());
    // An entry both in place and moved aside (a cut while moving it): the one in place wins.
    // Each is put in (number, aside) order as found: a sort's code would cost the kiosk's
    // download ~1 KB, for a list read once in a kiosk's life.
    let mut found: Vec<(u64, bool, &String)> = Vec::new();
    for (key, text) in entries {
        let (aside, key) = match key.strip_prefix(ASIDE) {
            Some(moved) => (true, moved),
            None => (false, key.as_str()),
        };
        let Some(seq) = key.strip_prefix(RECORD).and_then(|n| n.parse::<u64>().ok()).filter(|seq| *seq > 0) else {
            continue;
        };
        let at = found.partition_point(|(s, a, _)| (*s, *a) < (seq, aside));
        found.insert(at, (seq, aside, text));
    }
    found.dedup_by_key(|(seq, _, _)| *seq);
    let mut records: Vec<(u64, String)> = found.into_iter().map(|(seq, _, text)| (seq, text.clone())).collect();
    if old_meta.is_none() && records.is_empty() {
        return None;
    }
    let mut meta = match old_meta {
        Some(old) => JournalMeta { next: old.next, answered: old.answered, ..JournalMeta::new(old.install) },
        None => JournalMeta::new(new_install()),
    };
    let highest = records.last().map(|(seq, _)| *seq);
    records.retain(|(seq, _)| *seq > meta.answered);
    meta = meta.resumed(highest);
    Some(Migration { meta, records })
}
