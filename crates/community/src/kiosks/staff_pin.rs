//! The staff PIN the server hands kiosks, as its slow digest (`jiayuan_domain::staff_pin`),
//! worked out once per site key and kept: a pull comes every few seconds from every kiosk.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug)]
pub struct StaffPin {
    pin: String,
    /// Digest by site key.
    digests: Mutex<HashMap<String, String>>,
}

impl StaffPin {
    pub fn new(pin: String) -> StaffPin {
        StaffPin { pin, digests: Mutex::new(HashMap::new()) }
    }

    /// The PIN's digest for the site whose identity key is `site_key_hex`.
    pub fn digest_for(&self, site_key_hex: &str) -> Option<String> {
        if let Some(known) = self.digests.lock().ok()?.get(site_key_hex) {
            return Some(known.clone());
        }
        let digest = jiayuan_domain::staff_pin::digest(site_key_hex, &self.pin)?;
        self.digests.lock().ok()?.insert(site_key_hex.to_owned(), digest.clone());
        Some(digest)
    }
}
