//! Guessing staff passwords does not pay: an account takes 5 wrong passwords, then one more a
//! minute; an address takes 20 wrong passwords (an office of many staff behind one address),
//! then one more every 15 seconds. A right password is never held back by others' wrong ones
//! — except on an account that is being guessed at, where it waits like any other try.

use std::net::IpAddr;
use std::time::Duration;

use crate::wrong_tries::WrongTries;

pub const TRIES_PER_ACCOUNT: u32 = 5;
pub const ONE_MORE_PER_ACCOUNT_EVERY: Duration = Duration::from_secs(60);
pub const TRIES_PER_ADDRESS: u32 = 20;
pub const ONE_MORE_PER_ADDRESS_EVERY: Duration = Duration::from_secs(15);

#[derive(Debug)]
pub struct SignInThrottle {
    per_account: WrongTries<String>,
    per_address: WrongTries<IpAddr>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            per_account: WrongTries::new(TRIES_PER_ACCOUNT, ONE_MORE_PER_ACCOUNT_EVERY),
            per_address: WrongTries::new(TRIES_PER_ADDRESS, ONE_MORE_PER_ADDRESS_EVERY),
        }
    }
}

impl SignInThrottle {
    /// Before checking a password: the seconds to wait, if the account or address is held.
    pub fn admit(&self, account: &str, address: IpAddr) -> Result<(), u64> {
        let account = self.per_account.admit(&account.to_lowercase());
        let address = self.per_address.admit(&address);
        match (account, address) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(a), Err(b)) => Err(a.max(b)),
            (Err(wait), _) | (_, Err(wait)) => Err(wait),
        }
    }

    pub fn wrong_password(&self, account: &str, address: IpAddr) {
        self.per_account.wrong(account.to_lowercase());
        self.per_address.wrong(address);
    }
}
