//! Rooms, activities and recurring activities as staff type them.

use serde::Deserialize;
use time::Date;

use super::{Problem, ProblemKind, Problems, capacity, companions, day, hours, id, localized, optional_day, yes_or_no};
use crate::schedule::{Activity, MAX_RECURRING_ID_LEN, RecurringActivity, Room, Weekdays};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RoomInput {
    pub id: String,
    pub name_zh_hans: String,
    pub name_zh_hant: String,
    pub name_en: String,
}

impl RoomInput {
    pub fn check(&self) -> Result<Room, Vec<Problem>> {
        let mut problems = Problems::default();
        let id = problems.take(id("id", &self.id));
        let name = problems.take(localized("name_zh_hans", &self.name_zh_hans, &self.name_zh_hant, &self.name_en));
        let room = id.zip(name).map(|(id, name)| Room { id, name });
        problems.done(room)
    }
}

/// One dated activity (a session).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub id: String,
    pub room_id: String,
    pub date: String,
    pub starts: String,
    pub ends: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub title_en: String,
    pub host_zh_hans: String,
    pub host_zh_hant: String,
    pub host_en: String,
    /// Empty: open to all, no sign-up.
    pub capacity: String,
    pub companions_allowed: String,
    /// 是 / 否: volunteer service (a form's checkbox sends "1").
    pub volunteer_service: String,
    /// 是 / 否: after-school care (托管).
    pub after_school: String,
}

impl ActivityInput {
    pub fn check(&self) -> Result<Activity, Vec<Problem>> {
        let mut problems = Problems::default();
        let id = problems.take(id("id", &self.id));
        let room_id = problems.take(id_field("room_id", &self.room_id));
        let date = problems.take(day("date", &self.date));
        let hours = hours(&mut problems, &self.starts, &self.ends);
        let title = problems.take(localized("title_zh_hans", &self.title_zh_hans, &self.title_zh_hant, &self.title_en));
        let host = problems.take(localized("host_zh_hans", &self.host_zh_hans, &self.host_zh_hant, &self.host_en));
        let capacity = problems.take(capacity(&self.capacity));
        let companions = problems.take(companions(&self.companions_allowed));
        let volunteer_service = problems.take(yes_or_no("volunteer_service", &self.volunteer_service));
        let after_school = problems.take(yes_or_no("after_school", &self.after_school));
        let activity = (|| {
            Some(Activity {
                id: id?,
                room_id: room_id?,
                title: title?,
                host: host?,
                date: date?,
                starts: hours?.0,
                ends: hours?.1,
                capacity: capacity?,
                companions_allowed: companions?,
                cancelled: false,
                volunteer_service: volunteer_service?,
                after_school: after_school?,
            })
        })();
        problems.done(activity)
    }

    /// The form for `activity`, as staff would type it.
    pub fn of(activity: &Activity) -> ActivityInput {
        ActivityInput {
            id: activity.id.clone(),
            room_id: activity.room_id.clone(),
            date: crate::civil::format_date(activity.date),
            starts: crate::civil::format_hour_minute(activity.starts),
            ends: crate::civil::format_hour_minute(activity.ends),
            title_zh_hans: activity.title.zh_hans.clone(),
            title_zh_hant: activity.title.zh_hant.clone().unwrap_or_default(),
            title_en: activity.title.en.clone().unwrap_or_default(),
            host_zh_hans: activity.host.zh_hans.clone(),
            host_zh_hant: activity.host.zh_hant.clone().unwrap_or_default(),
            host_en: activity.host.en.clone().unwrap_or_default(),
            capacity: activity.capacity.map(|c| c.to_string()).unwrap_or_default(),
            companions_allowed: activity.companions_allowed.to_string(),
            volunteer_service: yes_no_text(activity.volunteer_service),
            after_school: yes_no_text(activity.after_school),
        }
    }
}

/// A room is chosen, not typed: an empty choice is "empty", a strange one is not an id.
fn id_field(field: &'static str, text: &str) -> Result<String, Problem> {
    id(field, text)
}

