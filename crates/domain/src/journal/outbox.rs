//! What the kiosk sends next: every number from where the server stands, in order, none
//! skipped. A number whose entry is damaged or gone still goes, as a `Void`, so one bad entry
//! can never hold back the records after it.

use crate::sync::{Action, KioskRecord, VoidReason};

use super::{JournalMeta, decode};

/// Up to `limit` records from number `from`, built from `held` (the entries the store returned
/// for numbers `from` onwards, in increasing order). `now` stamps the numbers given up.
pub fn outbox(meta: &JournalMeta, from: u64, held: &[(u64, String)], limit: usize, now: i64) -> Vec<KioskRecord> {
    let from = from.max(1);
    let end = meta.next.min(from.saturating_add(limit as u64));
    let mut held = held.iter().filter(|(seq, _)| *seq >= from).peekable();
    let mut records = Vec::with_capacity(end.saturating_sub(from) as usize);
    for seq in from..end {
        while held.next_if(|(held_seq, _)| *held_seq < seq).is_some() {}
        let entry = held.next_if(|(held_seq, _)| *held_seq == seq).map(|(_, text)| decode(text));
        let (happened_at, action) = match entry {
            Some(Some(decoded)) => decoded,
            Some(None) => (now, Action::Void { reason: VoidReason::Unreadable }),
            None => (now, Action::Void { reason: VoidReason::NotKept }),
        };
        records.push(KioskRecord { seq, id: meta.record_id(seq), happened_at, action });
    }
    records
}
