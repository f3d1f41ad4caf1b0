//! Guessing pairing codes does not pay: each address may type a few wrong codes, then waits
//! (429 with `Retry-After`); and when wrong codes from everywhere pass a limit, every
//! outstanding code is withdrawn, so a crowd of addresses cannot share the work. Staff then
//! make a new code. Right codes cost nothing: staff pairing one kiosk after another are never
//! held back.
//!
//! Counted in this process's memory (governor's GCRA). Several server processes each count
//! their own, so the limits apply per process; they still make a search of 100 million codes
//! hopeless within a code's 30 minutes.

use std::net::IpAddr;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, RateLimiter};

use crate::wrong_tries::{WrongTries, quota};

/// Wrong codes an address may type before it waits, and how fast they come back.
pub const TRIES_PER_ADDRESS: u32 = 5;
pub const ONE_MORE_TRY_EVERY: Duration = Duration::from_secs(120);
/// Wrong codes from all addresses together that withdraw every outstanding code, and how fast
/// that allowance comes back.
pub const WRONG_CODES_EVERYWHERE: u32 = 60;
pub const ONE_MORE_WRONG_CODE_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct PairingGuard {
    wrong_per_address: WrongTries<IpAddr>,
    wrong_everywhere: DefaultDirectRateLimiter,
}

impl Default for PairingGuard {
    fn default() -> Self {
        PairingGuard {
            wrong_per_address: WrongTries::new(TRIES_PER_ADDRESS, ONE_MORE_TRY_EVERY),
            wrong_everywhere: RateLimiter::direct(quota(WRONG_CODES_EVERYWHERE, ONE_MORE_WRONG_CODE_EVERY)),
        }
    }
}

impl PairingGuard {
    /// Before an attempt from `address`: the seconds it must still wait, if it is held back.
    pub fn admit(&self, address: IpAddr) -> Result<(), u64> {
        self.wrong_per_address.admit(&address)
    }

    /// After a wrong code from `address`: holds the address back once it has used up its
    /// tries, and says whether wrong codes from everywhere have now passed the limit.
    pub fn wrong_code(&self, address: IpAddr) -> bool {
        self.wrong_per_address.wrong(address);
        self.wrong_everywhere.check().is_err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_a_few_wrong_codes_then_waits() {
        let guard = PairingGuard::default();
        let one: IpAddr = [10, 0, 0, 7].into();
        for _ in 0..TRIES_PER_ADDRESS {
            assert_eq!(guard.admit(one), Ok(()));
            guard.wrong_code(one);
        }
        let wait = guard.admit(one).unwrap_err();
        assert!((1..=ONE_MORE_TRY_EVERY.as_secs()).contains(&wait), "{wait}");
        assert_eq!(guard.admit([10, 0, 0, 8].into()), Ok(()), "another address is not held back");
    }

    #[test]
    fn right_codes_cost_nothing() {
        let guard = PairingGuard::default();
        let staff: IpAddr = [10, 0, 0, 9].into();
        for _ in 0..100 {
            assert_eq!(guard.admit(staff), Ok(()));
        }
    }

    #[test]
    fn wrong_codes_from_everywhere_pass_the_limit_once_there_are_enough() {
        let guard = PairingGuard::default();
        let address = |n: u32| IpAddr::from(n.to_be_bytes());
        assert!((0..WRONG_CODES_EVERYWHERE).all(|n| !guard.wrong_code(address(n))));
        assert!(guard.wrong_code(address(WRONG_CODES_EVERYWHERE)));
    }
}
