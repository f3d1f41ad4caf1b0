//! Browsers an account signed in from before: after a right password the browser gets a
//! cookie for that account (HttpOnly, a year), a random id and its HMAC under the server's
//! key, so it cannot be made up. Its sign-in tries then go by a lane of their own
//! (`throttle`): strangers guessing at the account elsewhere never hold it back. The cookie
//! proves nothing else: the password is still asked for.

use axum::http::HeaderMap;

use jiayuan_community::kiosks::{constant_time_eq, sha256_hex};
use jiayuan_community::secret_key::SecretKey;

const PURPOSE: &str = "known-browser";

/// The cookie's name for `account` (an `account_key`): one per account, so a shared office PC
/// is known to each account that signed in on it.
pub fn cookie_name(account: &str) -> String {
    format!("jiayuan_known_{}", &sha256_hex(account)[..16])
}

/// A new cookie value for `account`.
pub fn new_value(key: &SecretKey, account: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mac = key.digest(PURPOSE, &format!("{account}\u{0}{id}"));
    format!("{id}.{mac}")
}

/// The browser's id, if the request carries a cookie this server made for `account`.
pub fn known_browser(key: &SecretKey, headers: &HeaderMap, account: &str) -> Option<String> {
    let value = crate::console::cookies::cookie_value(headers, &cookie_name(account))?;
    let (id, mac) = value.split_once('.')?;
    let expected = key.digest(PURPOSE, &format!("{account}\u{0}{id}"));
    constant_time_eq(expected.as_bytes(), mac.as_bytes()).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_cookie_made_here_for_the_account_is_known() {
        let key = SecretKey::random();
        let value = new_value(&key, "admin");
        let headers = |name: &str, value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("cookie", format!("{name}={value}").parse().unwrap());
            headers
        };
        let id = value.split('.').next().unwrap().to_owned();
        assert_eq!(known_browser(&key, &headers(&cookie_name("admin"), &value), "admin"), Some(id));
        assert_eq!(known_browser(&key, &headers(&cookie_name("wang"), &value), "wang"), None, "another account's");
        assert_eq!(known_browser(&SecretKey::random(), &headers(&cookie_name("admin"), &value), "admin"), None);
        let forged = format!("{}.{}", "0".repeat(32), "0".repeat(64));
        assert_eq!(known_browser(&key, &headers(&cookie_name("admin"), &forged), "admin"), None);
    }
}
