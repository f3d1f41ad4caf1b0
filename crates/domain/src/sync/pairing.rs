//! `POST /api/kiosks/pair`: a kiosk trades a one-time code from staff for its id and secret.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairRequest {
    /// The eight digits staff got from the console or `jiayuan-server pairing-code`.
    pub code: String,
    /// The number of the first record the kiosk will push (1 for a new kiosk; more for one
    /// paired again with records still queued).
    #[serde(default = "first_record")]
    pub first_seq: u64,
}

fn first_record() -> u64 {
    1
}

/// What a newly paired kiosk keeps: its id and its secret (shown once; the server keeps only
/// a digest of the secret), and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pairing {
    pub kiosk_id: String,
    pub secret: String,
    pub room_id: String,
    pub site_id: String,
}
