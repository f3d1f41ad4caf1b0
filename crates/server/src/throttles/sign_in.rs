//! Guessing staff passwords does not pay, and cannot be turned against staff.
//!
//! Locking an account after a few wrong passwords lets anyone on the LAN keep `admin` out with
//! a wrong try now and then. Instead, following OWASP's authentication guidance (throttle by
//! account *and* address, and let known devices through: "device cookies"), a try is counted in
//! the lanes it comes by, and a right password is never held back by wrong ones from elsewhere:
//!
//! - from one address, for one account: 5 tries, then one more a minute; so one stranger's
//!   computer slows only itself;
//! - from one address, for any account: 20 tries, then one more every 15 seconds (an office of
//!   many staff behind one address);
//! - for one account from browsers it has never signed in from: 10 tries, then one more every
//!   30 seconds; so a crowd of addresses gets a handful of tries a minute between them;
//! - from a browser the account signed in from before (it carries a device cookie, `device`):
//!   5 tries, then one more a minute, and none of the lanes above: a crowd of strangers
//!   guessing at `admin` never holds back the office's own computer.
//!
//! A try is counted when it is let in, before its password is hashed, so tries sent all at
//! once get no more than these; a right password gives its try back.

use std::net::IpAddr;
use std::time::Duration;

use crate::throttles::wrong_tries::WrongTries;

pub const TRIES_PER_ACCOUNT_AND_ADDRESS: u32 = 5;
pub const ONE_MORE_PER_ACCOUNT_AND_ADDRESS_EVERY: Duration = Duration::from_secs(60);
pub const TRIES_PER_ADDRESS: u32 = 20;
pub const ONE_MORE_PER_ADDRESS_EVERY: Duration = Duration::from_secs(15);
pub const TRIES_PER_ACCOUNT_FROM_NEW_BROWSERS: u32 = 10;
pub const ONE_MORE_FROM_NEW_BROWSERS_EVERY: Duration = Duration::from_secs(30);
pub const TRIES_PER_KNOWN_BROWSER: u32 = 5;
pub const ONE_MORE_PER_KNOWN_BROWSER_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct SignInThrottle {
    per_account_and_address: WrongTries<(String, IpAddr)>,
    per_address: WrongTries<IpAddr>,
    per_account_from_new_browsers: WrongTries<String>,
    per_known_browser: WrongTries<(String, String)>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            per_account_and_address: WrongTries::new(
                TRIES_PER_ACCOUNT_AND_ADDRESS,
                ONE_MORE_PER_ACCOUNT_AND_ADDRESS_EVERY,
            ),
            per_address: WrongTries::new(TRIES_PER_ADDRESS, ONE_MORE_PER_ADDRESS_EVERY),
            per_account_from_new_browsers: WrongTries::new(
                TRIES_PER_ACCOUNT_FROM_NEW_BROWSERS,
                ONE_MORE_FROM_NEW_BROWSERS_EVERY,
            ),
            per_known_browser: WrongTries::new(TRIES_PER_KNOWN_BROWSER, ONE_MORE_PER_KNOWN_BROWSER_EVERY),
        }
    }
}

/// A try let in, counted in its lanes unless `SignInThrottle::give_back` gives it back.
#[derive(Debug)]
#[must_use = "a right password gives its try back with `SignInThrottle::give_back`"]
pub struct Admitted {
    account: String,
    lane: Lane,
}

#[derive(Debug)]
enum Lane {
    /// A browser the account signed in from before: its device cookie's id.
    Known(String),
    New(IpAddr),
}

impl SignInThrottle {
    /// Counts a try for `account` (already `staff::account_key`'d) from `address`, by a browser
    /// that shows it signed in to the account before (`device`, its cookie's id) or not; or
    /// the seconds to wait when a lane it comes by has no tries left.
    pub fn admit(&self, account: &str, address: IpAddr, device: Option<&str>) -> Result<Admitted, u64> {
        let account = account.to_owned();
        if let Some(device) = device {
            let key = (account.clone(), device.to_owned());
            self.per_known_browser.take(&key)?;
            return Ok(Admitted { account, lane: Lane::Known(device.to_owned()) });
        }
        let pair = (account.clone(), address);
        self.per_account_and_address.take(&pair)?;
        if let Err(wait) = self.per_address.take(&address) {
            self.per_account_and_address.give_back(&pair);
            return Err(wait);
        }
        if let Err(wait) = self.per_account_from_new_browsers.take(&account) {
            self.per_account_and_address.give_back(&pair);
            self.per_address.give_back(&address);
            return Err(wait);
        }
        Ok(Admitted { account, lane: Lane::New(address) })
    }

    /// The try was a right password, or was never checked (the server was too busy): it costs
    /// nothing.
    pub fn give_back(&self, admitted: Admitted) {
        match admitted.lane {
            Lane::Known(device) => self.per_known_browser.give_back(&(admitted.account, device)),
            Lane::New(address) => {
                self.per_account_and_address.give_back(&(admitted.account.clone(), address));
                self.per_address.give_back(&address);
                self.per_account_from_new_browsers.give_back(&admitted.account);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRANGER: [u8; 4] = [10, 0, 0, 66];
    const OFFICE: [u8; 4] = [10, 0, 0, 2];

    fn wrong(throttle: &SignInThrottle, address: [u8; 4], device: Option<&str>) -> Result<(), u64> {
        throttle.admit("admin", address.into(), device).map(drop)
    }

    #[test]
    fn a_stranger_at_one_address_slows_only_itself() {
        let throttle = SignInThrottle::default();
        let let_in = (0..30).filter(|_| wrong(&throttle, STRANGER, None).is_ok()).count();
        assert_eq!(let_in, TRIES_PER_ACCOUNT_AND_ADDRESS as usize);
        let right = throttle.admit("admin", OFFICE.into(), None).expect("the office is let in");
        throttle.give_back(right);
    }

    #[test]
    fn a_crowd_of_addresses_slows_new_browsers_but_never_a_known_one() {
        let throttle = SignInThrottle::default();
        let crowd = (0..60u8).filter(|n| wrong(&throttle, [10, 1, 0, *n], None).is_ok()).count();
        assert_eq!(crowd, TRIES_PER_ACCOUNT_FROM_NEW_BROWSERS as usize);
        assert!(wrong(&throttle, OFFICE, None).is_err(), "a new browser waits");
        let known = throttle.admit("admin", STRANGER.into(), Some("office-pc")).expect("a known browser is let in");
        throttle.give_back(known);
        assert!(throttle.admit("other.account", OFFICE.into(), None).is_ok(), "other accounts are not held");
    }

    #[test]
    fn a_right_password_gives_its_try_back() {
        let throttle = SignInThrottle::default();
        for _ in 0..50 {
            let admitted = throttle.admit("admin", OFFICE.into(), None).unwrap();
            throttle.give_back(admitted);
        }
    }
}
