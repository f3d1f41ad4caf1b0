//! Small JSON values kept under one localStorage key each (the catalog, the kiosk's
//! credentials, today's visits). A value that cannot be read is treated as absent: the next
//! pull or pairing writes it again, and the record queue never depends on these.

use jiayuan_domain::queue::{KeyValue, StoreError};
use serde::{Serialize, de::DeserializeOwned};

use super::LocalStore;

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let store = LocalStore::open().ok()?;
    let text = store.get(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Unavailable(e.to_string()))?;
    LocalStore::open()?.set(key, &text)
}

pub fn remove(key: &str) -> Result<(), StoreError> {
    LocalStore::open()?.remove(key)
}
