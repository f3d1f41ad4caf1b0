//! The kiosk's staff PIN resists guessing on the keypad: after five wrong PINs in a row the
//! staff panel stays locked for five minutes, and each further run of five wrong PINs doubles
//! the wait. The kiosk keeps this across reloads; the right PIN starts afresh.

use serde::{Deserialize, Serialize};

/// Wrong PINs in a row that lock the panel.
pub const WRONG_PER_RUN: u32 = 5;
/// The first lock; each further run doubles it, up to a day.
pub const FIRST_LOCK_MS: i64 = 5 * 60 * 1000;
const LONGEST_LOCK_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinLock {
    /// Wrong PINs since the last lock (or the last right PIN).
    wrong: u32,
    /// Locks so far without a right PIN between them.
    runs: u32,
    /// The kiosk's clock (ms since 1970) until which the panel stays locked.
    locked_until: i64,
}

impl PinLock {
    /// How long the panel stays locked from `now`, if it is.
    pub fn locked_for(&self, now: i64) -> Option<i64> {
        (self.locked_until > now).then(|| self.locked_until - now)
    }

    /// A wrong PIN at `now`; the fifth in a row locks the panel.
    pub fn wrong(&mut self, now: i64) {
        if self.locked_for(now).is_some() {
            return;
        }
        self.wrong += 1;
        if self.wrong >= WRONG_PER_RUN {
            self.wrong = 0;
            self.runs = self.runs.saturating_add(1);
            let doubling = 1i64 << (self.runs - 1).min(20);
            self.locked_until = now.saturating_add(FIRST_LOCK_MS.saturating_mul(doubling).min(LONGEST_LOCK_MS));
        }
    }

    /// The right PIN: the count starts afresh.
    pub fn right(&mut self) {
        *self = PinLock::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60 * 1000;

    fn wrong_times(lock: &mut PinLock, n: u32, now: i64) {
        for _ in 0..n {
            lock.wrong(now);
        }
    }

    #[test]
    fn five_wrong_pins_lock_the_panel_for_five_minutes() {
        let mut lock = PinLock::default();
        wrong_times(&mut lock, 4, 0);
        assert_eq!(lock.locked_for(0), None, "four are typing mistakes");
        lock.wrong(0);
        assert_eq!(lock.locked_for(0), Some(5 * MINUTE));
        assert_eq!(lock.locked_for(5 * MINUTE), None);
    }

    #[test]
    fn each_further_run_doubles_the_wait_up_to_a_day() {
        let mut lock = PinLock::default();
        let mut now = 0;
        for expected in [5, 10, 20, 40] {
            wrong_times(&mut lock, 5, now);
            assert_eq!(lock.locked_for(now), Some(expected * MINUTE));
            now += expected * MINUTE;
        }
        for _ in 0..20 {
            wrong_times(&mut lock, 5, now);
            now += lock.locked_for(now).unwrap_or(0);
        }
        wrong_times(&mut lock, 5, now);
        assert_eq!(lock.locked_for(now), Some(24 * 60 * MINUTE));
    }

    #[test]
    fn tries_while_locked_do_not_count_and_the_right_pin_starts_afresh() {
        let mut lock = PinLock::default();
        wrong_times(&mut lock, 5, 0);
        wrong_times(&mut lock, 50, MINUTE);
        assert_eq!(lock.locked_for(MINUTE), Some(4 * MINUTE));
        lock.right();
        wrong_times(&mut lock, 5, 10 * MINUTE);
        assert_eq!(lock.locked_for(10 * MINUTE), Some(5 * MINUTE), "back to five minutes");
    }

    #[test]
    fn kept_across_reloads_as_json() {
        let mut lock = PinLock::default();
        wrong_times(&mut lock, 5, 1_000);
        let kept: PinLock = serde_json::from_str(&serde_json::to_string(&lock).unwrap()).unwrap();
        assert_eq!(kept.locked_for(1_000), lock.locked_for(1_000));
    }
}
