//! When a kiosk tries again after a failed sync: soon at first, then less and less often, up to
//! every five minutes; with jitter, so a community's kiosks do not all knock at once when the
//! network comes back.

/// The first retry comes after about this long.
pub const FIRST_RETRY_MS: u64 = 2_000;
/// Retries never wait longer than five minutes.
pub const MAX_RETRY_MS: u64 = 5 * 60 * 1000;
/// With nothing failing, a kiosk still syncs this often.
pub const ROUTINE_INTERVAL_MS: u64 = 30_000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub fn failed(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    pub fn succeeded(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// How long to wait before the next attempt. `jitter` is a random number in [0, 1): the
    /// wait is spread over the upper half of the exponential step ("equal jitter").
    pub fn next_delay_ms(&self, jitter: f64) -> u64 {
        if self.failures == 0 {
            return ROUTINE_INTERVAL_MS;
        }
        let doubling = 1u64 << self.failures.saturating_sub(1).min(20);
        let half = FIRST_RETRY_MS.saturating_mul(doubling).min(MAX_RETRY_MS) / 2;
        let jitter = jitter.clamp(0.0, 1.0);
        half.saturating_add((half as f64 * jitter) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_five_minutes() {
        let mut backoff = Backoff::default();
        assert_eq!(backoff.next_delay_ms(0.5), ROUTINE_INTERVAL_MS);
        let mut previous = 0;
        for _ in 0..30 {
            backoff.failed();
            let longest = backoff.next_delay_ms(0.999_999);
            assert!(longest >= previous, "never shorter after another failure");
            assert!(longest <= MAX_RETRY_MS);
            previous = longest;
        }
        assert!(previous > MAX_RETRY_MS * 99 / 100, "reaches the five-minute ceiling");
    }

    #[test]
    fn jitter_spreads_kiosks_over_the_upper_half_of_each_step() {
        let mut backoff = Backoff::default();
        backoff.failed();
        backoff.failed();
        assert_eq!(backoff.next_delay_ms(0.0), 2_000);
        assert_eq!(backoff.next_delay_ms(0.5), 3_000);
        assert!(backoff.next_delay_ms(0.999) < 4_000);
    }

    #[test]
    fn a_success_returns_to_the_routine_interval() {
        let mut backoff = Backoff::default();
        for _ in 0..5 {
            backoff.failed();
        }
        backoff.succeeded();
        assert_eq!(backoff.next_delay_ms(0.3), ROUTINE_INTERVAL_MS);
    }
}
