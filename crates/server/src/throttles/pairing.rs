//! Guessing pairing codes does not pay: each address may type a few wrong codes, then waits
//! (429 with `Retry-After`); and when wrong codes from everywhere pass a limit, every
//! outstanding code is withdrawn, so a crowd of addresses cannot share the work. Staff then
//! make a new code. Right codes cost nothing: staff pairing one kiosk after another are never
//! held back.
//!
//! A try is counted when it is let in, before its code is looked up, so codes sent all at once
//! get no more than the limits; a right code gives its try back. Counted in this process's
//! memory: several server processes each count their own, so the limits apply per process;
//! they still make a search of 100 million codes hopeless within a code's 30 minutes.

use std::net::IpAddr;
use std::time::Duration;

use crate::throttles::wrong_tries::WrongTries;

/// Wrong codes an address may type before it waits, and how fast they come back.
pub const TRIES_PER_ADDRESS: u32 = 5;
pub const ONE_MORE_TRY_EVERY: Duration = Duration::from_secs(120);
/// Wrong codes from all addresses together that withdraw every outstanding code, and how fast
/// that allowance comes back.
pub const WRONG_CODES_EVERYWHERE: u32 = 60;
pub const ONE_MORE_WRONG_CODE_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct PairingGuard {
    per_address: WrongTries<IpAddr>,
    everywhere: WrongTries<()>,
}

impl Default for PairingGuard {
    fn default() -> Self {
        PairingGuard {
            per_address: WrongTries::new(TRIES_PER_ADDRESS, ONE_MORE_TRY_EVERY),
            everywhere: WrongTries::new(WRONG_CODES_EVERYWHERE, ONE_MORE_WRONG_CODE_EVERY),
        }
    }
}

/// A pairing try let in, counted until `PairingGuard::give_back` gives it back.
#[derive(Debug)]
#[must_use = "a right code gives its try back with `PairingGuard::give_back`"]
pub struct PairingTry {
    address: IpAddr,
    /// Tries from everywhere had passed the limit when this one came: if its code is wrong,
    /// every outstanding code is to be withdrawn.
    pub in_a_flood: bool,
}

impl PairingGuard {
    /// Counts a try from `address`, or the seconds the address must wait.
    pub fn admit(&self, address: IpAddr) -> Result<PairingTry, u64> {
        self.per_address.take(&address)?;
        let in_a_flood = self.everywhere.take(&()).is_err();
        Ok(PairingTry { address, in_a_flood })
    }

    /// The code was right (or was never looked up): the try costs nothing.
    pub fn give_back(&self, tried: PairingTry) {
        self.per_address.give_back(&tried.address);
        if !tried.in_a_flood {
            self.everywhere.give_back(&());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_a_few_tries_then_waits() {
        let guard = PairingGuard::default();
        let one: IpAddr = [10, 0, 0, 7].into();
        for _ in 0..TRIES_PER_ADDRESS {
            let _wrong = guard.admit(one).unwrap();
        }
        let wait = guard.admit(one).unwrap_err();
        assert!((1..=ONE_MORE_TRY_EVERY.as_secs()).contains(&wait), "{wait}");
        assert!(guard.admit([10, 0, 0, 8].into()).is_ok(), "another address is not held back");
    }

    #[test]
    fn right_codes_cost_nothing() {
        let guard = PairingGuard::default();
        let staff: IpAddr = [10, 0, 0, 9].into();
        for _ in 0..100 {
            guard.give_back(guard.admit(staff).unwrap());
        }
    }

    #[test]
    fn tries_from_everywhere_pass_the_limit_once_there_are_enough() {
        let guard = PairingGuard::default();
        let address = |n: u32| IpAddr::from(n.to_be_bytes());
        assert!((0..WRONG_CODES_EVERYWHERE).all(|n| !guard.admit(address(n)).unwrap().in_a_flood));
        assert!(guard.admit(address(WRONG_CODES_EVERYWHERE)).unwrap().in_a_flood);
    }
}
