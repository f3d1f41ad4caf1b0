//! Regulars who stop coming (关爱提醒): who counts as a regular, how long they have been away,
//! and when a follow-up quiets them. Days are the community's dates a resident came to any
//! room of the site (signed in or checked in, at a kiosk or on paper): one day however many
//! rooms or times.

use std::collections::BTreeSet;

use time::{Date, Duration};

/// How many weeks before an absence a regular is counted in.
pub const WEEKS_BEFORE: i64 = 4;

/// A site's rules for noticing (both staff may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// A regular came on at least this many different days in the four weeks before.
    pub regular_days: u32,
    /// Not seen for this many days: listed.
    pub absent_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { regular_days: 4, absent_days: 7 }
    }
}

/// The ranges staff may set them in.
pub const REGULAR_DAYS: std::ops::RangeInclusive<u32> = 1..=28;
pub const ABSENT_DAYS: std::ops::RangeInclusive<u32> = 2..=60;

/// A regular not seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    /// The last day they came.
    pub last_came: Date,
    /// Whole days since then, to today.
    pub days_away: i64,
    /// Different days they came in the four weeks up to `last_came`.
    pub days_before: u32,
}

/// What is known of one resident.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The days they came (a set: a day in two rooms is one day).
    pub days: &'a BTreeSet<Date>,
    /// The day of their latest follow-up.
    pub last_follow_up: Option<Date>,
    /// Still on the roster.
    pub active: bool,
}

/// Whether a resident is a regular not seen as of `today`: on the roster, they came on at
/// least `regular_days` different days in the four weeks up to their last visit, and neither
/// came nor were followed up for `absent_days` since. A follow-up after their last visit
/// quiets them until they miss that many days again.
pub fn not_seen(record: Record<'_>, today: Date, settings: Settings) -> Option<Absence> {
    if !record.active {
        return None;
    }
    let (days, last_follow_up) = (record.days, record.last_follow_up);
    let last_came = *days.iter().next_back()?;
    let quiet_from = last_follow_up.map_or(last_came, |followed| followed.max(last_came));
    if (today - quiet_from).whole_days() < i64::from(settings.absent_days) {
        return None;
    }
    let first = last_came - Duration::days(WEEKS_BEFORE * 7 - 1);
    let days_before = u32::try_from(days.range(first..=last_came).count()).unwrap_or(u32::MAX);
    (days_before >= settings.regular_days).then_some(Absence {
        last_came,
        days_away: (today - last_came).whole_days(),
        days_before,
    })
}

/// What staff heard when they followed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    AllWell,
    Unwell,
    InHospital,
    MovedAway,
    PassedAway,
    /// Could not tell by phone: someone should go round.
    VisitNeeded,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::AllWell,
        Outcome::Unwell,
        Outcome::InHospital,
        Outcome::VisitNeeded,
        Outcome::MovedAway,
        Outcome::PassedAway,
    ];

    /// The name the database, the forms and the reports use.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::AllWell => "all_well",
            Outcome::Unwell => "unwell",
            Outcome::InHospital => "in_hospital",
            Outcome::MovedAway => "moved_away",
            Outcome::PassedAway => "passed_away",
            Outcome::VisitNeeded => "visit_needed",
        }
    }

    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|outcome| outcome.name() == name)
    }

    /// Moved away and passed away take the resident off the roster (with that reason).
    pub fn deactivates(self) -> bool {
        matches!(self, Outcome::MovedAway | Outcome::PassedAway)
    }
}

/// The order staff read the list in: living alone first, then the longest away.
pub fn list_order(a: (bool, &Absence), b: (bool, &Absence)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(b.1.days_away.cmp(&a.1.days_away))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn days(list: &[Date]) -> BTreeSet<Date> {
        list.iter().copied().collect()
    }

    fn before(n: i64) -> Date {
        TODAY - Duration::days(n)
    }

    fn away(came: &BTreeSet<Date>, followed: Option<Date>, today: Date, settings: Settings) -> Option<Absence> {
        not_seen(Record { days: came, last_follow_up: followed, active: true }, today, settings)
    }

    #[test]
    fn a_regular_away_for_a_week_is_listed_with_the_days_they_came() {
        let came = days(&[before(20), before(15), before(12), before(8)]);
        let absence = away(&came, None, TODAY, Settings::default()).unwrap();
        assert_eq!(absence, Absence { last_came: before(8), days_away: 8, days_before: 4 });
        assert_eq!(away(&came, None, before(2), Settings::default()), None, "six days away is not yet a week");
    }

    #[test]
    fn one_day_in_two_rooms_is_one_day_and_never_regulars_are_not_listed() {
        // The same day from two rooms, as the caller collects them: one date.
        let came = days(&[before(20), before(20), before(12), before(8)]);
        assert_eq!(came.len(), 3);
        assert_eq!(away(&came, None, TODAY, Settings::default()), None, "three days is not a regular");
        assert_eq!(away(&BTreeSet::new(), None, TODAY, Settings::default()), None, "never came");
        let lower = Settings { regular_days: 3, ..Settings::default() };
        assert!(away(&came, None, TODAY, lower).is_some(), "a site that counts three days a regular");
    }

    #[test]
    fn a_regular_back_from_a_holiday_leaves_the_list() {
        let mut came = days(&[before(40), before(36), before(33), before(30)]);
        assert!(away(&came, None, TODAY, Settings::default()).is_some(), "away a month");
        came.insert(before(1));
        assert_eq!(away(&came, None, TODAY, Settings::default()), None, "back yesterday");
    }

    #[test]
    fn a_resident_off_the_roster_never_appears() {
        let came = days(&[before(20), before(15), before(12), before(8)]);
        let record = Record { days: &came, last_follow_up: None, active: false };
        assert_eq!(not_seen(record, TODAY, Settings::default()), None);
    }

    #[test]
    fn only_the_four_weeks_before_the_absence_count() {
        let came = days(&[before(90), before(80), before(70), before(10)]);
        assert_eq!(away(&came, None, TODAY, Settings::default()), None, "regular long ago, one visit since");
    }

    #[test]
    fn a_follow_up_quiets_them_until_they_miss_as_many_days_again() {
        let came = days(&[before(30), before(25), before(22), before(20)]);
        assert!(away(&came, Some(before(3)), TODAY, Settings::default()).is_none(), "called three days ago");
        assert!(away(&came, Some(before(7)), TODAY, Settings::default()).is_some(), "a week since the call");
        assert!(away(&came, Some(before(40)), TODAY, Settings::default()).is_some(), "a call before the absence");
    }

    #[test]
    fn living_alone_first_then_the_longest_away() {
        let (short, long) = (
            Absence { last_came: before(8), days_away: 8, days_before: 5 },
            Absence { last_came: before(20), days_away: 20, days_before: 5 },
        );
        let mut list = vec![(false, long), (true, short), (false, short), (true, long)];
        list.sort_by(|a, b| list_order((a.0, &a.1), (b.0, &b.1)));
        assert_eq!(list, vec![(true, long), (true, short), (false, long), (false, short)]);
    }

    #[test]
    fn outcomes_have_names_and_two_take_the_resident_off_the_roster() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_name(outcome.name()), Some(outcome));
        }
        let leaving: Vec<_> = Outcome::ALL.into_iter().filter(|o| o.deactivates()).collect();
        assert_eq!(leaving, [Outcome::MovedAway, Outcome::PassedAway]);
    }
}
