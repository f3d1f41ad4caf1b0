//! What the journal keeps beside its records: the kiosk's install id, where numbering stands,
//! how far the server has answered, and what staff should know about.

use serde::{Deserialize, Serialize};

use crate::sync::record::MAX_SEQ;
use crate::sync::{Action, KioskRecord, Outcome, RecordResult, RejectReason};

/// How many record numbers a tally names; its count goes on.
const TALLY_NAMES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalMeta {
    /// Random, made once per kiosk install: with a record's number, it makes the record's id.
    pub install: String,
    /// The number the next record gets.
    pub next: u64,
    /// The server has answered every record up to this number.
    pub answered: u64,
    /// Numbers the kiosk gave up (damaged, or no longer held when the server asked again).
    #[serde(default)]
    pub given_up: Tally,
    /// Records the server will never count here (another site's resident or activity).
    #[serde(default)]
    pub refused: Tally,
}

/// A count, with the most recent record numbers it counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub count: u64,
    pub latest: Vec<u64>,
}

impl Tally {
    fn add(&mut self, seq: u64) {
        if self.latest.contains(&seq) {
            return;
        }
        self.count = self.count.saturating_add(1);
        self.latest.push(seq);
        if self.latest.len() > TALLY_NAMES {
            self.latest.remove(0);
        }
    }
}

impl JournalMeta {
    pub fn new(install: String) -> JournalMeta {
        JournalMeta { install, next: 1, answered: 0, given_up: Tally::default(), refused: Tally::default() }
    }

    /// Where numbering resumes after a restart: after the highest record held and after
    /// everything answered, whichever is later, so no number is ever used twice.
    pub fn resumed(mut self, highest_held: Option<u64>) -> JournalMeta {
        let after_held = highest_held.map_or(1, |seq| seq.saturating_add(1));
        self.next = self.next.max(after_held).max(self.answered.saturating_add(1));
        self
    }

    /// The id of record `seq`: unique across kiosks through the random install id.
    pub fn record_id(&self, seq: u64) -> String {
        format!("{}-{seq}", self.install)
    }

    /// Records saved and not yet answered.
    pub fn unanswered(&self) -> u64 {
        self.next.saturating_sub(1).saturating_sub(self.answered)
    }

    /// Takes the next number, or None when numbering has reached its end (never in practice:
    /// a kiosk would need a record a second for 292 billion years).
    pub fn take_number(&mut self) -> Option<u64> {
        let seq = self.next;
        if seq > MAX_SEQ {
            return None;
        }
        self.next = seq.saturating_add(1);
        Some(seq)
    }

    /// Gives back a number taken for a record that could not be written, if nothing came after.
    pub fn give_back(&mut self, seq: u64) {
        if self.next == seq.saturating_add(1) {
            self.next = seq;
        }
    }

    /// Takes in the server's answers to `sent`: the answered mark moves past every answer that
    /// follows on from it, and staff's tallies note the numbers given up and the records
    /// refused for good.
    pub fn take_answers(&mut self, sent: &[KioskRecord], results: &[RecordResult]) {
        for result in results {
            if result.seq <= self.answered.saturating_add(1) {
                self.answered = self.answered.max(result.seq);
            }
            if let Outcome::Rejected { reason: RejectReason::OtherSite, .. } = result.outcome {
                self.refused.add(result.seq);
            }
        }
        for record in sent {
            if matches!(record.action, Action::Void { .. }) && results.iter().any(|r| r.seq == record.seq) {
                self.given_up.add(record.seq);
            }
        }
    }
}
