//! The record queue on the browser's real localStorage (headless Chromium).
#![cfg(target_arch = "wasm32")]

use jiayuan_domain::queue::{KeyValue, RecordQueue, SaveError};
use jiayuan_domain::sync::{Action, Person};
use jiayuan_kiosk::storage::LocalStore;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn clear() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
}

fn sign_in(resident: &str) -> Action {
    Action::SignIn { person: Person::Resident { resident_id: resident.to_owned() } }
}

#[wasm_bindgen_test]
fn records_survive_reopening_the_store() {
    clear();
    let (mut queue, _) = RecordQueue::open(LocalStore::open().unwrap(), || "test-install".into()).unwrap();
    let saved = queue.append(1, sign_in("resident-0001")).unwrap();
    drop(queue);
    let (reopened, _) = RecordQueue::open(LocalStore::open().unwrap(), || unreachable!()).unwrap();
    assert_eq!(reopened.pending(10).unwrap(), vec![saved]);
    clear();
}

#[wasm_bindgen_test]
fn a_full_local_storage_is_reported_and_nothing_is_counted() {
    clear();
    let (mut queue, _) = RecordQueue::open(LocalStore::open().unwrap(), || "test-install".into()).unwrap();
    queue.append(1, sign_in("resident-0001")).unwrap();
    // Fill the real quota with something else, as another page of the origin could.
    let mut filler = LocalStore::open().unwrap();
    let mut index = 0;
    for size in [256 * 1024, 1024, 32, 0] {
        let chunk = "x".repeat(size);
        while filler.set(&format!("f{index}"), &chunk).is_ok() {
            index += 1;
        }
    }
    assert_eq!(queue.append(2, sign_in("resident-0002")), Err(SaveError::Full));
    assert_eq!(queue.pending_count(), 1);
    clear();
}

#[wasm_bindgen_test]
fn a_corrupted_entry_is_moved_aside() {
    clear();
    let mut store = LocalStore::open().unwrap();
    store.set("jy/r/1", "{broken").unwrap();
    let (queue, report) = RecordQueue::open(LocalStore::open().unwrap(), || "test-install".into()).unwrap();
    assert_eq!(report.moved_aside, ["jy/r/1"]);
    assert_eq!(queue.pending_count(), 0);
    assert_eq!(store.get("jy/aside/jy/r/1").unwrap().as_deref(), Some("{broken"));
    clear();
}
