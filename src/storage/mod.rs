//! What the kiosk keeps on its own disk: records in the journal (IndexedDB, on the disk before
//! the resident is told), and small values in localStorage (`key_value`).

mod idb;
pub mod journal;
pub mod key_value;

pub use journal::Journal;

/// Why storage did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser's quota for the kiosk is used up, even after forgetting what the server has.
    Full,
    /// Switched off, blocked, private mode, or broken: the words say which.
    Unavailable(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Full => write!(f, "the kiosk's storage is full"),
            StorageError::Unavailable(why) => write!(f, "the kiosk's storage cannot be used: {why}"),
        }
    }
}

impl std::error::Error for StorageError {}

fn storage_manager() -> Option<web_sys::StorageManager> {
    Some(web_sys::window()?.navigator().storage())
}

async fn promised(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<wasm_bindgen::JsValue> {
    wasm_bindgen_futures::JsFuture::from(promise.ok()?).await.ok()
}

/// Bytes the kiosk's origin uses and may use (journal, cache, offline copy of the app).
pub async fn usage_and_quota() -> Option<(f64, f64)> {
    let estimate: web_sys::StorageEstimate =
        wasm_bindgen::JsCast::unchecked_into(promised(storage_manager()?.estimate()).await?);
    Some((estimate.get_usage()?, estimate.get_quota()?))
}

/// Asks the browser not to clear the kiosk's data when the disk runs short; whether it agreed.
pub async fn keep_when_disk_is_short() -> bool {
    let Some(manager) = storage_manager() else { return false };
    if promised(manager.persisted()).await.and_then(|v| v.as_bool()) == Some(true) {
        return true;
    }
    promised(manager.persist()).await.and_then(|v| v.as_bool()).unwrap_or(false)
}
