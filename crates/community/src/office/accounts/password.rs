//! Staff passwords: hashed with Argon2id (RustCrypto's `argon2`, default parameters: 19 MiB,
//! 2 passes, as OWASP recommends), never kept or logged in clear. One-time passwords from
//! `add-staff` and from administrators are random and easy to read aloud over the phone.
//!
//! Each hash takes 19 MiB and a core for a while: a flood of sign-ins must queue, not eat the
//! machine's memory. At most `AT_ONCE` hashes run at a time, off the async threads; a try
//! that cannot start within `WAIT_AT_MOST` is answered "busy" (503) and changes nothing.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Hashes that may run at once (per server process): as many as a small server has cores.
pub const AT_ONCE: usize = 2;
/// How long a try waits for a hash to start before it is answered "busy".
pub const WAIT_AT_MOST: Duration = Duration::from_secs(10);

static HASHING: Semaphore = Semaphore::const_new(AT_ONCE);

/// Runs `work` (a hash) when one of the `AT_ONCE` places is free, on a blocking thread.
async fn off_thread<T: Send + 'static>(
    doing: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = tokio::time::timeout(WAIT_AT_MOST, HASHING.acquire())
        .await
        .map_err(|_| AppError::Overloaded(doing))?
        .map_err(|_| AppError::Unfinished(doing))?;
    let done = tokio::task::spawn_blocking(work).await.map_err(|_| AppError::Unfinished(doing));
    drop(permit);
    done
}

/// `hash`, off the async threads and within the limit of hashes at once.
pub async fn hash_in_turn(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    off_thread("hashing a password", move || hash(&password)).await?
}

/// `verify`, off the async threads and within the limit of hashes at once.
pub async fn verify_in_turn(password: &str, phc: &str) -> Result<bool, AppError> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    off_thread("checking a password", move || verify(&password, &phc)).await
}

/// The shortest password staff may choose.
pub const MIN_LENGTH: usize = 10;

/// A PHC string (`$argon2id$v=19$…`) for `password`, with a fresh random salt.
pub fn hash(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| AppError::Unfinished("hashing a password"))
}

/// Whether `password` matches `phc`. A malformed stored hash matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

/// A hash no password matches, compared against when the account does not exist, so the time
/// an answer takes does not tell which sign-in names exist.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
}

/// Why a new password is refused, for the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    SameAsName,
}

/// Whether `password` may be chosen by `staff_id`.
pub fn check_new(password: &str, staff_id: &str) -> Result<(), Weakness> {
    if password.chars().count() < MIN_LENGTH {
        return Err(Weakness::TooShort);
    }
    if password.to_lowercase().contains(&staff_id.to_lowercase()) {
        return Err(Weakness::SameAsName);
    }
    Ok(())
}

/// A one-time password: 4 groups of 4 from letters and digits that cannot be mistaken for one
/// another (no 0/O, 1/l/I), about 82 bits from the OS's random source.
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let random = uuid::Uuid::new_v4().as_u128() ^ (uuid::Uuid::new_v4().as_u128() << 7);
    let mut value = random;
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let index = usize::try_from(value % ALPHABET.len() as u128).unwrap_or(0);
        out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'x')));
        value /= ALPHABET.len() as u128;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_password_only() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterz", &phc));
        assert!(!verify("anything", "not a hash"));
        assert!(!verify("anything", decoy()));
    }

    #[test]
    fn one_time_passwords_differ_and_read_clearly() {
        let a = one_time();
        assert_eq!(a.len(), 19);
        assert_ne!(a, one_time());
        assert!(!a.contains(['0', 'o', '1', 'l', 'i']));
        assert_eq!(check_new(&a, "wang"), Ok(()));
    }

    #[test]
    fn weak_passwords_are_named() {
        assert_eq!(check_new("short", "wang"), Err(Weakness::TooShort));
        assert_eq!(check_new("Wang.Li.2026", "wang.li"), Err(Weakness::SameAsName));
    }
}
