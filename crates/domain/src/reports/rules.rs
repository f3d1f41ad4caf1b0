//! Counting rules the reports share.

use std::collections::BTreeSet;

use time::Date;

use super::Period;

/// Participation: residents who came at least once, per thousand residents on the roster
/// (shown as 12.3%). None without a roster to divide by.
pub fn participation_per_mille(came: i64, roster: i64) -> Option<i64> {
    if roster <= 0 {
        return None;
    }
    came.checked_mul(1000).map(|scaled| (scaled + roster / 2) / roster)
}

/// Demand at a draw (摇号): entries per seat, in tenths (2.5 entries a seat: 25), rounded to
/// the nearest. None without seats to divide by.
pub fn entries_per_seat_tenths(entries: i64, seats: u32) -> Option<i64> {
    let seats = i64::from(seats);
    if seats == 0 {
        return None;
    }
    entries.checked_mul(10).map(|scaled| (scaled + seats / 2) / seats)
}

/// Residents who kept a confirmed seat and did not check in. Only for sessions with seats,
/// once the session is over, and never for a cancelled one; a sign-up cancelled in time is
/// not a no-show (it is not among `confirmed_not_checked_in`).
pub fn no_shows(confirmed_not_checked_in: i64, has_seats: bool, cancelled: bool, over: bool) -> Option<i64> {
    (has_seats && over && !cancelled).then_some(confirmed_not_checked_in)
}

/// The days of `period` a kiosk in service made no record at all: broken, switched off, or
/// unused. A kiosk is in service from the day it was paired until the day it was revoked, and
/// no day after `today` is silent yet.
pub fn silent_days(
    period: &Period,
    in_service: (Date, Option<Date>),
    today: Date,
    days_with_records: &BTreeSet<Date>,
) -> Vec<Date> {
    let (paired, revoked) = in_service;
    period
        .each_day()
        .filter(|day| *day >= paired && revoked.is_none_or(|revoked| *day <= revoked) && *day <= today)
        .filter(|day| !days_with_records.contains(day))
        .collect()
}

/// Whether an activity is drawing more or fewer people: the average check-ins of the later half
/// of its sessions against the earlier half, in tenths of a person (+25 = 2.5 more a session).
/// None with fewer than two sessions. An odd middle session is left out of both halves.
pub fn trend_tenths(checked_in: &[i64]) -> Option<i64> {
    let half = checked_in.len() / 2;
    if half == 0 {
        return None;
    }
    let sum = |values: &[i64]| values.iter().sum::<i64>();
    let (earlier, later) = (&checked_in[..half], &checked_in[checked_in.len() - half..]);
    let half = i64::try_from(half).ok()?;
    let difference = sum(later).checked_sub(sum(earlier))?.checked_mul(10)?;
    Some(difference / half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn entries_per_seat_are_rounded_to_a_tenth_and_need_seats() {
        assert_eq!(entries_per_seat_tenths(5, 2), Some(25));
        assert_eq!(entries_per_seat_tenths(10, 3), Some(33));
        assert_eq!(entries_per_seat_tenths(2, 3), Some(7));
        assert_eq!(entries_per_seat_tenths(0, 4), Some(0));
        assert_eq!(entries_per_seat_tenths(7, 0), None);
    }

    #[test]
    fn the_trend_compares_the_later_half_of_the_sessions_with_the_earlier() {
        assert_eq!(trend_tenths(&[10, 10, 12, 13]), Some(25));
        assert_eq!(trend_tenths(&[9, 99, 6]), Some(-30), "the middle session is in neither half");
        assert_eq!(trend_tenths(&[4, 4]), Some(0));
        assert_eq!(trend_tenths(&[7]), None);
        assert_eq!(trend_tenths(&[]), None);
    }

    #[test]
    fn a_kiosk_is_silent_only_on_days_it_was_in_service() {
        let period = Period { from: date!(2026 - 11 - 01), to: date!(2026 - 11 - 07) };
        let used: BTreeSet<Date> = [date!(2026 - 11 - 03), date!(2026 - 11 - 05)].into();
        let today = date!(2026 - 11 - 06);
        // Paired on the 2nd, revoked on the 5th.
        let silent = silent_days(&period, (date!(2026 - 11 - 02), Some(date!(2026 - 11 - 05))), today, &used);
        assert_eq!(silent, vec![date!(2026 - 11 - 02), date!(2026 - 11 - 04)]);
        // Still in service: the 6th counts, the 7th has not come.
        let silent = silent_days(&period, (date!(2026 - 10 - 01), None), today, &used);
        assert_eq!(silent.len(), 4);
        assert_eq!(silent.last(), Some(&date!(2026 - 11 - 06)));
    }

    #[test]
    fn participation_is_rounded_to_a_tenth_of_a_percent() {
        assert_eq!(participation_per_mille(1, 3), Some(333));
        assert_eq!(participation_per_mille(2, 3), Some(667));
        assert_eq!(participation_per_mille(0, 300), Some(0));
        assert_eq!(participation_per_mille(5, 0), None);
    }

    #[test]
    fn no_shows_only_for_sessions_that_happened() {
        assert_eq!(no_shows(2, true, false, true), Some(2));
        assert_eq!(no_shows(2, true, true, true), None, "a cancelled session has no no-shows");
        assert_eq!(no_shows(2, true, false, false), None, "not yet");
        assert_eq!(no_shows(0, false, false, true), None, "nobody signs up for an open activity");
    }
}
