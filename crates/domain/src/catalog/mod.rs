//! The kiosk's copy of what the server knows: rooms, the schedule, the roster and the
//! server's decisions on sign-ups. Kept whole in local storage so residents are recognised and
//! activities browsed with the network down; brought up to date by each pull.

mod identify;
mod standing;

pub use identify::Identification;
pub use standing::{Standing, standing};

use serde::{Deserialize, Serialize};
use time::{Date, Time};

/// Check-in opens this long before an activity starts.
pub const CHECK_IN_OPENS_MINUTES: i64 = 30;

use crate::schedule::Room;
use crate::sync::pull::{PullResponse, RosterEntry, ScheduledActivity, SignUpDecision};

/// Kept in localStorage as plain JSON, in the same shapes a pull brings, so the kiosk reads
/// both with one set of readers (their size is the kiosk's download); records are in the
/// journal, so localStorage holds little else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The pull cursor; 0 before the first pull.
    pub cursor: u64,
    pub identity_key: String,
    /// Digest of the staff PIN (see `identity::digest`), when the server has one.
    pub staff_pin: Option<String>,
    /// The community's offset from UTC in minutes, from the last pull that said it.
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
    pub rooms: Vec<Room>,
    pub activities: Vec<ScheduledActivity>,
    pub residents: Vec<RosterEntry>,
    pub sign_ups: Vec<SignUpDecision>,
}

fn upsert<T>(items: &mut Vec<T>, new: Vec<T>, same: impl Fn(&T, &T) -> bool) {
    for item in new {
        match items.iter_mut().find(|old| same(old, &item)) {
            Some(old) => *old = item,
            None => items.push(item),
        }
    }
}

impl Catalog {
    /// Takes in one pull: everything, when the server says `reset`; otherwise the changes.
    pub fn apply(&mut self, pull: PullResponse) {
        if pull.reset {
            *self = Catalog::default();
        }
        self.cursor = pull.cursor;
        self.identity_key = pull.identity_key;
        self.staff_pin = pull.staff_pin;
        self.utc_offset_minutes = pull.utc_offset_minutes.or(self.utc_offset_minutes);
        upsert(&mut self.rooms, pull.rooms, |a, b| a.id == b.id);
        for activity in pull.activities {
            self.put_in_order(activity);
        }
        upsert(&mut self.residents, pull.residents, |a, b| a.id == b.id);
        upsert(&mut self.sign_ups, pull.sign_ups, |a, b| {
            a.activity_id == b.activity_id && a.resident_id == b.resident_id
        });
        let deleted = pull.deleted;
        self.rooms.retain(|room| !deleted.rooms.contains(&room.id));
        self.activities.retain(|a| !deleted.activities.contains(&a.activity.id));
        self.residents.retain(|r| !deleted.residents.contains(&r.id));
        self.sign_ups
            .retain(|s| !deleted.activities.contains(&s.activity_id) && !deleted.residents.contains(&s.resident_id));
    }

    /// Puts `new` in place of the activity with its id, in time order (then by id). Placed one
    /// by one rather than sorted afterwards: a sort's code is ~1 KB of the kiosk's download.
    fn put_in_order(&mut self, new: ScheduledActivity) {
        if let Some(at) = self.activities.iter().position(|old| old.activity.id == new.activity.id) {
            self.activities.remove(at);
        }
        let key = |a: &ScheduledActivity| (a.activity.date, a.activity.starts);
        let at = self
            .activities
            .partition_point(|old| (key(old), old.activity.id.as_str()) < (key(&new), new.activity.id.as_str()));
        self.activities.insert(at, new);
    }

    /// Forgets activities that ended before `today`: nobody can sign up for them any more.
    pub fn drop_days_before(&mut self, today: Date) {
        self.activities.retain(|a| a.activity.date >= today);
        let kept: Vec<&str> = self.activities.iter().map(|a| a.activity.id.as_str()).collect();
        self.sign_ups.retain(|s| kept.contains(&s.activity_id.as_str()));
    }

    pub fn resident(&self, id: &str) -> Option<&RosterEntry> {
        self.residents.iter().find(|r| r.id == id)
    }

    pub fn activity(&self, id: &str) -> Option<&ScheduledActivity> {
        self.activities.iter().find(|a| a.activity.id == id)
    }

    pub fn room(&self, id: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    /// The day's activities, earliest first.
    pub fn day(&self, date: Date) -> impl Iterator<Item = &ScheduledActivity> {
        self.activities.iter().filter(move |a| a.activity.date == date)
    }

    /// Activities in `room_id` a resident can check in to at `now`: started, or starting within
    /// half an hour, and not yet over.
    pub fn on_now(&self, room_id: &str, today: Date, now: Time) -> impl Iterator<Item = &ScheduledActivity> {
        let soon = now + time::Duration::minutes(CHECK_IN_OPENS_MINUTES);
        let before_midnight = soon > now;
        self.day(today).filter(move |a| {
            let starts_soon = a.activity.starts <= soon || !before_midnight;
            a.activity.room_id == room_id && starts_soon && now < a.activity.ends
        })
    }

    /// The after-school session (托管) in `room_id` a guardian hands children over at: the one
    /// on now (drop-offs and pick-ups), or else the last that ended today (pick-ups only: a
    /// grandparent who comes late still takes the child home). With whether it is on now.
    pub fn after_school_here(&self, room_id: &str, today: Date, now: Time) -> Option<(&ScheduledActivity, bool)> {
        let care = |a: &&ScheduledActivity| a.activity.after_school && !a.activity.cancelled;
        if let Some(on) = self.on_now(room_id, today, now).find(care) {
            return Some((on, true));
        }
        self.day(today)
            .filter(care)
            .filter(|a| a.activity.room_id == room_id && a.activity.ends <= now)
            .max_by_key(|a| a.activity.ends)
            .map(|a| (a, false))
    }

    pub fn decision(&self, resident_id: &str, activity_id: &str) -> Option<&SignUpDecision> {
        self.sign_ups.iter().find(|s| s.resident_id == resident_id && s.activity_id == activity_id)
    }
}

#[cfg(test)]
mod tests;
