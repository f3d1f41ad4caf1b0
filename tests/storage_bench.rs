//! A benchmark, not a test: `cargo xtask bench` runs it (it is ignored otherwise) and it prints
//! figures from the browser's real storage in headless Chromium:
//! - the durable save of one record in the journal (IndexedDB, flushed) with 0, 5,000 and
//!   20,000 records held, beside the old localStorage append (two `setItem`s, not on the disk
//!   when they return) measured in the same run;
//! - the one-time move of 20,000 records from the old localStorage queue into the journal;
//! - how many records fit in what the browser gives the kiosk, beside the cached catalog.
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message
#![cfg(target_arch = "wasm32")]

use jiayuan_domain::journal::encode;
use jiayuan_domain::sync::{Action, Person};
use jiayuan_kiosk::storage::Journal;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// What the roster of 5,000 residents and 500 activities take in localStorage (budgeted in
/// the domain's catalog test).
const CACHE_BUDGET: usize = 2_600_000;
const SAMPLES: usize = 200;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

async fn js(body: &str) -> wasm_bindgen::JsValue {
    let function = js_sys::Function::new_no_args(&format!("return (async () => {{ {body} }})();"));
    let promise: js_sys::Promise = function.call0(&wasm_bindgen::JsValue::NULL).unwrap().unchecked_into();
    JsFuture::from(promise).await.unwrap()
}

async fn fresh() {
    local_storage().clear().unwrap();
    js("await new Promise((ok, fail) => { const r = indexedDB.deleteDatabase('jiayuan'); r.onsuccess = ok; r.onerror = fail; });").await;
}

fn action(n: u64) -> Action {
    let resident_id = format!("resident-{:04}", n % 5000);
    if n.is_multiple_of(5) {
        Action::SignUp { resident_id, activity_id: format!("2026-11-{:02}-after-school", 1 + n % 28), companions: 1 }
    } else {
        Action::SignIn { person: Person::Resident { resident_id } }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    format!("median {:.3} ms, p95 {:.3} ms", percentile(&times, 0.5), percentile(&times, 0.95))
}

/// Writes records `from..from+count` straight into the journal's store, in one transaction
/// (setting a kiosk up with days of records takes seconds instead of minutes).
async fn fill_journal(from: u64, count: u64) {
    let entries: Vec<String> = (from..from + count).map(|n| encode(n as i64, &action(n))).collect();
    let json = serde_json::to_string(&entries).unwrap();
    js(&format!(
        "const entries = {json}; const db = await new Promise((ok) => {{ const r = indexedDB.open('jiayuan'); r.onsuccess = () => ok(r.result); }}); \
         const tx = db.transaction('records', 'readwrite'); const store = tx.objectStore('records'); \
         entries.forEach((e, i) => store.put(e, {from} + i)); await new Promise((ok) => {{ tx.oncomplete = ok; }}); db.close();"
    ))
    .await;
}

async fn usage() -> (f64, f64) {
    let estimate = js("const e = await navigator.storage.estimate(); return [e.usage, e.quota];").await;
    let array = js_sys::Array::from(&estimate);
    (array.get(0).as_f64().unwrap_or(0.0), array.get(1).as_f64().unwrap_or(0.0))
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run by `cargo xtask bench`"]
async fn durable_save_cost_and_capacity() {
    console_log!("one record saved, in headless Chromium ({SAMPLES} saves each):");
    fresh().await;
    // The old way, as the localStorage queue did it: the record, then the counter.
    let storage = local_storage();
    for target in [0u64, 5_000, 20_000] {
        storage.clear().unwrap();
        for n in 0..target {
            storage.set_item(&format!("jy/r/{n}"), &encode(n as i64, &action(n))).unwrap();
        }
        let mut times = Vec::with_capacity(SAMPLES);
        for n in target..target + SAMPLES as u64 {
            let started = now_ms();
            storage.set_item(&format!("jy/r/{n}"), &encode(n as i64, &action(n))).unwrap();
            storage.set_item("jy/queue", &format!(r#"{{"install":"bench","next":{},"answered":0}}"#, n + 1)).unwrap();
            times.push(now_ms() - started);
        }
        console_log!("  localStorage (old, not durable), {target:>6} held: {}", summary(times));
    }
    storage.clear().unwrap();

    // The journal: IndexedDB, one flushed transaction per record.
    let (journal, _) = Journal::open().await.unwrap();
    journal.close();
    let mut held = 0u64;
    for target in [0u64, 5_000, 20_000] {
        if target > held {
            fill_journal(held + 1, target - held).await;
            held = target;
        }
        let (journal_now, _) = Journal::open().await.unwrap();
        let mut times = Vec::with_capacity(SAMPLES);
        for n in 0..SAMPLES as u64 {
            let started = now_ms();
            journal_now.append(n as i64, action(n)).await.unwrap();
            times.push(now_ms() - started);
        }
        held += SAMPLES as u64;
        console_log!("  journal (IndexedDB, flushed),  {target:>6} held: {}", summary(times));
        journal_now.close();
    }

    // The one-time move of a big old queue.
    fresh().await;
    let moved = 20_000u64;
    storage.set_item("jy/queue", &format!(r#"{{"install":"bench","next":{},"answered":0}}"#, moved + 1)).unwrap();
    for n in 1..=moved {
        storage.set_item(&format!("jy/r/{n}"), &encode(n as i64, &action(n))).unwrap();
    }
    let started = now_ms();
    let (journal, opened) = Journal::open().await.unwrap();
    console_log!(
        "moving {} records from localStorage into the journal (once per kiosk): {:.0} ms",
        opened.moved_in,
        now_ms() - started
    );
    journal.close();

    // Capacity: the catalog in localStorage, then 50,000 records in the journal.
    fresh().await;
    storage.set_item("jy/catalog", &"x".repeat(CACHE_BUDGET)).unwrap();
    let (journal, _) = Journal::open().await.unwrap();
    journal.close();
    let (before, quota) = usage().await;
    let count = 50_000u64;
    for chunk in 0..10 {
        fill_journal(1 + chunk * 5_000, 5_000).await;
    }
    let (after, _) = usage().await;
    let (journal, _) = Journal::open().await.unwrap();
    let saved = journal.append(0, action(0)).await.map(|r| r.seq);
    journal.close();
    let per_record = (after - before) / count as f64;
    console_log!(
        "capacity: {count} records held beside a {CACHE_BUDGET}-character catalog, and one more saved ({}); \
         {per_record:.0} bytes each by the browser's estimate; quota {:.0} MB, so about {:.1} million fit (goal: 50,000)",
        if saved == Ok(count + 1) { "ok" } else { "FAILED" },
        quota / 1e6,
        (quota - after) / per_record.max(1.0) / 1e6
    );
    fresh().await;
}
