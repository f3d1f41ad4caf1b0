//! `GET /api/sync/pull?cursor=N`: what changed for the kiosk's site since its cursor.

use serde::{Deserialize, Serialize};

use time::{Date, Time};

use crate::LocalizedText;
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
    /// Slow digest of the staff PIN that opens kiosks' staff panels (`staff_pin::digest`), when
    /// the server has one.
    #[serde(default)]
    pub staff_pin: Option<String>,
    /// The community's offset from UTC in minutes (`--utc-offset`): the kiosk's "today", its
    /// dates and check-in times follow the community's calendar, whatever zone the device is
    /// set to. Absent from older servers.
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
    pub rooms: Vec<Room>,
    pub activities: Vec<ScheduledActivity>,
    pub residents: Vec<RosterEntry>,
    /// Every sign-up by this site's residents for the activities in `activities`.
    pub sign_ups: Vec<SignUpDecision>,
    pub deleted: Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "ScheduledActivityFields", into = "ScheduledActivityFields")]
pub struct ScheduledActivity {
    #[serde(flatten)]
    pub activity: Activity,
    /// As the server knew it when answering; `None` when open to all.
    pub seats_left: Option<u32>,
    /// Seats are drawn (摇号), and the draw has not happened yet: entries instead of sign-ups.
    pub draw: Option<DrawWindow>,
    /// At an after-school session (托管), where the server has its children: ids only.
    #[serde(flatten)]
    pub children: HandedOver,
}

/// The children of an after-school session as the server knew them when answering: dropped
/// off and still in the room, and picked up. Empty for every other session. On the wire as two
/// fields of the activity (`in_the_room`, `picked_up`): a struct of its own would bring its own
/// reader and writer into the kiosk's download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandedOver {
    pub in_the_room: Vec<String>,
    pub picked_up: Vec<String>,
}

/// When a draw takes entries and when it is drawn, ms since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawWindow {
    /// Entries are taken until then (the kiosk offers 参加抽签 before it).
    pub closes_at: i64,
    /// The draw: the close and a grace for kiosks that were offline.
    pub draws_at: i64,
}

impl DrawWindow {
    pub fn takes_entries(&self, now_ms: i64) -> bool {
        now_ms < self.closes_at
    }
}

/// A scheduled activity as it travels: the activity's fields and `seats_left` side by side.
/// Written out rather than with `#[serde(flatten)]`, whose reader and writer are among the
/// largest pieces of the kiosk's download.
#[derive(Clone, Serialize, Deserialize)]
struct ScheduledActivityFields {
    id: String,
    room_id: String,
    title: LocalizedText,
    host: LocalizedText,
    #[serde(with = "crate::civil::date")]
    date: Date,
    #[serde(with = "crate::civil::hour_minute")]
    starts: Time,
    #[serde(with = "crate::civil::hour_minute")]
    ends: Time,
    capacity: Option<u32>,
    companions_allowed: u8,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    cancelled: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    volunteer_service: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    after_school: bool,
    seats_left: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    draw: Option<DrawWindow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    in_the_room: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    picked_up: Vec<String>,
}

impl From<ScheduledActivityFields> for ScheduledActivity {
    fn from(f: ScheduledActivityFields) -> Self {
        let activity = Activity {
            id: f.id,
            room_id: f.room_id,
            title: f.title,
            host: f.host,
            date: f.date,
            starts: f.starts,
            ends: f.ends,
            capacity: f.capacity,
            companions_allowed: f.companions_allowed,
            cancelled: f.cancelled,
            volunteer_service: f.volunteer_service,
            after_school: f.after_school,
        };
        ScheduledActivity {
            activity,
            seats_left: f.seats_left,
            draw: f.draw,
            children: HandedOver { in_the_room: f.in_the_room, picked_up: f.picked_up },
        }
    }
}

impl From<ScheduledActivity> for ScheduledActivityFields {
    fn from(s: ScheduledActivity) -> Self {
        let a = s.activity;
        ScheduledActivityFields {
            id: a.id,
            room_id: a.room_id,
            title: a.title,
            host: a.host,
            date: a.date,
            starts: a.starts,
            ends: a.ends,
            capacity: a.capacity,
            companions_allowed: a.companions_allowed,
            cancelled: a.cancelled,
            volunteer_service: a.volunteer_service,
            after_school: a.after_school,
            seats_left: s.seats_left,
            draw: s.draw,
            in_the_room: s.children.in_the_room,
            picked_up: s.children.picked_up,
        }
    }
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
    /// For volunteers on the roster, their hours that count (爱心银行), in half hours, as the
    /// server knows them; absent for residents who are not volunteers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served: Option<i64>,
    /// Sessions they checked in to in the last week and have not rated: the kiosk asks about
    /// the one that ended last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_rate: Vec<ToRate>,
    /// Changes to their places they have not been told of yet, oldest first: the kiosk says
    /// them when the resident next comes, before anything else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to_tell: Vec<crate::notices::ToTell>,
    /// The children staff listed this resident as a guardian of (托管): ids only, so the kiosk
    /// offers to drop them off and pick them up, and no one else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
}

/// A session a resident may be asked about (满意度), with what the question needs: the
/// session may already have left the kiosk's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToRate {
    pub activity_id: String,
    pub title: LocalizedText,
    /// When the session ended, ms since 1970.
    pub ends_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "SignUpDecisionFields", into = "SignUpDecisionFields")]
pub struct SignUpDecision {
    pub activity_id: String,
    pub resident_id: String,
    pub companions: u8,
    #[serde(flatten)]
    pub status: SignUpStatus,
}

/// A decision as it travels: `status` ("confirmed", "waitlisted", "cancelled") beside the
/// other fields, and `position` with "waitlisted". Written out for the same reason as
/// `ScheduledActivityFields`.
#[derive(Clone, Serialize, Deserialize)]
struct SignUpDecisionFields {
    activity_id: String,
    resident_id: String,
    companions: u8,
    status: StatusName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StatusName {
    Confirmed,
    Waitlisted,
    Entered,
    Cancelled,
}

impl TryFrom<SignUpDecisionFields> for SignUpDecision {
    type Error = &'static str;

    fn try_from(f: SignUpDecisionFields) -> Result<Self, Self::Error> {
        let status = match f.status {
            StatusName::Confirmed => SignUpStatus::Confirmed,
            StatusName::Waitlisted => {
                SignUpStatus::Waitlisted { position: f.position.ok_or("a waiting-list place needs its position")? }
            }
            StatusName::Entered => SignUpStatus::Entered,
            StatusName::Cancelled => SignUpStatus::Cancelled,
        };
        Ok(SignUpDecision { activity_id: f.activity_id, resident_id: f.resident_id, companions: f.companions, status })
    }
}

impl From<SignUpDecision> for SignUpDecisionFields {
    fn from(d: SignUpDecision) -> Self {
        let (status, position) = match d.status {
            SignUpStatus::Confirmed => (StatusName::Confirmed, None),
            SignUpStatus::Waitlisted { position } => (StatusName::Waitlisted, Some(position)),
            SignUpStatus::Entered => (StatusName::Entered, None),
            SignUpStatus::Cancelled => (StatusName::Cancelled, None),
        };
        SignUpDecisionFields {
            activity_id: d.activity_id,
            resident_id: d.resident_id,
            companions: d.companions,
            status,
            position,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignUpStatus {
    Confirmed,
    Waitlisted {
        position: u32,
    },
    /// An entry to a draw not drawn yet (已参加抽签).
    Entered,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deleted {
    pub rooms: Vec<String>,
    pub activities: Vec<String>,
    pub residents: Vec<String>,
}
