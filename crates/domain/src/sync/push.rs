//! `POST /api/sync/push`: a kiosk sends its records in order and gets an answer for each.

use serde::{Deserialize, Serialize};

use super::{KioskRecord, Outcome, RecordError};

/// How many records one push may carry; a kiosk with more sends several batches.
pub const MAX_BATCH: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// In increasing `seq` order, without gaps.
    pub records: Vec<KioskRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The server's clock (ms since 1970) when it answered; the kiosk's staff panel shows the
    /// difference from its own clock.
    pub server_time: i64,
    /// The highest record number the server has applied for this kiosk.
    pub applied_through: u64,
    /// One per record sent, in the same order.
    pub results: Vec<RecordResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordResult {
    pub seq: u64,
    pub id: String,
    /// The server's clock when it first applied the record; the same on every resend.
    pub applied_at: i64,
    pub outcome: Outcome,
}

/// Why a batch cannot even be considered: the kiosk built it wrongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    TooMany(usize),
    Record {
        seq: u64,
        error: RecordError,
    },
    /// Numbers must follow one another: `seq` came after `after`.
    NotConsecutive {
        after: u64,
        seq: u64,
    },
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::TooMany(n) => write!(f, "{n} records in one push; at most {MAX_BATCH}"),
            BatchError::Record { seq, error } => write!(f, "record {seq}: {error}"),
            BatchError::NotConsecutive { after, seq } => {
                write!(f, "records in a push must be numbered one after another; {seq} follows {after}")
            }
        }
    }
}

impl std::error::Error for BatchError {}

impl PushRequest {
    /// The shape of a push, before the server looks at anything it holds: at most
    /// `MAX_BATCH` well-formed records numbered one after another.
    pub fn check(&self) -> Result<(), BatchError> {
        if self.records.len() > MAX_BATCH {
            return Err(BatchError::TooMany(self.records.len()));
        }
        for record in &self.records {
            record.validate().map_err(|error| BatchError::Record { seq: record.seq, error })?;
        }
        for pair in self.records.windows(2) {
            if pair[0].seq.checked_add(1) != Some(pair[1].seq) {
                return Err(BatchError::NotConsecutive { after: pair[0].seq, seq: pair[1].seq });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{Action, Person};

    fn record(seq: u64) -> KioskRecord {
        KioskRecord { seq, id: format!("k-{seq}"), happened_at: 0, action: Action::SignIn { person: Person::Visitor } }
    }

    #[test]
    fn a_push_is_well_formed_records_numbered_one_after_another() {
        assert_eq!(PushRequest { records: vec![record(4), record(5), record(6)] }.check(), Ok(()));
        assert_eq!(PushRequest { records: vec![] }.check(), Ok(()));
        assert_eq!(
            PushRequest { records: vec![record(4), record(6)] }.check(),
            Err(BatchError::NotConsecutive { after: 4, seq: 6 })
        );
        let too_many = PushRequest { records: (1..=MAX_BATCH as u64 + 1).map(record).collect() };
        assert_eq!(too_many.check(), Err(BatchError::TooMany(MAX_BATCH + 1)));
    }

    #[test]
    fn the_largest_numbers_are_refused_without_overflowing() {
        let at_the_end = PushRequest { records: vec![record(u64::MAX - 1), record(u64::MAX)] };
        assert!(matches!(at_the_end.check(), Err(BatchError::Record { error: RecordError::SeqTooLarge(_), .. })));
    }
}
