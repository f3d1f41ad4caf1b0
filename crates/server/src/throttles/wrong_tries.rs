//! A few tries, then wait: for pairing codes per address, and for staff passwords per account
//! and address. A try is counted when it is let in, before the slow work of checking it, so a
//! crowd of tries sent at once gets no more than the budget; one that turns out right is given
//! back, so a right try never waits behind others' wrong ones.
//!
//! A leaky bucket per key: `tries` at once, then one more every `one_more_every`. Counted in
//! this process's memory: several server processes each count their own, which multiplies the
//! allowance by the number of processes and no more.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct WrongTries<K: Hash + Eq + Clone> {
    tries: u32,
    one_more_every: Duration,
    buckets: Mutex<HashMap<K, Bucket>>,
}

/// Tries a key has used, as of `since`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    used: u32,
    since: Instant,
}

impl Bucket {
    /// Gives back the tries that came back by `now`.
    fn level(&mut self, every: Duration, now: Instant) {
        let elapsed = now.saturating_duration_since(self.since);
        let back = u32::try_from(elapsed.as_nanos() / every.as_nanos().max(1)).unwrap_or(u32::MAX);
        if back >= self.used {
            *self = Bucket { used: 0, since: now };
        } else if back > 0 {
            self.used -= back;
            self.since += every * back;
        }
    }
}

/// Keys kept before the buckets that are full again are forgotten.
const PRUNE_OVER: usize = 4_096;

impl<K: Hash + Eq + Clone> WrongTries<K> {
    /// `tries` at once, then one more every `one_more_every`.
    pub fn new(tries: u32, one_more_every: Duration) -> Self {
        WrongTries { tries: tries.max(1), one_more_every, buckets: Mutex::new(HashMap::new()) }
    }

    fn buckets(&self) -> std::sync::MutexGuard<'_, HashMap<K, Bucket>> {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a try for `key` now, or the seconds it must wait when it has none left.
    pub fn take(&self, key: &K) -> Result<(), u64> {
        let now = Instant::now();
        let every = self.one_more_every;
        let mut buckets = self.buckets();
        if buckets.len() > PRUNE_OVER {
            buckets.retain(|_, bucket| {
                bucket.level(every, now);
                bucket.used > 0
            });
        }
        let bucket = buckets.entry(key.clone()).or_insert(Bucket { used: 0, since: now });
        bucket.level(every, now);
        if bucket.used >= self.tries {
            let next = (bucket.since + every).saturating_duration_since(now);
            return Err(next.as_secs().max(1));
        }
        bucket.used += 1;
        Ok(())
    }

    /// Whether `key` could take a try now, without taking one.
    pub fn has_tries(&self, key: &K) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets();
        buckets.get_mut(key).is_none_or(|bucket| {
            bucket.level(self.one_more_every, now);
            bucket.used < self.tries
        })
    }

    /// A try taken for `key` that turned out right (or never happened): it costs nothing.
    pub fn give_back(&self, key: &K) {
        if let Some(bucket) = self.buckets().get_mut(key) {
            bucket.used = bucket.used.saturating_sub(1);
        }
    }
}

/// Takes a try from each of `budgets` for its key, or none: the longest wait when one has none
/// left (the tries already taken are given back).
pub fn take_all<K: Hash + Eq + Clone>(budgets: &[(&WrongTries<K>, &K)]) -> Result<(), u64> {
    for (n, (tries, key)) in budgets.iter().enumerate() {
        if let Err(wait) = tries.take(key) {
            for (taken, key) in budgets.iter().take(n) {
                taken.give_back(key);
            }
            return Err(wait);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_tries_then_waits_and_others_do_not() {
        let tries = WrongTries::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(tries.take(&"a"), Ok(()));
        }
        let wait = tries.take(&"a").unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(!tries.has_tries(&"a"));
        assert_eq!(tries.take(&"b"), Ok(()));
    }

    #[test]
    fn tries_given_back_cost_nothing() {
        let tries: WrongTries<&str> = WrongTries::new(1, Duration::from_secs(60));
        for _ in 0..100 {
            assert_eq!(tries.take(&"a"), Ok(()));
            tries.give_back(&"a");
        }
    }

    #[test]
    fn tries_come_back_one_at_a_time() {
        let tries: WrongTries<&str> = WrongTries::new(2, Duration::from_millis(20));
        assert!(tries.take(&"a").is_ok() && tries.take(&"a").is_ok());
        assert!(tries.take(&"a").is_err());
        std::thread::sleep(Duration::from_millis(25));
        assert!(tries.take(&"a").is_ok(), "one came back");
        assert!(tries.take(&"a").is_err(), "only one");
    }

    #[test]
    fn all_or_none_are_taken() {
        let (a, b) = (WrongTries::new(5, Duration::from_secs(60)), WrongTries::new(1, Duration::from_secs(60)));
        assert!(take_all(&[(&a, &1), (&b, &1)]).is_ok());
        assert!(take_all(&[(&a, &1), (&b, &1)]).is_err());
        for _ in 0..4 {
            assert!(a.take(&1).is_ok(), "the refused try's first take was given back");
        }
        assert!(a.take(&1).is_err());
    }
}
