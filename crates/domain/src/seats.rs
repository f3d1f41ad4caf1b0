//! The rules about seats, check-in and the waiting list, written once: the server decides by
//! them, and the kiosk shows residents only what they allow.

use std::ops::RangeInclusive;

use crate::sync::RejectReason;
use crate::sync::record::MAX_COMPANIONS;

/// A sign-up's state as the server keeps it.
pub mod status {
    pub const CONFIRMED: &str = "confirmed";
    pub const WAITING: &str = "waiting";
    pub const CANCELLED: &str = "cancelled";
    /// A cancellation that arrived before the sign-up it cancels; that sign-up is cancelled
    /// the moment it arrives.
    pub const CANCEL_PENDING: &str = "cancel_pending";
    /// An entry to a draw (摇号) not yet drawn: neither a seat nor a place in line; the draw
    /// turns it into one or the other.
    pub const ENTERED: &str = "entered";

    /// A seat or a place in line (the SQL `attendance::HOLDS_A_PLACE` says the same).
    pub fn holds_a_place(status: &str) -> bool {
        status == CONFIRMED || status == WAITING
    }
}

/// An activity without a capacity is open to all: nobody signs up, anyone may come.
pub fn is_open_to_all(capacity: Option<u32>) -> bool {
    capacity.is_none()
}

/// Who may check in to an activity that is on: nobody when staff cancelled it; anyone, when it
/// is open to all; otherwise a resident with a confirmed seat.
pub fn check_in(cancelled: bool, capacity: Option<u32>, holds_a_seat: bool) -> Result<(), RejectReason> {
    if cancelled {
        Err(RejectReason::Cancelled)
    } else if is_open_to_all(capacity) || holds_a_seat {
        Ok(())
    } else {
        Err(RejectReason::NotSignedUp)
    }
}

/// Whether a sign-up for `companions` more people may be considered at all.
pub fn sign_up(
    cancelled: bool,
    capacity: Option<u32>,
    companions_allowed: u8,
    companions: u8,
) -> Result<(), RejectReason> {
    if cancelled {
        return Err(RejectReason::Cancelled);
    }
    if is_open_to_all(capacity) {
        return Err(RejectReason::NoSignUpNeeded);
    }
    if !companion_choices(companions_allowed).contains(&companions) {
        return Err(RejectReason::TooManyCompanions);
    }
    Ok(())
}

/// How many companions a resident may bring: from none to what the activity allows, never
/// more than anyone may.
pub fn companion_choices(companions_allowed: u8) -> RangeInclusive<u8> {
    0..=companions_allowed.min(MAX_COMPANIONS)
}

/// Whether a newcomer's party gets seats now. Strictly first come: while anyone waits, a
/// newcomer waits behind them, even a smaller party that would fit.
pub fn gets_seat(capacity: Option<u32>, taken: i64, waiting: i64, party: i64) -> bool {
    waiting == 0 && capacity.is_some_and(|capacity| taken.saturating_add(party) <= i64::from(capacity))
}

/// Whether a freed seat goes to the first in line: not while the session is cancelled (its
/// line waits, in order, for staff to restore it).
pub fn moves_line_up(cancelled: bool) -> bool {
    !cancelled
}

/// A place on the waiting list: 1 is next in line, behind `ahead` people waiting before.
pub fn place_behind(ahead: i64) -> u32 {
    u32::try_from(ahead.saturating_add(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_session_takes_no_sign_up_or_check_in_and_its_line_waits() {
        assert_eq!(sign_up(true, Some(10), 0, 0), Err(RejectReason::Cancelled));
        assert_eq!(check_in(true, None, false), Err(RejectReason::Cancelled));
        assert_eq!(check_in(true, Some(10), true), Err(RejectReason::Cancelled));
        assert!(!moves_line_up(true));
        assert!(moves_line_up(false));
    }

    #[test]
    fn open_activities_need_no_sign_up_and_anyone_checks_in() {
        assert_eq!(check_in(false, None, false), Ok(()));
        assert_eq!(sign_up(false, None, 0, 0), Err(RejectReason::NoSignUpNeeded));
    }

    #[test]
    fn activities_with_seats_are_for_residents_who_hold_one() {
        assert_eq!(check_in(false, Some(10), true), Ok(()));
        assert_eq!(check_in(false, Some(10), false), Err(RejectReason::NotSignedUp));
    }

    #[test]
    fn companions_up_to_what_the_activity_and_the_rule_allow() {
        assert_eq!(sign_up(false, Some(10), 1, 1), Ok(()));
        assert_eq!(sign_up(false, Some(10), 1, 2), Err(RejectReason::TooManyCompanions));
        assert_eq!(companion_choices(5), 0..=MAX_COMPANIONS);
        assert_eq!(companion_choices(0), 0..=0);
    }

    #[test]
    fn first_come_first_served_even_for_a_smaller_party() {
        assert!(gets_seat(Some(3), 1, 0, 2));
        assert!(!gets_seat(Some(3), 2, 0, 2), "does not fit");
        assert!(!gets_seat(Some(3), 0, 1, 1), "someone is waiting");
        assert!(!gets_seat(None, 0, 0, 1), "open to all: no seats to take");
        assert_eq!(place_behind(0), 1);
        assert_eq!(place_behind(i64::MAX), u32::MAX);
    }
}
