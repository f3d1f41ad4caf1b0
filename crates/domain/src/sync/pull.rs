//! `GET /api/sync/pull?cursor=N`: what changed for the kiosk's site since its cursor.

use serde::{Deserialize, Serialize};

use crate::schedule::{Activity, Room};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Send this back as `cursor` next time.
    pub cursor: u64,
    /// True: this is everything; drop what was held before and keep only this. Sent for a
    /// first pull, and when the cursor is one the server cannot continue from.
    pub reset: bool,
    pub server_time: i64,
    /// The site's key for identity digests (see `identity::digest`).
    pub identity_key: String,
    /// Digest of the staff PIN that opens kiosks' staff panels (`identity::digest`), when the
    /// server has one.
    #[serde(default)]
    pub staff_pin: Option<String>,
    pub rooms: Vec<Room>,
    pub activities: Vec<ScheduledActivity>,
    pub residents: Vec<RosterEntry>,
    /// Every sign-up by this site's residents for the activities in `activities`.
    pub sign_ups: Vec<SignUpDecision>,
    pub deleted: Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledActivity {
    #[serde(flatten)]
    pub activity: Activity,
    /// As the server knew it when answering; `None` when open to all.
    pub seats_left: Option<u32>,
}

/// What a kiosk knows of a resident: enough to recognise them, nothing to expose them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub id: String,
    /// Masked: 张*华.
    pub display_name: String,
    pub card: Option<String>,
    pub phone_last4: Option<String>,
    pub household: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpDecision {
    pub activity_id: String,
    pub resident_id: String,
    pub companions: u8,
    #[serde(flatten)]
    pub status: SignUpStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignUpStatus {
    Confirmed,
    Waitlisted { position: u32 },
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub rooms: Vec<String>,
    pub activities: Vec<String>,
    pub residents: Vec<String>,
}
