//! Rooms and the activities held in them.

use serde::{Deserialize, Serialize};
use time::{Date, Time};

use crate::LocalizedText;

mod recurring;
mod weekdays;

pub use recurring::{MAX_RECURRING_ID_LEN, RecurringActivity};
pub use weekdays::Weekdays;

/// An activity room in the community, where a kiosk stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Room {
    pub id: String,
    pub name: LocalizedText,
}

/// One session of an activity on one day, in the community's local time.
///
/// Times are civil times of the community (no time zone): a class "at 9:00" stays at 9:00
/// whatever a kiosk's clock or the server's zone says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: String,
    pub room_id: String,
    pub title: LocalizedText,
    /// Who leads it: a teacher, a club or a volunteer, as residents call them.
    pub host: LocalizedText,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-11-23"))]
    #[serde(with = "crate::civil::date")]
    pub date: Date,
    #[serde(with = "crate::civil::hour_minute")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:30"))]
    pub starts: Time,
    #[serde(with = "crate::civil::hour_minute")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:30"))]
    pub ends: Time,
    /// Seats for residents; `None` means open to all, with no sign-up needed.
    pub capacity: Option<u32>,
    /// How many companions (a grandchild, a spouse) one resident may bring: 0 to 2.
    pub companions_allowed: u8,
    /// Staff cancelled this session (a holiday, a teacher ill): it stays, with its sign-ups,
    /// but takes none and residents are told.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
    /// Volunteer service (爱心银行): volunteers tap 开始服务 / 结束服务 and their hours count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub volunteer_service: bool,
    /// After-school care (托管, 小饭桌): a child's check-in is their drop-off, and a guardian
    /// picks them up (`handover`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_school: bool,
}

impl Activity {
    /// Open to all: no sign-up, anyone may come (`seats::is_open_to_all`).
    pub fn is_open_to_all(&self) -> bool {
        crate::seats::is_open_to_all(self.capacity)
    }

    /// Seats still free when `taken` seats are taken; `None` when the activity is open to all.
    pub fn seats_left(&self, taken: u32) -> Option<u32> {
        self.capacity.map(|capacity| capacity.saturating_sub(taken))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, time};

    fn tai_chi(capacity: Option<u32>) -> Activity {
        Activity {
            id: "a1".into(),
            room_id: "r1".into(),
            title: LocalizedText::new("太极拳", "太極拳", "Tai chi"),
            host: LocalizedText::new("王老师", "王老師", "Teacher Wang"),
            date: date!(2026 - 11 - 23),
            starts: time!(8:30),
            ends: time!(9:30),
            capacity,
            companions_allowed: 0,
            cancelled: false,
            volunteer_service: false,
            after_school: false,
        }
    }

    #[test]
    fn seats_left_never_goes_below_zero() {
        let activity = tai_chi(Some(20));
        assert_eq!(activity.seats_left(0), Some(20));
        assert_eq!(activity.seats_left(19), Some(1));
        assert_eq!(activity.seats_left(25), Some(0));
    }

    #[test]
    fn open_activities_have_no_seat_count() {
        assert_eq!(tai_chi(None).seats_left(100), None);
    }

    #[test]
    fn dates_and_times_travel_as_plain_text() {
        let json = serde_json::to_value(tai_chi(Some(20))).unwrap();
        assert_eq!(json["date"], "2026-11-23");
        assert_eq!(json["starts"], "08:30");
        let back: Activity = serde_json::from_value(json).unwrap();
        assert_eq!(back, tai_chi(Some(20)));
    }
}
