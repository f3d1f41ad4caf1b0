//! An in-memory store that counts its quota the way browsers count localStorage's: UTF-16 code
//! units of keys and values (`中` counts one, like `a`).

use std::collections::BTreeMap;

use super::{KeyValue, StoreError};

#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    quota: Option<usize>,
    used: usize,
}

/// What localStorage holds per origin in Chromium and Firefox (shared/toolchain.md).
pub const BROWSER_QUOTA: usize = 5_242_262;

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

impl MemoryStore {
    pub fn with_quota(quota: usize) -> Self {
        MemoryStore { quota: Some(quota), ..Default::default() }
    }

    /// Code units in use.
    pub fn used(&self) -> usize {
        self.used
    }

    /// Writes past any quota, to set up a test (a corrupted entry, a full store).
    pub fn force(&mut self, key: &str, value: &str) {
        if let Some(old) = self.entries.insert(key.to_owned(), value.to_owned()) {
            self.used -= units(key) + units(&old);
        }
        self.used += units(key) + units(value);
    }
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let old = self.entries.get(key).map(|old| units(key) + units(old)).unwrap_or(0);
        let after = self.used - old + units(key) + units(value);
        if self.quota.is_some_and(|quota| after > quota) {
            return Err(StoreError::QuotaFull);
        }
        self.force(key, value);
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        if let Some(old) = self.entries.remove(key) {
            self.used -= units(key) + units(&old);
        }
        Ok(())
    }

    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.entries.range(prefix.to_owned()..).take_while(|(k, _)| k.starts_with(prefix)).map(|(k, _)| k.clone()).collect())
    }
}
