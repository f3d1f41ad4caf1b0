//! The few IndexedDB operations the journal needs, as futures: open a database, run a
//! transaction with the durability asked for, wait for a request or a transaction to finish.
//!
//! Written on web-sys rather than an IndexedDB crate: the crates we looked at (idb,
//! indexed_db_futures, rexie) reach `durability` only through web-sys's unstable APIs, which
//! would mean building the whole kiosk with `--cfg web_sys_unstable_apis`, and each adds bytes
//! to a first load that has little room left.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

use super::StorageError;

#[wasm_bindgen]
extern "C" {
    /// An `IDBDatabase`, seen through the one method web-sys has only as an unstable API.
    #[wasm_bindgen(js_name = IDBDatabase)]
    type DatabaseWithOptions;

    /// `db.transaction(stores, mode, { durability })`.
    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &DatabaseWithOptions,
        stores: &JsValue,
        mode: &str,
        options: &Object,
    ) -> Result<IdbTransaction, JsValue>;
}

/// How hard the browser must work before it says a write transaction is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// On the disk itself (flushed): survives a power cut. Chromium's `"strict"`.
    Flushed,
    /// Handed to the operating system: survives the browser crashing, maybe not a power cut.
    Relaxed,
}

/// Opens the database `name` with the object stores `stores`, making any that are missing,
/// even in a database someone else made first without them.
pub async fn open(name: &str, stores: &'static [&'static str]) -> Result<IdbDatabase, StorageError> {
    // Without a version: the database as it is, or a new one (version 1, stores made).
    let db = open_version(name, None, stores).await?;
    let names = db.object_store_names();
    if stores.iter().all(|store| names.contains(store)) {
        return Ok(db);
    }
    // A version without the stores (made by hand, or by a tool): a newer version makes them.
    let newer = db.version() as u32 + 1;
    db.close();
    open_version(name, Some(newer), stores).await
}

async fn open_version(
    name: &str,
    version: Option<u32>,
    stores: &'static [&'static str],
) -> Result<IdbDatabase, StorageError> {
    let factory = web_sys::window()
        .ok_or_else(|| StorageError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| StorageError::from_js("IndexedDB is blocked", &e))?
        .ok_or_else(|| StorageError::Unavailable("this browser has no IndexedDB".into()))?;
    let request = match version {
        Some(version) => factory.open_with_u32(name, version),
        None => factory.open(name),
    }
    .map_err(|e| StorageError::from_js("opening IndexedDB", &e))?;
    let on_upgrade = {
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(db) = request.result().ok().and_then(|db| db.dyn_into::<IdbDatabase>().ok()) else { return };
            let names = db.object_store_names();
            for store in stores.iter().filter(|store| !names.contains(store)) {
                if let Err(error) = db.create_object_store(store) {
                    web_sys::console::error_1(&error);
                }
            }
        })
    };
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let opened = settled_open(&request).await;
    request.set_onupgradeneeded(None);
    opened?;
    request
        .result()
        .and_then(|db| db.dyn_into::<IdbDatabase>())
        .map_err(|e| StorageError::from_js("opening IndexedDB", &e))
}

async fn settled_open(request: &IdbOpenDbRequest) -> Result<(), StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
        // Another tab holds an older version open: say so rather than wait for ever.
        request.set_onblocked(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => Err(request_error(request, "opening IndexedDB")),
    }
}

fn request_error(request: &IdbRequest, doing: &str) -> StorageError {
    match request.error() {
        Ok(Some(exception)) => StorageError::from_exception(doing, &exception),
        _ => StorageError::Unavailable(format!("{doing}: blocked by another tab or refused")),
    }
}

/// Starts a transaction on `stores`: `write` for readwrite, else readonly.
pub fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    write: bool,
    durability: Durability,
) -> Result<IdbTransaction, StorageError> {
    let names = js_sys::Array::new();
    for store in stores {
        names.push(&JsValue::from_str(store));
    }
    let options = Object::new();
    if write {
        let value = match durability {
            Durability::Flushed => "strict",
            Durability::Relaxed => "relaxed",
        };
        // Setting a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str("durability"), &JsValue::from_str(value));
    }
    let mode = if write { "readwrite" } else { "readonly" };
    db.unchecked_ref::<DatabaseWithOptions>()
        .transaction_with_options(&names, mode, &options)
        .map_err(|e| StorageError::from_js("starting a transaction", &e))
}

/// Waits until `tx` has committed (its `complete` event): only then is what it wrote kept.
pub async fn committed(tx: &IdbTransaction) -> Result<(), StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onabort(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => Err(match tx.error() {
            Some(exception) => StorageError::from_exception("writing", &exception),
            None => StorageError::Unavailable("the write was abandoned".into()),
        }),
    }
}

/// Waits for a read request and returns its result.
pub async fn result(request: IdbRequest) -> Result<JsValue, StorageError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|_| request_error(&request, "reading"))?;
    request.result().map_err(|e| StorageError::from_js("reading", &e))
}

impl StorageError {
    pub fn from_js(doing: &str, error: &JsValue) -> StorageError {
        match error.dyn_ref::<DomException>() {
            Some(exception) => StorageError::from_exception(doing, exception),
            None => StorageError::Unavailable(format!("{doing}: {error:?}")),
        }
    }

    fn from_exception(doing: &str, exception: &DomException) -> StorageError {
        if exception.name() == "QuotaExceededError" {
            StorageError::Full
        } else {
            StorageError::Unavailable(format!("{doing}: {}: {}", exception.name(), exception.message()))
        }
    }
}
