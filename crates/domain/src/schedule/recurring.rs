//! Activities that repeat every week (tai chi every morning, choir on Mondays and Fridays).
//!
//! Kiosks only ever see sessions: each repetition becomes an ordinary dated [`Activity`] with
//! its own seats and waiting list, so signing up for Monday's class never touches Friday's.

use time::{Date, Duration, Time};

use super::{Activity, Weekdays};
use crate::LocalizedText;
use crate::sync::record::MAX_ID_LEN;

/// A session's id is the recurring activity's id, '-', and the day (`choir-2026-11-23`), so
/// the recurring id leaves room for 11 characters.
pub const MAX_RECURRING_ID_LEN: usize = MAX_ID_LEN - 11;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringActivity {
    pub id: String,
    pub room_id: String,
    pub title: LocalizedText,
    pub host: LocalizedText,
    pub weekdays: Weekdays,
    pub starts: Time,
    pub ends: Time,
    pub capacity: Option<u32>,
    pub companions_allowed: u8,
    /// The first day it may happen.
    pub first_day: Date,
    /// The last day it may happen; `None` until staff end it.
    pub last_day: Option<Date>,
    /// Its sessions are volunteer service.
    pub volunteer_service: bool,
    /// Its sessions are after-school care (托管).
    pub after_school: bool,
}

impl RecurringActivity {
    pub fn session_id(&self, day: Date) -> String {
        format!("{}-{}", self.id, crate::civil::format_date(day))
    }

    pub fn happens_on(&self, day: Date) -> bool {
        self.weekdays.contains(day.weekday()) && day >= self.first_day && self.last_day.is_none_or(|last| day <= last)
    }

    /// The session on `day`, whether or not it happens that day.
    pub fn session(&self, day: Date) -> Activity {
        Activity {
            id: self.session_id(day),
            room_id: self.room_id.clone(),
            title: self.title.clone(),
            host: self.host.clone(),
            date: day,
            starts: self.starts,
            ends: self.ends,
            capacity: self.capacity,
            companions_allowed: self.companions_allowed,
            cancelled: false,
            volunteer_service: self.volunteer_service,
            after_school: self.after_school,
        }
    }

    /// Its sessions from `first` through `last`, in date order.
    pub fn sessions(&self, first: Date, last: Date) -> impl Iterator<Item = Activity> + '_ {
        let days = (last - first).whole_days().max(-1) + 1;
        (0..days)
            .map(move |offset| first + Duration::days(offset))
            .filter(|day| self.happens_on(*day))
            .map(|day| self.session(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Weekday::{Friday, Monday};
    use time::macros::{date, time};

    fn choir() -> RecurringActivity {
        RecurringActivity {
            id: "choir".into(),
            room_id: "hall".into(),
            title: LocalizedText::new("合唱团排练", "合唱團排練", "Choir practice"),
            host: LocalizedText::new("夕阳红合唱团", "夕陽紅合唱團", "Sunset Choir"),
            weekdays: Weekdays::of(&[Monday, Friday]),
            starts: time!(9:30),
            ends: time!(11:00),
            capacity: Some(40),
            companions_allowed: 0,
            first_day: date!(2026 - 11 - 23),
            last_day: None,
            volunteer_service: false,
            after_school: false,
        }
    }

    fn days(activity: &RecurringActivity, first: Date, last: Date) -> Vec<Date> {
        activity.sessions(first, last).map(|session| session.date).collect()
    }

    #[test]
    fn sessions_fall_on_its_weekdays_each_with_its_own_id() {
        let choir = choir();
        let sessions: Vec<Activity> = choir.sessions(date!(2026 - 11 - 23), date!(2026 - 12 - 06)).collect();
        let dates: Vec<Date> = sessions.iter().map(|s| s.date).collect();
        assert_eq!(dates, [date!(2026 - 11 - 23), date!(2026 - 11 - 27), date!(2026 - 11 - 30), date!(2026 - 12 - 04)]);
        assert_eq!(sessions[0].id, "choir-2026-11-23");
        assert_eq!(sessions[0].starts, time!(9:30));
        assert_eq!(sessions[3].capacity, Some(40));
    }

    #[test]
    fn nothing_before_its_first_day_or_after_its_last() {
        let mut choir = choir();
        assert_eq!(days(&choir, date!(2026 - 11 - 16), date!(2026 - 11 - 22)), []);
        choir.last_day = Some(date!(2026 - 11 - 30));
        assert_eq!(
            days(&choir, date!(2026 - 11 - 16), date!(2026 - 12 - 31)),
            [date!(2026 - 11 - 23), date!(2026 - 11 - 27), date!(2026 - 11 - 30)]
        );
    }

    #[test]
    fn an_empty_or_backwards_range_has_no_sessions() {
        assert_eq!(days(&choir(), date!(2026 - 11 - 30), date!(2026 - 11 - 23)), []);
        assert_eq!(days(&choir(), date!(2026 - 11 - 30), date!(2026 - 11 - 30)), [date!(2026 - 11 - 30)]);
    }

    #[test]
    fn the_longest_recurring_id_still_makes_a_valid_session_id() {
        let mut choir = choir();
        choir.id = "c".repeat(MAX_RECURRING_ID_LEN);
        assert!(crate::sync::record::is_valid_id(&choir.session_id(date!(2026 - 11 - 23))));
    }
}
