//! `POST /api/sync/push`: a kiosk sends its records in order and gets an answer for each.

use serde::{Deserialize, Serialize};

use super::{KioskRecord, Outcome};

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

/// The answer (HTTP 409) to a batch that skips numbers: resend from `expected_seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeqGap {
    pub error: String,
    pub expected_seq: u64,
}