/// An activity that repeats every week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RecurringInput {
    pub id: String,
    pub room_id: String,
    /// As staff write them: `mon,wed,fri`, `1,3,5`, `周一、周三`, `每天`, `工作日`.
    pub weekdays: String,
    pub starts: String,
    pub ends: String,
    /// Empty: from the day it is saved.
    pub first_date: String,
    /// Empty: until staff end it.
    pub last_date: String,
    pub title_zh_hans: String,
    pub title_zh_hant: String,
    pub title_en: String,
    pub host_zh_hans: String,
    pub host_zh_hant: String,
    pub host_en: String,
    pub capacity: String,
    pub companions_allowed: String,
    /// 是 / 否: its sessions are volunteer service.
    pub volunteer_service: String,
    /// 是 / 否: its sessions are after-school care (托管).
    pub after_school: String,
}

impl RecurringInput {
    /// Checked, with `today` as its first day when none is given.
    pub fn check(&self, today: Date) -> Result<RecurringActivity, Vec<Problem>> {
        let mut problems = Problems::default();
        let id = problems.take(id("id", &self.id).and_then(|id| {
            if id.len() > MAX_RECURRING_ID_LEN { Err(Problem::new("id", ProblemKind::IdTooLong, &id)) } else { Ok(id) }
        }));
        let room_id = problems.take(id_field("room_id", &self.room_id));
        let weekdays = problems.take(
            Weekdays::parse(&self.weekdays)
                .ok_or_else(|| Problem::new("weekdays", ProblemKind::NotWeekdays, &self.weekdays)),
        );
        let first_day = problems.take(optional_day("first_date", &self.first_date)).map(|d| d.unwrap_or(today));
        let last_day = problems.take(optional_day("last_date", &self.last_date));
        if let (Some(first), Some(Some(last))) = (first_day, last_day)
            && last < first
        {
            problems.take::<()>(Err(Problem::new("last_date", ProblemKind::LastBeforeFirst, &self.last_date)));
        }
        let hours = hours(&mut problems, &self.starts, &self.ends);
        let title = problems.take(localized("title_zh_hans", &self.title_zh_hans, &self.title_zh_hant, &self.title_en));
        let host = problems.take(localized("host_zh_hans", &self.host_zh_hans, &self.host_zh_hant, &self.host_en));
        let capacity = problems.take(capacity(&self.capacity));
        let companions = problems.take(companions(&self.companions_allowed));
        let volunteer_service = problems.take(yes_or_no("volunteer_service", &self.volunteer_service));
        let after_school = problems.take(yes_or_no("after_school", &self.after_school));
        let recurring = (|| {
            Some(RecurringActivity {
                id: id?,
                room_id: room_id?,
                title: title?,
                host: host?,
                weekdays: weekdays?,
                starts: hours?.0,
                ends: hours?.1,
                capacity: capacity?,
                companions_allowed: companions?,
                first_day: first_day?,
                last_day: last_day?,
                volunteer_service: volunteer_service?,
                after_school: after_school?,
            })
        })();
        problems.done(recurring)
    }

    /// The form for `recurring`, as staff would type it.
    pub fn of(recurring: &RecurringActivity) -> RecurringInput {
        RecurringInput {
            id: recurring.id.clone(),
            room_id: recurring.room_id.clone(),
            weekdays: recurring.weekdays.to_string(),
            starts: crate::civil::format_hour_minute(recurring.starts),
            ends: crate::civil::format_hour_minute(recurring.ends),
            first_date: crate::civil::format_date(recurring.first_day),
            last_date: recurring.last_day.map(crate::civil::format_date).unwrap_or_default(),
            title_zh_hans: recurring.title.zh_hans.clone(),
            title_zh_hant: recurring.title.zh_hant.clone().unwrap_or_default(),
            title_en: recurring.title.en.clone().unwrap_or_default(),
            host_zh_hans: recurring.host.zh_hans.clone(),
            host_zh_hant: recurring.host.zh_hant.clone().unwrap_or_default(),
            host_en: recurring.host.en.clone().unwrap_or_default(),
            capacity: recurring.capacity.map(|c| c.to_string()).unwrap_or_default(),
            companions_allowed: recurring.companions_allowed.to_string(),
            volunteer_service: yes_no_text(recurring.volunteer_service),
            after_school: yes_no_text(recurring.after_school),
        }
    }
}

/// A yes-or-no as the form and the files write it back.
fn yes_no_text(yes: bool) -> String {
    if yes { "1" } else { "" }.to_owned()
}
