//! The browser's localStorage as the record queue's key-value store.
//!
//! web-sys directly rather than gloo-storage: gloo's `LocalStorage::raw()` throws when storage
//! is switched off, and a kiosk must then still run and tell the resident kindly to see staff.

use jiayuan_domain::queue::{KeyValue, StoreError};
use wasm_bindgen::{JsCast, JsValue};

pub struct LocalStore {
    storage: web_sys::Storage,
}

impl LocalStore {
    /// The page's localStorage, or why it cannot be had (switched off, blocked by policy).
    pub fn open() -> Result<LocalStore, StoreError> {
        let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(LocalStore { storage }),
            Ok(None) => Err(StoreError::Unavailable("this browser has no localStorage".into())),
            Err(error) => Err(StoreError::Unavailable(describe(&error))),
        }
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .unwrap_or_else(|| format!("{error:?}"))
}

fn store_error(error: JsValue) -> StoreError {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(exception) if exception.name() == "QuotaExceededError" => StoreError::QuotaFull,
        _ => StoreError::Unavailable(describe(&error)),
    }
}

impl KeyValue for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage.get_item(key).map_err(store_error)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.storage.set_item(key, value).map_err(store_error)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.storage.remove_item(key).map_err(store_error)
    }

    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let length = self.storage.length().map_err(store_error)?;
        let mut keys: Vec<String> = (0..length)
            .filter_map(|index| self.storage.key(index).ok().flatten())
            .filter(|key| key.starts_with(prefix))
            .collect();
        keys.sort();
        Ok(keys)
    }
}

impl LocalStore {
    /// Characters (UTF-16 units, as the quota counts them) held in keys and values.
    pub fn used_units(&self) -> u64 {
        let length = self.storage.length().unwrap_or(0);
        (0..length)
            .filter_map(|index| self.storage.key(index).ok().flatten())
            .map(|key| {
                let value = self.storage.get_item(&key).ok().flatten().unwrap_or_default();
                (key.encode_utf16().count() + value.encode_utf16().count()) as u64
            })
            .sum()
    }
}
