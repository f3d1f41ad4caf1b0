//! The small values the kiosk keeps in localStorage, through gloo-storage: its credentials,
//! the catalog pulled from the server, today's visits, the staff PIN lock. Records never go
//! here: they go to the journal (IndexedDB), which is on the disk when a write returns.
//!
//! gloo-storage throws (a panic, in wasm) when localStorage is switched off or blocked by
//! policy, so every use goes through `available()`, checked once at start: without it the
//! kiosk still runs, reads nothing and keeps nothing here, and staff are told.

use std::sync::OnceLock;

use gloo_storage::{LocalStorage, Storage};
use serde::{Serialize, de::DeserializeOwned};

use super::StorageError;

/// Whether localStorage can be used, found once (a page cannot gain it later).
pub fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let probe = "jy/probe";
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        storage.is_some_and(|s| s.set_item(probe, "1").is_ok() && s.remove_item(probe).is_ok())
    })
}

/// The value under `key`, or None when absent, unreadable or storage is off: every value here
/// can be had again (the next pull, pairing again).
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    available().then(|| LocalStorage::get(key).ok()).flatten()
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    if !available() {
        return Err(StorageError::Unavailable("localStorage is switched off".into()));
    }
    LocalStorage::set(key, value).map_err(|error| match error {
        gloo_storage::errors::StorageError::JsError(js) if js.name == "QuotaExceededError" => StorageError::Full,
        other => StorageError::Unavailable(other.to_string()),
    })
}

pub fn remove(key: &str) {
    if available() {
        LocalStorage::delete(key);
    }
}

/// Every key with its raw text, for keys starting with `prefix`.
pub fn entries_with_prefix(prefix: &str) -> Vec<(String, String)> {
    if !available() {
        return Vec::new();
    }
    let storage = LocalStorage::raw();
    keys()
        .into_iter()
        .filter(|key| key.starts_with(prefix))
        .filter_map(|key| {
            let value = storage.get_item(&key).ok().flatten()?;
            Some((key, value))
        })
        .collect()
}

/// Removes every key `matches` accepts.
pub fn remove_matching(matches: fn(&str) -> bool) {
    for key in keys().into_iter().filter(|key| matches(key)) {
        remove(&key);
    }
}

fn keys() -> Vec<String> {
    if !available() {
        return Vec::new();
    }
    let storage = LocalStorage::raw();
    (0..LocalStorage::length()).filter_map(|index| storage.key(index).ok().flatten()).collect()
}

/// Characters (UTF-16 units, as the quota counts them) held in keys and values.
pub fn used_units() -> u64 {
    entries_with_prefix("")
        .iter()
        .map(|(key, value)| (key.encode_utf16().count() + value.encode_utf16().count()) as u64)
        .sum()
}
