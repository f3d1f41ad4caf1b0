//! A few wrong tries, then wait: for pairing codes per address, and for staff passwords per
//! account and per address. Only wrong tries count, so a right one never waits behind them.
//!
//! Counted in this process's memory (governor's GCRA): several server processes each count
//! their own, which multiplies the allowance by the number of processes and no more.

use std::collections::HashMap;
use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

type Limiter<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// `burst` events, then one more every `every`.
pub fn quota(burst: u32, every: Duration) -> Quota {
    // Callers pass non-zero constants; `with_period` refuses only a zero period.
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst)
}

#[derive(Debug)]
pub struct WrongTries<K: Hash + Eq + Clone> {
    limiter: Limiter<K>,
    one_more_every: Duration,
    /// Keys that used up their tries, and until when they wait.
    held: Mutex<HashMap<K, Instant>>,
    clock: DefaultClock,
}

impl<K: Hash + Eq + Clone> WrongTries<K> {
    /// `tries` wrong tries, then one more every `one_more_every`.
    pub fn new(tries: u32, one_more_every: Duration) -> Self {
        WrongTries {
            limiter: RateLimiter::keyed(quota(tries, one_more_every)).with_middleware::<StateInformationMiddleware>(),
            one_more_every,
            held: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
        }
    }

    /// Before a try: the seconds `key` must still wait, if it is held back.
    pub fn admit(&self, key: &K) -> Result<(), u64> {
        let now = Instant::now();
        let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.retain(|_, until| *until > now);
        match held.get(key) {
            Some(until) => Err(until.duration_since(now).as_secs().max(1)),
            None => Ok(()),
        }
    }

    /// After a wrong try: holds `key` back once it has used up its tries.
    pub fn wrong(&self, key: K) {
        let wait = match self.limiter.check_key(&key) {
            Ok(state) if state.remaining_burst_capacity() == 0 => Some(self.one_more_every),
            Ok(_) => None,
            Err(not_until) => Some(not_until.wait_time_from(self.clock.now())),
        };
        if let Some(wait) = wait {
            let mut held = self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            held.insert(key, Instant::now() + wait);
        }
        // Keys that have not tried for a while take no memory.
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_tries_then_waits_and_others_do_not() {
        let tries = WrongTries::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(tries.admit(&"a"), Ok(()));
            tries.wrong("a");
        }
        let wait = tries.admit(&"a").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(tries.admit(&"b"), Ok(()));
    }

    #[test]
    fn right_tries_cost_nothing() {
        let tries: WrongTries<&str> = WrongTries::new(1, Duration::from_secs(60));
        assert!((0..100).all(|_| tries.admit(&"a").is_ok()));
    }
}
