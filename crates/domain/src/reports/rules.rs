//! Counting rules the reports share.

/// Participation: residents who came at least once, per thousand residents on the roster
/// (shown as 12.3%). None without a roster to divide by.
pub fn participation_per_mille(came: i64, roster: i64) -> Option<i64> {
    if roster <= 0 {
        return None;
    }
    came.checked_mul(1000).map(|scaled| (scaled + roster / 2) / roster)
}

/// Residents who kept a confirmed seat and did not check in. Only for sessions with seats,
/// once the session is over, and never for a cancelled one; a sign-up cancelled in time is
/// not a no-show (it is not among `confirmed_not_checked_in`).
pub fn no_shows(confirmed_not_checked_in: i64, has_seats: bool, cancelled: bool, over: bool) -> Option<i64> {
    (has_seats && over && !cancelled).then_some(confirmed_not_checked_in)
}

#[cfg(test)]
mod tests {
    use super::*;

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
