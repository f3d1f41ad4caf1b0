//! The journal on the browser's real IndexedDB (headless Chromium): what is saved is there
//! after the journal is opened again; the old localStorage queue moves in exactly once; a
//! damaged entry still lets the records after it go.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message
#![cfg(target_arch = "wasm32")]

use jiayuan_domain::sync::{Action, Person, VoidReason};
use jiayuan_kiosk::storage::Journal;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Runs `body` (JavaScript, may `await`) in the page and waits for it.
async fn js(body: &str) -> wasm_bindgen::JsValue {
    let function = js_sys::Function::new_no_args(&format!("return (async () => {{ {body} }})();"));
    let promise: js_sys::Promise = function.call0(&wasm_bindgen::JsValue::NULL).unwrap().unchecked_into();
    JsFuture::from(promise).await.unwrap()
}

/// No journal and no localStorage: a kiosk's very first start.
async fn fresh() {
    local_storage().clear().unwrap();
    js("await new Promise((ok, fail) => { const r = indexedDB.deleteDatabase('jiayuan'); r.onsuccess = ok; r.onerror = fail; });").await;
}

async fn held_numbers() -> Vec<u64> {
    let keys = js("const db = await new Promise((ok) => { const r = indexedDB.open('jiayuan'); r.onsuccess = () => ok(r.result); }); \
                   const keys = await new Promise((ok) => { const r = db.transaction('records').objectStore('records').getAllKeys(); r.onsuccess = () => ok(r.result); }); \
                   db.close(); return keys;")
        .await;
    js_sys::Array::from(&keys).iter().map(|k| k.as_f64().unwrap() as u64).collect()
}

fn visitor() -> Action {
    Action::SignIn { person: Person::Visitor }
}

#[wasm_bindgen_test]
async fn what_is_saved_is_there_when_the_journal_opens_again() {
    fresh().await;
    let (journal, _) = Journal::open().await.unwrap();
    let first = journal.append(1, visitor()).await.unwrap();
    let second = journal
        .append(2, Action::Cancel { resident_id: "resident-0001".into(), activity_id: "act-1".into() })
        .await
        .unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    journal.close();
    let (reopened, _) = Journal::open().await.unwrap();
    assert_eq!(reopened.outbox(1, 10, 0).await.unwrap(), vec![first, second]);
    assert_eq!(reopened.append(3, visitor()).await.unwrap().seq, 3, "numbering goes on");
    reopened.close();
}

#[wasm_bindgen_test]
async fn the_old_localstorage_queue_moves_in_once_with_its_numbers() {
    fresh().await;
    let storage = local_storage();
    storage.set_item("jy/queue", r#"{"install":"oldkiosk","next":4,"answered":1}"#).unwrap();
    storage.set_item("jy/r/2", r#"{"t":2,"a":{"k":"i"}}"#).unwrap();
    storage.set_item("jy/r/3", r#"{"t":3,"a":{"k":"u","r":"resident-0001","v":"act-1","n":0}}"#).unwrap();
    storage.set_item("jy/catalog", "{}").unwrap();
    let (journal, opened) = Journal::open().await.unwrap();
    assert_eq!(opened.moved_in, 2);
    let moved = journal.outbox(2, 10, 0).await.unwrap();
    assert_eq!(moved.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["oldkiosk-2", "oldkiosk-3"]);
    assert_eq!(journal.append(9, visitor()).await.unwrap().seq, 4, "numbering goes on without reuse");
    assert_eq!(storage.get_item("jy/r/2").unwrap(), None, "the old queue is gone");
    assert_eq!(storage.get_item("jy/queue").unwrap(), None);
    assert_eq!(storage.get_item("jy/catalog").unwrap().as_deref(), Some("{}"), "nothing else is touched");
    journal.close();

    // A cut after the move committed and before the old keys went: they are back at start.
    storage.set_item("jy/queue", r#"{"install":"oldkiosk","next":4,"answered":1}"#).unwrap();
    storage.set_item("jy/r/2", r#"{"t":2,"a":{"k":"i"}}"#).unwrap();
    let (again, opened) = Journal::open().await.unwrap();
    assert_eq!(opened.moved_in, 0, "moved once only");
    assert_eq!(held_numbers().await, [2, 3, 4]);
    assert_eq!(again.outbox(2, 10, 0).await.unwrap().len(), 3);
    assert_eq!(storage.get_item("jy/r/2").unwrap(), None);
    again.close();
}

#[wasm_bindgen_test]
async fn a_damaged_entry_goes_as_a_number_given_up_and_the_rest_follow() {
    fresh().await;
    let (journal, _) = Journal::open().await.unwrap();
    for at in 0..5 {
        journal.append(at, visitor()).await.unwrap();
    }
    journal.close();
    js("const db = await new Promise((ok) => { const r = indexedDB.open('jiayuan'); r.onsuccess = () => ok(r.result); }); \
        const tx = db.transaction('records', 'readwrite'); tx.objectStore('records').put('{\"t\":', 3); \
        await new Promise((ok) => { tx.oncomplete = ok; }); db.close();")
        .await;
    let (journal, _) = Journal::open().await.unwrap();
    let outbox = journal.outbox(1, 10, 0).await.unwrap();
    assert_eq!(outbox.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!(outbox[2].action, Action::Void { reason: VoidReason::Unreadable });
    assert_eq!(outbox[3].action, visitor());
    journal.close();
}
